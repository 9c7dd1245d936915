"""Schema 7: the reference data in the database (db/reference_store.py, db/reference_repo.py).

Two layers per entity: ``embedded`` rows are replaced whenever the application ships a new
version of resources/reference/*.toml; ``local`` rows are the counsellors' own (an edited
occupation overrides the embedded one, an unknown id is an addition) and are never touched by an
upgrade. Competence variants and yearly bottleneck lists are local layers of their own.
"""
from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x("""CREATE TABLE reference_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL)""")
    # One JSON document per entity (kind: competence, occupation, source_occupation, training,
    # and the single documents rules, labour_market, education, vocabulary).
    # base_digest: for a local row, the digest of the embedded row it was made from (NULL for an
    # addition); base_changed: an upgrade changed or removed that embedded row since.
    x("""CREATE TABLE reference_items (
        kind TEXT NOT NULL,
        item_id TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('embedded', 'local')),
        position INTEGER NOT NULL DEFAULT 0,
        body TEXT NOT NULL,
        digest TEXT NOT NULL,
        base_digest TEXT,
        base_changed INTEGER NOT NULL DEFAULT 0,
        uid TEXT,
        modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        modified_by TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (kind, item_id, origin))""")
    # Extra ways to write a competence, added by counsellors (used by the matcher like the
    # embedded variants). phrase: the surface-normalised text (core.competences.phrase_key).
    x("""CREATE TABLE reference_variants (
        competence_id TEXT NOT NULL,
        phrase TEXT NOT NULL,
        text TEXT NOT NULL,
        uid TEXT,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        created_by TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (competence_id, phrase))""")
    # A confirmed yearly bottleneck list: one row per catalogue occupation (on the list or not).
    x("""CREATE TABLE reference_bottleneck_lists (
        year INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL DEFAULT '',
        imported TEXT NOT NULL,
        imported_by TEXT NOT NULL DEFAULT '',
        listed INTEGER NOT NULL DEFAULT 0,
        unlinked TEXT NOT NULL DEFAULT '[]')""")
    x("""CREATE TABLE reference_bottlenecks (
        year INTEGER NOT NULL REFERENCES reference_bottleneck_lists(year) ON DELETE CASCADE,
        occupation_id TEXT NOT NULL,
        bottleneck INTEGER NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        list_name TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (year, occupation_id))""")
