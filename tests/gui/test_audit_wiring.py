"""Opening a worker in the window is a read written to the audit trail; the plan editor carries the
explicit choice to print health data."""
from core.model import Dossier, FunctionalLimitation, TrajectoryPlan, Worker
from db.accounts import bind
from db.audit import AuditLog


def test_opening_a_worker_is_logged(qtbot, services):
    audit = AuditLog(services.db, "consulent-an")
    bind(services.db, None, audit)
    from gui.main_window import MainWindow
    from gui.services import Services
    s = Services.from_db(services.db, services.db_path, matching=False)
    d = s.dossiers.add(Dossier("X"))
    w = s.workers.add(Worker("Peeters", "Jan", dossier_id=d.id, limitations=[FunctionalLimitation("tillen")]))
    window = MainWindow(s)
    qtbot.addWidget(window)
    before = audit.count()
    window.refresh_dossiers(d.id)
    assert window.open_worker(w.id)
    views = [e for e in audit.entries() if e.action == "view" and str(e.entity_id) == str(w.id)]
    assert audit.count() > before and views
    window.worker_view.maybe_leave = lambda *a, **k: True
    window.close()


def test_plan_editor_keeps_the_print_limitations_choice(qtbot, services):
    from gui.plan_editor import PlanEditor
    d = services.dossiers.add(Dossier("X"))
    w = services.workers.add(Worker("Maes", "An", dossier_id=d.id))
    services.plans.save(TrajectoryPlan(w.id))
    from PySide6.QtGui import QUndoStack
    editor = PlanEditor(services.plans, QUndoStack())
    qtbot.addWidget(editor)
    editor.load(w.id)
    assert not editor.print_limitations.isChecked()
    editor.print_limitations.setChecked(True)
    assert editor.is_dirty()
    assert editor.save()
    assert services.plans.latest(w.id).print_limitations is True
