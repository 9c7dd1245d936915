"""The readable PDF of a right-of-access export (GDPR art. 15): every stored field, plainly listed.

Uses the embedded DejaVu Sans of the printed plan when it is there (full Unicode); otherwise
Helvetica, which lacks some characters but always works.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from core.fileio import atomic_path
from core.i18n import tr

_CTX = "gdpr"


def _fonts() -> tuple[str, str]:
    try:
        from core.plan_pdf import FONT, FONT_BOLD, register_fonts
        register_fonts()
        return FONT, FONT_BOLD
    except Exception:  # noqa: BLE001 - no font files or no plan module: the built-in font will do
        return "Helvetica", "Helvetica-Bold"


def _text(v: Any) -> str:
    if v is None or v == "" or v == [] or v == {}:
        return "—"
    if isinstance(v, bool):
        return tr(_CTX, "ja") if v else tr(_CTX, "nee")
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_text(x)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(_text(x) for x in v)
    return str(v)


def write_access_pdf(record: dict, target: Path | str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, bold = _fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    head = ParagraphStyle("head", fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    P = lambda s, st=body: Paragraph(escape(str(s)), st)  # noqa: E731

    def table(rows: list[tuple[str, Any]]):
        t = Table([[P(k), P(_text(v))] for k, v in rows], colWidths=[55 * mm, 115 * mm])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#cccccc")]))
        return t

    w = record["worker"]
    story = [P(tr(_CTX, "Inzage in je gegevens (AVG artikel 15)"), title),
             P(tr(_CTX, "Opgemaakt op {datum}. Dit document bevat alle gegevens die de tewerkstellingscel over je "
                        "bijhoudt.").format(datum=record.get("created", "")[:10])),
             P(tr(_CTX, "Functionele beperkingen (gezondheidsgegevens) zijn {wel_niet} opgenomen.").format(
                 wel_niet=tr(_CTX, "wel") if record.get("sensitive_included") else tr(_CTX, "niet"))),
             P(tr(_CTX, "Persoonsgegevens"), head)]
    children = ("experiences", "competences", "certificates", "languages", "limitations")
    story.append(table([(k, v) for k, v in w.items() if k not in children and k not in ("uid",)]))
    for key, label in (("experiences", tr(_CTX, "Werkervaring")), ("competences", tr(_CTX, "Competenties")),
                       ("certificates", tr(_CTX, "Attesten")), ("languages", tr(_CTX, "Talen")),
                       ("limitations", tr(_CTX, "Functionele beperkingen"))):
        if key in w:
            story.append(P(label, head))
            items = w.get(key) or []
            story.extend([table([(k, v) for k, v in it.items() if k not in ("uid", "id")]) for it in items]
                         or [P("—")])
            story.append(Spacer(1, 2 * mm))
    story.append(P(tr(_CTX, "Contacten"), head))
    story.append(table([(c.get("date", ""), f"{c.get('kind', '')}, {c.get('hours', 0)} u. {c.get('note', '')}")
                        for c in record.get("contacts", [])]) if record.get("contacts") else P("—"))
    story.append(P(tr(_CTX, "Trajectplannen"), head))
    for pl in record.get("plans", []):
        story.append(table([(k, v) for k, v in pl.items() if k not in ("uid",)]))
    if not record.get("plans"):
        story.append(P("—"))
    story.append(P(tr(_CTX, "Dossier"), head))
    story.append(table(list(record.get("dossier", {}).items())))
    story.append(P(tr(_CTX, "Wie je gegevens raadpleegde of wijzigde"), head))
    story.append(table([(e["ts"][:19].replace("T", " "), f"{e['actor']}: {e['action']}")
                        for e in record.get("processing_log", [])]) if record.get("processing_log") else P("—"))
    with atomic_path(target) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                bottomMargin=18 * mm, title=tr(_CTX, "Inzage persoonsgegevens"), author="Werkbrug")
        doc.build(story)
    return Path(target)
