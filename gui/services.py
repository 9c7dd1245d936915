"""What the main window works with, handed in by the composition root (tests pass their own)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from db.dossiers import DossierRepository
from db.plans import PlanRepository
from db.workers import WorkerRepository

log = logging.getLogger("werkbrug.gui.services")


@dataclass
class Services:
    db: sqlite_utils.Database
    db_path: Path | None
    dossiers: DossierRepository
    workers: WorkerRepository
    plans: PlanRepository
    extra: dict[str, Any] = field(default_factory=dict)   # optional services (matcher, audit, session...)

    @classmethod
    def from_db(cls, db: sqlite_utils.Database, db_path: Path | None = None, *, matching: bool = True,
                warm: bool = True) -> "Services":
        """``warm=False`` leaves building the matching engine to its first use (the window calls
        :func:`warm_matching` once it is shown, so start-up does not wait for it)."""
        services = cls(db=db, db_path=db_path, dossiers=DossierRepository(db), workers=WorkerRepository(db),
                       plans=PlanRepository(db))
        if matching:
            service = matching_service(db, warm=warm)
            if service is not None:
                services.extra["matching"] = service
        return services


def matching_service(db: sqlite_utils.Database, *, warm: bool = True):
    """The matching engine over the reference data (following local edits), or None when the
    reference data cannot be read: the window then explains that matching is unavailable.
    With ``warm=False`` the engine is built later (:func:`warm_matching`)."""
    try:
        from db.reference_repo import LiveMatchingService
        service = LiveMatchingService(db)
    except Exception:  # noqa: BLE001 - degrade: intake, plans and follow-up work without matching
        log.exception("matching service unavailable")
        return None
    # built now when warm, so a broken reference shows up here
    return service if not warm or warm_matching(service) else None


def warm_matching(service) -> bool:
    """Build the matching engine behind ``service`` now; False (logged) when the reference data
    cannot be read, and the caller then switches matching off."""
    if service is None:
        return False
    try:
        service.current
        return True
    except Exception:  # noqa: BLE001 - degrade as at start-up: matching off, the rest works
        log.exception("matching service unavailable")
        return False
