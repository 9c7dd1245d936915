"""Read an employer's list (XLSX, XLS, CSV) into header + rows of plain Python values.

Encoding and delimiter detection are deterministic (no statistics): a UTF-8 BOM means UTF-8,
a UTF-16 BOM means UTF-16, bytes that decode as UTF-8 are UTF-8, anything else is Windows-1252
(what Excel writes for "CSV (gescheiden door lijstscheidingsteken)" on a Belgian PC). The
delimiter is the one of ``; TAB ,`` that occurs most often, outside quotes, in the header line
and gives the same number of fields on the next lines.

Lists laid out for print are read as the counsellor reads them: a header over two rows (a merged group
cell such as "Datum" over "geboorte" / "uit dienst") gives combined names ("Datum geboorte"); total lines
("Totaal: 7 werknemers") and the header repeated further down are no workers. What was combined or
skipped is said in ``RawTable.notes`` (Dutch), with the row numbers.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import UserError
from core.fileio import os_reason
from core.i18n import counted, tr
from core.importers.extent import MAX_COLUMNS, Extent, SheetTooLarge, sheet_extents
import unicodedata

_CTX = "import"
DELIMITERS = (";", "\t", ",")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_MAGIC = b"PK\x03\x04"                             # xlsx, xlsm, xlsb, ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # xls, and any Office file with a password


class ImportFileError(UserError):
    """The file cannot be read as an employer's list; the message says why (Dutch)."""


@dataclass
class RawTable:
    headers: list[str]
    rows: list[list[Any]]
    header_line: int = 1                     # 1-based line/row number of the header in the file
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    source: Path | None = None
    notes: list[str] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    row_sheets: list[str] = field(default_factory=list)      # per data row its sheet, when a workbook has several
    sheets: list[str] = field(default_factory=list)           # the sheets read
    workbook_sheets: list[str] = field(default_factory=list)  # every non-empty sheet of the workbook
    hidden_sheets: list[str] = field(default_factory=list)    # those of them hidden in the workbook

    def sheet_of(self, index: int) -> str:
        """Sheet of data row ``index`` ('' for a CSV file or a workbook with one sheet)."""
        return self.row_sheets[index] if index < len(self.row_sheets) else ""

    def line_of(self, index: int) -> int:
        """Line (CSV) or row (sheet) number in the file of data row ``index``."""
        if index < len(self.line_numbers):
            return self.line_numbers[index]
        return self.header_line + 1 + index


def detect_encoding(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def detect_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ";"
    best, best_key = ";", (-1, -1)
    for d in DELIMITERS:
        counts = [_count_outside_quotes(ln, d) for ln in lines[:20]]
        if counts[0] == 0:
            continue
        consistent = sum(1 for c in counts[1:] if c == counts[0])
        key = (consistent, counts[0])
        if key > best_key:
            best, best_key = d, key
    return best


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    enc = detect_encoding(raw)
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        raise ImportFileError(tr(_CTX, "{bestand} kan niet gelezen worden: onbekende tekenset.").format(
            bestand=path.name)) from None
    if "\x00" in text:
        raise ImportFileError(tr(_CTX, "{bestand} is geen tekstbestand (CSV). Kies een Excel- of CSV-bestand.").format(
            bestand=path.name))
    return text, enc


def read_csv_text(text: str, delimiter: str | None = None) -> list[list[str]]:
    delimiter = delimiter or detect_delimiter(text)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)]
    except csv.Error as e:                  # e.g. a field over csv's size limit; its text is English
        log.info("csv cannot read the file: %s", e)
        raise ImportFileError(tr(_CTX, "Het CSV-bestand is beschadigd of bevat een veld dat te lang is; er werd "
                                       "niets ingelezen.")) from None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FORMULA = re.compile(r"'[=+\-@\t\r]")


def _unquote_formula(value: str) -> str:
    """A CSV value written as text with a leading apostrophe ('=..., '+32 ...: see ``preview._csv_safe``,
    the error list) is read back without it."""
    if value[:1] == "'" and value[1:2] and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _cell(value: Any) -> Any:
    """Normalise a spreadsheet value: integral floats become int, text is stripped."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, str):
        v = value.strip()
        return v or None
    if isinstance(value, (dt.datetime, dt.date, int)) or value is None:
        return value
    if isinstance(value, dt.time):
        return None
    return str(value)


# Names of the streams in an OLE2 (compound) file, as stored in its directory (UTF-16-LE)
_OLE_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_OLE_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ZIP_WORKBOOK = ("xl/workbook.xml", "xl/workbook.bin", "content.xml")
log = logging.getLogger("werkbrug.import")


def _excel_problem(raw: bytes) -> str:
    """Why a spreadsheet that the reader refused cannot be read: ``encrypted``, ``not_excel`` or ``damaged``
    (decided from the bytes, never from the English text of the library's exception)."""
    if raw[:8] == OLE_MAGIC:
        if any(name in raw for name in _OLE_ENCRYPTED):
            return "encrypted"                      # Office's password protection: an OLE box around the xlsx
        return "damaged" if any(name in raw for name in _OLE_WORKBOOK) else "not_excel"
    if raw[:4] == ZIP_MAGIC:
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                names = set(z.namelist())
        except Exception:  # noqa: BLE001 - BadZipFile, NotImplementedError, ...: cut off or overwritten
            return "damaged"
        return "damaged" if names & set(_ZIP_WORKBOOK) else "not_excel"   # a Word file or another zip
    return "not_excel"


def _excel_error(path: Path, problem: str) -> ImportFileError:
    if problem == "encrypted":
        text = tr(_CTX, "{bestand} is beveiligd met een wachtwoord (versleuteld) en kan niet gelezen worden. Open het "
                        "in Excel, verwijder het wachtwoord en bewaar het opnieuw, of bewaar de lijst als .csv.")
    elif problem == "no_sheet":
        text = tr(_CTX, "{bestand} bevat geen werkblad.")
    elif problem == "not_excel":
        text = tr(_CTX, "{bestand} is geen geldig Excel-bestand. Kies een Excel-bestand (.xlsx, .xls) of een "
                        "CSV-bestand.")
    else:
        text = tr(_CTX, "{bestand} is beschadigd of onvolledig en kan niet gelezen worden als Excel-bestand. Open "
                        "het in Excel en bewaar het opnieuw, of vraag een nieuwe kopie.")
    return ImportFileError(text.format(bestand=path.name))


class NoWorkerSheet(ImportFileError):
    """No sheet of a workbook with several sheets has the columns of a list of workers."""

    def __init__(self, message: str, sheets: list[str]):
        super().__init__(message)
        self.sheets = sheets


@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]] | None           # None: not read, too large (``extent``)
    extent: Extent | None = None
    hidden: bool = False                   # hidden (or "very hidden") in the workbook: the counsellor does not see it

    @property
    def empty(self) -> bool:
        return self.rows is not None and not any(c not in (None, "") for r in self.rows for c in r)


def _read_excel(path: Path, raw: bytes) -> list[_Sheet]:
    """Every sheet of the workbook, in order; a sheet that reaches far beyond any list is not read
    (``rows`` None). A file that cannot be read gives a Dutch reason; the library's own (English) message
    only goes to the log."""
    if raw[:8] == OLE_MAGIC and any(name in raw for name in _OLE_ENCRYPTED):
        raise _excel_error(path, "encrypted")
    try:                               # before a reader builds a grid: one far cell must not take all memory
        extents = sheet_extents(raw) or {}
    except SheetTooLarge as e:
        raise ImportFileError(e.message(path.name)) from None

    def too_large(name: str) -> Extent | None:
        e = extents.get(name)
        return e if e is not None and e.too_large() else None

    try:
        from python_calamine import CalamineWorkbook, PasswordError
    except ImportError:
        CalamineWorkbook = None
    if CalamineWorkbook is not None:
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))   # the format from the content: a .xls named .xlsx
            if not wb.sheet_names:
                raise _excel_error(path, "no_sheet")
            hidden = _calamine_hidden(wb)
            out = []
            for name in wb.sheet_names:
                far = too_large(name)
                out.append(_Sheet(name, None, far, name in hidden) if far else
                           _Sheet(name, [list(r) for r in wb.get_sheet_by_name(name).to_python()],
                                  hidden=name in hidden))
            return out
        except ImportFileError:
            raise
        except PasswordError:
            raise _excel_error(path, "encrypted") from None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # noqa: BLE001 - calamine's own error types, and a Rust panic on a bad file
            log.info("calamine cannot read the spreadsheet: %s: %s", e.__class__.__name__, e)
            raise _excel_error(path, _excel_problem(raw)) from None
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ImportFileError(tr(_CTX, "Voor {soort}-bestanden is het pakket python-calamine nodig. Bewaar de lijst "
                                       "als .xlsx of .csv.").format(soort=path.suffix.lower() or "Excel"))
    import openpyxl
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if not wb.worksheets:
                raise _excel_error(path, "no_sheet")
            out = []
            for ws in wb.worksheets:
                far = too_large(ws.title)
                hidden = getattr(ws, "sheet_state", "visible") != "visible"
                out.append(_Sheet(ws.title, None, far, hidden) if far else
                           _Sheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)], hidden=hidden))
            return out
        finally:
            wb.close()
    except ImportFileError:
        raise
    except Exception as e:  # noqa: BLE001 - zip, XML, zlib and openpyxl's own errors
        log.info("openpyxl cannot read the spreadsheet: %s: %s", e.__class__.__name__, e)
        raise _excel_error(path, _excel_problem(raw)) from None


def _calamine_hidden(wb) -> set[str]:
    """Names of the sheets hidden or very hidden in the workbook (xlsx, xls, ods), as calamine reports them."""
    try:
        from python_calamine import SheetVisibleEnum
        return {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    except Exception as e:  # noqa: BLE001 - an older calamine without the metadata: every sheet counts as seen
        log.info("calamine gives no sheet visibility: %s: %s", e.__class__.__name__, e)
        return set()


def _find_header(rows: list[list[Any]], is_known_header) -> int:
    """Index of the header row: the first of the first 15 rows with 2+ known column names, else the first
    non-empty row (title lines above the table are skipped)."""
    first = None
    for i, row in enumerate(rows[:15]):
        texts = [str(c) for c in row if c not in (None, "")]
        if not texts:
            continue
        if first is None:
            first = i
        if sum(1 for t in texts if is_known_header(t)) >= 2:
            return i
    return first if first is not None else 0


# A cell of a sub-header row: text, never a date, a number or a value such as 03/03/1966 or 66030300155.
_DATA_LIKE = re.compile(r"^[\d\s./\-:+,()]+$")


def _header_like(row: list[Any]) -> bool:
    """Every filled cell is a text that could be a column name (a data row has dates, numbers, INSZ)."""
    cells = [c for c in row if c is not None]
    return bool(cells) and all(isinstance(c, str) and not _DATA_LIKE.match(c) for c in cells)


def _two_row_header(upper: list[Any], lower: list[Any], width: int, is_known_header, *,
                    single: str) -> list[str] | None:
    """The column names of a header written over two rows, or None when ``upper`` and ``lower`` are not one.

    A text in the upper row is a group name (a merged cell such as "Datum" over "geboorte" and "uit dienst")
    when the lower row has a text under it and under the columns to its right that are empty above; a
    column empty above that is not inside a group keeps its lower name, and an upper name with nothing below
    (a cell merged over both rows, "Naam") stays as it is. The two rows are taken together only when that
    finds more known column names than the ``single`` row ("upper" or "lower") alone, or, with the upper
    row as the header found, when every text of the lower row sits under a group of two columns or more
    (the shape of merged group cells; a worker's row fills the columns of single names too).
    """
    parts: list[tuple[str, str]] = []           # (group name or "", lower name or "") per column
    spans: list[list[int]] = []                 # the columns of each upper name
    group = ""
    for i in range(width):
        top = _header_text(upper[i]) if i < len(upper) else ""
        sub = _header_text(lower[i]) if i < len(lower) else ""
        if top:
            group = top
            spans.append([i])
        elif sub and group:
            spans[-1].append(i)                  # the upper name continues over this column
        else:
            group = ""
        parts.append((group, sub))

    def combined(g: str, s: str) -> str:
        return f"{g} {s}" if g and s else g or s

    names = [combined(g, s) for g, s in parts]
    row = upper if single == "upper" else lower
    alone = [_header_text(row[i]) if i < len(row) else "" for i in range(width)]
    known_alone = sum(1 for n in alone if n and is_known_header(n))
    known_both = sum(1 for n, (g, s) in zip(names, parts)
                     if n and (is_known_header(n) or (s and is_known_header(s))))
    grouped = {i for span in spans if len(span) > 1 for i in span}
    shaped = (single == "upper" and bool(grouped)
              and all(i in grouped for i, (_, s) in enumerate(parts) if s))
    if not (known_both > known_alone or (shaped and known_both >= known_alone)):
        return None
    # A combined name the mapping does not know, over a lower name it knows ("Adres" over "postcode"):
    # the lower name, unless another column already has that name.
    chosen = [s if g and s and not is_known_header(n) and is_known_header(s) else n
              for n, (g, s) in zip(names, parts)]
    folded = [fold(c) for c in chosen]
    return [n if chosen[i] != n and folded.count(folded[i]) > 1 else chosen[i] for i, n in enumerate(names)]


# Summary lines of an employer's list ("Totaal: 7 werknemers", "Aantal | 7"): the first word(s) of the label
_TOTAL_WORDS = frozenset({"totaal", "totalen", "subtotaal", "eindtotaal", "aantal", "som", "total", "totaux",
                          "subtotal", "nombre"})
_TOTAL_PAIRS = frozenset({"sous total", "grand total", "algemeen totaal", "totaal aantal"})
_NUMBER = re.compile(r"^[\d\s.,€%+\-]*\d[\d\s.,€%+\-]*$")


def _is_number(value: Any) -> bool:
    """A count or an amount; never an INSZ (10 or 11 digits), which belongs to a worker."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        text = str(int(value)) if isinstance(value, int) or value.is_integer() else ""
    elif isinstance(value, str) and _NUMBER.match(value):
        text = value
    else:
        return False
    digits = re.sub(r"[\s.\-]", "", text)
    return not (digits.isdigit() and len(digits) in (10, 11))


def summary_label(row: list[Any]) -> str | None:
    """The label of a summary row (a total or a count, not a worker), or None. Its filled cells are one
    label that starts with a total word ("Totaal", "Aantal werknemers:", "Sous-total") and otherwise only
    numbers; any other text, a date or an INSZ makes it a worker's row."""
    label = None
    for c in row:
        if c is None or _is_number(c):
            continue
        if label is not None or not isinstance(c, str):
            return None                 # a second text (a worker's first name, function...) or a date
        label = c
    if label is None:
        return None
    words = fold(label).split()
    if not words or len(words) > 8:
        return None
    if words[0] in _TOTAL_WORDS or " ".join(words[:2]) in _TOTAL_PAIRS:
        return label
    return None


def _repeats_header(row: list[Any], names: list[set[str]]) -> bool:
    """The column names again (a list printed over several pages): 2+ filled cells, each one its column's
    name (or a part of a two-row name)."""
    filled = [(i, c) for i, c in enumerate(row) if c is not None]
    return len(filled) >= 2 and all(isinstance(c, str) and i < len(names) and fold(c) in names[i]
                                    for i, c in filled)


def _skipped_note(kind: str, lines: list[int], labels: list[str]) -> str:
    if len(lines) > 10:
        shown = ", ".join(str(n) for n in lines[:10]) + ", …"
    else:
        shown = ", ".join(str(n) for n in lines[:-1]) + (" " + tr(_CTX, "en") + " " if len(lines) > 1 else "") \
            + str(lines[-1])
    if kind == "summary":
        quoted = ", ".join(f'"{t}"' for t in dict.fromkeys(labels[:3]))
        if len(lines) == 1:
            return tr(_CTX, "Rij {rij} overgeslagen: een totaalregel ({tekst}), geen werknemer.").format(
                rij=shown, tekst=quoted)
        return tr(_CTX, "Rijen {rijen} overgeslagen: totaalregels ({tekst}), geen werknemers.").format(
            rijen=shown, tekst=quoted)
    if len(lines) == 1:
        return tr(_CTX, "Rij {rij} overgeslagen: de kolomnamen staan er nog eens, geen werknemer.").format(rij=shown)
    return tr(_CTX, "Rijen {rijen} overgeslagen: de kolomnamen staan er nog eens, geen werknemers.").format(
        rijen=shown)


def read_table(path: Path | str, *, delimiter: str | None = None, encoding: str | None = None,
               is_known_header=None, sheet: str | None = None) -> RawTable:
    """Read the CSV file, or the workbook: the sheet named ``sheet``, else every sheet whose columns are
    those of the first sheet with a list of workers (see ``_read_workbook``). Raises ImportFileError with a
    Dutch reason."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(tr(_CTX, "Het bestand {pad} bestaat niet.").format(pad=path))
    if path.is_dir():
        raise ImportFileError(tr(_CTX, "{pad} is een map, geen bestand.").format(pad=path))
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ImportFileError(tr(_CTX, "{bestand} kan niet gelezen worden: {fout}").format(
            bestand=path.name, fout=os_reason(e))) from None
    if not raw.strip():
        raise ImportFileError(tr(_CTX, "{bestand} is leeg.").format(bestand=path.name))
    suffix = path.suffix.lower()
    enc = delim = ""
    looks_zip = raw[:4] == ZIP_MAGIC
    looks_ole = raw[:8] == OLE_MAGIC
    if suffix in EXCEL_SUFFIXES or looks_zip or looks_ole:
        return _read_workbook(path, _read_excel(path, raw), is_known_header, sheet)
    if sheet:
        raise ImportFileError(tr(_CTX, "{bestand} is geen Excel-bestand en heeft geen bladen; laat de keuze van "
                                       "het blad weg.").format(bestand=path.name))
    else:
        if encoding:
            text, enc = raw.decode(encoding, errors="replace"), encoding
        else:
            text, enc = _decode(raw, path)
        delim = delimiter or detect_delimiter(text)
        rows = read_csv_text(text, delim)
        if _QUOTED_FORMULA.search(text):
            rows = [[_unquote_formula(c) for c in r] for r in rows]
    return _table_from_rows(path, rows, is_known_header, encoding=enc, delimiter=delim)


def _table_from_rows(path: Path, rows: list[list[Any]], is_known_header, *, encoding: str = "",
                     delimiter: str = "", sheet: str = "") -> RawTable:
    """The table in the rows of one CSV file or sheet: header found, title, empty and total lines skipped."""
    enc, delim = encoding, delimiter
    rows = [[_cell(c) for c in r] for r in rows]
    h = _find_header(rows, is_known_header or (lambda t: False))
    if not rows or not any(c is not None for c in rows[h]):
        raise ImportFileError(tr(_CTX, "{bestand} bevat geen tabel met kolomnamen.").format(bestand=path.name))
    width = max((_used_width(r) for r in rows[h:]), default=0)     # empty columns at the right are left out
    if width > MAX_COLUMNS:
        raise ImportFileError(tr(_CTX, "{bestand} heeft {n} kolommen; een personeelslijst heeft er hoogstens {max}. "
                                       "Er werd niets ingelezen. Verwijder de kolommen rechts van de lijst en "
                                       "probeer opnieuw.").format(bestand=path.name, n=f"{width:,}".replace(",", "."),
                                                                  max=f"{MAX_COLUMNS:,}".replace(",", ".")))
    known = is_known_header or (lambda t: False)
    first, last = h, h                              # the header's rows (two when it is written over two)
    names = None
    if h + 1 < len(rows) and _header_like(rows[h + 1]):
        names = _two_row_header(rows[h], rows[h + 1], width, known, single="upper")
        if names is not None:
            last = h + 1
    if names is None and h > 0 and _header_like(rows[h - 1]):
        names = _two_row_header(rows[h - 1], rows[h], width, known, single="lower")
        if names is not None:
            first = h - 1
    if names is None:
        names = [_header_text(rows[h][i]) if i < len(rows[h]) else "" for i in range(width)]
    headers = [n or tr(_CTX, "Kolom {n}").format(n=i + 1) for i, n in enumerate(names)]
    # what a repeated header looks like, per column: its name and the parts of a two-row name
    header_names = [{fold(headers[i])} | {fold(_header_text(rows[r][i])) for r in range(first, last + 1)
                                          if i < len(rows[r]) and rows[r][i] is not None} for i in range(width)]
    table = RawTable(headers, [], header_line=last + 1, encoding=enc, delimiter=delim, sheet=sheet, source=path)
    if last > first:
        def raw(r: int, i: int) -> str:
            return _header_text(rows[r][i]) if i < len(rows[r]) else ""
        example = next((n for i, n in enumerate(names) if n not in (raw(first, i), raw(last, i))), None)
        text = (tr(_CTX, 'De kolomnamen staan over twee rijen (rij {a} en {b}); ze werden samen gelezen, bv. '
                         '"{naam}".') if example else
                tr(_CTX, "De kolomnamen staan over twee rijen (rij {a} en {b}); ze werden samen gelezen."))
        table.notes.append(text.format(a=first + 1, b=last + 1, naam=example))
    empty = 0
    skipped: dict[str, tuple[list[int], list[str]]] = {"summary": ([], []), "header": ([], [])}
    for offset, r in enumerate(rows[last + 1:]):
        line = last + 2 + offset
        if not any(c is not None for c in r):
            empty += 1                                  # empty lines are dropped; line numbers stay right
            continue
        cells = list(r[:width]) + [None] * (width - len(r))
        label = summary_label(cells)
        if label is not None:
            skipped["summary"][0].append(line)
            skipped["summary"][1].append(label)
            continue
        if _repeats_header(cells, header_names):
            skipped["header"][0].append(line)
            continue
        table.rows.append(cells)
        table.line_numbers.append(line)
    if empty:
        table.notes.append(tr(_CTX, "{n} lege rijen overgeslagen.").format(n=empty) if empty != 1
                           else tr(_CTX, "1 lege rij overgeslagen."))
    for kind, (lines, labels) in skipped.items():
        if lines:
            table.notes.append(_skipped_note(kind, lines, labels))
    return table


def _sheet_list(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _read_workbook(path: Path, sheets: list[_Sheet], is_known_header, wanted: str | None) -> RawTable:
    """The table of a workbook. With ``wanted``, that sheet only. With one non-empty sheet, that sheet. With
    several: every sheet whose header maps to the same fields as the first sheet with the columns Naam and
    Voornaam, read together (each row remembers its sheet); every other non-empty sheet is named in the
    notes with the reason it was not read. No sheet with those columns: ``NoWorkerSheet``.

    A sheet hidden in the workbook is not seen by the counsellor who opens the file, and often holds an old
    list or a lookup table: it is read only when chosen (``wanted``, said in the notes), never with the
    others; the notes name it, with the number of rows when it has the list's columns. When only hidden
    sheets have them: ``NoWorkerSheet`` naming those sheets (its ``sheets`` start with the visible ones). A
    hidden sheet that is the only one with data is read, with a note."""
    from core.importers.mapping import REQUIRED, field_label, guess_mapping
    filled = [s for s in sheets if not s.empty]
    names = [s.name for s in filled]
    hidden_names = [s.name for s in filled if s.hidden]

    def refuse_far(s: _Sheet) -> ImportFileError:
        where = (tr(_CTX, "{bestand} (blad {blad})").format(bestand=path.name, blad=s.name) if len(filled) > 1
                 else path.name)
        return ImportFileError(SheetTooLarge(s.extent).message(where))

    if wanted:
        key = fold(wanted)
        chosen = next((s for s in sheets if s.name == wanted), None) or \
            next((s for s in sheets if fold(s.name) == key), None)
        if chosen is None:
            raise ImportFileError(tr(_CTX, "{bestand} heeft geen blad {blad}. De bladen zijn: {bladen}.").format(
                bestand=path.name, blad=f'"{wanted}"', bladen=_sheet_list([s.name for s in sheets])))
        if chosen.rows is None:
            raise refuse_far(chosen)
        table = _table_from_rows(path, chosen.rows, is_known_header, sheet=chosen.name)
        table.sheets, table.workbook_sheets, table.hidden_sheets = [chosen.name], names, hidden_names
        if chosen.hidden:
            table.notes.insert(0, tr(_CTX, "Blad {blad} is verborgen in het werkboek; het werd ingelezen omdat het "
                                           "gekozen werd.").format(blad=f'"{chosen.name}"'))
        if len(filled) > 1:
            table.row_sheets = [chosen.name] * len(table.rows)
            others = [n for n in names if n != chosen.name]
            table.notes.insert(0, counted(len(others),
                                          tr(_CTX, "Alleen blad {blad} werd ingelezen; het andere blad ({bladen}) "
                                                   "niet."),
                                          tr(_CTX, "Alleen blad {blad} werd ingelezen; de {n} andere bladen "
                                                   "({bladen}) niet."),
                                          blad=f'"{chosen.name}"', bladen=_sheet_list(others)))
        return table
    if len(filled) <= 1:
        only = filled[0] if filled else sheets[0]
        if only.rows is None:
            raise refuse_far(only)
        table = _table_from_rows(path, only.rows, is_known_header, sheet=only.name)
        table.sheets, table.workbook_sheets, table.hidden_sheets = [only.name], names, hidden_names
        if only.hidden and filled:
            table.notes.insert(0, tr(_CTX, "Blad {blad} is verborgen in het werkboek; het werd toch ingelezen omdat "
                                           "het het enige blad met gegevens is.").format(blad=f'"{only.name}"'))
        return table
    tables: list[tuple[_Sheet, RawTable, list[str | None]]] = []
    notes: list[str] = []
    hidden_notes: list[str] = []
    hidden_lists: list[str] = []           # hidden sheets with the list's columns
    main_fields: frozenset[str] | None = None
    for s in filled:
        if s.hidden:
            rows = _hidden_list_rows(path, s, is_known_header)
            if rows is None:
                hidden_notes.append(tr(_CTX, "Blad {blad} is verborgen in het werkboek en werd niet ingelezen (geen "
                                             "lijst van werknemers).").format(blad=f'"{s.name}"'))
            else:
                hidden_lists.append(s.name)
                hidden_notes.append(counted(
                    rows,
                    tr(_CTX, "Blad {blad} is verborgen in het werkboek en werd niet ingelezen, al heeft het de "
                             "kolommen van een lijst van werknemers (1 rij). Horen die werknemers erbij, kies het "
                             "blad dan apart."),
                    tr(_CTX, "Blad {blad} is verborgen in het werkboek en werd niet ingelezen, al heeft het de "
                             "kolommen van een lijst van werknemers ({n} rijen). Horen die werknemers erbij, kies "
                             "het blad dan apart."), blad=f'"{s.name}"'))
            continue
        if s.rows is None:
            e = s.extent
            notes.append(tr(_CTX, "Blad {blad} werd niet gelezen: het loopt tot cel {cel}, veel verder dan een "
                                  "personeelslijst. Staan er werknemers op, wis dan in het rekenblad de cellen "
                                  "onder en rechts van de lijst, of kies dat blad apart.").format(
                blad=f'"{s.name}"', cel=e.last_cell))
            continue
        try:
            t = _table_from_rows(path, s.rows, is_known_header, sheet=s.name)
        except ImportFileError:
            t = None
        fields = guess_mapping(t.headers).columns if t is not None else []
        if t is None or not all(f in fields for f in REQUIRED):
            notes.append(tr(_CTX, "Blad {blad} overgeslagen: geen kolommen {velden} gevonden, dus geen lijst van "
                                  "werknemers.").format(blad=f'"{s.name}"',
                                                        velden=" en ".join(field_label(f) for f in REQUIRED)))
            continue
        key = frozenset(f for f in fields if f)
        if main_fields is None:
            main_fields = key
        if key != main_fields:
            notes.append(tr(_CTX, "Blad {blad} heeft andere kolommen dan blad {eerste} en werd niet mee "
                                  "ingelezen; kies het blad apart om het te importeren.").format(
                blad=f'"{s.name}"', eerste=f'"{tables[0][0].name}"'))
            continue
        tables.append((s, t, fields))
    if not tables and hidden_lists:
        raise NoWorkerSheet(counted(
            len(hidden_lists),
            tr(_CTX, "Geen enkel zichtbaar blad van {bestand} heeft de kolommen {velden} van een lijst van werknemers; "
                     "het verborgen blad {bladen} wel. Het werd niet ingelezen: kies dat blad apart als die werknemers "
                     "erbij horen."),
            tr(_CTX, "Geen enkel zichtbaar blad van {bestand} heeft de kolommen {velden} van een lijst van werknemers; "
                     "de {n} verborgen bladen {bladen} wel. Ze werden niet ingelezen: kies een blad apart als die "
                     "werknemers erbij horen."),
            bestand=path.name, velden=" en ".join(field_label(f) for f in REQUIRED),
            bladen=_sheet_list(hidden_lists)), [n for n in names if n not in hidden_names] + hidden_names)
    if not tables:
        raise NoWorkerSheet(tr(_CTX, "Geen enkel blad van {bestand} heeft de kolommen {velden} van een lijst van "
                                     "werknemers. Bekeken bladen: {bladen}.").format(
            bestand=path.name, velden=" en ".join(field_label(f) for f in REQUIRED), bladen=_sheet_list(names)),
            names)
    first_sheet, table, first_fields = tables[0]
    table.sheets, table.workbook_sheets = [s.name for s, _, _ in tables], names
    table.hidden_sheets = hidden_names
    table.row_sheets = [first_sheet.name] * len(table.rows)
    sheet_notes = [tr(_CTX, "Blad {blad}: {opmerking}").format(blad=f'"{first_sheet.name}"', opmerking=n)
                   for n in table.notes]
    # the columns of the other sheets are put under the first sheet's, by field, else by name
    keys = [f or "h:" + fold(h) for f, h in zip(first_fields, table.headers)]
    for s, t, fields in tables[1:]:
        where: list[int] = []
        for f, h in zip(fields, t.headers):
            k = f or "h:" + fold(h)
            if k not in keys:
                keys.append(k)
                table.headers.append(h)
                for r in table.rows:
                    r.append(None)
            where.append(keys.index(k))
        for cells, line in zip(t.rows, t.line_numbers):
            row = [None] * len(table.headers)
            for c, value in zip(where, cells):
                row[c] = value
            table.rows.append(row)
            table.line_numbers.append(line)
            table.row_sheets.append(s.name)
        sheet_notes += [tr(_CTX, "Blad {blad}: {opmerking}").format(blad=f'"{s.name}"', opmerking=n)
                        for n in t.notes]
    for r in table.rows:                          # rows of the first sheet, before columns were added
        r.extend([None] * (len(table.headers) - len(r)))
    counts = [counted(table.row_sheets.count(s.name), tr(_CTX, "{blad} (1 rij)"), tr(_CTX, "{blad} ({n} rijen)"),
                      blad=f'"{s.name}"') for s, _, _ in tables]
    if len(tables) > 1:
        head = (tr(_CTX, "Dit werkboek heeft {n} zichtbare bladen met werknemers; ze werden samen ingelezen: "
                         "{bladen}.") if hidden_lists else
                tr(_CTX, "Dit werkboek heeft {n} bladen met werknemers; ze werden samen ingelezen: {bladen}.")).format(
            n=len(tables), bladen=", ".join(counts))
    elif hidden_lists:
        head = tr(_CTX, "Alleen het zichtbare blad {blad} werd ingelezen.").format(blad=f'"{first_sheet.name}"')
    else:
        head = tr(_CTX, "Alleen blad {blad} bevat een lijst van werknemers en werd ingelezen.").format(
            blad=f'"{first_sheet.name}"')
    table.notes = [head, *hidden_notes, *notes, *sheet_notes]
    return table


def _hidden_list_rows(path: Path, s: _Sheet, is_known_header) -> int | None:
    """Rows of a hidden sheet that has the list's columns (Naam and Voornaam); None when it has not (or is
    too large to read)."""
    from core.importers.mapping import REQUIRED, guess_mapping
    if s.rows is None:
        return None
    try:
        t = _table_from_rows(path, s.rows, is_known_header, sheet=s.name)
    except ImportFileError:
        return None
    fields = guess_mapping(t.headers).columns
    return len(t.rows) if all(f in fields for f in REQUIRED) else None


def _used_width(row: list[Any]) -> int:
    """Number of cells up to the last one that is not empty."""
    n = len(row)
    while n and row[n - 1] is None:
        n -= 1
    return n


def _header_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return re.sub(r"\s+", " ", str(v)).strip()


def fold(text: str) -> str:
    """Lower case, no accents, only letters and digits separated by single spaces."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", " ", t).strip()
