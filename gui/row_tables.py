"""Editable tables of child records (experiences, certificates, actions ...) with undo.

``RecordTableModel`` shows a list of dataclass records; every change (add, remove, edit a cell)
goes through a QUndoStack so Ctrl+Z in the worker view undoes it. ``RowEditor`` is the line of
inputs above a table: Enter in any of its inputs adds the row, so a counsellor can type a whole
list during a conversation without touching the mouse. What is typed there but not added yet is
*pending*: the worker view counts it as unsaved and clears it when another record is opened.

A value typed in a cell that cannot be stored (an unreadable date or number, an emptied required
field) is refused: the record keeps its old value and the table shows why, in red, like the row
editor does for a refused row.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QStyledItemDelegate, QTableView, QVBoxLayout,
                               QWidget)

from core.dates import format_date, parse_date
from gui.widgets import DateEdit, ERROR_STYLE

ITEM_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    attr: str
    header: str
    kind: str = "text"                       # text, date, choice, int, float, bool
    choices: tuple = ()                      # values, or (value, label) pairs
    editable: bool = True
    width: int | None = None
    minimum: float = 0
    maximum: float = 100
    display: Callable[[Any], str] | None = None   # custom text for the record
    stretch: bool = False                    # takes the remaining width of the table

    def pairs(self) -> list[tuple[Any, str]]:
        return [c if isinstance(c, tuple) else (c, str(c)) for c in self.choices]

    def label_of(self, value) -> str:
        for v, label in self.pairs():
            if v == value:
                return label
        return "" if value is None else str(value)


def _text(col: Column, value) -> str:
    if col.kind == "date":
        return format_date(value)
    if col.kind == "choice":
        return col.label_of(value)
    if col.kind == "float":
        return "" if value is None else f"{value:g}"
    if col.kind == "int":
        return "" if value is None else str(value)
    return "" if value is None else str(value)


class _Insert(QUndoCommand):
    def __init__(self, model: "RecordTableModel", row: int, item, text: str):
        super().__init__(text)
        self.model, self.row, self.item = model, row, item

    def redo(self):
        self.model.insert_item(self.row, copy.deepcopy(self.item))

    def undo(self):
        self.model.remove_item(self.row)


class _Remove(QUndoCommand):
    def __init__(self, model: "RecordTableModel", row: int, text: str):
        super().__init__(text)
        self.model, self.row, self.item = model, row, copy.deepcopy(model.items[row])

    def redo(self):
        self.model.remove_item(self.row)

    def undo(self):
        self.model.insert_item(self.row, copy.deepcopy(self.item))


class _Edit(QUndoCommand):
    def __init__(self, model: "RecordTableModel", row: int, attr: str, old, new, text: str):
        super().__init__(text)
        self.model, self.row, self.attr, self.old, self.new = model, row, attr, old, new

    def redo(self):
        self.model.set_value(self.row, self.attr, self.new)

    def undo(self):
        self.model.set_value(self.row, self.attr, self.old)


class RecordTableModel(QAbstractTableModel):
    changed = Signal()
    refused = Signal(str)          # a typed value was not stored; the Dutch reason

    def __init__(self, columns: list[Column], undo: QUndoStack | None = None, parent=None,
                 style: Callable[[Any], tuple[QColor | None, str]] | None = None):
        super().__init__(parent)
        self.columns = columns
        self.undo = undo
        self.items: list = []
        self.read_only = False
        self.style = style                       # record -> (text colour, tooltip)
        # (old record, edited copy) -> None; raises ValueError (Dutch) to refuse a cell edit
        self.check: Callable[[Any, Any], None] | None = None

    # -- loading and low-level changes (used by the undo commands) -------------------------------
    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = [copy.deepcopy(i) for i in items]
        self.endResetModel()

    def insert_item(self, row: int, item) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.items.insert(row, item)
        self.endInsertRows()
        self.changed.emit()

    def remove_item(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.items[row]
        self.endRemoveRows()
        self.changed.emit()

    def set_value(self, row: int, attr: str, value) -> None:
        setattr(self.items[row], attr, value)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.changed.emit()

    def refresh(self) -> None:
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, len(self.columns) - 1))

    # -- undoable operations ---------------------------------------------------------------------
    def _push(self, cmd: QUndoCommand) -> None:
        if self.undo is not None:
            self.undo.push(cmd)
        else:
            cmd.redo()

    def add(self, item, row: int | None = None) -> None:
        row = len(self.items) if row is None else row
        self._push(_Insert(self, row, item, self.tr("Rij toevoegen")))

    def remove_rows(self, rows: list[int]) -> None:
        rows = sorted(set(r for r in rows if 0 <= r < len(self.items)), reverse=True)
        if not rows:
            return
        if self.undo is not None and len(rows) > 1:
            self.undo.beginMacro(self.tr("Rijen verwijderen"))
        for r in rows:
            self._push(_Remove(self, r, self.tr("Rij verwijderen")))
        if self.undo is not None and len(rows) > 1:
            self.undo.endMacro()

    # -- model interface -------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = self.columns[index.column()]
        if col.editable and not self.read_only:
            f |= Qt.ItemFlag.ItemIsUserCheckable if col.kind == "bool" else Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        col = self.columns[index.column()]
        value = getattr(item, col.attr, None)
        if role == Qt.ItemDataRole.DisplayRole:
            if col.display:
                return col.display(item)
            return None if col.kind == "bool" else _text(col, value)
        if role == Qt.ItemDataRole.EditRole:
            return format_date(value) if col.kind == "date" else value
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "bool":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole) and self.style:
            colour, tip = self.style(item)
            return colour if role == Qt.ItemDataRole.ForegroundRole else (tip or None)
        if role == ITEM_ROLE:
            return item
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if not index.isValid() or self.read_only:
            return False
        col = self.columns[index.column()]
        if col.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        else:
            try:
                value = self._typed(col, value)
            except ValueError as e:
                self.refused.emit(str(e))
                return False
        item = self.items[index.row()]
        old = getattr(item, col.attr)
        if old == value:
            return False
        if self.check is not None:
            edited = copy.deepcopy(item)
            setattr(edited, col.attr, value)
            try:
                self.check(item, edited)
            except ValueError as e:
                self.refused.emit(str(e))
                return False
        self._push(_Edit(self, index.row(), col.attr, old, value, self.tr("{kolom} wijzigen").format(kolom=col.header)))
        return True

    def _typed(self, col: Column, value):
        """The value to store for what was typed in a cell of ``col``; ValueError (Dutch) when it cannot be read."""
        if col.kind == "date":
            return parse_date(value, field_label=col.header)
        if col.kind in ("int", "float"):
            if value is None or (isinstance(value, str) and not value.strip()):
                return None
            return self._number(col, value)
        if col.kind == "text" and isinstance(value, str):
            return value.strip()
        return value

    def _number(self, col: Column, value) -> int | float:
        """An int or float cell (Belgian decimal comma allowed), within the column's range."""
        shown = str(value).strip()
        number = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            try:
                number = float(shown.replace(" ", "").replace(",", "."))
            except ValueError:
                pass
        if number is None or not math.isfinite(number):
            raise ValueError(self.tr("{kolom}: {waarde} is geen getal.").format(kolom=col.header, waarde=shown))
        if col.kind == "int":
            if number != int(number):
                raise ValueError(self.tr("{kolom}: {waarde} is geen geheel getal.").format(
                    kolom=col.header, waarde=shown))
            number = int(number)
        else:
            number = float(number)
        if not col.minimum <= number <= col.maximum:
            raise ValueError(self.tr("{kolom}: {waarde} ligt niet tussen {min} en {max}.").format(
                kolom=col.header, waarde=shown, min=f"{col.minimum:g}", max=f"{col.maximum:g}"))
        return number


class RecordDelegate(QStyledItemDelegate):
    """Editors per column kind: a list for choices, a Belgian date field for dates."""

    def __init__(self, columns: list[Column], parent=None):
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent, option, index):
        col = self.columns[index.column()]
        if col.kind == "choice":
            box = QComboBox(parent)
            for value, label in col.pairs():
                box.addItem(label, value)
            return box
        if col.kind == "date":
            return DateEdit(parent)
        if col.kind in ("int", "float"):
            # typed as text and read by the model: a spin box would silently put back the old value for
            # what it cannot accept, the model says why it refuses it
            return QLineEdit(parent)
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, DateEdit):
            editor.setText(value or "")
        elif isinstance(editor, QLineEdit) and self.columns[index.column()].kind in ("int", "float"):
            editor.setText("" if value is None else f"{value:g}")
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())
        else:
            super().setModelData(editor, model, index)


def make_input(col: Column) -> QWidget:
    """An input for the row editor, matching the column kind."""
    if col.kind == "choice":
        box = QComboBox()
        for value, label in col.pairs():
            box.addItem(label, value)
        return box
    if col.kind == "date":
        date = DateEdit()
        date.setPlaceholderText(f"{col.header} (dd/mm/jjjj)")
        return date
    if col.kind == "int":
        spin = QSpinBox()
        spin.setRange(int(col.minimum), int(col.maximum))
        return spin
    if col.kind == "float":
        spin = QDoubleSpinBox()
        spin.setRange(col.minimum, col.maximum)
        spin.setDecimals(1)
        return spin
    if col.kind == "bool":
        return QCheckBox(col.header)
    edit = QLineEdit()
    edit.setPlaceholderText(col.header)
    return edit


def input_value(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, DateEdit):
        return widget.date()           # may raise ValueError (Dutch)
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    return widget.text().strip()


def _change_signal(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return widget.textChanged


def clear_input(widget: QWidget) -> None:
    if isinstance(widget, QLineEdit):
        widget.clear()
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(widget.minimum())
    elif isinstance(widget, QCheckBox):
        widget.setChecked(False)


class RecordTable(QWidget):
    """A table of records with an optional row editor on top and a remove button.

    ``build(values) -> record`` turns the editor's values (dict attr -> value) into a record; it
    raises ValueError with a Dutch message to refuse the row.
    """

    input_changed = Signal()       # something was typed in (or cleared from) the row editor

    def __init__(self, columns: list[Column], undo: QUndoStack | None, build: Callable[[dict], Any] | None = None,
                 editor_attrs: list[str] | None = None, add_text: str = "", parent=None, style=None):
        super().__init__(parent)
        self.model = RecordTableModel(columns, undo, self, style=style)
        self.build = build
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(RecordDelegate(columns, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setTabKeyNavigation(False)         # Tab leaves the table: the form stays keyboard-friendly
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, col in enumerate(columns):
            if col.width:
                self.view.setColumnWidth(i, col.width)
            if col.stretch:
                header.setStretchLastSection(False)
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        self.view.installEventFilter(self)
        self.inputs: dict[str, QWidget] = {}
        self._initial: dict[str, int | None] = {}       # a choice input's index when nothing was typed yet
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if build is not None:
            row = QHBoxLayout()
            by_attr = {c.attr: c for c in reversed(columns)}     # the first column of an attribute
            for attr in editor_attrs or [c.attr for c in columns]:
                w = make_input(by_attr[attr])
                w.setAccessibleName(by_attr[attr].header)
                w.setToolTip(by_attr[attr].header)
                w.installEventFilter(self)
                self.inputs[attr] = w
                self._initial[attr] = w.currentIndex() if isinstance(w, QComboBox) else None
                _change_signal(w).connect(self.input_changed)
                if isinstance(w, (QComboBox, QSpinBox, QDoubleSpinBox)):     # no placeholder text: a label
                    lab = QLabel(by_attr[attr].header)
                    lab.setBuddy(w)
                    row.addWidget(lab)
                row.addWidget(w, 2 if isinstance(w, QLineEdit) and not isinstance(w, DateEdit) else 1)
            self.btn_add = QPushButton(add_text or self.tr("Toevoegen"))
            self.btn_add.setToolTip(self.tr("Enter in een veld voegt de rij toe"))
            self.btn_add.clicked.connect(self.submit)
            row.addWidget(self.btn_add)
            lay.addLayout(row)
            self.model.check = self._check_edit
        self.error = QLabel()                        # why a row or a typed cell value was refused
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        self.model.refused.connect(self.show_error)
        self.model.changed.connect(self.error.hide)
        self.model.modelReset.connect(self.error.hide)
        lay.addWidget(self.view)
        self.btn_remove = QPushButton(self.tr("Geselecteerde rij verwijderen"))
        self.btn_remove.setToolTip(self.tr("Delete in de tabel"))
        self.btn_remove.clicked.connect(self.remove_selected)
        self.btn_remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.btn_remove)
        lay.addLayout(bottom)

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only
        for w in self.inputs.values():
            w.setEnabled(not read_only)
        if self.build is not None:
            self.btn_add.setEnabled(not read_only)
        self.btn_remove.setEnabled(not read_only)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _row_problem(self, item) -> str:
        """What ``build`` says about the record as if it were typed in the row editor; '' when it would pass."""
        try:
            self.build({attr: getattr(item, attr, None) for attr in self.inputs})
        except ValueError as e:
            return str(e)
        return ""

    def _check_edit(self, old, edited) -> None:
        """A cell edit must not make a row the row editor accepts into one it refuses (an emptied required
        field, an end date before the start). Rows that were already refused (older data, a language that
        the row editor sees as a double of itself) are left to the counsellor."""
        try:
            was_valid = not self._row_problem(old)
        except Exception:                            # noqa: BLE001 - a build that cannot judge the old row
            return
        problem = self._row_problem(edited) if was_valid else ""
        if problem:
            raise ValueError(problem)

    def first_input(self) -> QWidget | None:
        return next(iter(self.inputs.values()), None)

    def pending_input(self) -> QWidget | None:
        """The first input holding something typed but not added as a row (text, a number, a tick); None
        when there is nothing to add. A choice alone is not pending: it stays set after a row is added."""
        if self.build is None or self.model.read_only:
            return None
        for w in self.inputs.values():
            if isinstance(w, QLineEdit) and w.text().strip():
                return w
            if isinstance(w, (QSpinBox, QDoubleSpinBox)) and w.value() != w.minimum():
                return w
            if isinstance(w, QCheckBox) and w.isChecked():
                return w
        return None

    def clear_inputs(self) -> None:
        """Empty the row editor, choices back to their first value: nothing typed for one record may end
        up in another."""
        for attr, w in self.inputs.items():
            clear_input(w)
            if isinstance(w, QComboBox) and self._initial.get(attr) is not None:
                w.setCurrentIndex(self._initial[attr])
        self.error.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            if obj is self.view and event.matches(QKeySequence.StandardKey.Delete) and not self.model.read_only:
                self.remove_selected()
                return True
            if obj in self.inputs.values() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and not (isinstance(obj, QComboBox) and obj.view().isVisible()):
                self.submit()
                return True
        return super().eventFilter(obj, event)

    def submit(self) -> bool:
        if self.build is None or self.model.read_only:
            return False
        try:
            values = {attr: input_value(w) for attr, w in self.inputs.items()}
            item = self.build(values)
        except ValueError as e:
            self.show_error(str(e))
            return False
        self.error.hide()
        self.model.add(item)
        for w in self.inputs.values():
            clear_input(w)
        self.view.scrollToBottom()
        first = self.first_input()
        if first:
            first.setFocus()
        return True

    def remove_selected(self) -> None:
        rows = [i.row() for i in self.view.selectionModel().selectedRows()] or (
            [self.view.currentIndex().row()] if self.view.currentIndex().isValid() else [])
        self.model.remove_rows(rows)
