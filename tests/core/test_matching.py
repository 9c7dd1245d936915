"""Competence recognition and occupation ranking on the embedded reference data."""
import datetime as dt

import pytest

from core.matching import MatchingService, WorkerProfile
from core.model import Certificate, FunctionalLimitation, Preferences, Worker, WorkerCompetence


@pytest.fixture(scope="module")
def svc():
    from core.reference import load_reference
    return MatchingService.create(load_reference())


@pytest.mark.parametrize("phrase,expected_fragment", [
    ("tig lassen rvs", "tig"), ("heftruckattest", "heftruck"), ("PLC Siemens", "plc"),
    ("MIG/MAG lassen", "mig"), ("Lassen MIG-MAG", "mig"), ("vca", "vca"), ("BA 4", "ba4"),
    ("rijbewijs CE", "rijbewijs-ce"), ("ploeg leiden", "aansturen"), ("ervaring met TIG lassen", "tig"),
])
def test_phrases_as_counsellors_type_them_are_recognised(svc, phrase, expected_fragment):
    got = svc.recognise(phrase)
    assert got is not None, phrase
    assert expected_fragment in got.competence_id
    assert 0 < got.score <= 1


@pytest.mark.parametrize("phrase", ["ik kan goed koken voor mijn kleinkinderen", "xyzzy", "", "   "])
def test_unrelated_text_is_not_forced_onto_a_competence(svc, phrase):
    assert svc.recognise(phrase) is None


def test_typing_error_still_recognised(svc):
    good = svc.recognise("heftruckattest")
    typo = svc.recognise("heftrukattest")
    assert typo is not None and typo.competence_id == good.competence_id


def test_local_synonym_is_used_from_then_on(svc):
    phrase = "werken met de grote blauwe robot"
    assert svc.recognise(phrase) is None
    target = svc.recognise("lasrobot") or svc.recognise("robot programmeren")
    assert target is not None
    svc.add_synonym(phrase, target.competence_id)
    got = svc.recognise("Werken met de grote blauwe robot!")
    assert got is not None and got.competence_id == target.competence_id and got.score == 1.0


def test_ranking_explains_itself(svc):
    p = WorkerProfile.from_dict({"job_title": "lasser", "competences": ["MAG lassen", "lasnaden controleren",
                                                                       "plannen lezen"]})
    top = svc.rank_profile(p, 5)
    best = top[0]
    assert best.isco == "7212"
    assert [m.phrase for m in best.matched if "mig" in m.competence_id] == ["MAG lassen"]
    assert best.missing_essential, "a gap must be shown"
    assert all(m.competence_id not in {x.competence_id for x in best.matched} for m in best.missing_essential)
    assert top == sorted(top, key=lambda m: -m.score)
    d = best.as_dict()
    assert {"id", "name", "isco", "score", "bottleneck", "matched", "missing"} <= set(d)


def test_more_matching_competences_score_higher(svc):
    few = svc.rank_profile(WorkerProfile.from_dict({"job_title": "", "competences": ["MIG/MAG lassen"]}))
    more = svc.rank_profile(WorkerProfile.from_dict({"job_title": "", "competences": [
        "MIG/MAG lassen", "lasnaden controleren", "lasposities", "technische tekening lezen"]}))
    score = {m.occupation_id: m.score for m in few}
    best_more = more[0]
    assert best_more.score > score[best_more.occupation_id]


def test_limits_and_preferences_give_conflicts_and_lower_scores(svc):
    base = {"job_title": "procesoperator", "competences": ["controlekamer", "procesparameters bijsturen"]}
    free = {m.occupation_id: m for m in svc.rank_profile(WorkerProfile.from_dict(base))}
    limited = {m.occupation_id: m for m in svc.rank_profile(
        WorkerProfile.from_dict(base | {"accepts_nights": False, "accepts_shifts": False}))}
    night_jobs = [o.id for o in svc.occupations if {"nacht", "ploegen"} & set(o.conditions)]
    assert night_jobs
    for oid in night_jobs:
        assert limited[oid].conflicts and not free[oid].conflicts
        assert limited[oid].score <= free[oid].score
    assert any(limited[oid].score < free[oid].score for oid in night_jobs)
    day_jobs = [o.id for o in svc.occupations if not {"nacht", "ploegen", "weekend"} & set(o.conditions)]
    assert all(limited[oid].score == free[oid].score for oid in day_jobs)


def test_worker_record_is_used_with_certificates_and_limits(svc):
    w = Worker("A", "B", previous_job_title="magazijnier",
               competences=[WorkerCompetence("orderpicken"), WorkerCompetence("scanner")],
               certificates=[Certificate("attest-heftruck", "Heftruckattest")],
               limitations=[FunctionalLimitation("tillen")],
               preferences=Preferences(accepts_nights=False))
    res = svc.rank(w, 10)
    assert res and res[0].score > 0
    heftruck = [m for m in res if "heftruck" in m.occupation_id]
    assert heftruck and any(m.competence_id == "attest-heftruck" for m in heftruck[0].matched)


def test_gap_to_training_covers_missing_essentials_with_few_trainings(svc):
    p = WorkerProfile.from_dict({"job_title": "productieoperator", "competences": ["machine bedienen"]})
    target = next(m for m in svc.rank_profile(p) if m.missing_essential)
    gap = svc.gap_trainings(target)
    taught = set().union(*(set(t.teaches) for t in gap.trainings)) if gap.trainings else set()
    missing = {m.competence_id for m in target.missing_essential}
    uncovered = {m.competence_id for m in gap.uncovered}
    assert missing - uncovered <= taught
    assert gap.total_weeks == pytest.approx(sum(t.duration_weeks_indicative for t in gap.trainings))
    # no training in the set is redundant
    for t in gap.trainings:
        rest = set().union(*(set(x.teaches) for x in gap.trainings if x is not t)) if len(gap.trainings) > 1 else set()
        assert not (missing - uncovered) <= rest


def test_source_occupation_suggests_competences(svc):
    sugg = svc.source_competences("Bandwerker")
    assert len(sugg) >= 3
    assert all(s.competence_id in svc.competences for s in sugg)
    assert svc.source_competences("astronaut") == []


def test_dossier_ranking_reports_progress_and_can_be_cancelled(svc):
    workers = [Worker("A", str(i), id=i, previous_job_title="lasser", competences=[WorkerCompetence("MIG lassen")])
               for i in range(60)]
    seen = []
    out = svc.rank_dossier(workers, progress=lambda f, t: seen.append(f), top=3)
    assert len(out) == 60 and seen[-1] == 1.0 and all(len(v) == 3 for v in out.values())
    calls = {"n": 0}

    def cancel_after_some():
        calls["n"] += 1
        return calls["n"] > 10
    partial = svc.rank_dossier(workers, is_cancelled=cancel_after_some)
    assert 0 < len(partial) < 60


def test_demo_data_speaks_the_vocabulary(svc):
    """Demo certificates use competence ids of the reference data, and most demo phrases are recognised."""
    from core.demo import demo_dossier, demo_workers
    d = demo_dossier()
    d.id = 1
    workers = demo_workers(150, d)
    kinds = {c.kind for w in workers for c in w.certificates}
    assert kinds and all(k in svc.competences for k in kinds)
    phrases = {c.text for w in workers for c in w.competences}
    recognised = [p for p in phrases if svc.recognise(p)]
    assert len(recognised) >= 0.8 * len(phrases), sorted(set(phrases) - set(recognised))


def test_an_attest_proves_what_it_certifies(svc):
    w = Worker("A", "B", previous_job_title="magazijnier",
               certificates=[Certificate("attest-heftruck", "Heftruckattest")])
    res = svc.rank(w)
    with_heftruck = [m for m in res if any(c.competence_id == "heftruck-rijden"
                                            for c in m.matched + m.missing_essential + m.missing_optional)]
    assert with_heftruck
    for m in with_heftruck:
        assert all(c.competence_id != "heftruck-rijden" for c in m.missing_essential + m.missing_optional), m.name
        assert any(c.competence_id == "heftruck-rijden" for c in m.matched)
    without = svc.rank(Worker("A", "B", previous_job_title="magazijnier"))
    assert any(c.competence_id == "heftruck-rijden" for m in without for c in m.missing_essential + m.missing_optional)


def test_a_missing_competence_is_listed_once(svc):
    # many occupations list a required certificate among their optional competences too
    res = svc.rank(Worker("A", "B", competences=[WorkerCompetence("MIG lassen")]))
    assert res
    for m in res:
        ids = [c.competence_id for c in m.missing_essential + m.missing_optional]
        assert len(ids) == len(set(ids)), m.name


def test_dossier_ranking_gives_nothing_for_a_worker_without_data(svc):
    out = svc.rank_dossier([Worker("Leeg", "Dossier", id=1),
                            Worker("A", "B", id=2, competences=[WorkerCompetence("TIG lassen")])], top=5)
    assert out[1] == []
    assert out[2] and all(m.score > 0 for m in out[2])


def test_vol_vca_counts_as_basic_vca(svc):
    """VOL-VCA is the higher level of VCA: its holder never lacks B-VCA, and no plan books B-VCA for him."""
    w = Worker("Peter", "Janssens", previous_job_title="onderhoudstechnicus",
               competences=[WorkerCompetence("elektrische schema's lezen")],
               certificates=[Certificate("vca-vol", "VCA VOL", expiry_date=dt.date(2030, 6, 1))])
    assert "vca-basis" in svc.resolve(WorkerProfile.from_worker(w))
    res = svc.rank(w)
    with_vca = [m for m in res if any(c.competence_id == "vca-basis"
                                      for c in m.matched + m.missing_essential + m.missing_optional)]
    assert with_vca
    for m in with_vca:
        assert all(c.competence_id != "vca-basis" for c in m.missing_essential + m.missing_optional), m.name
        # the B-VCA course (B-VCA, safety rules, LMRA) is not booked: VOL-VCA covers all of it
        assert all("vca-basis" not in t.teaches for t in svc.gap_trainings(m).trainings), m.name
    # a B-VCA holder is not taken to hold VOL-VCA
    basic = Worker("A", "B", certificates=[Certificate("vca-basis", "VCA")])
    assert "vca-vol" not in svc.resolve(WorkerProfile.from_worker(basic))


def _all_listed(m):
    return {c.competence_id for c in m.matched + m.missing_essential + m.missing_optional}


def test_shift_readiness_comes_from_the_preferences(svc):
    """Ticking Ploegen, Nacht and Weekend is readiness for shift work: never a competence to acquire."""
    w = Worker("Karim", "El Amrani", previous_job_title="operator assemblagelijn",
               competences=[WorkerCompetence("lijnwerk"), WorkerCompetence("heftruck rijden")])
    res = [m for m in svc.rank(w) if "ploegenwerk" in _all_listed(m)]
    assert res
    for m in res:
        hit = next(c for c in m.matched if c.competence_id == "ploegenwerk")
        assert hit.phrase == "voorkeuren: ploegen, nacht en weekend"
        assert "ploegenwerk" not in {c.competence_id for c in m.missing_essential + m.missing_optional}


def test_partly_declined_shift_work_is_a_conflict_not_a_gap(svc):
    w = Worker("A", "B", previous_job_title="operator assemblagelijn",
               competences=[WorkerCompetence("lijnwerk")], preferences=Preferences(accepts_weekends=False))
    asking_ids = {o.id for o in svc.occupations
                  if any(getattr(oc, "id", getattr(oc, "competence_id", "")) == "ploegenwerk" for oc in o.competences)}
    asking = [m for m in svc.rank(w) if m.occupation_id in asking_ids]
    assert asking
    for m in asking:
        assert "ploegenwerk" not in _all_listed(m), m.name
        # one conflict about weekend work, from the conditions or from the competence, never two
        assert sum("eekend" in c for c in m.conflicts) == 1, (m.name, m.conflicts)
    # a night-work limitation declines it too
    lim = Worker("A", "B", competences=[WorkerCompetence("lijnwerk")],
                 limitations=[FunctionalLimitation("nachtwerk")])
    assert "ploegenwerk" not in svc.resolve(WorkerProfile.from_worker(lim))


def test_shift_readiness_alone_is_no_profile(svc):
    only_title = svc.rank(Worker("A", "B", previous_job_title="operator assemblagelijn"))
    shown = [m for m in only_title if "ploegenwerk" in _all_listed(m)]
    assert shown and all(any(c.competence_id == "ploegenwerk" for c in m.matched) for m in shown)
    assert "ploegenwerk" not in svc.resolve(WorkerProfile.from_worker(Worker("A", "B")))


def test_a_json_profile_without_preferences_says_nothing_about_shift_work(svc):
    bare = WorkerProfile.from_dict({"competences": ["lijnwerk"]})
    assert "ploegenwerk" not in svc.resolve(bare)
    said = WorkerProfile.from_dict({"competences": ["lijnwerk"], "accepts_nights": True})
    assert "ploegenwerk" in svc.resolve(said)


def test_a_phrase_naming_two_competences_gives_both_also_when_confirmed(svc):
    assert {s.competence_id for s in svc.matcher.recognise_all("tig lassen rvs")} == {"lassen-tig", "rvs-verwerken"}
    w = Worker("Jan", "Verhaegen", previous_job_title="lasser",
               competences=[WorkerCompetence("tig lassen rvs", "lassen-tig", 1.0, level=4),
                            WorkerCompetence("tig lassen aluminium", "lassen-aluminium", 1.0, level=4)])
    held = svc.resolve(WorkerProfile.from_worker(w))
    assert held["rvs-verwerken"][1] == "tig lassen rvs"
    for m in svc.rank(w):
        assert "rvs-verwerken" not in {c.competence_id for c in m.missing_essential + m.missing_optional}
    # the counsellor's pick is kept: words it explains add nothing
    only = Worker("A", "B", competences=[WorkerCompetence("tig lassen", "lassen-tig", 1.0)])
    assert set(svc.resolve(WorkerProfile.from_worker(only))) <= {"lassen-tig", "ploegenwerk"}


def test_source_competences_follow_the_job_not_the_statute(svc):
    # a statute names no job
    assert svc.source_competences("Arbeider") == []
    assert svc.source_competences("bediende") == []
    # a compound with a statute word is matched on its other words
    line = {s.competence_id for s in svc.source_competences("lijnarbeider")}
    assert line and "orderpicking" not in line and "scanner-wms" not in line
    assert "orderpicking" in {s.competence_id for s in svc.source_competences("magazijnarbeider")}
    # a bottleneck occupation held before proposes its own essential competences
    tig = svc.source_competences("Lasser TIG")
    assert "lassen-tig" in {s.competence_id for s in tig}
    assert svc.source_competences("Onderhoudstechnicus")
    # French titles
    for title, cid in [("cariste", "heftruck-rijden"), ("magasinier", "orderpicking"), ("soudeur", None),
                       ("ouvrier de production", None), ("technicien de maintenance", None)]:
        got = {s.competence_id for s in svc.source_competences(title)}
        assert got, title
        assert cid is None or cid in got, title
        assert not {"administratie", "data-invoer"} & got, title


def test_every_part_of_the_score_is_given(svc):
    w = Worker("Marleen", "De Smet", previous_job_title="productiemedewerker",
               competences=[WorkerCompetence("productiemedewerker")])
    for m in svc.rank(w, 5):
        total = (m.part_competences + m.part_title + m.part_certificates + m.part_transition - m.part_conflicts)
        assert m.score == pytest.approx(max(0.0, min(1.0, total)))
    top = svc.rank(w, 1)[0]
    assert top.part_title > 0 and top.title_from == "productiemedewerker"


def test_a_lifting_limitation_conflicts_with_orderpicking(svc):
    w = Worker("A", "B", previous_job_title="magazijnier", competences=[WorkerCompetence("orderpicken")],
               limitations=[FunctionalLimitation("tillen", "niet tillen boven 10 kg")])
    op = next(m for m in svc.rank(w) if m.occupation_id == "orderpicker")
    assert any("Zwaar werk" in c for c in op.conflicts)


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_a_competence_an_attest_proves_shows_the_workers_own_words_when_there_are_some(svc, level):
    """Heftruck besturen matched through the Heftruckattest: the details show "heftruck rijden" when the
    worker said so (whatever the level), and the attest's name when he said nothing about it."""
    from core.model import Certificate
    cert = Certificate("attest-heftruck", "Heftruckattest")
    own = Worker("Jan", "Peeters", previous_job_title="magazijnier", certificates=[cert],
                 competences=[WorkerCompetence("heftruck rijden", "heftruck-rijden", 1.0, level=level)])
    held = svc.resolve(WorkerProfile.from_worker(own))
    assert held["heftruck-rijden"][1] == "heftruck rijden" and held["attest-heftruck"][1] == "Heftruckattest"
    assert held["heftruck-rijden"][0] >= 1.0                 # the attest still gives its strength
    shown = {m.competence_id: m.phrase for o in svc.rank(own, 5) for m in o.matched}
    assert shown["heftruck-rijden"] == "heftruck rijden"
    only = Worker("Jan", "Peeters", previous_job_title="magazijnier", certificates=[cert])
    held = svc.resolve(WorkerProfile.from_worker(only))
    assert held["heftruck-rijden"][1] == "Heftruckattest"


def test_a_previous_job_that_is_the_occupation_is_no_transition(svc):
    w = Worker("Jan", "Peeters", previous_job_title="Heftruckchauffeur")
    by_id = {m.occupation_id: m for m in svc.rank(w)}
    same, other = by_id["heftruckchauffeur"], by_id["reachtruckchauffeur"]
    assert same.part_transition > 0 and same.transition_same
    assert other.part_transition > 0 and not other.transition_same
