"""“Match alle werknemers”: rank the bottleneck occupations for every worker of a dossier in the
background, with a progress bar and a cancel button in the status bar. The results are stored by
the matching engine's repository (db.matches) and the workers table shows each best occupation.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QProgressBar, QPushButton

log = logging.getLogger("werkbrug.gui.dossier_match")
TASK_KEY = "match_all"


def match_results_repository(db):
    """The repository of stored match results, or None while it is not available."""
    try:
        from db.matches import MatchResultRepository
    except ImportError:
        return None
    return MatchResultRepository(db)


def best_per_worker(db, dossier_id: int) -> dict[int, tuple[str, float]]:
    repo = match_results_repository(db)
    if repo is None:
        return {}
    try:
        return repo.best_per_worker(dossier_id)
    except Exception:  # noqa: BLE001 - an old database without the results table: show no scores
        log.exception("best_per_worker failed")
        return {}


class DossierMatcher(QObject):
    finished = Signal(int, object)        # dossier id, best occupation and score per worker id
    running_changed = Signal(bool)

    def __init__(self, window, services, tasks, matcher):
        super().__init__(window)
        self.window = window
        self.services = services
        self.tasks = tasks
        self.matcher = matcher
        self.dossier_id: int | None = None
        self._read_at: str | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setFormat(self.tr("Matching %p%"))
        self.btn_cancel = QPushButton(self.tr("Annuleren"))
        self.btn_cancel.setToolTip(self.tr("De matching van het dossier stoppen"))
        self.btn_cancel.clicked.connect(self.cancel)
        bar = window.statusBar()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.btn_cancel)
        self._show(False)

    def _show(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.btn_cancel.setVisible(running)
        self.running_changed.emit(running)

    @property
    def running(self) -> bool:
        return self.tasks.is_running(TASK_KEY)

    def start(self, dossier_id: int | None) -> bool:
        if dossier_id is None:
            return False
        if self.matcher is None:
            QMessageBox.information(self.window, self.tr("Matching niet beschikbaar"), self.tr(
                "De matchingmodule of de referentiegegevens zijn niet geladen."))
            return False
        if self.running:
            return False
        n = self.services.workers.count(dossier_id)
        if not n:
            return False
        self.dossier_id = dossier_id
        matcher = getattr(self.matcher, "current", self.matcher)   # resolved here, on the window's connection
        db_path = self.services.db_path
        from db.accounts import bound_principal
        principal = bound_principal(self.services.db)

        from db.convert import utc_now
        self._read_at = utc_now()     # a worker saved after this keeps the ranking of its save

        def job(progress, is_cancelled):
            # the workers are read in the thread, on a connection of its own with the same rights
            if db_path is None:
                workers = self.services.workers.load_dossier(dossier_id)
            else:
                from db.accounts import bind
                from db.connection import open_database
                from db.workers import WorkerRepository
                own = open_database(db_path, migrate_schema=False)
                try:
                    bind(own, principal, None)
                    workers = WorkerRepository(own).load_dossier(dossier_id)
                finally:
                    own.conn.close()
            return matcher.rank_dossier(workers, progress, is_cancelled)
        self.progress.setValue(0)
        self._show(True)
        self.window.statusBar().showMessage((self.tr("1 werknemer wordt gematcht…") if n == 1 else
                                             self.tr("{n} werknemers worden gematcht…")).format(n=n))
        task = self.tasks.start(TASK_KEY, job, on_done=self._done, on_error=self._failed, on_progress=self._progress)
        task.signals.cancelled.connect(self._cancelled)
        return True

    def cancel(self) -> None:
        self.tasks.cancel(TASK_KEY)

    def _progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        if text:
            self.progress.setToolTip(text)

    def _done(self, results: dict) -> None:
        self._show(False)
        repo = match_results_repository(self.services.db)
        best = {wid: (m[0].name, m[0].score) for wid, m in results.items() if m}   # this run, if storing fails
        if repo is not None:
            try:
                repo.store_many(results, read_at=self._read_at)
                best = best_per_worker(self.services.db, self.dossier_id)
            except Exception as e:  # noqa: BLE001 - still show the results; say they were not kept
                log.exception("storing match results failed")
                QMessageBox.warning(self.window, self.tr("Resultaten niet bewaard"), self.tr(
                    "De matching is klaar, maar de resultaten konden niet bewaard worden: {fout}").format(fout=e))
        self.window.statusBar().showMessage((self.tr("Matching klaar voor 1 werknemer.") if len(results) == 1 else
                                             self.tr("Matching klaar voor {n} werknemers.")).format(n=len(results)), 8000)
        self.finished.emit(self.dossier_id, best)

    def _failed(self, message: str) -> None:
        self._show(False)
        QMessageBox.warning(self.window, self.tr("Matching mislukt"),
                            self.tr("De matching van het dossier mislukte: {fout}").format(fout=message))

    def _cancelled(self) -> None:
        self._show(False)
        self.window.statusBar().showMessage(self.tr("Matching van het dossier geannuleerd."), 6000)
