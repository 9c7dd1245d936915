"""A searchable table with a details pane: ``FilterTableModel`` (rows that filter as you type)
and ``FilterBrowser`` (search box + table on the left, details and optional tools on the right).
Used by the tabs of the reference-data screen (``gui.reference_view``)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter, QTableView,
                               QTextBrowser, QVBoxLayout, QWidget)

from gui.models import fold

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class FilterTableModel(QAbstractTableModel):
    """Rows with precomputed, accent-free search keys; ``set_filter`` keeps the rows whose key
    contains every word typed (a keystroke is one pass over at most a few hundred strings)."""

    def __init__(self, columns: list[tuple[str, Callable[[Any], Any]]], key: Callable[[Any], str], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.key = key
        self._all: list[Any] = []
        self._keys: list[str] = []
        self._rows: list[Any] = []
        self._filter = ""
        self.decorate: Callable[[Any, int], Any] | None = None    # (row, role) -> value for extra roles

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._keys = [fold(self.key(r)) for r in self._all]
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        words = fold(self._filter).split()
        self._rows = [r for r, k in zip(self._all, self._keys) if all(w in k for w in words)]

    @property
    def total(self) -> int:
        return len(self._all)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()][1](row)
        if role == ROW_ROLE:
            return row
        if self.decorate is not None:
            return self.decorate(row, role)
        return None

    def row_at(self, r: int):
        return self._rows[r] if 0 <= r < len(self._rows) else None

    def row_of(self, pred: Callable[[Any], bool]) -> int:
        return next((i for i, r in enumerate(self._rows) if pred(r)), -1)


class FilterBrowser(QWidget):
    """Search box + table on the left, details (and optional tools) on the right."""

    selected = Signal(object)

    def __init__(self, model: FilterTableModel, placeholder: str, parent=None):
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(placeholder)
        self.search.textChanged.connect(self._filter)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.count = QLabel()
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.side = QVBoxLayout()
        self.side.setContentsMargins(0, 0, 0, 0)
        self.side.addWidget(self.details, 1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search)
        ll.addWidget(self.table, 1)
        self.footer = QHBoxLayout()
        self.footer.addWidget(self.count, 1)
        ll.addLayout(self.footer)
        right = QWidget()
        right.setLayout(self.side)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(split)

    def _filter(self, text: str) -> None:
        keep = self.current()
        self.model.set_filter(text)
        self._update_count()
        row = self.model.row_of(lambda r: r is keep) if keep is not None else -1
        self.select_row(row if row >= 0 else 0)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        self.count.setText(self.tr("{shown} van {total}").format(shown=shown, total=total) if shown != total
                           else self.tr("{total} in totaal").format(total=total))

    def _current(self, current, _previous=None) -> None:
        self.selected.emit(self.model.row_at(current.row()) if current.isValid() else None)

    def set_rows(self, rows: list, keep: Callable[[Any], bool] | None = None) -> None:
        self.model.set_rows(rows)
        self.model.set_filter(self.search.text())
        self._update_count()
        row = self.model.row_of(keep) if keep is not None else -1
        self.select_row(row if row >= 0 else 0)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            self._current(self.model.index(row, 0))
        else:
            self.table.clearSelection()
            self.selected.emit(None)

    def current(self):
        idx = self.table.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None
