"""Numbered, forward-only schema migrations.

Each module ``mNNNN_<name>.py`` in this package defines ``up(db)``; NNNN is the schema
version it produces (stored in PRAGMA user_version). Migrations are discovered at import,
applied in order, each in one transaction, and are never edited once released.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def _discover() -> list[tuple[int, Migration]]:
    found: list[tuple[int, Migration]] = []
    for info in pkgutil.iter_modules(__path__):
        m = re.fullmatch(r"m(\d{4})_\w+", info.name)
        if not m:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append((int(m.group(1)), module.up))
    found.sort(key=lambda t: t[0])
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions) or versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migration numbers must be 1..n without gaps or doubles: {versions}")
    return found


MIGRATIONS: list[tuple[int, Migration]] = _discover()


def latest_version() -> int:
    return MIGRATIONS[-1][0] if MIGRATIONS else 0
