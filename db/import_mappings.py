"""Import of an employer's list: remembered column mappings, the workers already in the dossier, and the
write itself (all chosen rows in one transaction, or none)."""
from __future__ import annotations

import json
from typing import Callable

import sqlite_utils

from core.importers.preview import ExistingWorker
from core.model import Worker
from db.convert import date_in, utc_now
from db.workers import WorkerRepository


class ImportMappingRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def get(self, employer_key: str) -> dict[str, str]:
        row = self.db.conn.execute("SELECT mapping FROM import_mappings WHERE employer_key = ?",
                                   [employer_key]).fetchone()
        if not row:
            return {}
        try:
            mapping = json.loads(row[0])
        except ValueError:
            return {}
        if not isinstance(mapping, dict):       # a damaged row must not stop an import: guess again
            return {}
        return {k: v for k, v in mapping.items() if isinstance(k, str) and isinstance(v, str)}

    def save(self, employer_key: str, mapping: dict[str, str]) -> None:
        with self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO import_mappings (employer_key, mapping, modified) VALUES (?, ?, ?) "
                "ON CONFLICT(employer_key) DO UPDATE SET mapping = excluded.mapping, modified = excluded.modified",
                [employer_key, json.dumps(mapping, ensure_ascii=False, sort_keys=True), utc_now()])


def existing_workers(db: sqlite_utils.Database, dossier_id: int) -> list[ExistingWorker]:
    rows = db.conn.execute("SELECT id, surname, first_names, insz, birth_date FROM workers WHERE dossier_id = ?",
                           [dossier_id]).fetchall()
    return [ExistingWorker(r[0], r[1], r[2], r[3], date_in(r[4])) for r in rows]


def commit_import(db: sqlite_utils.Database, workers: list[Worker], employer_key: str | None = None,
                  mapping: dict[str, str] | None = None, *,
                  in_transaction: Callable[[list[int]], object] | None = None) -> list[int]:
    """Insert the chosen workers and remember the mapping in ONE transaction: all rows are in, or none.

    The rows were validated by the preview; the unique INSZ index still guards against doubles (a
    violation rolls everything back and raises ValidationError). ``in_transaction(ids)`` (e.g. the audit
    entry) runs inside the same transaction, so that nothing that can fail is left for after the commit.
    """
    repo = WorkerRepository(db)
    with db.atomic():
        ids = repo.add_many(workers, validate=False)
        if employer_key and mapping is not None:
            ImportMappingRepository(db).save(employer_key, mapping)
        if in_transaction is not None:
            in_transaction(ids)
    return ids
