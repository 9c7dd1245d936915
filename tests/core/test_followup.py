import datetime as dt

from core.cell_rules import CellRules
from core.followup import (KIND_CERTIFICATE, KIND_CONTACT, KIND_HOURS, KIND_REGISTRATION, KIND_SIGNATURE,
                           certificate_state, dossier_todo, worker_todo)
from core.model import Certificate, Contact, Dossier, Worker, WorkerStatus

TODAY = dt.date(2024, 6, 1)
RULES = CellRules()
DOSSIER = Dossier("Van Hool NV", announcement_date=dt.date(2024, 1, 15), cell_start_date=dt.date(2024, 3, 1))


def worker(wid=1, **kw) -> Worker:
    base = dict(surname="Peeters", first_names="Jan", birth_date=dt.date(1985, 7, 30), id=wid,
                dismissal_date=dt.date(2024, 4, 15))
    base.update(kw)
    return Worker(**base)


def kinds(items):
    return sorted(i.kind for i in items)


def test_certificate_state():
    assert certificate_state(None, TODAY) == ""
    assert certificate_state(dt.date(2024, 5, 31), TODAY) == "expired"
    assert certificate_state(TODAY, TODAY) == "expiring"
    assert certificate_state(dt.date(2024, 8, 30), TODAY) == "expiring"      # 90 days
    assert certificate_state(dt.date(2024, 8, 31), TODAY) == ""


def test_no_contact_for_thirty_days_and_never_contacted():
    w = worker()
    items = worker_todo(w, [Contact(dt.date(2024, 5, 1), hours=20)], DOSSIER, RULES, TODAY)
    assert [i.kind for i in items] == [KIND_CONTACT]
    assert "01/05/2024" in items[0].text and "31 dagen" in items[0].text
    assert worker_todo(w, [Contact(dt.date(2024, 5, 10), hours=20)], DOSSIER, RULES, TODAY) == []
    never = worker_todo(w, [], DOSSIER, RULES, TODAY)
    assert KIND_CONTACT in kinds(never) and any("Nog geen contact" in i.text for i in never)


def test_registration_ending_within_two_weeks():
    # under 45 at the announcement: 3 months from 10 March -> 10 June, within two weeks
    w = worker(dismissal_date=dt.date(2024, 3, 10))
    items = worker_todo(w, [Contact(dt.date(2024, 5, 5), hours=30)], DOSSIER, RULES, TODAY)
    assert kinds(items) == [KIND_REGISTRATION]
    assert items[0].due == dt.date(2024, 6, 10)


def test_hours_behind_schedule_and_frontloading():
    w = worker(dismissal_date=dt.date(2024, 4, 1))     # front-load deadline 1 June
    items = worker_todo(w, [Contact(dt.date(2024, 5, 20), hours=4)], DOSSIER, RULES, TODAY)
    assert kinds(items) == [KIND_HOURS]
    assert "4 van 20 uur" in items[0].text
    ok = worker_todo(w, [Contact(dt.date(2024, 5, 20), hours=21)], DOSSIER, RULES, TODAY)
    assert ok == []


def test_people_at_work_are_not_chased_but_certificates_still_count():
    w = worker(status=WorkerStatus.AAN_HET_WERK,
               certificates=[Certificate("VCA", "VCA basis", expiry_date=dt.date(2024, 7, 1)),
                             Certificate("heftruck", "Heftruck", expiry_date=dt.date(2024, 1, 1))])
    items = worker_todo(w, [], DOSSIER, RULES, TODAY)
    assert kinds(items) == [KIND_CERTIFICATE, KIND_CERTIFICATE]
    assert [i.urgent for i in sorted(items, key=lambda i: i.due)] == [True, False]
    assert worker_todo(worker(status=WorkerStatus.UITGESTROOMD, certificates=w.certificates), [], DOSSIER, RULES,
                       TODAY) == []


def test_dossier_todo_sorts_urgent_first_and_lists_plans():
    a = worker(1, surname="Aerts", certificates=[Certificate("VCA", "VCA", expiry_date=dt.date(2024, 2, 1))])
    b = worker(2, surname="Baert")
    contacts = {1: [Contact(dt.date(2024, 5, 25), hours=25)], 2: [Contact(dt.date(2024, 5, 28), hours=25)]}
    items = dossier_todo([a, b], contacts, [(2, 7)], DOSSIER, RULES, TODAY)
    assert [i.kind for i in items] == [KIND_CERTIFICATE, KIND_SIGNATURE]
    assert items[0].urgent and items[1].plan_id == 7 and items[1].worker_name == "Jan Baert"


def test_repository_loads_a_dossier_in_a_few_queries(db):
    from db.dossiers import DossierRepository
    from db.workers import WorkerRepository
    from cli.cmd_demo import create_demo
    did, n = create_demo(db, 40)
    repo = WorkerRepository(db)
    statements = []
    db.conn.set_trace_callback(statements.append)
    workers, contacts = repo.load_for_followup(did)
    full = repo.load_dossier(did)
    db.conn.set_trace_callback(None)
    assert len(statements) <= 10
    assert len(workers) == n == len(full)
    one = repo.get(full[3].id)
    assert full[3] == one
    assert workers[3].certificates == one.certificates
    assert contacts.get(one.id, []) == repo.contacts(one.id)
    items = dossier_todo(workers, contacts, [], DossierRepository(db).get(did), RULES, dt.date.today())
    assert all(i.worker_id in {w.id for w in workers} for i in items)


def test_plan_followup_moments_show_from_a_week_before_until_a_contact_on_or_after_them():
    from core.followup import KIND_FOLLOWUP, followup_todo
    w = worker(dismissal_date=dt.date(2024, 4, 15))
    moment, later = dt.date(2024, 6, 15), dt.date(2024, 7, 15)
    early = [Contact(dt.date(2024, 5, 20), hours=25)]

    def on(day, contacts=early):
        return [i for i in followup_todo(w, contacts, 9, [moment, later], day)]
    assert on(dt.date(2024, 6, 7)) == []                                   # more than a week ahead
    items = on(dt.date(2024, 6, 8))
    assert [(i.kind, i.due, i.urgent, i.plan_id) for i in items] == [(KIND_FOLLOWUP, moment, False, 9)]
    assert items[0].text == "Opvolgmoment uit het trajectplan op 15/06/2024."
    missed = on(dt.date(2024, 6, 16))
    assert missed[0].urgent and "nog geen contact geregistreerd" in missed[0].text
    assert on(dt.date(2024, 6, 20), early + [Contact(dt.date(2024, 6, 14), hours=1)])[0].urgent   # before: no
    assert on(dt.date(2024, 6, 20), early + [Contact(dt.date(2024, 6, 15), hours=1)]) == []     # on the day
    both = on(dt.date(2024, 7, 10))
    assert [i.due for i in both] == [moment, later]
    assert followup_todo(worker(status=WorkerStatus.AAN_HET_WERK), [], 9, [moment], dt.date(2024, 6, 16)) == []


def test_dossier_todo_lists_plan_followups():
    from core.followup import KIND_FOLLOWUP
    a = worker(1)
    contacts = {1: [Contact(dt.date(2024, 5, 25), hours=25)]}
    items = dossier_todo([a], contacts, [], DOSSIER, RULES, TODAY, plan_followups={1: (3, [dt.date(2024, 6, 3)])})
    assert [(i.kind, i.plan_id) for i in items] == [(KIND_FOLLOWUP, 3)]
    assert dossier_todo([a], contacts, [], DOSSIER, RULES, TODAY) == []


def test_repository_gives_the_followups_of_the_latest_plans(db):
    from db.dossiers import DossierRepository
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    from core.model import TrajectoryPlan
    d = DossierRepository(db).add(Dossier("Busbouw NV", announcement_date=dt.date(2026, 9, 15)))
    workers = WorkerRepository(db)
    jan = workers.add(Worker("Verhaegen", "Jan", dossier_id=d.id))
    els = workers.add(Worker("Evers", "Els", dossier_id=d.id))
    plans = PlanRepository(db)
    first = plans.save(TrajectoryPlan(worker_id=jan.id, followups=[dt.date(2026, 12, 1)]))
    plans.mark_printed(first.id)
    second = plans.new_version(first.id)
    second.followups = [dt.date(2026, 12, 15), dt.date(2027, 1, 15)]
    second = plans.save(second)
    plans.save(TrajectoryPlan(worker_id=els.id))
    assert plans.followups(d.id) == {jan.id: (second.id, [dt.date(2026, 12, 15), dt.date(2027, 1, 15)], True)}


def test_only_the_current_plan_version_gives_moments_and_a_concept_says_so(db):
    """A worker's to-do list follows the latest version of his plan: the moments of the versions it replaced
    never show (not even when the latest has none); a version not yet printed is named a concept."""
    from core.followup import KIND_FOLLOWUP
    from core.model import TrajectoryPlan
    from db.dossiers import DossierRepository
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    d = DossierRepository(db).add(Dossier("Busbouw NV", announcement_date=dt.date(2026, 9, 15)))
    workers = WorkerRepository(db)
    jan = workers.add(Worker("Verhaegen", "Jan", dossier_id=d.id, dismissal_date=dt.date(2026, 10, 15)))
    els = workers.add(Worker("Evers", "Els", dossier_id=d.id, dismissal_date=dt.date(2026, 10, 15)))
    plans = PlanRepository(db)
    today = dt.date(2026, 11, 28)

    def moments(wid: int) -> list[tuple[dt.date, bool, str]]:
        ws = [w for w in (workers.get(jan.id), workers.get(els.id)) if w.id == wid]
        items = dossier_todo(ws, {}, [], d, RULES, today, plan_followups=plans.followups(d.id))
        return [(i.due, i.urgent, i.text) for i in items if i.kind == KIND_FOLLOWUP]

    # the only version, a concept: what was agreed at the intake shows, said to be a concept
    intake = plans.save(TrajectoryPlan(worker_id=jan.id, followups=[dt.date(2026, 11, 20), dt.date(2026, 12, 1)]))
    assert moments(jan.id) == [
        (dt.date(2026, 11, 20), True, "Opvolgmoment uit het trajectplan (nog een concept) op 20/11/2026: nog geen "
                                      "contact geregistreerd."),
        (dt.date(2026, 12, 1), False, "Opvolgmoment uit het trajectplan (nog een concept) op 01/12/2026.")]
    # printed: the same moments, no longer a concept
    plans.mark_printed(intake.id)
    assert [t for _, _, t in moments(jan.id)] == [
        "Opvolgmoment uit het trajectplan op 20/11/2026: nog geen contact geregistreerd.",
        "Opvolgmoment uit het trajectplan op 01/12/2026."]
    # a new version with other moments replaces the old ones: only its own show
    second = plans.new_version(intake.id)
    second.followups = [dt.date(2026, 12, 3)]
    plans.save(second)
    assert moments(jan.id) == [(dt.date(2026, 12, 3), False, "Opvolgmoment uit het trajectplan (nog een concept) "
                                                             "op 03/12/2026.")]
    # a later version without moments: nothing of the earlier versions comes back
    third = plans.new_version(plans.mark_printed(second.id).id)
    third.followups = []
    plans.save(third)
    assert moments(jan.id) == [] and jan.id not in plans.followups(d.id)
    # another worker's plan is his own
    plans.mark_printed(plans.save(TrajectoryPlan(worker_id=els.id, followups=[dt.date(2026, 12, 2)])).id)
    assert moments(els.id) == [(dt.date(2026, 12, 2), False, "Opvolgmoment uit het trajectplan op 02/12/2026.")]


BUSBOUW = Dossier("Busbouw Koningshooikt NV", announcement_date=dt.date(2026, 9, 15))


def hours_texts(items):
    return [(i.text, i.urgent) for i in items if i.kind == KIND_HOURS]


def test_after_the_front_loading_window_the_running_hours_item_shows():
    # Jan: 45+ at the announcement, dismissed 15/10/2026: 20 h until 15/12/2026, 60 h until 15/04/2027
    jan = worker(31, surname="Verhaegen", birth_date=dt.date(1968, 2, 1), dismissal_date=dt.date(2026, 10, 15))
    contacts = [Contact(dt.date(2026, 10, 20), hours=2)]
    during = hours_texts(worker_todo(jan, contacts, BUSBOUW, RULES, dt.date(2026, 12, 10)))
    assert during == [("2 van 20 uur outplacement in de eerste twee maanden (tot 15/12/2026).", False)]
    after = hours_texts(worker_todo(jan, contacts, BUSBOUW, RULES, dt.date(2027, 4, 1)))
    assert after == [("2 van 20 uur outplacement in de eerste twee maanden (tot 15/12/2026).", True),
                     ("2 van 60 uur outplacement gebruikt; inschrijving tot 15/04/2027.", False)]
    # the shortfall stays while he is followed, the missed front-loading no longer
    later = hours_texts(worker_todo(jan, contacts, BUSBOUW, RULES, dt.date(2027, 5, 20)))
    assert later == [("2 van 60 uur outplacement gebruikt; de inschrijving liep af op 15/04/2027.", True)]
    enough = contacts + [Contact(dt.date(2027, 3, 1), hours=58)]
    assert hours_texts(worker_todo(jan, enough, BUSBOUW, RULES, dt.date(2027, 5, 20))) == []
    gone = worker(31, birth_date=dt.date(1968, 2, 1), dismissal_date=dt.date(2026, 10, 15),
                  status=WorkerStatus.AAN_HET_WERK)
    assert hours_texts(worker_todo(gone, contacts, BUSBOUW, RULES, dt.date(2027, 5, 20))) == []


def test_a_shortfall_long_after_the_registration_stays_visible():
    # Karim: under 45, dismissed 31/10/2026: 30 h until 31/01/2027
    karim = worker(32, surname="El Amrani", first_names="Karim", birth_date=dt.date(1988, 6, 1),
                   dismissal_date=dt.date(2026, 10, 31))
    items = hours_texts(worker_todo(karim, [Contact(dt.date(2026, 11, 5), hours=1.5)], BUSBOUW, RULES,
                                    dt.date(2027, 5, 20)))
    assert items == [("1,5 van 30 uur outplacement gebruikt; de inschrijving liep af op 31/01/2027.", True)]
