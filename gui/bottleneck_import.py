"""Importing a yearly bottleneck list: the file's lines linked to the catalogue occupations, with
the confidence of each link and a combo per line to change it, the occupations that are not on
the list, and nothing stored until the counsellor presses "Toepassen" and confirms."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QMessageBox, QPushButton, QSpinBox, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.bottleneck_import import BottleneckPreview, preview_bottleneck_file
from core.errors import UserError
from gui.models import fold

COL_LINE, COL_NAME, COL_REASONS, COL_TARGET, COL_CONFIDENCE, COL_STATUS = range(6)
STATUS_COLOURS = {"zeker": "#e3f4e1", "onzeker": "#fff2cc", "gekozen": "#dde8f7", "niet gekoppeld": "#f8dcdc"}


class BottleneckImportDialog(QDialog):
    applied = Signal(int)          # the year that was stored

    def __init__(self, repository, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Knelpuntlijst importeren"))
        self.resize(1120, 660)
        self.repo = repository
        self.reference = repository.reference()
        self.preview: BottleneckPreview | None = None
        self.confirm: Callable[[str, str], bool] = self._confirm
        self._catalogue = sorted(((o.id, o.name_nl) for o in self.reference.occupations), key=lambda x: fold(x[1]))

        self.file_label = QLabel(self.tr("Nog geen bestand gekozen."))
        self.file_label.setWordWrap(True)
        self.btn_file = QPushButton(self.tr("Bestand &kiezen…"))
        self.btn_file.clicked.connect(self.choose_file)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.setAccessibleName(self.tr("Jaar van de lijst"))
        self.year.valueChanged.connect(self._year_changed)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(QLabel(self.tr("Jaar:")))
        top.addWidget(self.year)
        top.addWidget(self.btn_file)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00000")
        self.error.hide()

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Regel"), self.tr("Naam op de lijst"), self.tr("Redenen"),
                                              self.tr("Gekoppeld beroep"), self.tr("Zekerheid"), self.tr("Status")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TARGET, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_LINE, 48), (COL_NAME, 190), (COL_REASONS, 105), (COL_CONFIDENCE, 75),
                           (COL_STATUS, 125)):
            self.table.setColumnWidth(col, width)
        header.setMinimumSectionSize(40)
        self.table.setAccessibleName(self.tr("Regels van de knelpuntlijst"))

        self.not_listed_label = QLabel()
        self.not_listed = QListWidget()
        self.not_listed.setAccessibleName(self.tr("Beroepen die niet op de lijst staan"))
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.not_listed_label)
        sl.addWidget(self.not_listed, 1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 280])

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.btn_apply = self.buttons.addButton(self.tr("&Toepassen"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.btn_apply.setEnabled(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuleren"))
        self.btn_apply.clicked.connect(self.apply)
        cancel.clicked.connect(self.reject)

        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Kies de knelpuntlijst van de VDAB als CSV-bestand (een kolom met het beroep, een kolom "
                               "met de redenen). Werkbrug koppelt elke regel aan een beroep uit de catalogus; kijk de "
                               "onzekere en niet gekoppelde regels na en kies zo nodig zelf het beroep. Er verandert "
                               "niets voor je op Toepassen drukt."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        lay.addLayout(top)
        lay.addWidget(self.error)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.notes)
        lay.addWidget(self.buttons)

    # -- loading -----------------------------------------------------------------------------------
    def choose_file(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Knelpuntlijst kiezen"), "",
                                              self.tr("CSV-bestanden (*.csv *.txt);;Alle bestanden (*)"))
        return bool(path) and self.load(path)

    def load(self, path, year: int | None = None) -> bool:
        """Read and link the file; on a bad file show why, keep nothing of it and return False."""
        try:
            preview = preview_bottleneck_file(path, self.reference, year)
        except UserError as e:
            self.preview = None
            self.error.setText(str(e))
            self.error.show()
            self.table.setRowCount(0)
            self.not_listed.clear()
            self.summary.clear()
            self.notes.clear()
            self.btn_apply.setEnabled(False)
            return False
        self.error.hide()
        self.preview = preview
        self.file_label.setText(self.tr("{bestand} (tekenset {tekenset}, scheidingsteken '{sep}')").format(
            bestand=preview.file_name, tekenset=preview.encoding, sep=preview.delimiter))
        self.year.blockSignals(True)
        self.year.setValue(preview.year)
        self.year.blockSignals(False)
        self._fill()
        return True

    def _fill(self) -> None:
        p = self.preview
        self.table.setRowCount(len(p.rows))
        for i, r in enumerate(p.rows):
            self.table.setItem(i, COL_LINE, QTableWidgetItem(str(r.line)))
            name = QTableWidgetItem(r.name)
            name.setToolTip(r.name)
            self.table.setItem(i, COL_NAME, name)
            reasons = QTableWidgetItem(", ".join(r.reasons) or "–")
            reasons.setToolTip(r.reasons_text)
            self.table.setItem(i, COL_REASONS, reasons)
            self.table.setCellWidget(i, COL_TARGET, self._combo(i))
        self._refresh_rows()

    def _combo(self, i: int) -> QComboBox:
        row = self.preview.rows[i]
        combo = QComboBox()
        combo.setAccessibleName(self.tr("Gekoppeld beroep voor regel {regel}").format(regel=row.line))
        combo.addItem(self.tr("— niet koppelen —"), None)
        shown = set()
        for c in row.candidates:
            combo.addItem(self.tr("{naam} ({zeker}%)").format(naam=c.name, zeker=round(c.score * 100)), c.occupation_id)
            shown.add(c.occupation_id)
        combo.insertSeparator(combo.count())
        for oid, name in self._catalogue:
            if oid not in shown:
                combo.addItem(name, oid)
        combo.setCurrentIndex(max(0, combo.findData(row.occupation_id)) if row.occupation_id else 0)
        combo.currentIndexChanged.connect(lambda _ix, i=i, c=combo: self.choose(i, c.currentData()))
        return combo

    def combo(self, i: int) -> QComboBox:
        return self.table.cellWidget(i, COL_TARGET)

    def choose(self, i: int, occupation_id: str | None) -> None:
        """The counsellor's link for row ``i`` (also called by the row's combo)."""
        self.preview.choose(i, occupation_id)
        combo = self.combo(i)
        ix = combo.findData(occupation_id) if occupation_id else 0
        if combo.currentIndex() != ix:
            combo.blockSignals(True)
            combo.setCurrentIndex(ix)
            combo.blockSignals(False)
        self._refresh_rows()

    def _refresh_rows(self) -> None:
        p = self.preview
        dup_lines = {line for lines in p.duplicates().values() for line in lines}
        for i, r in enumerate(p.rows):
            conf = QTableWidgetItem(f"{round(r.confidence * 100)}%" if r.occupation_id else "")
            conf.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(i, COL_CONFIDENCE, conf)
            status = {"zeker": self.tr("zeker"), "onzeker": self.tr("onzeker: nakijken"),
                      "gekozen": self.tr("zelf gekozen"), "niet gekoppeld": self.tr("niet gekoppeld")}[r.status]
            if r.line in dup_lines:
                status += self.tr(" (dubbel)")
            self.table.setItem(i, COL_STATUS, QTableWidgetItem(status))
            brush = QBrush(QColor(STATUS_COLOURS[r.status]))
            for c in (COL_LINE, COL_NAME, COL_REASONS, COL_CONFIDENCE, COL_STATUS):
                self.table.item(i, c).setBackground(brush)
        missing = p.not_listed()
        self.not_listed_label.setText(self.tr("<b>Niet op de lijst ({n})</b>: worden voor {jaar} geen "
                                              "knelpuntberoep").format(n=len(missing), jaar=p.year))
        self.not_listed.clear()
        self.not_listed.addItems([name for _i, name in missing])
        self.summary.setText(p.summary())
        notes = list(p.notes)
        for oid, lines in p.duplicates().items():
            notes.append(self.tr("De regels {regels} verwijzen naar hetzelfde beroep ({beroep}); hun redenen worden "
                                 "samengevoegd.").format(regels=", ".join(map(str, lines)), beroep=p.name_of(oid)))
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.btn_apply.setEnabled(bool(p.linked()) and self.repo.may_edit)

    def _year_changed(self, year: int) -> None:
        if self.preview is not None:
            self.preview.year = year
            self._refresh_rows()

    # -- applying ----------------------------------------------------------------------------------
    def _confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def apply(self) -> bool:
        p = self.preview
        if p is None or not p.linked():
            return False
        listed, not_listed = len(p.selection()), len(p.not_listed())
        question = " ".join((
            self.tr("Knelpuntlijst {jaar} toepassen?").format(jaar=p.year),
            (self.tr("1 beroep wordt knelpuntberoep met de redenen van de lijst.") if listed == 1 else
             self.tr("{n} beroepen worden knelpuntberoep met de redenen van de lijst.")).format(n=listed),
            (self.tr("1 beroep dat niet op de lijst staat, wordt voor {jaar} geen knelpuntberoep.") if not_listed == 1
             else self.tr("{n} beroepen die niet op de lijst staan, worden voor {jaar} geen knelpuntberoep.")).format(
                n=not_listed, jaar=p.year)))
        unlinked = p.unlinked()
        if unlinked:
            question += " " + (self.tr("1 regel blijft niet gekoppeld.") if len(unlinked) == 1 else
                               self.tr("{n} regels blijven niet gekoppeld.")).format(n=len(unlinked))
        if not self.confirm(self.tr("Knelpuntlijst toepassen"), question):
            return False
        try:
            self.repo.apply_bottleneck_list(p.year, p.selection(), file_name=p.file_name,
                                            unlinked=[r.name for r in unlinked])
        except UserError as e:
            self.error.setText(str(e))
            self.error.show()
            return False
        self.applied.emit(p.year)
        self.accept()
        return True
