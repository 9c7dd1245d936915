"""Restoring a backup from the window (*Gegevens > Reservekopie terugzetten…*, a beheerder only).

The window runs the same ``db.backup.restore`` as ``python main.py restore``, with all its checks (the
kind of file, the backup's key file, integrity and schema, a beheerder of the backup, erasures made after
it). What the window adds is the asking: the file, the password (the backup's key file must let the account
in, as the command line's sign-in does), and one confirmation that says what will happen, with the GDPR
erasures since the backup to be confirmed explicitly. Then, as after a renewal of the database key, the
open worker is saved or dropped, background work stops, the connection is closed and Werkbrug starts again
for a new sign-in.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QVBoxLayout)

from core.errors import UserError
from core.fileio import error_text
from db.errors import DatabaseError

log = logging.getLogger("werkbrug.gui.restore")
_CANCELLED = object()
OLD_PASSWORD_TRIES = 3          # asks for the password of then while the one given does not open the backup


def _tr(text: str) -> str:
    return QCoreApplication.translate("restore_backup", text)


def _title() -> str:
    return _tr("Reservekopie terugzetten")


def may_restore(services) -> bool:
    """Offered to a signed-in beheerder only (db.backup.restore refuses anyone else as well)."""
    session = services.extra.get("session")
    principal = getattr(session, "principal", None)
    return principal is not None and principal.manages_accounts and services.db_path is not None


def contents_text(dossiers: int, workers: int) -> str:
    """"1 dossier, 120 werknemers": what a backup holds."""
    return _tr("{dossiers}, {werknemers}").format(
        dossiers=_tr("1 dossier") if dossiers == 1 else _tr("{n} dossiers").format(n=dossiers),
        werknemers=_tr("1 werknemer") if workers == 1 else _tr("{n} werknemers").format(n=workers))


@contextmanager
def _normal_cursor():
    """Show the normal cursor while a question is asked during work under the wait cursor."""
    waiting = QGuiApplication.overrideCursor() is not None
    if waiting:
        QGuiApplication.restoreOverrideCursor()
    try:
        yield
    finally:
        if waiting:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)


class RestoreDialog(QDialog):
    """What restoring this backup will do, asked once before anything changes: the backup (when it was made,
    what it holds), where the current database is set aside, and the erasures made after the backup that
    will be applied again; with erasures, the restore button waits until that is ticked."""

    def __init__(self, parent=None, *, backup: Path, info, lost, aside: Path, made_at=None,
                 old_password: bool = False):
        super().__init__(parent)
        self.setWindowTitle(_title())
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        holds = contents_text(info.dossiers, info.workers)
        lines = [_tr("Je zet deze reservekopie terug:\n{pad}").format(pad=backup),
                 (_tr("Gemaakt op {datum}; ze bevat {inhoud}.").format(
                     datum=made_at.strftime("%d/%m/%Y %H:%M"), inhoud=holds) if made_at is not None else
                  _tr("Ze bevat {inhoud}.").format(inhoud=holds)),
                 _tr("De huidige database wordt niet gewist: ze wordt met haar sleutelbestand opzij gezet als\n"
                     "{pad}\nWat na de reservekopie ingevoerd of gewijzigd werd, staat daarna alleen nog in dat "
                     "bestand.").format(pad=aside)]
        if old_password:
            lines.append(_tr("Het sleutelbestand van de reservekopie kent je wachtwoord van toen: meld je na het "
                             "terugzetten met dat wachtwoord aan."))
        lines.append(_tr("Wijzigingen die nog open staan, bewaar of annuleer je eerst. Werkbrug start daarna "
                         "opnieuw en je meldt je opnieuw aan."))
        self.summary = QLabel("\n\n".join(lines), objectName="restoreSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        self.erasures = self.reapply = None
        if lost:
            from cli.cmd_backup import erasures_text
            self.erasures = QPlainTextEdit(erasures_text(lost), objectName="restoreErasures")
            self.erasures.setReadOnly(True)
            self.erasures.setMinimumHeight(150)
            lay.addWidget(self.erasures)
            self.reapply = QCheckBox(_tr("Ik bevestig: deze wissingen worden na het terugzetten &opnieuw toegepast"),
                                     objectName="restoreReapply")
            lay.addWidget(self.reapply)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_tr("&Terugzetten"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("Annuleren"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        if self.reapply is not None:
            self.ok_button.setEnabled(False)
            self.reapply.toggled.connect(self.ok_button.setEnabled)

    def accept(self) -> None:
        if self.reapply is not None and not self.reapply.isChecked():
            return                           # the erasures are confirmed explicitly, never by Enter alone
        super().accept()


def restore_from_window(window, services, path: str | None = None) -> bool:
    """Ask for a backup, the password and a confirmation, restore it and start Werkbrug again. True when
    the backup was restored; False when nothing changed (cancelled or refused, said in Dutch)."""
    if not may_restore(services):
        return False
    from cli.cmd_backup import backup_unlocker
    from db.accounts import AccountRepository
    from db.backup import (BackupError, BackupKeyRefused, RestoreCancelled, backup_dir_for, backup_made_at,
                           check_backup_kind, restore)
    from db.connection import database_key
    session = services.extra["session"]
    principal = session.principal
    title = _title()

    def fail(message: str) -> bool:
        QMessageBox.warning(window, title, message)
        return False

    if not path:
        path, _ = QFileDialog.getOpenFileName(window, title, str(backup_dir_for(services.db_path)),
                                              _tr("Reservekopieën (*.db *.bak);;Alle bestanden (*)"))
    if not path:
        return False
    try:
        check_backup_kind(path)        # a transfer file or any other file is named as such before the password
    except BackupError as e:
        return fail(str(e))
    password, ok = QInputDialog.getText(window, title, _tr("Je wachtwoord, ter bevestiging:"),
                                        QLineEdit.EchoMode.Password)
    if not ok or not password:
        return False
    if not AccountRepository(services.db, principal=None, audit=None).check_password(principal.account_id, password):
        return fail(_tr("Het wachtwoord klopt niet. Er werd niets gewijzigd."))

    asked = []

    def ask_old_password() -> str:
        """The password of when the backup was made, in a password field; cancelled: nothing changes."""
        prompt = (_tr("Het sleutelbestand van de reservekopie opent niet met je huidige wachtwoord. Was het toen "
                      "anders? Je wachtwoord van toen de reservekopie gemaakt werd:") if not asked else
                  _tr("Ook dat wachtwoord opent het sleutelbestand van de reservekopie niet. Probeer opnieuw: je "
                      "wachtwoord van toen de reservekopie gemaakt werd:"))
        with _normal_cursor():
            old, given = QInputDialog.getText(window, title, prompt, QLineEdit.EchoMode.Password)
        if not given or not old:
            raise RestoreCancelled(_tr("De reservekopie werd niet teruggezet; er werd niets gewijzigd."))
        asked.append(True)
        return old

    unlock = backup_unlocker(principal.login, password, ask_old_password, tries=OLD_PASSWORD_TRIES)
    state = {"closed": False, "lost": None}

    def confirm(info, lost, aside) -> bool:
        with _normal_cursor():
            dlg = RestoreDialog(window, backup=Path(path), info=info, lost=lost, aside=aside,
                                made_at=backup_made_at(path), old_password=unlock.used_other)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            if not window.leave_for_restart():       # unsaved changes kept: stay, nothing changes
                return False
        lock = getattr(window, "idle_lock", None)
        if lock is not None:
            lock.stop()
        session.close()                     # the connection belongs to the file about to be set aside
        state.update(closed=True, lost=lost)
        return True

    failure = None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        info, aside = restore(path, services.db_path, key=database_key(services.db), unlock=unlock,
                              principal=principal, actor=principal.login, confirm=confirm)
    except RestoreCancelled:
        failure = _CANCELLED
    except BackupKeyRefused:
        failure = UserError(_tr("Het sleutelbestand van de reservekopie geeft je account geen toegang: je huidige "
                                "wachtwoord opent het niet, en het wachtwoord van toen dat je ingaf ook niet (bestond "
                                "je account toen al?). Na het terugzetten zou je je niet kunnen aanmelden; er werd "
                                "niets gewijzigd.") if asked else
                            _tr("Het sleutelbestand van de reservekopie geeft je account geen toegang (bestond je "
                                "account toen al?). Na het terugzetten zou je je niet kunnen aanmelden; er werd "
                                "niets gewijzigd."))
    except (UserError, OSError, DatabaseError) as e:
        failure = e
    except Exception as e:  # noqa: BLE001 - once the connection is closed, any failure ends in a new start
        if not state["closed"]:
            raise
        log.exception("restore failed")
        failure = e
    finally:
        QGuiApplication.restoreOverrideCursor()
    if failure is _CANCELLED:
        window.statusBar().showMessage(_tr("De reservekopie werd niet teruggezet; er werd niets gewijzigd."), 8000)
        return False
    if failure is not None:
        if not state["closed"]:
            return fail(error_text(failure))
        # restore put the current database back as it was; the window's connection is closed all the same
        fail(_tr("{fout}\n\nWerkbrug start opnieuw; meld je aan zoals voordien.").format(fout=error_text(failure)))
        _restart()
        return False
    lines = [_tr("Reservekopie teruggezet ({inhoud}).").format(inhoud=contents_text(info.dossiers, info.workers))]
    if aside.exists():
        lines.append(_tr("De vorige database staat in {pad}.").format(pad=aside))
    again = state["lost"].workers if state["lost"] else 0
    if again:
        lines.append(_tr("1 werknemer opnieuw geanonimiseerd (gewist na de reservekopie).") if again == 1 else
                     _tr("{n} werknemers opnieuw geanonimiseerd (gewist na de reservekopie).").format(n=again))
    lines.append(_tr("Werkbrug start nu opnieuw; meld je aan met je wachtwoord van toen de reservekopie gemaakt "
                     "werd.") if unlock.used_other else
                 _tr("Werkbrug start nu opnieuw; meld je aan met je wachtwoord."))
    QMessageBox.information(window, title, "\n\n".join(lines))
    _restart()
    return True


def _restart() -> None:
    from gui import admin_menu
    admin_menu.restart_application()      # looked up now: tests replace it
