import datetime as dt
import sqlite3

import pytest

from core.model import Dossier, PlanAction, PlanStatus, PlanTarget, TrajectoryPlan, Worker
from db.dossiers import DossierRepository
from db.plans import PlanFrozen, PlanRepository
from db.workers import WorkerRepository


@pytest.fixture
def worker_id(db):
    d = DossierRepository(db).add(Dossier("X"))
    return WorkerRepository(db).add(Worker("Peeters", "Jan", dossier_id=d.id)).id


def test_plan_round_trip(db, worker_id):
    plans = PlanRepository(db)
    p = plans.save(TrajectoryPlan(worker_id, targets=[PlanTarget("lasser-mig-mag", "Lasser MIG/MAG", ["KWANT"], 0.72,
                                                                 missing_essential=["Lasattest ISO 9606-1"])],
                                  actions=[PlanAction("Opleiding MIG/MAG lassen", "opleiding", "VDAB",
                                                      dt.date(2025, 1, 6), dt.date(2025, 3, 28))],
                                  agreements="Elke twee weken een gesprek.", followups=[dt.date(2025, 2, 1)]))
    again = plans.get(p.id)
    assert again.version == 1 and again.status is PlanStatus.CONCEPT
    assert again.targets[0].missing_essential == ["Lasattest ISO 9606-1"]
    assert again.actions[0].end_date == dt.date(2025, 3, 28)
    assert again.followups == [dt.date(2025, 2, 1)]


def test_printed_plan_is_frozen_and_a_new_version_is_made(db, worker_id):
    plans = PlanRepository(db)
    p = plans.save(TrajectoryPlan(worker_id, agreements="v1"))
    printed = plans.mark_printed(p.id)
    assert printed.status is PlanStatus.AFGEDRUKT and printed.printed_at
    printed.agreements = "stiekem gewijzigd"
    with pytest.raises(PlanFrozen):
        plans.save(printed)
    # also the database itself refuses
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("UPDATE plans SET agreements = 'x' WHERE id = ?", [p.id])
    assert plans.get(p.id).agreements == "v1"
    v2 = plans.new_version(p.id)
    assert v2.version == 2 and v2.status is PlanStatus.CONCEPT and v2.agreements == "v1"
    v2.agreements = "v2"
    assert plans.save(v2).agreements == "v2"
    assert [x.version for x in plans.versions(worker_id)] == [1, 2]


def test_sign_requires_print(db, worker_id):
    plans = PlanRepository(db)
    p = plans.save(TrajectoryPlan(worker_id))
    with pytest.raises(PlanFrozen):
        plans.mark_signed(p.id)
    plans.mark_printed(p.id)
    assert plans.mark_signed(p.id, dt.date(2025, 1, 10)).status is PlanStatus.ONDERTEKEND
