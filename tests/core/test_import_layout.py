"""Employer lists laid out for print: a header over two rows (merged group cells), total lines, the header
repeated further down. Nothing of it may become a worker, and no real worker row may be dropped unseen."""
import csv
import datetime as dt

import openpyxl
import pytest

from core.importers import ImportPreview, RowStatus, guess_mapping, load_table
from core.importers.reader import summary_label
from core.model import Dossier
from db.dossiers import DossierRepository
from db.import_mappings import existing_workers

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def dossier(db):
    return DossierRepository(db).add(Dossier("Metaalwerken Zelzate NV", announcement_date=dt.date(2026, 9, 1)))


def _preview(db, dossier, path):
    t = load_table(path)
    return ImportPreview(t, guess_mapping(t.headers), dossier, existing_workers(db, dossier.id), today=TODAY)


def _mapped(preview):
    return dict(zip(preview.table.headers, preview.mapping.columns))


def _merged_date_group(path):
    """The reviewer's list: A1:A2 Naam, B1:B2 Voornaam, C1:D1 Datum over geboorte / uit dienst, E1:E2 INSZ."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for cell, text, merge in (("A1", "Naam", "A1:A2"), ("B1", "Voornaam", "B1:B2"), ("C1", "Datum", "C1:D1"),
                              ("E1", "INSZ", "E1:E2")):
        ws[cell] = text
        ws.merge_cells(merge)
    ws["C2"], ws["D2"] = "geboorte", "uit dienst"
    ws.append(["Goossens", "Bart", dt.datetime(1966, 3, 3), dt.datetime(2026, 12, 31), "66030300155"])
    wb.save(path)
    return path


def test_a_merged_group_over_sub_headers_gives_combined_names_and_no_header_worker(db, dossier, tmp_path):
    p = _preview(db, dossier, _merged_date_group(tmp_path / "merged2.xlsx"))
    assert _mapped(p) == {"Naam": "surname", "Voornaam": "first_names", "Datum geboorte": "birth_date",
                          "Datum uit dienst": "dismissal_date", "INSZ": "insz"}
    assert len(p.rows) == 1 and p.rows[0].line == 3           # the sub-header row 2 is no worker
    w = p.rows[0].worker
    assert (w.surname, w.birth_date, w.dismissal_date) == ("Goossens", dt.date(1966, 3, 3), dt.date(2026, 12, 31))
    assert p.rows[0].status is RowStatus.VALID
    assert any("twee rijen (rij 1 en 2)" in n and '"Datum geboorte"' in n for n in p.table.notes)


def test_group_names_above_the_header_row_found_first(db, dossier, tmp_path):
    """"Werknemer" over Naam / Voornaam and "Datum" over geboorte / uit dienst: the row with the known names
    is the second; the group row above it is read with it, and INSZ (merged over both rows) is kept."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["C1"], ws["E1"] = "Werknemer", "Datum", "INSZ"
    for merge in ("A1:B1", "C1:D1", "E1:E2"):
        ws.merge_cells(merge)
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "Naam", "Voornaam", "geboorte", "uit dienst"
    ws.append(["Goossens", "Bart", dt.datetime(1966, 3, 3), dt.datetime(2026, 12, 31), "66030300155"])
    path = tmp_path / "groep.xlsx"
    wb.save(path)
    p = _preview(db, dossier, path)
    assert sorted(f for f in p.mapping.columns if f) == sorted(
        ["surname", "first_names", "birth_date", "dismissal_date", "insz"])
    assert [r.line for r in p.rows] == [3] and p.rows[0].status is RowStatus.VALID


def test_a_group_title_row_above_a_complete_header_is_left_alone(tmp_path):
    """Groups over a header that is complete by itself (the reviewer's merged.xlsx) add nothing: the header
    keeps its own names."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Lijst ontslagen werknemers"])
    ws.append(["Identiteit", None, None, "Gegevens", None, "Tewerkstelling"])
    ws.append(["Naam", "Voornaam", "Rijksregisternr.", "Geboortedatum", "M/V", "Functie", "Uit dienst"])
    ws.append(["De Smet", "Luc", "72.04.18-157.63", dt.datetime(1972, 4, 18), "M", "Mecanicien",
               dt.datetime(2026, 12, 31)])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    t = load_table(path)
    assert t.headers == ["Naam", "Voornaam", "Rijksregisternr.", "Geboortedatum", "M/V", "Functie", "Uit dienst"]
    assert t.line_numbers == [4] and not any("twee rijen" in n for n in t.notes)


def test_csv_with_a_two_row_header_and_a_text_only_list_without_one(tmp_path):
    two = tmp_path / "twee.csv"
    two.write_text("Naam;Voornaam;Adres;;;Contact\n;;straat;postcode;gemeente;gsm\n"
                   "Peeters;Jan;Kerkstraat 1;2500;Lier;0471 23 45 67\n", encoding="utf-8")
    t = load_table(two)
    m = guess_mapping(t.headers)
    assert m.columns == ["surname", "first_names", "street", "postcode", "municipality", "phone"]
    assert t.line_numbers == [3]
    # a list of text only whose first worker sits under an unnamed column: that worker is no sub-header
    plain = tmp_path / "tekst.csv"
    plain.write_text("Naam;Voornaam;;Functie\nPeeters;Jan;Maria;Lasser\nMaes;Els;;Bediende\n", encoding="utf-8")
    t = load_table(plain)
    assert t.headers == ["Naam", "Voornaam", "Kolom 3", "Functie"] and t.line_numbers == [2, 3]


def test_total_lines_are_skipped_and_said_never_a_worker(db, dossier, tmp_path):
    src = tmp_path / "lijst.csv"
    src.write_text("Naam;Voornaam;Rijksregisternummer;Functie\n"
                   "Peeters;Jan;85.07.30-033.28;Lasser\n"
                   "Totaal;;;1\n"                               # a subtotal between the departments
                   "Aantal;Anna;;Bediende\n"                    # a worker whose surname is a total word
                   "Som;;66030300155;\n"                        # a surname and an INSZ: a worker (with an error)
                   "Wouters;;;\n"
                   "\n"
                   "Totaal: 4 werknemers;;;\n", encoding="utf-8")
    p = _preview(db, dossier, src)
    assert [r.worker.surname for r in p.rows] == ["Peeters", "Aantal", "Som", "Wouters"]
    assert [r.line for r in p.rows] == [2, 4, 5, 6]
    assert 'Rijen 3 en 8 overgeslagen: totaalregels ("Totaal", "Totaal: 4 werknemers"), geen werknemers.' \
        in p.table.notes
    assert "1 lege rij overgeslagen." in p.table.notes
    err = p.write_error_file(p.rejected(True))
    lines = list(csv.reader(err.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert [r[0] for r in lines[1:]] == ["5", "6"] and "Totaal" not in err.read_text(encoding="utf-8-sig")


def test_a_footer_in_a_spreadsheet_and_the_header_repeated_on_a_new_page(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Naam", "Voornaam", "Geboortedatum"])
    ws.append(["Peeters", "Jan", dt.datetime(1985, 7, 30)])
    ws.append(["Naam", "Voornaam", "Geboortedatum"])         # printed list: the header again on page 2
    ws.append(["Maes", "Els", dt.datetime(1990, 1, 1)])
    ws.append(["Totaal aantal werknemers", None, 2])
    path = tmp_path / "lijst.xlsx"
    wb.save(path)
    t = load_table(path)
    assert [r[0] for r in t.rows] == ["Peeters", "Maes"] and t.line_numbers == [2, 4]
    assert "Rij 3 overgeslagen: de kolomnamen staan er nog eens, geen werknemer." in t.notes
    assert 'Rij 5 overgeslagen: een totaalregel ("Totaal aantal werknemers"), geen werknemer.' in t.notes


@pytest.mark.parametrize("row, label", [
    (["Totaal: 7 werknemers", None, None], "Totaal: 7 werknemers"),
    (["Totaal", None, 7], "Totaal"),
    ([None, "Aantal werknemers", "7"], "Aantal werknemers"),
    (["Sous-total", 3, "1.234,50"], "Sous-total"),
    (["Peeters", "Jan", None], None),                   # a worker
    (["Totaal", "Jan", None], None),                    # a second text: a worker, whatever the surname
    (["Totaal", None, "68031403326"], None),            # an INSZ belongs to a worker
    (["Totaal", dt.date(2026, 1, 1), None], None),      # so does a date
    (["Totaalbouw NV", None, 3], None),
    ([None, None, 7], None),
])
def test_summary_label(row, label):
    assert summary_label(row) == label
