"""Field visits: the gestores' trips to the communities, with the odometer and the fuel bought.

The odometer of a vehicle only goes forward: a trip's start reading may not be lower than the end
reading of the vehicle's previous trip, nor its end reading higher than the next trip's start (a trip
logged late, between two others). Several days' trips are saved together, all or nothing.
"""

from __future__ import annotations

import builtins
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from tambo_desktop import dates
from tambo_desktop.db.models import Community, Intervention, Trip, TripPhoto, TripStop, User, Vehicle
from tambo_desktop.errors import FieldError, NotFound, ValidationError
from tambo_desktop.i18n import _, format_date, format_datetime
from tambo_desktop.services.limits import within
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import TRAVEL_MEANS, TRIP_PURPOSES

#: The longest side of a stored photo, in pixels (enough for a report, ~150 KB as JPEG).
PHOTO_SIDE = 1280
MAX_TRIP_DAYS = 10


@dataclass
class TripForm:
    gestor_id: int | None = None
    departs_at: dt.datetime | None = None
    returns_at: dt.datetime | None = None
    community_ids: list[int] = field(default_factory=list)  # in the order visited
    purpose: str = ""
    means: str = ""
    vehicle_id: int | None = None
    odometer_start: str = ""
    odometer_end: str = ""
    fuel_gallons: str = ""
    fuel_soles: str = ""
    receipt: str = ""
    people_met: str = ""
    activities: str = ""
    agreements: str = ""
    intervention_uuid: str | None = None
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass(frozen=True)
class TripRow:
    id: int
    uuid: str
    gestor_id: int
    gestor_name: str
    departs_at: dt.datetime
    returns_at: dt.datetime
    community_ids: tuple[int, ...]
    communities: tuple[str, ...]
    purpose: str
    means: str
    vehicle_id: int | None
    vehicle_name: str
    odometer_start: int | None
    odometer_end: int | None
    fuel_gallons: Decimal | None
    fuel_soles: Decimal | None
    receipt: str
    people_met: str
    activities: str
    agreements: str
    intervention_uuid: str | None
    photos: int = 0
    version: int = 1

    @property
    def km(self) -> int | None:
        if self.odometer_start is None or self.odometer_end is None:
            return None
        return self.odometer_end - self.odometer_start


def parse_amount(text: str, name: str, high: Decimal, message: str, errors: list[FieldError]) -> Decimal | None:
    """A typed amount (``12,5`` or ``12.5``) from 0 to ``high``; None when blank or wrong (then an error)."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= high:
        errors.append(FieldError(name, message))
        return None
    return value


def _reading(text: str, name: str, errors: list[FieldError]) -> int | None:
    text = text.strip().replace(" ", "").replace(".", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > 9_999_999:
        errors.append(FieldError(name, _("La lectura del odómetro es un número entero de kilómetros.")))
        return None
    return int(text)


def downscale(data: bytes) -> bytes:
    """A photo as stored: turned upright from its EXIF orientation, at most PHOTO_SIDE, JPEG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(FieldError("photos", _("El archivo no es una foto que se pueda leer."))) from exc


class TripService:
    """Log, change, list and delete field visits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading --------------------------------------------------------------------------------

    def list(
        self, start: dt.date, end: dt.date, gestor_id: int | None = None, vehicle_id: int | None = None
    ) -> builtins.list[TripRow]:
        """Trips that departed between ``start`` and ``end`` (included), in order."""
        self.session.require("trips.view")
        query = Trip.select().where(
            (Trip.departs_at >= dt.datetime.combine(start, dt.time.min))
            & (Trip.departs_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        )
        if gestor_id:
            query = query.where(Trip.gestor == gestor_id)
        if vehicle_id:
            query = query.where(Trip.vehicle == vehicle_id)
        return self._rows(list(query.order_by(Trip.departs_at, Trip.id)))

    def get(self, trip_id: int) -> TripRow:
        self.session.require("trips.view")
        trip = Trip.get_or_none(Trip.id == trip_id)
        if trip is None:
            raise NotFound(_("El viaje ya no existe."))
        return self._rows([trip])[0]

    def last_reading(self, vehicle_id: int, before: dt.datetime | None = None) -> int | None:
        """The vehicle's last odometer reading (before a moment), to prefill the next trip."""
        self.session.require("trips.view")
        query = Trip.select().where((Trip.vehicle == vehicle_id) & Trip.odometer_end.is_null(False))
        if before is not None:
            query = query.where(Trip.departs_at < before)
        last = query.order_by(Trip.departs_at.desc()).first()
        return last.odometer_end if last else None

    def photos(self, trip_id: int) -> builtins.list[tuple[int, bytes, str]]:
        self.session.require("trips.view")
        return [(p.id, bytes(p.data), p.caption) for p in TripPhoto.select().where(TripPhoto.trip == trip_id)]

    def _rows(self, trips: builtins.list[Trip]) -> builtins.list[TripRow]:
        if not trips:
            return []
        ids = [t.id for t in trips]
        stops: dict[int, builtins.list[tuple[int, str]]] = {}
        for s in (TripStop.select(TripStop, Community).join(Community).where(TripStop.trip.in_(ids))
                  .order_by(TripStop.trip, TripStop.position)):  # fmt: skip
            stops.setdefault(s.trip_id, []).append((s.community_id, s.community.name))
        photos: dict[int, int] = {}
        for p in TripPhoto.select(TripPhoto.trip).where(TripPhoto.trip.in_(ids)):
            photos[p.trip_id] = photos.get(p.trip_id, 0) + 1
        users = {u.id: u.full_name for u in User.select(User.id, User.full_name)}
        vehicles: dict[int | None, str] = {v.id: v.name for v in Vehicle.select(Vehicle.id, Vehicle.name)}
        return [
            TripRow(
                t.id,
                t.uuid,
                t.gestor_id,
                users.get(t.gestor_id, ""),
                t.departs_at,
                t.returns_at,
                tuple(c for c, _n in stops.get(t.id, [])),
                tuple(n for _c, n in stops.get(t.id, [])),
                t.purpose,
                t.means,
                t.vehicle_id,
                vehicles.get(t.vehicle_id, ""),
                t.odometer_start,
                t.odometer_end,
                t.fuel_gallons,
                t.fuel_soles,
                t.receipt,
                t.people_met,
                t.activities,
                t.agreements,
                t.intervention_uuid,
                photos.get(t.id, 0),
                t.version,
            )  # fmt: skip
            for t in trips
        ]

    # -- writing --------------------------------------------------------------------------------

    def save(self, form: TripForm, trip_id: int | None = None, photos: builtins.list[bytes] | None = None) -> int:
        return self.save_many([form], [trip_id], [photos or []])[0]

    def save_many(self, forms: builtins.list[TripForm], trip_ids: builtins.list[int | None] | None = None,
                  photos: builtins.list[builtins.list[bytes]] | None = None) -> builtins.list[int]:  # fmt: skip
        """Save several trips (a gestor back from a multi-day tour) in one transaction.
        Errors name the trip: «Viaje 2: …»."""
        self.session.require("trips.edit")
        trip_ids = trip_ids or [None] * len(forms)
        photos = photos or [[] for _f in forms]
        parsed = []
        errors: builtins.list[FieldError] = []
        for index, form in enumerate(forms):
            values, own = self._parse(form)
            prefix = _("Viaje {n}: ").format(n=index + 1) if len(forms) > 1 else ""
            errors += [FieldError(e.field, prefix + e.message) for e in own]
            parsed.append(values)
        if errors:
            raise ValidationError(errors)
        stored = [[downscale(p) for p in trip_photos] for trip_photos in photos]
        with self.session.write():
            ids = []
            for index, (values, trip_id) in enumerate(zip(parsed, trip_ids, strict=True)):
                trip = Trip() if trip_id is None else Trip.get_or_none(Trip.id == trip_id)
                if trip is None:
                    raise NotFound(_("El viaje ya no existe."))
                if trip_id is not None:
                    self.session.require_for("trips.edit", trip.gestor_id, _("Cada gestor corrige sus propios viajes."))
                self._check_overlap(values, trip_id, index + 1 if len(forms) > 1 else None)
                self._check_odometer(values, trip_id, index + 1 if len(forms) > 1 else None)
                communities = values.pop("communities")
                for key, value in values.items():
                    setattr(trip, key, value)
                self.session.save(
                    trip,
                    summary=", ".join(c.name for c in communities),
                    version=forms[index].version,
                    on_top=forms[index].on_top,
                )
                TripStop.delete().where(TripStop.trip == trip.id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
                for position, community in enumerate(communities, 1):
                    TripStop.create(trip=trip.id, position=position, community=community.id)
                for data in stored[index]:
                    TripPhoto.create(trip=trip.id, data=data)
                ids.append(trip.id)
            return ids

    def delete(self, trip_id: int) -> None:
        self.session.require("trips.edit")
        with self.session.write():
            trip = Trip.get_or_none(Trip.id == trip_id)
            if trip is None:
                raise NotFound(_("El viaje ya no existe."))
            self.session.require_for("trips.edit", trip.gestor_id, _("Cada gestor corrige sus propios viajes."))
            self.session.delete(trip, summary=format_date(trip.departs_at.date(), "short"))

    def _parse(self, form: TripForm) -> tuple[dict, builtins.list[FieldError]]:
        errors: builtins.list[FieldError] = []
        values: dict = {}
        gestor_id = form.gestor_id or self.session.user.id
        if not self.session.can_for("trips.edit", gestor_id):
            errors.append(FieldError("gestor", _("Cada gestor registra sus propios viajes.")))
        elif not User.select().where((User.id == gestor_id) & (User.active == True)).exists():  # noqa: E712
            errors.append(FieldError("gestor", _("La cuenta del gestor ya no está activa.")))
        values["gestor"] = gestor_id
        start, end = form.departs_at, form.returns_at
        if start is None or end is None:
            errors.append(FieldError("departs_at", _("Escriba la salida y el regreso.")))
        elif end <= start:
            errors.append(FieldError("returns_at", _("El regreso debe ser posterior a la salida.")))
        elif end - start > dt.timedelta(days=MAX_TRIP_DAYS):
            errors.append(
                FieldError("returns_at", _("Un viaje dura como máximo 10 días; registre las etapas como viajes."))
            )
        elif end > dates.now() + dt.timedelta(hours=1):
            errors.append(
                FieldError("returns_at", _("Un viaje se registra al volver: el regreso no puede ser futuro."))
            )
        values["departs_at"] = start.replace(second=0, microsecond=0) if start else None
        values["returns_at"] = end.replace(second=0, microsecond=0) if end else None
        ids = list(dict.fromkeys(form.community_ids))
        communities = {c.id: c for c in Community.select().where(Community.id.in_(ids))} if ids else {}
        if not ids:
            errors.append(FieldError("communities", _("Elija al menos un centro poblado visitado.")))
        elif len(communities) != len(ids):
            errors.append(FieldError("communities", _("Un centro poblado elegido ya no existe.")))
        values["communities"] = [communities[i] for i in ids if i in communities]
        if form.purpose not in TRIP_PURPOSES:
            errors.append(FieldError("purpose", _("Elija el motivo del viaje.")))
        values["purpose"] = form.purpose
        if form.means not in TRAVEL_MEANS:
            errors.append(FieldError("means", _("Elija el medio de transporte.")))
        values["means"] = form.means
        vehicle = Vehicle.get_or_none(Vehicle.id == form.vehicle_id) if form.vehicle_id else None
        if form.vehicle_id and vehicle is None:
            errors.append(FieldError("vehicle", _("El vehículo ya no existe.")))
        values["vehicle"] = form.vehicle_id if vehicle else None
        start_km = _reading(form.odometer_start, "odometer_start", errors)
        end_km = _reading(form.odometer_end, "odometer_end", errors)
        if (
            vehicle is not None
            and (start_km is None or end_km is None)
            and not any(e.field.startswith("odometer") for e in errors)
        ):
            errors.append(
                FieldError("odometer_start", _("Con vehículo, escriba el odómetro a la salida y al regreso."))
            )
        if start_km is not None and end_km is not None and end_km < start_km:
            errors.append(
                FieldError(
                    "odometer_end",
                    _("El odómetro al regreso ({end} km) es menor que a la salida ({start} km).").format(
                        end=end_km, start=start_km
                    ),
                )
            )
        elif start_km is not None and end_km is not None and end_km - start_km > 2000:
            errors.append(
                FieldError("odometer_end", _("Más de 2000 km en un viaje: revise las lecturas del odómetro."))
            )
        if vehicle is None and (start_km is not None or end_km is not None):
            errors.append(FieldError("vehicle", _("Elija el vehículo del odómetro.")))
        values["odometer_start"], values["odometer_end"] = (start_km, end_km) if vehicle else (None, None)
        gallons = parse_amount(
            form.fuel_gallons, "fuel_gallons", Decimal(200), _("Los galones son un número de 0 a 200."), errors
        )
        soles = parse_amount(
            form.fuel_soles, "fuel_soles", Decimal(5000), _("El importe es un número de soles de 0 a 5000."), errors
        )
        if (gallons is None) != (soles is None) and not any(e.field.startswith("fuel") for e in errors):
            errors.append(FieldError("fuel_gallons", _("Escriba los galones y el importe del combustible, o ninguno.")))
        if gallons is not None and vehicle is None:
            errors.append(FieldError("vehicle", _("Elija el vehículo al que se cargó el combustible.")))
        values["fuel_gallons"], values["fuel_soles"] = gallons, soles
        values["receipt"] = within(form.receipt.strip(), 40, "receipt")
        if gallons is not None and not values["receipt"]:
            errors.append(FieldError("receipt", _("Escriba el número del comprobante del combustible.")))
        for name in ("people_met", "activities", "agreements"):
            text = (getattr(form, name) or "").strip()
            if len(text) > 4000:
                errors.append(FieldError(name, _("El texto es demasiado largo (máximo 4000 caracteres).")))
            values[name] = text
        if (
            form.intervention_uuid
            and not Intervention.select().where(Intervention.uuid == form.intervention_uuid).exists()
        ):
            errors.append(FieldError("intervention", _("La intervención ya no existe.")))
        values["intervention_uuid"] = form.intervention_uuid or None
        return values, errors

    def _check_overlap(self, values: dict, trip_id: int | None, number: int | None) -> None:
        """A gestor is on one trip at a time."""
        other = Trip.select().where(
            (Trip.gestor == values["gestor"]) & (Trip.id != (trip_id or 0))
            & (Trip.departs_at < values["returns_at"]) & (Trip.returns_at > values["departs_at"])
        ).first()  # fmt: skip
        if other is not None:
            prefix = _("Viaje {n}: ").format(n=number) if number else ""
            raise ValidationError(
                FieldError(
                    "departs_at",
                    prefix
                    + _("Se cruza con otro viaje del mismo gestor, del {start} al {end}.").format(
                        start=format_datetime(other.departs_at, "short"), end=format_datetime(other.returns_at, "short")
                    ),
                )
            )

    def _check_odometer(self, values: dict, trip_id: int | None, number: int | None) -> None:
        """Readings go forward: not below the previous trip's end, not above the next trip's start."""
        if values["vehicle"] is None:
            return
        prefix = _("Viaje {n}: ").format(n=number) if number else ""
        others = Trip.select().where(
            (Trip.vehicle == values["vehicle"]) & Trip.odometer_end.is_null(False) & (Trip.id != (trip_id or 0))
        )
        before = others.where(Trip.departs_at < values["departs_at"]).order_by(Trip.departs_at.desc()).first()
        after = others.where(Trip.departs_at >= values["departs_at"]).order_by(Trip.departs_at).first()
        if before is not None and values["odometer_start"] < before.odometer_end:
            raise ValidationError(FieldError("odometer_start", prefix + _(
                "El odómetro a la salida ({start} km) es menor que al volver del viaje anterior del {date} ({previous} km)."
            ).format(start=values["odometer_start"], date=format_date(before.departs_at.date(), "short"),
                     previous=before.odometer_end)))  # fmt: skip
        if after is not None and values["odometer_end"] > after.odometer_start:
            raise ValidationError(FieldError("odometer_end", prefix + _(
                "El odómetro al regreso ({end} km) es mayor que a la salida del viaje siguiente del {date} ({next} km)."
            ).format(end=values["odometer_end"], date=format_date(after.departs_at.date(), "short"),
                     next=after.odometer_start)))  # fmt: skip
