"""Dialog to create or edit a worker's identity and employment data, with inline validation."""
from __future__ import annotations

import copy

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QSpinBox, QVBoxLayout)

from core.model import EducationGroup, LANGUAGES, SHIFT_REGIMES, Sex, Statute, Worker, WorkerStatus
from core.validation import ValidationError, format_insz, parse_insz, validate_worker
from gui.widgets import DateEdit, ERROR_STYLE, FieldWithError


class WorkerDialog(QDialog):
    def __init__(self, repo, dossier, worker: Worker | None = None, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.dossier_record = dossier
        self.worker = copy.deepcopy(worker) if worker else Worker(surname="", first_names="", dossier_id=dossier.id)
        self.setWindowTitle(self.tr("Werknemer bewerken") if worker else self.tr("Nieuwe werknemer"))
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
        self.fields["postcode"] = FieldWithError(self.postcode)
        town.addWidget(self.fields["postcode"])
        town.addWidget(self.municipality)
        ident.addRow(self.tr("&Postcode en gemeente"), town)
        self.phone = self._add(ident, "phone", self.tr("&Telefoon"), QLineEdit())
        self.email = self._add(ident, "email", self.tr("&E-mail"), QLineEdit())
        self.language = self._add(ident, "preferred_language", self.tr("Voorkeurs&taal"), QComboBox())
        for code in LANGUAGES:
            self.language.addItem(code, code)

        job = QFormLayout()
        self.statute = self._add(job, "statute", self.tr("St&atuut"), QComboBox())
        for s in Statute:
            self.statute.addItem(s.value, s)
        self.previous_job = self._add(job, "previous_job_title", self.tr("Vorige &functie"), QLineEdit())
        self.seniority = self._add(job, "seniority_start", self.tr("Anciënniteit &sinds"), DateEdit())
        self.dismissal = self._add(job, "dismissal_date", self.tr("&Ontslagdatum"), DateEdit())
        self.shift = self._add(job, "shift_regime", self.tr("&Ploegregime"), QComboBox())
        self.shift.addItem("", "")
        for r in SHIFT_REGIMES:
            self.shift.addItem(r, r)
        self.diploma = self._add(job, "highest_diploma", self.tr("&Hoogste diploma"), QLineEdit())
        self.education = self._add(job, "education_group", self.tr("Onderwijs&niveau"), QComboBox())
        self.education.addItem("", None)
        for g in EducationGroup:
            self.education.addItem(g.value, g)
        self.vks = self._add(job, "vks_level", self.tr("VK&S-niveau"), QSpinBox())
        self.vks.setRange(0, 8)
        self.vks.setSpecialValueText(self.tr("onbekend"))
        self.status = self._add(job, "status", self.tr("St&atus"), QComboBox())
        for s in WorkerStatus:
            self.status.addItem(s.value, s)

        left, right = QGroupBox(self.tr("Identiteit")), QGroupBox(self.tr("Tewerkstelling en opleiding"))
        left.setLayout(ident)
        right.setLayout(job)
        cols = QHBoxLayout()
        cols.addWidget(left)
        cols.addWidget(right)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Bewaren"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(cols)
        lay.addWidget(self.general_error)
        lay.addWidget(buttons)
        self.insz.editingFinished.connect(self._insz_done)
        self._load()
        self._loaded = self._snapshot()

    def _add(self, form, name, label, editor):
        box = FieldWithError(editor)
        self.fields[name] = box
        form.addRow(label, box)
        return editor

    def _load(self) -> None:
        w = self.worker
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
        self.seniority.set_date(w.seniority_start)
        self.dismissal.set_date(w.dismissal_date)
        self.shift.setCurrentIndex(max(0, self.shift.findData(w.shift_regime)))
        self.diploma.setText(w.highest_diploma)
        self.education.setCurrentIndex(max(0, self.education.findData(w.education_group)))
        self.vks.setValue(w.vks_level or 0)
        self.status.setCurrentIndex(max(0, self.status.findData(w.status)))

    def _snapshot(self) -> tuple:
        return tuple(e.text() if isinstance(e, QLineEdit) else (e.currentIndex() if isinstance(e, QComboBox) else e.value())
                     for e in (self.surname, self.first_names, self.insz, self.birth, self.sex, self.street, self.postcode,
                               self.municipality, self.phone, self.email, self.language, self.statute,
                               self.previous_job, self.seniority, self.dismissal, self.shift, self.diploma,
                               self.education, self.vks, self.status))

    def is_dirty(self) -> bool:
        return self._snapshot() != self._loaded

    def _insz_done(self) -> None:
        """Fill birth date and sex from a valid INSZ; flag an invalid one at once."""
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
        if info.birth_date and not self.birth.text().strip():
            self.birth.set_date(info.birth_date)
        if info.sex and self.sex.currentData() is None:
            self.sex.setCurrentIndex(self.sex.findData(info.sex))

    def _collect(self) -> dict[str, str]:
        """Copy the form into self.worker; returns parse problems per field."""
        w, problems = self.worker, {}
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
        w.shift_regime = self.shift.currentData()
        w.highest_diploma = self.diploma.text()
        w.education_group = self.education.currentData()
        w.vks_level = self.vks.value() or None
        w.status = self.status.currentData()
        return problems

    def save(self) -> None:
        for box in self.fields.values():
            box.set_error("")
        self.general_error.hide()
        problems = self._collect()
        for e in validate_worker(self.worker, self.dossier_record):
            problems.setdefault(e.field, e.message)
        if not problems:
            try:
                self.worker = self.repo.update(self.worker) if self.worker.id else self.repo.add(self.worker)
            except ValidationError as e:
                problems = {err.field: err.message for err in e.errors}
        if problems:
            for name, msg in problems.items():
                box = self.fields.get(name)
                if box:
                    box.set_error(msg)
                else:
                    self.general_error.setText(msg)
                    self.general_error.show()
            first = next((self.fields[n] for n in self.fields if n in problems), None)
            if first:
                first.setFocus()
            return
        self._loaded = self._snapshot()
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
