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
