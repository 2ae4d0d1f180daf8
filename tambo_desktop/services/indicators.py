"""Indicators of the attention desk: atenciones and usuarios, the one place of the rule.

THE RULE (PAIS reports both figures, separately):

* An **atención** is one service delivered to one person: one ``Attention`` row that is not
  voided. A person who receives three services counts three atenciones.
* A **usuario** is a distinct person with at least one non-voided atención in the period:
  ``COUNT(DISTINCT person)``. One person served twice in a month is one usuario and two
  atenciones; in a breakdown, a usuario counts once in every group where they were served
  (so the groups' usuarios may add up to more than the total).
* The period is by the local date and time of the atención (``attended_at``, naive).
* **Age group** (curso de vida) is the age in whole years *at the date of the atención*:
  0–11, 12–17, 18–29, 30–59, 60 and more; no birth date → "sin dato".
* **Community** is the person's centro poblado of residence (as recorded now; "sin dato" when
  unknown); **place community** is where the service was delivered (the tambo itself when
  inside the platform).
* A person anonymised later still counts: anonymisation removes the name, document and phone,
  never the atenciones, sex, birth date or community.
* Goals (metas) come from ``MonthlyGoal``: the row without entity is the tambo's goal, rows
  with an entity are that entity's goal; a year's goal is the sum of its months' goals.

Everything is computed with SQL aggregates (``GROUP BY``, ``COUNT(DISTINCT ...)``) that read
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import peewee as pw

from tambo_desktop.db.changes import last_audit_line
from tambo_desktop.db.models import Attention, AuditEntry, Community, Entity, MonthlyGoal, Person, Service
from tambo_desktop.db.sql import day_number, month_key, tuples
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import AGE_GROUPS, GOVERNMENT_LEVELS, PLACES, SECTORS, SEXES, label

#: First age (in whole years) of each age group, in order; the last group has no upper bound.
AGE_GROUP_STARTS: tuple[tuple[str, int], ...] = (
    ("0_11", 0),
    ("12_17", 12),
    ("18_29", 18),
    ("30_59", 30),
    ("60_plus", 60),
)
UNKNOWN = "unknown"
PLATFORM = "platform"
PLATFORM_LABEL = N_("En la plataforma (tambo)")
UNKNOWN_LABEL = AGE_GROUPS[UNKNOWN]  # "Sin dato"
DIMENSIONS = ("entity", "sector", "level", "service", "community", "place_community", "sex", "age_group", "place")
BREAKDOWN_TITLES = {
    "month": N_("Por mes"),
    "entity": N_("Por entidad"),
    "sector": N_("Por sector"),
    "level": N_("Por nivel de gobierno"),
    "service": N_("Por servicio"),
    "community": N_("Por centro poblado de residencia"),
    "place_community": N_("Por lugar de atención"),
    "sex": N_("Por sexo"),
    "age_group": N_("Por curso de vida (edad a la fecha de la atención)"),
    "place": N_("Dentro o fuera de la plataforma"),
    "tambo": N_("Por tambo"),  # the central database's breakdowns (tambo_desktop.central)
    "department": N_("Por departamento"),
    "unit": N_("Por Unidad Territorial"),
}


def age_at(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (the same arithmetic as :func:`age_sql`)."""
    return (_ymd(day) - _ymd(birth)) // 10000


def _ymd(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def age_group(birth: dt.date | None, day: dt.date) -> str:
    """The age group code of a person born on ``birth`` at the date ``day``."""
    if birth is None:
        return UNKNOWN
    age = age_at(birth, day)
    code = AGE_GROUP_STARTS[0][0]
    for group, start in AGE_GROUP_STARTS:
        if age >= start:
            code = group
    return code


@dataclass(frozen=True)
class Tables:
    """The tables the rule counts: a tambo's own (``TAMBO``) or the central database's, whose
    tables have the same columns (``tambo_desktop.central.models``). The rule below is written once
    against these; ``extra`` adds breakdowns only a source has (the centre's tambo and department:
    ``{name: (column of the atención, labels of its keys)}``)."""

    attention: Any
    person: Any
    entity: Any
    service: Any
    community: Any
    goal: Any
    extra: dict[str, tuple[Any, Callable[[list], dict[object, tuple[str, str]]]]] = field(default_factory=dict)
    scope: Any = None  # an extra condition on the atenciones (the centre's rollups: one tambo's)


TAMBO = Tables(Attention, Person, Entity, Service, Community, MonthlyGoal)


def age_sql(t: Tables = TAMBO) -> pw.ColumnBase:
    """Age in whole years of the attention's person at the attention's date (SQL)."""
    return (day_number(t.attention.attended_at) - day_number(t.person.birth_date)) / 10000


def age_group_sql(t: Tables = TAMBO) -> pw.ColumnBase:
    """The age group code as a SQL CASE (needs ``Person`` joined to ``Attention``)."""
    age = age_sql(t)
    cases: list[tuple[object, str]] = [(t.person.birth_date.is_null(), UNKNOWN)]
    bounds = AGE_GROUP_STARTS[1:]
    for (group, _start), (_next, upper) in zip(AGE_GROUP_STARTS, bounds, strict=False):
        cases.append((age < upper, group))
    return pw.Case(None, cases, AGE_GROUP_STARTS[-1][0])


def counted(
    start: dt.datetime,
    end: dt.datetime,
    joins: tuple[str, ...] = ("person", "entity"),
    t: Tables = TAMBO,
    stops: tuple[int, ...] | None = None,
) -> pw.ModelSelect:
    """The atenciones that count in ``[start, end)``: not voided. Joined to Person and Entity
    (``joins``: only those a query needs; every atención has both, so the counts are the same).
    ``stops``: only those delivered at these stops of a PIAS's voyages (the same rule, a filter)."""
    a = t.attention
    query = a.select()
    if stops is not None:
        query = query.where(a.voyage_stop.in_(stops))
    if "person" in joins:
        query = query.join_from(a, t.person, on=a.person == t.person.id)
    if "entity" in joins:
        query = query.join_from(a, t.entity, on=a.entity == t.entity.id)
    query = query.where((a.voided == False) & (a.attended_at >= start) & (a.attended_at < end))  # noqa: E712
    return query if t.scope is None else query.where(t.scope)


#: The tables a breakdown's key needs besides Attention (joining the others cost 1.7x the time).
_JOINS = {
    "sector": ("entity",),
    "level": ("entity",),
    "community": ("person",),
    "sex": ("person",),
    "age_group": ("person",),
}


def _dimension(name: str, t: Tables = TAMBO) -> pw.ColumnBase:
    if name in t.extra:
        return t.extra[name][0]
    a, p = t.attention, t.person
    dimensions: dict[str, pw.ColumnBase] = {
        "entity": a.entity,
        "sector": t.entity.sector,
        "level": t.entity.level,
        "service": a.service,
        "community": p.community,
        "place_community": a.community,
        "sex": p.sex,
        "age_group": age_group_sql(t),
        "place": a.place,
        "month": month_key(a.attended_at),
    }
    return dimensions[name]


def _grouped(start: dt.datetime, end: dt.datetime, name: str, t: Tables = TAMBO, by: Any = None,
             stops: tuple[int, ...] | None = None) -> dict[Any, tuple[int, int]]:  # fmt: skip
    """``{key: (atenciones, usuarios)}`` of a breakdown; with ``by`` (a column), ``{(by, key): …}``."""
    a = t.attention
    keys = [_dimension(name, t).alias("k")] if by is None else [by.alias("b"), _dimension(name, t).alias("k")]
    query = counted(start, end, _JOINS.get(name, ()), t, stops).select(
        *keys,
        pw.fn.COUNT(a.id).alias("a"),
        pw.fn.COUNT(a.person.distinct()).alias("u"),
    )
    if by is None:
        return {k: (n, u) for k, n, u in tuples(query.group_by(pw.SQL("1")))}
    return {(b, k): (n, u) for b, k, n, u in tuples(query.group_by(pw.SQL("1"), pw.SQL("2")))}


def _totals(
    start: dt.datetime, end: dt.datetime, t: Tables = TAMBO, stops: tuple[int, ...] | None = None
) -> tuple[int, int]:
    a = t.attention
    query = counted(start, end, (), t, stops).select(pw.fn.COUNT(a.id), pw.fn.COUNT(a.person.distinct()))
    attentions, users = next(tuples(query))
    return attentions or 0, users or 0


def totals_by(start: dt.datetime, end: dt.datetime, by: Any, t: Tables = TAMBO) -> dict[Any, tuple[int, int]]:
    """The totals per value of the column ``by`` (the centre's rollups: per tambo)."""
    a = t.attention
    query = counted(start, end, (), t).select(by, pw.fn.COUNT(a.id), pw.fn.COUNT(a.person.distinct())).group_by(by)
    return {b: (n, u) for b, n, u in tuples(query)}


def grouped_by(
    start: dt.datetime, end: dt.datetime, name: str, by: Any, t: Tables = TAMBO
) -> dict[tuple[Any, Any], tuple[int, int]]:
    """A breakdown per value of the column ``by``: ``{(by, key): (atenciones, usuarios)}``."""
    return _grouped(start, end, name, t, by)


@dataclass(frozen=True)
class Count:
    """One group of a breakdown. ``key`` is a stable code; ``label`` is in the user's language."""

    key: str
    label: str
    attentions: int
    users: int
    goal_attentions: int | None = None
    goal_users: int | None = None


@dataclass(frozen=True)
class Indicators:
    period: str  # "2025-03" or "2025"
    date_from: dt.date
    date_to: dt.date  # inclusive
    attentions: int
    users: int
    goal_attentions: int | None
    goal_users: int | None
    breakdowns: dict[str, list[Count]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain values with stable keys (the CLI's JSON)."""
        return {
            "period": self.period,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "attentions": self.attentions,
            "users": self.users,
            "goals": {"attentions": self.goal_attentions, "users": self.goal_users},
            "breakdowns": {name: [asdict(c) for c in rows] for name, rows in self.breakdowns.items()},
        }


Goals = dict[object, tuple[int, int]]  # entity id (None: the tambo) → (attentions, users)


def goals(year: int, month: int | None = None, t: Tables = TAMBO) -> Goals:
    """The goals of a month (or a year: the sum of its months), by entity (None: the tambo's)."""
    g = t.goal
    query = g.select(g.entity, pw.fn.SUM(g.attentions_goal), pw.fn.SUM(g.users_goal)).where(g.year == year)
    if month is not None:
        query = query.where(g.month == month)
    return {e: (int(a), int(u)) for e, a, u in tuples(query.group_by(g.entity))}


_goals = goals


def _labels(name: str, keys: list, t: Tables = TAMBO) -> dict[object, tuple[str, str]]:
    """``{raw key: (stable key, label)}`` for the raw keys of a breakdown."""
    if name in t.extra:
        return t.extra[name][1](keys)
    if name == "entity":
        e = t.entity
        rows = tuples(e.select(e.id, e.code, e.name).where(e.id.in_(keys)))
        return {i: (code, nm) for i, code, nm in rows}
    if name == "service":
        s = t.service
        rows = tuples(s.select(s.id, s.code, s.name).where(s.id.in_(keys)))
        return {i: (code, _(nm)) for i, code, nm in rows}
    if name in ("community", "place_community"):
        c = t.community
        rows = tuples(c.select(c.id, c.uuid, c.name).where(c.id.in_(keys)))
        none = (PLATFORM, _(PLATFORM_LABEL)) if name == "place_community" else (UNKNOWN, _(UNKNOWN_LABEL))
        return {None: none, **{i: (u, nm) for i, u, nm in rows}}
    vocabulary = {"sector": SECTORS, "level": GOVERNMENT_LEVELS}.get(name, {})
    return {k: (k, label(vocabulary, k)) for k in keys}


def _breakdown(name: str, raw: dict, goals: Goals | None = None, t: Tables = TAMBO) -> list[Count]:
    places = PLACES
    if name == "place" and t is TAMBO:  # a PIAS's own counts say aboard / ashore (the centre: the neutral words)
        from tambo_desktop.services.pias import place_names

        places = place_names()
    fixed = {"sex": SEXES, "age_group": AGE_GROUPS, "place": places}.get(name)
    if fixed is not None:  # every group, in the vocabulary's order, zeros included
        keys = list(fixed) + [k for k in raw if k not in fixed]
        return [Count(k, label(fixed, k), *raw.get(k, (0, 0))) for k in keys]
    goals = goals or {}
    keys = list(raw) + [k for k in goals if k is not None and k not in raw]
    names = _labels(name, [k for k in keys if k is not None], t)
    rows = []
    for k in keys:
        key, text = names.get(k, (str(k), str(k)))
        goal = goals.get(k) if k is not None else None
        rows.append(Count(key, text, *raw.get(k, (0, 0)), *(goal or (None, None))))
    return sorted(rows, key=lambda c: (-c.attentions, c.key))


def compute(
    start: dt.date,
    end: dt.date,
    period: str,
    goals: Goals,
    t: Tables = TAMBO,
    dimensions: tuple[str, ...] = DIMENSIONS,
    stops: tuple[int, ...] | None = None,
) -> Indicators:
    """Indicators of the atenciones from ``start`` to ``end`` (both inclusive), counted in ``t``;
    ``stops``: only those delivered at these stops of a PIAS's voyages."""
    lo = dt.datetime.combine(start, dt.time.min)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    raw = {name: _grouped(lo, hi, name, t, stops=stops) for name in dimensions}
    return from_counts(start, end, period, goals, _totals(lo, hi, t, stops), raw, t)


def from_counts(
    start: dt.date,
    end: dt.date,
    period: str,
    goals: Goals,
    totals: tuple[int, int],
    raw: dict[str, dict],
    t: Tables = TAMBO,
) -> Indicators:
    """The indicators from the rule's counts (``totals`` and ``{breakdown: {key: (atenciones,
    usuarios)}}``): labels, goals, order. The centre calls it with the sums of its tambos' counts."""
    breakdowns = {
        name: _breakdown(
            name, counts, {k: v for k, v in goals.items() if k is not None} if name == "entity" else None, t
        )
        for name, counts in raw.items()
    }
    goal = goals.get(None, (None, None))
    return Indicators(period, start, end, totals[0], totals[1], goal[0], goal[1], breakdowns)


def year_months(year: int, result: Indicators, t: Tables = TAMBO, raw: dict | None = None) -> Indicators:
    """Add the ``month`` breakdown to a year's indicators (usuarios distinct within each month)."""
    lo, hi = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    raw = _grouped(lo, hi, "month", t) if raw is None else raw
    monthly = _monthly_goals(year, t)
    months = []
    for m in range(1, 13):
        key = f"{year:04d}-{m:02d}"
        goal = monthly.get(m, (None, None))
        months.append(Count(key, key, *raw.get(key, (0, 0)), *goal))
    result.breakdowns["month"] = months
    return result


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month."""
    return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


class _MonthCounts:
    """The atenciones and usuarios of whole months, kept while nothing in them changes: the trend of
    12 months is counted again only for the months an atención was added to, voided or edited in
    (the ids above the last one seen, and the audit trail's lines since the last one seen). One
    per process, for the database open; any thread."""

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.database: object = None
        self.stamp: tuple[int, int] = (-1, -1)  # the last atención's id, the last audit line's id
        self.months: dict[str, tuple[int, int]] = {}

    def _changed(self) -> None:
        """Forget the months whose atenciones changed since the stamp (all, when unsure)."""
        a = Attention
        database = _database()
        stamp = (
            int(a.select(pw.fn.MAX(a.id)).scalar() or 0),
            int(AuditEntry.select(pw.fn.MAX(AuditEntry.id)).scalar() or 0),
        )
        if database is not self.database or stamp[0] < self.stamp[0] or stamp[1] < self.stamp[1]:
            self.database, self.months = database, {}
        elif stamp != self.stamp:
            key = month_key(a.attended_at)
            touched = {k for (k,) in tuples(a.select(key).where(a.id > self.stamp[0]).distinct())}
            audit = AuditEntry.select(AuditEntry.record_uuid, AuditEntry.changes).where(
                (AuditEntry.id > self.stamp[1]) & (AuditEntry.entity == "attention") & (AuditEntry.action != "create")
            )
            lines = list(tuples(audit))
            uuids = [u for u, _c in lines]
            # an import, a change without its record, or one that moved an atención to another day
            if "" in uuids or any("attended_at" in (c or "") for _u, c in lines):
                self.months = {}
            elif uuids:
                touched |= {k for (k,) in tuples(a.select(key).where(a.uuid.in_(uuids)).distinct())}
            for k in touched:
                self.months.pop(k, None)
        self.stamp = stamp

    def counts(self, keys: list[str]) -> dict[str, tuple[int, int]]:
        """``{YYYY-MM: (atenciones, usuarios)}`` of the months ``keys`` (consecutive, oldest first)."""
        with self.lock:
            self._changed()
            for k in keys:
                if k not in self.months:  # the month's totals, by the rule: a range of the counted index each
                    first, last = month_range(int(k[:4]), int(k[5:7]))
                    lo = dt.datetime.combine(first, dt.time.min)
                    self.months[k] = _totals(lo, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
            return {k: self.months[k] for k in keys}


_MONTHS = _MonthCounts()


def _database() -> object:
    db = Attention._meta.database
    return db.obj if isinstance(db, pw.DatabaseProxy) else db


class _LastServed:
    """Each centro poblado's last atención in a span, kept while only new atenciones arrive (they
    are merged in); a void, an edited atención or a person's change counts it all again."""

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.spans: dict[tuple[object, dt.datetime, dt.datetime], tuple[tuple[int, int], dict[int, dt.date]]] = {}

    @staticmethod
    def _last(lo: dt.datetime, hi: dt.datetime, after_id: int | None = None) -> dict[int, dt.date]:
        """Each community's residents' last counted atención in ``[lo, hi)``; ``after_id``: only
        among the atenciones added after that id."""
        added: list[int] = []
        if after_id is not None:
            added = [i for (i,) in tuples(Attention.select(Attention.id).where(Attention.id > after_id).limit(501))]
            if not added:
                return {}
            if len(added) <= 500:  # the few added since: found by their ids, then counted by the rule
                return _last_by_community(counted(lo, hi, ("person",)).where(Attention.id.in_(added)))
        # the last month first (most communities are found there), read by the counted index
        recent = max(lo, hi - dt.timedelta(days=RECENT_DAYS))
        found = _last_by_community(counted(recent, hi, ("person",)))
        rest = [c for (c,) in tuples(Community.select(Community.id)) if c not in found]
        if rest and recent > lo:  # the others: each resident's last atención before, one seek each
            p = Person.alias("resident")
            last = counted(lo, recent, ()).select(pw.fn.MAX(Attention.attended_at)).where(Attention.person == p.id)
            residents = p.select(p.community, pw.fn.MAX(last)).where(p.community.in_(rest)).group_by(p.community)
            found.update({int(c): _as_date(day) for c, day in tuples(residents) if day is not None})
        return found

    def served(self, lo: dt.datetime, hi: dt.datetime) -> dict[int, dt.date]:
        a = Attention
        stamp = (
            int(a.select(pw.fn.MAX(a.id)).scalar() or 0),
            int(AuditEntry.select(pw.fn.MAX(AuditEntry.id)).scalar() or 0),
        )
        key = (_database(), lo, hi)
        with self.lock:
            kept = self.spans.get(key)
            if kept is not None and kept[0] != stamp:
                (old_id, old_audit), last = kept
                changed = AuditEntry.select().where((AuditEntry.id > old_audit) & (AuditEntry.action != "create")
                                                    & AuditEntry.entity.in_(("attention", "person"))).exists()  # fmt: skip
                if changed or stamp[0] < old_id or stamp[1] < old_audit:
                    kept = None
                else:
                    last = dict(last)
                    for community, day in self._last(lo, hi, old_id).items():
                        last[community] = max(day, last.get(community, day))
                    kept = (stamp, last)
            if kept is None:
                kept = (stamp, self._last(lo, hi))
            self.spans[key] = kept
            while len(self.spans) > 24:
                self.spans.pop(next(iter(self.spans)))
            return dict(kept[1])


_SERVED = _LastServed()
#: The span the map reads first by date (where nearly every community's last atención is).
RECENT_DAYS = 31


def _last_by_community(query: pw.ModelSelect) -> dict[int, dt.date]:
    """``{community: the day of its residents' last atención}`` among ``query``'s atenciones (joined to Person)."""
    query = query.select(Person.community, pw.fn.MAX(Attention.attended_at))
    query = query.where(Person.community.is_null(False)).group_by(Person.community)
    return {int(c): _as_date(day) for c, day in tuples(query) if day is not None}


class IndicatorService:
    """Month and year indicators (``indicators.view``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def day(self, day: dt.date) -> Indicators:
        """One day's indicators (the Today page); goals are monthly, so none here."""
        self.session.require("indicators.view")
        return compute(day, day, day.isoformat(), {})

    def stops(self, stop_ids: list[int], period: str) -> Indicators:
        """The indicators of the atenciones delivered at these stops of a PIAS's voyages (one stop,
        or all of a voyage's), whatever their dates; goals are monthly, so none here."""
        self.session.require("indicators.view")
        ids = tuple(stop_ids)
        first, last = next(tuples(Attention.select(pw.fn.MIN(Attention.attended_at), pw.fn.MAX(Attention.attended_at))
                                  .where(Attention.voyage_stop.in_(ids))))  # fmt: skip
        if first is None:
            from tambo_desktop import dates

            first = last = dates.today()
        start, end = (_as_date(first), _as_date(last))
        return compute(start, end, period, {}, stops=ids)

    def month(self, year: int, month: int) -> Indicators:
        self.session.require("indicators.view")
        return compute(*month_range(year, month), f"{year:04d}-{month:02d}", _goals(year, month))

    def year(self, year: int) -> Indicators:
        """The year's indicators plus a ``month`` breakdown (usuarios distinct within each month)."""
        self.session.require("indicators.view")
        result = compute(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", _goals(year))
        return year_months(year, result)

    def breakdown(self, name: str, start: dt.date, end: dt.date) -> list[Count]:
        """One breakdown (``DIMENSIONS``) of the atenciones from ``start`` to ``end`` (both
        inclusive), without goals: the same rule, for a span that is not a month or a year
        (the centros poblados reached from January to a month's end)."""
        self.session.require("indicators.view")
        lo = dt.datetime.combine(start, dt.time.min)
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
        return _breakdown(name, _grouped(lo, hi, name))

    def trend(self, year: int, month: int, months: int = 12) -> list[Count]:
        """The ``months`` months ending with ``year-month``, oldest first, each with its atenciones,
        usuarios (distinct within the month) and the tambo's goals."""
        self.session.require("indicators.view")
        keys = []
        y, m = year, month
        for _i in range(months):
            keys.append((y, m))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        keys.reverse()
        raw = _MONTHS.counts([f"{y:04d}-{m:02d}" for y, m in keys])
        goals = {y: _monthly_goals(y) for y in {k[0] for k in keys}}
        out = []
        for y, m in keys:
            key = f"{y:04d}-{m:02d}"
            out.append(Count(key, key, *raw.get(key, (0, 0)), *goals[y].get(m, (None, None))))
        return out

    def crossed(self, first: str, second: str, start: dt.date, end: dt.date) -> dict[tuple[str, str], tuple[int, int]]:
        """``{(key of first, key of second): (atenciones, usuarios)}`` for two of the fixed
        breakdowns (``sex``, ``age_group``, ``place``), e.g. the population pyramid."""
        self.session.require("indicators.view")
        lo = dt.datetime.combine(start, dt.time.min)
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
        joins = tuple(dict.fromkeys(_JOINS.get(first, ()) + _JOINS.get(second, ())))
        query = counted(lo, hi, joins).select(
            _dimension(first).alias("k1"),
            _dimension(second).alias("k2"),
            pw.fn.COUNT(Attention.id).alias("a"),
            pw.fn.COUNT(Attention.person.distinct()).alias("u"),
        )
        return {(str(k1), str(k2)): (a, u) for k1, k2, a, u in tuples(query.group_by(pw.SQL("1"), pw.SQL("2")))}

    def served(self, start: dt.date, end: dt.date) -> dict[int, dt.date]:
        """``{community id: the day of its residents' last atención}`` from ``start`` to ``end``
        (both inclusive), by the counting rule (voided ones do not count): how recently each
        centro poblado of the ámbito was served (the pages' map)."""
        self.session.require("indicators.view")
        lo = dt.datetime.combine(start, dt.time.min)
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
        return _SERVED.served(lo, hi)

    def data_version(self) -> tuple[int, int, str]:
        """What grows or changes with every change to the records: the last atención's id, the last
        line of the audit trail and its hash (which also tells two databases apart). What was
        counted before can be shown again without counting while it stays the same (the charts)."""
        self.session.require("indicators.view")
        audit_id, audit_hash = last_audit_line()
        return int(Attention.select(pw.fn.MAX(Attention.id)).scalar() or 0), audit_id, audit_hash


def _as_date(value: object) -> dt.date:
    """MIN/MAX of a datetime column: a datetime on PostgreSQL, text on SQLite."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.datetime.fromisoformat(str(value)).date()


def _monthly_goals(year: int, t: Tables = TAMBO) -> dict[int, tuple[int, int]]:
    g = t.goal
    query = g.select(g.month, pw.fn.SUM(g.attentions_goal), pw.fn.SUM(g.users_goal)).where(
        (g.year == year) & g.entity.is_null()
    )
    return {m: (int(a), int(u)) for m, a, u in tuples(query.group_by(g.month))}
