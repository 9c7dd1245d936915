"""The form to adjust an occupation locally or to create one of one's own (reference-data screen).

``OccupationEditor`` shows, on pages: the identity (names, sector, ISCO, ESCO, VKS: for a new or
own occupation), the bottleneck flag and reasons with the competences (essential or not), the
alternative names, the working conditions and the certificates. It only builds an ``Occupation``
(``edited()``); checking and storing is done by ``db.reference_repo.ReferenceRepository``, whose
Dutch message is shown when something is refused. ``NewOccupationDialog`` wraps it for
"Nieuw beroep…".
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QCompleter, QDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from core.reference import MIN_ESSENTIAL, OCCUPATION_COMPETENCES, REASONS, Evidence, Occupation, OccupationCompetence
from db.reference_repo import occupation_slug
from gui.models import fold
from gui.widgets import save_cancel_buttons

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_IDENTITY, PAGE_COMPETENCES, PAGE_LABELS, PAGE_CONDITIONS, PAGE_CERTIFICATES = range(5)


def _checkable(code: str, text: str, parent: QListWidget) -> QListWidgetItem:
    item = QListWidgetItem(text, parent)
    item.setData(ROW_ROLE, code)
    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setCheckState(Qt.CheckState.Unchecked)
    return item


def _set_checked(lst: QListWidget, codes) -> None:
    wanted = set(codes)
    for i in range(lst.count()):
        item = lst.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(ROW_ROLE) in wanted else Qt.CheckState.Unchecked)


def _checked(lst: QListWidget) -> tuple[str, ...]:
    return tuple(lst.item(i).data(ROW_ROLE) for i in range(lst.count())
                 if lst.item(i).checkState() == Qt.CheckState.Checked)


class OccupationEditor(QGroupBox):
    """Local edit of one occupation (``mode="edit"``) or the form of a new one (``mode="new"``)."""

    save_requested = Signal(object)      # the edited Occupation
    revert_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent=None, *, mode: str = "edit"):
        super().__init__(parent)
        self.mode = mode
        self.setTitle(self.tr("Lokaal aanpassen") if mode == "edit" else "")
        self.occupation: Occupation | None = None
        self.own = False
        self.reference = None
        self.pages = QTabWidget()
        self.pages.addTab(self._identity_page(), self.tr("Gegevens"))
        self.pages.addTab(self._competence_page(), self.tr("Knelpunt en competenties"))
        self.alt_labels = QPlainTextEdit()
        self.alt_labels.setAccessibleName(self.tr("Andere benamingen, één per regel"))
        self.alt_labels.setPlaceholderText(self.tr("Andere benamingen van dit beroep, één per regel"))
        self.pages.addTab(self.alt_labels, self.tr("Synoniemen"))
        self.conditions = QListWidget()
        self.conditions.setAccessibleName(self.tr("Arbeidsomstandigheden"))
        self.pages.addTab(self.conditions, self.tr("Omstandigheden"))
        self.pages.addTab(self._certificate_page(), self.tr("Attesten"))
        self.btn_save = QPushButton(self.tr("Opslaan als lokale aanpassing"))
        self.btn_save.clicked.connect(lambda: self.save_requested.emit(self.edited()))
        self.btn_revert = QPushButton(self.tr("Terugzetten naar de versie van Werkbrug"))
        self.btn_revert.clicked.connect(lambda: self.occupation and self.revert_requested.emit(self.occupation.id))
        self.btn_delete = QPushButton(self.tr("Eigen beroep verwijderen"))
        self.btn_delete.clicked.connect(lambda: self.occupation and self.delete_requested.emit(self.occupation.id))
        buttons = QHBoxLayout()
        for b in (self.btn_save, self.btn_revert, self.btn_delete):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages, 1)
        if mode == "edit":
            lay.addLayout(buttons)
        lay.addWidget(self.message)
        self.pages.setTabVisible(PAGE_IDENTITY, mode == "new")
        self.pages.setCurrentIndex(PAGE_IDENTITY if mode == "new" else PAGE_COMPETENCES)

    # -- pages -------------------------------------------------------------------------------------
    def _identity_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.name_nl, self.name_fr, self.isco, self.esco_uri = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.isco.setMaxLength(4)
        self.isco.setPlaceholderText(self.tr("4 cijfers, bv. 7212"))
        self.esco_uri.setPlaceholderText(self.tr("optioneel: http://data.europa.eu/esco/occupation/…"))
        self.sector = QComboBox()
        self.vks = QSpinBox()
        self.vks.setRange(1, 8)
        self.vks.setValue(3)
        self.slug = QLabel()
        self.name_nl.textChanged.connect(self._update_slug)
        for label, widget in ((self.tr("Naam (Nederlands)"), self.name_nl), (self.tr("Naam (Frans)"), self.name_fr),
                              (self.tr("Sector"), self.sector), (self.tr("ISCO-08-code"), self.isco),
                              (self.tr("ESCO-URI"), self.esco_uri), (self.tr("VKS-niveau"), self.vks),
                              (self.tr("Id"), self.slug)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        return page

    def _competence_page(self) -> QWidget:
        self.bottleneck = QCheckBox(self.tr("Knelpuntberoep"))
        self.reasons: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        row.addWidget(self.bottleneck)
        row.addSpacing(12)
        for code in REASONS:
            box = QCheckBox(code)
            self.reasons[code] = box
            row.addWidget(box)
        row.addStretch(1)
        lo, hi = OCCUPATION_COMPETENCES
        self.rule = QLabel()
        self.rule_text = self.tr("Regel: {min} tot {max} competenties, waarvan minstens {ess} essentieel. "
                                 "Nu: {n}, waarvan {e} essentieel.")
        self.rule.setWordWrap(True)
        self.competences = QTableWidget(0, 2)
        self.competences.setHorizontalHeaderLabels([self.tr("Competentie"), self.tr("Essentieel")])
        self.competences.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.competences.verticalHeader().hide()
        self.competences.verticalHeader().setDefaultSectionSize(22)
        self.competences.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.competences.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.competences.setAccessibleName(self.tr("Competenties van het beroep"))
        self.competences.itemChanged.connect(lambda _i: self._update_rule())
        self.add_combo = QComboBox()
        self.add_combo.setEditable(True)
        self.add_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.add_combo.setAccessibleName(self.tr("Competentie toevoegen"))
        self.add_combo.lineEdit().setPlaceholderText(self.tr("Competentie zoeken…"))
        self.btn_add = QPushButton(self.tr("Toevoegen"))
        self.btn_add.clicked.connect(self.add_selected)
        self.btn_remove = QPushButton(self.tr("Verwijderen"))
        self.btn_remove.clicked.connect(self.remove_selected)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_combo, 1)
        add_row.addWidget(self.btn_add)
        add_row.addWidget(self.btn_remove)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addLayout(row)
        lay.addWidget(self.rule)
        lay.addWidget(self.competences, 1)
        lay.addLayout(add_row)
        self._lo_hi = (lo, hi)
        return page

    def _certificate_page(self) -> QWidget:
        self.cert_required, self.cert_useful = QListWidget(), QListWidget()
        self.cert_required.setAccessibleName(self.tr("Verplichte attesten"))
        self.cert_useful.setAccessibleName(self.tr("Nuttige attesten"))
        # an attest is either required or useful: checking it in one list unchecks it in the other
        self.cert_required.itemChanged.connect(lambda item: self._exclusive(item, self.cert_useful))
        self.cert_useful.itemChanged.connect(lambda item: self._exclusive(item, self.cert_required))
        page = QWidget()
        lay = QHBoxLayout(page)
        for title, lst in ((self.tr("Verplicht"), self.cert_required), (self.tr("Nuttig"), self.cert_useful)):
            col = QVBoxLayout()
            col.addWidget(QLabel(f"<b>{title}</b>"))
            col.addWidget(lst, 1)
            lay.addLayout(col)
        return page

    def _exclusive(self, item: QListWidgetItem, other: QListWidget) -> None:
        if item.checkState() != Qt.CheckState.Checked:
            return
        for i in range(other.count()):
            if other.item(i).data(ROW_ROLE) == item.data(ROW_ROLE):
                other.item(i).setCheckState(Qt.CheckState.Unchecked)

    def _update_slug(self, text: str) -> None:
        self.slug.setText(self.occupation.id if self.mode == "edit" and self.occupation else occupation_slug(text))

    def _update_rule(self) -> None:
        rows = self.competence_rows()
        lo, hi = self._lo_hi
        n, e = len(rows), sum(1 for _c, ess in rows if ess)
        ok = lo <= n <= hi and e >= MIN_ESSENTIAL
        self.rule.setText(self.rule_text.format(min=lo, max=hi, ess=MIN_ESSENTIAL, n=n, e=e))
        self.rule.setStyleSheet("" if ok else "color: #a04000;")

    # -- data --------------------------------------------------------------------------------------
    def set_reference(self, reference) -> None:
        self.reference = reference
        self.add_combo.clear()
        for c in sorted(reference.competences, key=lambda c: fold(c.label_nl)):
            self.add_combo.addItem(c.label_nl, c.id)
        completer = QCompleter(self.add_combo.model(), self.add_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.add_combo.setCompleter(completer)
        self.add_combo.setCurrentIndex(-1)
        voc = reference.vocabulary
        self.sector.clear()
        for code, label in voc.get("sectors", {}).items():
            self.sector.addItem(label, code)
        self.conditions.clear()
        for code, label in voc.get("conditions", {}).items():
            _checkable(code, label, self.conditions)
        attests = sorted((c for c in reference.competences if c.is_attest), key=lambda c: fold(c.label_nl))
        for lst in (self.cert_required, self.cert_useful):
            lst.blockSignals(True)
            lst.clear()
            for c in attests:
                _checkable(c.id, c.label_nl, lst)
            lst.blockSignals(False)
        self._update_rule()

    def set_occupation(self, occupation, *, local: bool, own: bool = False) -> None:
        """Show ``occupation``; ``local``: it has a local version; ``own``: it is one's own addition."""
        self.occupation = occupation
        self.own = own
        self.message.clear()
        self.setEnabled(occupation is not None and self.property("may_edit") is not False)
        if occupation is None:
            self.competences.setRowCount(0)
            return
        self.name_nl.setText(occupation.name_nl)
        self.name_fr.setText(occupation.name_fr)
        self.sector.setCurrentIndex(max(0, self.sector.findData(occupation.sector)))
        self.isco.setText(occupation.isco)
        self.esco_uri.setText(occupation.esco_uri)
        self.vks.setValue(occupation.vks or 1)
        self.bottleneck.setChecked(occupation.bottleneck)
        for code, box in self.reasons.items():
            box.setChecked(code in occupation.reasons)
        self.competences.setRowCount(0)
        for oc in occupation.competences:
            self._append(oc.competence_id, oc.essential)
        self._update_rule()
        self.alt_labels.setPlainText("\n".join(occupation.alt_labels_nl))
        _set_checked(self.conditions, occupation.conditions)
        for lst, codes in ((self.cert_required, occupation.certificates_required),
                           (self.cert_useful, occupation.certificates_useful)):
            lst.blockSignals(True)
            _set_checked(lst, codes)
            lst.blockSignals(False)
        if self.mode == "edit":
            self.pages.setTabVisible(PAGE_IDENTITY, own)
            self.btn_revert.setEnabled(local and not own)
            self.btn_delete.setVisible(own)
            self.btn_save.setText(self.tr("Wijzigingen bewaren") if own else self.tr("Opslaan als lokale aanpassing"))
        self._update_slug(occupation.name_nl)

    def _append(self, competence_id: str, essential: bool) -> None:
        r = self.competences.rowCount()
        self.competences.blockSignals(True)
        self.competences.insertRow(r)
        label = self.reference.competence_by_id(competence_id).label_nl if self.reference.has_competence(
            competence_id) else competence_id
        item = QTableWidgetItem(label)
        item.setData(ROW_ROLE, competence_id)
        self.competences.setItem(r, 0, item)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if essential else Qt.CheckState.Unchecked)
        self.competences.setItem(r, 1, check)
        self.competences.blockSignals(False)
        self._update_rule()

    def competence_rows(self) -> list[tuple[str, bool]]:
        return [(self.competences.item(r, 0).data(ROW_ROLE),
                 self.competences.item(r, 1).checkState() == Qt.CheckState.Checked)
                for r in range(self.competences.rowCount())
                if self.competences.item(r, 0) is not None and self.competences.item(r, 1) is not None]

    def set_essential(self, competence_id: str, essential: bool) -> None:
        for r in range(self.competences.rowCount()):
            if self.competences.item(r, 0).data(ROW_ROLE) == competence_id:
                self.competences.item(r, 1).setCheckState(Qt.CheckState.Checked if essential else Qt.CheckState.Unchecked)

    def add_competence(self, competence_id: str, essential: bool = False) -> bool:
        if not self.reference.has_competence(competence_id):
            return False
        if competence_id in {cid for cid, _e in self.competence_rows()}:
            self.message.setText(self.tr("Deze competentie staat al in de lijst."))
            return False
        self._append(competence_id, essential)
        self.competences.scrollToBottom()
        return True

    def add_selected(self) -> None:
        i = self.add_combo.findText(self.add_combo.currentText(), Qt.MatchFlag.MatchFixedString)
        cid = self.add_combo.itemData(i) if i >= 0 else None
        if cid is None:
            self.message.setText(self.tr("Kies een competentie uit de lijst."))
            return
        if self.add_competence(cid):
            self.add_combo.setCurrentIndex(-1)
            self.message.clear()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.competences.selectionModel().selectedRows()}, reverse=True)
        for r in rows:
            self.competences.removeRow(r)
        self._update_rule()

    def set_conditions(self, codes) -> None:
        _set_checked(self.conditions, codes)

    def set_certificates(self, required=(), useful=()) -> None:
        for lst, codes in ((self.cert_required, required), (self.cert_useful, useful)):
            lst.blockSignals(True)
            _set_checked(lst, codes)
            lst.blockSignals(False)

    def alt_label_lines(self) -> tuple[str, ...]:
        """The alternative names, one per line: trimmed, empty lines and repeats dropped."""
        seen, out = {fold(self.name_nl.text().strip())}, []
        for line in self.alt_labels.toPlainText().splitlines():
            text = " ".join(line.split())
            if text and fold(text) not in seen:
                seen.add(fold(text))
                out.append(text)
        return tuple(out)

    def edited(self) -> Occupation:
        """The occupation as the form shows it (not yet checked: the repository does that)."""
        reasons = tuple(code for code, box in self.reasons.items() if box.isChecked())
        comps = tuple(OccupationCompetence(cid, ess) for cid, ess in self.competence_rows())
        common = dict(bottleneck=self.bottleneck.isChecked(), reasons=reasons, competences=comps,
                      alt_labels_nl=self.alt_label_lines(), conditions=_checked(self.conditions),
                      certificates_required=_checked(self.cert_required),
                      certificates_useful=_checked(self.cert_useful))
        identity = dict(name_nl=" ".join(self.name_nl.text().split()), name_fr=" ".join(self.name_fr.text().split()),
                        sector=self.sector.currentData() or "", isco=self.isco.text().strip(),
                        esco_uri=self.esco_uri.text().strip(), vks=self.vks.value())
        if self.mode == "new" or self.occupation is None:
            return Occupation(id="", rome="", evidence=Evidence("G", self.tr("Eigen beroep, lokaal toegevoegd")),
                              facts_ref=None, **identity, **common)
        if self.own:
            return replace(self.occupation, **identity, **common)
        return replace(self.occupation, **common)


class NewOccupationDialog(QDialog):
    """"Nieuw beroep…": the editor in ``new`` mode with Bewaren/Annuleren. ``submit(occupation)``
    stores it and returns None, or a Dutch message that is shown (the dialog then stays open)."""

    def __init__(self, reference, submit: Callable[[Occupation], str | None], parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nieuw beroep"))
        self.resize(720, 620)
        self.submit = submit
        self.created: Occupation | None = None
        self.editor = OccupationEditor(self, mode="new")
        self.editor.set_reference(reference)
        self.editor.set_occupation(None, local=False)
        self.editor.setEnabled(True)
        self.buttons, self.error = save_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Een eigen beroep wordt lokaal bewaard en meteen gebruikt bij het matchen. "
                                     "Het id wordt afgeleid van de Nederlandse naam.")))
        lay.addWidget(self.editor, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def save(self) -> bool:
        occupation = self.editor.edited()
        problem = self.submit(occupation)
        if problem:
            self.error.setText(problem)
            self.error.show()
            return False
        self.created = occupation
        self.accept()
        return True
