"""The figures of the cell report (celrapport) of a dossier, for the steering group of the cell.

One computation for every form of the report: the sheet "Celrapport" of the dossier overview
(core.export_xlsx) and the printed cell report (core.cell_report_pdf). The figures of a worker come
from core.cell_rules.compute_figures (age at the announcement, registration period, 30/60 hours,
20 hours in the first two months, ISV right) and whether the cell still follows the worker up from
core.followup.is_followed, exactly as the worker form and the to-do list read them.

Plain data in, plain data out: no database, no clock (the caller passes ``today``).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from core.cell_rules import CellFigures, CellRules, cell_open_until, compute_figures
from core.followup import is_followed
from core.model import Contact, Dossier, EducationGroup, Statute, TrajectoryPlan, Worker, WorkerStatus

# keys of the state of an hours obligation of one worker
REACHED, RUNNING, MISSED, UNKNOWN = "reached", "running", "missed", "unknown"
OBLIGATION_STATES = (REACHED, RUNNING, MISSED, UNKNOWN)
# keys of the ISV right
ISV_YES, ISV_NO, ISV_UNKNOWN = "yes", "no", "unknown"
# keys of the age group that decides the rules (under or at/over the age threshold)
AGE_UNDER, AGE_OVER, AGE_UNKNOWN = "under", "over", "unknown"
EDUCATION_UNKNOWN = "unknown"
# lower bounds of the age bands shown next to the legal split (the threshold itself is added)
AGE_BAND_STARTS = (30, 55)
TOP_TARGETS = 10


@dataclass
class ReportWorker:
    """One worker as the report needs it: the worker (without health data), the contacts whose hours count
    and the latest trajectory plan (for the job targets), if any."""
    worker: Worker
    contacts: list[Contact] = field(default_factory=list)
    plan: TrajectoryPlan | None = None


@dataclass(frozen=True)
class HoursTotals:
    """Outplacement hours of a group of workers."""
    workers: int            # workers in the group
    used: float             # hours logged (from the announcement on)
    required: float         # the sum of their minimum hours (30 or 60), where the age is known
    short: float            # hours still to give until every minimum is reached
    reached: int            # workers whose minimum is reached


@dataclass(frozen=True)
class AgeBand:
    low: int | None         # None: no lower bound
    high: int | None        # inclusive; None: no upper bound
    count: int


@dataclass(frozen=True)
class TargetCount:
    """A job target of the latest plans, with the number of workers whose plan names it."""
    occupation_id: str
    name: str
    reasons: tuple[str, ...]        # bottleneck reasons (KWANT / KWAL / ARB); empty: not on the list
    workers: int

    @property
    def bottleneck(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class CellReport:
    """The figures of the cell report. Counts only, apart from ``roster`` (names and status, for an optional
    appendix): no INSZ, no health data."""
    dossier: Dossier
    today: dt.date
    rules: CellRules
    total: int
    last_dismissal: dt.date | None
    open_until: dt.date | None
    by_status: dict[str, int]              # WorkerStatus value -> workers (every status, 0 included)
    by_age_group: dict[str, int]           # AGE_UNDER / AGE_OVER / AGE_UNKNOWN
    age_bands: list[AgeBand]               # finer bands at the announcement (the unknown ones in by_age_group)
    by_statute: dict[str, int]             # Statute value -> workers (onbekend counted apart, never as arbeider)
    by_education: dict[str, int]           # EducationGroup value or EDUCATION_UNKNOWN -> workers
    frontload: dict[str, int]              # 20 hours in the first two months: OBLIGATION_STATES -> workers
    minimum_hours: dict[str, int]          # the 30/60 hours within the registration: OBLIGATION_STATES -> workers
    isv: dict[str, int]                    # ISV_YES / ISV_NO / ISV_UNKNOWN -> workers
    hours_all: HoursTotals
    hours_followed: HoursTotals            # the workers still followed (not at work, not gone)
    workers_with_plan: int
    targets: list[TargetCount]             # the most named job targets of the latest plans
    target_count: int                      # different job targets named in all
    roster: list[tuple[str, str, str]]     # (surname, first names, status) in the order given

    @property
    def followed(self) -> int:
        return self.hours_followed.workers

    def status_count(self, status: WorkerStatus) -> int:
        return self.by_status.get(WorkerStatus(status).value, 0)


def frontload_state(fig: CellFigures, today: dt.date) -> str:
    """The front-loaded outplacement hours (20 in the first two months) of one worker: reached, running (not
    yet, the period still runs), missed, or unknown (no dismissal date nor cell start date)."""
    if fig.frontload_deadline is None:
        return UNKNOWN
    if fig.hours_in_frontload >= fig.frontload_hours:
        return REACHED
    return RUNNING if today <= fig.frontload_deadline else MISSED


def minimum_hours_state(fig: CellFigures, today: dt.date) -> str:
    """The minimum outplacement hours (30 under the age threshold, 60 at or over it) within the minimum
    registration (3 or 6 months) of one worker: reached, running (not yet, the registration still runs),
    missed (the registration ended short), or unknown (no age at the announcement, or no start date and
    not reached)."""
    if fig.min_outplacement_hours is None:
        return UNKNOWN
    if fig.hours_used >= fig.min_outplacement_hours:
        return REACHED
    if fig.registration_end is None:
        return UNKNOWN
    return RUNNING if today <= fig.registration_end else MISSED


def isv_state(fig: CellFigures) -> str:
    return ISV_UNKNOWN if fig.isv_eligible is None else ISV_YES if fig.isv_eligible else ISV_NO


def age_band_bounds(rules: CellRules) -> list[tuple[int | None, int | None]]:
    """The age bands: under 30, 30 up to the threshold, the threshold up to 55, 55 and over."""
    starts = sorted({*AGE_BAND_STARTS, rules.age_threshold})
    bounds: list[tuple[int | None, int | None]] = [(None, starts[0] - 1)]
    bounds += [(a, b - 1) for a, b in zip(starts, starts[1:])]
    bounds.append((starts[-1], None))
    return bounds


def _band_index(age: int, bounds) -> int:
    for i, (low, high) in enumerate(bounds):
        if (low is None or age >= low) and (high is None or age <= high):
            return i
    return len(bounds) - 1


class _Hours:
    def __init__(self):
        self.workers, self.used, self.required, self.short, self.reached = 0, 0.0, 0.0, 0.0, 0

    def add(self, fig: CellFigures) -> None:
        self.workers += 1
        self.used += fig.hours_used
        if fig.min_outplacement_hours is not None:
            self.required += fig.min_outplacement_hours
            self.short += max(0.0, fig.min_outplacement_hours - fig.hours_used)
            self.reached += fig.hours_used >= fig.min_outplacement_hours

    def totals(self) -> HoursTotals:
        return HoursTotals(self.workers, self.used, self.required, self.short, int(self.reached))


def _target_key(target) -> str:
    return target.occupation_id or (target.name or "").strip().casefold()


def compute_cell_report(dossier: Dossier, workers: Iterable[ReportWorker], *, rules: CellRules | None = None,
                        today: dt.date | None = None, top: int = TOP_TARGETS) -> CellReport:
    """The cell report of a dossier over ``workers`` (anything with ``worker``, ``contacts`` and ``plan``,
    such as core.export_xlsx.WorkerExport)."""
    rules = rules or CellRules()
    today = today or dt.date.today()
    rows = list(workers)
    status, age_group, statute, education = Counter(), Counter(), Counter(), Counter()
    frontload, minimum, isv = Counter(), Counter(), Counter()
    bounds = age_band_bounds(rules)
    bands = [0] * len(bounds)
    all_hours, followed_hours = _Hours(), _Hours()
    targets: dict[str, list] = {}            # key -> [occupation id, name, reasons, workers]
    with_plan = 0
    roster = []
    for row in rows:
        w = row.worker
        fig = compute_figures(w, dossier, list(row.contacts or []), rules)
        status[WorkerStatus(w.status).value] += 1
        age_group[AGE_UNKNOWN if fig.older is None else AGE_OVER if fig.older else AGE_UNDER] += 1
        if fig.age_at_announcement is not None:
            bands[_band_index(fig.age_at_announcement, bounds)] += 1
        statute[Statute(w.statute).value] += 1
        education[EducationGroup(w.education_group).value if w.education_group else EDUCATION_UNKNOWN] += 1
        frontload[frontload_state(fig, today)] += 1
        minimum[minimum_hours_state(fig, today)] += 1
        isv[isv_state(fig)] += 1
        all_hours.add(fig)
        if is_followed(w):
            followed_hours.add(fig)
        if row.plan is not None:
            with_plan += 1
            seen = set()
            for t in row.plan.targets:
                key = _target_key(t)
                if not key or key in seen:
                    continue
                seen.add(key)
                entry = targets.setdefault(key, [t.occupation_id, t.name, [], 0])
                entry[3] += 1
                entry[2] = list(dict.fromkeys([*entry[2], *(t.reasons or [])]))
        roster.append((w.surname, w.first_names, WorkerStatus(w.status).value))
    ranked = sorted((TargetCount(oid, name, tuple(reasons), n) for oid, name, reasons, n in targets.values()),
                    key=lambda t: (-t.workers, t.name.casefold(), t.occupation_id))
    dismissals = [d for d in [dossier.last_dismissal_date, *(r.worker.dismissal_date for r in rows)] if d]
    return CellReport(
        dossier=dossier, today=today, rules=rules, total=len(rows),
        last_dismissal=max(dismissals) if dismissals else None,
        open_until=cell_open_until(dossier, [r.worker for r in rows], rules),
        by_status={s.value: status.get(s.value, 0) for s in WorkerStatus},
        by_age_group={k: age_group.get(k, 0) for k in (AGE_UNDER, AGE_OVER, AGE_UNKNOWN)},
        age_bands=[AgeBand(low, high, n) for (low, high), n in zip(bounds, bands)],
        by_statute={s.value: statute.get(s.value, 0) for s in Statute},
        by_education={**{g.value: education.get(g.value, 0) for g in EducationGroup},
                      EDUCATION_UNKNOWN: education.get(EDUCATION_UNKNOWN, 0)},
        frontload={k: frontload.get(k, 0) for k in OBLIGATION_STATES},
        minimum_hours={k: minimum.get(k, 0) for k in OBLIGATION_STATES},
        isv={k: isv.get(k, 0) for k in (ISV_YES, ISV_NO, ISV_UNKNOWN)},
        hours_all=all_hours.totals(), hours_followed=followed_hours.totals(),
        workers_with_plan=with_plan, targets=ranked[:top], target_count=len(ranked), roster=roster)
