"""The counsellor's to-do list for a dossier: pure functions over workers, contacts and plans.

Nothing here reads the database or the clock: the caller loads what is needed in a few queries
(``WorkerRepository.load_for_followup``, ``PlanRepository.awaiting_signature``,
``PlanRepository.followups``) and passes ``today``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple

from core.cell_rules import CellRules, compute_figures
from core.dates import format_date
from core.hours import format_hours  # noqa: F401  (hours read the same everywhere)
from core.i18n import tr
from core.model import Contact, Dossier, Worker, WorkerStatus

_CTX = "opvolging"

KIND_CONTACT = "contact"
KIND_REGISTRATION = "inschrijving"
KIND_HOURS = "uren"
KIND_CERTIFICATE = "attest"
KIND_SIGNATURE = "handtekening"
KIND_FOLLOWUP = "opvolgmoment"
TODO_KINDS = (KIND_CONTACT, KIND_FOLLOWUP, KIND_REGISTRATION, KIND_HOURS, KIND_CERTIFICATE, KIND_SIGNATURE)

# A follow-up moment agreed in the plan shows this many days ahead, until a contact on or after it is logged.
FOLLOWUP_LEAD_DAYS = 7

CERTIFICATE_WARNING_DAYS = 90
# Certificates expired longer ago are shown red on the worker, but are no longer a task.
CERTIFICATE_EXPIRED_DAYS = 180
# Workers who left the cell or found work need no follow-up calls or hour checks.
_NOT_FOLLOWED = {WorkerStatus.AAN_HET_WERK, WorkerStatus.UITGESTROOMD}


def is_followed(worker: Worker) -> bool:
    """Whether the cell still follows the worker up (calls, hours): not at work and not gone."""
    return worker.status not in _NOT_FOLLOWED


class PlanMoments(NamedTuple):
    """The follow-up moments of a worker's current plan version (``PlanRepository.followups``)."""
    plan_id: int
    moments: list[dt.date]
    concept: bool = False            # that version is still a concept (not printed nor signed)


def kind_label(kind: str) -> str:
    return {
        KIND_CONTACT: tr(_CTX, "Geen contact"),
        KIND_REGISTRATION: tr(_CTX, "Inschrijving loopt af"),
        KIND_HOURS: tr(_CTX, "Uren achter"),
        KIND_CERTIFICATE: tr(_CTX, "Attest vervalt"),
        KIND_SIGNATURE: tr(_CTX, "Plan te ondertekenen"),
        KIND_FOLLOWUP: tr(_CTX, "Opvolgmoment"),
    }.get(kind, kind)


@dataclass(frozen=True)
class TodoItem:
    kind: str
    worker_id: int
    worker_name: str
    text: str                      # Dutch, complete sentence for the counsellor
    due: dt.date | None            # the date that matters (deadline, expiry, last contact)
    urgent: bool = False           # overdue or already expired
    plan_id: int | None = None


def certificate_state(expiry: dt.date | None, today: dt.date, warning_days: int = CERTIFICATE_WARNING_DAYS) -> str:
    """"expired", "expiring" (within warning_days) or "" for a certificate's expiry date."""
    if expiry is None:
        return ""
    if expiry < today:
        return "expired"
    if expiry <= today + dt.timedelta(days=warning_days):
        return "expiring"
    return ""


def contact_date_problem(when: dt.date, worker: Worker | None, dossier: Dossier | None,
                         today: dt.date) -> str | None:
    """Why a contact cannot have this date (a Dutch sentence), or None. A contact lies between the
    announcement of the collective dismissal (or the cell's start) and tomorrow, and after the worker's birth."""
    if when > today + dt.timedelta(days=1):
        return tr(_CTX, "Een contact kan niet in de toekomst liggen.")
    birth = worker.birth_date if worker is not None else None
    if birth is not None and when <= birth:
        return tr(_CTX, "Een contact kan niet op of vóór de geboortedatum van de werknemer ({datum}) liggen. "
                        "Controleer het jaar.").format(datum=format_date(birth))
    if dossier is not None and dossier.announcement_date and when < dossier.announcement_date:
        return tr(_CTX, "Een contact kan niet vóór de aankondiging van het collectief ontslag ({datum}) liggen. "
                        "Controleer het jaar.").format(datum=format_date(dossier.announcement_date))
    if dossier is not None and not dossier.announcement_date and dossier.cell_start_date \
            and when < dossier.cell_start_date:
        return tr(_CTX, "Een contact kan niet vóór de start van de tewerkstellingscel ({datum}) liggen. "
                        "Controleer het jaar.").format(datum=format_date(dossier.cell_start_date))
    return None


def last_contact(contacts: Iterable[Contact]) -> dt.date | None:
    return max((c.date for c in contacts if c.date), default=None)


def worker_todo(worker: Worker, contacts: list[Contact], dossier: Dossier | None, rules: CellRules,
                today: dt.date, *, certificate_days: int = CERTIFICATE_WARNING_DAYS) -> list[TodoItem]:
    """To-do items of one worker (without plans; see ``dossier_todo``)."""
    items: list[TodoItem] = []
    wid, name = worker.id or 0, worker.full_name
    followed = worker.status not in _NOT_FOLLOWED
    if followed:
        figures = compute_figures(worker, dossier, contacts, rules)
        last = last_contact(contacts)
        start = figures.registration_start
        idle = dt.timedelta(days=rules.idle_contact_days)
        if last is not None:
            if today - last >= idle:
                items.append(TodoItem(KIND_CONTACT, wid, name, tr(_CTX, "Geen contact sinds {datum} ({n} dagen).").format(
                    datum=format_date(last), n=(today - last).days), last, today - last >= 2 * idle))
        elif start is None or today - start >= idle:
            items.append(TodoItem(KIND_CONTACT, wid, name, tr(_CTX, "Nog geen contact geregistreerd."), start,
                                  start is not None and today - start >= 2 * idle))
        if figures.registration_ending(today, rules.registration_warning_days):
            items.append(TodoItem(KIND_REGISTRATION, wid, name, tr(
                _CTX, "Minimale inschrijving in de tewerkstellingscel loopt af op {datum}.").format(
                    datum=format_date(figures.registration_end)), figures.registration_end,
                (figures.registration_end - today).days <= 3))
        items.extend(_hours_items(figures, wid, name, today))
    if worker.status is not WorkerStatus.UITGESTROOMD:
        for cert in worker.certificates:
            state = certificate_state(cert.expiry_date, today, certificate_days)
            label = cert.label or cert.kind
            if state == "expired" and (today - cert.expiry_date).days <= CERTIFICATE_EXPIRED_DAYS:
                items.append(TodoItem(KIND_CERTIFICATE, wid, name, tr(_CTX, "Attest {attest} is vervallen op {datum}.").format(
                    attest=label, datum=format_date(cert.expiry_date)), cert.expiry_date, True))
            elif state == "expiring":
                items.append(TodoItem(KIND_CERTIFICATE, wid, name, tr(_CTX, "Attest {attest} vervalt op {datum}.").format(
                    attest=label, datum=format_date(cert.expiry_date)), cert.expiry_date, False))
    return items


def followup_todo(worker: Worker, contacts: list[Contact], plan_id: int | None, moments: Iterable[dt.date],
                  today: dt.date, *, lead_days: int = FOLLOWUP_LEAD_DAYS, concept: bool = False) -> list[TodoItem]:
    """The follow-up moments agreed in the worker's plan: each shows from ``lead_days`` before the date
    until a contact dated on or after it is logged (overdue and urgent once the date has passed). A plan
    still in concept (``concept``) is named as such in the item."""
    if worker.status in _NOT_FOLLOWED:
        return []
    items = []
    wid, name = worker.id or 0, worker.full_name
    last = last_contact(contacts)
    for moment in sorted(set(moments)):
        if today < moment - dt.timedelta(days=lead_days) or (last is not None and last >= moment):
            continue
        if today <= moment:
            text = (tr(_CTX, "Opvolgmoment uit het trajectplan (nog een concept) op {datum}.") if concept else
                    tr(_CTX, "Opvolgmoment uit het trajectplan op {datum}."))
        else:
            text = (tr(_CTX, "Opvolgmoment uit het trajectplan (nog een concept) op {datum}: nog geen contact "
                             "geregistreerd.") if concept else
                    tr(_CTX, "Opvolgmoment uit het trajectplan op {datum}: nog geen contact geregistreerd."))
        text = text.format(datum=format_date(moment))
        items.append(TodoItem(KIND_FOLLOWUP, wid, name, text, moment, today > moment, plan_id))
    return items


def _hours_items(figures, wid: int, name: str, today: dt.date) -> list[TodoItem]:
    """The outplacement-hours items of a followed worker.

    While the front-loading window runs, the 20 hours are what to act on (the total only when those are
    reached). Once the window is over, the running 30/60 hours item shows whenever the total lags, next to
    the missed 20 hours until the registration ends; a total short at the end of the registration stays
    listed as long as the worker is followed."""
    items: list[TodoItem] = []
    deadline, end = figures.frontload_deadline, figures.registration_end
    in_window = deadline is None or today <= deadline
    frontload = figures.frontload_at_risk(today) and (in_window or end is None or today <= end)
    if frontload:
        items.append(TodoItem(KIND_HOURS, wid, name, tr(
            _CTX, "{uren} van {min} uur outplacement in de eerste twee maanden (tot {datum}).").format(
                uren=format_hours(figures.hours_in_frontload), min=figures.frontload_hours,
                datum=format_date(deadline)), deadline, today > deadline))
    if (not frontload or not in_window) and figures.hours_at_risk(today):
        if today <= end:
            text = tr(_CTX, "{uren} van {min} uur outplacement gebruikt; inschrijving tot {datum}.")
        else:
            text = tr(_CTX, "{uren} van {min} uur outplacement gebruikt; de inschrijving liep af op {datum}.")
        items.append(TodoItem(KIND_HOURS, wid, name, text.format(
            uren=format_hours(figures.hours_used), min=figures.min_outplacement_hours, datum=format_date(end)),
            end, today > end))
    return items


def dossier_todo(workers: Iterable[Worker], contacts: Mapping[int, list[Contact]],
                 awaiting_signature: Iterable[tuple[int, int]], dossier: Dossier | None, rules: CellRules,
                 today: dt.date, *, certificate_days: int = CERTIFICATE_WARNING_DAYS,
                 plan_followups: Mapping[int, PlanMoments | tuple[int, list[dt.date]]] | None = None
                 ) -> list[TodoItem]:
    """All to-do items of a dossier, urgent first, then by date. ``plan_followups``: worker id ->
    (plan id, follow-up moments of the worker's latest plan version[, whether it is a concept])."""
    items: list[TodoItem] = []
    names: dict[int, str] = {}
    for w in workers:
        names[w.id] = w.full_name
        items.extend(worker_todo(w, contacts.get(w.id, []), dossier, rules, today, certificate_days=certificate_days))
        if plan_followups and w.id in plan_followups:
            plan_id, moments, *rest = plan_followups[w.id]
            items.extend(followup_todo(w, contacts.get(w.id, []), plan_id, moments, today,
                                       concept=bool(rest and rest[0])))
    for wid, plan_id in awaiting_signature:
        items.append(TodoItem(KIND_SIGNATURE, wid, names.get(wid, str(wid)),
                              tr(_CTX, "Afgedrukt trajectplan wacht op handtekening."), None, False, plan_id))
    items.sort(key=lambda i: (not i.urgent, i.due or dt.date.max, TODO_KINDS.index(i.kind), i.worker_name))
    return items
