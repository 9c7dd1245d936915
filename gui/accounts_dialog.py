"""Accounts window: the beheerder adds accounts, changes a role (confirmed), resets a password, switches an account
off; the beheerder and the celcoördinator assign dossiers to a consulent."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from core.dates import local_time_text
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
    """Takes an ``AccountRepository`` bound to the signed-in beheerder or celcoördinator.

    The beheerder manages the accounts (new, password, role, on/off, database key); both roles assign
    dossiers to a consulent (the check boxes on the right, written at once and audited like
    ``accounts assign``). A celcoördinator sees only the assignments."""

    COLUMNS = ("login", "name", "role", "active", "last_login")

    def __init__(self, accounts, parent: QWidget | None = None, *, rotate_key=None, after_rotation=None):
        """``rotate_key(password)`` renews the database key (db.rekey.rotate_database_key on the
        signed-in session) and returns its RotationResult; ``after_rotation()`` then restarts the
        application (the session belonged to the file as it was). Without them the button is hidden."""
        super().__init__(parent)
        self.repo = accounts
        principal = accounts.principal
        self.manages = principal is None or principal.manages_accounts
        self.assigns = principal is None or principal.assigns_dossiers
        self.rotate_key, self.after_rotation = rotate_key, after_rotation
        self.setWindowTitle(self.tr("Accounts"))
        self.resize(1040, 460)
        lay = QVBoxLayout(self)
        body = QHBoxLayout()
        self.table = QTableWidget(0, len(self.COLUMNS), objectName="accountsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Gebruikersnaam"), self.tr("Naam"), self.tr("Rol"),
                                              self.tr("Actief"), self.tr("Laatst aangemeld")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        body.addWidget(self.table, 3)
        side = QVBoxLayout()
        self.dossier_title = QLabel(objectName="dossierTitle", wordWrap=True)
        self.dossier_list = QListWidget(objectName="dossierList")
        self.dossier_list.setToolTip(self.tr("Vink een dossier aan om het aan deze consulent toe te wijzen; vink het "
                                             "af om de toewijzing in te trekken. Het wordt meteen bewaard en in het "
                                             "auditlog geschreven."))
        self.dossier_hint = QLabel(objectName="dossierHint", wordWrap=True)
        side.addWidget(self.dossier_title)
        side.addWidget(self.dossier_list, 1)
        side.addWidget(self.dossier_hint)
        body.addLayout(side, 2)
        lay.addLayout(body, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Nieuw account…"), objectName="addAccount")
        self.password_button = QPushButton(self.tr("Wachtwoord instellen…"), objectName="resetPassword")
        self.role_box = QComboBox(objectName="roleBox")
        for r in Role:
            self.role_box.addItem(r.label, r.value)
        self.role_button = QPushButton(self.tr("Rol wijzigen…"), objectName="changeRole")
        self.active_button = QPushButton(self.tr("Aan/uit"), objectName="toggleActive")
        for b in (self.add_button, self.password_button, self.role_box, self.role_button, self.active_button):
            row.addWidget(b)
            b.setVisible(self.manages)
        row.addStretch(1)
        self.rotate_button = QPushButton(self.tr("Databasesleutel vernieuwen…"), objectName="rotateKey")
        self.rotate_button.setToolTip(self.tr("Versleutelt de database onder een nieuwe sleutel: oude kopieën van het "
                                              "sleutelbestand (een vertrokken medewerker, een verloren schijf) openen "
                                              "haar dan niet meer."))
        self.rotate_button.setVisible(rotate_key is not None and self.manages)
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
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.dossier_list.itemChanged.connect(self._dossier_toggled)
        self.accounts = []
        self._filling = False
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected()
        self.accounts = self.repo.list()
        waiting = self.repo.waiting_for_password()      # after a renewal of the database key
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.accounts))
        for i, a in enumerate(self.accounts):
            active = (self.tr("ja, nieuw wachtwoord nodig") if a.login in waiting else self.tr("ja")) if a.active \
                else self.tr("nee")
            last = local_time_text(a.last_login) or self.tr("nog nooit")
            for j, v in enumerate((a.login, a.name, a.role.label, active, last)):
                item = QTableWidgetItem(v)
                if a.login in waiting:
                    item.setToolTip(self.tr("De databasesleutel werd vernieuwd: stel een nieuw wachtwoord in voor "
                                            "dit account, anders kan het zich niet aanmelden."))
                self.table.setItem(i, j, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()       # the state "ja, nieuw wachtwoord nodig" stays readable
        ids = [a.id for a in self.accounts]
        if keep is not None and keep.id in ids:
            self.select_account(keep.id)
        else:
            self.table.clearSelection()
            self._selection_changed()

    def select_account(self, account_id: int) -> None:
        for i, a in enumerate(self.accounts):
            if a.id == account_id:
                self.table.selectRow(i)
                self._selection_changed()
                return

    def selected(self):
        if not self.accounts:
            return None
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows and rows[0].row() < len(self.accounts) else None

    # -- selection: the role box and the dossiers follow the selected account ---------------------------
    def _selection_changed(self) -> None:
        acc = self.selected()
        for b in (self.password_button, self.role_box, self.role_button, self.active_button):
            b.setEnabled(acc is not None)
        if acc is not None:
            self.role_box.setCurrentIndex(max(0, self.role_box.findData(acc.role.value)))
        self._fill_dossiers(acc)

    def _fill_dossiers(self, acc) -> None:
        self._filling = True
        try:
            self.dossier_list.clear()
            if acc is None:
                self.dossier_title.setText(self.tr("Dossiers"))
                self.dossier_hint.setText(self.tr("Kies links een consulent om dossiers toe te wijzen."))
                self.dossier_list.setEnabled(False)
                return
            self.dossier_title.setText(self.tr("Dossiers van {naam} ({login})").format(naam=acc.name, login=acc.login))
            if not self.assigns:
                self.dossier_hint.setText(self.tr("Alleen een beheerder of celcoördinator wijst dossiers toe."))
                self.dossier_list.setEnabled(False)
                return
            if acc.role is not Role.CONSULENT:
                self.dossier_hint.setText(self.tr("Een {rol} ziet alle dossiers; toewijzen is alleen nodig voor een "
                                                  "consulent.").format(rol=acc.role.label.lower()))
                self.dossier_list.setEnabled(False)
                return
            from db.dossiers import DossierRepository
            assigned = set(self.repo.dossiers_of(acc.id))
            summaries = DossierRepository(self.repo.db, principal=self.repo.principal, audit=None).summaries()
            for d in summaries:
                workers = self.tr("1 werknemer") if d.worker_count == 1 else self.tr("{n} werknemers").format(
                    n=d.worker_count)
                item = QListWidgetItem(self.tr("{naam} (nr. {id}, {werknemers})").format(
                    naam=d.company_name, id=d.id, werknemers=workers))
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if d.id in assigned else Qt.CheckState.Unchecked)
                self.dossier_list.addItem(item)
            self.dossier_list.setEnabled(bool(summaries))
            self.dossier_hint.setText(self._assigned_text(acc, len(assigned)) if summaries
                                      else self.tr("Er zijn nog geen dossiers."))
        finally:
            self._filling = False

    def _assigned_text(self, acc, n: int) -> str:
        if n == 0:
            return self.tr("{naam} heeft nog geen dossier: vink er een aan.").format(naam=acc.name)
        return (self.tr("{naam} heeft 1 dossier.") if n == 1 else self.tr("{naam} heeft {n} dossiers.")).format(
            naam=acc.name, n=n)

    def assigned_dossiers(self) -> list[int]:
        """The dossier ids checked in the list (what is stored for the selected consulent)."""
        return [self.dossier_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.dossier_list.count())
                if self.dossier_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_assigned(self, dossier_id: int, assigned: bool) -> bool:
        """Check or uncheck a dossier for the selected consulent (as a click does)."""
        for i in range(self.dossier_list.count()):
            item = self.dossier_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == dossier_id:
                item.setCheckState(Qt.CheckState.Checked if assigned else Qt.CheckState.Unchecked)
                return True
        return False

    def _dossier_toggled(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        acc = self.selected()
        if acc is None:
            return
        dossier_id = item.data(Qt.ItemDataRole.UserRole)
        on = item.checkState() == Qt.CheckState.Checked
        try:
            (self.repo.assign if on else self.repo.unassign)(dossier_id, acc.id)
        except (UserError, DatabaseError) as e:
            QMessageBox.warning(self, self.tr("Accounts"), str(e))
            self._fill_dossiers(acc)                 # show what is stored
            return
        self.dossier_hint.setText(
            (self.tr("Dossier {id} toegewezen aan {naam}.") if on else
             self.tr("Toewijzing van dossier {id} aan {naam} ingetrokken.")).format(id=dossier_id, naam=acc.name)
            + " " + self._assigned_text(acc, len(self.repo.dossiers_of(acc.id))))

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
        """Give the selected account the role in the box, after a confirmation that says what it means."""
        acc = self.selected()
        if acc is None:
            return False
        new = Role(self.role_box.currentData())
        if new is acc.role:
            QMessageBox.information(self, self.tr("Rol wijzigen"), self.tr("{naam} is al {rol}.").format(
                naam=acc.name, rol=acc.role.label.lower()))
            return False
        lines = [self.tr("De rol van {naam} ({login}) wordt {nieuw} in plaats van {oud}.").format(
            naam=acc.name, login=acc.login, nieuw=new.label.lower(), oud=acc.role.label.lower())]
        if acc.role is Role.ADMIN:
            lines.append(self.tr("Dit account kan dan geen accounts meer beheren, geen reservekopie terugzetten en de "
                                 "bewaartermijn niet meer toepassen."))
        if acc.role in (Role.ADMIN, Role.COORDINATOR) and new is Role.CONSULENT:
            lines.append(self.tr("Het ziet dan alleen nog de dossiers die aan het account toegewezen zijn."))
        if acc.role is Role.COORDINATOR:
            lines.append(self.tr("Het kan dan geen consulenten meer toewijzen en ziet de functionele beperkingen van "
                                 "andere consulenten niet meer."))
        if new is Role.ADMIN:
            lines.append(self.tr("Een beheerder beheert alle accounts en kan een reservekopie terugzetten."))
        principal = self.repo.principal
        if principal is not None and principal.account_id == acc.id:
            lines.append(self.tr("Dit is je eigen account."))
        lines.append(self.tr("Rol wijzigen?"))
        answer = QMessageBox.question(self, self.tr("Rol wijzigen"), "\n\n".join(lines),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self.role_box.setCurrentIndex(max(0, self.role_box.findData(acc.role.value)))
            return False
        return self._run(lambda: self.repo.update(acc.id, role=new))

    def toggle_active(self) -> bool:
        acc = self.selected()
        return acc is not None and self._run(lambda: self.repo.update(acc.id, active=not acc.active))
