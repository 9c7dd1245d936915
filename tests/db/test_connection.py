import os
import sqlite3
import subprocess
import sys

import pytest

from db.connection import open_database, schema_version
from db.errors import DatabaseError
from db.migrations import MIGRATIONS, latest_version


def _tables(db):
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()}


def test_fresh_database_is_migrated_with_wal_and_foreign_keys(db):
    assert schema_version(db) == latest_version()
    assert {"dossiers", "workers", "contacts", "functional_limitations"} <= _tables(db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_are_numbered_without_gaps():
    assert [v for v, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


@pytest.mark.parametrize("start", range(0, len(MIGRATIONS)))
def test_upgrade_from_every_earlier_version_keeps_data(tmp_path, start):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    import sqlite_utils
    old = sqlite_utils.Database(conn)
    for version, up in MIGRATIONS[:start]:
        up(old)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
    if start >= 1:
        conn.execute("INSERT INTO dossiers (company_name, uid) VALUES ('Oud Bedrijf', 'u1')")
        conn.commit()
    conn.close()
    db = open_database(path)
    assert schema_version(db) == latest_version()
    if start >= 1:
        assert db.execute("SELECT company_name FROM dossiers").fetchone()[0] == "Oud Bedrijf"
        # a copy of the file as it was is kept before the upgrade
        if start < latest_version():
            assert list(tmp_path.glob(f"old.db.schema{start}-*.bak"))
    db.conn.close()


def test_newer_schema_is_refused_and_left_alone(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.execute("CREATE TABLE future (x)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="nieuwere versie"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_file_that_is_not_a_database_is_refused_unchanged(db_path):
    db_path.write_bytes(b"Naam;Voornaam\nPeeters;Jan\n" * 50)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="geen Werkbrug-database"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_damaged_database_is_refused(db_path):
    db = open_database(db_path)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    data = bytearray(db_path.read_bytes())
    data[16:100] = b"\xff" * 84   # page size and header fields destroyed
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="beschadigd"):
        open_database(db_path)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False, reason="root ignores file permissions")
def test_read_only_file_is_refused(db_path):
    open_database(db_path).conn.close()
    db_path.chmod(0o444)
    try:
        with pytest.raises(DatabaseError, match="alleen-lezen"):
            open_database(db_path)
    finally:
        db_path.chmod(0o644)


def test_read_only_file_is_refused_even_as_root(db_path, monkeypatch):
    open_database(db_path).conn.close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK and str(p) == str(db_path)
                        else real_access(p, mode))
    with pytest.raises(DatabaseError, match="alleen-lezen"):
        open_database(db_path)


def test_locked_database_gives_clear_message(db_path, monkeypatch):
    open_database(db_path).conn.close()
    import db.connection as connection
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3,sys,time\n"
        f"c=sqlite3.connect({str(db_path)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=DELETE')\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "time.sleep(20)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseError, match="in gebruik"):
            open_database(db_path)
    finally:
        holder.kill()
        holder.wait()


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(DatabaseError, match="map"):
        open_database(tmp_path)
