"""Embedded reference data: bottleneck occupations, competences, trainings and cell rules.

The data lives in human-readable TOML files under ``resources/reference/`` (see the header of
each file for its fields). :func:`load_reference` reads them into frozen dataclasses and checks
them; a malformed file raises :class:`ReferenceDataError` with a Dutch message that names the
file and the entry, so an administrator who edits a file sees what to fix.

Domain words: a *knelpuntberoep* is an occupation on the VDAB bottleneck list; a
*tewerkstellingscel* (employment cell) guides workers dismissed in a restructuring; *VKS* is the
Flemish qualification structure (levels 1-8, equal to EQF).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from core.errors import UserError
from core.resources import resource_path

__all__ = [
    "ReferenceDataError",
    "Competence",
    "OccupationCompetence",
    "Evidence",
    "Occupation",
    "SourceOccupation",
    "Training",
    "RuleValue",
    "CertificateValidity",
    "Rules",
    "LabourMarketPoint",
    "LabourMarket",
    "EducationLevel",
    "Diploma",
    "QualificationExample",
    "ReferenceData",
    "load_reference",
    "default_reference",
    "FILES",
]

SCHEMA = 1
FILES: Mapping[str, str] = MappingProxyType({
    "competences": "competences.toml",
    "occupations": "occupations.toml",
    "source_occupations": "source_occupations.toml",
    "trainings": "trainings.toml",
    "rules": "rules.toml",
    "labour_market": "labour_market.toml",
    "education": "education.toml",
})
COMPETENCE_KINDS = ("vakkennis", "vaardigheid", "attest", "taal", "soft_skill")
REASONS = ("KWANT", "KWAL", "ARB")
ROUTES = ("OC", "IBO", "OKOT", "DL", "EVC", "SEC")
LANGUAGES = ("nl", "fr", "nl/fr")
SCHEDULES = ("dag", "avond", "dag/avond")
RULE_TAGS = ("S", "S?", "G")
EDUCATION_GROUPS = ("laag", "midden", "hoog", "andere")
OCCUPATION_COMPETENCES = (8, 20)
MIN_ESSENTIAL = 3

_VERSION_RE = re.compile(r"^\d{4}\.\d+$")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISCO_RE = re.compile(r"^\d{4}$")
_ROME_RE = re.compile(r"^[A-N]\d{4}$")
_ESCO_PREFIX = "http://data.europa.eu/esco/occupation/"


class ReferenceDataError(UserError):
    """A reference file is missing or malformed; the message (Dutch) names file and entry."""


# ---------------------------------------------------------------- data types

@dataclass(frozen=True)
class Competence:
    id: str
    label_nl: str
    label_fr: str
    kind: str                      # one of COMPETENCE_KINDS
    variants: tuple[str, ...]
    esco_skill_group: str | None = None
    valid_years: int | None = None  # attests only
    implies: tuple[str, ...] = ()   # attests only: competences the attest proves (heftruckattest: heftruck rijden)

    @property
    def is_attest(self) -> bool:
        return self.kind == "attest"

    @property
    def labels(self) -> tuple[str, ...]:
        """The preferred label followed by all variants (for matching)."""
        return (self.label_nl, *self.variants)


@dataclass(frozen=True)
class OccupationCompetence:
    competence_id: str
    essential: bool


@dataclass(frozen=True)
class Evidence:
    tag: str       # S, S?, M, S+M or G (see vocabulary.evidence)
    source: str


@dataclass(frozen=True)
class Occupation:
    id: str
    name_nl: str
    name_fr: str
    alt_labels_nl: tuple[str, ...]
    sector: str
    bottleneck: bool
    esco_uri: str
    isco: str
    rome: str
    reasons: tuple[str, ...]
    vks: int
    conditions: tuple[str, ...]
    certificates_required: tuple[str, ...]
    certificates_useful: tuple[str, ...]
    competences: tuple[OccupationCompetence, ...]
    evidence: Evidence
    facts_ref: int | None = None

    @property
    def competence_ids(self) -> tuple[str, ...]:
        return tuple(c.competence_id for c in self.competences)

    @property
    def essential_ids(self) -> tuple[str, ...]:
        return tuple(c.competence_id for c in self.competences if c.essential)

    @property
    def labels_nl(self) -> tuple[str, ...]:
        return (self.name_nl, *self.alt_labels_nl)


@dataclass(frozen=True)
class SourceOccupation:
    id: str
    name_nl: str
    name_fr: str
    alt_labels_nl: tuple[str, ...]
    isco: str
    esco_uri: str | None
    competences: tuple[str, ...]
    transitions: tuple[str, ...]   # occupation ids


@dataclass(frozen=True)
class Training:
    id: str
    name_nl: str
    name_fr: str
    route: str                     # one of ROUTES
    provider_kind: str
    duration_weeks_indicative: float
    indicative: bool
    teaches: tuple[str, ...]
    prerequisites: tuple[str, ...]
    prerequisites_note: str | None
    language: str
    schedule: str


@dataclass(frozen=True)
class RuleValue:
    id: str
    value: int | float
    unit: str
    label_nl: str
    tag: str
    source: str


@dataclass(frozen=True)
class CertificateValidity:
    competence_id: str
    years: int
    tag: str
    source: str


@dataclass(frozen=True)
class Rules:
    version: str
    items: Mapping[str, RuleValue]
    certificate_validity: Mapping[str, CertificateValidity]

    def value(self, rule_id: str) -> int | float:
        return self.items[rule_id].value

    def values(self) -> dict[str, int | float]:
        """All rule values by id (the ids of the cell rules match core.cell_rules.CellRules)."""
        return {k: r.value for k, r in self.items.items()}

    @property
    def age_threshold(self) -> int:
        return int(self.value("age_threshold"))


@dataclass(frozen=True)
class LabourMarketPoint:
    year: int
    bottleneck_pct: float
    critical_bottleneck_pct: float


@dataclass(frozen=True)
class LabourMarket:
    source: str
    unit: str
    label_nl: str
    series_labels: Mapping[str, str]
    points: tuple[LabourMarketPoint, ...]


@dataclass(frozen=True)
class EducationLevel:
    level: int
    label_nl: str
    typical_qualification_nl: str
    tag: str


@dataclass(frozen=True)
class Diploma:
    id: str
    label_nl: str
    label_fr: str
    group: str                     # one of EDUCATION_GROUPS
    vks: int | None
    variants: tuple[str, ...]
    tag: str


@dataclass(frozen=True)
class QualificationExample:
    code: str
    label_nl: str
    vks: int
    tag: str


@dataclass(frozen=True)
class ReferenceData:
    competences: tuple[Competence, ...]
    occupations: tuple[Occupation, ...]
    source_occupations: tuple[SourceOccupation, ...]
    trainings: tuple[Training, ...]
    rules: Rules
    labour_market: LabourMarket
    education_levels: tuple[EducationLevel, ...]
    diplomas: tuple[Diploma, ...]
    qualification_examples: tuple[QualificationExample, ...]
    vocabulary: Mapping[str, Mapping[str, str]]
    file_versions: Mapping[str, str]
    _competences: Mapping[str, Competence] = field(init=False, repr=False, compare=False)
    _occupations: Mapping[str, Occupation] = field(init=False, repr=False, compare=False)
    _sources: Mapping[str, SourceOccupation] = field(init=False, repr=False, compare=False)
    _trainings: Mapping[str, Training] = field(init=False, repr=False, compare=False)
    _teaching: Mapping[str, tuple[Training, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        teaching: dict[str, list[Training]] = {}
        for t in self.trainings:
            for cid in t.teaches:
                teaching.setdefault(cid, []).append(t)
        put = object.__setattr__
        put(self, "_competences", MappingProxyType({c.id: c for c in self.competences}))
        put(self, "_occupations", MappingProxyType({o.id: o for o in self.occupations}))
        put(self, "_sources", MappingProxyType({s.id: s for s in self.source_occupations}))
        put(self, "_trainings", MappingProxyType({t.id: t for t in self.trainings}))
        put(self, "_teaching", MappingProxyType({k: tuple(v) for k, v in teaching.items()}))

    @property
    def version(self) -> str:
        """All file versions in one string, e.g. ``competences=2026.1;education=2026.1;...``."""
        return ";".join(f"{k}={v}" for k, v in sorted(self.file_versions.items()))

    def competence_by_id(self, competence_id: str) -> Competence:
        return self._competences[competence_id]

    def occupation_by_id(self, occupation_id: str) -> Occupation:
        return self._occupations[occupation_id]

    def source_occupation_by_id(self, source_id: str) -> SourceOccupation:
        return self._sources[source_id]

    def training_by_id(self, training_id: str) -> Training:
        return self._trainings[training_id]

    def has_competence(self, competence_id: str) -> bool:
        return competence_id in self._competences

    def trainings_teaching(self, competence_id: str) -> tuple[Training, ...]:
        """Trainings that teach the competence (empty when none does)."""
        return self._teaching.get(competence_id, ())


# ---------------------------------------------------------------- reading helpers

class _Entry:
    """Typed access to one TOML table, with Dutch errors that name file and entry."""

    def __init__(self, file: str, where: str, table: Any):
        self.file, self.where = file, where
        if not isinstance(table, dict):
            self.fail("verwacht een tabel")
        self.t: dict[str, Any] = table

    def fail(self, problem: str) -> None:
        raise ReferenceDataError(f"Fout in referentiebestand {self.file}, {self.where}: {problem}.")

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self.t:
            if optional:
                return None
            self.fail(f"veld '{key}' ontbreekt")
        return self.t[key]

    def text(self, key: str, *, optional: bool = False, choices: Iterable[str] | None = None) -> str | None:
        v = self._get(key, optional)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            self.fail(f"veld '{key}' moet een niet-lege tekst zijn")
        if choices is not None and v not in choices:
            self.fail(f"veld '{key}' heeft een onbekende waarde '{v}' (toegelaten: {', '.join(choices)})")
        return v

    def integer(self, key: str, *, optional: bool = False, lo: int | None = None, hi: int | None = None) -> int | None:
        v = self._get(key, optional)
        if v is None:
            return None
        if not isinstance(v, int) or isinstance(v, bool):
            self.fail(f"veld '{key}' moet een geheel getal zijn")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.fail(f"veld '{key}' moet tussen {lo} en {hi} liggen")
        return v

    def number(self, key: str, *, positive: bool = False) -> float:
        v = self._get(key, False)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            self.fail(f"veld '{key}' moet een getal zijn")
        if positive and v <= 0:
            self.fail(f"veld '{key}' moet groter dan 0 zijn")
        return v

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        v = self._get(key, default is not None)
        if v is None:
            return bool(default)
        if not isinstance(v, bool):
            self.fail(f"veld '{key}' moet true of false zijn")
        return v

    def texts(self, key: str, *, optional: bool = True, choices: Iterable[str] | None = None,
              non_empty: bool = False) -> tuple[str, ...]:
        v = self._get(key, optional)
        if v is None:
            v = []
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            self.fail(f"veld '{key}' moet een lijst van teksten zijn")
        if non_empty and not v:
            self.fail(f"veld '{key}' mag niet leeg zijn")
        if choices is not None:
            bad = [x for x in v if x not in choices]
            if bad:
                self.fail(f"veld '{key}' bevat onbekende waarden: {', '.join(bad)}")
        if len(set(v)) != len(v):
            self.fail(f"veld '{key}' bevat dubbele waarden")
        return tuple(v)

    def table(self, key: str, *, optional: bool = False) -> dict[str, Any]:
        v = self._get(key, optional)
        if v is None:
            return {}
        if not isinstance(v, dict):
            self.fail(f"veld '{key}' moet een tabel zijn")
        return v


def _read(directory: Path, key: str) -> tuple[dict[str, Any], str]:
    name = FILES[key]
    path = directory / name
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise ReferenceDataError(f"Referentiebestand {name} ontbreekt in {directory}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"Referentiebestand {name} is geen geldige TOML: {exc}.") from None
    head = _Entry(name, "begin van het bestand", doc)
    version = head.text("version")
    if not _VERSION_RE.match(version):
        head.fail(f"versie '{version}' heeft niet de vorm JJJJ.N")
    if head.integer("schema") != SCHEMA:
        head.fail(f"schema {doc['schema']} wordt niet ondersteund (verwacht {SCHEMA})")
    return doc, version


def _entries(doc: dict[str, Any], file: str, array: str, noun: str, *, required: bool = True) -> list[_Entry]:
    items = doc.get(array)
    if items is None and not required:
        return []
    if not isinstance(items, list) or (required and not items):
        raise ReferenceDataError(f"Fout in referentiebestand {file}: de lijst [[{array}]] ontbreekt of is leeg.")
    out, seen = [], set()
    for i, raw in enumerate(items, 1):
        ident = raw.get("id") if isinstance(raw, dict) else None
        where = f"{noun} '{ident}'" if isinstance(ident, str) else f"{noun} nr. {i}"
        e = _Entry(file, where, raw)
        if "id" in e.t or required:
            ident = e.text("id")
            if not _ID_RE.match(ident):
                e.fail("id mag enkel kleine letters, cijfers en koppeltekens bevatten")
            if ident in seen:
                e.fail("dit id komt meer dan eens voor")
            seen.add(ident)
        out.append(e)
    return out


def _vocabulary(doc: dict[str, Any], file: str, name: str) -> Mapping[str, str]:
    e = _Entry(file, f"[vocabulary.{name}]", doc.get("vocabulary", {}).get(name))
    if not e.t or not all(isinstance(v, str) for v in e.t.values()):
        e.fail("verwacht een tabel van code = \"omschrijving\"")
    return MappingProxyType(dict(e.t))


# ---------------------------------------------------------------- loaders per file

def _competences(directory: Path) -> tuple[tuple[Competence, ...], str]:
    doc, version = _read(directory, "competences")
    out = []
    entries = _entries(doc, FILES["competences"], "competence", "competentie")
    ids = {e.t.get("id") for e in entries if isinstance(e.t, dict)}
    for e in entries:
        kind = e.text("kind", choices=COMPETENCE_KINDS)
        years = e.integer("valid_years", optional=True, lo=1, hi=50)
        if years is not None and kind != "attest":
            e.fail("enkel een attest kan een geldigheidsduur (valid_years) hebben")
        implies = e.texts("implies")
        if implies and kind != "attest":
            e.fail("enkel een attest kan competenties aantonen (implies)")
        for cid in implies:
            if cid not in ids or cid == e.t.get("id"):
                e.fail(f"onbekende competentie '{cid}' in implies")
        out.append(Competence(
            id=e.text("id"), label_nl=e.text("label_nl"), label_fr=e.text("label_fr"), kind=kind,
            variants=e.texts("variants", optional=False, non_empty=True),
            esco_skill_group=e.text("esco_skill_group", optional=True), valid_years=years,
            implies=tuple(implies)))
    return tuple(out), version


def _occupations(directory: Path, competences: Mapping[str, Competence]
                 ) -> tuple[tuple[Occupation, ...], Mapping[str, Mapping[str, str]], str]:
    file = FILES["occupations"]
    doc, version = _read(directory, "occupations")
    vocab = {name: _vocabulary(doc, file, name) for name in ("sectors", "conditions", "reasons", "evidence")}
    if set(vocab["reasons"]) != set(REASONS):
        raise ReferenceDataError(f"Fout in referentiebestand {file}: [vocabulary.reasons] moet precies "
                                 f"{', '.join(REASONS)} bevatten.")
    lo, hi = OCCUPATION_COMPETENCES
    out = []
    for e in _entries(doc, file, "occupation", "beroep"):
        comps = e._get("competences", False)
        if not isinstance(comps, list):
            e.fail("veld 'competences' moet een lijst zijn")
        links = []
        for j, raw in enumerate(comps, 1):
            c = _Entry(file, f"{e.where}, competentie nr. {j}", raw)
            cid = c.text("id")
            if cid not in competences:
                c.fail(f"onbekende competentie '{cid}' (niet in {FILES['competences']})")
            links.append(OccupationCompetence(cid, c.flag("essential")))
        ids = [x.competence_id for x in links]
        if len(set(ids)) != len(ids):
            e.fail("een competentie staat meer dan eens in de lijst")
        if not lo <= len(links) <= hi:
            e.fail(f"verwacht {lo} tot {hi} competenties, gevonden {len(links)}")
        if sum(x.essential for x in links) < MIN_ESSENTIAL:
            e.fail(f"verwacht minstens {MIN_ESSENTIAL} essentiële competenties")
        certs = {}
        for key in ("certificates_required", "certificates_useful"):
            certs[key] = e.texts(key)
            for cid in certs[key]:
                if cid not in competences or not competences[cid].is_attest:
                    e.fail(f"'{cid}' in '{key}' is geen attest uit {FILES['competences']}")
        isco, rome, uri = e.text("isco"), e.text("rome"), e.text("esco_uri")
        if not _ISCO_RE.match(isco):
            e.fail(f"ISCO-code '{isco}' moet uit 4 cijfers bestaan")
        if not _ROME_RE.match(rome):
            e.fail(f"ROME-code '{rome}' heeft niet de vorm letter + 4 cijfers")
        if not uri.startswith(_ESCO_PREFIX):
            e.fail(f"ESCO-URI '{uri}' begint niet met {_ESCO_PREFIX}")
        ev = _Entry(file, f"{e.where}, evidence", e.table("evidence"))
        out.append(Occupation(
            id=e.text("id"), name_nl=e.text("name_nl"), name_fr=e.text("name_fr"),
            alt_labels_nl=e.texts("alt_labels_nl"), sector=e.text("sector", choices=tuple(vocab["sectors"])),
            bottleneck=e.flag("bottleneck", default=True), esco_uri=uri, isco=isco, rome=rome,
            reasons=e.texts("reasons", optional=False, choices=REASONS, non_empty=True),
            vks=e.integer("vks", lo=1, hi=8), conditions=e.texts("conditions", choices=tuple(vocab["conditions"])),
            certificates_required=certs["certificates_required"], certificates_useful=certs["certificates_useful"],
            competences=tuple(links),
            evidence=Evidence(ev.text("tag", choices=tuple(vocab["evidence"])), ev.text("source")),
            facts_ref=e.integer("facts_ref", optional=True, lo=1)))
    return tuple(out), vocab, version


def _source_occupations(directory: Path, competences: Mapping[str, Competence],
                        occupations: Mapping[str, Occupation]) -> tuple[tuple[SourceOccupation, ...], str]:
    file = FILES["source_occupations"]
    doc, version = _read(directory, "source_occupations")
    out = []
    for e in _entries(doc, file, "source_occupation", "bronberoep"):
        comps = e.texts("competences", optional=False, non_empty=True)
        trans = e.texts("transitions", optional=False, non_empty=True)
        for cid in comps:
            if cid not in competences:
                e.fail(f"onbekende competentie '{cid}'")
        for oid in trans:
            if oid not in occupations:
                e.fail(f"overgang naar onbekend beroep '{oid}' (niet in {FILES['occupations']})")
        isco = e.text("isco")
        if not _ISCO_RE.match(isco):
            e.fail(f"ISCO-code '{isco}' moet uit 4 cijfers bestaan")
        uri = e.text("esco_uri", optional=True)
        if uri is not None and not uri.startswith(_ESCO_PREFIX):
            e.fail(f"ESCO-URI '{uri}' begint niet met {_ESCO_PREFIX}")
        out.append(SourceOccupation(
            id=e.text("id"), name_nl=e.text("name_nl"), name_fr=e.text("name_fr"),
            alt_labels_nl=e.texts("alt_labels_nl"), isco=isco, esco_uri=uri, competences=comps, transitions=trans))
    return tuple(out), version


def _trainings(directory: Path, competences: Mapping[str, Competence]
               ) -> tuple[tuple[Training, ...], Mapping[str, str], str]:
    file = FILES["trainings"]
    doc, version = _read(directory, "trainings")
    routes = _vocabulary(doc, file, "routes")
    if set(routes) != set(ROUTES):
        raise ReferenceDataError(f"Fout in referentiebestand {file}: [vocabulary.routes] moet precies "
                                 f"{', '.join(ROUTES)} bevatten.")
    out = []
    for e in _entries(doc, file, "training", "opleiding"):
        teaches = e.texts("teaches", optional=False, non_empty=True)
        pre = e.texts("prerequisites")
        for cid in teaches + pre:
            if cid not in competences:
                e.fail(f"onbekende competentie '{cid}'")
        out.append(Training(
            id=e.text("id"), name_nl=e.text("name_nl"), name_fr=e.text("name_fr"),
            route=e.text("route", choices=ROUTES), provider_kind=e.text("provider_kind"),
            duration_weeks_indicative=e.number("duration_weeks_indicative", positive=True),
            indicative=e.flag("indicative", default=True), teaches=teaches, prerequisites=pre,
            prerequisites_note=e.text("prerequisites_note", optional=True),
            language=e.text("language", choices=LANGUAGES), schedule=e.text("schedule", choices=SCHEDULES)))
    return tuple(out), routes, version


def _rules(directory: Path, competences: Mapping[str, Competence]) -> tuple[Rules, str]:
    file = FILES["rules"]
    doc, version = _read(directory, "rules")
    items: dict[str, RuleValue] = {}
    for rid, raw in _Entry(file, "[rule]", doc).table("rule").items():
        e = _Entry(file, f"regel '{rid}'", raw)
        items[rid] = RuleValue(rid, e.number("value"), e.text("unit"), e.text("label_nl"),
                               e.text("tag", choices=RULE_TAGS), e.text("source"))
    if not items:
        raise ReferenceDataError(f"Fout in referentiebestand {file}: er zijn geen regels [rule.*].")
    validity: dict[str, CertificateValidity] = {}
    for cid, raw in _Entry(file, "[certificate_validity]", doc).table("certificate_validity", optional=True).items():
        e = _Entry(file, f"geldigheid '{cid}'", raw)
        comp = competences.get(cid)
        if comp is None or not comp.is_attest:
            e.fail(f"'{cid}' is geen attest uit {FILES['competences']}")
        years = e.integer("years", lo=1, hi=50)
        if comp.valid_years is not None and comp.valid_years != years:
            e.fail(f"{years} jaar verschilt van valid_years = {comp.valid_years} in {FILES['competences']}")
        validity[cid] = CertificateValidity(cid, years, e.text("tag", choices=RULE_TAGS), e.text("source"))
    return Rules(version, MappingProxyType(items), MappingProxyType(validity)), version


def _labour_market(directory: Path) -> tuple[LabourMarket, str]:
    file = FILES["labour_market"]
    doc, version = _read(directory, "labour_market")
    head = _Entry(file, "begin van het bestand", doc)
    points, last = [], None
    for i, raw in enumerate(doc.get("point") or [], 1):
        e = _Entry(file, f"punt nr. {i}", raw)
        year = e.integer("year", lo=1990, hi=2100)
        if last is not None and year <= last:
            e.fail("de jaren moeten oplopen zonder dubbels")
        last = year
        values = [e.number(k) for k in ("knelpunt", "kritiek_knelpunt")]
        if not all(0 <= v <= 100 for v in values):
            e.fail("percentages moeten tussen 0 en 100 liggen")
        points.append(LabourMarketPoint(year, *values))
    if not points:
        head.fail("de lijst [[point]] ontbreekt of is leeg")
    series = {k: str(v) for k, v in head.table("series", optional=True).items()}
    return LabourMarket(head.text("source"), head.text("unit"), head.text("label_nl"),
                        MappingProxyType(series), tuple(points)), version


def _education(directory: Path) -> tuple[tuple[EducationLevel, ...], tuple[Diploma, ...],
                                         tuple[QualificationExample, ...], str]:
    file = FILES["education"]
    doc, version = _read(directory, "education")
    levels = []
    for i, raw in enumerate(doc.get("vks_level") or [], 1):
        e = _Entry(file, f"VKS-niveau nr. {i}", raw)
        levels.append(EducationLevel(e.integer("level", lo=1, hi=8), e.text("label_nl"),
                                     e.text("typical_qualification_nl"), e.text("tag")))
    if sorted(x.level for x in levels) != list(range(1, 9)):
        raise ReferenceDataError(f"Fout in referentiebestand {file}: verwacht de VKS-niveaus 1 tot en met 8.")
    diplomas = []
    for e in _entries(doc, file, "diploma", "diploma"):
        diplomas.append(Diploma(e.text("id"), e.text("label_nl"), e.text("label_fr"),
                                e.text("group", choices=EDUCATION_GROUPS), e.integer("vks", optional=True, lo=1, hi=8),
                                e.texts("variants"), e.text("tag")))
    examples = []
    for i, raw in enumerate(doc.get("qualification_example") or [], 1):
        e = _Entry(file, f"beroepskwalificatie nr. {i}", raw)
        examples.append(QualificationExample(e.text("code"), e.text("label_nl"), e.integer("vks", lo=1, hi=8),
                                             e.text("tag")))
    return tuple(levels), tuple(diplomas), tuple(examples), version


# ---------------------------------------------------------------- entry points

def load_reference(path: str | Path | None = None) -> ReferenceData:
    """Read and check all reference files from ``path`` (default: the embedded resources/reference)."""
    directory = Path(path) if path is not None else resource_path("reference")
    if not directory.is_dir():
        raise ReferenceDataError(f"De map met referentiegegevens ontbreekt: {directory}.")
    versions: dict[str, str] = {}
    competences, versions["competences"] = _competences(directory)
    by_id = {c.id: c for c in competences}
    occupations, vocabulary, versions["occupations"] = _occupations(directory, by_id)
    sources, versions["source_occupations"] = _source_occupations(directory, by_id, {o.id: o for o in occupations})
    trainings, routes, versions["trainings"] = _trainings(directory, by_id)
    rules, versions["rules"] = _rules(directory, by_id)
    labour, versions["labour_market"] = _labour_market(directory)
    levels, diplomas, examples, versions["education"] = _education(directory)
    vocab = {**vocabulary, "routes": routes}
    return ReferenceData(
        competences=competences, occupations=occupations, source_occupations=sources, trainings=trainings,
        rules=rules, labour_market=labour, education_levels=levels, diplomas=diplomas,
        qualification_examples=examples, vocabulary=MappingProxyType(vocab),
        file_versions=MappingProxyType(versions))


@lru_cache(maxsize=1)
def default_reference() -> ReferenceData:
    """The embedded reference data, read once per process."""
    return load_reference()
