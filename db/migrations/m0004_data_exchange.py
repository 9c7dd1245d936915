"""Schema 4: remembered column mappings of employer lists, and the sync state of transfer files."""
from __future__ import annotations

import uuid

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    # One mapping per employer (KBO number, or the folded company name when there is none).
    x("""CREATE TABLE import_mappings (
        employer_key TEXT PRIMARY KEY,
        mapping TEXT NOT NULL DEFAULT '{}',
        modified TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""")
    # Per transfer partner (installation id) and record: the modified stamp both sides last had in
    # common. A record changed on both sides since then is a conflict.
    x("""CREATE TABLE sync_state (
        partner TEXT NOT NULL,
        record_uid TEXT NOT NULL,
        dossier_uid TEXT NOT NULL,
        seen_modified TEXT NOT NULL,
        PRIMARY KEY (partner, record_uid))""")
    x("CREATE INDEX idx_sync_state_dossier ON sync_state(partner, dossier_uid)")
    x("INSERT OR IGNORE INTO meta (key, value) VALUES ('installation_id', ?)", [uuid.uuid4().hex])
