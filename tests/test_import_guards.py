"""import-workers and export-dossier on hostile or unlucky input: the error list never turns a committed
import into a failure, a malformed --mapping is refused in Dutch, and values that look like spreadsheet
formulas are kept as data but never run (XLSX export, CSV error list)."""
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from cli.app import run
from core.importers import load_table

DATA = Path(__file__).resolve().parent / "data" / "import"
HYPERLINK = '=HYPERLINK("http://x";"klik")'


def _json(capsys):
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _new_db(path, capsys):
    assert run(["--db", str(path), "--yes", "demo", "--workers", "3", "--json"]) == 0
    return _json(capsys)["dossier"]


def _worker_count(db, dossier, capsys):
    assert run(["--db", str(db), "workers", "--dossier", str(dossier), "--json"]) == 0
    return len(_json(capsys))


@pytest.fixture
def setup(tmp_path, capsys):
    db = tmp_path / "w.db"
    dossier = _new_db(db, capsys)
    src = tmp_path / "bron" / "werkgever.xlsx"
    src.parent.mkdir()
    shutil.copy(DATA / "werkgever.xlsx", src)
    base = ["--db", str(db), "import-workers", str(src), "--dossier", str(dossier), "--yes", "--json"]
    return db, dossier, src, base


# -- 2. the error list after the commit ---------------------------------------------------------------------

def test_error_list_blocked_by_a_folder_does_not_fail_a_committed_import(setup, capsys):
    db, dossier, src, base = setup
    (src.parent / "werkgever.fouten.csv").mkdir()
    assert run(base) == 0
    captured = capsys.readouterr()
    res = json.loads(captured.out.strip().splitlines()[-1])
    assert res["imported"] == 5 and res["error_file"] is None
    assert res["error_file_problem"] == "dit is een map, geen bestand"
    assert "5 werknemers geïmporteerd." in captured.err
    assert "kon niet bewaard worden" in captured.err and "werkgever.fouten.csv" in captured.err
    assert _worker_count(db, dossier, capsys) == 3 + 5
    assert sorted(p.name for p in src.parent.iterdir()) == ["werkgever.fouten.csv", "werkgever.xlsx"]


def test_error_list_in_a_read_only_folder_does_not_fail_a_committed_import(setup, capsys, monkeypatch):
    db, dossier, src, base = setup
    real = Path.write_text

    def refuse(self, *a, **kw):             # what a read-only folder does (tests may run as root)
        if self.parent == src.parent:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *a, **kw)

    monkeypatch.setattr(Path, "write_text", refuse)
    assert run(base) == 0
    res = _json(capsys)
    assert res["imported"] == 5 and res["error_file"] is None
    assert res["error_file_problem"] == "geen toegang (rechten)"
    assert _worker_count(db, dossier, capsys) == 8


def test_error_list_that_cannot_be_put_in_place_after_the_commit(setup, capsys, monkeypatch):
    db, dossier, src, base = setup

    def no_rename(a, b):
        raise PermissionError(13, "Permission denied", str(b))

    monkeypatch.setattr("core.importers.preview.os.replace", no_rename)
    assert run(base) == 0
    res = _json(capsys)
    assert res["imported"] == 5 and res["error_file_problem"] == "geen toegang (rechten)"
    assert sorted(p.name for p in src.parent.iterdir()) == ["werkgever.xlsx"]     # no temporary file left


def test_failed_commit_leaves_no_error_list(setup, capsys, monkeypatch):
    from core.errors import UserError
    db, dossier, src, base = setup

    def fail(*a, **kw):
        raise UserError("schijf vol")

    monkeypatch.setattr("db.import_mappings.ImportMappingRepository.save", fail)
    assert run(base) == 2
    assert "schijf vol" in capsys.readouterr().err
    assert sorted(p.name for p in src.parent.iterdir()) == ["werkgever.xlsx"]
    assert _worker_count(db, dossier, capsys) == 3


def test_audit_entry_is_part_of_the_import_transaction(setup, capsys, monkeypatch):
    from core.errors import UserError
    db, dossier, src, base = setup

    def fail(self, *a, **kw):
        raise UserError("auditspoor niet beschikbaar")

    monkeypatch.setattr("db.audit.AuditLog.imported", fail)
    assert run(base) == 2
    err = capsys.readouterr().err
    assert "auditspoor" in err and "werknemers geïmporteerd" not in err
    assert _worker_count(db, dossier, capsys) == 3


# -- 3. the shape of --mapping ------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", ['{"naam": ["surname"]}', '{"naam": {"veld": "surname"}}', '{"naam": true}',
                                  '{"naam": 1.5}', '{"surname": ["naam", "voornaam"]}'])
def test_mapping_values_of_the_wrong_shape_are_refused_in_dutch(tmp_path, capsys, spec):
    db = tmp_path / "m.db"
    dossier = _new_db(db, capsys)
    assert run(["--db", str(db), "import-workers", str(DATA / "komma.csv"), "--dossier", str(dossier),
                "--dry-run", "--mapping", spec]) == 2
    err = capsys.readouterr().err
    assert "interne fout" not in err and "Kolomkoppeling" in err and "null" in err
    assert len(err.strip().splitlines()) == 1


def test_mapping_with_a_column_number_as_value(tmp_path, capsys):
    db = tmp_path / "m.db"
    dossier = _new_db(db, capsys)
    assert run(["--db", str(db), "import-workers", str(DATA / "komma.csv"), "--dossier", str(dossier),
                "--dry-run", "--json", "--mapping", '{"email": null, "phone": 10}']) == 0
    assert _json(capsys)["rows"] == 5


def test_a_damaged_remembered_mapping_is_ignored(db):
    from core.importers import guess_mapping
    from db.import_mappings import ImportMappingRepository
    repo = ImportMappingRepository(db)
    for stored in ('["surname"]', '{"naam": ["surname"]}', "{kapot"):
        with db.atomic():
            db.conn.execute("INSERT OR REPLACE INTO import_mappings (employer_key, mapping, modified) "
                            "VALUES ('kbo:1', ?, '2024-01-01')", [stored])
        remembered = repo.get("kbo:1")
        assert guess_mapping(["Naam", "Voornaam"], remembered).columns == ["surname", "first_names"]
    assert guess_mapping(["Naam", "Voornaam"], {"naam": ["first_names"]}).columns == ["surname", "first_names"]


# -- 4. formulas ----------------------------------------------------------------------------------------------

def _injection_csv(path: Path) -> None:
    path.write_text("Naam;Voornaam;Geboortedatum;Telefoon\n"
                    '"=HYPERLINK(""http://x"";""klik"")";Jan;14/03/1968;+32 471 23 45 67\n'
                    "Peeters;=1+1;31/02/1970;@SUM(A1)\n"
                    "-Janssens;Els;01/05/1980;\n", encoding="utf-8")


def test_formulas_are_kept_as_data_and_never_run(tmp_path, capsys):
    db = tmp_path / "f.db"
    dossier = _new_db(db, capsys)
    src = tmp_path / "lijst.csv"
    _injection_csv(src)
    assert run(["--db", str(db), "import-workers", str(src), "--dossier", str(dossier), "--yes",
                "--with-warnings", "--json"]) == 0
    res = _json(capsys)
    assert res["imported"] == 2 and res["rejected"] == 1
    assert run(["--db", str(db), "workers", "--dossier", str(dossier), "--json"]) == 0
    surnames = {w["surname"] for w in _json(capsys)}
    assert HYPERLINK in surnames and "-Janssens" in surnames                 # the data itself is intact

    # the CSV error list: what would run in a spreadsheet program gets an apostrophe ...
    err_file = Path(res["error_file"])
    text = err_file.read_text(encoding="utf-8-sig")
    line = text.splitlines()[1].split(";")
    assert line[:5] == ["3", "Peeters", "'=1+1", "31/02/1970", "'@SUM(A1)"]
    assert ";=" not in text and ";@" not in text
    # ... which the next import of the corrected list takes off again
    again = load_table(err_file)
    assert again.rows[0][2:5] == ["=1+1", "31/02/1970", "@SUM(A1)"]

    out = tmp_path / "overzicht.xlsx"
    assert run(["--db", str(db), "export-dossier", "--dossier", str(dossier), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    link = [c for c in cells if c.value == HYPERLINK]
    assert link and all(c.data_type == "s" and c.quotePrefix for c in link)
    minus = [c for c in cells if c.value == "-Janssens"]
    assert minus and all(c.data_type == "s" for c in minus)


def test_csv_safe_rules():
    from core.importers.preview import _csv_safe, _error_cell
    assert [_csv_safe(t) for t in ("=1+1", "+32 471", "-x", "@a", "\tx", "\rx", "Peeters", "", "a=b")] == \
        ["'=1+1", "'+32 471", "'-x", "'@a", "'\tx", "'\rx", "Peeters", "", "a=b"]
    assert _error_cell(-5) == "-5" and _error_cell(68031403326) == "68031403326"     # numbers are no formulas
    assert _error_cell("=A1") == "'=A1"
