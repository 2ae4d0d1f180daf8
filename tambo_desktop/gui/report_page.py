"""The report page («Informe mensual»): pick a month (or a whole year) and the language, add a note,
then preview the PDF (and print or save it from the preview) or save the XLSX. The report is built
off the GUI thread (``ops.run_in_background``); the numbers are the report service's own."""

from __future__ import annotations

import tempfile
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.indicators import HEADER_STYLE, NOTE_STYLE
from tambo_desktop.gui.ops import run_in_background
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import _
from tambo_desktop.services.reports import FIRST_YEAR, LAST_YEAR, NOTE_MAX, ReportRequest, ReportService
from tambo_desktop.services.session import Session


class ReportPage(QWidget):
    """Month or year, language, note; «Vista previa e impresión…» and «Guardar como XLSX…»."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPage")
        self.session = session
        self.service = ReportService(session)
        self.preview_dialog = None
        self.last_pdf: Path | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="tambo-report-")
        today = dates.today()
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)

        self.title = QLabel()
        self.title.setStyleSheet(HEADER_STYLE)
        self.title.setWordWrap(True)
        self.title.setProperty("pageTitle", True)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(NOTE_STYLE)
        self.month_label, self.month_edit = QLabel(), QComboBox(objectName="reportMonth")
        self.month_label.setBuddy(self.month_edit)
        self.year_label, self.year_edit = QLabel(), QSpinBox(objectName="reportYear")
        self.year_edit.setRange(FIRST_YEAR, LAST_YEAR)
        self.year_edit.setGroupSeparatorShown(False)
        self.year_edit.setValue(year)
        self.year_label.setBuddy(self.year_edit)
        self.whole_year = QCheckBox(objectName="reportWholeYear")
        self.whole_year.toggled.connect(lambda on: self.month_edit.setEnabled(not on))
        self.language_label, self.language_edit = QLabel(), QComboBox(objectName="reportLanguage")
        for language in i18n.LANGUAGES:
            self.language_edit.addItem(language.native_name, language.code)
        self.language_edit.setCurrentIndex(max(0, self.language_edit.findData(i18n.current_language())))
        self._language_chosen = False  # until the user picks one, the report follows the interface's language
        self.language_edit.activated.connect(lambda _i: setattr(self, "_language_chosen", True))
        self.language_label.setBuddy(self.language_edit)
        period = QHBoxLayout()
        for widget in (self.month_label, self.month_edit, self.year_label, self.year_edit, self.whole_year):
            period.addWidget(widget)
        period.addSpacing(12)
        period.addWidget(self.language_label)
        period.addWidget(self.language_edit)
        period.addStretch(1)
        self.note_label = QLabel()
        self.note_edit = QPlainTextEdit(objectName="reportNote")
        self.note_edit.setMaximumHeight(120)
        self.note_label.setBuddy(self.note_edit)
        self.preview_button = QPushButton(objectName="reportPreview")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        self.xlsx_button = QPushButton(objectName="reportXlsx")
        self.xlsx_button.clicked.connect(lambda: self.save_xlsx())
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addStretch(1)
        self.status = QLabel(objectName="reportStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(period)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note_edit)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.retranslate()
        self.month_edit.setCurrentIndex(month - 1)

    # -- the request --------------------------------------------------------------------------

    def request(self) -> ReportRequest:
        note = self.note_edit.toPlainText()
        if len(note) > NOTE_MAX:
            raise TamboError(_("La nota es demasiado larga (máximo {n} caracteres).").format(n=NOTE_MAX))
        month = None if self.whole_year.isChecked() else self.month_edit.currentIndex() + 1
        return ReportRequest(self.year_edit.value(), month, self.language_edit.currentData(), note)

    def _busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.xlsx_button):
            button.setEnabled(not busy)

    # -- the PDF and its preview --------------------------------------------------------------

    def preview(self) -> None:
        """Build the PDF off the GUI thread, then show it in the print preview."""
        try:
            request = self.request()
        except TamboError as exc:
            report_error(self, exc)
            return
        path = Path(self._folder.name) / f"informe-{request.period}-{request.language}.pdf"
        self._busy(True)
        self.status.setText(_("Preparando el informe…"))

        def done(pages: int) -> None:
            if not shiboken6.isValid(self):  # the page was closed meanwhile (signed out)
                return
            self._busy(False)
            self.last_pdf = path
            self.status.setText(_("Informe {period}: {n} páginas.").format(period=request.period, n=pages))
            self._show_preview(path, request)

        def failed(error: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            self._busy(False)
            self.status.setText("")
            report_error(self, error)

        run_in_background(
            self, _("Preparando el informe…"), lambda: self.service.export(request, path, "pdf"), done, failed
        )

    def _show_preview(self, path: Path, request: ReportRequest) -> None:
        from tambo_desktop.gui.pdf_preview import PdfPreviewDialog

        title = _("Informe {period}").format(period=request.period)
        try:
            dialog = PdfPreviewDialog(path, title, self, suggested_name=f"informe-{request.period}.pdf")
        except TamboError as exc:
            report_error(self, exc)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_a: setattr(self, "preview_dialog", None))
        self.preview_dialog = dialog
        dialog.open()

    # -- the XLSX -----------------------------------------------------------------------------

    def save_xlsx(self, target: Path | None = None) -> None:
        try:
            request = self.request()
        except TamboError as exc:
            report_error(self, exc)
            return
        if target is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, _("Guardar como XLSX"), f"informe-{request.period}.xlsx",
                                                          _("Libro de Excel (*.xlsx)"))  # fmt: skip
            if not chosen:
                return
            target = Path(chosen)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        self._busy(True)
        self.status.setText(_("Preparando el informe…"))

        def done(sheets: int) -> None:
            if not shiboken6.isValid(self):  # the page was closed meanwhile (signed out)
                return
            self._busy(False)
            self.status.setText(_("Informe {period} guardado en {path} ({n} hojas).").format(
                period=request.period, path=target, n=sheets))  # fmt: skip

        def failed(error: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            self._busy(False)
            self.status.setText("")
            report_error(self, error)

        run_in_background(
            self, _("Preparando el informe…"), lambda: self.service.export(request, target, "xlsx"), done, failed
        )

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Informe mensual"))
        if not self._language_chosen:
            self.language_edit.setCurrentIndex(max(0, self.language_edit.findData(i18n.current_language())))
        self.intro.setText(_(
            "El informe del mes (o del año) para la Unidad Territorial: atenciones y usuarios frente a las metas, "
            "cobertura del ámbito, intervenciones, capacitaciones, visitas de campo, campañas y necesidades. "
            "Se imprime en el idioma elegido con el castellano."
        ))  # fmt: skip
        index = self.month_edit.currentIndex()
        self.month_edit.clear()
        self.month_edit.addItems([dates.capitalized(m) for m in i18n.month_names()])
        self.month_edit.setCurrentIndex(max(0, index))
        self.month_label.setText(_("&Mes:"))
        self.year_label.setText(_("Añ&o:"))
        self.whole_year.setText(_("&Todo el año"))
        self.language_label.setText(_("I&dioma del informe:"))
        self.note_label.setText(_("&Nota del gestor (opcional, se imprime al final):"))
        self.preview_button.setText(_("Vista &previa e impresión…"))
        self.xlsx_button.setText(_("Guardar como &XLSX…"))
