"""The to-do list of a dossier: who needs a call, which follow-up moments of a plan are near or
missed, whose registration ends, whose hours lag behind, which certificates expire and which printed
plans still wait for a signature.

The list is computed in core/followup.py from data loaded in a few queries
(WorkerRepository.load_for_followup); Enter or a double click opens the worker.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from core.cell_rules import CellRules
from core.dates import format_date
from core.followup import TODO_KINDS, TodoItem, dossier_todo, kind_label
from gui.models import RowsTableModel

TODO_ROLE = Qt.ItemDataRole.UserRole + 5


class TodoModel(RowsTableModel):
    COL_KIND, COL_WORKER, COL_TEXT, COL_DATE = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.all: list[TodoItem] = []
        self.rows: list[TodoItem] = []
        self.kind = ""
        self._headers = [self.tr("Soort"), self.tr("Werknemer"), self.tr("Wat"), self.tr("Datum")]

    def set_items(self, items: list[TodoItem]) -> None:
        self.beginResetModel()
        self.all = list(items)
        self._apply()
        self.endResetModel()

    def set_kind(self, kind: str) -> None:
        self.beginResetModel()
        self.kind = kind
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        self.rows = [i for i in self.all if not self.kind or i.kind == self.kind]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        item = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (kind_label(item.kind), item.worker_name, item.text, format_date(item.due))[col]
        if role == Qt.ItemDataRole.ForegroundRole and item.urgent:
            return QColor("#b00020")
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TEXT:
            return item.text
        if role == TODO_ROLE:
            return item
        return None

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in TODO_KINDS}
        for i in self.all:
            out[i.kind] += 1
        return out


def compute_todo(db_path, principal, dossier_id: int, rules: CellRules, today: dt.date,
                 progress=None, is_cancelled=None) -> list[TodoItem]:
    """The to-do list of a dossier on a connection of its own (runs off the GUI thread), seen as
    ``principal`` sees the dossier."""
    from db.accounts import bind
    from db.connection import open_database
    from db.dossiers import DossierRepository
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    db = open_database(db_path, migrate_schema=False)
    try:
        bind(db, principal, None)
        dossier = DossierRepository(db).get(dossier_id)
        workers, contacts = WorkerRepository(db).load_for_followup(dossier_id)
        if is_cancelled and is_cancelled():
            return []
        plans = PlanRepository(db)
        awaiting = plans.awaiting_signature(dossier_id)
        return dossier_todo(workers, contacts, awaiting, dossier, rules, today,
                            plan_followups=plans.followups(dossier_id))
    finally:
        db.conn.close()


class TodoView(QWidget):
    open_worker = Signal(int)
    loaded = Signal()

    def __init__(self, services, rules: CellRules | None = None, today: Callable[[], dt.date] = dt.date.today,
                 parent=None, runner=None):
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.rules = rules or CellRules()
        self.today = today
        self.dossier_id: int | None = None
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Soort taak"))
        self.kind.currentIndexChanged.connect(lambda *_: self.model.set_kind(self.kind.currentData() or ""))
        kind_label_w = QLabel(self.tr("&Toon"))
        kind_label_w.setBuddy(self.kind)
        self.summary = QLabel()
        self.btn_refresh = QPushButton(self.tr("&Vernieuwen"))
        self.btn_refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(kind_label_w)
        top.addWidget(self.kind)
        top.addWidget(self.summary, 1)
        top.addWidget(self.btn_refresh)
        self.model = TodoModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAccessibleName(self.tr("Te doen"))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TodoModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(TodoModel.COL_KIND, 150)
        self.view.setColumnWidth(TodoModel.COL_WORKER, 190)
        self.view.setColumnWidth(TodoModel.COL_DATE, 90)
        self.view.activated.connect(self._open)          # Enter, or a double click
        hint = QLabel(self.tr("Enter of dubbelklik opent de werknemer. Rood: dringend (vervallen of over tijd)."))
        hint.setStyleSheet("color: #555;")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(hint)
        self._fill_kinds({})

    def _fill_kinds(self, counts: dict[str, int]) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("Alles ({n})").format(n=sum(counts.values())), "")
        for k in TODO_KINDS:
            self.kind.addItem(self.tr("{soort} ({n})").format(soort=kind_label(k), n=counts.get(k, 0)), k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)

    def set_dossier(self, dossier_id: int | None) -> None:
        self.dossier_id = dossier_id
        self.refresh()

    def refresh(self) -> None:
        """Recompute the list; with a task runner and a database file in a background thread."""
        if self.dossier_id is None:
            self.model.set_items([])
            self._fill_kinds({})
            self.loaded.emit()
            return
        if self.runner is not None and self.services.db_path is not None:
            from db.accounts import bound_principal
            self.summary.setText(self.tr("Takenlijst wordt berekend…"))
            self.runner.start("todo", compute_todo, self.services.db_path, bound_principal(self.services.db),
                              self.dossier_id, self.rules, self.today(), on_done=self._show,
                              on_error=self._failed)
            return
        dossier = self.services.dossiers.get(self.dossier_id)
        workers, contacts = self.services.workers.load_for_followup(self.dossier_id)
        awaiting = self.services.plans.awaiting_signature(self.dossier_id)
        self._show(dossier_todo(workers, contacts, awaiting, dossier, self.rules, self.today(),
                                plan_followups=self.services.plans.followups(self.dossier_id)))

    def _failed(self, message: str) -> None:
        self.summary.setText(self.tr("De takenlijst kon niet berekend worden: {fout}").format(fout=message))
        self.loaded.emit()

    def _show(self, items: list[TodoItem]) -> None:
        self.model.set_items(items)
        self.model.set_kind(self.kind.currentData() or "")
        counts = self.model.counts()
        self._fill_kinds(counts)
        urgent = sum(1 for i in items if i.urgent)
        self.summary.setText((self.tr("1 taak, waarvan {u} dringend") if len(items) == 1 else
                              self.tr("{n} taken, waarvan {u} dringend")).format(n=len(items), u=urgent))
        self.loaded.emit()

    def _open(self, index) -> None:
        item = index.data(TODO_ROLE) if index.isValid() else None
        if item is not None:
            self.open_worker.emit(item.worker_id)
