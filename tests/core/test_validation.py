import datetime as dt

import pytest

from core.model import Dossier, Sex, Worker
from core.validation import (compact_insz, format_insz, mask_insz, parse_insz, validate_dossier, validate_kbo,
                             validate_postcode, validate_worker)


@pytest.mark.parametrize("number,year,sex,kind", [
    ("85.07.30-033.28", 1985, Sex.M, "NN"),
    ("17.07.30-033.84", 2017, Sex.M, "NN"),
    ("93.05.18-223.61", 1993, Sex.M, "NN"),
    ("98.47.28-997.65", 1998, Sex.M, "BIS"),
    ("01.49.07-001.85", 2001, Sex.M, "BIS"),
])
def test_valid_insz_from_domain_vectors(number, year, sex, kind):
    info = parse_insz(number)
    assert info.birth_date.year == year
    assert info.sex == sex
    assert info.kind == kind


@pytest.mark.parametrize("bad,fragment", [("12345678901", "controlegetal"), ("1234", "11 cijfers"),
                                          ("", "leeg"), ("85.07.30-033.29", "controlegetal")])
def test_invalid_insz_has_dutch_message(bad, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_insz(bad)


def test_insz_read_as_number_from_spreadsheet_gets_leading_zero_back():
    # born 2005: the number starts with 0 and a spreadsheet stores it as an int or float
    from core.demo import insz_for
    n = insz_for(dt.date(2005, 1, 23), 123)
    assert n.startswith("0")
    assert compact_insz(int(n)) == n
    assert compact_insz(float(int(n))) == n
    assert parse_insz(float(int(n))).birth_date == dt.date(2005, 1, 23)


def test_mask_and_format():
    assert format_insz("85073003328") == "85.07.30-033.28"
    masked = mask_insz("85073003328")
    assert masked.endswith("3.28") and "850730" not in masked.replace(".", "")


def test_kbo_number():
    assert validate_kbo("0403.170.701") == "0403170701"
    assert validate_kbo("BE 0403 170 701") == "0403170701"
    with pytest.raises(ValueError, match="controlegetal"):
        validate_kbo("0403.170.702")
    with pytest.raises(ValueError, match="10 cijfers"):
        validate_kbo("12")


def test_postcode():
    assert validate_postcode("2500") == "2500"
    for bad in ("250", "25000", "abcd", "0999"):
        with pytest.raises(ValueError, match="Postcode"):
            validate_postcode(bad)


def test_worker_errors_name_their_field():
    today = dt.date(2026, 1, 1)
    w = Worker("", "Jan", insz="85073003328", birth_date=dt.date(1986, 7, 30), sex=Sex.V, postcode="12",
               email="geen-mail")
    fields = {e.field for e in validate_worker(w, today=today)}
    assert {"surname", "birth_date", "sex", "postcode", "email"} <= fields


def test_birth_in_future_and_dismissal_before_announcement():
    today = dt.date(2026, 1, 1)
    d = Dossier("X", announcement_date=dt.date(2025, 6, 1))
    w = Worker("A", "B", birth_date=dt.date(2027, 1, 1), dismissal_date=dt.date(2025, 1, 1))
    errs = validate_worker(w, d, today=today)
    assert any(e.field == "birth_date" and "toekomst" in e.message for e in errs)
    assert any(e.field == "dismissal_date" and "aankondiging" in e.message for e in errs)


def test_valid_worker_has_no_errors():
    w = Worker("Peeters", "Jan", insz="85073003328", birth_date=dt.date(1985, 7, 30), sex=Sex.M, postcode="2500",
               email="jan@voorbeeld.be", phone="0470 12 34 56")
    assert validate_worker(w, today=dt.date(2026, 1, 1)) == []


def test_dossier_dates_in_order():
    d = Dossier("Bedrijf", announcement_date=dt.date(2025, 5, 1), first_dismissal_date=dt.date(2025, 4, 1),
                last_dismissal_date=dt.date(2025, 3, 1))
    fields = {e.field for e in validate_dossier(d)}
    assert fields == {"first_dismissal_date", "last_dismissal_date"}


def test_insz_from_strange_spreadsheet_numbers_is_refused_cleanly():
    for value in (float("inf"), float("nan"), 1e300, -5.0, 3.5):
        with pytest.raises(ValueError):
            parse_insz(value)


def _seniority_errors(birth, start, rules=None):
    w = Worker("Claes", "Chris", birth_date=birth, seniority_start=start)
    return [e.message for e in validate_worker(w, today=dt.date(2026, 11, 28), rules=rules)
            if e.field == "seniority_start"]


def test_seniority_before_the_minimum_working_age_is_refused():
    """A seniority start three months after the birth date used to be accepted."""
    birth = dt.date(1990, 3, 15)
    assert _seniority_errors(birth, dt.date(1990, 6, 15)) == [
        "Anciënniteit begint vóór de werknemer 15 jaar werd (15/03/2005), de minimumleeftijd om te werken."]
    assert _seniority_errors(birth, dt.date(2005, 3, 14)) != []
    assert _seniority_errors(birth, dt.date(2005, 3, 15)) == []            # a student job from the 15th birthday
    assert _seniority_errors(birth, dt.date(1990, 1, 1)) == ["Anciënniteit begint vóór de geboortedatum."]
    assert _seniority_errors(None, dt.date(1990, 1, 1)) == []              # no birth date: nothing to check


def test_the_minimum_working_age_is_data():
    from core.cell_rules import CellRules, load_cell_rules
    assert load_cell_rules().min_working_age == 15
    birth = dt.date(2000, 2, 29)
    assert _seniority_errors(birth, dt.date(2016, 3, 1), CellRules(min_working_age=16)) == []
    assert _seniority_errors(birth, dt.date(2016, 2, 28), CellRules(min_working_age=16)) == [
        "Anciënniteit begint vóór de werknemer 16 jaar werd (29/02/2016), de minimumleeftijd om te werken."]
