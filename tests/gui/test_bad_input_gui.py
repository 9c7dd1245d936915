"""Bad input in the window: a message next to the field, nothing stored, no exception."""
import datetime as dt

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.model import Dossier, TrajectoryPlan, Worker
from tests.gui.test_worker_view import open_first, two_workers, win  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))


@pytest.mark.parametrize("field,text", [("birth", "31/02/1970"), ("dismissal", "😀"), ("seniority", "99/99/9999")])
def test_worker_form_refuses_bad_dates(win, services, two_workers, field, text):  # noqa: F811
    view = open_first(win, services, two_workers)
    getattr(view.identity, field).setText(text)
    assert not view.save()
    errors = " ".join(b.error.text() for b in view.identity.fields.values())
    assert "datum" in errors.lower()
    assert services.workers.get(two_workers[1].id).birth_date == dt.date(1970, 5, 1)


def test_worker_form_refuses_bad_insz_and_keeps_long_text_and_emoji(win, services, two_workers):  # noqa: F811
    view = open_first(win, services, two_workers)
    view.identity.insz.setText("12.34.56-789.00")
    assert not view.save()
    assert "INSZ" in view.identity.fields["insz"].error.text()
    view.identity.insz.setText("")
    view.identity.first_names.setText("Anna 😀 Zoë")
    view.identity.diploma.setText("é" * 5000)
    assert view.save()
    w = services.workers.get(two_workers[1].id)
    assert w.first_names == "Anna 😀 Zoë" and w.highest_diploma == "é" * 5000


@pytest.mark.parametrize("text", ["31/02/2026", "morgen", "😀", "1/1/2026; 45/45/45"])
def test_plan_editor_refuses_bad_follow_up_dates(qtbot, services, text):
    from gui.plan_editor import PlanEditor
    d = services.dossiers.add(Dossier("X"))
    w = services.workers.add(Worker("Maes", "An", dossier_id=d.id))
    services.plans.save(TrajectoryPlan(w.id, followups=[dt.date(2026, 3, 1)]))
    editor = PlanEditor(services.plans, QUndoStack())
    qtbot.addWidget(editor)
    editor.load(w.id)
    editor.followups.setText(text)
    assert not editor.save()
    assert editor.followup_error.text()
    assert services.plans.latest(w.id).followups == [dt.date(2026, 3, 1)]


def test_plan_editor_refuses_a_follow_up_moment_before_the_plan_date(qtbot, services):
    from gui.plan_editor import PlanEditor
    d = services.dossiers.add(Dossier("Busbouw NV"))
    w = services.workers.add(Worker("Verhaegen", "Jan", dossier_id=d.id))
    editor = PlanEditor(services.plans, QUndoStack())
    editor.today = lambda: dt.date(2026, 11, 28)
    qtbot.addWidget(editor)
    editor.load(w.id)
    assert editor.create_plan()
    editor.followups.setText("1/1/2020; 15/12/2026")
    assert not editor.save()
    assert editor.followup_error.text() == ("Opvolgmoment 01/01/2020 ligt vóór de datum van het plan (28/11/2026). "
                                            "Kies een datum vanaf 28/11/2026.")
    assert services.plans.latest(w.id) is None
    editor.followups.setText("28/11/2026; 15/12/2026")
    assert editor.save()
    assert services.plans.latest(w.id).followups == [dt.date(2026, 11, 28), dt.date(2026, 12, 15)]
    # a later version keeps the moments it copied, but a new one before its date is refused
    editor.today = lambda: dt.date(2027, 1, 10)
    services.plans.mark_printed(editor.plan.id)
    editor.load(w.id)
    editor.new_version()
    editor.plan.created = "2027-01-10T09:00:00.000000Z"
    editor.agreements.setPlainText("Nieuwe afspraken.")
    assert editor.save() and services.plans.latest(w.id).followups == [dt.date(2026, 11, 28), dt.date(2026, 12, 15)]
    editor.plan.created = "2027-01-10T09:00:00.000000Z"          # stored today; the test's clock says 10/01/2027
    editor.followups.setText("15/12/2026; 20/12/2026; 15/02/2027")
    assert not editor.save() and "20/12/2026" in editor.followup_error.text()


def test_the_postcode_message_is_shown_in_full(win, qtbot, services, two_workers):  # noqa: F811
    view = open_first(win, services, two_workers)
    view.identity.postcode.setText("25000")
    assert not view.save()
    qtbot.wait(50)
    box = view.identity.fields["postcode"]
    label = box.error
    assert label.isVisible() and label.text() == "Postcode moet uit 4 cijfers bestaan (1000-9999)."
    assert box.maximumWidth() == 70 and view.identity.postcode.width() <= 70      # the field stays narrow
    # the message is not squeezed into the field's 70 pixels: it fits on its row
    needed = label.fontMetrics().horizontalAdvance(label.text())
    assert label.width() >= min(needed, 300) and label.width() > 70
    assert label.height() >= label.heightForWidth(label.width())
