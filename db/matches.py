"""Stored match results per worker, and the counsellors' own competence synonyms.

Only a short summary of each worker's best occupations is stored (``STORED_TOP`` rows, compact JSON
without the explanation: matched, missing and conflicting competences). The worker list shows the
best one; the matching tab ranks the worker again when it is opened (a few milliseconds), so the
details always follow the profile as it is. Storing every explanation made a 3,000-worker database
about five times larger after "Match alle werknemers" (and every backup with it)."""
from __future__ import annotations

import json
import logging

import sqlite_utils

from core.competences import phrase_key
from db.convert import utc_now

log = logging.getLogger("werkbrug.db.matches")

STORED_TOP = 3          # rows kept per worker: the best occupation (the list) and two runners-up
_SUMMARY_KEYS = ("isco", "sector", "bottleneck", "reasons")


def summary_body(match) -> str:
    """The stored body of one ranked occupation: what identifies and qualifies it, not why it scored."""
    data = {"id": match.occupation_id, "score": round(float(match.score), 4)}
    for key in _SUMMARY_KEYS:
        value = getattr(match, key, None)
        if value not in (None, "", []):
            data[key] = value
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class MatchResultRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def store(self, worker_id: int, matches) -> None:
        self.store_many({worker_id: matches})

    def store_many(self, results: dict, *, read_at: str | None = None) -> list[int]:
        """Replace the stored ranking of each worker given, all in one transaction.

        ``read_at``: when the workers were read for this ranking (``utc_now()`` taken before reading).
        A worker saved since then, or ranked again since then (after a save), keeps what is stored:
        a ranking of the profile as it was must not replace the ranking of the profile as it is.
        Returns the ids of the workers whose ranking was stored."""
        now = utc_now()
        with self.db.atomic():
            keep = set(results)
            if read_at is not None and keep:
                newer = set()
                ids = list(keep)
                for i in range(0, len(ids), 500):
                    part = ids[i:i + 500]
                    marks = ", ".join("?" * len(part))
                    newer.update(r[0] for r in self.db.conn.execute(
                        f"SELECT id FROM workers WHERE id IN ({marks}) AND modified >= ?", [*part, read_at]))
                    newer.update(r[0] for r in self.db.conn.execute(
                        f"SELECT DISTINCT worker_id FROM match_results WHERE worker_id IN ({marks}) "
                        f"AND computed_at >= ?", [*part, read_at]))
                if newer:
                    log.info("%d rankings not stored: the worker changed while the dossier was ranked", len(newer))
                keep -= newer
            rows = [(wid, rank, m.occupation_id, m.name, float(m.score), summary_body(m), now)
                    for wid, matches in results.items() if wid in keep
                    for rank, m in enumerate(matches[:STORED_TOP], start=1)]
            self.db.conn.executemany("DELETE FROM match_results WHERE worker_id = ?", [(w,) for w in keep])
            self.db.conn.executemany("INSERT INTO match_results (worker_id, rank, occupation_id, name, score, body, "
                                     "computed_at) VALUES (?,?,?,?,?,?,?)", rows)
        return [w for w in results if w in keep]

    def clear(self, worker_id: int) -> None:
        """Forget the stored ranking of a worker (their profile changed and it could not be recomputed)."""
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM match_results WHERE worker_id = ?", [worker_id])

    def refresh(self, worker, matcher) -> bool:
        """After a worker was saved: rank them again with ``matcher`` (a ``core.matching.MatchingService``,
        as "Match alle werknemers" does) and store that, so the best occupation shown in the worker list
        follows the saved competences. Without a matcher, or when ranking fails, the stored ranking is
        removed instead: no best occupation is better than one of an old profile. True when refreshed."""
        results = None
        if matcher is not None and worker.id is not None:
            try:
                results = matcher.rank_dossier([worker], lambda *_: None, lambda: False)
            except Exception:  # noqa: BLE001 - never keep the old ranking because the new one failed
                log.exception("ranking worker %s after saving failed", worker.id)
        if results is None:
            self.clear(worker.id)
            return False
        self.store_many({worker.id: results.get(worker.id, [])})
        return True

    def for_worker(self, worker_id: int) -> list[dict]:
        """The stored summary of a worker's best occupations, best first (id, name, score, isco, sector,
        bottleneck, reasons); the explanation of a score comes from ranking the worker again."""
        rows = self.db.conn.execute("SELECT name, body FROM match_results WHERE worker_id = ? ORDER BY rank",
                                    [worker_id]).fetchall()
        return [{**json.loads(r[1]), "name": r[0]} for r in rows]

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
