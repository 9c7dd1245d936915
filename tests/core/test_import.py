"""Import of employer lists: real-looking files, mapping, preview, one-transaction write, error file."""
import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from core.importers import (ImportFileError, ImportPreview, RowStatus, employer_key, guess_mapping, load_table,
                            mapping_from_user)
from core.importers.mapping import score_header
from core.importers.reader import detect_delimiter, detect_encoding
from core.model import Dossier, Worker
from db.dossiers import DossierRepository
from db.import_mappings import ImportMappingRepository, commit_import, existing_workers
from db.workers import WorkerRepository

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
TODAY = dt.date(2024, 6, 1)


@pytest.fixture
def dossier(db):
    return DossierRepository(db).add(Dossier("Demo Carrosseriebouw NV", kbo_number="0403.170.701",
                                             announcement_date=dt.date(2024, 4, 8)))


def preview_of(db, dossier, name, **kw):
    t = load_table(DATA / name)
    return ImportPreview(t, guess_mapping(t.headers), dossier, existing_workers(db, dossier.id), today=TODAY, **kw)


def test_cp1252_semicolon_file_with_accents(db, dossier):
    p = preview_of(db, dossier, "cp1252_puntkomma.csv")
    assert p.table.encoding == "cp1252" and p.table.delimiter == ";"
    names = [r.worker.surname for r in p.rows]
    assert "Lefèvre" in names and "Çelik" in names and "Van den Broeck" in names
    assert p.rows[1].worker.first_names == "Anaïs"
    c = p.counts()
    assert c[RowStatus.VALID] == 5 and c[RowStatus.ERROR] == 2
    bad = {r.line: r for r in p.rows if r.status is RowStatus.ERROR}
    assert "Naam is verplicht" in bad[7].reason
    assert "controlegetal" in bad[8].reason and "Postcode" in bad[8].reason


def test_utf8_bom_and_short_years(db, dossier):
    p = preview_of(db, dossier, "utf8_bom.csv")
    assert p.table.encoding == "utf-8-sig"
    assert p.table.headers[0] == "Naam"                 # no BOM glued to the first header
    assert [r.status for r in p.rows] == [RowStatus.VALID] * 5
    assert p.rows[3].worker.birth_date == dt.date(1961, 7, 30)


def test_comma_file_with_quoted_commas_and_lost_leading_zero(db, dossier):
    p = preview_of(db, dossier, "komma.csv")
    assert p.table.delimiter == ","
    assert p.rows[0].worker.street == "Kerkstraat 12, 2500"
    celik = p.rows[2]
    assert celik.worker.insz == "05012301716" and celik.status is RowStatus.VALID
    assert "voorloopnul" in celik.reason


def test_xlsx_with_title_rows_date_cells_and_insz_as_number(db, dossier):
    p = preview_of(db, dossier, "werkgever.xlsx")
    assert p.table.header_line == 3
    assert p.mapping.column_of("insz") == 2 and p.mapping.column_of("birth_date") == 3   # "Rijksregister nr", typo
    w = p.rows[2].worker
    assert w.insz == "05012301716" and w.birth_date == dt.date(2005, 1, 23)
    assert w.seniority_start == dt.date(2025, 9, 1) and w.postcode == "3600" and w.phone == "0489112233"
    last = p.rows[-1]
    assert last.status is RowStatus.ERROR and "31/02/1970 is geen bestaande datum" in last.reason


def test_french_headers(db, dossier):
    p = preview_of(db, dossier, "frans.csv")
    assert p.mapping.columns[:4] == ["surname", "first_names", "insz", "birth_date"]
    assert p.mapping.column_of("postcode") == 8 and p.mapping.column_of("email") == 11
    w = p.rows[1].worker
    assert w.statute.value == "bediende" and w.birth_date == dt.date(1979, 11, 2)
    assert p.rows[0].status is RowStatus.WARNING and "Anciënniteit 12 jaar" in p.rows[0].reason


@pytest.mark.parametrize("name,needle", [("leeg.csv", "leeg"), ("kapot.csv", "geen tekstbestand"),
                                         ("kapot.xlsx", "Excel")])
def test_broken_and_empty_files_are_refused_in_dutch(name, needle):
    with pytest.raises(ImportFileError, match=needle):
        load_table(DATA / name)


def test_file_with_only_headers_has_no_rows(db, dossier):
    p = preview_of(db, dossier, "alleen_kolommen.csv")
    assert p.rows == [] and len(p.table.headers) == 11


@pytest.mark.parametrize("header,field", [
    ("Naam", "surname"), ("Voornaam", "first_names"), ("Rijksregisternummer", "insz"), ("INSZ", "insz"),
    ("Geboortedatum", "birth_date"), ("Functie", "previous_job_title"), ("Statuut", "statute"),
    ("Anciënniteit", "seniority_start"), ("Adres", "street"), ("Postcode", "postcode"), ("Gemeente", "municipality"),
    ("Telefoon", "phone"), ("E-mail", "email"), ("Nom", "surname"), ("Prénom", "first_names"), ("NISS", "insz"),
    ("Numéro de registre national", "insz"), ("Date de naissance", "birth_date"), ("Fonction", "previous_job_title"),
    ("Statut", "statute"), ("Ancienneté", "seniority_start"), ("Adresse", "street"), ("Code postal", "postcode"),
    ("Commune", "municipality"), ("Téléphone", "phone"), ("Courriel", "email"),
    ("Voornam", "first_names"), ("Geboortedaum", "birth_date"), ("Rijksregisternumer", "insz"), ("Emailadres", "email"),
    ("Post code", "postcode"), ("Telefon", "phone"),
])
def test_header_guessing_with_typos(header, field):
    assert score_header(header)[0][1] == field


def test_each_field_goes_to_one_column_and_the_caller_corrects():
    m = guess_mapping(["Naam", "Voornaam", "Naam werknemer", "Opmerking"])
    assert m.columns == ["surname", "first_names", None, None]
    m = mapping_from_user(["Naam", "Voornaam", "Naam werknemer", "Opmerking"], {"Naam werknemer": "surname",
                                                                               "Naam": None}, m)
    assert m.columns == [None, "first_names", "surname", None]
    m = mapping_from_user(["Naam", "Voornaam", "Opmerking"], {"surname": "Opmerking"})
    assert m.column_of("surname") == 2
    with pytest.raises(ValueError, match="begrijp ik niet"):
        mapping_from_user(["Naam"], {"Naam": "schoenmaat"})


def test_detection_is_deterministic():
    assert detect_encoding("Lefèvre".encode("cp1252")) == "cp1252"
    assert detect_encoding("Lefèvre".encode("utf-8")) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfNaam") == "utf-8-sig"
    assert detect_delimiter('Naam;Voornaam;"Adres, nr"\nA;B;"x, y"\n') == ";"
    assert detect_delimiter("Naam\tVoornaam\nA\tB\n") == "\t"
    assert detect_delimiter("Naam\nPeeters\n") == ";"


def test_duplicates_in_dossier_in_file_and_similar_names(db, dossier):
    WorkerRepository(db).add(Worker("Peeters", "Jan", insz="68031403326", dossier_id=dossier.id))
    WorkerRepository(db).add(Worker("Lefevre", "Anais", birth_date=dt.date(1979, 11, 2), dossier_id=dossier.id))
    p = preview_of(db, dossier, "utf8_bom.csv")
    assert p.rows[0].status is RowStatus.ERROR and "al in het dossier" in p.rows[0].reason
    assert p.rows[1].status is RowStatus.WARNING and "Lijkt op Anais Lefevre" in p.rows[1].reason
    # the same INSZ twice in the file: the second is an error, the first gets a warning
    p.set_value(3, "insz", "05012301716")
    assert "rij 4" in p.rows[3].reason and p.rows[3].status is RowStatus.ERROR
    assert p.rows[2].status is RowStatus.WARNING


def test_editing_a_row_revalidates_it(db, dossier):
    p = preview_of(db, dossier, "cp1252_puntkomma.csv")
    bad = p.rows[5]
    assert bad.status is RowStatus.ERROR
    p.set_value(5, "surname", "Wouters")
    assert bad.status is RowStatus.WARNING and bad.worker.surname == "Wouters"    # no INSZ: a warning
    p.set_value(6, "insz", "85.07.30-033.28")
    p.set_value(6, "postcode", "2500")
    assert p.rows[6].status is RowStatus.VALID
    p.set_value(0, "sex", "V")            # not a column of the file: added
    assert p.rows[0].status is RowStatus.ERROR and "Geslacht" in p.rows[0].reason


def test_import_is_one_transaction_and_writes_an_error_file(db, dossier, tmp_path):
    src = tmp_path / "lijst.csv"
    shutil.copy(DATA / "cp1252_puntkomma.csv", src)
    t = load_table(src)
    p = ImportPreview(t, guess_mapping(t.headers), dossier, existing_workers(db, dossier.id), today=TODAY)
    key = employer_key(dossier.kbo_number, dossier.company_name)
    ids = commit_import(db, p.chosen_workers(False), key, p.mapping.as_header_dict(t.headers))
    assert len(ids) == 5 and WorkerRepository(db).count(dossier.id) == 5
    assert ImportMappingRepository(db).get(key)["rijksregisternummer"] == "insz"
    err = p.write_error_file(p.rejected(False))
    assert err == tmp_path / "lijst.fouten.csv"
    raw = err.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][0] == "Rij" and rows[0][-1] == "Reden" and len(rows) == 3
    assert rows[1][0] == "7" and "Naam is verplicht" in rows[1][-1]
    # a second import of the same file: every row is now a duplicate, and a forced write rolls back
    p2 = ImportPreview(load_table(src), guess_mapping(t.headers), dossier, existing_workers(db, dossier.id))
    assert all(r.status is RowStatus.ERROR for r in p2.rows[:5])
    from core.validation import ValidationError
    fresh = Worker("Nieuw", "Iemand", dossier_id=dossier.id)
    with pytest.raises(ValidationError):
        commit_import(db, [fresh, p.rows[0].worker], key, {})
    assert WorkerRepository(db).count(dossier.id) == 5


def test_remembered_mapping_is_used_for_the_same_employer(db, dossier):
    key = employer_key(dossier.kbo_number, dossier.company_name)
    ImportMappingRepository(db).save(key, {"kolom a": "surname", "kolom b": "first_names"})
    m = guess_mapping(["Kolom A", "Kolom B", "Geboortedatum"], ImportMappingRepository(db).get(key))
    assert m.columns == ["surname", "first_names", "birth_date"]
    assert employer_key("", "Van Hool NV") == "naam:van hool nv"


@pytest.mark.slow
def test_ten_thousand_rows(db, dossier, tmp_path):
    from core.demo import insz_for
    path = tmp_path / "groot.csv"
    lines = ["Naam;Voornaam;INSZ;Geboortedatum;Postcode;Gemeente"]
    for i in range(10_000):
        b = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        lines.append(f"Naam{i};Voornaam{i};{insz_for(b, i % 997 + 1)};{b:%d/%m/%Y};2500;Lier")
    path.write_text("\n".join(lines), encoding="cp1252")
    t = load_table(path)
    p = ImportPreview(t, guess_mapping(t.headers), dossier, existing_workers(db, dossier.id))
    chosen = p.chosen_workers(True)
    assert len(p.rows) == 10_000
    commit_import(db, chosen)
    assert WorkerRepository(db).count(dossier.id) == len(chosen) > 9_900


# -- spreadsheets that cannot be read: a Dutch reason, never the library's English text ------------------------
LIBRARY_ENGLISH = ("zip", "Zip", "EOCD", "File not found", "Cfb", "password protected", "not found", "Error",
                   "error", "tag", "syntax", "deflate", "archive", "Workbook", "Invalid", "signature", "I/O")


def _zip_with(path, names):
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")


def _broken_sheet_xml(path):
    """A real workbook whose sheet XML was cut off (the zip itself is fine)."""
    import zipfile
    with zipfile.ZipFile(DATA / "werkgever.xlsx") as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, data[:200] if info.filename.startswith("xl/worksheets/") else data)


BAD_SPREADSHEETS = {
    # name: (how to make it, what the counsellor is told)
    "afgebroken.xlsx": (lambda p: p.write_bytes((DATA / "werkgever.xlsx").read_bytes()[:700]), "beschadigd"),
    "kapotte_xml.xlsx": (_broken_sheet_xml, "beschadigd"),
    "tekst.xlsx": (lambda p: p.write_text("Naam;Voornaam\nPeeters;An\n"), "geen geldig Excel-bestand"),
    "willekeurig.xls": (lambda p: p.write_bytes(bytes(range(256)) * 3), "geen geldig Excel-bestand"),
    "word.xlsx": (lambda p: _zip_with(p, ["[Content_Types].xml", "word/document.xml"]), "geen geldig Excel-bestand"),
    "lege_map.xlsx": (lambda p: _zip_with(p, []), "geen geldig Excel-bestand"),
    "oud_leeg.xls": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
                     "geen geldig Excel-bestand"),
    # made with msoffcrypto-tool from werkgever.xlsx, password "geheim"
    "versleuteld.xlsx": (lambda p: shutil.copy(DATA / "versleuteld.xlsx", p), "beveiligd met een wachtwoord"),
    "versleuteld.xls": (lambda p: shutil.copy(DATA / "versleuteld.xlsx", p), "beveiligd met een wachtwoord"),
}


def _assert_dutch_excel_error(err: ImportFileError, name: str, needle: str):
    text = str(err)
    assert text.startswith(name) and needle in text, text
    assert not [e for e in LIBRARY_ENGLISH if e in text], text
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)   # nothing English chained


@pytest.mark.parametrize("name", sorted(BAD_SPREADSHEETS))
def test_unreadable_spreadsheet_gives_a_dutch_reason(tmp_path, name):
    make, needle = BAD_SPREADSHEETS[name]
    path = tmp_path / name
    make(path)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(ImportFileError) as e:
        load_table(path)
    _assert_dutch_excel_error(e.value, name, needle)
    assert sorted(tmp_path.iterdir()) == before                       # nothing written next to it


@pytest.mark.parametrize("name", ["afgebroken.xlsx", "kapotte_xml.xlsx", "tekst.xlsx", "word.xlsx",
                                  "versleuteld.xlsx"])
def test_unreadable_spreadsheet_without_calamine_gives_the_same_dutch_reason(tmp_path, monkeypatch, name):
    """Without python-calamine the reader falls back to openpyxl, whose errors are English too."""
    import sys
    monkeypatch.setitem(sys.modules, "python_calamine", None)          # import python_calamine -> ImportError
    make, needle = BAD_SPREADSHEETS[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(ImportFileError) as e:
        load_table(path)
    _assert_dutch_excel_error(e.value, name, needle)


def test_openpyxl_fallback_still_reads_a_good_workbook(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    t = load_table(DATA / "werkgever.xlsx")
    assert t.header_line == 3 and t.headers[0] == "Naam"


def test_password_error_of_calamine_is_a_dutch_reason(tmp_path, monkeypatch):
    """calamine's own PasswordError (a .xls with a password) is told as a password, not in English."""
    import python_calamine

    def locked(_fh):
        raise python_calamine.PasswordError("Workbook is password protected")
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", locked)
    path = tmp_path / "lijst.xls"
    shutil.copy(DATA / "werkgever.xlsx", path)
    with pytest.raises(ImportFileError) as e:
        load_table(path)
    _assert_dutch_excel_error(e.value, "lijst.xls", "beveiligd met een wachtwoord")


def test_xlsx_with_the_wrong_extension_is_read_by_its_content(tmp_path):
    path = tmp_path / "lijst.xls"                                      # an .xlsx saved under an .xls name
    shutil.copy(DATA / "werkgever.xlsx", path)
    assert load_table(path).headers[:2] == ["Naam", "Voornaam"]


def test_csv_with_an_overlong_field_gives_a_dutch_reason(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text('Naam;Voornaam\n"' + "x" * 5_000 + '";An\n', encoding="utf-8")
    old = csv.field_size_limit(1_000)              # the limit is global (core.esco_csv raises it on import)
    try:
        with pytest.raises(ImportFileError) as e:
            load_table(path)
    finally:
        csv.field_size_limit(old)
    assert "beschadigd" in str(e.value) and "field limit" not in str(e.value)
