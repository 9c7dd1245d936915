import datetime as dt

import pytest

from core.dates import format_date, parse_date


@pytest.mark.parametrize("text,expected", [
    ("30/07/1985", dt.date(1985, 7, 30)), ("3/7/85", dt.date(1985, 7, 3)), ("30-07-1985", dt.date(1985, 7, 30)),
    ("30.07.1985", dt.date(1985, 7, 30)), ("1985-07-30", dt.date(1985, 7, 30)), ("30071985", dt.date(1985, 7, 30)),
    (31258, dt.date(1985, 7, 30)), (31258.0, dt.date(1985, 7, 30)), ("", None), (None, None),
    ("01/02/05", dt.date(2005, 2, 1)), ("01/02/2026 00:00:00", dt.date(2026, 2, 1)),
    ("2026-02-01T10:20:30.123Z", dt.date(2026, 2, 1)),
])
def test_belgian_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad", ["31/02/2020", "30/13/1985", "gisteren", "12/12"])
def test_impossible_dates_are_refused_in_dutch(bad):
    with pytest.raises(ValueError, match="datum"):
        parse_date(bad, field_label="Geboortedatum")


def test_format_round_trip():
    assert parse_date(format_date(dt.date(2024, 4, 8))) == dt.date(2024, 4, 8)


@pytest.mark.parametrize("typed", ["10226", "31122", "31258", "45000.0"])
def test_five_typed_digits_are_no_excel_serial(typed):
    """A typed date without separators ("10226" for 1/02/26) used to become 30/12/1927 in silence."""
    with pytest.raises(ValueError) as e:
        parse_date(typed, field_label="Geboortedatum")
    assert str(e.value) == (f"Geboortedatum: {typed} is geen datum: typ de datum als dd/mm/jjjj "
                            "(bv. 10/02/2026).")


def test_a_spreadsheet_reads_serials_as_numbers_and_as_text():
    assert parse_date(31258, spreadsheet=True) == dt.date(1985, 7, 30)
    assert parse_date("31258", spreadsheet=True) == dt.date(1985, 7, 30)
    assert parse_date("10226", spreadsheet=True) == dt.date(1927, 12, 30)


@pytest.mark.parametrize("text", ["1/2/2026 of 3/2", "01/02/2026 ongeveer", "2026-02-01 of later"])
def test_text_after_a_date_is_not_cut_off(text):
    with pytest.raises(ValueError, match="geen geldige datum"):
        parse_date(text, spreadsheet=True)


def test_vandaag_is_today_in_a_typed_field_only():
    assert parse_date("vandaag", today=dt.date(2026, 11, 28)) == dt.date(2026, 11, 28)
    assert parse_date(" Vandaag ", today=dt.date(2026, 11, 28)) == dt.date(2026, 11, 28)
    assert parse_date("vandaag") == dt.date.today()
    with pytest.raises(ValueError):
        parse_date("vandaag", spreadsheet=True)       # a file says the day it was made, not ours
