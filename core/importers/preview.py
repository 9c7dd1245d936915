"""The preview of an import: every row valid, warning or error with its reasons, editable, revalidated.

Nothing is imported here; ``chosen_workers`` gives what the caller decided to import and
``stage_error_file`` (before the import is committed) or ``write_error_file`` the rows that were left out,
with the reason.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from rapidfuzz import fuzz, process

from core.fileio import UnsafeTarget, atomic_path, check_output_file, csv_safe, os_reason, remove_stale_files
from core.i18n import tr
from core.importers.mapping import FIELDS, ColumnMapping, field_label
from core.importers.reader import RawTable, fold
from core.importers.values import build_worker, text_of
from core.model import Dossier, Worker
from core.validation import validate_worker

_CTX = "import"
DATE_FIELDS = ("birth_date", "seniority_start", "dismissal_date")
SIMILAR_NAME = 90          # rapidfuzz ratio of folded "surname first names" for "probably the same person"


class RowStatus(str, Enum):
    VALID = "geldig"
    WARNING = "waarschuwing"
    ERROR = "fout"


@dataclass(frozen=True)
class ExistingWorker:
    """What the duplicate check needs to know of a worker already in the dossier."""
    id: int
    surname: str
    first_names: str
    insz: str
    birth_date: dt.date | None


@dataclass
class ImportRow:
    index: int
    line: int
    cells: list[Any]
    worker: Worker | None = None
    status: RowStatus = RowStatus.VALID
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problem_fields: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    edited: bool = False
    sheet: str = ""                       # the sheet of a workbook with several sheets ('' otherwise)

    @property
    def place(self) -> str:
        """Where the row is in the file: "rij 3", or "blad Bedienden, rij 3"."""
        if self.sheet:
            return tr(_CTX, "blad {blad}, rij {rij}").format(blad=self.sheet, rij=self.line)
        return tr(_CTX, "rij {rij}").format(rij=self.line)

    @property
    def reason(self) -> str:
        return " ".join(self.errors + self.warnings + self.notes)


class ImportPreview:
    def __init__(self, table: RawTable, mapping: ColumnMapping, dossier: Dossier,
                 existing: list[ExistingWorker] | None = None, today: dt.date | None = None):
        self.table, self.mapping, self.dossier = table, mapping, dossier
        self.today = today or dt.date.today()
        self.existing = list(existing or [])
        self._existing_insz = {e.insz: e for e in self.existing if e.insz}
        self._existing_by_birth: dict[dt.date, list[ExistingWorker]] = {}
        for e in self.existing:
            if e.birth_date:
                self._existing_by_birth.setdefault(e.birth_date, []).append(e)
        self.rows = [ImportRow(i, table.line_of(i), list(cells), sheet=table.sheet_of(i))
                     for i, cells in enumerate(table.rows)]
        self.revalidate_all()

    # -- values -----------------------------------------------------------------------------------
    def values(self, row: ImportRow) -> dict[str, Any]:
        out = {}
        for col, f in enumerate(self.mapping.columns):
            if f and col < len(row.cells):
                out[f] = row.cells[col]
        return out

    def raw_value(self, row_index: int, field_name: str) -> str:
        """The cell as it is in the file."""
        col = self.mapping.column_of(field_name)
        row = self.rows[row_index]
        return text_of(row.cells[col]) if col is not None and col < len(row.cells) else ""

    def value(self, row_index: int, field_name: str) -> str:
        """The cell as it will be imported: a date written as a number (an Excel serial number such as 25610,
        or years of seniority) as the date it is read as (dd/mm/yyyy); anything else as in the file."""
        col = self.mapping.column_of(field_name)
        row = self.rows[row_index]
        if col is None or col >= len(row.cells):
            return ""
        cell = row.cells[col]
        if (field_name in DATE_FIELDS and isinstance(cell, (int, float)) and not isinstance(cell, bool)
                and row.worker is not None and field_name not in row.problem_fields):
            parsed = getattr(row.worker, field_name, None)
            if isinstance(parsed, dt.date):
                return text_of(parsed)
        return text_of(cell)

    def set_value(self, row_index: int, field_name: str, value: Any) -> ImportRow:
        """Correct one value of a row (as the counsellor types it) and revalidate."""
        if field_name not in FIELDS:
            raise KeyError(field_name)
        col = self.mapping.column_of(field_name)
        if col is None:                     # not in the file: add a column for it
            self.table.headers.append(field_label(field_name))
            self.mapping.columns.append(field_name)
            self.mapping.scores.append(100)
            for r in self.rows:
                r.cells.append(None)
            col = len(self.mapping.columns) - 1
        row = self.rows[row_index]
        row.cells[col] = value if not (isinstance(value, str) and not value.strip()) else None
        row.edited = True
        self.revalidate_all()
        return row

    def set_mapping(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        self.revalidate_all()

    # -- validation -------------------------------------------------------------------------------
    def _validate_row(self, row: ImportRow) -> None:
        w, res, _ = build_worker(self.values(row), self.dossier.id, self.today)
        errors, warnings, fields = res.errors, res.warnings, res.fields
        for fe in validate_worker(w, self.dossier, self.today):
            if fe.field == "insz" and "insz" in fields:
                continue
            if fe.field in ("surname", "first_names") and not (w.surname.strip() or w.first_names.strip()):
                if "name" in fields:
                    continue
                errors.append(tr(_CTX, "Naam en voornaam ontbreken."))
                fields.update(("surname", "name"))
                continue
            errors.append(fe.message)
            fields.add(fe.field)
        if not w.insz and "insz" not in fields:
            warnings.append(tr(_CTX, "Geen INSZ: dubbels kunnen niet zeker herkend worden."))
        if not w.birth_date and "birth_date" not in fields:
            warnings.append(tr(_CTX, "Geen geboortedatum: de leeftijdsgroep (45+) is niet te bepalen."))
        row.worker, row.errors, row.warnings, row.problem_fields, row.notes = w, errors, warnings, fields, res.notes

    def revalidate_all(self, progress: Callable[[float, str], None] | None = None) -> None:
        n = len(self.rows)
        for i, row in enumerate(self.rows):
            self._validate_row(row)
            if progress and i % 1000 == 0:
                progress(i / max(n, 1) * 0.9, tr(_CTX, "Rijen controleren"))
        self._check_duplicates()
        for row in self.rows:
            row.status = (RowStatus.ERROR if row.errors else RowStatus.WARNING if row.warnings else RowStatus.VALID)
        if progress:
            progress(1.0, tr(_CTX, "Klaar"))

    def _check_duplicates(self) -> None:
        """Same INSZ (in the dossier or earlier in the file) is an error; a similar name with the same birth
        date (in the dossier or earlier in the file) a warning. Rows are grouped by INSZ, birth date and
        name, so that many rows sharing one of them cost no more than distinct rows."""
        first_by_insz: dict[str, ImportRow] = {}
        noted: dict[int, set[str]] = {}           # row index -> "same INSZ on row N" messages given to it
        by_birth: dict[dt.date, list[ImportRow]] = {}
        for row in self.rows:
            w = row.worker
            if w is not None and w.insz:
                there = self._existing_insz.get(w.insz)
                if there is not None:
                    row.errors.append(tr(_CTX, "Dit INSZ staat al in het dossier ({naam}).").format(
                        naam=f"{there.first_names} {there.surname}".strip()))
                    row.problem_fields.add("insz")
                elif w.insz in first_by_insz:
                    first = first_by_insz[w.insz]
                    if first.sheet:
                        row.errors.append(tr(_CTX, "Dit INSZ komt al voor op {plaats} van het bestand.").format(
                            plaats=first.place))
                    else:
                        row.errors.append(tr(_CTX, "Dit INSZ komt al voor op rij {rij} van het bestand.").format(
                            rij=first.line))
                    row.problem_fields.add("insz")
                    msg = (tr(_CTX, "Hetzelfde INSZ staat nog eens op {plaats}.").format(plaats=row.place)
                           if row.sheet else
                           tr(_CTX, "Hetzelfde INSZ staat nog eens op rij {rij}.").format(rij=row.line))
                    seen = noted.get(first.index)
                    if seen is None:
                        seen = noted[first.index] = set(first.warnings)
                    if msg not in seen:
                        seen.add(msg)
                        first.warnings.append(msg)
                else:
                    first_by_insz[w.insz] = row
            if w is not None and w.birth_date and (w.surname or w.first_names):
                by_birth.setdefault(w.birth_date, []).append(row)
        for birth, rows in by_birth.items():
            self._check_similar_names(rows, self._existing_by_birth.get(birth, []))

    def _check_similar_names(self, rows: list[ImportRow], existing: list[ExistingWorker]) -> None:
        """Warn on every row whose name is similar to an existing worker's or an earlier row's, all with the
        same birth date. Names are compared once for each pair of distinct names (in rapidfuzz's C code);
        for each name only the earliest entry and the earliest one with another INSZ are kept."""
        names = [_name_key(r.worker.surname, r.worker.first_names) for r in rows]
        there = _FirstTwo()
        for pos, e in enumerate(existing):
            there.add(_name_key(e.surname, e.first_names), e.insz, pos, e)
        keys = list(dict.fromkeys(names))
        similar_here = _similar_pairs(keys)
        existing_keys = there.keys()
        similar_there = {k: _similar(k, existing_keys) for k in keys} if existing_keys else {}
        earlier = _FirstTwo()
        for row, name in zip(rows, names):
            insz = row.worker.insz
            if existing_keys:
                e = there.earliest(similar_there[name], insz)
                if e is not None:
                    row.warnings.append(tr(_CTX, "Lijkt op {naam}, met dezelfde geboortedatum, al in het "
                                                 "dossier.").format(naam=f"{e.first_names} {e.surname}".strip()))
            other = earlier.earliest(similar_here[name], insz)
            if other is not None and other.sheet:
                row.warnings.append(tr(_CTX, "Lijkt op {plaats} (gelijkaardige naam, zelfde "
                                             "geboortedatum).").format(plaats=other.place))
            elif other is not None:
                row.warnings.append(tr(_CTX, "Lijkt op rij {rij} (gelijkaardige naam, zelfde "
                                             "geboortedatum).").format(rij=other.line))
            earlier.add(name, insz, row.index, row)

    # -- results ----------------------------------------------------------------------------------
    def counts(self) -> dict[RowStatus, int]:
        out = {s: 0 for s in RowStatus}
        for r in self.rows:
            out[r.status] += 1
        return out

    def chosen(self, include_warnings: bool) -> list[ImportRow]:
        ok = {RowStatus.VALID, RowStatus.WARNING} if include_warnings else {RowStatus.VALID}
        return [r for r in self.rows if r.status in ok]

    def rejected(self, include_warnings: bool) -> list[ImportRow]:
        chosen = {r.index for r in self.chosen(include_warnings)}
        return [r for r in self.rows if r.index not in chosen]

    def chosen_workers(self, include_warnings: bool) -> list[Worker]:
        return [r.worker for r in self.chosen(include_warnings)]

    def error_file_path(self) -> Path:
        """``<name>.fouten.csv`` next to the source."""
        src = self.table.source or Path("import")
        return src.with_name(f"{src.stem}.fouten.csv")

    def error_file_text(self, rows: list[ImportRow]) -> str:
        """The error list as CSV text: semicolons, a row number and a reason column. Values that a
        spreadsheet program would run as a formula get a leading apostrophe (``_csv_safe``)."""
        buf = io.StringIO(newline="")
        out = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        sheets = any(r.sheet for r in rows)          # a workbook with several sheets: say which sheet
        first = (tr(_CTX, "Blad"), tr(_CTX, "Rij")) if sheets else (tr(_CTX, "Rij"),)
        out.writerow([_csv_safe(t) for t in (*first, *self.table.headers, tr(_CTX, "Reden"))])
        for r in rows:
            cells = [_error_cell(c) for c in r.cells] + [""] * (len(self.table.headers) - len(r.cells))
            reason = r.reason or tr(_CTX, "Niet gekozen om te importeren.")
            where = (_csv_safe(r.sheet), r.line) if sheets else (r.line,)
            out.writerow([*where, *cells, _csv_safe(reason)])
        return buf.getvalue()

    def write_error_file(self, rows: list[ImportRow], path: Path | None = None) -> Path | None:
        """Write ``<name>.fouten.csv`` (UTF-8 with BOM) at once; raises ``OSError`` or ``UserError``."""
        if not rows:
            return None
        path = path or self.error_file_path()
        with atomic_path(path) as tmp:
            tmp.write_text(self.error_file_text(rows), encoding="utf-8-sig", newline="")
        return path

    def stage_error_file(self, rows: list[ImportRow], path: Path | None = None) -> "StagedErrorFile":
        """Check BEFORE the import is committed that the error list can be written next to its place (an empty
        temporary file); ``publish()`` after the commit writes it there and puts it in place, and never raises.
        The rows themselves (names, INSZ) are written only then, so an import killed in between leaves no
        personal data in a hidden file. When it cannot be written, the reason is kept (``problem``) so the
        caller can say so next to "imported", never instead of it."""
        return StagedErrorFile.stage(path or self.error_file_path(),
                                     self.error_file_text(rows) if rows else None)


@dataclass
class StagedErrorFile:
    path: Path
    tmp: Path | None = None
    problem: str = ""                 # Dutch reason it could not be written ('' when it could, or was not needed)
    text: str | None = None           # written only by ``publish``: a killed import leaves no names or INSZ behind

    @classmethod
    def stage(cls, path: Path, text: str | None) -> "StagedErrorFile":
        staged = cls(Path(path))
        remove_stale_files(staged.path.parent, _STALE_PART, max_age_s=3600)    # left by an import that was killed
        if text is None:
            return staged
        try:
            check_output_file(staged.path)
            tmp = staged.path.with_name(f".{staged.path.name}.{os.getpid()}.part")
            staged.tmp = tmp
            tmp.write_text("", encoding="utf-8-sig", newline="")     # the folder takes it: checked before the commit
            staged.text = text
        except UnsafeTarget:
            staged.discard()
            staged.problem = (os_reason(IsADirectoryError()) if staged.path.is_dir()
                              else tr(_CTX, "dit is geen gewoon bestand"))
        except OSError as e:
            staged.discard()
            staged.problem = os_reason(e)
        return staged

    def publish(self) -> Path | None:
        """Put the staged file in its place; returns its path, or None (then ``problem`` says why). Never
        raises: it runs after the import was committed."""
        if self.tmp is None:
            return None
        try:
            if self.path.is_dir():
                raise IsADirectoryError(self.path)
            self.tmp.write_text(self.text or "", encoding="utf-8-sig", errors="replace", newline="")
            os.replace(self.tmp, self.path)
        except OSError as e:
            self.problem = os_reason(e)
            self.discard()
            return None
        self.tmp = None
        return self.path

    def discard(self) -> None:
        """Remove the staged file (the import was not committed, or it cannot be put in place)."""
        if self.tmp is not None:
            try:
                self.tmp.unlink(missing_ok=True)
            except OSError:
                pass
            self.tmp = None
        self.text = None


# ``.<list>.fouten.csv.<pid>.part`` (and ``.<list>.fouten.csv.part`` of earlier versions)
_STALE_PART = re.compile(r"^\..+\.fouten\.csv(?:\.(?P<pid>\d+))?\.part$")


class _FirstTwo:
    """Entries (in order) per name: the earliest, and the earliest whose INSZ is empty or differs from the
    earliest one's. Enough to find the earliest entry of a name that does not share a given INSZ: an entry
    with the same (non-empty) INSZ as the row is the same person, already reported as such."""

    def __init__(self):
        self._by_key: dict[str, list[tuple[int, str, Any]]] = {}

    def keys(self) -> list[str]:
        return list(self._by_key)

    def add(self, key: str, insz: str, position: int, item: Any) -> None:
        kept = self._by_key.setdefault(key, [])
        if not kept:
            kept.append((position, insz, item))
        elif len(kept) == 1 and kept[0][1] and insz != kept[0][1]:
            kept.append((position, insz, item))

    def earliest(self, keys: list[str], insz: str) -> Any:
        best: tuple[int, Any] | None = None
        for k in keys:
            for position, other_insz, item in self._by_key.get(k, ()):
                if other_insz and other_insz == insz:
                    continue
                if best is None or position < best[0]:
                    best = (position, item)
                break
        return None if best is None else best[1]


def _name_key(surname: str, first_names: str) -> str:
    """The folded name with its words sorted: ``fuzz.ratio`` of two keys is ``fuzz.token_sort_ratio`` of
    the folded names, so names with the same key are compared once."""
    return " ".join(sorted(fold(f"{surname} {first_names}").split()))


def _similar(key: str, keys: list[str]) -> list[str]:
    """The keys among ``keys`` of names that are probably the same person's as ``key``."""
    return [k for k, _, _ in process.extract(key, keys, scorer=fuzz.ratio, processor=None,
                                             score_cutoff=SIMILAR_NAME, limit=None)]


def _similar_pairs(keys: list[str]) -> dict[str, list[str]]:
    """For each of the distinct ``keys``: the similar keys among them (itself included); each pair is
    compared once."""
    out: dict[str, list[str]] = {k: [k] for k in keys}
    for j in range(1, len(keys)):
        for i in (i for _, _, i in process.extract(keys[j], keys[:j], scorer=fuzz.ratio, processor=None,
                                                   score_cutoff=SIMILAR_NAME, limit=None)):
            out[keys[i]].append(keys[j])
            out[keys[j]].append(keys[i])
    return out


# a text for a CSV file that spreadsheet programs open; ``read_table`` removes the apostrophe again
# when the corrected list is imported
_csv_safe = csv_safe


def _error_cell(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):       # a number is never a formula
        if isinstance(value, int) and len(str(value)) in (9, 10, 11):
            return str(value)
        return text_of(value)
    return _csv_safe(text_of(value))
