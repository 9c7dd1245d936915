import datetime as dt

from core.cell_rules import CellRules, add_months, age_on, compute_figures
from core.model import Contact, Dossier, Worker

RULES = CellRules()
ANN = dt.date(2024, 4, 8)
DOSSIER = Dossier("X", announcement_date=ANN)


def _worker(birth, seniority=None, dismissal=dt.date(2024, 6, 1)):
    return Worker("A", "B", birth_date=birth, seniority_start=seniority, dismissal_date=dismissal)


def test_age_is_taken_at_the_announcement_date():
    # 45th birthday one day after the announcement: still "under 45"
    w = _worker(dt.date(1979, 4, 9))
    f = compute_figures(w, DOSSIER, [], RULES)
    assert f.age_at_announcement == 44
    assert f.min_registration_months == 3 and f.min_outplacement_hours == 30
    w = _worker(dt.date(1979, 4, 8))
    f = compute_figures(w, DOSSIER, [], RULES)
    assert f.age_at_announcement == 45
    assert f.min_registration_months == 6 and f.min_outplacement_hours == 60
    assert f.registration_end == dt.date(2024, 12, 1)


def test_isv_needs_one_year_seniority():
    young = compute_figures(_worker(dt.date(1990, 1, 1), seniority=ANN - dt.timedelta(days=200)), DOSSIER, [], RULES)
    assert young.isv_eligible is False and young.isv_months is None
    old = compute_figures(_worker(dt.date(1960, 1, 1), seniority=dt.date(2000, 1, 1)), DOSSIER, [], RULES)
    assert old.isv_eligible is True and old.isv_months == 6


def test_frontload_hours_at_risk():
    w = _worker(dt.date(1960, 1, 1))
    contacts = [Contact(dt.date(2024, 6, 10), hours=5)]
    f = compute_figures(w, DOSSIER, contacts, RULES)
    assert f.frontload_deadline == dt.date(2024, 8, 1)
    assert not f.frontload_at_risk(dt.date(2024, 6, 15))
    assert f.frontload_at_risk(dt.date(2024, 7, 25))
    contacts.append(Contact(dt.date(2024, 7, 1), hours=15))
    assert not compute_figures(w, DOSSIER, contacts, RULES).frontload_at_risk(dt.date(2024, 7, 25))


def test_rules_come_from_data_not_constants():
    custom = CellRules(age_threshold=50, outplacement_hours_over=80)
    f = compute_figures(_worker(dt.date(1977, 1, 1)), DOSSIER, [], custom)
    assert f.older is False and f.min_outplacement_hours == 30
    f = compute_figures(_worker(dt.date(1960, 1, 1)), DOSSIER, [], custom)
    assert f.min_outplacement_hours == 80


def test_month_arithmetic_clamps_to_month_end():
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert age_on(dt.date(2000, 2, 29), dt.date(2024, 2, 28)) == 23


def test_rules_file_supplies_every_cell_rule():
    from dataclasses import fields

    from core.cell_rules import load_cell_rules
    from core.reference import load_reference
    rules = load_reference().rules
    loaded = load_cell_rules()
    for f in fields(CellRules):
        if f.name != "version":
            assert f.name in rules.values(), f"rules.toml lacks {f.name}"
            assert getattr(loaded, f.name) == rules.value(f.name)
    assert loaded.age_threshold == 45 and loaded.outplacement_hours_over == 60


def test_hours_count_the_same_way_for_the_twenty_and_the_total():
    # Peter: intake during the notice period (before the dismissal), a typo 1990 for 2026, hours later on
    d = Dossier("Busbouw NV", announcement_date=dt.date(2026, 9, 15))
    w = Worker("Janssens", "Peter", birth_date=dt.date(1975, 3, 2), dismissal_date=dt.date(2026, 12, 31))
    contacts = [Contact(dt.date(2026, 11, 20), hours=2),      # before the registration start: counts in both
                Contact(dt.date(1990, 1, 1), hours=1),        # before the announcement: counts in neither
                Contact(dt.date(2027, 1, 20), hours=4),       # within the first two months
                Contact(dt.date(2027, 4, 1), hours=3)]        # after them: only the total
    f = compute_figures(w, d, contacts, RULES)
    assert f.frontload_deadline == dt.date(2027, 2, 28)
    assert f.hours_in_frontload == 6 and f.hours_used == 9
    assert f.hours_in_frontload <= f.hours_used
    # without an announcement date the cell's start is where counting begins
    no_ann = Dossier("Busbouw NV", cell_start_date=dt.date(2026, 10, 1))
    assert compute_figures(w, no_ann, contacts, RULES).hours_used == 9
    assert compute_figures(w, None, contacts, RULES).hours_used == 10


def test_contact_dates_before_the_announcement_or_the_birth_are_refused():
    from core.followup import contact_date_problem
    today = dt.date(2026, 11, 28)
    d = Dossier("Busbouw NV", announcement_date=dt.date(2026, 9, 15))
    w = Worker("De Smet", "Marleen", birth_date=dt.date(1971, 5, 4))
    assert contact_date_problem(dt.date(1990, 1, 1), w, d, today) == (
        "Een contact kan niet vóór de aankondiging van het collectief ontslag (15/09/2026) liggen. Controleer het jaar.")
    assert contact_date_problem(dt.date(1970, 1, 1), w, None, today) == (
        "Een contact kan niet op of vóór de geboortedatum van de werknemer (04/05/1971) liggen. Controleer het jaar.")
    assert "toekomst" in contact_date_problem(dt.date(2026, 11, 30), w, d, today)
    assert "start van de tewerkstellingscel (01/10/2026)" in contact_date_problem(
        dt.date(2026, 9, 20), w, Dossier("X", cell_start_date=dt.date(2026, 10, 1)), today)
    for ok in (dt.date(2026, 9, 15), dt.date(2026, 11, 28), dt.date(2026, 11, 29)):
        assert contact_date_problem(ok, w, d, today) is None
    assert contact_date_problem(dt.date(2000, 1, 1), None, None, today) is None
