"""What the central office reviews and takes away: conflicts, the tambos, the indicators' table."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.models import CentralAttention, CentralConflict, CentralPackage, CentralTambo
from tambo_desktop.central.tables import CENTRAL
from tambo_desktop.db.models import Department, Entity
from tambo_desktop.db.sql import tuples
from tambo_desktop.formats.tabular import write_table
from tambo_desktop.services import indicators as rule


@dataclass(frozen=True)
class ConflictRow:
    id: int
    kind: str
    uuid: str
    version: int
    kept_tambo: str
    other_tambo: str
    other_version: int
    fields: dict[str, list[object]]  # field → [kept, other], only those that differ


def conflicts(session: CentralSession, include_resolved: bool = False) -> list[ConflictRow]:
    session.require("central.view")
    query = CentralConflict.select().order_by(CentralConflict.id)
    if not include_resolved:
        query = query.where(CentralConflict.resolved == False)  # noqa: E712
    rows = []
    for c in query:
        kept, other = json.loads(c.kept_data), json.loads(c.other_data)
        differ = {k: [kept.get(k), other.get(k)] for k in sorted(set(kept) | set(other)) if kept.get(k) != other.get(k)}
        rows.append(ConflictRow(c.id, c.kind, c.uuid, c.version, c.kept_tambo, c.other_tambo, c.other_version, differ))
    return rows


@dataclass(frozen=True)
class TamboRow:
    code: str
    name: str
    department: str
    unit: str
    packages: int
    last_seq: int | None


def tambos(session: CentralSession) -> list[TamboRow]:
    session.require("central.view")
    counts = {
        code: (n, last)
        for code, n, last in tuples(
            CentralPackage.select(CentralPackage.tambo_code, pw.fn.COUNT(CentralPackage.id), pw.fn.MAX(CentralPackage.seq))
            .group_by(CentralPackage.tambo_code)
        )
    }
    return [TamboRow(t.code, t.name, t.department_code, t.unit, *counts.get(t.code, (0, None))) for t in CentralTambo.select().order_by(CentralTambo.code)]


def export_table(session: CentralSession, start: dt.date, end: dt.date, path: Path, fmt: str) -> int:
    """Atenciones and usuarios by tambo and entity (counted by the rule's ``counted``) to CSV or XLSX."""
    session.require("central.export")
    lo, hi = dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    a = CentralAttention
    query = rule.counted(lo, hi, ("entity",), CENTRAL).select(
        a.tambo_code, a.department_code, Entity.code, pw.fn.COUNT(a.id), pw.fn.COUNT(a.person.distinct())
    ).group_by(a.tambo_code, a.department_code, Entity.code).order_by(a.tambo_code, Entity.code)
    names = dict(tuples(CentralTambo.select(CentralTambo.code, CentralTambo.name)))
    departments = dict(tuples(Department.select(Department.code, Department.name)))
    rows = [
        [start.isoformat(), end.isoformat(), code, names.get(code, code), dep, departments.get(dep, dep), entity, n, u]
        for code, dep, entity, n, u in tuples(query)
    ]
    header = ["desde", "hasta", "tambo", "nombre", "departamento", "nombre_departamento", "entidad", "atenciones", "usuarios"]
    write_table(path, header, rows, fmt)
    return len(rows)
