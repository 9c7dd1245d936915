"""A GDPR erasure made on one computer travels with the transfer file: the computer that reads the file in
completes it (``db.gdpr.anonymise_workers``) in the import's transaction, never as a conflict to choose, also
for a consulent, and an older file without ``anonymised_at`` still imports."""
import datetime as dt
import json

import pytest

from core.model import Contact, PlanAction, TrajectoryPlan
from core.security import AccessDenied, Role
from core.transfer import erased_elsewhere
from db.accounts import AccountRepository, bind
from db.audit import AuditLog, details_text
from db.dossiers import DossierRepository
from db.gdpr import anonymise_worker, leftover_identity
from db.migrations import latest_version
from db.plans import PlanRepository
from db.transfer_file import read_sealed, write_sealed
from db.transfer_repo import ERASED_ELSEWHERE_REASON, apply_merge
from db.workers import WorkerRepository
from tests.core.test_transfer import FAST, PASS, _import, _seed, export_transfer, prepare_import
from tests.core.test_transfer import two  # noqa: F401 - fixture: two fresh databases
from tests.core.test_transfer_counsellor import _account
from tests.db.test_gdpr_transfer import SECRETS, _run_import, _sync_rows, _uids_of_worker

SENTENCE_ONE = "1 werknemer werd op de andere computer geanonimiseerd (AVG) en is hier ook geanonimiseerd."
B_ONLY = ["0499 12 34 56", "gesprek met Jan Peeters op de cel", "afspraak: Jan Peeters belt maandag"]


def _received_on_b(a, b, tmp_path):
    """B has A's dossier with the health data, and works on Jan with its audit trail: a new phone (a logged
    value), a contact with a note and a plan version of its own, printed. Returns (dossier, Jan here, An here)."""
    d, w1, w2 = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug", with_limitations=True))
    log = AuditLog(b)
    wb = WorkerRepository(b, principal=None, audit=log)
    jan = wb.find_by_uid(w1.uid)
    jan.phone = B_ONLY[0]
    jan = wb.update(jan)
    wb.add_contact(jan.id, Contact(dt.date(2024, 5, 6), "gesprek", 1.0, note=B_ONLY[1]))
    plans = PlanRepository(b, principal=None, audit=None)
    own = plans.save(TrajectoryPlan(jan.id, actions=[PlanAction("Heftruckattest")], agreements=B_ONLY[2]))
    plans.mark_printed(own.id)
    assert b.conn.execute("SELECT count(*) FROM audit_values WHERE worker_id = ?", [jan.id]).fetchone()[0] >= 1
    return d, jan, wb.find_by_uid(w2.uid)


def _erased_on_a(a, d, uid, tmp_path, name="weer.werkbrug"):
    """A anonymises the worker (its right, there) and writes the dossier to a new file."""
    anonymise_worker(a, WorkerRepository(a, principal=None).find_by_uid(uid).id)
    return export_transfer(a, d.id, tmp_path / name, with_limitations=True)


def _all_erased_here(b, jan_id):
    got = WorkerRepository(b, principal=None).get(jan_id)
    assert (got.surname, got.first_names, got.insz, got.phone) == ("Geanonimiseerd", "", "", "")
    assert b.conn.execute("SELECT anonymised_at FROM workers WHERE id = ?", [jan_id]).fetchone()[0] != ""
    assert b.conn.execute("SELECT count(*) FROM functional_limitations WHERE worker_id = ?",
                          [jan_id]).fetchone()[0] == 0
    plans = b.conn.execute("SELECT status, body, agreements FROM plans WHERE worker_id = ? ORDER BY version",
                           [jan_id]).fetchall()
    assert len(plans) == 2 and all(s == "afgedrukt" for s, _, _ in plans)       # still printed, blanked
    assert [(body, agreements) for _, body, agreements in plans] == [("{}", ""), ("{}", "")]
    assert [c.note for c in WorkerRepository(b, principal=None).contacts(jan_id)] == ["", ""]
    assert b.conn.execute("SELECT count(*) FROM audit_values WHERE worker_id = ? OR (entity = 'worker' AND "
                          "entity_id = ?)", [jan_id, str(jan_id)]).fetchone()[0] == 0
    assert _sync_rows(b, _uids_of_worker(b, jan_id)) == []
    assert leftover_identity(b, SECRETS + B_ONLY) == []


def test_the_file_carries_anonymised_at_of_a_worker(two, tmp_path):
    a, b = two
    d, w1, w2 = _seed(a)
    f = _erased_on_a(a, d, w1.uid, tmp_path)
    _, content = read_sealed(f, passphrase=PASS, max_schema=latest_version(), kdf=FAST)
    workers = {r["uid"]: r["data"] for r in content["records"] if r["kind"] == "workers"}
    assert workers[w1.uid]["anonymised_at"] and workers[w2.uid]["anonymised_at"] == ""


def test_an_erasure_on_the_other_computer_is_completed_here(two, tmp_path, monkeypatch, capsys):
    a, b = two
    d, jan, an = _received_on_b(a, b, tmp_path)
    f = _erased_on_a(a, d, jan.uid, tmp_path)

    res, text = _run_import(b, f, monkeypatch, capsys)

    assert SENTENCE_ONE in text
    assert res["erased_elsewhere"] == 1 and res["conflicts"] == []
    _all_erased_here(b, jan.id)
    other = WorkerRepository(b, principal=None).get(an.id)
    assert (other.surname, other.first_names, other.municipality) == ("Maes", "An", "Lier")
    log = AuditLog(b)
    erasure = log.entries(action="anonymise")[-1]
    assert erasure.details["reason"] == ERASED_ELSEWHERE_REASON and erasure.details["worker_ids"] == [jan.id]
    entry = log.entries(action="import")[-1]
    assert entry.details["erased_elsewhere"] == 1 and entry.details["erased_elsewhere_ids"] == [jan.id]
    assert "op de andere computer geanonimiseerd, hier ook: 1" in details_text(entry.details)
    dumped = json.dumps([e.details for e in log.entries()], ensure_ascii=False)
    assert not any(v in dumped for v in SECRETS + B_ONLY)
    assert log.verify().ok

    # the next file from A changes nothing more, and B's own file does not bring anything back to A
    res, text = _run_import(b, _erased_on_a_again(a, d, tmp_path), monkeypatch, capsys)
    assert res["erased_elsewhere"] == 0 and "op de andere computer geanonimiseerd" not in text
    _all_erased_here(b, jan.id)
    bd = DossierRepository(b).find_by_uid(d.uid).id
    monkeypatch.undo()                             # _run_import's stand-ins for the passphrase prompt
    _import(a, export_transfer(b, bd, tmp_path / "terug.werkbrug", with_limitations=True))
    assert leftover_identity(a, SECRETS + B_ONLY) == []


def _erased_on_a_again(a, d, tmp_path):
    return export_transfer(a, d.id, tmp_path / "nog-eens.werkbrug", with_limitations=True)


@pytest.mark.parametrize("resolve_with", [None, "mine"])
def test_a_conflict_here_does_not_keep_the_identity(two, tmp_path, monkeypatch, capsys, resolve_with):
    """B's counsellor renamed the worker after the last exchange: the erasure is no conflict to choose."""
    a, b = two
    d, jan, _ = _received_on_b(a, b, tmp_path)
    wb = WorkerRepository(b, principal=None, audit=AuditLog(b))
    x = wb.get(jan.id)
    x.surname, x.email = "Peeters-Claes", "jan.peeters@example.be"
    wb.update(x)
    f = _erased_on_a(a, d, jan.uid, tmp_path)

    plan, duid, _ = prepare_import(b, f)
    assert plan.erased_elsewhere == [jan.uid] and plan.conflicts == []
    assert ("1 werknemer werd op de andere computer geanonimiseerd (AVG) en wordt bij het samenvoegen ook hier "
            "geanonimiseerd.") in plan.summary()

    res, text = _run_import(b, f, monkeypatch, capsys, resolve=resolve_with)
    assert res["conflicts"] == [] and "CONFLICT" not in text and SENTENCE_ONE in text
    _all_erased_here(b, jan.id)
    assert leftover_identity(b, ["Peeters-Claes", "jan.peeters@example.be"]) == []


def test_a_consulent_who_reads_the_file_in_completes_the_erasure(two, tmp_path):
    """A consulent may not anonymise here; the erasure was decided where it was allowed and still happens."""
    a, b = two
    d, jan, an = _received_on_b(a, b, tmp_path)
    sofie = _account(b, "sofie", Role.CONSULENT)
    AccountRepository(b, principal=None, audit=None, kdf=FAST).assign(
        DossierRepository(b, principal=None).find_by_uid(d.uid).id, sofie.account_id)
    log = AuditLog(b, "sofie")
    bind(b, sofie, log)
    with pytest.raises(AccessDenied):
        anonymise_worker(b, an.id)                 # her own role may not erase here ...
    f = _erased_on_a(a, d, jan.uid, tmp_path)
    plan, duid, _ = prepare_import(b, f)
    apply_merge(b, plan, duid)                     # ... but reading in an erasure made there completes it
    assert plan.erased_elsewhere_ids == [jan.id] and SENTENCE_ONE in plan.summary()
    _all_erased_here(b, jan.id)
    erasure = log.entries(action="anonymise")[-1]
    assert erasure.actor == "sofie" and erasure.details["worker_ids"] == [jan.id]
    assert WorkerRepository(b, principal=None).get(an.id).surname == "Maes"


def _without_anonymised_at(path, tmp_path):
    """The same file as a version before ``anonymised_at`` existed would have written it."""
    manifest, content = read_sealed(path, passphrase=PASS, max_schema=latest_version(), kdf=FAST)
    for r in content["records"]:
        if r["kind"] in ("workers", "dossiers"):
            r["data"].pop("anonymised_at", None)
    return write_sealed(tmp_path / ("oud-" + path.name), content, source=manifest["source"], schema=4,
                        passphrase=PASS, kdf=FAST)


def test_an_older_file_without_anonymised_at_still_imports(two, tmp_path, monkeypatch, capsys):
    a, b = two
    d, w1, w2 = _seed(a)
    old = _without_anonymised_at(export_transfer(a, d.id, tmp_path / "heen.werkbrug", with_limitations=True),
                                 tmp_path)
    res, text = _run_import(b, old, monkeypatch, capsys)
    assert res["added"] == 7 and res["erased_elsewhere"] == 0 and res["conflicts"] == []
    got = WorkerRepository(b, principal=None).find_by_uid(w1.uid)
    assert (got.surname, [x.note for x in got.limitations]) == ("Peeters", ["rugletsel L5"])
    assert b.conn.execute("SELECT anonymised_at FROM workers WHERE uid = ?", [w1.uid]).fetchone()[0] == ""
    # a later old-style file with changes merges as before
    x = WorkerRepository(a).get(w2.id); x.municipality = "Mechelen"; WorkerRepository(a).update(x)
    res, _ = _run_import(b, _without_anonymised_at(
        export_transfer(a, d.id, tmp_path / "weer.werkbrug", with_limitations=True), tmp_path), monkeypatch, capsys)
    assert res["conflicts"] == [] and res["erased_elsewhere"] == 0
    assert WorkerRepository(b, principal=None).find_by_uid(w2.uid).municipality == "Mechelen"


def test_only_a_worker_anonymised_there_and_not_here_is_an_erasure_to_complete():
    def worker(uid, anonymised_at=None):
        data = {"surname": "x"} if anonymised_at is None else {"surname": "x", "anonymised_at": anonymised_at}
        return {"kind": "workers", "uid": uid, "modified": "m", "parent": "d", "data": data}

    incoming = [worker("old-file"), worker("both", "2025-01-01"), worker("there", "2025-01-01"),
                worker("new-here", "2025-01-01"), worker("neither", ""),
                {"kind": "contacts", "uid": "c", "modified": "m", "parent": "there", "data": {"note": ""}}]
    local = {u: worker(u, a) for u, a in (("old-file", ""), ("both", "2025-02-02"), ("there", ""), ("neither", ""))}
    assert erased_elsewhere(incoming, local) == ["there"]
