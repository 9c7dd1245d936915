"""The import dialog: an error list that cannot be written never undoes or hides a committed import."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from core.model import Dossier

DATA = Path(__file__).resolve().parent / "data" / "import"


@pytest.fixture
def services(tmp_path):
    from db.connection import open_database
    from gui.services import Services
    db = open_database(tmp_path / "gui.db")
    yield Services.from_db(db, tmp_path / "gui.db")
    db.conn.close()


def test_dialog_imports_and_says_why_the_error_list_is_missing(qtbot, services, tmp_path, monkeypatch):
    from gui.import_dialog import ImportDialog
    d = services.dossiers.add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2024, 4, 8)))
    src = tmp_path / "werkgever.xlsx"
    shutil.copy(DATA / "werkgever.xlsx", src)
    (tmp_path / "werkgever.fouten.csv").mkdir()
    shown = []
    monkeypatch.setattr("gui.import_dialog.QMessageBox.warning", lambda *a: shown.append(a[2]))
    dlg = ImportDialog(services, d, src)
    qtbot.addWidget(dlg)
    assert dlg.do_import()
    assert len(dlg.imported_ids) == 5 and services.workers.count(d.id) == 5
    assert dlg.error_file is None and dlg.error_file_problem == "dit is een map, geen bestand"
    assert len(shown) == 1 and "5 werknemers geïmporteerd" in shown[0] and "werkgever.fouten.csv" in shown[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("werkgever", ".werkgever"))) == \
        ["werkgever.fouten.csv", "werkgever.xlsx"]
