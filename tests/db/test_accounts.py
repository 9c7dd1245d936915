"""Accounts, sign-in with a persisted lockout, and roles enforced in the repositories."""
import datetime as dt

import pytest

from core.errors import UserError
from core.keystore import BadCredentials, LockedOut
from core.model import Dossier, FunctionalLimitation, TrajectoryPlan, Worker
from core.security import AccessDenied, KdfParams, Role
from db.accounts import AccountRepository, create_first_admin, login, needs_first_admin
from db.dossiers import DossierRepository, NotFound
from db.plans import PlanRepository
from db.workers import WorkerRepository

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"


@pytest.fixture
def cell(tmp_path):
    """A database with a beheerder, a coordinator, two consulenten and two dossiers (A for An, B for Ben)."""
    path = tmp_path / "w.db"
    admin = create_first_admin(path, "beheer", "Bea Heerder", PW, kdf=FAST)
    accounts = AccountRepository(admin.db, kdf=FAST)
    ids = {}
    for login_, name, role in (("kim", "Kim Coördinator", Role.COORDINATOR), ("an", "An Peeters", Role.CONSULENT),
                               ("ben", "Ben Janssens", Role.CONSULENT)):
        ids[login_] = accounts.add(login_, name, role, PW).id
    sys_d, sys_w = DossierRepository(admin.db, principal=None), WorkerRepository(admin.db, principal=None)
    a = sys_d.add(Dossier(company_name="Dossier A"))
    b = sys_d.add(Dossier(company_name="Dossier B"))
    accounts.assign(a.id, ids["an"])
    accounts.assign(b.id, ids["ben"])
    wa = sys_w.add(Worker(surname="Aerts", first_names="Alma", dossier_id=a.id, counsellor="an",
                          limitations=[FunctionalLimitation(kind="rug", note="niet tillen")]), validate=False)
    wa2 = sys_w.add(Worker(surname="Adams", first_names="Arne", dossier_id=a.id, counsellor="Ben Janssens",
                           limitations=[FunctionalLimitation(kind="knie", note="geen trappen")]), validate=False)
    wb = sys_w.add(Worker(surname="Bosmans", first_names="Bert", dossier_id=b.id, counsellor="ben"), validate=False)
    admin.close()
    return path, {"a": a.id, "b": b.id, "wa": wa.id, "wa2": wa2.id, "wb": wb.id}


def _as(path, who):
    return login(path, who, PW, kdf=FAST)


def test_first_admin_then_login(tmp_path):
    path = tmp_path / "w.db"
    assert needs_first_admin(path)
    s = create_first_admin(path, "beheer", "Bea", PW, kdf=FAST)
    assert s.principal.role is Role.ADMIN and not needs_first_admin(path)
    s.close()
    with pytest.raises(UserError):
        create_first_admin(path, "nog.een", "X", PW, kdf=FAST)
    s = _as(path, "BEHEER")                                      # logins are case-insensitive
    assert s.principal.login == "beheer"
    s.close()


def test_weak_first_password_is_refused(tmp_path):
    with pytest.raises(UserError, match="minstens"):
        create_first_admin(tmp_path / "w.db", "beheer", "Bea", "kort", kdf=FAST)
    assert not (tmp_path / "w.db.keys").exists()


def test_lockout_is_persisted_and_grows(tmp_path, cell):
    path, _ = cell
    now = [5_000.0]
    clock = lambda: now[0]  # noqa: E731
    for _ in range(5):
        with pytest.raises(BadCredentials):
            login(path, "an", "Fout-Wachtwoord-1", clock=clock, kdf=FAST)
    with pytest.raises(LockedOut) as e:                          # even the right password waits
        login(path, "an", PW, clock=clock, kdf=FAST)
    assert e.value.seconds == 30
    now[0] += 30
    with pytest.raises(BadCredentials):                          # 6th failure: now 60 s
        login(path, "an", "Fout-Wachtwoord-1", clock=clock, kdf=FAST)
    with pytest.raises(LockedOut) as e:
        login(path, "an", PW, clock=clock, kdf=FAST)
    assert e.value.seconds == 60
    now[0] += 60
    s = login(path, "an", PW, clock=clock, kdf=FAST)
    from db.audit import AuditLog
    assert AuditLog(s.db).entries(action="login")[-1].details == {"failed_attempts_before": 6}
    s.close()
    # other accounts were never delayed
    _as(path, "ben").close()


def test_disabled_account_cannot_sign_in(cell):
    path, _ = cell
    s = _as(path, "beheer")
    repo = AccountRepository(s.db, kdf=FAST)
    repo.update(repo.by_login("ben").id, active=False)
    s.close()
    with pytest.raises(BadCredentials):
        _as(path, "ben")


def test_only_the_beheerder_manages_accounts(cell):
    path, _ = cell
    s = _as(path, "kim")
    with pytest.raises(AccessDenied):
        AccountRepository(s.db, kdf=FAST).add("nieuw", "Nieuw", Role.CONSULENT, PW)
    s.close()
    s = _as(path, "beheer")
    repo = AccountRepository(s.db, kdf=FAST)
    with pytest.raises(UserError, match="beheerder"):
        repo.update(s.principal.account_id, role=Role.CONSULENT)   # never zero beheerders
    repo.add("nieuw", "Nieuwe Collega", Role.CONSULENT, PW)
    s.close()
    _as(path, "nieuw").close()                                     # added without re-encrypting


def test_own_password_change_moves_the_key_slot(cell):
    path, _ = cell
    s = _as(path, "an")
    repo = AccountRepository(s.db, kdf=FAST)
    with pytest.raises(UserError):
        repo.set_password(s.principal.account_id, "Nieuw-Wachtwoord-42!", old_password="fout")
    repo.set_password(s.principal.account_id, "Nieuw-Wachtwoord-42!", old_password=PW)
    s.close()
    with pytest.raises(BadCredentials):
        _as(path, "an")
    login(path, "an", "Nieuw-Wachtwoord-42!", kdf=FAST).close()


def test_each_role_sees_only_what_it_should(cell):
    path, ids = cell
    s = _as(path, "an")                                            # consulent of dossier A
    d, w, p = DossierRepository(s.db), WorkerRepository(s.db), PlanRepository(s.db)
    assert [x.company_name for x in d.summaries()] == ["Dossier A"]
    assert [x.company_name for x in d.list()] == ["Dossier A"]
    assert {x.surname for x in w.summaries()} == {"Aerts", "Adams"} and w.count() == 2
    assert w.summaries(ids["b"]) == [] and w.count(ids["b"]) == 0 and w.ids_in_dossier(ids["b"]) == []
    assert w.load_dossier(ids["b"]) == []
    with pytest.raises(NotFound):
        d.get(ids["b"])
    with pytest.raises(NotFound):
        w.get(ids["wb"])
    with pytest.raises(NotFound):
        p.versions(ids["wb"])
    with pytest.raises(NotFound):
        w.update(Worker(surname="X", first_names="", id=ids["wb"], dossier_id=ids["b"]), validate=False)
    assert [x.id for x in w.get_many([ids["wa"], ids["wb"]])] == [ids["wa"]]
    # limitations: only of her own worker (workers.counsellor = her login)
    assert [x.kind for x in w.get(ids["wa"]).limitations] == ["rug"]
    assert w.get(ids["wa2"]).limitations == []
    assert {x.surname: len(x.limitations) for x in w.load_dossier(ids["a"])} == {"Aerts": 1, "Adams": 0}
    # saving a worker whose limitations she cannot see leaves them alone
    other = w.get(ids["wa2"])
    other.phone = "011 22 33 44"
    w.update(other, validate=False)
    s.close()
    s = _as(path, "kim")                                           # coordinator: everything, with limitations
    w = WorkerRepository(s.db)
    assert len(DossierRepository(s.db).summaries()) == 2 and w.count() == 3
    assert [x.kind for x in w.get(ids["wa2"]).limitations] == ["knie"]
    s.close()
    s = _as(path, "beheer")                                        # beheerder: dossiers yes, health data no
    w = WorkerRepository(s.db)
    assert w.count() == 3 and w.get(ids["wa2"]).limitations == [] and w.get(ids["wa"]).limitations == []
    s.close()
    s = _as(path, "ben")                                           # Ben counsels Adams (by name) in dossier A,
    w = WorkerRepository(s.db)                                     # but sees only his own dossier
    assert {x.surname for x in w.summaries()} == {"Bosmans"}
    s.close()


def test_a_consulents_new_dossier_is_assigned_to_her(cell):
    path, _ = cell
    s = _as(path, "an")
    d = DossierRepository(s.db).add(Dossier(company_name="Eigen Dossier"))
    assert d.id in AccountRepository(s.db).dossiers_of(s.principal.account_id)
    assert {x.company_name for x in DossierRepository(s.db).list()} == {"Dossier A", "Eigen Dossier"}
    s.close()


def test_plans_follow_the_worker_scope(cell):
    path, ids = cell
    s = _as(path, "ben")
    PlanRepository(s.db).save(TrajectoryPlan(worker_id=ids["wb"], counsellor="ben"))
    s.close()
    s = _as(path, "an")
    with pytest.raises(NotFound):
        PlanRepository(s.db).latest(ids["wb"])
    s.close()


def test_idle_lock_minutes_is_a_setting_only_a_beheerder_changes(tmp_path):
    from core.security import Principal, Role
    from db.accounts import DEFAULT_IDLE_LOCK_MINUTES, idle_lock_minutes, set_idle_lock_minutes
    from db.connection import open_database
    db = open_database(tmp_path / "w.db")
    assert idle_lock_minutes(db) == DEFAULT_IDLE_LOCK_MINUTES
    admin = Principal(1, "b", "B", Role.ADMIN)
    set_idle_lock_minutes(db, admin, 5)
    assert idle_lock_minutes(db) == 5
    with pytest.raises(Exception):
        set_idle_lock_minutes(db, Principal(2, "c", "C", Role.CONSULENT), 60)
    with pytest.raises(ValueError):
        set_idle_lock_minutes(db, admin, 0)
    assert idle_lock_minutes(db) == 5
    set_idle_lock_minutes(db, admin, "2,5")                   # as typed, with a decimal comma
    assert idle_lock_minutes(db) == 2.5
    for bad in ("0,5", "241", "twee", "", float("nan"), float("inf"), -1):
        with pytest.raises(ValueError, match="minuten"):
            set_idle_lock_minutes(db, admin, bad)
    assert idle_lock_minutes(db) == 2.5
    db.conn.close()


def test_an_idle_lock_setting_written_by_hand_is_read_or_falls_back_with_a_warning(tmp_path, monkeypatch):
    import db.accounts as accounts
    from db.accounts import DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_KEY, idle_lock_minutes, set_setting
    from db.connection import open_database
    warned = []
    monkeypatch.setattr(accounts.log, "warning", lambda msg, *a: warned.append(msg % a))
    db = open_database(tmp_path / "w.db")
    try:
        set_setting(db, IDLE_LOCK_KEY, "2,5")
        assert idle_lock_minutes(db) == 2.5 and not warned
        for bad in ("0", "abc", "9999"):
            set_setting(db, IDLE_LOCK_KEY, bad)
            warned.clear()
            assert idle_lock_minutes(db) == DEFAULT_IDLE_LOCK_MINUTES
            assert any(bad in w for w in warned)
    finally:
        db.conn.close()
