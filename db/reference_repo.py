"""Local edits of the reference data: a counsellor's own or adjusted occupations, competence
variants and the yearly bottleneck lists (``ReferenceRepository``), and ``LiveMatchingService``.

How the layers are stored, synced with the embedded files and merged into the effective
reference is ``db.reference_store``; every change made here raises its ``local_revision``, so
``effective_reference`` and ``matching_service_for`` follow at once.
"""
from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, replace
from typing import Iterable

import sqlite_utils

from core.competences import phrase_key
from core.errors import UserError
from core.i18n import tr
from core.reference import MIN_ESSENTIAL, OCCUPATION_COMPETENCES, REASONS, Occupation, ReferenceData
from core.textnorm import MAX_TEXT
from db.accounts import BOUND, require, resolve
from db.convert import utc_now
from db.reference_store import (LIST_KINDS, asdict, body_digest, bump_local_revision, canonical_json,
                                decode_occupation, effective_reference, embedded_version, matching_service_for,
                                occupation_document, read_meta)

__all__ = ["ReferenceRepository", "LocalItem", "BottleneckYear", "LiveMatchingService", "occupation_slug",
           "ESCO_OCCUPATION_PREFIX"]

_CTX = "reference"


ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
_ISCO = re.compile(r"\d{4}")


def _check_short_text(text: str) -> None:
    """A name, synonym or variant is one short line of ordinary characters: matching reads at most
    MAX_TEXT characters of a phrase, and a control character is a pasting accident."""
    if len(text) > MAX_TEXT:
        raise UserError(tr(_CTX, "Een naam, synoniem of variant is hoogstens {n} tekens lang (deze telt er {lengte}).").format(
            n=MAX_TEXT, lengte=len(text)))
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise UserError(tr(_CTX, "Een naam, synoniem of variant mag geen stuurtekens of ongeldige tekens bevatten."))


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
        return {"embedded_version": read_meta(self.db, "embedded_version"),
                "embedded_synced": read_meta(self.db, "embedded_synced"),
                "files_version": embedded_version(),
                "local_revision": int(read_meta(self.db, "local_revision", "0") or 0),
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
        return decode_occupation(json.loads(row[0])) if row else None

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
        for text in [o.name_nl, *labels]:
            _check_short_text(text)
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
        body = canonical_json(occupation_document(occupation))
        x = self.db.conn.execute
        with self.db.atomic():
            base = x("SELECT digest, body FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                     "AND origin = 'embedded'", [occupation.id]).fetchone()
            if base is not None and canonical_json(json.loads(base[1])) == body:
                removed = x("DELETE FROM reference_items WHERE kind = 'occupation' AND item_id = ? AND origin = 'local'",
                            [occupation.id]).rowcount      # identical to the embedded one: no override needed
                if removed:
                    bump_local_revision(self.db)
                return
            pos = x("SELECT coalesce(max(position), 0) + 1 FROM reference_items WHERE kind = 'occupation'").fetchone()[0]
            old = x("SELECT position, uid FROM reference_items WHERE kind = 'occupation' AND item_id = ? "
                    "AND origin = 'local'", [occupation.id]).fetchone()
            x("INSERT OR REPLACE INTO reference_items (kind, item_id, origin, position, body, digest, base_digest, "
              "base_changed, uid, modified, modified_by) VALUES ('occupation', ?, 'local', ?, ?, ?, ?, 0, ?, ?, ?)",
              [occupation.id, old[0] if old else pos, body, body_digest(body), base[0] if base else None,
               old[1] if old else uuid.uuid4().hex, utc_now(), self._who()])
            bump_local_revision(self.db)
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
                bump_local_revision(self.db)
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
                bump_local_revision(self.db)
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
        _check_short_text(text)
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
            bump_local_revision(self.db)
            self._log("reference_variant_add", "competence", competence_id, {"text": text})
        return True

    def remove_variant(self, competence_id: str, text: str) -> bool:
        with self.db.atomic():
            n = self.db.conn.execute("DELETE FROM reference_variants WHERE competence_id = ? AND phrase = ?",
                                     [competence_id, phrase_key(text)]).rowcount
            if n:
                bump_local_revision(self.db)
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
                    nb = canonical_json(d)
                    x("UPDATE reference_items SET body = ?, digest = ?, modified = ? WHERE kind = 'occupation' "
                      "AND item_id = ? AND origin = 'local'", [nb, body_digest(nb), utc_now(), oid])
            bump_local_revision(self.db)
            self._log("reference_bottleneck_list", "bottleneck_list", year,
                      {"listed": len(listed), "not_listed": len(ids) - len(listed), "file": file_name})
        return {"listed": len(listed), "not_listed": len(ids) - len(listed)}

    def remove_bottleneck_list(self, year: int) -> bool:
        self._require_edit()
        with self.db.atomic():
            n = self.db.conn.execute("DELETE FROM reference_bottleneck_lists WHERE year = ?", [year]).rowcount
            self.db.conn.execute("DELETE FROM reference_bottlenecks WHERE year = ?", [year])
            if n:
                bump_local_revision(self.db)
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
