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
from tambo_desktop.central.schema import CentralError
from tambo_desktop.db.models import Department, Entity, Service
from tambo_desktop.db.sql import tuples
from tambo_desktop.i18n import _
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


def _by_unit(result: rule.Indicators) -> rule.Indicators:
    """The Unidad Territorial breakdown: the sum of its tambos' rows. A sum is right for usuarios
    too, since a person of the central tables belongs to one tambo (each tambo's own usuario)."""
    if "tambo" not in result.breakdowns:
        return result
    units = dict(tuples(CentralTambo.select(CentralTambo.code, CentralTambo.unit)))
    sums: dict[str, list[int]] = {}
    for row in result.breakdowns["tambo"]:
        total = sums.setdefault(units.get(row.key) or "", [0, 0])
        total[0] += row.attentions
        total[1] += row.users
    rows = [rule.Count(k or rule.UNKNOWN, k or _(rule.UNKNOWN_LABEL), a, u) for k, (a, u) in sums.items()]
    result.breakdowns["unit"] = sorted(rows, key=lambda c: (-c.attentions, c.key))
    return result


def month(session: CentralSession, year: int, month: int, dimensions: tuple[str, ...] = DIMENSIONS) -> rule.Indicators:
    session.require("central.view")
    start, end = rule.month_range(year, month)
    return _by_unit(rule.compute(start, end, f"{year:04d}-{month:02d}", rule.goals(year, month, CENTRAL), CENTRAL, dimensions))


def year(session: CentralSession, year: int, dimensions: tuple[str, ...] = DIMENSIONS) -> rule.Indicators:
    session.require("central.view")
    result = rule.compute(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", rule.goals(year, None, CENTRAL), CENTRAL, dimensions)
    return _by_unit(rule.year_months(year, result, CENTRAL))


def set_unit(session: CentralSession, code: str, unit: str) -> None:
    """Put a tambo in a Unidad Territorial (as the central office organises them)."""
    session.require("central.tambos")
    if not CentralTambo.update(unit=unit.strip()[:60]).where(CentralTambo.code == code.strip().upper()).execute():
        raise CentralError(_("No hay ningún tambo {code} en la base central.").format(code=code.strip().upper()))
