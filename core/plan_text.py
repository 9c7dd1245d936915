"""Texts of the printed trajectory plan: labels and legal texts from resources/plan/, per language.

The document speaks the worker's language: French when ``preferred_language`` is "fr", Dutch
(nl-BE) otherwise. The texts are data (TOML) so that a cell or VDAB can edit them without a new
release; this module only loads, caches and formats them.
"""
from __future__ import annotations

import datetime as dt
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

    def legal_items(self, section: str, rules: CellRules) -> tuple[str, list[str]]:
        part = self.legal.get(section, {})
        values = rule_values(rules)
        return part.get("heading", ""), [_safe_format(t, values) for t in part.get("items", [])]

    def legal_text(self, section: str, key: str, rules: CellRules | None = None) -> str:
        text = self.legal.get(section, {}).get(key, "")
        return _safe_format(text, rule_values(rules or CellRules()))


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


def plan_texts(lang: str) -> PlanTexts:
    lang = lang if lang in DOC_LANGUAGES else "nl"
    labels = _load_labels(str(resource_path("plan", "labels.toml")))
    legal = _load_legal(str(resource_path("plan", f"legal_{lang}.toml")))
    return PlanTexts(lang, labels, legal)


def format_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def format_hours(h: float) -> str:
    text = f"{h:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _key(text: str) -> str:
    return " ".join(str(text).casefold().split())


def reference_label_lookup(reference=None) -> LabelLookup | None:
    """French occupation and competence names from the reference data (core.reference).

    Occupations are found by id; competences by id or by their Dutch label or a variant (plan
    targets store competence labels). Returns None when the reference data cannot be read: the
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
    tables = {"occupation": occupations, "competence": competences}

    def lookup(kind: str, key: str, lang: str) -> str | None:
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
