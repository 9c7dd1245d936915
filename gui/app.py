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
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication
    from core import i18n
    from core.resources import resource_path
    app = QApplication.instance() or QApplication(["werkbrug", *argv])
    app.setApplicationName("Werkbrug")
    app.setOrganizationName("Werkbrug")
    QLocale.setDefault(QLocale("nl_BE"))
    translator = QTranslator(app)
    lang = QLocale.system().name()[:2]
    qm = resource_path("translations", f"werkbrug_{lang}.qm")
    if lang != "nl" and qm.exists() and translator.load(str(qm)):
        app.installTranslator(translator)
    i18n.set_backend(QCoreApplication.translate)
    return app


def run_gui(ctx, argv: list[str]) -> int:
    from PySide6.QtWidgets import QMessageBox
    from db.connection import default_database_path
    from db.errors import DatabaseError
    from gui.main_window import MainWindow
    from gui.services import Services
    app = create_application(argv)
    _install_excepthook(app)
    try:
        db = ctx.db
    except DatabaseError as e:
        QMessageBox.critical(None, app.translate("app", "Database kan niet geopend worden"), str(e))
        return 2
    window = MainWindow(Services.from_db(db, ctx.db_path or default_database_path()))
    screen = app.primaryScreen().availableGeometry() if app.primaryScreen() else None
    if screen is not None and (screen.width() < 1400 or screen.height() < 820):
        window.showMaximized()
    else:
        window.show()
    if os.environ.get("WERKBRUG_EXIT_WHEN_SHOWN"):   # used by the start-up benchmark
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, app.quit)
    return app.exec()
