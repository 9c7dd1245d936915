"""The reference data in the database: embedded layer, local edits, yearly bottleneck lists.

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

Every local change raises ``local_revision``; together with the embedded version and the
synonyms it forms the data version under which the effective reference and the matching
service are cached (``effective_reference``, ``matching_service_for``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import threading
import unicodedata
import uuid
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import sqlite_utils

from core.competences import phrase_key
from core.errors import UserError
from core.i18n import tr
from core.reference import (FILES, MIN_ESSENTIAL, OCCUPATION_COMPETENCES, REASONS, CertificateValidity, Competence,
                            Diploma, EducationLevel, Evidence, LabourMarket, LabourMarketPoint, Occupation,
                            OccupationCompetence, QualificationExample, ReferenceData, Rules, RuleValue,
                            SourceOccupation, Training)
from db.accounts import BOUND, require, resolve
from db.convert import utc_now

__all__ = ["SyncReport", "LocalChange", "ReferenceRepository", "embedded_version", "ensure_synced", "sync_embedded",
           "load_effective_reference", "effective_reference", "data_version", "matching_service_for",
           "is_synced", "LiveMatchingService", "occupation_slug", "ESCO_OCCUPATION_PREFIX"]

_CTX = "reference"
log = logging.getLogger("werkbrug.reference")

EMBEDDED, LOCAL = "embedded", "local"
LIST_KINDS = ("competence", "occupation", "source_occupation", "training")
SINGLE_KINDS = ("rules", "labour_market", "education", "vocabulary")
KIND_LABELS = {"competence": "competentie", "occupation": "beroep", "source_occupation": "bronberoep",
               "training": "opleiding"}


# ---------------------------------------------------------------- documents <-> dataclasses

def _canonical(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(body: str) -> str:
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
                      valid_years=d.get("valid_years"))


def _occupation(d: dict) -> Occupation:
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


_BUILD = {"competence": _competence, "occupation": _occupation, "source_occupation": _source, "training": _training}


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


def _meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM reference_meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def _set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.conn.execute("INSERT OR REPLACE INTO reference_meta (key, value) VALUES (?, ?)", [key, value])


def _bump(db: sqlite_utils.Database) -> None:
    db.conn.execute("INSERT INTO reference_meta (key, value) VALUES ('local_revision', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def is_synced(db: sqlite_utils.Database) -> bool:
    try:
        return _meta(db, "embedded_version") is not None
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
    previous = _meta(db, "embedded_version")
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
                body = _canonical(doc)
                digest = _digest(body)
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
        _bump(db)
    if previous is not None:
        log.info("reference data %s -> %s: %s", previous, version, report.summary())
    return report


def ensure_synced(db: sqlite_utils.Database) -> SyncReport | None:
    """Start-up hook: sync when the stored version differs from the embedded files' version.

    Costs two small reads when nothing changed. Returns None when nothing was done (or the
    database has no reference tables, e.g. opened without migrating).
    """
    try:
        stored = _meta(db, "embedded_version")
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
        o = _occupation(d)
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
    embedded = _meta(db, "embedded_version") or ""
    versions = dict(p.split("=", 1) for p in embedded.split(";") if "=" in p)
    revision = int(_meta(db, "local_revision", "0") or 0)
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
    return f"{row[2] if row else ''}|{_meta(db, 'instance', '')}|{id(db.conn) if not (row and row[2]) else ''}"


def data_version(db: sqlite_utils.Database) -> tuple:
    """What the effective reference depends on: database, embedded version, local revision."""
    return (_instance(db), _meta(db, "embedded_version"), _meta(db, "local_revision", "0"))


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


# ---------------------------------------------------------------- local edits

ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
_ISCO = re.compile(r"\d{4}")


def occupation_slug(name: str) -> str:
    """The id of an own occupation, derived from its Dutch name: lower case, no accents, words
    joined by hyphens ("Lasser TIG (inox)" -> "lasser-tig-inox")."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


@dataclass(frozen=True)
class LocalItem:
    kind: str
    item_id: str
    name: str
    override: bool            # True: replaces an embedded entry; False: the counsellor's own entry
    base_changed: bool
    modified: str
    modified_by: str


@dataclass(frozen=True)
class BottleneckYear:
    year: int
    file_name: str
    imported: str
    imported_by: str
    listed: int
    unlinked: tuple[str, ...]


class ReferenceRepository:
    """Local edits of the reference data. ``principal``: who acts (default: the one signed in on
    ``db``); editing occupations and importing bottleneck lists needs ``manages_reference_data``."""

    def __init__(self, db: sqlite_utils.Database, principal=BOUND, audit=BOUND):
        self.db = db
        self.principal, self.audit = resolve(db, principal, audit)

    # -- helpers ---------------------------------------------------------------------------------
    @property
    def may_edit(self) -> bool:
        return self.principal is None or bool(getattr(self.principal, "manages_reference_data", False))

    def _require_edit(self) -> None:
        require(self.principal, self.may_edit, tr(_CTX, "referentiegegevens aanpassen"))

    def _who(self) -> str:
        return getattr(self.principal, "login", "") if self.principal is not None else ""

    def _log(self, action: str, entity: str, entity_id: str, details: dict | None = None) -> None:
        if self.audit is not None:
            self.audit.record(action, entity, entity_id, details)

    def reference(self) -> ReferenceData:
        return effective_reference(self.db)

    # -- status ----------------------------------------------------------------------------------
    def status(self) -> dict:
        x = self.db.conn.execute
        counts = dict(x("SELECT kind, count(*) FROM reference_items WHERE origin = 'embedded' GROUP BY kind").fetchall())
        return {"embedded_version": _meta(self.db, "embedded_version"),
                "embedded_synced": _meta(self.db, "embedded_synced"),
                "files_version": embedded_version(),
                "local_revision": int(_meta(self.db, "local_revision", "0") or 0),
                "counts": {k: counts.get(k, 0) for k in LIST_KINDS},
                "local": [asdict(i) for i in self.local_items()],
                "variants": len(self.variants()),
                "bottleneck_years": [b.year for b in self.bottleneck_years()]}

    def local_items(self, kind: str | None = None) -> list[LocalItem]:
        sql = ("SELECT kind, item_id, body, base_digest IS NOT NULL, base_changed, modified, modified_by "
               "FROM reference_items WHERE origin = 'local'")
        args: list = []
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        out = []
        for k, i, body, override, changed, modified, by in self.db.conn.execute(sql + " ORDER BY kind, item_id", args):
            out.append(LocalItem(k, i, json.loads(body).get("name_nl") or i, bool(override), bool(changed),
                                 modified, by))
        return out

    def local_item(self, kind: str, item_id: str) -> LocalItem | None:
        return next((i for i in self.local_items(kind) if i.item_id == item_id), None)

    def embedded_occupation(self, occupation_id: str) -> Occupation | None:
        row = self.db.conn.execute("SELECT body FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                                   "AND origin = 'embedded'", [occupation_id]).fetchone()
        return _occupation(json.loads(row[0])) if row else None

    # -- occupations -----------------------------------------------------------------------------
    def _check_occupation(self, o: Occupation, ref: ReferenceData) -> None:
        def fail(message: str) -> None:
            raise UserError(message)

        if not o.id or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", o.id):
            fail(tr(_CTX, "Het id van een beroep mag enkel kleine letters, cijfers en koppeltekens bevatten."))
        if not (o.name_nl or "").strip():
            fail(tr(_CTX, "Een beroep heeft een naam nodig."))
        bad = [r for r in o.reasons if r not in REASONS]
        if bad:
            fail(tr(_CTX, "Onbekende knelpuntredenen: {redenen}.").format(redenen=", ".join(bad)))
        if len(set(o.reasons)) != len(o.reasons):
            fail(tr(_CTX, "Een knelpuntreden staat er meer dan eens."))
        if o.bottleneck and not o.reasons:
            fail(tr(_CTX, "Een knelpuntberoep heeft minstens één reden nodig (kwantitatief, kwalitatief of "
                          "arbeidsomstandigheden)."))
        ids = [c.competence_id for c in o.competences]
        if not ids:
            fail(tr(_CTX, "Een beroep heeft minstens één competentie nodig."))
        if len(set(ids)) != len(ids):
            fail(tr(_CTX, "Een competentie staat meer dan eens in de lijst."))
        unknown = [i for i in ids + list(o.certificates_required) + list(o.certificates_useful)
                   if not ref.has_competence(i)]
        if unknown:
            fail(tr(_CTX, "Onbekende competenties: {ids}.").format(ids=", ".join(unknown)))
        if not any(c.essential for c in o.competences):
            fail(tr(_CTX, "Duid minstens één competentie aan als essentieel."))
        self._check_occupation_fields(o, ref)

    def _check_occupation_fields(self, o: Occupation, ref: ReferenceData) -> None:
        """The rules the embedded data obeys (schema test of occupations.toml), for local versions."""
        lo, hi = OCCUPATION_COMPETENCES
        n, essential = len(o.competences), sum(1 for c in o.competences if c.essential)
        if not lo <= n <= hi or essential < MIN_ESSENTIAL:
            raise UserError(tr(_CTX, "Een beroep heeft {min} tot {max} competenties, waarvan minstens {ess} "
                                     "essentiële; nu zijn het er {n}, waarvan {e} essentieel.").format(
                min=lo, max=hi, ess=MIN_ESSENTIAL, n=n, e=essential))
        not_attest = [c for c in (*o.certificates_required, *o.certificates_useful)
                      if not ref.competence_by_id(c).is_attest]
        if not_attest:
            raise UserError(tr(_CTX, "Enkel attesten kunnen als verplicht of nuttig attest gelden: {ids}.").format(
                ids=", ".join(not_attest)))
        both = set(o.certificates_required) & set(o.certificates_useful)
        if both or len(set(o.certificates_required)) != len(o.certificates_required) or \
                len(set(o.certificates_useful)) != len(o.certificates_useful):
            raise UserError(tr(_CTX, "Een attest staat er meer dan eens (verplicht en nuttig sluiten elkaar uit)."))
        if not _ISCO.fullmatch(o.isco or ""):
            raise UserError(tr(_CTX, "De ISCO-code '{isco}' moet uit 4 cijfers bestaan (ISCO-08, bv. 7212).").format(
                isco=o.isco or ""))
        if o.esco_uri and not (o.esco_uri.startswith(ESCO_OCCUPATION_PREFIX)
                               and len(o.esco_uri) > len(ESCO_OCCUPATION_PREFIX)):
            raise UserError(tr(_CTX, "Een ESCO-URI begint met {prefix}; laat het veld leeg als je ze niet kent.").format(
                prefix=ESCO_OCCUPATION_PREFIX))
        if not 1 <= int(o.vks or 0) <= 8:
            raise UserError(tr(_CTX, "Het VKS-niveau ligt tussen 1 en 8."))
        voc = ref.vocabulary
        if o.sector not in voc.get("sectors", {}):
            raise UserError(tr(_CTX, "Kies een sector uit de lijst."))
        bad = [c for c in o.conditions if c not in voc.get("conditions", {})]
        if bad or len(set(o.conditions)) != len(o.conditions):
            raise UserError(tr(_CTX, "Onbekende of dubbele arbeidsomstandigheden: {c}.").format(
                c=", ".join(bad) or ", ".join(o.conditions)))
        labels = [a.strip() for a in o.alt_labels_nl]
        if any(not a for a in labels):
            raise UserError(tr(_CTX, "Een synoniem van de naam mag niet leeg zijn."))
        if len({a.casefold() for a in labels}) != len(labels):
            raise UserError(tr(_CTX, "Een synoniem van de naam staat er meer dan eens."))
        taken = {phrase_key(label): other for other in ref.occupations if other.id != o.id
                 for label in other.labels_nl}
        other = taken.get(phrase_key(o.name_nl))
        if other is not None:
            raise UserError(tr(_CTX, "Er bestaat al een beroep met de naam '{naam}': '{ander}'.").format(
                naam=o.name_nl.strip(), ander=other.name_nl))

    def save_occupation(self, occupation: Occupation) -> None:
        """Store an edited occupation as a local override (or a new occupation as an addition)."""
        self._require_edit()
        ref = self.reference()
        self._check_occupation(occupation, ref)
        body = _canonical(occupation_document(occupation))
        x = self.db.conn.execute
        with self.db.atomic():
            base = x("SELECT digest, body FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                     "AND origin = 'embedded'", [occupation.id]).fetchone()
            if base is not None and _canonical(json.loads(base[1])) == body:
                removed = x("DELETE FROM reference_items WHERE kind = 'occupation' AND item_id = ? AND origin = 'local'",
                            [occupation.id]).rowcount      # identical to the embedded one: no override needed
                if removed:
                    _bump(self.db)
                return
            pos = x("SELECT coalesce(max(position), 0) + 1 FROM reference_items WHERE kind = 'occupation'").fetchone()[0]
            old = x("SELECT position, uid FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                    "AND origin = 'local'", [occupation.id]).fetchone()
            x("INSERT OR REPLACE INTO reference_items (kind, item_id, origin, position, body, digest, base_digest, "
              "base_changed, uid, modified, modified_by) VALUES ('occupation', ?, 'local', ?, ?, ?, ?, 0, ?, ?, ?)",
              [occupation.id, old[0] if old else pos, body, _digest(body), base[0] if base else None,
               old[1] if old else uuid.uuid4().hex, utc_now(), self._who()])
            _bump(self.db)
            self._log("reference_edit" if base is not None or old else "reference_add", "occupation", occupation.id,
                      {"override": base is not None, "name": occupation.name_nl, "reasons": list(occupation.reasons),
                       "competences": len(occupation.competences), "alt_labels": len(occupation.alt_labels_nl),
                       "conditions": list(occupation.conditions),
                       "certificates": len(occupation.certificates_required) + len(occupation.certificates_useful)})

    def revert_occupation(self, occupation_id: str) -> bool:
        """Drop the local version of an occupation: the embedded one applies again (an own
        addition is removed). True when something was removed."""
        self._require_edit()
        with self.db.atomic():
            n = self.db.conn.execute("DELETE FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                                     "AND origin = 'local'", [occupation_id]).rowcount
            if n:
                _bump(self.db)
                self._log("reference_revert", "occupation", occupation_id)
        return bool(n)

    def add_occupation(self, occupation: Occupation) -> Occupation:
        """Store an occupation of one's own (a local addition). Its id is derived from the Dutch
        name (``occupation_slug``); an id or name that already exists is refused. Returns the
        stored occupation (with that id); matching uses it from then on."""
        self._require_edit()
        occupation = replace(occupation, id=occupation_slug(occupation.name_nl))
        ref = self.reference()
        if not occupation.id:
            raise UserError(tr(_CTX, "Een beroep heeft een naam nodig."))
        if any(o.id == occupation.id for o in ref.occupations) or self.embedded_occupation(occupation.id):
            raise UserError(tr(_CTX, "Er bestaat al een beroep met deze naam (id '{id}'); kies een andere naam.").format(
                id=occupation.id))
        self.save_occupation(occupation)
        return occupation

    def delete_occupation(self, occupation_id: str) -> bool:
        """Remove an occupation of one's own (not an adjusted embedded one: revert that). True
        when it was removed."""
        self._require_edit()
        item = self.local_item("occupation", occupation_id)
        if item is None:
            return False
        if item.override or self.embedded_occupation(occupation_id) is not None:
            raise UserError(tr(_CTX, "Een beroep van Werkbrug kan je niet verwijderen, enkel terugzetten."))
        with self.db.atomic():
            n = self.db.conn.execute("DELETE FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                                     "AND origin = 'local'", [occupation_id]).rowcount
            if n:
                _bump(self.db)
                self._log("reference_delete", "occupation", occupation_id, {"name": item.name})
        return bool(n)

    def is_local(self, occupation_id: str) -> bool:
        return self.db.conn.execute("SELECT 1 FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                                    "AND origin = 'local'", [occupation_id]).fetchone() is not None

    # -- competence variants ---------------------------------------------------------------------
    def variants(self, competence_id: str | None = None) -> list[tuple[str, str]]:
        sql = "SELECT competence_id, text FROM reference_variants"
        args: list = []
        if competence_id:
            sql += " WHERE competence_id = ?"
            args.append(competence_id)
        return [tuple(r) for r in self.db.conn.execute(sql + " ORDER BY competence_id, created, text", args)]

    def add_variant(self, competence_id: str, text: str) -> bool:
        """Add a way of writing a competence (the matcher uses it from then on). False when the
        competence already has it; a text that belongs to another competence is refused."""
        text = " ".join((text or "").split())
        key = phrase_key(text)
        if not key:
            raise UserError(tr(_CTX, "Geef een variant of synoniem in."))
        ref = self.reference()
        if not ref.has_competence(competence_id):
            raise UserError(tr(_CTX, "Onbekende competentie: {id}.").format(id=competence_id))
        for c in ref.competences:
            if key in {phrase_key(t) for t in (*c.labels, c.label_fr)}:
                if c.id == competence_id:
                    return False
                raise UserError(tr(_CTX, "'{tekst}' hoort al bij de competentie '{andere}'.").format(
                    tekst=text, andere=c.label_nl))
        with self.db.atomic():
            self.db.conn.execute("INSERT OR IGNORE INTO reference_variants (competence_id, phrase, text, uid, created, "
                                 "created_by) VALUES (?,?,?,?,?,?)",
                                 [competence_id, key, text, uuid.uuid4().hex, utc_now(), self._who()])
            _bump(self.db)
            self._log("reference_variant_add", "competence", competence_id, {"text": text})
        return True

    def remove_variant(self, competence_id: str, text: str) -> bool:
        with self.db.atomic():
            n = self.db.conn.execute("DELETE FROM reference_variants WHERE competence_id = ? AND phrase = ?",
                                     [competence_id, phrase_key(text)]).rowcount
            if n:
                _bump(self.db)
                self._log("reference_variant_remove", "competence", competence_id, {"text": text})
        return bool(n)

    # -- yearly bottleneck lists -----------------------------------------------------------------
    def bottleneck_years(self) -> list[BottleneckYear]:
        rows = self.db.conn.execute("SELECT year, file_name, imported, imported_by, listed, unlinked "
                                    "FROM reference_bottleneck_lists ORDER BY year DESC").fetchall()
        return [BottleneckYear(y, f, i, b, n, tuple(json.loads(u))) for y, f, i, b, n, u in rows]

    def bottlenecks_of(self, year: int) -> dict[str, tuple[bool, tuple[str, ...]]]:
        rows = self.db.conn.execute("SELECT occupation_id, bottleneck, reasons FROM reference_bottlenecks "
                                    "WHERE year = ?", [year]).fetchall()
        return {o: (bool(b), tuple(json.loads(r))) for o, b, r in rows}

    def apply_bottleneck_list(self, year: int, listed: dict[str, tuple[tuple[str, ...], str]],
                              *, file_name: str = "", unlinked: Iterable[str] = ()) -> dict[str, int]:
        """Store a confirmed list for ``year``: ``listed`` maps occupation id -> (reasons, name on
        the list). Every other catalogue occupation is stored as no bottleneck for that year.
        When ``year`` is the most recent list, local overrides take over the flag and reasons too.
        One transaction; replaces an earlier list of the same year."""
        self._require_edit()
        if not 1990 <= int(year) <= 2100:
            raise UserError(tr(_CTX, "Ongeldig jaar: {jaar}.").format(jaar=year))
        ref = self.reference()
        ids = [o.id for o in ref.occupations]
        unknown = [o for o in listed if o not in set(ids)]
        if unknown:
            raise UserError(tr(_CTX, "Onbekende beroepen: {ids}.").format(ids=", ".join(unknown)))
        for oid, (reasons, _name) in listed.items():
            bad = [r for r in reasons if r not in REASONS]
            if bad:
                raise UserError(tr(_CTX, "Onbekende knelpuntredenen: {redenen}.").format(redenen=", ".join(bad)))
        x = self.db.conn.execute
        rows = []
        for oid in ids:
            if oid in listed:
                reasons, name = listed[oid]
                rows.append((year, oid, 1, json.dumps(list(dict.fromkeys(reasons))), name or ""))
            else:
                rows.append((year, oid, 0, "[]", ""))
        with self.db.atomic():
            latest = x("SELECT max(year) FROM reference_bottleneck_lists").fetchone()[0]
            x("DELETE FROM reference_bottleneck_lists WHERE year = ?", [year])
            x("DELETE FROM reference_bottlenecks WHERE year = ?", [year])
            x("INSERT INTO reference_bottleneck_lists (year, file_name, imported, imported_by, listed, unlinked) "
              "VALUES (?,?,?,?,?,?)", [year, file_name, utc_now(), self._who(), len(listed),
                                       json.dumps(list(unlinked), ensure_ascii=False)])
            self.db.conn.executemany("INSERT INTO reference_bottlenecks (year, occupation_id, bottleneck, reasons, "
                                     "list_name) VALUES (?,?,?,?,?)", rows)
            if latest is None or year >= latest:
                for oid, body in x("SELECT item_id, body FROM reference_items WHERE kind = 'occupation' "
                                   "AND origin = 'local'").fetchall():
                    d = json.loads(body)
                    flag = oid in listed
                    d["bottleneck"] = flag
                    d["reasons"] = list(dict.fromkeys(listed[oid][0])) if flag else []
                    nb = _canonical(d)
                    x("UPDATE reference_items SET body = ?, digest = ?, modified = ? WHERE kind = 'occupation' "
                      "AND item_id = ? AND origin = 'local'", [nb, _digest(nb), utc_now(), oid])
            _bump(self.db)
            self._log("reference_bottleneck_list", "bottleneck_list", year,
                      {"listed": len(listed), "not_listed": len(ids) - len(listed), "file": file_name})
        return {"listed": len(listed), "not_listed": len(ids) - len(listed)}

    def remove_bottleneck_list(self, year: int) -> bool:
        self._require_edit()
        with self.db.atomic():
            n = self.db.conn.execute("DELETE FROM reference_bottleneck_lists WHERE year = ?", [year]).rowcount
            self.db.conn.execute("DELETE FROM reference_bottlenecks WHERE year = ?", [year])
            if n:
                _bump(self.db)
                self._log("reference_bottleneck_list_remove", "bottleneck_list", year)
        return bool(n)


class LiveMatchingService:
    """Stands in for a ``MatchingService`` and forwards every use to ``matching_service_for(db)``,
    so a window that holds it sees a counsellor's new variant, edit or bottleneck list at once
    (the check per use is a few small reads; the service itself is rebuilt only after a change)."""

    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    @property
    def current(self):
        return matching_service_for(self._db)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(matching_service_for(self._db), name)
