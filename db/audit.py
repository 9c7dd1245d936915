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


# What an entry is about, as the counsellor calls it (the listing; the stored code and the CSV export keep
# the code). tests/db/test_audit_labels.py checks that every entity code recorded in the source has one.
ENTITY_LABELS = {
    "worker": "werknemer", "dossier": "dossier", "account": "account", "plan": "trajectplan",
    "occupation": "beroep", "competence": "competentie", "bottleneck_list": "knelpuntlijst",
    "keyfile": "sleutelbestand", "meta": "instelling", "audit_log": "auditlog",
}

# Settings (entity "meta"): the key as the counsellor reads it
_SETTING_LABELS = {"idle_lock_minutes": "vergrendeling na inactiviteit (minuten)",
                   "gdpr.retention_years": "bewaartermijn (jaren)"}

# The "event" of an account entry
_EVENT_LABELS = {
    "first_admin": "eerste beheerder", "created": "aangemaakt", "updated": "gewijzigd", "replaced": "vervangen",
    "password_changed": "wachtwoord gewijzigd", "password_reset": "wachtwoord hersteld",
    "assigned": "consulent toegewezen", "unassigned": "toewijzing ingetrokken",
    "restored": "teruggezet",
}

# Field names in "change" entries (worker, dossier, plan) and in "sensitive_fields"
_FIELD_LABELS = {
    "surname": "naam", "first_names": "voornaam", "insz": "INSZ", "birth_date": "geboortedatum", "sex": "geslacht",
    "street": "adres", "postcode": "postcode", "municipality": "gemeente", "phone": "telefoon", "email": "e-mail",
    "preferred_language": "voorkeurstaal", "statute": "statuut", "seniority_start": "anciënniteit",
    "dismissal_date": "ontslagdatum", "shift_regime": "ploegenregime", "highest_diploma": "diploma",
    "education_group": "scholingsgroep", "vks_level": "VKS-niveau", "status": "status",
    "previous_job_title": "functie", "previous_job_esco_uri": "ESCO-beroep functie",
    "counsellor": "consulent", "dossier_id": "dossier", "mobility": "mobiliteit",
    "preferences": "voorkeuren", "experiences": "werkervaring", "competences": "competenties",
    "certificates": "attesten", "languages": "talen", "limitations": "functionele beperkingen",
    "functional_limitations": "functionele beperkingen", "contacts": "contacten",
    "company_name": "bedrijfsnaam", "kbo_number": "KBO-nummer", "joint_committee": "paritair comité",
    "site_address": "adres vestiging", "announcement_date": "aankondiging", "first_dismissal_date": "eerste ontslag",
    "last_dismissal_date": "laatste ontslag", "cell_start_date": "start cel",
    "outplacement_bureau": "outplacementbureau",
    "body": "inhoud", "agreements": "afspraken", "print_limitations": "beperkingen afdrukken",
}

# Keys of the details, in the order they are shown; a key not listed is shown as it is stored, at the end
_DETAIL_LABELS = {
    "event": "", "what": "", "login": "login", "role": "rol", "active": "actief", "account_id": "account",
    "count": "aantal", "first_id": "", "last_id": "", "dossier_id": "dossier", "worker_id": "werknemer",
    "version": "versie", "fields": "velden", "sensitive_fields": "gevoelige gegevens", "source": "uit",
    "destination": "naar", "reason": "reden", "worker_ids": "werknemers", "dossiers": "dossiers", "years": "jaren",
    "old": "van", "new": "naar", "during": "bij", "failed_attempts_before": "mislukte pogingen vooraf",
    "encrypted": "versleuteld", "name": "naam", "text": "tekst", "file": "bestand", "listed": "op de lijst",
    "not_listed": "niet op de lijst", "override": "eigen versie van een standaardberoep", "reasons": "redenen",
    "competences": "competenties", "alt_labels": "andere benamingen", "conditions": "voorwaarden",
    "certificates": "attesten", "backup": "reservekopie",
    "accounts_needing_password": "accounts die een nieuw wachtwoord nodig hebben",
    "recovery_key_dropped": "herstelsleutel vervallen",
    "previous": "vorige database bewaard als", "erased_after_backup": "gewist na de reservekopie (opnieuw toegepast)",
    "ts": "tijdstip", "actor": "door", "action": "actie", "dossier_ids": "dossiers",
    # a transfer file read in (cli.cmd_transfer / gui.data_menu: MergePlan.audit_details)
    "erased_not_imported": "geanonimiseerd, niet ingelezen", "sender_counsellors": "consulent op de andere computer",
    "own_counsellors": "eigen consulent hier", "without_counsellor": "zonder eigen consulent",
    "erased_elsewhere": "op de andere computer geanonimiseerd, hier ook",
    "erased_elsewhere_ids": "hier geanonimiseerde werknemers",
}
_HIDDEN_DETAILS = frozenset({"values_mac"})          # the HMAC of the stored values: for the chain only
_VALUE_LABELS = {"idle_lock": "ontgrendelen"}                  # where a failed sign-in happened


def entity_label(entity: str) -> str:
    return tr(_CTX, ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


def entity_text(entry: "AuditEntry") -> str:
    """What the entry is about, in Dutch: "werknemer 3", "instelling bewaartermijn (jaren)"."""
    eid = str(entry.entity_id or "")
    if entry.entity == "meta" and eid in _SETTING_LABELS:
        eid = tr(_CTX, _SETTING_LABELS[eid])
    return f"{entity_label(entry.entity)} {eid}".strip()


def _value_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return tr(_CTX, "ja") if value else tr(_CTX, "nee")
    if value is None or value == "":
        return "—"
    if key == "role":
        from core.security import Role
        try:
            return Role(value).label.lower()
        except ValueError:
            return str(value)
    if key in ("fields", "sensitive_fields") and isinstance(value, list):
        return ", ".join(tr(_CTX, _FIELD_LABELS[f]) if f in _FIELD_LABELS else str(f) for f in value)
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value[:20])
        return shown + (f", … ({len(value)})" if len(value) > 20 else "")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value_text(k, v)}" for k, v in value.items())
    if isinstance(value, str) and value in _VALUE_LABELS:
        return tr(_CTX, _VALUE_LABELS[value])
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")          # as written in Dutch: 2,5; 10
    return str(value)


def _erasure_text(e: dict) -> str:
    """One erasure made after a restored backup: "28/11/2026 06:10 beheer: geanonimiseerd, 1 (verzoek)"."""
    from core.dates import local_time_text
    text = f"{local_time_text(e.get('ts'))} {e.get('actor', '')}: {action_label(str(e.get('action', '')))}"
    if e.get("count"):
        text += f", {e['count']}"
    return text + (f" ({e['reason']})" if e.get("reason") else "")


def details_text(details: dict | None) -> str:
    """The details of an entry as a Dutch line for the listing (``audit list``): "eerste beheerder; login
    beheer; versleuteld: ja", "aantal: 30; nrs. 1 t/m 30". The stored details (JSON, English keys) stay
    what the export and ``--json`` give."""
    if not details:
        return ""
    d = {k: v for k, v in details.items() if k not in _HIDDEN_DETAILS}
    parts: list[str] = []
    keys = [k for k in _DETAIL_LABELS if k in d] + sorted(k for k in d if k not in _DETAIL_LABELS)
    for key in keys:
        value = d[key]
        if key == "event":
            parts.append(tr(_CTX, _EVENT_LABELS[value]) if value in _EVENT_LABELS else str(value))
        elif key == "what":
            parts.append(str(value))
        elif key == "first_id":
            last = d.get("last_id", value)
            parts.append(tr(_CTX, "nr. {a}").format(a=value) if last == value
                         else tr(_CTX, "nrs. {a} t/m {b}").format(a=value, b=last))
        elif key == "last_id":
            if "first_id" not in d:
                parts.append(tr(_CTX, "nr. {a}").format(a=value))
        elif key == "old":
            parts.append(tr(_CTX, "van {oud} naar {nieuw}").format(oud=_value_text(key, value),
                                                                   nieuw=_value_text("new", d.get("new"))))
        elif key == "new":
            if "old" not in d:
                parts.append(f"{tr(_CTX, _DETAIL_LABELS[key])} {_value_text(key, value)}")
        elif key == "erased_after_backup" and isinstance(value, list):
            parts.append(f"{tr(_CTX, _DETAIL_LABELS[key])}: " + (", ".join(
                _erasure_text(e) for e in value if isinstance(e, dict)) or "—"))
        elif key == "sensitive_fields" and not value:
            continue                                   # nothing sensitive: said by leaving it out
        elif key in ("login", "account_id", "dossier_id", "worker_id", "version", "source", "destination",
                     "during"):
            parts.append(f"{tr(_CTX, _DETAIL_LABELS[key])} {_value_text(key, value)}")
        elif key in _DETAIL_LABELS:
            parts.append(f"{tr(_CTX, _DETAIL_LABELS[key])}: {_value_text(key, value)}")
        else:
            parts.append(f"{key}: {_value_text(key, value)}")
    return "; ".join(parts)


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
                 count: int | None = None, details: dict | None = None) -> int:
        """``details``: more about the import (e.g. a transfer's counsellor logins), kept next to what/source/count."""
        d = {"what": what, "source": source}
        if count is not None:
            d["count"] = count
        d |= {k: v for k, v in (details or {}).items() if k not in d}
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
