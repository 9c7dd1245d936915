"""Follow-up of one worker: the contact log, with a quick-add line (Enter stores the contact).

Contacts are log entries: they are stored at once, not with the rest of the worker form, and
their hours count toward the outplacement minimum shown in the figures panel. A note or hours typed
but not registered yet are *pending*: the worker view counts them as unsaved, and opening another
worker empties the line (a contact is never registered on the wrong person).
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from core.dates import format_date
from core.followup import contact_date_problem, last_contact
from core.hours import format_hours, hours_text, parse_hours
from core.model import CONTACT_KINDS, Contact, Dossier, Worker
from core.validation import ValidationError
from gui.widgets import DateEdit, ERROR_STYLE
from gui.models import RowsTableModel


class ContactModel(RowsTableModel):
    COLS = ("date", "kind", "hours", "note")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Contact] = []
        self._headers = [self.tr("Datum"), self.tr("Soort"), self.tr("Uren"), self.tr("Notitie")]

    def set_rows(self, contacts: list[Contact]) -> None:
        self.beginResetModel()
        self.rows = sorted(contacts, key=lambda c: (c.date, c.id or 0), reverse=True)   # newest first
        self.endResetModel()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        c = self.rows[index.row()]
        col = self.COLS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == "date":
                return format_date(c.date)
            if col == "hours":
                return format_hours(c.hours)
            return getattr(c, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == "hours":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HoursEdit(QLineEdit):
    """The hours of a contact as typed: 1,5 / 1.5 / 1u30 / 1:30 / 90 min / 0,25 (core.hours).

    Empty means no hours. What cannot be read is never changed into a number: ``value()`` raises
    the Dutch message. Leaving the field shows how a readable value was read (1.5 -> 1,5)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(self.tr("uren"))
        self.setMaxLength(20)
        self.setMaximumWidth(90)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.editingFinished.connect(self._normalise)

    def _normalise(self) -> None:
        try:
            hours = self.value()
        except ValueError:
            return
        if hours:
            self.setText(hours_text(hours))

    def value(self) -> float:
        """The hours typed (0.0 when empty); raises ValueError (Dutch) when they cannot be read."""
        return parse_hours(self.text(), field_label=self.tr("Uren"))

    def setValue(self, hours: float) -> None:
        self.setText(hours_text(hours))


class FollowupPanel(QWidget):
    contacts_changed = Signal()
    input_changed = Signal()        # the quick-add line was typed in or cleared

    def __init__(self, repo, today: Callable[[], dt.date] = dt.date.today, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.today = today
        self.worker_id: int | None = None
        self.counsellor = ""
        # the worker and dossier a contact date is checked against (birth date, announcement)
        self.context: Callable[[], tuple[Worker | None, Dossier | None]] = lambda: (None, None)
        self.date = DateEdit()
        self.date.setAccessibleName(self.tr("Datum"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Soort contact"))
        for k in CONTACT_KINDS:
            self.kind.addItem(k, k)
        self.kind.setCurrentIndex(self.kind.findData("gesprek"))
        self.hours = HoursEdit()
        self.hours.setAccessibleName(self.tr("Uren outplacement"))
        self.hours.setToolTip(self.tr("Uren die meetellen voor de outplacement (30/60 uur): 1,5 of 1u30 of 90 min"))
        self.hours.editingFinished.connect(self._check_hours)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Notitie (Enter registreert het contact)"))
        self.note.setAccessibleName(self.tr("Notitie"))
        self.note.textChanged.connect(self.input_changed)
        self.hours.textChanged.connect(self.input_changed)
        self.btn_add = QPushButton(self.tr("Contact &registreren"))
        self.btn_add.clicked.connect(self.add_contact)
        for w in (self.date, self.kind, self.hours, self.note):
            w.installEventFilter(self)
        date_label = QLabel(self.tr("&Datum"))
        date_label.setBuddy(self.date)
        line = QHBoxLayout()
        line.addWidget(date_label)
        line.addWidget(self.date)
        line.addWidget(self.kind)
        line.addWidget(self.hours)
        line.addWidget(self.note, 1)
        line.addWidget(self.btn_add)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.model = ContactModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, w in enumerate((95, 110, 60)):
            self.view.setColumnWidth(i, w)
        self.view.installEventFilter(self)
        self.summary = QLabel()
        self.btn_delete = QPushButton(self.tr("Contact verwijderen"))
        self.btn_delete.clicked.connect(self.delete_selected)
        self.unsaved = QLabel(self.tr("Bewaar de werknemer eerst (Ctrl+S); daarna kan je contacten registreren."))
        self.unsaved.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.btn_delete)
        lay = QVBoxLayout(self)
        lay.addWidget(self.unsaved)
        lay.addLayout(line)
        lay.addWidget(self.error)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)

    def set_worker(self, worker_id: int | None, counsellor: str = "") -> None:
        self.worker_id = worker_id
        self.counsellor = counsellor
        self.clear_input()
        enabled = worker_id is not None
        for w in (self.date, self.kind, self.hours, self.note, self.btn_add, self.btn_delete):
            w.setEnabled(enabled)
        self.unsaved.setVisible(not enabled)
        self.reload()

    def pending(self) -> bool:
        """A note or hours typed on the quick-add line and not registered yet."""
        return self.worker_id is not None and (bool(self.note.text().strip()) or bool(self.hours.text().strip()))

    def clear_input(self) -> None:
        """Empty the quick-add line: today, a conversation, no hours, no note."""
        self.date.set_date(self.today())
        self.kind.setCurrentIndex(self.kind.findData("gesprek"))
        self.hours.clear()
        self.note.clear()
        self.error.hide()

    def contacts(self) -> list[Contact]:
        return list(self.model.rows)

    def reload(self) -> None:
        self.model.set_rows(self.repo.contacts(self.worker_id) if self.worker_id is not None else [])
        rows = self.model.rows
        last = last_contact(rows)
        text = (self.tr("1 contact, samen {uren} uur; laatste contact: {datum}") if len(rows) == 1 else
                self.tr("{n} contacten, samen {uren} uur; laatste contact: {datum}"))
        self.summary.setText(text.format(
            n=len(rows), uren=format_hours(sum(c.hours for c in rows)),
            datum=format_date(last) if last else self.tr("nog geen")))

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            if obj is self.view and event.matches(QKeySequence.StandardKey.Delete):
                self.delete_selected()
                return True
            if obj is not self.view and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and not (isinstance(obj, QComboBox) and obj.view().isVisible()):
                self.add_contact()
                return True
        return super().eventFilter(obj, event)

    def add_contact(self) -> bool:
        if self.worker_id is None:
            return False
        try:
            when = self.date.date() or self.today()
            worker, dossier = self.context()
            problem = contact_date_problem(when, worker, dossier, self.today())
            if problem:
                raise ValueError(problem)
            try:
                hours = self.hours.value()
            except ValueError:
                self.hours.setFocus()
                raise
            if not self.note.text().strip() and not hours:
                # Enter in an empty line is no contact: nothing to report to the cell
                raise ValueError(self.tr("Typ eerst wat er besproken is of het aantal uren."))
            contact = Contact(date=when, kind=self.kind.currentData(), hours=hours,
                              note=self.note.text().strip(), counsellor=self.counsellor)
            self.repo.add_contact(self.worker_id, contact)
        except ValidationError as e:
            self._fail("; ".join(err.message for err in e.errors))
            return False
        except ValueError as e:
            self._fail(str(e))
            return False
        self.error.hide()
        self.note.clear()
        self.hours.clear()
        self.date.set_date(self.today())
        self.reload()
        self.contacts_changed.emit()
        self.note.setFocus()
        return True

    def _check_hours(self) -> None:
        """Leaving the hours field: say at once when they cannot be read (nothing is stored)."""
        try:
            self.hours.value()
        except ValueError as e:
            self._fail(str(e))
        else:
            if self.error.isVisible() and self.error.property("hours_problem"):
                self.error.hide()
            return
        self.error.setProperty("hours_problem", True)

    def _fail(self, message: str) -> None:
        self.error.setProperty("hours_problem", False)
        self.error.setText(message)
        self.error.show()

    def delete_selected(self) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid() or self.worker_id is None:
            return
        c = self.model.rows[idx.row()]
        answer = QMessageBox.question(self, self.tr("Contact verwijderen"), self.tr(
            "Het contact van {datum} ({soort}, {uren} uur) verwijderen?").format(
                datum=format_date(c.date), soort=c.kind, uren=format_hours(c.hours)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.repo.delete_contact(c.id)
        self.reload()
        self.contacts_changed.emit()
