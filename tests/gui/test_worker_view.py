"""The worker view: sections, keyboard entry, undo, validation, figures and the unsaved-changes guard."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from core.model import (Certificate, Contact, Dossier, Experience, FunctionalLimitation, LanguageSkill, Worker,
                        WorkerCompetence)
from gui.main_window import PAGE_DOSSIER, PAGE_WORKER
from gui.worker_view import TAB_COMPETENCES, TAB_EDUCATION, TAB_IDENTITY, TAB_LANGUAGES, TAB_PREFERENCES
from tests.gui.test_workflow_support import FakeMatcher, shown_main_window

TODAY = dt.date.today()


@pytest.fixture
def win(qtbot, services):
    services.extra["matching"] = FakeMatcher()
    with shown_main_window(qtbot, services) as w:
        yield w


@pytest.fixture
def two_workers(services):
    d = services.dossiers.add(Dossier("Van Hool NV", announcement_date=TODAY - dt.timedelta(days=100)))
    a = services.workers.add(Worker(
        "Aerts", "An", dossier_id=d.id, birth_date=dt.date(1970, 5, 1), dismissal_date=TODAY - dt.timedelta(days=80),
        seniority_start=dt.date(2001, 1, 1), previous_job_title="Lasser",
        experiences=[Experience("Van Hool", "Lasser", start_date=dt.date(2001, 1, 1))],
        competences=[WorkerCompetence("mig lassen", "c_mig", 1.0)],
        certificates=[Certificate("VCA", "VCA basis", expiry_date=TODAY - dt.timedelta(days=3)),
                      Certificate("heftruck", "Heftruck", expiry_date=TODAY + dt.timedelta(days=40)),
                      Certificate("EHBO", "EHBO", expiry_date=TODAY + dt.timedelta(days=400))],
        languages=[LanguageSkill("nl", "C2", "C2", "C1", "B2")],
        limitations=[FunctionalLimitation("tillen", "max. 10 kg")]))
    b = services.workers.add(Worker("Baert", "Bart", dossier_id=d.id))
    return d, a, b


def open_first(win, services, two_workers):
    d, a, b = two_workers
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    return win.worker_view


def test_enter_in_the_table_opens_the_worker_view(win, qtbot, services, two_workers):
    d, a, _ = two_workers
    win.refresh_dossiers(d.id)
    win.table.setFocus()
    win.table.setCurrentIndex(win.worker_model.index(win.worker_model.row_of(a.id), 0))
    qtbot.keyClick(win.table, Qt.Key.Key_Return)
    assert win.stack.currentIndex() == PAGE_WORKER
    view = win.worker_view
    assert view.identity.surname.text() == "Aerts"
    assert [e.job_title for e in view.experience.table.model.items] == ["Lasser"]
    assert view.preferences.limits.model.items[0].note == "max. 10 kg"
    assert not view.is_dirty()


def test_models_pass_the_model_tester(win, qtmodeltester, services, two_workers):
    view = open_first(win, services, two_workers)
    for model in (view.experience.table.model, view.certificates.table.model, view.languages.table.model,
                  view.competences.table.model, view.preferences.limits.model, view.followup.model):
        qtmodeltester.check(model)


def test_certificates_are_flagged_by_expiry(win, services, two_workers):
    view = open_first(win, services, two_workers)
    m = view.certificates.table.model
    colours = [m.index(r, 0).data(Qt.ItemDataRole.ForegroundRole) for r in range(3)]
    assert colours[0].name() == "#b00020"            # expired
    assert colours[1].name() == "#b35900"            # within 90 days
    assert colours[2] is None
    assert m.index(0, 3).data() == "vervallen"


def test_sensitive_limitations_are_shown_apart_with_a_note(win, services, two_workers):
    view = open_first(win, services, two_workers)
    view.show_tab(TAB_PREFERENCES)
    group = view.preferences.limits_group
    assert "gevoelige gegevens" in group.title()
    assert group.isVisible()
    notes = [w.text() for w in group.findChildren(type(view.title)) if "Gevoelige gegevens" in w.text()]
    assert notes and "AVG" in notes[0]


def test_rows_by_keyboard_and_undo(win, qtbot, services, two_workers):
    view = open_first(win, services, two_workers)
    view.show_tab(TAB_EDUCATION)
    t = view.experience.table
    t.inputs["job_title"].setFocus()
    qtbot.keyClicks(t.inputs["job_title"], "Magazijnier")
    qtbot.keyClicks(t.inputs["employer"], "Colruyt")
    qtbot.keyClicks(t.inputs["start_date"], "1/3/1995")
    qtbot.keyClick(t.inputs["start_date"], Qt.Key.Key_Return)
    assert [e.job_title for e in t.model.items] == ["Lasser", "Magazijnier"]
    assert t.model.items[1].start_date == dt.date(1995, 3, 1)
    assert t.inputs["job_title"].text() == "" and t.inputs["job_title"].hasFocus()
    assert view.is_dirty()
    # an empty row is refused with a Dutch message
    qtbot.keyClick(t.inputs["job_title"], Qt.Key.Key_Return)
    assert "functie" in t.error.text() and len(t.model.items) == 2
    # Delete removes the selected row; Ctrl+Z outside a text field brings it back, then the addition goes
    t.view.setFocus()
    t.view.selectRow(0)
    qtbot.keyClick(t.view, Qt.Key.Key_Delete)
    assert [e.job_title for e in t.model.items] == ["Magazijnier"]
    qtbot.keyClick(t.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.job_title for e in t.model.items] == ["Lasser", "Magazijnier"]
    qtbot.keyClick(t.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.job_title for e in t.model.items] == ["Lasser"]
    assert not view.is_dirty()
    # editing a cell is undoable too
    assert t.model.setData(t.model.index(0, 1), "Van Hool NV")
    view.undo.undo()
    assert t.model.items[0].employer == "Van Hool"


def test_line_edit_keeps_its_own_undo(win, qtbot, services, two_workers):
    view = open_first(win, services, two_workers)
    e = view.identity.first_names
    e.setFocus()
    e.end(False)
    qtbot.keyClicks(e, "ne")
    assert e.text() == "Anne"
    qtbot.keyClick(e, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert e.text() == "An"


def test_all_sections_are_saved(win, qtbot, services, two_workers):
    view = open_first(win, services, two_workers)
    d, a, _ = two_workers
    view.show_tab(TAB_LANGUAGES)
    lt = view.languages.table
    lt.inputs["language"].setCurrentIndex(lt.inputs["language"].findData("fr"))
    lt.inputs["speaking"].setCurrentIndex(lt.inputs["speaking"].findData("B1"))
    assert lt.submit()
    lt.inputs["language"].setCurrentIndex(lt.inputs["language"].findData("fr"))
    assert not lt.submit() and "al" in lt.error.text()
    view.mobility.licences["C"].setChecked(True)
    view.mobility.own_car.setChecked(True)
    view.mobility.max_commute.setValue(45)
    view.preferences.accepts_nights.setChecked(False)
    view.preferences.sectors.setText("metaal, logistiek")
    view.preferences.limits.inputs["kind"].setCurrentIndex(view.preferences.limits.inputs["kind"].findData("nachtwerk"))
    assert view.preferences.limits.submit()
    view.identity.diploma.setText("TSO elektromechanica")
    with qtbot.waitSignal(view.saved, timeout=2000):
        qtbot.keyClick(view.tabs, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    w = services.workers.get(a.id)
    assert [(s.language, s.speaking) for s in w.languages] == [("nl", "C2"), ("fr", "B1")]
    assert "C" in w.mobility.driving_licences and w.mobility.own_car and w.mobility.max_commute_minutes == 45
    assert not w.preferences.accepts_nights and w.preferences.sectors == ["metaal", "logistiek"]
    assert [f.kind for f in w.limitations] == ["tillen", "nachtwerk"]
    assert w.highest_diploma == "TSO elektromechanica"
    assert not view.is_dirty()


def test_validation_messages_next_to_the_fields(win, qtbot, services, two_workers):
    view = open_first(win, services, two_workers)
    view.show_tab(TAB_COMPETENCES)
    view.identity.surname.clear()
    view.identity.postcode.setText("12")
    assert not view.save()
    assert view.tabs.currentIndex() == TAB_IDENTITY
    assert "Naam is verplicht" in view.identity.fields["surname"].error.text()
    assert "Postcode" in view.identity.fields["postcode"].error.text()
    assert services.workers.get(two_workers[1].id).surname == "Aerts"         # nothing stored


def test_figures_turn_red_when_at_risk(win, services, two_workers):
    view = open_first(win, services, two_workers)
    f = view.figures
    assert "Leeftijd bij aankondiging: <b>5" in f.age.text()           # 45+: six months, 60 hours
    assert "/ 60 uur" in f.hours.text()
    assert "ISV: ja (6 mnd)" == f.isv.text()
    assert "frontload" in f.risks                                        # no hours in the first two months
    assert "color: #b00020" in f.frontload.styleSheet()
    # enough hours early on: no longer at risk
    services.workers.add_contact(two_workers[1].id, Contact(TODAY - dt.timedelta(days=70), hours=20))
    view.followup.reload()
    view.refresh_figures()
    assert "frontload" not in f.risks and f.frontload.styleSheet() == ""


def test_guard_when_switching_worker(win, qtbot, services, two_workers, monkeypatch):
    d, a, b = two_workers
    view = open_first(win, services, two_workers)
    view.identity.first_names.setText("Anna")
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: answers.pop(0))
    answers.append(QMessageBox.StandardButton.Cancel)
    assert not win.open_worker(b.id)
    assert view.worker.id == a.id and view.identity.first_names.text() == "Anna"
    answers.append(QMessageBox.StandardButton.Discard)
    assert win.open_worker(b.id)
    assert view.worker.id == b.id and services.workers.get(a.id).first_names == "An"
    # Save stores the edits before switching
    view.identity.first_names.setText("Bert")
    answers.append(QMessageBox.StandardButton.Save)
    assert win.open_worker(a.id)
    assert services.workers.get(b.id).first_names == "Bert"


def test_guard_when_switching_dossier_and_going_back(win, qtbot, services, two_workers, monkeypatch):
    d, a, b = two_workers
    other = services.dossiers.add(Dossier("Audi Brussels"))
    view = open_first(win, services, two_workers)
    view.identity.street.setText("Kerkstraat 1")
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Cancel)
    win.refresh_dossiers(d.id)
    row_other = win.dossier_model.row_of(other.id)
    win.dossier_view.setCurrentIndex(win.dossier_model.index(row_other))
    assert win.current_dossier_id == d.id and win.stack.currentIndex() == PAGE_WORKER
    assert win.dossier_model.row_of(d.id) == win.dossier_view.currentIndex().row()
    assert not win.close_worker()
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Discard)
    win.dossier_view.setCurrentIndex(win.dossier_model.index(row_other))
    assert win.current_dossier_id == other.id and win.stack.currentIndex() == PAGE_DOSSIER


def test_new_worker_in_the_view_and_plan_needs_a_saved_worker(win, qtbot, services, two_workers):
    d, _, _ = two_workers
    win.refresh_dossiers(d.id)
    win.new_worker()
    view = win.worker_view
    assert view.worker.id is None and not view.followup.btn_add.isEnabled()
    assert "Bewaar" in view.plan.state.text()
    view.identity.surname.setText("Çelik")            # non-ASCII: setText, never keyClicks
    view.identity.first_names.setText("Zoë")
    assert view.is_dirty()
    assert view.save()
    assert services.workers.get(view.worker.id).surname == "Çelik"
    assert view.followup.btn_add.isEnabled() and not view.plan.btn_create.isHidden()
    assert win.worker_model.row_of(view.worker.id) >= 0


def test_competence_suggestions_model(qtbot):
    from gui.competence_input import CompetenceSection
    undo = QUndoStack()
    section = CompetenceSection(undo, FakeMatcher(), lambda: ["Magazijnier"])
    box = section.input
    box.update_suggestions("heft")
    assert [box.model.index(r).data() for r in range(box.model.rowCount())] == ["heftruck besturen"]
    assert box.last_suggest_ms < 1000
    box.update_suggestions("h")                      # one letter: no suggestions yet
    assert box.model.rowCount() == 0
    section.refresh_sources()
    assert section.source_list.count() == 1
    section._chosen(None, "clark rijden")           # recognised synonym removes the proposal
    assert section.table.model.items[0].competence_id == "c_heftruck"
    assert section.source_list.count() == 0
    section._chosen(None, "Clark rijden")           # the same competence twice is refused
    assert len(section.table.model.items) == 1 and "staat al" in section.feedback.text()


def test_a_negated_phrase_is_kept_as_typed_with_a_hint(qtbot):
    from core.matching import MatchingService
    from gui.competence_input import CompetenceSection
    section = CompetenceSection(QUndoStack(), MatchingService.create(), lambda: [])
    section._chosen(None, "geen nachtwerk")
    item = section.table.model.items[0]
    assert item.text == "geen nachtwerk" and not item.competence_id   # not "bereid tot nachtwerk"
    assert "ontkenning" in section.feedback.text() and "beperkingen" in section.feedback.text()


def test_a_health_complaint_typed_as_a_competence_is_kept_with_a_hint(qtbot):
    from core.matching import MatchingService
    from gui.competence_input import CompetenceSection
    section = CompetenceSection(QUndoStack(), MatchingService.create(), lambda: [])
    section._chosen(None, "hoogtevrees")        # not "Veilig werken op hoogte" (text "geen hoogtevrees")
    item = section.table.model.items[0]
    assert item.text == "hoogtevrees" and not item.competence_id
    assert "beperking" in section.feedback.text() and "ontkenning" not in section.feedback.text()
    section._chosen(None, "spuitgieten")         # a competence gets no such hint
    assert section.table.model.items[1].competence_id == "spuitgieten"
    assert "beperking" not in section.feedback.text()
    section._chosen(None, "nachtwerk")
    assert section.table.model.items[1].competence_id                 # the phrase itself is recognised


def test_a_confirmed_phrase_that_names_a_second_competence_says_so(qtbot):
    from core.matching import MatchingService
    from gui.competence_input import CompetenceSection
    svc = MatchingService.create()
    section = CompetenceSection(QUndoStack(), svc, lambda: [])
    tig = next(s for s in svc.suggest_competences("tig lassen rvs") if s.competence_id == "lassen-tig")
    section._chosen(tig, "tig lassen rvs")           # picked from the list: one competence stored
    item = section.table.model.items[0]
    assert item.competence_id == "lassen-tig"
    assert "ook herkend: RVS (inox) verwerken" in section.feedback.text()
    assert "RVS (inox) verwerken" in section._recognised(item)
    section._chosen(None, "tig lassen")
    assert "ook herkend" not in section.feedback.text()


def test_source_proposals_say_why_there_are_none(qtbot):
    from core.matching import MatchingService
    from gui.competence_input import CompetenceSection
    titles: list[str] = []
    section = CompetenceSection(QUndoStack(), MatchingService.create(), lambda: titles)
    section.refresh_sources()
    assert "geen vorige functie ingevuld" in section.source_list.item(0).text()
    titles[:] = ["Arbeider"]
    section.refresh_sources()
    assert section.source_list.count() == 1
    assert "Geen typische competenties gekend voor «Arbeider»" in section.source_list.item(0).text()
    titles[:] = ["Lasser TIG"]
    section.refresh_sources()
    assert section.source_list.count() >= 3
