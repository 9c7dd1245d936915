"""Read an employer's list (XLSX, XLS, CSV) into header + rows of plain Python values.

Encoding and delimiter detection are deterministic (no statistics): a UTF-8 BOM means UTF-8,
a UTF-16 BOM means UTF-16, bytes that decode as UTF-8 are UTF-8, anything else is Windows-1252
(what Excel writes for "CSV (gescheiden door lijstscheidingsteken)" on a Belgian PC). The
delimiter is the one of ``; TAB ,`` that occurs most often, outside quotes, in the header line
and gives the same number of fields on the next lines.
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
from core.i18n import tr
from core.importers.extent import MAX_COLUMNS, SheetTooLarge, check_extent
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


def _read_excel(path: Path, raw: bytes) -> tuple[list[list[Any]], str]:
    """Rows of the first sheet. A file that cannot be read gives a Dutch reason; the library's own
    (English) message only goes to the log."""
    if raw[:8] == OLE_MAGIC and any(name in raw for name in _OLE_ENCRYPTED):
        raise _excel_error(path, "encrypted")
    try:
        check_extent(raw)              # before a reader builds the grid: one far cell must not take all memory
    except SheetTooLarge as e:
        raise ImportFileError(e.message(path.name)) from None
    try:
        from python_calamine import CalamineWorkbook, PasswordError
    except ImportError:
        CalamineWorkbook = None
    if CalamineWorkbook is not None:
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))   # the format from the content: a .xls named .xlsx
            if not wb.sheet_names:
                raise _excel_error(path, "no_sheet")
            name = wb.sheet_names[0]
            return [list(r) for r in wb.get_sheet_by_name(name).to_python()], name
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
            ws = wb.worksheets[0]
            return [list(r) for r in ws.iter_rows(values_only=True)], ws.title
        finally:
            wb.close()
    except ImportFileError:
        raise
    except Exception as e:  # noqa: BLE001 - zip, XML, zlib and openpyxl's own errors
        log.info("openpyxl cannot read the spreadsheet: %s: %s", e.__class__.__name__, e)
        raise _excel_error(path, _excel_problem(raw)) from None


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


def read_table(path: Path | str, *, delimiter: str | None = None, encoding: str | None = None,
               is_known_header=None) -> RawTable:
    """Read the first sheet or the CSV file. Raises ImportFileError with a Dutch reason."""
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
    enc = delim = sheet = ""
    looks_zip = raw[:4] == ZIP_MAGIC
    looks_ole = raw[:8] == OLE_MAGIC
    if suffix in EXCEL_SUFFIXES or looks_zip or looks_ole:
        rows, sheet = _read_excel(path, raw)
    else:
        if encoding:
            text, enc = raw.decode(encoding, errors="replace"), encoding
        else:
            text, enc = _decode(raw, path)
        delim = delimiter or detect_delimiter(text)
        rows = read_csv_text(text, delim)
        if _QUOTED_FORMULA.search(text):
            rows = [[_unquote_formula(c) for c in r] for r in rows]
    rows = [[_cell(c) for c in r] for r in rows]
    h = _find_header(rows, is_known_header or (lambda t: False))
    if not rows or not any(c is not None for c in rows[h]):
        raise ImportFileError(tr(_CTX, "{bestand} bevat geen tabel met kolomnamen.").format(bestand=path.name))
    header_cells = rows[h]
    width = max((_used_width(r) for r in rows[h:]), default=0)     # empty columns at the right are left out
    if width > MAX_COLUMNS:
        raise ImportFileError(tr(_CTX, "{bestand} heeft {n} kolommen; een personeelslijst heeft er hoogstens {max}. "
                                       "Er werd niets ingelezen. Verwijder de kolommen rechts van de lijst en "
                                       "probeer opnieuw.").format(bestand=path.name, n=f"{width:,}".replace(",", "."),
                                                                  max=f"{MAX_COLUMNS:,}".replace(",", ".")))
    headers = []
    for i in range(width):
        v = header_cells[i] if i < len(header_cells) else None
        headers.append(_header_text(v) or tr(_CTX, "Kolom {n}").format(n=i + 1))
    body = []
    for r in rows[h + 1:]:
        if not any(c is not None for c in r):
            body.append(None)  # keep line numbers right; empty lines are dropped below
            continue
        body.append(list(r[:width]) + [None] * (width - len(r)))
    table = RawTable(headers, [], header_line=h + 1, encoding=enc, delimiter=delim, sheet=sheet, source=path)
    table.rows = [r for r in body if r is not None]
    table.line_numbers = [h + 2 + i for i, r in enumerate(body) if r is not None]
    if len(table.rows) != len(body):
        table.notes.append(tr(_CTX, "{n} lege rijen overgeslagen.").format(n=len(body) - len(table.rows)))
    return table


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
