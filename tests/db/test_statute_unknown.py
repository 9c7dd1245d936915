"""A statute nobody gave is stored as 'onbekend' (schema 9), and statutes stored before keep their value."""
import os
import sqlite3

import sqlite_utils

from core.model import Dossier, Statute, Worker
from db.connection import DatabaseKey, open_database, schema_version
from db.dossiers import DossierRepository
from db.migrations import MIGRATIONS, latest_version
from db.workers import WorkerRepository

STATUTE_VERSION = next(v for v, up in MIGRATIONS if up.__module__.endswith("_statute_unknown"))


def _statute_default(db) -> str:
    return {r[1]: r[4] for r in db.execute("PRAGMA table_info(workers)").fetchall()}["statute"]


def _fill_old(conn) -> None:
    """Workers as schema 8 stored them: one by the old default, one chosen arbeider, one bediende; with rows
    hanging off them, which must survive the schema change."""
    conn.execute("INSERT INTO dossiers (company_name, uid) VALUES ('Oud Bedrijf', 'd1')")
    conn.execute("INSERT INTO workers (dossier_id, surname, uid) VALUES (1, 'Standaard', 'w1')")
    conn.execute("INSERT INTO workers (dossier_id, surname, statute, uid) VALUES (1, 'Arbeider', 'arbeider', 'w2')")
    conn.execute("INSERT INTO workers (dossier_id, surname, statute, uid) VALUES (1, 'Bediende', 'bediende', 'w3')")
    conn.execute("INSERT INTO experiences (worker_id, employer, uid) VALUES (1, 'Oud Bedrijf', 'e1')")
    conn.execute("INSERT INTO contacts (worker_id, date, hours, uid) VALUES (3, '2024-04-02', 2, 'c1')")


def _build_old(conn) -> None:
    db = sqlite_utils.Database(conn)
    for version, up in MIGRATIONS[:STATUTE_VERSION - 1]:
        conn.execute("BEGIN")
        up(db)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    conn.execute("BEGIN")
    _fill_old(conn)
    conn.execute("COMMIT")


def _check_upgraded(db) -> None:
    assert schema_version(db) == latest_version()
    assert _statute_default(db) == "'onbekend'"
    # existing rows keep what they had: an 'arbeider' of before cannot be told from the old default
    assert dict(db.execute("SELECT surname, statute FROM workers").fetchall()) == {
        "Standaard": "arbeider", "Arbeider": "arbeider", "Bediende": "bediende"}
    assert db.execute("SELECT count(*) FROM experiences").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # a row written without a statute is unknown from now on
    db.execute("INSERT INTO workers (dossier_id, surname, uid) VALUES (1, 'Nieuw', 'w4')")
    db.conn.commit()
    assert db.execute("SELECT statute FROM workers WHERE uid = 'w4'").fetchone()[0] == "onbekend"


def test_migration_on_an_old_plain_database(tmp_path):
    path = tmp_path / "oud.db"
    conn = sqlite3.connect(path, isolation_level=None)
    _build_old(conn)
    assert {r[1]: r[4] for r in conn.execute("PRAGMA table_info(workers)")}["statute"] == "'arbeider'"
    conn.close()
    db = open_database(path)
    try:
        _check_upgraded(db)
        assert list(tmp_path.glob(f"oud.db.schema{STATUTE_VERSION - 1}-*.bak"))     # the file as it was is kept
    finally:
        db.conn.close()
    again = open_database(path)           # the new definition is what a later connection reads too
    try:
        assert _statute_default(again) == "'onbekend'" and schema_version(again) == latest_version()
    finally:
        again.conn.close()


def test_migration_on_an_old_encrypted_database(tmp_path):
    path, key = tmp_path / "oud.db", DatabaseKey(os.urandom(32))
    old = open_database(path, key=key, migrate_schema=False)
    old.conn.isolation_level = None
    _build_old(old.conn)
    old.conn.close()
    db = open_database(path, key=key)
    try:
        _check_upgraded(db)
    finally:
        db.conn.close()


def test_a_worker_saved_without_a_statute_is_read_back_as_unknown(db):
    d = DossierRepository(db).add(Dossier("Nieuw NV"))
    repo = WorkerRepository(db)
    w = repo.add(Worker("Peeters", "Jan", dossier_id=d.id))
    assert db.execute("SELECT statute FROM workers WHERE id = ?", [w.id]).fetchone()[0] == "onbekend"
    assert repo.get(w.id).statute is Statute.ONBEKEND
    b = repo.add(Worker("Maes", "An", dossier_id=d.id, statute=Statute.BEDIENDE))
    assert repo.get(b.id).statute is Statute.BEDIENDE
