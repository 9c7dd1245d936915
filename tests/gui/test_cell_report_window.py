"""Gegevens > Celrapport als PDF…: the cell report for the steering group from the window, totals only unless
the appendix with names is ticked, written to the audit trail, and a failure told in Dutch."""
import errno

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox

from cli.cmd_demo import create_demo
from gui.data_menu import CellReportDialog, install_data_menu


def _quiet(monkeypatch):
    shown = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: shown.append(a[2] if len(a) > 2 else ""))
    return shown


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def _setup(window, services, monkeypatch, target, *, names=False, workers=5):
    from db.audit import AuditLog
    did, _ = create_demo(services.db, workers)
    window.refresh_dossiers(did)
    actions = install_data_menu(window)
    actions.audit = AuditLog(services.db)
    asked = []
    monkeypatch.setattr(CellReportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(CellReportDialog, "with_names", lambda self: names)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (asked.append(a[2]) or (str(target), "")))
    return did, actions, asked


def test_the_menu_action_writes_the_report_with_totals_only(window, services, tmp_path, monkeypatch):
    shown = _quiet(monkeypatch)
    target = tmp_path / "celrapport.pdf"
    did, actions, asked = _setup(window, services, monkeypatch, target)
    menu = window.menus["data"]
    action = next(a for a in menu.actions() if a.text() == "Celrapport als &PDF…")
    action.trigger()
    assert asked and asked[0].endswith("celrapport.pdf")           # proposed name: "<company> - celrapport.pdf"
    text = _text(target)
    assert "Celrapport" in text and "Werknemers in het dossier 5 100 %" in text and "VERTROUWELIJK" in text
    for w in (services.workers.get(i) for i in services.workers.ids_in_dossier(did)):
        assert w.surname not in text and (not w.insz or w.insz not in text)
    assert not shown
    assert str(target) in window.statusBar().currentMessage()
    entries = [(e.action, e.details.get("what"), e.details.get("destination")) for e in actions.audit.entries()]
    assert ("export", "celrapport (pdf)", str(target)) in entries


def test_the_appendix_with_names_when_ticked(window, services, tmp_path, monkeypatch):
    _quiet(monkeypatch)
    target = tmp_path / "met-namen.pdf"
    did, actions, _ = _setup(window, services, monkeypatch, target, names=True, workers=3)
    actions.export_cell_report()
    last = " ".join(PdfReader(str(target)).pages[-1].extract_text().split())
    assert "Bijlage: werknemers en status" in last
    assert all(services.workers.get(i).surname in last for i in services.workers.ids_in_dossier(did))
    entries = [e.details.get("what") for e in actions.audit.entries()]
    assert "celrapport (pdf, met namen)" in entries


def test_the_options_dialog_leaves_names_out_by_default_and_cancel_writes_nothing(window, services, tmp_path,
                                                                                   monkeypatch, qtbot):
    dialog = CellReportDialog(window)
    qtbot.addWidget(dialog)
    assert not dialog.with_names()
    assert "geen namen" in " ".join(label.text() for label in dialog.findChildren(QLabel))
    _quiet(monkeypatch)
    did, _ = create_demo(services.db, 2)
    window.refresh_dossiers(did)
    actions = install_data_menu(window)
    monkeypatch.setattr(CellReportDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    actions.export_cell_report()
    assert not asked and not list(tmp_path.glob("*.pdf"))


def test_a_failed_report_is_told_in_dutch(window, services, tmp_path, monkeypatch):
    shown = _quiet(monkeypatch)
    folder = tmp_path / "map.pdf"
    folder.mkdir()
    _, actions, _ = _setup(window, services, monkeypatch, folder, workers=2)
    actions.export_cell_report()
    assert shown and "map" in shown[-1] and "Error" not in shown[-1] and not any(folder.iterdir())

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.pdf"))
    import cli.cmd_export
    monkeypatch.setattr(cli.cmd_export, "export_cell_report", full)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.pdf"), ""))
    actions.export_cell_report()
    assert "schijf is vol" in shown[-1] and "No space" not in shown[-1]
    assert not [e for e in actions.audit.entries() if e.details.get("what", "").startswith("celrapport")]
