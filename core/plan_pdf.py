"""The printed individual trajectory plan (individueel trajectplan) as a PDF, with reportlab platypus.

This is the document the worker takes home and signs, so it is laid out as a letter from a public
service: A4, an embedded Unicode font (DejaVu Sans, so names such as "Zoë Çelik-Lefèvre" print and
stay searchable), numbered section headings, light tables, "Pagina x van y" and "Vertrouwelijk" on
every page. All labels and legal texts come from resources/plan/ (see core.plan_text); the
language follows the worker's preferred language (French or Dutch).

Page decoration (running header, footer, page x of y) is drawn when the file is saved, because
only then the number of pages of each plan is known. The same mechanism restarts the numbering
for every plan in a combined dossier PDF.

Entry points: ``write_plan`` (one plan), ``write_plans`` (several plans into one PDF or a folder,
with progress and cancel callables so the GUI can run it in the background).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, FrameBreak, KeepTogether,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from core.cell_rules import CellFigures, CellRules, compute_figures
from core.competences import limit_hint, negation
from core.fileio import atomic_path, check_output_file, check_output_files
from core.model import Contact, Dossier, PlanStatus, TrajectoryPlan, Worker
from core.plan_text import (LabelLookup, PlanTexts, document_language, format_date, format_hours,
                            localise_duration, pdf_lang_tag, plan_texts)
from core.resources import resource_path
from core.validation import mask_insz
from core.version import __version__

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

BLUE = colors.HexColor("#1D3C6E")        # accent: headings, rules
BLUE_LIGHT = colors.HexColor("#E7EDF5")  # table header rows, meta box
GRID = colors.HexColor("#B9C3D0")
MUTED = colors.HexColor("#59626F")
TEXT = colors.HexColor("#1B1B1B")
ALERT = colors.HexColor("#A3161A")

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


# -- fonts and styles ----------------------------------------------------------------------------
_fonts_ready = False


def register_fonts() -> None:
    """Register the embedded DejaVu Sans family once (bold/italic markup maps to its faces)."""
    global _fonts_ready
    if _fonts_ready:
        return
    faces = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf",
             FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    _fonts_ready = True


def _style(name: str, **kw) -> ParagraphStyle:
    base = dict(fontName=FONT, bulletFontName=FONT, fontSize=9, leading=12.2, textColor=TEXT)
    base.update(kw)
    return ParagraphStyle(name, **base)


class _Styles:
    def __init__(self) -> None:
        self.body = _style("body", spaceAfter=3)
        self.small = _style("small", fontSize=8, leading=10.4)
        self.cell = _style("cell", fontSize=8.3, leading=10.6)
        self.tcell = _style("tcell", fontSize=7.6, leading=9.8)
        self.thead = _style("thead", fontName=FONT_BOLD, fontSize=7.6, leading=9.8, textColor=BLUE)
        self.cell_head = _style("cell_head", fontName=FONT_BOLD, fontSize=8.3, leading=10.6, textColor=BLUE)
        self.label = _style("label", fontSize=8.3, leading=10.6, textColor=MUTED)
        self.note = _style("note", fontName=FONT_ITALIC, fontSize=8, leading=10.4, textColor=MUTED, spaceAfter=3)
        self.title = _style("title", fontName=FONT_BOLD, fontSize=20, leading=24, textColor=BLUE)
        self.subtitle = _style("subtitle", fontSize=11, leading=14, textColor=TEXT, spaceAfter=8)
        self.sub = _style("sub", fontName=FONT_BOLD, fontSize=9.5, leading=12, textColor=BLUE, spaceBefore=7,
                          spaceAfter=3, keepWithNext=1)
        self.bullet = _style("bullet", leftIndent=11, bulletIndent=2, spaceAfter=2.5)
        self.legal = _style("legal", fontSize=8.2, leading=10.8, spaceAfter=2.5)
        self.right = _style("right", fontSize=8.3, leading=10.6, alignment=TA_RIGHT, textColor=BLUE,
                            fontName=FONT_BOLD)


_styles: _Styles | None = None


def styles() -> _Styles:
    global _styles
    register_fonts()
    if _styles is None:
        _styles = _Styles()
    return _styles


def _esc(text: object) -> str:
    return escape(str(text or ""))


# -- input ---------------------------------------------------------------------------------------
@dataclass
class PlanInput:
    """Everything one printed plan shows. ``stored`` is False for a concept built from the worker."""
    plan: TrajectoryPlan
    worker: Worker
    dossier: Dossier | None = None
    contacts: list[Contact] = field(default_factory=list)
    rules: CellRules = field(default_factory=CellRules)
    counsellor_contact: str = ""
    stored: bool = True
    counsellor_name: str = ""   # the counsellor as printed (the account's name); default: the stored value


@dataclass
class _PageInfo:
    key: int
    texts: PlanTexts
    running_left: str
    running_right: str
    footer_name: str        # shortened with an ellipsis when the footer has no room for it
    footer_suffix: str      # after the name: "Versie 2"


# -- flowables -----------------------------------------------------------------------------------
class _SectionHeading(Flowable):
    """Numbered section heading with a thin accent rule; stays with the content that follows."""

    def __init__(self, number: int, text: str):
        super().__init__()
        self.number, self.text = number, text
        self.keepWithNext = True
        self.height = 27

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.height

    def draw(self):
        c = self.canv
        c.setFillColor(BLUE)
        c.setFont(FONT_BOLD, 12)
        number = f"{self.number}."
        c.drawString(0, 8, number)
        c.drawString(max(18, pdfmetrics.stringWidth(number, FONT_BOLD, 12) + 6), 8, self.text)
        c.setStrokeColor(BLUE)
        c.setLineWidth(0.7)
        c.line(0, 3, self.width, 3)


class _HeadWithTable(KeepTogether):
    """A heading (or a few flowables) followed by a table that may run over pages.

    Platypus keeps a ``keepWithNext`` heading together with the whole of the next flowable, so a
    long table moved to the next page with its heading and left most of a page empty. Here the
    heading goes to the next page only when it would stand there without the start of the table
    (``min_start`` below it), or when the whole block is short enough to be kept in one piece
    (``keep_whole``). Otherwise the table starts under its heading and continues on the next
    page, where its header row is repeated (``repeatRows`` of the table).
    """

    def __init__(self, head: list[Flowable], table: Flowable, *, min_start: float = 22 * mm,
                 keep_whole: float = 45 * mm):
        for f in head:
            f.__dict__["keepWithNext"] = 0          # the grouping is done here, not by the document
        super().__init__([*head, table])
        self._head, self._table = head, table
        self._min_start, self._keep_whole = min_start, keep_whole

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        if self._H <= aH:
            return content
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        head_h = sum(f.wrap(aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self._head)
        if not at_top and (self._H <= self._keep_whole or head_h + self._min_start > aH):
            return [FrameBreak()] + content
        return content


class _PlanStart(Flowable):
    """Zero-size marker: tells the canvas which plan the following pages belong to."""

    def __init__(self, info: _PageInfo, outline: str):
        super().__init__()
        self.info, self.outline = info, outline

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        c = self.canv
        c._plan_info = self.info
        name = f"plan{self.info.key}"
        c.bookmarkPage(name)
        c.addOutlineEntry(self.outline, name, level=0)


class _PlanCanvas(Canvas):
    """Keeps the pages until save() so that each plan's page count is known for "Pagina x van y"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plan_info: _PageInfo | None = None
        self._held: list[dict] = []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        totals: dict[int, int] = {}
        for state in self._held:
            info = state["_plan_info"]
            key = info.key if info else -1
            totals[key] = totals.get(key, 0) + 1
        seen: dict[int, int] = {}
        for state in self._held:
            self.__dict__.update(state)
            info = state["_plan_info"]
            key = info.key if info else -1
            seen[key] = seen.get(key, 0) + 1
            if info is not None:
                _decorate(self, info, seen[key], totals[key])
            Canvas.showPage(self)
        self._held = []
        Canvas.save(self)


def _decorate(c: Canvas, info: _PageInfo, page: int, total: int) -> None:
    t = info.texts
    c.saveState()
    if page == 1:
        c.setFillColor(BLUE)
        c.rect(MARGIN_X, PAGE_H - 13 * mm, CONTENT_W, 2.2 * mm, stroke=0, fill=1)
    else:
        y = PAGE_H - 14 * mm
        c.setFont(FONT, 7.5)
        c.setFillColor(MUTED)
        c.drawString(MARGIN_X, y, info.running_left)
        c.drawRightString(PAGE_W - MARGIN_X, y, info.running_right)
        c.setStrokeColor(BLUE)
        c.setLineWidth(0.6)
        c.line(MARGIN_X, y - 2.5 * mm, PAGE_W - MARGIN_X, y - 2.5 * mm)
    y = 12 * mm
    c.setStrokeColor(GRID)
    c.setLineWidth(0.4)
    c.line(MARGIN_X, y + 4 * mm, PAGE_W - MARGIN_X, y + 4 * mm)
    left, right = t("confidential").upper(), t("page", x=page, y=total)
    c.setFont(FONT_BOLD, 7.5)
    c.setFillColor(BLUE)
    c.drawString(MARGIN_X, y, left)
    c.setFont(FONT, 7.5)
    c.setFillColor(MUTED)
    c.drawRightString(PAGE_W - MARGIN_X, y, right)
    text, x = _footer_center(info, pdfmetrics.stringWidth(left, FONT_BOLD, 7.5), pdfmetrics.stringWidth(right, FONT, 7.5))
    if text:
        c.drawCentredString(x, y, text)
    c.restoreState()


FOOTER_GAP = 5 * mm


def _footer_center(info: _PageInfo, left_w: float, right_w: float) -> tuple[str, float]:
    """The footer's middle text and the x of its centre: centred on the page when it fits between
    "VERTROUWELIJK" and "Pagina x van y", else centred in the room between them with the name
    shortened (the version is always shown)."""
    start, end = MARGIN_X + left_w + FOOTER_GAP, PAGE_W - MARGIN_X - right_w - FOOTER_GAP
    suffix = f" · {info.footer_suffix}"
    text = f"{info.footer_name}{suffix}"
    width = pdfmetrics.stringWidth(text, FONT, 7.5)
    half_room = min(PAGE_W / 2 - start, end - PAGE_W / 2)
    if width / 2 <= half_room:
        return text, PAGE_W / 2
    room = end - start
    name = _fit(info.footer_name, room - pdfmetrics.stringWidth(suffix, FONT, 7.5))
    text = f"{name}{suffix}" if name.strip("…") else _fit(info.footer_suffix, room)
    return text, (start + end) / 2


# -- document body -------------------------------------------------------------------------------
def _fit(text: str, width: float, font: str = FONT, size: float = 7.5) -> str:
    """Shorten a running-header text with an ellipsis so that it fits the width."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


CELL_PAD = 6 + 1      # left and right padding of a table cell, and a point to spare


def _column_widths(words: list[list[tuple[str, str, float]]], total: float, main: int = 0,
                   most: float = 45 * mm, main_share: float = 0.3, cheap: float = 15 * mm) -> list[float]:
    """Column widths in which no word is cut.

    Texts come as (text, font, size) per column. Every column gets the width of its longest word;
    then the columns that need little more for their longest text on one line get it (dates,
    durations, statuses: at most ``cheap`` more); then the ``main`` column up to ``main_share`` of
    the width, as far as its texts need it; then the other columns room for their longest text on
    one line (at most ``most``, shared in proportion to what each lacks when there is not enough);
    the rest goes to the main column. Only when even the longest words do not fit are the columns
    narrowed (and a word cut).
    """
    def width(text: str, font: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, font, size)

    need = [max((width(w, f, z) for text, f, z in col for w in text.split()), default=0) + CELL_PAD for col in words]
    line = [min(most, max((width(" ".join(text.split()), f, z) for text, f, z in col), default=0) + CELL_PAD)
            for col in words]
    spare = total - sum(need)
    if spare < 0:
        return [n * total / sum(need) for n in need]
    widths = list(need)

    def give(columns: list[int], target: Callable[[int], float]) -> None:
        nonlocal spare
        lack = {i: max(0.0, target(i) - widths[i]) for i in columns}
        wanted = sum(lack.values())
        for i, d in lack.items():
            widths[i] += d if wanted <= spare else spare * d / wanted
        spare -= min(wanted, spare)

    others = [i for i in range(len(widths)) if i != main]
    give(sorted(i for i in others if line[i] - widths[i] <= cheap), lambda i: line[i])
    give([main], lambda i: min(max(line[i], need[i]), total * main_share))
    give(others, lambda i: line[i])
    widths[main] += spare
    return widths


def _table(rows, widths, *, header: bool = True, repeat: bool = True, zebra: bool = False) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1 if header and repeat else 0, hAlign="LEFT")
    cmds = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.3),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), BLUE_LIGHT))
    t.setStyle(TableStyle(cmds))
    return t


def _kv_table(pairs: list[tuple[str, str]], label_w: float = 52 * mm) -> Table:
    s = styles()
    rows = [[Paragraph(_esc(k), s.label), Paragraph(v, s.cell)] for k, v in pairs]
    t = Table(rows, colWidths=[label_w, CONTENT_W - label_w], hAlign="LEFT")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.3),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


class _Builder:
    """Builds the flowables of one plan."""

    def __init__(self, data: PlanInput, today: dt.date, lookup: LabelLookup | None):
        self.d = data
        self.w = data.worker
        self.p = data.plan
        self.today = today
        self.lookup = lookup
        self.lang = document_language(self.w.preferred_language)
        self.t = plan_texts(self.lang)
        self.s = styles()
        self.n = 0

    # helpers
    def name_for(self, kind: str, key: str, fallback: str) -> str:
        if self.lookup is not None and self.lang != "nl" and key:
            try:
                found = self.lookup(kind, key, self.lang)
            except Exception:  # noqa: BLE001 - reference data must never stop a print
                found = None
            if found:
                return found
        return fallback

    def certificate_name(self, cert) -> str:
        """A certificate as the worker reads it: in a French plan under the reference's French name, with the
        name as written on the worker's file after it (the document he holds often carries that name)."""
        typed = (cert.label or "").strip()
        translated = self.name_for("competence", cert.kind, "") if cert.kind else ""
        if not translated:
            return typed or cert.kind
        if not typed or typed.casefold() == translated.casefold():
            return translated
        return f"{translated} ({typed})"

    def hours_key(self, key: str, hours: float) -> str:
        """The label for a number of hours: its "_one" form below 2 in French ("0 heure utilisée")."""
        return f"{key}_one" if self.lang == "fr" and abs(hours) < 2 else key

    def colon(self, label: str) -> str:
        """A label followed by a colon, with the French space before it."""
        return f"{label} :" if self.lang == "fr" else f"{label}:"

    def heading(self, key: str) -> Flowable:
        self.n += 1
        return _SectionHeading(self.n, self.t(key))

    def p_(self, text: str, style=None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def cell(self, text: str) -> Paragraph:
        return Paragraph(text, self.s.cell)

    def head(self, text: str) -> Paragraph:
        return Paragraph(_esc(text), self.s.cell_head)

    # header info
    def cell_name(self) -> str:
        company = self.d.dossier.company_name if self.d.dossier else ""
        return self.t("cell", company=company).strip()

    def version_text(self) -> str:
        return str(self.p.version) if self.d.stored else f"{self.p.version} ({self.t.value('plan_status', 'concept')})"

    def page_info(self, key: int) -> _PageInfo:
        t = self.t
        dossier = self.d.dossier.id if self.d.dossier and self.d.dossier.id is not None else ""
        right = f"{t('dossier')} {dossier} · {t('version')} {self.p.version} · {format_date(self.today)}"
        left = _fit(f"{t('title')} · {self.cell_name()}", CONTENT_W - pdfmetrics.stringWidth(right, FONT, 7.5) - 12)
        return _PageInfo(key, t, left, right, self.w.full_name, f"{t('version')} {self.p.version}")

    # sections
    def build(self, key: int) -> list[Flowable]:
        story: list[Flowable] = [_PlanStart(self.page_info(key), f"{self.w.full_name} ({self.t('version')} "
                                                                   f"{self.p.version})")]
        story += self.title_block()
        for section in (self.parties, self.framework, self.balance, self.targets, self.actions, self.agreements,
                        self.followup, self.rights, self.privacy, self.signatures):
            story.append(CondPageBreak(32 * mm))   # never a heading alone at the foot of a page
            story += section()
        return story

    def title_block(self) -> list[Flowable]:
        t, s, d = self.t, self.s, self.d
        dossier = d.dossier
        out: list[Flowable] = [Spacer(1, 2 * mm), Paragraph(_esc(t("title")), s.title),
                               Paragraph(_esc(self.cell_name()), s.subtitle)]
        company = _esc(dossier.company_name) if dossier else ""
        if dossier and dossier.kbo_number:
            from core.validation import format_kbo
            company += f"<br/><font color='#59626F'>{_esc(t('kbo'))} {_esc(format_kbo(dossier.kbo_number))}</font>"
        status = t.value("plan_status", PlanStatus(self.p.status).value)
        heads = [t("company"), t("dossier"), t("version"), t("date"), t("status")]
        vals = [company, _esc(dossier.id if dossier and dossier.id is not None else ""), _esc(self.p.version),
                format_date(self.today), _esc(status)]
        meta = Table([[Paragraph(_esc(h), s.label) for h in heads], [Paragraph(v, s.cell) for v in vals]],
                     colWidths=[66 * mm, 22 * mm, 18 * mm, 24 * mm, 40 * mm], hAlign="LEFT")
        meta.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), BLUE_LIGHT),
            ("FONT", (0, 0), (-1, -1), FONT, 8.3),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, 0), 4),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ]))
        out.append(meta)
        if not d.stored:
            out.append(Spacer(1, 2 * mm))
            out.append(Paragraph(_esc(t("unsaved_note")), s.note))
        return out

    def parties(self) -> list[Flowable]:
        t, w = self.t, self.w
        lines = [f"<b>{_esc(w.full_name)}</b>",
                 f"{_esc(self.colon(t('insz')))} {_esc(mask_insz(w.insz)) if w.insz else _esc(t('not_known'))}"]
        address = ", ".join(x for x in (w.street, f"{w.postcode} {w.municipality}".strip()) if x)
        if address:
            lines.append(_esc(address))
        if w.phone:
            lines.append(f"{_esc(self.colon(t('phone')))} {_esc(w.phone)}")
        if w.email:
            lines.append(f"{_esc(self.colon(t('email')))} {_esc(w.email)}")
        counsellor = self.d.counsellor_name or self.p.counsellor or w.counsellor
        c_lines = [f"<b>{_esc(counsellor or t('not_known'))}</b>", _esc(t("counsellor_unit"))]
        if self.d.counsellor_contact:
            c_lines.append(_esc(self.d.counsellor_contact))
        bureau = self.d.dossier.outplacement_bureau if self.d.dossier else ""
        b_lines = [f"<b>{_esc(bureau)}</b>" if bureau else _esc(t("not_known"))]
        width = CONTENT_W / 3
        rows = [[self.head(t("worker")), self.head(t("counsellor")), self.head(t("bureau"))],
                [self.cell("<br/>".join(lines)), self.cell("<br/>".join(c_lines)), self.cell("<br/>".join(b_lines))]]
        return [self.heading("h_parties"), _table(rows, [width] * 3, repeat=False)]

    def figures(self) -> CellFigures:
        return compute_figures(self.w, self.d.dossier, self.d.contacts, self.d.rules)

    def framework(self) -> list[Flowable]:
        t, f, rules = self.t, self.figures(), self.d.rules
        unknown = _esc(t("not_known_f"))                 # a date, an inscription, an indemnité: feminine in French
        pairs = [(t("dismissal_date"), format_date(self.w.dismissal_date) or unknown)]
        if f.age_at_announcement is not None:
            pairs.append((t("age_at_announcement"), _esc(t("age_years", n=f.age_at_announcement))))
        if f.min_registration_months and f.registration_start and f.registration_end:
            reg = t("registration_value", months=f.min_registration_months, start=format_date(f.registration_start),
                    end=format_date(f.registration_end))
        elif f.min_registration_months:
            reg = t("registration_months", months=f.min_registration_months)
        else:
            reg = t("not_known_f")
        pairs.append((t("registration"), _esc(reg)))
        if f.isv_eligible is True:
            isv = t("isv_yes", months=f.isv_months) if f.isv_months else t("isv_yes_unknown")
        elif f.isv_eligible is False:
            isv = t("isv_no", years=rules.isv_min_seniority_years)
        else:
            isv = t("not_known_f")
        pairs.append((t("isv"), _esc(isv)))
        used = format_hours(f.hours_used)
        hours = t(self.hours_key("hours_value", f.hours_used), min=f.min_outplacement_hours, used=used) \
            if f.min_outplacement_hours else t(self.hours_key("hours_used_only", f.hours_used), used=used)
        pairs.append((t("outplacement_hours"), _esc(hours)))
        if f.frontload_deadline:
            pairs.append((t("frontload", months=rules.frontload_months),
                          _esc(t(self.hours_key("frontload_value", f.hours_in_frontload), hours=f.frontload_hours,
                                 deadline=format_date(f.frontload_deadline),
                                 done=format_hours(f.hours_in_frontload)))))
        return [self.heading("h_framework"), _kv_table(pairs)]

    def balance(self) -> list[Flowable]:
        t, w, s = self.t, self.w, self.s
        out: list[Flowable] = [self.heading("h_balance")]
        # education
        out.append(Paragraph(_esc(t("education")), s.sub))
        group = t.value("education_group_value", w.education_group.value) if w.education_group else ""
        out.append(_kv_table([(t("diploma"), _esc(w.highest_diploma or t("not_known"))),
                              (t("education_group"), _esc(group or t("not_known"))),
                              (t("vks"), _esc(w.vks_level if w.vks_level is not None else t("not_known")))]))
        # experience
        if w.experiences:
            rows = []
            for e in w.experiences:
                period = " – ".join(x for x in (format_date(e.start_date), format_date(e.end_date)) if x)
                title = f"<b>{_esc(e.job_title)}</b>" + (f", {_esc(e.employer)}" if e.employer else "")
                extra = f"<br/><font color='#59626F'>{_esc(e.tasks)}</font>" if e.tasks else ""
                rows.append([self.cell(title + extra), self.cell(_esc(period))])
            tbl = Table(rows, colWidths=[CONTENT_W - 45 * mm, 45 * mm], hAlign="LEFT")
            tbl.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID), ("LINEABOVE", (0, 0), (-1, 0), 0.4, GRID),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            out.append(_HeadWithTable([Paragraph(_esc(t("experience")), s.sub)], tbl))
        # competences (only the worker's competences: never a negation or a limit typed among them)
        known, other = self.competence_lists()
        if known:
            out.append(self.competence_table(known))
        if other:
            out.append(Paragraph(_esc(t("other_skills")), s.sub))
            out.append(Paragraph(_esc("; ".join(other)), s.body))
        # certificates
        if w.certificates:
            out.append(Paragraph(_esc(t("certificates")), s.sub))
            rows = []
            for cert in w.certificates:
                label = self.certificate_name(cert)
                got = t("obtained", date=format_date(cert.date_obtained)) if cert.date_obtained else ""
                if cert.is_expired(self.today):
                    valid = f"<font color='#A3161A'><b>{_esc(t('expired', date=format_date(cert.expiry_date)))}</b></font>"
                elif cert.expiry_date:
                    valid = _esc(t("expires", date=format_date(cert.expiry_date)))
                else:
                    valid = ""
                rows.append([self.cell(f"<b>{_esc(label)}</b>"), self.cell(_esc(got)), self.cell(valid)])
            tbl = Table(rows, colWidths=[70 * mm, 45 * mm, CONTENT_W - 115 * mm], hAlign="LEFT")
            tbl.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID), ("LINEABOVE", (0, 0), (-1, 0), 0.4, GRID),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            out.append(tbl)
        # languages
        if w.languages:
            out.append(Paragraph(_esc(t("languages")), s.sub))
            rows = [[self.head(t(k)) for k in ("language", "listening", "speaking", "reading", "writing")]]
            for lg in w.languages:
                rows.append([self.cell(_esc(t.value("language_name", lg.language)))] +
                            [self.cell(_esc(v or "–")) for v in (lg.listening, lg.speaking, lg.reading, lg.writing)])
            out.append(_table(rows, [50 * mm] + [(CONTENT_W - 50 * mm) / 4] * 4, repeat=False))
            out.append(Paragraph(_esc(t("cefr_note")), s.note))
        # mobility and preferences
        m, pref = w.mobility, w.preferences
        mob = []
        if m.driving_licences:
            mob.append(t("licences", list=", ".join(m.driving_licences)))
        mob += [t(k) for k, on in (("own_car", m.own_car), ("public_transport", m.public_transport),
                                   ("bicycle", m.bicycle)) if on]
        if m.max_commute_minutes:
            mob.append(t("max_commute", minutes=m.max_commute_minutes))
        prefs = [t(k) for k, off in (("no_shifts", not pref.accepts_shifts), ("no_nights", not pref.accepts_nights),
                                     ("no_weekends", not pref.accepts_weekends)) if off]
        if pref.willing_to_train:
            prefs.append(t("willing_to_train"))
        if pref.region:
            prefs.append(pref.region)
        pairs = [(t("mobility"), _esc("; ".join(mob) or t("not_known_f")))]
        if prefs:
            pairs.append((t("preferences"), _esc("; ".join(prefs))))
        # functional limitations: special-category data, only when the plan says so and only the printable ones
        if self.p.print_limitations:
            lims = [t.value("limitation_kind", lim.kind) + (f" ({lim.note})" if lim.note else "")
                    for lim in w.limitations if lim.printable]
            if lims:
                pairs.append((t("limitations"), _esc("; ".join(lims))))
        out.append(Spacer(1, 2 * mm))
        out.append(_kv_table(pairs))
        return out

    def competence_lists(self) -> tuple[list[tuple[str, int]], list[str]]:
        """The worker's competences to print, as (name, level), and the other typed skills.

        A recognised competence prints under its label in the document language, in Dutch as in French
        (the label the targets and actions of the plan use as well; a phrase naming two competences,
        "tig lassen rvs", prints both). Without reference data it prints as typed. A phrase that was not
        recognised prints in the worker's own words, without a level, in a separate list, unless it
        negates ("geen nachtwerk") or reads like a limit or a health complaint ("hoogtevrees",
        "rugklachten"): those are no skills, and health data only goes on paper through the functional
        limitations, when the plan says so. A recognised phrase that reads like that ("geen
        hoogtevrees" for working at heights) prints as the competence's label, or not at all without
        reference data. The same name twice prints once, with the highest level.
        """
        known: dict[str, tuple[str, int]] = {}
        other: dict[str, str] = {}
        for c in self.w.competences:
            text = " ".join((c.text or "").split())
            reads_as_limit = bool(text) and (negation(text) is not None or limit_hint(text))
            if c.competence_id:
                name = self.label_for(c.competence_id) or self.name_for("competence", text, "")
                if not name and not reads_as_limit:
                    name = text
                if not name:
                    continue
                key = name.casefold()
                level = max(c.level, known[key][1]) if key in known else c.level
                known[key] = (known.get(key, (name, 0))[0], level)
            elif text and not reads_as_limit:
                other.setdefault(text.casefold(), text)
        return list(known.values()), [text for key, text in other.items() if key not in known]

    def label_for(self, competence_id: str) -> str:
        """The label of a competence in the document language from the reference data, or ""."""
        if self.lookup is None or not competence_id:
            return ""
        try:
            return self.lookup("competence", competence_id, self.lang) or ""
        except Exception:  # noqa: BLE001 - reference data must never stop a print
            return ""

    def competence_table(self, items: list[tuple[str, int]]) -> Flowable:
        """Two competences a row, each with its level; the header row repeats on every page."""
        t, s = self.t, self.s
        level_w = 16 * mm
        name_w = CONTENT_W / 2 - level_w
        head = [Paragraph(_esc(t("competence")), s.thead), Paragraph(_esc(t("level")), s.thead)] * 2
        rows = [head]
        cells = [[self.cell(_esc(name)), self.cell(_esc(f"{level}/4"))] for name, level in items]
        for i in range(0, len(cells), 2):
            rows.append(cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]))
        tbl = Table(rows, colWidths=[name_w, level_w] * 2, repeatRows=1, hAlign="LEFT")
        tbl.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 8.3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), BLUE_LIGHT),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID), ("LINEABOVE", (0, 0), (-1, 0), 0.4, GRID),
            ("LINEAFTER", (1, 0), (1, -1), 0.4, GRID),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return _HeadWithTable([Paragraph(_esc(t("competences")), s.sub)], tbl)

    def targets(self) -> list[Flowable]:
        t, s = self.t, self.s
        heading = self.heading("h_targets")
        out: list[Flowable] = []
        if not self.p.targets:
            return [heading, Paragraph(_esc(t("no_targets")), s.body)]
        for i, tg in enumerate(self.p.targets, 1):
            name = self.name_for("occupation", tg.occupation_id, tg.name)
            score = f"{self.colon(t('match'))} {round(tg.score * 100)} %" if tg.score is not None else ""
            title = Table([[Paragraph(f"{i}. {_esc(name)}", self.s.cell_head), Paragraph(_esc(score), s.right)]],
                          colWidths=[CONTENT_W - 78 * mm, 70 * mm], hAlign="LEFT")
            title.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.3), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                       ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            rows = [[title, ""]]
            # the explanation in the worker's language; the reference data's code (KWANT, ...) means nothing to him
            reasons = [("• " if len(tg.reasons) > 1 else "") + _esc(t.value("reason", r)) for r in tg.reasons]
            rows.append([Paragraph(_esc(t("bottleneck")), s.label),
                         self.cell("<br/>".join(reasons) if reasons else _esc(t("not_bottleneck")))])
            for key, items in (("matched", tg.matched), ("missing_essential", tg.missing_essential),
                               ("missing_optional", tg.missing_optional)):
                if items:
                    names = [self.name_for("competence", c, c) for c in items]
                    rows.append([Paragraph(_esc(t(key)), s.label), self.cell(_esc(", ".join(names)))])
            tbl = Table(rows, colWidths=[52 * mm, CONTENT_W - 52 * mm], hAlign="LEFT")
            tbl.setStyle(TableStyle([
                ("FONT", (0, 0), (-1, -1), FONT, 8.3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("SPAN", (0, 0), (1, 0)),
                ("BACKGROUND", (0, 0), (-1, 0), BLUE_LIGHT), ("BOX", (0, 0), (-1, -1), 0.4, GRID),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
            # the section heading stays with the first target (it was left alone at the foot of a page)
            out.append(KeepTogether(([heading] if i == 1 else []) + [tbl, Spacer(1, 3 * mm)]))
        return out

    def actions(self) -> list[Flowable]:
        t = self.t
        heading = self.heading("h_actions")
        if not self.p.actions:
            return [heading, Paragraph(_esc(t("no_actions")), self.s.body)]
        cols = ("col_action", "col_kind", "col_provider", "col_start", "col_end", "col_responsible", "col_status")
        s = self.s
        rows = [[Paragraph(_esc(t(c)), s.thead) for c in cols]]
        words: list[list[tuple[str, str, float]]] = [[(t(c), FONT_BOLD, 7.6)] for c in cols]
        for a in self.p.actions:
            title = self.action_title(a)
            desc = f"<b>{_esc(title)}</b>"
            names = ""
            if a.competences:
                names = ", ".join(self.name_for("competence", c, c) for c in a.competences)
                desc += f"<br/><font color='#59626F' size='7'>{_esc(t('action_competences', list=names))}</font>"
            end = format_date(a.end_date) or localise_duration(a.duration, self.lang)
            plain = [t.value("action_kind", a.kind), t.value("provider", a.provider), format_date(a.start_date), end,
                     a.responsible, t.value("action_status", a.status)]
            rows.append([Paragraph(desc, s.tcell)] + [Paragraph(_esc(c), s.tcell) for c in plain])
            words[0] += [(title, FONT_BOLD, 7.6), (names, FONT, 7)]
            for i, c in enumerate(plain, 1):
                words[i].append((c or "", FONT, 7.6))
        widths = _column_widths(words, CONTENT_W)
        return [_HeadWithTable([heading], _table(rows, widths), min_start=26 * mm)]

    def action_title(self, a) -> str:
        """The action as written by the counsellor; a training of the reference data still under its
        catalogue name prints under its name in the document language."""
        if a.training_id and self.lang != "nl":
            return self.name_for("training", a.description, a.description)
        return a.description

    def agreements(self) -> list[Flowable]:
        text = (self.p.agreements or "").strip()
        out: list[Flowable] = [self.heading("h_agreements")]
        if not text:
            return out + [Paragraph(_esc(self.t("no_agreements")), self.s.body)]
        for block in re.split(r"\n\s*\n", text):
            out.append(Paragraph(_esc(block).replace("\n", "<br/>"), self.s.body))
        return out

    def followup(self) -> list[Flowable]:
        t, s = self.t, self.s
        out: list[Flowable] = [self.heading("h_followup")]
        dates = sorted(d for d in self.p.followups if d)
        if not dates:
            return out + [Paragraph(_esc(t("no_followups")), s.body)]
        out.append(Paragraph(_esc(t("followup_intro")), s.body))
        out += [Paragraph(format_date(d), s.bullet, bulletText="•") for d in dates]
        return out

    def rights(self) -> list[Flowable]:
        s, rules = self.s, self.d.rules
        out: list[Flowable] = [self.heading("h_rights")]
        for section in ("rights", "duties"):
            heading, items = self.t.legal_items(section, rules, self.w.postcode)
            out.append(Paragraph(_esc(heading), s.sub))
            out += [Paragraph(_esc(item), s.bullet, bulletText="•") for item in items]
        consequence = self.t.legal_text("consequences", "text", rules, self.w.postcode)
        if consequence:
            out.append(Paragraph(_esc(consequence), s.note))
        return out

    def privacy(self) -> list[Flowable]:
        s = self.s
        out: list[Flowable] = [self.heading("h_privacy")]
        heading = self.t.legal_text("privacy", "heading")
        if heading:
            out.append(Paragraph(_esc(heading), s.sub))
        for key in ("controller", "purpose", "legal_basis", "recipients", "retention", "rights", "dpo", "complaint"):
            text = self.t.legal_text("privacy", key, self.d.rules)
            if not text:
                continue
            cut = text.find(":")
            html = f"<b>{_esc(text[:cut + 1])}</b>{_esc(text[cut + 1:])}" if 0 < cut < 60 else _esc(text)
            out.append(Paragraph(html, s.legal))
        return out

    def signatures(self) -> list[Flowable]:
        t, s = self.t, self.s
        counsellor = self.d.counsellor_name or self.p.counsellor or self.w.counsellor

        def block(role: str, name: str) -> list[list]:
            return [[self.head(role)], [self.cell(f"<b>{_esc(name)}</b>" if name else "")],
                    [self.cell(f"{_esc(self.colon(t('place')))} " + "." * 48)],
                    [self.cell(f"{_esc(self.colon(t('date')))} " + "." * 48)],
                    [self.cell(f"<i>„{_esc(t('read_approved'))}”</i>" if self.lang == "nl"
                               else f"<i>« {_esc(t('read_approved'))} »</i>")],
                    [self.cell(_esc(self.colon(t("signature"))))], [""]]

        left, right = block(t("sign_worker"), self.w.full_name), block(t("sign_counsellor"), counsellor)
        rows = [[a[0], "", b[0]] for a, b in zip(left, right)]
        gap = 8 * mm
        col = (CONTENT_W - gap) / 2
        tbl = Table(rows, colWidths=[col, gap, col], rowHeights=[None] * 6 + [24 * mm], hAlign="LEFT")
        tbl.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 8.3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, 0), BLUE_LIGHT), ("BACKGROUND", (2, 0), (2, 0), BLUE_LIGHT),
            ("BOX", (0, 0), (0, -1), 0.4, GRID), ("BOX", (2, 0), (2, -1), 0.4, GRID),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return [KeepTogether([self.heading("h_signatures"), Paragraph(_esc(t("sign_instruction")), s.body),
                              Spacer(1, 1.5 * mm), tbl])]


# -- writing -------------------------------------------------------------------------------------
def plan_story(data: PlanInput, key: int = 0, *, today: dt.date | None = None,
               label_lookup: LabelLookup | None = None) -> list[Flowable]:
    """The flowables of one plan (its first flowable marks the start for page numbering)."""
    return _Builder(data, today or dt.date.today(), label_lookup).build(key)


def _doc(target, *, title: str, subject: str, lang: str) -> BaseDocTemplate:
    register_fonts()
    doc = BaseDocTemplate(target, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=title, author="Werkbrug", subject=subject,
                          creator=f"Werkbrug {__version__}", producer=f"Werkbrug {__version__}", lang=lang,
                          initialFontName=FONT, initialFontSize=9, pageCompression=1, invariant=0)
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="plan", frames=[frame])])
    return doc


def write_plan(data: PlanInput, out: str | os.PathLike | BinaryIO, *, today: dt.date | None = None,
               label_lookup: LabelLookup | None = None) -> int:
    """Write one plan as a PDF to a path or binary file; returns the number of pages."""
    lang = document_language(data.worker.preferred_language)
    texts = plan_texts(lang)
    title = f"{texts('title')} – {data.worker.full_name} – {texts('version')} {data.plan.version}"
    story = plan_story(data, 0, today=today, label_lookup=label_lookup)
    if not isinstance(out, (str, os.PathLike)):
        doc = _doc(out, title=title, subject=texts("subject"), lang=pdf_lang_tag(lang))
        doc.build(story, canvasmaker=_PlanCanvas)
        return doc.page
    with atomic_path(os.fspath(out)) as tmp:        # a failed print never leaves half a PDF
        doc = _doc(str(tmp), title=title, subject=texts("subject"), lang=pdf_lang_tag(lang))
        doc.build(story, canvasmaker=_PlanCanvas)
    return doc.page


def plan_pdf_bytes(data: PlanInput, **kw) -> bytes:
    buf = io.BytesIO()
    write_plan(data, buf, **kw)
    return buf.getvalue()


def plan_filename(data: PlanInput) -> str:
    """A safe, recognisable file name: trajectplan_<surname>_<first names>_<worker id>_v<version>.pdf."""
    def slug(text: str) -> str:
        ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-") or "x"
    w = data.worker
    return f"trajectplan_{slug(w.surname)}_{slug(w.first_names)}_{w.id if w.id is not None else 0}_v{data.plan.version}.pdf"


@dataclass
class BatchResult:
    written: list[PlanInput] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    cancelled: bool = False
    pages: int = 0


def write_plans(ids: Sequence[int], load: Callable[[int], PlanInput], *, out_dir: str | os.PathLike | None = None,
                single: str | os.PathLike | None = None, today: dt.date | None = None,
                label_lookup: LabelLookup | None = None, progress: ProgressFn | None = None,
                is_cancelled: CancelFn | None = None, title: str = "") -> BatchResult:
    """Print the plans of many workers: one PDF per worker in ``out_dir`` or all in one ``single`` PDF.

    ``load(worker_id)`` returns what to print (the caller reads the database). In a combined PDF
    every plan starts on a new page, with its own "Pagina x van y" and a bookmark. When cancelled,
    a combined PDF is not written; separate files written so far stay. Every target is checked
    (``core.fileio.check_output_file``: not a folder, a device or a file of the open database)
    before the first one is written.
    """
    if (out_dir is None) == (single is None):
        raise ValueError("give exactly one of out_dir or single")
    progress = progress or (lambda f, t: None)
    is_cancelled = is_cancelled or (lambda: False)
    today = today or dt.date.today()
    result = BatchResult()
    total = max(1, len(ids))
    if out_dir is not None:
        folder = Path(out_dir)
        loaded: list[tuple[PlanInput, Path]] = []
        for wid in ids:
            if is_cancelled():
                result.cancelled = True
                return result
            data = load(wid)
            loaded.append((data, folder / plan_filename(data)))
        check_output_files(path for _, path in loaded)     # every target is checked before any is written
        folder.mkdir(parents=True, exist_ok=True)
        for i, (data, path) in enumerate(loaded):
            if is_cancelled():
                result.cancelled = True
                break
            result.pages += write_plan(data, path, today=today, label_lookup=label_lookup)
            result.written.append(data)
            result.files.append(path)
            progress((i + 1) / total, data.worker.full_name)
        progress(1.0, "")
        return result
    path = check_output_file(single)                    # before the plans are laid out
    story: list[Flowable] = []
    for i, wid in enumerate(ids):
        if is_cancelled():
            result.cancelled = True
            return result
        data = load(wid)
        if story:
            story.append(PageBreak())
        story += plan_story(data, i, today=today, label_lookup=label_lookup)
        result.written.append(data)
        progress(0.5 * (i + 1) / total, data.worker.full_name)
    texts = plan_texts("nl")
    path.parent.mkdir(parents=True, exist_ok=True)
    size, done = [max(1, len(story))], [0.0]

    def on_build(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            size[0] = max(1, value)
        elif kind == "PROGRESS":
            if is_cancelled():
                raise _Cancelled()
            fraction = 0.5 + 0.5 * min(1.0, value / size[0])
            if fraction > done[0] + 0.005:      # monotonic (split flowables change the count) and not too chatty
                done[0] = fraction
                progress(fraction, "")

    try:
        with atomic_path(path) as tmp:              # never leaves half a PDF behind
            doc = _doc(str(tmp), title=title or texts("title"), subject=texts("subject"), lang="nl-BE")
            doc.setProgressCallBack(on_build)
            doc.build(story or [Spacer(1, 1)], canvasmaker=_PlanCanvas)
    except _Cancelled:
        result.cancelled = True
        return result
    result.pages = doc.page
    result.files.append(path)
    progress(1.0, "")
    return result


class _Cancelled(Exception):
    pass
