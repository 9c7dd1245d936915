"""Schema 10: the transfer sync keeps nothing of workers and dossiers anonymised before.

``sync_state.seen_fields`` holds per partner and record a digest of every field (schema 8), salted
with the record's uid. An anonymised worker keeps its uid, so a known INSZ or name hashed with it
would confirm the erased identity. From now on an erasure (``db.gdpr``) removes those rows; this
migration removes the ones left by erasures made before: every row of a worker anonymised here and
of its rows, and every row of a dossier anonymised here (including rows of records deleted before)
except the dossier record's own (company data).
No schema change; the rows are only the common base of a later merge, and a later transfer file
reads no anonymised worker in again (``db.transfer_repo.withhold_erased``).
"""
from __future__ import annotations

import sqlite_utils

# the tables of a worker's own rows (uid and worker_id) at schema 9
_WORKER_ROWS = ("experiences", "worker_competences", "certificates", "worker_languages", "functional_limitations",
                "contacts", "plans")


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x("PRAGMA secure_delete = ON")          # the freed pages are zeroed, as at an erasure
    erased = "SELECT id FROM workers WHERE anonymised_at <> ''"
    x("DELETE FROM sync_state WHERE record_uid IN (SELECT uid FROM workers WHERE anonymised_at <> '')")
    for table in _WORKER_ROWS:
        x(f"DELETE FROM sync_state WHERE record_uid IN (SELECT uid FROM {table} WHERE worker_id IN ({erased}))")
    x("DELETE FROM sync_state WHERE dossier_uid IN (SELECT uid FROM dossiers WHERE anonymised_at <> '') "
      "AND record_uid <> dossier_uid")
