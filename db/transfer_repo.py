"""Records of a dossier as transfer records, the sync state per partner, and applying a merge in one
transaction (records keep the ``modified`` stamp they had on the other computer).

The local reference layer (competence variants, edited and own occupations) travels along in the
``reference`` section (``collect_reference``) and is merged through ``ReferenceRepository`` in the same
transaction (``merge_reference``), so its checks, rights and audit entries apply."""
from __future__ import annotations

import json
import logging
import sqlite3
import uuid

import sqlite_utils

from core.competences import phrase_key
from core.errors import UserError
from core.i18n import tr
from core.security import Role
from core.transfer import (REFERENCE_VERSION, CounsellorReport, MergePlan, ReferenceReport, field_digests,
                           local_field, occupation_differences, occupation_document, occupation_from_document,
                           record_label)
from db.accounts import BOUND, bound_audit, bound_principal, may_see_limitations
from db.convert import utc_now
from db.reference_repo import ReferenceRepository

_CTX = "overdracht"
CHILD_TABLES = ("experiences", "worker_competences", "certificates", "worker_languages", "contacts")
HEALTH_TABLE = "functional_limitations"
_SKIP = {"id", "uid", "modified", "created", "worker_id", "dossier_id"}
_ORDER = {"dossiers": 0, "workers": 1}
# the reason of the erasure in the audit trail when it was made on the other computer (stored, as "verzoek" is)
ERASED_ELSEWHERE_REASON = "geanonimiseerd op de andere computer (overdrachtsbestand)"
log = logging.getLogger("werkbrug.transfer")


def installation_id(db: sqlite_utils.Database) -> str:
    row = db.conn.execute("SELECT value FROM meta WHERE key = 'installation_id'").fetchone()
    if row:
        return row[0]
    new = uuid.uuid4().hex
    with db.atomic():
        db.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('installation_id', ?)", [new])
    return db.conn.execute("SELECT value FROM meta WHERE key = 'installation_id'").fetchone()[0]


def _rows(db, sql, params=()) -> list[dict]:
    cur = db.conn.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _rec(kind: str, row: dict, parent: str | None) -> dict:
    return {"kind": kind, "uid": row["uid"], "modified": row["modified"], "created": row.get("created"),
            "parent": parent, "data": {k: v for k, v in row.items() if k not in _SKIP}}


def _fields(text: str | None) -> dict[str, str]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _seen(db, uids: list[str]) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, dict[str, str]]]]:
    """Per record uid: partner -> stamp seen, and partner -> field digests seen (when known)."""
    out: dict[str, dict[str, str]] = {}
    fields: dict[str, dict[str, dict[str, str]]] = {}
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        for p, u, m, f in db.conn.execute(f"SELECT partner, record_uid, seen_modified, seen_fields FROM sync_state "
                                          f"WHERE record_uid IN ({', '.join('?' * len(part))})", part).fetchall():
            out.setdefault(u, {})[p] = m
            if f:
                fields.setdefault(u, {})[p] = _fields(f)
    return out, fields


def collect(db: sqlite_utils.Database, dossier_id: int, worker_ids: list[int] | None = None, *,
            with_limitations: bool = False, with_reference: bool = True, principal=BOUND) -> dict:
    """The content of a transfer file for a dossier (or some of its workers). With ``with_limitations``
    only the limitations ``principal`` (default: the signed-in account) may see go along; the number of
    workers whose limitations were left out for that reason is ``limitations_withheld``."""
    principal = bound_principal(db) if principal is BOUND else principal
    d = _rows(db, "SELECT * FROM dossiers WHERE id = ?", [dossier_id])
    if not d:
        raise LookupError(tr(_CTX, "Dossier {id} bestaat niet.").format(id=dossier_id))
    dossier = _rec("dossiers", d[0], None)
    workers = _rows(db, "SELECT * FROM workers WHERE dossier_id = ? ORDER BY id", [dossier_id])
    if worker_ids is not None:
        wanted = set(worker_ids)
        workers = [w for w in workers if w["id"] in wanted]
        missing = wanted - {w["id"] for w in workers}
        if missing:
            raise LookupError(tr(_CTX, "Werknemer(s) {ids} horen niet bij dossier {d}.").format(
                ids=", ".join(map(str, sorted(missing))), d=dossier_id))
    records = [dossier]
    by_id = {w["id"]: w["uid"] for w in workers}
    records += [_rec("workers", w, dossier["uid"]) for w in workers]
    tables = CHILD_TABLES + ((HEALTH_TABLE,) if with_limitations else ()) + ("plans",)
    ids = list(by_id)
    health_ids = [w["id"] for w in workers if may_see_limitations(principal, w["counsellor"] or "")]
    withheld = set()
    if with_limitations and len(health_ids) < len(ids):
        hidden = [w["id"] for w in workers if w["id"] not in set(health_ids)]
        withheld = {r[0] for r in db.conn.execute(
            f"SELECT DISTINCT worker_id FROM {HEALTH_TABLE} WHERE worker_id IN ({', '.join('?' * len(hidden))})",
            hidden).fetchall()}
    for table in tables:
        ids = health_ids if table == HEALTH_TABLE else list(by_id)
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in _rows(db, f"SELECT * FROM {table} WHERE worker_id IN ({', '.join('?' * len(part))}) ORDER BY id",
                           part):
                records.append(_rec(table, r, by_id[r["worker_id"]]))
    seen, seen_fields = _seen(db, [r["uid"] for r in records])
    for r in records:
        r["seen"] = seen.get(r["uid"], {})
        if r["uid"] in seen_fields:
            r["seen_fields"] = seen_fields[r["uid"]]
    content = {"dossier": dossier["uid"], "records": records, "with_limitations": with_limitations,
               "workers": len(workers), "limitations_withheld": len(withheld)}
    if with_reference:
        content["reference"] = collect_reference(db)
    return content


def collect_reference(db: sqlite_utils.Database) -> dict:
    """The local reference layer (never the embedded data): variants and local occupations."""
    repo = ReferenceRepository(db, principal=None, audit=None)     # reading only
    items = repo.local_items("occupation")
    occupations = []
    if items:
        ref = repo.reference()
        for item in items:
            try:
                o = ref.occupation_by_id(item.item_id)
            except KeyError:
                continue
            occupations.append({"id": item.item_id, "override": item.override, "modified": item.modified,
                                "document": occupation_document(o)})
    variants = [{"competence_id": c, "text": t} for c, t in repo.variants()]
    return {"version": REFERENCE_VERSION, "variants": variants, "occupations": occupations}


def merge_reference(section: dict, repo: ReferenceRepository) -> ReferenceReport:
    """Take over the sender's variants and local occupations that this side lacks, through ``repo``
    (its checks, rights and audit entries apply). An occupation this side has in another version
    of its own is kept and reported; one the repository refuses is reported with its reason.
    Writes only inside the caller's transaction (each repository call is a savepoint)."""
    report = ReferenceReport()
    variants = section.get("variants") or []
    occupations = section.get("occupations") or []
    if not variants and not occupations:
        return report
    ref = repo.reference()
    for v in variants:
        cid, text = v["competence_id"], " ".join(v["text"].split())
        if not ref.has_competence(cid):
            report.refused.append(tr(_CTX, "Variant '{tekst}' niet overgenomen: competentie {id} bestaat hier "
                                           "niet.").format(tekst=text, id=cid))
            continue
        competence = ref.competence_by_id(cid)
        if phrase_key(text) in {phrase_key(t) for t in competence.labels}:
            report.unchanged += 1
            continue
        try:
            added = repo.add_variant(cid, text)
        except UserError as e:
            report.refused.append(tr(_CTX, "Variant '{tekst}' van competentie '{competentie}' niet overgenomen: "
                                           "{reden}").format(tekst=text, competentie=competence.label_nl, reden=e))
            continue
        if added:
            report.added_variants.append((competence.label_nl, text))
            ref = repo.reference()
        else:
            report.unchanged += 1
    if not occupations:
        return report
    if not repo.may_edit:
        report.not_allowed = tr(_CTX, "{n} aangepaste of eigen beroepen werden niet overgenomen: enkel een "
                                      "beheerder mag beroepen aanpassen. Laat een beheerder het bestand inlezen om "
                                      "ze over te nemen.").format(n=len(occupations))
        return report
    for entry in occupations:
        incoming = occupation_from_document(entry["document"])
        theirs = occupation_document(incoming)
        try:
            current = ref.occupation_by_id(incoming.id)
        except KeyError:
            current = None
        mine = occupation_document(current) if current is not None else None
        if mine == theirs:
            report.unchanged += 1
            continue
        here = repo.local_item("occupation", incoming.id)
        if here is not None or (mine is not None and not entry.get("override")):
            report.kept_here.append(tr(_CTX, "Beroep '{naam}' verschilt van de versie op deze computer ({velden}); "
                                             "de versie van deze computer blijft behouden.").format(
                naam=(current or incoming).name_nl, velden=", ".join(occupation_differences(mine or {}, theirs))))
            continue
        try:
            repo.save_occupation(incoming)
        except UserError as e:
            report.refused.append(tr(_CTX, "Beroep '{naam}' niet overgenomen: {reden}").format(
                naam=incoming.name_nl, reden=e))
            continue
        report.added_occupations.append(incoming.name_nl)
        ref = repo.reference()
    return report


def _local_revision(db: sqlite_utils.Database) -> int | None:
    try:
        row = db.conn.execute("SELECT value FROM reference_meta WHERE key = 'local_revision'").fetchone()
        return int(row[0]) if row else 0
    except (sqlite3.Error, ValueError):
        return None


def _skip_revisions(db: sqlite_utils.Database, peak: int) -> None:
    """After a rolled-back reference merge: move the local revision past the ones used inside the
    transaction, so the effective reference and matching engine cached under those numbers (with
    the rolled-back edits) are never reused for later, different edits."""
    try:
        with db.atomic():
            db.conn.execute("INSERT INTO reference_meta (key, value) VALUES ('local_revision', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
                            "WHERE CAST(reference_meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)",
                            [str(peak + 1)])
    except sqlite3.Error:
        log.exception("could not move the reference revision past a rolled-back import")


def local_records(db: sqlite_utils.Database, incoming: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    by_kind: dict[str, list[str]] = {}
    for r in incoming:
        by_kind.setdefault(r["kind"], []).append(r["uid"])
    for kind, uids in by_kind.items():
        if kind not in ("dossiers", "workers", HEALTH_TABLE, "plans", *CHILD_TABLES):
            continue
        for i in range(0, len(uids), 500):
            part = uids[i:i + 500]
            for row in _rows(db, f"SELECT * FROM {kind} WHERE uid IN ({', '.join('?' * len(part))})", part):
                out[row["uid"]] = _rec(kind, row, None)
    return out


def shared_stamps(db: sqlite_utils.Database, partner: str, me: str, incoming: list[dict]) -> dict[str, set[str]]:
    mine = {}
    uids = [r["uid"] for r in incoming]
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        for u, m in db.conn.execute(f"SELECT record_uid, seen_modified FROM sync_state WHERE partner = ? AND "
                                    f"record_uid IN ({', '.join('?' * len(part))})", [partner, *part]).fetchall():
            mine[u] = m
    out = {}
    for r in incoming:
        stamps = {s for s in (mine.get(r["uid"]), (r.get("seen") or {}).get(me)) if s}
        if stamps:
            out[r["uid"]] = stamps
    return out


def shared_bases(db: sqlite_utils.Database, partner: str, me: str, incoming: list[dict]) -> dict[str, list[dict]]:
    """Per record uid the field digests both sides had in common: what this side last received from
    ``partner`` (``sync_state.seen_fields``) and what the partner last received from this side (the
    record's ``seen_fields`` in the file). Empty for records merged before schema 8."""
    mine: dict[str, dict] = {}
    uids = [r["uid"] for r in incoming]
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        for u, f in db.conn.execute(f"SELECT record_uid, seen_fields FROM sync_state WHERE partner = ? AND "
                                    f"record_uid IN ({', '.join('?' * len(part))})", [partner, *part]).fetchall():
            if f:
                mine[u] = _fields(f)
    out: dict[str, list[dict]] = {}
    for r in incoming:
        theirs = (r.get("seen_fields") or {}).get(me)
        found = [b for b in (mine.get(r["uid"]), theirs if isinstance(theirs, dict) else None) if b]
        if found:
            out[r["uid"]] = found
    return out


def check_dossier_access(db: sqlite_utils.Database, dossier_uid: str, principal=BOUND) -> None:
    """Refuse, before anything is written, a file whose dossier exists on this computer but is not one
    ``principal`` may open: merging into it would change (and show) data that is not theirs. A dossier
    that is new here becomes the importing consulent's own (``apply_merge``)."""
    principal = bound_principal(db) if principal is BOUND else principal
    if principal is None or principal.sees_all_dossiers:
        return
    row = db.conn.execute("SELECT id, company_name FROM dossiers WHERE uid = ?", [dossier_uid]).fetchone()
    if row is None:
        return
    if not db.conn.execute("SELECT 1 FROM dossier_counsellors WHERE dossier_id = ? AND account_id = ?",
                           [row[0], principal.account_id]).fetchone():
        raise UserError(tr(_CTX, "Het dossier in dit bestand bestaat al op deze computer, maar is niet aan jou "
                                 "toegewezen. Vraag je celcoördinator of beheerder om het dossier aan jou toe te "
                                 "wijzen, of laat hen het bestand inlezen. Er werd niets ingelezen."))


def _erased_worker_uids(db, uids: list[str]) -> set[str]:
    """Those of ``uids`` that are workers anonymised on this computer (GDPR erasure or retention)."""
    out: set[str] = set()
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        out |= {r[0] for r in db.conn.execute(
            f"SELECT uid FROM workers WHERE anonymised_at <> '' AND uid IN ({', '.join('?' * len(part))})", part)}
    return out


def withhold_erased(db: sqlite_utils.Database, dossier_uid: str, records: list[dict]) -> tuple[list[dict], int, bool]:
    """The file's records without what an erasure on this computer removed: a partner that still has a
    worker anonymised here must not bring the identity back. Left out: every record of a worker anonymised
    here (matched on its uid: the anonymised row stays as the marker) and, when the dossier itself is
    anonymised here, every worker of the file and their rows; the dossier record keeps this side's
    ``anonymised_at``. Returns (records to merge, workers left out, whether the dossier is anonymised here)."""
    row = db.conn.execute("SELECT anonymised_at FROM dossiers WHERE uid = ?", [dossier_uid]).fetchone()
    dossier_erased = bool(row and row[0])
    worker_uids = [r["uid"] for r in records if r.get("kind") == "workers"]
    gone = set(worker_uids) if dossier_erased else _erased_worker_uids(db, worker_uids)
    kept: list[dict] = []
    for r in records:
        if r.get("kind") == "workers" and r["uid"] in gone:
            continue
        if r.get("kind") not in ("dossiers", "workers") and (r.get("parent") in gone or dossier_erased):
            continue
        if r.get("kind") == "dossiers" and dossier_erased and r["uid"] == dossier_uid:
            r = dict(r, data=dict(r.get("data") or {}, anonymised_at=row[0]))
        kept.append(r)
    return kept, len(gone), dossier_erased


def _new_counsellor(db, principal, sender: str) -> str:
    """The own counsellor a worker new from a transfer file gets here. ``sender``: the login it had on the
    other computer, which need not exist here. A consulent who reads the file in becomes it (as with an
    employer list); anyone else (a beheerder, the celcoördinator, the system) keeps the sender's login when it
    is an active account here, and otherwise leaves the worker without one."""
    if principal is not None and principal.role is Role.CONSULENT:
        return principal.login
    if not sender:
        return ""
    row = db.conn.execute("SELECT login FROM accounts WHERE login = ? COLLATE NOCASE AND active = 1",
                          [sender]).fetchone()
    return row[0] if row else ""


def _parent_id(db, table: str, uid: str | None) -> int | None:
    row = db.conn.execute(f"SELECT id FROM {table} WHERE uid = ?", [uid]).fetchone()
    return row[0] if row else None


def _columns(db, table: str) -> set[str]:
    return {r[1] for r in db.conn.execute(f"PRAGMA table_info({table})").fetchall()}


def apply_merge(db: sqlite_utils.Database, plan: MergePlan, dossier_uid: str, *,
                reference_repo: ReferenceRepository | None = None, principal=BOUND, audit=BOUND) -> list[str]:
    """Write additions and updates, remember the stamps and field digests seen and merge the file's
    reference section (``plan.reference``; the outcome goes to ``plan.reference_report``), all in ONE
    transaction: a failure leaves nothing behind. ``reference_repo``: default the account signed in on
    ``db``. A dossier the file brings new to this computer is assigned to ``principal`` (default: the
    signed-in account) when that is a consulent, as a dossier they create: otherwise they could not
    open what they imported. A worker the file adds gets its own counsellor here (``_new_counsellor``;
    the outcome goes to ``plan.counsellors``); nothing of a worker anonymised here is written or
    remembered, whatever the plan holds. A worker anonymised on the other computer and not here
    (``plan.erased_elsewhere``) is anonymised here too, in the same transaction, after the merge
    (``db.gdpr.anonymise_workers``, written to ``audit``, default the signed-in account's trail); its ids
    here go to ``plan.erased_elsewhere_ids``. Returns notes."""
    principal = bound_principal(db) if principal is BOUND else principal
    audit = bound_audit(db) if audit is BOUND else audit
    check_dossier_access(db, dossier_uid, principal)
    peak: list[int | None] = []
    try:
        notes = _apply(db, plan, dossier_uid, reference_repo, peak, principal, audit)
    except BaseException:
        if peak and peak[0] is not None:
            _skip_revisions(db, peak[0])
        raise
    if plan.erased_elsewhere_ids and not db.conn.in_transaction:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()   # old page images leave the WAL
    return notes


def _erased_elsewhere_ids(db, uids: list[str]) -> dict[str, int]:
    """uid -> id here of those workers that exist here and are not anonymised here."""
    out: dict[str, int] = {}
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        out |= {uid: wid for uid, wid in db.conn.execute(
            f"SELECT uid, id FROM workers WHERE anonymised_at = '' AND uid IN ({', '.join('?' * len(part))})", part)}
    return out


def _erase_here(db, plan: MergePlan, ids: dict[str, int], record_uids: set[str], audit) -> list[int]:
    """Complete here an erasure made on the other computer: the same anonymisation as one made here
    (identity, notes, functional limitations, plan contents, logged values, sync state). Returns the ids."""
    from db.gdpr import anonymise_workers
    wanted = [ids[u] for u in plan.erased_elsewhere if u in ids]
    # The erasure was decided on the other computer, by an account entitled to it there (celcoördinator or
    # beheerder); completing it is part of reading the file in, so it runs with the import's rights
    # (principal=None: the system), whatever this account's role. A consulent who reads the file in must
    # not be refused here: refusing would leave the identity, health data and logged values on this
    # computer. The audit entry still names the account that read the file in (``audit``).
    anonymise_workers(db, wanted, principal=None, audit=audit, reason=ERASED_ELSEWHERE_REASON)
    # anonymise_workers forgets the sync state of the rows that exist here; also that of the worker's
    # records in the file that no longer exist here (deleted here before), which still hold digests
    uids = sorted(record_uids)
    for i in range(0, len(uids), 500):
        part = uids[i:i + 500]
        db.conn.execute(f"DELETE FROM sync_state WHERE record_uid IN ({', '.join('?' * len(part))})", part)
    return wanted


def _apply(db, plan: MergePlan, dossier_uid: str, reference_repo, peak: list, principal, audit) -> list[str]:
    notes: list[str] = []
    skipped: set[str] = set()
    cols_cache: dict[str, set[str]] = {}
    owners = CounsellorReport(importer=principal.login if principal is not None
                              and principal.role is Role.CONSULENT else "")
    with db.atomic():
        # never write (or remember digests of) anything of a worker anonymised here, whatever the plan holds
        records = plan.add + plan.update + [r for r, _ in plan.merged] + plan.unchanged + plan.kept_mine
        erased = _erased_worker_uids(db, [r["uid"] for r in records if r["kind"] == "workers"]
                                     + sorted({r["parent"] for r in records if r["kind"] not in ("dossiers", "workers")
                                               and r.get("parent")}))
        skipped |= {r["uid"] for r in records if r["uid"] in erased or
                    (r["kind"] not in ("dossiers", "workers") and r.get("parent") in erased)}
        # workers anonymised on the other computer and not (yet) here: looked up before the merge writes the
        # file's anonymised_at into them; erased below, and no merge base is remembered of their records
        elsewhere = _erased_elsewhere_ids(db, [u for u in plan.erased_elsewhere if u not in erased])
        elsewhere_records = {r["uid"] for r in records + [c.record for c in plan.conflicts]
                             if r["uid"] in elsewhere or (r["kind"] not in ("dossiers", "workers")
                                                          and r.get("parent") in elsewhere)}
        for rec in sorted(plan.add, key=lambda r: _ORDER.get(r["kind"], 2)):
            if rec["uid"] in skipped:
                continue
            table = rec["kind"]
            cols = cols_cache.setdefault(table, _columns(db, table))
            data = {k: v for k, v in rec["data"].items() if k in cols}
            if table == "workers":
                data["dossier_id"] = _parent_id(db, "dossiers", rec["parent"])
                if data.get("insz") and db.conn.execute("SELECT 1 FROM workers WHERE dossier_id = ? AND insz = ?",
                                                        [data["dossier_id"], data["insz"]]).fetchone():
                    notes.append(tr(_CTX, "{wat} niet toegevoegd: dit INSZ bestaat hier al onder een andere "
                                          "werknemer.").format(wat=record_label(rec)))
                    skipped.add(rec["uid"])
                    continue
                if "counsellor" in cols:
                    sender = str(rec["data"].get("counsellor") or "").strip()
                    data["counsellor"] = _new_counsellor(db, principal, sender)
                    owners.note(sender, data["counsellor"])
            elif table != "dossiers":
                wid = _parent_id(db, "workers", rec["parent"])
                if wid is None:
                    skipped.add(rec["uid"])
                    continue
                data["worker_id"] = wid
                if table == "plans" and db.conn.execute("SELECT 1 FROM plans WHERE worker_id = ? AND version = ?",
                                                        [wid, data["version"]]).fetchone():
                    new_v = db.conn.execute("SELECT max(version) + 1 FROM plans WHERE worker_id = ?", [wid]).fetchone()[0]
                    notes.append(tr(_CTX, "{wat} kreeg versienummer {nieuw}: die versie bestond hier al.").format(
                        wat=record_label(rec), nieuw=new_v))
                    data["version"] = new_v
            data |= {"uid": rec["uid"], "modified": rec["modified"]}
            if rec.get("created"):
                data["created"] = rec["created"]
            cur = db.conn.execute(f"INSERT INTO {table} ({', '.join(data)}) VALUES ({', '.join('?' * len(data))})",
                                  list(data.values()))
            if table == "dossiers" and principal is not None and not principal.sees_all_dossiers:
                db.conn.execute("INSERT OR IGNORE INTO dossier_counsellors (dossier_id, account_id) VALUES (?, ?)",
                                [cur.lastrowid, principal.account_id])      # the importing consulent's own
        for rec in plan.update:
            if rec["uid"] in skipped:
                continue
            table = rec["kind"]
            cols = cols_cache.setdefault(table, _columns(db, table))
            now = _rows(db, f"SELECT * FROM {table} WHERE uid = ?", [rec["uid"]])
            if not now:
                continue
            # only the columns that differ: a frozen plan's trigger fires on any SET of its frozen columns;
            # never this computer's own fields (a worker's own counsellor is a login of this computer)
            data = {k: v for k, v in rec["data"].items() if k in cols and now[0].get(k) != v
                    and not local_field(table, k)}
            data["modified"] = rec["modified"]
            db.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in data)} WHERE uid = ?",
                            [*data.values(), rec["uid"]])
        for rec, take in plan.merged:
            # a mix of both sides: only the fields taken from the file, and a NEW stamp, so that the other
            # computer sees this record as changed here and takes the fields kept here in its turn
            if rec["uid"] in skipped:
                continue
            table = rec["kind"]
            cols = cols_cache.setdefault(table, _columns(db, table))
            now = _rows(db, f"SELECT * FROM {table} WHERE uid = ?", [rec["uid"]])
            if not now:
                continue
            data = {k: v for k, v in take.items() if k in cols and now[0].get(k) != v and not local_field(table, k)}
            data["modified"] = utc_now()
            db.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in data)} WHERE uid = ?",
                            [*data.values(), rec["uid"]])
        done = [r for r in plan.add + plan.update + [r for r, _ in plan.merged] + plan.unchanged + plan.kept_mine
                if r["uid"] not in skipped and r["uid"] not in elsewhere_records]
        # the common base from now on: the file's version of each record, field by field
        db.conn.executemany(
            "INSERT INTO sync_state (partner, record_uid, dossier_uid, seen_modified, seen_fields) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(partner, record_uid) DO UPDATE SET "
            "seen_modified = excluded.seen_modified, seen_fields = excluded.seen_fields",
            [(plan.partner, r["uid"], dossier_uid, r["modified"],
              json.dumps(field_digests(r["uid"], r["data"]), sort_keys=True, separators=(",", ":")))
             for r in done])
        erased_here = _erase_here(db, plan, elsewhere, elsewhere_records, audit) if elsewhere else []
        if plan.reference is not None:
            try:
                plan.reference_report = merge_reference(plan.reference, reference_repo or ReferenceRepository(db))
            finally:
                peak.append(_local_revision(db))
    if owners.sender or owners.to_importer or owners.kept:
        plan.counsellors = owners
    plan.erased_elsewhere_ids = erased_here          # only once the merge's transaction went through
    return notes
