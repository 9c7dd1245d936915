"""GDPR: access export, anonymisation that leaves no identity behind, retention."""
import datetime as dt
import json

import pytest

from core.demo import demo_contacts, demo_dossier, demo_workers
from core.model import Contact, FunctionalLimitation, TrajectoryPlan
from core.security import AccessDenied, KdfParams, Role
from db.accounts import AccountRepository, create_first_admin, login
from db.audit import AuditLog
from db.dossiers import DossierRepository
from db.gdpr import (anonymise_dossier, anonymise_worker, apply_retention, export_worker, identity_values,
                     leftover_identity, pending_retention, retention_years, set_retention_years)
from db.plans import PlanRepository
from db.workers import WorkerRepository

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"


@pytest.fixture
def session(tmp_path):
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea Heerder", PW, kdf=FAST)
    AccountRepository(s.db, kdf=FAST).add("kim", "Kim Coördinator", Role.COORDINATOR, PW)
    yield s
    s.close()


def _dossier(db, n=6, seed=11):
    import random
    d = DossierRepository(db).add(demo_dossier())
    people = demo_workers(n, d, seed)
    for i, w in enumerate(people):
        w.email = f"persoon{seed}-{i}@voorbeeld.be"
        w.phone = f"0470 {seed:02d} 22 {i:02d}"
        w.limitations = [FunctionalLimitation(kind="rug", note=f"Hernia nummer {seed}-{i}")]
        w.preferences.notes = f"Vrije notitie over {w.surname}"
    ids = WorkerRepository(db).add_many(people, validate=False)
    rng = random.Random(3)
    for wid, w in zip(ids, people):
        for c in demo_contacts(w, rng):
            c.note = f"Gesprek met {w.first_names} {w.surname}"
            WorkerRepository(db).add_contact(wid, c)
    return d, ids


def _stats(db, dossier_id):
    x = db.conn.execute
    return {"workers": x("SELECT count(*) FROM workers WHERE dossier_id = ?", [dossier_id]).fetchone()[0],
            "contacts": x("SELECT count(*), round(sum(hours), 2) FROM contacts c JOIN workers w ON w.id = c.worker_id "
                          "WHERE w.dossier_id = ?", [dossier_id]).fetchone(),
            "status": x("SELECT group_concat(status) FROM (SELECT status FROM workers WHERE dossier_id = ? ORDER BY id)",
                        [dossier_id]).fetchone()[0],
            "education": x("SELECT group_concat(coalesce(education_group, '-')) FROM (SELECT education_group FROM "
                           "workers WHERE dossier_id = ? ORDER BY id)", [dossier_id]).fetchone()[0],
            "birth_years": x("SELECT group_concat(substr(birth_date, 1, 4)) FROM (SELECT birth_date FROM workers "
                             "WHERE dossier_id = ? ORDER BY id)", [dossier_id]).fetchone()[0]}


def test_access_export_json_and_pdf(session, tmp_path):
    d, ids = _dossier(session.db, 2)
    w = WorkerRepository(session.db, principal=None).get(ids[0])
    res = export_worker(session.db, ids[0], tmp_path / "inzage")
    data = json.loads(res.json_path.read_text(encoding="utf-8"))
    assert data["worker"]["surname"] == w.surname and data["worker"]["insz"] == w.insz
    assert "limitations" not in data["worker"] and "Hernia" not in res.json_path.read_text(encoding="utf-8")
    assert data["contacts"] and data["dossier"]["id"] == d.id
    assert res.pdf_path.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(res.pdf_path).pages)
    assert w.surname in text and "Hernia" not in text
    # the beheerder is not the counsellor: health data only for whoever may see it, and logged
    with pytest.raises(AccessDenied):
        export_worker(session.db, ids[0], tmp_path / "x", include_sensitive=True)
    kim = login(session.path, "kim", PW, kdf=FAST)
    res = export_worker(kim.db, ids[0], tmp_path / "met", include_sensitive=True, pdf=False)
    assert "Hernia" in res.json_path.read_text(encoding="utf-8")
    e = AuditLog(kim.db).entries(action="export")[-1]
    assert e.actor == "kim" and e.details["sensitive_fields"] == ["limitations"]
    kim.close()


def test_anonymising_a_dossier_leaves_no_identity_and_keeps_the_counts(session):
    d, ids = _dossier(session.db)
    other, other_ids = _dossier(session.db, 2, seed=99)
    w0 = WorkerRepository(session.db, principal=None).get(ids[0])
    w0.street = "Andere Straat 5"                                   # a change: old and new values in the audit trail
    WorkerRepository(session.db).update(w0, validate=False)
    plan = PlanRepository(session.db).save(TrajectoryPlan(worker_id=ids[0], agreements=f"Afspraak met {w0.surname}"))
    PlanRepository(session.db).mark_printed(plan.id)               # a frozen plan is blanked too
    before = _stats(session.db, d.id)
    secrets = identity_values(session.db, ids) + [f"Hernia nummer 11-{i}" for i in range(len(ids))] + [
        f"Vrije notitie over {w0.surname}", f"Afspraak met {w0.surname}", "Andere Straat 5"]
    assert leftover_identity(session.db, secrets)                   # they are there now
    n = anonymise_dossier(session.db, d.id)
    assert n == len(ids)
    assert leftover_identity(session.db, secrets) == []             # every table, every column
    after = _stats(session.db, d.id)
    assert after == before
    assert all(b.endswith(("-01-01", "-12-31")) for (b,) in session.db.conn.execute(
        "SELECT birth_date FROM workers WHERE dossier_id = ? AND birth_date IS NOT NULL", [d.id]).fetchall())
    # the other dossier is untouched, the audit chain is intact, the anonymisation is logged
    assert leftover_identity(session.db, identity_values(session.db, other_ids))
    log = AuditLog(session.db)
    assert log.verify().ok and log.entries(action="anonymise")[-1].details["count"] == len(ids)
    # the frozen-plan trigger is back
    with pytest.raises(Exception, match="frozen"):
        session.db.conn.execute("UPDATE plans SET agreements = 'x' WHERE id = ?", [plan.id])


def test_anonymise_one_worker_and_raw_file_check(session, tmp_path):
    d, ids = _dossier(session.db, 3)
    w = WorkerRepository(session.db, principal=None).get(ids[1])
    anonymise_worker(session.db, ids[1])
    assert leftover_identity(session.db, [w.surname, w.insz, w.email]) == []
    assert WorkerRepository(session.db).get(ids[1]).surname == "Geanonimiseerd"
    assert WorkerRepository(session.db).count(d.id) == 3


def test_retention_rule(session):
    d_old, _ = _dossier(session.db, 2)
    d_new, _ = _dossier(session.db, 2, seed=5)
    d_open, _ = _dossier(session.db, 1, seed=6)
    x = session.db.conn.execute
    x("UPDATE dossiers SET status = 'afgesloten' WHERE id IN (?, ?)", [d_old.id, d_new.id])
    x("UPDATE dossiers SET closed_at = '2019-05-01T10:00:00Z' WHERE id = ?", [d_old.id])
    session.db.conn.commit()
    today = dt.date(2026, 6, 1)
    assert retention_years(session.db) == 5
    assert [c.dossier_id for c in pending_retention(session.db, today)] == [d_old.id]
    kim = login(session.path, "kim", PW, kdf=FAST)
    with pytest.raises(AccessDenied):
        apply_retention(kim.db, kim.principal, today=today)       # a beheerder confirms, not the coordinator
    kim.close()
    done = apply_retention(session.db, session.principal, today=today)
    assert [c.dossier_id for c in done] == [d_old.id] and pending_retention(session.db, today) == []
    assert {r[0] for r in x("SELECT surname FROM workers WHERE dossier_id = ?", [d_old.id])} == {"Geanonimiseerd"}
    assert "Geanonimiseerd" not in {r[0] for r in x("SELECT surname FROM workers WHERE dossier_id <> ?", [d_old.id])}
    set_retention_years(session.db, 1)
    assert [c.dossier_id for c in pending_retention(session.db, dt.date.today() + dt.timedelta(days=400))] == [d_new.id]
