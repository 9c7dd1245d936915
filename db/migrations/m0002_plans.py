"""Schema 2: trajectory plans, one row per plan version."""
from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.conn.execute("""CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        status TEXT NOT NULL DEFAULT 'concept',
        counsellor TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '{}',
        agreements TEXT NOT NULL DEFAULT '',
        print_limitations INTEGER NOT NULL DEFAULT 0,
        printed_at TEXT NOT NULL DEFAULT '',
        signed_at TEXT NOT NULL DEFAULT '',
        uid TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (worker_id, version))""")
    # A printed or signed plan is a document the worker holds: the database refuses to change it.
    db.conn.execute("""CREATE TRIGGER plans_frozen BEFORE UPDATE OF body, agreements, print_limitations, counsellor,
        version, worker_id ON plans WHEN OLD.status <> 'concept'
        BEGIN SELECT RAISE(ABORT, 'plan is frozen'); END""")
