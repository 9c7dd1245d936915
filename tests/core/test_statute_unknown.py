"""An unknown statute is a value of its own: counted apart in the cell report, shown as 'onbekend' in the
export and the access document, and carried unchanged by transfer files."""
import datetime as dt

import openpyxl

from cli import cmd_transfer
from core.export_xlsx import WorkerExport, write_dossier_xlsx
from core.model import Dossier, Statute, Worker
from core.plan_text import access_texts
from core.security import KdfParams
from core.validation import validate_worker
from db.connection import open_database
from db.dossiers import DossierRepository
from db.transfer_repo import apply_merge
from db.workers import WorkerRepository

ANNOUNCED = dt.date(2026, 1, 15)
PASS = "Overdracht-Test-2026"
FAST = KdfParams.INSECURE_FAST


def test_a_new_worker_has_an_unknown_statute_and_only_the_three_values_are_valid():
    assert Worker("Peeters", "Jan").statute is Statute.ONBEKEND
    for s in (Statute.ONBEKEND, "onbekend", Statute.ARBEIDER, "bediende"):
        assert validate_worker(Worker("Peeters", "Jan", statute=s)) == []
    assert [(e.field, e.message) for e in validate_worker(Worker("Peeters", "Jan", statute="interim"))] == [
        ("statute", "Statuut moet arbeider, bediende of onbekend zijn.")]


def _report(tmp_path, workers):
    d = Dossier("Sluiting NV", announcement_date=ANNOUNCED, id=1)
    out = write_dossier_xlsx(tmp_path / "rapport.xlsx", d, [WorkerExport(w) for w in workers],
                             today=dt.date(2026, 6, 1))
    return openpyxl.load_workbook(out)


def test_the_cell_report_counts_unknown_statutes_apart_from_arbeiders(tmp_path):
    workers = [Worker("Aerts", "Alma", statute=Statute.ARBEIDER, dossier_id=1),
               Worker("Baert", "Bart", statute=Statute.ARBEIDER, dossier_id=1),
               Worker("Claes", "Cas", statute=Statute.BEDIENDE, dossier_id=1),
               Worker("Dewit", "Dirk", dossier_id=1),                             # intake without a choice
               Worker("Engels", "Eva", statute=Statute.ONBEKEND, dossier_id=1)]
    wb = _report(tmp_path, workers)
    rows = [r for r in wb["Celrapport"].iter_rows(min_row=2, values_only=True) if r[0] == "Per statuut"]
    assert rows == [("Per statuut", "arbeider", 2), ("Per statuut", "bediende", 1),
                    ("Per statuut", "statuut onbekend", 2)]
    ws = wb["Werknemers"]
    head = [c.value for c in ws[1]]
    col = head.index("Statuut")
    assert head[:4] == ["Naam", "Voornaam", "INSZ", "Status"]                   # the earlier columns stay put
    assert {r[0]: r[col] for r in ws.iter_rows(min_row=2, values_only=True)} == {
        "Aerts": "arbeider", "Baert": "arbeider", "Claes": "bediende", "Dewit": "onbekend", "Engels": "onbekend"}


def test_the_unknown_row_is_there_even_when_every_statute_is_known(tmp_path):
    wb = _report(tmp_path, [Worker("Aerts", "Alma", statute=Statute.BEDIENDE, dossier_id=1)])
    rep = {(r[0], r[1]): r[2] for r in wb["Celrapport"].iter_rows(min_row=2, values_only=True)}
    assert rep[("Per statuut", "statuut onbekend")] == 0 and rep[("Per statuut", "arbeider")] == 0


def test_the_access_document_names_an_unknown_statute():
    assert access_texts("nl").value("statute_value", "onbekend") == "onbekend"
    assert access_texts("fr").value("statute_value", "onbekend") == "inconnu"
    assert access_texts("fr").value("statute_value", "arbeider") == "ouvrier"


def _move(src, dossier_id, dst, path):
    f = cmd_transfer.export_transfer(src, dossier_id, path, passphrase=PASS, kdf=FAST)
    plan, duid, _ = cmd_transfer.prepare_import(dst, f, passphrase=PASS, kdf=FAST)
    assert not plan.conflicts
    apply_merge(dst, plan, duid)


def test_transfer_files_carry_the_statute_unchanged(tmp_path):
    a, b = open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")
    try:
        d = DossierRepository(a).add(Dossier("Van Hool NV", announcement_date=dt.date(2024, 3, 1)))
        wa = WorkerRepository(a)
        made = {s: wa.add(Worker(f"Werknemer {s.value}", "X", dossier_id=d.id, statute=s)) for s in Statute}
        _move(a, d.id, b, tmp_path / "naar_b.werkbrug")
        wb = WorkerRepository(b)
        assert {s: wb.find_by_uid(w.uid).statute for s, w in made.items()} == {s: s for s in Statute}
        # a statute that becomes known on one computer, and one that is set back to unknown, travel as they are
        x = wb.find_by_uid(made[Statute.ONBEKEND].uid); x.statute = Statute.BEDIENDE; wb.update(x)
        y = wb.find_by_uid(made[Statute.ARBEIDER].uid); y.statute = Statute.ONBEKEND; wb.update(y)
        _move(b, DossierRepository(b).find_by_uid(d.uid).id, a, tmp_path / "naar_a.werkbrug")
        assert wa.find_by_uid(made[Statute.ONBEKEND].uid).statute is Statute.BEDIENDE
        assert wa.find_by_uid(made[Statute.ARBEIDER].uid).statute is Statute.ONBEKEND
        assert a.execute("SELECT statute FROM workers WHERE uid = ?", [y.uid]).fetchone()[0] == "onbekend"
    finally:
        a.conn.close()
        b.conn.close()
