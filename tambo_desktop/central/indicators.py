"""National indicators: the tambo's rule (``services.indicators``), counted on the central tables.

There is no second rule here: ``CENTRAL`` only names the central tables the rule reads, and adds
the breakdowns by tambo and department. An atención counts nationally exactly when it counts in
its tambo; a usuario is a distinct person of a tambo (the same DNI in two tambos is linked in
``central_national_person`` but counts as a usuario in each, as each tambo reports it), so the
national figures are the sums of the tambos' own.
"""

from __future__ import annotations

import datetime as dt

from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.models import CentralAttention, CentralCommunity, CentralGoal, CentralPerson, CentralTambo
from tambo_desktop.db.models import Department, Entity, Service
from tambo_desktop.db.sql import tuples
from tambo_desktop.services import indicators as rule


def _tambo_labels(keys: list) -> dict[object, tuple[str, str]]:
    names = dict(tuples(CentralTambo.select(CentralTambo.code, CentralTambo.name).where(CentralTambo.code.in_(keys))))
    return {k: (k, names.get(k, k)) for k in keys}


def _department_labels(keys: list) -> dict[object, tuple[str, str]]:
    names = dict(tuples(Department.select(Department.code, Department.name).where(Department.code.in_(keys))))
    return {k: (k, names.get(k, k)) for k in keys}


CENTRAL = rule.Tables(
    CentralAttention, CentralPerson, Entity, Service, CentralCommunity, CentralGoal,
    extra={"tambo": (CentralAttention.tambo_code, _tambo_labels), "department": (CentralAttention.department_code, _department_labels)},
)  # fmt: skip
#: The national breakdowns (by community or service there are tens of thousands of groups: see the BI tools).
DIMENSIONS = ("tambo", "department", "entity", "sector", "level", "sex", "age_group", "place")


def month(session: CentralSession, year: int, month: int, dimensions: tuple[str, ...] = DIMENSIONS) -> rule.Indicators:
    session.require("central.view")
    start, end = rule.month_range(year, month)
    return rule.compute(start, end, f"{year:04d}-{month:02d}", rule.goals(year, month, CENTRAL), CENTRAL, dimensions)


def year(session: CentralSession, year: int, dimensions: tuple[str, ...] = DIMENSIONS) -> rule.Indicators:
    session.require("central.view")
    result = rule.compute(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", rule.goals(year, None, CENTRAL), CENTRAL, dimensions)
    return rule.year_months(year, result, CENTRAL)
