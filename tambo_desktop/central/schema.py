"""The central database's schema: made once by ``central init``, on PostgreSQL only.

Partitioning: ``central_attention`` (the only big table: 6 million rows a year nationally) is
partitioned by RANGE of ``attended_at``, one partition per year, made on import when a year first
appears. Not also by tambo: the national questions are by period (a month, a year), which the
year partitions prune; ``(tambo_code, attended_at)`` is an index of each partition instead.
Measured (docs/CENTRAL.md, bench_central.py --hash 16): year × hash(tambo) sub-partitions were
slower on every question, one tambo's year included (1.04-1.79×), and larger. Its primary key is
``(id, attended_at)`` (PostgreSQL wants the partition key in it); the uuid's uniqueness is kept by
``central_record``, the referee of every record's version.
"""

from __future__ import annotations

import peewee as pw

from tambo_desktop.central.models import PLAIN_MODELS, CentralAction, CentralSchema
from tambo_desktop.db.models import Department, District, Entity, NeedRule, Province, Service, Setting
from tambo_desktop.db.reference import load_reference_data
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _

#: The central schema's own versions (not the tambo's migrations): 1 the first; 2 the review of
#: conflicts (who resolved each, when, which record stays) and ``central_action``, its audit.
VERSION = 2
REFERENCE_MODELS = (Setting, Department, Province, District, Entity, Service, NeedRule)
#: What analysts' BI tools may read (``central readers``): everything but accounts and raw packages.
READABLE = (
    "central_tambo", "central_package", "central_conflict", "central_community", "central_person", "central_attention",
    "central_goal", "central_national_person", "department", "province", "district", "entity", "service",
)  # fmt: skip

ATTENTION_DDL = """
CREATE TABLE IF NOT EXISTS central_attention (
    id BIGSERIAL,
    uuid VARCHAR(36) NOT NULL,
    tambo_code VARCHAR(20) NOT NULL,
    department_code VARCHAR(2) NOT NULL,
    version INTEGER NOT NULL,
    attended_at TIMESTAMP NOT NULL,
    place VARCHAR(10) NOT NULL,
    community_id BIGINT,
    entity_id INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    person_id BIGINT NOT NULL,
    voided BOOLEAN NOT NULL DEFAULT FALSE,
    void_reason VARCHAR(300) NOT NULL DEFAULT '',
    PRIMARY KEY (id, attended_at)
) PARTITION BY RANGE (attended_at)
"""
ATTENTION_INDEXES = (
    "CREATE INDEX IF NOT EXISTS central_attention_uuid ON central_attention (uuid)",
    "CREATE INDEX IF NOT EXISTS central_attention_at ON central_attention (attended_at)",
    "CREATE INDEX IF NOT EXISTS central_attention_tambo ON central_attention (tambo_code, attended_at)",
)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class CentralError(TamboError):
    """A central office's job could not be done; the message says why."""


def require_postgres(db: pw.Database) -> None:
    if not isinstance(db, pw.PostgresqlDatabase):
        raise CentralError(
            _("La base de datos central va en un servidor PostgreSQL: use --db postgresql://usuario@servidor/base.")
        )


def is_ready(db: pw.Database) -> bool:
    return db.table_exists("central_schema") and CentralSchema.select().exists()


def create(db: pw.Database) -> bool:
    """Make the schema and load the reference data (False: it was there already)."""
    require_postgres(db)
    if is_ready(db):
        upgrade(db)
        return False
    with db.atomic():
        db.create_tables(list(REFERENCE_MODELS) + list(PLAIN_MODELS))
        db.execute_sql(ATTENTION_DDL)
        for statement in ATTENTION_INDEXES:
            db.execute_sql(statement)
        CentralSchema.create(version=VERSION, name="central")
    load_reference_data(db)
    return True


def _v2_review(db: pw.Database) -> None:
    for column in (
        "resolved_by VARCHAR(40) NOT NULL DEFAULT ''",
        "resolved_at TIMESTAMP NULL",
        "kept VARCHAR(10) NOT NULL DEFAULT ''",
    ):
        db.execute_sql(f"ALTER TABLE central_conflict ADD COLUMN IF NOT EXISTS {column}")
    db.create_tables([CentralAction])


UPGRADES = {2: ("review", _v2_review)}


def upgrade(db: pw.Database) -> list[int]:
    """Bring a central database made by an earlier release to ``VERSION`` (each step in a transaction,
    one upgrader at a time); returns the versions applied."""
    applied = []
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(727204)")
        have = CentralSchema.select(pw.fn.MAX(CentralSchema.version)).scalar() or 0
        for version in range(have + 1, VERSION + 1):
            name, step = UPGRADES[version]
            step(db)
            CentralSchema.create(version=version, name=name)
            applied.append(version)
    return applied


def ensure_years(db: pw.Database, years: set[int]) -> None:
    """The year partitions of ``central_attention`` for ``years`` (inside the import's transaction)."""
    for year in sorted(years):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CentralError(_("Una atención tiene un año fuera de lo posible: {year}.").format(year=year))
        db.execute_sql(
            f"CREATE TABLE IF NOT EXISTS central_attention_y{year} PARTITION OF central_attention "
            f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
        )
