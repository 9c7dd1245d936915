"""Dossier overview as an Excel workbook for the steering group (stuurgroep) of the cell.

Sheets: Werknemers (one row per worker), Acties (actions of the latest plan), Celrapport (figures).
Functional limitations (health data) are never part of this export: the input type has no field
for them and the caller loads workers without them.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.cell_report import (AGE_OVER, AGE_UNDER, AGE_UNKNOWN, EDUCATION_UNKNOWN, ISV_NO, ISV_UNKNOWN, ISV_YES,
                              MISSED, REACHED, RUNNING, UNKNOWN, CellReport, compute_cell_report)
from core.cell_rules import CellRules, compute_figures
from core.fileio import atomic_path
from core.i18n import tr
from core.model import Contact, Dossier, Statute, TrajectoryPlan, Worker, WorkerStatus
from core.plan_text import localise_duration
from core.validation import format_insz

_CTX = "export"


@dataclass
class WorkerExport:
    worker: Worker
    contacts: list[Contact] = field(default_factory=list)
    plan: TrajectoryPlan | None = None

    def __post_init__(self):
        self.worker.limitations = []           # health data never leaves through an export


def _fold(text: str) -> str:
    """Lower case without accents: "Çelik" sorts with the C, as in the worker list on screen."""
    return "".join(c for c in unicodedata.normalize("NFKD", (text or "").casefold()) if not unicodedata.combining(c))


def name_order(we: WorkerExport) -> tuple[str, str, str, str]:
    """Surname, then first names, accents ignored (as the worker list on screen sorts them)."""
    w = we.worker
    return _fold(w.surname), _fold(w.first_names), w.surname or "", w.first_names or ""


def _style_sheet(ws, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")      # long headers on two lines
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _date_cells(ws, columns: list[int]) -> None:
    for col in columns:
        for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            for c in row:
                if isinstance(c.value, dt.date):
                    c.number_format = "DD/MM/YYYY"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_stays_text(wb) -> None:
    """Every text cell is stored as text, never as a formula: openpyxl turns a string that starts with '='
    into a formula, and a name typed as '=HYPERLINK(...)' in an employer's list must not run in Excel.
    Text that Excel would read as the start of a formula when the cell is edited gets the quote prefix
    (the hidden apostrophe of a cell typed as 'text). The value itself is unchanged."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
                if c.data_type == "s" and isinstance(c.value, str) and c.value.startswith(_FORMULA_START):
                    c.quotePrefix = True


def _statute_text(statute) -> str:
    """The statute as the steering group reads it; an unknown one says so, it is never an arbeider."""
    st = Statute(statute)
    return {Statute.ARBEIDER: tr(_CTX, "arbeider"), Statute.BEDIENDE: tr(_CTX, "bediende"),
            Statute.ONBEKEND: tr(_CTX, "onbekend")}[st]


def write_cell_report_sheet(rep, report: CellReport) -> None:
    """The sheet Celrapport: one row per figure (part, value, count) of ``report``."""
    dossier, rules = report.dossier, report.rules
    rep.append([tr(_CTX, "Onderdeel"), tr(_CTX, "Waarde"), tr(_CTX, "Aantal")])
    rep.append([tr(_CTX, "Dossier"), dossier.company_name, None])
    rep.append([tr(_CTX, "Aankondiging collectief ontslag"), dossier.announcement_date, None])
    rep.append([tr(_CTX, "Rapport van"), report.today, None])
    rep.append([tr(_CTX, "Laatste ontslag"), report.last_dismissal or tr(_CTX, "onbekend"), None])
    rep.append([tr(_CTX, "Tewerkstellingscel beschikbaar tot minstens"),
                report.open_until or tr(_CTX, "onbekend (geen ontslagdatum)"), None])
    rep.append([tr(_CTX, "Werknemers"), tr(_CTX, "totaal"), report.total])
    label = tr(_CTX, "Per status")
    for k, n in report.by_status.items():
        rep.append([label, k, n])
    label = tr(_CTX, "Per leeftijdsgroep")
    rep.append([label, "<45", report.by_age_group[AGE_UNDER]])
    rep.append([label, "45+", report.by_age_group[AGE_OVER]])
    if report.by_age_group[AGE_UNKNOWN]:
        rep.append([label, tr(_CTX, "onbekend"), report.by_age_group[AGE_UNKNOWN]])
    # a worker whose statute is not known is counted as such, never with the arbeiders
    label = tr(_CTX, "Per statuut")
    statute_rows = {Statute.ARBEIDER.value: tr(_CTX, "arbeider"), Statute.BEDIENDE.value: tr(_CTX, "bediende"),
                    Statute.ONBEKEND.value: tr(_CTX, "statuut onbekend")}
    for k, n in report.by_statute.items():
        rep.append([label, statute_rows.get(k, k), n])
    label = tr(_CTX, "Per opleidingsgroep")
    for k, n in report.by_education.items():
        if k == EDUCATION_UNKNOWN:
            if n:
                rep.append([label, tr(_CTX, "onbekend"), n])
        else:
            rep.append([label, k, n])
    rep.append([tr(_CTX, "Aan het werk"), "", report.status_count(WorkerStatus.AAN_HET_WERK)])
    rep.append([tr(_CTX, "In opleiding"), "", report.status_count(WorkerStatus.IN_OPLEIDING)])
    every, followed = report.hours_all, report.hours_followed
    hours_all = tr(_CTX, "Outplacementuren (alle werknemers)")
    rep.append([hours_all, tr(_CTX, "gebruikt"), round(every.used, 2)])
    rep.append([hours_all, tr(_CTX, "minimum vereist"), every.required])
    rep.append([hours_all, tr(_CTX, "werknemers met minimum bereikt"), every.reached])
    # the same for the workers the cell still follows up (core.followup.is_followed): the shortfall the
    # steering group can still act on; a worker at work or gone needs no more hours
    hours_followed = tr(_CTX, "Outplacementuren (werknemers nog opgevolgd)")
    rep.append([hours_followed, tr(_CTX, "werknemers niet aan het werk of uitgestroomd"), followed.workers])
    rep.append([hours_followed, tr(_CTX, "gebruikt"), round(followed.used, 2)])
    rep.append([hours_followed, tr(_CTX, "minimum vereist"), followed.required])
    rep.append([hours_followed, tr(_CTX, "nog te geven tot het minimum"), round(followed.short, 2)])
    rep.append([hours_followed, tr(_CTX, "werknemers met minimum bereikt"), followed.reached])
    front = (tr(_CTX, "{uren} uur in de eerste maand") if rules.frontload_months == 1 else
             tr(_CTX, "{uren} uur in de eerste {maanden} maanden")).format(uren=rules.frontload_hours,
                                                                       maanden=rules.frontload_months)
    for key, text in ((REACHED, tr(_CTX, "gehaald")), (RUNNING, tr(_CTX, "nog niet gehaald, termijn loopt")),
                      (MISSED, tr(_CTX, "niet gehaald, termijn voorbij")), (UNKNOWN, tr(_CTX, "startdatum onbekend"))):
        rep.append([front, text, report.frontload[key]])
    # the right to the inschakelingsvergoeding follows from the seniority at the announcement; whether the
    # employer pays it is not recorded in Werkbrug, and the report says so instead of counting payments
    isv = tr(_CTX, "Inschakelingsvergoeding (ISV)")
    years = rules.isv_min_seniority_years
    rep.append([isv, (tr(_CTX, "recht: minstens 1 jaar anciënniteit") if years == 1 else
                      tr(_CTX, "recht: minstens {n} jaar anciënniteit").format(n=years)), report.isv[ISV_YES]])
    rep.append([isv, tr(_CTX, "geen recht: minder anciënniteit"), report.isv[ISV_NO]])
    rep.append([isv, tr(_CTX, "anciënniteit onbekend"), report.isv[ISV_UNKNOWN]])
    rep.append([isv, tr(_CTX, "uitbetaling: niet bijgehouden in Werkbrug"), None])
    _style_sheet(rep, [42, 44, 12])
    _date_cells(rep, [2])


def write_dossier_xlsx(path: Path | str, dossier: Dossier, workers: list[WorkerExport], *,
                       rules: CellRules | None = None, today: dt.date | None = None) -> Path:
    from openpyxl import Workbook
    rules = rules or CellRules()
    today = today or dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.title = "Werknemers"
    # the age is the one at the announcement of the collective dismissal: the one that decides 45+,
    # the registration months and the outplacement hours (as on the printed plan)
    head = [tr(_CTX, t) for t in ("Naam", "Voornaam", "INSZ", "Status", "Leeftijd bij aankondiging", "45+",
                                  "Inschrijving (maanden)",
                                  "Einde inschrijving", "Vorige functie", "Jobdoelwitten (laatste plan)",
                                  "Aantal acties", "Outplacementuren gebruikt", "Outplacementuren minimum",
                                  "Statuut")]
    ws.append(head)
    acts = wb.create_sheet("Acties")
    acts.append([tr(_CTX, t) for t in ("Naam", "Voornaam", "Planversie", "Soort", "Omschrijving", "Aanbieder",
                                       "Start", "Einde", "Duur", "Status")])
    ordered = sorted(workers, key=name_order)
    for we in ordered:
        w = we.worker
        fig = compute_figures(w, dossier, we.contacts, rules)
        age = fig.age_at_announcement
        targets = ", ".join(t.name for t in we.plan.targets) if we.plan else ""
        n_actions = len(we.plan.actions) if we.plan else 0
        ws.append([w.surname, w.first_names, format_insz(w.insz) if w.insz else "", WorkerStatus(w.status).value,
                   age, None if fig.older is None else (tr(_CTX, "ja") if fig.older else tr(_CTX, "nee")),
                   fig.min_registration_months, fig.registration_end, w.previous_job_title, targets, n_actions,
                   round(fig.hours_used, 2), fig.min_outplacement_hours, _statute_text(w.statute)])
        if we.plan:
            for a in we.plan.actions:
                acts.append([w.surname, w.first_names, we.plan.version, a.kind, a.description, a.provider,
                             a.start_date, a.end_date, localise_duration(a.duration, "nl"), a.status])
    _style_sheet(ws, [22, 18, 17, 15, 12, 6, 12, 14, 26, 40, 9, 12, 12, 11])
    _date_cells(ws, [8])
    _style_sheet(acts, [22, 18, 10, 18, 40, 24, 12, 12, 12, 12])
    _date_cells(acts, [7, 8])
    # the figures of the cell report are computed once, for this sheet and the printed report alike
    report = compute_cell_report(dossier, ordered, rules=rules, today=today)
    write_cell_report_sheet(wb.create_sheet("Celrapport"), report)
    _text_stays_text(wb)
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
