"""Backups (SQLite online backup API, safe while the application runs) and restore.

Every file is opened through ``db.connection`` (encryption at rest lives there): copies are made
with ``backup_database`` when it exists, else by opening the target with ``open_database`` and
using the backup API; a file to restore is checked on a temporary copy opened with ``open_database``.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.fileio import UnsafeTarget, check_output_file, os_reason
from core.i18n import tr
from db import connection as dbc
from db.errors import DatabaseError

_CTX = "database"
KEEP = 14
KEYS_SUFFIX = ".keys"          # key slots of an encrypted database live next to it (core.keystore)
_NAME = re.compile(r"^werkbrug-(\d{8})-(\d{6})\.db$")
REQUIRED_TABLES = {1: ("meta", "dossiers", "workers", "experiences", "worker_competences", "certificates",
                       "worker_languages", "functional_limitations", "contacts"),
                   2: ("plans",)}


class BackupError(DatabaseError):
    """The backup cannot be made or the file cannot be restored; nothing was changed."""


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


def backup_now(db: sqlite_utils.Database, backup_dir: Path | str, *, keep: int = KEEP,
               now: dt.datetime | None = None) -> Path:
    """A timestamped backup in ``backup_dir``; older ones beyond ``keep`` are removed."""
    d = Path(backup_dir)
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


def _open(path: Path, key=None, **kw) -> sqlite_utils.Database:
    return dbc.open_database(path, **kw, **({"key": key} if key is not None else {}))


def verify_backup(path: Path | str, *, work_dir: Path | None = None, key=None) -> BackupInfo:
    """Check a file before restoring it: SQLite header, integrity, schema not newer, required tables.

    The checks run on a temporary copy, so the file itself is never touched. Raises BackupError.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(tr(_CTX, "Het bestand {pad} bestaat niet.").format(pad=path))
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
    except DatabaseError as e:
        raise BackupError(str(e).replace(str(tmp), str(original))) from None
    try:
        try:
            result = db.conn.execute("PRAGMA integrity_check").fetchall()
        except Exception as e:  # noqa: BLE001 - any error of the SQLite driver means damaged
            raise BackupError(bad.format(pad=original, reden=str(e))) from None
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
        return BackupInfo(original, version, n_d, n_w)
    finally:
        db.conn.close()


def restore(backup: Path | str, db_path: Path | str, *, now: dt.datetime | None = None, key=None
            ) -> tuple[BackupInfo, Path]:
    """Replace the database at ``db_path`` by a verified backup; the current file is kept aside as
    ``<name>.voor-herstel-<stamp>``. No connection to ``db_path`` may be open. Returns (info, aside)."""
    backup, db_path = Path(backup), Path(db_path)
    info = verify_backup(backup, work_dir=db_path.parent, key=key)
    if backup.resolve() == db_path.resolve():
        raise BackupError(tr(_CTX, "Dit is de database zelf; kies een reservekopie."))
    stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    aside = db_path.with_name(f"{db_path.name}.voor-herstel-{stamp}")
    incoming = _temp_copy(backup, db_path.parent)
    moved: list[tuple[Path, Path]] = []
    placed = False
    try:
        if db_path.exists():
            current = _open(db_path, key, migrate_schema=False)   # checkpoint the WAL into the file
            try:
                current.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                current.conn.close()
            for s in ("", "-wal", "-shm", KEYS_SUFFIX):
                src = Path(str(db_path) + s)
                if src.exists():
                    dst = Path(str(aside) + s)
                    os.replace(src, dst)
                    moved.append((dst, src))
        os.replace(incoming, db_path)
        placed = True
        keys = Path(str(backup) + KEYS_SUFFIX)
        if keys.exists():
            shutil.copyfile(keys, str(db_path) + KEYS_SUFFIX)
        elif Path(str(aside) + KEYS_SUFFIX).exists():     # same key as the current database
            shutil.copyfile(str(aside) + KEYS_SUFFIX, str(db_path) + KEYS_SUFFIX)
        db = _open(db_path, key)      # brings an older schema up to date
        db.conn.close()
    except BaseException:
        if placed:
            _remove_db_files(db_path)
            Path(str(db_path) + KEYS_SUFFIX).unlink(missing_ok=True)
        for dst, src in moved:
            os.replace(dst, src)
        _remove_db_files(incoming)
        raise
    return info, aside
