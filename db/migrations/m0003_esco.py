"""Schema 3: the ESCO taxonomy as imported by the user, and cached matcher indexes."""
from __future__ import annotations

import sqlite_utils


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x("""CREATE TABLE esco_occupations (
        uri TEXT NOT NULL, lang TEXT NOT NULL, isco TEXT NOT NULL DEFAULT '', preferred_label TEXT NOT NULL,
        alt_labels TEXT NOT NULL DEFAULT '[]', hidden_labels TEXT NOT NULL DEFAULT '[]',
        description TEXT NOT NULL DEFAULT '', code TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (uri, lang))""")
    x("""CREATE TABLE esco_isco_groups (code TEXT NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL,
        PRIMARY KEY (code, lang))""")
    x("""CREATE TABLE esco_skills (
        uri TEXT NOT NULL, lang TEXT NOT NULL, preferred_label TEXT NOT NULL, alt_labels TEXT NOT NULL DEFAULT '[]',
        skill_type TEXT NOT NULL DEFAULT '', reuse_level TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (uri, lang))""")
    x("""CREATE TABLE esco_relations (occupation_uri TEXT NOT NULL, skill_uri TEXT NOT NULL,
        relation_type TEXT NOT NULL DEFAULT '', skill_type TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (occupation_uri, skill_uri))""")
    x("""CREATE TABLE esco_skill_groups (uri TEXT NOT NULL, lang TEXT NOT NULL, code TEXT NOT NULL DEFAULT '',
        preferred_label TEXT NOT NULL, PRIMARY KEY (uri, lang))""")
    x("""CREATE TABLE esco_imports (lang TEXT PRIMARY KEY, imported_at TEXT NOT NULL, folder TEXT NOT NULL,
        occupations INTEGER NOT NULL, skills INTEGER NOT NULL, relations INTEGER NOT NULL)""")
    # Prepared matcher indexes (plain JSON), rebuilt whenever their source changes.
    x("""CREATE TABLE matcher_cache (name TEXT PRIMARY KEY, source_version TEXT NOT NULL, state TEXT NOT NULL,
        built_at TEXT NOT NULL)""")
