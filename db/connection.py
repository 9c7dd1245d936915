"""The single connection factory: every database access in Werkbrug goes through ``open_database``.

Opening does, in order: refuse files that are not usable (not SQLite, damaged, read-only,
locked, from a newer Werkbrug), set WAL and foreign keys, keep a copy of an existing file
before its schema is upgraded, and run the numbered migrations. Nothing is overwritten
when any of these steps fails.

Encryption at rest (docs/SECURITY.md): given a ``DatabaseKey`` (argument ``key=``, or the key of
the signed-in session set with ``set_session_key``) the file is opened through SQLCipher
(sqlcipher3): the database, its WAL and every copy made with ``backup_database`` are encrypted.
Without a key the file is plain SQLite (tests and tools); the application itself always signs in
first (``db.accounts.login``) and so always passes a key.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.fileio import check_output_file, os_reason, protect_files, release_files
from core.i18n import tr
from db.errors import DatabaseError
from db.migrations import MIGRATIONS, latest_version

log = logging.getLogger("werkbrug.db")

_CTX = "database"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 3000


# --- encryption --------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class DatabaseKey:
    """A raw 256-bit SQLCipher key (no PBKDF2 at open: the key is random or already Argon2id-derived).

    ``salt`` is only set for single-file passphrase copies (transfer files): SQLCipher then writes
    it as the first 16 bytes of the file, where ``passphrase_key`` reads it back.
    """
    raw: bytes
    salt: bytes | None = None

    def __post_init__(self):
        if len(self.raw) != 32 or (self.salt is not None and len(self.salt) != 16):
            raise ValueError("a database key is 32 bytes (salt 16 bytes)")

    def __repr__(self) -> str:
        return "DatabaseKey(<hidden>)"

    def _pragma(self) -> str:
        return "\"x'" + self.raw.hex() + (self.salt.hex() if self.salt else "") + "'\""


_session_key: DatabaseKey | None = None


def set_session_key(key: DatabaseKey | None) -> None:
    """The key used by ``open_database`` when no ``key=`` is given (set at sign-in, cleared at sign-out)."""
    global _session_key
    _session_key = key


def session_key() -> DatabaseKey | None:
    return _session_key


class WrongKey(DatabaseError):
    """The key (so: the password) does not open this file. Nothing was changed."""


class PlaintextDatabase(DatabaseError):
    """An unencrypted database from an earlier version: it is converted only after the user agrees."""


_sqlcipher_module = None


def _sqlcipher():
    """sqlcipher3's DB-API module, with its exception classes made subclasses of the standard
    ``sqlite3`` ones: sqlite-utils and the repositories catch ``sqlite3.OperationalError`` and
    ``sqlite3.IntegrityError`` and must keep doing so on an encrypted connection."""
    global _sqlcipher_module
    if _sqlcipher_module is None:
        from sqlcipher3 import dbapi2 as sc
        for name in ("InterfaceError", "DatabaseError", "DataError", "OperationalError", "IntegrityError",
                     "InternalError", "ProgrammingError", "NotSupportedError"):
            cls, std = getattr(sc, name), getattr(sqlite3, name)
            if not issubclass(cls, std):
                cls.__bases__ = cls.__bases__ + (std,)
        _sqlcipher_module = sc
    return _sqlcipher_module


def _releasing_close(base):
    """``close`` for a connection class: closes, then releases the files ``open_database`` protected."""
    def close(self) -> None:
        try:
            base.close(self)
        finally:
            token, self.werkbrug_files = getattr(self, "werkbrug_files", None), None
            if token is not None:
                release_files(token)
    return close


class _PlainConnection(sqlite3.Connection):
    """A stdlib connection that can carry the signed-in principal and audit sink as attributes."""
    werkbrug_key: DatabaseKey | None = None
    werkbrug_files: str | None = None          # token of the files protected while it is open
    close = _releasing_close(sqlite3.Connection)


def _cipher_connection_class():
    sc = _sqlcipher()
    global _CipherConnection
    if _CipherConnection is None:
        _CipherConnection = type("_CipherConnection", (sc.Connection,), {
            "werkbrug_key": None, "werkbrug_files": None, "close": _releasing_close(sc.Connection)})
    return _CipherConnection


def _protect(conn, path: Path) -> None:
    """While ``conn`` is open, no file the user asks to write may replace the database, its WAL,
    shared-memory or journal file or its key file (core.fileio.check_output_file)."""
    from core.keystore import keyfile_path
    files = {path: "database", keyfile_path(path): "keys"}
    files.update({Path(str(path) + s): "companion" for s in ("-wal", "-shm", "-journal")})
    conn.werkbrug_files = protect_files(path, files)


_CipherConnection = None


def is_encrypted_file(path: Path | str) -> bool:
    """True for a non-empty file that does not start with the SQLite header (SQLCipher's is random)."""
    p = Path(path)
    try:
        if not p.is_file() or p.stat().st_size == 0:
            return False
        with open(p, "rb") as fh:
            return fh.read(16) != SQLITE_HEADER
    except OSError:
        return False


def database_key(db_or_conn) -> DatabaseKey | None:
    """The key an open database was opened with (None for a plain one)."""
    conn = getattr(db_or_conn, "conn", db_or_conn)
    return getattr(conn, "werkbrug_key", None)


def _connect_encrypted(path: Path | str, key: DatabaseKey, check: bool = True):
    sc = _sqlcipher()
    conn = sc.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                      factory=_cipher_connection_class())
    conn.execute(f"PRAGMA key = {key._pragma()}")
    conn.execute("PRAGMA cipher_log_level = NONE")   # a wrong key must not print to stderr
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.werkbrug_key = key
    if check:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as e:
            conn.close()
            if "not a database" in str(e).lower():
                raise WrongKey(tr(_CTX, "De database {pad} kan met dit wachtwoord of deze sleutel niet geopend "
                                        "worden (of het bestand is beschadigd). Er werd niets gewijzigd.")
                               .format(pad=path)) from None
            raise
    return conn


def passphrase_key(passphrase: str, *, salt: bytes | None = None, path: Path | str | None = None,
                   kdf=None) -> DatabaseKey:
    """A key from a passphrase with Argon2id, for single-file copies (transfer files).

    To write a new file pass neither ``salt`` nor ``path`` (a fresh salt is drawn); to open one
    pass its ``path``: the salt is the file's first 16 bytes, as SQLCipher stores it.
    """
    from core.security import KdfParams, derive
    if path is not None:
        with open(path, "rb") as fh:
            salt = fh.read(16)
        if len(salt) != 16:
            raise DatabaseError(tr(_CTX, "{pad} is geen versleuteld Werkbrug-bestand.").format(pad=path))
    salt = salt or os.urandom(16)
    return DatabaseKey(derive(passphrase, salt, kdf or KdfParams.PRODUCTION, 32), salt)


def _table_counts(conn, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%'").fetchall()]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


def _export(conn, target: Path, key: DatabaseKey | None) -> None:
    """sqlcipher_export of the open connection into a new file ``target`` under ``key`` (None: plain)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    spec = key._pragma() if key is not None else "''"
    conn.execute(f"ATTACH DATABASE ? AS werkbrug_export KEY {spec}", [str(target)])
    try:
        conn.execute("SELECT sqlcipher_export('werkbrug_export')").fetchall()
        conn.execute(f"PRAGMA werkbrug_export.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE werkbrug_export")


def _fresh_target(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # the process id in the name tells a copy still being written from one left by a killed process
    fd, tmp = tempfile.mkstemp(prefix=f"{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    return Path(tmp)


def backup_database(db_or_conn, target: Path | str, *, key: DatabaseKey | None = None,
                    with_keyfile: bool = True) -> Path:
    """A consistent copy of an open database at ``target``, encrypted like the source.

    - encrypted source, no ``key``: same key (SQLite backup API), and the key file is copied next
      to the target, so the same accounts open it after a restore;
    - encrypted source and another ``key`` (e.g. ``passphrase_key`` for a transfer file): the copy
      is re-encrypted under that key (sqlcipher_export), no key file;
    - plain source: a plain copy (tests), or encrypted under ``key`` when one is given.
    Written to a temporary name first, then renamed: an existing ``target`` is replaced only when
    the copy is complete.
    """
    conn = getattr(db_or_conn, "conn", db_or_conn)
    target = check_output_file(target)
    src_key = database_key(conn)
    keys = None           # the key file to copy along, read (and so checked) before anything is written
    if src_key is not None and with_keyfile and (key is None or key == src_key):
        from core.keystore import KeyStore, keyfile_path
        source_path = conn.execute("PRAGMA database_list").fetchone()[2]
        if source_path and keyfile_path(source_path).exists():
            keys = KeyStore.load(keyfile_path(source_path))
            check_output_file(keyfile_path(target))     # both targets are checked before either is written
    tmp = _fresh_target(target)
    try:
        if src_key is not None and (key is None or key == src_key):
            dest = _connect_encrypted(tmp, src_key, check=False)
            try:
                conn.backup(dest)
            finally:
                dest.close()
        elif src_key is not None or key is not None:
            if src_key is None:   # plain source, encrypted copy: read it through SQLCipher
                path = conn.execute("PRAGMA database_list").fetchone()[2]
                if not path:
                    raise DatabaseError(tr(_CTX, "Een database in het geheugen kan niet versleuteld gekopieerd worden."))
                src = _sqlcipher().connect(path)
                try:
                    _export(src, tmp, key)
                finally:
                    src.close()
            else:
                _export(conn, tmp, key)
        else:
            dest = sqlite3.connect(str(tmp))
            try:
                conn.backup(dest)
            finally:
                dest.close()
        check_output_file(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    if keys is not None:
        keys.copy_to(target)
    return target


def export_with_passphrase(db_or_conn, target: Path | str, passphrase: str, *, kdf=None) -> Path:
    """A single encrypted file under a passphrase (Argon2id, salt in the file): for transfer files.
    Open it again with ``open_database(target, key=passphrase_key(passphrase, path=target))``."""
    return backup_database(db_or_conn, target, key=passphrase_key(passphrase, kdf=kdf), with_keyfile=False)


def _encrypt_plaintext(path: Path, key: DatabaseKey) -> Path:
    """Convert an unencrypted database in place; an encrypted copy of it as it was is kept.

    Order: encrypted backup, encrypted new file, check both (same tables, same row counts), then
    overwrite the old plaintext with zeros (best effort: SSDs may keep old blocks, see SECURITY.md)
    and move the new file in place. Returns the backup's path.
    """
    sc = _sqlcipher()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    bak = path.with_name(f"{path.name}.voor-versleuteling-{stamp}.bak")
    tmp = path.with_name(path.name + ".versleutelen.tmp")
    src = sc.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        counts = _table_counts(src)
        for target in (bak, tmp):
            if target.exists():
                target.unlink()
            _export(src, target, key)
            check = _connect_encrypted(target, key)
            try:
                if _table_counts(check) != counts:
                    raise DatabaseError(tr(_CTX, "Het versleutelen van {pad} is mislukt (de kopie verschilt). "
                                                 "Er werd niets gewijzigd.").format(pad=path))
            finally:
                check.close()
    except BaseException:
        src.close()
        for target in (bak, tmp):
            if target.exists():
                target.unlink()
        raise
    src.close()
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    from core.keystore import KeyStore, keyfile_path
    if keyfile_path(path).exists():
        KeyStore.load(keyfile_path(path)).copy_to(bak)
    return bak


def default_database_path() -> Path:
    """WERKBRUG_DB, else werkbrug.db in the user's data folder."""
    env = os.environ.get("WERKBRUG_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir
    return Path(user_data_dir("Werkbrug", appauthor=False)) / "werkbrug.db"


def _check_file(path: Path, encrypted_ok: bool = False) -> None:
    if path.is_dir():
        raise DatabaseError(tr(_CTX, "{pad} is een map, geen databasebestand.").format(pad=path))
    if not path.exists():
        parent = path.parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(tr(_CTX, "De map {map} kan niet worden aangemaakt: {fout}").format(
                    map=parent, fout=os_reason(e))) from None
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
        if encrypted_ok:
            return
        from core.keystore import keyfile_path
        if keyfile_path(path).exists():
            raise DatabaseError(tr(_CTX, "De database {pad} is versleuteld: meld je eerst aan. Er werd niets "
                                         "gewijzigd.").format(pad=path))
        raise DatabaseError(tr(_CTX, "{pad} is geen Werkbrug-database of het bestand is beschadigd. "
                                     "Er werd niets gewijzigd.").format(pad=path))


def _connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                           factory=_PlainConnection)
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
    return backup_database(conn, target)   # encrypted like the database itself


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
    if path is not None:
        _give_back_free_space(db)
    return applied


def _give_back_free_space(db: sqlite_utils.Database) -> None:
    """After a migration that removed much (schema 11 drops most stored match details), shrink the file:
    otherwise the freed pages stay in it, and in every backup made of it. Skipped when little was freed;
    a failure (another connection busy) only leaves the file as large as it was."""
    try:
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        free = db.conn.execute("PRAGMA freelist_count").fetchone()[0]
        if free * 4 >= pages and free >= 256:
            db.conn.execute("PRAGMA temp_store = MEMORY")     # the rebuilt copy never goes to a temp file
            db.conn.execute("VACUUM")
    except sqlite3.Error:
        log.warning("the database could not be compacted after the migration", exc_info=True)


def open_database(path: Path | str | None = None, *, migrate_schema: bool = True, key: DatabaseKey | None = None,
                  convert_plaintext: bool = False) -> sqlite_utils.Database:
    """Open (or create) the Werkbrug database at ``path`` and bring its schema up to date.

    ``key`` (default: the session key, see ``set_session_key``) opens or creates an encrypted
    file. A plain file opened with a key raises ``PlaintextDatabase`` unless
    ``convert_plaintext=True``: then it is encrypted once, keeping an encrypted copy of it as it was.
    """
    p = Path(path) if path is not None else default_database_path()
    memory = str(path) == ":memory:"
    if key is None and not memory:
        key = _session_key
    if not memory:
        _check_file(p, encrypted_ok=key is not None)
        if key is not None and p.exists() and p.stat().st_size > 0 and not is_encrypted_file(p):
            if not convert_plaintext:
                raise PlaintextDatabase(tr(_CTX, "De database {pad} is nog niet versleuteld. Bevestig de omzetting "
                                                 "(een reservekopie blijft bewaard).").format(pad=p))
            try:
                _encrypt_plaintext(p, key)
            except sqlite3.Error as e:
                raise _translate_sqlite_error(e, p) from None
    try:
        if key is not None and not memory:
            conn = _connect_encrypted(p, key)
        else:
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
    if not memory:
        _protect(conn, p)
    return db


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
