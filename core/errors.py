"""Errors that are the user's to fix (bad input, missing file); shown as one line, never a traceback."""
from __future__ import annotations


class UserError(Exception):
    pass
