"""Transfer merges field by field, the importing consulent's access, and the summary in counsellor terms."""
import pytest

from core.errors import UserError
from core.security import Principal, Role
from core.transfer import resolve
from db.accounts import AccountRepository, bind
from db.dossiers import DossierRepository
from db.transfer_repo import apply_merge
from db.workers import WorkerRepository
from tests.core.test_transfer import FAST, PASS, _import, _seed, export_transfer, prepare_import
from tests.core.test_transfer import two  # noqa: F401 - fixture: two fresh databases

PW = "Zomer-Appel-2026!x"


def _both_edit(a, b, w_uid, tmp_path):
    """B has the dossier from A; A changes municipality and phone, B only the municipality."""
    wa, wb = WorkerRepository(a), WorkerRepository(b)
    x = wa.find_by_uid(w_uid); x.municipality = "Gent"; x.phone = "0470 11 22 33"; wa.update(x)
    y = wb.find_by_uid(w_uid); y.municipality = "Brugge"; wb.update(y)
    bd = DossierRepository(b).find_by_uid(DossierRepository(a).get(x.dossier_id).uid).id
    return export_transfer(b, bd, tmp_path / "terug.werkbrug")


def test_a_field_changed_only_here_survives_theirs_and_only_both_sided_changes_conflict(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug"))
    back = _both_edit(a, b, w1.uid, tmp_path)

    plan, conflicts = _import(a, back)                    # nothing chosen: the conflict stays open
    assert [c.label for c in conflicts] == ["werknemer Jan Peeters"]
    assert conflicts[0].fields == [("municipality", "Gent", "Brugge")]        # not the phone: changed here only
    assert [(label, m, t) for _, label, m, t in conflicts[0].field_rows()] == [("Gemeente", "Gent", "Brugge")]
    assert conflicts[0].kept == ["phone"]
    assert "1 conflict." in plan.summary() and "conflicten" not in plan.summary()

    plan, conflicts = _import(a, back, "theirs")
    got = WorkerRepository(a).find_by_uid(w1.uid)
    assert not conflicts
    assert got.municipality == "Brugge" and got.phone == "0470 11 22 33"     # the phone entered here is kept

    # the other laptop gets the merged worker back as a whole, without a conflict
    _, conflicts = _import(b, export_transfer(a, d.id, tmp_path / "weer.werkbrug"))
    other = WorkerRepository(b).find_by_uid(w1.uid)
    assert not conflicts and (other.municipality, other.phone) == ("Brugge", "0470 11 22 33")


def test_a_field_changed_only_there_is_taken_without_a_conflict(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug"))
    wa, wb = WorkerRepository(a), WorkerRepository(b)
    x = wa.find_by_uid(w1.uid); x.phone = "0470 11 22 33"; wa.update(x)                # here: the phone
    y = wb.find_by_uid(w1.uid); y.email = "jan@example.be"; wb.update(y)               # there: the e-mail
    bd = DossierRepository(b).find_by_uid(d.uid).id
    plan, conflicts = _import(a, export_transfer(b, bd, tmp_path / "terug.werkbrug"))
    assert not conflicts and len(plan.merged) == 1
    got = wa.find_by_uid(w1.uid)
    assert (got.phone, got.email) == ("0470 11 22 33", "jan@example.be")
    assert "1 werknemer bijgewerkt" in plan.summary() and "Geen conflicten." in plan.summary()


def test_per_field_choice(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug"))
    wa, wb = WorkerRepository(a), WorkerRepository(b)
    x = wa.find_by_uid(w1.uid); x.municipality = "Gent"; x.email = "hier@example.be"; wa.update(x)
    y = wb.find_by_uid(w1.uid); y.municipality = "Brugge"; y.email = "daar@example.be"; wb.update(y)
    bd = DossierRepository(b).find_by_uid(d.uid).id
    plan, _, _ = prepare_import(a, export_transfer(b, bd, tmp_path / "terug.werkbrug"))
    (c,) = plan.conflicts
    assert sorted(k for k, _, _ in c.fields) == ["email", "municipality"]
    assert resolve(plan, {c.uid: {"municipality": "theirs"}}) == [c]          # one field left open: stays open
    assert not resolve(plan, {c.uid: {"municipality": "theirs", "email": "mine"}})
    apply_merge(a, plan, d.uid)
    got = wa.find_by_uid(w1.uid)
    assert (got.municipality, got.email) == ("Brugge", "hier@example.be")


def test_the_command_line_names_fields_in_dutch_and_resolves_only_the_conflicting_ones(two, tmp_path, capsys,
                                                                                         monkeypatch):
    import argparse
    import cli.cmd_transfer as ct
    a, b = two
    d, w1, _ = _seed(a)
    _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug"))
    back = _both_edit(a, b, w1.uid, tmp_path)
    real = ct.prepare_import
    monkeypatch.setattr(ct, "ask_passphrase", lambda *a, **k: PASS)
    monkeypatch.setattr(ct, "prepare_import", lambda db, path, passphrase: real(db, path, passphrase=passphrase,
                                                                                kdf=FAST))
    ctx = argparse.Namespace(db=a, audit=None)

    def args(resolve=None):
        return argparse.Namespace(file=str(back), resolve=resolve, json=False, passphrase_env=ct.PASSPHRASE_ENV)

    capsys.readouterr()
    assert ct.run_import(args(), ctx) == 0
    out = capsys.readouterr().out
    assert "Gemeente: hier = 'Gent' | bestand = 'Brugge'" in out
    assert "Telefoon" not in out and "municipality" not in out
    assert "1 conflict." in out and "1 conflicten" not in out
    assert ct.run_import(args("theirs"), ctx) == 0
    got = WorkerRepository(a).find_by_uid(w1.uid)
    assert (got.municipality, got.phone) == ("Brugge", "0470 11 22 33")


def test_a_consulent_who_imports_a_dossier_can_open_it(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    f = export_transfer(a, d.id, tmp_path / "naar_an.werkbrug")
    an = AccountRepository(b, principal=None, audit=None, kdf=FAST).add("an", "An Peeters", Role.CONSULENT, PW)
    bind(b, Principal(an.id, "an", "An Peeters", Role.CONSULENT), None)
    plan, _ = _import(b, f)
    assert plan.summary().startswith("Nieuw dossier: Van Hool NV. 2 werknemers nieuw, 1 trajectplan nieuw.")
    mine = DossierRepository(b).list()
    assert [x.uid for x in mine] == [d.uid]
    assert WorkerRepository(b).count(mine[0].id) == 2


def test_a_consulent_cannot_merge_into_a_dossier_that_is_not_hers(two, tmp_path):
    a, b = two
    d, w1, _ = _seed(a)
    f = export_transfer(a, d.id, tmp_path / "heen.werkbrug")
    _import(b, f)                                                            # the system (a beheerder) read it in
    bram = AccountRepository(b, principal=None, audit=None, kdf=FAST).add("bram", "Bram Claes", Role.CONSULENT, PW)
    bind(b, Principal(bram.id, "bram", "Bram Claes", Role.CONSULENT), None)
    wa = WorkerRepository(a)
    x = wa.find_by_uid(w1.uid); x.phone = "0470 99 99 99"; wa.update(x)
    f2 = export_transfer(a, d.id, tmp_path / "weer.werkbrug")
    with pytest.raises(UserError, match="niet aan jou toegewezen"):
        prepare_import(b, f2)
    assert WorkerRepository(b, principal=None).find_by_uid(w1.uid).phone == "0471 11 22 33"


def test_the_summary_counts_dossiers_workers_and_plans(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    plan, _ = _import(b, export_transfer(a, d.id, tmp_path / "x.werkbrug"))
    text = plan.summary()
    assert text == "Nieuw dossier: Van Hool NV. 2 werknemers nieuw, 1 trajectplan nieuw. Geen conflicten."
    plan, _ = _import(b, export_transfer(a, d.id, tmp_path / "y.werkbrug"))
    assert plan.summary() == "Dossier Van Hool NV was hier al. 2 werknemers ongewijzigd. Geen conflicten."
