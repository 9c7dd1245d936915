"""A workbook with several sheets is never imported in part without a word: every sheet whose header maps to
the same fields is read together (each row remembers its sheet), other non-empty sheets are named with the
reason they were not read, and one sheet can be chosen (``--sheet``, the dialog)."""
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from cli.app import run
from core.importers import ImportFileError, ImportPreview, NoWorkerSheet, RowStatus, guess_mapping, load_table
from core.model import Dossier

HEAD = ["Naam", "Voornaam", "INSZ", "Geboortedatum", "Uit dienst"]
LUC = ["Peeters", "Luc", "66.03.03-001.55", "03/03/1966", "31/12/2026"]
SOFIE = ["Wouters", "Sofie", "85073003328", "30/07/1985", "31/12/2026"]
JEAN = ["Dubois", "Jean-Pierre", "70.02.11-113.71", "11/02/1970", "31/12/2026"]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def two_sheets(path: Path) -> Path:
    return workbook(path, {"Arbeiders": [HEAD, LUC], "Bedienden": [HEAD, SOFIE, JEAN]})


def test_sheets_with_the_same_columns_are_read_together(tmp_path):
    t = load_table(two_sheets(tmp_path / "twee.xlsx"))
    assert t.headers == HEAD and [r[0] for r in t.rows] == ["Peeters", "Wouters", "Dubois"]
    assert t.row_sheets == ["Arbeiders", "Bedienden", "Bedienden"] and t.line_numbers == [2, 2, 3]
    assert t.sheets == t.workbook_sheets == ["Arbeiders", "Bedienden"]
    assert '"Arbeiders" (1 rij), "Bedienden" (2 rijen)' in t.notes[0]


def test_columns_in_another_order_are_put_under_the_right_field(tmp_path):
    other = [HEAD[1], HEAD[0], *HEAD[2:], "Functie"]
    t = load_table(workbook(tmp_path / "v.xlsx", {"A": [HEAD, LUC],
                                                 "B": [other, [SOFIE[1], SOFIE[0], *SOFIE[2:], "Bediende"]]}))
    # "Functie" maps to another field than sheet A has: sheet B is named, not read
    assert len(t.rows) == 1 and any('"B" heeft andere kolommen' in n for n in t.notes)
    t = load_table(workbook(tmp_path / "w.xlsx", {"A": [HEAD, LUC],
                                                 "B": [other[:5], [SOFIE[1], SOFIE[0], *SOFIE[2:]]]}))
    assert t.rows[1][:2] == ["Wouters", "Sofie"] and t.headers == HEAD


def test_a_cover_sheet_is_skipped_and_named(tmp_path):
    t = load_table(workbook(tmp_path / "info.xlsx", {"Info": [["Deze lijst staat op blad 2"]], "Lijst": [HEAD, LUC],
                                                     "Leeg": []}))
    assert len(t.rows) == 1 and t.sheets == ["Lijst"] and t.workbook_sheets == ["Info", "Lijst"]
    assert any('Blad "Info" overgeslagen' in n for n in t.notes)
    assert 'Alleen blad "Lijst"' in t.notes[0]


def test_no_sheet_with_the_columns_names_the_sheets(tmp_path):
    path = workbook(tmp_path / "geen.xlsx", {"Info": [["Tekst"]], "Cijfers": [["Jaar", "Omzet"], [2025, 10]]})
    with pytest.raises(NoWorkerSheet) as e:
        load_table(path)
    assert '"Info", "Cijfers"' in str(e.value) and e.value.sheets == ["Info", "Cijfers"]


def test_one_sheet_chosen(tmp_path):
    path = two_sheets(tmp_path / "twee.xlsx")
    t = load_table(path, sheet="bedienden")                 # case does not matter
    assert [r[0] for r in t.rows] == ["Wouters", "Dubois"] and t.row_sheets == ["Bedienden"] * 2
    assert 'het andere blad ("Arbeiders") niet' in t.notes[0]
    with pytest.raises(ImportFileError, match='geen blad "Bediendes".*"Arbeiders", "Bedienden"'):
        load_table(path, sheet="Bediendes")
    csv = tmp_path / "l.csv"
    csv.write_text("Naam;Voornaam\nPeeters;Jan\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="geen Excel-bestand"):
        load_table(csv, sheet="Blad1")


def test_a_single_sheet_workbook_reads_as_before(tmp_path):
    t = load_table(workbook(tmp_path / "een.xlsx", {"Blad1": [HEAD, LUC], "Blad2": []}))
    assert t.row_sheets == [] and t.notes == [] and t.sheets == ["Blad1"]


def test_a_far_reaching_other_sheet_is_not_read_and_named(tmp_path):
    path = workbook(tmp_path / "ver.xlsx", {"Lijst": [HEAD, LUC], "Notities": []})
    wb = openpyxl.load_workbook(path)
    wb["Notities"]["A1"] = "Opmerkingen"
    wb["Notities"]["XFD1048576"] = "x"
    wb.save(path)
    t = load_table(path)
    assert len(t.rows) == 1 and any('"Notities" werd niet gelezen' in n and "XFD1048576" in n for n in t.notes)
    with pytest.raises(ImportFileError, match=r"ver.xlsx \(blad Notities\) loopt tot kolom XFD"):
        load_table(path, sheet="Notities")


def test_messages_and_error_list_name_the_sheet(tmp_path):
    path = workbook(tmp_path / "dubbel.xlsx", {"Arbeiders": [HEAD, LUC], "Bedienden": [HEAD, SOFIE, LUC]})
    t = load_table(path)
    p = ImportPreview(t, guess_mapping(t.headers), Dossier("X NV", id=1, announcement_date=dt.date(2026, 9, 15)),
                      today=dt.date(2026, 11, 28))
    bad = [r for r in p.rows if r.status is RowStatus.ERROR]
    assert len(bad) == 1 and bad[0].place == "blad Bedienden, rij 3"
    assert "Dit INSZ komt al voor op blad Arbeiders, rij 2 van het bestand." in bad[0].errors
    assert "Hetzelfde INSZ staat nog eens op blad Bedienden, rij 3." in p.rows[0].warnings
    text = p.error_file_text(bad)
    assert text.splitlines()[0].startswith("Blad;Rij;Naam") and text.splitlines()[1].startswith("Bedienden;3;Peeters")


def test_cli_reads_every_sheet_or_the_one_chosen(tmp_path, capsys):
    db = tmp_path / "w.db"
    assert run(["--db", str(db), "--yes", "demo", "--workers", "2", "--json"]) == 0
    dossier = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["dossier"]
    base = ["--db", str(db), "import-workers", str(two_sheets(tmp_path / "twee.xlsx")), "--dossier", str(dossier),
            "--dry-run"]
    assert run(base) == 0
    out = capsys.readouterr().out
    assert "3 geldig" in out and '"Arbeiders" (1 rij), "Bedienden" (2 rijen)' in out
    assert run(base + ["--sheet", "Bedienden"]) == 0
    assert "2 geldig" in capsys.readouterr().out
    info = workbook(tmp_path / "info.xlsx", {"Info": [["Tekst"]], "Cijfers": [["Jaar", "Omzet"], [2025, 10]]})
    assert run(["--db", str(db), "import-workers", str(info), "--dossier", str(dossier), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert '"Info", "Cijfers"' in err and "--sheet" in err
    assert run(["--db", str(db), "import-workers", str(info), "--dossier", str(dossier), "--dry-run",
                "--sheet", "Info"]) == 2
    err = capsys.readouterr().err
    assert 'op blad "Info"' in err and "--sheet" in err


def test_the_preview_shows_a_date_written_as_a_number_as_the_date_imported(tmp_path):
    head = ["Naam", "Voornaam", "Geboortedatum", "Datum in dienst", "Uit dienst"]
    path = workbook(tmp_path / "serie.xlsx", {"Lijst": [head, ["Dubois", "Jean", 25610, 33000, "31/12/2026"],
                                                        ["Maes", "An", "30/07/1985", None, None]]})
    t = load_table(path)
    p = ImportPreview(t, guess_mapping(t.headers), Dossier("X NV", id=1, announcement_date=dt.date(2026, 9, 15)),
                      today=dt.date(2026, 11, 28))
    assert p.value(0, "birth_date") == "11/02/1970" and p.raw_value(0, "birth_date") == "25610"
    assert p.value(0, "seniority_start") == "07/05/1990"
    assert p.rows[0].worker.birth_date == dt.date(1970, 2, 11)
    assert p.value(0, "surname") == "Dubois" and p.value(1, "birth_date") == "30/07/1985"


def test_an_ods_workbook_reads_its_tables_together(tmp_path):
    import zipfile
    from core.importers.extent import Extent, sheet_extents
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def table(name, rows):
        return (f'<table:table table:name="{name}">' + "".join(
            "<table:table-row>" + "".join(f'<table:table-cell office:value-type="string"><text:p>{c}</text:p>'
                                          "</table:table-cell>" for c in r) + "</table:table-row>" for r in rows)
            + "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               "<office:body><office:spreadsheet>" + table("Arbeiders", [HEAD[:2], LUC[:2]])
               + table("Bedienden", [HEAD[:2], SOFIE[:2], JEAN[:2]]) + "</office:spreadsheet></office:body>"
               "</office:document-content>")
    path = tmp_path / "twee.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                   'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path'
                   '="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    assert sheet_extents(path.read_bytes()) == {"Arbeiders": Extent(1, 2, 1, 2), "Bedienden": Extent(1, 3, 1, 2)}
    t = load_table(path)
    assert [r[0] for r in t.rows] == ["Peeters", "Wouters", "Dubois"]
    assert t.row_sheets == ["Arbeiders", "Bedienden", "Bedienden"]


def hidden_workbook(path: Path, sheets: dict[str, list[list]], hidden: dict[str, str]) -> Path:
    """A workbook whose sheets named in ``hidden`` have that state ("hidden" or "veryHidden")."""
    workbook(path, sheets)
    wb = openpyxl.load_workbook(path)
    for name, state in hidden.items():
        wb[name].sheet_state = state
    wb.save(path)
    return path


def ods_workbook(path: Path, sheets: dict[str, list[list]], hidden=()) -> Path:
    """An ODS workbook written by hand; the tables named in ``hidden`` are hidden (table:display false)."""
    import zipfile
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def table(name, rows):
        style = "taVerborgen" if name in hidden else "taZichtbaar"
        return (f'<table:table table:name="{name}" table:style-name="{style}">' + "".join(
            "<table:table-row>" + "".join(f'<table:table-cell office:value-type="string"><text:p>{c}</text:p>'
                                          "</table:table-cell>" for c in r) + "</table:table-row>" for r in rows)
            + "</table:table>")
    styles = ('<office:automatic-styles><style:style style:name="taZichtbaar" style:family="table">'
              '<style:table-properties table:display="true"/></style:style><style:style style:name="taVerborgen" '
              'style:family="table"><style:table-properties table:display="false"/></style:style>'
              '</office:automatic-styles>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               + styles + "<office:body><office:spreadsheet>" + "".join(table(n, r) for n, r in sheets.items())
               + "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                   'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path'
                   '="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return path


OLD_LIST = [HEAD, LUC, SOFIE]          # last year's list, kept hidden by the employer


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_with_the_same_columns_is_named_not_read_with_the_others(tmp_path, state):
    """The counsellor does not see a hidden sheet when opening the workbook: it is not read with the visible
    ones, and the notes say it is there, with its rows, and how to read it."""
    path = hidden_workbook(tmp_path / "verborgen.xlsx", {"Lijst": [HEAD, JEAN], "Vorig jaar": OLD_LIST,
                                                         "Codes": [["Code", "Omschrijving"], ["A", "Arbeider"]]},
                           {"Vorig jaar": state, "Codes": state})
    t = load_table(path)
    assert [r[0] for r in t.rows] == ["Dubois"] and t.sheets == ["Lijst"]
    assert t.hidden_sheets == ["Vorig jaar", "Codes"] and t.workbook_sheets == ["Lijst", "Vorig jaar", "Codes"]
    assert t.notes[0] == 'Alleen het zichtbare blad "Lijst" werd ingelezen.'
    assert ('Blad "Vorig jaar" is verborgen in het werkboek en werd niet ingelezen, al heeft het de kolommen van een '
            'lijst van werknemers (2 rijen). Horen die werknemers erbij, kies het blad dan apart.') in t.notes
    assert 'Blad "Codes" is verborgen in het werkboek en werd niet ingelezen (geen lijst van werknemers).' in t.notes
    # chosen apart, it is read, and said to be hidden
    t = load_table(path, sheet="Vorig jaar")
    assert [r[0] for r in t.rows] == ["Peeters", "Wouters"]
    assert any('"Vorig jaar" is verborgen in het werkboek; het werd ingelezen omdat het gekozen werd' in n
               for n in t.notes)


def test_two_visible_sheets_and_a_hidden_one(tmp_path):
    path = hidden_workbook(tmp_path / "drie.xlsx", {"Arbeiders": [HEAD, LUC], "Bedienden": [HEAD, SOFIE],
                                                    "Oud": [HEAD, JEAN]}, {"Oud": "hidden"})
    t = load_table(path)
    assert t.sheets == ["Arbeiders", "Bedienden"] and len(t.rows) == 2
    assert t.notes[0].startswith("Dit werkboek heeft 2 zichtbare bladen met werknemers")
    assert any('"Oud" is verborgen' in n and "(1 rij)" in n for n in t.notes)


def test_only_a_hidden_sheet_has_the_list(tmp_path):
    path = hidden_workbook(tmp_path / "alleen.xlsx", {"Uitleg": [["Zie de lijst"]], "Lijst": [HEAD, LUC]},
                           {"Lijst": "hidden"})
    with pytest.raises(NoWorkerSheet) as e:
        load_table(path)
    assert 'het verborgen blad "Lijst" wel' in str(e.value) and "kies dat blad apart" in str(e.value)
    assert e.value.sheets == ["Uitleg", "Lijst"]          # the window shows a visible sheet first
    # the only sheet with data, hidden: read, and said
    path = hidden_workbook(tmp_path / "enig.xlsx", {"Leeg": [], "Lijst": [HEAD, LUC]}, {"Lijst": "hidden"})
    t = load_table(path)
    assert len(t.rows) == 1 and "toch ingelezen omdat het het enige blad met gegevens is" in t.notes[0]


def test_a_hidden_table_of_an_ods_workbook(tmp_path):
    path = ods_workbook(tmp_path / "verborgen.ods", {"Lijst": [HEAD[:2], LUC[:2]], "Oud": [HEAD[:2], SOFIE[:2]]},
                        hidden={"Oud"})
    t = load_table(path)
    assert [r[0] for r in t.rows] == ["Peeters"] and t.hidden_sheets == ["Oud"]
    assert any('"Oud" is verborgen in het werkboek en werd niet ingelezen' in n and "(1 rij)" in n for n in t.notes)
    assert [r[0] for r in load_table(path, sheet="Oud").rows] == ["Wouters"]


def test_without_calamine_openpyxl_sees_hidden_sheets_too(tmp_path, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_calamine(name, *a, **k):
        if name == "python_calamine":
            raise ImportError(name)
        return real_import(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", no_calamine)
    path = hidden_workbook(tmp_path / "v.xlsx", {"Lijst": [HEAD, JEAN], "Oud": OLD_LIST}, {"Oud": "veryHidden"})
    t = load_table(path)
    assert t.sheets == ["Lijst"] and t.hidden_sheets == ["Oud"] and any('"Oud" is verborgen' in n for n in t.notes)


def test_cli_says_a_hidden_sheet_was_not_read(tmp_path, capsys):
    db = tmp_path / "w.db"
    assert run(["--db", str(db), "--yes", "demo", "--workers", "2", "--json"]) == 0
    dossier = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["dossier"]
    path = hidden_workbook(tmp_path / "verborgen.xlsx", {"Lijst": [HEAD, JEAN], "Vorig jaar": OLD_LIST},
                           {"Vorig jaar": "hidden"})
    base = ["--db", str(db), "import-workers", str(path), "--dossier", str(dossier), "--dry-run"]
    assert run(base) == 0
    out = capsys.readouterr().out
    assert "1 geldig" in out and 'Blad "Vorig jaar" is verborgen in het werkboek en werd niet ingelezen' in out
    assert run(base + ["--sheet", "Vorig jaar"]) == 0
    out = capsys.readouterr().out
    assert "2 geldig" in out and "verborgen in het werkboek; het werd ingelezen omdat het gekozen werd" in out
