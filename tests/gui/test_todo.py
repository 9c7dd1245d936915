"""The dossier's to-do list and the print hook of the plan editor."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core.model import Certificate, Contact, Dossier, TrajectoryPlan, Worker
from gui.main_window import PAGE_WORKER
from gui.todo_view import TodoModel, TodoView

TODAY = dt.date.today()


@pytest.fixture
def dossier(services):
    d = services.dossiers.add(Dossier("Ford Genk", announcement_date=TODAY - dt.timedelta(days=60)))
    quiet = services.workers.add(Worker("Claes", "Kris", dossier_id=d.id, birth_date=dt.date(1980, 1, 1),
                                        dismissal_date=TODAY - dt.timedelta(days=50)))
    services.workers.add_contact(quiet.id, Contact(TODAY - dt.timedelta(days=45), hours=22))
    cert = services.workers.add(Worker("Dubois", "Dirk", dossier_id=d.id, status="aan het werk",
                                       certificates=[Certificate("VCA", "VCA basis",
                                                                 expiry_date=TODAY + dt.timedelta(days=20))]))
    signed = services.workers.add(Worker("Evers", "Els", dossier_id=d.id, status="aan het werk"))
    plan = services.plans.save(TrajectoryPlan(worker_id=signed.id))
    services.plans.mark_printed(plan.id)
    return d, quiet, cert, signed


def test_todo_lists_each_kind_and_opens_the_worker(qtbot, services, dossier, qtmodeltester):
    d, quiet, cert, signed = dossier
    view = TodoView(services)
    qtbot.addWidget(view)
    view.set_dossier(d.id)
    qtmodeltester.check(view.model)
    by_worker = {(i.worker_id, i.kind) for i in view.model.rows}
    assert (quiet.id, "contact") in by_worker
    assert (cert.id, "attest") in by_worker
    assert (signed.id, "handtekening") in by_worker
    assert "3 taken" in view.summary.text() or "taken" in view.summary.text()
    # filter on one kind
    view.kind.setCurrentIndex(view.kind.findData("attest"))
    assert [i.worker_id for i in view.model.rows] == [cert.id]
    assert view.kind.currentText().endswith("(1)")
    view.kind.setCurrentIndex(0)
    # Enter opens the worker
    opened = []
    view.open_worker.connect(opened.append)
    view.show()
    view.view.setFocus()
    row = next(r for r, i in enumerate(view.model.rows) if i.worker_id == signed.id)
    view.view.setCurrentIndex(view.model.index(row, 0))
    qtbot.keyClick(view.view, Qt.Key.Key_Return)
    assert opened == [signed.id]


def test_todo_model_colours_urgent_items(qtmodeltester):
    from core.followup import TodoItem
    model = TodoModel()
    model.set_items([TodoItem("attest", 1, "An Aerts", "Attest VCA is vervallen.", TODAY, True),
                     TodoItem("contact", 2, "Bart Baert", "Nog geen contact geregistreerd.", None, False)])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#b00020"
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, 3).data() == ""


def test_todo_tab_in_the_main_window(window, qtbot, services, dossier):
    d, quiet, _, _ = dossier
    window.refresh_dossiers(d.id)
    with qtbot.waitSignal(window.todo.loaded, timeout=10000):
        window.show_todo()        # computed in the background
    assert window.dossier_tabs.currentWidget() is window.todo
    assert window.todo.model.rowCount() >= 3
    row = next(r for r, i in enumerate(window.todo.model.rows) if i.worker_id == quiet.id)
    window.todo.view.activated.emit(window.todo.model.index(row, 1))
    assert window.stack.currentIndex() == PAGE_WORKER and window.worker_view.worker.id == quiet.id


def test_print_hook_opens_the_preview_and_freezes_the_plan(window, qtbot, services, dossier, monkeypatch):
    import gui.plan_preview as preview
    d, quiet, _, _ = dossier
    shown = []

    def fake_exec(dlg):
        shown.append((dlg.page_count(), dlg.windowTitle()))
        dlg._on_printed()                # as after a successful print
        return 1
    monkeypatch.setattr(preview.PlanPreviewDialog, "exec", fake_exec)
    window.refresh_dossiers(d.id)
    window.open_worker(quiet.id)
    pe = window.worker_view.plan
    assert pe.create_plan()
    pe.agreements.setPlainText("Elke week twee sollicitaties.")
    qtbot.mouseClick(pe.btn_print, Qt.MouseButton.LeftButton)     # saves the concept, then previews
    plan = services.plans.latest(quiet.id)
    assert shown and shown[0][0] >= 1 and "Kris Claes" in shown[0][1]
    assert plan.frozen and plan.agreements == "Elke week twee sollicitaties."
    assert pe.banner.isVisibleTo(pe) and pe.agreements.isReadOnly()
    assert not window.worker_view.is_dirty()


@pytest.mark.parametrize("for_signing", [True, False])
def test_save_as_pdf_for_signing_freezes_the_plan(window, qtbot, services, dossier, monkeypatch, tmp_path,
                                                  for_signing):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog
    import gui.plan_preview as preview
    d, quiet, _, _ = dossier
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(preview.PlanPreviewDialog, "ask_for_signing", lambda self: for_signing)
    monkeypatch.setattr(preview.PlanPreviewDialog, "exec", lambda dlg: dlg.save_as() and 1)
    window.refresh_dossiers(d.id)
    window.open_worker(quiet.id)
    pe = window.worker_view.plan
    assert pe.create_plan()
    pe.agreements.setPlainText("Elke week twee sollicitaties.")
    qtbot.mouseClick(pe.btn_print, Qt.MouseButton.LeftButton)
    plan = services.plans.latest(quiet.id)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert plan.agreements == "Elke week twee sollicitaties."
    if for_signing:
        assert plan.frozen and pe.agreements.isReadOnly()
        assert "afgedrukt, te ondertekenen" in text and "concept" not in text
    else:
        assert not plan.frozen and not pe.agreements.isReadOnly()
        assert "concept" in text and "te ondertekenen" not in text
