"""The ranked bottleneck occupations (knelpuntberoepen) for one worker.

Each row has a score bar, the bottleneck reasons (KWANT: too few candidates, KWAL: candidates lack
qualifications, ARB: working conditions), and on selection the matched competences with the
phrase that matched, the missing ones and the conflicts with the worker's limits or wishes.
The counsellor ticks one to three target occupations for the trajectory plan.
"""
from __future__ import annotations

import copy
import html

from PySide6.QtCore import QRectF, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QSplitter, QStyle, QStyledItemDelegate, QTableView,
                               QTextBrowser, QVBoxLayout, QWidget)

from gui.models import RowsTableModel

MATCH_ROLE = Qt.ItemDataRole.UserRole + 4
MAX_TARGETS = 3
REASONS = ("KWANT", "KWAL", "ARB")


class MatchTableModel(RowsTableModel):
    COL_PICK, COL_NAME, COL_SCORE, COL_REASONS, COL_SECTOR, COL_MISSING, COL_CONFLICTS = range(7)
    targets_changed = Signal()
    refused = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.checked: list[str] = []          # occupation ids in the order they were picked
        self.read_only = False
        self.sector_names: dict[str, str] = {}   # sector code -> name shown ([vocabulary.sectors])
        self._headers = [self.tr("Doel"), self.tr("Knelpuntberoep"), self.tr("Match"), self.tr("Knelpunt"),
                         self.tr("Sector"), self.tr("Ontbreekt"), self.tr("Conflicten")]

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_checked(self, ids: list[str]) -> None:
        self.checked = list(dict.fromkeys(ids))[:MAX_TARGETS]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def checked_matches(self) -> list:
        by_id = {m.occupation_id: m for m in self.rows}
        return [by_id[i] for i in self.checked if i in by_id]

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_PICK and not self.read_only:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        m = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == self.COL_PICK:
            return Qt.CheckState.Checked if m.occupation_id in self.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return m.name
            if col == self.COL_SCORE:
                return f"{m.score * 100:.0f}%"
            if col == self.COL_REASONS:
                return " ".join(m.reasons) if m.bottleneck else self.tr("geen knelpunt")
            if col == self.COL_SECTOR:
                return self.sector_names.get(m.sector, m.sector)
            if col == self.COL_MISSING:
                return self.tr("{e} ess. / {o} opt.").format(e=len(m.missing_essential), o=len(m.missing_optional))
            if col == self.COL_CONFLICTS:
                return str(len(m.conflicts)) if m.conflicts else ""
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_CONFLICTS and m.conflicts:
            return QColor("#b00020")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_CONFLICTS and m.conflicts:
                return "\n".join(m.conflicts)
            if col == self.COL_NAME:
                return f"{m.name} ({m.name_fr})" if m.name_fr else m.name
        if role == Qt.ItemDataRole.UserRole and col == self.COL_SCORE:
            return m.score
        if role == MATCH_ROLE:
            return m
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.COL_PICK or self.read_only:
            return False
        oid = self.rows[index.row()].occupation_id
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        if on and oid not in self.checked:
            if len(self.checked) >= MAX_TARGETS:
                self.refused.emit()
                return False
            self.checked.append(oid)
        elif not on and oid in self.checked:
            self.checked.remove(oid)
        else:
            return False
        self.dataChanged.emit(index, index)
        self.targets_changed.emit()
        return True


class ScoreBarDelegate(QStyledItemDelegate):
    """A horizontal bar for the 0..1 match score with the percentage on it."""

    def paint(self, painter: QPainter, option, index) -> None:
        score = index.data(Qt.ItemDataRole.UserRole) or 0.0
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        r = QRectF(option.rect.adjusted(3, 4, -3, -4))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e6e6e6"))
        painter.drawRoundedRect(r, 3, 3)
        colour = QColor("#2e7d32") if score >= 0.6 else QColor("#f9a825") if score >= 0.35 else QColor("#c62828")
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(r.x(), r.y(), r.width() * max(0.0, min(1.0, score)), r.height()), 3, 3)
        painter.setPen(QColor("#111111"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, f"{score * 100:.0f}%")
        painter.restore()


class MatchFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.sector = ""
        self.reasons: set[str] = set(REASONS)
        self.only_bottleneck = True

    def set_filter(self, sector: str, reasons: set[str], only_bottleneck: bool) -> None:
        self.beginFilterChange()
        self.sector, self.reasons, self.only_bottleneck = sector, reasons, only_bottleneck
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        m = self.sourceModel().rows[row]
        if self.sector and m.sector != self.sector:
            return False
        if m.bottleneck:
            return bool(self.reasons & set(m.reasons)) or not m.reasons
        return not self.only_bottleneck


def _pct(x: float) -> str:
    return f"{x * 100:.0f}"


def score_parts_html(m, tr) -> str:
    """Every part of the score, so that a match never stands unexplained (a 28 % match with
    nothing under "Aanwezig" comes from the previous job title)."""
    e = html.escape
    rows = []
    if getattr(m, "part_competences", 0.0) > 0.0005:
        rows.append(tr("competenties: +{p} %").format(p=_pct(m.part_competences)))
    if getattr(m, "part_title", 0.0) > 0.0005:
        if m.title_from:
            rows.append(tr("vorige functie „{titel}” lijkt op dit beroep: +{p} %").format(
                titel=m.title_from, p=_pct(m.part_title)))
        else:
            rows.append(tr("vorige functie lijkt op dit beroep: +{p} %").format(p=_pct(m.part_title)))
    if getattr(m, "part_certificates", 0.0) > 0.0005:
        rows.append(tr("vereiste attesten aanwezig: +{p} %").format(p=_pct(m.part_certificates)))
    if getattr(m, "part_transition", 0.0) > 0.0005:
        if getattr(m, "transition_same", False):
            rows.append(tr("vorige functie „{functie}” is dit beroep: +{p} %").format(
                functie=m.transition_from, p=_pct(m.part_transition)))
        else:
            rows.append(tr("gebruikelijke overstap vanuit „{functie}”: +{p} %").format(
                functie=m.transition_from, p=_pct(m.part_transition)))
    if getattr(m, "part_conflicts", 0.0) > 0.0005:
        rows.append(tr("conflicten met beperkingen of voorkeuren: −{p} %").format(p=_pct(m.part_conflicts)))
    if not rows:
        return ""
    return (f"<p><b>{e(tr('Opbouw van de score'))}</b></p><ul>"
            + "".join(f"<li>{e(r)}</li>" for r in rows) + "</ul>")


def match_details_html(m, tr, sector_names: dict | None = None) -> str:
    """The explanation of one match for the detail pane (sectors by their name in
    ``sector_names``, the reference's [vocabulary.sectors])."""
    e = html.escape
    parts = [f"<h3>{e(m.name)}</h3>"]
    sector = (sector_names or {}).get(m.sector, m.sector)
    if m.name_fr:
        parts.append(f"<p><i>{e(m.name_fr)}</i> · ISCO {e(m.isco)} · {e(sector)}</p>")
    reasons = ", ".join(m.reasons) if m.bottleneck and m.reasons else tr("geen knelpuntberoep")
    parts.append(f"<p>{e(tr('Knelpunt'))}: <b>{e(reasons)}</b> · {e(tr('Match'))}: <b>{m.score * 100:.0f}%</b></p>")
    parts.append(score_parts_html(m, tr))
    if m.conflicts:
        parts.append(f"<p style='color:#b00020'><b>{e(tr('Conflicten'))}</b><br>"
                     + "<br>".join("⚠ " + e(c) for c in m.conflicts) + "</p>")
    if m.matched:
        items = "".join(f"<li>{e(c.label)}{' *' if c.essential else ''} — <i>„{e(c.phrase)}”</i></li>"
                        for c in m.matched)
        parts.append(f"<p><b>{e(tr('Aanwezig'))}</b> ({e(tr('* = essentieel'))})</p><ul>{items}</ul>")
    if m.missing_essential:
        parts.append(f"<p style='color:#b00020'><b>{e(tr('Ontbreekt (essentieel)'))}</b></p><ul>"
                     + "".join(f"<li>{e(c.label)}</li>" for c in m.missing_essential) + "</ul>")
    if m.missing_optional:
        parts.append(f"<p><b>{e(tr('Ontbreekt (optioneel)'))}</b></p><ul>"
                     + "".join(f"<li>{e(c.label)}</li>" for c in m.missing_optional) + "</ul>")
    return "".join(parts)


class MatchingView(QWidget):
    use_targets = Signal(list)            # the picked OccupationMatch objects, for the plan
    ranked = Signal(list)                 # emitted after each ranking

    def __init__(self, matcher, tasks, parent=None):
        super().__init__(parent)
        self.matcher = matcher
        self.tasks = tasks
        self.worker = None
        self.stale = True
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.sector = QComboBox()
        self.sector.setAccessibleName(self.tr("Sector"))
        self.sector.addItem(self.tr("Alle sectoren"), "")
        self.reason_boxes = {r: QCheckBox(r) for r in REASONS}
        for r, box in self.reason_boxes.items():
            box.setChecked(True)
            box.setToolTip({"KWANT": self.tr("Kwantitatief: te weinig kandidaten"),
                            "KWAL": self.tr("Kwalitatief: kandidaten missen de vereiste kwalificaties"),
                            "ARB": self.tr("Arbeidsomstandigheden")}[r])
            box.toggled.connect(self._filter)
        self.only_bottleneck = QCheckBox(self.tr("Alleen &knelpuntberoepen"))
        self.only_bottleneck.setChecked(True)
        self.only_bottleneck.toggled.connect(self._filter)
        self.sector.currentIndexChanged.connect(self._filter)
        filters = QHBoxLayout()
        sector_label = QLabel(self.tr("S&ector"))
        sector_label.setBuddy(self.sector)
        filters.addWidget(sector_label)
        filters.addWidget(self.sector)
        filters.addSpacing(12)
        for box in self.reason_boxes.values():
            filters.addWidget(box)
        filters.addWidget(self.only_bottleneck)
        filters.addStretch(1)
        self.btn_recompute = QPushButton(self.tr("Herbereke&nen"))
        self.btn_recompute.clicked.connect(self.recompute)
        filters.addWidget(self.btn_recompute)

        self.model = MatchTableModel(self)
        self.model.refused.connect(self._refused)
        self.model.targets_changed.connect(self._targets_changed)
        self.proxy = MatchFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setItemDelegateForColumn(MatchTableModel.COL_SCORE, ScoreBarDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAccessibleName(self.tr("Gerangschikte knelpuntberoepen"))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MatchTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 40), (2, 80), (3, 105), (4, 95), (5, 92), (6, 72)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QTextBrowser()
        self.details.setAccessibleName(self.tr("Uitleg bij de match"))
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([760, 340])
        self.picked = QLabel()
        self.btn_plan = QPushButton(self.tr("Doelberoepen naar &trajectplan"))
        self.btn_plan.clicked.connect(lambda: self.use_targets.emit(self.model.checked_matches()))
        bottom = QHBoxLayout()
        bottom.addWidget(self.picked, 1)
        bottom.addWidget(self.btn_plan)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addLayout(filters)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(400)
        self._debounce.timeout.connect(self.recompute)
        if matcher is None:
            self.matching_unavailable()
        self._targets_changed()

    def matching_unavailable(self) -> None:
        """No matching engine (the reference data could not be read): say so and switch off."""
        self.matcher = None
        self.status.setText(self.tr("<b>Matching is niet beschikbaar.</b> De referentiegegevens of de "
                                    "matchingmodule zijn niet geladen; de intake en het trajectplan werken wel."))
        self.status.setStyleSheet("color: #b35900;")
        for w in (self.view, self.btn_recompute, self.btn_plan, self.sector, self.only_bottleneck,
                  *self.reason_boxes.values()):
            w.setEnabled(False)

    # -- input -----------------------------------------------------------------------------------
    def set_worker(self, worker, target_ids: list[str] | None = None, *, run: bool = True) -> None:
        self.worker = copy.deepcopy(worker)
        self.model.set_rows([])
        self.model.set_checked(target_ids or [])
        self.details.clear()
        self.stale = True
        self._targets_changed()
        if run:
            self.recompute()

    def profile_changed(self, worker, *, visible: bool) -> None:
        """The form changed: recompute shortly when visible, else on the next show."""
        self.worker = copy.deepcopy(worker)
        self.stale = True
        if visible:
            self._debounce.start()

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only

    def recompute(self) -> None:
        if self.matcher is None or self.worker is None:
            return
        self.stale = False
        # a live service resolves to the current engine here, so the thread never reads the database
        worker, matcher = copy.deepcopy(self.worker), getattr(self.matcher, "current", self.matcher)
        self.status.setText(self.tr("Knelpuntberoepen worden gerangschikt…"))
        self.status.setStyleSheet("")

        def job(progress, is_cancelled):
            return matcher.rank(worker)
        self.tasks.start("match", job, on_done=self._ranked, on_error=self._failed)

    def _ranked(self, matches: list) -> None:
        self.model.set_rows(matches)
        sectors = sorted({m.sector for m in matches if m.sector})
        current = self.sector.currentData()
        self.sector.blockSignals(True)
        self.sector.clear()
        self.sector.addItem(self.tr("Alle sectoren"), "")
        names = self._sector_names()
        self.model.sector_names = names
        for s in sorted(sectors, key=lambda code: names.get(code, code).casefold()):
            self.sector.addItem(names.get(s, s), s)
        self.sector.setCurrentIndex(max(0, self.sector.findData(current)))
        self.sector.blockSignals(False)
        self._filter()
        w = self.worker
        self.status.setText((self.tr("1 beroep gerangschikt op basis van de competenties ({k}), de attesten ({a}) en "
                                     "de vorige functies.") if len(matches) == 1 else
                             self.tr("{n} beroepen gerangschikt op basis van de competenties ({k}), de attesten ({a}) "
                                     "en de vorige functies.")).format(n=len(matches), k=len(w.competences) if w else 0,
                                                                      a=len(w.certificates) if w else 0))
        if self.proxy.rowCount():
            self.view.selectRow(0)
        self._targets_changed()
        self.ranked.emit(matches)

    def _sector_names(self) -> dict[str, str]:
        """Sector code -> Dutch name from the reference data of the matching engine."""
        engine = getattr(self.matcher, "current", self.matcher)
        vocab = getattr(getattr(engine, "reference", None), "vocabulary", None) or {}
        names = vocab.get("sectors") if hasattr(vocab, "get") else None
        return dict(names) if names else {}

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("De matching mislukte: {fout}").format(fout=message))
        self.status.setStyleSheet("color: #b00020;")

    def _filter(self, *_):
        reasons = {r for r, b in self.reason_boxes.items() if b.isChecked()}
        self.proxy.set_filter(self.sector.currentData() or "", reasons, self.only_bottleneck.isChecked())

    def _show_details(self, current, _previous=None) -> None:
        m = current.data(MATCH_ROLE) if current.isValid() else None
        self.details.setHtml(match_details_html(m, self.tr, self.model.sector_names) if m else "")

    def _refused(self) -> None:
        QMessageBox.information(self, self.tr("Maximaal drie doelberoepen"), self.tr(
            "Een trajectplan heeft één tot drie doelberoepen. Vink eerst een ander beroep uit."))

    def _targets_changed(self) -> None:
        picked = self.model.checked_matches()
        names = ", ".join(m.name for m in picked)
        self.picked.setText(self.tr("Gekozen doelberoepen ({n}/3): {namen}").format(n=len(self.model.checked),
                                                                                  namen=names or self.tr("geen")))
        self.btn_plan.setEnabled(self.matcher is not None and bool(picked) and not self.model.read_only)
