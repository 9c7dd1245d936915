"""What a command needs: the database (opened lazily, through the one connection factory).

Opening it signs in first (``cli.cmd_accounts.sign_in``: WERKBRUG_USER/WERKBRUG_PASSWORD or a
prompt), so every command works on an encrypted database as a known account, with the role
filters and the audit trail bound to ``ctx.db``. The GUI signs in with its own dialog and hands
the result over with ``use_session``.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils


@dataclass
class AppContext:
    db_path: Path | None = None
    _db: sqlite_utils.Database | None = field(default=None, repr=False)
    assume_yes: bool = False                                    # --yes: agree to converting a plain database
    session: Any = field(default=None, repr=False)              # db.accounts.Session once signed in

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            if self.session is None:
                from cli.cmd_accounts import sign_in
                self.session = sign_in(self)
            self._db = self.session.db
            _sync_reference(self._db)
        return self._db

    def use_session(self, session) -> None:
        """Adopt a session signed in elsewhere (the GUI's login dialog)."""
        self.session, self._db = session, session.db
        _sync_reference(self._db)

    @property
    def principal(self):
        return self.session.principal if self.session is not None else None

    @property
    def audit(self):
        return self.session.audit if self.session is not None else None

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
            self._db = None
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


def _sync_reference(db) -> None:
    """Bring the embedded reference data in the database up to date (a version check when nothing
    changed); a failure is logged and never keeps a command or the window from opening."""
    try:
        from db.reference_store import ensure_synced
        report = ensure_synced(db)
    except Exception:  # noqa: BLE001
        import logging
        logging.getLogger("werkbrug.reference").exception("reference data sync failed")
        return
    if report is not None and report.local_changes:
        import logging
        logging.getLogger("werkbrug.reference").warning("%s", report.summary())
