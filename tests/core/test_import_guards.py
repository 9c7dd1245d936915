"""Import guards in core: the duplicate check grows linearly with rows that share an INSZ, a birth date or
a name, and gives the same result as the straightforward pairwise check."""
import datetime as dt
import random
import sys

from rapidfuzz import fuzz

from core.demo import insz_for
from core.i18n import tr
from core.importers import ImportPreview, guess_mapping
from core.importers.preview import SIMILAR_NAME, ExistingWorker
from core.importers.reader import RawTable, fold
from core.model import Dossier

TODAY = dt.date(2024, 6, 1)
HEADERS = ["Naam", "Voornaam", "INSZ", "Geboortedatum"]


def _dossier() -> Dossier:
    d = Dossier("Bench NV", announcement_date=dt.date(2024, 4, 8))
    d.id = 1
    return d


def _preview(rows, existing=()) -> ImportPreview:
    table = RawTable(list(HEADERS), [list(r) for r in rows])
    return ImportPreview(table, guess_mapping(table.headers), _dossier(), list(existing), today=TODAY)


def _pairwise_reference(p: ImportPreview) -> None:
    """The duplicate check as it was written first: every row against every earlier row and every existing
    worker with the same birth date (quadratic), kept here as the definition of the expected result."""
    first_by_insz, by_birth = {}, {}
    existing_insz = {e.insz: e for e in p.existing if e.insz}
    existing_by_birth = {}
    for e in p.existing:
        if e.birth_date:
            existing_by_birth.setdefault(e.birth_date, []).append(e)
    for row in p.rows:
        w = row.worker
        if w is not None and w.insz:
            there = existing_insz.get(w.insz)
            if there is not None:
                row.errors.append(tr("import", "Dit INSZ staat al in het dossier ({naam}).").format(
                    naam=f"{there.first_names} {there.surname}".strip()))
                row.problem_fields.add("insz")
            elif w.insz in first_by_insz:
                first = first_by_insz[w.insz]
                row.errors.append(tr("import", "Dit INSZ komt al voor op rij {rij} van het bestand.").format(
                    rij=first.line))
                row.problem_fields.add("insz")
                msg = tr("import", "Hetzelfde INSZ staat nog eens op rij {rij}.").format(rij=row.line)
                if msg not in first.warnings:
                    first.warnings.append(msg)
            else:
                first_by_insz[w.insz] = row
        if w is not None and w.birth_date and (w.surname or w.first_names):
            by_birth.setdefault(w.birth_date, []).append(row)
    for birth, rows in by_birth.items():
        existing = existing_by_birth.get(birth, [])
        for i, row in enumerate(rows):
            name = fold(f"{row.worker.surname} {row.worker.first_names}")
            for e in existing:
                if e.insz and e.insz == row.worker.insz:
                    continue
                if fuzz.token_sort_ratio(name, fold(f"{e.surname} {e.first_names}")) >= SIMILAR_NAME:
                    row.warnings.append(tr("import", "Lijkt op {naam}, met dezelfde geboortedatum, al in het "
                                                     "dossier.").format(naam=f"{e.first_names} {e.surname}".strip()))
                    break
            for other in rows[:i]:
                if other.worker.insz and other.worker.insz == row.worker.insz:
                    continue
                if fuzz.token_sort_ratio(name, fold(f"{other.worker.surname} {other.worker.first_names}")) \
                        >= SIMILAR_NAME:
                    row.warnings.append(tr("import", "Lijkt op rij {rij} (gelijkaardige naam, zelfde "
                                                     "geboortedatum).").format(rij=other.line))
                    break


def _results(p: ImportPreview):
    return [(r.line, list(r.errors), list(r.warnings), sorted(r.problem_fields)) for r in p.rows]


def _random_rows(rnd: random.Random, n: int):
    births = [dt.date(1970, 1, 1), dt.date(1971, 2, 3), dt.date(1980, 5, 6)]
    surnames = ["Peeters", "Peters", "Peeters-Janssens", "Janssens", "Jansens", "Çelik", "Celik", "Van den Broeck",
                "Vandenbroeck", "D'Hondt", "Dhondt", "Maes", "!!"]
    first = ["Jan", "Jean", "Anaïs", "Anais", "Zoë", "Zoe", "Pieter-Jan", "Pieter Jan", "", "An"]
    rows = []
    for _ in range(n):
        b = rnd.choice(births)
        insz = rnd.choice([None, None, insz_for(b, rnd.randint(1, 6))])
        if rnd.random() < 0.05:
            insz = insz_for(births[0], 3)                  # an INSZ whose birth date differs from the column
        name = rnd.choice(surnames)
        if rnd.random() < 0.3:                             # word order swapped: the same key for the matcher
            rows.append([rnd.choice(first), name, insz, b])
        else:
            rows.append([name, rnd.choice(first), insz, rnd.choice([b, b, None])])
    return rows


def _random_existing(rnd: random.Random, rows):
    out = []
    for i in range(12):
        r = rnd.choice(rows)
        insz = r[2] if rnd.random() < 0.4 else rnd.choice([None, ""])
        birth = r[3] if isinstance(r[3], dt.date) else None
        out.append(ExistingWorker(100 + i, r[0] or "X", r[1] or "", insz or "", birth))
    return out


def test_duplicate_check_gives_the_pairwise_result():
    rnd = random.Random(7)
    for _ in range(25):
        rows = _random_rows(rnd, rnd.randint(1, 120))
        existing = _random_existing(rnd, rows) if rnd.random() < 0.7 else []
        p = _preview(rows, existing)
        got = _results(p)
        for r in p.rows:
            p._validate_row(r)                # the row's own checks again, without the duplicate check
        _pairwise_reference(p)
        assert got == _results(p)


def _lines_run_by_duplicate_check(rows) -> int:
    """Lines of core/importers/preview.py executed by the duplicate check: a measure of work that does not
    depend on the speed of the machine."""
    p = _preview(rows[:1])
    p.table.rows = [list(r) for r in rows]
    p.rows = [type(p.rows[0])(i, p.table.line_of(i), list(c)) for i, c in enumerate(p.table.rows)]
    for r in p.rows:
        p._validate_row(r)
    count = 0
    source = sys.modules[ImportPreview.__module__].__file__

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename == source else None

    sys.settrace(tracer)
    try:
        p._check_duplicates()
    finally:
        sys.settrace(None)
    return count


def test_duplicate_check_grows_linearly_with_rows_sharing_an_insz_or_a_birth_date():
    b = dt.date(1970, 5, 1)
    same_insz = lambda n: [["Peeters", "Jan", insz_for(b, 33), b] for _ in range(n)]          # noqa: E731
    same_name = lambda n: [["Peeters", "Jan", None, b] for _ in range(n)]                     # noqa: E731
    alternating = lambda n: [["Peeters", "Jan", insz_for(b, 33 + i % 2), b] for i in range(n)]  # noqa: E731
    for make in (same_insz, same_name, alternating):
        small, large = _lines_run_by_duplicate_check(make(300)), _lines_run_by_duplicate_check(make(1200))
        assert large < 5 * small, (make, small, large)      # quadratic work would be about 16 times


def test_many_rows_sharing_one_insz_are_all_reported():
    b = dt.date(1970, 5, 1)
    p = _preview([["Peeters", "Jan", insz_for(b, 33), b] for _ in range(3000)])
    assert len(p.rows[0].warnings) == 2999
    assert all(r.errors == [tr("import", "Dit INSZ komt al voor op rij 2 van het bestand.")] for r in p.rows[1:])
