"""Backups with the online API, daily rotation, and a restore that refuses bad files and changes nothing."""
import datetime as dt

import pytest

from core.model import Dossier, Worker
from db.backup import (BackupError, auto_backup_if_due, backup_dir_for, backup_now, backup_to, list_backups, restore,
                       verify_backup)
from db.connection import open_database
from db.dossiers import DossierRepository
from db.workers import WorkerRepository


def _fill(db, n=3):
    d = DossierRepository(db).add(Dossier("Van Hool NV"))
    for i in range(n):
        WorkerRepository(db).add(Worker(f"Naam{i}", "Jan", dossier_id=d.id))
    return d


def test_backup_while_open_contains_uncheckpointed_data(db, db_path, tmp_path):
    _fill(db, 5)                                         # still in the WAL
    target = backup_to(db, tmp_path / "kopie.db")
    info = verify_backup(target)
    assert info.workers == 5 and info.dossiers == 1
    assert not list(tmp_path.glob("*.tmp"))


def test_auto_backup_once_a_day_and_rotation(db, db_path):
    _fill(db)
    folder = backup_dir_for(db_path)
    assert folder == db_path.parent / "backups"
    start = dt.datetime(2024, 5, 1, 8, 30)
    assert auto_backup_if_due(db, folder, now=start) is not None
    assert auto_backup_if_due(db, folder, now=start + dt.timedelta(hours=3)) is None   # same day
    for day in range(1, 20):
        auto_backup_if_due(db, folder, now=start + dt.timedelta(days=day))
    names = [p.name for p in list_backups(folder)]
    assert len(names) == 14 and names[-1] == "werkbrug-20240520-083000.db"
    assert auto_backup_if_due(db) is not None           # folder derived from the database; today is later
    assert auto_backup_if_due(db) is None
    assert len(list_backups(folder)) == 14


def test_restore_keeps_the_current_database_aside(db, db_path, tmp_path):
    _fill(db, 2)
    b = backup_now(db, tmp_path / "b", now=dt.datetime(2024, 5, 1, 9, 0))
    WorkerRepository(db).add(Worker("NaRestore", "Els", dossier_id=1))
    db.conn.close()
    info, aside = restore(b, db_path, now=dt.datetime(2024, 5, 2, 10, 0))
    assert info.workers == 2 and aside.name == "werkbrug.db.voor-herstel-20240502-100000"
    db2 = open_database(db_path)
    assert WorkerRepository(db2).count() == 2
    db2.conn.close()
    old = open_database(aside)
    assert WorkerRepository(old).count() == 3
    old.conn.close()


def _bytes_of(db_path):
    return {p.name: p.read_bytes() for p in db_path.parent.glob("werkbrug.db*")}


@pytest.mark.parametrize("kind", ["text", "truncated", "foreign", "newer", "empty"])
def test_bad_files_are_refused_and_nothing_changes(db, db_path, tmp_path, kind):
    _fill(db, 2)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    good = backup_to(db, tmp_path / "goed.db")
    bad = tmp_path / "slecht.db"
    if kind == "text":
        bad.write_text("Naam;Voornaam\nPeeters;Jan\n")
    elif kind == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[:100] + b"\x00" * 50 + data[150:len(data) // 2])
    elif kind == "foreign":
        import sqlite_utils
        other = open_database(bad, migrate_schema=False)
        sqlite_utils.Database(other.conn)["recepten"].insert({"naam": "soep"})
        other.conn.execute("PRAGMA user_version = 1")
        other.conn.close()
    elif kind == "newer":
        other = open_database(bad)
        other.conn.execute("PRAGMA user_version = 999")
        other.conn.close()
    else:
        bad.write_bytes(b"")
    db.conn.close()
    before = _bytes_of(db_path)
    with pytest.raises(BackupError) as e:
        restore(bad, db_path)
    assert "niets gewijzigd" in str(e.value) or "niet" in str(e.value)
    assert _bytes_of(db_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".werkbrug-herstel")]
    assert not [p for p in db_path.parent.iterdir() if "voor-herstel" in p.name]


def test_cli_backup_and_restore(db_path, tmp_path, capsys):
    from cli.app import run
    assert run(["--db", str(db_path), "--yes", "demo", "--workers", "4"]) == 0
    assert run(["--db", str(db_path), "backup"]) == 0
    made = list_backups(db_path.parent / "backups")
    assert len(made) == 1
    assert run(["--db", str(db_path), "backup", "--out", str(tmp_path / "x.db")]) == 0
    capsys.readouterr()
    assert run(["--db", str(db_path), "restore", str(tmp_path / "x.db"), "--json"]) == 0
    assert '"workers": 4' in capsys.readouterr().out
    assert run(["--db", str(db_path), "workers", "--dossier", "1", "--json"]) == 0
    assert capsys.readouterr().out.count('"surname"') == 4
    (tmp_path / "rommel.db").write_text("geen database")
    assert run(["--db", str(db_path), "restore", str(tmp_path / "rommel.db")]) == 2
    assert "niets gewijzigd" in capsys.readouterr().err
