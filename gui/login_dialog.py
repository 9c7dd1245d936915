"""Sign-in window, shown before the main window; on a new database it creates the first beheerder.

``sign_in(ctx)`` is what the start-up calls: it returns True with ``ctx`` holding the session
(``ctx.use_session``), or False when the user cancelled. Scripts and the start-up benchmark that
set WERKBRUG_USER and WERKBRUG_PASSWORD are signed in without a window.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout,
                               QWidget)

from core.errors import UserError
from core.security import KdfParams, password_problems
from db.errors import DatabaseError


class LoginDialog(QDialog):
    def __init__(self, db_path: Path, *, first_run: bool | None = None, kdf: KdfParams | None = None,
                 clock: Callable[[], float] = time.time, parent: QWidget | None = None):
        super().__init__(parent)
        from db.accounts import needs_first_admin
        self.db_path = Path(db_path)
        self.first_run = needs_first_admin(self.db_path) if first_run is None else first_run
        self.kdf, self.clock = kdf, clock
        self.session = None
        self.setWindowTitle(self.tr("Werkbrug – aanmelden"))
        self.setModal(True)
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Eerste start: maak het account van de beheerder aan. Met dit wachtwoord wordt de "
                               "database versleuteld; bewaar het goed.") if self.first_run
                       else self.tr("Meld je aan met je gebruikersnaam en wachtwoord."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.login_edit = QLineEdit(objectName="login")
        form.addRow(self.tr("Gebruikersnaam"), self.login_edit)
        self.name_edit = QLineEdit(objectName="name")
        self.password_edit = QLineEdit(objectName="password", echoMode=QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit(objectName="confirm", echoMode=QLineEdit.EchoMode.Password)
        if self.first_run:
            form.addRow(self.tr("Volledige naam"), self.name_edit)
        form.addRow(self.tr("Wachtwoord"), self.password_edit)
        if self.first_run:
            form.addRow(self.tr("Herhaal wachtwoord"), self.confirm_edit)
        lay.addLayout(form)
        self.strength = QLabel(objectName="strength", wordWrap=True)
        self.error = QLabel(objectName="error", wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        lay.addWidget(self.strength)
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Beheerder aanmaken") if self.first_run else self.tr("Aanmelden"))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        for e in (self.login_edit, self.name_edit, self.password_edit, self.confirm_edit):
            e.textChanged.connect(self._update_strength)
        self._update_strength()

    def _problems(self) -> list[str]:
        if not self.first_run:
            return []
        problems = password_problems(self.password_edit.text(), self.login_edit.text(), self.name_edit.text())
        if self.confirm_edit.text() != self.password_edit.text():
            problems.append(self.tr("De twee wachtwoorden zijn niet gelijk."))
        return problems

    def _update_strength(self) -> None:
        if self.first_run:
            problems = self._problems()
            self.strength.setText("\n".join(problems) if problems else self.tr("Sterk genoeg."))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems and
                                                                               bool(self.login_edit.text().strip()))

    def try_accept(self) -> None:
        from db.accounts import create_first_admin, login
        from db.connection import PlaintextDatabase
        convert = False
        for _ in range(2):
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                if self.first_run:
                    if self._problems():
                        return
                    self.session = create_first_admin(self.db_path, self.login_edit.text(), self.name_edit.text(),
                                                      self.password_edit.text(), kdf=self.kdf,
                                                      convert_plaintext=convert, clock=self.clock)
                else:
                    self.session = login(self.db_path, self.login_edit.text(), self.password_edit.text(),
                                         convert_plaintext=convert, clock=self.clock, kdf=self.kdf)
                self.password_edit.clear()
                self.confirm_edit.clear()
                self.accept()
                return
            except PlaintextDatabase:
                QGuiApplication.restoreOverrideCursor()
                answer = QMessageBox.question(
                    self, self.tr("Database versleutelen"),
                    self.tr("Deze database is nog niet versleuteld. Nu versleutelen? Een versleutelde reservekopie "
                            "van het bestand blijft bewaard."))
                if answer != QMessageBox.StandardButton.Yes:
                    self.error.setText(self.tr("De database werd niet geopend."))
                    return
                convert = True
                continue
            except (UserError, DatabaseError) as e:
                self.error.setText(str(e))
                self.password_edit.clear()
                self.password_edit.setFocus()
                return
            finally:
                if QGuiApplication.overrideCursor() is not None:
                    QGuiApplication.restoreOverrideCursor()


def sign_in(ctx, parent: QWidget | None = None) -> bool:
    """Sign in before the main window is built; True when ``ctx`` now holds a session."""
    if ctx.session is not None:
        return True
    if os.environ.get("WERKBRUG_USER") and os.environ.get("WERKBRUG_PASSWORD") is not None:
        from cli.cmd_accounts import sign_in as sign_in_from_env
        ctx.use_session(sign_in_from_env(ctx))
        return True
    from db.connection import default_database_path
    dlg = LoginDialog(ctx.db_path or default_database_path(), parent=parent)
    if dlg.exec() == QDialog.DialogCode.Accepted and dlg.session is not None:
        ctx.use_session(dlg.session)
        return True
    return False
