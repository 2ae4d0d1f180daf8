"""Field visits: the month's trips of the gestores, logging new ones, the fuel, the field report."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.indicators import fill_months
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.trip_dialogs import FuelDialog, TripDialog
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.field_reports import FieldReportService
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.plans import PlanService
from tambo_desktop.services.trips import TripService
from tambo_desktop.vocabulary import TRIP_PURPOSES, label

COLUMNS = (
    Column(N_("Salida"), lambda t: i18n.format_datetime(t.departs_at, "short")),
    Column(N_("Gestor"), lambda t: t.gestor_name),
    Column(N_("Centros poblados"), lambda t: " → ".join(t.communities)),
    Column(N_("Motivo"), lambda t: label(TRIP_PURPOSES, t.purpose)),
    Column(N_("Vehículo"), lambda t: t.vehicle_name),
    Column(N_("Km"), lambda t: "" if t.km is None else t.km, align_right=True),
    Column(
        N_("Galones"),
        lambda t: "" if t.fuel_gallons is None else i18n.format_number(t.fuel_gallons, 2),
        align_right=True,
    ),
    Column(N_("Acuerdos"), lambda t: t.agreements),
)


class TripsPage(QWidget):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("tripsPage")
        self.session = session
        self.service = TripService(session)
        today = dates.today()
        self.month = QComboBox(objectName="monthCombo")
        fill_months(self.month)
        self.month.setCurrentIndex(today.month - 1)
        self.year = QSpinBox(minimum=2013, maximum=today.year + 1, value=today.year)
        self.gestor = QComboBox(objectName="gestorCombo")
        self.gestor.addItem("", None)
        for user_id, name in PlanService(session).gestores():
            self.gestor.addItem(name, user_id)
        self.model = RowsModel(COLUMNS, self)
        self.table = QTableView(objectName="tripsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda *_a: self.edit())
        self.summary = QLabel(objectName="tripsSummary", wordWrap=True)
        self.new_button, self.edit_button, self.delete_button = QPushButton(), QPushButton(), QPushButton()
        self.fuel_button, self.export_button = QPushButton(), QPushButton()
        self.month_label, self.gestor_label = QLabel(), QLabel()
        self.month_label.setBuddy(self.month)
        self.gestor_label.setBuddy(self.gestor)
        top = QHBoxLayout()
        for w in (self.month_label, self.month, self.year, self.gestor_label, self.gestor):
            top.addWidget(w)
        top.addStretch(1)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button, self.fuel_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        can = session.can("trips.edit")
        for b in (self.new_button, self.edit_button, self.delete_button):
            b.setEnabled(can)
        self.month.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.gestor.currentIndexChanged.connect(self.refresh)
        self.new_button.clicked.connect(self.new_trips)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self._delete)
        self.fuel_button.clicked.connect(lambda: FuelDialog(self.session, *self.period(), self).exec())
        self.export_button.clicked.connect(lambda: self.export())
        self.retranslate()
        self.refresh()

    def period(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def refresh(self, *_args) -> None:
        try:
            rows = self.service.list(*month_range(*self.period()), gestor_id=self.gestor.currentData())
        except TamboError as exc:
            report_error(self, exc)
            return
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        km = sum(t.km or 0 for t in rows)
        gallons = sum(float(t.fuel_gallons or 0) for t in rows)
        communities = {c for t in rows for c in t.communities}
        self.summary.setText(
            _("{n} viajes · {c} centros poblados · {km} km · {g} galones").format(
                n=len(rows), c=len(communities), km=i18n.format_number(km), g=i18n.format_number(gallons, 2)
            )
        )

    def _selected(self):
        return self.model.row_at(self.table.currentIndex())

    def new_trips(self) -> None:
        if TripDialog(self.session, None, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def edit(self) -> None:
        row = self._selected()
        if row is not None and TripDialog(self.session, row, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _delete(self) -> None:
        row = self._selected()
        if row is None:
            return
        question = _("¿Eliminar el viaje del {date}?").format(date=i18n.format_date(row.departs_at.date(), "short"))
        if QMessageBox.question(self, _("Eliminar"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service.delete(row.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def export(self, path: str | None = None) -> None:
        year, month = self.period()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Informe de campo"), f"informe-campo-{year}-{month:02d}.pdf",
                                                        _("Documento PDF (*.pdf);;Excel (*.xlsx);;CSV (*.csv)"))  # fmt: skip
            if not path:
                return
        fmt = path.rsplit(".", 1)[-1].lower()
        fmt = fmt if fmt in ("pdf", "xlsx", "csv") else "pdf"
        try:
            n = FieldReportService(self.session).export(year, month, path, fmt, self.gestor.currentData())
        except (TamboError, OSError) as exc:
            report_error(self, exc if isinstance(exc, TamboError) else TamboError(
                _("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ))  # fmt: skip
            return
        QMessageBox.information(
            self, _("Informe de campo"), _("Exportados {n} viajes a {path}.").format(n=n, path=path)
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():
                self.refresh()
        super().changeEvent(event)

    def retranslate(self) -> None:
        fill_months(self.month)
        self.gestor.setItemText(0, _("Todos"))
        self.month_label.setText(_("&Mes:"))
        self.gestor_label.setText(_("&Gestor:"))
        self.new_button.setText(_("&Registrar viajes…"))
        self.edit_button.setText(_("Mo&dificar…"))
        self.delete_button.setText(_("Eliminar"))
        self.fuel_button.setText(_("&Combustible…"))
        self.export_button.setText(_("I&nforme de campo…"))
        self.model.retranslate()
