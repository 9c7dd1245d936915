"""Schema 8: the common base of a transfer merge, field by field.

``sync_state.seen_fields`` holds, per partner and record, a digest of every field of the record as
this side last received it from that partner (JSON: field -> digest; '' for rows written before).
With it a merge tells a field changed on one side only (taken over without asking) from a field
changed on both sides (a conflict). Digests, not values: the base is only compared, never shown."""
from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    db.conn.execute("ALTER TABLE sync_state ADD COLUMN seen_fields TEXT NOT NULL DEFAULT ''")
