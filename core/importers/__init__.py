"""Import of an employer's list of workers: read (``reader``), map columns (``mapping``), preview and
validate (``preview``); writing happens in ``db.import_mappings`` in one transaction."""
from __future__ import annotations

from core.importers.mapping import FIELDS, ColumnMapping, guess_mapping, is_known_header, mapping_from_user
from core.importers.preview import ExistingWorker, ImportPreview, ImportRow, RowStatus
from core.importers.reader import ImportFileError, NoWorkerSheet, RawTable, read_table


def employer_key(kbo_number: str, company_name: str) -> str:
    """Key under which an employer's column mapping is remembered."""
    from core.importers.reader import fold
    digits = "".join(ch for ch in kbo_number or "" if ch.isdigit())
    return f"kbo:{digits.zfill(10)}" if digits else f"naam:{fold(company_name)}"


def load_table(path, sheet: str | None = None) -> RawTable:
    """The employer's list; of a workbook the sheet ``sheet``, else every sheet with the list's columns."""
    return read_table(path, is_known_header=is_known_header, sheet=sheet)


__all__ = ["FIELDS", "ColumnMapping", "ExistingWorker", "ImportFileError", "ImportPreview", "ImportRow",
           "NoWorkerSheet", "RawTable", "RowStatus", "employer_key", "guess_mapping", "load_table", "mapping_from_user", "read_table"]
