"""National indicators: the tambo's rule (``services.indicators``), counted on the central tables.

There is no second rule here: ``CENTRAL`` (``tables.py``) only names the central tables the rule
reads, and adds the breakdowns by tambo and department; the national month and year are the sums
of the tambos' counts kept by ``rollups.py`` (``live=True``: counted on the atenciones now).
An atención counts nationally exactly when it counts in its tambo; a usuario is a distinct person of a tambo (the same DNI in two tambos is linked in
``central_national_person`` but counts as a usuario in each, as each tambo reports it), so the
national figures are the sums of the tambos' own.
"""

from __future__ import annotations

import datetime as dt

from tambo_desktop.central import rollups
from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.models import CentralTambo
from tambo_desktop.central.schema import CentralError
from tambo_desktop.central.tables import CENTRAL, DIMENSIONS
from tambo_desktop.db.sql import tuples
from tambo_desktop.i18n import _
from tambo_desktop.services import indicators as rule


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


def _counted(start: dt.date, end: dt.date, period: str, goals: rule.Goals, live: bool) -> tuple[rule.Indicators, dict]:
    """The rule's indicators from the tambos' rollups (``live``: counted now on the atenciones)."""
    if live:
        return rule.compute(start, end, period, goals, CENTRAL, DIMENSIONS), {}
    totals, raw = rollups.counts(period)
    result = rule.from_counts(start, end, period, goals, totals, {n: raw.get(n, {}) for n in DIMENSIONS}, CENTRAL)
    return result, raw


def month(session: CentralSession, year: int, month: int, live: bool = False) -> rule.Indicators:
    session.require("central.view")
    start, end = rule.month_range(year, month)
    result, _raw = _counted(start, end, f"{year:04d}-{month:02d}", rule.goals(year, month, CENTRAL), live)
    return _by_unit(result)


def year(session: CentralSession, year: int, live: bool = False) -> rule.Indicators:
    session.require("central.view")
    result, raw = _counted(
        dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", rule.goals(year, None, CENTRAL), live
    )
    return _by_unit(rule.year_months(year, result, CENTRAL, None if live else raw.get("month", {})))


def set_unit(session: CentralSession, code: str, unit: str) -> None:
    """Put a tambo in a Unidad Territorial (as the central office organises them)."""
    session.require("central.tambos")
    if not CentralTambo.update(unit=unit.strip()[:60]).where(CentralTambo.code == code.strip().upper()).execute():
        raise CentralError(_("No hay ningún tambo {code} en la base central.").format(code=code.strip().upper()))
