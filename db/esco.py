"""ESCO taxonomy in the database: import (replace per language, never duplicate) and read back."""
from __future__ import annotations

import hashlib
import json
from typing import Callable

import sqlite_utils

from core.esco_csv import EscoDataset
from core.titles import LabelKind, OccupationRecord
from db.convert import utc_now

Progress = Callable[[float, str], None]


def _noop(_f: float, _t: str = "") -> None:
    pass


class EscoRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def import_dataset(self, ds: EscoDataset, progress: Progress = _noop) -> dict[str, int]:
        """Replace everything of ds.lang by the dataset, in one transaction."""
        x = self.db.conn.execute
        lang = ds.lang
        with self.db.atomic():
            progress(0.05, "beroepen")
            x("DELETE FROM esco_occupations WHERE lang = ?", [lang])
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO esco_occupations (uri, lang, isco, preferred_label, alt_labels, hidden_labels, "
                "description, code) VALUES (?,?,?,?,?,?,?,?)",
                [(o.uri, lang, o.isco, o.preferred_label, json.dumps(list(o.alt_labels), ensure_ascii=False),
                  json.dumps(list(o.hidden_labels), ensure_ascii=False), o.description, o.code)
                 for o in ds.occupations])
            progress(0.35, "ISCO-groepen")
            if ds.isco_groups:
                x("DELETE FROM esco_isco_groups WHERE lang = ?", [lang])
                self.db.conn.executemany("INSERT OR REPLACE INTO esco_isco_groups (code, lang, label) VALUES (?,?,?)",
                                         [(g.code, lang, g.preferred_label) for g in ds.isco_groups])
            progress(0.45, "vaardigheden")
            if ds.skills:
                x("DELETE FROM esco_skills WHERE lang = ?", [lang])
                self.db.conn.executemany(
                    "INSERT OR REPLACE INTO esco_skills (uri, lang, preferred_label, alt_labels, skill_type, reuse_level,"
                    " description) VALUES (?,?,?,?,?,?,?)",
                    [(s.uri, lang, s.preferred_label, json.dumps(list(s.alt_labels), ensure_ascii=False),
                      s.skill_type, s.reuse_level, s.description) for s in ds.skills])
            progress(0.7, "relaties")
            if ds.relations:
                x("DELETE FROM esco_relations")
                self.db.conn.executemany(
                    "INSERT OR REPLACE INTO esco_relations (occupation_uri, skill_uri, relation_type, skill_type) "
                    "VALUES (?,?,?,?)",
                    [(r.occupation_uri, r.skill_uri, r.relation_type, r.skill_type) for r in ds.relations])
            progress(0.85, "vaardigheidsgroepen")
            if ds.skill_groups:
                x("DELETE FROM esco_skill_groups WHERE lang = ?", [lang])
                self.db.conn.executemany(
                    "INSERT OR REPLACE INTO esco_skill_groups (uri, lang, code, preferred_label) VALUES (?,?,?,?)",
                    [(g.uri, lang, g.code, g.preferred_label) for g in ds.skill_groups])
            x("INSERT OR REPLACE INTO esco_imports (lang, imported_at, folder, occupations, skills, relations) "
              "VALUES (?,?,?,?,?,?)", [lang, utc_now(), str(ds.folder), len(ds.occupations), len(ds.skills),
                                       len(ds.relations)])
            x("DELETE FROM matcher_cache")
        progress(1.0, "klaar")
        return {"occupations": len(ds.occupations), "isco_groups": len(ds.isco_groups), "skills": len(ds.skills),
                "relations": len(ds.relations), "skill_groups": len(ds.skill_groups)}

    def imported_languages(self) -> list[str]:
        return [r[0] for r in self.db.conn.execute("SELECT lang FROM esco_imports ORDER BY lang").fetchall()]

    def occupation_count(self) -> int:
        return self.db.conn.execute("SELECT count(DISTINCT uri) FROM esco_occupations").fetchone()[0]

    def version(self) -> str:
        rows = self.db.conn.execute("SELECT lang, imported_at, occupations FROM esco_imports ORDER BY lang").fetchall()
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]

    def occupation_records(self, langs: list[str] | None = None) -> list[OccupationRecord]:
        """One record per occupation URI, with the labels of all (or the given) imported languages."""
        sql = "SELECT uri, isco, preferred_label, alt_labels, hidden_labels, description FROM esco_occupations"
        params: list = []
        if langs:
            sql += f" WHERE lang IN ({', '.join('?' * len(langs))})"
            params = list(langs)
        sql += " ORDER BY uri, lang"
        merged: dict[str, tuple[str, list[tuple[str, str]], list[str]]] = {}
        for uri, isco, pref, alts, hidden, desc in self.db.conn.execute(sql, params):
            _isco, labels, descs = merged.setdefault(uri, (isco, [], []))
            labels.append((pref, LabelKind.PREFERRED))
            labels += [(a, LabelKind.ALTERNATIVE) for a in json.loads(alts)]
            labels += [(h, LabelKind.HIDDEN) for h in json.loads(hidden)]
            if desc and desc.strip():
                descs.append(desc.strip())
        return [OccupationRecord(uri, isco, tuple(labels), "\n".join(descs))
                for uri, (isco, labels, descs) in merged.items()]

    def preferred_labels(self, lang: str = "nl") -> dict[str, str]:
        return dict(self.db.conn.execute("SELECT uri, preferred_label FROM esco_occupations WHERE lang = ?", [lang]))

    # -- cached matcher states ---------------------------------------------------------------------
    def cached_state(self, name: str, source_version: str) -> dict | None:
        row = self.db.conn.execute("SELECT source_version, state FROM matcher_cache WHERE name = ?", [name]).fetchone()
        if row is None or row[0] != source_version:
            return None
        try:
            return json.loads(row[1])
        except ValueError:
            return None

    def store_state(self, name: str, source_version: str, state: dict) -> None:
        with self.db.atomic():
            self.db.conn.execute("INSERT OR REPLACE INTO matcher_cache (name, source_version, state, built_at) "
                                 "VALUES (?,?,?,?)", [name, source_version, json.dumps(state, ensure_ascii=False),
                                                      utc_now()])
