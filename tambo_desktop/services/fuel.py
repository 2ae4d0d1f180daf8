"""Vehicles, their monthly fuel allocation, and the month's balance.

For each vehicle and month: gallons and soles **assigned** (the allocation), **bought** (the fuel
logged on the trips, with receipts), **left** (assigned − bought), the **km** driven (odometer),
and the gallons **consumed** estimated from the km at the vehicle's usual km per gallon. Warnings:
the balance runs low (under 20 % of the allocation left) or the km per gallon bought is far (more than
30 %) from the vehicle's usual figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import FuelAllocation, Resource, Trip, Vehicle
from tambo_desktop.errors import FieldError, NotFound, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services import conflicts
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.limits import within
from tambo_desktop.services.session import Session
from tambo_desktop.services.trips import parse_amount
from tambo_desktop.text import clean, search_key
from tambo_desktop.vocabulary import VEHICLE_KINDS

LOW_SHARE = Decimal("0.2")
FAR_FROM_USUAL = Decimal("0.3")
TWO = Decimal("0.01")


@dataclass(frozen=True)
class VehicleRow:
    id: int
    name: str
    kind: str
    plate: str
    km_per_gallon: Decimal | None
    resource_id: int | None
    active: bool
    version: int = 1


@dataclass(frozen=True)
class Balance:
    vehicle_id: int
    vehicle: str
    assigned_gallons: Decimal
    assigned_soles: Decimal
    bought_gallons: Decimal
    bought_soles: Decimal
    left_gallons: Decimal
    left_soles: Decimal
    km: int
    trips: int
    consumed_gallons: Decimal | None  # estimated from km and the usual km per gallon
    km_per_gallon: Decimal | None  # km / gallons bought this month
    warnings: tuple[str, ...]
    #: The version of the month's allocation as read (0: none); set_allocation refuses a stale one.
    allocation_version: int = 0

    def as_dict(self) -> dict:
        return {
            "vehicle": self.vehicle, "assigned_gallons": str(self.assigned_gallons), "assigned_soles": str(self.assigned_soles),
            "bought_gallons": str(self.bought_gallons), "bought_soles": str(self.bought_soles),
            "left_gallons": str(self.left_gallons), "left_soles": str(self.left_soles), "km": self.km, "trips": self.trips,
            "consumed_gallons": None if self.consumed_gallons is None else str(self.consumed_gallons),
            "km_per_gallon": None if self.km_per_gallon is None else str(self.km_per_gallon), "warnings": list(self.warnings),
        }  # fmt: skip


class FuelService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def vehicles(self, active_only: bool = False) -> list[VehicleRow]:
        self.session.require("trips.view")
        query = Vehicle.select().order_by(Vehicle.name_key)
        if active_only:
            query = query.where(Vehicle.active == True)  # noqa: E712
        return [
            VehicleRow(v.id, v.name, v.kind, v.plate, v.km_per_gallon, v.resource_id, v.active, v.version)
            for v in query
        ]

    def save_vehicle(self, name: str, kind: str, plate: str = "", km_per_gallon: str = "", resource_id: int | None = None,
                     active: bool = True, vehicle_id: int | None = None, version: int | None = None,
                     on_top: bool = False) -> int:  # fmt: skip
        """Create or change a vehicle; ``version``: the vehicle's as the form read it (a save from a
        copy read before another PC's save is refused, StaleRecord, unless ``on_top``)."""
        self.session.require("fuel.manage")
        errors: list[FieldError] = []
        name = clean(name)
        if not name:
            errors.append(FieldError("name", _("Escriba el nombre.")))
        if kind not in VEHICLE_KINDS:
            errors.append(FieldError("kind", _("Elija el tipo.")))
        usual = parse_amount(
            km_per_gallon,
            "km_per_gallon",
            Decimal(500),
            _("El rendimiento es un número de km por galón, de 0 a 500."),
            errors,
        )
        if resource_id is not None and not Resource.select().where(Resource.id == resource_id).exists():
            errors.append(FieldError("resource", _("El recurso ya no existe.")))
        if (
            not errors
            and Vehicle.select()
            .where((Vehicle.name_key == search_key(name)) & (Vehicle.id != (vehicle_id or 0)))
            .exists()
        ):
            errors.append(FieldError("name", _("Ya existe uno con ese nombre.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            vehicle = Vehicle() if vehicle_id is None else Vehicle.get_or_none(Vehicle.id == vehicle_id)
            if vehicle is None:
                raise NotFound(_("El vehículo ya no existe."))
            vehicle.name, vehicle.name_key, vehicle.kind, vehicle.plate = (
                name,
                search_key(name),
                kind,
                within(clean(plate), 20, "plate"),
            )
            vehicle.km_per_gallon, vehicle.resource_id, vehicle.active = usual, resource_id, active
            self.session.save(vehicle, summary=name, version=version, on_top=on_top)
            return vehicle.id

    def allocation(self, vehicle_id: int, year: int, month: int) -> tuple[Decimal, Decimal] | None:
        self.session.require("trips.view")
        row = FuelAllocation.get_or_none((FuelAllocation.vehicle == vehicle_id) & (FuelAllocation.year == year)
                                         & (FuelAllocation.month == month))  # fmt: skip
        return (row.gallons, row.soles) if row else None

    def set_allocation(self, vehicle_id: int, year: int, month: int, gallons: str, soles: str, version: int | None = None,
                       on_top: bool = False) -> None:  # fmt: skip
        """Set the month's allocation of a vehicle. ``version``: the allocation's as the user read it
        (0: there was none; None: not checked). One saved by another PC since is not overwritten
        (StaleRecord, their values beside these) unless ``on_top``; one removed since, NotFound."""
        self.session.require("fuel.manage")
        errors: list[FieldError] = []
        g = parse_amount(gallons, "gallons", Decimal(10_000), _("Los galones son un número de 0 a 10 000."), errors)
        s = parse_amount(
            soles, "soles", Decimal(500_000), _("El importe es un número de soles de 0 a 500 000."), errors
        )
        if not errors and (g is None or s is None):
            errors.append(FieldError("gallons", _("Escriba los galones y el importe asignados.")))
        if errors:
            raise ValidationError(errors)
        assert g is not None and s is not None  # else an error was raised
        with self.session.write():
            if not Vehicle.select().where(Vehicle.id == vehicle_id).exists():
                raise NotFound(_("El vehículo ya no existe."))
            row = _allocation(vehicle_id, year, month)
            if row is None and version:
                raise NotFound(_("Otra persona eliminó este registro mientras usted lo tenía abierto: no se guardó."))
            row = row or FuelAllocation(vehicle=vehicle_id, year=year, month=month)
            row.gallons, row.soles = g, s
            if row.id is not None:
                self.session.save(row, summary=f"{year}-{month:02d}", version=version, on_top=on_top)
                return
            try:
                with current_database().atomic():  # a savepoint: another PC may assign it at this very moment
                    self.session.save(row, summary=f"{year}-{month:02d}")
            except pw.IntegrityError:  # the unique (vehicle, year, month) let the other PC in first
                current = _allocation(vehicle_id, year, month)
                if current is None:
                    raise
                raise conflicts.stale(current, row) from None

    def balance(self, year: int, month: int) -> list[Balance]:
        """The month's balance of every vehicle that had an allocation or trips."""
        self.session.require("trips.view")
        first, last = month_range(year, month)
        trips = list(Trip.select().where(
            Trip.vehicle.is_null(False)
            & (Trip.departs_at >= dt.datetime.combine(first, dt.time.min))
            & (Trip.departs_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
        ))  # fmt: skip
        allocations = {
            a.vehicle_id: a
            for a in FuelAllocation.select().where((FuelAllocation.year == year) & (FuelAllocation.month == month))
        }
        out = []
        for vehicle in Vehicle.select().order_by(Vehicle.name_key):
            own = [t for t in trips if t.vehicle_id == vehicle.id]
            allocation = allocations.get(vehicle.id)
            if allocation is None and not own:
                continue
            assigned_g = allocation.gallons if allocation else Decimal(0)
            assigned_s = allocation.soles if allocation else Decimal(0)
            bought_g = sum((t.fuel_gallons or Decimal(0) for t in own), Decimal(0))
            bought_s = sum((t.fuel_soles or Decimal(0) for t in own), Decimal(0))
            km = sum(
                (t.odometer_end - t.odometer_start)
                for t in own
                if t.odometer_end is not None and t.odometer_start is not None
            )
            usual = vehicle.km_per_gallon
            consumed = (Decimal(km) / usual).quantize(TWO) if usual else None
            per_gallon = (Decimal(km) / bought_g).quantize(Decimal("0.1")) if bought_g else None
            warnings = []
            left_g = assigned_g - bought_g
            if assigned_g and left_g < assigned_g * LOW_SHARE:
                warnings.append(
                    _("Queda poco combustible: {left} de {assigned} galones.").format(left=left_g, assigned=assigned_g)
                )
            if (
                usual
                and per_gallon is not None
                and km >= 150
                and bought_g >= 3
                and abs(per_gallon - usual) > usual * FAR_FROM_USUAL
            ):
                warnings.append(
                    _("Rinde {actual} km por galón; lo usual es {usual}. Revise las cargas y el odómetro.").format(
                        actual=per_gallon, usual=usual
                    )
                )
            out.append(Balance(vehicle.id, vehicle.name, assigned_g, assigned_s, bought_g, bought_s, left_g,
                               assigned_s - bought_s, km, len(own), consumed, per_gallon, tuple(warnings),
                               allocation.version if allocation else 0))  # fmt: skip
        return out


def _allocation(vehicle_id: int, year: int, month: int) -> FuelAllocation | None:
    return FuelAllocation.get_or_none(
        (FuelAllocation.vehicle == vehicle_id) & (FuelAllocation.year == year) & (FuelAllocation.month == month)
    )
