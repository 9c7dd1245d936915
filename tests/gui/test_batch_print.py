"""All trajectory plans of a dossier printed to PDF in the background, with progress, from the window."""
from pypdf import PdfReader

from cli.cmd_demo import create_demo
from gui.batch_print import TASK_KEY, install_batch_print


def test_dossier_plans_to_one_pdf_and_to_a_folder(window, services, tmp_path, qtbot):
    did, n = create_demo(services.db, 6)
    window.refresh_dossiers(did)
    printer = install_batch_print(window)
    single = tmp_path / "alles.pdf"
    assert printer.start(single=str(single))
    qtbot.waitUntil(lambda: not window.tasks.is_running(TASK_KEY), timeout=30000)
    text = "".join(p.extract_text() for p in PdfReader(str(single)).pages)
    assert text.count("Individueel trajectplan") >= n
    folder = tmp_path / "map"
    assert printer.start(out_dir=str(folder))
    qtbot.waitUntil(lambda: not window.tasks.is_running(TASK_KEY), timeout=30000)
    assert len(list(folder.glob("*.pdf"))) == n
    assert "trajectplannen" in window.statusBar().currentMessage()


def test_cancel_stops_without_a_half_combined_file(window, services, tmp_path, qtbot):
    did, _ = create_demo(services.db, 40)
    window.refresh_dossiers(did)
    printer = install_batch_print(window)
    single = tmp_path / "gestopt.pdf"
    assert printer.start(single=str(single))
    window.tasks.cancel(TASK_KEY)
    qtbot.waitUntil(lambda: not window.tasks.is_running(TASK_KEY), timeout=30000)
    assert not single.exists()
