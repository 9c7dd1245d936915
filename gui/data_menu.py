"""Data in and out from the window: the employer's list (menu and drag-and-drop), the dossier
overview to Excel, the cell report as PDF, backups (and restoring one: a beheerder, gui.restore_backup), and transfer files
to move a dossier to another computer."""
from __future__ import annotations


from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QRadioButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from core.errors import UserError
from core.fileio import error_text
from db.errors import DatabaseError


_FAILED = object()


def _tr(text: str) -> str:
    return QCoreApplication.translate("data_menu", text)


class DataActions(QObject):
    """Menu actions and the drop target; installed on a MainWindow by ``install_data_menu``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        s = window.services
        self.services, self.db = s, s.db
        self.audit = s.extra.get("audit")
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- helpers -----------------------------------------------------------------------------------
    def _dossier(self):
        if self.window.current_dossier_id is None:
            QMessageBox.information(self.window, _tr("Geen dossier"), _tr("Kies eerst een dossier."))
            return None
        return self.services.dossiers.get(self.window.current_dossier_id)

    def _fail(self, e: Exception) -> None:
        QMessageBox.warning(self.window, _tr("Niet gelukt"), error_text(e))

    def _attempt(self, func, *args, **kwargs):
        """``func(...)`` under a wait cursor; a failure is shown to the counsellor and gives ``_FAILED``."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return func(*args, **kwargs)
        except (UserError, OSError, DatabaseError) as e:
            QGuiApplication.restoreOverrideCursor()
            self._fail(e)
            return _FAILED
        finally:
            if QGuiApplication.overrideCursor() is not None:
                QGuiApplication.restoreOverrideCursor()

    # -- employer's list -----------------------------------------------------------------------------
    def import_list(self, path: str | None = None) -> None:
        dossier = self._dossier()
        if dossier is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.window, _tr("Personeelslijst van de werkgever"), "",
                                                  _tr("Lijsten (*.xlsx *.xls *.csv *.txt);;Alle bestanden (*)"))
        if not path:
            return
        from gui.import_dialog import open_import_for_path
        dlg = open_import_for_path(self.services, dossier, path, parent=self.window)
        if dlg is not None and dlg.exec() == QDialog.DialogCode.Accepted:
            # the dialog wrote the audit entry in the import's transaction
            self.window.refresh_dossiers(dossier.id)
            if getattr(dlg, "error_file", None) and not getattr(dlg, "error_file_problem", None):
                n, m = len(dlg.imported_ids), getattr(dlg, "rejected_count", 0)
                done = _tr("1 werknemer geïmporteerd.") if n == 1 else _tr("{n} werknemers geïmporteerd.").format(n=n)
                rest = (_tr("De rij die niet geïmporteerd werd, staat in {pad}.") if m == 1 else
                        _tr("De rijen die niet geïmporteerd werden, staan in {pad}.")).format(pad=dlg.error_file)
                self.window.statusBar().showMessage(f"{done} {rest}", 15000)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        t = event.type()
        if obj is self.window and t in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self._dropped_path(event):
                event.acceptProposedAction()
                return True
        if obj is self.window and t == QEvent.Type.Drop:
            path = self._dropped_path(event)
            if path:
                event.acceptProposedAction()
                self.import_list(path)
                return True
        return False

    @staticmethod
    def _dropped_path(event) -> str | None:
        from gui.import_dialog import accepts_drop
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and accepts_drop(url.toLocalFile()):
                return url.toLocalFile()
        return None

    # -- exports -------------------------------------------------------------------------------------
    def export_xlsx(self) -> None:
        dossier = self._dossier()
        if dossier is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.window, _tr("Dossieroverzicht bewaren"),
                                              f"{dossier.company_name} - overzicht.xlsx", _tr("Excel (*.xlsx)"))
        if not path:
            return
        from cli.cmd_export import export_dossier
        written = self._attempt(export_dossier, self.db, dossier.id, path)
        if written is _FAILED:
            return
        if self.audit is not None:
            self.audit.exported("dossieroverzicht (xlsx)", "dossier", dossier.id, destination=str(written))
        self.window.statusBar().showMessage(_tr("Dossieroverzicht bewaard in {pad}").format(pad=written), 8000)

    def export_cell_report(self) -> None:
        """The cell report for the steering group as PDF: totals only, or with an appendix of names and status
        when the counsellor ticks it (cli.cmd_export.export_cell_report, as on the command line)."""
        dossier = self._dossier()
        if dossier is None:
            return
        options = CellReportDialog(self.window)
        if options.exec() != QDialog.DialogCode.Accepted:
            return
        with_names = options.with_names()
        path, _ = QFileDialog.getSaveFileName(self.window, _tr("Celrapport bewaren"),
                                              f"{dossier.company_name} - celrapport.pdf", _tr("PDF (*.pdf)"))
        if not path:
            return
        from cli.cmd_export import cell_report_audit_what, export_cell_report
        written = self._attempt(export_cell_report, self.db, dossier.id, path, with_names=with_names)
        if written is _FAILED:
            return
        if self.audit is not None:
            self.audit.exported(cell_report_audit_what(with_names), "dossier", dossier.id, destination=str(written))
        self.window.statusBar().showMessage(_tr("Celrapport bewaard in {pad}").format(pad=written), 8000)

    def backup(self) -> None:
        from db.backup import backup_dir_for, backup_now
        if self.services.db_path is None:
            return
        path = self._attempt(backup_now, self.db, backup_dir_for(self.services.db_path))
        if path is _FAILED:
            return
        self.window.statusBar().showMessage(_tr("Reservekopie gemaakt: {pad}").format(pad=path), 8000)

    def restore_backup(self, path: str | None = None) -> bool:
        """A beheerder puts a backup back (gui.restore_backup); Werkbrug then starts again."""
        from gui.restore_backup import restore_from_window
        return restore_from_window(self.window, self.services, path)

    # -- transfer files --------------------------------------------------------------------------------
    def _reload_erased(self, worker_ids) -> bool:
        """After an import that anonymised workers here: the open worker, when it is one of them, is shown
        again as stored, so that unsaved input (the identity it had) can never be saved back over the
        erasure. True when that happened."""
        from gui.main_window import PAGE_WORKER
        view = getattr(self.window, "worker_view", None)
        stack = getattr(self.window, "stack", None)
        if view is None or stack is None or stack.currentIndex() != PAGE_WORKER or view.worker.id not in worker_ids:
            return False
        worker = self.services.workers.get(view.worker.id)
        view.open_worker(worker, view.dossier)
        return True

    def export_transfer(self) -> None:
        dossier = self._dossier()
        if dossier is None:
            return
        selected = self.window.selected_worker_ids()
        options = ExportTransferDialog(self.window, total=self.services.workers.count(dossier.id),
                                       selected=len(selected))
        if options.exec() != QDialog.DialogCode.Accepted:
            return
        ids = selected if options.only_selected() else None
        with_limitations = options.with_limitations()
        path, _ = QFileDialog.getSaveFileName(self.window, _tr("Overdrachtsbestand maken"),
                                              f"{dossier.company_name}.werkbrug", _tr("Werkbrug-overdracht (*.werkbrug)"))
        if not path:
            return
        dlg = PassphraseDialog(self.window, confirm=True)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        from cli.cmd_transfer import export_transfer
        report: dict = {}
        written = self._attempt(export_transfer, self.db, dossier.id, path, ids, with_limitations=with_limitations,
                                passphrase=dlg.passphrase(), report=report)
        if written is _FAILED:
            return
        if self.audit is not None:
            self.audit.exported("overdrachtsbestand", "dossier", dossier.id, destination=str(written),
                                sensitive_fields=["limitations"] if with_limitations else [],
                                count=len(ids) if ids else None)
        n = report.get("workers", 0)
        lines = [(_tr("1 werknemer geschreven naar {pad}.") if n == 1 else
                  _tr("{n} werknemers geschreven naar {pad}.")).format(n=n, pad=written)]
        if not with_limitations:
            lines.append(_tr("Functionele beperkingen (gezondheidsgegevens) werden niet meegenomen."))
        elif report.get("limitations_withheld"):
            withheld = report["limitations_withheld"]
            lines.append((_tr("Functionele beperkingen (gezondheidsgegevens) werden meegenomen, behalve die van 1 "
                              "werknemer van wie je ze niet mag zien.") if withheld == 1 else
                          _tr("Functionele beperkingen (gezondheidsgegevens) werden meegenomen, behalve die van {n} "
                              "werknemers van wie je ze niet mag zien.")).format(n=withheld))
        else:
            lines.append(_tr("Functionele beperkingen (gezondheidsgegevens) werden meegenomen."))
        lines.append(_tr("Het bestand is versleuteld met je wachtwoordzin. Geef de wachtwoordzin apart door (niet in "
                         "dezelfde mail)."))
        QMessageBox.information(self.window, _tr("Overdrachtsbestand gemaakt"), "\n".join(lines))

    def import_transfer(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.window, _tr("Overdrachtsbestand inlezen"), "",
                                                  _tr("Werkbrug-overdracht (*.werkbrug);;Alle bestanden (*)"))
        if not path:
            return
        dlg = PassphraseDialog(self.window, confirm=False)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        from cli.cmd_transfer import prepare_import
        outcome = self._attempt(prepare_import, self.db, path, passphrase=dlg.passphrase())
        if outcome is _FAILED:
            return
        plan, dossier_uid, _ = outcome
        review = MergeDialog(plan, self.window)
        if review.exec() != QDialog.DialogCode.Accepted:
            return
        from core.transfer import resolve
        from db.transfer_repo import apply_merge
        resolve(plan, review.choices())
        # one transaction: all or nothing; an erasure made on the other computer is completed in it, audited here
        extra = {"audit": self.audit} if self.audit is not None else {}
        notes = self._attempt(apply_merge, self.db, plan, dossier_uid, **extra)
        if notes is _FAILED:
            return
        notes += plan.notes
        if self._reload_erased(plan.erased_elsewhere_ids or ()):
            notes.append(_tr("De werknemer die open stond, werd op de andere computer geanonimiseerd en wordt nu "
                             "getoond zoals bewaard; wijzigingen die nog niet bewaard waren, zijn weggegooid."))
        if self.audit is not None:
            self.audit.imported("overdrachtsbestand", "dossier", dossier_uid, source=str(path),
                                count=len(plan.add) + len(plan.update) + len(plan.merged),
                                details=plan.audit_details())
        self.window.refresh_dossiers()
        reference = plan.reference_report.lines() if plan.reference_report is not None else []
        lines = [plan.summary(), *notes][:20]
        if reference:      # the reference summary and why something was not taken over always show
            lines += ["", *reference[:1], *reference[1:][-12:]]
        QMessageBox.information(self.window, _tr("Overdracht ingelezen"), "\n".join(lines))


class CellReportDialog(QDialog):
    """What goes into the printed cell report: totals only (the default), or also an appendix with the
    workers' names and status."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Celrapport als PDF"))
        lay = QVBoxLayout(self)
        intro = QLabel(_tr("Het celrapport voor het begeleidingscomité bevat enkel totalen: geen namen, geen "
                           "INSZ-nummers en geen gezondheidsgegevens."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.names = QCheckBox(_tr("Een &bijlage met de namen en de status van de werknemers toevoegen"))
        self.names.setChecked(False)
        lay.addWidget(self.names)
        note = QLabel(_tr("De bijlage staat op een aparte pagina, zodat je de totalen zonder namen kunt uitdelen."))
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("&Verder"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def with_names(self) -> bool:
        return self.names.isChecked()


class ExportTransferDialog(QDialog):
    """What goes into a transfer file: the whole dossier or the selected workers, and whether the health
    data (functional limitations) goes along. Defaults as on the command line: everything, no health data."""

    def __init__(self, parent=None, *, total: int, selected: int):
        super().__init__(parent)
        self.setWindowTitle(_tr("Overdrachtsbestand maken"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_tr("Wat gaat er in het overdrachtsbestand?")))
        self.whole = QRadioButton(_tr("&Het hele dossier (1 werknemer)") if total == 1 else
                                  _tr("&Het hele dossier ({n} werknemers)").format(n=total))
        self.selection = QRadioButton(_tr("&Enkel de geselecteerde werknemer (1)") if selected == 1 else
                                      _tr("&Enkel de {n} geselecteerde werknemers").format(n=selected))
        self.whole.setChecked(True)
        lay.addWidget(self.whole)
        if selected:
            lay.addWidget(self.selection)
        self.limitations = QCheckBox(_tr("Ook de &functionele beperkingen (gezondheidsgegevens) meenemen"))
        self.limitations.setChecked(False)
        lay.addWidget(self.limitations)
        note = QLabel(_tr("Gezondheidsgegevens gaan enkel mee als je dit aanvinkt, en enkel die van werknemers van wie "
                          "je ze mag zien. Neem ze alleen mee als je collega de werknemer verder opvolgt."))
        note.setWordWrap(True)
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("&Verder"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def only_selected(self) -> bool:
        return self.selection.isChecked()

    def with_limitations(self) -> bool:
        return self.limitations.isChecked()


class PassphraseDialog(QDialog):
    def __init__(self, parent=None, *, confirm: bool):
        super().__init__(parent)
        self.setWindowTitle(_tr("Wachtwoordzin overdrachtsbestand"))
        form = QFormLayout(self)
        form.addRow(QLabel(_tr("Het overdrachtsbestand is versleuteld. Kies een wachtwoordzin van minstens 10 tekens "
                               "en geef ze apart door aan je collega.") if confirm else
                           _tr("Typ de wachtwoordzin van het overdrachtsbestand.")))
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_tr("&Wachtwoordzin"), self.first)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        if confirm:
            form.addRow(_tr("&Herhaal"), self.second)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(self.error)
        self.confirm = confirm
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def passphrase(self) -> str:
        return self.first.text()

    def _check(self) -> None:
        if self.confirm and len(self.first.text()) < 10:
            self.error.setText(_tr("Minstens 10 tekens."))
        elif self.confirm and self.first.text() != self.second.text():
            self.error.setText(_tr("De twee wachtwoordzinnen verschillen."))
        elif not self.first.text():
            self.error.setText(_tr("Typ de wachtwoordzin."))
        else:
            self.accept()


class MergeDialog(QDialog):
    """What a transfer file brings, and per conflict the choice: keep mine or take theirs."""

    def __init__(self, plan, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_tr("Overdrachtsbestand samenvoegen"))
        self.resize(820, 480)
        lay = QVBoxLayout(self)
        summary = QLabel(plan.summary())
        summary.setWordWrap(True)
        lay.addWidget(summary)
        if getattr(plan, "erased_elsewhere", None):
            # the count is in the summary above; this says what the erasure takes, before anything is written
            erasure = QLabel(_tr("Wie op de andere computer geanonimiseerd werd, wordt bij het samenvoegen ook hier "
                                 "geanonimiseerd: naam, INSZ, adres, telefoon, e-mail, notities, functionele "
                                 "beperkingen, de inhoud van de trajectplannen en de gelogde waarden worden gewist, "
                                 "zoals bij een anonimisering op deze computer. Dat kan niet ongedaan gemaakt worden."))
            erasure.setWordWrap(True)
            lay.addWidget(erasure)
        ref = plan.reference or {}
        n_var, n_occ = len(ref.get("variants") or ()), len(ref.get("occupations") or ())
        if n_var or n_occ:
            lay.addWidget(QLabel(_tr("Het bestand bevat ook lokale referentiegegevens: {varianten} en {beroepen}. "
                                     "Wat hier ontbreekt wordt overgenomen; een beroep dat hier anders aangepast is, "
                                     "blijft zoals het hier is.").format(
                varianten=_tr("1 variant") if n_var == 1 else _tr("{n} varianten").format(n=n_var),
                beroepen=(_tr("1 aangepast of eigen beroep") if n_occ == 1 else
                          _tr("{n} aangepaste of eigen beroepen").format(n=n_occ)))))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_tr("Gegeven"), _tr("Veld"), _tr("Hier"), _tr("In het bestand"),
                                              _tr("Keuze")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.combos: dict[str, QComboBox] = {}                          # one choice for a whole record
        self.field_combos: dict[str, dict[str, QComboBox]] = {}         # one choice per conflicting field
        for c in plan.conflicts:
            whole = c.frozen or c.deleted_here
            rows = [("", _tr("(hier verwijderd)"), "", "")] if c.deleted_here else (c.field_rows() or [("", "", "", "")])
            for i, (column, name, mine, theirs) in enumerate(rows):
                r = self.table.rowCount()
                self.table.insertRow(r)
                for col, value in enumerate((c.label if i == 0 else "", name, mine, theirs)):
                    self.table.setItem(r, col, QTableWidgetItem("" if value is None else str(value)))
                if whole and i > 0:
                    continue
                combo = QComboBox()
                combo.addItem(_tr("hier behouden"), "mine")
                if not c.frozen:
                    combo.addItem(_tr("uit het bestand nemen"), "theirs")
                self.table.setCellWidget(r, 4, combo)
                if whole:
                    self.combos[c.uid] = combo
                else:
                    self.field_combos.setdefault(c.uid, {})[column] = combo
        if plan.conflicts:
            info = QLabel(_tr("Deze velden werden op beide computers verschillend gewijzigd. Kies per veld wat blijft; "
                              "niets wordt zonder jouw keuze overschreven. Velden die maar op één computer "
                              "gewijzigd werden, worden zonder vragen samengevoegd."))
            info.setWordWrap(True)
            lay.addWidget(info)
            lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("&Samenvoegen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def choices(self) -> dict[str, str | dict[str, str]]:
        """Per conflict: "mine" | "theirs" for the whole record, or per field (``core.transfer.resolve``)."""
        out: dict[str, str | dict[str, str]] = {uid: combo.currentData() for uid, combo in self.combos.items()}
        for uid, combos in self.field_combos.items():
            out[uid] = {column: combo.currentData() for column, combo in combos.items()}
        return out


def install_data_menu(window) -> DataActions:
    from gui.restore_backup import may_restore
    actions = DataActions(window)
    menu = window.menuBar().addMenu(_tr("&Gegevens"))
    window.menus["data"] = menu
    for text, shortcut, slot in (
            (_tr("Personeelslijst &importeren…"), "Ctrl+I", actions.import_list),
            (_tr("Dossieroverzicht naar &Excel…"), "Ctrl+E", actions.export_xlsx),
            (_tr("Celrapport als &PDF…"), None, actions.export_cell_report),
            (None, None, None),
            (_tr("&Overdrachtsbestand maken…"), None, actions.export_transfer),
            (_tr("Overdrachtsbestand &inlezen…"), None, actions.import_transfer),
            (None, None, None),
            (_tr("&Reservekopie maken"), None, actions.backup),
            (_tr("Reservekopie &terugzetten…"), None, actions.restore_backup)):
        if text is None:
            menu.addSeparator()
            continue
        if slot == actions.restore_backup and not may_restore(window.services):
            continue                                # a beheerder only
        act = QAction(text, window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _checked=False, s=slot: s())
        menu.addAction(act)
    from gui.esco_import import install_esco_import
    install_esco_import(window)
    keep_help_last(window)
    return actions


def keep_help_last(window) -> None:
    """Menus added after the window was built go before Help, which stays last."""
    help_menu = window.menus.get("help")
    if help_menu is not None:
        window.menuBar().removeAction(help_menu.menuAction())
        window.menuBar().addAction(help_menu.menuAction())
