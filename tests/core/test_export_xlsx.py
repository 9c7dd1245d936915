"""Dossier overview in Excel: sheets, formatting, figures, and never any health data."""
import datetime as dt

import openpyxl

from cli.cmd_export import export_dossier
from core.model import (Contact, Dossier, EducationGroup, FunctionalLimitation, PlanAction, PlanTarget, Statute,
                        TrajectoryPlan, Worker, WorkerStatus)
from db.dossiers import DossierRepository
from db.plans import PlanRepository
from db.workers import WorkerRepository


def test_export_dossier_overview(db, tmp_path):
    d = DossierRepository(db).add(Dossier("Van Hool NV", announcement_date=dt.date(2024, 3, 1),
                                          cell_start_date=dt.date(2024, 4, 1)))
    wr = WorkerRepository(db)
    old = wr.add(Worker("Peeters", "Jan", insz="68031403326", birth_date=dt.date(1968, 3, 14), dossier_id=d.id,
                        status=WorkerStatus.IN_OPLEIDING, education_group=EducationGroup.LAAG,
                        previous_job_title="Lasser",
                        limitations=[FunctionalLimitation("tillen", "GEHEIM-rugletsel")]))
    wr.add(Worker("Maes", "An", birth_date=dt.date(1990, 5, 9), dossier_id=d.id, statute=Statute.BEDIENDE,
                  status=WorkerStatus.AAN_HET_WERK))
    wr.add_contact(old.id, Contact(dt.date(2024, 4, 5), "intake", 3.0))
    PlanRepository(db).save(TrajectoryPlan(old.id, targets=[PlanTarget("x", "Lasser-monteerder")],
                                           actions=[PlanAction("VCA", start_date=dt.date(2024, 5, 1))]))
    out = export_dossier(db, d.id, tmp_path / "overzicht")
    assert out.suffix == ".xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Werknemers", "Acties", "Celrapport"]
    ws = wb["Werknemers"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold and ws.auto_filter.ref
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    jan = rows["Peeters"]
    assert jan[2] == "68.03.14-033.26" and jan[3] == "in opleiding" and jan[5] == "ja" and jan[6] == 6
    assert isinstance(jan[7], dt.datetime) and jan[7].date() == dt.date(2024, 10, 1)
    assert jan[9] == "Lasser-monteerder" and jan[10] == 1 and jan[11] == 3.0 and jan[12] == 60
    assert ws.cell(2, 8).number_format == "DD/MM/YYYY"
    acts = list(wb["Acties"].iter_rows(min_row=2, values_only=True))
    assert acts[0][4] == "VCA" and isinstance(acts[0][6], dt.datetime)
    rep = {(r[0], r[1]): r[2] for r in wb["Celrapport"].iter_rows(min_row=2, values_only=True)}
    assert rep[("Per leeftijdsgroep", "45+")] == 1 and rep[("Per leeftijdsgroep", "<45")] == 1
    assert rep[("Per statuut", "bediende")] == 1 and rep[("Aan het werk", None)] == 1
    assert rep[("Outplacementuren (alle werknemers)", "minimum vereist")] == 90
    # Maes is at work: only Peeters is still followed
    followed = "Outplacementuren (werknemers nog opgevolgd)"
    assert rep[(followed, "minimum vereist")] == 60 and rep[(followed, "nog te geven tot het minimum")] == 57
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and ("GEHEIM" in v or "tillen" in v) for v in row)


def test_age_at_the_announcement_and_names_sorted_as_on_screen(tmp_path):
    """The age column is the age at the announcement (the one that decides 45+), and accented
    surnames sort with their letter, as the worker list does (Çelik with the C, not after Y)."""
    from core.export_xlsx import WorkerExport, write_dossier_xlsx
    dossier = Dossier("Demo NV", announcement_date=dt.date(2024, 3, 1), id=1)
    # 44 at the announcement, 47 on the report date: the sheet showed 47 next to "45+ nee"
    wouters = Worker("Wouters", "Glenn", birth_date=dt.date(1979, 6, 1), dossier_id=1)
    celik = Worker("Çelik", "Ayşe", birth_date=dt.date(1970, 1, 1), dossier_id=1)
    plan = TrajectoryPlan(1, actions=[PlanAction("Heftruckchauffeur", duration="1 weken"),
                                      PlanAction("Lasser MIG/MAG", duration="20 weken")])
    rows = [WorkerExport(w) for w in (Worker("Yilmaz", "Sven", dossier_id=1), wouters,
                                      Worker("Beeckman", "Els", dossier_id=1), celik,
                                      Worker("Élise", "Dubois", dossier_id=1), Worker("Coppens", "Thomas", dossier_id=1))]
    rows[1].plan = plan
    out = write_dossier_xlsx(tmp_path / "x.xlsx", dossier, rows, today=dt.date(2026, 11, 28))
    wb = openpyxl.load_workbook(out)
    ws = wb["Werknemers"]
    assert ws["E1"].value == "Leeftijd bij aankondiging" and ws["F1"].value == "45+"
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in values] == ["Beeckman", "Çelik", "Coppens", "Élise", "Wouters", "Yilmaz"]
    by_name = {r[0]: r for r in values}
    assert by_name["Wouters"][4] == 44 and by_name["Wouters"][5] == "nee"
    assert by_name["Çelik"][4] == 54 and by_name["Çelik"][5] == "ja"
    assert by_name["Yilmaz"][4] is None and by_name["Yilmaz"][5] is None
    durations = [r[8] for r in wb["Acties"].iter_rows(min_row=2, values_only=True)]
    assert durations == ["1 week", "20 weken"]
