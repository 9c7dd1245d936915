"""Accounts window for the beheerder: add accounts, change role, reset a password, switch an account off."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from core.errors import UserError
from core.fileio import os_reason
from db.errors import DatabaseError
from core.security import Role, password_problems


class NewAccountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, login: str = "", name: str = "", password_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wachtwoord instellen") if password_only else self.tr("Nieuw account"))
        form = QFormLayout(self)
        self.login = QLineEdit(login, objectName="login")
        self.name = QLineEdit(name, objectName="name")
        self.role = QComboBox(objectName="role")
        for r in Role:
            self.role.addItem(r.label, r.value)
        self.password = QLineEdit(objectName="password", echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(objectName="confirm", echoMode=QLineEdit.EchoMode.Password)
        if not password_only:
            form.addRow(self.tr("Gebruikersnaam"), self.login)
            form.addRow(self.tr("Volledige naam"), self.name)
            form.addRow(self.tr("Rol"), self.role)
        form.addRow(self.tr("Wachtwoord"), self.password)
        form.addRow(self.tr("Herhaal wachtwoord"), self.confirm)
        self.hint = QLabel(objectName="hint", wordWrap=True)
        form.addRow(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for e in (self.login, self.name, self.password, self.confirm):
            e.textChanged.connect(self._check)
        self._check()

    def problems(self) -> list[str]:
        p = password_problems(self.password.text(), self.login.text(), self.name.text())
        if self.password.text() != self.confirm.text():
            p.append(self.tr("De twee wachtwoorden zijn niet gelijk."))
        if not self.login.text().strip():
            p.append(self.tr("Een gebruikersnaam is verplicht."))
        return p

    def _check(self) -> None:
        p = self.problems()
        self.hint.setText("\n".join(p))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not p)


class AccountsDialog(QDialog):
    """Takes an ``AccountRepository`` bound to the signed-in beheerder."""

    COLUMNS = ("login", "name", "role", "active", "last_login")

    def __init__(self, accounts, parent: QWidget | None = None, *, rotate_key=None, after_rotation=None):
        """``rotate_key(password)`` renews the database key (db.rekey.rotate_database_key on the
        signed-in session) and returns its RotationResult; ``after_rotation()`` then restarts the
        application (the session belonged to the file as it was). Without them the button is hidden."""
        super().__init__(parent)
        self.repo = accounts
        self.rotate_key, self.after_rotation = rotate_key, after_rotation
        self.setWindowTitle(self.tr("Accounts"))
        self.resize(760, 420)
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS), objectName="accountsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Gebruikersnaam"), self.tr("Naam"), self.tr("Rol"),
                                              self.tr("Actief"), self.tr("Laatst aangemeld")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Nieuw account…"), objectName="addAccount")
        self.password_button = QPushButton(self.tr("Wachtwoord instellen…"), objectName="resetPassword")
        self.role_box = QComboBox(objectName="roleBox")
        for r in Role:
            self.role_box.addItem(r.label, r.value)
        self.role_button = QPushButton(self.tr("Rol wijzigen"), objectName="changeRole")
        self.active_button = QPushButton(self.tr("Aan/uit"), objectName="toggleActive")
        for b in (self.add_button, self.password_button, self.role_box, self.role_button, self.active_button):
            row.addWidget(b)
        row.addStretch(1)
        self.rotate_button = QPushButton(self.tr("Databasesleutel vernieuwen…"), objectName="rotateKey")
        self.rotate_button.setToolTip(self.tr("Versleutelt de database onder een nieuwe sleutel: oude kopieën van het "
                                              "sleutelbestand (een vertrokken medewerker, een verloren schijf) openen "
                                              "haar dan niet meer."))
        self.rotate_button.setVisible(rotate_key is not None)
        self.rotate_button.clicked.connect(self.renew_key)
        row.addWidget(self.rotate_button)
        close = QPushButton(self.tr("Sluiten"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)
        self.add_button.clicked.connect(self.add_account)
        self.password_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.accounts = []
        self.refresh()

    def refresh(self) -> None:
        self.accounts = self.repo.list()
        waiting = self.repo.waiting_for_password()      # after a renewal of the database key
        self.table.setRowCount(len(self.accounts))
        for i, a in enumerate(self.accounts):
            active = (self.tr("ja, nieuw wachtwoord nodig") if a.login in waiting else self.tr("ja")) if a.active \
                else self.tr("nee")
            for j, v in enumerate((a.login, a.name, a.role.label, active, a.last_login[:16].replace("T", " "))):
                item = QTableWidgetItem(v)
                if a.login in waiting:
                    item.setToolTip(self.tr("De databasesleutel werd vernieuwd: stel een nieuw wachtwoord in voor "
                                            "dit account, anders kan het zich niet aanmelden."))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()       # the state "ja, nieuw wachtwoord nodig" stays readable

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def renew_key(self) -> bool:
        """Renew the database key after a confirmation and the beheerder's password; Werkbrug then
        starts again (sign in with the same password). Nothing changes on a refusal or an error."""
        if self.rotate_key is None:
            return False
        answer = QMessageBox.question(self, self.tr("Databasesleutel vernieuwen"), self.tr(
            "De database wordt versleuteld onder een nieuwe sleutel. Oude kopieën van het sleutelbestand openen haar "
            "daarna niet meer; een versleutelde reservekopie van de database zoals ze nu is, blijft bewaard.\n\n"
            "De andere accounts hebben daarna een nieuw wachtwoord nodig (stel het in via dit venster) en een "
            "herstelsleutel werkt niet meer. Sluit Werkbrug eerst op andere computers die deze database openen.\n\n"
            "Werkbrug start daarna opnieuw. Doorgaan?"))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        password, ok = QInputDialog.getText(self, self.tr("Databasesleutel vernieuwen"),
                                            self.tr("Je wachtwoord, ter bevestiging:"), QLineEdit.EchoMode.Password)
        if not ok or not password:
            return False
        try:
            result = self.rotate_key(password)
        except (UserError, OSError, DatabaseError) as e:
            message = str(e) if not isinstance(e, OSError) else self.tr(
                "De sleutel werd niet vernieuwd ({reden}); de database en het sleutelbestand zijn ongewijzigd.").format(
                reden=os_reason(e))
            QMessageBox.warning(self, self.tr("Databasesleutel vernieuwen"), message)
            return False
        lines = [self.tr("De databasesleutel is vernieuwd. Een versleutelde reservekopie van de database zoals ze was "
                         "staat in {pad}.").format(pad=result.backup)]
        if result.need_password:
            lines.append(self.tr("Deze accounts hebben een nieuw wachtwoord nodig: {lijst}.").format(
                lijst=", ".join(result.need_password)))
        if result.recovery_dropped:
            lines.append(self.tr("De herstelsleutel werkt niet meer: maak een nieuwe aan."))
        lines.append(self.tr("Werkbrug start nu opnieuw; meld je aan met je wachtwoord."))
        QMessageBox.information(self, self.tr("Databasesleutel vernieuwen"), "\n\n".join(lines))
        self.accept()
        if self.after_rotation is not None:
            self.after_rotation()
        return True

    def _run(self, fn) -> bool:
        try:
            fn()
        except UserError as e:
            QMessageBox.warning(self, self.tr("Accounts"), str(e))
            return False
        self.refresh()
        return True

    def add_account(self, dialog: NewAccountDialog | None = None) -> bool:
        dlg = dialog or NewAccountDialog(self)
        if dialog is None and dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        return self._run(lambda: self.repo.add(dlg.login.text(), dlg.name.text(), dlg.role.currentData(),
                                               dlg.password.text()))

    def reset_password(self) -> bool:
        acc = self.selected()
        if acc is None:
            return False
        dlg = NewAccountDialog(self, login=acc.login, name=acc.name, password_only=True)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        return self._run(lambda: self.repo.set_password(acc.id, dlg.password.text()))

    def change_role(self) -> bool:
        acc = self.selected()
        return acc is not None and self._run(lambda: self.repo.update(acc.id, role=self.role_box.currentData()))

    def toggle_active(self) -> bool:
        acc = self.selected()
        return acc is not None and self._run(lambda: self.repo.update(acc.id, active=not acc.active))
