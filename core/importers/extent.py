"""How far each sheet of a spreadsheet really reaches, found before a reader builds it.

The readers (calamine, openpyxl) build a dense grid from the top-left to the bottom-right value of a
sheet: one stray value at XFD1048576 under a header asks for 17 billion cells, and a 5 KB file then
takes all memory (calamine aborts the process). So the sheet's XML is streamed out of the zip first and
only its cell references are looked at; a sheet far wider than any employer's list (``MAX_COLUMNS``) or
with more cells than ``MAX_CELLS`` is refused with a Dutch message before anything is read.

XLSX/XLSM: a fast pass with one regular expression over all cell references (``r="B7"``) gives an
upper bound. Only when that bound is over the limits, or some cell has no reference, is the sheet
parsed (expat) to count exactly the cells that hold a value, as the readers do (a formatted empty cell
far away is no reason to refuse). ODS: the first table of content.xml is parsed, with its repeated
rows and columns. Other formats (.xls at most 65,536 x 256 cells, .xlsb) are only checked after reading
(the number of columns, in ``reader.read_table``).
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.parsers import expat

from core.i18n import tr

_CTX = "import"
MAX_COLUMNS = 1_000          # an employer's list has tens of columns; a few hundred at the very most
MAX_CELLS = 5_000_000        # rows x columns of the grid a reader builds (100,000 workers x 50 columns)
_CHUNK = 1 << 20

_CELL_COLUMN = re.compile(rb"<c r=\"([A-Z]+)[0-9]")          # <c r="B7" ...>: the column letters
_CELL_ROW = re.compile(rb"<c r=\"[A-Z]+([0-9]+)\"")           # ... and the row number
_ANY_CELL = re.compile(rb"<c[\s/>]")
_PREFIXED_CELL = re.compile(rb":c[\s/>]")


class SheetTooLarge(Exception):
    """Raised by ``check_extent``; ``message(file name)`` is the Dutch text for the counsellor."""

    def __init__(self, extent: "Extent"):
        super().__init__(extent.last_cell)
        self.extent = extent

    def message(self, file_name: str) -> str:
        e = self.extent
        if e.columns > MAX_COLUMNS:
            text = tr(_CTX, "{bestand} loopt tot kolom {kolom} ({n} kolommen, tot cel {cel}); een personeelslijst "
                            "heeft er hoogstens {max}. Er werd niets ingelezen. Wis in het rekenblad de kolommen "
                            "rechts van de lijst (of bewaar alleen de lijst als .csv) en probeer opnieuw.")
        else:
            text = tr(_CTX, "{bestand} loopt tot cel {cel} ({rijen} rijen en {n} kolommen), veel meer dan een "
                            "personeelslijst. Er werd niets ingelezen. Wis in het rekenblad de rijen en kolommen "
                            "onder en rechts van de lijst (of bewaar alleen de lijst als .csv) en probeer opnieuw.")
        return text.format(bestand=file_name, kolom=column_letters(e.max_col), n=_number(e.columns),
                           cel=e.last_cell, max=_number(MAX_COLUMNS), rijen=_number(e.rows))


@dataclass
class Extent:
    """1-based first and last row and column that hold a value (0 when the sheet is empty)."""
    min_row: int = 0
    max_row: int = 0
    min_col: int = 0
    max_col: int = 0

    @property
    def rows(self) -> int:
        return self.max_row - self.min_row + 1 if self.max_row else 0

    @property
    def columns(self) -> int:
        return self.max_col - self.min_col + 1 if self.max_col else 0

    @property
    def last_cell(self) -> str:
        return f"{column_letters(self.max_col)}{self.max_row}"

    def too_large(self) -> bool:
        return self.columns > MAX_COLUMNS or self.rows * self.columns > MAX_CELLS

    def add(self, row: int, col: int) -> None:
        if not self.max_row:
            self.min_row = self.max_row = row
            self.min_col = self.max_col = col
            return
        self.min_row, self.max_row = min(self.min_row, row), max(self.max_row, row)
        self.min_col, self.max_col = min(self.min_col, col), max(self.max_col, col)


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def column_number(letters: str | bytes) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_extent(raw: bytes) -> Extent | None:
    """The extent of the first sheet of an XLSX/XLSM/ODS file (None for other files, or when it cannot be
    found: the reader then says what is wrong). Raises ``SheetTooLarge`` over the limits."""
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    with z:
        names = set(z.namelist())
        if "xl/workbook.xml" in names:
            sheet = _first_xlsx_sheet(z, names)
            if sheet is None:       # the first sheet cannot be found: none of the sheets may be too large
                for other in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                    extent = _xlsx_extent(z, other)
                    if extent is not None and extent.too_large():
                        raise SheetTooLarge(extent)
                return None
            extent = _xlsx_extent(z, sheet)
        elif "content.xml" in names:
            extent = _ods_extent(z)
        else:
            return None
    if extent is not None and extent.too_large():
        raise SheetTooLarge(extent)
    return extent


def _first_xlsx_sheet(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """Path in the zip of the workbook's first sheet (the one the readers take first)."""
    sheets = _xlsx_sheets(z, names)
    return sheets[0][1] if sheets else None


def _xlsx_sheets(z: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str | None]] | None:
    """(sheet name, path in the zip or None) of every sheet of the workbook, in order; None when the
    workbook's own list of sheets cannot be read."""
    try:
        book = ElementTree.fromstring(_read_small(z, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_read_small(z, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError, OSError, zipfile.BadZipFile, EOFError):
        return None
    targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels.iter()
               if rel.tag.rpartition("}")[2] == "Relationship"}
    out: list[tuple[str, str | None]] = []
    for el in book.iter():
        if el.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id") and "relationships" in k), None)
        target = targets.get(rid)
        path = None
        if target is not None:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            path = path if path in names else None
        out.append((el.get("name") or "", path))
    return out


def sheet_extents(raw: bytes) -> dict[str, Extent | None] | None:
    """The extent of every sheet of an XLSX/XLSM/ODS file by sheet name (an Extent is None when it cannot
    be found: the reader then says what is wrong), or None for other files. Raises ``SheetTooLarge`` when
    the sheets cannot be told apart and one of them is over the limits. The caller decides what to do
    with a sheet that is too large (``Extent.too_large``)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    with z:
        names = set(z.namelist())
        if "xl/workbook.xml" in names:
            sheets = _xlsx_sheets(z, names)
            if sheets is None or any(p is None for _, p in sheets):
                # which file is which sheet cannot be told: none of the sheets may be too large
                for other in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                    extent = _xlsx_extent(z, other)
                    if extent is not None and extent.too_large():
                        raise SheetTooLarge(extent)
                return {}
            return {name: _xlsx_extent(z, path) for name, path in sheets}
        if "content.xml" in names:
            return _ods_extents(z)
    return None


def _read_small(z: zipfile.ZipFile, name: str, limit: int = 20 << 20) -> bytes:
    if z.getinfo(name).file_size > limit:
        raise ValueError(name)
    return z.read(name)


def _chunks(z: zipfile.ZipFile, name: str):
    with z.open(name) as fh:
        while True:
            block = fh.read(_CHUNK)
            if not block:
                return
            yield block


def _xlsx_extent(z: zipfile.ZipFile, sheet: str) -> Extent | None:
    try:
        quick, complete = _xlsx_quick(z, sheet)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return None       # a damaged zip: the reader reports it
    if complete and not quick.too_large():
        return quick
    try:
        return _xlsx_exact(z, sheet)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return quick if quick.too_large() else None     # not well-formed XML: what the fast pass saw


def _xlsx_quick(z: zipfile.ZipFile, sheet: str) -> tuple[Extent, bool]:
    """An upper bound of the extent: every cell reference counts, empty cells too (regular expressions and
    sets, in C). ``complete`` is False when some cell is not written as ``<c r="...`` (no reference, the
    reference not first, a namespace prefix): then the exact pass decides."""
    letters: set[bytes] = set()
    digits: set[bytes] = set()
    col_refs = row_refs = cells = 0
    prefixed = False
    carry = b""
    blocks = _chunks(z, sheet)
    while True:
        block = next(blocks, None)
        if block is None:
            part, carry = carry, b""
        else:
            buf = carry + block
            cut = buf.rfind(b"<")
            if cut <= 0:
                cut = len(buf)
            part, carry = buf[:cut], buf[cut:]
        found = _CELL_COLUMN.findall(part)
        if found:
            letters.update(found)
            col_refs += len(found)
            found = _CELL_ROW.findall(part)
            digits.update(found)
            row_refs += len(found)
        cells += len(_ANY_CELL.findall(part))
        prefixed = prefixed or _PREFIXED_CELL.search(part) is not None     # <x:c ...>: for the exact pass
        if block is None:
            break
    extent = Extent()
    if letters and digits:                  # (a far too long reference gives a far too large extent)
        cols = [column_number(c) for c in letters]
        rows = [int(r) for r in digits]
        extent = Extent(min(rows), max(rows), min(cols), max(cols))
    return extent, col_refs == row_refs == cells and not prefixed


_REF = re.compile(r"([A-Z]+)([0-9]+)$")


def _xlsx_exact(z: zipfile.ZipFile, sheet: str) -> Extent:
    """The extent of the cells that hold a value (``<v>`` or an inline string), places of cells without a
    reference counted as the readers do."""
    extent = Extent()
    state = {"row": 0, "col": 0, "cell": None, "data": False}

    def start(name: str, attrs: dict) -> None:
        local = name.rpartition(" ")[2]
        if local == "sheetData":
            state["data"] = True
        elif not state["data"]:
            return
        elif local == "row":
            r = attrs.get("r", "")
            state["row"] = int(r) if r.isdigit() else state["row"] + 1
            state["col"] = 0
        elif local == "c":
            m = _REF.match(attrs.get("r", ""))
            if m:
                state["col"], row = column_number(m.group(1)), int(m.group(2))
            else:
                state["col"], row = state["col"] + 1, state["row"]
            state["cell"] = (row, state["col"])
        elif local in ("v", "is") and state["cell"] is not None:
            extent.add(*state["cell"])

    def end(name: str) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            state["cell"] = None
        elif local == "sheetData":
            state["data"] = False

    _parse(z, sheet, start, end)
    return extent


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class _Done(Exception):
    pass


def _ods_extent(z: zipfile.ZipFile) -> Extent | None:
    """The extent of the first table of an ODS file, repeated rows and columns counted."""
    extents = _ods_extents(z, first_only=True)
    return None if extents is None else next(iter(extents.values()), Extent())


def _ods_extents(z: zipfile.ZipFile, first_only: bool = False) -> dict[str, Extent] | None:
    """The extent of every table of an ODS file by name, repeated rows and columns counted."""
    found: dict[str, Extent] = {}
    extent = Extent()
    st = {"depth": 0, "row": 0, "rows_repeated": 1, "col": 0, "cell": None, "row_max_col": 0, "row_min_col": 0}
    t = _ODS_TABLE + " "
    repeat_rows, repeat_cols = t + "number-rows-repeated", t + "number-columns-repeated"

    def count(attrs: dict, key: str) -> int:
        v = attrs.get(key, "1")
        return int(v) if v.isdigit() and int(v) > 0 else 1

    def start(name: str, attrs: dict) -> None:
        nonlocal extent
        if name == t + "table":
            st["depth"] += 1
            if st["depth"] == 1:
                extent = Extent()
                found[attrs.get(t + "name", "") or str(len(found) + 1)] = extent
                st["row"] = 0
            return
        if st["depth"] != 1:
            return
        if name == t + "table-row":
            st["rows_repeated"] = count(attrs, repeat_rows)
            st["col"], st["row_max_col"], st["row_min_col"] = 0, 0, 0
        elif name in (t + "table-cell", t + "covered-table-cell"):
            n = count(attrs, repeat_cols)
            first = st["col"] + 1
            st["col"] += n
            st["cell"] = (first, st["col"])
            if (_ODS_OFFICE + " value-type") in attrs:
                _ods_value(st)
        elif st["cell"] is not None:        # text inside the cell (text:p): a value
            _ods_value(st)

    def end(name: str) -> None:
        if name == t + "table":
            st["depth"] -= 1
            if st["depth"] == 0 and first_only:
                raise _Done
            return
        if st["depth"] != 1:
            return
        if name in (t + "table-cell", t + "covered-table-cell"):
            st["cell"] = None
        elif name == t + "table-row":
            first_row = st["row"] + 1
            st["row"] += st["rows_repeated"]
            if st["row_max_col"]:
                extent.add(first_row, st["row_min_col"])
                extent.add(st["row"], st["row_max_col"])

    try:
        _parse(z, "content.xml", start, end)
    except _Done:
        pass
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return None
    return found


def _ods_value(st: dict) -> None:
    first, last = st["cell"]
    st["row_max_col"] = max(st["row_max_col"], last)
    st["row_min_col"] = min(st["row_min_col"], first) if st["row_min_col"] else first


def _parse(z: zipfile.ZipFile, name: str, start, end) -> None:
    p = expat.ParserCreate(namespace_separator=" ")
    p.StartElementHandler = start
    p.EndElementHandler = end
    try:
        for block in _chunks(z, name):
            p.Parse(block, False)
        p.Parse(b"", True)
    except expat.ExpatError as e:
        raise ValueError(str(e)) from None
