"""The printed cell report (celrapport) of a dossier, for the steering group (begeleidingscomité) of the cell.

The figures are those of core.cell_report.compute_cell_report, the same as the sheet "Celrapport" of the
dossier overview in Excel. The report shows totals only: no INSZ, no health data (functional
limitations), and no names. An appendix with the workers' names and status only, nothing else, is
added on request (``with_names``); it is off by default.

Laid out as the other printed documents (core.plan_pdf): A4, the embedded DejaVu Sans font, numbered
section headings, light tables, "VERTROUWELIJK" and "Pagina x van y" on every page. The texts are Dutch
(nl-BE) and go through core.i18n.tr: the report is written for the steering group, not for a worker.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer

from core.cell_report import (AGE_OVER, AGE_UNDER, AGE_UNKNOWN, EDUCATION_UNKNOWN, ISV_NO, ISV_UNKNOWN, ISV_YES,
                              MISSED, REACHED, RUNNING, UNKNOWN, CellReport)
from core.fileio import atomic_path
from core.i18n import tr
from core.model import EducationGroup, Statute, WorkerStatus
from core.plan_pdf import (_doc, _fit, _HeadWithTable, _kv_table, _PageInfo, _PlanCanvas, _PlanStart, _SectionHeading,
                           _table, CONTENT_W, FONT, styles)
from core.plan_text import PlanTexts, format_date, format_hours
from core.validation import format_kbo

_CTX = "celrapport"


def _esc(value: object) -> str:
    return escape(str(value if value is not None else ""))


def _status_label(status: str) -> str:
    return {WorkerStatus.INTAKE.value: tr(_CTX, "Intake"),
            WorkerStatus.IN_BEGELEIDING.value: tr(_CTX, "In begeleiding"),
            WorkerStatus.IN_OPLEIDING.value: tr(_CTX, "In opleiding"),
            WorkerStatus.AAN_HET_WERK.value: tr(_CTX, "Aan het werk"),
            WorkerStatus.SWT.value: tr(_CTX, "SWT (stelsel van werkloosheid met bedrijfstoeslag)"),
            WorkerStatus.ZIEK.value: tr(_CTX, "Ziek"),
            WorkerStatus.UITGESTROOMD.value: tr(_CTX, "Uitgestroomd")}.get(status, status)


def _statute_label(statute: str) -> str:
    return {Statute.ARBEIDER.value: tr(_CTX, "Arbeider"), Statute.BEDIENDE.value: tr(_CTX, "Bediende"),
            Statute.ONBEKEND.value: tr(_CTX, "Statuut onbekend")}.get(statute, statute)


def _education_label(group: str) -> str:
    return {EducationGroup.LAAG.value: tr(_CTX, "Laaggeschoold"),
            EducationGroup.MIDDEN.value: tr(_CTX, "Middengeschoold"),
            EducationGroup.HOOG.value: tr(_CTX, "Hooggeschoold"),
            EducationGroup.ANDERE.value: tr(_CTX, "Andere (buitenlands diploma, niet erkend)"),
            EDUCATION_UNKNOWN: tr(_CTX, "Onbekend")}.get(group, group)


def _reason_label(code: str) -> str:
    return {"KWANT": tr(_CTX, "kwantitatief"), "KWAL": tr(_CTX, "kwalitatief"),
            "ARB": tr(_CTX, "arbeidsomstandigheden")}.get(code, code)


def _band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return tr(_CTX, "Jonger dan {n} jaar").format(n=high + 1)
    if high is None:
        return tr(_CTX, "{n} jaar of ouder").format(n=low)
    return tr(_CTX, "{van} tot {tot} jaar").format(van=low, tot=high)


def _share(n: int, total: int) -> str:
    return f"{round(100 * n / total)} %" if total else "–"


def _count(n: int) -> str:
    return str(int(n))


class _Writer:
    """Builds the flowables of the cell report."""

    def __init__(self, report: CellReport, with_names: bool):
        self.r = report
        self.with_names = with_names
        self.s = styles()
        self.n = 0

    # -- helpers ---------------------------------------------------------------------------------
    def para(self, html: str, style=None):
        return Paragraph(html, style or self.s.body)

    def note(self, text: str):
        return Paragraph(_esc(text), self.s.note)

    def heading(self, text: str):
        self.n += 1
        return _SectionHeading(self.n, text)

    def section(self, title: str, body: list) -> list:
        """A numbered section; its heading stays with the start of the body."""
        head = self.heading(title)
        return [CondPageBreak(30 * mm), _HeadWithTable([head], body[0])] + body[1:]

    def grid(self, heads: list[str], rows: list[list[str]], widths: list[float], numeric: int = 0):
        """A table with a header row that repeats on every page; the last ``numeric`` columns are figures,
        right-aligned. Cells are plain text (escaped here)."""
        s = self.s
        figure = s.right.clone("figure", fontName=FONT, textColor=s.tcell.textColor, fontSize=s.tcell.fontSize,
                               leading=s.tcell.leading)
        head_right = s.thead.clone("thead_right", alignment=2)
        first = len(heads) - numeric
        data = [[Paragraph(_esc(h), head_right if i >= first else s.thead) for i, h in enumerate(heads)]]
        data += [[Paragraph(_esc(c), figure if i >= first else s.tcell) for i, c in enumerate(row)] for row in rows]
        return _table(data, widths)

    def counts(self, heads: list[str], rows: list[tuple[str, int]], total: int):
        """Label, number of workers and share of all workers."""
        return self.grid(heads, [[label, _count(n), _share(n, total)] for label, n in rows],
                         [CONTENT_W - 56 * mm, 28 * mm, 28 * mm], numeric=2)

    # -- document --------------------------------------------------------------------------------
    def build(self) -> list:
        r, s = self.r, self.s
        company = r.dossier.company_name
        made = tr(_CTX, "Opgemaakt op {datum}").format(datum=format_date(r.today))
        title = tr(_CTX, "Celrapport")
        left = _fit(f"{title} · {company}", CONTENT_W - pdfmetrics.stringWidth(made, FONT, 7.5) - 12)
        info = _PageInfo(0, page_texts(), left, made, company,
                         tr(_CTX, "Celrapport van {datum}").format(datum=format_date(r.today)))
        scope = (tr(_CTX, "Dit rapport bevat enkel totalen: geen INSZ-nummers en geen gezondheidsgegevens. De bijlage "
                          "achteraan noemt de werknemers met hun status, en niets meer.") if self.with_names else
                 tr(_CTX, "Dit rapport bevat enkel totalen: geen namen, geen INSZ-nummers en geen "
                          "gezondheidsgegevens."))
        story: list = [_PlanStart(info, f"{title} – {company}"), Spacer(1, 6), Paragraph(_esc(title), s.title),
                       Paragraph(_esc(tr(_CTX, "Tewerkstellingscel {bedrijf}").format(bedrijf=company)), s.subtitle),
                       self.para(_esc(tr(_CTX, "Voor het begeleidingscomité · {opgemaakt}").format(opgemaakt=made))),
                       self.para(f"<b>{_esc(tr(_CTX, 'Vertrouwelijk.'))}</b> {_esc(scope)}", s.note)]
        for part in (self.identification, self.workers, self.profile, self.hours, self.obligations, self.isv,
                     self.targets):
            story += part()
        if self.with_names:
            story += self.appendix()
        return story

    def identification(self) -> list:
        r = self.r
        d = r.dossier
        unknown = tr(_CTX, "niet ingevuld")
        pairs = [(tr(_CTX, "Onderneming"), d.company_name or unknown),
                 (tr(_CTX, "KBO-nummer"), format_kbo(d.kbo_number) if d.kbo_number else unknown)]
        if d.joint_committee:
            pairs.append((tr(_CTX, "Paritair comité"), d.joint_committee))
        pairs += [(tr(_CTX, "Aankondiging collectief ontslag"), format_date(d.announcement_date) or unknown),
                  (tr(_CTX, "Start tewerkstellingscel"), format_date(d.cell_start_date) or unknown),
                  (tr(_CTX, "Laatste ontslag"), format_date(r.last_dismissal) or tr(_CTX, "onbekend")),
                  (tr(_CTX, "Tewerkstellingscel beschikbaar tot minstens"),
                   format_date(r.open_until) or tr(_CTX, "onbekend (geen ontslagdatum)"))]
        if d.outplacement_bureau:
            pairs.append((tr(_CTX, "Outplacementbureau"), d.outplacement_bureau))
        pairs.append((tr(_CTX, "Rapportdatum"), format_date(r.today)))
        rows = _kv_table([(k, _esc(v)) for k, v in pairs], label_w=70 * mm)
        rules = r.rules
        note = tr(_CTX, "De cel blijft beschikbaar tot {onder} maanden na het laatste ontslag van een werknemer jonger "
                        "dan {leeftijd} en {boven} maanden na het laatste ontslag van een werknemer van {leeftijd} of "
                        "ouder (leeftijd bij de aankondiging).").format(
            onder=rules.cell_open_months_under, boven=rules.cell_open_months_over, leeftijd=rules.age_threshold)
        return self.section(tr(_CTX, "Dossier"), [rows, Spacer(1, 2), self.note(note)])

    def workers(self) -> list:
        r = self.r
        key = [(tr(_CTX, "Werknemers in het dossier"), r.total),
               (tr(_CTX, "Aan het werk"), r.status_count(WorkerStatus.AAN_HET_WERK)),
               (tr(_CTX, "In opleiding"), r.status_count(WorkerStatus.IN_OPLEIDING)),
               (tr(_CTX, "Nog opgevolgd (niet aan het werk, niet uitgestroomd)"), r.followed)]
        heads = [tr(_CTX, "Kerncijfer"), tr(_CTX, "Werknemers"), tr(_CTX, "Aandeel")]
        by_status = [(_status_label(k), n) for k, n in r.by_status.items()]
        return self.section(tr(_CTX, "Werknemers"), [
            self.counts(heads, key, r.total), Spacer(1, 8),
            self.counts([tr(_CTX, "Status"), tr(_CTX, "Werknemers"), tr(_CTX, "Aandeel")], by_status, r.total)])

    def profile(self) -> list:
        r, rules = self.r, self.r.rules
        age = rules.age_threshold
        groups = [(tr(_CTX, "Jonger dan {n} ({maanden} maanden inschrijving, {uren} uur outplacement)").format(
                       n=age, maanden=rules.registration_months_under, uren=rules.outplacement_hours_under),
                   r.by_age_group[AGE_UNDER]),
                  (tr(_CTX, "{n} of ouder ({maanden} maanden inschrijving, {uren} uur outplacement)").format(
                       n=age, maanden=rules.registration_months_over, uren=rules.outplacement_hours_over),
                   r.by_age_group[AGE_OVER]),
                  (tr(_CTX, "Leeftijd onbekend (geen geboortedatum of aankondigingsdatum)"),
                   r.by_age_group[AGE_UNKNOWN])]
        bands = [(_band_label(b.low, b.high), b.count) for b in r.age_bands]
        bands.append((tr(_CTX, "Onbekend"), r.by_age_group[AGE_UNKNOWN]))
        statutes = [(_statute_label(k), n) for k, n in r.by_statute.items()]
        education = [(_education_label(k), n) for k, n in r.by_education.items()]
        share = tr(_CTX, "Aandeel")
        n = tr(_CTX, "Werknemers")
        return self.section(tr(_CTX, "Profiel van de werknemers"), [
            self.counts([tr(_CTX, "Leeftijd bij de aankondiging"), n, share], groups, r.total), Spacer(1, 6),
            self.counts([tr(_CTX, "Leeftijdsgroep"), n, share], bands, r.total), Spacer(1, 6),
            self.counts([tr(_CTX, "Statuut"), n, share], statutes, r.total), Spacer(1, 6),
            self.counts([tr(_CTX, "Opleidingsgroep"), n, share], education, r.total),
            Spacer(1, 2), self.note(tr(_CTX, "Een werknemer van wie het statuut niet gekend is, wordt apart geteld, "
                                             "nooit als arbeider."))])

    def hours(self) -> list:
        r, rules = self.r, self.r.rules
        a, f = r.hours_all, r.hours_followed

        def row(label: str, get) -> list[str]:
            return [label, get(a), get(f)]

        rows = [row(tr(_CTX, "Werknemers"), lambda h: _count(h.workers)),
                row(tr(_CTX, "Uren outplacement gebruikt"), lambda h: format_hours(h.used)),
                row(tr(_CTX, "Minimum vereist (samen)"), lambda h: format_hours(h.required)),
                row(tr(_CTX, "Nog te geven tot het minimum"), lambda h: format_hours(h.short)),
                row(tr(_CTX, "Werknemers met het minimum bereikt"), lambda h: _count(h.reached))]
        table = self.grid([tr(_CTX, "Uren"), tr(_CTX, "Alle werknemers"), tr(_CTX, "Nog opgevolgd")], rows,
                          [CONTENT_W - 70 * mm, 35 * mm, 35 * mm], numeric=2)
        note = tr(_CTX, "Uren tellen vanaf de aankondiging van het collectief ontslag. Minimum: {onder} uur voor wie "
                        "jonger is dan {leeftijd}, {boven} uur vanaf {leeftijd} jaar (leeftijd bij de aankondiging); "
                        "zonder gekende leeftijd telt geen minimum. Nog opgevolgd: wie niet aan het werk en niet "
                        "uitgestroomd is.").format(onder=rules.outplacement_hours_under,
                                                    boven=rules.outplacement_hours_over, leeftijd=rules.age_threshold)
        return self.section(tr(_CTX, "Outplacementuren"), [table, Spacer(1, 2), self.note(note)])

    def obligations(self) -> list:
        r, rules = self.r, self.r.rules
        front = (tr(_CTX, "{uren} uur in de eerste maand") if rules.frontload_months == 1 else
                 tr(_CTX, "{uren} uur in de eerste {maanden} maanden")).format(uren=rules.frontload_hours,
                                                                           maanden=rules.frontload_months)
        minimum = tr(_CTX, "{onder}/{boven} uur binnen de inschrijving ({m_onder}/{m_boven} maanden)").format(
            onder=rules.outplacement_hours_under, boven=rules.outplacement_hours_over,
            m_onder=rules.registration_months_under, m_boven=rules.registration_months_over)
        rows = [[label, *(_count(states[k]) for k in (REACHED, RUNNING, MISSED, UNKNOWN))]
                for label, states in ((front, r.frontload), (minimum, r.minimum_hours))]
        heads = [tr(_CTX, "Verplichting"), tr(_CTX, "Gehaald"), tr(_CTX, "Nog niet, termijn loopt"),
                 tr(_CTX, "Niet gehaald, termijn voorbij"), tr(_CTX, "Onbekend")]
        table = self.grid(heads, rows, [CONTENT_W - 100 * mm, 20 * mm, 27 * mm, 30 * mm, 23 * mm], numeric=4)
        note = tr(_CTX, "Aantal werknemers. De termijn loopt vanaf het ontslag (of de start van de cel). Onbekend: "
                        "geen ontslagdatum en geen startdatum van de cel, of voor de {onder}/{boven} uur ook geen "
                        "gekende leeftijd.").format(onder=rules.outplacement_hours_under,
                                                    boven=rules.outplacement_hours_over)
        return self.section(tr(_CTX, "Verplichtingen outplacement"), [table, Spacer(1, 2), self.note(note)])

    def isv(self) -> list:
        r, rules = self.r, self.r.rules
        years = rules.isv_min_seniority_years
        rows = [((tr(_CTX, "Recht: minstens 1 jaar anciënniteit bij de aankondiging") if years == 1 else
                  tr(_CTX, "Recht: minstens {n} jaar anciënniteit bij de aankondiging").format(n=years)),
                 r.isv[ISV_YES]),
                (tr(_CTX, "Geen recht: minder anciënniteit"), r.isv[ISV_NO]),
                (tr(_CTX, "Anciënniteit onbekend"), r.isv[ISV_UNKNOWN])]
        table = self.counts([tr(_CTX, "Inschakelingsvergoeding"), tr(_CTX, "Werknemers"), tr(_CTX, "Aandeel")], rows,
                            r.total)
        note = tr(_CTX, "Of de werkgever de inschakelingsvergoeding uitbetaalt, wordt niet bijgehouden in Werkbrug.")
        return self.section(tr(_CTX, "Inschakelingsvergoeding (ISV)"), [table, Spacer(1, 2), self.note(note)])

    def targets(self) -> list:
        r = self.r
        title = tr(_CTX, "Voorgestelde jobdoelwitten")
        if not r.targets:
            return self.section(title, [self.para(_esc(tr(_CTX, "Nog geen trajectplannen met jobdoelwitten.")))])
        rows = [[str(i), t.name, ", ".join(_reason_label(c) for c in t.reasons) if t.reasons else tr(_CTX, "nee"),
                 _count(t.workers)] for i, t in enumerate(r.targets, start=1)]
        table = self.grid([tr(_CTX, "Nr."), tr(_CTX, "Beroep"), tr(_CTX, "Knelpuntberoep (reden)"),
                           tr(_CTX, "Werknemers")], rows, [12 * mm, CONTENT_W - 92 * mm, 55 * mm, 25 * mm], numeric=1)
        plans = (tr(_CTX, "Uit het laatste trajectplan van 1 werknemer.") if r.workers_with_plan == 1 else
                 tr(_CTX, "Uit het laatste trajectplan van {n} werknemers.").format(n=r.workers_with_plan))
        notes = [plans, tr(_CTX, "Werknemers: aantal werknemers van wie het plan dit beroep als jobdoelwit noemt.")]
        rest = r.target_count - len(r.targets)
        if rest > 0:
            notes.append(tr(_CTX, "Nog 1 ander beroep wordt genoemd.") if rest == 1 else
                         tr(_CTX, "Nog {n} andere beroepen worden genoemd.").format(n=rest))
        return self.section(title, [table, Spacer(1, 2), self.note(" ".join(notes))])

    def appendix(self) -> list:
        # "ziek" next to a name is health data: the appendix names the worker as not available, without the
        # reason (the totals above still count the status)
        rows = [[surname, first, tr(_CTX, "Niet beschikbaar (reden niet vermeld)") if status == WorkerStatus.ZIEK.value
                 else _status_label(status)] for surname, first, status in self.r.roster]
        title = tr(_CTX, "Bijlage: werknemers en status")
        # on a page of its own, so that the totals can be handed out without it
        if not rows:
            return [PageBreak(), *self.section(title, [self.para(_esc(tr(_CTX, "Geen werknemers in dit dossier.")))])]
        table = self.grid([tr(_CTX, "Naam"), tr(_CTX, "Voornaam"), tr(_CTX, "Status")], rows,
                          [CONTENT_W * 0.34, CONTENT_W * 0.30, CONTENT_W * 0.36])
        note = tr(_CTX, "Enkel naam en status; de reden waarom iemand niet beschikbaar is, staat niet in dit rapport.")
        return [PageBreak(), *self.section(title, [table, Spacer(1, 2), self.note(note)])]


def page_texts() -> PlanTexts:
    """The texts of the page decoration (core.plan_pdf._decorate): "VERTROUWELIJK" and "Pagina x van y"."""
    return PlanTexts("nl", {"confidential": {"nl": tr(_CTX, "Vertrouwelijk")},
                            "page": {"nl": tr(_CTX, "Pagina {x} van {y}")}}, {})


def cell_report_story(report: CellReport, *, with_names: bool = False) -> list:
    """The flowables of the cell report (for tests and for write_cell_report_pdf)."""
    return _Writer(report, with_names).build()


def write_cell_report_pdf(report: CellReport, target: Path | str, *, with_names: bool = False) -> Path:
    """Write the cell report as a PDF (atomically: a failed write leaves no half file, and an open database,
    its key file or a folder is refused before anything is written). Names of workers only with
    ``with_names`` (an appendix with names and status)."""
    story = cell_report_story(report, with_names=with_names)
    with atomic_path(target) as tmp:
        doc = _doc(str(tmp), title=tr(_CTX, "Celrapport – {bedrijf}").format(bedrijf=report.dossier.company_name),
                   subject=tr(_CTX, "Celrapport voor het begeleidingscomité van de tewerkstellingscel"), lang="nl-BE")
        doc.build(story, canvasmaker=_PlanCanvas)
    return Path(target)
