"""Cell report: the outplacement hours of the workers still followed (not at work, not gone; as the to-do
list, core.followup) next to those of all workers, so that the steering group reads the real shortfall."""
import datetime as dt

import openpyxl

from core.cell_rules import CellRules
from core.export_xlsx import WorkerExport, write_dossier_xlsx
from core.model import Contact, Dossier, Worker, WorkerStatus

ANNOUNCED = dt.date(2026, 9, 1)
ALL = "Outplacementuren (alle werknemers)"
FOLLOWED = "Outplacementuren (werknemers nog opgevolgd)"


def _w(name, birth, status, hours):
    w = Worker(name, "X", birth_date=birth, dismissal_date=dt.date(2026, 10, 1), dossier_id=1, status=status)
    return WorkerExport(w, [Contact(dt.date(2026, 10, 5), "gesprek", h) for h in hours])


def workers():
    return [_w("Aerts", dt.date(1981, 9, 1), WorkerStatus.AAN_HET_WERK, [2, 1.5, 10]),     # 45+: 60 h
            _w("Baert", dt.date(1981, 9, 2), WorkerStatus.IN_OPLEIDING, [10, 10]),          # <45: 30 h
            _w("Claes", dt.date(1990, 1, 1), WorkerStatus.UITGESTROOMD, []),                # <45: 30 h
            _w("Dubois", dt.date(1965, 1, 1), WorkerStatus.INTAKE, [1]),                    # 45+: 60 h
            _w("Eeckhout", dt.date(1995, 1, 1), WorkerStatus.IN_BEGELEIDING, [31]),         # <45: 30 h, reached
            _w("Goossens", dt.date(1976, 1, 1), WorkerStatus.AAN_HET_WERK, [61])]           # 45+: 60 h, reached


def report(tmp_path):
    out = write_dossier_xlsx(tmp_path / "r.xlsx", Dossier("Cel NV", announcement_date=ANNOUNCED, id=1), workers(),
                             rules=CellRules(), today=dt.date(2026, 11, 28))
    return {(r[0], r[1]): r[2] for r in openpyxl.load_workbook(out)["Celrapport"].iter_rows(min_row=2,
                                                                                          values_only=True)}


def test_hours_of_the_workers_still_followed_and_of_all(tmp_path):
    rep = report(tmp_path)
    assert rep[(ALL, "gebruikt")] == 126.5
    assert rep[(ALL, "minimum vereist")] == 270
    assert rep[(ALL, "werknemers met minimum bereikt")] == 2
    # Baert, Dubois, Eeckhout: 30 + 60 + 30 required, 20 + 1 + 31 used, 10 + 59 + 0 still to give
    assert rep[(FOLLOWED, "werknemers niet aan het werk of uitgestroomd")] == 3
    assert rep[(FOLLOWED, "gebruikt")] == 52
    assert rep[(FOLLOWED, "minimum vereist")] == 120
    assert rep[(FOLLOWED, "nog te geven tot het minimum")] == 69
    assert rep[(FOLLOWED, "werknemers met minimum bereikt")] == 1
