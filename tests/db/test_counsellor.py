"""The worker's own counsellor: who gets it, who may change it, and limitations that are never
dropped without a word (docs/SECURITY.md: health data only for the own counsellor and the coordinator)."""
import pytest

from core.errors import UserError
from core.model import Dossier, FunctionalLimitation, Worker
from core.security import AccessDenied, KdfParams, Principal, Role
from db.accounts import AccountRepository, bind
from db.audit import AuditLog
from db.connection import open_database
from db.dossiers import DossierRepository, NotFound
from db.workers import WorkerRepository

PW = "Proef-Sleutel-2026!"


@pytest.fixture
def cell(tmp_path):
    """Dossier A with consulenten An and Cas, dossier B with Ben; a beheerder and a coordinator who are
    assigned to nothing. Worker ``own`` is Cas's; ``free`` has no counsellor yet (the coordinator noted a
    limitation); ``other`` is in dossier B."""
    db = open_database(tmp_path / "cel.db")
    accounts = AccountRepository(db, principal=None, audit=None, kdf=KdfParams.INSECURE_FAST)
    who = {}
    for login, name, role in (("beheer", "Bea Heerder", Role.ADMIN), ("kim", "Kim Coördinator", Role.COORDINATOR),
                              ("an", "An Peeters", Role.CONSULENT), ("cas", "Cas Claes", Role.CONSULENT),
                              ("ben", "Ben Janssens", Role.CONSULENT)):
        acc = accounts.add(login, name, role, PW)
        who[login] = Principal(acc.id, acc.login, acc.name, acc.role)
    dossiers = DossierRepository(db, principal=None, audit=None)
    a, b = dossiers.add(Dossier("Dossier A")), dossiers.add(Dossier("Dossier B"))
    for login, d in (("an", a), ("cas", a), ("ben", b)):
        accounts.assign(d.id, who[login].account_id)
    system = WorkerRepository(db, principal=None, audit=None)
    ids = {"a": a.id, "b": b.id}
    ids["own"] = system.add(Worker("Aerts", "Alma", dossier_id=a.id, counsellor="cas",
                                   limitations=[FunctionalLimitation("tillen", "max. 10 kg")])).id
    ids["free"] = system.add(Worker("Baert", "Bart", dossier_id=a.id,
                                    limitations=[FunctionalLimitation("nachtwerk", "geen nachtploeg")])).id
    ids["other"] = system.add(Worker("Bosmans", "Bert", dossier_id=b.id)).id
    yield db, who, ids
    db.conn.close()


def repo(db, principal, audit=None):
    return WorkerRepository(db, principal=principal, audit=audit)


def stored_counsellor(db, wid):
    return db.conn.execute("SELECT counsellor FROM workers WHERE id = ?", [wid]).fetchone()[0]


def test_a_consulents_new_worker_is_hers_and_her_limitations_survive_a_reopen(cell):
    db, who, ids = cell
    an = repo(db, who["an"])
    w = an.add(Worker("Claes", "Hilde", dossier_id=ids["a"]))
    assert w.counsellor == "an" and an.may_see_limitations(w)
    w.limitations.append(FunctionalLimitation("tillen", "niet langer dan 2 uur rechtstaan"))
    an.update(w)
    again = repo(db, who["an"]).get(w.id)                          # a new repository: read from the file
    assert [(x.kind, x.note) for x in again.limitations] == [("tillen", "niet langer dan 2 uur rechtstaan")]
    # the coordinator sees them too; a colleague on the same dossier does not
    assert [x.note for x in repo(db, who["kim"]).get(w.id).limitations] == ["niet langer dan 2 uur rechtstaan"]
    assert repo(db, who["cas"]).get(w.id).limitations == []


def test_who_registers_a_worker_by_hand_or_by_list(cell):
    db, who, ids = cell
    assert repo(db, who["beheer"]).add(Worker("Dewulf", "Dirk", dossier_id=ids["a"])).counsellor == "beheer"
    assert repo(db, who["kim"]).add(Worker("Evers", "Els", dossier_id=ids["a"])).counsellor == ""
    # an employer's list (or the demo): the importing consulent, never a beheerder or coordinator
    an_ids = repo(db, who["an"]).add_many([Worker("Fox", "Fien", dossier_id=ids["a"])])
    admin_ids = repo(db, who["beheer"]).add_many([Worker("Goris", "Gert", dossier_id=ids["a"])])
    assert stored_counsellor(db, an_ids[0]) == "an" and stored_counsellor(db, admin_ids[0]) == ""
    # nobody but the coordinator registers a worker for someone else
    with pytest.raises(AccessDenied):
        repo(db, who["an"]).add(Worker("Hermans", "Hans", dossier_id=ids["a"], counsellor="cas"))
    assert repo(db, who["kim"]).add(Worker("Hermans", "Hans", dossier_id=ids["a"], counsellor="CAS")).counsellor == "cas"


def test_the_demo_of_a_consulent_is_hers(cell):
    from cli.cmd_demo import create_demo
    db, who, ids = cell
    bind(db, who["an"], None)
    dossier_id, n = create_demo(db, 3)
    assert {r[0] for r in db.conn.execute("SELECT counsellor FROM workers WHERE dossier_id = ?", [dossier_id])} == {"an"}
    bind(db, who["beheer"], None)
    dossier_id, n = create_demo(db, 3)
    assert {r[0] for r in db.conn.execute("SELECT counsellor FROM workers WHERE dossier_id = ?", [dossier_id])} == {""}


def test_a_worker_without_counsellor_is_taken_on_by_a_consulent_of_the_dossier(cell):
    db, who, ids = cell
    audit = AuditLog(db, "an")
    an = repo(db, who["an"], audit)
    free = an.get(ids["free"])
    assert free.limitations == [] and an.may_take_on(free)
    # not assigned to the dossier: not for the beheerder, and Ben does not even see the worker
    assert not repo(db, who["beheer"]).may_take_on(free)
    with pytest.raises(AccessDenied):
        repo(db, who["beheer"]).take_on(ids["free"])
    with pytest.raises(NotFound):
        repo(db, who["ben"]).take_on(ids["free"])
    assert an.take_on(ids["free"]) == "an"
    assert [x.note for x in an.get(ids["free"]).limitations] == ["geen nachtploeg"]
    assert audit.entries(action="change")[-1].details["fields"] == ["counsellor"]
    # taken: a colleague on the same dossier can no longer take the worker, nor steal it by saving
    cas = repo(db, who["cas"])
    assert not cas.may_take_on(cas.get(ids["free"]))
    with pytest.raises(AccessDenied):
        cas.take_on(ids["free"])
    w = cas.get(ids["free"])
    w.counsellor = "cas"
    with pytest.raises(AccessDenied):
        cas.update(w, validate=False)
    assert stored_counsellor(db, ids["free"]) == "an"


def test_only_the_coordinator_assigns_any_counsellor(cell):
    db, who, ids = cell
    kim = repo(db, who["kim"])
    assert kim.counsellor_choices(ids["a"]) == [("an", "An Peeters"), ("cas", "Cas Claes"), ("kim", "Kim Coördinator")]
    assert repo(db, who["an"]).counsellor_choices(ids["a"]) == []
    assert kim.set_counsellor(ids["own"], "an") == "an"
    with pytest.raises(UserError, match="geen actief account"):
        kim.set_counsellor(ids["own"], "niemand")
    assert kim.set_counsellor(ids["own"], "") == ""
    for login in ("beheer", "an"):                               # not theirs to hand over
        with pytest.raises(AccessDenied):
            repo(db, who[login]).set_counsellor(ids["other"] if login == "beheer" else ids["own"], "cas")
    assert repo(db, who["an"]).counsellor_name("an") == "An Peeters"
    assert repo(db, who["an"]).counsellor_name("Oud Gegeven") == "Oud Gegeven"


def test_limitations_of_a_worker_one_may_not_see_are_refused_not_dropped(cell):
    db, who, ids = cell
    an = repo(db, who["an"])
    w = an.get(ids["own"])                                       # Cas's worker: loaded without limitations
    assert w.limitations == [] and not an.may_see_limitations(w)
    w.phone = "011 22 33 44"
    an.update(w, validate=False)                                 # saving the rest leaves them alone
    w.limitations = [FunctionalLimitation("rug", "niet bukken")]
    with pytest.raises(AccessDenied, match="niets bewaard"):
        an.update(w, validate=False)
    kept = repo(db, None).get(ids["own"])
    assert [x.note for x in kept.limitations] == ["max. 10 kg"] and kept.phone == "011 22 33 44"


def test_worker_lists_sort_names_without_regard_to_accents(tmp_path):
    db = open_database(tmp_path / "s.db")
    d = DossierRepository(db).add(Dossier("Sorteer NV"))
    repo = WorkerRepository(db)
    for surname in ("Yilmaz", "Çelik", "Claes", "Ölmez", "Beeckman"):
        repo.add(Worker(surname, "X", dossier_id=d.id))
    assert [s.surname for s in repo.summaries(d.id)] == ["Beeckman", "Çelik", "Claes", "Ölmez", "Yilmaz"]
