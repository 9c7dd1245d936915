"""Small reusable widgets: a date field that accepts Belgian input, a form row with an error label."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.dates import format_date, parse_date

ERROR_STYLE = "color: #b00020;"


class DateEdit(QLineEdit):
    """Free-text date (dd/mm/jjjj, 3/7/85, 1985-07-30 ...); empty means unknown."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(self.tr("dd/mm/jjjj"))
        self.setMaxLength(10)
        self.editingFinished.connect(self._normalise)

    def _normalise(self) -> None:
        try:
            d = parse_date(self.text())
        except ValueError:
            return
        if d:
            self.setText(format_date(d))

    def date(self) -> dt.date | None:
        """The date, or None when empty; raises ValueError (Dutch) when unreadable."""
        return parse_date(self.text())

    def set_date(self, d: dt.date | None) -> None:
        self.setText(format_date(d))


class FieldWithError(QWidget):
    """An input with a red message below it, shown only when there is a problem."""

    changed = Signal()

    def __init__(self, editor: QWidget, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(editor)
        lay.addWidget(self.error)
        self.setFocusProxy(editor)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        self.editor.setStyleSheet("border: 1px solid #b00020;" if message else "")


def save_cancel_buttons(dialog) -> tuple[QDialogButtonBox, QLabel]:
    """The Bewaren / Annuleren buttons of a form dialog (wired to ``dialog.save`` and ``reject``) and the
    red label for messages that belong to no single field."""
    error = QLabel(dialog)
    error.setStyleSheet(ERROR_STYLE)
    error.setWordWrap(True)
    error.hide()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(dialog.tr("&Bewaren"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("Annuleren"))
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    return buttons, error
