"""Schema 12: the ESCO occupation picked for a worker's previous job.

``workers.previous_job_esco_uri`` holds the URI of the occupation the counsellor picked from the
job-title suggestions ('' = none picked, or the title was edited by hand since)."""
from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    cols = {r[1] for r in db.conn.execute("PRAGMA table_info(workers)").fetchall()}
    if "previous_job_esco_uri" not in cols:
        db.conn.execute("ALTER TABLE workers ADD COLUMN previous_job_esco_uri TEXT NOT NULL DEFAULT ''")
