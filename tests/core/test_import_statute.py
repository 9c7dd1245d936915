"""The statute of an imported worker: unknown when the list does not give it, never arbeider by assumption."""
import datetime as dt

import openpyxl
import pytest

from cli.app import run
from core.importers import ImportPreview, RowStatus, guess_mapping, load_table
from core.model import Dossier, Statute
from core.security import KdfParams
from db.accounts import create_first_admin
from db.dossiers import DossierRepository
from db.import_mappings import commit_import, existing_workers
from db.workers import WorkerRepository
from tests.conftest import TEST_PASSWORD, TEST_USER

TODAY = dt.date(2024, 6, 1)


@pytest.fixture
def dossier(db):
    return DossierRepository(db).add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2024, 4, 8)))


def _preview(db, dossier, path):
    t = load_table(path)
    return ImportPreview(t, guess_mapping(t.headers), dossier, existing_workers(db, dossier.id), today=TODAY)


def test_list_without_a_statute_column_leaves_the_statute_unknown(db, dossier, tmp_path):
    src = tmp_path / "lijst.csv"
    src.write_text("Naam;Voornaam;INSZ;Functie\nPeeters;Jan;70050103384;Lasser\nMaes;An;80021402288;Bediende\n",
                   encoding="utf-8")
    p = _preview(db, dossier, src)
    assert p.mapping.column_of("statute") is None
    assert [r.status for r in p.rows] == [RowStatus.VALID, RowStatus.VALID]      # nothing to warn about
    assert [r.worker.statute for r in p.rows] == [Statute.ONBEKEND, Statute.ONBEKEND]
    ids = commit_import(db, p.chosen_workers(include_warnings=False))
    stored = [db.execute("SELECT statute FROM workers WHERE id = ?", [i]).fetchone()[0] for i in ids]
    assert stored == ["onbekend", "onbekend"]
    assert WorkerRepository(db).get(ids[0]).statute is Statute.ONBEKEND


def test_statute_cells_empty_known_and_unreadable(db, dossier, tmp_path):
    src = tmp_path / "lijst.csv"
    src.write_text("Naam;Voornaam;INSZ;Statuut\n"
                   "Aerts;Alma;70050103384;\n"                    # empty cell
                   "Baert;Bart;80021402288;   \n"                 # only spaces
                   "Claes;Cas;75090304152;ouvrier\n"
                   "Dewit;Dirk;66112005730;Bediende\n"
                   "Engels;Eva;88010901221;onbekend\n"            # the list says it does not know
                   "Fierens;Fien;72060609815;interim\n",          # not a statute Werkbrug can read
                   encoding="utf-8")
    p = _preview(db, dossier, src)
    by_name = {r.worker.surname: r for r in p.rows}
    assert {n: r.worker.statute for n, r in by_name.items()} == {
        "Aerts": Statute.ONBEKEND, "Baert": Statute.ONBEKEND, "Claes": Statute.ARBEIDER, "Dewit": Statute.BEDIENDE,
        "Engels": Statute.ONBEKEND, "Fierens": Statute.ONBEKEND}
    assert all(by_name[n].status is RowStatus.VALID for n in ("Aerts", "Baert", "Claes", "Dewit", "Engels"))
    odd = by_name["Fierens"]
    assert odd.status is RowStatus.WARNING and "statute" in odd.problem_fields
    assert odd.warnings == ["Statuut interim is niet herkend (arbeider of bediende verwacht); "
                            "het statuut blijft onbekend."]


def test_import_then_report_counts_the_unknown_statutes_apart(tmp_path):
    """Command line, end to end: a list without a statute column, then the cell report of the dossier."""
    db = tmp_path / "w.db"
    s = create_first_admin(db, TEST_USER, "Beheerder", TEST_PASSWORD, kdf=KdfParams.INSECURE_FAST)
    d = DossierRepository(s.db).add(Dossier("Sluiting NV", announcement_date=dt.date(2024, 4, 8)))
    s.close()
    src = tmp_path / "lijst.csv"
    src.write_text("Naam;Voornaam;INSZ;Statuut\nPeeters;Jan;70050103384;arbeider\nMaes;An;80021402288;\n"
                   "Claes;Cas;75090304152;bediende\n", encoding="utf-8")
    assert run(["--db", str(db), "import-workers", str(src), "--dossier", str(d.id), "--yes"]) == 0
    out = tmp_path / "overzicht.xlsx"
    assert run(["--db", str(db), "export-dossier", "--dossier", str(d.id), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    rep = {(r[0], r[1]): r[2] for r in wb["Celrapport"].iter_rows(min_row=2, values_only=True)}
    assert rep[("Per statuut", "arbeider")] == 1
    assert rep[("Per statuut", "bediende")] == 1
    assert rep[("Per statuut", "statuut onbekend")] == 1
    ws = wb["Werknemers"]
    column = [c.value for c in ws[1]].index("Statuut")
    assert {r[0]: r[column] for r in ws.iter_rows(min_row=2, values_only=True)} == {
        "Peeters": "arbeider", "Maes": "onbekend", "Claes": "bediende"}
