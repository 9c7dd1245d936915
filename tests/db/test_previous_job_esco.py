"""The ESCO occupation picked for a worker's previous job (schema 12) is stored, read back and travels."""
import datetime as dt
import sqlite3

import sqlite_utils

from core.model import Dossier, Experience, Worker
from db.dossiers import DossierRepository
from db.migrations import MIGRATIONS
from db.workers import WorkerRepository

URI = "http://data.europa.eu/esco/occupation/lasser-test"
VERSION = next(v for v, up in MIGRATIONS if up.__module__.endswith("_previous_job_esco"))


def _worker(db, **kw) -> Worker:
    d = DossierRepository(db).add(Dossier("Van Hool NV", announcement_date=dt.date(2024, 3, 1)))
    return WorkerRepository(db).add(Worker("Jan", "Peeters", dossier_id=d.id, **kw))


def test_previous_job_uri_and_experience_uri_survive_save_and_reload(db):
    stored = _worker(db, previous_job_title="Lasser", previous_job_esco_uri=URI,
                     experiences=[Experience(employer="Van Hool", job_title="Lasser", esco_uri=URI + "-2")])
    again = WorkerRepository(db).get(stored.id)
    assert again.previous_job_title == "Lasser"
    assert again.previous_job_esco_uri == URI
    assert again.experiences[0].esco_uri == URI + "-2"
    again.previous_job_title, again.previous_job_esco_uri = "Lasser-monteur", ""
    WorkerRepository(db).update(again)
    assert WorkerRepository(db).get(stored.id).previous_job_esco_uri == ""


def test_migration_adds_the_column_with_an_empty_default_and_keeps_rows(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    old = sqlite_utils.Database(conn)
    for version, up in MIGRATIONS[:VERSION - 1]:
        up(old)
    conn.execute("INSERT INTO dossiers (company_name, uid) VALUES ('Oud Bedrijf', 'd1')")
    conn.execute("INSERT INTO workers (dossier_id, surname, previous_job_title, uid) VALUES (1, 'Oud', 'Lasser', 'w1')")
    MIGRATIONS[VERSION - 1][1](old)
    row = conn.execute("SELECT previous_job_title, previous_job_esco_uri FROM workers").fetchone()
    assert row == ("Lasser", "")
    info = {r[1]: (r[3], r[4]) for r in conn.execute("PRAGMA table_info(workers)")}
    assert info["previous_job_esco_uri"] == (1, "''")


def test_previous_job_uri_travels_in_a_transfer_file(db):
    from db.transfer_repo import collect
    stored = _worker(db, previous_job_title="Lasser", previous_job_esco_uri=URI)
    content = collect(db, stored.dossier_id, principal=None)
    worker = next(r for r in content["records"] if r.get("kind") == "workers")
    assert worker["data"]["previous_job_esco_uri"] == URI
