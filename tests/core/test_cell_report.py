"""The cell report (sheet Celrapport): until when the cell stays available, the 20 hours in the first two
months and the right to the inschakelingsvergoeding, on a small dossier whose figures are known."""
import datetime as dt

import openpyxl

from core.cell_rules import CellRules, cell_open_until
from core.export_xlsx import WorkerExport, write_dossier_xlsx
from core.model import Contact, Dossier, Worker

ANNOUNCED = dt.date(2026, 1, 15)


def workers():
    older = Worker("Aerts", "Alma", birth_date=dt.date(1970, 5, 1), dismissal_date=dt.date(2026, 3, 1),
                   seniority_start=dt.date(2010, 1, 1), dossier_id=1)              # 55, ISV, 20 h reached
    young = Worker("Baert", "Bart", birth_date=dt.date(1990, 5, 1), dismissal_date=dt.date(2026, 4, 30),
                   seniority_start=dt.date(2025, 6, 1), dossier_id=1)              # < 1 year: no ISV, period runs
    missed = Worker("Claes", "Cas", birth_date=dt.date(1985, 5, 1), dismissal_date=dt.date(2026, 2, 1),
                    dossier_id=1)                                                   # 2 h only, period over
    unknown = Worker("Dewit", "Dirk", dossier_id=1)                                # nothing known
    return [WorkerExport(older, [Contact(dt.date(2026, 3, 10), "intake", 12.0),
                                 Contact(dt.date(2026, 4, 20), "sessie", 8.0)]),
            WorkerExport(young, [Contact(dt.date(2026, 5, 5), "intake", 5.0)]),
            WorkerExport(missed, [Contact(dt.date(2026, 2, 10), "intake", 2.0)]),
            WorkerExport(unknown)]


def report(tmp_path, dossier):
    out = write_dossier_xlsx(tmp_path / "rapport.xlsx", dossier, workers(), rules=CellRules(),
                             today=dt.date(2026, 6, 1))
    rows = list(openpyxl.load_workbook(out)["Celrapport"].iter_rows(min_row=2, values_only=True))
    return {(r[0], r[1]): r[2] for r in rows}, {r[0]: r[1] for r in rows}


def test_cell_open_until_takes_the_later_of_3_and_6_months_after_the_last_dismissals():
    d = Dossier("X", announcement_date=ANNOUNCED)
    ws = [we.worker for we in workers()]
    # the 45+ worker dismissed on 1/3 keeps the cell open until 1/9; the young one of 30/4 until 30/7
    assert cell_open_until(d, ws, CellRules()) == dt.date(2026, 9, 1)
    assert cell_open_until(d, ws[1:3], CellRules()) == dt.date(2026, 7, 30)
    # the dossier's last dismissal date: 6 months as soon as anyone is 45+ (who was last is not recorded)
    later = Dossier("X", announcement_date=ANNOUNCED, last_dismissal_date=dt.date(2026, 5, 15))
    assert cell_open_until(later, ws[:2], CellRules()) == dt.date(2026, 11, 15)
    assert cell_open_until(later, ws[1:3], CellRules()) == dt.date(2026, 8, 15)
    assert cell_open_until(Dossier("X"), [], CellRules()) is None


def test_cell_report_figures(tmp_path):
    d = Dossier("Sluiting NV", announcement_date=ANNOUNCED, last_dismissal_date=dt.date(2026, 4, 30), id=1)
    counts, values = report(tmp_path, d)
    assert values["Laatste ontslag"] == dt.datetime(2026, 4, 30)
    # Aerts (45+) was dismissed on 1/3: 1/9; Baert (under 45) on 30/4: 30/7; the dossier's 30/4, with a 45+
    # worker in the cell and an unknown age, counts as a 45+ dismissal: 30/10
    assert values["Tewerkstellingscel beschikbaar tot minstens"] == dt.datetime(2026, 10, 30)
    front = "20 uur in de eerste 2 maanden"
    assert counts[(front, "gehaald")] == 1
    assert counts[(front, "nog niet gehaald, termijn loopt")] == 1
    assert counts[(front, "niet gehaald, termijn voorbij")] == 1
    assert counts[(front, "startdatum onbekend")] == 1
    isv = "Inschakelingsvergoeding (ISV)"
    assert counts[(isv, "recht: minstens 1 jaar anciënniteit")] == 1
    assert counts[(isv, "geen recht: minder anciënniteit")] == 1
    assert counts[(isv, "anciënniteit onbekend")] == 2
    assert (isv, "uitbetaling: niet bijgehouden in Werkbrug") in counts     # said, not counted


def test_cell_report_without_dismissal_dates_says_unknown(tmp_path):
    d = Dossier("Nog niets NV", announcement_date=ANNOUNCED, id=1)
    out = write_dossier_xlsx(tmp_path / "r.xlsx", d, [WorkerExport(Worker("Dewit", "Dirk", dossier_id=1))],
                             today=dt.date(2026, 6, 1))
    values = {r[0]: r[1] for r in openpyxl.load_workbook(out)["Celrapport"].iter_rows(min_row=2, values_only=True)}
    assert values["Laatste ontslag"] == "onbekend"
    assert values["Tewerkstellingscel beschikbaar tot minstens"] == "onbekend (geen ontslagdatum)"
