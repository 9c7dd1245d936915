"""GDPR erasure and transfer files: the sync state keeps nothing that confirms an erased identity, and a
partner that still has the worker does not bring the identity back with a later transfer file."""
import argparse
import datetime as dt
import importlib
import json

import cli.cmd_transfer as ct
from core.model import Contact
from core.transfer import field_digests, plan_merge
from db.audit import AuditLog, details_text
from db.dossiers import DossierRepository
from db.gdpr import anonymise_dossier, anonymise_worker, leftover_identity
from db.transfer_repo import apply_merge, installation_id, local_records, shared_bases, shared_stamps
from db.workers import WorkerRepository
from tests.core.test_transfer import FAST, PASS, _import, _seed, export_transfer
from tests.core.test_transfer import two  # noqa: F401 - fixture: two fresh databases

INSZ = "85073003328"            # Jan Peeters of _seed
SECRETS = ["Peeters", INSZ, "0471 11 22 33", "rugletsel L5"]
_PREPARE = ct.prepare_import


def _sync_rows(db, uids) -> list[tuple]:
    marks = ", ".join("?" * len(uids))
    return db.conn.execute(f"SELECT record_uid, seen_fields FROM sync_state WHERE record_uid IN ({marks})",
                           list(uids)).fetchall()


def _uids_of_worker(db, worker_id) -> list[str]:
    uids = [db.conn.execute("SELECT uid FROM workers WHERE id = ?", [worker_id]).fetchone()[0]]
    for t in ("experiences", "worker_competences", "certificates", "worker_languages", "functional_limitations",
              "contacts", "plans"):
        uids += [r[0] for r in db.conn.execute(f"SELECT uid FROM {t} WHERE worker_id = ?", [worker_id])]
    return uids


def _confirms(db, uid: str, column: str, value: str) -> bool:
    """What an attacker with the laptop would try: hash a known value with the stored salt (the uid)."""
    digest = field_digests(uid, {column: value})[column]
    return any(digest in (f or "") for (f,) in db.conn.execute("SELECT seen_fields FROM sync_state"))


def _received(a, b, tmp_path):
    """B has A's dossier, with the health data; returns (dossier, Jan on B, An on B)."""
    d, w1, w2 = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug", with_limitations=True))
    wb = WorkerRepository(b)
    return d, wb.find_by_uid(w1.uid), wb.find_by_uid(w2.uid)


def test_erasure_removes_the_sync_state_of_the_worker_and_all_its_rows(two, tmp_path):
    a, b = two
    d, jan, an = _received(a, b, tmp_path)
    jan_uids = _uids_of_worker(b, jan.id)
    assert len(jan_uids) >= 5 and len(_sync_rows(b, jan_uids)) == len(jan_uids)
    assert _confirms(b, jan.uid, "insz", INSZ)                       # what the erasure must take away
    assert ("sync_state", INSZ) in leftover_identity(b, SECRETS)
    an_rows = _sync_rows(b, _uids_of_worker(b, an.id))

    anonymise_worker(b, jan.id)

    assert _sync_rows(b, jan_uids) == []                              # the worker, its rows, its limitation
    assert not _confirms(b, jan.uid, "insz", INSZ) and not _confirms(b, jan.uid, "surname", "Peeters")
    assert leftover_identity(b, SECRETS) == []
    assert _sync_rows(b, _uids_of_worker(b, an.id)) == an_rows       # the other worker keeps its merge base
    assert b.conn.execute("SELECT count(*) FROM sync_state WHERE record_uid = ?", [d.uid]).fetchone()[0] == 1


def test_leftover_identity_sees_a_digest_in_the_sync_state_even_without_the_plain_value(two, tmp_path):
    a, b = two
    _, jan, _ = _received(a, b, tmp_path)
    # the plain values gone by other means: only the digests would give the identity away
    b.conn.execute("UPDATE workers SET surname = 'X', insz = '', phone = '' WHERE id = ?", [jan.id])
    b.conn.execute("DELETE FROM functional_limitations")
    found = leftover_identity(b, SECRETS)
    assert {t for t, _ in found} == {"sync_state"}
    assert {v for _, v in found} == set(SECRETS)


def _run_import(db, path, monkeypatch, capsys, resolve=None):
    """``import-transfer --json`` as the command line runs it, with the audit trail of ``db``."""
    monkeypatch.setattr(ct, "ask_passphrase", lambda *a, **k: PASS)
    monkeypatch.setattr(ct, "prepare_import", lambda d, p, passphrase: _PREPARE(d, p, passphrase=passphrase, kdf=FAST))
    capsys.readouterr()
    ctx = argparse.Namespace(db=db, audit=AuditLog(db))
    args = argparse.Namespace(file=str(path), resolve=resolve, json=True, passphrase_env=ct.PASSPHRASE_ENV)
    assert ct.run_import(args, ctx) == 0
    out = capsys.readouterr()
    return json.loads(out.out), out.err


def test_a_partner_that_still_has_the_worker_does_not_bring_the_identity_back(two, tmp_path, monkeypatch, capsys):
    a, b = two
    d, jan, an = _received(a, b, tmp_path)
    anonymise_worker(b, jan.id)
    # A still has Jan and keeps working: a new phone, a contact; and a change to An
    wa = WorkerRepository(a)
    x = wa.find_by_uid(jan.uid); x.phone = "0470 55 66 77"; wa.update(x)
    wa.add_contact(x.id, Contact(dt.date(2024, 6, 3), "gesprek met Jan Peeters", 1.0))
    y = wa.find_by_uid(an.uid); y.municipality = "Mechelen"; wa.update(y)
    again = export_transfer(a, d.id, tmp_path / "weer.werkbrug", with_limitations=True)

    res, text = _run_import(b, again, monkeypatch, capsys, resolve="theirs")    # even "take theirs" for everything
    assert "1 werknemer werd op deze computer geanonimiseerd (AVG) en wordt niet opnieuw ingelezen." in text
    assert res["erased_not_imported"] == 1 and res["conflicts"] == []
    got = WorkerRepository(b, principal=None).get(jan.id)
    assert (got.surname, got.insz, got.phone, got.limitations) == ("Geanonimiseerd", "", "", [])
    assert [c.note for c in WorkerRepository(b, principal=None).contacts(jan.id)] == [""]
    assert WorkerRepository(b).find_by_uid(an.uid).municipality == "Mechelen"      # the rest is merged as always
    assert leftover_identity(b, SECRETS + ["0470 55 66 77", "gesprek met Jan Peeters"]) == []
    assert _sync_rows(b, [jan.uid]) == []                       # and no new merge base with the identity in it
    entry = AuditLog(b).entries(action="import")[-1]
    assert entry.details["erased_not_imported"] == 1
    assert "geanonimiseerd, niet ingelezen: 1" in details_text(entry.details)

    # the very first file (Jan unchanged there) does not bring him back either
    res, text = _run_import(b, tmp_path / "heen.werkbrug", monkeypatch, capsys)
    assert res["erased_not_imported"] == 1 and res["added"] == 0
    assert leftover_identity(b, SECRETS) == []


def test_apply_merge_refuses_records_of_an_erased_worker_whatever_the_plan_says(two, tmp_path):
    """A caller that builds its plan without ``withhold_erased`` still writes nothing of the erased worker."""
    from db.transfer_file import read_sealed
    from db.migrations import latest_version
    a, b = two
    d, jan, _ = _received(a, b, tmp_path)
    anonymise_worker(b, jan.id)
    x = WorkerRepository(a).find_by_uid(jan.uid); x.surname = "Peeters-Claes"; WorkerRepository(a).update(x)
    manifest, content = read_sealed(export_transfer(a, d.id, tmp_path / "weer.werkbrug", with_limitations=True),
                                    passphrase=PASS, max_schema=latest_version(), kdf=FAST)
    records = content["records"]
    me = installation_id(b)
    plan = plan_merge(manifest["source"], records, local_records(b, records),
                      shared_stamps(b, manifest["source"], me, records),
                      shared_bases(b, manifest["source"], me, records))
    for c in list(plan.conflicts):                 # take everything from the file
        plan.add.append(c.record) if c.deleted_here else plan.update.append(c.record)
    plan.conflicts = []
    apply_merge(b, plan, d.uid)
    got = WorkerRepository(b, principal=None).get(jan.id)
    assert (got.surname, got.insz, got.limitations) == ("Geanonimiseerd", "", [])
    assert leftover_identity(b, SECRETS + ["Peeters-Claes"]) == []


def test_a_dossier_anonymised_here_takes_no_worker_from_a_later_file(two, tmp_path, monkeypatch, capsys):
    a, b = two
    d, jan, _ = _received(a, b, tmp_path)
    bd = DossierRepository(b).find_by_uid(d.uid)
    anonymise_dossier(b, bd.id)
    assert b.conn.execute("SELECT record_uid FROM sync_state WHERE dossier_uid = ?", [d.uid]).fetchall() == [(d.uid,)]
    # A adds a worker the other computer never had, and changes the dossier
    from core.model import Worker
    WorkerRepository(a).add(Worker("Claes", "Bram", insz="90010100024", dossier_id=d.id))
    da = DossierRepository(a).get(d.id); da.outplacement_bureau = "Randstad RiseSmart"; DossierRepository(a).update(da)
    res, text = _run_import(b, export_transfer(a, d.id, tmp_path / "weer.werkbrug"), monkeypatch, capsys)
    assert ("Dit dossier werd op deze computer geanonimiseerd (AVG): de 3 werknemers uit het bestand worden niet "
            "ingelezen.") in text
    assert WorkerRepository(b, principal=None).count(bd.id) == 2
    assert leftover_identity(b, SECRETS + ["Claes", "90010100024"]) == []
    after = DossierRepository(b).get(bd.id)
    assert after.outplacement_bureau == "Randstad RiseSmart"                    # company data still merges
    assert b.conn.execute("SELECT anonymised_at FROM dossiers WHERE id = ?", [bd.id]).fetchone()[0] != ""
    assert res["erased_not_imported"] == 3 and res["conflicts"] == []


def test_the_migration_forgets_the_sync_state_of_erasures_made_before(two, tmp_path):
    m = importlib.import_module("db.migrations.m0010_forget_erased_sync_state")
    a, b = two
    d, jan, an = _received(a, b, tmp_path)
    # an erasure as older versions made it: the sync state stayed behind
    b.conn.execute("UPDATE workers SET surname = 'Geanonimiseerd', insz = '', phone = '', anonymised_at = "
                   "'2025-01-01T00:00:00Z' WHERE id = ?", [jan.id])
    jan_uids = _uids_of_worker(b, jan.id)
    an_rows = _sync_rows(b, _uids_of_worker(b, an.id))
    assert _confirms(b, jan.uid, "insz", INSZ)
    with b.atomic():
        m.up(b)
    assert _sync_rows(b, jan_uids) == [] and not _confirms(b, jan.uid, "insz", INSZ)
    assert _sync_rows(b, _uids_of_worker(b, an.id)) == an_rows
    # a dossier anonymised before: every row of it, also of records deleted here since
    b.conn.execute("UPDATE dossiers SET anonymised_at = '2025-01-01T00:00:00Z' WHERE uid = ?", [d.uid])
    with b.atomic():
        m.up(b)
    assert b.conn.execute("SELECT record_uid FROM sync_state WHERE dossier_uid = ?", [d.uid]).fetchall() == [(d.uid,)]
    assert [f for f in leftover_identity(b, SECRETS) if f[0] == "sync_state"] == []
