"""Sections of the intake in the worker view: experience, certificates, languages, mobility,
preferences and functional limitations, and the worker's own counsellor. Each section loads from
and collects into a Worker.

Functional limitations are health data: only the worker's own counsellor and the coordinator see
and record them (docs/SECURITY.md). For anyone else the limitations section says so and takes no
input, so nothing is typed there that the repository would not store.
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from core.followup import certificate_state
from core.model import (CEFR_LEVELS, Certificate, Experience, FunctionalLimitation, LANGUAGES, LIMITATION_KINDS,
                        LanguageSkill, Mobility, Preferences, SHIFT_REGIMES, Worker)
from gui.row_tables import Column, RecordTable
from gui.worker_form import language_names

RED = QColor("#b00020")
ORANGE = QColor("#b35900")
DRIVING_LICENCES = ("AM", "A", "B", "BE", "C1", "C", "CE", "D", "G")
# Names counsellors use for common certificates (completion aid only; the text is kept as typed).
COMMON_CERTIFICATES = ("VCA basis", "VCA VOL", "VCA VIL", "BA4", "BA5", "heftruckattest", "reachtruckattest",
                       "lasattest", "code 95", "ADR", "F-gassen", "EHBO", "hoogwerker (IS-code)", "rolbrug (IS-code)",
                       "NDO", "veiligheidsattest hoogspanning")


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


class ExperienceSection(QObject):
    changed = Signal()

    def __init__(self, undo: QUndoStack, parent=None):
        super().__init__(parent)
        cols = [Column("job_title", self.tr("Functie"), width=170), Column("employer", self.tr("Werkgever"), width=150),
                Column("start_date", self.tr("Van"), "date", width=90),
                Column("end_date", self.tr("Tot"), "date", width=90),
                Column("shift_regime", self.tr("Ploegregime"), "choice", ("",) + SHIFT_REGIMES, width=95),
                Column("tasks", self.tr("Taken, machines"))]
        self.table = RecordTable(cols, undo, self._build, add_text=self.tr("Ervaring toevoegen"))
        self.table.model.changed.connect(self.changed)
        self.titles = None          # TitleCompleter on the row editor's Functie, once attached
        # per row (by uid): the title its ESCO occupation was linked for; a title edited in the
        # table since then no longer names that occupation and loses the link when collected
        self._linked_title: dict[str, str] = {}

    def attach_titles(self, source) -> None:
        from gui.title_completer import TitleCompleter
        self.titles = TitleCompleter(self.table.inputs["job_title"], source, self)

    def _build(self, v: dict) -> Experience:
        if not v["job_title"] and not v["employer"]:
            raise ValueError(self.tr("Geef minstens een functie of een werkgever."))
        if v["start_date"] and v["end_date"] and v["end_date"] < v["start_date"]:
            raise ValueError(self.tr("De einddatum ligt vóór de begindatum."))
        e = Experience(**v)
        if self.titles is not None and self.titles.uri and e.job_title:
            e.esco_uri = self.titles.uri
            self._linked_title[e.uid] = e.job_title
            self.titles.set_uri("")         # the row editor is emptied for the next record
        return e

    def load(self, w: Worker) -> None:
        self.table.model.set_items(w.experiences)
        self._linked_title = {e.uid: e.job_title for e in self.table.model.items if e.esco_uri}

    def collect(self, w: Worker) -> None:
        w.experiences = copy.deepcopy(self.table.model.items)
        for item, out in zip(self.table.model.items, w.experiences):
            if out.esco_uri and self._linked_title.get(item.uid) != item.job_title:
                out.esco_uri = ""

    def snapshot(self):
        return copy.deepcopy(self.table.model.items)


class CertificateSection(QObject):
    changed = Signal()

    def __init__(self, undo: QUndoStack, today: Callable[[], dt.date] = dt.date.today, matcher=None, parent=None):
        super().__init__(parent)
        self.today = today
        self.matcher = matcher
        cols = [Column("label", self.tr("Attest"), width=220),
                Column("date_obtained", self.tr("Behaald op"), "date", width=100),
                Column("expiry_date", self.tr("Vervalt op"), "date", width=100),
                Column("expiry_date", self.tr("Geldigheid"), editable=False, display=self._validity)]
        self.table = RecordTable(cols, undo, self._build, editor_attrs=["label", "date_obtained", "expiry_date"],
                                 add_text=self.tr("Attest toevoegen"), style=self._style)
        completer = QCompleter(list(COMMON_CERTIFICATES), self.table)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.table.inputs["label"].setCompleter(completer)
        self.table.inputs["label"].setPlaceholderText(self.tr("Attest (bv. VCA basis)"))
        self.table.model.changed.connect(self.changed)

    def _build(self, v: dict) -> Certificate:
        if not v["label"]:
            raise ValueError(self.tr("Geef de naam van het attest."))
        if v["date_obtained"] and v["expiry_date"] and v["expiry_date"] < v["date_obtained"]:
            raise ValueError(self.tr("Vervaldatum van een attest ligt vóór de behaaldatum."))
        # the kind is the vocabulary's competence when it knows the certificate (it counts in the matching)
        known = self.matcher.recognise(v["label"]) if self.matcher is not None else None
        return Certificate(kind=known.competence_id if known else v["label"], label=v["label"],
                           date_obtained=v["date_obtained"],
                           expiry_date=v["expiry_date"])

    def _validity(self, c: Certificate) -> str:
        state = certificate_state(c.expiry_date, self.today())
        if state == "expired":
            return self.tr("vervallen")
        if state == "expiring":
            days = (c.expiry_date - self.today()).days
            if days == 0:
                return self.tr("vervalt vandaag")
            return self.tr("vervalt binnen 1 dag") if days == 1 else self.tr("vervalt binnen {n} dagen").format(n=days)
        return self.tr("geldig") if c.expiry_date else self.tr("geen vervaldatum")

    def _style(self, c: Certificate):
        state = certificate_state(c.expiry_date, self.today())
        if state == "expired":
            return RED, self.tr("Dit attest is vervallen.")
        if state == "expiring":
            return ORANGE, self.tr("Dit attest vervalt binnen 90 dagen.")
        return None, ""

    def load(self, w: Worker) -> None:
        self.table.model.set_items(w.certificates)

    def collect(self, w: Worker) -> None:
        w.certificates = copy.deepcopy(self.table.model.items)

    def snapshot(self):
        return copy.deepcopy(self.table.model.items)


class LanguageSection(QObject):
    changed = Signal()

    def __init__(self, undo: QUndoStack, parent=None):
        super().__init__(parent)
        levels = ("",) + CEFR_LEVELS
        names = language_names()
        cols = [Column("language", self.tr("Taal"), "choice", tuple((c, names.get(c, c)) for c in LANGUAGES),
                       width=100),
                Column("listening", self.tr("Luisteren"), "choice", levels, width=80),
                Column("speaking", self.tr("Spreken"), "choice", levels, width=80),
                Column("reading", self.tr("Lezen"), "choice", levels, width=80),
                Column("writing", self.tr("Schrijven"), "choice", levels, width=80)]
        self.table = RecordTable(cols, undo, self._build, add_text=self.tr("Taal toevoegen"))
        self.table.model.changed.connect(self.changed)

    def _build(self, v: dict) -> LanguageSkill:
        if any(s.language == v["language"] for s in self.table.model.items):
            raise ValueError(self.tr("Deze taal staat er al; pas de niveaus in de tabel aan."))
        return LanguageSkill(**v)

    def load(self, w: Worker) -> None:
        self.table.model.set_items(w.languages)

    def collect(self, w: Worker) -> None:
        w.languages = copy.deepcopy(self.table.model.items)

    def snapshot(self):
        return copy.deepcopy(self.table.model.items)


class MobilitySection(QObject):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.group = QGroupBox(self.tr("Mobiliteit"))
        form = QFormLayout(self.group)
        licences = QHBoxLayout()
        self.licences: dict[str, QCheckBox] = {}
        for code in DRIVING_LICENCES:
            box = QCheckBox(code)
            box.setAccessibleName(self.tr("Rijbewijs {code}").format(code=code))
            box.toggled.connect(self.changed)
            self.licences[code] = box
            licences.addWidget(box)
        licences.addStretch(1)
        lab = QLabel(self.tr("&Rijbewijzen"))
        lab.setBuddy(self.licences["B"])
        form.addRow(lab, licences)
        transport = QHBoxLayout()
        self.own_car = QCheckBox(self.tr("Eigen wa&gen"))
        self.public_transport = QCheckBox(self.tr("&Openbaar vervoer"))
        self.bicycle = QCheckBox(self.tr("&Fiets"))
        for box in (self.own_car, self.public_transport, self.bicycle):
            box.toggled.connect(self.changed)
            transport.addWidget(box)
        transport.addStretch(1)
        form.addRow(self.tr("Vervoer"), transport)
        self.max_commute = QSpinBox()
        self.max_commute.setRange(0, 300)
        self.max_commute.setSuffix(self.tr(" min"))
        self.max_commute.setSpecialValueText(self.tr("onbekend"))
        self.max_commute.valueChanged.connect(self.changed)
        self.max_commute.setMaximumWidth(120)
        lab = QLabel(self.tr("&Max. pendeltijd (enkel)"))
        lab.setBuddy(self.max_commute)
        form.addRow(lab, self.max_commute)

    def load(self, w: Worker) -> None:
        m = w.mobility
        for code, box in self.licences.items():
            box.setChecked(code in m.driving_licences)
        self.own_car.setChecked(m.own_car)
        self.public_transport.setChecked(m.public_transport)
        self.bicycle.setChecked(m.bicycle)
        self.max_commute.setValue(m.max_commute_minutes or 0)

    def collect(self, w: Worker) -> None:
        extra = [c for c in w.mobility.driving_licences if c not in self.licences]
        w.mobility = Mobility(driving_licences=[c for c, b in self.licences.items() if b.isChecked()] + extra,
                              own_car=self.own_car.isChecked(), public_transport=self.public_transport.isChecked(),
                              bicycle=self.bicycle.isChecked(), max_commute_minutes=self.max_commute.value() or None)

    def snapshot(self):
        return (tuple(b.isChecked() for b in self.licences.values()), self.own_car.isChecked(),
                self.public_transport.isChecked(), self.bicycle.isChecked(), self.max_commute.value())


class CounsellorSection(QObject):
    """Who the worker's own counsellor is, with the controls to take the worker on (an account assigned
    to the dossier, when the worker has no counsellor yet) or to assign one (the coordinator). The
    worker view stores the choice at once; this section only shows and asks."""

    take_on_requested = Signal()
    assign_requested = Signal(str)          # a login, or '' for no one

    def __init__(self, parent=None):
        super().__init__(parent)
        self.group = QGroupBox(self.tr("Eigen consulent"))
        lay = QVBoxLayout(self.group)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        hint = QLabel(self.tr("Alleen de eigen consulent en de celcoördinator zien en noteren de functionele "
                              "beperkingen (gevoelige gegevens)."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.btn_take_on = QPushButton(self.tr("Zelf opvolgen"))
        self.btn_take_on.setToolTip(self.tr("Jij wordt de eigen consulent van deze werknemer (meteen bewaard en "
                                            "gelogd)."))
        self.btn_take_on.clicked.connect(self.take_on_requested)
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Eigen consulent kiezen"))
        self.btn_assign = QPushButton(self.tr("Toewijzen"))
        self.btn_assign.setToolTip(self.tr("De gekozen consulent wordt meteen de eigen consulent (gelogd)."))
        self.btn_assign.clicked.connect(lambda: self.assign_requested.emit(self.choice.currentData() or ""))
        row = QHBoxLayout()
        row.addWidget(self.btn_take_on)
        row.addWidget(self.choice, 1)
        row.addWidget(self.btn_assign)
        row.addStretch(0)
        lay.addWidget(self.label)
        lay.addLayout(row)
        lay.addWidget(hint)
        self.show_state("", is_self=False, can_take_on=False, choices=[], current="")

    def show_state(self, name: str, *, is_self: bool, can_take_on: bool, choices: list[tuple[str, str]],
                   current: str, saved: bool = True) -> None:
        """``name`` of the own counsellor ('' for none); ``choices`` (login, name) for a coordinator."""
        if name:
            who = self.tr("{naam} (jij)").format(naam=name) if is_self else name
            text = (self.tr("Eigen consulent: {wie}") if saved else self.tr("Eigen consulent na het bewaren: {wie}"))
            self.label.setText(text.format(wie=who))
        else:
            self.label.setText(self.tr("Eigen consulent: nog niet toegewezen"))
        self.btn_take_on.setVisible(can_take_on)
        self.choice.clear()
        if choices:
            self.choice.addItem(self.tr("(niemand)"), "")
            for login, label in choices:
                self.choice.addItem(self.tr("{naam} ({login})").format(naam=label, login=login), login)
            at = next((i for i in range(1, self.choice.count())
                       if self.choice.itemData(i).casefold() == (current or "").strip().casefold()), 0)
            self.choice.setCurrentIndex(at)
        self.choice.setVisible(bool(choices))
        self.btn_assign.setVisible(bool(choices))


class PreferencesSection(QObject):
    changed = Signal()
    take_on_requested = Signal()        # "Zelf opvolgen" in the limitations section

    def __init__(self, undo: QUndoStack, parent=None):
        super().__init__(parent)
        self.group = QGroupBox(self.tr("Voorkeuren"))
        form = QFormLayout(self.group)

        def row(label: str, widget: QWidget) -> QWidget:
            lab = QLabel(label)
            lab.setBuddy(widget)
            form.addRow(lab, widget)
            return widget
        self.desired = row(self.tr("&Gewenste beroepen"), QLineEdit())
        self.desired.setPlaceholderText(self.tr("gescheiden door komma's"))
        self.sectors = row(self.tr("Se&ctoren"), QLineEdit())
        self.sectors.setPlaceholderText(self.tr("gescheiden door komma's"))
        self.region = row(self.tr("Reg&io"), QLineEdit())
        accepts = QGridLayout()
        self.accepts_shifts = QCheckBox(self.tr("&Ploegen"))
        self.accepts_nights = QCheckBox(self.tr("&Nacht"))
        self.accepts_weekends = QCheckBox(self.tr("W&eekend"))
        self.willing_to_train = QCheckBox(self.tr("Wil een &opleiding volgen"))
        for i, box in enumerate((self.accepts_shifts, self.accepts_nights, self.accepts_weekends, self.willing_to_train)):
            accepts.addWidget(box, 0, i)
        form.addRow(self.tr("Aanvaardt"), accepts)
        self.notes = row(self.tr("Op&merkingen"), QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)
        for e in (self.desired, self.sectors, self.region):
            e.textChanged.connect(self.changed)
        for b in (self.accepts_shifts, self.accepts_nights, self.accepts_weekends, self.willing_to_train):
            b.toggled.connect(self.changed)
        self.notes.textChanged.connect(self.changed)

        self.limits_group = QGroupBox(self.tr("Functionele beperkingen — gevoelige gegevens"))
        self.limits_group.setObjectName("sensitive")
        self.limits_group.setStyleSheet("QGroupBox#sensitive { border: 1px solid #b35900; margin-top: 1.2em; "
                                        "padding-top: 4px; } QGroupBox#sensitive::title { color: #b35900; "
                                        "subcontrol-origin: margin; left: 8px; }")
        note = QLabel(self.tr("⚠ Gevoelige gegevens (gezondheid, AVG art. 9). Noteer alleen wat iemand niet kan "
                              "(tillen, nachtwerk …), nooit een diagnose. Enkel op het trajectplan als dat is "
                              "afgesproken."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #b35900;")
        cols = [Column("kind", self.tr("Beperking"), "choice", LIMITATION_KINDS, width=130),
                Column("note", self.tr("Toelichting (functioneel)"), width=260),
                Column("printable", self.tr("Op plan"), "bool")]
        self.limits = RecordTable(cols, undo, self._build, editor_attrs=["kind", "note"],
                                  add_text=self.tr("Beperking toevoegen"))
        self.limits.model.changed.connect(self.changed)
        # shown instead of the table to whoever may not see or record the limitations of this worker
        self.limits_notice = QLabel()
        self.limits_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.limits_notice.setWordWrap(True)
        self.limits_notice.setStyleSheet("background: #fff4e5; color: #7a4100; padding: 6px;")
        self.limits_notice.hide()
        self.btn_take_on = QPushButton(self.tr("Zelf opvolgen"))
        self.btn_take_on.setToolTip(self.tr("Jij wordt de eigen consulent van deze werknemer (meteen bewaard en "
                                            "gelogd); daarna kan je de beperkingen noteren."))
        self.btn_take_on.clicked.connect(self.take_on_requested)
        self.btn_take_on.hide()
        self.limitations_allowed = True
        lay = QVBoxLayout(self.limits_group)
        lay.addWidget(note)
        lay.addWidget(self.limits_notice)
        take_on_row = QHBoxLayout()
        take_on_row.addWidget(self.btn_take_on)
        take_on_row.addStretch(1)
        lay.addLayout(take_on_row)
        lay.addWidget(self.limits, 1)
        lay.addStretch(0)                 # takes the room of the table while it is hidden
        self._limits_layout = lay

    def set_limitations_access(self, allowed: bool, message: str = "", can_take_on: bool = False) -> None:
        """Whether the signed-in account may see and record this worker's limitations. When not, the
        table and its inputs are hidden and disabled and ``message`` says why (never a form that
        takes input the repository would not store)."""
        self.limitations_allowed = allowed
        self.limits.set_read_only(not allowed)
        self.limits.setVisible(allowed)
        last = self._limits_layout.count() - 1
        self._limits_layout.setStretch(last - 1, 1 if allowed else 0)
        self._limits_layout.setStretch(last, 0 if allowed else 1)
        if not allowed:
            self.limits.clear_inputs()
        self.limits_notice.setText(message)
        self.limits_notice.setVisible(not allowed and bool(message))
        self.btn_take_on.setVisible(not allowed and can_take_on)

    def _build(self, v: dict) -> FunctionalLimitation:
        return FunctionalLimitation(kind=v["kind"], note=v["note"])

    def load(self, w: Worker) -> None:
        p = w.preferences
        self.desired.setText(", ".join(p.desired_occupations))
        self.sectors.setText(", ".join(p.sectors))
        self.region.setText(p.region)
        self.accepts_shifts.setChecked(p.accepts_shifts)
        self.accepts_nights.setChecked(p.accepts_nights)
        self.accepts_weekends.setChecked(p.accepts_weekends)
        self.willing_to_train.setChecked(p.willing_to_train)
        self.notes.setPlainText(p.notes)
        self.limits.model.set_items(w.limitations)

    def collect(self, w: Worker) -> None:
        w.preferences = Preferences(desired_occupations=_split(self.desired.text()), sectors=_split(self.sectors.text()),
                                    region=self.region.text().strip(), accepts_shifts=self.accepts_shifts.isChecked(),
                                    accepts_nights=self.accepts_nights.isChecked(),
                                    accepts_weekends=self.accepts_weekends.isChecked(),
                                    willing_to_train=self.willing_to_train.isChecked(),
                                    notes=self.notes.toPlainText())
        w.limitations = copy.deepcopy(self.limits.model.items)

    def snapshot(self):
        """The preferences only: the limitations have their own (``limitations_snapshot``), so taking a
        worker on can load them without touching what else is unsaved."""
        return (self.desired.text(), self.sectors.text(), self.region.text(), self.accepts_shifts.isChecked(),
                self.accepts_nights.isChecked(), self.accepts_weekends.isChecked(), self.willing_to_train.isChecked(),
                self.notes.toPlainText())

    def limitations_snapshot(self):
        return copy.deepcopy(self.limits.model.items)

    def set_limitations(self, items: list[FunctionalLimitation]) -> None:
        self.limits.model.set_items(items)
