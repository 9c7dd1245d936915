"""Schema 11: stored match results keep a short summary of a worker's three best occupations.

Earlier versions stored the full explanation of all ten (matched, missing and conflicting
competences), about 1 kB a row: a 3,000-worker dossier grew from 9 to 44 MB. The window shows the
best occupation from this table and ranks a worker again for the details. The space freed here is
given back to the file system by ``db.connection.migrate`` (VACUUM) when it is large."""
from __future__ import annotations

import json

import sqlite_utils

_TOP = 3
_KEEP = ("id", "score", "isco", "sector", "bottleneck", "reasons")


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x("DELETE FROM match_results WHERE rank > ?", [_TOP])
    rows = x("SELECT worker_id, rank, body FROM match_results").fetchall()
    updates = []
    for worker_id, rank, body in rows:
        try:
            data = json.loads(body)
        except (TypeError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        small = {k: data[k] for k in _KEEP if data.get(k) not in (None, "", [])}
        updates.append((json.dumps(small, ensure_ascii=False, separators=(",", ":")), worker_id, rank))
    db.conn.executemany("UPDATE match_results SET body = ? WHERE worker_id = ? AND rank = ?", updates)
