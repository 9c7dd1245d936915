"""Plan actions suggested for the gap: the training duration in correct Dutch."""
import types

from gui.plan_editor import actions_for_gap


def test_gap_training_durations_are_singular_or_plural():
    def training(tid, weeks):
        return types.SimpleNamespace(id=tid, name_nl=f"Opleiding {tid}", route="OC", provider_kind="VDAB competentiecentrum",
                                     duration_weeks_indicative=weeks, teaches=("c1",))
    gap = types.SimpleNamespace(trainings=[training("a", 1), training("b", 24), training("c", 1.5), training("d", 0)])
    actions = actions_for_gap(gap, {"c1": "Heftruck besturen"})
    assert [a.duration for a in actions] == ["1 week", "24 weken", "1,5 weken", ""]
    assert actions[0].competences == ["Heftruck besturen"]
