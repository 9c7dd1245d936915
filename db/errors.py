"""Errors of the storage layer, with messages a counsellor can read (Dutch)."""
from __future__ import annotations

from core.errors import UserError


class DatabaseError(Exception):
    """The database file cannot be used; the message says why and what to do."""


class ChangedElsewhere(UserError):
    """A record was saved elsewhere (another window, a transfer import, a command) after this form read it:
    the save is refused, nothing is written, and the form offers to reload the record as stored."""
