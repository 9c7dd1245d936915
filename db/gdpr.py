"""GDPR duties: right of access (export everything about a worker), erasure (anonymisation) and retention.

Anonymising removes what identifies a person (names, INSZ, exact birth date, address,
phone, e-mail, free-text notes, health limitations, the old/new values kept in the audit trail)
and keeps what the cell's statistics need (status, statute, sex, age at the announcement hence age group,
education, job titles, counts, contact dates and hours, plan status). The birth date becomes 1 January
or 31 December of the birth year, whichever gives the same age at the dossier's announcement of the
collective dismissal (its cell start when no announcement date is known, else the day of erasure): the
45+ group, the 3/6 months, the 30/60 hours and the cell's closing date stay what they were
(``_ANONYMISED_BIRTH_SQL``). Workers anonymised before this rule kept 1 January only; their day is lost
and not recovered: such a worker counts as having reached his age of the announcement year, which can
put a 44-year-old in the 45+ group (the longer period, as for an unknown age, so the cell never closes
too early). What the transfer sync keeps of
them (``sync_state``: field digests salted with the record uid, which the worker keeps) is deleted too,
and a later transfer file does not bring them back (``db.transfer_repo.withhold_erased``); an erasure made on
another computer arrives in a transfer file and is completed here by ``anonymise_workers`` in the import
(``db.transfer_repo.apply_merge``). The retention rule
anonymises dossiers closed more than N years ago (meta key ``gdpr.retention_years``, default 5);
``pending_retention`` lists them, ``apply_retention`` needs a beheerder.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from core.fileio import atomic_path, check_output_files
from core.i18n import tr
from core.security import AccessDenied
from db.accounts import BOUND, get_setting, require, resolve, set_setting
from db.convert import utc_now

_CTX = "gdpr"
RETENTION_KEY = "gdpr.retention_years"
DEFAULT_RETENTION_YEARS = 5
ANONYMOUS = "Geanonimiseerd"

# Columns cleared on anonymisation, per table (worker_id tables are matched on their worker).
_WORKER_CLEAR = {"surname": ANONYMOUS, "first_names": "", "insz": "", "street": "", "postcode": "", "municipality": "",
                 "phone": "", "email": ""}
_CHILD_CLEAR = {"experiences": {"tasks": ""}, "worker_competences": {"evidence": ""}, "contacts": {"note": ""}}


def _json_default(o: Any):
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    if hasattr(o, "value"):
        return o.value
    return str(o)


# --- right of access ---------------------------------------------------------------------------------

@dataclass
class AccessExport:
    json_path: Path
    pdf_path: Path | None
    sensitive_included: bool


def worker_record(db: sqlite_utils.Database, worker_id: int, *, include_sensitive: bool = False,
                  principal=BOUND) -> dict:
    """Everything stored about one worker, as plain data (what the access export contains)."""
    from db.audit import AuditLog
    from db.dossiers import DossierRepository
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    p, _ = resolve(db, principal, None)
    workers = WorkerRepository(db, principal=p, audit=None)
    w = workers.get(worker_id)                       # NotFound when this account may not see the worker
    if include_sensitive and not workers.may_see_limitations(w):
        raise AccessDenied(tr(_CTX, "Je mag de functionele beperkingen van deze werknemer niet inzien."))
    data = asdict(w)
    data.pop("read_version", None)          # a stamp of this computer's storage, nothing about the worker
    if not include_sensitive:
        data.pop("limitations", None)
    dossier = DossierRepository(db, principal=None, audit=None).get(w.dossier_id)
    trail = AuditLog(db).entries(entity="worker", entity_id=worker_id)
    return {
        "format": "werkbrug-inzage", "version": 1, "created": utc_now(),
        "sensitive_included": include_sensitive,
        "worker": data,
        "contacts": [asdict(c) for c in workers.contacts(worker_id)],
        "plans": [asdict(pl) for pl in PlanRepository(db, principal=p, audit=None).versions(worker_id)],
        "dossier": {"id": dossier.id, "company_name": dossier.company_name, "kbo_number": dossier.kbo_number,
                    "status": dossier.status.value},
        "processing_log": [{"ts": e.ts, "actor": e.actor, "action": e.action} for e in trail],
    }


def export_worker(db: sqlite_utils.Database, worker_id: int, out_dir: Path | str, *,
                  include_sensitive: bool = False, principal=BOUND, audit=BOUND, pdf: bool = True) -> AccessExport:
    """Right of access (art. 15): ``werknemer-<id>.json`` and a readable ``werknemer-<id>.pdf``."""
    p, a = resolve(db, principal, audit)
    record = worker_record(db, worker_id, include_sensitive=include_sensitive, principal=p)
    out = Path(out_dir)
    jp = out / f"werknemer-{worker_id}.json"
    pp = out / f"werknemer-{worker_id}.pdf" if pdf else None
    check_output_files([jp] + ([pp] if pp is not None else []))     # both, before either is written
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False, indent=2, default=_json_default)
    with atomic_path(jp) as tmp:
        tmp.write_text(text, encoding="utf-8")
    if pp is not None:
        from core.gdpr_pdf import write_access_pdf
        try:
            from core.plan_text import reference_label_lookup
            from db.reference_store import effective_reference
            lookup = reference_label_lookup(effective_reference(db))
        except Exception:  # noqa: BLE001 - the document still names them from the embedded data
            lookup = None
        from db.workers import WorkerRepository
        write_access_pdf(json.loads(json.dumps(record, default=_json_default)), pp, label_lookup=lookup,
                         counsellor_name=WorkerRepository(db, principal=None, audit=None).counsellor_name)
    if a is not None:
        a.exported("inzage (AVG art. 15)", "worker", worker_id, destination=str(out),
                   sensitive_fields=["limitations"] if include_sensitive else ())
    return AccessExport(jp, pp, include_sensitive)


# --- erasure -----------------------------------------------------------------------------------------

def identity_values(db: sqlite_utils.Database, worker_ids: list[int]) -> list[str]:
    """The identifying strings of these workers (for checking that nothing is left)."""
    vals: set[str] = set()
    for i in range(0, len(worker_ids), 500):
        part = worker_ids[i:i + 500]
        marks = ", ".join("?" * len(part))
        for row in db.conn.execute(f"SELECT surname, first_names, insz, street, phone, email, birth_date FROM workers "
                                   f"WHERE id IN ({marks})", part):
            vals.update(v for v in row if isinstance(v, str) and len(v.strip()) >= 4 and v != ANONYMOUS)
    return sorted(vals)


def _relax_plan_freeze(db: sqlite_utils.Database):
    """Anonymising must also blank frozen (printed/signed) plans: lift their trigger for the transaction."""
    row = db.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'plans_frozen'").fetchone()
    if row:
        db.conn.execute("DROP TRIGGER plans_frozen")
    return row[0] if row else None


def _worker_tables(db: sqlite_utils.Database) -> list[str]:
    """The tables of rows that belong to one worker and travel in transfer files (``uid`` and ``worker_id``)."""
    out = []
    for (t,) in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                "ORDER BY name").fetchall():
        if {"uid", "worker_id"} <= {r[1] for r in db.conn.execute(f'PRAGMA table_info("{t}")')}:
            out.append(t)
    return out


def _forget_sync_state(db: sqlite_utils.Database, worker_ids: list[int]) -> int:
    """Remove what the transfer sync keeps about these workers and their rows: per partner the stamp and the
    field digests of each record (``sync_state``). The digests are salted with the record's uid, which the
    anonymised worker keeps, so a known INSZ or name hashed with it would confirm the erased identity.
    Must run before the worker's rows are deleted (their uids are needed). Returns the rows removed."""
    if "sync_state" not in db.table_names():
        return 0
    marks = ", ".join("?" * len(worker_ids))
    uids = [r[0] for r in db.conn.execute(f"SELECT uid FROM workers WHERE id IN ({marks})", worker_ids)]
    for t in _worker_tables(db):
        uids += [r[0] for r in db.conn.execute(f'SELECT uid FROM "{t}" WHERE worker_id IN ({marks})', worker_ids)]
    n = 0
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        n += db.conn.execute(f"DELETE FROM sync_state WHERE record_uid IN ({', '.join('?' * len(part))})",
                             part).rowcount
    return n


# The day of the year the age is kept for: the announcement, else the cell start, else today (ISO dates).
_AGE_REFERENCE_SQL = ("coalesce((SELECT coalesce(nullif(d.announcement_date, ''), nullif(d.cell_start_date, '')) "
                      "FROM dossiers d WHERE d.id = workers.dossier_id), date('now'))")
# Year-01-01 when the birthday falls on or before that day of the year, else year-12-31 (see the module text).
_ANONYMISED_BIRTH_SQL = (f"CASE WHEN birth_date IS NULL OR birth_date = '' THEN birth_date "
                         f"WHEN length(birth_date) < 10 THEN substr(birth_date, 1, 4) || '-01-01' "
                         f"WHEN substr(birth_date, 6, 5) <= substr({_AGE_REFERENCE_SQL}, 6, 5) "
                         f"THEN substr(birth_date, 1, 4) || '-01-01' ELSE substr(birth_date, 1, 4) || '-12-31' END")


def _anonymise_workers(db: sqlite_utils.Database, ids: list[int]) -> None:
    x = db.conn.execute
    now = utc_now()
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        marks = ", ".join("?" * len(part))
        _forget_sync_state(db, part)
        sets = ", ".join(f"{k} = ?" for k in _WORKER_CLEAR)
        x(f"UPDATE workers SET {sets}, birth_date = {_ANONYMISED_BIRTH_SQL}, "
          f"preferences = json_set(CASE WHEN json_valid(preferences) THEN preferences ELSE '{{}}' END, '$.notes', ''), "
          f"anonymised_at = ?, modified = ? WHERE id IN ({marks})",
          [*_WORKER_CLEAR.values(), now, now, *part])
        for table, cols in _CHILD_CLEAR.items():
            x(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)}, modified = ? WHERE worker_id IN ({marks})",
              [*cols.values(), now, *part])
        x(f"DELETE FROM functional_limitations WHERE worker_id IN ({marks})", part)
        x(f"UPDATE plans SET agreements = '', body = '{{}}', modified = ? WHERE worker_id IN ({marks})", [now, *part])


def anonymise_workers(db: sqlite_utils.Database, worker_ids: list[int], *, principal=BOUND, audit=BOUND,
                      reason: str = "verzoek") -> int:
    """Erase the identity of these workers (art. 17), keeping their statistics. Returns how many."""
    from db.audit import AuditLog
    from db.workers import WorkerRepository
    p, a = resolve(db, principal, audit)
    require(p, p is None or p.role.value in ("celcoördinator", "beheerder"), tr(_CTX, "werknemers anonimiseren"))
    repo = WorkerRepository(db, principal=p, audit=None)
    ids = [w for w in worker_ids]
    for wid in ids:
        repo.get(wid, with_limitations=False)          # NotFound if not visible
    if not ids:
        return 0
    db.conn.execute("PRAGMA secure_delete = ON")      # freed pages are zeroed, not left with old text
    with db.atomic():
        frozen_sql = _relax_plan_freeze(db)
        try:
            _anonymise_workers(db, ids)
        finally:
            if frozen_sql:
                db.conn.execute(frozen_sql)
        AuditLog(db).erase_values_of_workers(ids)
        if a is not None:
            a.record("anonymise", "worker", ids[0] if len(ids) == 1 else "",
                     {"count": len(ids), "reason": reason, "worker_ids": ids[:1000]})
    if not db.conn.in_transaction:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()   # old page images leave the WAL
    return len(ids)


def anonymise_worker(db: sqlite_utils.Database, worker_id: int, **kw) -> int:
    return anonymise_workers(db, [worker_id], **kw)


def anonymise_dossier(db: sqlite_utils.Database, dossier_id: int, *, principal=BOUND, audit=BOUND,
                      reason: str = "verzoek") -> int:
    """Anonymise every worker of a dossier; the company data (not personal data) stays."""
    from db.dossiers import DossierRepository
    p, a = resolve(db, principal, audit)
    DossierRepository(db, principal=p, audit=None).get(dossier_id)
    ids = [r[0] for r in db.conn.execute("SELECT id FROM workers WHERE dossier_id = ? AND anonymised_at = '' "
                                         "ORDER BY id", [dossier_id])]
    with db.atomic():
        n = anonymise_workers(db, ids, principal=p, audit=a, reason=reason) if ids else 0
        db.conn.execute("UPDATE dossiers SET anonymised_at = ? WHERE id = ?", [utc_now(), dossier_id])
        # also what the sync keeps of records of this dossier deleted here before (no worker left to link them
        # to); only the dossier record's own (company data) stays. A later transfer of this dossier reads in
        # no worker again (db.transfer_repo.withhold_erased).
        if "sync_state" in db.table_names():
            db.conn.execute("DELETE FROM sync_state WHERE dossier_uid = (SELECT uid FROM dossiers WHERE id = ?) "
                            "AND record_uid <> dossier_uid", [dossier_id])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return n


# --- retention ----------------------------------------------------------------------------------------

@dataclass
class RetentionCandidate:
    dossier_id: int
    company_name: str
    closed_at: str
    workers: int


def retention_years(db: sqlite_utils.Database) -> int:
    try:
        return int(get_setting(db, RETENTION_KEY, str(DEFAULT_RETENTION_YEARS)))
    except ValueError:
        return DEFAULT_RETENTION_YEARS


def set_retention_years(db: sqlite_utils.Database, years: int, *, principal=BOUND, audit=BOUND) -> None:
    p, a = resolve(db, principal, audit)
    require(p, p is None or p.manages_accounts, tr(_CTX, "de bewaartermijn wijzigen"))
    if not 1 <= int(years) <= 100:
        raise ValueError("retention years must be between 1 and 100")
    with db.atomic():
        old = retention_years(db)
        set_setting(db, RETENTION_KEY, str(int(years)))
        if a is not None:
            a.record("setting", "meta", RETENTION_KEY, {"old": old, "new": int(years)})


def pending_retention(db: sqlite_utils.Database, today: dt.date | None = None) -> list[RetentionCandidate]:
    """Closed dossiers past the retention period that still hold personal data."""
    today = today or dt.date.today()
    years = retention_years(db)
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:                                  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    rows = db.conn.execute(
        "SELECT d.id, d.company_name, d.closed_at, (SELECT count(*) FROM workers w WHERE w.dossier_id = d.id "
        "AND w.anonymised_at = '') FROM dossiers d WHERE d.status = 'afgesloten' AND d.closed_at <> '' "
        "AND d.closed_at < ? AND (d.anonymised_at = '' OR EXISTS (SELECT 1 FROM workers w WHERE "
        "w.dossier_id = d.id AND w.anonymised_at = '')) ORDER BY d.closed_at", [limit.isoformat()]).fetchall()
    return [RetentionCandidate(*r) for r in rows]


def apply_retention(db: sqlite_utils.Database, principal=BOUND, *, audit=BOUND,
                    today: dt.date | None = None) -> list[RetentionCandidate]:
    """Anonymise every pending dossier; a beheerder confirms this (principal None = the system)."""
    p, a = resolve(db, principal, audit)
    require(p, p is None or p.manages_accounts, tr(_CTX, "de bewaartermijn toepassen"))
    done = pending_retention(db, today)
    for c in done:
        anonymise_dossier(db, c.dossier_id, principal=None, audit=a, reason="bewaartermijn")
    if a is not None and done:
        a.record("retention", "dossier", "", {"dossiers": [c.dossier_id for c in done],
                                              "years": retention_years(db)})
    return done


def leftover_identity(db: sqlite_utils.Database, values: list[str]) -> list[tuple[str, str]]:
    """(table, value) for every identifying value still found in any text column of any table, or that
    the transfer sync state would confirm: a field digest in ``sync_state.seen_fields`` equal to the
    digest of the value for that record and field (the salt, the record's uid, is stored next to it)."""
    found = []
    tables = [r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
    for t in tables:
        cols = [r[1] for r in db.conn.execute(f'PRAGMA table_info("{t}")')]
        if not cols:
            continue
        for v in values:
            cond = " OR ".join(f'instr(CAST("{c}" AS TEXT), ?) > 0' for c in cols)
            if db.conn.execute(f'SELECT 1 FROM "{t}" WHERE {cond} LIMIT 1', [v] * len(cols)).fetchone():
                found.append((t, v))
    if "sync_state" in tables:
        hit = _digested_values(db, values)
        found += [("sync_state", v) for v in values if v in hit and ("sync_state", v) not in found]
    return found


def _digested_values(db: sqlite_utils.Database, values: list[str]) -> set[str]:
    """The values of which ``sync_state`` holds a field digest (``core.transfer.field_digests``)."""
    from core.transfer import field_digests
    hit: set[str] = set()
    for uid, text in db.conn.execute("SELECT record_uid, seen_fields FROM sync_state WHERE seen_fields <> ''"):
        try:
            stored = json.loads(text)
        except ValueError:
            continue
        if not isinstance(stored, dict):
            continue
        for v in values:
            if v in hit:
                continue
            mine = field_digests(uid, {k: v for k in stored})
            if any(mine[k] == d for k, d in stored.items()):
                hit.add(v)
    return hit
