"""Versioned schema migrations, from the first table on.

Each migration declares the tables it creates or changes with *frozen* model classes (as
the schema was at that version), so old migrations keep working when ``models.py``
changes. Migrations run in one transaction each, after a backup of a SQLite file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import peewee as pw

from tambo_desktop.db.models import new_uuid, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[pw.Database], None]


def _frozen_base(db: pw.Database) -> type[pw.Model]:
    class Frozen(pw.Model):
        class Meta:
            database = db
            legacy_table_names = False

    return Frozen


def _business_fields() -> dict[str, pw.Field]:
    return {
        "uuid": pw.CharField(max_length=36, unique=True, default=new_uuid),
        "tambo_code": pw.CharField(max_length=20),
        "created_at": pw.DateTimeField(default=utcnow),
        "created_by": pw.CharField(max_length=60),
        "updated_at": pw.DateTimeField(default=utcnow),
        "updated_by": pw.CharField(max_length=60),
    }


def _model(base: type[pw.Model], name: str, fields: dict[str, pw.Field], indexes=()) -> type[pw.Model]:
    meta = type("Meta", (), {"table_name": name, "indexes": tuple(indexes)})
    return type(name.title().replace("_", ""), (base,), {**fields, "Meta": meta})


def _v1_core(db: pw.Database) -> None:
    """Settings, ubigeo, entities and services, the tambo profile and accounts."""
    base = _frozen_base(db)
    schema_version = _model(
        base,
        "schema_version",
        {
            "version": pw.IntegerField(primary_key=True),
            "name": pw.CharField(max_length=100),
            "applied_at": pw.DateTimeField(default=utcnow),
        },
    )
    setting = _model(base, "setting", {"key": pw.CharField(max_length=100, primary_key=True), "value": pw.TextField()})
    department = _model(
        base, "department", {"code": pw.CharField(max_length=2, primary_key=True), "name": pw.CharField(max_length=60)}
    )
    province = _model(
        base,
        "province",
        {
            "code": pw.CharField(max_length=4, primary_key=True),
            "name": pw.CharField(max_length=60),
            "department": pw.ForeignKeyField(department),
        },
    )
    district = _model(
        base,
        "district",
        {
            "code": pw.CharField(max_length=6, primary_key=True),
            "name": pw.CharField(max_length=80),
            "province": pw.ForeignKeyField(province),
            "search_key": pw.CharField(max_length=200, index=True),
        },
    )
    entity = _model(
        base,
        "entity",
        {
            "uuid": pw.CharField(max_length=36, unique=True, default=new_uuid),
            "code": pw.CharField(max_length=20, unique=True),
            "name": pw.CharField(max_length=200),
            "sector": pw.CharField(max_length=40),
            "level": pw.CharField(max_length=20),
            "active": pw.BooleanField(default=True),
        },
    )
    service = _model(
        base,
        "service",
        {
            "uuid": pw.CharField(max_length=36, unique=True, default=new_uuid),
            "code": pw.CharField(max_length=60, unique=True),
            "entity": pw.ForeignKeyField(entity),
            "name": pw.CharField(max_length=200),
            "category": pw.CharField(max_length=40),
            "active": pw.BooleanField(default=True),
        },
    )
    tambo = _model(
        base,
        "tambo",
        {
            **_business_fields(),
            "code": pw.CharField(max_length=20, unique=True),
            "name": pw.CharField(max_length=120),
            "district": pw.ForeignKeyField(district),
            "centro_poblado": pw.CharField(max_length=120),
            "altitude_m": pw.IntegerField(null=True),
            "address": pw.CharField(max_length=200, default=""),
            "phone": pw.CharField(max_length=30, default=""),
            "default_language": pw.CharField(max_length=5, default="es"),
            "is_demo": pw.BooleanField(default=False),
        },
    )
    user = _model(
        base,
        "user",
        {
            **_business_fields(),
            "username": pw.CharField(max_length=40, unique=True),
            "full_name": pw.CharField(max_length=120),
            "role": pw.CharField(max_length=20),
            "password_hash": pw.CharField(max_length=200),
            "active": pw.BooleanField(default=True),
            "failed_logins": pw.IntegerField(default=0),
            "locked_until": pw.DateTimeField(null=True),
            "last_login_at": pw.DateTimeField(null=True),
        },
    )
    db.create_tables([schema_version, setting, department, province, district, entity, service, tambo, user])


def _v2_communities(db: pw.Database) -> None:
    """The ámbito de influencia: communities (centros poblados) and their leaders."""
    base: Any = _frozen_base(db)

    class District(base):  # reference only: the table exists since v1
        code = pw.CharField(max_length=6, primary_key=True)

        class Meta:
            table_name = "district"

    community = _model(
        base,
        "community",
        {
            **_business_fields(),
            "name": pw.CharField(max_length=120),
            "name_key": pw.CharField(max_length=120, index=True),
            "district": pw.ForeignKeyField(District),
            "kind": pw.CharField(max_length=30),
            "population": pw.IntegerField(null=True),
            "households": pw.IntegerField(null=True),
            "languages": pw.CharField(max_length=40, default=""),
            "distance_km": pw.DecimalField(max_digits=7, decimal_places=1, null=True, auto_round=True),
            "travel_minutes": pw.IntegerField(null=True),
            "travel_means": pw.CharField(max_length=20, default=""),
            "latitude": pw.DecimalField(max_digits=9, decimal_places=6, null=True, auto_round=True),
            "longitude": pw.DecimalField(max_digits=9, decimal_places=6, null=True, auto_round=True),
            "notes": pw.TextField(default=""),
        },
        indexes=((("name_key", "district"), True),),
    )
    leader = _model(
        base,
        "leader",
        {
            **_business_fields(),
            "community": pw.ForeignKeyField(community, on_delete="CASCADE"),
            "name": pw.CharField(max_length=120),
            "name_key": pw.CharField(max_length=120),
            "role": pw.CharField(max_length=30),
            "phone": pw.CharField(max_length=30, default=""),
            "language": pw.CharField(max_length=5, default=""),
            "notes": pw.TextField(default=""),
        },
    )
    db.create_tables([community, leader])


def _v3_user_language(db: pw.Database) -> None:
    """Each account remembers its interface language."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    field = pw.CharField(max_length=5, default="es")

    migrate(migrator.add_column("user", "language", field))


def _v4_audit(db: pw.Database) -> None:
    """The append-only, hash-chained audit trail."""
    base = _frozen_base(db)
    audit = _model(
        base,
        "audit_entry",
        {
            "uuid": pw.CharField(max_length=36, unique=True, default=new_uuid),
            "tambo_code": pw.CharField(max_length=20),
            "at": pw.DateTimeField(default=utcnow, index=True),
            "username": pw.CharField(max_length=60, index=True),
            "action": pw.CharField(max_length=30, index=True),
            "entity": pw.CharField(max_length=40),
            "record_uuid": pw.CharField(max_length=36, default=""),
            "summary": pw.CharField(max_length=300, default=""),
            "changes": pw.TextField(default=""),
            "prev_hash": pw.CharField(max_length=64),
            "hash": pw.CharField(max_length=64, unique=True),
        },
    )
    db.create_tables([audit])


def _v5_attention_desk(db: pw.Database) -> None:
    """The attention desk: participantes, atenciones (indexed for 500 000 rows) and monthly goals."""
    base = _frozen_base(db)

    def stub(table: str) -> type[pw.Model]:  # reference only: the table exists already
        return _model(base, table, {})

    community, entity, service = stub("community"), stub("entity"), stub("service")
    person = _model(
        base,
        "person",
        {
            **_business_fields(),
            "document_type": pw.CharField(max_length=10, default="none"),
            "document_number": pw.CharField(max_length=20, null=True, index=True),
            "first_names": pw.CharField(max_length=80),
            "last_name_1": pw.CharField(max_length=80),
            "last_name_2": pw.CharField(max_length=80, default=""),
            "name_key": pw.CharField(max_length=250, index=True),
            "sex": pw.CharField(max_length=1),
            "birth_date": pw.DateField(null=True, index=True),
            "community": pw.ForeignKeyField(community, null=True),
            "first_language": pw.CharField(max_length=12, default=""),
            "phone": pw.CharField(max_length=30, default=""),
            "notes": pw.TextField(default=""),
            "anonymized": pw.BooleanField(default=False),
            "opposition": pw.BooleanField(default=False),
        },
        indexes=((("document_type", "document_number"), True),),
    )
    attention = _model(
        base,
        "attention",
        {
            **_business_fields(),
            "attended_at": pw.DateTimeField(),
            "place": pw.CharField(max_length=10),
            "community": pw.ForeignKeyField(community, null=True),
            "entity": pw.ForeignKeyField(entity),
            "service": pw.ForeignKeyField(service),
            "person": pw.ForeignKeyField(person),
            "intervention_uuid": pw.CharField(max_length=36, null=True, index=True),
            "voided": pw.BooleanField(default=False),
            "void_reason": pw.CharField(max_length=300, default=""),
        },
        indexes=((("attended_at", "id"), False),),
    )
    goal = _model(
        base,
        "monthly_goal",
        {
            **_business_fields(),
            "year": pw.IntegerField(),
            "month": pw.IntegerField(),
            "entity": pw.ForeignKeyField(entity, null=True),
            "attentions_goal": pw.IntegerField(),
            "users_goal": pw.IntegerField(),
        },
        indexes=((("year", "month", "entity"), True),),
    )
    db.create_tables([person, attention, goal])


def _v6_place_index(db: pw.Database) -> None:
    """The atenciones of one place (centro poblado where they were delivered), newest first, by index:
    the list filtered by place read and sorted every atención of that place (90 ms on 500,000), now 10 ms."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrate(SchemaMigrator.from_database(db).add_index("attention", ("community_id", "attended_at", "id"), False))


def _v7_audit_by_record(db: pw.Database) -> None:
    """One record's history (a person's page, the rights export) by index, not by reading the
    whole trail."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrate(SchemaMigrator.from_database(db).add_index("audit_entry", ("record_uuid",), False))


def _v8_interventions(db: pw.Database) -> None:
    """Interventions and bookings: spaces, resources, interventions with their services,
    resources and history, and the gestores' monthly plans."""
    base = _frozen_base(db)

    def stub(table: str) -> type[pw.Model]:  # reference only: the table exists already
        return _model(base, table, {})

    community, entity, service, user = stub("community"), stub("entity"), stub("service"), stub("user")
    named = {
        "name": pw.CharField(max_length=80),
        "name_key": pw.CharField(max_length=80, unique=True),
        "kind": pw.CharField(max_length=20),
    }
    space = _model(
        base,
        "space",
        {
            **_business_fields(),
            **named,
            "capacity": pw.IntegerField(null=True),
            "active": pw.BooleanField(default=True),
            "notes": pw.TextField(default=""),
        },
    )
    resource = _model(
        base,
        "resource",
        {**_business_fields(), **named, "active": pw.BooleanField(default=True), "notes": pw.TextField(default="")},
    )
    intervention = _model(
        base,
        "intervention",
        {
            **_business_fields(),
            "title": pw.CharField(max_length=150),
            "entity": pw.ForeignKeyField(entity, null=True),
            "kind": pw.CharField(max_length=20),
            "place": pw.CharField(max_length=10),
            "space": pw.ForeignKeyField(space, null=True),
            "community": pw.ForeignKeyField(community, null=True),
            "travel_minutes": pw.IntegerField(default=0),
            "starts_at": pw.DateTimeField(index=True),
            "ends_at": pw.DateTimeField(index=True),
            "gestor": pw.ForeignKeyField(user, null=True),
            "expected_participants": pw.IntegerField(null=True),
            "contact_name": pw.CharField(max_length=120, default=""),
            "contact_phone": pw.CharField(max_length=30, default=""),
            "notes": pw.TextField(default=""),
            "status": pw.CharField(max_length=12, index=True),
            "status_reason": pw.CharField(max_length=300, default=""),
            "series_uuid": pw.CharField(max_length=36, null=True, index=True),
        },
    )
    links = [
        _model(
            base,
            "intervention_service",
            {
                "intervention": pw.ForeignKeyField(intervention, on_delete="CASCADE"),
                "service": pw.ForeignKeyField(service),
            },
            indexes=((("intervention", "service"), True),),
        ),
        _model(
            base,
            "intervention_resource",
            {
                "intervention": pw.ForeignKeyField(intervention, on_delete="CASCADE"),
                "resource": pw.ForeignKeyField(resource),
            },
            indexes=((("intervention", "resource"), True),),
        ),
    ]
    event = _model(
        base,
        "intervention_event",
        {
            **_business_fields(),
            "intervention": pw.ForeignKeyField(intervention, on_delete="CASCADE"),
            "at": pw.DateTimeField(default=utcnow),
            "action": pw.CharField(max_length=20),
            "from_status": pw.CharField(max_length=12, default=""),
            "to_status": pw.CharField(max_length=12, default=""),
            "old_starts_at": pw.DateTimeField(null=True),
            "new_starts_at": pw.DateTimeField(null=True),
            "reason": pw.CharField(max_length=300, default=""),
        },
    )
    plan = _model(
        base,
        "monthly_plan",
        {
            **_business_fields(),
            "year": pw.IntegerField(),
            "month": pw.IntegerField(),
            "gestor": pw.ForeignKeyField(user),
            "needs": pw.TextField(default=""),
            "potentials": pw.TextField(default=""),
            "status": pw.CharField(max_length=12, default="draft"),
            "review_comments": pw.TextField(default=""),
        },
        indexes=((("year", "month", "gestor"), True),),
    )
    plan_event = _model(
        base,
        "plan_event",
        {
            **_business_fields(),
            "plan": pw.ForeignKeyField(plan, on_delete="CASCADE"),
            "at": pw.DateTimeField(default=utcnow),
            "action": pw.CharField(max_length=12),
            "comment": pw.TextField(default=""),
        },
    )
    db.create_tables([space, resource, intervention, *links, event, plan, plan_event])


def _v9_training(db: pw.Database) -> None:
    """Training records: courses, their sessions, participants (staff or people) and attendance."""
    base = _frozen_base(db)

    def stub(table: str) -> type[pw.Model]:  # reference only: the table exists already
        return _model(base, table, {})

    entity, space, community, person, user = (stub(t) for t in ("entity", "space", "community", "person", "user"))
    course = _model(
        base,
        "course",
        {
            **_business_fields(),
            "title": pw.CharField(max_length=150),
            "topic": pw.CharField(max_length=20),
            "audience": pw.CharField(max_length=10),
            "entity": pw.ForeignKeyField(entity, null=True),
            "provider": pw.CharField(max_length=120, default=""),
            "trainer": pw.CharField(max_length=120, default=""),
            "language": pw.CharField(max_length=12, default="es"),
            "certification": pw.CharField(max_length=150, default=""),
            "validity_months": pw.IntegerField(null=True),
            "notes": pw.TextField(default=""),
        },
    )
    session = _model(
        base,
        "course_session",
        {
            **_business_fields(),
            "course": pw.ForeignKeyField(course, on_delete="CASCADE"),
            "starts_at": pw.DateTimeField(index=True),
            "ends_at": pw.DateTimeField(),
            "place": pw.CharField(max_length=10),
            "space": pw.ForeignKeyField(space, null=True),
            "community": pw.ForeignKeyField(community, null=True),
        },
    )
    enrollment = _model(
        base,
        "enrollment",
        {
            **_business_fields(),
            "course": pw.ForeignKeyField(course, on_delete="CASCADE"),
            "person": pw.ForeignKeyField(person, null=True),
            "user": pw.ForeignKeyField(user, null=True),
            "result": pw.CharField(max_length=10, default="enrolled"),
            "certificate_code": pw.CharField(max_length=24, null=True, unique=True),
            "certificate_issued_at": pw.DateTimeField(null=True),
        },
        indexes=((("course", "person"), True), (("course", "user"), True)),
    )
    attendance = _model(
        base,
        "attendance",
        {
            "enrollment": pw.ForeignKeyField(enrollment, on_delete="CASCADE"),
            "session": pw.ForeignKeyField(session, on_delete="CASCADE"),
            "present": pw.BooleanField(default=True),
        },
        indexes=((("enrollment", "session"), True),),
    )
    db.create_tables([course, session, enrollment, attendance])


def _v10_field_visits(db: pw.Database) -> None:
    """Field visits: vehicles and their fuel allocations, trips with their stops and photos, needs
    diagnostics and the rules that suggest services for the needs (loaded from the bundled file)."""
    base = _frozen_base(db)

    def stub(table: str) -> type[pw.Model]:  # reference only: the table exists already
        return _model(base, table, {})

    resource, user, community, service = (stub(t) for t in ("resource", "user", "community", "service"))
    vehicle = _model(base, "vehicle", {
        **_business_fields(),
        "name": pw.CharField(max_length=80),
        "name_key": pw.CharField(max_length=80, unique=True),
        "kind": pw.CharField(max_length=20),
        "plate": pw.CharField(max_length=20, default=""),
        "km_per_gallon": pw.DecimalField(max_digits=6, decimal_places=1, null=True),
        "resource": pw.ForeignKeyField(resource, null=True),
        "active": pw.BooleanField(default=True),
    })  # fmt: skip
    allocation = _model(base, "fuel_allocation", {
        **_business_fields(),
        "vehicle": pw.ForeignKeyField(vehicle),
        "year": pw.IntegerField(),
        "month": pw.IntegerField(),
        "gallons": pw.DecimalField(max_digits=8, decimal_places=2),
        "soles": pw.DecimalField(max_digits=10, decimal_places=2),
    }, indexes=((("vehicle", "year", "month"), True),))  # fmt: skip
    trip = _model(base, "trip", {
        **_business_fields(),
        "gestor": pw.ForeignKeyField(user),
        "departs_at": pw.DateTimeField(index=True),
        "returns_at": pw.DateTimeField(),
        "purpose": pw.CharField(max_length=20),
        "means": pw.CharField(max_length=20),
        "vehicle": pw.ForeignKeyField(vehicle, null=True),
        "odometer_start": pw.IntegerField(null=True),
        "odometer_end": pw.IntegerField(null=True),
        "fuel_gallons": pw.DecimalField(max_digits=7, decimal_places=2, null=True),
        "fuel_soles": pw.DecimalField(max_digits=9, decimal_places=2, null=True),
        "receipt": pw.CharField(max_length=40, default=""),
        "people_met": pw.TextField(default=""),
        "activities": pw.TextField(default=""),
        "agreements": pw.TextField(default=""),
        "intervention_uuid": pw.CharField(max_length=36, null=True, index=True),
    })  # fmt: skip
    stop = _model(base, "trip_stop", {
        "trip": pw.ForeignKeyField(trip, on_delete="CASCADE"),
        "position": pw.IntegerField(),
        "community": pw.ForeignKeyField(community),
    }, indexes=((("trip", "position"), True),))  # fmt: skip
    photo = _model(base, "trip_photo", {
        "trip": pw.ForeignKeyField(trip, on_delete="CASCADE"),
        "data": pw.BlobField(),
        "caption": pw.CharField(max_length=200, default=""),
    })  # fmt: skip
    diagnostic = _model(base, "diagnostic", {
        **_business_fields(),
        "community": pw.ForeignKeyField(community),
        "made_on": pw.DateField(index=True),
        "activities": pw.CharField(max_length=300, default=""),
        "needs": pw.CharField(max_length=300, default=""),
        "potentials": pw.TextField(default=""),
        "priorities": pw.TextField(default=""),
    })  # fmt: skip
    rule = _model(base, "need_rule", {
        "need": pw.CharField(max_length=20),
        "activity": pw.CharField(max_length=20, default=""),
        "service": pw.ForeignKeyField(service),
    }, indexes=((("need", "activity", "service"), True),))  # fmt: skip
    db.create_tables([vehicle, allocation, trip, stop, photo, diagnostic, rule])  # rules: reference.load_need_rules


def _v11_campaigns(db: pw.Database) -> None:
    """Campaigns: their interventions, communities, checklist, documents, letters; entities' logos."""
    base = _frozen_base(db)

    def stub(table: str) -> type[pw.Model]:  # reference only: the table exists already
        return _model(base, table, {})

    intervention, community, leader, entity = (stub(t) for t in ("intervention", "community", "leader", "entity"))
    campaign = _model(base, "campaign", {
        **_business_fields(),
        "title_es": pw.CharField(max_length=120),
        "title_local": pw.CharField(max_length=120, default=""),
        "message_es": pw.TextField(default=""),
        "message_local": pw.TextField(default=""),
        "local_language": pw.CharField(max_length=5, default="qu"),
        "layout": pw.CharField(max_length=10, default="side"),
        "channels": pw.CharField(max_length=200, default=""),
        "bring": pw.CharField(max_length=200, default="dni"),
        "starts_on": pw.DateField(),
        "photo": pw.BlobField(null=True),
        "radio_es": pw.TextField(default=""),
        "radio_local": pw.TextField(default=""),
        "notes": pw.TextField(default=""),
    })  # fmt: skip
    links = _model(base, "campaign_intervention", {
        "campaign": pw.ForeignKeyField(campaign, on_delete="CASCADE"),
        "intervention": pw.ForeignKeyField(intervention),
    }, indexes=((("campaign", "intervention"), True),))  # fmt: skip
    communities = _model(base, "campaign_community", {
        "campaign": pw.ForeignKeyField(campaign, on_delete="CASCADE"),
        "community": pw.ForeignKeyField(community),
    }, indexes=((("campaign", "community"), True),))  # fmt: skip
    task = _model(base, "campaign_task", {
        **_business_fields(),
        "campaign": pw.ForeignKeyField(campaign, on_delete="CASCADE"),
        "position": pw.IntegerField(),
        "title": pw.CharField(max_length=200),
        "done_at": pw.DateTimeField(null=True),
        "done_by": pw.CharField(max_length=60, default=""),
    })  # fmt: skip
    document = _model(base, "campaign_document", {
        **_business_fields(),
        "campaign": pw.ForeignKeyField(campaign, on_delete="CASCADE"),
        "kind": pw.CharField(max_length=20),
        "options": pw.TextField(default="{}"),
        "pages": pw.IntegerField(default=0),
    })  # fmt: skip
    letter = _model(base, "letter", {
        **_business_fields(),
        "campaign": pw.ForeignKeyField(campaign, on_delete="CASCADE"),
        "leader": pw.ForeignKeyField(leader),
        "year": pw.IntegerField(),
        "number": pw.IntegerField(),
        "delivered_on": pw.DateField(null=True),
    }, indexes=((("campaign", "leader"), True), (("year", "number"), True)))  # fmt: skip
    logo = _model(base, "entity_logo", {
        "entity": pw.ForeignKeyField(entity, unique=True, on_delete="CASCADE"),
        "data": pw.BlobField(),
    })  # fmt: skip
    db.create_tables([campaign, links, communities, task, document, letter, logo])


#: The business tables at version 12 (every one carries the BusinessModel fields).
_V12_BUSINESS_TABLES = (
    "tambo",
    "user",
    "community",
    "leader",
    "person",
    "attention",
    "monthly_goal",
    "space",
    "resource",
    "intervention",
    "intervention_event",
    "monthly_plan",
    "plan_event",
    "course",
    "course_session",
    "enrollment",
    "vehicle",
    "fuel_allocation",
    "trip",
    "diagnostic",
    "campaign",
    "campaign_task",
    "campaign_document",
    "letter",
)


def _v12_record_versions(db: pw.Database) -> None:
    """Every business record carries a version, bumped by each save: a save from a copy read
    before another PC's save is refused instead of undoing it (issue 17, part 1). Plain ADD COLUMN
    with a constant default: neither SQLite nor PostgreSQL rewrites the table (500,000 atenciones
    take no longer than ten)."""
    for table in _V12_BUSINESS_TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')


def _v13_staff_days(db: pw.Database) -> None:
    """The staff's daily record (issue 18, part 3): each account's arrival and departure per day
    (automatic from signing in and out, or corrected with a reason), and leave and holidays."""
    base = _frozen_base(db)
    user = _model(base, "user", {})
    staff_day = _model(base, "staff_day", {
        **_business_fields(),
        "version": pw.IntegerField(default=1),
        "user": pw.ForeignKeyField(user),
        "day": pw.DateField(),
        "auto_arrival": pw.DateTimeField(null=True),
        "auto_departure": pw.DateTimeField(null=True),
        "arrival": pw.DateTimeField(null=True),
        "departure": pw.DateTimeField(null=True),
        "corrected": pw.BooleanField(default=False),
        "reason": pw.CharField(max_length=300, default=""),
    }, indexes=((("user", "day"), True), (("day",), False)))  # fmt: skip
    staff_leave = _model(base, "staff_leave", {
        **_business_fields(),
        "version": pw.IntegerField(default=1),
        "user": pw.ForeignKeyField(user, null=True),
        "kind": pw.CharField(max_length=20),
        "first_day": pw.DateField(index=True),
        "last_day": pw.DateField(index=True),
        "note": pw.CharField(max_length=300, default=""),
    })  # fmt: skip
    db.create_tables([staff_day, staff_leave])


def _v14_leader_sex(db: pw.Database) -> None:
    """A leader's sex (F, M or empty: not said), so that an oficio greets «Señora» or «Señor» and
    not «Señor(a)» (issue 14, part 7). Plain ADD COLUMN with a constant default."""
    db.execute_sql('ALTER TABLE "leader" ADD COLUMN "sex" VARCHAR(1) NOT NULL DEFAULT \'\'')


def _v15_pias(db: pw.Database) -> None:
    """PIAS (issue 19): the platform kind on the tambo's profile; the ship; voyages with their ordered
    stops, entities aboard and history; the stop an atención was delivered at (NULL in a tambo).
    Plain ADD COLUMNs with constant defaults: no table is rewritten."""
    base = _frozen_base(db)

    def stub(table: str) -> type[pw.Model]:  # reference only: the table exists already
        return _model(base, table, {})

    community, entity = stub("community"), stub("entity")
    business = {**_business_fields(), "version": pw.IntegerField(default=1)}
    ship = _model(base, "ship", {
        **business,
        "name": pw.CharField(max_length=120),
        "navy_code": pw.CharField(max_length=30, default=""),
        "capacity": pw.IntegerField(null=True),
        "modules": pw.CharField(max_length=300, default=""),
        "notes": pw.TextField(default=""),
    })  # fmt: skip
    voyage = _model(base, "voyage", {
        **business,
        "name": pw.CharField(max_length=120),
        "basin": pw.CharField(max_length=120),
        "fuel_planned": pw.DecimalField(max_digits=9, decimal_places=1, null=True),
        "fuel_used": pw.DecimalField(max_digits=9, decimal_places=1, null=True),
        "supplies": pw.TextField(default=""),
        "notes": pw.TextField(default=""),
    })  # fmt: skip
    stop = _model(base, "voyage_stop", {
        **business,
        "voyage": pw.ForeignKeyField(voyage, on_delete="CASCADE"),
        "position": pw.IntegerField(),
        "community": pw.ForeignKeyField(community),
        "arrives_at": pw.DateTimeField(index=True),
        "departs_at": pw.DateTimeField(),
        "distance_km": pw.DecimalField(max_digits=7, decimal_places=1, null=True),
        "travel_hours": pw.DecimalField(max_digits=5, decimal_places=1, null=True),
        "expected_people": pw.IntegerField(null=True),
        "status": pw.CharField(max_length=10, default="planned"),
        "reason": pw.CharField(max_length=300, default=""),
    }, indexes=((("voyage", "position"), True),))  # fmt: skip
    aboard = _model(base, "voyage_entity", {
        **business,
        "voyage": pw.ForeignKeyField(voyage, on_delete="CASCADE"),
        "entity": pw.ForeignKeyField(entity),
        "staff": pw.TextField(default=""),
        "services": pw.TextField(default=""),
    }, indexes=((("voyage", "entity"), True),))  # fmt: skip
    event = _model(base, "voyage_event", {
        **business,
        "voyage": pw.ForeignKeyField(voyage, on_delete="CASCADE"),
        "stop": pw.ForeignKeyField(stop, null=True, on_delete="CASCADE"),
        "at": pw.DateTimeField(default=utcnow),
        "action": pw.CharField(max_length=20),
        "old_arrives_at": pw.DateTimeField(null=True),
        "new_arrives_at": pw.DateTimeField(null=True),
        "shifted": pw.IntegerField(default=0),
        "reason": pw.CharField(max_length=300, default=""),
    })  # fmt: skip
    db.create_tables([ship, voyage, stop, aboard, event])
    db.execute_sql('ALTER TABLE "tambo" ADD COLUMN "platform" VARCHAR(10) NOT NULL DEFAULT \'tambo\'')
    db.execute_sql('ALTER TABLE "attention" ADD COLUMN "voyage_stop_id" INTEGER REFERENCES "voyage_stop" ("id")')
    db.execute_sql('CREATE INDEX "attention_voyage_stop_id" ON "attention" ("voyage_stop_id")')


def _v16_packages(db: pw.Database) -> None:
    """Packages for the central office (issue 20): each package made, and the version of every
    record last sent (so that the next package carries only what changed since)."""
    base = _frozen_base(db)
    package = _model(base, "package", {
        "id": pw.IntegerField(primary_key=True),
        "made_at": pw.DateTimeField(),
        "made_by": pw.CharField(max_length=60),
        "mode": pw.CharField(max_length=12),
        "file_name": pw.CharField(max_length=255),
        "sha256": pw.CharField(max_length=64),
        "records": pw.IntegerField(),
        "tombstones": pw.IntegerField(),
        "audit_from": pw.IntegerField(),
        "audit_to": pw.IntegerField(),
        "counts": pw.TextField(default="{}"),
        "remade": pw.IntegerField(default=0),
    })  # fmt: skip
    sent = _model(base, "package_sent", {
        "uuid": pw.CharField(max_length=36, primary_key=True),
        "version": pw.IntegerField(),
        "package_seq": pw.IntegerField(index=True),
    })  # fmt: skip
    db.create_tables([package, sent])


def _v17_keyed_audit(db: pw.Database) -> None:
    """The audit trail, second pass (issue 15.4): ids are never reused (SQLite ``AUTOINCREMENT``;
    PostgreSQL's sequence already never goes back), and each line says by which scheme its hash
    was made (``scheme`` 1: the old unkeyed SHA-256 of some columns, kept for the lines written
    before; 2: HMAC-SHA256 with the installation key over every column). On SQLite the table is
    rebuilt (its rows, ids and indexes kept as they are)."""
    if not isinstance(db, pw.SqliteDatabase):
        db.execute_sql('ALTER TABLE "audit_entry" ADD COLUMN "scheme" INTEGER NOT NULL DEFAULT 1')
        return
    indexes = [
        sql
        for (sql,) in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entry' AND sql IS NOT NULL"
        ).fetchall()
    ]
    db.execute_sql(
        'CREATE TABLE "audit_entry_v13" ('
        '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "uuid" VARCHAR(36) NOT NULL, '
        '"tambo_code" VARCHAR(20) NOT NULL, "at" DATETIME NOT NULL, "username" VARCHAR(60) NOT NULL, '
        '"action" VARCHAR(30) NOT NULL, "entity" VARCHAR(40) NOT NULL, "record_uuid" VARCHAR(36) NOT NULL, '
        '"summary" VARCHAR(300) NOT NULL, "changes" TEXT NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, '
        '"hash" VARCHAR(64) NOT NULL, "scheme" INTEGER NOT NULL DEFAULT 1)'
    )
    columns = '"id", "uuid", "tambo_code", "at", "username", "action", "entity", "record_uuid", "summary", "changes", "prev_hash", "hash"'
    db.execute_sql(f'INSERT INTO "audit_entry_v13" ({columns}) SELECT {columns} FROM "audit_entry" ORDER BY "id"')
    db.execute_sql('DROP TABLE "audit_entry"')
    db.execute_sql('ALTER TABLE "audit_entry_v13" RENAME TO "audit_entry"')
    for sql in indexes:
        db.execute_sql(sql)


def _v18_digests(key: bytes | None):
    """Frozen copies of the chain's hash schemes 1 and 2 and of the seal (services/audit.py)."""
    import hashlib

    from tambo_desktop.db import keys

    def scheme1(prev: str, at: dt.datetime, row: tuple) -> str:
        payload = json.dumps(
            [prev, at.strftime("%Y-%m-%dT%H:%M:%S"), row[4], row[5], row[6], row[7], row[8], row[9]],
            ensure_ascii=False, separators=(",", ":"),
        )  # fmt: skip
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def scheme2(prev: str, at: dt.datetime, row: tuple) -> str:
        fields = [row[0], row[1], row[2], at.isoformat(), row[4], row[5], row[6], row[7], row[8], row[9], prev, 2]
        return keys.tag("tambo-audit-line-v2", fields, key)

    def seal(at: dt.datetime, row: tuple, summary: str, changes: str) -> str:
        fields = [
            row[0],
            row[1],
            row[2],
            at.isoformat(),
            row[4],
            row[5],
            row[6],
            row[7],
            summary,
            changes,
            row[10],
            row[11],
            row[12],
        ]
        return keys.tag("tambo-audit-seal-v1", fields, key)

    return scheme1, scheme2, seal


def _v18_personal_values(db: pw.Database) -> None:
    """Personal values kept apart from the audit trail (issue 15.5): the table ``audit_value`` and
    each line's ``seal``; the lines written before move their personal values there. A person's
    line (create, update, delete, merge) keeps tokens for its summary (the name) and for the values
    of the document, names, phone, notes and birth date; an atención moved by a merge, for its
    summary (the kept person's name). Each line so rewritten, when the chain verified up to it,
    gets a seal (HMAC with the installation key over the line as it is now and its original hash,
    which the next line links to): its hash, the anchor and the central office's copy of the chain
    stay as they were. Lines from a break on are rewritten without a seal: the break stays where
    it was."""
    from tambo_desktop.db import keys, personal

    base = _frozen_base(db)
    value = _model(
        base,
        "audit_value",
        {
            "token": pw.CharField(max_length=32, primary_key=True),
            "subject": pw.CharField(max_length=36, index=True),
            "nonce": pw.CharField(max_length=32),
            "value": pw.TextField(),
        },
    )
    db.create_tables([value])
    db.execute_sql('ALTER TABLE "audit_entry" ADD COLUMN "seal" VARCHAR(64) NOT NULL DEFAULT \'\'')
    if db.execute_sql('SELECT COUNT(*) FROM "audit_entry"').fetchone()[0] == 0:
        return
    key = keys.installation_key()
    scheme1, scheme2, seal = _v18_digests(key)
    kept: dict[str, str] = {}  # merges: removed person -> kept person
    for (text,) in db.execute_sql(
        'SELECT "changes" FROM "audit_entry" WHERE "entity" = \'person\' AND "action" = \'merge\' ORDER BY "id"'
    ).fetchall():
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            pair = json.loads(text).get("person")
            if isinstance(pair, list) and len(pair) == 2 and pair[0] != pair[1]:
                kept[str(pair[0])] = str(pair[1])

    def owner(subject: str) -> str:
        seen = set()
        while subject in kept and subject not in seen:
            seen.add(subject)
            subject = kept[subject]
        return subject

    person_uuid = {int(i): str(u) for i, u in db.execute_sql('SELECT "id", "uuid" FROM "person"').fetchall()}
    p = db.param
    columns = '"id", "uuid", "tambo_code", "at", "username", "action", "entity", "record_uuid", "summary", "changes", "prev_hash", "hash", "scheme"'
    update = f'UPDATE "audit_entry" SET "summary" = {p}, "changes" = {p}, "seal" = {p} WHERE "id" = {p}'
    insert = f'INSERT INTO "audit_value" ("token", "subject", "nonce", "value") VALUES ({p}, {p}, {p}, {p})'
    prev, intact, keyed, last_id = "0" * 64, True, False, 0
    while True:
        rows = db.execute_sql(
            f'SELECT {columns} FROM "audit_entry" WHERE "id" > {p} ORDER BY "id" LIMIT 2000', (last_id,)
        ).fetchall()
        if not rows:
            break
        values: list[dict] = []
        updates = []
        for row in rows:
            last_id = int(row[0])
            at = row[3] if isinstance(row[3], dt.datetime) else dt.datetime.fromisoformat(str(row[3]))
            at = at.replace(tzinfo=None)
            scheme = int(row[12])
            if intact:
                if scheme == 2:
                    keyed = True
                    expected = scheme2(prev, at, row)
                elif scheme == 1 and not keyed:
                    expected = scheme1(prev, at, row)
                else:
                    expected = ""
                intact = row[10] == prev and row[11] == expected
            prev = row[11]
            entity, action, record_uuid, summary, text = row[6], row[5], row[7], row[8] or "", row[9] or ""
            try:
                changes = json.loads(text) if text else None
            except ValueError:
                changes = None
            new_summary, new_changes = summary, changes
            if entity == "person" and action in personal.NAMED_ACTIONS and isinstance(changes, dict | None):
                new_summary, new_changes = personal.protect(
                    entity, action, record_uuid, summary, changes, key, values, owner(record_uuid)
                )
            elif entity == "person" and action == "export" and summary and not personal.TOKEN_RE.search(summary):
                new_summary = personal.new_value(
                    owner(record_uuid), summary, key, values
                )  # names the file: often the person's name
            elif entity == "attention" and action == "update" and isinstance(changes, dict) and "person" in changes:
                pair = changes["person"]
                moved_to = (
                    person_uuid.get(int(pair[1]))
                    if isinstance(pair, list) and len(pair) == 2 and str(pair[1]).isdigit()
                    else None
                )
                if summary and moved_to and not personal.TOKEN_RE.search(summary):
                    new_summary = personal.new_value(owner(moved_to), summary, key, values)
            if new_summary == summary and new_changes == changes:
                continue
            new_text = json.dumps(new_changes, ensure_ascii=False, sort_keys=True, default=str) if new_changes else ""
            updates.append((new_summary, new_text, seal(at, row, new_summary, new_text) if intact else "", last_id))
        cursor = db.cursor()
        if values:
            cursor.executemany(insert, [(v["token"], v["subject"], v["nonce"], v["value"]) for v in values])
        if updates:
            cursor.executemany(update, updates)
    log.info(
        "migration 18: personal values of the audit trail kept apart (chain %s before)", "sound" if intact else "broken"
    )


def _v19_language_codes(db: pw.Database) -> None:
    """Spoken languages by their ISO 639-3 codes (issue 19, part 6): the four Amazonian languages the
    list had by name become their codes (ashaninka → cni, awajun → agr, kukama → cod, shipibo → shp)
    in the communities' lists, the people's first language, the leaders' and the courses' language.
    Values only: no column changes; the codes are written here, frozen."""
    old = {"ashaninka": "cni", "awajun": "agr", "kukama": "cod", "shipibo": "shp"}
    for table, column in (("person", "first_language"), ("leader", "language"), ("course", "language")):
        for before, after in old.items():
            db.execute_sql(
                f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" = %s'.replace("%s", db.param), (after, before)
            )
    rows = db.execute_sql('SELECT "id", "languages" FROM "community" WHERE "languages" <> \'\'').fetchall()
    for row_id, languages in rows:
        codes = [old.get(code, code) for code in str(languages).split(";")]
        new = ";".join(dict.fromkeys(codes))
        if new != languages:
            db.execute_sql(
                'UPDATE "community" SET "languages" = %s WHERE "id" = %s'.replace("%s", db.param), (new, row_id)
            )


def _v20_tambo_goal_unique(db: pw.Database) -> None:
    """One goal of the whole tambo per month (issue 17, part 1): the UNIQUE (year, month, entity)
    index lets any number of rows with a NULL entity in (NULL is never equal to NULL, on SQLite and
    on PostgreSQL), so two PCs setting the tambo's goal at once made two. A partial unique index on
    (year, month) WHERE entity_id IS NULL closes it on both engines. Duplicates made before are
    merged first: the last saved one of each month is kept (the others are logged, with their
    values, and removed)."""
    rows = db.execute_sql(
        'SELECT "id", "year", "month", "attentions_goal", "users_goal", "updated_by", "updated_at" FROM "monthly_goal" '
        'WHERE "entity_id" IS NULL ORDER BY "year", "month", "updated_at" DESC, "id" DESC'
    ).fetchall()
    seen: set[tuple[int, int]] = set()
    for goal_id, year, month, attentions, users, by, at in rows:
        if (year, month) not in seen:
            seen.add((year, month))
            continue
        log.warning("tambo goal %s-%02d duplicated: removed row %s (%s atenciones, %s usuarios, by %s at %s)",
                    year, month, goal_id, attentions, users, by, at)  # fmt: skip
        db.execute_sql('DELETE FROM "monthly_goal" WHERE "id" = %s'.replace("%s", db.param), (goal_id,))
    db.execute_sql(
        'CREATE UNIQUE INDEX "monthly_goal_tambo_month" ON "monthly_goal" ("year", "month") WHERE "entity_id" IS NULL'
    )


def _v21_counted_attention_indexes(db: pw.Database) -> None:
    """The charts' counts read the index alone (issue 18.4): the indicators' rule filters the
    atenciones on ``voided`` and ``attended_at`` and counts ``person_id``, which the (attended_at,
    id) index does not hold, so each atención's row was read too. (voided, attended_at, person_id)
    covers a period's atenciones and usuarios; (person_id, voided, attended_at) finds each person's
    last atención in a span with one seek (the map of the ámbito). On the large demo (500,000
    atenciones), by hand in sqlite3, the 12 months' counts (one month at a time, as
    ``IndicatorService.trend`` now reads them) take 70 ms instead of 253 ms (docs/CHARTS.md)."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_index("attention", ("voided", "attended_at", "person_id"), False),
        migrator.add_index("attention", ("person_id", "voided", "attended_at"), False),
    )


def _v22_row_seals(db: pw.Database) -> None:
    """Keyed seals of the rows that hold people's data (issue 15.4, ``db/seals.py``): the tables
    ``row_seal`` and ``seal_total``, every existing row sealed as it is now, and this connection's
    triggers on, so the rest of the migrations' transaction and the application keep them. SQLite
    only: a PostgreSQL server's rows are guarded by its own accounts. Independent of 21 (either may
    be applied first)."""
    if not isinstance(db, pw.SqliteDatabase):
        return
    from tambo_desktop.db import seals

    conn = db.connection()
    seals.create_tables(conn.execute)
    counts = seals.seal_all(conn)
    seals.attach(conn)
    log.info("row seals: %s", ", ".join(f"{table} {n}" for table, n in counts.items()))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core", _v1_core),
    Migration(2, "communities", _v2_communities),
    Migration(3, "user language", _v3_user_language),
    Migration(4, "audit trail", _v4_audit),
    Migration(5, "attention desk", _v5_attention_desk),
    Migration(6, "attentions by place", _v6_place_index),
    Migration(7, "audit by record", _v7_audit_by_record),
    Migration(8, "interventions", _v8_interventions),
    Migration(9, "training", _v9_training),
    Migration(10, "field visits", _v10_field_visits),
    Migration(11, "campaigns", _v11_campaigns),
    Migration(12, "record versions", _v12_record_versions),
    Migration(13, "staff days", _v13_staff_days),
    Migration(14, "leader sex", _v14_leader_sex),
    Migration(15, "pias", _v15_pias),
    Migration(16, "packages", _v16_packages),
    Migration(17, "keyed audit trail", _v17_keyed_audit),
    Migration(18, "personal values apart", _v18_personal_values),
    Migration(19, "language codes", _v19_language_codes),
    Migration(20, "one tambo goal a month", _v20_tambo_goal_unique),
    Migration(21, "counted attention indexes", _v21_counted_attention_indexes),
    Migration(22, "row seals", _v22_row_seals),
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(db: pw.Database) -> int:
    """The schema version of ``db`` (0 for an empty database)."""
    if not db.table_exists("schema_version"):
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


#: Migrations numbered below one published before them: 18 came after 19 was published, so a database
#: made at 19 (or later) gets 18 next. Only these run below the newest applied version; any other gap
#: means a file that is not a database of this application (e.g. only a ``schema_version`` table), and
#: preparing it must fail rather than build a tambo in it.
LATE_MIGRATIONS = frozenset({18, 21, 22})  # 21 and 22 were made side by side: either may come first


def pending(db: pw.Database) -> list[Migration]:
    """The migrations not applied yet, in order: those above the newest applied, and a late one
    (:data:`LATE_MIGRATIONS`) not applied yet."""
    if not db.table_exists("schema_version"):
        return list(MIGRATIONS)
    applied = {int(v) for (v,) in db.execute_sql("SELECT version FROM schema_version").fetchall()}
    newest = max(applied, default=0)
    return [m for m in MIGRATIONS if m.version not in applied and (m.version > newest or m.version in LATE_MIGRATIONS)]


def migrate(db: pw.Database, target: int | None = None) -> list[int]:
    """Apply the pending migrations up to ``target`` (default: latest), each in a transaction."""
    applied = []
    for migration in pending(db):
        if target is not None and migration.version > target:
            break
        with db.atomic():
            migration.apply(db)
            db.execute_sql(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, %s)" % ((db.param,) * 3),
                (migration.version, migration.name, utcnow()),
            )
        log.info("schema migrated to version %s (%s)", migration.version, migration.name)
        applied.append(migration.version)
    return applied
