"""Texts of the printed trajectory plan: labels and legal texts from resources/plan/, per language.

The document speaks the worker's language: French when ``preferred_language`` is "fr", Dutch
(nl-BE) otherwise. The texts are data (TOML) so that a cell or VDAB can edit them without a new
release; this module only loads, caches and formats them.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from core.cell_rules import CellRules
from core.resources import resource_path

DOC_LANGUAGES = ("nl", "fr")

# (kind, key, language) -> a name in that language, or None when the reference data has none.
# kind is "occupation" (key: occupation id) or "competence" (key: competence id or label).
LabelLookup = Callable[[str, str, str], "str | None"]


def document_language(preferred: str | None) -> str:
    return "fr" if (preferred or "").lower().startswith("fr") else "nl"


def pdf_lang_tag(lang: str) -> str:
    return "fr-BE" if lang == "fr" else "nl-BE"


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, value in table.items():
        if not isinstance(value, dict):
            continue
        name = f"{prefix}{key}"
        if any(isinstance(v, str) for v in value.values()):
            out[name] = {k: v for k, v in value.items() if isinstance(v, str)}
        else:
            out.update(_flatten(value, f"{name}."))
    return out


@lru_cache(maxsize=4)
def _load_labels(path: str) -> dict[str, dict[str, str]]:
    with open(path, "rb") as f:
        return _flatten(tomllib.load(f))


@lru_cache(maxsize=8)
def _load_legal(path: str) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


@dataclass(frozen=True)
class PlanTexts:
    """All texts of one document language."""
    lang: str
    labels: dict[str, dict[str, str]]
    legal: dict

    def __call__(self, key: str, **values) -> str:
        entry = self.labels.get(key)
        if entry is None:
            text = key
        else:
            text = entry.get(self.lang) or entry.get("nl") or key
        return text.format(**values) if values else text

    def value(self, group: str, raw: str) -> str:
        """A value of a fixed list (action kind, status, ...) in the document language."""
        entry = self.labels.get(f"{group}.{raw}")
        if entry is None:
            return raw
        return entry.get(self.lang) or entry.get("nl") or raw

    def legal_items(self, section: str, rules: CellRules, postcode: str | None = None) -> tuple[str, list[str]]:
        """A section's heading and items, filled in from the cell rules and the worker's postcode (the
        employment service of his region; the neutral wording without one)."""
        part = self.legal.get(section, {})
        values = self._values(rules, postcode)
        return part.get("heading", ""), [_safe_format(t, values) for t in part.get("items", [])]

    def legal_text(self, section: str, key: str, rules: CellRules | None = None, postcode: str | None = None) -> str:
        text = self.legal.get(section, {}).get(key, "")
        return _safe_format(text, self._values(rules or CellRules(), postcode))

    def _values(self, rules: CellRules, postcode: str | None) -> dict:
        return {**rule_values(rules), "employment_service": employment_service(postcode or "", self.lang)}


def rule_values(rules: CellRules) -> dict[str, int]:
    return {"age": rules.age_threshold, "months_under": rules.registration_months_under,
            "months_over": rules.registration_months_over, "hours_under": rules.outplacement_hours_under,
            "hours_over": rules.outplacement_hours_over, "frontload_hours": rules.frontload_hours,
            "frontload_months": rules.frontload_months}


def _safe_format(text: str, values: dict) -> str:
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # an edited text with an unknown placeholder still prints
        return text


@lru_cache(maxsize=2)
def _load_services(path: str) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def _services() -> dict:
    try:
        return _load_services(str(resource_path("plan", "employment_services.toml")))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _in_range(n: int, spec: str) -> bool:
    low, _, high = str(spec).partition("-")
    try:
        return int(low) <= n <= int(high or low)
    except ValueError:
        return False


def region_of_postcode(postcode: str) -> str | None:
    """The id of the region (resources/plan/employment_services.toml) a Belgian postcode lies in; None when
    the postcode is missing, not four digits or in no listed range."""
    v = (postcode or "").strip()
    if not re.fullmatch(r"[0-9]{4}", v):
        return None
    n = int(v)
    for region in _services().get("region", []):
        if any(_in_range(n, spec) for spec in region.get("postcodes", [])):
            return region.get("id")
    return None


def employment_service(postcode: str, lang: str) -> str:
    """Where a jobseeker living at this postcode stays registered, as a phrase of the document language
    ("bij Actiris", "auprès du Forem"); the neutral wording when the region is not known."""
    data = _services()
    region = region_of_postcode(postcode)
    entry = next((r for r in data.get("region", []) if r.get("id") == region), None) if region else None
    entry = entry or data.get("unknown", {})
    return entry.get(lang) or entry.get("nl") or ""


def plan_texts(lang: str) -> PlanTexts:
    lang = lang if lang in DOC_LANGUAGES else "nl"
    labels = _load_labels(str(resource_path("plan", "labels.toml")))
    legal = _load_legal(str(resource_path("plan", f"legal_{lang}.toml")))
    return PlanTexts(lang, labels, legal)


def access_texts(lang: str) -> PlanTexts:
    """Texts of the readable right-of-access document (core.gdpr_pdf): its own labels
    (resources/plan/access_labels.toml) over those of the printed plan, and the plan's legal texts
    (the privacy notice)."""
    lang = lang if lang in DOC_LANGUAGES else "nl"
    plan = plan_texts(lang)
    own = _load_labels(str(resource_path("plan", "access_labels.toml")))
    return PlanTexts(lang, {**plan.labels, **own}, plan.legal)


def format_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def format_hours(h: float) -> str:
    text = f"{h:.2f}".rstrip("0").rstrip(".")     # 0,25: a quarter of an hour is a contact's unit
    return text.replace(".", ",")


def format_number(n: float) -> str:
    """A number as written in Dutch and French: decimal comma, no trailing zeros (1,5; 24)."""
    return format_hours(n)


DURATION_UNITS = ("days", "weeks", "months", "hours")
# how a duration is written in a plan ("24 weken", "1 week", "3 mois"): number and unit, nothing else
_DURATION = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-zà-ÿ]+)\.?\s*$", re.IGNORECASE)
_UNIT_WORDS = {
    "days": ("dag", "dagen", "jour", "jours"),
    "weeks": ("week", "weken", "wk", "semaine", "semaines", "sem"),
    "months": ("maand", "maanden", "mnd", "mois"),
    "hours": ("uur", "uren", "u", "heure", "heures", "h"),
}
_UNIT_OF = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}


def _singular(n: float, lang: str) -> bool:
    """Dutch: 1 and a part of 1 take the singular ("1 week", "0,5 dag", "2 weken"); French: below 2
    ("1,5 semaine")."""
    return abs(n) < 2 if lang == "fr" else 0 < abs(n) <= 1


WORKING_DAYS_PER_WEEK = 5


def _short_in_days(weeks: float) -> float | None:
    """The number of working days for a duration in weeks that reads better in days: under a week ("0,2
    weken" is 1 dag, "0,6 weken" 3 dagen), or a part week under two ("1,4 weken" is 7 dagen); else None."""
    if weeks <= 0 or weeks >= 2 or (weeks >= 1 and float(weeks).is_integer()):
        return None
    days = round(weeks * WORKING_DAYS_PER_WEEK, 1)
    if weeks >= 1 and not days.is_integer():
        return None                       # "1,5 weken", not "7,5 dagen"
    return max(days, 0.5)


def duration_text(n: float, unit: str, lang: str = "nl") -> str:
    """"1 dag", "3 dagen", "1 week", "24 weken", "1 semaine", "2 semaines": a duration in the document
    language, with the right singular or plural. ``unit`` is one of DURATION_UNITS. The one place where
    durations are written (plan editor, printed plan, Excel export, access document): a short duration in
    weeks is written in working days (a week has 5)."""
    if unit not in DURATION_UNITS:
        raise ValueError(unit)
    if unit == "weeks":
        days = _short_in_days(n)
        if days is not None:
            n, unit = days, "days"
    form = "one" if _singular(n, lang) else "many"
    return plan_texts(lang)(f"duration.{unit}_{form}", n=format_number(n))


def localise_duration(text: str, lang: str) -> str:
    """A stored duration ("24 weken", "1 weken", "3 maanden") written again in the document
    language with the right plural; any other text is returned as it is."""
    m = _DURATION.match(text or "")
    if not m:
        return text or ""
    unit = _UNIT_OF.get(m.group(2).casefold())
    if unit is None:
        return text
    return duration_text(float(m.group(1).replace(",", ".")), unit, lang)


def _key(text: str) -> str:
    return " ".join(str(text).casefold().split())


def reference_label_lookup(reference=None) -> LabelLookup | None:
    """French occupation, competence and training names from the reference data (core.reference).

    Occupations are found by id; competences by id or by their Dutch label or a variant (plan
    targets store competence labels); trainings by their Dutch name (a plan action keeps the
    training's Dutch name as its description until the counsellor rewrites it: a rewritten
    description is the counsellor's own text and is printed as it is). In Dutch, a competence id
    gives the competence's Dutch label. Returns None when the reference data cannot be read: the
    plan then prints the stored (Dutch) names.
    """
    if reference is None:
        try:
            from core.reference import default_reference
            reference = default_reference()
        except Exception:  # noqa: BLE001 - missing or broken reference data must not stop a print
            return None
    occupations: dict[str, str] = {}
    for o in getattr(reference, "occupations", ()):
        if getattr(o, "name_fr", ""):
            occupations[o.id] = o.name_fr
            occupations.setdefault(_key(getattr(o, "name_nl", "")), o.name_fr)
    competences: dict[str, str] = {}
    for c in getattr(reference, "competences", ()):
        if getattr(c, "label_fr", ""):
            competences[c.id] = c.label_fr
            for label in (getattr(c, "label_nl", ""), *getattr(c, "variants", ())):
                competences.setdefault(_key(label), c.label_fr)
    competences_nl = {c.id: c.label_nl for c in getattr(reference, "competences", ()) if getattr(c, "label_nl", "")}
    trainings = {_key(t.name_nl): t.name_fr for t in getattr(reference, "trainings", ())
                 if getattr(t, "name_fr", "") and getattr(t, "name_nl", "")}
    tables = {"occupation": occupations, "competence": competences, "training": trainings}

    def lookup(kind: str, key: str, lang: str) -> str | None:
        if lang == "nl":
            return competences_nl.get(key) if kind == "competence" else None
        if lang != "fr":
            return None
        table = tables.get(kind, {})
        return table.get(key) or table.get(_key(key))

    return lookup


def reference_rules(reference=None) -> CellRules:
    """The cell rules from the reference data (resources/reference), else the built-in defaults."""
    import dataclasses
    if reference is None:
        try:
            from core.reference import default_reference
            reference = default_reference()
        except Exception:  # noqa: BLE001
            return CellRules()
    try:
        values = reference.rules.values()
        names = {f.name for f in dataclasses.fields(CellRules)}
        return CellRules(version=str(getattr(reference.rules, "version", "reference")),
                         **{k: int(v) for k, v in values.items() if k in names and k != "version"})
    except Exception:  # noqa: BLE001
        return CellRules()
