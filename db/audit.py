"""The audit trail: who read, changed, exported, printed or imported what, and when.

Append-only (triggers refuse UPDATE and DELETE on ``audit_log``) and tamper-evident: every entry
carries ``hash = HMAC-SHA256(k, prev_hash || canonical JSON of the entry)`` where ``k`` is derived
from the database key, so an edited, removed or re-ordered entry breaks the chain from there on
(``AuditLog.verify``). Old and new values of changed fields are kept in ``audit_values`` (the
entry holds their HMAC): an erasure can remove them without breaking the chain. Values of
special-category data (health: functional limitations) are never written, only the field names.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

from core.i18n import tr
from core.security import subkey

_CTX = "audit"
GENESIS = "0" * 64
AUDIT_KEY_SETTING = "audit_chain_key"   # meta key of the chain key kept by a key renewal
SYSTEM_ACTOR = "systeem"

# Fields whose values never enter the log (GDPR art. 9 data), only their names.
SPECIAL_CATEGORY_FIELDS = frozenset({"limitations", "functional_limitations"})

# Every action code passed to ``AuditLog.record`` anywhere needs a label here (the audit view shows
# it and offers it in its filter list); tests/db/test_audit_labels.py scans the source for codes.
ACTION_LABELS = {
    "login": "aanmelding", "login_failed": "mislukte aanmelding", "logout": "afmelding", "lock": "vergrendeling",
    "unlock": "ontgrendeling", "view": "ingekeken", "create": "aangemaakt", "change": "gewijzigd",
    "delete": "verwijderd", "export": "export", "print": "afdruk", "import": "import", "account": "account",
    "anonymise": "geanonimiseerd", "retention": "bewaartermijn", "backup": "reservekopie", "setting": "instelling",
    "setup": "installatie", "audit_export": "export auditlog",
    "recovery_key": "herstelsleutel aangemaakt", "recovery": "wachtwoord hersteld met herstelsleutel",
    "key_rotated": "databasesleutel vernieuwd",
    # Local changes to the reference data (db/reference_repo.py).
    "reference_add": "beroep toegevoegd", "reference_edit": "beroep aangepast",
    "reference_revert": "beroep teruggezet", "reference_delete": "beroep verwijderd",
    "reference_variant_add": "variant toegevoegd", "reference_variant_remove": "variant verwijderd",
    "reference_bottleneck_list": "knelpuntlijst ingelezen",
    "reference_bottleneck_list_remove": "knelpuntlijst verwijderd",
}


def action_label(action: str) -> str:
    return tr(_CTX, ACTION_LABELS.get(action, action))


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def audit_key_for(db: sqlite_utils.Database) -> bytes:
    kept = _kept_chain_key(db)
    if kept is not None:
        return kept        # the database key was renewed (db/rekey.py): the chain keeps its first key
    from db.connection import database_key
    key = database_key(db)
    if key is not None:
        return subkey(key.raw, "audit-chain")
    # An unencrypted database (tests, tools) has no secret: the chain still detects accidental
    # damage, not deliberate tampering. The application always runs encrypted.
    return hashlib.sha256(b"werkbrug-unencrypted-audit-chain").digest()


def _kept_chain_key(db: sqlite_utils.Database) -> bytes | None:
    """The chain key a key renewal kept inside the encrypted database, or None."""
    try:
        row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [AUDIT_KEY_SETTING]).fetchone()
    except sqlite3.Error:
        return None
    try:
        key = bytes.fromhex(row[0]) if row else b""
    except ValueError:
        return None
    return key if len(key) == 32 else None


@dataclass
class AuditEntry:
    id: int
    ts: str
    actor: str
    action: str
    entity: str
    entity_id: str
    details: dict = field(default_factory=dict)
    values: dict | None = None

    def as_dict(self) -> dict:
        d = {"id": self.id, "ts": self.ts, "actor": self.actor, "action": self.action, "entity": self.entity,
             "entity_id": self.entity_id, "details": self.details}
        if self.values is not None:
            d["values"] = self.values
        return d


@dataclass
class AuditCheck:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return tr(_CTX, "Auditlog in orde: {n} regels gecontroleerd, de keten is ongebroken.").format(n=self.checked)
        return tr(_CTX, "Auditlog GESCHONDEN: de keten is gebroken vanaf regel {id} ({reden}).").format(
            id=self.broken_id, reden=self.reason)


class AuditLog:
    """Writes and reads the audit trail of one database for one actor (login)."""

    def __init__(self, db: sqlite_utils.Database, actor: str = SYSTEM_ACTOR, *, key: bytes | None = None):
        self.db = db
        self.actor = actor or SYSTEM_ACTOR
        self._key = key if key is not None else audit_key_for(db)

    @property
    def key(self) -> bytes:
        """The chain key (kept inside the encrypted database when its key is renewed)."""
        return self._key

    def _mac(self, data: bytes) -> str:
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def _entry_hash(self, prev_hash: str, e: dict) -> str:
        return self._mac(prev_hash.encode() + _canonical(e))

    # -- writing ---------------------------------------------------------------------------------
    def record(self, action: str, entity: str = "", entity_id: Any = "", details: dict | None = None, *,
               values: dict | None = None, worker_id: int | None = None) -> int:
        """Append one entry (inside the caller's transaction when there is one)."""
        details = dict(details or {})
        payload = None
        if values:
            payload = _canonical(values).decode("utf-8")
            details["values_mac"] = self._mac(payload.encode("utf-8"))
        x = self.db.conn.execute
        with self.db.atomic():
            last = x("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
            new_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            e = {"id": new_id, "ts": _now(), "actor": self.actor, "action": action, "entity": entity,
                 "entity_id": str(entity_id if entity_id is not None else ""), "details": details}
            x("INSERT INTO audit_log (id, ts, actor, action, entity, entity_id, details, prev_hash, hash) "
              "VALUES (?,?,?,?,?,?,?,?,?)",
              [new_id, e["ts"], e["actor"], action, entity, e["entity_id"], _canonical(details).decode("utf-8"), prev,
               self._entry_hash(prev, e)])
            if payload is not None:
                x("INSERT INTO audit_values (entry_id, entity, entity_id, worker_id, payload) VALUES (?,?,?,?,?)",
                  [new_id, entity, e["entity_id"], worker_id, payload])
        return new_id

    def viewed(self, entity: str, entity_id: Any, *, sensitive_fields: Iterable[str] = ()) -> int:
        fields = sorted(sensitive_fields)
        return self.record("view", entity, entity_id, {"sensitive_fields": fields} if fields else None)

    def worker_viewed(self, worker_id: int, *, limitations_shown: bool = False) -> int:
        """Call when a worker record is opened on screen (the GUI's read API)."""
        return self.viewed("worker", worker_id, sensitive_fields=["limitations"] if limitations_shown else ())

    def changed(self, entity: str, entity_id: Any, changes: dict[str, tuple[Any, Any]], *,
                worker_id: int | None = None) -> int | None:
        """The repositories' sink: field -> (old, new). Special-category fields are logged by name only."""
        if not changes:
            return None
        names = sorted(changes)
        values = {f: {"old": o, "new": n} for f, (o, n) in changes.items() if f not in SPECIAL_CATEGORY_FIELDS}
        return self.record("change", entity, entity_id, {"fields": names}, values=values or None, worker_id=worker_id)

    def created(self, entity: str, entity_id: Any, details: dict | None = None) -> int:
        return self.record("create", entity, entity_id, details)

    def deleted(self, entity: str, entity_id: Any, details: dict | None = None) -> int:
        return self.record("delete", entity, entity_id, details)

    def exported(self, what: str, entity: str = "", entity_id: Any = "", *, destination: str = "",
                 sensitive_fields: Iterable[str] = (), count: int | None = None) -> int:
        """An export left the application; ``sensitive_fields`` names what was explicitly included."""
        d = {"what": what, "destination": destination, "sensitive_fields": sorted(sensitive_fields)}
        if count is not None:
            d["count"] = count
        return self.record("export", entity, entity_id, d)

    def printed(self, what: str, entity: str = "", entity_id: Any = "", *, sensitive_fields: Iterable[str] = ()) -> int:
        return self.record("print", entity, entity_id, {"what": what, "sensitive_fields": sorted(sensitive_fields)})

    def imported(self, what: str, entity: str = "", entity_id: Any = "", *, source: str = "",
                 count: int | None = None) -> int:
        d = {"what": what, "source": source}
        if count is not None:
            d["count"] = count
        return self.record("import", entity, entity_id, d)

    # -- reading ---------------------------------------------------------------------------------
    def entries(self, *, since: dt.date | str | None = None, user: str | None = None, action: str | None = None,
                entity: str | None = None, entity_id: Any = None, limit: int | None = None,
                newest_first: bool = False) -> list[AuditEntry]:
        sql = ("SELECT l.id, l.ts, l.actor, l.action, l.entity, l.entity_id, l.details, v.payload "
               "FROM audit_log l LEFT JOIN audit_values v ON v.entry_id = l.id")
        where, params = [], []
        if since:
            where.append("l.ts >= ?")
            params.append(since.isoformat() if isinstance(since, dt.date) else str(since))
        if user:
            where.append("l.actor = ? COLLATE NOCASE")
            params.append(user)
        if action:
            where.append("l.action = ?")
            params.append(action)
        if entity:
            where.append("l.entity = ?")
            params.append(entity)
        if entity_id is not None:
            where.append("l.entity_id = ?")
            params.append(str(entity_id))
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY l.id" + (" DESC" if newest_first else "")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"),
                           json.loads(r[7]) if r[7] else None)
                for r in self.db.conn.execute(sql, params).fetchall()]

    def count(self) -> int:
        return self.db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    def verify(self) -> AuditCheck:
        """Recompute the chain; the first entry that does not match is reported."""
        prev, expected_id, n = GENESIS, 1, 0
        cur = self.db.conn.execute("SELECT l.id, l.ts, l.actor, l.action, l.entity, l.entity_id, l.details, "
                                   "l.prev_hash, l.hash, v.payload FROM audit_log l "
                                   "LEFT JOIN audit_values v ON v.entry_id = l.id ORDER BY l.id")
        for row in cur:
            rid, ts, actor, action, entity, entity_id, details, prev_hash, h, payload = row
            n += 1
            if rid != expected_id:
                return AuditCheck(False, n, rid, tr(_CTX, "regel {id} ontbreekt").format(id=expected_id))
            if prev_hash != prev:
                return AuditCheck(False, n, rid, tr(_CTX, "verwijst niet naar de vorige regel"))
            try:
                det = json.loads(details)
            except ValueError:
                return AuditCheck(False, n, rid, tr(_CTX, "onleesbare details"))
            e = {"id": rid, "ts": ts, "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
                 "details": det}
            if not hmac.compare_digest(self._entry_hash(prev, e), h):
                return AuditCheck(False, n, rid, tr(_CTX, "inhoud gewijzigd"))
            if payload is not None and not hmac.compare_digest(self._mac(payload.encode("utf-8")),
                                                               str(det.get("values_mac", ""))):
                return AuditCheck(False, n, rid, tr(_CTX, "gewijzigde waarden"))
            prev, expected_id = h, rid + 1
        return AuditCheck(True, n)

    def export_csv(self, target: Path | str, entries: list[AuditEntry] | None = None) -> int:
        """Write entries (default: all) as CSV (UTF-8 with BOM, ';' for Excel nl-BE); returns the count."""
        rows = entries if entries is not None else self.entries()
        from core.fileio import atomic_path, csv_safe
        with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow([tr(_CTX, "nr"), tr(_CTX, "tijdstip (UTC)"), tr(_CTX, "gebruiker"), tr(_CTX, "actie"),
                        tr(_CTX, "soort"), tr(_CTX, "id"), tr(_CTX, "details"), tr(_CTX, "waarden")])
            for e in rows:
                # a login or id that starts like a formula is shown, not run, by a spreadsheet program
                w.writerow([csv_safe(x) for x in (
                    e.id, e.ts, e.actor, action_label(e.action), e.entity, e.entity_id,
                    json.dumps(e.details, ensure_ascii=False, sort_keys=True),
                    json.dumps(e.values, ensure_ascii=False, sort_keys=True) if e.values is not None else "")])
        self.record("audit_export", "audit_log", "", {"count": len(rows), "destination": Path(target).name})
        return len(rows)

    # -- erasure ---------------------------------------------------------------------------------
    def erase_values_of_workers(self, worker_ids: Iterable[int]) -> int:
        """Remove the stored old/new values about these workers (GDPR erasure); the chain stays valid."""
        ids = list(worker_ids)
        n = 0
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ", ".join("?" * len(part))
            n += self.db.conn.execute(
                f"DELETE FROM audit_values WHERE worker_id IN ({marks}) "
                f"OR (entity = 'worker' AND entity_id IN ({marks}))", [*part, *[str(p) for p in part]]).rowcount
        return n
