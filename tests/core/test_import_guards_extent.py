"""A spreadsheet whose first sheet reaches absurdly far (one stray value at XFD1048576) is refused with a
Dutch message before a reader builds its grid; empty columns at the right are not part of the table.

The files are small and made here; the dangerous ones are read in a child process, so that a regression
(calamine aborts the process when it cannot allocate the grid) fails one test instead of the whole run.
"""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cli.app import run
from core.importers import ImportFileError, load_table
from core.importers.extent import MAX_CELLS, MAX_COLUMNS, Extent, check_extent, column_letters, column_number

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["Naam", "Voornaam", "INSZ", "Geboortedatum", "Functie"]


def _xlsx(path: Path, far: dict[str, object] | None = None, rows=(("Peeters", "Jan", None, None, "Lasser"),)) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(list(r))
    for ref, value in (far or {}).items():
        ws[ref] = value
    wb.save(path)
    return path


def _edit_sheet(src: Path, dst: Path, edit) -> Path:
    """Copy an xlsx with its first sheet's XML changed by ``edit(text) -> text``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return dst


def _read_in_child(path: Path) -> tuple[int, str]:
    """load_table in a child process with at most 2 GB of memory: (exit code, what it printed)."""
    code = (
        "import sys, resource\n"
        "try:\n"
        "    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "except (ValueError, OSError):\n"
        "    pass\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from core.importers import ImportFileError, load_table\n"
        "try:\n"
        f"    t = load_table({str(path)!r})\n"
        "    print('READ', len(t.headers), len(t.rows))\n"
        "except ImportFileError as e:\n"
        "    print('REFUSED', e)\n"
    )
    if sys.platform == "win32":
        code = code.replace("import sys, resource", "import sys").replace("resource.setrlimit", "int")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return p.returncode, (p.stdout + p.stderr).strip()


def test_column_letters():
    assert [column_letters(n) for n in (1, 26, 27, 702, 703, 16384)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
    assert [column_number(t) for t in ("A", "Z", "AA", b"XFD")] == [1, 26, 27, 16384]


@pytest.mark.parametrize("ref, words", [("XFD1048576", ["kolom XFD", "16.384 kolommen", "XFD1048576"]),
                                        ("Z1048576", ["Z1048576", "1.048.576 rijen", "26 kolommen"]),
                                        ("XFD2", ["kolom XFD", "XFD2"])])
def test_one_far_value_is_refused_before_the_sheet_is_read(tmp_path, ref, words):
    path = _xlsx(tmp_path / "ver.xlsx", {ref: "x"})
    assert path.stat().st_size < 10_000
    code, out = _read_in_child(path)
    assert code == 0, out
    assert out.startswith("REFUSED ver.xlsx loopt tot"), out
    assert "Er werd niets ingelezen" in out
    for w in words:
        assert w in out


def test_command_line_refuses_it_in_one_dutch_line_and_imports_nothing(tmp_path, capsys):
    db = tmp_path / "w.db"
    assert run(["--db", str(db), "--yes", "demo", "--workers", "3", "--json"]) == 0
    dossier = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["dossier"]
    path = _xlsx(tmp_path / "ver.xlsx", {"XFD2": "x"})       # (not XFD1048576: in this process)
    for extra in (["--dry-run"], ["--yes"]):
        assert run(["--db", str(db), "import-workers", str(path), "--dossier", str(dossier)] + extra) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "XFD2" in err and "niets ingelezen" in err
    assert run(["--db", str(db), "workers", "--dossier", str(dossier), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out.strip().splitlines()[-1])) == 3


def test_limits_are_checked_on_the_cells_that_hold_a_value(tmp_path):
    base = _xlsx(tmp_path / "basis.xlsx")
    # a formatted but empty cell far away, or a formula without a value: the readers leave them out too
    for name, cell in (("opmaak", '<c r="XFD1048576" s="0"/>'), ("leeg", '<c r="XFD1048576" s="0"></c>'),
                       ("formule", '<c r="XFD1048576"><f>1+1</f></c>')):
        path = _edit_sheet(base, tmp_path / f"{name}.xlsx",
                           lambda t, c=cell: t.replace("</sheetData>", f'<row r="1048576">{c}</row></sheetData>'))
        table = load_table(path)
        assert table.headers == HEAD and len(table.rows) == 1
    # a value stays a value when the reference is left out: it is counted where the reader puts it
    far_rows = "".join('<row r="1048576">' + "<c><v>1</v></c>" * 5 + "</row>")
    path = _edit_sheet(base, tmp_path / "zonder_ref.xlsx", lambda t: t.replace("</sheetData>", far_rows + "</sheetData>"))
    with pytest.raises(ImportFileError, match="1.048.576 rijen en 5 kolommen"):
        load_table(path)


def test_a_sheet_written_with_a_namespace_prefix_is_checked_too(tmp_path):
    base = _xlsx(tmp_path / "basis.xlsx")

    def prefixed(text: str) -> str:
        text = text.replace('xmlns="http://schemas', 'xmlns:x="http://schemas', 1)
        import re
        text = re.sub(r"<(/?)(?!\?)([A-Za-z]+)", r"<\1x:\2", text)
        return text.replace("</x:sheetData>", '<x:row r="9"><x:c r="XFD9"><x:v>1</x:v></x:c></x:row></x:sheetData>')

    path = _edit_sheet(base, tmp_path / "voorvoegsel.xlsx", prefixed)
    code, out = _read_in_child(path)
    assert code == 0 and out.startswith("REFUSED") and "XFD9" in out, out


def test_every_sheet_is_checked(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(HEAD)
    wb.active.append(["Peeters", "Jan"])
    notes = wb.create_sheet("Notities")
    notes["A1"] = "Opmerkingen"
    notes["XFD1048576"] = "x"                           # this sheet is not read, and that is said
    wb.save(tmp_path / "twee.xlsx")
    assert check_extent((tmp_path / "twee.xlsx").read_bytes()) == Extent(1, 2, 1, 5)
    table = load_table(tmp_path / "twee.xlsx")
    assert len(table.rows) == 1 and any('"Notities" werd niet gelezen' in n for n in table.notes)
    code, out = _read_in_child(tmp_path / "twee.xlsx")
    assert code == 0 and out == "READ 5 1", out


def _ods(path: Path, repeat_columns: int, repeat_rows: int) -> Path:
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{table}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Blad1"><table:table-row>'
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
                  for h in HEAD)
        + f'</table:table-row><table:table-row table:number-rows-repeated="{repeat_rows}">'
        f'<table:table-cell office:value-type="string" table:number-columns-repeated="{repeat_columns}">'
        '<text:p>x</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                   'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path'
                   '="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    return path


def test_ods_with_repeated_cells(tmp_path):
    small = _ods(tmp_path / "klein.ods", 2, 3)          # trailing empty repeated rows/cells are no values
    assert check_extent(small.read_bytes()) == Extent(1, 4, 1, 5)
    assert len(load_table(small).rows) == 3
    wide = _ods(tmp_path / "breed.ods", MAX_COLUMNS + 24, 5)
    with pytest.raises(ImportFileError, match="kolommen"):
        load_table(wide)
    long = _ods(tmp_path / "lang.ods", 50, MAX_CELLS // 50 + 1)
    with pytest.raises(ImportFileError, match="rijen"):
        load_table(long)


def test_empty_columns_at_the_right_are_not_part_of_the_table(tmp_path):
    path = _xlsx(tmp_path / "spaties.xlsx", {"M1": "   ", "T2": " "})
    assert load_table(path).headers == HEAD
    csv = tmp_path / "lijst.csv"
    csv.write_text("Naam;Voornaam;;;;;;\nPeeters;Jan;;;;;;;;;;;\n;;;;\nJanssens;Els\n", encoding="utf-8")
    table = load_table(csv)
    assert table.headers == ["Naam", "Voornaam"] and table.rows == [["Peeters", "Jan"], ["Janssens", "Els"]]
    csv.write_text("Naam;" + "x;" * 20 + "Voornaam\nPeeters;" + ";" * 20 + "Jan\n", encoding="utf-8")
    assert len(load_table(csv).headers) == 22                  # an empty column inside the table stays


def test_a_list_with_far_too_many_filled_columns_is_refused(tmp_path):
    csv = tmp_path / "breed.csv"
    csv.write_text(";".join(["Naam", "Voornaam"] + [f"k{i}" for i in range(MAX_COLUMNS)]) + "\nPeeters;Jan\n",
                   encoding="utf-8")
    with pytest.raises(ImportFileError, match="1.002 kolommen"):
        load_table(csv)


def test_the_cli_preview_lists_no_empty_columns(tmp_path, capsys):
    db = tmp_path / "w.db"
    assert run(["--db", str(db), "--yes", "demo", "--workers", "3", "--json"]) == 0
    dossier = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["dossier"]
    path = _edit_sheet(_xlsx(tmp_path / "basis.xlsx"), tmp_path / "ver_leeg.xlsx",
                       lambda t: t.replace("</sheetData>", '<row r="5"><c r="ZZ5" t="inlineStr"><is><t> </t></is></c>'
                                                           "</row></sheetData>"))
    assert run(["--db", str(db), "import-workers", str(path), "--dossier", str(dossier), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Kolom 6" not in out and "(niet importeren)" not in out
    assert sum(1 for line in out.splitlines() if " -> " in line) == len(HEAD)
