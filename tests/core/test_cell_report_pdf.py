"""The printed cell report (celrapport) for the steering group: the figures of core.cell_report (the same as the
Excel sheet Celrapport) on a small dossier whose figures are known, totals only, and never an INSZ or a
functional limitation; names only in the optional appendix."""
import datetime as dt

import openpyxl
from pypdf import PdfReader

from core.cell_report import (AGE_OVER, AGE_UNDER, AGE_UNKNOWN, MISSED, REACHED, RUNNING, UNKNOWN, ReportWorker,
                              compute_cell_report)
from core.cell_report_pdf import write_cell_report_pdf
from core.cell_rules import CellRules
from core.export_xlsx import WorkerExport, write_dossier_xlsx
from core.model import (Contact, Dossier, EducationGroup, FunctionalLimitation, PlanTarget, Statute, TrajectoryPlan,
                        Worker, WorkerStatus)
from core.validation import format_insz, mask_insz

ANNOUNCED = dt.date(2026, 1, 15)
TODAY = dt.date(2026, 6, 1)
INSZ = "70050103384"
SECRET = "GEHEIM-rugletsel"
NAMES = ("Aerts", "Alma", "Baert", "Claes", "Dewit", "Zoë", "Çelik-Lefèvre")


def _plan(*targets):
    return TrajectoryPlan(1, targets=[PlanTarget(oid, name, reasons=list(reasons)) for oid, name, reasons in targets])


def dossier():
    return Dossier("Sluiting Metaalbouw NV", kbo_number="0123456749", announcement_date=ANNOUNCED,
                   last_dismissal_date=dt.date(2026, 4, 30), id=1)


def rows():
    """As tests/core/test_cell_report.py, with statuses, statutes, an INSZ, a limitation and plans."""
    older = Worker("Aerts", "Alma", insz=INSZ, birth_date=dt.date(1970, 5, 1), dismissal_date=dt.date(2026, 3, 1),
                   seniority_start=dt.date(2010, 1, 1), dossier_id=1, statute=Statute.ARBEIDER,
                   status=WorkerStatus.AAN_HET_WERK, limitations=[FunctionalLimitation("tillen", SECRET)])
    young = Worker("Baert", "Bart", birth_date=dt.date(1990, 5, 1), dismissal_date=dt.date(2026, 4, 30),
                   seniority_start=dt.date(2025, 6, 1), dossier_id=1, statute=Statute.BEDIENDE,
                   status=WorkerStatus.IN_OPLEIDING, education_group=EducationGroup.MIDDEN)
    missed = Worker("Claes", "Cas", birth_date=dt.date(1985, 5, 1), dismissal_date=dt.date(2026, 2, 1),
                    dossier_id=1, status=WorkerStatus.ZIEK)
    unknown = Worker("Dewit", "Zoë Çelik-Lefèvre", dossier_id=1)
    welder = ("lasser", "Lasser", ("KWANT", "KWAL"))
    return [WorkerExport(older, [Contact(dt.date(2026, 3, 10), "intake", 12.0),
                                 Contact(dt.date(2026, 4, 20), "sessie", 8.0)],
                         _plan(welder, ("heftruck", "Heftruckchauffeur", ("KWANT",)))),
            WorkerExport(young, [Contact(dt.date(2026, 5, 5), "intake", 5.0)], _plan(welder, welder)),
            WorkerExport(missed, [Contact(dt.date(2026, 2, 10), "intake", 2.0)],
                         _plan(("magazijnier", "Magazijnier", ()))),
            WorkerExport(unknown)]


def report():
    return compute_cell_report(dossier(), rows(), rules=CellRules(), today=TODAY)


def pdf_text(path) -> str:
    """The text of every page, one space between the words (table cells come out one per line)."""
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def test_the_figures_of_a_small_dossier():
    r = report()
    assert r.total == 4 and r.followed == 3                     # Aerts is at work
    assert r.open_until == dt.date(2026, 10, 30) and r.last_dismissal == dt.date(2026, 4, 30)
    assert r.by_status["aan het werk"] == 1 and r.by_status["in opleiding"] == 1 and r.by_status["intake"] == 1
    assert r.by_age_group == {AGE_UNDER: 2, AGE_OVER: 1, AGE_UNKNOWN: 1}
    assert [(b.low, b.high, b.count) for b in r.age_bands] == [(None, 29, 0), (30, 44, 2), (45, 54, 0), (55, None, 1)]
    assert r.by_statute == {"arbeider": 1, "bediende": 1, "onbekend": 2}
    assert r.frontload == {REACHED: 1, RUNNING: 1, MISSED: 1, UNKNOWN: 1}
    # Aerts 20 of 60 (registration until 1/9: runs), Baert 5 of 30 (until 30/7: runs), Claes 2 of 30 (until 1/5:
    # over), Dewit: no age
    assert r.minimum_hours == {REACHED: 0, RUNNING: 2, MISSED: 1, UNKNOWN: 1}
    assert r.isv == {"yes": 1, "no": 1, "unknown": 2}
    assert (r.hours_all.used, r.hours_all.required, r.hours_all.short, r.hours_all.reached) == (27, 120, 93, 0)
    assert (r.hours_followed.workers, r.hours_followed.used, r.hours_followed.required,
            r.hours_followed.short) == (3, 7, 60, 53)
    # a target is counted once per worker, most named first; reasons say whether it is a bottleneck occupation
    assert [(t.name, t.workers, t.bottleneck) for t in r.targets] == [
        ("Lasser", 2, True), ("Heftruckchauffeur", 1, True), ("Magazijnier", 1, False)]
    assert r.workers_with_plan == 3 and r.target_count == 3


def test_the_excel_sheet_reads_the_same_figures(tmp_path):
    out = write_dossier_xlsx(tmp_path / "o.xlsx", dossier(), rows(), rules=CellRules(), today=TODAY)
    rep = openpyxl.load_workbook(out)["Celrapport"]
    sheet = {(a, b): c for a, b, c in rep.iter_rows(min_row=2, values_only=True)}
    r = report()
    followed = "Outplacementuren (werknemers nog opgevolgd)"
    assert sheet[(followed, "nog te geven tot het minimum")] == r.hours_followed.short
    assert sheet[("Per statuut", "statuut onbekend")] == r.by_statute["onbekend"]
    assert sheet[("20 uur in de eerste 2 maanden", "niet gehaald, termijn voorbij")] == r.frontload[MISSED]


def test_the_pdf_shows_the_figures_and_no_personal_data(tmp_path):
    out = write_cell_report_pdf(report(), tmp_path / "celrapport.pdf")
    text = pdf_text(out)
    for expected in ("Celrapport", "Tewerkstellingscel Sluiting Metaalbouw NV", "begeleidingscomité",
                     "Opgemaakt op 01/06/2026", "KBO-nummer 0123.456.749", "Aankondiging collectief ontslag 15/01/2026",
                     "Tewerkstellingscel beschikbaar tot minstens 30/10/2026", "Laatste ontslag 30/04/2026",
                     "Werknemers in het dossier 4 100 %", "Aan het werk 1 25 %", "In opleiding 1 25 %",
                     "Nog opgevolgd (niet aan het werk, niet uitgestroomd) 3 75 %", "Ziek 1 25 %",
                     "Jonger dan 45 (3 maanden inschrijving, 30 uur outplacement) 2 50 %",
                     "45 of ouder (6 maanden inschrijving, 60 uur outplacement) 1 25 %", "55 jaar of ouder 1 25 %",
                     "Arbeider 1 25 %", "Bediende 1 25 %", "Statuut onbekend 2 50 %",
                     "Uren outplacement gebruikt 27 7", "Minimum vereist (samen) 120 60",
                     "Nog te geven tot het minimum 93 53", "Werknemers met het minimum bereikt 0 0",
                     "20 uur in de eerste 2 maanden 1 1 1 1",
                     "30/60 uur binnen de inschrijving (3/6 maanden) 0 2 1 1",
                     "Recht: minstens 1 jaar anciënniteit bij de aankondiging 1 25 %",
                     "Geen recht: minder anciënniteit 1 25 %", "Anciënniteit onbekend 2 50 %",
                     "niet bijgehouden in Werkbrug",
                     "1 Lasser kwantitatief, kwalitatief 2", "3 Magazijnier nee 1",
                     "VERTROUWELIJK", "Pagina 1 van 2", "Pagina 2 van 2"):
        assert expected in text, expected
    for secret in (INSZ, format_insz(INSZ), mask_insz(INSZ), SECRET, "tillen", *NAMES):
        assert secret not in text, secret
    assert "Bijlage" not in text
    info = PdfReader(str(out)).metadata
    assert info.title == "Celrapport – Sluiting Metaalbouw NV"


def test_the_appendix_with_names_and_status_only_on_request(tmp_path):
    out = write_cell_report_pdf(report(), tmp_path / "met-namen.pdf", with_names=True)
    reader = PdfReader(str(out))
    text = pdf_text(out)
    appendix = " ".join(reader.pages[-1].extract_text().split())
    assert "Bijlage: werknemers en status" in appendix
    assert "Aerts Alma Aan het werk" in appendix and "Dewit Zoë Çelik-Lefèvre Intake" in appendix
    # being ill is health data: not next to a name, only in the totals
    assert "Claes Cas Niet beschikbaar (reden niet vermeld)" in appendix and "Ziek" not in appendix
    # the totals stay on the pages before it, without names
    assert not any(n in " ".join(" ".join(p.extract_text().split()) for p in reader.pages[:-1]) for n in NAMES)
    for secret in (INSZ, format_insz(INSZ), mask_insz(INSZ), SECRET, "tillen", "1970"):
        assert secret not in text, secret


def test_an_empty_dossier_prints_with_unknown_dates(tmp_path):
    r = compute_cell_report(Dossier("Nog niets NV", id=2), [], today=TODAY)
    text = pdf_text(write_cell_report_pdf(r, tmp_path / "leeg.pdf", with_names=True))
    assert "Tewerkstellingscel beschikbaar tot minstens onbekend (geen ontslagdatum)" in text
    assert "KBO-nummer niet ingevuld" in text and "Werknemers in het dossier 0 –" in text
    assert "Nog geen trajectplannen met jobdoelwitten." in text and "Geen werknemers in dit dossier." in text


def test_report_workers_need_no_export_type():
    r = compute_cell_report(dossier(), [ReportWorker(Worker("Peeters", "Jan", dossier_id=1))], today=TODAY)
    assert r.total == 1 and r.roster == [("Peeters", "Jan", "intake")]
