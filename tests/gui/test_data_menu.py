"""The Gegevens and Beheer menus: export, backup, transfer through the window, drag-and-drop."""
from pathlib import Path

import openpyxl
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox

from cli.cmd_demo import create_demo
from core.security import Principal, Role
from gui.admin_menu import install_admin_menu
from gui.data_menu import ExportTransferDialog, MergeDialog, PassphraseDialog, install_data_menu


def _quiet(monkeypatch):
    shown = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: shown.append(a[2] if len(a) > 2 else ""))
    return shown


def test_export_backup_and_transfer_from_the_window(window, services, tmp_path, monkeypatch, qtbot):
    shown = _quiet(monkeypatch)
    did, _ = create_demo(services.db, 8)
    window.refresh_dossiers(did)
    actions = install_data_menu(window)
    assert "data" in window.menus and window.menuBar().actions()[-1].menu() is window.menus["help"]

    out = tmp_path / "overzicht.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    actions.export_xlsx()
    assert openpyxl.load_workbook(out)["Werknemers"].max_row == 9

    actions.backup()
    backups = list((Path(services.db_path).parent / "backups").glob("*.db"))
    assert len(backups) == 1

    transfer = tmp_path / "dossier.werkbrug"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(transfer), ""))
    monkeypatch.setattr(PassphraseDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(PassphraseDialog, "passphrase", lambda self: "Een-Goede-Zin-2026")
    monkeypatch.setattr(ExportTransferDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    actions.export_transfer()
    assert transfer.exists() and b"Demo Carrosseriebouw" not in transfer.read_bytes()
    # reading our own file back is refused with a message, nothing changes
    monkeypatch.setattr(MergeDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    before = services.workers.count()
    actions.import_transfer(str(transfer))
    assert services.workers.count() == before and any("deze computer" in str(m) for m in shown)


def test_dropping_an_employer_list_opens_the_import(window, services, tmp_path, monkeypatch):
    _quiet(monkeypatch)
    did, _ = create_demo(services.db, 2)
    window.refresh_dossiers(did)
    actions = install_data_menu(window)
    opened = []
    monkeypatch.setattr(actions, "import_list", lambda path=None: opened.append(path))
    csv = tmp_path / "lijst.csv"
    csv.write_text("Naam;Voornaam\nPeeters;Jan\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(csv))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert actions.eventFilter(window, event)
    assert opened == [str(csv)]
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "foto.png"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert not actions.eventFilter(window, event)


def test_admin_menu_only_for_roles_that_may_use_it(window, services):
    consulent = Principal(2, "an", "An", Role.CONSULENT)
    install_admin_menu(window, services.db, consulent, audit=object())
    assert "admin" not in window.menus
    beheerder = Principal(1, "beheer", "Beheer", Role.ADMIN)
    install_admin_menu(window, services.db, beheerder, audit=object())
    texts = [a.text() for a in window.menus["admin"].actions()]
    assert window.menuBar().actions()[-1].menu() is window.menus["help"]
    assert any("Accounts" in t for t in texts) and any("Audit" in t for t in texts)


def test_importing_a_transfer_file_reports_the_reference_edits(window, services, tmp_path, monkeypatch):
    from cli.cmd_transfer import export_transfer
    from db.connection import open_database
    from db.reference_repo import ReferenceRepository
    from tests.core.test_transfer import _seed
    from tests.core.test_transfer_reference import _local_edits
    shown = _quiet(monkeypatch)
    other = open_database(tmp_path / "ander.db")
    try:
        d, *_ = _seed(other)
        _local_edits(other)
        f = export_transfer(other, d.id, tmp_path / "van_een_collega", passphrase="Een-Goede-Zin-2026")
    finally:
        other.conn.close()
    actions = install_data_menu(window)
    monkeypatch.setattr(PassphraseDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(PassphraseDialog, "passphrase", lambda self: "Een-Goede-Zin-2026")
    seen = []
    monkeypatch.setattr(MergeDialog, "exec", lambda self: seen.append(self) or QDialog.DialogCode.Accepted)
    actions.import_transfer(str(f))
    assert any("2 aangepaste of eigen beroepen" in label.text() for label in seen[0].findChildren(QLabel))
    message = str(shown[-1])
    assert "Referentiegegevens: 1 variant en 2 beroepen overgenomen" in message
    assert "Beroep 'CNC-frezer 5-assig' overgenomen." in message
    assert ReferenceRepository(services.db, principal=None).local_item("occupation", "cnc-frezer-5-assig")


def test_a_failed_export_is_told_in_dutch(window, services, tmp_path, monkeypatch):
    import errno
    shown = _quiet(monkeypatch)
    did, _ = create_demo(services.db, 2)
    window.refresh_dossiers(did)
    actions = install_data_menu(window)
    # a folder as target: refused by the file layer, nothing written
    folder = tmp_path / "map.xlsx"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(folder), ""))
    actions.export_xlsx()
    assert shown and "map" in shown[-1] and "Error" not in shown[-1] and not any(folder.iterdir())

    # a file-system error: the Dutch reason and the file, not the C library's English text
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.xlsx"))
    import cli.cmd_export
    monkeypatch.setattr(cli.cmd_export, "export_dossier", full)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.xlsx"), ""))
    actions.export_xlsx()
    assert "schijf is vol" in shown[-1] and "No space" not in shown[-1]


def test_the_accounts_window_renews_the_key_of_the_signed_in_session(window, services, monkeypatch):
    import db.rekey
    from gui import admin_menu
    from gui.accounts_dialog import AccountsDialog
    session = object()
    monkeypatch.setitem(services.extra, "session", session)
    calls, seen = [], []
    monkeypatch.setattr(db.rekey, "rotate_database_key", lambda s, pw: calls.append((s, pw)) or "resultaat")
    monkeypatch.setattr(AccountsDialog, "exec", lambda self: seen.append(self) or 0)
    admin_menu._accounts(window, services.db)
    dlg = seen[0]
    assert dlg.after_rotation is admin_menu.restart_application and not dlg.rotate_button.isHidden()
    assert dlg.rotate_key("pw") == "resultaat" and calls == [(session, "pw")]
    # unsaved changes the counsellor keeps: the key is not renewed under the window
    monkeypatch.setattr(window, "leave_for_restart", lambda: False)
    import pytest
    from core.errors import UserError
    with pytest.raises(UserError):
        dlg.rotate_key("pw")
    assert len(calls) == 1


def _records(path, kind):
    from db.transfer_file import read_sealed
    _, content = read_sealed(path, passphrase="Een-Goede-Zin-2026", max_schema=99)
    return [r for r in content["records"] if r["kind"] == kind]


def test_export_transfer_asks_whole_dossier_or_selection_and_health_data_and_says_the_count(
        window, services, tmp_path, monkeypatch):
    from core.model import FunctionalLimitation
    shown = _quiet(monkeypatch)
    did, _ = create_demo(services.db, 8)
    window.refresh_dossiers(did)
    ids = services.workers.ids_in_dossier(did)
    w = services.workers.get(ids[0])
    w.limitations = [FunctionalLimitation("tillen", "rugletsel")]
    services.workers.update(w)
    actions = install_data_menu(window)
    picked = [ids[0], ids[2]]
    monkeypatch.setattr(window, "selected_worker_ids", lambda: list(picked))
    monkeypatch.setattr(PassphraseDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(PassphraseDialog, "passphrase", lambda self: "Een-Goede-Zin-2026")
    asked = []

    def choose(selection, health):
        def exec_(self):
            asked.append((self.whole.text(), self.selection.text(), self.limitations.isChecked()))
            self.selection.setChecked(selection)
            self.limitations.setChecked(health)
            return QDialog.DialogCode.Accepted
        return exec_

    out = tmp_path / "sel.werkbrug"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(ExportTransferDialog, "exec", choose(True, False))
    actions.export_transfer()
    whole, selection, health_default = (t.replace("&", "") if isinstance(t, str) else t for t in asked[-1])
    assert "hele dossier (8 werknemers)" in whole and "2 geselecteerde werknemers" in selection
    assert health_default is False                                   # as on the command line: not by default
    assert "2 werknemers geschreven" in str(shown[-1]) and "niet meegenomen" in str(shown[-1])
    assert len(_records(out, "workers")) == 2 and not _records(out, "functional_limitations")

    out = tmp_path / "alles.werkbrug"
    monkeypatch.setattr(ExportTransferDialog, "exec", choose(False, True))
    actions.export_transfer()
    assert "8 werknemers geschreven" in str(shown[-1]) and "werden meegenomen" in str(shown[-1])
    assert len(_records(out, "workers")) == 8 and len(_records(out, "functional_limitations")) >= 1

    monkeypatch.setattr(ExportTransferDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    n = len(shown)
    actions.export_transfer()                                        # cancelled: nothing asked further, no file
    assert len(shown) == n


def test_merge_dialog_offers_a_choice_per_conflicting_field_with_dutch_names(tmp_path, qtbot):
    from db.connection import open_database
    from db.dossiers import DossierRepository
    from db.workers import WorkerRepository
    from tests.core.test_transfer import _import, _seed, export_transfer, prepare_import
    a, b = open_database(tmp_path / "a.db"), open_database(tmp_path / "b.db")
    try:
        d, w1, _ = _seed(a)
        _import(b, export_transfer(a, d.id, tmp_path / "heen.werkbrug"))
        wa, wb = WorkerRepository(a), WorkerRepository(b)
        x = wa.find_by_uid(w1.uid); x.municipality = "Gent"; x.email = "hier@x.be"; x.phone = "0470 11 22 33"
        wa.update(x)
        y = wb.find_by_uid(w1.uid); y.municipality = "Brugge"; y.email = "daar@x.be"; wb.update(y)
        bd = DossierRepository(b).find_by_uid(d.uid).id
        plan, _, _ = prepare_import(a, export_transfer(b, bd, tmp_path / "terug.werkbrug"))
        dlg = MergeDialog(plan)
        qtbot.addWidget(dlg)
        names = [dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount())]
        assert sorted(names) == ["E-mail", "Gemeente"]                  # not the phone: changed here only
        assert "1 conflict." in plan.summary()
        combos = dlg.field_combos[w1.uid]
        combos["municipality"].setCurrentIndex(combos["municipality"].findData("theirs"))
        assert dlg.choices() == {w1.uid: {"municipality": "theirs", "email": "mine"}}
    finally:
        a.conn.close()
        b.conn.close()
