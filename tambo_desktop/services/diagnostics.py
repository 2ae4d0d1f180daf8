"""Needs diagnostics of the communities, the services that answer their needs (a rule table kept
as data, edited by administrators), proposals of interventions in one step, and a community's
history (diagnostics, trips, interventions, atenciones) over time."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass, field

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import (
    Attention,
    Community,
    Diagnostic,
    Entity,
    Intervention,
    NeedRule,
    Service,
    Trip,
    TripStop,
)
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _, format_date
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import ECONOMIC_ACTIVITIES, NEEDS


@dataclass
class DiagnosticForm:
    community_id: int | None = None
    made_on: dt.date | None = None
    activities: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    potentials: str = ""
    priorities: str = ""


@dataclass(frozen=True)
class DiagnosticRow:
    id: int
    community_id: int
    community: str
    made_on: dt.date
    activities: tuple[str, ...]
    needs: tuple[str, ...]
    potentials: str
    priorities: str
    author: str


@dataclass(frozen=True)
class Suggestion:
    """A service that answers a need of the diagnostic."""

    service_id: int
    service: str  # translated
    entity_id: int
    entity_code: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class RuleRow:
    id: int
    need: str
    activity: str
    service_id: int
    service: str
    entity_code: str


@dataclass(frozen=True)
class TimelineRow:
    month: str  # YYYY-MM
    diagnostics: int
    trips: int
    interventions: int
    attentions: int
    users: int


@dataclass(frozen=True)
class StaleRow:
    community_id: int
    community: str
    last_visit: dt.date | None
    days: int | None  # None: never visited


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split(";") if c)


class DiagnosticService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, community_id: int | None = None) -> builtins.list[DiagnosticRow]:
        self.session.require("trips.view")
        query = (
            Diagnostic.select(Diagnostic, Community)
            .join(Community)
            .order_by(Diagnostic.made_on.desc(), Diagnostic.id.desc())
        )
        if community_id is not None:
            query = query.where(Diagnostic.community == community_id)
        return [DiagnosticRow(d.id, d.community_id, d.community.name, d.made_on, _codes(d.activities), _codes(d.needs),
                              d.potentials, d.priorities, d.created_by) for d in query]  # fmt: skip

    def save(self, form: DiagnosticForm, diagnostic_id: int | None = None) -> int:
        self.session.require("diagnostics.edit")
        errors = []
        if form.community_id is None or not Community.select().where(Community.id == form.community_id).exists():
            errors.append(FieldError("community", _("Elija el centro poblado.")))
        if form.made_on is None or form.made_on > dates.today() or form.made_on.year < 2013:
            errors.append(FieldError("made_on", _("La fecha del diagnóstico no puede ser futura ni anterior a 2013.")))
        unknown = [c for c in form.activities if c not in ECONOMIC_ACTIVITIES] + [
            c for c in form.needs if c not in NEEDS
        ]
        if unknown:
            errors.append(FieldError("needs", _("Valor desconocido: «{value}».").format(value=", ".join(unknown))))
        if not form.needs:
            errors.append(FieldError("needs", _("Marque al menos una necesidad encontrada.")))
        for name in ("potentials", "priorities"):
            if len(getattr(form, name)) > 4000:
                errors.append(FieldError(name, _("El texto es demasiado largo (máximo 4000 caracteres).")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            record = Diagnostic() if diagnostic_id is None else Diagnostic.get_or_none(Diagnostic.id == diagnostic_id)
            if record is None:
                raise NotFound(_("El diagnóstico ya no existe."))
            assert form.community_id is not None and form.made_on is not None  # checked above
            record.community_id, record.made_on = form.community_id, form.made_on
            record.activities = ";".join(dict.fromkeys(form.activities))
            record.needs = ";".join(dict.fromkeys(form.needs))
            record.potentials, record.priorities = form.potentials.strip(), form.priorities.strip()
            self.session.save(record, summary=Community.get_by_id(form.community_id).name)
            return record.id

    # -- suggestions ----------------------------------------------------------------------------

    def suggestions(self, diagnostic_id: int) -> builtins.list[Suggestion]:
        """The services that answer the diagnostic's needs (rules for its activities first)."""
        self.session.require("trips.view")
        record = Diagnostic.get_or_none(Diagnostic.id == diagnostic_id)
        if record is None:
            raise NotFound(_("El diagnóstico ya no existe."))
        needs, activities = _codes(record.needs), _codes(record.activities)
        query = (NeedRule.select(NeedRule, Service, Entity).join(Service).join(Entity)
                 .where(NeedRule.need.in_(needs) & ((NeedRule.activity == "") | NeedRule.activity.in_(activities))
                        & (Service.active == True)))  # noqa: E712  # fmt: skip
        found: dict[int, tuple[int, Suggestion]] = {}
        for rule in query:
            s = rule.service
            rank = 0 if rule.activity else 1
            old = found.get(s.id)
            merged = tuple(dict.fromkeys((old[1].needs if old else ()) + (rule.need,)))
            found[s.id] = (
                min(rank, old[0]) if old else rank,
                Suggestion(s.id, _(s.name), s.entity_id, s.entity.code, merged),
            )
        return [s for _rank, s in sorted(found.values(), key=lambda x: (x[0], x[1].entity_code, x[1].service))]

    def propose(
        self, diagnostic_id: int, service_ids: builtins.list[int], starts_at: dt.datetime, hours: int = 4
    ) -> builtins.list[int]:
        """One requested intervention per entity of the chosen services, in the diagnosed community,
        all or nothing; the entity confirms it later (it is then programmed)."""
        self.session.require("interventions.edit")
        record = Diagnostic.get_or_none(Diagnostic.id == diagnostic_id)
        if record is None:
            raise NotFound(_("El diagnóstico ya no existe."))
        if not service_ids:
            raise ValidationError(FieldError("services", _("Elija al menos un servicio.")))
        services = list(Service.select(Service, Entity).join(Entity).where(Service.id.in_(service_ids)))
        by_entity: dict[int, builtins.list[Service]] = {}
        for s in services:
            by_entity.setdefault(s.entity_id, []).append(s)
        community = Community.get_by_id(record.community_id)
        interventions = InterventionService(self.session)
        with self.session.write():
            ids: list[int] = []
            for entity_id, offered in sorted(by_entity.items(), key=lambda x: x[1][0].entity.code):
                names = ", ".join(_(s.name) for s in offered)
                form = InterventionForm(
                    title=_("{service} en {community}").format(service=names, community=community.name)[:150],
                    entity_id=entity_id, kind="support", service_ids=[s.id for s in offered], place="outside",
                    community_id=community.id, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours),
                    notes=_("Propuesta desde el diagnóstico del {date}.").format(date=format_date(record.made_on, "short")),
                    status="requested",
                )  # fmt: skip
                ids += interventions.save(form, confirm=True).ids
            return ids

    # -- rules ----------------------------------------------------------------------------------

    def rules(self) -> builtins.list[RuleRow]:
        self.session.require("trips.view")
        query = (
            NeedRule.select(NeedRule, Service, Entity)
            .join(Service)
            .join(Entity)
            .order_by(NeedRule.need, NeedRule.activity)
        )
        return [
            RuleRow(r.id, r.need, r.activity, r.service_id, _(r.service.name), r.service.entity.code) for r in query
        ]

    def add_rule(self, need: str, activity: str, service_id: int) -> int:
        self.session.require("rules.edit")
        if need not in NEEDS or (activity and activity not in ECONOMIC_ACTIVITIES):
            raise ValidationError(
                FieldError("need", _("Elija la necesidad (y la actividad, si la regla es solo para ella)."))
            )
        if not Service.select().where(Service.id == service_id).exists():
            raise ValidationError(FieldError("service", _("Un servicio elegido ya no existe.")))
        with self.session.write():
            if (
                NeedRule.select()
                .where((NeedRule.need == need) & (NeedRule.activity == activity) & (NeedRule.service == service_id))
                .exists()
            ):
                raise TamboError(_("Esa regla ya existe."))
            rule = NeedRule.create(need=need, activity=activity, service=service_id)
            self.session.audit(
                "create", "need_rule", summary=f"{need}/{activity or '*'} → {Service.get_by_id(service_id).code}"
            )
            return rule.id

    def remove_rule(self, rule_id: int) -> None:
        self.session.require("rules.edit")
        with self.session.write():
            rule = NeedRule.get_or_none(NeedRule.id == rule_id)
            if rule is None:
                raise NotFound(_("La regla ya no existe."))
            self.session.audit(
                "delete", "need_rule", summary=f"{rule.need}/{rule.activity or '*'} → {rule.service.code}"
            )
            rule.delete_instance()

    # -- a community over time ------------------------------------------------------------------

    def timeline(self, community_id: int, months: int = 12, today: dt.date | None = None) -> builtins.list[TimelineRow]:
        """Per month, newest first: diagnostics, trips, interventions and atenciones of the community."""
        self.session.require("trips.view")
        today = today or dates.today()
        first = dt.date(today.year, today.month, 1)
        for _i in range(months - 1):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        start = dt.datetime.combine(first, dt.time.min)

        def per_month(query) -> dict[str, int]:
            out: dict[str, int] = {}
            for (value,) in query.tuples():
                key = str(value)[:7]
                out[key] = out.get(key, 0) + 1
            return out

        diagnostics = per_month(Diagnostic.select(Diagnostic.made_on).where(
            (Diagnostic.community == community_id) & (Diagnostic.made_on >= first)))  # fmt: skip
        trips = per_month(Trip.select(Trip.departs_at).join(TripStop).where(
            (TripStop.community == community_id) & (Trip.departs_at >= start)).distinct())  # fmt: skip
        interventions = per_month(Intervention.select(Intervention.starts_at).where(
            (Intervention.community == community_id) & (Intervention.starts_at >= start)
            & (Intervention.status != "suspended")))  # fmt: skip
        attention: dict[str, tuple[int, int]] = {}
        cursor = dt.date(today.year, today.month, 1)
        for _i in range(months):  # one indexed count per month (the same SQL on SQLite and PostgreSQL)
            following = (cursor + dt.timedelta(days=32)).replace(day=1)
            n, people = (Attention.select(pw.fn.COUNT(Attention.id), pw.fn.COUNT(Attention.person.distinct()))
                         .where((Attention.community == community_id) & (Attention.voided == False)  # noqa: E712
                                & (Attention.attended_at >= dt.datetime.combine(cursor, dt.time.min))
                                & (Attention.attended_at < dt.datetime.combine(following, dt.time.min)))
                         .tuples().first())  # fmt: skip
            attention[f"{cursor:%Y-%m}"] = (n, people)
            cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
        rows = []
        cursor = dt.date(today.year, today.month, 1)
        for _i in range(months):
            key = f"{cursor:%Y-%m}"
            n, people = attention.get(key, (0, 0))
            rows.append(
                TimelineRow(key, diagnostics.get(key, 0), trips.get(key, 0), interventions.get(key, 0), n, people)
            )
            cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
        return rows

    def stale(self, today: dt.date | None = None, days: int | None = None) -> builtins.list[StaleRow]:
        """Communities whose last trip is older than ``days`` (the administrator's setting), or never."""
        self.session.require("trips.view")
        from tambo_desktop.services import settings

        today = today or dates.today()
        days = days if days is not None else settings.stale_days()
        last: dict[int, dt.datetime] = dict(
            tuples(
                TripStop.select(TripStop.community, pw.fn.MAX(Trip.departs_at)).join(Trip).group_by(TripStop.community)
            )
        )
        rows = []
        for community in Community.select(Community.id, Community.name).order_by(Community.name_key):
            departed = last.get(community.id)
            when = dt.datetime.fromisoformat(str(departed)).date() if departed else None
            age = (today - when).days if when else None
            if age is None or age > days:
                rows.append(StaleRow(community.id, community.name, when, age))
        return sorted(rows, key=lambda r: -(r.days if r.days is not None else 10**6))
