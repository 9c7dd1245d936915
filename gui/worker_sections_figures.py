"""The legal figures of the employment cell for one worker, shown on top of the worker view.

Red when something is at risk: the front-loaded hours, the minimum outplacement hours, or a
registration period that ends within the warning window.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from core.cell_rules import CellFigures, CellRules, compute_figures
from core.dates import format_date
from core.followup import format_hours
from core.model import Contact, Dossier, Worker

RISK_STYLE = "color: #b00020; font-weight: bold;"


class FiguresPanel(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Cijfers tewerkstellingscel"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.age = QLabel()
        self.registration = QLabel()
        self.hours = QLabel()
        self.frontload = QLabel()
        self.isv = QLabel()
        for lab in (self.age, self.registration, self.hours, self.frontload, self.isv):
            lay.addWidget(lab)
        lay.addStretch(1)
        self.figures: CellFigures | None = None
        self.risks: set[str] = set()

    def show_figures(self, worker: Worker, dossier: Dossier | None, contacts: list[Contact], rules: CellRules,
                     today: dt.date) -> CellFigures:
        f = compute_figures(worker, dossier, contacts, rules)
        self.figures = f
        unknown = self.tr("?")
        self.age.setText(self.tr("Leeftijd bij aankondiging: <b>{n}</b>").format(
            n=f.age_at_announcement if f.age_at_announcement is not None else unknown))
        self.age.setToolTip(self.tr("Bepaalt 3 of 6 maanden inschrijving en 30 of 60 uur outplacement "
                                    "(drempel {n} jaar).").format(n=rules.age_threshold))
        if f.registration_end:
            self.registration.setText(self.tr("Inschrijving {m} mnd, tot <b>{datum}</b>").format(
                m=f.min_registration_months, datum=format_date(f.registration_end)))
        else:
            self.registration.setText(self.tr("Inschrijving: einde onbekend"))
            self.registration.setToolTip(self.tr("Vul geboortedatum, aankondiging (dossier) en ontslagdatum in."))
        minimum = f.min_outplacement_hours if f.min_outplacement_hours is not None else unknown
        self.hours.setText(self.tr("Outplacement: <b>{uren}</b> / {min} uur").format(uren=format_hours(f.hours_used),
                                                                                      min=minimum))
        self.frontload.setText(self.tr("Eerste 2 mnd: <b>{uren}</b> / {min} uur").format(
            uren=format_hours(f.hours_in_frontload), min=f.frontload_hours))
        if f.frontload_deadline:
            self.frontload.setToolTip(self.tr("Minstens {min} uur vóór {datum}.").format(
                min=f.frontload_hours, datum=format_date(f.frontload_deadline)))
        if f.isv_eligible is None:
            self.isv.setText(self.tr("ISV: onbekend"))
        elif f.isv_eligible:
            self.isv.setText(self.tr("ISV: ja ({m} mnd)").format(m=f.isv_months) if f.isv_months
                             else self.tr("ISV: ja"))
        else:
            self.isv.setText(self.tr("ISV: nee (< {n} jaar anciënniteit)").format(n=rules.isv_min_seniority_years))
        self.risks = set()
        if f.registration_ending(today, rules.registration_warning_days):
            self.risks.add("registration")
        if f.hours_at_risk(today):
            self.risks.add("hours")
        if f.frontload_at_risk(today):
            self.risks.add("frontload")
        for key, lab in (("registration", self.registration), ("hours", self.hours), ("frontload", self.frontload)):
            lab.setStyleSheet(RISK_STYLE if key in self.risks else "")
        return f
