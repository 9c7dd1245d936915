"""The "Beheer" menu: accounts (beheerder) and the audit trail (beheerder, celcoördinator),
offered only to the roles that may use them (the repositories enforce the same rules)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction


def _tr(text: str) -> str:
    return QCoreApplication.translate("admin_menu", text)


def install_admin_menu(window, db, principal, audit) -> None:
    if principal is None:
        return
    may_accounts = principal.manages_accounts
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
    AccountsDialog(AccountRepository(db), parent=window).exec()


def _audit(window, audit) -> None:
    from gui.audit_view import AuditView
    AuditView(audit, parent=window).exec()
