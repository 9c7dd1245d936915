"""A competence the counsellor picks for words the vocabulary does not read that way can be kept
as a local variant (synonym): recognised from then on, for every worker, and audited."""
import pytest

from db.reference_repo import ReferenceRepository
from gui.worker_view import TAB_COMPETENCES
from tests.gui.test_worker_view import two_workers  # noqa: F401 - fixture
from tests.gui.test_workflow_support import shown_main_window

TYPED = "kloppen en zwiepen aan band vier"


@pytest.fixture
def real_win(qtbot, services):
    assert services.extra.get("matching") is not None     # the real matching engine, not a stand-in
    with shown_main_window(qtbot, services) as w:
        yield w


def open_competences(win, two):
    d, a, _b = two
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    view.show_tab(TAB_COMPETENCES)
    return view, view.competences


def test_picked_competence_for_unread_words_can_be_remembered(real_win, services, two_workers):  # noqa: F811
    view, section = open_competences(real_win, two_workers)
    matcher = section.matcher
    before = matcher.recognise(TYPED)
    target = next(s for s in matcher.suggest_competences("robotlassen", 5))
    assert before is None or before.competence_id != target.competence_id
    section._chosen(target, TYPED)
    assert section.table.model.items[-1].competence_id == target.competence_id
    assert section.btn_remember.isVisibleTo(view) and TYPED in section.btn_remember.toolTip()
    section.btn_remember.click()
    assert "Onthouden" in section.feedback.text() and not section.btn_remember.isVisibleTo(view)
    assert matcher.recognise(TYPED).competence_id == target.competence_id        # used from then on
    assert ReferenceRepository(services.db).variants() == [(target.competence_id, TYPED)]


def test_no_offer_when_the_words_already_mean_that_competence_or_were_typed_only(real_win, services,
                                                                                 two_workers):  # noqa: F811
    view, section = open_competences(real_win, two_workers)
    matcher = section.matcher
    own = matcher.recognise("heftruck rijden")
    assert own is not None
    section._chosen(own, "heftruck rijden")             # picked what it already reads: nothing to learn
    assert not section.btn_remember.isVisibleTo(view)
    section._chosen(None, "iets heel anders typen")    # typed and added without picking: no offer
    assert not section.btn_remember.isVisibleTo(view)
    assert ReferenceRepository(services.db).variants() == []


def test_words_that_belong_to_another_competence_are_not_remembered(real_win, services, two_workers):  # noqa: F811
    view, section = open_competences(real_win, two_workers)
    matcher = section.matcher
    other = matcher.recognise("heftruck rijden")
    label_of_other = section.label_of(other.competence_id)
    target = next(s for s in matcher.suggest_competences("robotlassen", 5) if s.competence_id != other.competence_id)
    section._chosen(target, label_of_other)             # a label of another competence, picked as this one
    assert section.btn_remember.isVisibleTo(view)
    section.btn_remember.click()
    assert section.feedback.text().startswith("Niet onthouden")
    assert matcher.recognise(label_of_other).competence_id == other.competence_id


def test_a_typed_list_gives_one_competence_per_item(real_win, services, two_workers):  # noqa: F811
    _view, section = open_competences(real_win, two_workers)
    before = len(section.table.model.items)
    section.input.setText("TIG lassen, heftruck rijden; geen nachtwerk")
    section.btn_add.click()
    added = section.table.model.items[before:]
    assert [c.text for c in added] == ["TIG lassen", "heftruck rijden", "geen nachtwerk"]
    assert added[0].competence_id == "lassen-tig" and added[1].competence_id == "heftruck-rijden"
    assert not added[2].competence_id                      # a negation stays as typed, not recognised
    assert "Toegevoegd uit één regel" in section.feedback.text() and "niet herkend" in section.feedback.text()
    assert section.input.text() == ""
