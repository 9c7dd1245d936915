"""Backups (SQLite online backup API, safe while the application runs) and restore.

Every file is opened through ``db.connection`` (encryption at rest lives there): copies are made
with ``backup_database`` when it exists, else by opening the target with ``open_database`` and
using the backup API; a file to restore is checked on a temporary copy opened with ``open_database``.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from core.errors import UserError
from core.fileio import UnsafeTarget, check_output_file, os_reason, process_alive, remove_stale_files
from core.i18n import tr
from db import connection as dbc
from db.errors import DatabaseError

_CTX = "database"
KEEP = 14
REAPPLIED_REASON = "opnieuw na terugzetten reservekopie"     # stored in the audit trail, as "verzoek" is
KEYS_SUFFIX = ".keys"          # key slots of an encrypted database live next to it (core.keystore)
_NAME = re.compile(r"^werkbrug-(\d{8})-(\d{6})\.db$")
REQUIRED_TABLES = {1: ("meta", "dossiers", "workers", "experiences", "worker_competences", "certificates",
                       "worker_languages", "functional_limitations", "contacts"),
                   2: ("plans",)}


class BackupError(DatabaseError):
    """The backup cannot be made or the file cannot be restored; nothing was changed."""


class _KeyDoesNotOpen(BackupError):
    """The key tried does not open the file to restore (another key, or the file is damaged)."""


class BackupKeyRefused(BackupError):
    """The backup's key file does not let the account in (``keys``: that key file); nothing was changed.
    The message names no way of giving the password of then: the command line and the window each say
    their own."""

    def __init__(self, message: str, keys: Path):
        super().__init__(message)
        self.keys = keys


class RestoreCancelled(BackupError):
    """The counsellor did not confirm the restore (erasures since the backup, or the window's question);
    nothing was changed."""


def backup_dir_for(db_path: Path | str) -> Path:
    """The ``backups`` folder next to the database."""
    return Path(db_path).resolve().parent / "backups"


def _db_path(db: sqlite_utils.Database) -> Path | None:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def _copy(db: sqlite_utils.Database, target: Path) -> Path:
    if hasattr(dbc, "backup_database"):
        return dbc.backup_database(db, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    dest = dbc.open_database(tmp, migrate_schema=False)
    try:
        db.conn.backup(dest.conn)
    finally:
        dest.conn.close()
    os.replace(tmp, target)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    return target


def backup_to(db: sqlite_utils.Database, target: Path | str) -> Path:
    """A consistent copy of the open database at ``target`` (replaced only when the copy is complete)."""
    try:
        target = check_output_file(target)      # never over the database, its key file, a folder or a device
        return _copy(db, target)
    except UnsafeTarget as e:
        raise BackupError(str(e)) from None
    except OSError as e:
        raise BackupError(tr(_CTX, "De reservekopie kan niet geschreven worden naar {pad}: {fout}").format(
            pad=target, fout=os_reason(e))) from None


def backup_name(now: dt.datetime | None = None) -> str:
    return f"werkbrug-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}.db"


def list_backups(backup_dir: Path | str) -> list[Path]:
    """Timestamped backups in the folder, oldest first."""
    d = Path(backup_dir)
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if p.is_file() and _NAME.match(p.name))


def backup_made_at(path: Path | str) -> dt.datetime | None:
    """When a backup was made, in local time: the stamp in its name (``werkbrug-YYYYMMDD-HHMMSS.db``),
    else the time the file was last written; None when neither can be read."""
    path = Path(path)
    m = _NAME.match(path.name)
    if m:
        try:
            return dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        except ValueError:
            pass
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


def backup_now(db: sqlite_utils.Database, backup_dir: Path | str, *, keep: int = KEEP,
               now: dt.datetime | None = None) -> Path:
    """A timestamped backup in ``backup_dir``; older ones beyond ``keep`` are removed."""
    d = Path(backup_dir)
    remove_stale_files(d, _BACKUP_TMP)        # copies of a backup that was killed
    target = d / backup_name(now)
    n = 1
    while target.exists():
        target = d / backup_name((now or dt.datetime.now()) + dt.timedelta(seconds=n))
        n += 1
    backup_to(db, target)
    rotate(d, keep)
    return target


def rotate(backup_dir: Path | str, keep: int = KEEP) -> list[Path]:
    removed = []
    for old in list_backups(backup_dir)[:-keep] if keep > 0 else []:
        for extra in (old, Path(str(old) + KEYS_SUFFIX)):
            if extra.exists():
                extra.unlink()
        removed.append(old)
    return removed


def auto_backup_if_due(db: sqlite_utils.Database, backup_dir: Path | str | None = None, *, keep: int = KEEP,
                       now: dt.datetime | None = None) -> Path | None:
    """Once a day at start-up: a backup when there is none of today yet. Returns it, or None."""
    now = now or dt.datetime.now()
    if backup_dir is None:
        path = _db_path(db)
        if path is None:
            return None
        backup_dir = backup_dir_for(path)
    today = f"{now:%Y%m%d}"
    if any(_NAME.match(p.name).group(1) == today for p in list_backups(backup_dir)):
        return None
    return backup_now(db, backup_dir, keep=keep, now=now)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    schema: int
    dossiers: int
    workers: int
    # What restore needs to see which erasures of the current database the backup does not have:
    # the time of the backup's last audit entry (UTC, '' without one) and the uids of the workers and
    # dossiers that are still identifiable in it.
    last_audit_ts: str = field(default="", compare=False, repr=False)
    identifiable_workers: frozenset = field(default=frozenset(), compare=False, repr=False)
    identifiable_dossiers: frozenset = field(default=frozenset(), compare=False, repr=False)
    admins: frozenset = field(default=frozenset(), compare=False, repr=False)    # active beheerders (lower case)


@dataclass(frozen=True)
class ErasureEntry:
    """An anonymisation or retention run in the current database's audit trail, after the backup."""
    ts: str
    actor: str
    action: str            # "anonymise" or "retention"
    worker_ids: tuple = ()
    dossier_ids: tuple = ()
    count: int = 0
    reason: str = ""

    def as_dict(self) -> dict:
        return {"ts": self.ts, "actor": self.actor, "action": self.action, "worker_ids": list(self.worker_ids),
                "dossier_ids": list(self.dossier_ids), "count": self.count, "reason": self.reason}


@dataclass(frozen=True)
class LostErasures:
    """GDPR erasures in the current database that the backup does not have: without re-applying them,
    restoring would bring the erased identities (and health data) back."""
    entries: tuple = ()                 # ErasureEntry, oldest first
    worker_uids: frozenset = frozenset()    # anonymised now, still identifiable in the backup
    dossier_uids: frozenset = frozenset()

    def __bool__(self) -> bool:
        return bool(self.entries or self.worker_uids or self.dossier_uids)

    @property
    def workers(self) -> int:
        return len(self.worker_uids)


def _open(path: Path, key=None, **kw) -> sqlite_utils.Database:
    return dbc.open_database(path, **kw, **({"key": key} if key is not None else {}))


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    printable = sum(1 for b in head if b in (9, 10, 13) or 32 <= b < 127 or b >= 0xC2)
    return printable / len(head) > 0.95


def check_backup_kind(path: Path | str) -> None:
    """Refuse, before any key or password is involved, a file that cannot be a Werkbrug backup: a
    transfer file (``.werkbrug``, or its unsealed zip), a zip, a text file, or a file too small or of
    a size SQLite never writes. A file of such a size that looks like a backup (a key file next to it, a
    backup's name, random bytes) is called damaged or incomplete instead. A plain SQLite file and an
    encrypted-looking one pass (checked later)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(tr(_CTX, "Het bestand {pad} bestaat niet.").format(pad=path))
    transfer = tr(_CTX, "{pad} is een overdrachtsbestand, geen reservekopie. Lees het in met import-transfer (of "
                        "Gegevens > Overdrachtsbestand inlezen). Er werd niets gewijzigd.").format(pad=path)
    foreign = tr(_CTX, "{pad} is geen reservekopie van Werkbrug. Kies een reservekopie (werkbrug-….db in de map "
                       "backups naast de database, of het bestand dat backup --out schreef). Er werd niets "
                       "gewijzigd.").format(pad=path)
    from core.transfer import SUFFIX as TRANSFER_SUFFIX
    if path.suffix.lower() == TRANSFER_SUFFIX:
        raise BackupError(transfer)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as e:
        raise BackupError(tr(_CTX, "{pad} kan niet gelezen worden: {fout}. Er werd niets gewijzigd.").format(
            pad=path, fout=os_reason(e))) from None
    if head[:16] == dbc.SQLITE_HEADER:
        return
    if head[:2] == b"PK":
        import zipfile
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        raise BackupError(transfer if {"manifest.json", "content.json"} <= names else foreign)
    if _looks_like_text(head):
        raise BackupError(foreign)
    if size < 1024 or size % 512:           # SQLCipher writes whole pages of random bytes
        if _looks_like_backup(path, head):
            raise BackupError(tr(_CTX, "{pad} lijkt een reservekopie van Werkbrug, maar is beschadigd of onvolledig "
                                       "(bijvoorbeeld niet helemaal gekopieerd) en kan niet teruggezet worden. Kies "
                                       "een andere reservekopie (werkbrug-….db in de map backups naast de database) "
                                       "of kopieer ze opnieuw. Er werd niets gewijzigd.").format(pad=path))
        raise BackupError(foreign)


def _looks_like_backup(path: Path, head: bytes) -> bool:
    """A file that cannot be read as a backup but was meant as one: a key file next to it, the name of a
    backup, or bytes as random as an encrypted database's (a cut-off copy)."""
    if path.with_name(path.name + KEYS_SUFFIX).is_file():
        return True
    if path.name.lower().startswith("werkbrug-") and ".db" in path.name.lower():
        return True
    return len(head) >= 256 and len(set(head)) >= 150       # random bytes: ~220 distinct values in 512


def verify_backup(path: Path | str, *, work_dir: Path | None = None, key=None) -> BackupInfo:
    """Check a file before restoring it: SQLite header, integrity, schema not newer, required tables.

    The checks run on a temporary copy, so the file itself is never touched. Raises BackupError.
    """
    path = Path(path)
    check_backup_kind(path)
    encrypted_ok = key is not None or getattr(dbc, "session_key", lambda: None)() is not None
    with open(path, "rb") as fh:
        header = fh.read(16)
    if header != dbc.SQLITE_HEADER and not encrypted_ok:
        raise BackupError(tr(_CTX, "{pad} is geen Werkbrug-reservekopie (geen SQLite-bestand). Er werd niets "
                                   "gewijzigd.").format(pad=path))
    tmp = _temp_copy(path, work_dir or path.parent)
    try:
        return _verify_copy(tmp, path, key)
    finally:
        _remove_db_files(tmp)


def _temp_copy(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".werkbrug-herstel-{os.getpid()}-{dt.datetime.now():%H%M%S%f}.db"
    shutil.copyfile(path, tmp)
    return tmp


def _remove_db_files(p: Path) -> None:
    for s in ("", "-wal", "-shm", "-journal"):
        Path(str(p) + s).unlink(missing_ok=True)


def _verify_copy(tmp: Path, original: Path, key=None) -> BackupInfo:
    bad = tr(_CTX, "{pad} is beschadigd of geen Werkbrug-reservekopie ({reden}). Er werd niets gewijzigd.")
    try:
        db = _open(tmp, key, migrate_schema=False)
    except dbc.WrongKey as e:
        raise _KeyDoesNotOpen(str(e).replace(str(tmp), str(original))) from None
    except DatabaseError as e:
        raise BackupError(str(e).replace(str(tmp), str(original))) from None
    try:
        try:
            result = db.conn.execute("PRAGMA integrity_check").fetchall()
        except Exception:  # noqa: BLE001 - any error of the SQLite driver means damaged (its text is English)
            raise BackupError(bad.format(pad=original, reden=tr(_CTX, "het bestand kan niet gecontroleerd "
                                                                      "worden"))) from None
        if [r[0] for r in result] != ["ok"]:
            raise BackupError(bad.format(pad=original, reden=tr(_CTX, "integriteitscontrole mislukt")))
        version = dbc.schema_version(db)
        from db.migrations import latest_version
        if version > latest_version():
            raise BackupError(tr(_CTX, "{pad} komt van een nieuwere versie van Werkbrug (schema {schema}); "
                                       "installeer eerst die versie. Er werd niets gewijzigd.").format(
                pad=original, schema=version))
        if version < 1:
            raise BackupError(bad.format(pad=original, reden=tr(_CTX, "geen Werkbrug-schema")))
        tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        needed = [t for v, names in REQUIRED_TABLES.items() if v <= version for t in names]
        missing = [t for t in needed if t not in tables]
        if missing:
            raise BackupError(bad.format(pad=original, reden=tr(_CTX, "tabellen ontbreken: {tabellen}").format(
                tabellen=", ".join(missing))))
        n_d = db.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
        n_w = db.conn.execute("SELECT count(*) FROM workers").fetchone()[0]
        return BackupInfo(original, version, n_d, n_w, *_erasure_state(db, tables))
    finally:
        db.conn.close()


def _columns(db, table: str) -> set[str]:
    return {r[1] for r in db.conn.execute(f'PRAGMA table_info("{table}")')}


def _erasure_state(db, tables: set[str]) -> tuple[str, frozenset, frozenset, frozenset]:
    """(last audit time, uids of identifiable workers, uids of dossiers not anonymised, logins of the active
    beheerders) of a backup."""
    last = ""
    if "audit_log" in tables:
        row = db.conn.execute("SELECT max(ts) FROM audit_log").fetchone()
        last = row[0] or ""
    found = []
    for table in ("workers", "dossiers"):
        cols = _columns(db, table)
        if {"uid", "anonymised_at"} <= cols:
            found.append(frozenset(r[0] for r in db.conn.execute(
                f"SELECT uid FROM {table} WHERE anonymised_at = ''")))
        elif "uid" in cols:
            found.append(frozenset(r[0] for r in db.conn.execute(f"SELECT uid FROM {table}")))
        else:
            found.append(frozenset())
    admins = frozenset()
    if "accounts" in tables:
        admins = frozenset(r[0].lower() for r in db.conn.execute(
            "SELECT login FROM accounts WHERE role = 'beheerder' AND active = 1"))
    return last, found[0], found[1], admins


def lost_erasures(current: sqlite_utils.Database, info: BackupInfo) -> LostErasures:
    """The erasures (anonymisations, retention runs) of the open ``current`` database that restoring
    the backup described by ``info`` would undo: workers and dossiers anonymised here but still
    identifiable there (matched on their uid, never on the id), and the audit entries of
    anonymisations and retention runs written after the backup's last audit entry."""
    tables = {r[0] for r in current.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    workers = dossiers = frozenset()
    if {"uid", "anonymised_at"} <= _columns(current, "workers"):
        workers = frozenset(r[0] for r in current.conn.execute(
            "SELECT uid FROM workers WHERE anonymised_at <> ''")) & info.identifiable_workers
    if {"uid", "anonymised_at"} <= _columns(current, "dossiers"):
        dossiers = frozenset(r[0] for r in current.conn.execute(
            "SELECT uid FROM dossiers WHERE anonymised_at <> ''")) & info.identifiable_dossiers
    entries = []
    if "audit_log" in tables:
        import json
        for ts, actor, action, entity_id, details in current.conn.execute(
                "SELECT ts, actor, action, entity_id, details FROM audit_log WHERE action IN ('anonymise', 'retention') "
                "AND ts > ? ORDER BY id", [info.last_audit_ts]):
            try:
                d = json.loads(details or "{}")
            except ValueError:
                d = {}
            d = d if isinstance(d, dict) else {}
            wids = tuple(int(w) for w in d.get("worker_ids") or () if str(w).isdigit())
            dids = tuple(int(x) for x in d.get("dossiers") or () if str(x).isdigit())
            entries.append(ErasureEntry(ts, actor, action, wids, dids, int(d.get("count") or len(wids) or len(dids)),
                                        str(d.get("reason") or "")))
    return LostErasures(tuple(entries), workers, dossiers)


def _reapply_erasures(db: sqlite_utils.Database, lost: LostErasures, audit) -> list[int]:
    """Anonymise again, in the restored database, what had been erased after the backup. Returns the
    ids of the workers anonymised (as they are in the restored database)."""
    from db.gdpr import anonymise_workers
    from db.convert import utc_now

    def ids(table: str, uids) -> list[int]:
        uids, out = sorted(uids), []
        for i in range(0, len(uids), 500):
            part = uids[i:i + 500]
            out += [r[0] for r in db.conn.execute(
                f"SELECT id FROM {table} WHERE anonymised_at = '' AND uid IN ({', '.join('?' * len(part))}) "
                f"ORDER BY id", part)]
        return sorted(out)
    workers, dossiers = ids("workers", lost.worker_uids), ids("dossiers", lost.dossier_uids)
    if workers:
        anonymise_workers(db, workers, principal=None, audit=audit, reason=REAPPLIED_REASON)
    if dossiers:
        marks = ", ".join("?" * len(dossiers))
        db.conn.execute(f"UPDATE dossiers SET anonymised_at = ? WHERE id IN ({marks})", [utc_now(), *dossiers])
    return workers


def _read_keys(path: Path, *, of_backup: bool):
    from core.keystore import KeyFileError, KeyStore
    try:
        return KeyStore.load(path)
    except KeyFileError as e:
        if of_backup:
            raise BackupError(tr(_CTX, "Het sleutelbestand {pad} van de reservekopie is onleesbaar of beschadigd "
                                       "({fout}). Er werd niets gewijzigd.").format(pad=path, fout=e.reason)) from None
        raise BackupError(tr(_CTX, "{fout} Er werd niets gewijzigd.").format(fout=e)) from None


def _unlock(store, unlock, keys: Path):
    """The database key the backup's key file gives through ``unlock``, tried on a copy in memory (a
    wrong password must not change the backup's key file)."""
    import copy
    probe = copy.deepcopy(store)
    probe.save = lambda: None
    try:
        return dbc.DatabaseKey(unlock(probe))
    except UserError:
        raise BackupKeyRefused(tr(_CTX, "Het sleutelbestand {pad} van de reservekopie geeft je account geen "
                                        "toegang (bestond je account toen al? Was je wachtwoord toen anders?). Na het "
                                        "terugzetten zou je je niet kunnen aanmelden; er werd niets gewijzigd.").format(
            pad=keys), keys) from None


def _aside_path(db_path: Path, now: dt.datetime | None) -> Path:
    """``<name>.voor-herstel-<stamp>``, with -2, -3, ... when a restore in the same second left one."""
    base = f"{db_path.name}.voor-herstel-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    aside, n = db_path.with_name(base), 1
    while any(Path(str(aside) + s).exists() for s in ("", "-wal", "-shm", "-journal", KEYS_SUFFIX)):
        n += 1
        aside = db_path.with_name(f"{base}-{n}")
    return aside


def _move_new(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, which must not exist (a set-aside copy is never overwritten)."""
    if dst.exists():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst))
    os.replace(src, dst)


def _install_keys(store, db_path: Path, *, keep_attempts: bool) -> None:
    """Write ``store`` as the key file of ``db_path`` the way the key store writes it (atomic, owner only)."""
    from core.keystore import KeyStore
    KeyStore(Path(str(db_path) + KEYS_SUFFIX), store.db_id, [dict(x) for x in store.slots],
             dict(store.attempts) if keep_attempts else {}, list(store.waiting)).save()


def _current_erasures(db_path: Path, key, info: BackupInfo) -> LostErasures:
    """What restoring ``info`` over the database at ``db_path`` would undo (nothing without a database)."""
    try:
        if not db_path.is_file() or db_path.stat().st_size == 0:
            return LostErasures()
    except OSError:
        return LostErasures()
    current = _open(db_path, key, migrate_schema=False)
    try:
        return lost_erasures(current, info)
    finally:
        current.conn.close()


def restore(backup: Path | str, db_path: Path | str, *, now: dt.datetime | None = None, key=None, unlock=None,
            principal=None, actor: str | None = None, admin_login: str | None = None, on_erasures=None,
            confirm=None) -> tuple[BackupInfo, Path]:
    """Replace the database at ``db_path`` by a verified backup; the current file is kept aside as
    ``<name>.voor-herstel-<stamp>`` (never overwriting an earlier one). No connection to ``db_path``
    may be open. Returns (info, aside).

    Only a beheerder restores: ``principal`` (the signed-in account, when there is a database) must
    manage accounts; ``admin_login`` (when there is none and the backup's key file let the account
    in) must be an active beheerder in the backup. A transfer file or any other kind of file is
    refused before any key is tried (``check_backup_kind``).

    The backup's key file (``<backup>.keys``), when there is one, is read and checked before anything
    is moved; ``unlock(keystore) -> raw key`` (the signed-in account's login and password, as signing
    in does) then has to give the key that opens the backup. Without a key file of its own the backup
    keeps the current key file. Either way the key file is written readable by the owner only.

    GDPR erasures of the current database that the backup does not have (``lost_erasures``) are
    never undone: ``on_erasures(lost) -> bool`` is asked first (False: RestoreCancelled, nothing
    changed), then they are applied again in the restored database. The restored database gets the
    audit entry ``backup``/``restored`` by ``actor``, listing the erasures made after the backup.

    ``confirm(info, lost, aside) -> bool``, when given, is asked last, after every check and before
    anything is moved, whether or not there are erasures (the window shows one confirmation with all of
    it; False: RestoreCancelled, nothing changed). It may close connections to ``db_path``: nothing
    before it keeps one open.
    """
    from db.accounts import require
    require(principal, principal is None or principal.manages_accounts,
            tr(_CTX, "een reservekopie terugzetten (dat doet een beheerder)"))
    backup, db_path = Path(backup), Path(db_path)
    if backup.resolve() == db_path.resolve():
        raise BackupError(tr(_CTX, "Dit is de database zelf; kies een reservekopie."))
    check_backup_kind(backup)                 # a transfer file, a text file...: said before any key is tried
    keys_in = Path(str(backup) + KEYS_SUFFIX)
    keys_now = Path(str(db_path) + KEYS_SUFFIX)
    incoming_keys = _read_keys(keys_in, of_backup=True) if keys_in.exists() else None
    current_keys = _read_keys(keys_now, of_backup=False) if incoming_keys is None and keys_now.exists() else None
    new_key = key                # opens the backup: the current key, or what the backup's key file gives
    if incoming_keys is not None and unlock is not None:
        new_key = _unlock(incoming_keys, unlock, keys_in)      # the backup's key file must open the backup
    try:
        info = verify_backup(backup, work_dir=db_path.parent, key=new_key)
    except _KeyDoesNotOpen:
        if new_key is key:
            raise BackupError(tr(_CTX, "{pad} gaat niet open met de sleutel van deze database, en er staat geen "
                                       "sleutelbestand {sleutels} naast. Het is een reservekopie van een andere "
                                       "database (zet dan haar sleutelbestand ernaast), een overdrachtsbestand (lees "
                                       "het in met import-transfer of Gegevens > Overdrachtsbestand inlezen) of een "
                                       "beschadigd bestand. Er werd niets gewijzigd.").format(
                pad=backup, sleutels=keys_in.name)) from None
        raise BackupError(tr(_CTX, "Het sleutelbestand {sleutels} hoort niet bij {pad}: de sleutel die het geeft, "
                                   "opent die reservekopie niet (of ze is beschadigd). Er werd niets gewijzigd.").format(
            sleutels=keys_in, pad=backup)) from None
    if admin_login is not None and admin_login.strip().lower() not in info.admins:
        raise BackupError(tr(_CTX, "Alleen een beheerder zet een reservekopie terug, en {login} is in deze "
                                   "reservekopie geen actieve beheerder. Er werd niets gewijzigd.").format(
            login=admin_login))
    lost = _current_erasures(db_path, key, info)
    if lost and on_erasures is not None and not on_erasures(lost):
        raise RestoreCancelled(tr(_CTX, "De reservekopie werd niet teruggezet. Er werd niets gewijzigd."))
    aside = _aside_path(db_path, now)
    if confirm is not None and not confirm(info, lost, aside):
        raise RestoreCancelled(tr(_CTX, "De reservekopie werd niet teruggezet. Er werd niets gewijzigd."))
    remove_stale_temp_files(db_path)          # what killed backups and restores left
    incoming = _temp_copy(backup, db_path.parent)
    staged_keys = Path(str(incoming) + KEYS_SUFFIX)
    journal = restore_journal(db_path)
    moved: list[tuple[Path, Path]] = []
    keys_placed = placed = False
    journal_written = False
    try:
        # Everything the restored database needs (newer schema, the audit entry, the erasures made since the
        # backup) is done on the copy, before it replaces anything: a crash at any moment never leaves the
        # backup in place without them.
        staged = _open(incoming, new_key, migrate_schema=False)
        try:
            dbc.migrate(staged)          # no copy of the old schema: the backup itself is that copy
            _record_restore(staged, backup, aside if db_path.exists() else None, lost, actor)
            staged.conn.execute("PRAGMA journal_mode = DELETE").fetchall()    # one file, no WAL to carry along
        finally:
            staged.conn.close()
        if incoming_keys is not None:
            _install_keys(incoming_keys, incoming, keep_attempts=False)
        elif current_keys is not None:     # same key as the current database
            _install_keys(current_keys, incoming, keep_attempts=True)
        if db_path.exists() and db_path.stat().st_size > 0:     # an empty file is set aside as it is, never opened
            current = _open(db_path, key, migrate_schema=False)   # checkpoint the WAL into the file
            try:
                current.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                current.conn.close()
        present = [s for s in _PARTS if Path(str(db_path) + s).exists()]
        # The commit point: from here on, a start after a crash finishes the swap (settle_interrupted_restore).
        _write_journal(journal, {"pid": os.getpid(), "staged": incoming.name, "aside": aside.name,
                                 "present": present})
        journal_written = True
        for s in present:
            src, dst = Path(str(db_path) + s), Path(str(aside) + s)
            _move_new(src, dst)
            moved.append((dst, src))
        if staged_keys.exists():
            os.replace(staged_keys, Path(str(db_path) + KEYS_SUFFIX))
            keys_placed = True
        os.replace(incoming, db_path)
        placed = True
    except BaseException:
        if not placed:
            if keys_placed:
                Path(str(db_path) + KEYS_SUFFIX).unlink(missing_ok=True)
            for dst, src in reversed(moved):
                os.replace(dst, src)
            if journal_written:
                journal.unlink(missing_ok=True)
            _remove_db_files(incoming)
            staged_keys.unlink(missing_ok=True)
        raise
    try:
        journal.unlink(missing_ok=True)
    except OSError:              # the next start sees the restore was finished and removes it
        pass
    return info, aside


# --- a restore interrupted by a crash -----------------------------------------------------------------------

_PARTS = ("", "-wal", "-shm", KEYS_SUFFIX)       # the files of a database that a restore sets aside together
JOURNAL_SUFFIX = ".herstel-bezig"
_STAGED = re.compile(r"^\.werkbrug-herstel-(?P<pid>\d+)-\d+\.db([-.].*)?$")
_BACKUP_TMP = re.compile(r"^werkbrug-\d{8}-\d{6}\.db\.(?:(?P<pid>\d+)-)?[a-z0-9_]+\.tmp(-journal|-wal|-shm)?$")


def restore_journal(db_path: Path | str) -> Path:
    """``<name>.herstel-bezig``: written just before a restore swaps the files, removed when it is done."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + JOURNAL_SUFFIX)


def _write_journal(journal: Path, data: dict) -> None:
    import json
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, journal)


def _read_journal(db_path: Path) -> tuple[int, Path, Path, list[str]] | None:
    """(pid, staged copy, set-aside name, parts that were there) of a restore's journal; None when it cannot be
    read or names files that no restore writes (then it is left alone)."""
    import json
    try:
        data = json.loads(restore_journal(db_path).read_text(encoding="utf-8"))
        pid, staged, aside, present = int(data["pid"]), str(data["staged"]), str(data["aside"]), list(data["present"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if (not _STAGED.match(staged) or not staged.endswith(".db") or "/" in aside or "\\" in aside
            or not aside.startswith(db_path.name + ".voor-herstel-") or not set(present) <= set(_PARTS)):
        return None
    return pid, db_path.with_name(staged), db_path.with_name(aside), present


def restore_pending(db_path: Path | str) -> bool:
    """True while a restore's journal is next to the database: a restore runs right now, or one was
    interrupted and could not be finished (``previous_database`` says where the database of before is)."""
    return restore_journal(db_path).exists()


def settle_interrupted_restore(db_path: Path | str) -> bool:
    """Finish a restore that a crash interrupted after its commit point (see ``restore``): the restored copy,
    already complete with the erasures made since the backup and its audit entry, is put in place and the
    database of before is set aside, as the restore would have done. A restore still running (its process
    exists) is left alone. Then the temporary files of backups and restores that were killed are removed.
    Never raises: when it cannot finish, the journal stays and opening the database says where the database
    of before is. Returns True when a restore was finished."""
    import logging
    db_path = Path(db_path)
    finished = False
    journal = restore_journal(db_path)
    if journal.exists():
        found = _read_journal(db_path)
        if found is not None and not process_alive(found[0]):
            pid, staged, aside, present = found
            staged_keys = Path(str(staged) + KEYS_SUFFIX)
            try:
                if staged.exists():
                    for s in present:
                        src, dst = Path(str(db_path) + s), Path(str(aside) + s)
                        if s == KEYS_SUFFIX and not staged_keys.exists():
                            continue          # the restored key file is in place already
                        if src.exists() and not dst.exists():
                            os.replace(src, dst)
                    if staged_keys.exists():
                        os.replace(staged_keys, Path(str(db_path) + KEYS_SUFFIX))
                    os.replace(staged, db_path)
                    finished = True
                journal.unlink()
            except OSError:
                logging.getLogger(__name__).exception("an interrupted restore could not be finished")
    remove_stale_temp_files(db_path)
    return finished


def remove_stale_temp_files(db_path: Path | str) -> list[Path]:
    """Remove what killed backups and restores left: ``.werkbrug-herstel-<pid>-…`` copies next to the database
    (never the one a restore's journal still needs) and ``werkbrug-….db.<pid>-….tmp`` in its backups folder.
    Files of a process that still runs are kept."""
    db_path = Path(db_path)
    keep = []
    found = _read_journal(db_path) if restore_journal(db_path).exists() else None
    if found is not None:
        staged = found[1]
        keep = [Path(str(staged) + s) for s in ("", "-wal", "-shm", "-journal", KEYS_SUFFIX)]
    elif restore_journal(db_path).exists():
        return []                 # a journal that cannot be read: leave every copy for whoever looks at it
    removed = remove_stale_files(db_path.resolve().parent, _STAGED, keep=keep)
    return removed + remove_stale_files(backup_dir_for(db_path), _BACKUP_TMP)


def previous_database(db_path: Path | str) -> Path | None:
    """The database a restore set aside (``<name>.voor-herstel-<stamp>``), the newest; None without one."""
    db_path = Path(db_path)
    found = _read_journal(db_path) if restore_journal(db_path).exists() else None
    if found is not None and found[2].is_file():
        return found[2]
    pattern = re.compile(re.escape(db_path.name) + r"\.voor-herstel-(\d{8}-\d{6})(?:-(\d+))?$")
    try:
        found = [(m.group(1), int(m.group(2) or 1), p) for p in db_path.parent.iterdir()
                 if (m := pattern.match(p.name)) and p.is_file()]
    except OSError:
        return None
    return max(found)[2] if found else None


def cannot_open_message(db_path: Path | str) -> str | None:
    """When the database cannot be opened and a restore set the database of before aside (or a restore was
    interrupted): the whole message, saying where that copy is and what to do. None without such a copy."""
    db_path = Path(db_path)
    previous = previous_database(db_path)
    if previous is None:
        return None
    keys = Path(str(previous) + KEYS_SUFFIX)
    if keys.is_file():
        return tr(_CTX, "De database {pad} kan niet geopend worden (ze ontbreekt, is leeg of hoort niet bij het "
                        "sleutelbestand {sleutels}). Werd het terugzetten van een reservekopie onderbroken? De database "
                        "van ervoor staat in dezelfde map als {kopie}, met haar sleutelbestand {kopiesleutels}. Zet ze "
                        "terug (restore {kopie}) of hernoem die twee bestanden naar {naam} en {sleutels}. Er werd "
                        "niets gewijzigd.").format(pad=db_path, sleutels=db_path.name + KEYS_SUFFIX,
                                                  kopie=previous.name, kopiesleutels=keys.name, naam=db_path.name)
    return tr(_CTX, "De database {pad} kan niet geopend worden (ze ontbreekt, is leeg of is beschadigd). Werd het "
                    "terugzetten van een reservekopie onderbroken? De database van ervoor staat in dezelfde map als "
                    "{kopie}. Zet ze terug (restore {kopie}) of hernoem ze naar {naam}. Er werd niets "
                    "gewijzigd.").format(pad=db_path, kopie=previous.name, naam=db_path.name)


def _record_restore(db: sqlite_utils.Database, backup: Path, aside: Path | None, lost: LostErasures,
                    actor: str | None) -> None:
    """The restored database's audit entry (who restored which file), and the erasures made after the
    backup applied again, in one transaction."""
    from db.audit import AuditLog
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "audit_log" not in tables:
        return
    audit = AuditLog(db, actor or "")
    with db.atomic():
        details = {"event": "restored", "file": backup.name}
        if aside is not None:
            details["previous"] = aside.name
        if lost:
            details["erased_after_backup"] = [e.as_dict() for e in lost.entries]
        audit.record("backup", "", "", details)
        if lost:
            _reapply_erasures(db, lost, audit)
    if not db.conn.in_transaction:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
