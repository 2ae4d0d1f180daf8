"""Print preview of the PDFs the application makes: pages drawn with pypdfium2 (QtPdf is not shipped),
printing to a QPrinter and saving a copy."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop.errors import TamboError
from tambo_desktop.files import atomic_write
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import _

SCREEN_DPI = 96
MARGIN, SPACING, BORDER = 16, 16, 1  # around and between the pages in the preview, page border
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.25, 4.0, 1.25


@contextmanager
def _document(pdf_path: str | os.PathLike[str]) -> Iterator:
    """An open pypdfium2 document, closed afterwards so the file is not kept locked."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise TamboError(_("No se puede leer el PDF: {error}").format(error=exc)) from exc
    try:
        yield doc
    finally:
        doc.close()


def _render(doc, index: int, dpi: float) -> QImage:
    import pypdfium2 as pdfium

    try:
        page = doc[index]
        try:
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise TamboError(_("No se puede leer el PDF: {error}").format(error=exc)) from exc
    data = pil.tobytes("raw", "RGB")
    # QImage only borrows the buffer: copy() gives it its own
    return QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()


def page_count(pdf_path: str | os.PathLike[str]) -> int:
    with _document(pdf_path) as doc:
        return len(doc)


def render_page(pdf_path: str | os.PathLike[str], index: int, dpi: float) -> QImage:
    """Page ``index`` (from 0) as an image at ``dpi``; a TamboError if the file is not a readable PDF."""
    with _document(pdf_path) as doc:
        return _render(doc, index, dpi)


def print_pdf(pdf_path: str | os.PathLike[str], printer: QPrinter) -> int:
    """Print the pages of the chosen range, each fitted to the printable area and centred; the copies
    are made here when the printer cannot make them. Returns the number of pages sent."""
    with _document(pdf_path) as doc:
        ranges = printer.pageRanges()  # what fromPage()/toPage() read, and "1,3-4" from the dialog
        chosen = [i for i in range(len(doc)) if ranges.isEmpty() or ranges.contains(i + 1)]
        copies = printer.copyCount() if printer.copyCount() > 1 and not printer.supportsMultipleCopies() else 1
        if not chosen:
            return 0
        dpi = min(printer.resolution(), 300)
        area = printer.pageRect(QPrinter.Unit.DevicePixel)  # the painter's origin is its top left corner
        painter = QPainter()
        if not painter.begin(printer):
            raise TamboError(_("No se puede imprimir en {printer}.").format(printer=printer.printerName() or "PDF"))
        sent = 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for _copy in range(copies):
                for index in chosen:
                    if sent and not printer.newPage():
                        raise TamboError(_("La impresora no aceptó una página nueva."))
                    image = _render(doc, index, dpi)
                    scale = min(area.width() / image.width(), area.height() / image.height())
                    w, h = image.width() * scale, image.height() * scale
                    painter.drawImage(QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h), image)
                    sent += 1
        finally:
            painter.end()
        return sent


def pdf_target(target: Path) -> Path:
    return target if target.suffix.lower() == ".pdf" else target.with_name(target.name + ".pdf")


class PdfPreviewDialog(QDialog):
    """The pages one under the other, zoom, page by page, print with copies, save as PDF.
    Only the pages near the view are kept drawn. Raises TamboError if the file cannot be read."""

    def __init__(self, pdf_path: Path, title: str, parent=None, suggested_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title)
        self.pdf_path, self.title, self.suggested_name = Path(pdf_path), title, suggested_name
        with _document(self.pdf_path) as doc:
            self.sizes = [doc.get_page_size(i) for i in range(len(doc))]  # points
        self.zoom, self.current, self._fitted = 1.0, 0, False
        self._drawn: dict[int, float] = {}  # page index -> dpi it is drawn at
        self.page_label = QLabel(objectName="pageLabel")
        self.previous_button, self.next_button = QPushButton(_("Anterior")), QPushButton(_("Siguiente"))
        zoom_out, zoom_in, fit = QPushButton(_("Alejar")), QPushButton(_("Acercar")), QPushButton(_("Ajustar al ancho"))
        zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.previous_button.clicked.connect(lambda: self.go_to(self.current - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current + 1))
        zoom_out.clicked.connect(self.zoom_out)
        zoom_in.clicked.connect(self.zoom_in)
        fit.clicked.connect(self.fit_width)
        top = QHBoxLayout()
        top.addWidget(self.page_label)
        top.addWidget(self.previous_button)
        top.addWidget(self.next_button)
        top.addStretch(1)
        for button in (zoom_out, zoom_in, fit):
            top.addWidget(button)
        container = QWidget(objectName="pdfPages")
        container.setStyleSheet(
            f"#pdfPages {{ background: #6d6d6d; }} QLabel {{ background: white; border: {BORDER}px solid #3a3a3a; }}"
        )
        column = QVBoxLayout(container)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(SPACING)
        self.pages: list[QLabel] = []
        for _size in self.sizes:
            page = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
            column.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(page)
        column.addStretch(1)
        self.scroll = QScrollArea(objectName="pdfScroll", widgetResizable=True)
        self.scroll.setWidget(container)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # a steady width to fit to
        self.scroll.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.scroll.horizontalScrollBar().valueChanged.connect(lambda _v: self._draw_visible())
        self.copies = QSpinBox(minimum=1, maximum=500, value=1, objectName="copiesSpin")
        copies_label = QLabel(_("Copias:"))
        copies_label.setBuddy(self.copies)
        self.print_button, self.save_button = QPushButton(_("Imprimir…")), QPushButton(_("Guardar como PDF…"))
        close = QPushButton(_("Cerrar"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(self.save_dialog)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(copies_label)
        bottom.addWidget(self.copies)
        bottom.addWidget(self.print_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close)
        for button in (self.previous_button, self.next_button, zoom_out, zoom_in, fit, self.save_button, close):
            button.setAutoDefault(False)
        main = QVBoxLayout(self)
        main.addLayout(top)
        main.addWidget(self.scroll, 1)
        main.addLayout(bottom)
        self.resize(760, 720)
        self._show_current(len(self.pages) - 1)  # the widest text, so the buttons beside it do not move
        self.page_label.setMinimumWidth(self.page_label.sizeHint().width())
        self.current = 0
        self._set_zoom(1.0)

    # --- pages and zoom
    def _set_zoom(self, zoom: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        for page, (w, h) in zip(self.pages, self.sizes, strict=True):
            page.setFixedSize(round(w / 72 * SCREEN_DPI * self.zoom) + 2 * BORDER,
                              round(h / 72 * SCREEN_DPI * self.zoom) + 2 * BORDER)  # fmt: skip
        self._drawn.clear()
        self.scroll.widget().adjustSize()
        self._draw_visible()
        self.go_to(self.current)

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        """The widest page as wide as the view."""
        widest = max((w for w, _h in self.sizes), default=0)
        room = self.scroll.viewport().width() - 2 * MARGIN - 2 * BORDER
        if widest and room > 0:
            self._set_zoom(room / (widest / 72 * SCREEN_DPI))

    def _top(self, index: int) -> int:
        return MARGIN + sum(page.height() + SPACING for page in self.pages[:index])

    def _draw_visible(self) -> None:
        """Draw the pages in or near the view; forget those far away (memory at high zoom)."""
        ratio = self.devicePixelRatioF()
        dpi = SCREEN_DPI * self.zoom * ratio
        view_top, height = self.scroll.verticalScrollBar().value(), max(self.scroll.viewport().height(), 1)
        wanted, dropped = [], []
        for index, page in enumerate(self.pages):
            top = self._top(index)
            bottom = top + page.height()
            if bottom >= view_top - height and top <= view_top + 2 * height:
                if self._drawn.get(index) != dpi:
                    wanted.append(index)
            elif index in self._drawn or not page.pixmap().isNull():
                dropped.append(index)
        for index in dropped:
            self.pages[index].setPixmap(QPixmap())
            self._drawn.pop(index, None)
        if not wanted:
            return
        with _document(self.pdf_path) as doc:
            for index in wanted:
                pixmap = QPixmap.fromImage(_render(doc, index, dpi))
                pixmap.setDevicePixelRatio(ratio)
                self.pages[index].setPixmap(pixmap)
                self._drawn[index] = dpi

    def _scrolled(self, value: int) -> None:
        bar = self.scroll.verticalScrollBar()
        line = value + self.scroll.viewport().height() // 3
        current = 0
        for index in range(len(self.pages)):
            if self._top(index) <= line:
                current = index
        self._show_current(len(self.pages) - 1 if value and value >= bar.maximum() else current)
        self._draw_visible()

    def _show_current(self, index: int) -> None:
        self.current = index
        self.page_label.setText(_("Página {n} de {total}").format(n=index + 1, total=len(self.pages)))
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)

    def go_to(self, index: int) -> None:
        index = max(0, min(len(self.pages) - 1, index))
        self.scroll.verticalScrollBar().setValue(self._top(index) - SPACING // 2 if index else 0)
        self._show_current(index)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted:  # a page wider than the window starts fitted to its width
            self._fitted = True
            QTimer.singleShot(0, self._first_fit)

    def _first_fit(self) -> None:
        if self.pages and self.pages[0].width() + 2 * MARGIN > self.scroll.viewport().width():
            self.fit_width()
        self._draw_visible()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._draw_visible)

    # --- print and save
    def print_to(self, printer: QPrinter) -> int:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return print_pdf(self.pdf_path, printer)
        finally:
            QApplication.restoreOverrideCursor()

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setCopyCount(self.copies.value())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, len(self.pages))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except TamboError as exc:
            report_error(self, exc)

    def save_as(self, target: Path) -> Path:
        """Copy the PDF to ``target`` (``.pdf`` added if missing) through a temporary file beside it."""
        target = pdf_target(Path(target))
        try:
            with atomic_write(target) as tmp, open(self.pdf_path, "rb") as source, open(tmp, "wb") as copy:
                shutil.copyfileobj(source, copy)
        except OSError as exc:
            raise TamboError(
                _("No se puede escribir {path}: {reason}").format(path=target, reason=exc.strerror or exc)
            ) from exc
        return target

    def save_dialog(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Guardar como PDF"), self.suggested_name, _("PDF (*.pdf)"))
        if not path:
            return
        try:
            self.save_as(Path(path))
        except TamboError as exc:
            report_error(self, exc)
