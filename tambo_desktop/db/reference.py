"""Reference data (ubigeo, entities, services) loaded from ``resources/data`` at creation and upgrade."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re

import peewee as pw

from tambo_desktop import assets
from tambo_desktop.db.models import Department, District, Entity, Province, Service, Setting
from tambo_desktop.db.sql import tuples
from tambo_desktop.text import search_key

log = logging.getLogger(__name__)

UBIGEO_FILE = "data/ubigeo/ubigeo.csv"  # CONCYTEC, CC BY 4.0, Latin-1
ENTITIES_FILE = "data/entities.csv"
SERVICES_FILE = "data/services.csv"
NEED_RULES_FILE = "data/need_rules.csv"
HASH_KEY = "reference_data_hash"
_INEI_CODE = re.compile(r"\d{6}")
_SMALL_WORDS = {"de", "del", "la", "las", "los", "y", "el"}


def place_name(upper: str) -> str:
    """``SAN JUAN DE LA VIRGEN`` → ``San Juan de la Virgen``."""
    words = upper.strip().lower().split()
    return " ".join(w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _read(name: str, encoding: str = "utf-8") -> list[dict[str, str]]:
    raw = assets.path(name).read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode(encoding))))


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in (UBIGEO_FILE, ENTITIES_FILE, SERVICES_FILE):
        digest.update(assets.path(name).read_bytes())
    return digest.hexdigest()


def _upsert(model: type[pw.Model], rows: list[dict], key: pw.Field, update: list[pw.Field]) -> None:
    for start in range(0, len(rows), 300):
        chunk = rows[start : start + 300]
        model.insert_many(chunk).on_conflict(
            conflict_target=[key], update={f: pw.EXCLUDED[f.column_name] for f in update}
        ).execute()


def load_reference_data(db: pw.Database, force: bool = False) -> bool:
    """Insert or update the reference data when the bundled files changed; True if it ran."""
    stamp = fingerprint()
    saved = Setting.get_or_none(Setting.key == HASH_KEY)
    if saved and saved.value == stamp and not force:
        load_need_rules(db)
        return False
    # Rows that only RENIEC or SUNAT list carry "NA" as their INEI code: they are not INEI districts.
    ubigeo = [r for r in _read(UBIGEO_FILE, "latin-1") if _INEI_CODE.fullmatch(r["cod_ubigeo_inei"])]
    departments = {r["cod_dep_inei"]: place_name(r["desc_dep_inei"]) for r in ubigeo}
    provinces = {r["cod_prov_inei"]: (place_name(r["desc_prov_inei"]), r["cod_dep_inei"]) for r in ubigeo}
    entities = _read(ENTITIES_FILE)
    services = _read(SERVICES_FILE)
    with db.atomic():
        _upsert(
            Department, [{"code": c, "name": n} for c, n in departments.items()], Department.code, [Department.name]
        )
        _upsert(
            Province,
            [{"code": c, "name": n, "department": d} for c, (n, d) in provinces.items()],
            Province.code,
            [Province.name, Province.department],
        )
        districts = []
        for r in ubigeo:
            name = place_name(r["desc_ubigeo_inei"])
            full = f"{name} {provinces[r['cod_prov_inei']][0]} {departments[r['cod_dep_inei']]} {r['cod_ubigeo_inei']}"
            districts.append(
                {
                    "code": r["cod_ubigeo_inei"],
                    "name": name,
                    "province": r["cod_prov_inei"],
                    "search_key": search_key(full),
                }
            )
        _upsert(District, districts, District.code, [District.name, District.province, District.search_key])
        _upsert(
            Entity,
            [{"code": e["code"], "name": e["name"], "sector": e["sector"], "level": e["level"]} for e in entities],
            Entity.code,
            [Entity.name, Entity.sector, Entity.level],
        )
        entity_ids = {code: pk for code, pk in tuples(Entity.select(Entity.code, Entity.id))}
        _upsert(
            Service,
            [
                {"code": s["code"], "entity": entity_ids[s["entity"]], "name": s["name"], "category": s["category"]}
                for s in services
            ],
            Service.code,
            [Service.entity, Service.name, Service.category],
        )
        Setting.insert(key=HASH_KEY, value=stamp).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: stamp}
        ).execute()
    load_need_rules(db)
    log.info(
        "reference data loaded: %d districts, %d entities, %d services", len(districts), len(entities), len(services)
    )
    return True


def load_need_rules(db: pw.Database) -> int:
    """The rules that suggest services for a diagnostic's needs, from the bundled file, once: after
    that they belong to the administrators, who edit them in the application."""
    from tambo_desktop.db.models import NeedRule

    if not db.table_exists("need_rule") or NeedRule.select().exists():
        return 0
    services = {code: pk for code, pk in tuples(Service.select(Service.code, Service.id))}
    rows = [
        {"need": r["need"], "activity": r["activity"], "service": services[r["service"]]}
        for r in _read(NEED_RULES_FILE)
        if r["service"] in services
    ]
    with db.atomic():
        for start in range(0, len(rows), 300):
            NeedRule.insert_many(rows[start : start + 300]).execute()
    return len(rows)
