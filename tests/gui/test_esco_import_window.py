"""Gegevens > ESCO-beroepen importeren…: in the background, with a Dutch result; a refused folder or a
stop leaves the database as it was."""
import shutil
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from db.esco import EscoRepository
from gui.esco_import import TASK_KEY, install_esco_import

MINI = Path(__file__).resolve().parents[1] / "data" / "esco_mini"


def _quiet(monkeypatch, seen):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: seen.append(("info", a[2])))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: seen.append(("warning", a[2])))


def test_import_from_the_window(window, services, qtbot, monkeypatch):
    seen = []
    _quiet(monkeypatch, seen)
    importer = install_esco_import(window)
    assert importer is not None and window.findChild(QAction, "act_import_esco") is not None
    assert importer.start(str(MINI))
    qtbot.waitUntil(lambda: not window.tasks.is_running(TASK_KEY), timeout=60000)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen[0][0] == "info" and "ESCO nl:" in seen[0][1]
    assert EscoRepository(services.db).occupation_count() > 0


def test_a_bad_folder_or_a_stop_changes_nothing(window, services, qtbot, monkeypatch, tmp_path):
    seen = []
    _quiet(monkeypatch, seen)
    importer = install_esco_import(window)
    assert importer.start(str(tmp_path / "bestaat-niet"))
    qtbot.waitUntil(lambda: bool(seen) and not window.tasks.is_running(TASK_KEY), timeout=30000)
    assert seen[0][0] == "warning" and "niets gewijzigd" in seen[0][1] and "bestaat niet" in seen[0][1]
    shutil.copytree(MINI, tmp_path / "esco")
    assert importer.start(str(tmp_path / "esco"))
    window.tasks.cancel(TASK_KEY)
    qtbot.waitUntil(lambda: not window.tasks.is_running(TASK_KEY), timeout=60000)
    # a stop before the commit changes nothing; one that comes later (a busy machine) finds it done
    if EscoRepository(services.db).occupation_count() == 0:
        assert "gestopt" in window.statusBar().currentMessage()
    else:
        assert "ESCO ingelezen" in window.statusBar().currentMessage()
    assert len(seen) == 1


def test_a_stop_during_the_import_rolls_it_back(services, tmp_path):
    import pytest
    from cli.cmd_esco import EscoImportCancelled, import_esco_folder
    calls = []

    def stop_late():
        calls.append(1)
        return len(calls) > 3          # after the first table was written, inside the transaction
    with pytest.raises(EscoImportCancelled):
        import_esco_folder(services.db, MINI, is_cancelled=stop_late)
    assert EscoRepository(services.db).occupation_count() == 0 and not EscoRepository(services.db).imported_languages()
