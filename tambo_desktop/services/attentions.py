"""Atenciones: record the services a person received, void a mistaken one, list them fast.

An atención is never deleted: a mistake is voided with a reason and stops counting
(see ``services/indicators.py`` for the rule).
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import operator
from dataclasses import dataclass

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.changes import last_audit_line
from tambo_desktop.db.models import Attention, Community, Entity, Person, Service
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.indicators import age_at, age_group_sql
from tambo_desktop.services.persons import matching
from tambo_desktop.services.session import Session
from tambo_desktop.text import clean
from tambo_desktop.vocabulary import PIAS_PLACES, PLACES, parse

EARLIEST = dt.datetime(2013, 1, 1)  # the programme's first tambos
CLOCK_SKEW = dt.timedelta(minutes=10)
REASON_MAX = 300


@dataclass(frozen=True)
class AttentionRow:
    id: int
    uuid: str
    attended_at: dt.datetime
    place: str
    place_community: str  # where, when outside the platform
    entity_code: str
    service_id: int
    service_name: str
    person_id: int
    person_name: str
    document_type: str
    document_number: str | None
    sex: str
    age: int | None  # at the date of the atención
    voided: bool
    void_reason: str
    intervention_uuid: str | None


@dataclass
class AttentionFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    person_id: int | None = None
    entity_id: int | None = None
    service_id: int | None = None
    community_id: int | None = None  # the person's centro poblado of residence
    place_community_id: int | None = None  # where it was delivered
    sex: str = ""
    age_group: str = ""  # vocabulary.AGE_GROUPS
    text: str = ""  # words of the person's name, or the start of a document number
    include_voided: bool = True


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the next page starts after this atención (newest first)."""

    attended_at: dt.datetime
    id: int


@dataclass(frozen=True)
class AttentionPage:
    rows: list[AttentionRow]
    next: Cursor | int | None  # where the next page starts; None on the last page


PlaceCommunity = Community.alias("place_community")


#: The list's orders besides date: the columns they sort by (then by date and id).
SORTS: dict[str, tuple[pw.ColumnBase, ...]] = {
    "date": (),
    "person": (Person.name_key,),
    "document": (Person.document_number,),
    "sex": (Person.sex,),
    "age": (Person.birth_date,),
    "entity": (Entity.code,),
    "service": (Service.name,),
    "place": (Attention.place,),
    "voided": (Attention.voided,),
}


#: A filter on the person (name or document, centro poblado of residence, sex) that more than this
#: share of the people pass is checked while walking the (date, id) index newest first: the page fills
#: after a few hundred atenciones. A narrower one fetches the matching people's atenciones by the
#: person index and sorts them. (Either way round, the wrong choice took 0.2 to 0.8 s on 500,000.)
WALK_SHARE = 0.02


def _person_condition(flt: AttentionFilter) -> pw.Expression | None:
    """The filter's conditions on the person (``Person`` columns only), or None."""
    conditions = [c for c in (matching(flt.text),) if c is not None]
    if flt.community_id is not None:
        conditions.append(Person.community == flt.community_id)
    if flt.sex:
        conditions.append(Person.sex == flt.sex)
    return functools.reduce(operator.and_, conditions) if conditions else None


def _walks_the_date_index(flt: AttentionFilter) -> bool:
    """Whether the person filter is broad enough to be checked row by row along the date index."""
    condition = _person_condition(flt)
    if condition is None:
        return False
    threshold = int(WALK_SHARE * Person.select().count())
    return Person.select(Person.id).where(condition).limit(threshold + 1).count() > threshold  # stops at the threshold


def _query(flt: AttentionFilter, walk: bool = False) -> pw.ModelSelect[Attention]:
    """The filtered atenciones (joined to Person). ``walk``: the person filter must not use the person
    index (``+person_id``, SQLite's and PostgreSQL's way to say so), so the date index drives the query."""
    query = Attention.select().join(Person, on=Attention.person == Person.id)
    if flt.date_from:
        query = query.where(Attention.attended_at >= dt.datetime.combine(flt.date_from, dt.time.min))
    if flt.date_to:
        query = query.where(
            Attention.attended_at < dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min)
        )
    columns = {
        "person_id": Attention.person,
        "entity_id": Attention.entity,
        "service_id": Attention.service,
        "place_community_id": Attention.community,
    }
    for name, column in columns.items():
        if getattr(flt, name) is not None:
            query = query.where(column == getattr(flt, name))
    if flt.age_group:
        query = query.where(age_group_sql() == flt.age_group)
    condition = _person_condition(flt)
    if condition is not None:  # the matching persons as a set, then their atenciones
        person = pw.NodeList((pw.SQL("+"), Attention.person), glue="") if walk else Attention.person
        query = query.where(person.in_(Person.select(Person.id).where(condition)))
    if not flt.include_voided:
        query = query.where(Attention.voided == False)  # noqa: E712
    return query


def _row(a: Attention) -> AttentionRow:
    person = a.person
    place = a.community.name if a.community_id and a.community else ""
    name = (
        _("Persona anonimizada")
        if person.anonymized
        else " ".join(x for x in (person.first_names, person.last_name_1, person.last_name_2) if x)
    )
    age = age_at(person.birth_date, a.attended_at.date()) if person.birth_date else None
    return AttentionRow(
        a.id, a.uuid, a.attended_at, a.place, place, a.entity.code, a.service_id, _(a.service.name),
        a.person_id, name, person.document_type, person.document_number, person.sex, age, a.voided, a.void_reason,
        a.intervention_uuid,
    )  # fmt: skip


class AttentionService:
    """Record, void and list atenciones (``attentions.record`` / ``.void`` / ``.view``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        person_id: int,
        service_ids: builtins.list[int],
        place: str,
        community_id: int | None = None,
        attended_at: dt.datetime | None = None,
        intervention_uuid: str | None = None,
        voyage_stop_id: int | None = None,
    ) -> builtins.list[int]:
        """One atención per service for the person, all in one transaction (or none). Each is linked
        to the intervention going on at that time and place that delivers its service, if any, and
        in a PIAS to the voyage's stop (which is then marked reached)."""
        from tambo_desktop.services.interventions import running_intervention
        from tambo_desktop.services.voyages import VoyageService

        self.session.require("attentions.record")
        now = dates.now().replace(microsecond=0)
        attended_at = (attended_at or now).replace(microsecond=0, tzinfo=None)
        place_code = self._check(service_ids, place, community_id, attended_at, now)
        with self.session.write():
            person = Person.get_or_none(Person.id == person_id)
            if person is None:
                raise NotFound(_("La persona ya no está registrada."))
            if person.anonymized:
                raise TamboError(_("Esta persona fue anonimizada: no se le registran atenciones."))
            services = {s.id: s for s in Service.select().where(Service.id.in_(service_ids))}
            self._check_services(service_ids, services)
            if community_id is not None and not Community.select().where(Community.id == community_id).exists():
                raise ValidationError(FieldError("community", _("El centro poblado ya no existe.")))
            if voyage_stop_id is not None:
                VoyageService(self.session).mark_reached(voyage_stop_id)
            ids = []
            for service_id in service_ids:
                service = services[service_id]
                link = intervention_uuid or running_intervention(attended_at, service, place_code, community_id)
                attention = Attention(
                    attended_at=attended_at, place=place_code, community=community_id, entity=service.entity_id,
                    service=service.id, person=person.id, intervention_uuid=link, voyage_stop=voyage_stop_id,
                )  # fmt: skip
                self.session.save(attention, summary=service.name)
                ids.append(attention.id)
            return ids

    @staticmethod
    def _check(
        service_ids: builtins.list[int], place: str, community_id: int | None, at: dt.datetime, now: dt.datetime
    ) -> str:
        errors = []
        if not service_ids:
            errors.append(FieldError("services", _("Elija al menos un servicio.")))
        elif len(set(service_ids)) != len(service_ids):
            errors.append(FieldError("services", _("Un servicio está elegido dos veces.")))
        code = (parse(PLACES, place) or parse(PIAS_PLACES, place)) if place.strip() else None
        if code is None:
            errors.append(FieldError("place", _("Elija dónde se atendió: dentro o fuera de la plataforma.")))
        elif code == "outside" and community_id is None:
            errors.append(
                FieldError("community", _("Fuera de la plataforma: elija el centro poblado donde se atendió."))
            )
        elif code == "inside" and community_id is not None:
            errors.append(FieldError("community", _("Dentro de la plataforma no se elige centro poblado.")))
        if at > now + CLOCK_SKEW:
            errors.append(FieldError("attended_at", _("La fecha de la atención no puede ser posterior a ahora.")))
        elif at < EARLIEST:
            errors.append(FieldError("attended_at", _("La fecha de la atención no puede ser anterior a 2013.")))
        if errors:
            raise ValidationError(errors)
        assert code is not None  # else an error was raised
        return code

    @staticmethod
    def _check_services(service_ids: builtins.list[int], services: dict[int, Service]) -> None:
        missing = [str(i) for i in service_ids if i not in services]
        if missing:
            raise ValidationError(
                FieldError("services", _("Servicio desconocido: {ids}.").format(ids=", ".join(missing)))
            )
        inactive = [_(s.name) for s in services.values() if not s.active]
        if inactive:
            raise ValidationError(
                FieldError("services", _("Ya no se ofrece: {names}.").format(names=", ".join(inactive)))
            )

    def void(self, attention_id: int, reason: str) -> None:
        """Void a mistaken atención (it stays, marked, and stops counting); the reason is required."""
        self.session.require("attentions.void")
        reason = clean(reason)
        if not reason:
            raise ValidationError(FieldError("reason", _("Escriba el motivo de la anulación.")))
        if len(reason) > REASON_MAX:
            raise ValidationError(
                FieldError("reason", _("El motivo es demasiado largo (máximo {n} caracteres).").format(n=REASON_MAX))
            )
        with self.session.write():
            attention = Attention.get_or_none(Attention.id == attention_id)
            if attention is None:
                raise NotFound(_("La atención ya no existe."))
            if attention.voided:
                raise TamboError(_("Esta atención ya estaba anulada."))
            attention.voided, attention.void_reason = True, reason
            self.session.save(attention, summary=_("anulada: {reason}").format(reason=reason))

    def data_version(self) -> tuple[int, str]:
        """What changes with every change saved, here or on another PC: the audit trail's last
        line (every save, correction, void and import is audited; its hash tells two databases
        apart). A page shown again keeps its rows while this stays the same (one indexed read)."""
        self.session.require("attentions.view")
        return last_audit_line()

    def list(
        self,
        flt: AttentionFilter | None = None,
        limit: int = 100,
        after: Cursor | int | None = None,
        sort: str = "date",
        descending: bool = True,
    ) -> AttentionPage:
        """A page of atenciones (newest first by default); pass the page's ``next`` as ``after``.

        By date, pages follow the (date, id) index from where the last one ended, so the
        thousandth page is as fast as the first; other orders (``SORTS``) page by offset.
        """
        self.session.require("attentions.view")
        if sort not in SORTS:
            raise ValueError(sort)
        flt = flt or AttentionFilter()
        by_date = sort == "date"
        query = _query(flt, walk=by_date and _walks_the_date_index(flt))
        if by_date and isinstance(after, Cursor):
            key, last = pw.Tuple(Attention.attended_at, Attention.id), pw.Tuple(after.attended_at, after.id)
            query = query.where(key < last if descending else key > last)
        offset = after if isinstance(after, int) and not by_date else 0
        order = [c.desc() if descending else c.asc() for c in (*SORTS[sort], Attention.attended_at, Attention.id)]
        query = (
            query.select(Attention, Person, Service, Entity, PlaceCommunity)
            .join_from(Attention, Service, on=Attention.service == Service.id)
            .join_from(Attention, Entity, on=Attention.entity == Entity.id)
            .join_from(Attention, PlaceCommunity, pw.JOIN.LEFT_OUTER, on=Attention.community == PlaceCommunity.id)
            .order_by(*order)
            .limit(limit + 1)
            .offset(offset)
        )
        rows = list(query)
        more = len(rows) > limit
        rows = rows[:limit]
        following: Cursor | int | None = None
        if more:
            following = Cursor(rows[-1].attended_at, rows[-1].id) if by_date else offset + limit
        return AttentionPage([_row(a) for a in rows], following)

    def count(self, flt: AttentionFilter | None = None) -> int:
        self.session.require("attentions.view")
        return _query(flt or AttentionFilter()).count()

    def count_in_worker(self, flt: AttentionFilter | None = None) -> int:
        """:meth:`count` for a worker thread: it opens that thread's own connection and closes it
        after (never call it from the thread that does the writes)."""
        from tambo_desktop.db.connection import current_database

        try:
            return self.count(flt)
        finally:
            current_database().close()
