"""Transfer files on disk: the ``.werkbrug`` zip (core.transfer) sealed in a SQLCipher file under a
passphrase, so that a dossier moved on a USB stick or by e-mail is encrypted like the database.

The passphrase is chosen by the counsellor when exporting and typed again on the other computer:
the two computers do not share a database key. The key comes from the passphrase with Argon2id
(db.connection.passphrase_key); its salt is the first 16 bytes of the file.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from core.fileio import check_output_file
from core.i18n import tr
from core.transfer import TransferFileError, read_transfer_file, write_transfer_file
from db.connection import is_encrypted_file, open_database, passphrase_key
from db.errors import DatabaseError

_CTX = "overdracht"
MIN_PASSPHRASE = 10


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise TransferFileError(tr(_CTX, "Kies een wachtwoordzin van minstens {n} tekens voor het "
                                         "overdrachtsbestand.").format(n=MIN_PASSPHRASE))


def write_sealed(path: Path | str, content: dict, *, source: str, schema: int, passphrase: str, kdf=None) -> Path:
    """Write the transfer file encrypted under ``passphrase``; the target appears only when complete."""
    check_passphrase(passphrase)
    path = check_output_file(path)      # never over the database, its key file, a folder or a device
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".werkbrug-") as tmp:
            zipped = write_transfer_file(Path(tmp) / "inhoud.zip", content, source=source, schema=schema)
            return seal_zip(zipped, path, passphrase=passphrase, kdf=kdf)
    except OSError as e:        # about the working files next to the target: report the target itself
        raise OSError(e.errno, e.strerror, str(path)) from None


def seal_zip(zipped: Path | str, path: Path | str, *, passphrase: str, kdf=None) -> Path:
    """Seal an existing transfer zip under ``passphrase`` into ``path``."""
    check_passphrase(passphrase)
    path = check_output_file(path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".werkbrug-") as tmp:
        sealed = Path(tmp) / "verzegeld.db"
        db = open_database(sealed, key=passphrase_key(passphrase, kdf=kdf), migrate_schema=False)
        try:
            db.conn.execute("PRAGMA journal_mode = DELETE")
            db.conn.execute("CREATE TABLE transfer (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
            db.conn.execute("INSERT INTO transfer (name, data) VALUES ('werkbrug.zip', ?)", [Path(zipped).read_bytes()])
            db.conn.commit()
        finally:
            db.conn.close()
        check_output_file(path)          # again: sealing took a while
        os.replace(sealed, path)
    return path


def read_sealed(path: Path | str, *, passphrase: str, max_schema: int, kdf=None) -> tuple[dict, dict]:
    """(manifest, content) of a sealed transfer file, after every check of core.transfer."""
    path = Path(path)
    if not path.is_file():
        raise TransferFileError(tr(_CTX, "Het bestand {pad} bestaat niet.").format(pad=path))
    size = path.stat().st_size
    if not is_encrypted_file(path) or size < 1024 or size % 512:   # SQLCipher writes whole pages
        with open(path, "rb") as fh:
            head = fh.read(4)
        if head.startswith(b"PK"):
            raise TransferFileError(tr(_CTX, "{bestand} is niet versleuteld. Overdrachtsbestanden moeten met een "
                                             "wachtwoordzin gemaakt worden; er werd niets ingelezen.").format(bestand=path.name))
        raise TransferFileError(tr(_CTX, "{bestand} is beschadigd of geen Werkbrug-overdrachtsbestand. Er werd niets "
                                         "ingelezen.").format(bestand=path.name))
    wrong = tr(_CTX, "De wachtwoordzin klopt niet, of {bestand} is beschadigd. Er werd niets ingelezen.").format(
        bestand=path.name)
    try:
        key = passphrase_key(passphrase, path=path, kdf=kdf)
        with tempfile.TemporaryDirectory(prefix=".werkbrug-") as tmp:
            copy = Path(tmp) / "kopie.db"      # never write next to (or into) the file being read
            copy.write_bytes(path.read_bytes())
            db = open_database(copy, key=key, migrate_schema=False)
            try:
                row = db.conn.execute("SELECT data FROM transfer WHERE name = 'werkbrug.zip'").fetchone()
            finally:
                db.conn.close()
            if row is None:
                raise TransferFileError(wrong)
            inner = Path(tmp) / "inhoud.werkbrug"
            inner.write_bytes(row[0])
            return read_transfer_file(inner, max_schema=max_schema)
    except (DatabaseError, sqlite3.Error):
        raise TransferFileError(wrong) from None
