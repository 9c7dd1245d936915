"""Text typed in a row editor (or the competence line, or the contact line) but not added yet: it
counts as unsaved, saving refuses it with a message, and it never reaches the next worker opened
(a contact pressed in with Enter would otherwise be logged on the wrong person)."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from core.model import Dossier, Worker
from gui.row_tables import Column, RecordTable
from gui.worker_view import TAB_EDUCATION, TAB_FOLLOWUP, TAB_PLAN
from tests.gui.test_workflow_support import FakeMatcher, shown_main_window

TODAY = dt.date.today()


@pytest.fixture
def win(qtbot, services):
    services.extra["matching"] = FakeMatcher()
    with shown_main_window(qtbot, services) as w:
        yield w


@pytest.fixture
def pair(services):
    d = services.dossiers.add(Dossier("Van Hool NV", announcement_date=TODAY - dt.timedelta(days=100)))
    a = services.workers.add(Worker("Baert", "Frank", dossier_id=d.id))
    b = services.workers.add(Worker("Cools", "Mohamed", dossier_id=d.id))
    return d, a, b


def type_everywhere(view):
    """What the reviewer typed for worker A without pressing Enter anywhere."""
    view.followup.note.setText("Gesprek over sollicitatie bij Volvo Gent")
    view.followup.hours.setValue(1.5)
    view.experience.table.inputs["job_title"].setText("Magazijnier")
    view.experience.table.inputs["employer"].setText("Colruyt Halle")
    view.certificates.table.inputs["label"].setText("Attest hoogtewerker")
    view.competences.input.setText("tig lassen")
    view.preferences.limits.inputs["note"].setText("niet tillen")


def all_inputs(view):
    return {"note": view.followup.note.text(), "hours": view.followup.hours.value(),
            "job_title": view.experience.table.inputs["job_title"].text(),
            "employer": view.experience.table.inputs["employer"].text(),
            "certificate": view.certificates.table.inputs["label"].text(),
            "competence": view.competences.input.text(), "limitation": view.preferences.limits.inputs["note"].text()}


EMPTY = {"note": "", "hours": 0.0, "job_title": "", "employer": "", "certificate": "", "competence": "",
         "limitation": ""}


def test_typed_text_is_unsaved_and_never_reaches_the_next_worker(win, qtbot, services, pair, monkeypatch):
    d, a, b = pair
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    assert not view.is_dirty()
    type_everywhere(view)
    assert view.is_dirty() and "niet bewaard" in view.title.text()      # marked at once, while typing
    assert [label for _, label, _ in view.pending_inputs()] == [
        "Ervaring", "Competenties", "Attesten", "Functionele beperkingen", "Opvolging (contact)"]
    questions = []

    def answer(choice):
        def ask(*args, **kw):
            questions.append(args[2])
            return choice
        return ask
    # leaving asks, and names what was typed but not added; Cancel stays with everything as typed
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert not win.open_worker(b.id)
    assert "Ervaring" in questions[-1] and "Opvolging" in questions[-1]
    assert view.worker.id == a.id and all_inputs(view)["note"] == "Gesprek over sollicitatie bij Volvo Gent"
    # Save cannot store a row that was never added: refused, the view stays
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Save))
    assert not win.open_worker(b.id)
    assert view.worker.id == a.id and "Nog niet toegevoegd" in view.general_error.text()
    # Discard: worker B opens with every input empty
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    assert win.open_worker(b.id)
    assert view.worker.id == b.id and all_inputs(view) == EMPTY and not view.is_dirty()
    # so Enter in B's note line cannot log A's conversation on B, and nothing reached A either
    assert [c.note for c in services.workers.contacts(b.id)] == []
    stored_a = services.workers.get(a.id)
    assert services.workers.contacts(a.id) == [] and stored_a.experiences == [] and stored_a.certificates == []


def test_back_to_the_list_and_into_another_worker_clears_the_inputs(win, qtbot, services, pair, monkeypatch):
    d, a, b = pair
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    type_everywhere(view)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert win.close_worker()
    assert win.open_worker(b.id)
    assert all_inputs(view) == EMPTY


def test_ctrl_s_refuses_a_row_that_was_not_added(win, qtbot, services, pair):
    d, a, _ = pair
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    view.show_tab(TAB_PLAN)
    t = view.experience.table
    t.inputs["job_title"].setText("Magazijnier")
    assert not view.save()
    assert "Ervaring" in view.general_error.text() and view.tabs.currentIndex() == TAB_EDUCATION
    assert t.inputs["job_title"].hasFocus()
    assert services.workers.get(a.id).experiences == []                     # nothing stored meanwhile
    qtbot.keyClick(t.inputs["job_title"], Qt.Key.Key_Return)             # added: now it saves
    assert view.save() and not view.is_dirty()
    assert [e.job_title for e in services.workers.get(a.id).experiences] == ["Magazijnier"]


def test_an_unregistered_contact_and_a_plan_action_count_too(win, qtbot, services, pair):
    d, a, _ = pair
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    view.followup.hours.setValue(2)                                       # hours alone are something typed
    assert view.is_dirty() and not view.save() and view.tabs.currentIndex() == TAB_FOLLOWUP
    assert view.followup.add_contact()                                    # registered: nothing pending
    assert not view.is_dirty()
    assert [c.hours for c in services.workers.contacts(a.id)] == [2.0]
    view.plan.create_plan()
    assert view.plan.save()
    view.plan.actions.inputs["description"].setText("VCA basis")
    assert [label for _, label, _ in view.pending_inputs()] == ["Trajectplan"]
    assert not view.save() and view.tabs.currentIndex() == TAB_PLAN


def test_choices_alone_are_not_pending(win, services, pair):
    d, a, _ = pair
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    langs = view.languages.table
    langs.inputs["language"].setCurrentIndex(langs.inputs["language"].findData("fr"))
    kind = view.preferences.limits.inputs["kind"]
    kind.setCurrentIndex(kind.findData("nachtwerk"))
    assert view.pending_inputs() == [] and not view.is_dirty()


def test_row_editor_pending_and_clear(qtbot):
    table = RecordTable([Column("kind", "Soort", "choice", ("a", "b")), Column("label", "Naam"),
                         Column("hours", "Uren", "float", maximum=10), Column("done", "Klaar", "bool")],
                        QUndoStack(), build=lambda v: v)
    qtbot.addWidget(table)
    seen = []
    table.input_changed.connect(lambda: seen.append(1))
    assert table.pending_input() is None
    table.inputs["kind"].setCurrentIndex(1)
    assert table.pending_input() is None and seen
    for attr, set_value in (("label", lambda w: w.setText("x")), ("hours", lambda w: w.setValue(1.5)),
                            ("done", lambda w: w.setChecked(True))):
        set_value(table.inputs[attr])
        assert table.pending_input() is table.inputs[attr]
        table.clear_inputs()
        assert table.pending_input() is None
    assert table.inputs["kind"].currentIndex() == 0
    table.set_read_only(True)
    table.inputs["label"].setText("x")
    assert table.pending_input() is None                                  # cannot be added anyway


def test_the_preferred_language_shows_dutch_names_and_stores_the_code(win, services, pair):
    d, a, _ = pair
    win.refresh_dossiers(d.id)
    assert win.open_worker(a.id)
    view = win.worker_view
    box = view.identity.language
    assert [box.itemText(i) for i in range(box.count())] == ["Nederlands", "Frans", "Duits", "Engels"]
    assert [box.itemData(i) for i in range(box.count())] == ["nl", "fr", "de", "en"]
    box.setCurrentIndex(box.findData("fr"))
    assert view.save()
    assert services.workers.get(a.id).preferred_language == "fr"
    langs = view.languages.table.inputs["language"]
    assert langs.itemText(langs.findData("de")) == "Duits"


def test_a_contact_before_the_announcement_is_refused_with_a_message(qtbot, services):
    from gui.followup import FollowupPanel
    d = services.dossiers.add(Dossier("Busbouw NV", announcement_date=dt.date(2026, 9, 15)))
    w = services.workers.add(Worker("De Smet", "Marleen", dossier_id=d.id, birth_date=dt.date(1971, 5, 4)))
    panel = FollowupPanel(services.workers, lambda: dt.date(2026, 11, 28))
    qtbot.addWidget(panel)
    panel.context = lambda: (w, d)
    panel.set_worker(w.id)
    panel.date.set_date(dt.date(1990, 1, 1))
    panel.hours.setValue(1)
    panel.note.setText("typo jaar oud")
    assert not panel.add_contact()
    assert "aankondiging van het collectief ontslag (15/09/2026)" in panel.error.text()
    assert services.workers.contacts(w.id) == []
    panel.date.set_date(dt.date(2026, 11, 20))
    assert panel.add_contact()
    assert [c.date for c in services.workers.contacts(w.id)] == [dt.date(2026, 11, 20)]


def test_the_worker_view_checks_contact_dates_against_its_dossier(win, services):
    d = services.dossiers.add(Dossier("Busbouw NV", announcement_date=TODAY - dt.timedelta(days=30)))
    w = services.workers.add(Worker("De Smet", "Marleen", dossier_id=d.id))
    win.refresh_dossiers(d.id)
    assert win.open_worker(w.id)
    panel = win.worker_view.followup
    panel.date.set_date(TODAY - dt.timedelta(days=31))
    panel.note.setText("te vroeg")
    assert not panel.add_contact() and "aankondiging" in panel.error.text()
