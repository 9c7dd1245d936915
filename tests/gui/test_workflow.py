"""The counsellor's day in one test path: dossier, worker by keyboard, competences with suggestions,
ranking, targets, plan, printing and a new version, a contact, the to-do list, the dossier match."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from core.model import PlanStatus
from gui.dossier_form import DossierDialog
from gui.main_window import PAGE_DOSSIER, PAGE_WORKER
from gui.matching_view import MatchTableModel
from gui.worker_view import TAB_COMPETENCES, TAB_FOLLOWUP, TAB_MATCHING, TAB_PLAN
from tests.gui.test_workflow_support import FakeMatcher, shown_main_window


@pytest.fixture
def mwindow(qtbot, services, monkeypatch):
    services.extra["matching"] = FakeMatcher()
    with shown_main_window(qtbot, services) as w:
        yield w


def ctrl(qtbot, widget, key):
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


def focused():
    return QApplication.focusWidget()


def test_whole_workflow(mwindow, qtbot, services, monkeypatch):
    w = mwindow
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: infos.append(a[2]))

    # a new dossier
    dlg = DossierDialog(services.dossiers, parent=w)
    qtbot.addWidget(dlg)
    dlg.company.setText("Metaalbouw Lier NV")
    dlg.announced.setText(dt.date.today().replace(day=1).strftime("%d/%m/%Y"))
    dlg.save()
    w.refresh_dossiers(dlg.dossier.id)
    assert w.stack.currentIndex() == PAGE_DOSSIER

    # a worker, by keyboard only
    ctrl(qtbot, w.table, Qt.Key.Key_N)
    assert w.stack.currentIndex() == PAGE_WORKER
    view = w.worker_view
    assert focused() is view.identity.surname
    qtbot.keyClicks(focused(), "Peeters")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Jan")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is view.identity.insz
    qtbot.keyClicks(focused(), "85.07.30-033.28")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)                 # INSZ fills the birth date
    assert view.identity.birth.text() == "30/07/1985"
    view.identity.previous_job.setText("Lasser")
    assert view.is_dirty()
    with qtbot.waitSignal(view.saved, timeout=3000):
        ctrl(qtbot, focused(), Qt.Key.Key_S)
    wid = view.worker.id
    assert services.workers.get(wid).surname == "Peeters"
    assert not view.is_dirty()

    # competences: suggestions while typing, Enter takes the highlighted one
    ctrl(qtbot, focused(), Qt.Key.Key_3)
    assert view.tabs.currentIndex() == TAB_COMPETENCES
    box = view.competences.input
    box.setFocus()
    qtbot.keyClicks(box, "mig")
    assert [s.competence_id for s in box.model.rows] == ["c_mig"]
    popup = box.completer_.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    popup.setCurrentIndex(box.completer_.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    items = view.competences.table.model.items
    assert [(c.text, c.competence_id) for c in items] == [("mig", "c_mig")]
    # an unknown phrase is kept as typed, marked "niet herkend"
    box.setText("bloemschikken")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert items[-1].text == "bloemschikken" and items[-1].competence_id == ""
    model = view.competences.table.model
    assert model.index(1, 1).data() == "niet herkend"
    # the previous job suggests its competences as a checklist
    view.competences.refresh_sources()
    labels = [view.competences.source_list.item(i).text() for i in range(view.competences.source_list.count())]
    assert len(labels) == 2 and all("(uit: Lasser)" in t for t in labels)      # MIG/MAG already there
    view.competences.source_list.item(1).setCheckState(Qt.CheckState.Unchecked)  # drop "slijpen"
    assert view.competences.accept_sources() == 1
    assert {c.competence_id for c in items} == {"c_mig", "c_plan", ""}
    # undo the accepted suggestion, redo it
    view.undo.undo()
    assert len(items) == 2
    view.undo.redo()
    assert len(items) == 3

    # a certificate that expires soon is flagged orange
    cert = view.certificates.table
    cert.inputs["label"].setText("VCA basis")
    cert.inputs["expiry_date"].setText((dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y"))
    qtbot.keyClick(cert.inputs["expiry_date"], Qt.Key.Key_Return)
    assert cert.model.index(0, 3).data() == "vervalt binnen 30 dagen"
    assert cert.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#b35900"

    # ranking in the background
    ctrl(qtbot, view.tabs, Qt.Key.Key_6)
    assert view.tabs.currentIndex() == TAB_MATCHING
    mv = view.matching
    qtbot.waitUntil(lambda: mv.model.rowCount() == 5, timeout=3000)
    assert mv.model.rows[0].occupation_id == "o_lasser" and mv.model.rows[0].score == 0.8
    assert "„mig”" in mv.details.toPlainText()                   # the phrase that matched
    # filters: sector and reason
    mv.sector.setCurrentIndex(mv.sector.findData("metaal"))
    assert mv.proxy.rowCount() == 2
    mv.sector.setCurrentIndex(0)
    mv.reason_boxes["KWANT"].setChecked(False)
    mv.reason_boxes["KWAL"].setChecked(False)
    assert {mv.proxy.index(r, 1).data() for r in range(mv.proxy.rowCount())} == {"Elektromecanicien", "Procesoperator"}
    for b in mv.reason_boxes.values():
        b.setChecked(True)
    # pick targets: a fourth is refused
    pick = lambda row: mv.model.setData(mv.model.index(row, MatchTableModel.COL_PICK), Qt.CheckState.Checked.value,
                                        Qt.ItemDataRole.CheckStateRole)
    assert pick(0) and pick(1) and pick(2)
    assert not pick(3)
    assert infos and "drie" in infos[-1]
    assert len(mv.model.checked) == 3
    mv.model.setData(mv.model.index(2, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)

    # the plan: targets and suggested trainings
    qtbot.mouseClick(mv.btn_plan, Qt.MouseButton.LeftButton)
    assert view.tabs.currentIndex() == TAB_PLAN
    pe = view.plan
    assert [t.occupation_id for t in pe.targets.model.items] == [m.occupation_id for m in mv.model.checked_matches()]
    prefilled = {a.training_id for a in pe.actions.model.items}
    assert prefilled and prefilled <= {"t_cnc", "t_pneu", "t_vca", "t_heftruck"}
    # edit a suggested action and add one by keyboard
    am = pe.actions.model
    assert am.setData(am.index(0, 2), "VDAB Mechelen")
    pe.actions.inputs["kind"].setCurrentIndex(pe.actions.inputs["kind"].findData("sollicitatietraining"))
    pe.actions.inputs["description"].setFocus()
    qtbot.keyClicks(pe.actions.inputs["description"], "Sollicitatietraining in groep")
    qtbot.keyClicks(pe.actions.inputs["start_date"], "1/9/2025")
    qtbot.keyClick(pe.actions.inputs["start_date"], Qt.Key.Key_Return)
    assert am.items[-1].description == "Sollicitatietraining in groep"
    assert am.items[-1].start_date == dt.date(2025, 9, 1)
    pe.agreements.setPlainText("Jan solliciteert elke week bij twee werkgevers.")
    moments = [dt.date.today() + dt.timedelta(days=20), dt.date.today() + dt.timedelta(days=50)]
    pe.followups.setText("; ".join(d.strftime("%d/%m/%Y") for d in moments))   # none before the plan's date
    assert view.is_dirty()
    ctrl(qtbot, pe.agreements, Qt.Key.Key_S)
    plan = services.plans.latest(wid)
    assert plan.version == 1 and plan.status is PlanStatus.CONCEPT
    assert len(plan.targets) == 2 and plan.actions[0].provider == "VDAB Mechelen"
    assert plan.followups == moments
    assert not view.is_dirty()

    # print: the preview calls back, the plan is frozen; "Nieuwe versie" makes an editable copy
    printed = []
    pe.on_print = lambda pid: (printed.append(pid), pe.printed(pid))
    qtbot.mouseClick(pe.btn_print, Qt.MouseButton.LeftButton)
    assert printed == [plan.id]
    assert services.plans.get(plan.id).status is PlanStatus.AFGEDRUKT
    assert pe.actions.model.read_only and pe.banner.isVisibleTo(pe)
    assert not pe.actions.model.flags(pe.actions.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert services.plans.awaiting_signature(dlg.dossier.id) == [(wid, plan.id)]
    qtbot.mouseClick(pe.btn_new_version, Qt.MouseButton.LeftButton)
    assert pe.plan.version == 2 and not pe.actions.model.read_only
    assert services.plans.latest(wid).status is PlanStatus.CONCEPT

    # follow-up: a contact with Enter, hours count in the figures
    ctrl(qtbot, view.tabs, Qt.Key.Key_8)
    assert view.tabs.currentIndex() == TAB_FOLLOWUP
    fu = view.followup
    fu.hours.setValue(3)
    fu.note.setFocus()
    qtbot.keyClicks(fu.note, "Intakegesprek, cv overlopen")
    with qtbot.waitSignal(fu.contacts_changed, timeout=2000):
        qtbot.keyClick(fu.note, Qt.Key.Key_Return)
    assert [c.hours for c in services.workers.contacts(wid)] == [3.0]
    assert "<b>3</b>" in view.figures.hours.text()
    assert fu.summary.text().startswith("1 contact, samen 3 uur")
    # Enter in the empty line registers nothing
    qtbot.keyClick(fu.note, Qt.Key.Key_Return)
    assert len(services.workers.contacts(wid)) == 1 and "besproken" in fu.error.text()

    # back to the list; the to-do list opens the worker again
    qtbot.keyClick(view.tabs, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert w.stack.currentIndex() == PAGE_DOSSIER
    with qtbot.waitSignal(w.todo.loaded, timeout=10000):
        ctrl(qtbot, w.table, Qt.Key.Key_T)
    assert w.dossier_tabs.currentWidget() is w.todo
    kinds = {w.todo.model.rows[r].kind for r in range(w.todo.model.rowCount())}
    assert "attest" in kinds
    w.todo.view.setCurrentIndex(w.todo.model.index(0, 0))
    qtbot.keyClick(w.todo.view, Qt.Key.Key_Return)
    assert w.stack.currentIndex() == PAGE_WORKER and view.worker.id == wid


def test_match_all_workers_fills_the_best_column(mwindow, qtbot, services):
    from cli.cmd_demo import create_demo
    create_demo(services.db, 25)
    w = mwindow
    w.refresh_dossiers()
    assert w.act_match_all.isEnabled()
    with qtbot.waitSignal(w.dossier_match.finished, timeout=10000):
        w.match_all()
    assert not w.dossier_match.progress.isVisible()
    rows = [w.worker_model.worker_at(r) for r in range(w.worker_model.rowCount())]
    assert all(r.best_occupation for r in rows)
    assert all(0 <= r.best_score <= 1 for r in rows)
    assert w.act_match_all.isEnabled()


def test_match_all_can_be_cancelled(mwindow, qtbot, services):
    from cli.cmd_demo import create_demo
    import threading
    create_demo(services.db, 5)
    w = mwindow
    w.refresh_dossiers()
    gate = threading.Event()
    original = w.matcher.rank_dossier

    def slow(workers, progress, is_cancelled):
        gate.wait(5)
        return original(workers, progress, is_cancelled)
    w.matcher.rank_dossier = slow
    assert w.dossier_match.start(w.current_dossier_id)
    assert w.dossier_match.btn_cancel.isVisibleTo(w)
    w.dossier_match.btn_cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: not w.dossier_match.running, timeout=5000)
    assert not w.dossier_match.progress.isVisibleTo(w)
    assert all(not w.worker_model.worker_at(r).best_occupation for r in range(w.worker_model.rowCount()))


def open_demo_matching_tab(window, services):
    """A demo dossier, its first worker opened on the matching tab, which says matching is off."""
    from cli.cmd_demo import create_demo
    create_demo(services.db, 3)
    window.refresh_dossiers()
    window.table.selectRow(0)
    window.edit_worker()
    view = window.worker_view
    view.show_tab(TAB_MATCHING)
    assert "niet beschikbaar" in view.matching.status.text()
    assert not view.matching.btn_recompute.isEnabled()
    assert "niet geladen" in view.competences.feedback.text()
    return view


def test_without_matching_service_the_gui_explains(qtbot, services):
    from gui.main_window import MainWindow
    services.extra.pop("matching", None)
    window = MainWindow(services)
    qtbot.addWidget(window)
    view = open_demo_matching_tab(window, services)
    view.show_tab(TAB_PLAN)
    assert not view.plan.btn_create.isHidden() and view.plan.plan is None


def test_match_models_pass_the_model_tester(qtmodeltester):
    from core.model import Worker, WorkerCompetence
    from gui.matching_view import MatchFilter
    matches = FakeMatcher().rank(Worker("A", "B", competences=[WorkerCompetence("mig", "c_mig")]))
    model = MatchTableModel()
    model.set_rows(matches)
    qtmodeltester.check(model)
    proxy = MatchFilter()
    proxy.setSourceModel(model)
    proxy.set_filter("metaal", {"KWAL"}, True)
    qtmodeltester.check(proxy)
    assert {proxy.index(r, 1).data() for r in range(proxy.rowCount())} == {"Lasser MIG/MAG", "CNC-operator"}


def test_matching_that_fails_after_start_up_is_switched_off_everywhere(qtbot, services):
    from gui.main_window import MainWindow
    from gui.services import warm_matching

    class Broken:
        """A matching service whose reference data turns out unreadable when first built."""
        @property
        def current(self):
            raise RuntimeError("referentie kapot")

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            raise RuntimeError("referentie kapot")

    services.extra["matching"] = Broken()
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert not warm_matching(window.matcher)
    window.matching_unavailable()
    view = open_demo_matching_tab(window, services)
    assert view.competences.input.matcher is None and window.dossier_match.matcher is None
    assert "niet beschikbaar" in window.statusBar().currentMessage()
    # typing a competence no longer reaches the broken service
    view.competences.input.setText("lassen")
    view.competences.btn_add.click()
    assert view.undo.count() >= 1          # kept as typed, no error from the broken service
    while view.undo.canUndo():
        view.undo.undo()                   # leave no unsaved change behind (closing would ask)
    view.show_tab(TAB_PLAN)
    assert not view.plan.btn_create.isHidden()


def test_warm_matching_builds_a_working_service(services):
    from gui.services import warm_matching
    assert warm_matching(services.extra.get("matching")) is (services.extra.get("matching") is not None)
    assert warm_matching(None) is False
