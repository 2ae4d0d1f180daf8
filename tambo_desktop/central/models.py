"""Tables of the central database (peewee models on the same database proxy as the tambo's).

The reference data (departments, provinces, districts, entities, services, need rules) are the
tambo's own tables (``db.models``), loaded by the same loader; the tambos' records are in tables of
their own, whose columns carry the names the indicators' rule reads (``services.indicators.Tables``).
``central_attention`` is partitioned by the year of the atención (see ``schema.py``).
"""

from __future__ import annotations

import peewee as pw

from tambo_desktop.db.models import BaseModel, Entity, Service, utcnow


class CentralSchema(BaseModel):
    version = pw.IntegerField(primary_key=True)
    name = pw.CharField(max_length=100)
    applied_at = pw.DateTimeField(default=utcnow)


class CentralUser(BaseModel):
    """An account of the central office: ``admin`` (imports, accounts) or ``analyst`` (reads)."""

    id = pw.AutoField()
    username = pw.CharField(max_length=40, unique=True)
    full_name = pw.CharField(max_length=120, default="")
    role = pw.CharField(max_length=20)
    password_hash = pw.CharField(max_length=200)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)


class CentralTambo(BaseModel):
    """A tambo that sent packages; its signing key is the one of its first package."""

    code = pw.CharField(max_length=20, primary_key=True)
    name = pw.CharField(max_length=120)
    district_code = pw.CharField(max_length=6)
    department_code = pw.CharField(max_length=2)
    unit = pw.CharField(max_length=60, default="")  # Unidad Territorial, set by the central office
    public_key = pw.CharField(max_length=64)
    first_seen_at = pw.DateTimeField(default=utcnow)
    reference_version = pw.TextField(default="{}")


class CentralPackage(BaseModel):
    """A package imported: who, when, what it changed."""

    id = pw.AutoField()
    tambo_code = pw.CharField(max_length=20, index=True)
    seq = pw.IntegerField()
    sha256 = pw.CharField(max_length=64, unique=True)
    imported_at = pw.DateTimeField(default=utcnow)
    imported_by = pw.CharField(max_length=40)
    manifest = pw.TextField()
    inserted = pw.IntegerField(default=0)
    updated = pw.IntegerField(default=0)
    unchanged = pw.IntegerField(default=0)
    older = pw.IntegerField(default=0)
    conflicts = pw.IntegerField(default=0)
    tombstones = pw.IntegerField(default=0)


class CentralRecord(BaseModel):
    """Every record of every tambo as it last arrived (JSON), by uuid: the versions' referee."""

    uuid = pw.CharField(max_length=36, primary_key=True)
    kind = pw.CharField(max_length=40, index=True)
    tambo_code = pw.CharField(max_length=20, index=True)
    version = pw.IntegerField()
    digest = pw.CharField(max_length=64)
    deleted = pw.BooleanField(default=False)
    data = pw.TextField()
    package = pw.IntegerField()
    updated_at = pw.DateTimeField(default=utcnow)


class CentralConflict(BaseModel):
    """The same record arrived with two different contents: both kept, side by side, for review."""

    id = pw.AutoField()
    uuid = pw.CharField(max_length=36, index=True)
    kind = pw.CharField(max_length=40)
    version = pw.IntegerField()
    kept_tambo = pw.CharField(max_length=20)
    kept_data = pw.TextField()
    other_tambo = pw.CharField(max_length=20)
    other_version = pw.IntegerField()
    other_data = pw.TextField()
    package = pw.IntegerField()
    found_at = pw.DateTimeField(default=utcnow)
    resolved = pw.BooleanField(default=False)
    #: The review (central schema 2): who chose, when, and which record stays: "tambo" (the one that
    #: arrived, ``other_data``) or "central" (the one the central database kept, ``kept_data``).
    resolved_by = pw.CharField(max_length=40, default="")
    resolved_at = pw.DateTimeField(null=True)
    kept = pw.CharField(max_length=10, default="")


class CentralAction(BaseModel):
    """What the central office's accounts did that changes data by hand (central schema 2): a
    conflict resolved, with the values replaced. Appended only."""

    id = pw.AutoField()
    at = pw.DateTimeField(default=utcnow)
    username = pw.CharField(max_length=40)
    action = pw.CharField(max_length=40)
    target = pw.CharField(max_length=80)
    details = pw.TextField(default="{}")


class CentralAudit(BaseModel):
    """The tambos' audit trails, as received (the chain is checked on import). Keyed by hash: a
    trail that forked (a copy of the database used elsewhere) keeps both branches."""

    tambo_code = pw.CharField(max_length=20)
    entry_id = pw.IntegerField()
    uuid = pw.CharField(max_length=36)
    at = pw.DateTimeField()
    username = pw.CharField(max_length=60)
    action = pw.CharField(max_length=30)
    entity = pw.CharField(max_length=40)
    record_uuid = pw.CharField(max_length=36, default="")
    summary = pw.CharField(max_length=300, default="")
    changes = pw.TextField(default="")
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)

    class Meta:
        primary_key = pw.CompositeKey("tambo_code", "hash")
        indexes = ((("tambo_code", "entry_id"), False),)


class NationalPerson(BaseModel):
    """One person known to several tambos by the same document (DNI): the national link."""

    id = pw.AutoField()
    document_type = pw.CharField(max_length=10)
    document_number = pw.CharField(max_length=20)

    class Meta:
        table_name = "central_national_person"
        indexes = ((("document_type", "document_number"), True),)


class CentralCommunity(BaseModel):
    id = pw.BigAutoField()
    uuid = pw.CharField(max_length=36, unique=True)
    tambo_code = pw.CharField(max_length=20, index=True)
    version = pw.IntegerField()
    name = pw.CharField(max_length=120)
    district_code = pw.CharField(max_length=6, null=True)
    kind = pw.CharField(max_length=30, default="")
    population = pw.IntegerField(null=True)


class CentralPerson(BaseModel):
    """A tambo's participante (version 0: not arrived yet, made for an atención that came first)."""

    id = pw.BigAutoField()
    national_id: int | None
    community_id: int | None
    uuid = pw.CharField(max_length=36, unique=True)
    tambo_code = pw.CharField(max_length=20, index=True)
    version = pw.IntegerField()
    document_type = pw.CharField(max_length=10, default="none")
    document_number = pw.CharField(max_length=20, null=True)
    first_names = pw.CharField(max_length=80, default="")
    last_name_1 = pw.CharField(max_length=80, default="")
    last_name_2 = pw.CharField(max_length=80, default="")
    sex = pw.CharField(max_length=1, default="")
    birth_date = pw.DateField(null=True)
    community = pw.ForeignKeyField(CentralCommunity, null=True, backref="+")
    anonymized = pw.BooleanField(default=False)
    national = pw.ForeignKeyField(NationalPerson, null=True, backref="persons")

    class Meta:
        indexes = ((("document_type", "document_number"), False),)


class CentralAttention(BaseModel):
    """An atención of a tambo (partitioned by year of ``attended_at``; made by ``schema.py``)."""

    id = pw.BigAutoField()
    community_id: int | None
    entity_id: int
    service_id: int
    person_id: int
    uuid = pw.CharField(max_length=36)
    tambo_code = pw.CharField(max_length=20)
    department_code = pw.CharField(max_length=2)
    version = pw.IntegerField()
    attended_at = pw.DateTimeField()
    place = pw.CharField(max_length=10)
    community = pw.ForeignKeyField(CentralCommunity, null=True, backref="+")
    entity = pw.ForeignKeyField(Entity, backref="+")
    service = pw.ForeignKeyField(Service, backref="+")
    person = pw.ForeignKeyField(CentralPerson, backref="+")
    voided = pw.BooleanField(default=False)
    void_reason = pw.CharField(max_length=300, default="")


class CentralGoal(BaseModel):
    """A tambo's metas del mes (entity None: the tambo's own)."""

    id = pw.BigAutoField()
    entity_id: int | None
    uuid = pw.CharField(max_length=36, unique=True)
    tambo_code = pw.CharField(max_length=20, index=True)
    version = pw.IntegerField()
    year = pw.IntegerField()
    month = pw.IntegerField()
    entity = pw.ForeignKeyField(Entity, null=True, backref="+")
    attentions_goal = pw.IntegerField()
    users_goal = pw.IntegerField()


class CentralRollup(BaseModel):
    """A tambo's counts by the indicators' rule for a period (``central/rollups.py``)."""

    tambo_code = pw.CharField(max_length=20)
    period = pw.CharField(max_length=7)  # YYYY or YYYY-MM
    dimension = pw.CharField(max_length=20)  # a breakdown, or "total"
    key = pw.CharField(max_length=80)  # the breakdown's raw key, as JSON
    attentions = pw.IntegerField()
    users = pw.IntegerField()

    class Meta:
        primary_key = pw.CompositeKey("period", "tambo_code", "dimension", "key")


#: Created by ``create_tables`` (central_attention has its own DDL: it is partitioned).
PLAIN_MODELS: tuple[type[BaseModel], ...] = (
    CentralSchema, CentralUser, CentralTambo, CentralPackage, CentralRecord, CentralConflict, CentralAudit, CentralAction,
    NationalPerson, CentralCommunity, CentralPerson, CentralGoal, CentralRollup,
)  # fmt: skip
