"""Logging trips (one or several days at once) and managing vehicles and fuel allocations."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.indicators import fill_months
from tambo_desktop.gui.intervention_dialog import from_qt, to_qt
from tambo_desktop.gui.keys import DateTimeEdit, select_on_focus
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import (
    INVALID_STYLE,
    error_label,
    fill_combo,
    report_error,
    select_data,
    submitted,
)
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.trips import TripForm, TripRow, TripService
from tambo_desktop.vocabulary import TRAVEL_MEANS, TRIP_PURPOSES, VEHICLE_KINDS, label


class TripForms(QWidget):
    """The fields of one trip."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.departs = DateTimeEdit(calendarPopup=True)
        self.returns = DateTimeEdit(calendarPopup=True)
        self.communities = QListWidget(objectName="tripCommunities")
        self.communities.setMaximumHeight(110)
        for c in CommunityService(session).list():
            item = QListWidgetItem(c.name)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.communities.addItem(item)
        self.order: list[int] = []  # the communities in the order they were ticked
        self.communities.itemChanged.connect(self._ticked)
        self.route = QLabel(wordWrap=True)
        self.purpose, self.means, self.vehicle = QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.purpose, TRIP_PURPOSES)
        fill_combo(self.means, TRAVEL_MEANS)
        self.vehicle.addItem("—", None)
        for v in FuelService(session).vehicles(active_only=True):
            self.vehicle.addItem(v.name, v.id)
        self.intervention = QComboBox(objectName="tripIntervention")
        self.session = session
        self.departs.dateTimeChanged.connect(lambda *_a: self._fill_interventions())
        self.odometer_start, self.odometer_end = QLineEdit(maxLength=8), QLineEdit(maxLength=8)
        self.gallons, self.soles, self.receipt = QLineEdit(maxLength=8), QLineEdit(maxLength=9), QLineEdit(maxLength=40)
        self.people, self.activities, self.agreements = QLineEdit(), QPlainTextEdit(), QPlainTextEdit()
        select_on_focus(self.odometer_start, self.odometer_end, self.gallons, self.soles)
        for edit in (self.activities, self.agreements):
            edit.setMaximumHeight(50)
        odometer = QHBoxLayout()
        odometer.addWidget(self.odometer_start)
        odometer.addWidget(QLabel("→"))
        odometer.addWidget(self.odometer_end)
        fuel = QHBoxLayout()
        self.soles_label, self.receipt_label = QLabel(_("soles:")), QLabel(_("comprobante:"))
        for w in (self.gallons, self.soles_label, self.soles, self.receipt_label, self.receipt):
            fuel.addWidget(w)
        self.fields = {"departs_at": self.departs, "returns_at": self.returns, "communities": self.communities,
                       "purpose": self.purpose, "means": self.means, "vehicle": self.vehicle,
                       "odometer_start": self.odometer_start, "odometer_end": self.odometer_end,
                       "fuel_gallons": self.gallons, "fuel_soles": self.soles, "receipt": self.receipt,
                       "people_met": self.people, "activities": self.activities, "agreements": self.agreements,
                       "intervention": self.intervention}  # fmt: skip
        captions = (("departs_at", _("&Salida:")), ("returns_at", _("&Regreso:")), ("communities", _("Centros poblados visitados:")),
                    ("route", ""), ("purpose", _("&Motivo:")), ("means", _("Medio de transporte:")), ("vehicle", _("&Vehículo:")),
                    ("odometer_start", _("Odómetro (km), salida → regreso:")), ("fuel_gallons", _("Combustible comprado (galones):")),
                    ("people_met", _("Personas con quienes se reunió:")), ("activities", _("Actividades:")),
                    ("agreements", _("Acuerdos:")), ("intervention", _("Intervención:")))  # fmt: skip
        layout = QFormLayout(self)
        self.labels: dict[str, QLabel] = {}
        rows = {"odometer_start": odometer, "fuel_gallons": fuel, "route": self.route}
        for key, text in captions:
            caption = QLabel(text)
            widget = rows.get(key, self.fields.get(key))
            if key in self.fields:
                caption.setBuddy(self.fields[key])
            self.labels[key] = caption
            layout.addRow(caption, widget)
        self.labels["odometer_end"] = self.labels["odometer_start"]
        self.labels["fuel_soles"] = self.labels["receipt"] = self.labels["fuel_gallons"]

    def _fill_interventions(self, keep: str | None = None) -> None:
        """The interventions in communities around the departure (a week either side), to link the trip."""
        from tambo_desktop.services.interventions import InterventionFilter, InterventionService

        keep = keep if keep is not None else self.intervention.currentData()
        day = from_qt(self.departs.dateTime()).date()
        self.intervention.blockSignals(True)
        self.intervention.clear()
        self.intervention.addItem("—", None)
        rows = InterventionService(self.session).list(
            InterventionFilter(day - dt.timedelta(days=7), day + dt.timedelta(days=7))
        )
        for r in rows:
            if r.place == "outside" and r.status != "suspended":
                self.intervention.addItem(
                    f"{i18n.format_date(r.starts_at, 'day_month')} {r.entity_label} — {r.title}", r.uuid
                )
        self.intervention.setCurrentIndex(max(0, self.intervention.findData(keep)))
        self.intervention.blockSignals(False)

    def _ticked(self, item: QListWidgetItem) -> None:
        community_id = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked and community_id not in self.order:
            self.order.append(community_id)
        elif item.checkState() != Qt.CheckState.Checked and community_id in self.order:
            self.order.remove(community_id)
        names = {self.communities.item(i).data(Qt.ItemDataRole.UserRole): self.communities.item(i).text()
                 for i in range(self.communities.count())}  # fmt: skip
        self.route.setText(" → ".join(names[c] for c in self.order))

    def set_communities(self, ids: list[int]) -> None:
        self.order = []
        for i in range(self.communities.count()):
            self.communities.item(i).setCheckState(Qt.CheckState.Unchecked)
        by_id = {
            self.communities.item(i).data(Qt.ItemDataRole.UserRole): self.communities.item(i)
            for i in range(self.communities.count())
        }
        for community_id in ids:
            if community_id in by_id:
                by_id[community_id].setCheckState(Qt.CheckState.Checked)

    def form(self, gestor_id: int | None) -> TripForm:
        return TripForm(gestor_id, from_qt(self.departs.dateTime()), from_qt(self.returns.dateTime()), list(self.order),
                        self.purpose.currentData() or "", self.means.currentData() or "", self.vehicle.currentData(),
                        self.odometer_start.text(), self.odometer_end.text(), self.gallons.text(), self.soles.text(),
                        self.receipt.text(), self.people.text(), self.activities.toPlainText(),
                        self.agreements.toPlainText(), self.intervention.currentData())  # fmt: skip

    def load(self, row: TripRow) -> None:
        self.departs.setDateTime(to_qt(row.departs_at))
        self.returns.setDateTime(to_qt(row.returns_at))
        self.set_communities(list(row.community_ids))
        select_data(self.purpose, row.purpose)
        select_data(self.means, row.means)
        self.vehicle.setCurrentIndex(max(0, self.vehicle.findData(row.vehicle_id)))
        self.odometer_start.setText("" if row.odometer_start is None else str(row.odometer_start))
        self.odometer_end.setText("" if row.odometer_end is None else str(row.odometer_end))
        self.gallons.setText("" if row.fuel_gallons is None else str(row.fuel_gallons))
        self.soles.setText("" if row.fuel_soles is None else str(row.fuel_soles))
        self.receipt.setText(row.receipt)
        self.people.setText(row.people_met)
        self.activities.setPlainText(row.activities)
        self.agreements.setPlainText(row.agreements)
        self._fill_interventions(row.intervention_uuid)


def default_times(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """A new trip's departure and return, valid at any hour: the working day (07:00–16:00) that has
    begun, its return no later than now; before 08:00, yesterday's."""
    end = min(dt.datetime.combine(now.date(), dt.time(16)), now.replace(minute=now.minute - now.minute % 5, second=0))
    if end.time() < dt.time(8):
        start = dt.datetime.combine(now.date() - dt.timedelta(days=1), dt.time(7))
        return start, start + dt.timedelta(hours=9)
    return end.replace(hour=7, minute=0), end


class TripDialog(QDialog):
    """Log the trips of one or several days: «Next day» keeps the trip, moves it a day and starts the
    odometer where it ended; Save writes every day at once (or none)."""

    def __init__(self, session, row: TripRow | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("tripDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.session, self.row = session, row
        self.version, self.on_top = (row.version if row else None), False  # of the trip as loaded
        self.service = TripService(session)
        self.forms: list[TripForm] = []
        self.photos: list[list[bytes]] = []
        self.pending_photos: list[bytes] = []
        self.setWindowTitle(_("Viaje de campo") if row else _("Registrar viajes de campo"))
        self.error = error_label()
        self.counter = QLabel(objectName="dayCounter")
        self.trip = TripForms(session)
        self.photo_button = QPushButton(_("Añadir &fotos…"))
        self.next_button = QPushButton(_("Guardar este día y registrar el siguie&nte"))
        self.next_button.setVisible(row is None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.photo_button)
        row_buttons.addWidget(self.next_button)
        row_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counter)
        layout.addWidget(self.error)
        layout.addWidget(self.trip)
        layout.addStretch(1)
        layout.addLayout(row_buttons)
        layout.addWidget(buttons)
        self.photo_button.clicked.connect(self._add_photos)
        self.next_button.clicked.connect(self.next_day)
        self.trip.vehicle.currentIndexChanged.connect(self._vehicle_changed)
        if row is not None:
            self.trip.load(row)
        else:
            start, end = default_times(dates.now())
            self.trip.departs.setDateTime(to_qt(start))
            self.trip.returns.setDateTime(to_qt(end))
        self._count()
        self.resize(620, 700)

    def _count(self) -> None:
        if self.row is None:
            self.counter.setText(
                _("Día {n} del viaje; {saved} listos para guardar.").format(
                    n=len(self.forms) + 1, saved=len(self.forms)
                )
            )

    def _vehicle_changed(self, *_args) -> None:
        vehicle_id = self.trip.vehicle.currentData()
        if vehicle_id and not self.trip.odometer_start.text().strip():
            last = self.service.last_reading(vehicle_id, from_qt(self.trip.departs.dateTime()))
            if last is not None:
                self.trip.odometer_start.setText(str(last))

    def _add_photos(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _filter = QFileDialog.getOpenFileNames(
                self, _("Fotos del viaje"), "", _("Imágenes (*.jpg *.jpeg *.png)")
            )
        for path in paths:
            with open(path, "rb") as handle:
                self.pending_photos.append(handle.read())
        self.photo_button.setText(_("Añadir &fotos… ({n})").format(n=len(self.pending_photos)))

    def next_day(self) -> None:
        """Keep this day's trip and prepare the next one."""
        form = self.trip.form(None)
        self.forms.append(form)
        self.photos.append(self.pending_photos)
        self.pending_photos = []
        self.photo_button.setText(_("Añadir &fotos…"))
        end = self.trip.odometer_end.text()
        for edit in (self.trip.departs, self.trip.returns):
            edit.setDateTime(edit.dateTime().addDays(1))
        self.trip.odometer_start.setText(end)
        for edit in (self.trip.odometer_end, self.trip.gallons, self.trip.soles, self.trip.receipt):
            edit.clear()
        self.trip.agreements.clear()
        self.trip.activities.clear()
        self._count()

    def _save(self) -> None:
        forms = [*self.forms, self.trip.form(None)]
        photos = [*self.photos, self.pending_photos]
        if self.row is not None:
            forms[-1].version, forms[-1].on_top = self.version, self.on_top
            save = lambda: self.service.save(forms[-1], self.row.id, photos[-1])  # noqa: E731
        else:
            save = lambda: self.service.save_many(forms, None, photos)  # noqa: E731
        if submitted(self, save, self.error, self.trip.fields, self.trip.labels, versioned=self):
            self.accept()

    def reload(self) -> None:
        """Show the trip as another PC saved it."""
        if self.row is not None:
            self.row = self.service.get(self.row.id)
            self.version, self.on_top = self.row.version, False
            self.trip.load(self.row)


VEHICLE_COLUMNS = (
    Column(N_("Vehículo"), lambda r: r.name),
    Column(N_("Tipo"), lambda r: label(VEHICLE_KINDS, r.kind)),
    Column(N_("Placa"), lambda r: r.plate),
    Column(
        N_("Km por galón"),
        lambda r: "" if r.km_per_gallon is None else i18n.format_number(r.km_per_gallon, 1),
        align_right=True,
    ),
)
BALANCE_COLUMNS = (
    Column(N_("Vehículo"), lambda b: b.vehicle),
    Column(N_("Asignado (gal)"), lambda b: i18n.format_number(b.assigned_gallons, 2), align_right=True),
    Column(N_("Comprado (gal)"), lambda b: i18n.format_number(b.bought_gallons, 2), align_right=True),
    Column(N_("Queda (gal)"), lambda b: i18n.format_number(b.left_gallons, 2), align_right=True),
    Column(N_("Soles asignados"), lambda b: i18n.format_number(b.assigned_soles, 2), align_right=True),
    Column(N_("Soles gastados"), lambda b: i18n.format_number(b.bought_soles, 2), align_right=True),
    Column(N_("Km"), lambda b: i18n.format_number(b.km), align_right=True),
    Column(
        N_("Km por galón"),
        lambda b: "" if b.km_per_gallon is None else i18n.format_number(b.km_per_gallon, 1),
        align_right=True,
    ),
    Column(N_("Avisos"), lambda b: " ".join(b.warnings)),
)


class FuelDialog(QDialog):
    """The month's fuel balance per vehicle; administrators set the allocation and the vehicles."""

    def __init__(self, session, year: int, month: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("fuelDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.session = session
        self.service = FuelService(session)
        #: The allocation's version as the balance showed it, and whether the user chose to apply
        #: theirs on top of another PC's (widgets.submitted, the conflict dialog).
        self.version: int | None = None
        self.on_top = False
        self.setWindowTitle(_("Combustible"))
        self.year = QSpinBox(minimum=2013, maximum=dates.today().year + 1, value=year)
        self.month = QComboBox()
        fill_months(self.month)
        self.month.setCurrentIndex(month - 1)
        self.balance_model = RowsModel(BALANCE_COLUMNS, self)
        self.balance = QTableView(objectName="balanceTable")
        self.balance.setModel(self.balance_model)
        self.balance.verticalHeader().hide()
        self.balance.horizontalHeader().setStretchLastSection(True)
        self.vehicles_model = RowsModel(VEHICLE_COLUMNS, self)
        self.vehicles = QTableView(objectName="vehiclesTable")
        self.vehicles.setModel(self.vehicles_model)
        self.vehicles.verticalHeader().hide()
        self.vehicles.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.vehicles.horizontalHeader().setStretchLastSection(True)
        self.error = error_label()
        self.gallons, self.soles = QLineEdit(maxLength=8), QLineEdit(maxLength=10)
        self.assign_button = QPushButton(_("&Asignar al vehículo elegido"))
        self.new_vehicle = QPushButton(_("&Nuevo vehículo…"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Mes:")))
        top.addWidget(self.month)
        top.addWidget(self.year)
        top.addStretch(1)
        assign = QHBoxLayout()
        assign.addWidget(QLabel(_("Asignación del mes: galones")))
        assign.addWidget(self.gallons)
        assign.addWidget(QLabel(_("soles:")))
        assign.addWidget(self.soles)
        assign.addWidget(self.assign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(_("Balance del mes")))
        layout.addWidget(self.balance, 2)
        layout.addWidget(QLabel(_("Vehículos")))
        layout.addWidget(self.vehicles, 1)
        layout.addWidget(self.error)
        layout.addLayout(assign)
        layout.addWidget(self.new_vehicle)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        manage = session.can("fuel.manage")
        for w in (self.gallons, self.soles, self.assign_button, self.new_vehicle):
            w.setEnabled(manage)
        self.month.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.assign_button.clicked.connect(self.assign)
        self.new_vehicle.clicked.connect(self._new_vehicle)
        self.refresh()
        self.resize(900, 560)

    def period(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def refresh(self, *_args) -> None:
        try:
            self.balance_model.set_rows(self.service.balance(*self.period()))
            self.vehicles_model.set_rows(self.service.vehicles())
        except TamboError as exc:
            report_error(self, exc)
            return
        self.balance.resizeColumnsToContents()
        self.vehicles.resizeColumnsToContents()

    def assign(self) -> None:
        vehicle = self.vehicles_model.row_at(self.vehicles.currentIndex())
        if vehicle is None:
            self.error.setText(_("Elija primero el vehículo en la lista."))
            self.error.show()
            return
        if not self.on_top:  # the allocation as the balance showed it (0: there was none)
            shown = next((b for b in self.balance_model.rows if b.vehicle_id == vehicle.id), None)
            self.version = shown.allocation_version if shown else 0
        version, on_top = self.version, self.on_top
        assign = lambda: self.service.set_allocation(vehicle.id, *self.period(), self.gallons.text(), self.soles.text(),  # noqa: E731
                                                     version, on_top)  # fmt: skip
        done = submitted(self, assign, self.error, {"gallons": self.gallons, "soles": self.soles}, {}, versioned=self)
        self.on_top = False
        if done:
            self.error.hide()
            self.refresh()

    def reload(self) -> None:
        """Show the month as another PC left it: the balance, and the chosen vehicle's allocation."""
        vehicle = self.vehicles_model.row_at(self.vehicles.currentIndex())
        self.refresh()
        found = self.service.allocation(vehicle.id, *self.period()) if vehicle is not None else None
        if found is not None:
            self.gallons.setText(str(found[0]))  # as typed: parse_amount reads a point
            self.soles.setText(str(found[1]))

    def _save(self) -> None:  # widgets.submitted's «apply mine on top»
        self.assign()

    def _new_vehicle(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Nuevo vehículo"))
        name, kind, plate, usual = QLineEdit(), QComboBox(), QLineEdit(), QLineEdit()
        fill_combo(kind, VEHICLE_KINDS)
        form = QFormLayout(dialog)
        for text, widget in (
            (_("Nombre:"), name),
            (_("Tipo:"), kind),
            (_("Placa:"), plate),
            (_("Km por galón (lo usual):"), usual),
        ):
            form.addRow(text, widget)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        form.addRow(box)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.service.save_vehicle(name.text(), kind.currentData() or "", plate.text(), usual.text())
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()
