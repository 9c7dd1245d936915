"""Gegevens > ESCO-beroepen importeren…: the ESCO CSV files of a folder into the database, in the
background with progress in the status bar (``cli.cmd_esco.import_esco_folder``: one transaction,
nothing changes on an error or a stop), then the job-title index is prepared. Offered to whoever may
change the reference data (a beheerder)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar, QPushButton

TASK_KEY = "esco-import"


def _tr(text: str) -> str:
    return QCoreApplication.translate("esco_import", text)


def may_import_esco(services) -> bool:
    """The same right as changing the reference data (``manages_reference_data``); no accounts: anyone."""
    principal = getattr(getattr(services, "workers", None), "principal", None)
    return getattr(services, "db_path", None) is not None and (
        principal is None or bool(getattr(principal, "manages_reference_data", False)))


def import_esco_job(db_path, principal, folder: str, *, progress=None, is_cancelled=None):
    """Runs in a worker thread on a connection of its own, with the signed-in user's rights."""
    from cli.cmd_esco import EscoImportCancelled, import_esco_folder, import_summary
    from db.accounts import bind
    from db.connection import open_database
    db = open_database(db_path, migrate_schema=False)
    try:
        bind(db, principal, None)
        return [import_summary(lang, counts) for lang, counts in
                import_esco_folder(db, folder, progress=progress, is_cancelled=is_cancelled)]
    except EscoImportCancelled:
        return None          # rolled back; the task reports the stop
    finally:
        db.conn.close()


class EscoImporter(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.services = window.services
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setFormat(_tr("ESCO %p%"))
        self.btn_cancel = QPushButton(_tr("ESCO-import stoppen"))
        self.btn_cancel.clicked.connect(lambda: window.tasks.cancel(TASK_KEY))
        window.statusBar().addPermanentWidget(self.progress)
        window.statusBar().addPermanentWidget(self.btn_cancel)
        self._show(False)
        self.folder = ""

    def _show(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.btn_cancel.setVisible(running)

    def start(self, folder: str | None = None) -> bool:
        w = self.window
        if w.tasks.is_running(TASK_KEY) or self.services.db_path is None:
            return False
        if folder is None:
            folder = QFileDialog.getExistingDirectory(w, _tr("Map met de ESCO-bestanden (occupations_nl.csv, …)"))
            if not folder:
                return False
        from db.accounts import bound_principal
        from db.esco import EscoRepository
        self.folder = folder
        self.version_before = EscoRepository(self.services.db).version()
        self.progress.setValue(0)
        self._show(True)
        w.statusBar().showMessage(_tr("ESCO-bestanden uit {map} worden ingelezen…").format(map=folder))
        task = w.tasks.start(TASK_KEY, import_esco_job, self.services.db_path, bound_principal(self.services.db),
                             folder, on_done=self._done, on_error=self._failed,
                             on_progress=lambda f, _t: self.progress.setValue(int(f * 1000)))
        task.signals.cancelled.connect(self._cancelled)
        return True

    def _done(self, summaries) -> None:
        self._show(False)
        self._titles_changed()
        text = _tr("ESCO ingelezen uit {map}.").format(map=self.folder)
        self.window.statusBar().showMessage(text, 12000)
        QMessageBox.information(self.window, _tr("ESCO ingelezen"), "\n".join([text, *summaries]))

    def _titles_changed(self) -> None:
        """The job-title suggestions follow the imported occupations."""
        source = self.services.extra.get("titles")
        if source is not None:
            source.invalidate()

    def _failed(self, message: str) -> None:
        self._show(False)
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, _tr("ESCO-import mislukt"),
                            _tr("De ESCO-bestanden werden niet ingelezen; er werd niets gewijzigd.\n\n{fout}")
                            .format(fout=message))

    def _cancelled(self) -> None:
        from db.esco import EscoRepository
        self._show(False)
        if EscoRepository(self.services.db).version() != self.version_before:
            # stopped after the import was committed (while the index was prepared): it is done
            self._titles_changed()
            self.window.statusBar().showMessage(_tr("ESCO ingelezen uit {map}.").format(map=self.folder), 12000)
            return
        self.window.statusBar().showMessage(_tr("ESCO-import gestopt; er werd niets gewijzigd."), 8000)


def install_esco_import(window) -> EscoImporter | None:
    """Add "ESCO-beroepen importeren…" to the Gegevens menu (for whoever may import it)."""
    from PySide6.QtGui import QAction
    if not may_import_esco(window.services):
        return None
    importer = EscoImporter(window)
    act = QAction(_tr("&ESCO-beroepen importeren…"), window)
    act.setObjectName("act_import_esco")
    act.triggered.connect(lambda: importer.start())
    menu = window.menus.get("data")
    if menu is None:
        menu = window.menuBar().addMenu(_tr("&Gegevens"))
    menu.addSeparator()
    menu.addAction(act)
    window.esco_importer = importer
    return importer
