"""Stored match results per worker, and the counsellors' own competence synonyms."""
from __future__ import annotations

import json

import sqlite_utils

from core.competences import phrase_key
from db.convert import utc_now


class MatchResultRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def store(self, worker_id: int, matches) -> None:
        self.store_many({worker_id: matches})

    def store_many(self, results: dict) -> None:
        """Replace the stored ranking of each worker given, all in one transaction."""
        now = utc_now()
        rows = [(wid, rank, m.occupation_id, m.name, float(m.score), json.dumps(m.as_dict(), ensure_ascii=False), now)
                for wid, matches in results.items() for rank, m in enumerate(matches, start=1)]
        with self.db.atomic():
            self.db.conn.executemany("DELETE FROM match_results WHERE worker_id = ?", [(w,) for w in results])
            self.db.conn.executemany("INSERT INTO match_results (worker_id, rank, occupation_id, name, score, body, "
                                     "computed_at) VALUES (?,?,?,?,?,?,?)", rows)

    def for_worker(self, worker_id: int) -> list[dict]:
        rows = self.db.conn.execute("SELECT body FROM match_results WHERE worker_id = ? ORDER BY rank",
                                    [worker_id]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def best_per_worker(self, dossier_id: int) -> dict[int, tuple[str, float]]:
        sql = ("SELECT m.worker_id, m.name, m.score FROM match_results m JOIN workers w ON w.id = m.worker_id "
               "WHERE w.dossier_id = ? AND m.rank = 1")
        return {r[0]: (r[1], r[2]) for r in self.db.conn.execute(sql, [dossier_id]).fetchall()}


class SynonymRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def all(self) -> dict[str, str]:
        return dict(self.db.conn.execute("SELECT phrase, competence_id FROM competence_synonyms").fetchall())

    def add(self, text: str, competence_id: str, created_by: str = "") -> None:
        with self.db.atomic():
            self.db.conn.execute("INSERT OR REPLACE INTO competence_synonyms (phrase, text, competence_id, created_by) "
                                 "VALUES (?,?,?,?)", [phrase_key(text), text.strip(), competence_id, created_by])

    def remove(self, text: str) -> None:
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM competence_synonyms WHERE phrase = ?", [phrase_key(text)])
