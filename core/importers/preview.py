"""The preview of an import: every row valid, warning or error with its reasons, editable, revalidated.

Nothing is written here; ``chosen_workers`` gives what the caller decided to import and
``write_error_file`` the rows that were left out, with the reason.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from rapidfuzz import fuzz

from core.i18n import tr
from core.importers.mapping import FIELDS, ColumnMapping, field_label
from core.importers.reader import RawTable, fold
from core.importers.values import build_worker, text_of
from core.model import Dossier, Worker
from core.validation import validate_worker

_CTX = "import"
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
        self.rows = [ImportRow(i, table.line_of(i), list(cells)) for i, cells in enumerate(table.rows)]
        self.revalidate_all()

    # -- values -----------------------------------------------------------------------------------
    def values(self, row: ImportRow) -> dict[str, Any]:
        out = {}
        for col, f in enumerate(self.mapping.columns):
            if f and col < len(row.cells):
                out[f] = row.cells[col]
        return out

    def value(self, row_index: int, field_name: str) -> str:
        col = self.mapping.column_of(field_name)
        row = self.rows[row_index]
        return text_of(row.cells[col]) if col is not None and col < len(row.cells) else ""

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
        first_by_insz: dict[str, ImportRow] = {}
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
                    row.errors.append(tr(_CTX, "Dit INSZ komt al voor op rij {rij} van het bestand.").format(
                        rij=first.line))
                    row.problem_fields.add("insz")
                    msg = tr(_CTX, "Hetzelfde INSZ staat nog eens op rij {rij}.").format(rij=row.line)
                    if msg not in first.warnings:
                        first.warnings.append(msg)
                else:
                    first_by_insz[w.insz] = row
            if w is not None and w.birth_date and (w.surname or w.first_names):
                by_birth.setdefault(w.birth_date, []).append(row)
        for birth, rows in by_birth.items():
            existing = self._existing_by_birth.get(birth, [])
            for i, row in enumerate(rows):
                name = fold(f"{row.worker.surname} {row.worker.first_names}")
                for e in existing:
                    if e.insz and e.insz == row.worker.insz:
                        continue
                    if fuzz.token_sort_ratio(name, fold(f"{e.surname} {e.first_names}")) >= SIMILAR_NAME:
                        row.warnings.append(tr(_CTX, "Lijkt op {naam}, met dezelfde geboortedatum, al in het "
                                                     "dossier.").format(naam=f"{e.first_names} {e.surname}".strip()))
                        break
                for other in rows[:i]:
                    if other.worker.insz and other.worker.insz == row.worker.insz:
                        continue          # already reported as the same INSZ
                    if fuzz.token_sort_ratio(name, fold(f"{other.worker.surname} {other.worker.first_names}")) \
                            >= SIMILAR_NAME:
                        row.warnings.append(tr(_CTX, "Lijkt op rij {rij} (gelijkaardige naam, zelfde "
                                                     "geboortedatum).").format(rij=other.line))
                        break

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

    def write_error_file(self, rows: list[ImportRow], path: Path | None = None) -> Path | None:
        """``<name>.fouten.csv`` next to the source: semicolons, UTF-8 with BOM, a reason column."""
        if not rows:
            return None
        if path is None:
            src = self.table.source or Path("import")
            path = src.with_name(f"{src.stem}.fouten.csv")
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL)
            out.writerow([tr(_CTX, "Rij"), *self.table.headers, tr(_CTX, "Reden")])
            for r in rows:
                cells = [_error_cell(c) for c in r.cells] + [""] * (len(self.table.headers) - len(r.cells))
                reason = r.reason or tr(_CTX, "Niet gekozen om te importeren.")
                out.writerow([r.line, *cells, reason])
        return path


def _error_cell(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) in (9, 10, 11):
        return str(value)
    return text_of(value)
