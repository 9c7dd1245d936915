"""Start the graphical application."""
from __future__ import annotations

import logging
import os
import sys
import traceback

log = logging.getLogger("werkbrug.gui")


def _install_excepthook(app) -> None:
    from PySide6.QtWidgets import QMessageBox
    from core.logging_setup import log_file

    def hook(exc_type, exc, tb):
        log.error("unhandled: %s", "".join(traceback.format_exception(exc_type, exc, tb)))
        try:
            QMessageBox.critical(None, app.translate("app", "Onverwachte fout"),
                                 app.translate("app", "Er ging iets mis: {fout}\n\nDe details staan in {log}. "
                                                      "Je gegevens zijn bewaard tot aan je laatste bewaaractie.")
                                 .format(fout=exc, log=log_file()))
        except Exception:  # noqa: BLE001
            pass

    sys.excepthook = hook


def create_application(argv: list[str]):
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication
    from core import i18n
    from core.resources import resource_path
    app = QApplication.instance() or QApplication(["werkbrug", *argv])
    app.setApplicationName("Werkbrug")
    app.setOrganizationName("Werkbrug")
    QLocale.setDefault(QLocale("nl_BE"))
    lang = QLocale.system().name()[:2]
    if lang not in ("nl", "fr"):
        lang = "nl"                         # the application speaks Dutch, and French where translated
    # Qt's own texts (standard buttons such as Annuleren, Ja/Nee, the file dialogs) in the same language
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
    translator = QTranslator(app)
    qm = resource_path("translations", f"werkbrug_{lang}.qm")
    if lang != "nl" and qm.exists() and translator.load(str(qm)):
        app.installTranslator(translator)
    i18n.set_backend(QCoreApplication.translate)
    return app


def _icon():
    from PySide6.QtGui import QIcon
    from core.resources import resource_path
    svg = resource_path("icons", "werkbrug.svg")
    return QIcon(str(svg)) if svg.exists() else QIcon()


def _ask_retention(app, db, principal) -> None:
    """At start-up, a beheerder confirms anonymising dossiers past the retention period."""
    from PySide6.QtWidgets import QMessageBox
    from db.gdpr import apply_retention, pending_retention
    if principal is None or not principal.manages_accounts:
        return
    due = pending_retention(db)
    if not due:
        return
    answer = QMessageBox.question(
        None, app.translate("app", "Bewaartermijn verstreken"),
        (app.translate("app", "1 afgesloten dossier is ouder dan de bewaartermijn. Nu anonimiseren? "
                              "Identiteitsgegevens worden verwijderd, de cijfers blijven.") if len(due) == 1 else
         app.translate("app", "{n} afgesloten dossiers zijn ouder dan de bewaartermijn. Nu anonimiseren? "
                              "Identiteitsgegevens worden verwijderd, de cijfers blijven.")).format(n=len(due)))
    if answer == QMessageBox.StandardButton.Yes:
        apply_retention(db, principal)


def _daily_backup(db_path) -> None:
    """Once a day, in a thread of its own with its own connection: the window does not wait."""
    import threading

    def work() -> None:
        try:
            from db.backup import auto_backup_if_due
            from db.connection import open_database
            own = open_database(db_path, migrate_schema=False)
            try:
                auto_backup_if_due(own)
            finally:
                own.conn.close()
        except Exception:  # noqa: BLE001 - a failed backup must not stop the counsellor; it is logged
            log.exception("automatic backup failed")

    threading.Thread(target=work, name="werkbrug-backup", daemon=False).start()


def run_gui(ctx, argv: list[str]) -> int:
    from db.connection import default_database_path
    app = create_application(argv)
    app.setWindowIcon(_icon())
    app.setDesktopFileName("werkbrug")
    _install_excepthook(app)
    if not _hold_database(app, ctx.db_path or default_database_path()):
        return 2
    try:
        return _run_signed_in(app, ctx)
    finally:
        release_database()


def _hold_database(app, db_path, wait: float = 5.0) -> bool:
    """Take this window's lock on the database (db/instance_lock.py); False after saying who holds it.
    Waits a few seconds: after a key renewal or a restore the previous window may still be ending."""
    from PySide6.QtWidgets import QMessageBox
    from db.instance_lock import WINDOW, DatabaseInUse, InstanceLock
    global _lock
    try:
        _lock = InstanceLock(db_path).acquire(WINDOW, wait=wait)
    except DatabaseInUse as e:
        QMessageBox.warning(None, app.translate("app", "Werkbrug is al geopend"), str(e))
        return False
    except OSError as e:           # a folder without write access: the database itself will say more
        log.warning("no lock on the database: %s", e)
        _lock = None
    return True


_lock = None


def release_database() -> None:
    """Give the database's lock back (before starting Werkbrug again, and when the window ends)."""
    global _lock
    lock, _lock = _lock, None
    if lock is not None:
        lock.release()


def _run_signed_in(app, ctx) -> int:
    from PySide6.QtWidgets import QMessageBox
    from db.connection import default_database_path
    from db.errors import DatabaseError
    from gui.admin_menu import install_admin_menu
    from gui.batch_print import install_batch_print
    from gui.data_menu import install_data_menu
    from gui.idle_lock import IdleLock
    from gui.login_dialog import sign_in
    from gui.main_window import MainWindow
    from gui.services import Services
    try:
        if not sign_in(ctx):
            return 0
        db = ctx.db
    except DatabaseError as e:
        QMessageBox.critical(None, app.translate("app", "Database kan niet geopend worden"), str(e))
        return 2
    except Exception as e:  # noqa: BLE001 - e.g. a refused sign-in from the environment
        QMessageBox.critical(None, app.translate("app", "Aanmelden niet gelukt"), str(e))
        return 2
    _ask_retention(app, db, ctx.principal)
    db_path = ctx.db_path or default_database_path()
    _daily_backup(db_path)
    services = Services.from_db(db, db_path, warm=False)   # the matching engine is built once the window shows
    services.extra.update(session=ctx.session, audit=ctx.audit, principal=ctx.principal)
    window = MainWindow(services)
    install_data_menu(window)
    install_batch_print(window)
    install_admin_menu(window, db, ctx.principal, ctx.audit)
    if ctx.session is not None:
        from db.accounts import idle_lock_minutes
        window.idle_lock = IdleLock(window, ctx.session, minutes=idle_lock_minutes(db))
    screen = app.primaryScreen().availableGeometry() if app.primaryScreen() else None
    if screen is not None and (screen.width() < 1400 or screen.height() < 820):
        window.setGeometry(screen)          # a laptop screen: use all of it
        window.showMaximized()
    else:
        window.show()
    from PySide6.QtCore import QTimer
    if os.environ.get("WERKBRUG_EXIT_WHEN_SHOWN"):   # used by the start-up benchmark: stop once shown
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, lambda: _warm_matching(window))
    return app.exec()


def _warm_matching(window) -> None:
    """Build the matching engine right after the window is shown (about 0.3 s the counsellor
    would otherwise wait for at start-up); when it cannot be built, matching is switched off."""
    from gui.services import warm_matching
    service = window.matcher
    if service is not None and not warm_matching(service):
        window.matching_unavailable()
