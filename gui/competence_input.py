"""Competences of a worker: typed with suggestions from the vocabulary, kept as typed when the
vocabulary does not know them, and proposed from previous job titles as a checklist.

The suggestions come from the matching service (``suggest_competences``, meant to answer in well
under 20 ms), so the completer's model is refilled on every keystroke instead of filtering a
fixed list: the vocabulary matches on meaning and spelling variants, not on prefixes.
"""
from __future__ import annotations

import copy
import logging
import time
from typing import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (QComboBox, QCompleter, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from core.competences import limit_hint, list_parts, negation, phrase_key
from core.model import CompetenceSource, Worker, WorkerCompetence
from gui.row_tables import Column, RecordTable

log = logging.getLogger("werkbrug.gui.competences")
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 3
ORANGE = QColor("#b35900")


class SuggestionModel(QAbstractListModel):
    """The current suggestions for what is being typed (CompetenceSuggestion objects)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        s = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return s.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("herkend via „{tekst}” ({score:.0%})").format(tekst=s.matched_text, score=s.score)
        if role == SUGGESTION_ROLE:
            return s
        return None


class CompetenceInput(QLineEdit):
    """A line edit whose completer shows the vocabulary's suggestions.

    ``chosen(suggestion, typed)`` is emitted on Enter: with the highlighted suggestion, or with
    None when nothing was picked (the caller then tries to recognise the typed text).
    """

    chosen = Signal(object, str)

    def __init__(self, matcher=None, parent=None):
        super().__init__(parent)
        self.matcher = matcher
        self.model = SuggestionModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setWidget(self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(8)
        self.completer_.activated[QModelIndex].connect(self._activated)
        self.textEdited.connect(self.update_suggestions)
        self.last_suggest_ms = 0.0

    def update_suggestions(self, text: str) -> None:
        if self.matcher is None or len(text.strip()) < 2:
            self.model.set_rows([])
            self.completer_.popup().hide()
            return
        t0 = time.perf_counter()
        rows = self.matcher.suggest_competences(text, 8)
        self.last_suggest_ms = (time.perf_counter() - t0) * 1000
        if self.last_suggest_ms > 20:
            log.info("suggest_competences took %.1f ms for %r", self.last_suggest_ms, text)
        self.model.set_rows(rows)
        if rows:
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        s = index.data(SUGGESTION_ROLE)
        if s is not None:
            self.chosen.emit(s, self.text())

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = self.completer_.popup()
            if popup.isVisible() and popup.currentIndex().isValid():
                event.ignore()            # the completer activates the highlighted suggestion
                return
            popup.hide()
            self.chosen.emit(None, self.text())
            event.accept()
            return
        super().keyPressEvent(event)


class CompetenceSection(QObject):
    changed = Signal()
    input_changed = Signal()        # the competence line was typed in or cleared

    LEVELS = ((1, "1 basis"), (2, "2 zelfstandig"), (3, "3 gevorderd"), (4, "4 expert"))

    def __init__(self, undo: QUndoStack, matcher=None, job_titles: Callable[[], list[str]] | None = None, parent=None,
                 remember: Callable[[str, str], str] | None = None):
        super().__init__(parent)
        self.matcher = matcher
        self.remember = remember          # (typed text, competence id) -> Dutch report; stores a local variant
        self._pending: tuple[str, str] | None = None
        self.undo = undo
        self.job_titles = job_titles or (lambda: [])
        self._labels: dict[str, str] = {}
        self._auto: dict[str, object] = {}
        self.widget = QWidget()
        lay = QVBoxLayout(self.widget)
        lay.setContentsMargins(0, 0, 0, 0)

        row = QHBoxLayout()
        self.input = CompetenceInput(matcher)
        self.input.setPlaceholderText(self.tr("Typ een competentie zoals de werknemer ze verwoordt…"))
        self.input.setAccessibleName(self.tr("Competentie"))
        self.input.chosen.connect(self._chosen)
        self.input.textChanged.connect(self.input_changed)
        label = QLabel(self.tr("&Competentie"))
        label.setBuddy(self.input)
        self.level = QComboBox()
        self.level.setAccessibleName(self.tr("Niveau"))
        for value, text in self.LEVELS:
            self.level.addItem(self.tr(text), value)
        self.level.setCurrentIndex(1)
        self.source = QComboBox()
        self.source.setAccessibleName(self.tr("Bron"))
        for s in CompetenceSource:
            self.source.addItem(s.value, s)
        self.source.setCurrentIndex(self.source.findData(CompetenceSource.CONSULENT))
        self.btn_add = QPushButton(self.tr("Toevoegen"))
        self.btn_add.clicked.connect(lambda: self._chosen(None, self.input.text()))
        row.addWidget(label)
        row.addWidget(self.input, 3)
        row.addWidget(self.level)
        row.addWidget(self.source)
        row.addWidget(self.btn_add)
        lay.addLayout(row)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.btn_remember = QPushButton()
        self.btn_remember.clicked.connect(self.remember_pending)
        self.btn_remember.hide()
        fb = QHBoxLayout()
        fb.addWidget(self.feedback, 1)
        fb.addWidget(self.btn_remember)
        lay.addLayout(fb)
        if matcher is None:
            self.matching_unavailable()

        cols = [Column("text", self.tr("Zoals getypt"), width=150),
                Column("competence_id", self.tr("Herkende competentie"), editable=False, stretch=True,
                       display=self._recognised),
                Column("level", self.tr("Niveau"), "choice", tuple((v, self.tr(t)) for v, t in self.LEVELS), width=95),
                Column("source", self.tr("Bron"), "choice", tuple((s, s.value) for s in CompetenceSource), width=95),
                Column("evidence", self.tr("Bewijs / herkomst"), width=120)]
        self.table = RecordTable(cols, undo, None, style=self._style)
        self.table.model.changed.connect(self.changed)
        lay.addWidget(self.table, 3)

        self.sources_group = QGroupBox(self.tr("Voorgesteld uit vorige functies"))
        sl = QVBoxLayout(self.sources_group)
        hint = QLabel(self.tr("Typische competenties van de vorige functies. Vink af wat niet klopt en aanvaard "
                              "de rest."))
        hint.setWordWrap(True)
        sl.addWidget(hint)
        self.source_list = QListWidget()
        self.source_list.setAccessibleName(self.tr("Voorgestelde competenties"))
        self.source_list.setWordWrap(True)
        sl.addWidget(self.source_list)
        buttons = QHBoxLayout()
        self.btn_refresh_sources = QPushButton(self.tr("&Vernieuwen"))
        self.btn_refresh_sources.clicked.connect(self.refresh_sources)
        self.btn_accept_sources = QPushButton(self.tr("Aangevinkte &aanvaarden"))
        self.btn_accept_sources.clicked.connect(self.accept_sources)
        buttons.addWidget(self.btn_refresh_sources)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_accept_sources)
        sl.addLayout(buttons)
        self.sources_group.setEnabled(matcher is not None)

    # -- typing --------------------------------------------------------------------------------

    def matching_unavailable(self) -> None:
        """No vocabulary to recognise competences with: they are kept as typed."""
        self.matcher = None
        self.input.matcher = None
        self.feedback.setText(self.tr("De woordenlijst van competenties is niet geladen: competenties worden "
                                      "bewaard zoals getypt, zonder herkenning."))

    def label_of(self, competence_id: str) -> str:
        if competence_id not in self._labels and hasattr(self.matcher, "label"):
            self._labels[competence_id] = self.matcher.label(competence_id) or competence_id
        return self._labels.get(competence_id, competence_id)

    def _automatic(self, text: str):
        """What the vocabulary recognises in a phrase stored without a competence (imported, older data)."""
        if self.matcher is None:
            return None
        if text not in self._auto:
            self._auto[text] = self.matcher.recognise(text)
        return self._auto[text]

    def _also(self, text: str, competence_id: str) -> list:
        """Other competences the words of a confirmed phrase name; they count in the matching too."""
        if self.matcher is None or not competence_id or not hasattr(self.matcher, "also_named"):
            return []
        return self.matcher.also_named(text, competence_id)

    def _recognised(self, c: WorkerCompetence) -> str:
        if c.competence_id:
            also = self._also(c.text, c.competence_id)
            if also:
                return self.tr("{label}; ook: {andere}").format(label=self.label_of(c.competence_id),
                                                                  andere=", ".join(s.label for s in also))
            return self.label_of(c.competence_id)
        auto = self._automatic(c.text)
        return self.tr("≈ {label} (automatisch)").format(label=auto.label) if auto else self.tr("niet herkend")

    def _style(self, c: WorkerCompetence):
        if not c.competence_id and self._automatic(c.text) is not None:
            return None, self.tr("Herkend door de matching, nog niet bevestigd door de consulent.")
        if not c.competence_id:
            return ORANGE, self.tr("Niet herkend in de woordenlijst: bewaard zoals getypt; telt niet mee "
                                   "in de matching.")
        return None, ""

    def _chosen(self, suggestion, typed: str) -> None:
        typed = typed.strip()
        if not typed and suggestion is None:
            return
        parts = list_parts(typed) if suggestion is None else [typed]
        if len(parts) > 1:
            # a typed list ("TIG lassen, plasmasnijden; heftruck") gives one competence per item
            before = len(self.table.model.items)
            for p in parts:
                self._chosen(None, p)
            added = self.table.model.items[before:]
            if added:
                self.feedback.setText(self.tr("Toegevoegd uit één regel: {lijst}.").format(lijst="; ".join(
                    f"„{c.text}” ({self.label_of(c.competence_id) if c.competence_id else self.tr('niet herkend')})"
                    for c in added)))
                self.feedback.setStyleSheet("" if all(c.competence_id for c in added) else "color: #b35900;")
            return
        picked = suggestion is not None
        if suggestion is None and self.matcher is not None:
            suggestion = self.matcher.recognise(typed)
        comp = WorkerCompetence(text=typed or suggestion.label, level=self.level.currentData(),
                                source=self.source.currentData())
        if suggestion is not None:
            self._labels[suggestion.competence_id] = suggestion.label
            comp.competence_id, comp.confidence = suggestion.competence_id, float(suggestion.score)
        if comp.competence_id and any(c.competence_id == comp.competence_id for c in self.table.model.items):
            self.feedback.setText(self.tr("„{label}” staat al in de lijst.").format(label=self.label_of(comp.competence_id)))
            self.feedback.setStyleSheet("color: #b35900;")
            return
        self.table.model.add(comp)
        also = self._also(comp.text, comp.competence_id)
        if also:
            self.feedback.setText(self.tr("Toegevoegd: „{tekst}” herkend als {label}; ook herkend: {andere} "
                                          "(telt ook mee in de matching).").format(
                tekst=comp.text, label=self.label_of(comp.competence_id),
                andere=", ".join(s.label for s in also)))
            self.feedback.setStyleSheet("")
        elif comp.competence_id:
            self.feedback.setText(self.tr("Toegevoegd: „{tekst}” herkend als {label}.").format(
                tekst=comp.text, label=self.label_of(comp.competence_id)))
            self.feedback.setStyleSheet("")
        elif negation(comp.text):
            self.feedback.setText(self.tr("Toegevoegd: „{tekst}” — een ontkenning is geen competentie: bewaard "
                                          "zoals getypt, telt niet mee in de matching. Hoort dit bij de "
                                          "beperkingen of de voorkeuren?").format(tekst=comp.text))
            self.feedback.setStyleSheet("color: #b35900;")
        elif limit_hint(comp.text):
            self.feedback.setText(self.tr("Toegevoegd: „{tekst}” — dit lijkt een gezondheidsklacht of beperking, "
                                          "geen competentie: bewaard zoals getypt, telt niet mee in de matching. "
                                          "Hoort dit bij de beperkingen (gevoelige gegevens)?").format(tekst=comp.text))
            self.feedback.setStyleSheet("color: #b35900;")
        else:
            self.feedback.setText(self.tr("Toegevoegd: „{tekst}” — niet herkend, bewaard zoals getypt.").format(
                tekst=comp.text))
            self.feedback.setStyleSheet("color: #b35900;")
        self.input.clear()
        self.input.model.set_rows([])
        self.table.view.scrollToBottom()
        self._drop_from_sources(comp.competence_id)
        self._offer_remember(typed, suggestion if picked else None)

    # -- teaching the vocabulary -----------------------------------------------------------------
    def _offer_remember(self, typed: str, picked) -> None:
        """After the counsellor picked a competence for words the vocabulary does not read that
        way by itself, offer to keep those words as a variant (a local synonym)."""
        self._pending = None
        self.btn_remember.hide()
        if picked is None or self.remember is None or self.matcher is None or len(typed) < 3:
            return
        if phrase_key(typed) in {phrase_key(picked.label), ""}:
            return
        own = self.matcher.recognise(typed)
        if own is not None and own.competence_id == picked.competence_id:
            return                                   # already read this way: nothing to learn
        self._pending = (typed, picked.competence_id)
        self.btn_remember.setText(self.tr("Schrijfwijze &onthouden"))
        self.btn_remember.setToolTip(self.tr("„{tekst}” bewaren als variant van {label}: de matching herkent het "
                                             "voortaan vanzelf, ook bij andere werknemers.").format(
            tekst=typed, label=self.label_of(picked.competence_id)))
        self.btn_remember.show()

    def remember_pending(self) -> None:
        if self._pending is None or self.remember is None:
            return
        typed, competence_id = self._pending
        self._pending = None
        self.btn_remember.hide()
        self.feedback.setText(self.remember(typed, competence_id))
        self.feedback.setStyleSheet("")
        self._auto.pop(typed, None)

    # -- suggestions from previous jobs ----------------------------------------------------------
    def refresh_sources(self) -> None:
        self.source_list.clear()
        if self.matcher is None:
            return
        have = {c.competence_id for c in self.table.model.items if c.competence_id}
        have |= {a.competence_id for a in (self._automatic(c.text) for c in self.table.model.items
                                           if not c.competence_id) if a is not None}
        have |= {s.competence_id for c in self.table.model.items for s in self._also(c.text, c.competence_id)}
        seen: set[str] = set()
        titles = list(dict.fromkeys(t.strip() for t in self.job_titles() if t and t.strip()))
        unknown: list[str] = []          # titles without typical competences in the reference data
        for title in titles:
            found = self.matcher.source_competences(title)
            if not found:
                unknown.append(title)
            for s in found:
                if s.competence_id in have or s.competence_id in seen:
                    continue
                seen.add(s.competence_id)
                self._labels[s.competence_id] = s.label
                item = QListWidgetItem(self.tr("{label}   (uit: {functie})").format(label=s.label, functie=title))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                item.setData(SUGGESTION_ROLE, (s, title))
                self.source_list.addItem(item)
        if self.source_list.count() == 0:
            if not titles:
                self.source_list.addItem(self.tr("Geen voorstellen: geen vorige functie ingevuld."))
            elif len(unknown) == len(titles):
                self.source_list.addItem(self.tr("Geen typische competenties gekend voor {functies}.").format(
                    functies=", ".join(f"«{t}»" for t in unknown)))
            else:
                self.source_list.addItem(self.tr("Geen voorstellen: de typische competenties van de vorige "
                                                 "functies zijn al aanwezig."))

    def _drop_from_sources(self, competence_id: str) -> None:
        for i in reversed(range(self.source_list.count())):
            data = self.source_list.item(i).data(SUGGESTION_ROLE)
            if data and data[0].competence_id == competence_id:
                self.source_list.takeItem(i)

    def accept_sources(self) -> int:
        picked = []
        for i in range(self.source_list.count()):
            item = self.source_list.item(i)
            data = item.data(SUGGESTION_ROLE)
            if data and item.checkState() == Qt.CheckState.Checked:
                picked.append(data)
        if not picked:
            return 0
        self.undo.beginMacro(self.tr("Voorgestelde competenties aanvaarden"))
        for s, title in picked:
            self.table.model.add(WorkerCompetence(
                text=s.label, competence_id=s.competence_id, confidence=float(s.score),
                source=CompetenceSource.CONSULENT, level=2,
                evidence=self.tr("vorige functie: {functie}").format(functie=title)))
        self.undo.endMacro()
        for s, _ in picked:
            self._drop_from_sources(s.competence_id)
        return len(picked)

    # -- loading ---------------------------------------------------------------------------------
    def pending_input(self) -> QWidget | None:
        """The competence line when it holds text that was not added (Enter) yet."""
        return self.input if self.input.text().strip() else None

    def clear_input(self) -> None:
        """Empty the competence line and its suggestions; level and source back to their defaults."""
        self.input.clear()
        self.input.model.set_rows([])
        self.input.completer_.popup().hide()
        self.level.setCurrentIndex(1)
        self.source.setCurrentIndex(self.source.findData(CompetenceSource.CONSULENT))
        self._pending = None
        self.btn_remember.hide()

    def load(self, w: Worker) -> None:
        self.clear_input()
        if self.matcher is not None and not hasattr(self.matcher, "label"):
            for c in w.competences:
                if c.competence_id and c.competence_id not in self._labels:
                    s = self.matcher.recognise(c.text)
                    if s is not None and s.competence_id == c.competence_id:
                        self._labels[c.competence_id] = s.label
        self.table.model.set_items(w.competences)
        self.feedback.setText("" if self.matcher is not None else self.feedback.text())
        self.source_list.clear()

    def collect(self, w: Worker) -> None:
        w.competences = copy.deepcopy(self.table.model.items)

    def snapshot(self):
        return copy.deepcopy(self.table.model.items)
