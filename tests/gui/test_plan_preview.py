"""The plan preview dialog: loads a generated PDF, shows the page count, saves and prints without dialogs."""
import pytest
from pypdf import PdfReader

from core.plan_pdf import plan_pdf_bytes
from tests.core.test_plan_pdf import TODAY, make_input


@pytest.fixture
def pdf_bytes():
    return plan_pdf_bytes(make_input(actions=40), today=TODAY)


@pytest.fixture
def dialog(qtbot, pdf_bytes):
    from gui.plan_preview import PlanPreviewDialog
    printed = []
    dlg = PlanPreviewDialog(pdf_bytes, title="Trajectplan Zoë Çelik-Lefèvre", suggested_name="plan.pdf",
                            on_printed=lambda: printed.append(True))
    dlg.printed_calls = printed
    qtbot.addWidget(dlg)
    return dlg


def test_shows_the_pages(dialog, pdf_bytes):
    from io import BytesIO
    n = len(PdfReader(BytesIO(pdf_bytes)).pages)
    assert n >= 4
    assert dialog.page_count() == n
    assert dialog.pages_label.text() == f"{n} pagina's"
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert dialog.view.document() is dialog.document


def test_save_writes_the_same_pdf(dialog, pdf_bytes, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    target = tmp_path / "bewaard"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF-bestanden (*.pdf)"))
    saved = []
    dialog.saved.connect(saved.append)
    path = dialog.save_as()
    assert path == str(target) + ".pdf" and saved == [path]
    assert (tmp_path / "bewaard.pdf").read_bytes() == pdf_bytes


def test_save_cancelled_writes_nothing(dialog, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert dialog.save_as() is None


def test_print_to_a_pdf_printer_calls_back(dialog, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFromTo(1, 2)
    assert dialog.print_to(printer) is True
    assert dialog.printed_calls == [True]
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 2


def test_broken_pdf_disables_the_buttons(qtbot):
    from gui.plan_preview import PlanPreviewDialog
    dlg = PlanPreviewDialog(b"geen pdf")
    qtbot.addWidget(dlg)
    assert dlg.page_count() == 0 and not dlg.print_button.isEnabled()
    assert "niet geladen" in dlg.pages_label.text()
