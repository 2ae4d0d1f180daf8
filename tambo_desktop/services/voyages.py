"""A PIAS's voyages: the planned route of stops, the entities aboard, fuel and supplies, and every
change to the route in the voyage's history.

A voyage's dates are its route's: from the first stop's arrival to the last one's departure. A stop
is rescheduled with a reason, and the rest of the route shifted by the same time on request; a stop
the ship could not reach is skipped with a reason. Nothing is deleted: each change writes a
``VoyageEvent`` line and the audit trail, in one transaction.
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import (
    Attention,
    Community,
    District,
    Entity,
    Tambo,
    Voyage,
    VoyageEntity,
    VoyageEvent,
    VoyageStop,
)
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.files import write_bytes
from tambo_desktop.i18n import _, format_datetime
from tambo_desktop.services.session import Session
from tambo_desktop.text import clean

REASON_MAX = 300
NAME_MAX = 120
EXPECTED_MAX = 100_000
DISTANCE_MAX = Decimal("5000")
HOURS_MAX = Decimal("500")
FUEL_MAX = Decimal("1000000")


@dataclass(frozen=True)
class VoyageForm:
    name: str
    basin: str
    fuel_planned: str = ""  # gallons, as typed
    fuel_used: str = ""
    supplies: str = ""
    notes: str = ""


@dataclass(frozen=True)
class StopForm:
    """One stop as planned. Distance (km) and hours are from the previous stop, as typed."""

    community_id: int | None
    arrives_at: dt.datetime | None
    departs_at: dt.datetime | None
    distance_km: str = ""
    travel_hours: str = ""
    expected_people: str = ""


@dataclass(frozen=True)
class StopRow:
    id: int
    voyage_id: int
    position: int
    community_id: int
    community_name: str
    district_code: str
    languages: str  # the community's languages, codes separated by ";"
    arrives_at: dt.datetime
    departs_at: dt.datetime
    distance_km: Decimal | None
    travel_hours: Decimal | None
    expected_people: int | None
    status: str  # vocabulary.STOP_STATUSES
    reason: str


@dataclass(frozen=True)
class EntityAboard:
    entity_id: int
    entity_code: str
    entity_name: str
    staff: str
    services: str


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime  # UTC, as stored
    username: str
    action: str  # vocabulary.VOYAGE_ACTIONS
    stop_position: int | None
    community_name: str
    old_arrives_at: dt.datetime | None
    new_arrives_at: dt.datetime | None
    shifted: int
    reason: str


@dataclass(frozen=True)
class VoyageRow:
    id: int
    uuid: str
    name: str
    basin: str
    starts_at: dt.datetime | None  # the first stop's arrival
    ends_at: dt.datetime | None  # the last stop's departure
    stops: int
    reached: int
    skipped: int

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "uuid": self.uuid,
            "name": self.name,
            "basin": self.basin,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "stops": self.stops,
            "reached": self.reached,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class VoyageDetail:
    id: int
    uuid: str
    name: str
    basin: str
    fuel_planned: Decimal | None
    fuel_used: Decimal | None
    supplies: str
    notes: str
    stops: list[StopRow]
    entities: list[EntityAboard]

    @property
    def starts_at(self) -> dt.datetime | None:
        return self.stops[0].arrives_at if self.stops else None

    @property
    def ends_at(self) -> dt.datetime | None:
        return self.stops[-1].departs_at if self.stops else None

    @property
    def expected_people(self) -> int:
        return sum(s.expected_people or 0 for s in self.stops if s.status != "skipped")


@dataclass(frozen=True)
class VoyageToday:
    """What the voyage's Today page shows: where the ship is on the route, the people served at
    this stop and in the voyage against the expected, the next stops."""

    at: dt.datetime
    voyages: list[VoyageRow]
    voyage: VoyageDetail | None
    current: StopRow | None  # where the ship is (by the route and the clock)
    next_stops: list[StopRow]
    served: dict[int, tuple[int, int]]  # stop id → (atenciones, usuarios)
    voyage_attentions: int
    voyage_users: int  # distinct people in the whole voyage


def _decimal(text: str, field: str, maximum: Decimal, message: str, errors: list[FieldError]) -> Decimal | None:
    value = text.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
        if not number.is_finite() or not 0 <= number <= maximum:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError(field, message))
        return None
    return number


def _reason(text: str) -> str:
    reason = clean(text)
    if not reason:
        raise ValidationError(FieldError("reason", _("Escriba el motivo.")))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            FieldError("reason", _("El motivo es demasiado largo (máximo {n} caracteres).").format(n=REASON_MAX))
        )
    return reason


def _stop_row(stop: VoyageStop) -> StopRow:
    community = stop.community
    return StopRow(
        stop.id, stop.voyage_id, stop.position, stop.community_id, community.name, community.district_id,
        community.languages, stop.arrives_at, stop.departs_at, stop.distance_km, stop.travel_hours,
        stop.expected_people, stop.status, stop.reason,
    )  # fmt: skip


def _stops(voyage_id: int) -> list[VoyageStop]:
    query = (
        VoyageStop.select(VoyageStop, Community)
        .join(Community)
        .where(VoyageStop.voyage == voyage_id)
        .order_by(VoyageStop.position)
    )
    return list(query)


class VoyageService:
    """Plan voyages and change their route (``voyages.view`` / ``voyages.edit``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading ---------------------------------------------------------------------------------

    def list(self) -> list[VoyageRow]:
        """Every voyage, the newest route first."""
        self.session.require("voyages.view")
        spans = {
            v: (a, d, n, r, s)
            for v, a, d, n, r, s in tuples(
                VoyageStop.select(
                    VoyageStop.voyage,
                    pw.fn.MIN(VoyageStop.arrives_at),
                    pw.fn.MAX(VoyageStop.departs_at),
                    pw.fn.COUNT(VoyageStop.id),
                    pw.fn.SUM(pw.Case(None, [(VoyageStop.status == "reached", 1)], 0)),
                    pw.fn.SUM(pw.Case(None, [(VoyageStop.status == "skipped", 1)], 0)),
                ).group_by(VoyageStop.voyage)
            )
        }
        rows = []
        for voyage in Voyage.select():
            first, last, n, reached, skipped = spans.get(voyage.id, (None, None, 0, 0, 0))
            rows.append(VoyageRow(voyage.id, voyage.uuid, voyage.name, voyage.basin, _as_datetime(first), _as_datetime(last),
                                  n, int(reached or 0), int(skipped or 0)))  # fmt: skip
        far = dt.datetime.max
        return sorted(rows, key=lambda r: (r.starts_at or far, r.id), reverse=True)

    def find_id(self, value: int | str) -> int | None:
        """The voyage with this ID or uuid (the command line's ``--voyage``), None if there is none."""
        self.session.require("voyages.view")
        text = str(value).strip().lower()
        condition = Voyage.id == int(text) if text.isdigit() else Voyage.uuid == text
        found = Voyage.select(Voyage.id).where(condition).first()
        return found.id if found else None

    def get(self, voyage_id: int) -> VoyageDetail:
        self.session.require("voyages.view")
        voyage = Voyage.get_or_none(Voyage.id == voyage_id)
        if voyage is None:
            raise NotFound(_("La travesía ya no existe."))
        entities = [
            EntityAboard(link.entity_id, link.entity.code, link.entity.name, link.staff, link.services)
            for link in VoyageEntity.select(VoyageEntity, Entity).join(Entity).where(VoyageEntity.voyage == voyage_id)
            .order_by(Entity.code)
        ]  # fmt: skip
        return VoyageDetail(
            voyage.id, voyage.uuid, voyage.name, voyage.basin, voyage.fuel_planned, voyage.fuel_used,
            voyage.supplies, voyage.notes, [_stop_row(s) for s in _stops(voyage_id)], entities,
        )  # fmt: skip

    def stop(self, stop_id: int) -> StopRow:
        self.session.require("voyages.view")
        stop = VoyageStop.select(VoyageStop, Community).join(Community).where(VoyageStop.id == stop_id).first()
        if stop is None:
            raise NotFound(_("La parada ya no existe."))
        return _stop_row(stop)

    def history(self, voyage_id: int) -> builtins.list[EventRow]:
        """The voyage's history, oldest first."""
        self.session.require("voyages.view")
        query = (
            VoyageEvent.select(VoyageEvent, VoyageStop, Community)
            .join(VoyageStop, pw.JOIN.LEFT_OUTER)
            .join(Community, pw.JOIN.LEFT_OUTER)
            .where(VoyageEvent.voyage == voyage_id)
            .order_by(VoyageEvent.id)
        )
        rows = []
        for event in query:
            stop = event.stop if event.stop_id else None
            rows.append(EventRow(
                event.at, event.created_by, event.action, stop.position if stop else None,
                stop.community.name if stop else "", event.old_arrives_at, event.new_arrives_at, event.shifted,
                event.reason,
            ))  # fmt: skip
        return rows

    def current_voyage(self, at: dt.datetime | None = None) -> int | None:
        """The voyage under way at ``at`` (now), else the next one planned, else the last one."""
        self.session.require("voyages.view")
        at = at or dates.now().replace(tzinfo=None)
        rows = self.list()
        under_way = [r for r in rows if r.starts_at and r.ends_at and r.starts_at <= at <= r.ends_at]
        if under_way:
            return under_way[0].id
        coming = sorted((r for r in rows if r.starts_at and r.starts_at > at), key=lambda r: r.starts_at or at)
        if coming:
            return coming[0].id
        past = [r for r in rows if r.starts_at]
        return past[0].id if past else (rows[0].id if rows else None)

    def current_stop(self, voyage_id: int, at: dt.datetime | None = None) -> StopRow | None:
        """Where the ship is at ``at`` (now), by the route and the clock: the stop whose planned time
        holds that moment; between two stops, the last one it left the same day, else none."""
        self.session.require("voyages.view")
        at = at or dates.now().replace(tzinfo=None)
        stops = [_stop_row(s) for s in _stops(voyage_id) if s.status != "skipped"]
        for stop in stops:
            if stop.arrives_at <= at <= stop.departs_at:
                return stop
        left = [s for s in stops if s.departs_at < at and s.departs_at.date() == at.date()]
        return left[-1] if left else None

    def served(self, stop_ids: builtins.list[int]) -> dict[int, tuple[int, int]]:
        """Counted atenciones and usuarios per stop (the indicators' rule: not voided)."""
        self.session.require("voyages.view")
        if not stop_ids:
            return {}
        query = (
            Attention.select(Attention.voyage_stop, pw.fn.COUNT(Attention.id), pw.fn.COUNT(Attention.person.distinct()))
            .where(Attention.voyage_stop.in_(stop_ids) & (Attention.voided == False))  # noqa: E712
            .group_by(Attention.voyage_stop)
        )
        return {s: (a, u) for s, a, u in tuples(query)}

    def voyage_users(self, voyage_id: int) -> int:
        """Distinct people served in the whole voyage (one person at two stops counts once)."""
        self.session.require("voyages.view")
        stops = VoyageStop.select(VoyageStop.id).where(VoyageStop.voyage == voyage_id)
        query = Attention.select(pw.fn.COUNT(Attention.person.distinct())).where(
            Attention.voyage_stop.in_(stops) & (Attention.voided == False)  # noqa: E712
        )
        return int(query.scalar() or 0)

    def today(self, voyage_id: int | None = None, at: dt.datetime | None = None, upcoming: int = 3) -> VoyageToday:
        """The voyage's Today page (``voyage_id``: None for the one under way or the next)."""
        self.session.require("voyages.view")
        at = at or dates.now().replace(tzinfo=None)
        voyages = self.list()
        voyage_id = voyage_id if voyage_id is not None else self.current_voyage(at)
        if voyage_id is None:
            return VoyageToday(at, voyages, None, None, [], {}, 0, 0)
        detail = self.get(voyage_id)
        served = self.served([s.id for s in detail.stops])
        coming = [s for s in detail.stops if s.status == "planned" and s.arrives_at > at][:upcoming]
        return VoyageToday(at, voyages, detail, self.current_stop(voyage_id, at), coming, served,
                           sum(a for a, _u in served.values()), self.voyage_users(voyage_id))  # fmt: skip

    # -- planning --------------------------------------------------------------------------------

    def _check_voyage(self, form: VoyageForm) -> tuple[str, str, Decimal | None, Decimal | None]:
        errors: list[FieldError] = []
        name, basin = clean(form.name), clean(form.basin)
        if not name:
            errors.append(FieldError("name", _("Escriba el nombre de la travesía.")))
        elif len(name) > NAME_MAX:
            errors.append(
                FieldError("name", _("El nombre es demasiado largo (máximo {n} caracteres).").format(n=NAME_MAX))
            )
        if not basin:
            errors.append(FieldError("basin", _("Escriba la cuenca, el río o el lago de la travesía.")))
        elif len(basin) > NAME_MAX:
            errors.append(
                FieldError("basin", _("El nombre es demasiado largo (máximo {n} caracteres).").format(n=NAME_MAX))
            )
        fuel_message = _("El combustible es un número de galones entre 0 y 1 000 000.")
        planned = _decimal(form.fuel_planned, "fuel_planned", FUEL_MAX, fuel_message, errors)
        used = _decimal(form.fuel_used, "fuel_used", FUEL_MAX, fuel_message, errors)
        if errors:
            raise ValidationError(errors)
        return name, basin, planned, used

    def create(self, form: VoyageForm) -> int:
        self.session.require("voyages.edit")
        name, basin, planned, used = self._check_voyage(form)
        with self.session.write():
            voyage = Voyage(name=name, basin=basin, fuel_planned=planned, fuel_used=used,
                            supplies=form.supplies.strip(), notes=form.notes.strip())  # fmt: skip
            self.session.save(voyage, summary=name)
            self._event(voyage.id, None, "planned")
            return voyage.id

    def update(self, voyage_id: int, form: VoyageForm) -> None:
        """Change the voyage's name, basin, fuel (planned and used), supplies and notes."""
        self.session.require("voyages.edit")
        name, basin, planned, used = self._check_voyage(form)
        with self.session.write():
            voyage = self._voyage(voyage_id)
            voyage.name, voyage.basin, voyage.fuel_planned, voyage.fuel_used = name, basin, planned, used
            voyage.supplies, voyage.notes = form.supplies.strip(), form.notes.strip()
            self.session.save(voyage, summary=name)
            self._event(voyage_id, None, "changed")

    def add_stop(self, voyage_id: int, form: StopForm) -> int:
        """Append a stop at the end of the route; it must start after the previous stop leaves."""
        self.session.require("voyages.edit")
        errors: list[FieldError] = []
        if form.community_id is None or not Community.select().where(Community.id == form.community_id).exists():
            errors.append(FieldError("community", _("Elija el centro poblado de la parada.")))
        if form.arrives_at is None:
            errors.append(FieldError("arrives_at", _("Escriba la fecha y hora de llegada.")))
        if form.departs_at is None:
            errors.append(FieldError("departs_at", _("Escriba la fecha y hora de salida.")))
        elif form.arrives_at is not None and form.departs_at <= form.arrives_at:
            errors.append(FieldError("departs_at", _("La salida debe ser posterior a la llegada.")))
        distance = _decimal(form.distance_km, "distance_km", DISTANCE_MAX,
                            _("La distancia es un número de kilómetros entre 0 y 5000."), errors)  # fmt: skip
        hours = _decimal(form.travel_hours, "travel_hours", HOURS_MAX,
                         _("Las horas de navegación son un número entre 0 y 500."), errors)  # fmt: skip
        expected = None
        if form.expected_people.strip():
            text = form.expected_people.strip()
            if not text.isdigit() or int(text) > EXPECTED_MAX:
                errors.append(
                    FieldError("expected_people", _("Las personas esperadas son un número entero entre 0 y 100 000."))
                )
            else:
                expected = int(text)
        if errors:
            raise ValidationError(errors)
        assert form.arrives_at is not None and form.departs_at is not None  # checked above
        with self.session.write():
            self._voyage(voyage_id)
            stops = _stops(voyage_id)
            if stops and form.arrives_at < stops[-1].departs_at:
                raise ValidationError(FieldError("arrives_at", _(
                    "La llegada debe ser posterior a la salida de la parada anterior ({when})."
                ).format(when=format_datetime(stops[-1].departs_at, "short"))))  # fmt: skip
            stop = VoyageStop(
                voyage=voyage_id, position=(stops[-1].position + 1) if stops else 1, community=form.community_id,
                arrives_at=form.arrives_at.replace(second=0, microsecond=0),
                departs_at=form.departs_at.replace(second=0, microsecond=0), distance_km=distance, travel_hours=hours,
                expected_people=expected,
            )  # fmt: skip
            self.session.save(stop, summary=Community.get_by_id(form.community_id).name)
            self._event(voyage_id, stop.id, "stop_added", new=stop.arrives_at)
            return stop.id

    def set_entities(self, voyage_id: int, entities: builtins.list[tuple[int, str, str]]) -> None:
        """The entities aboard: ``(entity id, staff, services)`` each; replaces the previous list."""
        self.session.require("voyages.edit")
        ids = [e for e, _staff, _services in entities]
        if len(set(ids)) != len(ids):
            raise ValidationError(FieldError("entities", _("Una entidad está elegida dos veces.")))
        known = {e.id for e in Entity.select(Entity.id).where(Entity.id.in_(ids))} if ids else set()
        if set(ids) - known:
            raise ValidationError(FieldError("entities", _("Entidad desconocida.")))
        with self.session.write():
            self._voyage(voyage_id)
            current = {link.entity_id: link for link in VoyageEntity.select().where(VoyageEntity.voyage == voyage_id)}
            for entity_id, staff, services in entities:
                link = current.pop(entity_id, None) or VoyageEntity(voyage=voyage_id, entity=entity_id)
                link.staff, link.services = staff.strip(), services.strip()
                self.session.save(link, summary=Entity.get_by_id(entity_id).code)
            for link in current.values():
                self.session.delete(link, summary=Entity.get_by_id(link.entity_id).code)
            self._event(voyage_id, None, "entities")

    # -- changing the route ----------------------------------------------------------------------

    def reschedule(self, stop_id: int, arrives_at: dt.datetime, departs_at: dt.datetime, reason: str,
                   shift_rest: bool = False) -> int:  # fmt: skip
        """Move a planned stop to new times with the reason (river level, weather, the community's
        request). ``shift_rest`` moves every later planned stop by the same time as the departure
        moved; without it the stop must still end before the next one starts. Returns how many
        later stops moved."""
        self.session.require("voyages.edit")
        reason = _reason(reason)
        if departs_at <= arrives_at:
            raise ValidationError(FieldError("departs_at", _("La salida debe ser posterior a la llegada.")))
        arrives_at, departs_at = (
            arrives_at.replace(second=0, microsecond=0),
            departs_at.replace(second=0, microsecond=0),
        )
        with self.session.write():
            stop = VoyageStop.get_or_none(VoyageStop.id == stop_id)
            if stop is None:
                raise NotFound(_("La parada ya no existe."))
            if stop.status != "planned":
                raise TamboError(_("Solo se reprograma una parada programada."))
            route = _stops(stop.voyage_id)
            before = [s for s in route if s.position < stop.position and s.status != "skipped"]
            after = [s for s in route if s.position > stop.position]
            if before and arrives_at < before[-1].departs_at:
                raise ValidationError(FieldError("arrives_at", _(
                    "La llegada debe ser posterior a la salida de la parada anterior ({when})."
                ).format(when=format_datetime(before[-1].departs_at, "short"))))  # fmt: skip
            delta = departs_at - stop.departs_at
            moving = [s for s in after if s.status == "planned"] if shift_rest else []
            if shift_rest and any(s.status != "planned" for s in after):
                raise TamboError(
                    _("Una parada posterior ya fue atendida u omitida: no se puede correr el resto de la ruta.")
                )
            if not shift_rest:
                following = [s for s in after if s.status != "skipped"]
                if following and departs_at > following[0].arrives_at:
                    raise ValidationError(FieldError("departs_at", _(
                        "La salida se cruza con la llegada a la parada siguiente ({when}): elija correr el resto de la ruta."
                    ).format(when=format_datetime(following[0].arrives_at, "short"))))  # fmt: skip
            old = stop.arrives_at
            stop.arrives_at, stop.departs_at = arrives_at, departs_at
            name = stop.community.name
            self.session.save(stop, summary=_("reprogramada: {reason}").format(reason=reason))
            for later in reversed(moving):
                later.arrives_at, later.departs_at = later.arrives_at + delta, later.departs_at + delta
                self.session.save(
                    later, summary=_("ruta corrida tras {stop}: {reason}").format(stop=name, reason=reason)
                )
            self._event(
                stop.voyage_id, stop.id, "rescheduled", old=old, new=arrives_at, shifted=len(moving), reason=reason
            )
            return len(moving)

    def skip(self, stop_id: int, reason: str) -> None:
        """The ship will not (or could not) reach this stop; the reason is kept."""
        self.session.require("voyages.edit")
        reason = _reason(reason)
        with self.session.write():
            stop = VoyageStop.get_or_none(VoyageStop.id == stop_id)
            if stop is None:
                raise NotFound(_("La parada ya no existe."))
            if stop.status == "skipped":
                raise TamboError(_("Esta parada ya estaba omitida."))
            if Attention.select().where((Attention.voyage_stop == stop_id) & (Attention.voided == False)).exists():  # noqa: E712
                raise TamboError(_("Esta parada ya tiene atenciones registradas: no se puede omitir."))
            stop.status, stop.reason = "skipped", reason
            self.session.save(stop, summary=_("omitida: {reason}").format(reason=reason))
            self._event(stop.voyage_id, stop.id, "skipped", old=stop.arrives_at, reason=reason)

    def mark_reached(self, stop_id: int) -> None:
        """The ship arrived at this stop (the desk's first atención there marks it too)."""
        self.session.require("attentions.record")
        with self.session.write():
            stop = VoyageStop.get_or_none(VoyageStop.id == stop_id)
            if stop is None:
                raise NotFound(_("La parada ya no existe."))
            if stop.status == "skipped":
                raise TamboError(_("Esta parada fue omitida: no se registran atenciones en ella."))
            if stop.status == "planned":
                stop.status = "reached"
                self.session.save(stop, summary=stop.community.name)
                self._event(stop.voyage_id, stop.id, "reached", new=stop.arrives_at)

    # -- the itinerary ---------------------------------------------------------------------------

    def export_itinerary_pdf(self, voyage_id: int, path: Path, language: str | None = None) -> int:
        """Print the voyage's itinerary (A4); returns the number of pages."""
        from tambo_desktop.documents import itinerary
        from tambo_desktop.services.pias import ship_info

        self.session.require("voyages.view")
        detail = self.get(voyage_id)
        tambo, ship = Tambo.select().first(), ship_info()
        districts = {
            d.code: d.name for d in District.select().where(District.code.in_({s.district_code for s in detail.stops}))
        }
        moved = {e.stop_id: e.reason for e in VoyageEvent.select().where(
            (VoyageEvent.voyage == voyage_id) & (VoyageEvent.action == "rescheduled")).order_by(VoyageEvent.id)}  # fmt: skip
        document = itinerary.ItineraryDocument(
            language=language or self.session.user.language,
            platform_name=tambo.name if tambo else "",
            ship_name=ship.name if ship else "",
            navy_code=ship.navy_code if ship else "",
            modules=ship.modules if ship else (),
            voyage_name=detail.name,
            basin=detail.basin,
            stops=tuple(itinerary.ItineraryStop(
                s.position, s.community_name, districts.get(s.district_code, ""), s.arrives_at, s.departs_at,
                s.distance_km, s.travel_hours, s.expected_people, s.status, s.reason, moved.get(s.id, ""),
            ) for s in detail.stops),
            entities=tuple(itinerary.ItineraryEntity(e.entity_code, e.entity_name, e.staff, e.services) for e in detail.entities),
            fuel_planned=detail.fuel_planned,
            supplies=detail.supplies,
            phone=(tambo.phone or "") if tambo else "",
        )  # fmt: skip
        return itinerary.render(document, Path(path))

    def export_ics(self, voyage_id: int, path: Path) -> int:
        """Write the route as an iCalendar file, one event per stop (a skipped stop as cancelled, so a
        calendar that imported the route before learns of it; SEQUENCE counts the stop's changes)."""
        from icalendar import Calendar, Event

        self.session.require("voyages.view")
        detail = self.get(voyage_id)
        tambo = Tambo.select().first()
        code = tambo.code if tambo else "local"
        versions = {
            s.id: s.version
            for s in VoyageStop.select(VoyageStop.id, VoyageStop.version).where(VoyageStop.voyage == voyage_id)
        }
        zone = dates.tambo_zone()
        services = "; ".join(f"{e.entity_code}: {e.services}" if e.services else e.entity_code for e in detail.entities)
        calendar = Calendar()
        calendar.add("prodid", "-//TAMBO Desktop//Travesia PIAS//ES")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{detail.name} ({tambo.name})" if tambo else detail.name)
        calendar.add("x-wr-timezone", dates.TIME_ZONE)
        stamp = dt.datetime.now(dt.UTC)
        for stop in detail.stops:
            event = Event()
            event.add("uid", f"{VoyageStop.get_by_id(stop.id).uuid}@pias-{code}")
            event.add("dtstamp", stamp)
            event.add("dtstart", stop.arrives_at.replace(tzinfo=zone))
            event.add("dtend", stop.departs_at.replace(tzinfo=zone))
            event.add("summary", f"{detail.name}: {stop.position}. {stop.community_name}")
            event.add("location", stop.community_name)
            lines = [services] if services else []
            if stop.expected_people is not None:
                lines.append(_("Personas esperadas: {n}").format(n=stop.expected_people))
            if stop.reason:
                lines.append(stop.reason)
            if lines:
                event.add("description", "\n".join(lines))
            event.add("status", "CANCELLED" if stop.status == "skipped" else "CONFIRMED")
            event.add("sequence", versions.get(stop.id, 1) - 1)
            calendar.add_component(event)
        calendar.add_missing_timezones()
        write_bytes(Path(path), calendar.to_ical())
        return len(detail.stops)

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _voyage(voyage_id: int) -> Voyage:
        voyage = Voyage.get_or_none(Voyage.id == voyage_id)
        if voyage is None:
            raise NotFound(_("La travesía ya no existe."))
        return voyage

    def _event(self, voyage_id: int, stop_id: int | None, action: str, old: dt.datetime | None = None,
               new: dt.datetime | None = None, shifted: int = 0, reason: str = "") -> None:  # fmt: skip
        event = VoyageEvent(voyage=voyage_id, stop=stop_id, action=action, old_arrives_at=old, new_arrives_at=new,
                            shifted=shifted, reason=reason)  # fmt: skip
        self.session.save(event, summary=action)


def _as_datetime(value: object) -> dt.datetime | None:
    """MIN/MAX of a datetime column: a datetime on PostgreSQL, text on SQLite."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
