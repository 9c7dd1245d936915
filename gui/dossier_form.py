"""Dialog to create or edit a dossier (a closure or restructuring)."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout)

from core.model import Dossier, DossierStatus
from core.validation import ValidationError, format_kbo
from db.errors import ChangedElsewhere
from gui.widgets import DateEdit, FieldWithError, save_cancel_buttons


class DossierDialog(QDialog):
    def __init__(self, repo, dossier: Dossier | None = None, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.dossier = dossier or Dossier(company_name="")
        self.setWindowTitle(self.tr("Dossier bewerken") if dossier else self.tr("Nieuw dossier"))
        self.fields: dict[str, FieldWithError] = {}
        form = QFormLayout()
        self.company = self._add(form, "company_name", self.tr("&Bedrijfsnaam *"), QLineEdit())
        self.kbo = self._add(form, "kbo_number", self.tr("&KBO-nummer"), QLineEdit())
        self.kbo.setPlaceholderText("0403.170.701")
        self.pc = self._add(form, "joint_committee", self.tr("&Paritair comité"), QLineEdit())
        self.pc.setPlaceholderText("111")
        self.site = self._add(form, "site_address", self.tr("&Vestigingsadres"), QLineEdit())
        self.announced = self._add(form, "announcement_date", self.tr("&Aankondiging collectief ontslag"), DateEdit())
        self.first = self._add(form, "first_dismissal_date", self.tr("&Eerste ontslag"), DateEdit())
        self.last = self._add(form, "last_dismissal_date", self.tr("&Laatste ontslag"), DateEdit())
        self.start = self._add(form, "cell_start_date", self.tr("Start &tewerkstellingscel"), DateEdit())
        self.bureau = self._add(form, "outplacement_bureau", self.tr("&Outplacementbureau"), QLineEdit())
        self.status = self._add(form, "status", self.tr("&Status"), QComboBox())
        for s in DossierStatus:
            self.status.addItem(s.value, s)
        buttons, self.general_error = save_cancel_buttons(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.general_error)
        lay.addWidget(buttons)
        self._load()

    def _add(self, form, name, label, editor):
        box = FieldWithError(editor)
        self.fields[name] = box
        form.addRow(label, box)
        return editor

    def _load(self) -> None:
        d = self.dossier
        self.company.setText(d.company_name)
        self.kbo.setText(format_kbo(d.kbo_number))
        self.pc.setText(d.joint_committee)
        self.site.setText(d.site_address)
        self.announced.set_date(d.announcement_date)
        self.first.set_date(d.first_dismissal_date)
        self.last.set_date(d.last_dismissal_date)
        self.start.set_date(d.cell_start_date)
        self.bureau.setText(d.outplacement_bureau)
        self.status.setCurrentIndex(max(0, self.status.findData(d.status)))

    def save(self) -> None:
        for box in self.fields.values():
            box.set_error("")
        self.general_error.hide()
        d = self.dossier
        problems = {}
        d.company_name = self.company.text()
        d.kbo_number = self.kbo.text().strip()
        d.joint_committee = self.pc.text().strip()
        d.site_address = self.site.text()
        for name, editor in (("announcement_date", self.announced), ("first_dismissal_date", self.first),
                             ("last_dismissal_date", self.last), ("cell_start_date", self.start)):
            try:
                setattr(d, name, editor.date())
            except ValueError as e:
                problems[name] = str(e)
        d.outplacement_bureau = self.bureau.text()
        d.status = self.status.currentData()
        if not problems:
            try:
                self.dossier = self.repo.update(d) if d.id else self.repo.add(d)
            except ChangedElsewhere as e:          # nothing stored: reload, or keep the input to copy it
                from gui import changed_elsewhere
                self.general_error.setText(str(e))
                self.general_error.show()
                if changed_elsewhere.ask_reload(self, str(e)):
                    self.dossier = self.repo.get(d.id)
                    self._load()
                    self.general_error.hide()
                return
            except ValidationError as e:
                problems = {err.field: err.message for err in e.errors}
            except ValueError as e:  # KBO number refused by the repository
                problems = {"kbo_number": str(e)}
        if problems:
            for name, msg in problems.items():
                if name in self.fields:
                    self.fields[name].set_error(msg)
                else:
                    self.general_error.setText(msg)
                    self.general_error.show()
            first = next((self.fields[n] for n in self.fields if n in problems), None)
            if first:
                first.setFocus()
            return
        self.accept()
