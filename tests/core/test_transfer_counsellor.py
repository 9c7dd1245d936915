"""Who follows a worker that a transfer file brings: the sender's counsellor login belongs to the other
computer. A consulent who reads the file in becomes the own counsellor; a beheerder or celcoördinator keeps
the sender's login only when it is an active account here, and otherwise leaves the worker open, saying so."""
import argparse

import pytest

import cli.cmd_transfer as ct
from core.model import Dossier, FunctionalLimitation, Worker
from core.security import Principal, Role
from db.accounts import AccountRepository, bind
from db.audit import AuditLog, details_text
from db.dossiers import DossierRepository
from db.workers import WorkerRepository
from tests.core.test_transfer import FAST, PASS, _import, export_transfer
from tests.core.test_transfer import two  # noqa: F401 - fixture: two fresh databases

PW = "Zomer-Appel-2026!x"
_PREPARE = ct.prepare_import


def _sent(a, tmp_path, counsellors=("piet", "piet")):
    """A dossier on the sending computer whose workers are followed there by ``counsellors`` (its logins)."""
    d = DossierRepository(a).add(Dossier("Brouwerij Lindemans", kbo_number="0403.170.701"))
    wr = WorkerRepository(a)          # the system: stores the counsellor it is given
    people = [("Peeters", "Jan", "85073003328"), ("Maes", "An", ""), ("Claes", "Bram", "")]
    workers = [wr.add(Worker(s, f, insz=i, dossier_id=d.id, counsellor=c,
                             limitations=[FunctionalLimitation("tillen", f"rug {s}")]))
               for (s, f, i), c in zip(people, counsellors)]
    return d, workers, export_transfer(a, d.id, tmp_path / "overdracht.werkbrug", with_limitations=True)


def _account(db, login, role, *, active=True):
    acc = AccountRepository(db, principal=None, audit=None, kdf=FAST).add(login, login.title(), role, PW)
    if not active:
        AccountRepository(db, principal=None, audit=None, kdf=FAST).update(acc.id, active=False)
    return Principal(acc.id, acc.login, acc.name, acc.role)


def _counsellor(db, uid) -> str:
    return db.conn.execute("SELECT counsellor FROM workers WHERE uid = ?", [uid]).fetchone()[0]


def test_a_consulent_who_reads_a_file_in_becomes_the_own_counsellor_of_its_new_workers(two, tmp_path):
    a, b = two
    d, (jan, an), f = _sent(a, tmp_path)
    me = _account(b, "sofie", Role.CONSULENT)
    bind(b, me, None)
    plan, _ = _import(b, f)
    assert [_counsellor(b, w.uid) for w in (jan, an)] == ["sofie", "sofie"]
    assert "2 nieuwe werknemers hebben jou als eigen consulent." in plan.summary()
    assert "geen eigen consulent" not in plan.summary()
    # as their own counsellor she sees (and records) their functional limitations
    got = WorkerRepository(b).find_by_uid(jan.uid)
    assert WorkerRepository(b).may_see_limitations(got) and [x.note for x in got.limitations] == ["rug Peeters"]
    assert plan.audit_details()["sender_counsellors"] == {"piet": 2}
    assert plan.audit_details()["own_counsellors"] == {"sofie": 2}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_a_beheerder_or_coordinator_keeps_only_logins_that_exist_here(two, tmp_path, role):
    a, b = two
    d, (jan, an, bram), f = _sent(a, tmp_path, counsellors=("piet", "Jef", "kees"))
    _account(b, "jef", Role.CONSULENT)                           # the same login exists here (another case)
    _account(b, "kees", Role.CONSULENT, active=False)            # switched off here: cannot follow anyone
    bind(b, _account(b, "baas", role), None)
    plan, _ = _import(b, f)
    assert [_counsellor(b, w.uid) for w in (jan, an, bram)] == ["", "jef", ""]
    text = plan.summary()
    assert ("2 nieuwe werknemers hebben hier geen eigen consulent: hun consulenten op de andere computer (kees, "
            "piet) hebben geen account op deze computer.") in text
    assert ("1 nieuwe werknemer behoudt de eigen consulent van de andere computer, die ook op deze computer een "
            "account heeft: jef.") in text
    assert "jou als eigen consulent" not in text
    details = plan.audit_details()
    assert details["without_counsellor"] == 2 and details["own_counsellors"] == {"jef": 1}
    # a worker left open is taken on by a consulent of the dossier, as after a beheerder's employer-list import
    sofie = _account(b, "sofie", Role.CONSULENT)
    AccountRepository(b, principal=None, audit=None, kdf=FAST).assign(
        DossierRepository(b, principal=None).find_by_uid(d.uid).id, sofie.account_id)
    bind(b, sofie, None)
    wr = WorkerRepository(b)
    assert wr.take_on(wr.find_by_uid(jan.uid).id) == "sofie"


def test_one_worker_without_a_local_account_is_said_in_the_singular(two, tmp_path):
    a, b = two
    d, (jan,), f = _sent(a, tmp_path, counsellors=("piet",))
    bind(b, _account(b, "baas", Role.ADMIN), None)
    plan, _ = _import(b, f)
    assert _counsellor(b, jan.uid) == ""
    assert ("1 nieuwe werknemer heeft hier geen eigen consulent: de consulent op de andere computer (piet) heeft "
            "geen account op deze computer.") in plan.summary()


def test_a_later_file_never_changes_who_follows_the_worker_here(two, tmp_path):
    a, b = two
    d, (jan, an), f = _sent(a, tmp_path)
    sofie = _account(b, "sofie", Role.CONSULENT)
    bind(b, sofie, None)
    _import(b, f)
    # the sender changes the worker, and even hands it to another of its counsellors
    wa = WorkerRepository(a)
    x = wa.find_by_uid(jan.uid); x.phone = "0470 12 34 56"; x.counsellor = "marc"; wa.update(x)
    plan, conflicts = _import(b, export_transfer(a, d.id, tmp_path / "weer.werkbrug"))
    assert not conflicts                                          # the counsellor is never a conflict
    got = WorkerRepository(b).find_by_uid(jan.uid)
    assert (got.phone, got.counsellor) == ("0470 12 34 56", "sofie")
    assert plan.counsellors is None and "eigen consulent" not in plan.summary()
    # and the way back: the sender keeps its own counsellor logins
    bd = DossierRepository(b).find_by_uid(d.uid).id
    y = WorkerRepository(b).find_by_uid(an.uid); y.municipality = "Lier"; WorkerRepository(b).update(y)
    bind(b, None, None)
    back = export_transfer(b, bd, tmp_path / "terug.werkbrug")
    plan, conflicts = _import(a, back)
    assert not conflicts and wa.find_by_uid(an.uid).municipality == "Lier"
    assert (_counsellor(a, jan.uid), _counsellor(a, an.uid)) == ("marc", "piet")


def test_the_command_line_says_it_and_the_audit_entry_keeps_the_senders_login(two, tmp_path, capsys, monkeypatch):
    a, b = two
    d, (jan, an), f = _sent(a, tmp_path)
    admin = _account(b, "baas", Role.ADMIN)
    bind(b, admin, None)
    monkeypatch.setattr(ct, "ask_passphrase", lambda *x, **k: PASS)
    monkeypatch.setattr(ct, "prepare_import", lambda db, p, passphrase: _PREPARE(db, p, passphrase=passphrase,
                                                                                  kdf=FAST))
    capsys.readouterr()
    args = argparse.Namespace(file=str(f), resolve=None, json=False, passphrase_env=ct.PASSPHRASE_ENV)
    assert ct.run_import(args, argparse.Namespace(db=b, audit=AuditLog(b, "baas"))) == 0
    out = capsys.readouterr().out
    assert "2 nieuwe werknemers hebben hier geen eigen consulent" in out and "(piet)" in out
    entry = AuditLog(b).entries(action="import")[-1]
    assert entry.actor == "baas" and entry.details["sender_counsellors"] == {"piet": 2}
    assert entry.details["without_counsellor"] == 2
    text = details_text(entry.details)
    assert "consulent op de andere computer: piet: 2" in text and "zonder eigen consulent: 2" in text
