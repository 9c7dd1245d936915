"""Stored match results stay small: a short summary of a worker's best occupations (schema 11), and a database
of an earlier version is compacted (rows beyond the best three dropped, explanations removed, file shrunk)."""
import json
import sqlite3

import sqlite_utils

from core.model import Dossier, Worker
from db.connection import open_database, schema_version
from db.dossiers import DossierRepository
from db.matches import STORED_TOP, MatchResultRepository
from db.migrations import MIGRATIONS, latest_version
from db.workers import WorkerRepository
from tests.gui.test_workflow_support import Match, Matched

COMPACT_VERSION = next(v for v, up in MIGRATIONS if up.__module__.endswith("_compact_match_results"))


def _ranking(n=10):
    return [Match(f"o{i}", f"Beroep {i}", "", "8344", "logistiek", ["KWANT"], True, 0.9 - i / 100,
                  [Matched("c1", "Heftruck besturen", "heftruck", True)]) for i in range(n)]


def test_only_a_summary_of_the_best_occupations_is_stored(db):
    did = DossierRepository(db).add(Dossier(company_name="Cel")).id
    wid = WorkerRepository(db).add(Worker(surname="Peeters", first_names="An", dossier_id=did)).id
    repo = MatchResultRepository(db)
    repo.store_many({wid: _ranking()})
    stored = repo.for_worker(wid)
    assert len(stored) == STORED_TOP
    assert stored[0] == {"id": "o0", "name": "Beroep 0", "score": 0.9, "isco": "8344", "sector": "logistiek",
                         "bottleneck": True, "reasons": ["KWANT"]}
    assert repo.best_per_worker(did) == {wid: ("Beroep 0", 0.9)}
    body = db.execute("SELECT body FROM match_results WHERE worker_id = ? AND rank = 1", [wid]).fetchone()[0]
    assert ", " not in body and "Heftruck" not in body and len(body) < 160     # compact, no explanation


def test_an_older_database_is_compacted(tmp_path):
    path = tmp_path / "oud.db"
    conn = sqlite3.connect(path, isolation_level=None)
    old = sqlite_utils.Database(conn)
    for version, up in MIGRATIONS[:COMPACT_VERSION - 1]:
        conn.execute("BEGIN")
        up(old)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO dossiers (company_name, uid) VALUES ('Oud Bedrijf', 'd1')")
    explanation = {"matched": ["x" * 60] * 8, "missing_optional": ["y" * 60] * 8, "conflicts": ["z" * 120]}
    for w in range(1, 301):
        conn.execute("INSERT INTO workers (dossier_id, surname, uid) VALUES (1, 'W', ?)", [f"w{w}"])
        for rank in range(1, 11):
            body = {"id": f"o{rank}", "name": f"Beroep {rank}", "isco": "7212", "score": 0.5, "bottleneck": True,
                    "reasons": ["KWAL"], "sector": "metaal", **explanation}
            conn.execute("INSERT INTO match_results VALUES (?,?,?,?,?,?,?)",
                         [w, rank, f"o{rank}", f"Beroep {rank}", 0.5, json.dumps(body), "2026-01-01T00:00:00Z"])
    conn.execute("COMMIT")
    conn.close()
    before = path.stat().st_size
    db = open_database(path)
    try:
        assert schema_version(db) == latest_version()
        assert db.execute("SELECT count(*), max(rank) FROM match_results").fetchone() == (300 * 3, 3)
        assert MatchResultRepository(db).for_worker(1)[0] == {
            "id": "o1", "name": "Beroep 1", "score": 0.5, "isco": "7212", "sector": "metaal", "bottleneck": True,
            "reasons": ["KWAL"]}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.conn.close()
    assert path.stat().st_size < before / 3          # the freed pages went back to the file system
