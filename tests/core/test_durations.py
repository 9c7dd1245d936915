"""Durations as a counsellor writes them: short ones in working days ("1 dag", "3 dagen"; a week has 5),
longer ones in weeks, singular and plural in Dutch and French; one helper for the plan editor, the
printed plan and the Excel export."""
import datetime as dt
import types

import openpyxl

from core.export_xlsx import WorkerExport, write_dossier_xlsx
from core.model import Dossier, PlanAction, TrajectoryPlan, Worker
from core.plan_text import duration_text, localise_duration
from gui.plan_editor import actions_for_gap
from tests.core.test_plan_pdf import make_input, squash
from tests.core.test_plan_pdf_layout import render


def test_short_durations_in_days():
    assert duration_text(0.2, "weeks") == "1 dag" and duration_text(0.6, "weeks") == "3 dagen"
    assert duration_text(0.2, "weeks", "fr") == "1 jour" and duration_text(0.6, "weeks", "fr") == "3 jours"
    assert duration_text(0.1, "weeks") == "0,5 dag" and duration_text(0.1, "weeks", "fr") == "0,5 jour"
    assert duration_text(1.4, "weeks") == "7 dagen"                  # a part week under two, in whole days
    assert duration_text(1, "weeks") == "1 week" and duration_text(1.5, "weeks") == "1,5 weken"
    assert duration_text(2, "weeks") == "2 weken" and duration_text(24, "weeks", "fr") == "24 semaines"
    assert duration_text(1, "days") == "1 dag" and duration_text(3, "days") == "3 dagen"


def test_stored_durations_of_older_plans_are_written_in_days():
    assert localise_duration("0,2 weken", "nl") == "1 dag"
    assert localise_duration("0,6 weken", "nl") == "3 dagen"
    assert localise_duration("0,6 weken", "fr") == "3 jours"
    assert localise_duration("3 dagen", "fr") == "3 jours"


def test_gap_actions_in_days():
    def training(tid, weeks):
        return types.SimpleNamespace(id=tid, name_nl=tid, route="OC", provider_kind="VDAB",
                                     duration_weeks_indicative=weeks, teaches=("c1",))
    gap = types.SimpleNamespace(trainings=[training("EVC-test", 0.2), training("AREI", 0.6), training("Lasser", 20)])
    assert [a.duration for a in actions_for_gap(gap, {})] == ["1 dag", "3 dagen", "20 weken"]


def test_printed_plan_and_excel_write_days(tmp_path):
    data = make_input(actions=0)
    data.plan.actions = [PlanAction("EVC-test", "EVC", "VDAB", duration="0,2 weken"),
                         PlanAction("AREI BA4", "attest halen", "VDAB", duration="0,6 weken")]
    _, pages = render(data)
    text = squash("\n".join(pages))
    assert "1 dag" in text and "3 dagen" in text
    assert "0,2 weken" not in text and "0,6 weken" not in text
    plan = TrajectoryPlan(1, actions=data.plan.actions)
    out = write_dossier_xlsx(tmp_path / "x.xlsx", Dossier("X", id=1),
                             [WorkerExport(Worker("Peeters", "Jan", dossier_id=1), plan=plan)], today=dt.date(2026, 6, 1))
    durations = [r[8] for r in openpyxl.load_workbook(out)["Acties"].iter_rows(min_row=2, values_only=True)]
    assert durations == ["1 dag", "3 dagen"]
