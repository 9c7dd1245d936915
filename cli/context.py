"""What a command needs: the database (opened lazily, through the one connection factory)."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils


@dataclass
class AppContext:
    db_path: Path | None = None
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            from db.connection import open_database
            self._db = open_database(self.db_path)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None

    def progress(self, fraction: float, text: str = "") -> None:
        """Progress on stderr for long commands (stdout stays machine-readable)."""
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{text} {fraction * 100:5.1f}%")
            if fraction >= 1:
                sys.stderr.write("\n")
            sys.stderr.flush()
