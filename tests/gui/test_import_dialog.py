"""The import dialog: mapping combos, coloured preview, editing revalidates, import in one go."""
import datetime as dt
import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from core.importers import RowStatus
from core.model import Dossier
from gui.import_dialog import COLOURS, ImportDialog, accepts_drop, open_import_for_path

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def _dialog(qtbot, services, tmp_path, name="cp1252_puntkomma.csv"):
    d = services.dossiers.add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2024, 4, 8)))
    src = tmp_path / name
    shutil.copy(DATA / name, src)
    dlg = ImportDialog(services, d, src)
    qtbot.addWidget(dlg)
    return dlg, d


def test_preview_colours_edit_and_import(qtbot, services, tmp_path):
    dlg, d = _dialog(qtbot, services, tmp_path)
    m = dlg.model
    assert m.rowCount() == 7
    assert m.data(m.index(0, 1)) == "geldig"
    assert m.data(m.index(0, 0), Qt.ItemDataRole.BackgroundRole) == COLOURS[RowStatus.VALID]
    assert m.data(m.index(5, 1)) == "fout" and "Naam is verplicht" in m.data(m.index(5, 2))
    col = 3 + m._fields.index("surname")
    assert m.flags(m.index(5, col)) & Qt.ItemFlag.ItemIsEditable
    assert m.setData(m.index(5, col), "Wouters")                 # fixed in the preview
    assert m.data(m.index(5, 1)) == "waarschuwing"
    assert "5 geldig" in dlg.summary.text()
    dlg.with_warnings.setChecked(True)
    assert "6 rijen" in dlg.summary.text()
    assert dlg.do_import()
    assert len(dlg.imported_ids) == 6 and services.workers.count(d.id) == 6
    assert dlg.error_file == tmp_path / "cp1252_puntkomma.fouten.csv" and dlg.error_file.exists()


def test_mapping_combo_moves_a_field_and_blocks_import_without_a_name(qtbot, services, tmp_path):
    dlg, _ = _dialog(qtbot, services, tmp_path)
    combo = dlg.combos[0]                                        # "Naam"
    combo.setCurrentIndex(combo.findData(None))
    assert "Kies nog een kolom voor: Naam" in dlg.summary.text()
    assert not dlg.btn_import.isEnabled()
    dlg.combos[6].setCurrentIndex(dlg.combos[6].findData("surname"))   # "Adres" as name, just to move it
    assert dlg.preview.mapping.column_of("surname") == 6 and dlg.preview.mapping.column_of("street") is None
    assert dlg.btn_import.isEnabled()


def test_cancel_writes_nothing(qtbot, services, tmp_path):
    dlg, d = _dialog(qtbot, services, tmp_path, "werkgever.xlsx")
    qtbot.mouseClick(dlg.btn_cancel, Qt.MouseButton.LeftButton)
    assert dlg.result() == dlg.DialogCode.Rejected
    assert services.workers.count(d.id) == 0
    assert not (tmp_path / "werkgever.fouten.csv").exists()


def test_drop_helpers(qtbot, services, tmp_path, monkeypatch):
    assert accepts_drop("lijst.XLSX") and accepts_drop("/x/lijst.csv") and not accepts_drop("foto.jpg")
    d = services.dossiers.add(Dossier("X NV"))
    shown = []
    monkeypatch.setattr("gui.import_dialog.QMessageBox.warning", lambda *a: shown.append(a[2]))
    assert open_import_for_path(services, d, DATA / "leeg.csv") is None
    assert "leeg" in shown[0]
    dlg = open_import_for_path(services, d, DATA / "utf8_bom.csv")
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 5


def test_the_import_is_audited_in_its_own_transaction(qtbot, services, tmp_path, monkeypatch):
    from db.audit import AuditLog
    audit = AuditLog(services.db, "consulent-an")
    monkeypatch.setitem(services.extra, "audit", audit)
    dlg, d = _dialog(qtbot, services, tmp_path)
    assert dlg.do_import()
    entries = [e for e in audit.entries() if e.action == "import"]
    assert len(entries) == 1 and entries[0].details["count"] == len(dlg.imported_ids) == 5
    assert str(entries[0].entity_id) == str(d.id)

    # an audit entry that cannot be written rolls the import back: nothing unaudited stays
    def broken(*a, **k):
        raise RuntimeError("audit unavailable")
    monkeypatch.setattr(audit, "imported", broken)
    dlg2, d2 = _dialog(qtbot, services, tmp_path)
    try:
        dlg2.do_import()
    except RuntimeError:
        pass
    assert services.workers.count(d2.id) == 0


def test_how_the_file_was_read_is_shown(qtbot, services, tmp_path):
    # a total line at the end of the employer's list is skipped, and the dialog says so
    src = DATA / "cp1252_puntkomma.csv"
    name = "met_totaal.csv"
    (tmp_path / name).write_bytes(src.read_bytes().rstrip(b"\r\n") + "\r\nTotaal: 7 werknemers;;;\r\n".encode("cp1252"))
    d = services.dossiers.add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2024, 4, 8)))
    dlg = ImportDialog(services, d, tmp_path / name)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 7                               # the total line is no worker
    assert not dlg.notes.isHidden() and "Totaal" in dlg.notes.text()
    plain, _ = _dialog(qtbot, services, tmp_path)
    assert plain.notes.isHidden()


def test_a_workbook_with_several_sheets_offers_the_sheet_choice(qtbot, services, tmp_path):
    from tests.core.test_import_sheets import HEAD, LUC, two_sheets, workbook
    d = services.dossiers.add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2026, 9, 15)))
    dlg = ImportDialog(services, d, two_sheets(tmp_path / "twee.xlsx"))
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 3 and not dlg.sheet_combo.isHidden()
    assert dlg.model.data(dlg.model.index(2, 0)) == "blad Bedienden, rij 3"
    assert "Bedienden" in dlg.notes.text() and "3 rijen worden" in dlg.summary.text()
    dlg.sheet_combo.setCurrentIndex(dlg.sheet_combo.findData("Arbeiders"))
    assert dlg.model.rowCount() == 1 and len(dlg.combos) == 5 and "Alleen blad" in dlg.notes.text()
    # no sheet with the list's columns: the first sheet is shown, with why, and another can be picked
    path = workbook(tmp_path / "info.xlsx", {"Info": [["Tekst"]], "Lijst": [["Nom", "Pnom", "x"], LUC[:3]]})
    dlg2 = ImportDialog(services, d, path)
    qtbot.addWidget(dlg2)
    assert '"Info", "Lijst"' in dlg2.notes.text() and dlg2.sheet_combo.currentData() == "Info"
    dlg2.sheet_combo.setCurrentIndex(dlg2.sheet_combo.findData("Lijst"))
    assert dlg2.model.rowCount() == 1 and not dlg2.btn_import.isEnabled()
    plain, _ = _dialog(qtbot, services, tmp_path)
    assert plain.sheet_combo.isHidden()


def test_a_date_written_as_a_number_is_shown_as_a_date(qtbot, services, tmp_path):
    from tests.core.test_import_sheets import workbook
    d = services.dossiers.add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2026, 9, 15)))
    path = workbook(tmp_path / "serie.xlsx", {"Lijst": [["Naam", "Voornaam", "Geboortedatum"],
                                                        ["Dubois", "Jean", 25610]]})
    dlg = ImportDialog(services, d, path)
    qtbot.addWidget(dlg)
    m = dlg.model
    cell = m.index(0, 3 + m._fields.index("birth_date"))
    assert m.data(cell) == "11/02/1970"
    assert "In het bestand: 25610" in m.data(cell, Qt.ItemDataRole.ToolTipRole)


def test_a_hidden_sheet_is_named_in_the_dialog_and_can_be_chosen(qtbot, services, tmp_path):
    from tests.core.test_import_sheets import HEAD, JEAN, OLD_LIST, hidden_workbook
    d = services.dossiers.add(Dossier("Demo Carrosseriebouw NV", announcement_date=dt.date(2026, 9, 15)))
    path = hidden_workbook(tmp_path / "verborgen.xlsx", {"Lijst": [HEAD, JEAN], "Vorig jaar": OLD_LIST},
                           {"Vorig jaar": "hidden"})
    dlg = ImportDialog(services, d, path)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 1 and not dlg.notes.isHidden()
    assert 'Blad "Vorig jaar" is verborgen in het werkboek en werd niet ingelezen' in dlg.notes.text()
    items = [dlg.sheet_combo.itemText(i) for i in range(dlg.sheet_combo.count())]
    assert items[0].startswith("Alle zichtbare bladen")
    assert "Alleen blad Vorig jaar (verborgen in het werkboek)" in items and "Alleen blad Lijst" in items
    dlg.sheet_combo.setCurrentIndex(dlg.sheet_combo.findData("Vorig jaar"))
    assert dlg.model.rowCount() == 2 and "het werd ingelezen omdat het gekozen werd" in dlg.notes.text()
    # only the hidden sheet has the list: a visible sheet is shown with why, the hidden one is offered
    path = hidden_workbook(tmp_path / "alleen.xlsx", {"Uitleg": [["Zie de lijst"]], "Lijst": [HEAD, JEAN]},
                           {"Lijst": "hidden"})
    dlg2 = ImportDialog(services, d, path)
    qtbot.addWidget(dlg2)
    assert dlg2.sheet_combo.currentData() == "Uitleg" and 'het verborgen blad "Lijst" wel' in dlg2.notes.text()
