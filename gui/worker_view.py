"""The worker view: a counsellor's whole conversation with one worker in one place.

Tabs for the intake (identity, education and experience, competences and certificates, languages
and mobility, preferences and limits), the matching, the trajectory plan and the follow-up. The
form keeps a working copy; nothing is stored until Ctrl+S, and leaving with unsaved changes asks
first. Text typed in a row editor (or the competence line, or the contact line) but not added yet
counts as unsaved: saving refuses it with a message, leaving asks first, and opening another
worker empties every such input. Ctrl+Z undoes typing inside a text field (Qt's own undo) and
otherwise the last row added, removed or edited in a table (the view's QUndoStack).

The worker's own counsellor is shown on the identity tab: a worker with none can be taken on by
an account assigned to the dossier, and the coordinator assigns anyone (stored at once). Whoever
may not see the functional limitations gets a notice instead of an input (docs/SECURITY.md).
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from core.cell_rules import CellRules
from core.errors import UserError
from core.model import Dossier, Worker
from core.validation import ValidationError, validate_worker
from db.errors import ChangedElsewhere
from gui import changed_elsewhere
from gui.competence_input import CompetenceSection
from gui.followup import FollowupPanel
from gui.matching_view import MatchingView
from gui.plan_editor import PlanEditor
from gui.row_tables import RecordTable
from gui.widgets import ERROR_STYLE
from gui.worker_form import IdentityFields
from gui.worker_sections import (CertificateSection, CounsellorSection, ExperienceSection, LanguageSection,
                                 MobilitySection, PreferencesSection)
from gui.worker_sections_figures import FiguresPanel

TAB_IDENTITY, TAB_EDUCATION, TAB_COMPETENCES, TAB_LANGUAGES, TAB_PREFERENCES, TAB_MATCHING, TAB_PLAN, TAB_FOLLOWUP = \
    range(8)
# the tab that shows a field's message after a failed save
_FIELD_TAB = {"highest_diploma": TAB_EDUCATION, "education_group": TAB_EDUCATION, "vks_level": TAB_EDUCATION,
              "competences": TAB_COMPETENCES, "certificates": TAB_COMPETENCES,
              "max_commute_minutes": TAB_LANGUAGES}


def _page(*widgets, stretch_last: bool = True) -> QWidget:
    page = QWidget()
    lay = QVBoxLayout(page)
    for i, w in enumerate(widgets):
        lay.addWidget(w, 1 if stretch_last and i == len(widgets) - 1 else 0)
    return page


class WorkerView(QWidget):
    saved = Signal(int)
    back_requested = Signal()
    dirty_changed = Signal(bool)

    def __init__(self, services, tasks, matcher=None, rules: CellRules | None = None,
                 today: Callable[[], dt.date] = dt.date.today, parent=None):
        super().__init__(parent)
        self.services = services
        self.matcher = matcher
        self.rules = rules or CellRules()
        self.today = today
        self.worker = Worker(surname="", first_names="")
        self.dossier: Dossier | None = None
        self._loading = False
        self._dirty = False
        self._loaded: dict = {}
        self.undo = QUndoStack(self)

        # header
        self.btn_back = QPushButton(self.tr("← Lijst"))
        self.btn_back.setToolTip(self.tr("Terug naar de lijst van werknemers (Alt+←)"))
        self.btn_back.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.btn_undo = QPushButton(self.tr("Ongedaan maken"))
        self.btn_undo.setToolTip(self.tr("Laatste wijziging in een tabel ongedaan maken (Ctrl+Z buiten een tekstveld)"))
        self.btn_undo.clicked.connect(self.undo.undo)
        self.btn_undo.setEnabled(False)
        self.undo.canUndoChanged.connect(self.btn_undo.setEnabled)
        self.btn_save = QPushButton(self.tr("Bewaren"))      # no mnemonic: Alt+B opens the menu Bestand
        self.btn_save.setToolTip(self.tr("Ctrl+S"))
        self.btn_save.clicked.connect(self.save)
        head = QHBoxLayout()
        head.addWidget(self.btn_back)
        head.addWidget(self.title, 1)
        head.addWidget(self.btn_undo)
        head.addWidget(self.btn_save)
        self.figures = FiguresPanel()
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        # intake sections
        self.identity = IdentityFields(self)
        from gui.title_completer import title_source
        self.identity.attach_titles(title_source(services, tasks))
        self.experience = ExperienceSection(self.undo, self)
        self.experience.attach_titles(title_source(services, tasks))
        self.competences = CompetenceSection(self.undo, matcher, self._job_titles, self,
                                             remember=self._remember_variant)
        self.certificates = CertificateSection(self.undo, today, matcher, self)
        self.languages = LanguageSection(self.undo, self)
        self.mobility = MobilitySection(self)
        self.preferences = PreferencesSection(self.undo, self)
        self.counsellor = CounsellorSection(self)
        self.counsellor.take_on_requested.connect(self.take_on)
        self.counsellor.assign_requested.connect(self.assign_counsellor)
        self.preferences.take_on_requested.connect(self.take_on)
        self.sections = (self.experience, self.competences, self.certificates, self.languages, self.mobility,
                         self.preferences)

        self.tabs = QTabWidget()
        ident_page = QWidget()
        il = QHBoxLayout(ident_page)
        left = QVBoxLayout()
        left.addWidget(self.identity.group_identity)
        left.addStretch(1)
        il.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(self.identity.group_employment)
        right.addWidget(self.counsellor.group)
        right.addStretch(1)
        il.addLayout(right, 1)
        exp_group = QGroupBox(self.tr("Ervaring"))
        QVBoxLayout(exp_group).addWidget(self.experience.table)
        comp_group = QGroupBox(self.tr("Competenties"))
        QVBoxLayout(comp_group).addWidget(self.competences.widget)
        comp_split = QSplitter()
        comp_split.addWidget(comp_group)
        comp_split.addWidget(self.competences.sources_group)
        comp_split.setStretchFactor(0, 3)
        comp_split.setStretchFactor(1, 2)
        comp_split.setSizes([640, 420])
        cert_group = QGroupBox(self.tr("Attesten (rood: vervallen, oranje: vervalt binnen 90 dagen)"))
        QVBoxLayout(cert_group).addWidget(self.certificates.table)
        comp_page = QSplitter(Qt.Orientation.Vertical)
        comp_page.addWidget(comp_split)
        comp_page.addWidget(cert_group)
        comp_page.setSizes([330, 170])
        lang_group = QGroupBox(self.tr("Talen (ERK-niveau per vaardigheid)"))
        QVBoxLayout(lang_group).addWidget(self.languages.table)
        pref_page = QWidget()
        pl = QHBoxLayout(pref_page)
        pref_left = QVBoxLayout()
        pref_left.addWidget(self.preferences.group)
        pref_left.addStretch(1)
        pl.addLayout(pref_left, 1)
        pl.addWidget(self.preferences.limits_group, 1)

        self.matching = MatchingView(matcher, tasks)
        self.plan = PlanEditor(services.plans, self.undo, matcher)
        self.plan.today = today
        self.followup = FollowupPanel(services.workers, today)
        self.followup.context = lambda: (self.worker, self.dossier)
        for page, label in ((ident_page, self.tr("Identiteit")),
                            (_page(self.identity.group_education, exp_group), self.tr("Opleiding en ervaring")),
                            (comp_page, self.tr("Competenties en attesten")),
                            (_page(lang_group, self.mobility.group, stretch_last=False), self.tr("Talen en mobiliteit")),
                            (pref_page, self.tr("Voorkeuren en beperkingen")),
                            (self.matching, self.tr("Matching")), (self.plan, self.tr("Trajectplan")),
                            (self.followup, self.tr("Opvolging"))):
            self.tabs.addTab(page, label)
        for i in range(self.tabs.count()):
            self.tabs.setTabToolTip(i, self.tr("Ctrl+{n}").format(n=i + 1))
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, lambda i=i: self.show_tab(i),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tabs.currentChanged.connect(self._tab_changed)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 4, 4)
        lay.addLayout(head)
        lay.addWidget(self.figures)
        lay.addWidget(self.general_error)
        lay.addWidget(self.tabs, 1)

        for seq, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence.StandardKey.Undo, self.undo.undo),
                          (QKeySequence.StandardKey.Redo, self.undo.redo), (QKeySequence("Alt+Left"),
                                                                              self.back_requested.emit)):
            QShortcut(seq, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for e in self.identity.editors():
            signal = e.textChanged if isinstance(e, QLineEdit) else (
                e.currentIndexChanged if isinstance(e, QComboBox) else e.valueChanged if isinstance(e, QSpinBox) else None)
            signal.connect(self._changed)
        for e in (self.identity.birth, self.identity.dismissal, self.identity.seniority):
            e.editingFinished.connect(self.refresh_figures)
        for s in self.sections:
            s.changed.connect(self._changed)
        self.plan.changed.connect(self._update_dirty)
        self.plan.plan_saved.connect(lambda *_: self._update_dirty())
        self.matching.use_targets.connect(self._use_targets)
        self.followup.contacts_changed.connect(self.refresh_figures)
        # typing in a row editor (not added yet) makes the worker unsaved at once
        for table in self.findChildren(RecordTable):
            table.input_changed.connect(self._input_changed)
        self.competences.input_changed.connect(self._input_changed)
        self.followup.input_changed.connect(self._input_changed)
        self._loaded = self._snapshot()

    # -- loading ---------------------------------------------------------------------------------
    def open_worker(self, worker: Worker, dossier: Dossier | None) -> None:
        self._loading = True
        self.worker = copy.deepcopy(worker)
        self.dossier = dossier
        self.identity.load(self.worker)
        for s in self.sections:
            s.load(self.worker)
        self.undo.clear()
        self.general_error.hide()
        self.followup.set_worker(worker.id, worker.counsellor)
        self.plan.load(worker.id)
        self.clear_pending_inputs()
        self._show_counsellor()
        self._loading = False
        self._loaded = self._snapshot()
        self._update_dirty()
        self._update_title()
        self.refresh_figures()
        targets = [t.occupation_id for t in self.plan.plan.targets] if self.plan.plan else []
        self.matching.set_worker(self.worker, targets, run=self.tabs.currentIndex() == TAB_MATCHING)
        self.matching.set_read_only(False)
        if self.tabs.currentIndex() == TAB_COMPETENCES:
            self.competences.refresh_sources()

    def new_worker(self, dossier: Dossier) -> None:
        # the repository gives a new worker this own counsellor when it is stored; shown from the start
        counsellor = self.services.workers.default_counsellor()
        self.open_worker(Worker(surname="", first_names="", dossier_id=dossier.id, counsellor=counsellor), dossier)
        self.show_tab(TAB_IDENTITY)
        self.identity.surname.setFocus()

    def main_input(self, index: int) -> QWidget | None:
        """The input a counsellor types in first on an intake tab (None: the tab page itself)."""
        if index == TAB_IDENTITY:
            return self.identity.surname
        if index == TAB_EDUCATION:
            return self.identity.diploma
        if index == TAB_COMPETENCES:
            return self.competences.input
        if index == TAB_LANGUAGES:
            return self.languages.table.first_input()
        if index == TAB_PREFERENCES:
            return self.preferences.desired
        return None

    def show_tab(self, index: int) -> None:
        """Show a tab (Ctrl+1..8) with the keyboard focus in its main input, ready to type."""
        self.tabs.setCurrentIndex(index)
        page = self.tabs.currentWidget()
        target = self.main_input(index)
        if target is not None and target.isEnabled() and target.isVisibleTo(page):
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif page is not None and not page.hasFocus():
            page.setFocus() if index >= TAB_MATCHING else page.focusNextChild()

    def _job_titles(self) -> list[str]:
        return [self.identity.previous_job.text()] + [e.job_title for e in self.experience.table.model.items]

    # -- the own counsellor and the functional limitations ----------------------------------------
    def _show_counsellor(self) -> None:
        """The counsellor section and whether the limitations section takes input, for the signed-in account."""
        repo, w = self.services.workers, self.worker
        principal = repo.principal
        name = repo.counsellor_name(w.counsellor)
        is_self = principal is not None and principal.is_counsellor_of(w.counsellor)
        can_take_on = repo.may_take_on(w)
        choices = repo.counsellor_choices(w.dossier_id) if w.id is not None else []
        self.counsellor.show_state(name, is_self=is_self, can_take_on=can_take_on, choices=choices,
                                   current=w.counsellor, saved=w.id is not None)
        allowed = repo.may_see_limitations(w)
        message = ""
        if not allowed:
            if not w.counsellor.strip():
                message = self.tr("Deze werknemer heeft nog geen eigen consulent. Alleen de eigen consulent en de "
                                  "celcoördinator zien en noteren functionele beperkingen (gevoelige gegevens).")
                if can_take_on:
                    message += " " + self.tr("Volg je deze werknemer zelf op? Kies dan „Zelf opvolgen”.")
                else:
                    message += " " + self.tr("Een consulent van dit dossier kan de werknemer zelf opvolgen, of de "
                                             "celcoördinator wijst een eigen consulent toe.")
            else:
                message = self.tr("Alleen de eigen consulent ({naam}) en de celcoördinator zien en noteren de "
                                  "functionele beperkingen van deze werknemer (gevoelige gegevens). Je kan ze hier "
                                  "niet zien of noteren.").format(naam=name)
        self.preferences.set_limitations_access(allowed, message, can_take_on)

    def take_on(self) -> bool:
        """The signed-in account becomes the own counsellor (stored at once); the limitations open up."""
        principal = self.services.workers.principal
        if principal is None or not self.assign_counsellor(principal.login):
            return False
        if self.tabs.currentIndex() == TAB_PREFERENCES and self.preferences.limitations_allowed:
            self.preferences.limits.first_input().setFocus()      # the button that had the focus is gone
        return True

    def assign_counsellor(self, login: str) -> bool:
        """Store ``login`` ('' for no one) as the own counsellor at once; the rest of the form stays as typed."""
        repo = self.services.workers
        if self.worker.id is None:
            return False
        could_see = repo.may_see_limitations(self.worker)
        current = repo.version(self.worker.id) == self.worker.read_version
        try:
            stored = repo.set_counsellor(self.worker.id, login)
        except UserError as e:
            QMessageBox.warning(self, self.tr("Eigen consulent"), str(e))
            return False
        if current:                 # this change is not one made elsewhere: the form stays savable
            self.worker.read_version = repo.version(self.worker.id)
        self.worker.counsellor = stored
        self.followup.counsellor = stored
        can_see = repo.may_see_limitations(self.worker)
        if can_see != could_see:
            # the limitations were not loaded (or may no longer be shown): load what is stored now
            limitations = repo.get(self.worker.id).limitations if can_see else []
            self.worker.limitations = limitations
            self.preferences.set_limitations(limitations)
            self._loaded["limitations"] = self.preferences.limitations_snapshot()
        self._show_counsellor()
        self._update_dirty()
        return True

    # -- input typed but not added yet ------------------------------------------------------------
    def pending_inputs(self) -> list[tuple[int, str, QWidget]]:
        """(tab, Dutch name, input) for every row editor or line holding something not added yet, in tab order."""
        plan_tables = self.plan.findChildren(RecordTable)
        candidates = ((TAB_EDUCATION, self.tr("Ervaring"), self.experience.table.pending_input),
                      (TAB_COMPETENCES, self.tr("Competenties"), self.competences.pending_input),
                      (TAB_COMPETENCES, self.tr("Attesten"), self.certificates.table.pending_input),
                      (TAB_LANGUAGES, self.tr("Talen"), self.languages.table.pending_input),
                      (TAB_PREFERENCES, self.tr("Functionele beperkingen"), self.preferences.limits.pending_input),
                      (TAB_PLAN, self.tr("Trajectplan"),
                       lambda: next((w for w in (t.pending_input() for t in plan_tables) if w is not None), None)),
                      (TAB_FOLLOWUP, self.tr("Opvolging (contact)"),
                       lambda: self.followup.note if self.followup.pending() else None))
        out = []
        for tab, label, pending in candidates:
            widget = pending()
            if widget is not None:
                out.append((tab, label, widget))
        return out

    def clear_pending_inputs(self) -> None:
        """Empty every row editor and input line: nothing typed for one worker reaches another."""
        for table in self.findChildren(RecordTable):
            table.clear_inputs()
        self.competences.clear_input()
        self.followup.clear_input()

    def _input_changed(self, *_) -> None:
        if not self._loading:
            self._update_dirty()

    # -- state -----------------------------------------------------------------------------------
    def _snapshot(self) -> dict:
        snap = {"identity": self.identity.snapshot(), "limitations": self.preferences.limitations_snapshot()}
        snap.update((type(s).__name__, s.snapshot()) for s in self.sections)
        return snap

    def _changed(self, *_) -> None:
        if self._loading:
            return
        self._update_dirty()
        w = self.current_worker(quiet=True)
        self.matching.profile_changed(w, visible=self.tabs.currentIndex() == TAB_MATCHING)

    def _update_dirty(self) -> None:
        dirty = not self._loading and (self._snapshot() != self._loaded or self.worker.id is None
                                       and bool(self.identity.surname.text().strip()) or self.plan.is_dirty()
                                       or bool(self.pending_inputs()))
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._update_title()

    def is_dirty(self) -> bool:
        self._update_dirty()
        return self._dirty

    def _update_title(self) -> None:
        w = self.worker
        name = w.full_name or self.tr("Nieuwe werknemer")
        extra = f" · {w.previous_job_title}" if w.previous_job_title else ""
        self.title.setText(f"<b style='font-size:14pt'>{name}</b>{extra}" + (" <span style='color:#b35900'>●</span> "
                           + self.tr("niet bewaard") if self._dirty else ""))

    def _remember_variant(self, text: str, competence_id: str) -> str:
        """Keep the counsellor's wording as a local variant of a competence (audited, and used by
        the matching from then on); the Dutch report for the feedback line."""
        from core.errors import UserError
        from db.reference_repo import ReferenceRepository
        repo = ReferenceRepository(self.services.db)   # the signed-in account, as on the reference screen
        label = self.competences.label_of(competence_id)
        try:
            added = repo.add_variant(competence_id, text)
        except UserError as e:
            return self.tr("Niet onthouden: {reden}").format(reden=e)
        if not added:
            return self.tr("„{tekst}” was al bekend als {label}.").format(tekst=text, label=label)
        return self.tr("Onthouden: „{tekst}” wordt voortaan herkend als {label}.").format(tekst=text, label=label)

    def current_worker(self, quiet: bool = False) -> Worker:
        """The worker as the form shows it (parse problems ignored when quiet)."""
        w = copy.deepcopy(self.worker)
        self.identity.collect(w)
        for s in self.sections:
            s.collect(w)
        return w

    def refresh_figures(self) -> None:
        w = self.current_worker(quiet=True)
        self.figures.show_figures(w, self.dossier, self.followup.contacts(), self.rules, self.today())

    def _tab_changed(self, index: int) -> None:
        if index == TAB_MATCHING and self.matching.stale:
            self.matching.worker = self.current_worker(quiet=True)
            self.matching.recompute()
        elif index == TAB_COMPETENCES and self.competences.source_list.count() == 0:
            self.competences.refresh_sources()

    def _use_targets(self, matches: list) -> None:
        if self.worker.id is None:
            QMessageBox.information(self, self.tr("Eerst bewaren"), self.tr(
                "Bewaar de werknemer eerst (Ctrl+S); daarna kan je een trajectplan opstellen."))
            return
        if self.plan.apply_targets(matches):
            self.show_tab(TAB_PLAN)
        self._update_dirty()

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> bool:
        self.identity.clear_errors()
        self.general_error.hide()
        if not self._refuse_pending():
            return False
        w = copy.deepcopy(self.worker)
        problems = self.identity.collect(w)
        for s in self.sections:
            s.collect(w)
        for e in validate_worker(w, self.dossier, self.today(), self.rules):
            problems.setdefault(e.field, e.message)
        repo = self.services.workers
        if not problems:
            plan_conflict = self.plan.changed_elsewhere() if w.id else ""
            if plan_conflict:                      # checked first: the worker is not saved without its plan
                self._offer_reload(plan_conflict)
                return False
            try:
                w = repo.update(w) if w.id else repo.add(w)
            except ValidationError as e:
                problems = {err.field: err.message for err in e.errors}
            except ChangedElsewhere as e:          # nothing was stored: reload, or keep the input to copy it
                self._offer_reload(str(e))
                return False
            except UserError as e:                 # e.g. AccessDenied: nothing was stored, say why
                problems = {"": str(e)}
        if problems:
            first, rest = self.identity.show_problems(problems)
            if rest:
                self.general_error.setText("\n".join(rest))
                self.general_error.show()
            first_name = next((n for n in self.identity.fields if n in problems), next(iter(problems)))
            stay = self.tabs.currentIndex()          # a problem of no field (access refused): stay on this tab
            self.tabs.setCurrentIndex(_FIELD_TAB.get(first_name, TAB_IDENTITY if first_name else stay))
            if first is not None:
                first.setFocus()
            return False
        was_new = self.worker.id is None
        self.worker = w
        if was_new:
            self.followup.set_worker(w.id, w.counsellor)
            self.plan.load(w.id)
            self._show_counsellor()
        elif not self.plan.save():
            self.tabs.setCurrentIndex(TAB_PLAN)
            return False
        self._loaded = self._snapshot()
        self._update_dirty()
        self.refresh_figures()
        self.matching.profile_changed(w, visible=self.tabs.currentIndex() == TAB_MATCHING)
        self.saved.emit(w.id)
        return True

    def _offer_reload(self, message: str) -> None:
        """The stored worker (or plan) changed since it was opened: say so; on "Herladen" show it as stored."""
        self.general_error.setText(message)
        self.general_error.show()
        if changed_elsewhere.ask_reload(self, message) and self.worker.id is not None:
            self.reload()

    def reload(self) -> None:
        """Show the worker as stored now, dropping what was typed (input not added yet included)."""
        try:
            fresh = self.services.workers.view(self.worker.id)
        except UserError as e:                     # deleted or no longer visible meanwhile
            QMessageBox.warning(self, self.tr("Werknemer"), str(e))
            return
        self.clear_pending_inputs()
        self.open_worker(fresh, self.dossier)

    def _refuse_pending(self) -> bool:
        """False (with the reason shown, the input focused) while something typed was not added yet:
        saving without it would drop it without a word, adding it unasked could store a half-typed row."""
        pending = self.pending_inputs()
        if not pending:
            return True
        tab, _, widget = pending[0]
        self.general_error.setText(self.tr(
            "Nog niet toegevoegd: {wat}. Voeg het toe met Enter (of de knop ernaast) of maak het veld leeg, en "
            "bewaar dan opnieuw.").format(wat=", ".join(label for _, label, _ in pending)))
        self.general_error.show()
        self.tabs.setCurrentIndex(tab)
        widget.setFocus()
        return False

    def maybe_leave(self) -> bool:
        """True when the view may show something else: saved, discarded, or nothing to lose."""
        if not self.is_dirty():
            return True
        text = self.tr("De gegevens van {naam} hebben wijzigingen die nog niet bewaard zijn. Wil je ze "
                       "bewaren?").format(naam=self.worker.full_name or self.tr("de nieuwe werknemer"))
        pending = self.pending_inputs()
        if pending:
            text += "\n\n" + self.tr("Getypt maar nog niet toegevoegd: {wat}. Verwerpen gooit dit weg; bewaren "
                                      "kan pas als het toegevoegd is of het veld leeg is.").format(
                wat=", ".join(label for _, label, _ in pending))
        answer = QMessageBox.question(
            self, self.tr("Wijzigingen niet bewaard"), text,
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.clear_pending_inputs()
            self._loaded = self._snapshot()      # forget: the next open reloads from the database
            self.plan.load(self.worker.id)
            self._update_dirty()
            return True
        return False
