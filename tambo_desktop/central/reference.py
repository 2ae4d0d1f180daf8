"""``central reference``: the reference-data package the central office sends to the tambos
(the catalogue of entities and services, the need rules, the tambos' metas, notices), signed
with its ed25519 key and numbered (``services.packages_reference`` imports it in a tambo)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tambo_desktop import files
from tambo_desktop.central import keys as central_keys
from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.schema import CentralError
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Entity, NeedRule, Service, Setting, utcnow
from tambo_desktop.db.sql import tuples
from tambo_desktop.formats.tabular import read_table
from tambo_desktop.i18n import _
from tambo_desktop.services.packages_reference import build

VERSION_SETTING = "reference_package_version"
TRUE = {"1", "si", "sí", "true", "yes", ""}


@dataclass(frozen=True)
class ReferenceMade:
    version: int
    path: Path
    entities: int
    services: int
    goals: int


def _rows(path: Path, needed: set[str]) -> list[dict]:
    header, rows = read_table(path)
    names = [h.strip().lower() for h in header]
    missing = needed - set(names)
    if missing:
        raise CentralError(
            _("Al archivo {file} le faltan las columnas: {columns}.").format(
                file=path.name, columns=", ".join(sorted(missing))
            )
        )
    return [dict(zip(names, (str(c).strip() for c in row), strict=False)) for row in rows]


def _update_catalogue(entities_csv: Path | None, services_csv: Path | None) -> None:
    if entities_csv:
        for r in _rows(entities_csv, {"code", "name", "sector", "level"}):
            values = {
                "name": r["name"],
                "sector": r["sector"],
                "level": r["level"],
                "active": r.get("active", "").lower() in TRUE,
            }
            Entity.insert(code=r["code"], **values).on_conflict(conflict_target=[Entity.code], update=values).execute()
    if services_csv:
        ids = dict(tuples(Entity.select(Entity.code, Entity.id)))
        for r in _rows(services_csv, {"code", "entity", "name", "category"}):
            if r["entity"] not in ids:
                raise CentralError(_("Entidad desconocida: «{value}».").format(value=r["entity"]))
            values = {"entity": ids[r["entity"]], "name": r["name"], "category": r["category"],
                      "active": r.get("active", "").lower() in TRUE}  # fmt: skip
            Service.insert(code=r["code"], **values).on_conflict(
                conflict_target=[Service.code], update=values
            ).execute()


def make(
    session: CentralSession, out: Path, entities_csv: Path | None = None, services_csv: Path | None = None,
    goals_csv: Path | None = None, notices: tuple[str, ...] = (),
) -> ReferenceMade:  # fmt: skip
    """Update the central catalogue from the CSV files given, then write the next reference package."""
    session.require("central.reference")
    key = central_keys.load().sign
    goals: dict[str, list[dict]] = {}
    if goals_csv:
        for r in _rows(goals_csv, {"tambo", "year", "month", "attentions", "users"}):
            goals.setdefault(r["tambo"].upper(), []).append(
                {"year": int(r["year"]), "month": int(r["month"]), "entity": r.get("entity", ""),
                 "attentions": int(r["attentions"]), "users": int(r["users"])}
            )  # fmt: skip
    with current_database().atomic():
        _update_catalogue(entities_csv, services_csv)
        row = Setting.get_or_none(Setting.key == VERSION_SETTING)
        version = (int(row.value) if row else 0) + 1
        entities = [{"code": c, "name": n, "sector": s, "level": lv, "active": a}
                    for c, n, s, lv, a in tuples(Entity.select(Entity.code, Entity.name, Entity.sector, Entity.level, Entity.active).order_by(Entity.code))]  # fmt: skip
        query = (
            Service.select(Service.code, Entity.code, Service.name, Service.category, Service.active)
            .join(Entity)
            .order_by(Service.code)
        )
        services = [
            {"code": c, "entity": e, "name": n, "category": cat, "active": a} for c, e, n, cat, a in tuples(query)
        ]
        rules = [{"need": n, "activity": act, "service": s}
                 for n, act, s in tuples(NeedRule.select(NeedRule.need, NeedRule.activity, Service.code).join(Service))]  # fmt: skip
        document = {"version": version, "made_at": utcnow().isoformat(), "made_by": session.username, "entities": entities,
                    "services": services, "need_rules": rules, "goals": goals, "notices": list(notices)}  # fmt: skip
        files.write_bytes(out, build(document, key))
        Setting.insert(key=VERSION_SETTING, value=str(version)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(version)}
        ).execute()
    return ReferenceMade(version, out, len(entities), len(services), sum(len(g) for g in goals.values()))
