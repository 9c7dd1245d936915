"""Schema 1: dossiers, workers and everything recorded at intake and follow-up."""
from __future__ import annotations

import sqlite_utils

_STAMPS = "uid TEXT NOT NULL UNIQUE, created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), " \
          "modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))"


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x("""CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""")
    x(f"""CREATE TABLE dossiers (
        id INTEGER PRIMARY KEY,
        company_name TEXT NOT NULL CHECK (length(trim(company_name)) > 0),
        kbo_number TEXT NOT NULL DEFAULT '',
        joint_committee TEXT NOT NULL DEFAULT '',
        site_address TEXT NOT NULL DEFAULT '',
        announcement_date TEXT, first_dismissal_date TEXT, last_dismissal_date TEXT, cell_start_date TEXT,
        outplacement_bureau TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'actief',
        {_STAMPS})""")
    x(f"""CREATE TABLE workers (
        id INTEGER PRIMARY KEY,
        dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
        surname TEXT NOT NULL CHECK (length(trim(surname)) > 0),
        first_names TEXT NOT NULL DEFAULT '',
        insz TEXT NOT NULL DEFAULT '',
        birth_date TEXT, sex TEXT,
        street TEXT NOT NULL DEFAULT '', postcode TEXT NOT NULL DEFAULT '', municipality TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
        preferred_language TEXT NOT NULL DEFAULT 'nl',
        statute TEXT NOT NULL DEFAULT 'arbeider',
        seniority_start TEXT, dismissal_date TEXT,
        shift_regime TEXT NOT NULL DEFAULT '',
        highest_diploma TEXT NOT NULL DEFAULT '', education_group TEXT, vks_level INTEGER,
        status TEXT NOT NULL DEFAULT 'intake',
        previous_job_title TEXT NOT NULL DEFAULT '',
        counsellor TEXT NOT NULL DEFAULT '',
        mobility TEXT NOT NULL DEFAULT '{{}}',
        preferences TEXT NOT NULL DEFAULT '{{}}',
        {_STAMPS})""")
    x("CREATE INDEX idx_workers_dossier ON workers(dossier_id)")
    x("CREATE UNIQUE INDEX idx_workers_insz ON workers(dossier_id, insz) WHERE insz <> ''")
    child = "worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE, position INTEGER NOT NULL DEFAULT 0"
    x(f"""CREATE TABLE experiences (id INTEGER PRIMARY KEY, {child},
        employer TEXT NOT NULL DEFAULT '', job_title TEXT NOT NULL DEFAULT '', esco_uri TEXT NOT NULL DEFAULT '',
        start_date TEXT, end_date TEXT, shift_regime TEXT NOT NULL DEFAULT '', tasks TEXT NOT NULL DEFAULT '',
        {_STAMPS})""")
    x(f"""CREATE TABLE worker_competences (id INTEGER PRIMARY KEY, {child},
        text TEXT NOT NULL, competence_id TEXT NOT NULL DEFAULT '', confidence REAL NOT NULL DEFAULT 0,
        source TEXT NOT NULL DEFAULT 'consulent', level INTEGER NOT NULL DEFAULT 2 CHECK (level BETWEEN 1 AND 4),
        evidence TEXT NOT NULL DEFAULT '', {_STAMPS})""")
    x(f"""CREATE TABLE certificates (id INTEGER PRIMARY KEY, {child},
        kind TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', date_obtained TEXT, expiry_date TEXT, {_STAMPS})""")
    x(f"""CREATE TABLE worker_languages (id INTEGER PRIMARY KEY, {child},
        language TEXT NOT NULL, listening TEXT NOT NULL DEFAULT '', speaking TEXT NOT NULL DEFAULT '',
        reading TEXT NOT NULL DEFAULT '', writing TEXT NOT NULL DEFAULT '', {_STAMPS})""")
    # Functional limitations are health data (GDPR art. 9): a table of their own so that access,
    # export and printing can be restricted in one place.
    x(f"""CREATE TABLE functional_limitations (id INTEGER PRIMARY KEY, {child},
        kind TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', printable INTEGER NOT NULL DEFAULT 0, {_STAMPS})""")
    x(f"""CREATE TABLE contacts (id INTEGER PRIMARY KEY, {child},
        date TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'gesprek', hours REAL NOT NULL DEFAULT 0 CHECK (hours >= 0),
        note TEXT NOT NULL DEFAULT '', counsellor TEXT NOT NULL DEFAULT '', {_STAMPS})""")
    for table in ("experiences", "worker_competences", "certificates", "worker_languages",
                  "functional_limitations", "contacts"):
        x(f"CREATE INDEX idx_{table}_worker ON {table}(worker_id)")
