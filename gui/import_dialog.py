"""Import of an employer's list: column mapping (a combo box per column), preview with coloured rows and
editable cells that revalidate, then "Importeer geldige rijen" in one transaction, or "Annuleren"."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QScrollArea, QTableView, QVBoxLayout, QWidget)

from core.errors import UserError
from core.importers import (FIELDS, ImportPreview, NoWorkerSheet, RowStatus, employer_key, guess_mapping,
                            load_table)
from core.importers.mapping import FIELD_ORDER, field_label
from core.importers.reader import CSV_SUFFIXES, EXCEL_SUFFIXES
from core.validation import ValidationError

COLOURS = {RowStatus.VALID: QColor("#e6f4ea"), RowStatus.WARNING: QColor("#fff4ce"), RowStatus.ERROR: QColor("#fde2e1")}


def accepts_drop(path: str | Path) -> bool:
    """True when a dropped file looks like an employer's list."""
    return Path(path).suffix.lower() in CSV_SUFFIXES + EXCEL_SUFFIXES


def open_import_for_path(services, dossier, path: str | Path, parent=None) -> "ImportDialog | None":
    """For the main window's drop handler: the dialog for ``path`` (not yet shown), or None after telling
    the counsellor why the file cannot be read."""
    try:
        return ImportDialog(services, dossier, path, parent)
    except UserError as e:
        QMessageBox.warning(parent, parent.tr("Importeren") if parent else "Importeren", str(e))
        return None


class PreviewModel(QAbstractTableModel):
    """Rows of the preview: status, reason, then the mapped fields (editable)."""

    def __init__(self, preview: ImportPreview, parent=None):
        super().__init__(parent)
        self.preview = preview
        self._fields: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        mapped = set(c for c in self.preview.mapping.columns if c)
        self._fields = [f for f in FIELD_ORDER if f in mapped]
        self.endResetModel()

    def field_at(self, column: int) -> str | None:
        return self._fields[column - 3] if column >= 3 else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.preview.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3 + len(self._fields)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return None
        return [self.tr("Rij"), self.tr("Status"), self.tr("Reden")][section] if section < 3 \
            else field_label(self._fields[section - 3])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.preview.rows[index.row()]
        f = self.field_at(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                return row.place if row.sheet else row.line
            if index.column() == 1:
                return {RowStatus.VALID: self.tr("geldig"), RowStatus.WARNING: self.tr("waarschuwing"),
                        RowStatus.ERROR: self.tr("fout")}[row.status]
            if index.column() == 2:
                return row.reason
            return self.preview.value(index.row(), f)
        if role == Qt.ItemDataRole.BackgroundRole:
            if f and f in row.problem_fields:
                return QColor("#f8b4b0") if row.status is RowStatus.ERROR else QColor("#ffe08a")
            return COLOURS[row.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            if f:
                shown, raw = self.preview.value(index.row(), f), self.preview.raw_value(index.row(), f)
                if raw != shown:           # a date written as a number: what the file holds
                    text = self.tr("In het bestand: {waarde}").format(waarde=raw)
                    return "\n".join(t for t in (text, row.reason) if t)
            return row.reason or None
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() >= 3 else base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        f = self.field_at(index.column())
        if role != Qt.ItemDataRole.EditRole or f is None:
            return False
        self.preview.set_value(index.row(), f, str(value))
        # duplicates may change on other rows too
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        return True


class ImportDialog(QDialog):
    def __init__(self, services, dossier, path: str | Path, parent=None):
        super().__init__(parent)
        from db.import_mappings import ImportMappingRepository, existing_workers
        self.services, self.dossier, self.path = services, dossier, Path(path)
        self.setWindowTitle(self.tr("Personeelslijst importeren"))
        self.setAcceptDrops(True)
        self.resize(1100, 700)
        self.imported_ids: list[int] = []
        self.error_file: Path | None = None
        self.error_file_problem = ""          # why the error list could not be written ('' when it was)
        self.rejected_count = 0               # rows of the list not imported (written to the error file)
        self.key = employer_key(dossier.kbo_number, dossier.company_name)
        self._mappings = ImportMappingRepository(services.db)
        self._existing = existing_workers(services.db, dossier.id)
        self._problem = ""                    # why no sheet was read by itself (a workbook without a list found)
        try:
            table = load_table(self.path)                      # raises ImportFileError (a UserError)
        except NoWorkerSheet as e:
            # no sheet has the list's columns: show the first one, the counsellor picks a sheet or the columns
            self._problem = str(e)
            table = load_table(self.path, sheet=e.sheets[0])
        self.preview = self._preview_of(table)
        self.model = PreviewModel(self.preview, self)
        self._build()
        self._update_summary()

    def _preview_of(self, table) -> ImportPreview:
        mapping = guess_mapping(table.headers, self._mappings.get(self.key))
        return ImportPreview(table, mapping, self.dossier, self._existing)

    def _notes_text(self) -> str:
        return "\n".join(([self._problem] if self._problem else []) + self.preview.table.notes)

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>Bestand:</b> {naam}").format(naam=self.path.name)))
        # a workbook with several sheets: read them all, or only the one chosen
        self.sheet_combo = QComboBox()
        sheets = self.preview.table.workbook_sheets
        if len(sheets) > 1:
            hidden = self.preview.table.hidden_sheets
            self.sheet_combo.addItem(self.tr("Alle zichtbare bladen met de kolommen van een personeelslijst") if hidden
                                     else self.tr("Alle bladen met de kolommen van een personeelslijst"), None)
            for name in sheets:
                self.sheet_combo.addItem(self.tr("Alleen blad {blad} (verborgen in het werkboek)").format(blad=name)
                                         if name in hidden else self.tr("Alleen blad {blad}").format(blad=name), name)
            if self._problem:
                self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findData(self.preview.table.sheets[0])))
            self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
            row = QHBoxLayout()
            label = QLabel(self.tr("&Blad:"))
            label.setBuddy(self.sheet_combo)
            row.addWidget(label)
            row.addWidget(self.sheet_combo, 1)
            lay.addLayout(row)
        self.sheet_combo.setVisible(len(sheets) > 1)
        # how the file was read: sheets read and skipped, a header over two rows, total lines and empty rows
        self.notes = QLabel(self._notes_text())
        self.notes.setWordWrap(True)
        self.notes.setVisible(bool(self._notes_text()))
        lay.addWidget(self.notes)
        self.mapping_scroll = QScrollArea()
        self.mapping_scroll.setWidgetResizable(True)
        self.mapping_scroll.setMaximumHeight(90)
        self._build_mapping()
        lay.addWidget(self.mapping_scroll)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(2, 320)
        lay.addWidget(self.view, 1)
        self._build_rest(lay)

    def _build_mapping(self) -> None:
        """A combo box per column of the table read, under its header name."""
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        self.combos: list[QComboBox] = []
        for col, header in enumerate(self.preview.table.headers):
            combo = QComboBox()
            combo.addItem(self.tr("(niet importeren)"), None)
            for f in FIELD_ORDER:
                combo.addItem(field_label(f), f)
            combo.setCurrentIndex(max(0, combo.findData(self.preview.mapping.columns[col])))
            combo.setAccessibleName(self.tr("Kolom {naam}").format(naam=header))
            combo.currentIndexChanged.connect(lambda _i, c=col: self._mapping_changed(c))
            grid.addWidget(QLabel(header), 0, col)
            grid.addWidget(combo, 1, col)
            self.combos.append(combo)
        self.mapping_scroll.setWidget(grid_host)          # the previous grid (another sheet) is deleted

    def _sheet_changed(self) -> None:
        """Read the workbook again: every sheet with the list's columns, or only the sheet chosen."""
        sheet = self.sheet_combo.currentData()
        try:
            table = load_table(self.path, sheet=sheet)
            problem = ""
        except NoWorkerSheet as e:
            problem = str(e)
            try:
                table = load_table(self.path, sheet=e.sheets[0])
            except UserError as e2:
                QMessageBox.warning(self, self.tr("Personeelslijst importeren"), str(e2))
                return
        except UserError as e:
            QMessageBox.warning(self, self.tr("Personeelslijst importeren"), str(e))
            return
        self._problem = problem
        self.preview = self._preview_of(table)
        self.model.preview = self.preview
        self.model.refresh()
        self._build_mapping()
        text = self._notes_text()
        self.notes.setText(text)
        self.notes.setVisible(bool(text))
        self._update_summary()

    def _build_rest(self, lay) -> None:
        self.summary = QLabel()
        lay.addWidget(self.summary)
        self.with_warnings = QCheckBox(self.tr("Ook rijen met waarschuwingen importeren"))
        self.with_warnings.toggled.connect(self._update_summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.with_warnings)
        buttons.addStretch(1)
        self.btn_import = QPushButton(self.tr("Importeer geldige rijen"))
        self.btn_import.setDefault(True)
        self.btn_import.clicked.connect(self.do_import)
        self.btn_cancel = QPushButton(self.tr("Annuleren"))
        self.btn_cancel.clicked.connect(self.reject)
        buttons.addWidget(self.btn_import)
        buttons.addWidget(self.btn_cancel)
        lay.addLayout(buttons)
        self.model.dataChanged.connect(lambda *_: self._update_summary())

    def _mapping_changed(self, column: int) -> None:
        field = self.combos[column].currentData()
        self.preview.mapping.set(column, field)
        for c, combo in enumerate(self.combos):      # a field belongs to one column: clear the others
            want = max(0, combo.findData(self.preview.mapping.columns[c]))
            if combo.currentIndex() != want:
                combo.blockSignals(True)
                combo.setCurrentIndex(want)
                combo.blockSignals(False)
        self.preview.revalidate_all()
        self.model.refresh()
        self._update_summary()

    def _update_summary(self) -> None:
        c = self.preview.counts()
        n = len(self.preview.chosen(self.with_warnings.isChecked()))
        missing = self.preview.mapping.missing_required()
        text = (self.tr("{geldig} geldig, {waarschuwing} met waarschuwing, {fout} met fout. 1 rij wordt "
                        "geïmporteerd.") if n == 1 else
                self.tr("{geldig} geldig, {waarschuwing} met waarschuwing, {fout} met fout. {n} rijen worden "
                        "geïmporteerd.")).format(geldig=c[RowStatus.VALID], waarschuwing=c[RowStatus.WARNING],
                                                 fout=c[RowStatus.ERROR], n=n)
        if missing:
            text += " " + self.tr("Kies nog een kolom voor: {velden}.").format(
                velden=", ".join(field_label(f) for f in missing))
        self.summary.setText(text)
        self.btn_import.setEnabled(n > 0 and not missing)

    def do_import(self) -> bool:
        """Write the chosen rows in one transaction, the rest to the error file; accept the dialog."""
        from db.import_mappings import commit_import
        include = self.with_warnings.isChecked()
        chosen = self.preview.chosen(include)
        rejected = self.preview.rejected(include)
        # written before the commit (under a temporary name): after the commit nothing may fail any more
        staged = self.preview.stage_error_file(rejected)
        audit = self.services.extra.get("audit") if getattr(self.services, "extra", None) else None

        def record(ids: list[int]) -> None:
            # the audit entry goes in the import's own transaction: all or nothing
            if audit is not None:
                audit.imported("personeelslijst", "dossier", self.dossier.id, source=str(self.path), count=len(ids))

        try:
            self.imported_ids = commit_import(self.services.db, [r.worker for r in chosen], self.key,
                                              self.preview.mapping.as_header_dict(self.preview.table.headers),
                                              in_transaction=record)
        except ValidationError as e:
            staged.discard()
            self.summary.setText(self.tr("Er werd niets geïmporteerd: {fout}").format(fout=e))
            return False
        except BaseException:
            staged.discard()
            raise
        self.error_file = staged.publish()
        self.error_file_problem = staged.problem
        self.rejected_count = len(rejected)
        if staged.problem:
            done = (self.tr("1 werknemer geïmporteerd.") if len(self.imported_ids) == 1 else
                    self.tr("{n} werknemers geïmporteerd.").format(n=len(self.imported_ids)))
            lost = (self.tr("De rij die niet geïmporteerd werd, kon niet bewaard worden als {pad}: {reden}.")
                    if len(rejected) == 1 else
                    self.tr("De lijst van de {m} rijen die niet geïmporteerd werden, kon niet bewaard worden als "
                            "{pad}: {reden}.")).format(m=len(rejected), pad=staged.path, reden=staged.problem)
            QMessageBox.warning(self, self.tr("Personeelslijst importeren"), done + " " + lost)
        self.accept()
        return True

    # drag and drop of another file onto the dialog: start over with that file
    def dragEnterEvent(self, event):
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and accepts_drop(urls[0].toLocalFile()):
            event.acceptProposedAction()

    def dropEvent(self, event):
        path = event.mimeData().urls()[0].toLocalFile()
        self.dropped_path = path
        event.acceptProposedAction()


__all__ = ["ImportDialog", "PreviewModel", "accepts_drop", "open_import_for_path", "FIELDS"]
