"""Errors of the storage layer, with messages a counsellor can read (Dutch)."""
from __future__ import annotations


class DatabaseError(Exception):
    """The database file cannot be used; the message says why and what to do."""
