"""Import and export of communities and their leaders as CSV or XLSX.

One row per leader; a community without leaders takes one row with the leader columns
empty. A file with any bad row imports nothing and reports every bad row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tambo_desktop.db.models import Community, Leader
from tambo_desktop.errors import ImportFileError, RowError
from tambo_desktop.formats.tabular import (
    PROGRESS_EVERY,
    SAVE_PROGRESS_EVERY,
    ImportProgress,
    read_numbered_table,
    reading,
    write_table,
)
from tambo_desktop.i18n import _, use_language
from tambo_desktop.services.communities import (
    CommunityForm,
    CommunityService,
    LeaderForm,
    parse_community,
    parse_leader,
)
from tambo_desktop.text import search_key
from tambo_desktop.vocabulary import COMMUNITY_KINDS, LEADER_ROLES, TRAVEL_MEANS, label

COMMUNITY_COLUMNS = {
    "name": "centro_poblado",
    "district": "ubigeo",
    "kind": "tipo",
    "population": "poblacion",
    "households": "hogares",
    "languages": "lenguas",
    "distance_km": "distancia_km",
    "travel_minutes": "tiempo_min",
    "travel_means": "medio",
    "latitude": "latitud",
    "longitude": "longitud",
    "notes": "notas",
}
LEADER_COLUMNS = {
    "name": "lider_nombre",
    "role": "lider_cargo",
    "phone": "lider_telefono",
    "language": "lider_lengua",
}
HEADER = [*COMMUNITY_COLUMNS.values(), *LEADER_COLUMNS.values()]
REQUIRED = ("centro_poblado", "ubigeo", "tipo")


@dataclass(frozen=True)
class ImportSummary:
    communities_created: int
    communities_updated: int
    leaders_created: int
    leaders_updated: int


def _columns(header: list[str]) -> dict[str, int]:
    index = {}
    for i, name in enumerate(header):
        key = search_key(name).replace(" ", "_")
        if key in HEADER and key not in index:
            index[key] = i
    return index


def import_file(service: CommunityService, path: Path, progress: ImportProgress | None = None) -> ImportSummary:
    """Validate the whole file, then write every row in one transaction (or nothing);
    ``progress(step, done, total)`` hears how far the reading, the checking and the saving are."""
    service.session.require("communities.import")
    header, rows = read_numbered_table(path, progress=reading(progress))
    index = _columns(header)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        raise ImportFileError(
            [RowError(1, c, _("falta esta columna")) for c in missing],
            _("El archivo no tiene las columnas necesarias."),
        )
    errors: list[RowError] = []
    groups: dict[tuple[str, str], dict] = {}
    for done, (number, row) in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(_("Revisando las filas"), done, len(rows))
        cell = {col: (row[i] if i < len(row) else "") for col, i in index.items()}
        community = CommunityForm(**{f: cell.get(col, "") for f, col in COMMUNITY_COLUMNS.items()})
        key = (search_key(community.name), community.district.strip())
        group = groups.get(key)
        if group is None:
            parsed = parse_community(community)
            errors += [RowError(number, COMMUNITY_COLUMNS[e.field], e.message) for e in parsed.errors]
            group = groups[key] = {"row": number, "form": community, "values": parsed.values, "leaders": {}}
        else:
            for f, col in COMMUNITY_COLUMNS.items():
                value = getattr(community, f).strip()
                if value and value != getattr(group["form"], f).strip():
                    errors.append(
                        RowError(
                            number,
                            col,
                            _("no coincide con la fila {row} del mismo centro poblado").format(row=group["row"]),
                        )
                    )
        leader = LeaderForm(**{f: cell.get(col, "") for f, col in LEADER_COLUMNS.items()})
        if any(getattr(leader, f).strip() for f in LEADER_COLUMNS):
            parsed_leader = parse_leader(leader)
            errors += [RowError(number, LEADER_COLUMNS[e.field], e.message) for e in parsed_leader.errors]
            lkey = search_key(leader.name)
            if lkey in group["leaders"]:
                errors.append(
                    RowError(
                        number,
                        "lider_nombre",
                        _("dirigente repetido (fila {row})").format(row=group["leaders"][lkey][0]),
                    )
                )
            else:
                group["leaders"][lkey] = (number, parsed_leader.values)
    if not rows:
        raise ImportFileError([], _("El archivo no tiene filas de datos."))
    if errors:
        raise ImportFileError(errors, _("No se importó nada: corrija estas filas y vuelva a intentarlo."))
    created = updated = leaders_created = leaders_updated = 0
    with service.session.write():
        service.session.audit(
            "import", "community", summary=_("{n} filas desde {file}").format(n=len(rows), file=path.name)
        )
        for done, ((name_key, district), group) in enumerate(groups.items(), start=1):
            if progress is not None and done % SAVE_PROGRESS_EVERY == 0:
                progress(_("Guardando"), done, len(groups))
            existing = Community.get_or_none((Community.name_key == name_key) & (Community.district == district))
            community_id = service._store(group["values"], existing.id if existing else None)
            created += existing is None
            updated += existing is not None
            for lkey, (_row, values) in group["leaders"].items():
                old = Leader.get_or_none((Leader.community == community_id) & (Leader.name_key == lkey))
                service._store_leader(community_id, values, old.id if old else None)
                leaders_created += old is None
                leaders_updated += old is not None
    return ImportSummary(created, updated, leaders_created, leaders_updated)


def export_file(service: CommunityService, path: Path, fmt: str) -> int:
    """Write every community and leader; returns the number of rows written."""
    service.session.require("communities.export")
    table = []
    with use_language("es"):
        for c in service.list():
            base = [
                c.name,
                c.district_code,
                label(COMMUNITY_KINDS, c.kind),
                c.population,
                c.households,
                ";".join(c.languages),
                c.distance_km,
                c.travel_minutes,
                label(TRAVEL_MEANS, c.travel_means),
                c.latitude,
                c.longitude,
                c.notes,
            ]
            leaders = service.leaders(c.id)
            if not leaders:
                table.append([*base, "", "", "", ""])
            for leader in leaders:
                table.append([*base, leader.name, label(LEADER_ROLES, leader.role), leader.phone, leader.language])
    write_table(path, HEADER, table, fmt)
    with service.session.write():
        service.session.audit(
            "export", "community", summary=_("{n} filas a {file}").format(n=len(table), file=path.name)
        )
    return len(table)


__all__ = ["HEADER", "ImportSummary", "export_file", "import_file"]
