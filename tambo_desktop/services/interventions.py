"""Interventions: entities book the tambo (a space, a day) or a trip to a community.

Saving refuses a hard clash and names the other booking; soft clashes come back as warnings that
the user confirms (:class:`NeedsConfirmation`). Every change of status or date writes a line of the
intervention's history with its reason, in the same transaction as the change.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
import uuid as uuidlib
from dataclasses import dataclass, field

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import (
    Attention,
    Community,
    Entity,
    Intervention,
    InterventionEvent,
    InterventionResource,
    OfferedService,
    Resource,
    Service,
    Space,
    User,
)
from tambo_desktop.db.sql import LOCK_GESTOR, LOCK_RESOURCE, LOCK_SPACE, lock_for_booking, tuples
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _, format_date, local_time, pgettext
from tambo_desktop.services import booking_rules as rules
from tambo_desktop.services.booking_rules import Booking, Clash, Recurrence
from tambo_desktop.services.limits import within
from tambo_desktop.services.session import Session
from tambo_desktop.text import PHONE_RE, clean, search_key
from tambo_desktop.vocabulary import INTERVENTION_KINDS, INTERVENTION_STATUSES, PLACES, label

#: Which status may follow which (rescheduled and suspended need a reason).
TRANSITIONS = {
    "requested": ("programmed", "rescheduled", "suspended"),
    "programmed": ("executed", "rescheduled", "suspended"),
    "rescheduled": ("executed", "rescheduled", "suspended"),
    "suspended": ("rescheduled",),
    "executed": (),
}
#: Atenciones registered this long after an intervention's end still belong to it (the queue).
LINK_GRACE = dt.timedelta(hours=1)


@dataclass
class InterventionForm:
    """An intervention as typed in the dialog (dates already parsed by the widgets)."""

    title: str = ""
    entity_id: int | None = None  # None: the tambo itself
    kind: str = "support"
    service_ids: list[int] = field(default_factory=list)
    place: str = "inside"
    space_id: int | None = None
    community_id: int | None = None
    travel_minutes: str = ""  # blank: the community's travel time
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    gestor_id: int | None = None
    resource_ids: list[int] = field(default_factory=list)
    expected_participants: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    notes: str = ""
    status: str = "programmed"  # for a new one: requested or programmed
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass(frozen=True)
class InterventionRow:
    id: int
    uuid: str
    title: str
    entity_id: int | None
    entity_code: str
    entity_name: str
    kind: str
    place: str
    space_id: int | None
    space_name: str
    community_id: int | None
    community_name: str
    travel_minutes: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    gestor_id: int | None
    gestor_name: str
    expected_participants: int | None
    contact_name: str
    contact_phone: str
    notes: str
    status: str
    status_reason: str
    series_uuid: str | None
    service_ids: tuple[int, ...] = ()
    service_names: tuple[str, ...] = ()
    resource_ids: tuple[int, ...] = ()
    resource_names: tuple[str, ...] = ()
    version: int = 1

    @property
    def where(self) -> str:
        """The space, or the community, in the user's language."""
        if self.place == "outside":
            return self.community_name
        return self.space_name or _("En el tambo")

    @property
    def entity_label(self) -> str:
        # TRANSLATORS: the tambo itself as the entity that holds an intervention (calendar, schedule)
        return self.entity_code or pgettext("entity", "Tambo")


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # local time
    username: str
    action: str
    from_status: str
    to_status: str
    old_starts_at: dt.datetime | None
    new_starts_at: dt.datetime | None
    reason: str


@dataclass
class InterventionFilter:
    start: dt.date | None = None  # first day (included)
    end: dt.date | None = None  # last day (included)
    entity_id: int | None = None  # 0: the tambo's own
    space_id: int | None = None
    gestor_id: int | None = None
    status: str = ""
    text: str = ""


@dataclass(frozen=True)
class SaveResult:
    ids: tuple[int, ...]
    warnings: tuple[str, ...] = ()


class ClashError(ValidationError):
    """A hard clash: the space, gestor or a resource is taken. Nothing was saved."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__([FieldError("starts_at", m) for m in messages])


class NeedsConfirmation(TamboError):
    """Soft clashes: the user may save anyway (call again with ``confirm=True``)."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        super().__init__("\n".join(warnings))


def _when(start: dt.datetime, end: dt.datetime) -> str:
    day = format_date(start.date(), "weekday_date")
    if end.date() == start.date():
        return _("{day}, de {start} a {end}").format(day=day, start=f"{start:%H:%M}", end=f"{end:%H:%M}")
    return _("{day} {start} al {end_day} {end}").format(
        day=day, start=f"{start:%H:%M}", end_day=format_date(end.date(), "weekday_day_month"), end=f"{end:%H:%M}"
    )


def matching(rows: list[InterventionRow], text: str) -> list[InterventionRow]:
    """The rows that hold every word of ``text`` (title, entity, place, responsible, contact, services)."""
    words = search_key(text).split()
    if not words:
        return rows

    def haystack(r: InterventionRow) -> str:
        return search_key(" ".join([r.title, r.entity_code, r.entity_name, r.where, r.gestor_name, r.contact_name,
                                    *r.service_names]))  # fmt: skip

    return [r for r in rows if all(w in haystack(r) for w in words)]


def describe(clash: Clash, names: dict[str, dict[int | None, str]]) -> str:
    """A clash in the user's language, naming the other booking."""
    other = clash.other
    if clash.kind == "capacity" or other is None:
        return _("Se esperan más participantes que la capacidad del espacio ({n} personas).").format(n=clash.detail)
    booking = _("«{title}» ({entity}), {when}").format(
        title=other.title,
        entity=other.entity or pgettext("entity", "Tambo"),
        when=_when(other.starts_at, other.ends_at),
    )
    if clash.kind == "space":
        return _("El espacio «{name}» ya está reservado para {booking}.").format(
            name=names["space"].get(other.space_id, ""), booking=booking
        )
    if clash.kind == "gestor":
        return _("{name} ya tiene a su cargo {booking}.").format(
            name=names["gestor"].get(other.gestor_id, ""), booking=booking
        )
    if clash.kind == "resource":
        return _("«{name}» ya está ocupado por {booking}.").format(
            name=names["resource"].get(clash.detail, ""), booking=booking
        )
    return _("Ya hay otra intervención en el mismo centro poblado esa semana: {booking}.").format(booking=booking)


def _booking(i: Intervention, resource_ids: frozenset[int]) -> Booking:
    return Booking(
        i.id, i.title, i.entity.code if i.entity_id and i.entity else "", i.starts_at, i.ends_at, i.place, i.space_id,
        i.community_id, i.travel_minutes, i.gestor_id, resource_ids, i.expected_participants, i.status,
    )  # fmt: skip


def _names() -> dict[str, dict[int | None, str]]:
    return {
        "space": {s.id: s.name for s in Space.select(Space.id, Space.name)},
        "resource": {r.id: r.name for r in Resource.select(Resource.id, Resource.name)},
        "gestor": {u.id: u.full_name for u in User.select(User.id, User.full_name)},
    }


class InterventionService:
    """Create, change, reschedule, suspend, execute and list interventions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading --------------------------------------------------------------------------------

    def list(self, flt: InterventionFilter | None = None) -> builtins.list[InterventionRow]:
        """Interventions that touch the filter's days, by start time."""
        self.session.require("interventions.view")
        flt = flt or InterventionFilter()
        query = Intervention.select().order_by(Intervention.starts_at, Intervention.id)
        if flt.start:
            query = query.where(Intervention.ends_at > dt.datetime.combine(flt.start, dt.time.min))
        if flt.end:
            query = query.where(
                Intervention.starts_at < dt.datetime.combine(flt.end + dt.timedelta(days=1), dt.time.min)
            )
        if flt.entity_id == 0:
            query = query.where(Intervention.entity.is_null())
        elif flt.entity_id:
            query = query.where(Intervention.entity == flt.entity_id)
        if flt.space_id:
            query = query.where(Intervention.space == flt.space_id)
        if flt.gestor_id:
            query = query.where(Intervention.gestor == flt.gestor_id)
        if flt.status:
            query = query.where(Intervention.status == flt.status)
        return matching(self._rows(list(query)), flt.text)

    def get(self, intervention_id: int) -> InterventionRow:
        self.session.require("interventions.view")
        record = Intervention.get_or_none(Intervention.id == intervention_id)
        if record is None:
            raise NotFound(_("La intervención ya no existe."))
        return self._rows([record])[0]

    def find_id(self, key: int | str) -> int | None:
        """The id of the intervention whose id (a number) or uuid (text) is ``key``, or None."""
        self.session.require("interventions.view")
        match = Intervention.uuid == key if isinstance(key, str) else Intervention.id == key
        found = Intervention.select(Intervention.id).where(match).first()
        return found.id if found else None

    def responsibles(self) -> builtins.list[tuple[int, str]]:
        """Active accounts that can be in charge of an intervention, by name."""
        self.session.require("interventions.view")
        query = User.select(User.id, User.full_name).where(User.active == True).order_by(User.full_name)  # noqa: E712
        return [(u.id, u.full_name) for u in query]

    def history(self, intervention_id: int) -> builtins.list[HistoryRow]:
        self.session.require("interventions.view")
        query = InterventionEvent.select().where(InterventionEvent.intervention == intervention_id)
        return [
            HistoryRow(
                local_time(e.at),
                e.created_by,
                e.action,
                e.from_status,
                e.to_status,
                e.old_starts_at,
                e.new_starts_at,
                e.reason,
            )
            for e in query.order_by(InterventionEvent.at, InterventionEvent.id)
        ]

    def results(self, uuids: builtins.list[str]) -> dict[str, tuple[int, int]]:
        """``{uuid: (atenciones, usuarios)}`` recorded during the interventions (voided ones left out)."""
        self.session.require("interventions.view")
        out: dict[str, tuple[int, int]] = {}
        for start in range(0, len(uuids), 500):
            chunk = uuids[start : start + 500]
            query = (
                Attention.select(
                    Attention.intervention_uuid,
                    pw.fn.COUNT(Attention.id).alias("n"),
                    pw.fn.COUNT(Attention.person.distinct()).alias("people"),
                )
                .where(Attention.intervention_uuid.in_(chunk) & (Attention.voided == False))  # noqa: E712
                .group_by(Attention.intervention_uuid)
            )
            out.update({uuid: (n, people) for uuid, n, people in tuples(query)})
        return out

    def _rows(self, records: builtins.list[Intervention]) -> builtins.list[InterventionRow]:
        ids = [r.id for r in records]
        services: dict[int, builtins.list[tuple[int, str]]] = {}
        resources: dict[int, builtins.list[tuple[int, str]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for link in (
                OfferedService.select(OfferedService, Service)
                .join(Service)
                .where(OfferedService.intervention.in_(chunk))
            ):
                services.setdefault(link.intervention_id, []).append((link.service_id, _(link.service.name)))
            for held in (
                InterventionResource.select(InterventionResource, Resource)
                .join(Resource)
                .where(InterventionResource.intervention.in_(chunk))
            ):
                resources.setdefault(held.intervention_id, []).append((held.resource_id, held.resource.name))
        entities: dict[int | None, Entity] = {e.id: e for e in Entity.select()}
        spaces: dict[int | None, str] = {s.id: s.name for s in Space.select(Space.id, Space.name)}
        users: dict[int | None, str] = {u.id: u.full_name for u in User.select(User.id, User.full_name)}
        community_ids = {r.community_id for r in records if r.community_id}
        communities: dict[int | None, str] = (
            {
                c.id: c.name
                for c in Community.select(Community.id, Community.name).where(Community.id.in_(list(community_ids)))
            }
            if community_ids
            else {}
        )  # noqa: E501
        rows = []
        for r in records:
            entity = entities.get(r.entity_id)
            svc = services.get(r.id, [])
            res = resources.get(r.id, [])
            rows.append(InterventionRow(
                r.id, r.uuid, r.title, r.entity_id, entity.code if entity else "", _(entity.name) if entity else "",
                r.kind, r.place, r.space_id, spaces.get(r.space_id, ""), r.community_id, communities.get(r.community_id, ""),
                r.travel_minutes, r.starts_at, r.ends_at, r.gestor_id, users.get(r.gestor_id, ""), r.expected_participants,
                r.contact_name, r.contact_phone, r.notes, r.status, r.status_reason, r.series_uuid,
                tuple(i for i, _n in svc), tuple(n for _i, n in svc), tuple(i for i, _n in res), tuple(n for _i, n in res),
                r.version or 1,
            ))  # fmt: skip
        return rows

    # -- clashes --------------------------------------------------------------------------------

    def check(self, booking: Booking) -> builtins.list[Clash]:
        """Every clash of ``booking`` with the interventions already saved."""
        self.session.require("interventions.view")
        margin = dt.timedelta(minutes=rules.MAX_TRAVEL_MINUTES)
        busy_start, busy_end = booking.busy()
        monday = dt.datetime.combine(
            booking.starts_at.date() - dt.timedelta(days=booking.starts_at.weekday()), dt.time.min
        )
        low = min(busy_start - margin, monday)
        high = max(busy_end + margin, monday + dt.timedelta(days=7))
        query = (
            Intervention.select(Intervention, Entity)
            .join(Entity, pw.JOIN.LEFT_OUTER)
            .where(
                (Intervention.starts_at < high) & (Intervention.ends_at > low) & Intervention.status.in_(rules.HOLDING)
            )
        )
        records = list(query)
        links: dict[int, set[int]] = {}
        if records:
            for link in InterventionResource.select().where(
                InterventionResource.intervention.in_([r.id for r in records])
            ):
                links.setdefault(link.intervention_id, set()).add(link.resource_id)
        others = [_booking(r, frozenset(links.get(r.id, ()))) for r in records]
        capacity = None
        if booking.space_id:
            capacity = Space.select(Space.capacity).where(Space.id == booking.space_id).scalar()
        return rules.clashes(booking, others, capacity)

    def _guard(self, bookings: builtins.list[Booking], confirm: bool) -> builtins.list[str]:
        """Raise on hard clashes (also between the bookings themselves); return the warnings.

        Called inside the write transaction, after taking the locks of what the bookings hold."""
        lock_for_booking(
            {(LOCK_SPACE, b.space_id) for b in bookings if b.space_id}
            | {(LOCK_GESTOR, b.gestor_id) for b in bookings if b.gestor_id}
            | {(LOCK_RESOURCE, r) for b in bookings for r in b.resource_ids}
        )
        names: dict[str, dict[int | None, str]] | None = None  # read only when there is a clash to describe
        hard: builtins.list[str] = []
        soft: builtins.list[str] = []
        for index, booking in enumerate(bookings):
            found = self.check(booking) + [c for c in rules.clashes(booking, bookings[:index]) if c.hard]
            prefix = format_date(booking.starts_at.date(), "short") + ": " if len(bookings) > 1 else ""
            for clash in found:
                names = names or _names()
                (hard if clash.hard else soft).append(prefix + describe(clash, names))
        if hard:
            raise ClashError(hard)
        if soft and not confirm:
            raise NeedsConfirmation(soft)
        return soft

    # -- writing --------------------------------------------------------------------------------

    def save(self, form: InterventionForm, intervention_id: int | None = None, confirm: bool = False,
             recurrence: Recurrence | None = None) -> SaveResult:  # fmt: skip
        """Create (with an optional recurring series, all or nothing) or change an intervention."""
        self.session.require("interventions.edit")
        values, resource_ids, service_ids = self._parse(form)
        existing = None
        if intervention_id is not None:
            existing = Intervention.get_or_none(Intervention.id == intervention_id)
            if existing is None:
                raise NotFound(_("La intervención ya no existe."))
            if existing.status in ("executed", "suspended"):
                raise TamboError(_("Una intervención ejecutada o suspendida ya no se modifica."))
            moved = existing.starts_at != values["starts_at"] or existing.ends_at != values["ends_at"]
            if moved and existing.status != "requested":
                raise ValidationError(
                    FieldError(
                        "starts_at",
                        _("Para cambiar la fecha de una intervención programada use «Reprogramar», con el motivo."),
                    )
                )
            values["status"] = existing.status
            recurrence = None
        starts = [values["starts_at"]]
        if recurrence is not None:
            starts = self._series_starts(values["starts_at"], recurrence)
        length = values["ends_at"] - values["starts_at"]
        bookings = [self._booking(values, resource_ids, intervention_id, s, s + length) for s in starts]
        series = str(uuidlib.uuid4()) if len(starts) > 1 else None
        with self.session.write():
            warnings = self._guard(bookings, confirm)  # inside the write: another PC cannot book in between
            ids = []
            for start in starts:
                record = existing or Intervention()
                for key, value in values.items():
                    setattr(record, key, value)
                record.starts_at, record.ends_at = start, start + length
                if existing is None:
                    record.series_uuid = series
                self.session.save(record, summary=record.title, version=form.version, on_top=form.on_top)
                self._links(record, service_ids, resource_ids)
                self._event(record, "created" if existing is None else "edited", "", record.status)
                ids.append(record.id)
        return SaveResult(tuple(ids), tuple(warnings))

    def _series_starts(self, first: dt.datetime, recurrence: Recurrence) -> builtins.list[dt.datetime]:
        if recurrence.until < first.date():
            raise ValidationError(FieldError("until", _("La fecha final de la repetición es anterior a la primera.")))
        dates = rules.occurrence_dates(first.date(), recurrence)
        if len(dates) > rules.MAX_OCCURRENCES:
            raise ValidationError(
                FieldError(
                    "until", _("Una repetición crea como máximo {n} intervenciones.").format(n=rules.MAX_OCCURRENCES)
                )
            )
        return [dt.datetime.combine(d, first.time()) for d in dates]

    def _booking(self, values: dict, resource_ids: builtins.list[int], own_id: int | None, start, end) -> Booking:
        entity = Entity.get_or_none(Entity.id == values["entity"]) if values["entity"] else None
        return Booking(
            own_id, values["title"], entity.code if entity else "", start, end, values["place"], values["space"],
            values["community"], values["travel_minutes"], values["gestor"], frozenset(resource_ids),
            values["expected_participants"], values.get("status", "programmed"),
        )  # fmt: skip

    def _links(self, record: Intervention, service_ids: builtins.list[int], resource_ids: builtins.list[int]) -> None:
        OfferedService.delete().where(OfferedService.intervention == record.id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
        InterventionResource.delete().where(InterventionResource.intervention == record.id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
        for service_id in service_ids:
            OfferedService.create(intervention=record.id, service=service_id)
        for resource_id in resource_ids:
            InterventionResource.create(intervention=record.id, resource=resource_id)

    def _event(self, record: Intervention, action: str, old_status: str, new_status: str, reason: str = "",
               old_start: dt.datetime | None = None, new_start: dt.datetime | None = None) -> None:  # fmt: skip
        event = InterventionEvent(
            intervention=record.id, action=action, from_status=old_status, to_status=new_status,
            old_starts_at=old_start, new_starts_at=new_start, reason=reason,
        )  # fmt: skip
        self.session.stamp(event, True)
        event.save(force_insert=True)

    def _parse(self, form: InterventionForm) -> tuple[dict, builtins.list[int], builtins.list[int]]:
        errors: builtins.list[FieldError] = []
        values: dict = {}
        title = clean(form.title)
        if not title:
            errors.append(FieldError("title", _("Escriba el título de la intervención.")))
        elif len(title) > 150:
            errors.append(FieldError("title", _("El título es demasiado largo (máximo 150 caracteres).")))
        values["title"] = title
        if form.entity_id is not None and not Entity.select().where(Entity.id == form.entity_id).exists():
            errors.append(FieldError("entity", _("La entidad ya no existe.")))
        values["entity"] = form.entity_id
        if form.kind not in INTERVENTION_KINDS:
            errors.append(FieldError("kind", _("Elija el tipo de intervención.")))
        values["kind"] = form.kind
        if form.place not in PLACES:
            errors.append(FieldError("place", _("Elija dónde se realiza: dentro o fuera de la plataforma.")))
        values["place"] = form.place
        values["space"] = values["community"] = None
        travel = 0
        if form.place == "inside":
            if form.space_id is not None:
                space = Space.get_or_none(Space.id == form.space_id)
                if space is None or not space.active:
                    errors.append(FieldError("space", _("El espacio ya no está disponible.")))
                values["space"] = form.space_id
        elif form.place == "outside":
            community = Community.get_or_none(Community.id == form.community_id) if form.community_id else None
            if community is None:
                errors.append(FieldError("community", _("Fuera de la plataforma: elija el centro poblado.")))
            values["community"] = form.community_id
            text = form.travel_minutes.strip()
            if text:
                try:
                    travel = int(text)
                except ValueError:
                    travel = -1
                if not 0 <= travel <= rules.MAX_TRAVEL_MINUTES:
                    errors.append(
                        FieldError(
                            "travel_minutes", _("El viaje es un número entero de minutos, de 0 a 1440 (un día).")
                        )
                    )
                    travel = 0
            elif community is not None:
                travel = min(community.travel_minutes or 0, rules.MAX_TRAVEL_MINUTES)
        values["travel_minutes"] = travel
        start, end = form.starts_at, form.ends_at
        if start is None or end is None:
            errors.append(FieldError("starts_at", _("Escriba la fecha y las horas de inicio y de fin.")))
        elif end <= start:
            errors.append(FieldError("ends_at", _("La hora de fin debe ser posterior a la de inicio.")))
        elif end - start > dt.timedelta(days=7):
            errors.append(FieldError("ends_at", _("Una intervención dura como máximo 7 días.")))
        elif start.year < 2013 or start.year > dates.today().year + 5:
            errors.append(
                FieldError("starts_at", _("La fecha está fuera de lo posible (de 2013 a cinco años adelante)."))
            )
        values["starts_at"] = start.replace(second=0, microsecond=0) if start else None
        values["ends_at"] = end.replace(second=0, microsecond=0) if end else None
        if (
            form.gestor_id is not None
            and not User.select().where((User.id == form.gestor_id) & (User.active == True)).exists()  # noqa: E712
        ):
            errors.append(FieldError("gestor", _("La cuenta del responsable ya no está activa.")))
        values["gestor"] = form.gestor_id
        expected = form.expected_participants.strip()
        values["expected_participants"] = None
        if expected:
            try:
                values["expected_participants"] = int(expected)
            except ValueError:
                values["expected_participants"] = -1
            if not 0 <= values["expected_participants"] <= 5000:
                errors.append(
                    FieldError("expected_participants", _("Los participantes esperados son un número de 0 a 5000."))
                )
        values["contact_name"] = within(clean(form.contact_name), 120, "contact_name")
        phone = re.sub(r"[\s()-]", "", form.contact_phone or "")
        if phone and not PHONE_RE.match(phone):
            errors.append(FieldError("contact_phone", _("El teléfono solo lleva números (de 6 a 15).")))
        values["contact_phone"] = phone
        notes = (form.notes or "").strip()
        if len(notes) > 2000:
            errors.append(FieldError("notes", _("Las notas son demasiado largas (máximo 2000 caracteres).")))
        values["notes"] = notes
        if form.status not in ("requested", "programmed"):
            errors.append(FieldError("status", _("Una intervención nueva está solicitada o programada.")))
        values["status"] = form.status
        service_ids = list(dict.fromkeys(form.service_ids))
        if len(service_ids) != Service.select().where(Service.id.in_(service_ids)).count():
            errors.append(FieldError("services", _("Un servicio elegido ya no existe.")))
        resource_ids = list(dict.fromkeys(form.resource_ids))
        active = Resource.select().where(Resource.id.in_(resource_ids) & (Resource.active == True)).count()  # noqa: E712
        if len(resource_ids) != active:
            errors.append(FieldError("resources", _("Un recurso elegido ya no está disponible.")))
        if errors:
            raise ValidationError(errors)
        return values, resource_ids, service_ids

    # -- status ---------------------------------------------------------------------------------

    def program(self, intervention_id: int) -> None:
        """A requested intervention is accepted into the calendar."""
        self._change(intervention_id, "programmed", "")

    def execute(self, intervention_id: int, now: dt.datetime | None = None) -> None:
        """Mark an intervention as done; only once it has started."""
        now = now or dates.now()
        record = self._record(intervention_id)
        if record.starts_at > now:
            raise TamboError(_("La intervención aún no ha empezado: no puede marcarse como ejecutada."))
        self._change(intervention_id, "executed", "")

    def suspend(self, intervention_id: int, reason: str) -> None:
        self._change(intervention_id, "suspended", reason)

    def reschedule(self, intervention_id: int, starts_at: dt.datetime, ends_at: dt.datetime, reason: str,
                   confirm: bool = False) -> builtins.list[str]:  # fmt: skip
        """Move an intervention to new times, with the reason; the clash rules apply again."""
        self.session.require("interventions.edit")
        record = self._record(intervention_id)
        if "rescheduled" not in TRANSITIONS[record.status]:
            raise TamboError(
                _("Una intervención {status} no se reprograma.").format(
                    status=label(INTERVENTION_STATUSES, record.status).lower()
                )
            )
        if not reason.strip():
            raise ValidationError(FieldError("reason", _("Escriba el motivo de la reprogramación.")))
        if ends_at <= starts_at:
            raise ValidationError(FieldError("ends_at", _("La hora de fin debe ser posterior a la de inicio.")))
        starts_at, ends_at = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
        resources = frozenset(
            link.resource_id
            for link in InterventionResource.select().where(InterventionResource.intervention == record.id)
        )
        moved = _booking(record, resources)
        moved = Booking(**{**moved.__dict__, "starts_at": starts_at, "ends_at": ends_at, "status": "rescheduled"})
        with self.session.write():
            warnings = self._guard([moved], confirm)  # inside the write: another PC cannot book in between
            record = self._record(intervention_id)
            old_status, old_start = record.status, record.starts_at
            record.starts_at, record.ends_at = starts_at, ends_at
            record.status, record.status_reason = "rescheduled", within(reason.strip(), 300, "reason")
            self.session.save(record, summary=record.title)
            self._event(
                record,
                "rescheduled",
                old_status,
                "rescheduled",
                within(reason.strip(), 300, "reason"),
                old_start,
                starts_at,
            )
        return warnings

    def _record(self, intervention_id: int) -> Intervention:
        record = Intervention.get_or_none(Intervention.id == intervention_id)
        if record is None:
            raise NotFound(_("La intervención ya no existe."))
        return record

    def _change(self, intervention_id: int, status: str, reason: str) -> None:
        self.session.require("interventions.edit")
        if status == "suspended" and not reason.strip():
            raise ValidationError(FieldError("reason", _("Escriba el motivo de la suspensión.")))
        with self.session.write():
            record = self._record(intervention_id)
            if status not in TRANSITIONS[record.status]:
                raise TamboError(
                    _("No se puede pasar de «{old}» a «{new}».").format(
                        old=label(INTERVENTION_STATUSES, record.status), new=label(INTERVENTION_STATUSES, status)
                    )
                )
            old = record.status
            record.status = status
            record.status_reason = within(reason.strip(), 300, "reason")
            self.session.save(record, summary=record.title)
            self._event(record, status, old, status, within(reason.strip(), 300, "reason"))


def running_intervention(at: dt.datetime, service: Service, place: str, community_id: int | None) -> str | None:
    """The uuid of the intervention an atención at ``at`` belongs to: one that is going on (or
    ended less than an hour ago), at the same place, by the service's entity or offering it."""
    offering = OfferedService.select(OfferedService.intervention).where(OfferedService.service == service.id)
    query = Intervention.select(Intervention.uuid).where(
        (Intervention.starts_at <= at)
        & (Intervention.ends_at >= at - LINK_GRACE)
        & Intervention.status.in_(("programmed", "rescheduled", "executed"))
        & (Intervention.place == place)
        & ((Intervention.entity == service.entity_id) | Intervention.id.in_(offering))
    )
    if place == "outside":
        query = query.where(Intervention.community == community_id)
    record = query.order_by(Intervention.starts_at.desc()).first()
    return record.uuid if record else None
