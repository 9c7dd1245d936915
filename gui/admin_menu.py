"""The "Beheer" menu: accounts (beheerder; the celcoördinator for assigning dossiers) and the audit trail
(beheerder, celcoördinator),
offered only to the roles that may use them (the repositories enforce the same rules)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction


def _tr(text: str) -> str:
    return QCoreApplication.translate("admin_menu", text)


def install_admin_menu(window, db, principal, audit) -> None:
    if principal is None:
        return
    may_accounts = principal.manages_accounts or principal.assigns_dossiers   # the celcoördinator: assignments only
    may_audit = principal.manages_accounts or principal.sees_all_dossiers
    if not (may_accounts or may_audit):
        return
    menu = window.menuBar().addMenu(_tr("B&eheer"))
    window.menus["admin"] = menu
    if may_accounts:
        act = QAction(_tr("&Accounts…"), window)
        act.triggered.connect(lambda: _accounts(window, db))
        menu.addAction(act)
    if may_audit and audit is not None:
        act = QAction(_tr("Audit&log…"), window)
        act.triggered.connect(lambda: _audit(window, audit))
        menu.addAction(act)
    from gui.data_menu import keep_help_last
    keep_help_last(window)


def _accounts(window, db) -> None:
    from db.accounts import AccountRepository
    from gui.accounts_dialog import AccountsDialog
    session = window.services.extra.get("session") if getattr(window, "services", None) else None
    rotate = after = None
    if session is not None:          # the window offers the key renewal to a beheerder only
        def rotate(password: str):
            from db.rekey import rotate_database_key
            if not window.leave_for_restart():
                from core.errors import UserError
                raise UserError(_tr("Bewaar of annuleer eerst de wijzigingen in het venster."))
            return rotate_database_key(session, password)
        after = restart_application
    AccountsDialog(AccountRepository(db), parent=window, rotate_key=rotate, after_rotation=after).exec()


def restart_application() -> None:
    """Start Werkbrug again (sign-in window) and end this process: after a renewal of the database key
    the open connection belongs to the file as it was."""
    import sys
    from PySide6.QtCore import QProcess
    from PySide6.QtWidgets import QApplication
    from gui.app import release_database
    args = sys.argv[1:] if getattr(sys, "frozen", False) else sys.argv
    release_database()                   # the new window takes the database's lock over
    QProcess.startDetached(sys.executable, list(args))
    QApplication.exit(0)


def _audit(window, audit) -> None:
    from gui.audit_view import AuditView
    AuditView(audit, parent=window).exec()
