"""The readable document of a right-of-access request (GDPR/AVG art. 15) for the worker.

It shows everything the cell keeps about the worker, as a letter the worker can read: labels in
the worker's language (French for a French-speaking worker, Dutch otherwise, as the printed plan:
resources/plan/access_labels.toml over the plan's labels), dates as dd/mm/jjjj, the INSZ masked as
on the plan, competences by their name with their level, scores as percentages, and no internal
ids or codes. The machine-readable JSON file written next to it (db.gdpr.export_worker) is the
portability copy and keeps the stored field names.

``record`` is the export as plain JSON data (dates as ISO texts): db.gdpr.worker_record.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

from core.fileio import atomic_path
from core.plan_pdf import (_doc, _fit, _HeadWithTable, _kv_table, _PageInfo, _PlanCanvas, _PlanStart, _SectionHeading,
                           _table, CONTENT_W, FONT, styles)
from core.plan_text import (LabelLookup, PlanTexts, access_texts, document_language, format_date, format_hours,
                            localise_duration, pdf_lang_tag, reference_label_lookup)
from core.validation import format_kbo, mask_insz


def _esc(value: object) -> str:
    return escape(str(value if value is not None else ""))


def _date(value: Any) -> str:
    """An ISO date (or date-time) as dd/mm/jjjj; "" when empty or unreadable."""
    if not value:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _moment(value: Any) -> str:
    """A stored UTC time stamp as local dd/mm/jjjj uu:mm."""
    if not value:
        return ""
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%d/%m/%Y %H:%M")


class _Writer:
    """Builds the flowables of the access document."""

    def __init__(self, record: dict, lookup: LabelLookup | None, today: dt.date,
                 counsellor_name: Callable[[str], str] | None = None):
        self.r = record
        self.counsellor_name = counsellor_name or (lambda value: value)
        self.w = record.get("worker") or {}
        self.lang = document_language(self.w.get("preferred_language"))
        self.t: PlanTexts = access_texts(self.lang)
        self.lookup = lookup
        self.today = today
        self.s = styles()
        self.n = 0

    # -- helpers ---------------------------------------------------------------------------------
    def value(self, group: str, raw: Any) -> str:
        return self.t.value(group, str(raw)) if raw not in (None, "") else ""

    def yes_no(self, flag: Any) -> str:
        return self.t("yes") if flag else self.t("no")

    def name(self, kind: str, key: str, fallback: str) -> str:
        if self.lookup is None or not key:
            return fallback
        try:
            return self.lookup(kind, key, self.lang) or fallback
        except Exception:  # noqa: BLE001 - reference data must never stop the document
            return fallback

    def competence_name(self, key: str) -> str:
        """A competence (id or Dutch label) in the document language."""
        return self.name("competence", key, key) if self.lang != "nl" else key

    def colon(self, label: str) -> str:
        """A label followed by a colon, with the French space before it."""
        return f"{label} :" if self.lang == "fr" else f"{label}:"

    def certificate_name(self, c: dict) -> str:
        """As on the printed plan: in French under the reference's French name with the name on file after
        it; in Dutch as written on the file."""
        typed, kind = (c.get("label") or "").strip(), c.get("kind") or ""
        translated = self.name("competence", kind, "") if kind and self.lang != "nl" else ""
        if not translated:
            return typed or self.name("competence", kind, kind)
        if not typed or typed.casefold() == translated.casefold():
            return translated
        return f"{translated} ({typed})"

    def or_empty(self, text: str) -> str:
        return text if text else self.t("not_recorded")

    def heading(self, key: str):
        self.n += 1
        return _SectionHeading(self.n, self.t(key))

    def para(self, html: str, style=None):
        return Paragraph(html, style or self.s.body)

    def kv(self, pairs: list[tuple[str, str]]):
        """Label and value rows; values are plain text (escaped here), empty ones say so."""
        return _kv_table([(k, _esc(self.or_empty(v)).replace("\n", "<br/>")) for k, v in pairs])

    def grid(self, heads: list[str], rows: list[list[str]], widths: list[float]):
        """A table with a header row that repeats on every page; cells are HTML."""
        data = [[Paragraph(_esc(h), self.s.thead) for h in heads]]
        data += [[Paragraph(c, self.s.tcell) for c in row] for row in rows]
        return _table(data, widths)

    def section(self, key: str, body: list) -> list:
        """A numbered section; its heading stays with the start of the body."""
        head = self.heading(key)
        if not body:
            return [CondPageBreak(30 * mm), head]
        return [CondPageBreak(30 * mm), _HeadWithTable([head], body[0])] + body[1:]

    # -- document --------------------------------------------------------------------------------
    def build(self) -> list:
        t, s, w = self.t, self.s, self.w
        full_name = " ".join(x for x in (w.get("first_names", ""), w.get("surname", "")) if x).strip()
        company = (self.r.get("dossier") or {}).get("company_name", "")
        made = format_date(self.today)
        right = t("made_on", date=made)
        left = _fit(f"{t('title')} · {full_name}", CONTENT_W - pdfmetrics.stringWidth(right, FONT, 7.5) - 12)
        info = _PageInfo(0, t, left, right, full_name, right)
        story: list = [_PlanStart(info, full_name), Spacer(1, 6), Paragraph(_esc(t("title")), s.title),
                       Paragraph(_esc(t("subtitle", company=company)), s.subtitle),
                       self.para(f"<b>{_esc(full_name)}</b> · {_esc(t('made_on', date=made))}"),
                       self.para(_esc(t("intro"))),
                       self.para(_esc(t("sensitive_included") if self.r.get("sensitive_included")
                                      else t("sensitive_not_included")), s.note)]
        for part in (self.person, self.cell, self.education, self.experience, self.competences, self.certificates,
                     self.languages, self.mobility, self.limitations, self.contacts, self.plans, self.log,
                     self.privacy):
            story += part()
        return story

    def person(self) -> list:
        t, w = self.t, self.w
        insz = w.get("insz") or ""
        address = ", ".join(x for x in (w.get("street", ""),
                                         f"{w.get('postcode', '')} {w.get('municipality', '')}".strip()) if x)
        pairs = [(t("surname"), w.get("surname", "")), (t("first_names"), w.get("first_names", "")),
                 (t("insz"), f"{mask_insz(insz)} ({t('insz_note')})" if insz else ""),
                 (t("birth_date"), _date(w.get("birth_date"))), (t("sex"), self.value("sex_value", w.get("sex"))),
                 (t("address"), address), (t("phone"), w.get("phone", "")), (t("email"), w.get("email", "")),
                 (t("preferred_language"), self.value("language_name", w.get("preferred_language"))),
                 (t("statute"), self.value("statute_value", w.get("statute"))),
                 (t("seniority_start"), _date(w.get("seniority_start"))),
                 (t("dismissal_date"), _date(w.get("dismissal_date"))),
                 (t("shift_regime"), self.value("shift_regime_value", w.get("shift_regime"))),
                 (t("previous_job_title"), w.get("previous_job_title", "")),
                 (t("status"), self.value("status_value", w.get("status"))),
                 (t("counsellor"), self.counsellor_name(w.get("counsellor", ""))),
                 (t("modified"), _moment(w.get("modified")))]
        return self.section("h_person", [self.kv(pairs)])

    def cell(self) -> list:
        t = self.t
        d = self.r.get("dossier") or {}
        kbo = d.get("kbo_number") or ""
        pairs = [(t("company"), d.get("company_name", "")), (t("kbo"), format_kbo(kbo) if kbo else ""),
                 (t("dossier_status"), self.value("dossier_status_value", d.get("status")))]
        return self.section("h_cell", [self.kv(pairs)])

    def education(self) -> list:
        t, w = self.t, self.w
        vks = w.get("vks_level")
        pairs = [(t("diploma"), w.get("highest_diploma", "")),
                 (t("education_group"), self.value("education_group_value", w.get("education_group"))),
                 (t("vks"), str(vks) if vks is not None else "")]
        return self.section("h_education", [self.kv(pairs)])

    def experience(self) -> list:
        t = self.t
        rows = []
        for e in self.w.get("experiences") or []:
            period = " – ".join(x for x in (_date(e.get("start_date")), _date(e.get("end_date"))) if x)
            tasks = _esc(e.get("tasks", ""))
            if e.get("shift_regime"):
                regime = self.value("shift_regime_value", e["shift_regime"])
                tasks = "<br/>".join(x for x in (tasks, _esc(f"{self.colon(t('shift_regime'))} {regime}")) if x)
            rows.append([f"<b>{_esc(e.get('job_title', ''))}</b>", _esc(e.get("employer", "")), _esc(period), tasks])
        if not rows:
            return self.section("h_experience", [self.para(_esc(t("none")))])
        return self.section("h_experience", [self.grid([t("job_title"), t("employer"), t("period"), t("tasks")], rows,
                                                       [45 * mm, 45 * mm, 38 * mm, 42 * mm])])

    def competences(self) -> list:
        t = self.t
        rows = []
        for c in self.w.get("competences") or []:
            text, cid = c.get("text", ""), c.get("competence_id", "")
            label = self.name("competence", cid, "") if cid else ""
            if cid and not label and self.lang != "nl":
                label = self.name("competence", text, "")
            shown = f"<b>{_esc(label)}</b>" if label else (
                f"<b>{_esc(text)}</b>" if cid else f"<i>{_esc(t('not_recognised'))}</i>")
            typed = _esc(text)
            if c.get("evidence"):
                typed += f"<br/>{_esc(self.colon(t('evidence')))} {_esc(c['evidence'])}"
            level = c.get("level")
            rows.append([shown, _esc(t("level_value", n=level) if level else ""), typed,
                         _esc(self.value("source_value", c.get("source")))])
        if not rows:
            return self.section("h_competences", [self.para(_esc(t("none")))])
        return self.section("h_competences", [self.grid([t("competence"), t("level"), t("typed_as"), t("source")],
                                                        rows, [70 * mm, 16 * mm, 56 * mm, 28 * mm])])

    def certificates(self) -> list:
        t = self.t
        rows = []
        for c in self.w.get("certificates") or []:
            label = self.certificate_name(c)
            rows.append([f"<b>{_esc(label)}</b>", _esc(_date(c.get("date_obtained"))),
                         _esc(_date(c.get("expiry_date")))])
        if not rows:
            return self.section("h_certificates", [self.para(_esc(t("none")))])
        return self.section("h_certificates", [self.grid([t("certificate"), t("obtained"), t("expires")], rows,
                                                         [90 * mm, 40 * mm, 40 * mm])])

    def languages(self) -> list:
        t = self.t
        rows = [[_esc(self.value("language_name", lg.get("language"))),
                 *(_esc(lg.get(k) or "–") for k in ("listening", "speaking", "reading", "writing"))]
                for lg in self.w.get("languages") or []]
        if not rows:
            return self.section("h_languages", [self.para(_esc(t("none")))])
        return self.section("h_languages", [
            self.grid([t(k) for k in ("language", "listening", "speaking", "reading", "writing")], rows,
                      [50 * mm] + [30 * mm] * 4),
            self.para(_esc(t("cefr_note")), self.s.note)])

    def mobility(self) -> list:
        t = self.t
        m, p = self.w.get("mobility") or {}, self.w.get("preferences") or {}
        minutes = m.get("max_commute_minutes")
        pairs = [(t("driving_licences"), ", ".join(m.get("driving_licences") or []) or t("none")),
                 (t("own_car"), self.yes_no(m.get("own_car"))),
                 (t("public_transport"), self.yes_no(m.get("public_transport"))),
                 (t("bicycle"), self.yes_no(m.get("bicycle"))),
                 (t("max_commute"), t("minutes", n=minutes) if minutes else ""),
                 (t("desired_occupations"), ", ".join(p.get("desired_occupations") or [])),
                 (t("sectors"), ", ".join(p.get("sectors") or [])), (t("region"), p.get("region", "")),
                 (t("accepts_shifts"), self.yes_no(p.get("accepts_shifts", True))),
                 (t("accepts_nights"), self.yes_no(p.get("accepts_nights", True))),
                 (t("accepts_weekends"), self.yes_no(p.get("accepts_weekends", True))),
                 (t("willing_to_train"), self.yes_no(p.get("willing_to_train"))),
                 (t("notes"), p.get("notes", ""))]
        return self.section("h_mobility", [self.kv(pairs)])

    def limitations(self) -> list:
        t = self.t
        if "limitations" not in self.w:          # not part of this export: no section at all
            return []
        rows = [[_esc(self.value("limitation_kind", lim.get("kind"))), _esc(lim.get("note", "")),
                 _esc(self.yes_no(lim.get("printable")))]
                for lim in self.w.get("limitations") or []]
        if not rows:
            return self.section("h_limitations", [self.para(_esc(t("none")))])
        return self.section("h_limitations", [self.grid([t("limitation"), t("limitation_note"), t("printable")],
                                                        rows, [45 * mm, 90 * mm, 35 * mm])])

    def contacts(self) -> list:
        t = self.t
        rows = [[_esc(_date(c.get("date"))), _esc(self.value("contact_kind_value", c.get("kind"))),
                 _esc(format_hours(float(c.get("hours") or 0))), _esc(c.get("note", "")), _esc(c.get("counsellor", ""))]
                for c in sorted(self.r.get("contacts") or [], key=lambda c: str(c.get("date", "")))]
        if not rows:
            return self.section("h_contacts", [self.para(_esc(t("no_contacts")))])
        return self.section("h_contacts", [self.grid([t("date"), t("contact_kind"), t("hours"), t("note"),
                                                      t("counsellor")], rows,
                                                     [22 * mm, 30 * mm, 14 * mm, 74 * mm, 30 * mm])])

    def plans(self) -> list:
        t, s = self.t, self.s
        plans = self.r.get("plans") or []
        if not plans:
            return self.section("h_plans", [self.para(_esc(t("no_plans")))])
        body: list = []
        for pl in sorted(plans, key=lambda p: p.get("version") or 0):
            status = self.value("plan_status", pl.get("status"))
            head = Paragraph(_esc(t("plan_heading", version=pl.get("version", ""), status=status)), s.sub)
            targets = []
            for tg in pl.get("targets") or []:
                score = tg.get("score")
                name = self.name("occupation", tg.get("occupation_id", ""), tg.get("name", "")) \
                    if self.lang != "nl" else tg.get("name", "")
                line = "• " + (t("target_value", name=name, score=f"{round(score * 100)} %") if score is not None else name)
                missing = [self.competence_name(c) for c in (tg.get("missing_essential") or [])
                           + (tg.get("missing_optional") or [])]
                if missing:
                    line += "\n\u00a0\u00a0\u00a0" + t("missing", list=", ".join(dict.fromkeys(missing)))
                targets.append(line)
            actions = []
            for a in pl.get("actions") or []:
                title = a.get("description", "")
                if a.get("training_id") and self.lang != "nl":
                    title = self.name("training", title, title)
                start, end = _date(a.get("start_date")), _date(a.get("end_date"))
                when = " – ".join(x for x in (start, end) if x) or localise_duration(a.get("duration", ""), self.lang)
                details = [self.value("action_kind", a.get("kind")), self.value("provider", a.get("provider")), when,
                           a.get("responsible", ""), self.value("action_status", a.get("status"))]
                actions.append(f"• {title} ({', '.join(x for x in details if x)})")
            # the plan's counsellor, else the worker's: the one the printed plan names
            counsellor = self.counsellor_name(pl.get("counsellor") or self.w.get("counsellor") or "")
            dates = [(t("counsellor"), counsellor), (t("plan_created"), _date(pl.get("created")))]
            dates += [(k, v) for k, v in ((t("plan_printed"), _date(pl.get("printed_at"))),
                                          (t("plan_signed"), _date(pl.get("signed_at")))) if v]
            contents = [(t("targets"), "\n".join(targets) or t("none")),
                        (t("actions"), "\n".join(actions) or t("none")),
                        (t("agreements"), (pl.get("agreements") or "").strip()),
                        (t("followups"), ", ".join(_date(d) for d in pl.get("followups") or [])),
                        (t("print_limitations"), self.yes_no(pl.get("print_limitations")))]
            body.append(KeepTogether([head, self.kv(dates)]))
            body.append(self.kv(contents))
        return self.section("h_plans", body)

    def log(self) -> list:
        t = self.t
        rows = [[_esc(_moment(e.get("ts"))), _esc(e.get("actor", "")), _esc(self.value("log_action", e.get("action")))]
                for e in self.r.get("processing_log") or []]
        if not rows:
            return self.section("h_log", [self.para(_esc(t("no_log")))])
        return self.section("h_log", [self.grid([t("when"), t("who"), t("what")], rows, [40 * mm, 50 * mm, 80 * mm])])

    def privacy(self) -> list:
        t, s = self.t, self.s
        out = []
        texts = [self.t.legal_text("privacy", "controller"), t("purpose"), t("origin")]
        texts += [self.t.legal_text("privacy", k) for k in ("legal_basis", "recipients", "retention", "rights", "dpo",
                                                             "complaint")]
        for text in texts:
            if not text:
                continue
            cut = text.find(":")
            out.append(self.para(f"<b>{_esc(text[:cut + 1])}</b>{_esc(text[cut + 1:])}" if 0 < cut < 60
                                 else _esc(text), s.legal))
        return self.section("h_privacy", out)


def access_story(record: dict, *, label_lookup: LabelLookup | None = None, today: dt.date | None = None,
                 counsellor_name: Callable[[str], str] | None = None) -> list:
    """The flowables of the access document (for tests and for write_access_pdf)."""
    return _Writer(record, label_lookup, today or dt.date.today(), counsellor_name).build()


def _default_lookup() -> LabelLookup | None:
    return reference_label_lookup(None)


def write_access_pdf(record: dict, target: Path | str, *, label_lookup: LabelLookup | None = None,
                     lookup_factory: Callable[[], LabelLookup | None] = _default_lookup,
                     today: dt.date | None = None, counsellor_name: Callable[[str], str] | None = None) -> Path:
    """Write the readable access document. Competence, occupation and training names come from
    ``label_lookup`` (core.plan_text.reference_label_lookup over the reference data as used by this
    installation); without one, from the embedded reference data. ``counsellor_name`` shows a stored
    counsellor (a login) as the printed plan does (db.workers.WorkerRepository.counsellor_name)."""
    lookup = label_lookup if label_lookup is not None else lookup_factory()
    w = record.get("worker") or {}
    lang = document_language(w.get("preferred_language"))
    texts = access_texts(lang)
    name = " ".join(x for x in (w.get("first_names", ""), w.get("surname", "")) if x).strip()
    story = access_story(record, label_lookup=lookup, today=today, counsellor_name=counsellor_name)
    with atomic_path(target) as tmp:
        doc = _doc(str(tmp), title=f"{texts('title')} – {name}", subject=texts("subject"), lang=pdf_lang_tag(lang))
        doc.build(story, canvasmaker=_PlanCanvas)
    return Path(target)
