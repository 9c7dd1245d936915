"""Malformed rows never crash the preview, and an import never leaves part of its rows behind."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from core.importers import ImportPreview, RawTable, RowStatus, guess_mapping
from core.importers.reader import read_csv_text
from core.model import Dossier
from core.validation import ValidationError
from db.dossiers import DossierRepository
from db.import_mappings import commit_import, existing_workers
from db.workers import WorkerRepository

HEADERS = ["Naam", "Voornaam", "INSZ", "Geboortedatum", "Statuut", "Anciënniteit", "Postcode", "Telefoon", "E-mail",
           "Geslacht", "Taal", "Ontslagdatum"]
cell = st.one_of(st.none(), st.text(max_size=25), st.integers(-10**12, 10**12),
                 st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                 st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["31/02/1970", "85.07.30-033.28", "5012312345",
                                                                        "1/1/85", "44197", "12 jaar", "B-2500", "é"]))
row = st.lists(cell, min_size=0, max_size=len(HEADERS) + 2)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=12))
def test_preview_never_crashes(rows):
    width = len(HEADERS)
    table = RawTable(list(HEADERS), [(r + [None] * width)[:width] for r in rows])
    p = ImportPreview(table, guess_mapping(table.headers), Dossier("X", id=1, announcement_date=dt.date(2024, 1, 1)))
    for r in p.rows:
        assert r.status in RowStatus
        if r.status is RowStatus.ERROR:
            assert r.errors
        assert all(isinstance(m, str) and m for m in r.errors + r.warnings)
    if p.rows:
        p.set_value(0, "insz", "garbage")
        assert p.rows[0].status is RowStatus.ERROR


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_csv_reader_never_crashes(text):
    read_csv_text(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=8), dup=st.booleans())
def test_all_or_nothing(db, rows, dup):
    d = DossierRepository(db).list()[0] if DossierRepository(db).list() else DossierRepository(db).add(Dossier("X"))
    before = WorkerRepository(db).count(d.id)
    width = len(HEADERS)
    table = RawTable(list(HEADERS), [(r + [None] * width)[:width] for r in rows])
    p = ImportPreview(table, guess_mapping(table.headers), d, existing_workers(db, d.id))
    chosen = p.chosen_workers(True)
    if dup and chosen:
        # force a unique-index violation at the end: everything must roll back
        import copy
        twin = copy.deepcopy(chosen[0])
        twin.uid = twin.uid[::-1]
        twin.insz = twin.insz or "85073003328"
        chosen[0].insz = twin.insz
        with pytest.raises(ValidationError):
            commit_import(db, chosen + [twin])
        assert WorkerRepository(db).count(d.id) == before
    else:
        commit_import(db, chosen)
        assert WorkerRepository(db).count(d.id) == before + len(chosen)
