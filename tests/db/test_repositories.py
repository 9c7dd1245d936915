import datetime as dt

import pytest

from core.demo import demo_dossier, demo_workers
from core.model import Certificate, Contact, Dossier, Experience, FunctionalLimitation, LanguageSkill, Mobility, \
    Worker, WorkerCompetence
from core.validation import ValidationError
from db.dossiers import DossierRepository, NotFound
from db.workers import WorkerRepository


@pytest.fixture
def repos(db):
    return DossierRepository(db), WorkerRepository(db)


def _worker(dossier_id, **kw):
    base = dict(surname="Peeters", first_names="Jan", insz="85.07.30-033.28", birth_date=dt.date(1985, 7, 30),
                dossier_id=dossier_id)
    base.update(kw)
    return Worker(**base)


def test_worker_round_trip_with_all_records(repos):
    dossiers, workers = repos
    d = dossiers.add(Dossier("Van Hool NV", kbo_number="0403170701", announcement_date=dt.date(2024, 3, 1)))
    w = _worker(d.id, competences=[WorkerCompetence("TIG lassen rvs", competence_id="lassen_tig", level=3)],
                experiences=[Experience(employer="Van Hool", job_title="Lasser", start_date=dt.date(2005, 1, 1))],
                certificates=[Certificate("vca_basis", "B-VCA", expiry_date=dt.date(2030, 1, 1))],
                languages=[LanguageSkill("fr", "B1", "A2")],
                limitations=[FunctionalLimitation("tillen", "max 10 kg")],
                mobility=Mobility(driving_licences=["B", "C"], own_car=True, max_commute_minutes=45))
    stored = workers.add(w)
    again = workers.get(stored.id)
    assert again.insz == "85073003328"
    assert again.competences[0].competence_id == "lassen_tig" and again.competences[0].level == 3
    assert again.experiences[0].job_title == "Lasser"
    assert again.certificates[0].expiry_date == dt.date(2030, 1, 1)
    assert again.mobility.driving_licences == ["B", "C"] and again.mobility.max_commute_minutes == 45
    assert again.limitations[0].note == "max 10 kg"
    assert workers.get(stored.id, with_limitations=False).limitations == []


def test_update_replaces_child_records_and_keeps_their_ids(repos):
    dossiers, workers = repos
    d = dossiers.add(Dossier("X"))
    w = workers.add(_worker(d.id, competences=[WorkerCompetence("a"), WorkerCompetence("b")]))
    first_uid = w.competences[0].uid
    w.competences = [w.competences[0], WorkerCompetence("c")]
    w2 = workers.update(w)
    assert [c.text for c in w2.competences] == ["a", "c"]
    assert w2.competences[0].uid == first_uid


def test_duplicate_insz_in_a_dossier_is_refused(repos):
    dossiers, workers = repos
    d = dossiers.add(Dossier("X"))
    workers.add(_worker(d.id))
    with pytest.raises(ValidationError) as e:
        workers.add(_worker(d.id, surname="Ander"))
    assert e.value.for_field("insz")
    # the same person may appear in another dossier
    d2 = dossiers.add(Dossier("Y"))
    assert workers.add(_worker(d2.id)).id


def test_invalid_worker_saves_nothing(repos, db):
    dossiers, workers = repos
    d = dossiers.add(Dossier("X"))
    with pytest.raises(ValidationError):
        workers.add(_worker(d.id, insz="12345678901", competences=[WorkerCompetence("lassen")]))
    assert workers.count() == 0
    assert db.execute("SELECT count(*) FROM worker_competences").fetchone()[0] == 0


def test_add_many_is_all_or_nothing(repos, db):
    dossiers, workers = repos
    d = dossiers.add(Dossier("X"))
    people = [_worker(d.id, insz=""), _worker(d.id, insz=""), _worker(d.id)]
    people.append(_worker(d.id))  # duplicate INSZ at the end
    with pytest.raises(ValidationError):
        workers.add_many(people, validate=False)
    assert workers.count() == 0


def test_bad_kbo_and_unknown_dossier(repos):
    dossiers, workers = repos
    with pytest.raises(ValueError):
        dossiers.add(Dossier("X", kbo_number="0403.170.702"))
    with pytest.raises(NotFound):
        dossiers.get(999)
    with pytest.raises(NotFound):
        workers.add(_worker(999))


def test_contacts_and_cascade_delete(repos, db):
    dossiers, workers = repos
    d = dossiers.add(Dossier("X"))
    w = workers.add(_worker(d.id))
    workers.add_contact(w.id, Contact(dt.date(2024, 6, 1), "intake", 2.0, "eerste gesprek"))
    with pytest.raises(ValidationError):
        workers.add_contact(w.id, Contact(dt.date(2024, 6, 2), hours=-1))
    assert [c.hours for c in workers.contacts(w.id)] == [2.0]
    dossiers.delete(d.id)
    assert workers.count() == 0
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0


def test_summaries_of_demo_dossier(repos):
    dossiers, workers = repos
    d = dossiers.add(demo_dossier())
    workers.add_many(demo_workers(40, d))
    rows = workers.summaries(d.id)
    assert len(rows) == 40
    from core.textnorm import strip_diacritics
    fold = lambda t: strip_diacritics(t.casefold())   # noqa: E731 - accents ignored, as on screen
    assert rows == sorted(rows, key=lambda r: (fold(r.surname), fold(r.first_names), r.id))
    assert dossiers.summaries()[0].worker_count == 40


def test_get_many_equals_get(repos):
    dossiers, workers = repos
    d = dossiers.add(demo_dossier())
    ids = workers.add_many(demo_workers(30, d))
    many = workers.get_many(ids)
    assert [w.id for w in many] == ids
    for w in many[:10]:
        assert w == workers.get(w.id)
