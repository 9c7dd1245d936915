"""Print the trajectory plans of a whole dossier (or the selected workers) to PDF in the background:
one combined PDF or a folder with one PDF per worker, with progress and cancel in the status bar."""
from __future__ import annotations


from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar, QPushButton

TASK_KEY = "print_plans"


def _tr(text: str) -> str:
    return QCoreApplication.translate("batch_print", text)


def print_plans_job(db_path, principal, dossier_id: int, worker_ids: list[int], *, out_dir=None, single=None,
                    progress=None, is_cancelled=None):
    """Runs in a worker thread on a connection of its own, with the signed-in counsellor's rights."""
    from cli.cmd_plan import PlanLoader, label_lookup
    from core.plan_pdf import write_plans
    from db.accounts import bind
    from db.connection import open_database
    db = open_database(db_path, migrate_schema=False)
    try:
        bind(db, principal, None)
        lookup = label_lookup(db)
        loader = PlanLoader(db, lookup)
        dossier = loader.dossiers.get(dossier_id)
        title = _tr("Individuele trajectplannen – {bedrijf}").format(bedrijf=dossier.company_name)
        result = write_plans(worker_ids, loader.load, out_dir=out_dir, single=single, label_lookup=lookup,
                             progress=progress, is_cancelled=is_cancelled, title=title)
        return result, len(loader.concepts)
    finally:
        db.conn.close()


class BatchPrinter(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.services = window.services
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setFormat(_tr("Plannen %p%"))
        self.btn_cancel = QPushButton(_tr("Afdrukken stoppen"))
        self.btn_cancel.clicked.connect(lambda: window.tasks.cancel(TASK_KEY))
        window.statusBar().addPermanentWidget(self.progress)
        window.statusBar().addPermanentWidget(self.btn_cancel)
        self._show(False)
        self.target = ""

    def _show(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.btn_cancel.setVisible(running)

    def start(self, *, single: str | None = None, out_dir: str | None = None) -> bool:
        """Print the selected workers (two or more), else the whole dossier, to ``single`` or ``out_dir``."""
        w = self.window
        if w.current_dossier_id is None or w.tasks.is_running(TASK_KEY) or self.services.db_path is None:
            return False
        selected = w.selected_worker_ids()
        ids = selected if len(selected) > 1 else self.services.workers.ids_in_dossier(w.current_dossier_id)
        if not ids:
            return False
        if single is None and out_dir is None:
            single, out_dir = self._ask_target()
            if single is None and out_dir is None:
                return False
        from db.accounts import bound_principal
        self.target = single or out_dir
        self.dossier_id = w.current_dossier_id
        self.progress.setValue(0)
        self._show(True)
        w.statusBar().showMessage((_tr("1 trajectplan wordt afgedrukt…") if len(ids) == 1 else
                                   _tr("{n} trajectplannen worden afgedrukt…")).format(n=len(ids)))
        task = w.tasks.start(TASK_KEY, print_plans_job, self.services.db_path, bound_principal(self.services.db),
                             w.current_dossier_id, ids, out_dir=out_dir, single=single, on_done=self._done,
                             on_error=self._failed, on_progress=lambda f, _t: self.progress.setValue(int(f * 1000)))
        task.signals.cancelled.connect(self._cancelled)
        return True

    def _ask_target(self) -> tuple[str | None, str | None]:
        box = QMessageBox(self.window)
        box.setWindowTitle(_tr("Trajectplannen afdrukken"))
        box.setText(_tr("Alle plannen in één PDF-bestand, of één PDF per werknemer in een map?"))
        one = box.addButton(_tr("Eén PDF-bestand"), QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton(_tr("Eén PDF per werknemer"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is one:
            path, _ = QFileDialog.getSaveFileName(self.window, _tr("Trajectplannen bewaren"), "trajectplannen.pdf",
                                                  _tr("PDF (*.pdf)"))
            if path and not path.lower().endswith(".pdf"):
                path += ".pdf"
            return (path or None), None
        if box.clickedButton() is folder:
            path = QFileDialog.getExistingDirectory(self.window, _tr("Map voor de trajectplannen"))
            return None, (path or None)
        return None, None

    def _done(self, outcome) -> None:
        result, concepts = outcome
        self._show(False)
        audit = self.services.extra.get("audit")
        if audit is not None and result.written:
            sensitive = ["limitations"] if any(d.plan.print_limitations for d in result.written) else []
            audit.exported("trajectplannen", "dossier", self.dossier_id, destination=str(self.target),
                           sensitive_fields=sensitive, count=len(result.written))
        if len(result.written) != 1:
            text = _tr("{n} trajectplannen ({p} pagina's) geschreven naar {pad}.")
        else:
            text = _tr("1 trajectplan (1 pagina) geschreven naar {pad}.") if result.pages == 1 else \
                _tr("1 trajectplan ({p} pagina's) geschreven naar {pad}.")
        text = text.format(n=len(result.written), p=result.pages, pad=self.target)
        if concepts:
            text += " " + (_tr("1 werknemer heeft nog geen plan: daarvoor werd een conceptplan afgedrukt.")
                           if concepts == 1 else
                           _tr("{n} werknemers hebben nog geen plan: voor hen werd een conceptplan afgedrukt.")
                           ).format(n=concepts)
        self.window.statusBar().showMessage(text, 12000)

    def _failed(self, message: str) -> None:
        self._show(False)
        QMessageBox.warning(self.window, _tr("Afdrukken mislukt"), message)

    def _cancelled(self) -> None:
        self._show(False)
        self.window.statusBar().showMessage(_tr("Afdrukken van de trajectplannen gestopt."), 6000)


def install_batch_print(window) -> BatchPrinter:
    printer = BatchPrinter(window)
    act = QAction(_tr("Trajectplannen van het dossier als &PDF…"), window)
    act.triggered.connect(lambda: printer.start())
    menu = window.menus.get("workers")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(act)
    window.batch_printer = printer
    return printer
