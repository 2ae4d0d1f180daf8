"""The tables the indicators' rule counts in the central database, and its national breakdowns."""

from __future__ import annotations

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
