"""The individual trajectory plan (individueel trajectplan) of one worker.

Target occupations come from the matching view; the trainings that close the gap pre-fill the
actions, which the counsellor edits. A printed or signed version is frozen: it is shown
read-only with a button for a new version (PlanRepository.new_version).
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget)

from core.dates import format_date, parse_date
from core.model import ACTION_KINDS, ACTION_STATUSES, PlanAction, PlanStatus, PlanTarget, TrajectoryPlan
from core.plan_text import duration_text, localise_duration
from db.errors import ChangedElsewhere
from db.plans import PlanFrozen
from gui.row_tables import Column, RecordTable
from gui.widgets import ERROR_STYLE


def target_from_match(m) -> PlanTarget:
    return PlanTarget(occupation_id=m.occupation_id, name=m.name, reasons=list(m.reasons), score=m.score,
                      matched=[c.label for c in m.matched], missing_essential=[c.label for c in m.missing_essential],
                      missing_optional=[c.label for c in m.missing_optional], isco=m.isco or "")


def action_kind_for(route: str) -> str:
    """The plan action kind for a training route of the reference data."""
    r = (route or "").strip()
    for kind in ACTION_KINDS:
        if r.casefold() == kind.casefold():
            return kind
    low = r.casefold()
    if low == "dl":                      # duaal leren
        return "werkplekleren"
    if "ibo" in low:
        return "IBO"
    if "werkplek" in low or "duaal" in low:
        return "werkplekleren"
    if "evc" in low or "ervaringsbewijs" in low:
        return "EVC"
    if "attest" in low or "certific" in low:
        return "attest halen"
    return "opleiding"


def actions_for_gap(gap, missing_labels: dict[str, str]) -> list[PlanAction]:
    """Suggested plan actions for the trainings of a gap analysis (the duration in Dutch, "1 week" or
    "24 weken": the printed plan writes it again in the worker's language)."""
    actions = []
    for t in gap.trainings:
        weeks = getattr(t, "duration_weeks_indicative", None)
        teaches = [missing_labels[c] for c in getattr(t, "teaches", ()) if c in missing_labels]
        actions.append(PlanAction(description=t.name_nl, kind=action_kind_for(getattr(t, "route", "")),
                                  provider=getattr(t, "provider_kind", "") or "",
                                  duration=duration_text(weeks, "weeks", "nl") if weeks else "", training_id=t.id,
                                  competences=teaches))
    return actions


class PlanEditor(QWidget):
    changed = Signal()
    plan_saved = Signal(int)

    def __init__(self, plans, undo: QUndoStack, matcher=None, parent=None):
        super().__init__(parent)
        self.plans = plans
        self.undo = undo
        self.matcher = matcher
        self.on_print: Callable[[int], None] | None = None
        self.today: Callable[[], dt.date] = dt.date.today
        self.worker_id: int | None = None
        self.plan: TrajectoryPlan | None = None
        self.versions: list[TrajectoryPlan] = []
        self._loaded: tuple | None = None

        top = QHBoxLayout()
        self.version = QComboBox()
        self.version.setAccessibleName(self.tr("Versie"))
        self.version.activated.connect(self._version_picked)
        version_label = QLabel(self.tr("Ve&rsie"))
        version_label.setBuddy(self.version)
        self.state = QLabel()
        self.btn_create = QPushButton(self.tr("Trajectplan &aanmaken"))
        self.btn_create.clicked.connect(self.create_plan)
        self.btn_new_version = QPushButton(self.tr("&Nieuwe versie"))
        self.btn_new_version.clicked.connect(self.new_version)
        self.btn_signed = QPushButton(self.tr("Als onderte&kend markeren"))
        self.btn_signed.clicked.connect(self.mark_signed)
        self.btn_print = QPushButton(self.tr("Afdrukken / &voorbeeld…"))
        self.btn_print.clicked.connect(self.print_plan)
        top.addWidget(version_label)
        top.addWidget(self.version)
        top.addWidget(self.state, 1)
        for b in (self.btn_create, self.btn_new_version, self.btn_signed, self.btn_print):
            top.addWidget(b)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4e5; color: #7a4100; padding: 4px;")
        self.banner.hide()

        tcols = [Column("name", self.tr("Doelberoep"), editable=False, width=300),
                 Column("reasons", self.tr("Knelpunt"), editable=False, width=90, display=lambda t: " ".join(t.reasons)),
                 Column("score", self.tr("Match"), editable=False, width=60,
                        display=lambda t: f"{t.score * 100:.0f}%" if t.score is not None else ""),
                 Column("missing_essential", self.tr("Kloof (ontbrekende essentiële competenties)"), editable=False,
                        display=lambda t: ", ".join(t.missing_essential))]
        self.targets = RecordTable(tcols, undo, None)
        self.targets.btn_remove.setText(self.tr("Doelberoep verwijderen"))
        self.gap_note = QLabel()
        self.gap_note.setWordWrap(True)
        tgroup = QGroupBox(self.tr("Jobdoelwitten (kies ze in de tab Matching)"))
        tl = QVBoxLayout(tgroup)
        tl.addWidget(self.targets)
        tl.addWidget(self.gap_note)

        acols = [Column("kind", self.tr("Soort"), "choice", ACTION_KINDS, width=120),
                 Column("description", self.tr("Actie"), stretch=True),
                 Column("provider", self.tr("Aanbieder"), width=150),
                 Column("start_date", self.tr("Start"), "date", width=85),
                 Column("end_date", self.tr("Einde"), "date", width=85),
                 Column("duration", self.tr("Duur"), width=75,
                        display=lambda a: localise_duration(a.duration, "nl")),   # "1 weken" of older plans: "1 week"
                 Column("responsible", self.tr("Verantwoordelijke"), width=110),
                 Column("status", self.tr("Status"), "choice", ACTION_STATUSES, width=85)]
        self.actions = RecordTable(acols, undo, self._build_action,
                                   editor_attrs=["kind", "description", "provider", "start_date", "end_date",
                                                 "duration", "responsible"], add_text=self.tr("Actie toevoegen"))
        agroup = QGroupBox(self.tr("Acties"))
        QVBoxLayout(agroup).addWidget(self.actions)

        self.agreements = QPlainTextEdit()
        self.agreements.setTabChangesFocus(True)
        self.agreements.setPlaceholderText(self.tr("Afspraken met de werknemer (afsprakenblad)…"))
        self.followups = QLineEdit()
        self.followups.setPlaceholderText(self.tr("bv. 15/09/2025; 15/10/2025"))
        self.followup_error = QLabel()
        self.followup_error.setStyleSheet(ERROR_STYLE)
        self.followup_error.hide()
        bottom = QWidget()
        form = QFormLayout(bottom)
        form.setContentsMargins(0, 0, 0, 0)
        lab = QLabel(self.tr("A&fspraken"))
        lab.setBuddy(self.agreements)
        form.addRow(lab, self.agreements)
        lab = QLabel(self.tr("&Opvolgmomenten"))
        lab.setBuddy(self.followups)
        form.addRow(lab, self.followups)
        form.addRow("", self.followup_error)
        self.print_limitations = QCheckBox(self.tr("Functionele beperkingen (gezondheidsgegevens) mee afdrukken"))
        self.print_limitations.setToolTip(self.tr("Alleen aanvinken als de werknemer dat wil; de keuze wordt gelogd."))
        form.addRow("", self.print_limitations)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(tgroup)
        split.addWidget(agroup)
        split.addWidget(bottom)
        split.setSizes([130, 300, 110])
        self.body = split
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.banner)
        lay.addWidget(split, 1)
        for m in (self.targets.model, self.actions.model):
            m.changed.connect(self.changed)
        self.agreements.textChanged.connect(self.changed)
        self.followups.textChanged.connect(self.changed)
        self.print_limitations.toggled.connect(self.changed)
        self._show(None)

    # -- loading ---------------------------------------------------------------------------------
    def load(self, worker_id: int | None, select_id: int | None = None) -> None:
        self.worker_id = worker_id
        self.versions = self.plans.versions(worker_id) if worker_id is not None else []
        plan = next((p for p in self.versions if p.id == select_id), None) or (self.versions[-1] if self.versions else None)
        self._show(plan)

    def _show(self, plan: TrajectoryPlan | None) -> None:
        self.plan = plan
        self.version.clear()
        for p in self.versions:
            self.version.addItem(self.tr("versie {v} — {status}").format(v=p.version, status=p.status.value), p.id)
        if plan is not None and plan.id is None:
            self.version.addItem(self.tr("versie {v} — nieuw").format(v=plan.version), None)
        self.version.setCurrentIndex(self.version.count() - 1 if plan is None or plan.id is None
                                     else self.version.findData(plan.id))
        self.targets.model.set_items(plan.targets if plan else [])
        self.actions.model.set_items(plan.actions if plan else [])
        self.agreements.setPlainText(plan.agreements if plan else "")
        self.followups.setText("; ".join(format_date(d) for d in plan.followups) if plan else "")
        self.print_limitations.setChecked(bool(plan and plan.print_limitations))
        self.followup_error.hide()
        self._update_state()
        self._loaded = self._snapshot()
        self._gap_note()

    def _update_state(self) -> None:
        plan = self.plan
        has_worker = self.worker_id is not None
        latest = self.versions[-1] if self.versions else None
        frozen = plan is not None and plan.frozen
        old = plan is not None and plan.id is not None and latest is not None and plan.id != latest.id
        read_only = plan is None or frozen or old
        for t in (self.targets, self.actions):
            t.set_read_only(read_only)
        self.agreements.setReadOnly(read_only)
        self.followups.setReadOnly(read_only)
        self.print_limitations.setEnabled(not read_only)
        self.body.setEnabled(plan is not None)
        self.btn_create.setVisible(plan is None)
        self.btn_create.setEnabled(has_worker)
        self.btn_new_version.setVisible(plan is not None)
        self.btn_new_version.setEnabled(latest is not None and latest.frozen and plan is not None and plan.id is not None)
        self.btn_signed.setVisible(plan is not None and plan.status is PlanStatus.AFGEDRUKT)
        self.btn_print.setEnabled(plan is not None)
        if plan is None:
            self.state.setText(self.tr("Nog geen trajectplan.") if has_worker
                               else self.tr("Bewaar de werknemer eerst (Ctrl+S)."))
            self.banner.hide()
        else:
            self.state.setText(self._state_text(plan))
            if frozen:
                self.banner.setText(self.tr("Deze versie werd afgedrukt of ondertekend en kan niet meer wijzigen. "
                                            "Klik op „Nieuwe versie” om verder te werken."))
            elif old:
                self.banner.setText(self.tr("Dit is een oudere versie (alleen lezen)."))
            self.banner.setVisible(frozen or old)

    def _state_text(self, p: TrajectoryPlan) -> str:
        if p.status is PlanStatus.ONDERTEKEND:
            return self.tr("Ondertekend op {datum}").format(datum=p.signed_at[:10])
        if p.status is PlanStatus.AFGEDRUKT:
            return self.tr("Afgedrukt op {datum}, wacht op handtekening").format(datum=p.printed_at[:10])
        return self.tr("Concept — nog niet afgedrukt") if p.id else self.tr("Nieuw concept — nog niet bewaard")

    @property
    def editable(self) -> bool:
        return self.plan is not None and not self.actions.model.read_only

    def _snapshot(self) -> tuple:
        return (copy.deepcopy(self.targets.model.items), copy.deepcopy(self.actions.model.items),
                self.agreements.toPlainText(), self.followups.text(), self.print_limitations.isChecked())

    def changed_elsewhere(self) -> str:
        """The refusal a save of the edited plan would get because the stored plan changed since it was
        loaded (in Dutch), or '' (nothing to save, a new plan, or unchanged)."""
        if not self.is_dirty() or self.plan is None or self.plan.id is None or not self.plan.modified:
            return ""
        try:
            stored = self.plans.get(self.plan.id)
        except Exception:  # noqa: BLE001 - gone or hidden: the save itself will say so
            return ""
        if stored.modified == self.plan.modified or stored.frozen:
            return ""
        return self.tr("Het trajectplan (versie {v}) werd intussen elders gewijzigd (in een ander venster, met een "
                       "overdrachtsbestand of een opdracht). Er is niets bewaard, ook de werknemer niet, zodat die "
                       "andere wijziging niet verloren gaat. Herlaad de werknemer en voer je wijzigingen daarna "
                       "opnieuw in.").format(v=stored.version)

    def is_dirty(self) -> bool:
        return self.editable and (self.plan.id is None or self._snapshot() != self._loaded)

    def _build_action(self, v: dict) -> PlanAction:
        if not v["description"]:
            raise ValueError(self.tr("Beschrijf de actie."))
        if v["start_date"] and v["end_date"] and v["end_date"] < v["start_date"]:
            raise ValueError(self.tr("De einddatum ligt vóór de startdatum."))
        return PlanAction(**v)

    # -- editing ---------------------------------------------------------------------------------
    def create_plan(self, counsellor: str = "") -> bool:
        if self.worker_id is None:
            return False
        self._show(TrajectoryPlan(worker_id=self.worker_id, version=len(self.versions) + 1,
                                  counsellor=counsellor or ""))
        self.changed.emit()
        return True

    def apply_targets(self, matches: list) -> bool:
        """Targets from the matching view; the gap's trainings become suggested actions."""
        if self.worker_id is None:
            return False
        if self.plan is None:
            self.create_plan()
        if not self.editable:
            QMessageBox.information(self, self.tr("Plan is afgedrukt"), self.tr(
                "Deze versie van het trajectplan is afgedrukt of ondertekend. Maak eerst een nieuwe versie."))
            return False
        self.undo.beginMacro(self.tr("Doelberoepen overnemen"))
        self.targets.model.remove_rows(list(range(len(self.targets.model.items))))
        for m in matches:
            self.targets.model.add(target_from_match(m))
        have = {a.training_id for a in self.actions.model.items if a.training_id}
        uncovered: list[str] = []
        if self.matcher is not None:
            for m in matches:
                gap = self.matcher.gap_trainings(m)
                labels = {c.competence_id: c.label for c in (*m.missing_essential, *m.missing_optional)}
                for action in actions_for_gap(gap, labels):
                    if action.training_id not in have:
                        have.add(action.training_id)
                        self.actions.model.add(action)
                uncovered += [c.label for c in gap.uncovered if c.label not in uncovered]
        self.undo.endMacro()
        self._gap_note(uncovered)
        return True

    def _gap_note(self, uncovered: list[str] | None = None) -> None:
        if uncovered:
            self.gap_note.setText(self.tr("Geen opleiding gevonden voor: {lijst}. Plan hiervoor werkplekleren, "
                                          "coaching of een andere actie.").format(lijst=", ".join(uncovered)))
        else:
            self.gap_note.setText("")

    def collect(self) -> TrajectoryPlan | None:
        """The plan with the edits; None and a message when the follow-up dates cannot be read."""
        if self.plan is None:
            return None
        p = copy.deepcopy(self.plan)
        p.targets = copy.deepcopy(self.targets.model.items)
        p.actions = copy.deepcopy(self.actions.model.items)
        p.agreements = self.agreements.toPlainText()
        p.print_limitations = self.print_limitations.isChecked()
        dates = []
        plan_date = self.plan_date()
        for part in self.followups.text().replace(",", ";").split(";"):
            if part.strip():
                try:
                    when = parse_date(part)
                    # a new version keeps the moments of the one it copies, even when they have passed
                    if when < plan_date and when not in self.plan.followups:
                        raise ValueError(self.tr("Opvolgmoment {datum} ligt vóór de datum van het plan ({plan}). "
                                                 "Kies een datum vanaf {plan}.").format(
                            datum=format_date(when), plan=format_date(plan_date)))
                    dates.append(when)
                except ValueError as e:
                    self.followup_error.setText(str(e))
                    self.followup_error.show()
                    return None
        self.followup_error.hide()
        p.followups = sorted(dates)
        return p

    def plan_date(self) -> dt.date:
        """The date of this version: the day it was first stored (today for a plan not stored yet)."""
        created = self.plan.created if self.plan is not None else ""
        try:
            return dt.date.fromisoformat(created[:10]) if created else self.today()
        except ValueError:
            return self.today()

    def save(self) -> bool:
        if not self.is_dirty():
            return True
        plan = self.collect()
        if plan is None:
            return False
        try:
            saved = self.plans.save(plan)
        except PlanFrozen as e:
            QMessageBox.warning(self, self.tr("Plan niet bewaard"), str(e))
            return False
        except ChangedElsewhere as e:              # nothing stored: reload, or keep the input to copy it
            from gui import changed_elsewhere
            if changed_elsewhere.ask_reload(self, str(e)):
                self.undo.clear()
                self.load(self.worker_id, plan.id)
            return False
        self.load(self.worker_id, saved.id)
        self.plan_saved.emit(saved.id)
        return True

    def _version_picked(self, index: int) -> None:
        pid = self.version.itemData(index)
        if self.plan is not None and pid == self.plan.id:
            return
        if self.is_dirty():
            answer = QMessageBox.question(self, self.tr("Wijzigingen niet bewaard"), self.tr(
                "Het trajectplan heeft wijzigingen die nog niet bewaard zijn. Wil je ze bewaren?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel or (answer == QMessageBox.StandardButton.Save
                                                               and not self.save()):
                self.version.setCurrentIndex(self.version.findData(self.plan.id) if self.plan.id else
                                             self.version.count() - 1)
                return
        self.undo.clear()
        self.load(self.worker_id, pid)

    def new_version(self) -> None:
        if self.plan is None or self.plan.id is None:
            return
        new = self.plans.new_version(self.versions[-1].id)
        self.undo.clear()
        self.load(self.worker_id, new.id)
        self.plan_saved.emit(new.id)

    def mark_signed(self) -> None:
        if self.plan is None or self.plan.id is None:
            return
        try:
            self.plans.mark_signed(self.plan.id, dt.date.today())
        except PlanFrozen as e:
            QMessageBox.warning(self, self.tr("Niet ondertekend"), str(e))
            return
        self.load(self.worker_id, self.plan.id)
        self.plan_saved.emit(self.plan.id)

    def print_plan(self) -> None:
        if self.plan is None:
            return
        if self.is_dirty() and not self.save():
            return
        if self.on_print is None:
            QMessageBox.information(self, self.tr("Afdrukken"), self.tr("Afdrukken is nog niet beschikbaar."))
            return
        self.on_print(self.plan.id)

    def printed(self, plan_id: int) -> None:
        """Called back after the plan was printed: freeze it and show it read-only."""
        self.plans.mark_printed(plan_id)
        self.undo.clear()
        self.load(self.worker_id, plan_id)
        self.plan_saved.emit(plan_id)


def open_plan_preview(parent, services, plan_id: int, rules, on_printed: Callable[[int], None]) -> None:
    """Show the PDF of a plan (gui/plan_preview.py); after printing, or saving it as the PDF to sign,
    ``on_printed(plan_id)`` freezes it."""
    from core.plan_pdf import PlanInput, plan_filename, plan_pdf_bytes
    from core.plan_text import reference_label_lookup
    from gui.plan_preview import PlanPreviewDialog
    plan = services.plans.get(plan_id)
    worker = services.workers.get(plan.worker_id, with_limitations=plan.print_limitations)
    dossier = services.dossiers.get(worker.dossier_id) if worker.dossier_id is not None else None
    data = PlanInput(plan=plan, worker=worker, dossier=dossier, contacts=services.workers.contacts(worker.id),
                     rules=rules, counsellor_name=services.workers.counsellor_name(plan.counsellor or worker.counsellor))
    try:
        from db.reference_store import effective_reference
        reference = effective_reference(services.db)
    except Exception:  # noqa: BLE001 - the preview still works with the embedded names
        reference = None
    pdf = plan_pdf_bytes(data, label_lookup=reference_label_lookup(reference))
    lookup = reference_label_lookup(reference)

    def signing_pdf() -> bytes:
        """The plan as it reads once printed for signing (its status no longer "concept")."""
        printed = copy.deepcopy(plan)
        printed.status = PlanStatus.AFGEDRUKT
        return plan_pdf_bytes(dataclasses.replace(data, plan=printed), label_lookup=lookup)

    dlg = PlanPreviewDialog(pdf, title=parent.tr("Trajectplan {naam}, versie {v}").format(
        naam=worker.full_name, v=plan.version), suggested_name=plan_filename(data),
        on_printed=lambda: on_printed(plan_id), ask_signing=plan.status is PlanStatus.CONCEPT,
        signing_pdf=signing_pdf, parent=parent)
    dlg.exec()
