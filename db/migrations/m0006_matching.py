"""Schema 6: stored match results per worker and the counsellors' own competence synonyms."""
from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x("""CREATE TABLE match_results (
        worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        occupation_id TEXT NOT NULL,
        name TEXT NOT NULL,
        score REAL NOT NULL,
        body TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        PRIMARY KEY (worker_id, rank))""")
    # A phrase the counsellor mapped (or confirmed) to a competence; used before fuzzy matching.
    x("""CREATE TABLE competence_synonyms (
        phrase TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        competence_id TEXT NOT NULL,
        created_by TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""")
