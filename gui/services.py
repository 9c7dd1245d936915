"""What the main window works with, handed in by the composition root (tests pass their own)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from db.dossiers import DossierRepository
from db.plans import PlanRepository
from db.workers import WorkerRepository


@dataclass
class Services:
    db: sqlite_utils.Database
    db_path: Path | None
    dossiers: DossierRepository
    workers: WorkerRepository
    plans: PlanRepository
    extra: dict[str, Any] = field(default_factory=dict)   # optional services (matcher, audit, session...)

    @classmethod
    def from_db(cls, db: sqlite_utils.Database, db_path: Path | None = None) -> "Services":
        return cls(db=db, db_path=db_path, dossiers=DossierRepository(db), workers=WorkerRepository(db),
                   plans=PlanRepository(db))
