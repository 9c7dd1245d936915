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


@pytest.fixture
def concept_dialog(qtbot, pdf_bytes):
    from gui.plan_preview import PlanPreviewDialog
    printed = []
    dlg = PlanPreviewDialog(pdf_bytes, suggested_name="plan.pdf", on_printed=lambda: printed.append(True),
                            ask_signing=True, signing_pdf=lambda: b"%PDF-te-ondertekenen")
    dlg.printed_calls = printed
    qtbot.addWidget(dlg)
    return dlg


def _save_to(monkeypatch, target):
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF-bestanden (*.pdf)"))


def test_saving_the_version_to_sign_freezes_it_like_printing(concept_dialog, tmp_path, monkeypatch):
    _save_to(monkeypatch, tmp_path / "plan.pdf")
    asked = []
    monkeypatch.setattr(concept_dialog, "ask_for_signing", lambda: asked.append(1) or True)
    printed = []
    concept_dialog.printed.connect(lambda: printed.append(1))
    assert concept_dialog.save_as() == str(tmp_path / "plan.pdf")
    assert asked == [1] and concept_dialog.printed_calls == [True] and printed == [1]
    assert (tmp_path / "plan.pdf").read_bytes() == b"%PDF-te-ondertekenen"
    concept_dialog.save_as()                       # frozen now: no second question, no second marking
    assert asked == [1] and concept_dialog.printed_calls == [True]


def test_saving_a_concept_pdf_does_not_freeze(concept_dialog, pdf_bytes, tmp_path, monkeypatch):
    _save_to(monkeypatch, tmp_path / "concept.pdf")
    monkeypatch.setattr(concept_dialog, "ask_for_signing", lambda: False)
    assert concept_dialog.save_as() == str(tmp_path / "concept.pdf")
    assert concept_dialog.printed_calls == []
    assert (tmp_path / "concept.pdf").read_bytes() == pdf_bytes


def test_cancelling_the_question_saves_nothing(concept_dialog, tmp_path, monkeypatch):
    _save_to(monkeypatch, tmp_path / "x.pdf")
    monkeypatch.setattr(concept_dialog, "ask_for_signing", lambda: None)
    assert concept_dialog.save_as() is None
    assert not (tmp_path / "x.pdf").exists() and concept_dialog.printed_calls == []


def test_the_question_defaults_to_yes(concept_dialog, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    seen = []

    def answer():
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append((box.text(), box.defaultButton().text()))
        box.defaultButton().click()
    QTimer.singleShot(50, answer)
    assert concept_dialog.ask_for_signing() is True
    assert seen == [("Is dit de versie die ondertekend wordt?", "Ja, te ondertekenen")]


def test_printing_a_concept_prints_it_as_the_version_to_sign(qtbot, tmp_path):
    from gui.plan_preview import PlanPreviewDialog
    from tests.core.test_plan_pdf import make_input
    concept = make_input()
    to_sign = make_input()
    from core.model import PlanStatus
    to_sign.plan.status = PlanStatus.AFGEDRUKT
    printed = []
    dlg = PlanPreviewDialog(plan_pdf_bytes(concept, today=TODAY), on_printed=lambda: printed.append(True),
                            ask_signing=True, signing_pdf=lambda: plan_pdf_bytes(to_sign, today=TODAY))
    qtbot.addWidget(dlg)
    from PySide6.QtPrintSupport import QPrinter
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_to(printer) is True and printed == [True]
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == dlg.page_count()
    assert dlg._signing_document.pageCount() == dlg.page_count()
