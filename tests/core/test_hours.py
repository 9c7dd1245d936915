"""Hours as counsellors type them: one parser (core.hours) for every hours field."""
import pytest

from core.followup import format_hours as followup_format_hours
from core.hours import MAX_HOURS_PER_CONTACT, format_hours, hours_text, parse_hours
from core.plan_text import format_hours as plan_format_hours


@pytest.mark.parametrize("text,hours", [
    ("1,5", 1.5), ("1.5", 1.5), ("1u30", 1.5), ("1u", 1.0), ("1:30", 1.5), ("90 min", 1.5),
    ("0,25", 0.25), ("0.25", 0.25), ("2,75", 2.75), ("2.75", 2.75), ("1 u 30", 1.5), ("1h30", 1.5),
    ("2 uur", 2.0), (",5", 0.5), ("45 minuten", 0.75), ("0:15", 0.25), ("24", 24.0), (" 3 ", 3.0),
    ("1,50", 1.5), ("", 0.0), ("0", 0.0),
])
def test_every_spelling_of_hours_is_read_as_meant(text, hours):
    assert parse_hours(text) == pytest.approx(hours, abs=1e-12)


def test_minutes_are_kept_to_the_minute_not_rounded():
    assert parse_hours("1u20") * 60 == pytest.approx(80)
    assert parse_hours("20 min") * 60 == pytest.approx(20)


@pytest.mark.parametrize("text,message", [
    ("abc", "Uren: abc is geen aantal uren"),
    ("-1", "Uren: -1 is geen aantal uren"),
    ("1,5,5", "Uren: 1,5,5 is geen aantal uren"),
    ("1.500", "hoogstens twee cijfers na de komma"),       # a thousands separator is never meant here
    ("0,125", "hoogstens twee cijfers na de komma"),       # never rounded in silence
    ("1u75", "een uur heeft maar 60 minuten"),
    ("24,5", "Uren: 24,5 uur is te veel voor één contact (hoogstens 24 uur)."),
    ("25", "te veel voor één contact"),
    ("1500 min", "te veel voor één contact"),
    ("15:00:00", "geen aantal uren"),
])
def test_unreadable_or_absurd_hours_are_refused_in_dutch(text, message):
    with pytest.raises(ValueError) as e:
        parse_hours(text, field_label="Uren")
    assert message in str(e.value)


def test_numbers_are_checked_too():
    assert parse_hours(1.5) == 1.5 and parse_hours(None) == 0.0
    with pytest.raises(ValueError):
        parse_hours(MAX_HOURS_PER_CONTACT + 1)
    with pytest.raises(ValueError):
        parse_hours(-2)
    with pytest.raises(ValueError):
        parse_hours(0.125)


@pytest.mark.parametrize("fmt", [format_hours, followup_format_hours, plan_format_hours])
def test_quarter_hours_are_shown_as_they_were_typed(fmt):
    assert fmt(0.25) == "0,25"
    assert fmt(2.75) == "2,75"
    assert fmt(1.5) == "1,5"
    assert fmt(20) == "20"
    assert fmt(0.25 + 0.25 + 1.0) == "1,5"


def test_large_sums_keep_their_digits():
    assert format_hours(90000.25) == "90000,25"


def test_the_text_of_a_stored_value_reads_back_to_the_same_value():
    for hours in (0.25, 1.5, 24.0, 80 / 60, 0.1):
        assert parse_hours(hours_text(hours)) == pytest.approx(hours, abs=1e-12)
    assert hours_text(80 / 60) == "1u20"
    assert hours_text(0) == ""
