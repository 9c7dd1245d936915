"""A worker's identity, employment and education inputs with inline validation.

``IdentityFields`` builds the inputs in three group boxes; the quick ``WorkerDialog`` and the
full worker view (gui/worker_view.py) both place those groups, so the identity logic (INSZ
filling in birth date and sex, Dutch messages next to the fields) lives in one place.
"""
from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QSpinBox, QVBoxLayout, QWidget)

from core.errors import UserError
from core.model import EducationGroup, LANGUAGES, SHIFT_REGIMES, Sex, Statute, Worker, WorkerStatus
from core.validation import ValidationError, format_insz, parse_insz, validate_worker
from gui.widgets import DateEdit, FieldWithError, save_cancel_buttons


def language_names() -> dict[str, str]:
    """Dutch names of the language codes of ``core.model.LANGUAGES``: the counsellor sees names, the
    record keeps the code."""
    t = QCoreApplication.translate
    return {"nl": t("Languages", "Nederlands"), "fr": t("Languages", "Frans"), "de": t("Languages", "Duits"),
            "en": t("Languages", "Engels")}


EDITOR_NAMES = ("surname", "first_names", "insz", "birth", "sex", "street", "postcode", "municipality", "phone",
                "email", "language", "statute", "previous_job", "seniority", "dismissal", "shift", "diploma",
                "education", "vks", "status")


class IdentityFields(QObject):
    """Inputs of the worker record itself (not its child lists), in three group boxes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields: dict[str, FieldWithError] = {}
        ident = QFormLayout()
        self.surname = self._add(ident, "surname", self.tr("&Naam *"), QLineEdit())
        self.first_names = self._add(ident, "first_names", self.tr("&Voornamen *"), QLineEdit())
        self.insz = self._add(ident, "insz", self.tr("&INSZ"), QLineEdit())
        self.insz.setPlaceholderText("85.07.30-033.28")
        self.birth = self._add(ident, "birth_date", self.tr("&Geboortedatum"), DateEdit())
        self.sex = self._add(ident, "sex", self.tr("Gesla&cht"), QComboBox())
        self.sex.addItem(self.tr("onbekend"), None)
        for s, label in ((Sex.M, self.tr("man")), (Sex.V, self.tr("vrouw")), (Sex.X, self.tr("X"))):
            self.sex.addItem(label, s)
        self.street = self._add(ident, "street", self.tr("&Straat en nummer"), QLineEdit())
        town = QHBoxLayout()
        self.postcode = QLineEdit()
        self.postcode.setMaximumWidth(70)
        self.postcode.setPlaceholderText("2500")
        self.municipality = QLineEdit()
        self.municipality.setAccessibleName(self.tr("Gemeente"))
        postcode_box = self.fields["postcode"] = FieldWithError(self.postcode)
        postcode_box.setMaximumWidth(70)
        town.addWidget(postcode_box)
        town.addWidget(self.municipality, 1)
        # the postcode's message goes under the whole row: the 70-pixel field would clip it
        postcode_box.layout().removeWidget(postcode_box.error)
        town_row = QWidget()
        town_lay = QVBoxLayout(town_row)
        town_lay.setContentsMargins(0, 0, 0, 0)
        town_lay.setSpacing(1)
        town_lay.addLayout(town)
        town_lay.addWidget(postcode_box.error)
        town_label = QLabel(self.tr("&Postcode en gemeente"))
        town_label.setBuddy(self.postcode)
        ident.addRow(town_label, town_row)
        self.phone = self._add(ident, "phone", self.tr("&Telefoon"), QLineEdit())
        self.email = self._add(ident, "email", self.tr("&E-mail"), QLineEdit())
        self.language = self._add(ident, "preferred_language", self.tr("Voor&keurstaal"), QComboBox())
        names = language_names()
        for code in LANGUAGES:
            self.language.addItem(names.get(code, code), code)

        job = QFormLayout()
        self.statute = self._add(job, "statute", self.tr("St&atuut"), QComboBox())
        # unknown first, as for the sex: a worker whose statute nobody chose is never an arbeider by default
        for s, label in ((Statute.ONBEKEND, self.tr("onbekend")), (Statute.ARBEIDER, self.tr("arbeider")),
                         (Statute.BEDIENDE, self.tr("bediende"))):
            self.statute.addItem(label, s)
        self.previous_job = self._add(job, "previous_job_title", self.tr("Vorige &functie"), QLineEdit())
        # the ESCO occupation picked from the suggestions (gui/title_completer.py), shown discreetly
        self.previous_job_esco = QLabel()
        self.previous_job_esco.setObjectName("previous_job_esco")
        self.previous_job_esco.setStyleSheet("color: gray; font-size: small;")
        self.previous_job_esco.hide()
        job.addRow("", self.previous_job_esco)
        self.previous_job_titles = None     # TitleCompleter, once attached
        self._previous_job_uri = ""
        self._previous_job_loaded = ""      # the title the loaded URI belongs to (forms without suggestions)
        self.seniority = self._add(job, "seniority_start", self.tr("Anciënniteit sin&ds"), DateEdit())
        self.dismissal = self._add(job, "dismissal_date", self.tr("&Ontslagdatum"), DateEdit())
        self.shift = self._add(job, "shift_regime", self.tr("Ploeg&regime"), QComboBox())
        self.shift.addItem("", "")
        for r in SHIFT_REGIMES:
            self.shift.addItem(r, r)
        self.status = self._add(job, "status", self.tr("Stat&us"), QComboBox())
        for s in WorkerStatus:
            self.status.addItem(s.value, s)

        edu = QFormLayout()
        self.diploma = self._add(edu, "highest_diploma", self.tr("Hoogste &diploma"), QLineEdit())
        self.education = self._add(edu, "education_group", self.tr("Onderwijs&niveau"), QComboBox())
        self.education.addItem("", None)
        for g in EducationGroup:
            self.education.addItem(g.value, g)
        self.vks = self._add(edu, "vks_level", self.tr("V&KS-niveau"), QSpinBox())
        self.vks.setRange(0, 8)
        self.vks.setSpecialValueText(self.tr("onbekend"))
        self.vks.setMaximumWidth(120)

        self.group_identity = QGroupBox(self.tr("Identiteit"))
        self.group_identity.setLayout(ident)
        self.group_employment = QGroupBox(self.tr("Tewerkstelling"))
        self.group_employment.setLayout(job)
        self.group_education = QGroupBox(self.tr("Opleiding"))
        self.group_education.setLayout(edu)
        self.insz.editingFinished.connect(self.insz_done)
        # the birth date and sex the INSZ in the field filled in (or agrees with): they follow a
        # corrected INSZ; a birth date or sex the counsellor typed differently stays his
        self._from_insz: tuple[dt.date | None, Sex | None] = (None, None)

    def attach_titles(self, source) -> None:
        """Job-title suggestions under "Vorige functie" from the window's title source."""
        from gui.title_completer import TitleCompleter
        self.previous_job_titles = TitleCompleter(self.previous_job, source, self)
        self.previous_job_titles.uri_changed.connect(self._show_previous_job_uri)
        self.previous_job_titles.set_uri(self._previous_job_uri)

    @property
    def previous_job_uri(self) -> str:
        if self.previous_job_titles is not None:
            return self.previous_job_titles.uri
        # without suggestions a changed title no longer names the loaded occupation
        return self._previous_job_uri if self.previous_job.text() == self._previous_job_loaded else ""

    def _show_previous_job_uri(self, uri: str) -> None:
        self._previous_job_uri = uri
        label = self.previous_job_titles.source.preferred_label(uri) if uri and self.previous_job_titles else ""
        self.previous_job_esco.setText(self.tr("ESCO: {beroep}").format(beroep=label or uri) if uri else "")
        self.previous_job_esco.setVisible(bool(uri))

    def _add(self, form, name, label, editor):
        box = FieldWithError(editor)
        self.fields[name] = box
        lab = QLabel(label)
        lab.setBuddy(editor)
        form.addRow(lab, box)
        return editor

    def editors(self) -> list[QWidget]:
        return [getattr(self, n) for n in EDITOR_NAMES]

    def load(self, w: Worker) -> None:
        self.surname.setText(w.surname)
        self.first_names.setText(w.first_names)
        self.insz.setText(format_insz(w.insz) if w.insz else "")
        self.birth.set_date(w.birth_date)
        self.sex.setCurrentIndex(max(0, self.sex.findData(w.sex)))
        self.street.setText(w.street)
        self.postcode.setText(w.postcode)
        self.municipality.setText(w.municipality)
        self.phone.setText(w.phone)
        self.email.setText(w.email)
        self.language.setCurrentIndex(max(0, self.language.findData(w.preferred_language)))
        self.statute.setCurrentIndex(max(0, self.statute.findData(w.statute)))
        self.previous_job.setText(w.previous_job_title)
        self._previous_job_uri = w.previous_job_esco_uri
        self._previous_job_loaded = w.previous_job_title
        if self.previous_job_titles is not None:
            self.previous_job_titles.set_uri(w.previous_job_esco_uri)
        self.seniority.set_date(w.seniority_start)
        self.dismissal.set_date(w.dismissal_date)
        self.shift.setCurrentIndex(max(0, self.shift.findData(w.shift_regime)))
        self.diploma.setText(w.highest_diploma)
        self.education.setCurrentIndex(max(0, self.education.findData(w.education_group)))
        self.vks.setValue(w.vks_level or 0)
        self.status.setCurrentIndex(max(0, self.status.findData(w.status)))
        self._from_insz = self._agreeing_with_insz(w.insz, w.birth_date, w.sex)
        self.clear_errors()

    @staticmethod
    def _agreeing_with_insz(insz: str, birth: dt.date | None, sex) -> tuple[dt.date | None, Sex | None]:
        """Of a stored birth date and sex, those the stored INSZ says too (as if filled in from it)."""
        if not insz:
            return None, None
        try:
            info = parse_insz(insz)
        except ValueError:
            return None, None
        return (birth if birth and birth == info.birth_date else None,
                sex if sex is not None and sex == info.sex else None)

    def snapshot(self) -> tuple:
        return tuple(e.text() if isinstance(e, QLineEdit) else (e.currentIndex() if isinstance(e, QComboBox) else e.value())
                     for e in self.editors())

    def insz_done(self) -> None:
        """Fill birth date and sex from a valid INSZ; flag an invalid one at once.

        Empty fields are filled in; fields filled in from a previous INSZ follow a corrected one;
        what the counsellor typed himself is kept (saving then says when it disagrees)."""
        text = self.insz.text().strip()
        if not text:
            self.fields["insz"].set_error("")
            return
        try:
            info = parse_insz(text)
        except ValueError as e:
            self.fields["insz"].set_error(str(e))
            return
        self.fields["insz"].set_error("")
        self.insz.setText(format_insz(info.number))
        old_birth, old_sex = self._from_insz
        new_birth = new_sex = None
        try:
            birth = self.birth.date()
            birth_follows = birth is None or (old_birth is not None and birth == old_birth)
        except ValueError:                       # unreadable text is the counsellor's to correct
            birth_follows = False
        if birth_follows:
            self.birth.set_date(info.birth_date)
            new_birth = info.birth_date
        sex = self.sex.currentData()
        if sex is None or (old_sex is not None and sex == old_sex):
            self.sex.setCurrentIndex(max(0, self.sex.findData(info.sex)) if info.sex else 0)
            new_sex = info.sex
        self._from_insz = (new_birth, new_sex)

    def collect(self, w: Worker) -> dict[str, str]:
        """Copy the inputs into ``w``; returns parse problems per field."""
        problems = {}
        w.surname, w.first_names = self.surname.text(), self.first_names.text()
        w.insz = self.insz.text().strip()
        for name, editor in (("birth_date", self.birth), ("seniority_start", self.seniority),
                             ("dismissal_date", self.dismissal)):
            try:
                setattr(w, name, editor.date())
            except ValueError as e:
                problems[name] = str(e)
        w.sex = self.sex.currentData()
        w.street, w.postcode, w.municipality = self.street.text(), self.postcode.text().strip(), self.municipality.text()
        w.phone, w.email = self.phone.text(), self.email.text()
        w.preferred_language = self.language.currentData()
        w.statute = self.statute.currentData()
        w.previous_job_title = self.previous_job.text()
        w.previous_job_esco_uri = self.previous_job_uri if w.previous_job_title.strip() else ""
        w.shift_regime = self.shift.currentData()
        w.highest_diploma = self.diploma.text()
        w.education_group = self.education.currentData()
        w.vks_level = self.vks.value() or None
        w.status = self.status.currentData()
        return problems

    def clear_errors(self) -> None:
        for box in self.fields.values():
            box.set_error("")

    def show_problems(self, problems: dict[str, str]) -> tuple[FieldWithError | None, list[str]]:
        """Messages next to their fields; returns the first field in form order and the other messages."""
        rest = []
        for name, msg in problems.items():
            box = self.fields.get(name)
            if box:
                box.set_error(msg)
            else:
                rest.append(msg)
        first = next((self.fields[n] for n in self.fields if n in problems), None)
        return first, rest


class WorkerDialog(QDialog):
    """Quick dialog for a worker's identity and employment data (the worker view holds the rest)."""

    def __init__(self, repo, dossier, worker: Worker | None = None, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.dossier_record = dossier
        self.worker = copy.deepcopy(worker) if worker else Worker(surname="", first_names="", dossier_id=dossier.id)
        self.setWindowTitle(self.tr("Werknemer bewerken") if worker else self.tr("Nieuwe werknemer"))
        self.form = IdentityFields(self)
        self.fields = self.form.fields
        for name in EDITOR_NAMES:
            setattr(self, name, getattr(self.form, name))
        right = QVBoxLayout()
        right.addWidget(self.form.group_employment)
        right.addWidget(self.form.group_education)
        cols = QHBoxLayout()
        cols.addWidget(self.form.group_identity)
        cols.addLayout(right)
        buttons, self.general_error = save_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(cols)
        lay.addWidget(self.general_error)
        lay.addWidget(buttons)
        self.form.load(self.worker)
        self._loaded = self.form.snapshot()

    def is_dirty(self) -> bool:
        return self.form.snapshot() != self._loaded

    def save(self) -> None:
        self.form.clear_errors()
        self.general_error.hide()
        problems = self.form.collect(self.worker)
        for e in validate_worker(self.worker, self.dossier_record):
            problems.setdefault(e.field, e.message)
        if not problems:
            try:
                self.worker = self.repo.update(self.worker) if self.worker.id else self.repo.add(self.worker)
            except ValidationError as e:
                problems = {err.field: err.message for err in e.errors}
            except UserError as e:          # changed elsewhere, access refused: nothing was stored
                problems = {"": str(e)}
        if problems:
            first, rest = self.form.show_problems(problems)
            if rest:
                self.general_error.setText("\n".join(rest))
                self.general_error.show()
            if first:
                first.setFocus()
            return
        self._loaded = self.form.snapshot()
        self.accept()

    def reject(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self, self.tr("Wijzigingen niet bewaard"),
                self.tr("Er zijn wijzigingen die nog niet bewaard zijn. Wil je ze bewaren?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
        super().reject()
