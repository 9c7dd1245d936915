"""Employment-cell (tewerkstellingscel) figures of a worker, computed from versioned rules.

The numbers (45 years, 3/6 months, 30/60 hours, 20 hours in 2 months, 1 year seniority) are
not constants here: they come from resources/reference/rules.toml through ``CellRules``.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from core.model import Contact, Dossier, Worker


@dataclass(frozen=True)
class CellRules:
    version: str = "builtin"
    age_threshold: int = 45
    registration_months_under: int = 3
    registration_months_over: int = 6
    outplacement_hours_under: int = 30
    outplacement_hours_over: int = 60
    frontload_hours: int = 20
    frontload_months: int = 2
    isv_min_seniority_years: int = 1
    isv_months_under: int = 3
    isv_months_over: int = 6
    cell_open_months_under: int = 3
    cell_open_months_over: int = 6
    idle_contact_days: int = 30
    registration_warning_days: int = 14
    min_working_age: int = 15                # no seniority (work) before this age


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class CellFigures:
    age_at_announcement: int | None
    older: bool | None                       # at or above the age threshold
    min_registration_months: int | None
    registration_start: dt.date | None
    registration_end: dt.date | None
    min_outplacement_hours: int | None
    frontload_hours: int
    frontload_deadline: dt.date | None
    hours_used: float
    hours_in_frontload: float
    isv_eligible: bool | None
    isv_months: int | None
    seniority_years: float | None

    def frontload_at_risk(self, today: dt.date) -> bool:
        """Fewer than the front-loaded hours while the deadline is near or past."""
        if self.frontload_deadline is None or self.hours_in_frontload >= self.frontload_hours:
            return False
        return today >= self.frontload_deadline - dt.timedelta(days=14)

    def hours_at_risk(self, today: dt.date) -> bool:
        """Minimum hours not reached while the registration period is ending or over."""
        if self.registration_end is None or self.min_outplacement_hours is None:
            return False
        if self.hours_used >= self.min_outplacement_hours:
            return False
        if self.registration_start is None:
            return today >= self.registration_end - dt.timedelta(days=30)
        total = (self.registration_end - self.registration_start).days or 1
        elapsed = max(0, min(total, (today - self.registration_start).days))
        expected = self.min_outplacement_hours * elapsed / total
        return self.hours_used + 1e-9 < expected * 0.8 or today >= self.registration_end - dt.timedelta(days=14)

    def registration_ending(self, today: dt.date, warning_days: int) -> bool:
        return self.registration_end is not None and today <= self.registration_end <= today + dt.timedelta(days=warning_days)


def hours_count_from(dossier: Dossier | None) -> dt.date | None:
    """The first day whose contacts count as outplacement hours: the announcement of the collective
    dismissal (the cell's start when no announcement date is known). Nothing before it belongs to this
    restructuring; the follow-up panel refuses such contacts."""
    if dossier is None:
        return None
    return dossier.announcement_date or dossier.cell_start_date


def counted_contacts(contacts: list[Contact], dossier: Dossier | None) -> list[Contact]:
    """The contacts whose hours count (see ``hours_count_from``)."""
    floor = hours_count_from(dossier)
    return [c for c in contacts if floor is None or (c.date is not None and c.date >= floor)]


def compute_figures(worker: Worker, dossier: Dossier | None, contacts: list[Contact],
                    rules: CellRules) -> CellFigures:
    """The cell figures of a worker. Hours: one rule for both figures. Every contact from the announcement
    on counts toward the 30/60 hours; the 20 hours "in the first two months of outplacement" are the same
    hours up to two months after the registration start, so hours logged before the registration start
    (an intake during the notice period: outplacement has begun) count in both, and the front-loaded
    hours can never exceed the total."""
    announcement = dossier.announcement_date if dossier else None
    age = age_on(worker.birth_date, announcement) if worker.birth_date and announcement else None
    older = None if age is None else age >= rules.age_threshold
    months = None if older is None else (rules.registration_months_over if older else rules.registration_months_under)
    hours = None if older is None else (rules.outplacement_hours_over if older else rules.outplacement_hours_under)
    start = worker.dismissal_date or (dossier.cell_start_date if dossier else None)
    end = add_months(start, months) if start and months else None
    frontload_deadline = add_months(start, rules.frontload_months) if start else None
    counted = counted_contacts(contacts, dossier)
    used = sum(c.hours for c in counted)
    in_front = sum(c.hours for c in counted if frontload_deadline is None or c.date <= frontload_deadline)
    seniority = None
    isv = None
    isv_months = None
    if worker.seniority_start and announcement:
        seniority = (announcement - worker.seniority_start).days / 365.25
        isv = seniority >= rules.isv_min_seniority_years
        if isv and older is not None:
            isv_months = rules.isv_months_over if older else rules.isv_months_under
    return CellFigures(age, older, months, start, end, hours, rules.frontload_hours, frontload_deadline,
                       used, in_front, isv, isv_months, seniority)


def cell_end_date(dossier: Dossier, last_dismissal_older: bool, rules: CellRules) -> dt.date | None:
    """The cell must stay available 3 (under 45) or 6 (45+) months after the last dismissal."""
    if not dossier.last_dismissal_date:
        return None
    months = rules.cell_open_months_over if last_dismissal_older else rules.cell_open_months_under
    return add_months(dossier.last_dismissal_date, months)


def cell_open_until(dossier: Dossier, workers: list[Worker], rules: CellRules) -> dt.date | None:
    """Until when the cell must stay available: 3 months after the last dismissal of a worker under the age
    threshold, 6 months after the last dismissal of one at or above it (the later of the two). Taken from the
    workers' dismissal dates and the dossier's last dismissal date; where the age at the announcement is not
    known, the longer period counts (the cell must not close too early). None without any dismissal date."""
    ends = []
    announcement = dossier.announcement_date
    ages_known, any_older = True, False
    for w in workers:
        older = age_on(w.birth_date, announcement) >= rules.age_threshold if w.birth_date and announcement else None
        ages_known &= older is not None
        any_older |= bool(older)
        if w.dismissal_date:
            ends.append(add_months(w.dismissal_date, rules.cell_open_months_under if older is False
                                   else rules.cell_open_months_over))
    if dossier.last_dismissal_date:
        # who was dismissed last is not recorded: 45+ when any worker is, or an age is unknown
        ends.append(cell_end_date(dossier, any_older or not ages_known or not workers, rules))
    return max(ends) if ends else None


def cell_rules_from(rules) -> CellRules:
    """CellRules from the versioned rules file (core.reference.Rules); unknown ids are ignored,
    missing ones keep their defaults."""
    from dataclasses import fields
    values = rules.values()
    kwargs = {f.name: int(values[f.name]) for f in fields(CellRules) if f.name in values and f.name != "version"}
    return CellRules(version=str(getattr(rules, "version", "data")), **kwargs)


def load_cell_rules() -> CellRules:
    """The rules of resources/reference/rules.toml."""
    from core.reference import load_reference
    return cell_rules_from(load_reference().rules)
