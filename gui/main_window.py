"""The main window: dossiers on the left; on the right the workers and the to-do list of the chosen
dossier, or the worker view of one worker (intake, matching, plan, follow-up)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListView,
                               QMainWindow, QMessageBox, QPushButton, QSplitter, QStackedWidget, QTabWidget,
                               QTableView, QVBoxLayout, QWidget)

from core.version import __version__
from gui.dossier_form import DossierDialog
from gui.dossier_match import DossierMatcher, best_per_worker
from gui.models import ROW_ROLE, DossierListModel, WorkerTableModel
from gui.services import Services
from gui.tasks import TaskRunner
from gui.todo_view import TodoView
from gui.worker_view import WorkerView

PAGE_EMPTY, PAGE_DOSSIER, PAGE_WORKER = range(3)


class MainWindow(QMainWindow):
    dossier_changed = Signal(int)
    worker_saved = Signal(int)

    def __init__(self, services: Services, parent=None):
        super().__init__(parent)
        self.services = services
        self.tasks = TaskRunner(self)
        self.current_dossier_id: int | None = None
        self.matcher = services.extra.get("matching")
        self.rules = services.extra.get("cell_rules") or _reference_rules()
        self.setWindowTitle(self.tr("Werkbrug"))
        self.resize(1280, 760)
        self.menus: dict[str, object] = {}
        self._build_actions()
        from gui.reference_menu import install_reference_menu
        install_reference_menu(self)
        self._build_ui()
        self.refresh_dossiers()

    # -- construction ------------------------------------------------------------------------------
    def _action(self, text: str, shortcut=None, slot=None) -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if slot:
            act.triggered.connect(slot)
        return act

    def _build_actions(self) -> None:
        self.act_new_dossier = self._action(self.tr("Nieuw &dossier…"), "Ctrl+Shift+N", self.new_dossier)
        self.act_edit_dossier = self._action(self.tr("Dossier &bewerken…"), None, self.edit_dossier)
        self.act_new_worker = self._action(self.tr("Nieuwe &werknemer…"), QKeySequence.StandardKey.New, self.new_worker)
        self.act_edit_worker = self._action(self.tr("Werknemer &openen…"), "Return", self.edit_worker)
        self.act_match_all = self._action(self.tr("&Match alle werknemers"), "Ctrl+Shift+M", self.match_all)
        self.act_todo = self._action(self.tr("&Te doen"), "Ctrl+T", self.show_todo)
        self.act_search = self._action(self.tr("&Zoeken"), QKeySequence.StandardKey.Find, self._focus_search)
        self.act_quit = self._action(self.tr("&Afsluiten"), QKeySequence.StandardKey.Quit, self.close)
        self.act_about = self._action(self.tr("&Over Werkbrug"), None, self.about)
        bar = self.menuBar()
        m_file = bar.addMenu(self.tr("&Bestand"))
        m_file.addActions([self.act_new_dossier, self.act_edit_dossier])
        m_file.addSeparator()
        self.menus["file_extra_anchor"] = m_file.addSeparator()
        m_file.addAction(self.act_quit)
        m_workers = bar.addMenu(self.tr("&Werknemers"))
        m_workers.addActions([self.act_new_worker, self.act_edit_worker, self.act_search])
        m_workers.addSeparator()
        m_workers.addActions([self.act_match_all, self.act_todo])
        m_help = bar.addMenu(self.tr("&Help"))
        m_help.addAction(self.act_about)
        self.menus.update(file=m_file, workers=m_workers, help=m_help)

    def _build_ui(self) -> None:
        # left: dossiers
        self.dossier_model = DossierListModel(self)
        self.dossier_view = QListView()
        self.dossier_view.setModel(self.dossier_model)
        self.dossier_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dossier_view.setAccessibleName(self.tr("Dossiers"))
        self.dossier_view.selectionModel().currentChanged.connect(self._dossier_selected)
        self.dossier_view.doubleClicked.connect(lambda *_: self.edit_dossier())
        btn_new_dossier = QPushButton(self.tr("Nieuw dossier"))
        btn_new_dossier.clicked.connect(self.new_dossier)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(6, 6, 0, 6)
        title = QLabel(self.tr("<b>Dossiers</b>"))
        ll.addWidget(title)
        ll.addWidget(self.dossier_view)
        ll.addWidget(btn_new_dossier)

        # right: workers
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoek op naam, INSZ, functie, gemeente of status…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoeken"))
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)        # Down / PageDown: on to the results
        self.worker_model = WorkerTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.worker_model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(WorkerTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)       # Tab leaves the table; the arrows walk the rows
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((0, 150), (1, 120), (2, 120), (3, 170), (4, 120), (5, 110)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda *_: self.edit_worker())
        self.act_edit_worker.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(self.act_edit_worker)
        self.search.addAction(self.act_edit_worker)
        self.table.setAccessibleName(self.tr("Werknemers"))
        self.dossier_title = QLabel()
        self.dossier_title.setTextFormat(Qt.TextFormat.RichText)
        btn_new_worker = QPushButton(self.tr("Nieuwe werknemer"))
        btn_new_worker.clicked.connect(self.new_worker)
        self.btn_match_all = QPushButton(self.tr("Match alle werknemers"))
        self.btn_match_all.clicked.connect(self.match_all)
        self.worker_buttons = QHBoxLayout()
        self.worker_buttons.addWidget(self.dossier_title, 1)
        self.worker_buttons.addWidget(self.btn_match_all)
        self.worker_buttons.addWidget(btn_new_worker)
        workers_page = QWidget()
        wl = QVBoxLayout(workers_page)
        wl.setContentsMargins(0, 6, 6, 6)
        wl.addLayout(self.worker_buttons)
        wl.addWidget(self.search)
        wl.addWidget(self.table)

        # empty state: the beheerder of a brand-new database may look at a demo dossier first; anyone else
        # sees no dossier because none is assigned to them, and a demo would land in the shared database
        empty = QWidget()
        el = QVBoxLayout(empty)
        el.addStretch(1)
        self.empty_message = msg = QLabel()
        msg.setWordWrap(True)
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        el.addWidget(msg)
        row = QHBoxLayout()
        row.addStretch(1)
        self.btn_demo = QPushButton(self.tr("&Demodossier aanmaken"))
        self.btn_demo.clicked.connect(self.create_demo)
        btn_first = QPushButton(self.tr("Nieuw &dossier…"))
        btn_first.clicked.connect(self.new_dossier)
        row.addWidget(self.btn_demo)
        row.addWidget(btn_first)
        row.addStretch(1)
        el.addLayout(row)
        el.addStretch(2)
        self._update_empty_page()

        self.todo = TodoView(self.services, self.rules, runner=self.tasks)
        self.todo.open_worker.connect(self.open_worker)
        self.dossier_tabs = QTabWidget()
        self.dossier_tabs.addTab(workers_page, self.tr("Werknemers"))
        self.dossier_tabs.addTab(self.todo, self.tr("Te doen"))
        self.dossier_tabs.currentChanged.connect(self._dossier_tab_changed)
        self.worker_view = WorkerView(self.services, self.tasks, self.matcher, self.rules)
        self.worker_view.back_requested.connect(self.close_worker)
        self.worker_view.saved.connect(self._worker_view_saved)
        self.worker_view.plan.on_print = self.print_plan
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.dossier_tabs)
        self.stack.addWidget(self.worker_view)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([210, 1050])
        self.setCentralWidget(split)
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.dossier_match = DossierMatcher(self, self.services, self.tasks, self.matcher)
        self.dossier_match.finished.connect(self._dossier_matched)
        self.dossier_match.running_changed.connect(lambda on: self.act_match_all.setEnabled(not on))
        if self.services.db_path:
            self.statusBar().showMessage(self.tr("Database: {pad}").format(pad=self.services.db_path), 8000)

    # -- dossiers ----------------------------------------------------------------------------------
    def refresh_dossiers(self, select_id: int | None = None) -> None:
        rows = self.services.dossiers.summaries()
        keep = select_id if select_id is not None else self.current_dossier_id
        self.dossier_model.set_rows(rows)
        if self.stack.currentIndex() != PAGE_WORKER or not rows:
            self.stack.setCurrentIndex(PAGE_DOSSIER if rows else PAGE_EMPTY)
        if not rows:
            self._update_empty_page()
            self.current_dossier_id = None
            self.worker_model.set_rows([])
            self._update_count()
            return
        row = self.dossier_model.row_of(keep) if keep is not None else -1
        self.dossier_view.selectionModel().setCurrentIndex(
            self.dossier_model.index(max(row, 0)), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _dossier_selected(self, current, previous=None) -> None:
        d = current.data(ROW_ROLE) if current.isValid() else None
        if d is None:
            return
        if d.id != self.current_dossier_id and self.stack.currentIndex() == PAGE_WORKER:
            if not self.worker_view.maybe_leave():      # unsaved changes: stay on the worker
                sm = self.dossier_view.selectionModel()
                sm.blockSignals(True)
                sm.setCurrentIndex(previous, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                sm.blockSignals(False)
                return
            self.stack.setCurrentIndex(PAGE_DOSSIER)
        self.current_dossier_id = d.id
        self.dossier_title.setText(f"<b>{d.company_name}</b>")
        self.refresh_workers()
        self.dossier_changed.emit(d.id)

    def new_dossier(self) -> None:
        dlg = DossierDialog(self.services.dossiers, parent=self)
        if dlg.exec():
            self.refresh_dossiers(dlg.dossier.id)

    def edit_dossier(self) -> None:
        if self.current_dossier_id is None:
            return
        dlg = DossierDialog(self.services.dossiers, self.services.dossiers.get(self.current_dossier_id), parent=self)
        if dlg.exec():
            self.refresh_dossiers(self.current_dossier_id)

    def _principal(self):
        return getattr(self.services.workers, "principal", None)

    def may_create_demo(self) -> bool:
        """Only the beheerder, and only while the database holds no dossier at all (the beheerder sees every
        dossier): demo workers never mix with a cell's real ones. None is the system (no sign-in)."""
        principal = self._principal()
        return (principal is None or principal.manages_accounts) and not self.dossier_model.rowCount()

    def _update_empty_page(self) -> None:
        principal = self._principal()
        if principal is not None and not principal.sees_all_dossiers:
            text = self.tr("<h2>Welkom bij Werkbrug</h2><p>Er zijn nog geen dossiers aan jou toegewezen; vraag het "
                           "aan je beheerder of celcoördinator.</p><p>Start je zelf een nieuwe tewerkstellingscel, "
                           "maak dan een dossier aan.</p>")
        elif self.may_create_demo():
            text = self.tr("<h2>Welkom bij Werkbrug</h2><p>Er zijn nog geen dossiers. Maak een dossier aan voor "
                           "een sluiting of herstructurering, of bekijk eerst een demodossier met fictieve "
                           "werknemers.</p>")
        else:
            text = self.tr("<h2>Welkom bij Werkbrug</h2><p>Er zijn nog geen dossiers. Maak een dossier aan voor "
                           "een sluiting of herstructurering.</p>")
        self.empty_message.setText(text)
        self.btn_demo.setVisible(self.may_create_demo())

    def create_demo(self) -> None:
        if not self.may_create_demo():
            return
        from cli.cmd_demo import create_demo
        dossier_id, n = create_demo(self.services.db, 120)
        self.refresh_dossiers(dossier_id)
        text = self.tr("Demodossier aangemaakt met 1 fictieve werknemer.") if n == 1 else \
            self.tr("Demodossier aangemaakt met {n} fictieve werknemers.")
        self.statusBar().showMessage(text.format(n=n), 6000)

    # -- workers -----------------------------------------------------------------------------------
    def refresh_workers(self, select_id: int | None = None) -> None:
        if self.current_dossier_id is None:
            return
        self.worker_model.set_rows(self.services.workers.summaries(self.current_dossier_id))
        best = best_per_worker(self.services.db, self.current_dossier_id)
        if best:
            self.worker_model.update_best(best)
        self._update_count()
        if self.dossier_tabs.currentWidget() is self.todo:
            self.todo.set_dossier(self.current_dossier_id)
        else:
            self.todo.dossier_id = None     # computed when the tab is shown
        if select_id is not None:
            row = self.worker_model.row_of(select_id)
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.worker_model.index(row, 0))

    def _filter(self, text: str) -> None:
        keep = self.current_worker_id()
        self.worker_model.set_filter(text)
        self._update_count()
        # the model was reset: make a row current again, so Enter (or Down, then Enter) opens it. While
        # searching that is the first hit; with the search emptied, the worker that was current, if any.
        row = 0 if text.strip() or keep is None else max(self.worker_model.row_of(keep), 0)
        if self.worker_model.rowCount():
            self._make_current(row)

    def _make_current(self, row: int) -> None:
        index = self.worker_model.index(row, WorkerTableModel.COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.worker_model.rowCount():
            if not self.table.currentIndex().isValid():
                self._make_current(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(obj, event)

    def _update_count(self) -> None:
        shown, total = self.worker_model.rowCount(), self.worker_model.total
        if shown != total:
            text = self.tr("{shown} van 1 werknemer") if total == 1 else self.tr("{shown} van {total} werknemers")
        else:
            text = self.tr("1 werknemer") if total == 1 else self.tr("{total} werknemers")
        self.count_label.setText(text.format(shown=shown, total=total))

    def _focus_search(self) -> None:
        if not self.close_worker():
            return
        self.dossier_tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def selected_worker_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [w.id for w in (self.worker_model.worker_at(r) for r in rows) if w]

    def current_worker_id(self) -> int | None:
        idx = self.table.currentIndex()
        w = self.worker_model.worker_at(idx.row()) if idx.isValid() else None
        return w.id if w else None

    def new_worker(self) -> None:
        if self.current_dossier_id is None:
            QMessageBox.information(self, self.tr("Geen dossier"), self.tr("Maak of kies eerst een dossier."))
            return
        if self.stack.currentIndex() == PAGE_WORKER and not self.worker_view.maybe_leave():
            return
        self.worker_view.new_worker(self.services.dossiers.get(self.current_dossier_id))
        self.stack.setCurrentIndex(PAGE_WORKER)
        self.worker_view.identity.surname.setFocus()

    def edit_worker(self) -> None:
        wid = self.current_worker_id()
        if wid is not None:
            self.open_worker(wid)

    def open_worker(self, worker_id: int) -> bool:
        """Show one worker in the worker view; asks first when the open one has unsaved changes."""
        if self.stack.currentIndex() == PAGE_WORKER:
            if self.worker_view.worker.id == worker_id:
                return True
            if not self.worker_view.maybe_leave():
                return False
        # view() writes the read to the audit trail (who looked at which worker, and when)
        worker = self.services.workers.view(worker_id)
        dossier = self.services.dossiers.get(worker.dossier_id) if worker.dossier_id is not None else None
        self.worker_view.open_worker(worker, dossier)
        self.stack.setCurrentIndex(PAGE_WORKER)
        self.worker_view.tabs.currentWidget().setFocus()
        return True

    def close_worker(self) -> bool:
        if self.stack.currentIndex() != PAGE_WORKER:
            return True
        if not self.worker_view.maybe_leave():
            return False
        wid = self.worker_view.worker.id
        self.stack.setCurrentIndex(PAGE_DOSSIER)
        self.refresh_workers(wid)
        if self.dossier_tabs.currentWidget() is self.todo:
            self.todo.refresh()
        else:
            self.table.setFocus()
        return True

    def _worker_view_saved(self, worker_id: int) -> None:
        self._refresh_best(worker_id)
        self.refresh_dossiers(self.current_dossier_id)
        self.refresh_workers(worker_id)
        self.worker_saved.emit(worker_id)

    def _refresh_best(self, worker_id: int) -> None:
        """The saved worker's stored best occupations follow the saved profile (one worker ranks in a few
        milliseconds); cleared when that cannot be done, so the list never shows the old profile's best."""
        from gui.dossier_match import match_results_repository
        repo = match_results_repository(self.services.db)
        worker = self.worker_view.worker
        if repo is None or worker.id != worker_id:
            return
        try:
            matcher = getattr(self.matcher, "current", self.matcher)
        except Exception:  # noqa: BLE001 - the engine cannot be built: the stored ranking is cleared
            matcher = None
        try:
            repo.refresh(worker, matcher)
        except Exception:  # noqa: BLE001 - the worker is saved; an old database without the results table
            import logging
            logging.getLogger("werkbrug.gui.main_window").exception("refreshing the best occupations failed")

    def show_todo(self) -> None:
        if self.current_dossier_id is not None and self.close_worker():
            self.dossier_tabs.setCurrentWidget(self.todo)
            self.todo.view.setFocus()

    def _dossier_tab_changed(self, _index: int) -> None:
        if self.dossier_tabs.currentWidget() is self.todo and self.todo.dossier_id != self.current_dossier_id:
            self.todo.set_dossier(self.current_dossier_id)

    # -- matching and printing ---------------------------------------------------------------------
    def matching_unavailable(self) -> None:
        """The matching engine could not be built after start-up: switch matching off everywhere
        it is held, as if it had been missing from the start, and say so."""
        service = self.matcher
        self.matcher = None
        self.services.extra.pop("matching", None)
        self.dossier_match.matcher = None
        for obj in [self.worker_view, *self.worker_view.findChildren(QObject)]:
            if service is not None and getattr(obj, "matcher", None) is service:
                if hasattr(obj, "matching_unavailable"):
                    obj.matching_unavailable()
                else:
                    obj.matcher = None
        self.statusBar().showMessage(self.tr("Matching is niet beschikbaar: de referentiegegevens konden niet "
                                             "gelezen worden. De details staan in het logboek."))

    def match_all(self) -> None:
        self.dossier_match.start(self.current_dossier_id)

    def _dossier_matched(self, dossier_id: int, best: dict) -> None:
        if dossier_id == self.current_dossier_id:
            self.worker_model.update_best(best)

    def print_plan(self, plan_id: int) -> None:
        from gui.plan_editor import open_plan_preview
        open_plan_preview(self, self.services, plan_id, self.rules, self.worker_view.plan.printed)

    # -- misc --------------------------------------------------------------------------------------
    def about(self) -> None:
        QMessageBox.about(self, self.tr("Over Werkbrug"), self.tr(
            "<h3>Werkbrug {versie}</h3><p>De werkbank van de consulent in de tewerkstellingscel: van intake "
            "tot trajectplan, op weg naar een knelpuntberoep.</p>").format(versie=__version__))

    def leave_for_restart(self) -> bool:
        """Before the database is replaced under the window (a renewal of its key): unsaved changes of the
        open worker are saved or dropped by the counsellor (False: stay), background work is stopped."""
        if self.stack.currentIndex() == PAGE_WORKER and not self.worker_view.maybe_leave():
            return False
        self.tasks.shutdown()
        return True

    def closeEvent(self, event) -> None:
        if self.stack.currentIndex() == PAGE_WORKER and not self.worker_view.maybe_leave():
            event.ignore()
            return
        self.tasks.shutdown()
        super().closeEvent(event)


def _reference_rules():
    """Cell rules from the reference data when it can be read, else the built-in defaults."""
    from core.plan_text import reference_rules
    return reference_rules()
