"""Encryption at rest: no personal data in the raw bytes of the database, its WAL, backups and transfer copies."""
import datetime as dt
import sqlite3

import pytest
import sqlite_utils

from core.keystore import BadCredentials
from core.model import Dossier, Worker
from core.security import KdfParams
from db.accounts import create_first_admin, login
from db.connection import (DatabaseKey, PlaintextDatabase, WrongKey, backup_database, export_with_passphrase,
                           is_encrypted_file, open_database, passphrase_key)
from db.dossiers import DossierRepository
from db.workers import WorkerRepository

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"
SURNAME, INSZ, STREET = "Vandersmissen", "65031512345", "Kapelleveldstraat 17"


def _valid_insz():
    from core.demo import demo_workers
    d = Dossier(company_name="X", id=1)
    return demo_workers(1, d, 7)[0].insz


def _fill(db):
    d = DossierRepository(db).add(Dossier(company_name="Staalwerken Zuid NV", status="actief"))
    w = Worker(surname=SURNAME, first_names="Godelieve", insz=_valid_insz(), street=STREET, postcode="3500",
               municipality="Hasselt", birth_date=dt.date(1965, 3, 15), dossier_id=d.id)
    WorkerRepository(db).add(w, validate=False)
    return d, w


def _raw(p):
    return p.read_bytes() if p.exists() else b""


def _leaks(data: bytes, insz: str) -> list[str]:
    return [v for v in (SURNAME, "Godelieve", STREET, insz, "Staalwerken") if v.encode() in data]


def test_db_wal_and_backup_hold_no_plaintext(tmp_path):
    path = tmp_path / "w.db"
    s = create_first_admin(path, "beheer", "Beheerder", PW, kdf=FAST)
    _, w = _fill(s.db)
    wal = tmp_path / "w.db-wal"
    assert wal.exists() and wal.stat().st_size > 0          # the rows are (at least) in the WAL now
    for f in (path, wal):
        assert _leaks(_raw(f), w.insz) == [], f
    bak = backup_database(s.db, tmp_path / "backup.db")
    transfer = export_with_passphrase(s.db, tmp_path / "overdracht.werkbrug-db", "Deel-Dit-Apart-2026", kdf=FAST)
    s.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for f in (path, bak, transfer):
        assert is_encrypted_file(f) and _leaks(_raw(f), w.insz) == [], f
    assert (tmp_path / "backup.db.keys").exists()            # a restored backup opens with the same passwords
    s.close()
    # the backup opens by signing in next to it, the transfer copy with its passphrase
    b = login(bak, "beheer", PW, kdf=FAST)
    assert WorkerRepository(b.db).summaries()[0].surname == SURNAME
    b.close()
    t = open_database(transfer, key=passphrase_key("Deel-Dit-Apart-2026", path=transfer, kdf=FAST))
    assert t.execute("SELECT surname FROM workers").fetchone()[0] == SURNAME
    t.conn.close()
    with pytest.raises(WrongKey):
        open_database(transfer, key=passphrase_key("fout", path=transfer, kdf=FAST))


def test_stdlib_sqlite_cannot_read_it(tmp_path):
    path = tmp_path / "w.db"
    create_first_admin(path, "beheer", "Beheerder", PW, kdf=FAST).close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM workers").fetchall()


def test_wrong_password_gives_clear_message_and_changes_nothing(tmp_path):
    path = tmp_path / "w.db"
    s = create_first_admin(path, "beheer", "Beheerder", PW, kdf=FAST)
    _fill(s.db)
    s.close()
    before = _raw(path)
    with pytest.raises(BadCredentials, match="verkeerd wachtwoord"):
        login(path, "beheer", "Niet-Het-Juiste-1", kdf=FAST)
    with pytest.raises(WrongKey, match="niets gewijzigd"):
        open_database(path, key=DatabaseKey(bytes(32)))
    with pytest.raises(Exception, match="versleuteld"):
        open_database(path)                                    # no key at all
    assert _raw(path) == before


def test_plain_database_is_converted_once_after_consent(tmp_path):
    path = tmp_path / "oud.db"
    plain = open_database(path)                               # an earlier, unencrypted version
    _, w = _fill(plain)
    plain.conn.close()
    assert SURNAME.encode() in _raw(path) + _raw(tmp_path / "oud.db-wal")
    with pytest.raises(PlaintextDatabase):
        create_first_admin(path, "beheer", "Beheerder", PW, kdf=FAST)
    assert not (tmp_path / "oud.db.keys").exists() and not is_encrypted_file(path)
    s = create_first_admin(path, "beheer", "Beheerder", PW, kdf=FAST, convert_plaintext=True)
    assert WorkerRepository(s.db).summaries()[0].surname == SURNAME
    s.close()
    assert is_encrypted_file(path) and _leaks(_raw(path), w.insz) == []
    baks = list(tmp_path.glob("oud.db.voor-versleuteling-*.bak"))
    assert len(baks) == 1 and is_encrypted_file(baks[0]) and _leaks(_raw(baks[0]), w.insz) == []
    assert not list(tmp_path.glob("*.tmp"))
    again = login(path, "beheer", PW, kdf=FAST)               # converted once: a plain open is no longer asked
    again.close()


def test_sqlite_utils_features_and_errors_on_an_encrypted_connection(tmp_path):
    db = open_database(tmp_path / "e.db", key=DatabaseKey(b"k" * 32))
    t = db["scratch"]
    t.insert({"a": 1})
    t.insert({"a": 2, "extra": "x"}, alter=True)               # relies on catching sqlite3.OperationalError
    db["nope"].drop(ignore=True)
    assert db.supports_strict is not None
    assert [r["a"] for r in db.query("SELECT a FROM scratch ORDER BY a")] == [1, 2]
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO dossiers (company_name, uid) VALUES ('a', 'u'), ('b', 'u')")
    with pytest.raises(sqlite3.OperationalError):
        db.conn.execute("SELECT nope FROM scratch")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.conn.close()
    assert isinstance(db, sqlite_utils.Database)


def test_schema_backup_before_migration_is_encrypted(tmp_path, monkeypatch):
    path = tmp_path / "w.db"
    key = DatabaseKey(b"s" * 32)
    db = open_database(path, key=key)
    _fill(db)
    db.conn.execute("PRAGMA user_version = 2")               # pretend it is old (migrate is replaced below)
    db.conn.close()
    import db.connection as connection
    monkeypatch.setattr(connection, "migrate", lambda d, p=None: connection._backup_before_migration(d.conn, p, 2))
    open_database(path, key=key).conn.close()
    baks = list(tmp_path.glob("w.db.schema2-*.bak"))
    assert baks and is_encrypted_file(baks[0]) and SURNAME.encode() not in _raw(baks[0])
