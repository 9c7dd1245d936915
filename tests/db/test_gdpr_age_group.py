"""Anonymising a worker erases the exact birth date but keeps his age at the announcement, so the cell
figures (age group, 3/6 months, 30/60 hours, the cell's closing date) and the cell report do not change."""
import datetime as dt

import pytest

from core.cell_rules import CellRules, cell_open_until, compute_figures
from core.demo import demo_dossier
from core.model import Worker
from core.security import KdfParams
from db.accounts import create_first_admin
from db.dossiers import DossierRepository
from db.gdpr import anonymise_workers
from db.workers import WorkerRepository

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"
ANNOUNCEMENT = dt.date(2026, 9, 1)


@pytest.fixture
def session(tmp_path):
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea Heerder", PW, kdf=FAST)
    yield s
    s.close()


def _add(db, births, announcement=ANNOUNCEMENT):
    d = DossierRepository(db).add(demo_dossier(announcement) if announcement else
                                  demo_dossier().__class__(company_name="Zonder Aankondiging NV",
                                                           cell_start_date=dt.date(2026, 9, 15)))
    ws = [Worker(dossier_id=d.id, surname=f"Proef{i}", first_names="Piet", birth_date=b,
                 dismissal_date=dt.date(2026, 10, 1)) for i, b in enumerate(births)]
    return d, WorkerRepository(db).add_many(ws, validate=False)


def _figures(db, d, wid):
    repo = WorkerRepository(db, principal=None)
    return compute_figures(repo.get(wid), DossierRepository(db).get(d.id), [], CellRules())


@pytest.mark.parametrize("birth, age", [
    (dt.date(1981, 9, 2), 44),        # 45 the day after the announcement: stays under 45
    (dt.date(1981, 9, 1), 45),        # 45 on the announcement day
    (dt.date(1981, 1, 1), 45),
    (dt.date(1981, 12, 31), 44),
    (dt.date(1982, 3, 5), 44),
    (dt.date(1980, 11, 20), 45),
])
def test_anonymising_keeps_the_age_at_the_announcement(session, birth, age):
    d, (wid,) = _add(session.db, [birth])
    before = _figures(session.db, d, wid)
    assert before.age_at_announcement == age
    anonymise_workers(session.db, [wid])
    after = _figures(session.db, d, wid)
    stored = WorkerRepository(session.db, principal=None).get(wid).birth_date
    assert stored.year == birth.year and (stored.month, stored.day) in ((1, 1), (12, 31))
    assert (after.age_at_announcement, after.older, after.min_registration_months, after.registration_end,
            after.min_outplacement_hours) == (before.age_at_announcement, before.older,
                                              before.min_registration_months, before.registration_end,
                                              before.min_outplacement_hours)


def test_anonymising_twice_or_the_whole_dossier_keeps_the_cell_end(session):
    d, ids = _add(session.db, [dt.date(1981, 9, 2), dt.date(1990, 5, 5)])
    repo = WorkerRepository(session.db, principal=None)
    dossier = DossierRepository(session.db).get(d.id)
    end = cell_open_until(dossier, [repo.get(i) for i in ids], CellRules())
    assert end == dt.date(2027, 3, 30)                    # both under 45: 3 months after the last dismissal
    anonymise_workers(session.db, ids)
    anonymise_workers(session.db, ids)                     # an erasure arriving again from another computer
    assert cell_open_until(dossier, [repo.get(i) for i in ids], CellRules()) == end
    assert [repo.get(i).birth_date for i in ids] == [dt.date(1981, 12, 31), dt.date(1990, 1, 1)]


def test_without_announcement_the_cell_start_is_the_reference(session):
    d, (wid,) = _add(session.db, [dt.date(1981, 9, 20)], announcement=None)
    anonymise_workers(session.db, [wid])
    # born after the day and month of the cell start (15/09): the date kept is the year's last day
    assert WorkerRepository(session.db, principal=None).get(wid).birth_date == dt.date(1981, 12, 31)
