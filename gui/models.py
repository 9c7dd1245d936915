"""Item models for the dossier list and the workers table.

The workers table filters and sorts inside the model instead of through a
QSortFilterProxyModel: a proxy calls back into Python once per row for every keystroke,
which is far too slow for a dossier of tens of thousands of workers. Here a keystroke is one
list comprehension over precomputed, accent-free search keys.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from core.model import DossierSummary, WorkerSummary
from core.validation import format_insz

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip accents, for search keys (names and places repeat: cached)."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


class RowsTableModel(QAbstractTableModel):
    """A flat table over ``self.rows`` with column titles in ``self._headers``; subclasses add data()."""

    def __init__(self, parent=None, headers: list[str] = ()):
        super().__init__(parent)
        self.rows: list = []
        self._headers = list(headers)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class DossierListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[DossierSummary] = []

    def set_rows(self, rows: list[DossierSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.tr("{naam}\n1 werknemer · {status}") if d.worker_count == 1 else \
                self.tr("{naam}\n{n} werknemers · {status}")
            return text.format(naam=d.company_name, n=d.worker_count, status=d.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return d.company_name
        if role == ROW_ROLE:
            return d
        return None

    def row_of(self, dossier_id: int) -> int:
        return next((i for i, d in enumerate(self._rows) if d.id == dossier_id), -1)


class WorkerTableModel(QAbstractTableModel):
    COL_NAME, COL_FIRST, COL_INSZ, COL_JOB, COL_TOWN, COL_STATUS, COL_BEST = range(7)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[WorkerSummary] = []
        self._sort_cache: dict[int, list] = {}
        self._keys: list[str] = []
        self._visible: list[int] = []
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] = (self.COL_NAME, Qt.SortOrder.AscendingOrder)
        self._headers = [self.tr("Naam"), self.tr("Voornaam"), self.tr("INSZ"), self.tr("Vorige functie"),
                         self.tr("Gemeente"), self.tr("Status"), self.tr("Beste knelpuntberoep")]

    # -- loading, filtering, sorting ---------------------------------------------------------------
    def set_rows(self, rows: list[WorkerSummary]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._keys = [f"{fold(w.surname)} {fold(w.first_names)} {fold(w.first_names)} {fold(w.surname)} {w.insz} "
                      f"{fold(w.previous_job_title)} {fold(w.municipality)} {fold(w.status)} {fold(w.best_occupation)}"
                      for w in self._all]
        self._sort_cache = {}
        self._apply()
        self.endResetModel()

    def update_best(self, best: dict[int, tuple[str, float]]) -> None:
        """Show the best occupation and score per worker id (after a dossier match)."""
        from dataclasses import replace
        rows = [replace(w, best_occupation=best[w.id][0], best_score=best[w.id][1]) if w.id in best else w
                for w in self._all]
        self.set_rows(rows)

    def set_filter(self, text: str) -> None:
        needle = fold(text.strip())
        if needle == self._filter:
            return
        self.beginResetModel()
        # typing on: the new text contains the old one, so only the rows shown can still match
        narrowing = bool(self._filter) and needle.startswith(self._filter) and " " not in needle[len(self._filter):]
        self._filter = needle
        self._apply(self._visible if narrowing else None)
        self.endResetModel()

    def _apply(self, narrow_from: list[int] | None = None) -> None:
        terms = [t.replace(".", "").replace("-", "") if t[:1].isdigit() else t for t in self._filter.split()]
        keys = self._keys
        idx = narrow_from if narrow_from is not None else range(len(self._all))
        for t in terms:
            idx = [i for i in idx if t in keys[i]]
        self._visible = list(idx)
        if narrow_from is None:      # a subset of a sorted list stays sorted
            self._sort_visible()

    def _sort_key(self, col: int):
        getters = {
            self.COL_NAME: lambda w: (fold(w.surname), fold(w.first_names)),
            self.COL_FIRST: lambda w: (fold(w.first_names), fold(w.surname)),
            self.COL_INSZ: lambda w: w.insz,
            self.COL_JOB: lambda w: fold(w.previous_job_title),
            self.COL_TOWN: lambda w: fold(w.municipality),
            self.COL_STATUS: lambda w: w.status,
            self.COL_BEST: lambda w: (-(w.best_score or -1.0), fold(w.best_occupation)),
        }
        g = getters[col]
        rows = self._all
        return lambda i: g(rows[i])

    def _sort_visible(self) -> None:
        col, order = self._sort
        if col not in self._sort_cache:   # one key per row and column, computed once per load
            key = self._sort_key(col)
            self._sort_cache[col] = [key(i) for i in range(len(self._all))]
        keys = self._sort_cache[col]
        self._visible.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_visible()
        self.layoutChanged.emit()

    # -- model interface ---------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        w = self._all[self._visible[index.row()]]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return w.surname
            if col == self.COL_FIRST:
                return w.first_names
            if col == self.COL_INSZ:
                return format_insz(w.insz) if w.insz else ""
            if col == self.COL_JOB:
                return w.previous_job_title
            if col == self.COL_TOWN:
                return w.municipality
            if col == self.COL_STATUS:
                return w.status
            if col == self.COL_BEST:
                return f"{w.best_score * 100:.0f}%  {w.best_occupation}" if w.best_occupation and w.best_score is not None \
                    else w.best_occupation
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATUS and w.status == "aan het werk":
            return QColor("#1b7f3b")
        if role == ROW_ROLE:
            return w
        return None

    def worker_at(self, row: int) -> WorkerSummary | None:
        return self._all[self._visible[row]] if 0 <= row < len(self._visible) else None

    def row_of(self, worker_id: int) -> int:
        return next((r for r, i in enumerate(self._visible) if self._all[i].id == worker_id), -1)

    @property
    def total(self) -> int:
        return len(self._all)
