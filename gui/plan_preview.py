"""Preview of a printed trajectory plan inside the application, with print and save-as-PDF.

The PDF comes from core.plan_pdf (the same file the CLI writes). Printing renders each page with
QPdfDocument onto the printer (a concept as it reads once printed for signing, when the caller gives
``signing_pdf``); after a successful print the caller's ``on_printed`` callback runs
(there the caller marks the plan printed, which freezes it). Saving a concept as PDF asks whether this is
the version the worker signs (default yes): then the file is the plan as printed for signing and the same
``on_printed`` callback freezes it; otherwise the PDF is saved as a concept. The PDF is kept in memory
only, never in a temporary file: it holds personal data.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout)

from core.fileio import os_reason

log = logging.getLogger("werkbrug.gui.plan_preview")

MAX_PRINT_DPI = 300     # pages are rendered as images: enough for text, without gigantic bitmaps


class PlanPreviewDialog(QDialog):
    """Shows a PDF (bytes or a file) with buttons "Afdrukken…" and "Opslaan als PDF…"."""

    saved = Signal(str)
    printed = Signal()

    def __init__(self, pdf: bytes | str | Path, *, title: str = "", suggested_name: str = "trajectplan.pdf",
                 on_printed: Callable[[], None] | None = None, ask_signing: bool = False,
                 signing_pdf: Callable[[], bytes] | None = None, parent=None):
        """``ask_signing``: the plan is still a concept, so saving as PDF asks whether this is the version to
        sign; ``signing_pdf`` renders the plan as it reads once printed for signing (default: the same bytes)."""
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Trajectplan: voorbeeld"))
        self.resize(820, 960)
        self._data = Path(pdf).read_bytes() if isinstance(pdf, (str, Path)) else bytes(pdf)
        self._suggested = suggested_name
        self._on_printed = on_printed
        self._ask_signing = ask_signing
        self._signing_pdf = signing_pdf

        self._bytes = QByteArray(self._data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages_label = QLabel(self.page_count_text())
        self.print_button = QPushButton(self.tr("Afdrukken…"))
        self.save_button = QPushButton(self.tr("Opslaan als PDF…"))
        self.close_button = QPushButton(self.tr("Sluiten"))
        self.print_button.clicked.connect(self.print_plan)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        ok = self.page_count() > 0
        self.print_button.setEnabled(ok)
        self.save_button.setEnabled(ok)
        self.print_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.pages_label)
        buttons.addStretch(1)
        for b in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    # -- state -----------------------------------------------------------------------------------
    def page_count(self) -> int:
        return self.document.pageCount() if self.document.status() == QPdfDocument.Status.Ready else 0

    def page_count_text(self) -> str:
        n = self.page_count()
        if n == 0:
            return self.tr("Het document kon niet geladen worden.")
        return self.tr("1 pagina") if n == 1 else self.tr("{n} pagina's").format(n=n)

    # -- save ------------------------------------------------------------------------------------
    def ask_for_signing(self) -> bool | None:
        """True: this is the version the worker signs (freeze it); False: a concept; None: cancelled."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Opslaan als PDF"), self.tr(
            "Is dit de versie die ondertekend wordt?"), parent=self)
        box.setInformativeText(self.tr(
            "Ja: het plan wordt als afgedrukt gemarkeerd, net als bij afdrukken, en kan daarna niet meer "
            "wijzigen (voor wijzigingen maak je een nieuwe versie).\n"
            "Nee: de PDF wordt bewaard als concept en het plan kan nog wijzigen."))
        yes = box.addButton(self.tr("Ja, te ondertekenen"), QMessageBox.ButtonRole.YesRole)
        no = box.addButton(self.tr("Nee, concept"), QMessageBox.ButtonRole.NoRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.exec()
        clicked = box.clickedButton()
        if clicked is yes:
            return True
        if clicked is no:
            return False
        return None

    def save_as(self) -> str | None:
        for_signing = False
        if self._ask_signing and self._on_printed is not None:
            answer = self.ask_for_signing()
            if answer is None:
                return None
            for_signing = answer
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Trajectplan opslaan als PDF"), self._suggested,
                                              self.tr("PDF-bestanden (*.pdf)"))
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            data = self._signing_pdf() if for_signing and self._signing_pdf is not None else self._data
            Path(path).write_bytes(data)
        except OSError as e:
            QMessageBox.warning(self, self.tr("Opslaan mislukt"),
                                self.tr("Het bestand kon niet bewaard worden: {fout}").format(fout=os_reason(e)))
            return None
        self.saved.emit(path)
        if for_signing:
            self._printed(self.tr("De PDF is bewaard, maar de status van het plan kon niet aangepast worden: "
                                  "{fout}"))
        return path

    # -- print -----------------------------------------------------------------------------------
    def print_plan(self) -> bool:
        """Ask for a printer and print; True when the pages were sent to the printer."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Render the pages (or the range chosen in the print dialog) onto ``printer``."""
        n = self.page_count()
        if n == 0:
            return False
        document = self._print_document()
        n = min(n, document.pageCount())
        first = max(1, printer.fromPage() or 1)
        last = min(n, printer.toPage() or n)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, self.tr("Afdrukken mislukt"), self.tr("De printer kon niet gestart worden."))
            return False
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            for index, page in enumerate(range(first - 1, last)):
                if index:
                    printer.newPage()
                target = QRectF(painter.viewport())
                points = document.pagePointSize(page)
                pixels = QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))
                image = document.render(page, pixels)
                scale = min(target.width() / pixels.width(), target.height() / pixels.height())
                w, h = pixels.width() * scale, pixels.height() * scale
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(QRectF(QPointF(target.x() + (target.width() - w) / 2, target.y()),
                                         QSize(round(w), round(h)).toSizeF()), image)
        finally:
            painter.end()
        self._printed(self.tr("Het plan is afgedrukt, maar de status kon niet aangepast worden: {fout}"))
        return True

    def _print_document(self) -> QPdfDocument:
        """What goes to the printer: a concept is printed to be signed, so it reads as printed (the same
        pages as the preview, only the status differs)."""
        if not (self._ask_signing and self._on_printed is not None and self._signing_pdf is not None):
            return self.document
        try:
            data = QByteArray(self._signing_pdf())
        except Exception:  # noqa: BLE001 - print what the preview shows rather than nothing
            log.exception("rendering the plan for signing failed")
            return self.document
        buffer = QBuffer(self)
        buffer.setData(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            return self.document
        self._signing_buffer, self._signing_document = buffer, document     # kept alive while printing
        return document

    def _printed(self, failure: str) -> None:
        """The plan left the application for signing (paper or PDF): tell the caller, who freezes it."""
        self.printed.emit()
        if self._on_printed is None:
            return
        try:
            self._on_printed()
        except Exception as e:  # noqa: BLE001 - the paper is out; tell why the status did not change
            log.exception("marking the plan printed failed")
            QMessageBox.warning(self, self.tr("Status niet aangepast"), failure.format(fout=e))
            return
        self._ask_signing = False        # frozen now: a second save is a copy of the same version

    def keyPressEvent(self, event):  # Escape closes, Ctrl+P prints
        if event.key() == Qt.Key.Key_P and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.print_plan()
            return
        super().keyPressEvent(event)
