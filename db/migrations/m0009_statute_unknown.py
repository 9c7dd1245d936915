"""Schema 9: a worker's statute is 'onbekend' (unknown) unless someone says otherwise.

Until schema 8 ``workers.statute`` defaulted to 'arbeider', so a worker imported from an employer's
list without a statute column, or saved at an intake without a choice, was stored as an arbeider
and counted as one in the cell report. From now on a new row defaults to 'onbekend'.

Existing rows keep their value. An 'arbeider' stored before this migration may have been chosen
by a counsellor, read from the employer's list or filled in by the old default: the database does
not record which, so no row is changed here and nothing is guessed. Counsellors correct such
workers by hand where they know better.

SQLite cannot change a column's default with ALTER TABLE. Rebuilding the table is not possible
inside the migration's transaction either: foreign keys are on, and dropping ``workers`` would
cascade to every table that refers to it. The table definition in the schema is edited instead,
the procedure the SQLite documentation gives for changing a default value ("Making Other Kinds
Of Table Schema Changes", https://www.sqlite.org/lang_altertable.html): only the DEFAULT clause
of one column changes, which does not touch the stored rows, and the schema version is raised so
that every connection reads the new definition.
"""
from __future__ import annotations

import sqlite_utils

OLD = "statute TEXT NOT NULL DEFAULT 'arbeider'"
NEW = "statute TEXT NOT NULL DEFAULT 'onbekend'"


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    sql = x("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'workers'").fetchone()[0]
    if sql.count(OLD) != 1:
        raise RuntimeError(f"workers.statute is not defined as expected ({OLD!r}); schema left unchanged")
    version = x("PRAGMA schema_version").fetchone()[0]
    x("PRAGMA writable_schema = ON")
    try:
        x("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'workers'", [sql.replace(OLD, NEW)])
        x(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        x("PRAGMA writable_schema = OFF")
    default = {r[1]: r[4] for r in x("PRAGMA table_info(workers)").fetchall()}.get("statute")
    if default != "'onbekend'":
        raise RuntimeError(f"workers.statute default is {default!r} after the migration, expected 'onbekend'")
