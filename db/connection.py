"""The single connection factory: every database access in Werkbrug goes through ``open_database``.

Opening does, in order: refuse files that are not usable (not SQLite, damaged, read-only,
locked, from a newer Werkbrug), set WAL and foreign keys, keep a copy of an existing file
before its schema is upgraded, and run the numbered migrations. Nothing is overwritten
when any of these steps fails.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import sqlite_utils

from core.i18n import tr
from db.errors import DatabaseError
from db.migrations import MIGRATIONS, latest_version

_CTX = "database"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000


def default_database_path() -> Path:
    """WERKBRUG_DB, else werkbrug.db in the user's data folder."""
    env = os.environ.get("WERKBRUG_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir
    return Path(user_data_dir("Werkbrug", appauthor=False)) / "werkbrug.db"


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(tr(_CTX, "{pad} is een map, geen databasebestand.").format(pad=path))
    if not path.exists():
        parent = path.parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(tr(_CTX, "De map {map} kan niet worden aangemaakt: {fout}").format(
                    map=parent, fout=e.strerror or e)) from None
        if not os.access(parent, os.W_OK):
            raise DatabaseError(tr(_CTX, "In de map {map} mag niet geschreven worden; kies een andere plaats "
                                         "voor de database.").format(map=parent))
        return
    if not os.access(path, os.R_OK):
        raise DatabaseError(tr(_CTX, "Het databasebestand {pad} kan niet gelezen worden (geen toegang).").format(pad=path))
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseError(tr(_CTX, "Het databasebestand {pad} is alleen-lezen. Werkbrug moet erin kunnen "
                                     "schrijven; kopieer het naar een schrijfbare map of pas de rechten aan.").format(pad=path))
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise DatabaseError(tr(_CTX, "{pad} is geen Werkbrug-database of het bestand is beschadigd. "
                                     "Er werd niets gewijzigd.").format(pad=path))


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _translate_sqlite_error(e: sqlite3.Error, path: Path | str) -> DatabaseError:
    msg = str(e).lower()
    if "locked" in msg or "busy" in msg:
        return DatabaseError(tr(_CTX, "De database {pad} is in gebruik door een ander programma. Sluit het andere "
                                      "venster van Werkbrug en probeer opnieuw.").format(pad=path))
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return DatabaseError(tr(_CTX, "{pad} is beschadigd of geen Werkbrug-database. Er werd niets gewijzigd; "
                                      "zet een reservekopie terug.").format(pad=path))
    if "readonly" in msg or "read-only" in msg:
        return DatabaseError(tr(_CTX, "Het databasebestand {pad} is alleen-lezen.").format(pad=path))
    return DatabaseError(tr(_CTX, "De database {pad} kan niet geopend worden: {fout}").format(pad=path, fout=e))


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def _refuse_newer(db: sqlite_utils.Database) -> None:
    current, latest = schema_version(db), latest_version()
    if current > latest:
        raise DatabaseError(tr(_CTX, "Deze database werd gemaakt met een nieuwere versie van Werkbrug "
                                     "(schema {schema}, deze versie kent tot {max}). Installeer de nieuwste versie; "
                                     "er werd niets gewijzigd.").format(schema=current, max=latest))


def migrate(db: sqlite_utils.Database, path: Path | None = None) -> list[int]:
    """Apply the missing migrations, each in its own transaction; returns the versions applied."""
    _refuse_newer(db)
    current = schema_version(db)
    pending = [(v, up) for v, up in MIGRATIONS if v > current]
    if not pending:
        return []
    if path is not None and current > 0:
        _backup_before_migration(db.conn, path, current)
    applied = []
    for version, up in pending:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            up(db)
            db.conn.execute(f"PRAGMA user_version = {int(version)}")
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def open_database(path: Path | str | None = None, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (or create) the Werkbrug database at ``path`` and bring its schema up to date."""
    p = Path(path) if path is not None else default_database_path()
    memory = str(path) == ":memory:"
    if not memory:
        _check_file(p)
    try:
        conn = _connect(":memory:" if memory else p)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        db = sqlite_utils.Database(conn)
        _refuse_newer(db)
        if not memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseError(tr(_CTX, "De database {pad} kan niet in WAL-modus gezet worden.").format(pad=p))
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        if migrate_schema:
            migrate(db, None if memory else p)
    except sqlite3.Error as e:
        raise _translate_sqlite_error(e, p) from None
    return db


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
