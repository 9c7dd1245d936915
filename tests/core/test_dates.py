import datetime as dt

import pytest

from core.dates import format_date, parse_date


@pytest.mark.parametrize("text,expected", [
    ("30/07/1985", dt.date(1985, 7, 30)), ("3/7/85", dt.date(1985, 7, 3)), ("30-07-1985", dt.date(1985, 7, 30)),
    ("30.07.1985", dt.date(1985, 7, 30)), ("1985-07-30", dt.date(1985, 7, 30)), ("30071985", dt.date(1985, 7, 30)),
    (31258, dt.date(1985, 7, 30)), ("31258", dt.date(1985, 7, 30)), ("", None), (None, None),
    ("01/02/05", dt.date(2005, 2, 1)),
])
def test_belgian_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad", ["31/02/2020", "30/13/1985", "gisteren", "12/12"])
def test_impossible_dates_are_refused_in_dutch(bad):
    with pytest.raises(ValueError, match="datum"):
        parse_date(bad, field_label="Geboortedatum")


def test_format_round_trip():
    assert parse_date(format_date(dt.date(2024, 4, 8))) == dt.date(2024, 4, 8)
