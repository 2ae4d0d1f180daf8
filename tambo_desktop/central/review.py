"""What the central office reviews and takes away: conflicts, the tambos, the indicators' table."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.models import (
    CentralAction,
    CentralAttention,
    CentralConflict,
    CentralPackage,
    CentralTambo,
)
from tambo_desktop.central.tables import CENTRAL
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Department, Entity, utcnow
from tambo_desktop.db.sql import tuples
from tambo_desktop.formats.tabular import write_table
from tambo_desktop.i18n import _
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
    resolved_by: str = ""
    kept: str = ""  # "tambo" or "central" once resolved


KEEP = ("tambo", "central")  # the record that arrived from the tambo, or the one the central database had


def conflicts(session: CentralSession, include_resolved: bool = False) -> list[ConflictRow]:
    session.require("central.view")
    query = CentralConflict.select().order_by(CentralConflict.id)
    if not include_resolved:
        query = query.where(CentralConflict.resolved == False)  # noqa: E712
    rows = []
    for c in query:
        kept, other = json.loads(c.kept_data), json.loads(c.other_data)
        if c.kind == "audit_entry" and kept:  # two branches of a trail: both entries in full, as the centre holds them
            differ = {k: [kept[k], other.get(k)] for k in sorted(kept)}
        else:
            differ = {
                k: [kept.get(k), other.get(k)] for k in sorted(set(kept) | set(other)) if kept.get(k) != other.get(k)
            }
        rows.append(ConflictRow(c.id, c.kind, c.uuid, c.version, c.kept_tambo, c.other_tambo, c.other_version, differ,
                                c.resolved_by, c.kept))  # fmt: skip
    return rows


def resolve(session: CentralSession, conflict_id: int, keep: str) -> ConflictRow:
    """Close a conflict: ``keep="central"`` leaves the record the central database kept; ``"tambo"``
    puts the one that arrived in its place (its version, its content, in ``central_record`` and in
    the typed tables the indicators read, the rollups of its years recounted). Audited in
    ``central_action`` with both contents; all in one transaction. A fork of a tambo's audit trail
    (kind ``audit_entry``) keeps both branches whatever the choice: resolving records the review."""
    from tambo_desktop.central import importer, rollups
    from tambo_desktop.central.schema import CentralError

    session.require("central.review")
    if keep not in KEEP:
        raise CentralError(_("Elija qué registro queda: «tambo» o «central»."))
    with current_database().atomic():
        current_database().execute_sql("SELECT pg_advisory_xact_lock(727203)")  # not during an import
        c = CentralConflict.select().where(CentralConflict.id == conflict_id).for_update().first()
        if c is None:
            raise CentralError(_("No hay ningún conflicto {id}.").format(id=conflict_id))
        if c.resolved:
            raise CentralError(
                _("El conflicto {id} ya fue resuelto por {user}.").format(id=conflict_id, user=c.resolved_by or "?")
            )
        years: set[int] = set()
        if keep == "tambo" and c.kind != "audit_entry":
            years = importer.apply_record(c.kind, c.other_tambo, json.loads(c.other_data), c.package)
        CentralConflict.update(resolved=True, resolved_by=session.username, resolved_at=utcnow(), kept=keep).where(
            CentralConflict.id == c.id
        ).execute()
        CentralAction.create(username=session.username, action="conflict.resolve", target=f"{c.kind} {c.uuid}",
                             details=json.dumps({"conflict": c.id, "keep": keep, "central": json.loads(c.kept_data),
                                                 "tambo": json.loads(c.other_data)}, ensure_ascii=False, sort_keys=True))  # fmt: skip
        if years:
            rollups.refresh(years, {c.kept_tambo, c.other_tambo})
    return next(r for r in conflicts(session, include_resolved=True) if r.id == conflict_id)


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
            CentralPackage.select(
                CentralPackage.tambo_code, pw.fn.COUNT(CentralPackage.id), pw.fn.MAX(CentralPackage.seq)
            ).group_by(CentralPackage.tambo_code)
        )
    }
    return [
        TamboRow(t.code, t.name, t.department_code, t.unit, *counts.get(t.code, (0, None)))
        for t in CentralTambo.select().order_by(CentralTambo.code)
    ]


def export_table(session: CentralSession, start: dt.date, end: dt.date, path: Path, fmt: str) -> int:
    """Atenciones and usuarios by tambo and entity (counted by the rule's ``counted``) to CSV or XLSX."""
    session.require("central.export")
    lo, hi = dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    a = CentralAttention
    query = (
        rule.counted(lo, hi, ("entity",), CENTRAL)
        .select(a.tambo_code, a.department_code, Entity.code, pw.fn.COUNT(a.id), pw.fn.COUNT(a.person.distinct()))
        .group_by(a.tambo_code, a.department_code, Entity.code)
        .order_by(a.tambo_code, Entity.code)
    )
    names = dict(tuples(CentralTambo.select(CentralTambo.code, CentralTambo.name)))
    departments = dict(tuples(Department.select(Department.code, Department.name)))
    rows = [
        [start.isoformat(), end.isoformat(), code, names.get(code, code), dep, departments.get(dep, dep), entity, n, u]
        for code, dep, entity, n, u in tuples(query)
    ]
    header = [
        "desde",
        "hasta",
        "tambo",
        "nombre",
        "departamento",
        "nombre_departamento",
        "entidad",
        "atenciones",
        "usuarios",
    ]
    write_table(path, header, rows, fmt)
    return len(rows)
