"""Moving a dossier between two computers: export, change on both sides, import, resolve, compare."""
import datetime as dt
import json
import zipfile

import pytest

from cli import cmd_transfer
from core.model import Contact, Dossier, Experience, FunctionalLimitation, PlanAction, PlanTarget, TrajectoryPlan, Worker
from core.transfer import TransferFileError, read_transfer_file, resolve, write_transfer_file
from core.security import KdfParams
from db.connection import open_database
from db.transfer_file import read_sealed, seal_zip
from db.dossiers import DossierRepository
from db.plans import PlanRepository
from db.transfer_repo import apply_merge, collect, installation_id
from db.workers import WorkerRepository


PASS = "Overdracht-Test-2026"
FAST = KdfParams.INSECURE_FAST


def export_transfer(*args, **kw):
    return cmd_transfer.export_transfer(*args, passphrase=PASS, kdf=FAST, **kw)


def prepare_import(db, path, passphrase=PASS):
    return cmd_transfer.prepare_import(db, path, passphrase=passphrase, kdf=FAST)


def _seal(zip_path, tmp_path):
    return seal_zip(zip_path, zip_path.with_name(zip_path.stem + "-verzegeld.werkbrug"), passphrase=PASS, kdf=FAST)


@pytest.fixture
def two(tmp_path):
    a, b = open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")
    yield a, b
    a.conn.close()
    b.conn.close()


def _seed(db):
    d = DossierRepository(db).add(Dossier("Van Hool NV", kbo_number="0403.170.701",
                                          announcement_date=dt.date(2024, 3, 1)))
    wr = WorkerRepository(db)
    w1 = wr.add(Worker("Peeters", "Jan", insz="85073003328", dossier_id=d.id, phone="0471 11 22 33",
                       experiences=[Experience("Van Hool", "Lasser")],
                       limitations=[FunctionalLimitation("tillen", "rugletsel L5")]))
    w2 = wr.add(Worker("Maes", "An", dossier_id=d.id, municipality="Lier"))
    wr.add_contact(w1.id, Contact(dt.date(2024, 4, 2), "intake", 2.0))
    plans = PlanRepository(db)
    p1 = plans.save(TrajectoryPlan(w1.id, targets=[PlanTarget("lasser", "Lasser")],
                                   actions=[PlanAction("VCA-opleiding")]))
    plans.mark_printed(p1.id)
    return d, w1, w2


def _import(db, path, resolve_with=None):
    plan, duid, _ = prepare_import(db, path)
    if resolve_with:
        resolve(plan, {c.uid: resolve_with for c in plan.conflicts})
    open_ = list(plan.conflicts)
    apply_merge(db, plan, duid)
    return plan, open_


def _snapshot(db, dossier_uid):
    did = DossierRepository(db).find_by_uid(dossier_uid).id
    recs = collect(db, did, with_limitations=True)["records"]
    return {r["uid"]: (r["modified"], r["data"]) for r in recs}


def test_round_trip_with_changes_on_both_sides(two, tmp_path):
    a, b = two
    d, w1, w2 = _seed(a)
    f1 = export_transfer(a, d.id, tmp_path / "naar_b", with_limitations=True)
    assert f1.suffix == ".werkbrug"
    plan, conflicts = _import(b, f1)
    assert not conflicts and len(plan.add) == 7
    assert _snapshot(b, d.uid) == _snapshot(a, d.uid)           # uids and stamps kept

    # both sides work on the dossier
    wa = WorkerRepository(a)
    x = wa.find_by_uid(w1.uid); x.phone = "0470 00 00 01"; wa.update(x)
    wa.add_contact(x.id, Contact(dt.date(2024, 5, 1), "gesprek", 1.5))
    wb = WorkerRepository(b)
    y = wb.find_by_uid(w1.uid); y.phone = "0499 99 99 99"; wb.update(y)
    z = wb.find_by_uid(w2.uid); z.municipality = "Mechelen"; wb.update(z)
    db_d = DossierRepository(b).find_by_uid(d.uid); db_d.outplacement_bureau = "Randstad RiseSmart"
    DossierRepository(b).update(db_d)

    f2 = export_transfer(b, DossierRepository(b).find_by_uid(d.uid).id, tmp_path / "naar_a.werkbrug",
                         with_limitations=True)
    plan, conflicts = _import(a, f2)
    assert [c.label for c in conflicts] == ["werknemer Jan Peeters"]
    assert ("phone", "0470 00 00 01", "0499 99 99 99") in conflicts[0].fields
    assert wa.find_by_uid(w1.uid).phone == "0470 00 00 01"            # conflict not applied
    assert wa.find_by_uid(w2.uid).municipality == "Mechelen"          # changed there only: applied
    assert DossierRepository(a).get(d.id).outplacement_bureau == "Randstad RiseSmart"
    assert len(wa.contacts(x.id)) == 2                                # new here: kept

    plan, conflicts = _import(a, f2, "theirs")
    assert not conflicts and wa.find_by_uid(w1.uid).phone == "0499 99 99 99"
    plan, conflicts = _import(a, f2)                                  # again: nothing left to do
    assert not conflicts and not plan.update and not plan.add

    f3 = export_transfer(a, d.id, tmp_path / "terug.werkbrug", with_limitations=True)
    plan, conflicts = _import(b, f3)
    assert not conflicts
    assert _snapshot(b, d.uid) == _snapshot(a, d.uid)


def test_resolve_mine_keeps_this_side_and_the_other_side_follows(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "1.werkbrug"))
    wa, wb = WorkerRepository(a), WorkerRepository(b)
    x = wa.find_by_uid(w1.uid); x.email = "mijn@example.be"; wa.update(x)
    y = wb.find_by_uid(w1.uid); y.email = "hun@example.be"; wb.update(y)
    bd = DossierRepository(b).find_by_uid(d.uid).id
    _, conflicts = _import(a, export_transfer(b, bd, tmp_path / "2.werkbrug"), "mine")
    assert not conflicts and wa.find_by_uid(w1.uid).email == "mijn@example.be"
    _, conflicts = _import(b, export_transfer(a, d.id, tmp_path / "3.werkbrug"))
    assert not conflicts and wb.find_by_uid(w1.uid).email == "mijn@example.be"


def test_limitations_travel_only_when_asked(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "x.werkbrug", [w1.id]))
    got = WorkerRepository(b).find_by_uid(w1.uid)
    assert got.limitations == [] and got.experiences[0].job_title == "Lasser"
    assert WorkerRepository(b).count() == 1


def test_frozen_plan_is_never_changed_by_a_merge(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    f = export_transfer(a, d.id, tmp_path / "p.werkbrug")
    _import(b, f)
    manifest, content = read_sealed(f, passphrase=PASS, max_schema=99, kdf=FAST)
    for r in content["records"]:
        if r["kind"] == "plans":
            r["data"]["agreements"] = "stiekem gewijzigd"
            r["modified"] = "2099-01-01T00:00:00.000000Z"
    forged = _seal(write_transfer_file(tmp_path / "vervalst.zip", content, source=manifest["source"], schema=4),
                   tmp_path)
    plan, conflicts = _import(b, forged)
    assert len(conflicts) == 1 and conflicts[0].frozen
    plan, conflicts = _import(b, forged, "theirs")
    assert any("afgedrukt of ondertekend" in n for n in plan.notes)
    wid = WorkerRepository(b).find_by_uid(w1.uid).id
    assert PlanRepository(b).latest(wid).agreements == ""


def test_damaged_foreign_and_newer_files_are_refused(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    f = export_transfer(a, d.id, tmp_path / "ok.werkbrug")
    manifest, content = read_sealed(f, passphrase=PASS, max_schema=99, kdf=FAST)
    plain = write_transfer_file(tmp_path / "ok.zip", content, source=manifest["source"], schema=manifest["schema"])
    with zipfile.ZipFile(plain) as z:
        manifest, body = json.loads(z.read("manifest.json")), z.read("content.json")
    damaged = tmp_path / "kapot.werkbrug"
    with zipfile.ZipFile(damaged, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("content.json", body.replace(b"Peeters", b"Peeterz"))
    foreign = tmp_path / "vreemd.werkbrug"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest | {"format": "iets-anders"}))
        z.writestr("content.json", body)
    newer = tmp_path / "nieuw.werkbrug"
    with zipfile.ZipFile(newer, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest | {"version": 99}))
        z.writestr("content.json", body)
    truncated = tmp_path / "half.werkbrug"
    truncated.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    text = tmp_path / "tekst.werkbrug"
    text.write_text("hallo")
    damaged, foreign, newer = (_seal(x, tmp_path) for x in (damaged, foreign, newer))
    for path, needle in [(damaged, "controlesom"), (foreign, "geen Werkbrug"), (newer, "nieuwere versie"),
                         (truncated, "beschadigd"), (text, "geen Werkbrug"), (plain, "niet versleuteld")]:
        with pytest.raises(TransferFileError, match=needle):
            prepare_import(b, path)
    with pytest.raises(TransferFileError, match="wachtwoordzin klopt niet"):
        prepare_import(b, f, passphrase="een-andere-zin-2026")
    assert DossierRepository(b).list() == []


def test_transfer_file_holds_no_plaintext_and_needs_a_real_passphrase(two, tmp_path):
    a, _ = two
    d, *_ = _seed(a)
    f = export_transfer(a, d.id, tmp_path / "geheim.werkbrug", with_limitations=True)
    raw = f.read_bytes()
    for secret in (b"Peeters", b"85073003328", b"rugletsel", b"Lier"):
        assert secret not in raw
    with pytest.raises(TransferFileError, match="minstens"):
        cmd_transfer.export_transfer(a, d.id, tmp_path / "zwak.werkbrug", passphrase="kort", kdf=FAST)
    assert not (tmp_path / "zwak.werkbrug").exists()


def test_a_file_from_this_computer_is_not_merged_into_itself(two, tmp_path):
    a, _ = two
    d, *_ = _seed(a)
    from core.errors import UserError
    with pytest.raises(UserError, match="deze computer"):
        prepare_import(a, export_transfer(a, d.id, tmp_path / "zelf.werkbrug"))
    assert len(installation_id(a)) == 32
