"""Arbitrary text never crashes validation, date parsing, competence recognition, ranking or the importers."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from core.dates import parse_date
from core.validation import parse_insz, validate_kbo, validate_postcode

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
odd_text = st.one_of(st.text(max_size=40), st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９²³¹ .-/", max_size=16))


def _dutch_value_error(fn, value):
    try:
        return fn(value)
    except ValueError as e:
        assert str(e) and "Traceback" not in str(e)
        return None


@FAST
@given(odd_text)
def test_insz_never_crashes_and_only_ascii_digits_pass(text):
    info = _dutch_value_error(parse_insz, text)
    if info is not None:
        assert len(info.number) == 11 and info.number.isascii() and info.number.isdigit()


@FAST
@given(odd_text)
def test_kbo_never_crashes_and_only_ascii_digits_pass(text):
    digits = _dutch_value_error(validate_kbo, text)
    if digits is not None:
        assert len(digits) == 10 and digits.isascii() and digits.isdigit()


@FAST
@given(odd_text)
def test_postcode_never_crashes_and_only_ascii_digits_pass(text):
    code = _dutch_value_error(validate_postcode, text)
    if code is not None:
        assert len(code) == 4 and code.isascii() and code.isdigit()


@FAST
@given(st.one_of(odd_text, st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True)))
def test_parse_date_never_crashes(value):
    d = _dutch_value_error(parse_date, value)
    assert d is None or isinstance(d, dt.date)


@pytest.fixture(scope="module")
def service():
    from core.matching import MatchingService
    return MatchingService.create()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_recognise_and_suggest_never_crash(service, text):
    r = service.recognise(text)
    assert r is None or isinstance(r.competence_id, str)
    assert isinstance(service.suggest_competences(text), list)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(st.text(max_size=30), max_size=3), phrases=st.lists(st.text(max_size=30), max_size=5))
def test_rank_profile_never_crashes(service, titles, phrases):
    from core.matching import WorkerProfile
    p = WorkerProfile(job_titles=tuple(titles), phrases=tuple((x, "", 2) for x in phrases))
    ranked = service.rank_profile(p, 5)
    assert len(ranked) <= 5 and all(0.0 <= m.score <= 1.0 or m.score == m.score for m in ranked)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_importer_on_random_bytes_gives_a_user_error_or_a_table(tmp_path_factory, raw, suffix):
    from core.errors import UserError
    from core.importers import load_table
    path = tmp_path_factory.mktemp("raw") / f"lijst{suffix}"
    path.write_bytes(raw)
    try:
        table = load_table(path)
    except UserError as e:
        assert str(e)
    else:
        assert isinstance(table.headers, list) and isinstance(table.rows, list)
