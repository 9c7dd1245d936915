"""How the reference data is stored in the database: the documents, the sync of the embedded
layer and the effective (merged) reference.

Layers, from bottom to top (``load_effective_reference`` merges them into one
``core.reference.ReferenceData``, the same type ``load_reference`` returns):

1. ``embedded``: the documents of resources/reference/*.toml. ``sync_embedded`` replaces them when
   the files' version differs from the stored one (first start, every upgrade) and does nothing
   otherwise; worker data and the local layers are never touched.
2. the most recent confirmed yearly bottleneck list (``reference_bottlenecks``): sets the
   occupations' bottleneck flag and reasons.
3. ``local`` rows: a counsellor's edited occupation (an *override*, it wins as a whole and
   remembers the digest of the embedded document it was made from, so an upgrade that changes
   that document is reported) or an occupation of their own (an *addition*).
4. local competence variants (``reference_variants``), added to the embedded variants.

The local layers are written by ``db.reference_repo.ReferenceRepository``. Every local change
raises ``local_revision`` (``bump_local_revision``); together with the embedded version and the
synonyms it forms the data version under which the effective reference and the matching service
are cached (``effective_reference``, ``matching_service_for``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping

import sqlite_utils

from core.competences import phrase_key
from core.i18n import tr
from core.reference import (FILES, CertificateValidity, Competence, Diploma, EducationLevel, Evidence, LabourMarket,
                            LabourMarketPoint, Occupation, OccupationCompetence, QualificationExample, ReferenceData,
                            Rules, RuleValue, SourceOccupation, Training)
from db.convert import utc_now

__all__ = ["SyncReport", "LocalChange", "embedded_version", "ensure_synced", "sync_embedded",
           "load_effective_reference", "effective_reference", "data_version", "matching_service_for", "is_synced",
           "asdict", "occupation_document", "decode_occupation", "canonical_json", "body_digest", "read_meta",
           "bump_local_revision", "LIST_KINDS", "SINGLE_KINDS", "KIND_LABELS"]

_CTX = "reference"
log = logging.getLogger("werkbrug.reference")

EMBEDDED, LOCAL = "embedded", "local"
LIST_KINDS = ("competence", "occupation", "source_occupation", "training")
SINGLE_KINDS = ("rules", "labour_market", "education", "vocabulary")
KIND_LABELS = {"competence": "competentie", "occupation": "beroep", "source_occupation": "bronberoep",
               "training": "opleiding"}


# ---------------------------------------------------------------- documents <-> dataclasses

def canonical_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def asdict(obj: Any) -> Any:
    """Plain JSON-able data of a reference dataclass (faster than dataclasses.asdict)."""
    if is_dataclass(obj):
        return {n: asdict(getattr(obj, n)) for n in _field_names(type(obj))}
    if isinstance(obj, (tuple, list)):
        return [asdict(v) for v in obj]
    if isinstance(obj, Mapping):
        return {k: asdict(v) for k, v in obj.items()}
    return obj


def _encode(reference: ReferenceData) -> dict[str, list[tuple[str, dict]]]:
    """kind -> [(id, document)] in file order."""
    out: dict[str, list[tuple[str, dict]]] = {
        "competence": [(c.id, asdict(c)) for c in reference.competences],
        "occupation": [(o.id, asdict(o)) for o in reference.occupations],
        "source_occupation": [(s.id, asdict(s)) for s in reference.source_occupations],
        "training": [(t.id, asdict(t)) for t in reference.trainings],
    }
    r = reference.rules
    out["rules"] = [("rules", {"version": r.version, "items": {k: asdict(v) for k, v in r.items.items()},
                               "certificate_validity": {k: asdict(v) for k, v in r.certificate_validity.items()}})]
    lm = reference.labour_market
    out["labour_market"] = [("labour_market", {
        "source": lm.source, "unit": lm.unit, "label_nl": lm.label_nl, "series_labels": dict(lm.series_labels),
        "points": [asdict(p) for p in lm.points]})]
    out["education"] = [("education", {
        "levels": [asdict(x) for x in reference.education_levels],
        "diplomas": [asdict(x) for x in reference.diplomas],
        "examples": [asdict(x) for x in reference.qualification_examples]})]
    out["vocabulary"] = [("vocabulary", {k: dict(v) for k, v in reference.vocabulary.items()})]
    return out


def occupation_document(o: Occupation) -> dict:
    return asdict(o)


def _t(v) -> tuple:
    return tuple(v or ())


def _competence(d: dict) -> Competence:
    return Competence(id=d["id"], label_nl=d["label_nl"], label_fr=d["label_fr"], kind=d["kind"],
                      variants=_t(d.get("variants")), esco_skill_group=d.get("esco_skill_group"),
                      valid_years=d.get("valid_years"), implies=_t(d.get("implies")))


def decode_occupation(d: dict) -> Occupation:
    ev = d.get("evidence") or {}
    return Occupation(
        id=d["id"], name_nl=d["name_nl"], name_fr=d.get("name_fr", ""), alt_labels_nl=_t(d.get("alt_labels_nl")),
        sector=d.get("sector", ""), bottleneck=bool(d.get("bottleneck", True)), esco_uri=d.get("esco_uri", ""),
        isco=d.get("isco", ""), rome=d.get("rome", ""), reasons=_t(d.get("reasons")), vks=int(d.get("vks") or 0),
        conditions=_t(d.get("conditions")), certificates_required=_t(d.get("certificates_required")),
        certificates_useful=_t(d.get("certificates_useful")),
        competences=tuple(OccupationCompetence(c["competence_id"], bool(c["essential"]))
                          for c in d.get("competences") or ()),
        evidence=Evidence(ev.get("tag", "G"), ev.get("source", "")), facts_ref=d.get("facts_ref"))


def _source(d: dict) -> SourceOccupation:
    return SourceOccupation(id=d["id"], name_nl=d["name_nl"], name_fr=d.get("name_fr", ""),
                            alt_labels_nl=_t(d.get("alt_labels_nl")), isco=d.get("isco", ""),
                            esco_uri=d.get("esco_uri"), competences=_t(d.get("competences")),
                            transitions=_t(d.get("transitions")))


def _training(d: dict) -> Training:
    return Training(id=d["id"], name_nl=d["name_nl"], name_fr=d.get("name_fr", ""), route=d["route"],
                    provider_kind=d.get("provider_kind", ""),
                    duration_weeks_indicative=d.get("duration_weeks_indicative", 0),
                    indicative=bool(d.get("indicative", True)), teaches=_t(d.get("teaches")),
                    prerequisites=_t(d.get("prerequisites")), prerequisites_note=d.get("prerequisites_note"),
                    language=d.get("language", "nl"), schedule=d.get("schedule", "dag"))


_BUILD = {"competence": _competence, "occupation": decode_occupation, "source_occupation": _source,
          "training": _training}


def _rules(d: dict) -> Rules:
    return Rules(d["version"], MappingProxyType({k: RuleValue(**v) for k, v in d["items"].items()}),
                 MappingProxyType({k: CertificateValidity(**v) for k, v in d["certificate_validity"].items()}))


def _labour(d: dict) -> LabourMarket:
    return LabourMarket(d["source"], d["unit"], d["label_nl"], MappingProxyType(dict(d["series_labels"])),
                        tuple(LabourMarketPoint(**p) for p in d["points"]))


# ---------------------------------------------------------------- versions

_VERSION_LINE = re.compile(rb'^version\s*=\s*"([^"]+)"', re.MULTILINE)


@lru_cache(maxsize=1)
def embedded_version() -> str:
    """The version of the embedded files, as ``ReferenceData.version`` spells it, read from the
    file headers only (no parsing): the start-up check costs well under a millisecond."""
    from core.resources import resource_path
    folder = resource_path("reference")
    versions = {}
    for key, name in FILES.items():
        try:
            head = (folder / name).read_bytes()[:4096]
        except OSError:
            return ""
        m = _VERSION_LINE.search(head)
        versions[key] = m.group(1).decode() if m else "?"
    return ";".join(f"{k}={v}" for k, v in sorted(versions.items()))


def read_meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM reference_meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def _set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.conn.execute("INSERT OR REPLACE INTO reference_meta (key, value) VALUES (?, ?)", [key, value])


def bump_local_revision(db: sqlite_utils.Database) -> None:
    db.conn.execute("INSERT INTO reference_meta (key, value) VALUES ('local_revision', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def is_synced(db: sqlite_utils.Database) -> bool:
    try:
        return read_meta(db, "embedded_version") is not None
    except sqlite3.OperationalError:
        return False


# ---------------------------------------------------------------- sync

@dataclass(frozen=True)
class LocalChange:
    """A local row whose embedded base changed or disappeared in an upgrade."""
    kind: str
    item_id: str
    name: str
    problem: str          # "changed" | "removed" | "now_embedded"


@dataclass
class SyncReport:
    version: str
    previous: str | None
    changed: bool
    added: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    local_changes: list[LocalChange] = field(default_factory=list)

    def summary(self) -> str:
        if not self.changed:
            return tr(_CTX, "Referentiegegevens zijn bijgewerkt (versie ongewijzigd).")
        n_add, n_rem, n_upd = (sum(d.values()) for d in (self.added, self.removed, self.updated))
        text = tr(_CTX, "Referentiegegevens bijgewerkt: {toegevoegd} toegevoegd, {gewijzigd} gewijzigd, "
                        "{verwijderd} verwijderd.").format(toegevoegd=n_add, gewijzigd=n_upd, verwijderd=n_rem)
        if self.local_changes:
            text += " " + tr(_CTX, "{n} lokale aanpassingen steunen op gewijzigde gegevens; kijk ze na.").format(
                n=len(self.local_changes))
        return text


def sync_embedded(db: sqlite_utils.Database, reference: ReferenceData | None = None) -> SyncReport:
    """Store ``reference`` (default: the embedded files) as the embedded layer.

    A no-op when the stored embedded version equals ``reference.version``. Otherwise the embedded
    rows are replaced in one transaction; local rows, variants, bottleneck lists and worker data
    stay, and local rows whose embedded base changed are flagged and reported.
    """
    if reference is None:
        from core.reference import default_reference
        reference = default_reference()
    version = reference.version
    previous = read_meta(db, "embedded_version")
    if previous == version:
        return SyncReport(version, previous, False)
    report = SyncReport(version, previous, True)
    docs = _encode(reference)
    x = db.conn.execute
    with db.atomic():
        old = {(k, i): d for k, i, d in x("SELECT kind, item_id, digest FROM reference_items WHERE origin = ?",
                                          [EMBEDDED]).fetchall()}
        new: dict[tuple[str, str], str] = {}
        rows = []
        now = utc_now()
        for kind, items in docs.items():
            for pos, (item_id, doc) in enumerate(items):
                body = canonical_json(doc)
                digest = body_digest(body)
                new[(kind, item_id)] = digest
                rows.append((kind, item_id, EMBEDDED, pos, body, digest, now))
        x("DELETE FROM reference_items WHERE origin = ?", [EMBEDDED])
        db.conn.executemany("INSERT INTO reference_items (kind, item_id, origin, position, body, digest, modified) "
                            "VALUES (?,?,?,?,?,?,?)", rows)
        if previous is not None:
            for kind in LIST_KINDS:
                o = {i for k, i in old if k == kind}
                n = {i for k, i in new if k == kind}
                report.added[kind] = len(n - o)
                report.removed[kind] = len(o - n)
                report.updated[kind] = sum(1 for i in o & n if old[(kind, i)] != new[(kind, i)])
        for kind, item_id, base, body in x("SELECT kind, item_id, base_digest, body FROM reference_items "
                                           "WHERE origin = ?", [LOCAL]).fetchall():
            current = new.get((kind, item_id))
            if base is None and current is None:
                continue                                  # an addition, still the counsellor's own
            problem = ("now_embedded" if base is None else "removed" if current is None
                       else "changed" if current != base else "")
            if not problem:
                continue
            name = (json.loads(body).get("name_nl") or item_id)
            report.local_changes.append(LocalChange(kind, item_id, name, problem))
            x("UPDATE reference_items SET base_changed = 1 WHERE kind = ? AND item_id = ? AND origin = ?",
              [kind, item_id, LOCAL])
        _set_meta(db, "embedded_version", version)
        _set_meta(db, "embedded_synced", now)
        if previous is None:
            _set_meta(db, "instance", uuid.uuid4().hex)
        bump_local_revision(db)
    if previous is not None:
        log.info("reference data %s -> %s: %s", previous, version, report.summary())
    return report


def ensure_synced(db: sqlite_utils.Database) -> SyncReport | None:
    """Start-up hook: sync when the stored version differs from the embedded files' version.

    Costs two small reads when nothing changed. Returns None when nothing was done (or the
    database has no reference tables, e.g. opened without migrating).
    """
    try:
        stored = read_meta(db, "embedded_version")
    except sqlite3.OperationalError:
        return None
    if stored is not None and stored == embedded_version():
        return None
    from core.reference import default_reference
    return sync_embedded(db, default_reference())


# ---------------------------------------------------------------- the effective reference

def _latest_bottlenecks(db: sqlite_utils.Database) -> tuple[int | None, dict[str, tuple[bool, tuple[str, ...]]]]:
    row = db.conn.execute("SELECT max(year) FROM reference_bottleneck_lists").fetchone()
    year = row[0] if row else None
    if year is None:
        return None, {}
    rows = db.conn.execute("SELECT occupation_id, bottleneck, reasons FROM reference_bottlenecks WHERE year = ?",
                           [year]).fetchall()
    return year, {oid: (bool(b), tuple(json.loads(r))) for oid, b, r in rows}


def load_effective_reference(db: sqlite_utils.Database) -> ReferenceData:
    """Embedded data + the latest bottleneck list + local edits and additions + local variants."""
    if not is_synced(db):
        sync_embedded(db)
    rows = db.conn.execute("SELECT kind, item_id, origin, body FROM reference_items "
                           "ORDER BY origin = 'local', position, item_id").fetchall()
    docs: dict[str, dict[str, dict]] = {k: {} for k in (*LIST_KINDS, *SINGLE_KINDS)}
    for kind, item_id, _origin, body in rows:      # local rows come last and replace embedded ones
        if kind in docs:
            docs[kind][item_id] = json.loads(body)
    competences = []
    variants: dict[str, list[str]] = {}
    for cid, text in db.conn.execute("SELECT competence_id, text FROM reference_variants ORDER BY created, text"):
        variants.setdefault(cid, []).append(text)
    for d in docs["competence"].values():
        extra = variants.get(d["id"])
        c = _competence(d)
        if extra:
            seen = {phrase_key(t) for t in c.labels}
            add = []
            for t in extra:
                k = phrase_key(t)
                if k and k not in seen:
                    seen.add(k)
                    add.append(t)
            c = replace(c, variants=c.variants + tuple(add))
        competences.append(c)
    known = {c.id for c in competences}
    attests = {c.id for c in competences if c.is_attest}
    _year, listed = _latest_bottlenecks(db)
    local_ids = {i for k, i, o, _b in rows if k == "occupation" and o == LOCAL}
    occupations = []
    for oid, d in docs["occupation"].items():
        o = decode_occupation(d)
        if oid in listed and oid not in local_ids:
            flag, reasons = listed[oid]
            o = replace(o, bottleneck=flag, reasons=reasons)
        if oid in local_ids:    # an edit may refer to competences a later version removed
            o = replace(o, competences=tuple(c for c in o.competences if c.competence_id in known),
                        certificates_required=tuple(c for c in o.certificates_required if c in attests),
                        certificates_useful=tuple(c for c in o.certificates_useful if c in attests))
        occupations.append(o)
    occ_ids = {o.id for o in occupations}
    sources = [_source(d) for d in docs["source_occupation"].values()]
    sources = [replace(s, transitions=tuple(t for t in s.transitions if t in occ_ids)) for s in sources]
    trainings = [_training(d) for d in docs["training"].values()]
    education = docs["education"].get("education") or {"levels": [], "diplomas": [], "examples": []}
    vocabulary = {k: MappingProxyType(dict(v)) for k, v in (docs["vocabulary"].get("vocabulary") or {}).items()}
    embedded = read_meta(db, "embedded_version") or ""
    versions = dict(p.split("=", 1) for p in embedded.split(";") if "=" in p)
    revision = int(read_meta(db, "local_revision", "0") or 0)
    if rows and (local_ids or variants or listed):
        versions["local"] = str(revision)
    return ReferenceData(
        competences=tuple(competences), occupations=tuple(occupations), source_occupations=tuple(sources),
        trainings=tuple(trainings), rules=_rules(docs["rules"]["rules"]),
        labour_market=_labour(docs["labour_market"]["labour_market"]),
        education_levels=tuple(EducationLevel(**x) for x in education["levels"]),
        diplomas=tuple(Diploma(**{**x, "variants": _t(x.get("variants"))}) for x in education["diplomas"]),
        qualification_examples=tuple(QualificationExample(**x) for x in education["examples"]),
        vocabulary=MappingProxyType(vocabulary), file_versions=MappingProxyType(versions))


def _instance(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return f"{row[2] if row else ''}|{read_meta(db, 'instance', '')}|{id(db.conn) if not (row and row[2]) else ''}"


def data_version(db: sqlite_utils.Database) -> tuple:
    """What the effective reference depends on: database, embedded version, local revision."""
    return (_instance(db), read_meta(db, "embedded_version"), read_meta(db, "local_revision", "0"))


def _synonym_stamp(db: sqlite_utils.Database) -> tuple:
    try:
        return tuple(db.conn.execute("SELECT count(*), max(created) FROM competence_synonyms").fetchone())
    except sqlite3.OperationalError:
        return ()


_cache_lock = threading.Lock()
_reference_cache: dict[tuple, ReferenceData] = {}
_matching_cache: dict[tuple, Any] = {}


def _embedded_only(db: sqlite_utils.Database, stored_version: str | None) -> ReferenceData | None:
    """The embedded files' data already in memory, when the database adds nothing to it (no local
    rows, variants or bottleneck lists) and holds that same version: saves decoding it again."""
    from core.reference import default_reference
    if default_reference.cache_info().currsize == 0 or stored_version != embedded_version():
        return None
    local = db.conn.execute("SELECT EXISTS(SELECT 1 FROM reference_items WHERE origin = 'local') "
                            "OR EXISTS(SELECT 1 FROM reference_variants) "
                            "OR EXISTS(SELECT 1 FROM reference_bottleneck_lists)").fetchone()[0]
    if local:
        return None
    ref = default_reference()
    return ref if ref.version == stored_version else None


def effective_reference(db: sqlite_utils.Database) -> ReferenceData:
    """``load_effective_reference``, cached per data version (a local change gives a new one)."""
    if not is_synced(db):
        sync_embedded(db)
    key = data_version(db)
    with _cache_lock:
        hit = _reference_cache.get(key)
    if hit is not None:
        return hit
    ref = _embedded_only(db, key[1]) or load_effective_reference(db)
    with _cache_lock:
        if len(_reference_cache) >= 4:
            _reference_cache.clear()
        _reference_cache[key] = ref
    return ref


def matching_service_for(db: sqlite_utils.Database):
    """A ``core.matching.MatchingService`` over the effective reference and the counsellors'
    synonyms, built once per data version (a new synonym, variant or edit gives a fresh one)."""
    from core.matching import MatchingService
    from db.matches import SynonymRepository
    ref = effective_reference(db)
    key = (data_version(db), _synonym_stamp(db))
    with _cache_lock:
        hit = _matching_cache.get(key)
    if hit is not None:
        return hit
    service = MatchingService.create(ref, SynonymRepository(db).all())
    with _cache_lock:
        if len(_matching_cache) >= 2:
            _matching_cache.clear()
        _matching_cache[key] = service
    return service
