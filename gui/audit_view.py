"""Audit trail window: filter by date, user and action, check the chain, export to CSV (beheerder)."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.dates import local_time_text
from core.errors import UserError
from core.fileio import os_reason
from db.audit import ACTION_LABELS, action_label, details_text, entity_text


class AuditView(QDialog):
    """Takes a ``db.audit.AuditLog`` (the session's)."""

    def __init__(self, audit, parent: QWidget | None = None, *, limit: int = 5000):
        super().__init__(parent)
        self.audit, self.limit = audit, limit
        self.setWindowTitle(self.tr("Auditlog"))
        self.resize(980, 560)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.since = QDateEdit(objectName="since", calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.since.setDate(QDate.currentDate().addMonths(-1))
        self.user = QLineEdit(objectName="user", placeholderText=self.tr("gebruiker"))
        self.action = QComboBox(objectName="action")
        self.action.addItem(self.tr("alle acties"), None)
        for code in ACTION_LABELS:
            self.action.addItem(action_label(code), code)
        self.filter_button = QPushButton(self.tr("Toon"), objectName="filter")
        self.verify_button = QPushButton(self.tr("Keten controleren"), objectName="verify")
        self.export_button = QPushButton(self.tr("Exporteren (CSV)…"), objectName="export")
        for w in (QLabel(self.tr("Vanaf")), self.since, self.user, self.action, self.filter_button, self.verify_button,
                  self.export_button):
            bar.addWidget(w)
        lay.addLayout(bar)
        self.table = QTableWidget(0, 6, objectName="auditTable")
        self.table.setHorizontalHeaderLabels([self.tr("Nr"), self.tr("Tijdstip"), self.tr("Gebruiker"),
                                              self.tr("Actie"), self.tr("Gegeven"), self.tr("Details")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table)
        self.status = QLabel(objectName="status")
        lay.addWidget(self.status)
        self.filter_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(lambda: self.export())
        self.refresh()

    def _entries(self):
        return self.audit.entries(since=self.since.date().toPython(), user=self.user.text().strip() or None,
                                  action=self.action.currentData(), limit=self.limit, newest_first=True)

    def refresh(self) -> None:
        rows = self._entries()
        self.table.setRowCount(len(rows))
        for i, e in enumerate(rows):
            for j, v in enumerate((str(e.id), local_time_text(e.ts), e.actor, action_label(e.action),
                                   entity_text(e), details_text(e.details))):
                item = QTableWidgetItem(v)
                if j == 1:
                    item.setToolTip(self.tr("Lokale tijd; bewaard als {utc} (UTC)").format(utc=e.ts[:19].replace("T", " ")))
                self.table.setItem(i, j, item)
        self.status.setText(self.tr("1 regel") if len(rows) == 1 else self.tr("{n} regels").format(n=len(rows)))

    def verify(self):
        check = self.audit.verify()
        (QMessageBox.information if check.ok else QMessageBox.critical)(self, self.tr("Auditlog"), check.message())
        return check

    def export(self, path: str | None = None) -> int:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Auditlog exporteren"), "auditlog.csv",
                                                  self.tr("CSV-bestanden (*.csv)"))
            if not path:
                return 0
        try:
            n = self.audit.export_csv(path, self._entries())
        except UserError as e:               # e.g. the database itself or a folder as target
            self._failed(str(e))
            return 0
        except OSError as e:
            self._failed(self.tr("Kan {pad} niet schrijven: {reden}.").format(pad=path, reden=os_reason(e)))
            return 0
        self.status.setText((self.tr("1 regel geschreven naar {pad}") if n == 1 else
                             self.tr("{n} regels geschreven naar {pad}")).format(n=n, pad=path))
        return n

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        QMessageBox.warning(self, self.tr("Niet geëxporteerd"), message)
