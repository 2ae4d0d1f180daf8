"""peewee models: the current schema. Migrations (``migrations.py``) build it step by step.

Every business record carries a stable UUID besides its integer key, the tambo code and
created/updated timestamps (UTC) and user names, so that tambos' data can be merged.
"""

from __future__ import annotations

import datetime as dt
import uuid

import peewee as pw

database_proxy = pw.DatabaseProxy()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def new_uuid() -> str:
    return str(uuid.uuid4())


class BaseModel(pw.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class BusinessModel(BaseModel):
    """Fields every business record has."""

    id = pw.AutoField()
    uuid = pw.CharField(max_length=36, unique=True, default=new_uuid)
    tambo_code = pw.CharField(max_length=20)
    created_at = pw.DateTimeField(default=utcnow)
    created_by = pw.CharField(max_length=60)
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.CharField(max_length=60)
    #: Bumped by every save; a save is written only if the row still has the version it was read
    #: with (no lost update when two PCs edit the same record).
    version = pw.IntegerField(default=1)

    def save(self, force_insert: bool = False, only=None) -> int:
        """Insert, or update the row only if it still has this record's ``version`` (then bump it).
        Returns the rows written: 0 when another save changed the row since it was read."""
        if force_insert or self.id is None:
            return super().save(force_insert=force_insert, only=only)
        model = type(self)
        expected = self.version
        data = {name: value for name, value in self.__data__.items() if name != "id"}
        data["version"] = expected + 1
        rows = model.update(**data).where((model.id == self.id) & (model.version == expected)).execute()
        if rows:
            self.version = expected + 1
        return rows


class SchemaVersion(BaseModel):
    version = pw.IntegerField(primary_key=True)
    name = pw.CharField(max_length=100)
    applied_at = pw.DateTimeField(default=utcnow)


class Setting(BaseModel):
    key = pw.CharField(max_length=100, primary_key=True)
    value = pw.TextField()


class Department(BaseModel):
    code = pw.CharField(max_length=2, primary_key=True)
    name = pw.CharField(max_length=60)


class Province(BaseModel):
    department_id: str  # the foreign key's column, set by peewee
    code = pw.CharField(max_length=4, primary_key=True)
    name = pw.CharField(max_length=60)
    department = pw.ForeignKeyField(Department, backref="provinces")


class District(BaseModel):
    """A district, identified by its INEI ubigeo (6 digits)."""

    province_id: str  # the foreign key's column, set by peewee
    code = pw.CharField(max_length=6, primary_key=True)
    name = pw.CharField(max_length=80)
    province = pw.ForeignKeyField(Province, backref="districts")
    search_key = pw.CharField(max_length=200, index=True)


class Entity(BaseModel):
    """An entidad: ministry, agency or programme that delivers services through the tambo."""

    id = pw.AutoField()
    uuid = pw.CharField(max_length=36, unique=True, default=new_uuid)
    code = pw.CharField(max_length=20, unique=True)
    name = pw.CharField(max_length=200)
    sector = pw.CharField(max_length=40)
    level = pw.CharField(max_length=20)
    active = pw.BooleanField(default=True)


class Service(BaseModel):
    """One servicio of an entity's catalogue."""

    id = pw.AutoField()
    entity_id: int  # the foreign key's column, set by peewee
    uuid = pw.CharField(max_length=36, unique=True, default=new_uuid)
    code = pw.CharField(max_length=60, unique=True)
    entity = pw.ForeignKeyField(Entity, backref="services")
    name = pw.CharField(max_length=200)
    category = pw.CharField(max_length=40)
    active = pw.BooleanField(default=True)


class Tambo(BusinessModel):
    """The profile of this tambo (one row)."""

    district_id: str  # the foreign key's column, set by peewee
    code = pw.CharField(max_length=20, unique=True)
    name = pw.CharField(max_length=120)
    district = pw.ForeignKeyField(District)
    centro_poblado = pw.CharField(max_length=120)
    altitude_m = pw.IntegerField(null=True)
    address = pw.CharField(max_length=200, default="")
    phone = pw.CharField(max_length=30, default="")
    default_language = pw.CharField(max_length=5, default="es")
    is_demo = pw.BooleanField(default=False)
    platform = pw.CharField(max_length=10, default="tambo")  # vocabulary.PLATFORM_KINDS: a tambo or a PIAS


class User(BusinessModel):
    """A staff account."""

    username = pw.CharField(max_length=40, unique=True)
    full_name = pw.CharField(max_length=120)
    role = pw.CharField(max_length=20)
    password_hash = pw.CharField(max_length=200)
    language = pw.CharField(max_length=5, default="es")
    active = pw.BooleanField(default=True)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    last_login_at = pw.DateTimeField(null=True)
    enrollments: pw.ModelSelect[Enrollment]  # backref of Enrollment (set by peewee)


class Community(BusinessModel):
    """A centro poblado of the tambo's ámbito de influencia."""

    district_id: str  # the foreign key's column, set by peewee
    name = pw.CharField(max_length=120)
    name_key = pw.CharField(max_length=120, index=True)
    district = pw.ForeignKeyField(District)
    kind = pw.CharField(max_length=30)
    population = pw.IntegerField(null=True)
    households = pw.IntegerField(null=True)
    languages = pw.CharField(max_length=40, default="")
    distance_km = pw.DecimalField(max_digits=7, decimal_places=1, null=True, auto_round=True)
    travel_minutes = pw.IntegerField(null=True)
    travel_means = pw.CharField(max_length=20, default="")
    latitude = pw.DecimalField(max_digits=9, decimal_places=6, null=True, auto_round=True)
    longitude = pw.DecimalField(max_digits=9, decimal_places=6, null=True, auto_round=True)
    notes = pw.TextField(default="")
    leaders: pw.ModelSelect[Leader]  # backref of Leader (set by peewee)

    class Meta:
        indexes = ((("name_key", "district"), True),)


class Leader(BusinessModel):
    """A local leader of a community (alcalde, teniente gobernador, apu...)."""

    community_id: int  # the foreign key's column, set by peewee
    community = pw.ForeignKeyField(Community, backref="leaders", on_delete="CASCADE")
    name = pw.CharField(max_length=120)
    name_key = pw.CharField(max_length=120)
    role = pw.CharField(max_length=30)
    phone = pw.CharField(max_length=30, default="")
    language = pw.CharField(max_length=5, default="")
    notes = pw.TextField(default="")
    sex = pw.CharField(max_length=1, default="")  # F, M or '' (not said): the letters' salutation agrees


class Person(BusinessModel):
    """A participante (beneficiario): a person the tambo serves.

    ``document_number`` is NULL when there is none, so the unique (type, number) index only
    applies to given numbers. A DNI is 8 digits kept as text (leading zeros are real).
    """

    community_id: int | None  # the foreign key's column, set by peewee
    document_type = pw.CharField(max_length=10, default="none")
    document_number = pw.CharField(max_length=20, null=True, index=True)
    first_names = pw.CharField(max_length=80)
    last_name_1 = pw.CharField(max_length=80)
    last_name_2 = pw.CharField(max_length=80, default="")
    name_key = pw.CharField(max_length=250, index=True)
    sex = pw.CharField(max_length=1)
    birth_date = pw.DateField(null=True, index=True)
    community = pw.ForeignKeyField(Community, null=True, backref="residents")
    first_language = pw.CharField(max_length=12, default="")
    phone = pw.CharField(max_length=30, default="")
    notes = pw.TextField(default="")
    anonymized = pw.BooleanField(default=False)
    opposition = pw.BooleanField(default=False)  # keeps the person out of exports
    enrollments: pw.ModelSelect[Enrollment]  # backref of Enrollment (set by peewee)

    class Meta:
        indexes = ((("document_type", "document_number"), True),)


class Attention(BusinessModel):
    """An atención: one service delivered to one person, at a local (naive) date and time."""

    community_id: int | None  # the foreign key's column, set by peewee
    entity_id: int  # the foreign key's column, set by peewee
    service_id: int  # the foreign key's column, set by peewee
    person_id: int  # the foreign key's column, set by peewee
    attended_at = pw.DateTimeField()
    place = pw.CharField(max_length=10)  # vocabulary.PLACES
    community = pw.ForeignKeyField(Community, null=True, backref="attentions")  # where, when outside
    entity = pw.ForeignKeyField(Entity, backref="attentions")
    service = pw.ForeignKeyField(Service, backref="attentions")
    person = pw.ForeignKeyField(Person, backref="attentions")
    intervention_uuid = pw.CharField(max_length=36, null=True, index=True)
    voided = pw.BooleanField(default=False)
    void_reason = pw.CharField(max_length=300, default="")
    voyage_stop_id: int | None  # the foreign key's column, set by peewee
    voyage_stop = pw.DeferredForeignKey("VoyageStop", null=True, backref="attentions")  # a PIAS: the stop of the voyage

    class Meta:
        indexes = ((("attended_at", "id"), False), (("community", "attended_at", "id"), False))


class MonthlyGoal(BusinessModel):
    """Metas del mes: atenciones and usuarios expected, for the tambo (no entity) or one entity."""

    entity_id: int | None  # the foreign key's column, set by peewee
    year = pw.IntegerField()
    month = pw.IntegerField()
    entity = pw.ForeignKeyField(Entity, null=True, backref="goals")
    attentions_goal = pw.IntegerField()
    users_goal = pw.IntegerField()

    class Meta:
        indexes = ((("year", "month", "entity"), True),)


class Space(BusinessModel):
    """A space of the tambo that can be booked: auditorium, consulting room, yard, lodging..."""

    name = pw.CharField(max_length=80)
    name_key = pw.CharField(max_length=80, unique=True)
    kind = pw.CharField(max_length=20)  # vocabulary.SPACE_KINDS
    capacity = pw.IntegerField(null=True)
    active = pw.BooleanField(default=True)
    notes = pw.TextField(default="")


class Resource(BusinessModel):
    """A shared resource of the tambo: the motorcycle, the pick-up, the projector, the generator."""

    name = pw.CharField(max_length=80)
    name_key = pw.CharField(max_length=80, unique=True)
    kind = pw.CharField(max_length=20)  # vocabulary.RESOURCE_KINDS
    active = pw.BooleanField(default=True)
    notes = pw.TextField(default="")


class Intervention(BusinessModel):
    """An intervención: an entity (or the tambo itself, no entity) delivers services on a date,
    in a space of the tambo or in a centro poblado. Times are local (naive)."""

    entity_id: int | None  # the foreign key's column, set by peewee
    space_id: int | None  # the foreign key's column, set by peewee
    community_id: int | None  # the foreign key's column, set by peewee
    gestor_id: int | None  # the foreign key's column, set by peewee
    title = pw.CharField(max_length=150)
    entity = pw.ForeignKeyField(Entity, null=True, backref="interventions")
    kind = pw.CharField(max_length=20)  # vocabulary.INTERVENTION_KINDS
    place = pw.CharField(max_length=10)  # vocabulary.PLACES
    space = pw.ForeignKeyField(Space, null=True, backref="interventions")
    community = pw.ForeignKeyField(Community, null=True, backref="interventions")
    travel_minutes = pw.IntegerField(default=0)  # each way, when in a community
    starts_at = pw.DateTimeField(index=True)
    ends_at = pw.DateTimeField(index=True)
    gestor = pw.ForeignKeyField(User, null=True, backref="interventions")
    expected_participants = pw.IntegerField(null=True)
    contact_name = pw.CharField(max_length=120, default="")
    contact_phone = pw.CharField(max_length=30, default="")
    notes = pw.TextField(default="")
    status = pw.CharField(max_length=12, index=True)  # vocabulary.INTERVENTION_STATUSES
    status_reason = pw.CharField(max_length=300, default="")
    series_uuid = pw.CharField(max_length=36, null=True, index=True)


class OfferedService(BaseModel):
    """A service an intervention offers (from the catalogue)."""

    id = pw.AutoField()
    intervention_id: int  # the foreign key's column, set by peewee
    service_id: int  # the foreign key's column, set by peewee
    intervention = pw.ForeignKeyField(Intervention, backref="service_links", on_delete="CASCADE")
    service = pw.ForeignKeyField(Service)

    class Meta:
        table_name = "intervention_service"
        indexes = ((("intervention", "service"), True),)


class InterventionResource(BaseModel):
    """A shared resource an intervention uses for its whole time (and travel)."""

    id = pw.AutoField()
    intervention_id: int  # the foreign key's column, set by peewee
    resource_id: int  # the foreign key's column, set by peewee
    intervention = pw.ForeignKeyField(Intervention, backref="resource_links", on_delete="CASCADE")
    resource = pw.ForeignKeyField(Resource, backref="bookings")

    class Meta:
        indexes = ((("intervention", "resource"), True),)


class InterventionEvent(BusinessModel):
    """One line of an intervention's history: created, changed, programmed, rescheduled..."""

    intervention_id: int  # the foreign key's column, set by peewee
    intervention = pw.ForeignKeyField(Intervention, backref="events", on_delete="CASCADE")
    at = pw.DateTimeField(default=utcnow)
    action = pw.CharField(max_length=20)
    from_status = pw.CharField(max_length=12, default="")
    to_status = pw.CharField(max_length=12, default="")
    old_starts_at = pw.DateTimeField(null=True)
    new_starts_at = pw.DateTimeField(null=True)
    reason = pw.CharField(max_length=300, default="")


class MonthlyPlan(BusinessModel):
    """A gestor's plan de trabajo mensual: needs, potentials; submitted, approved or returned."""

    gestor_id: int  # the foreign key's column, set by peewee
    year = pw.IntegerField()
    month = pw.IntegerField()
    gestor = pw.ForeignKeyField(User, backref="plans")
    needs = pw.TextField(default="")
    potentials = pw.TextField(default="")
    status = pw.CharField(max_length=12, default="draft")  # vocabulary.PLAN_STATUSES
    review_comments = pw.TextField(default="")

    class Meta:
        indexes = ((("year", "month", "gestor"), True),)


class PlanEvent(BusinessModel):
    """One line of a plan's history: submitted, approved, returned with comments."""

    plan_id: int  # the foreign key's column, set by peewee
    plan = pw.ForeignKeyField(MonthlyPlan, backref="events", on_delete="CASCADE")
    at = pw.DateTimeField(default=utcnow)
    action = pw.CharField(max_length=12)
    comment = pw.TextField(default="")


class Course(BusinessModel):
    """A capacitación: for the staff or for community members, given by an entity or provider."""

    entity_id: int | None  # the foreign key's column, set by peewee
    title = pw.CharField(max_length=150)
    topic = pw.CharField(max_length=20)  # vocabulary.TRAINING_TOPICS
    audience = pw.CharField(max_length=10)  # staff | community
    entity = pw.ForeignKeyField(Entity, null=True, backref="courses")
    provider = pw.CharField(max_length=120, default="")  # when no entity of the catalogue gives it
    trainer = pw.CharField(max_length=120, default="")
    language = pw.CharField(max_length=12, default="es")  # vocabulary.SPOKEN_LANGUAGES
    certification = pw.CharField(max_length=150, default="")  # what the certificate says; "" for none
    validity_months = pw.IntegerField(null=True)  # None: does not expire
    notes = pw.TextField(default="")
    sessions: pw.ModelSelect[CourseSession]  # backref of CourseSession (set by peewee)
    enrollments: pw.ModelSelect[Enrollment]  # backref of Enrollment (set by peewee)


class CourseSession(BusinessModel):
    """One session of a course: a date and hours, at the tambo, in a community or online."""

    course_id: int  # the foreign key's column, set by peewee
    space_id: int | None  # the foreign key's column, set by peewee
    community_id: int | None  # the foreign key's column, set by peewee
    course = pw.ForeignKeyField(Course, backref="sessions", on_delete="CASCADE")
    starts_at = pw.DateTimeField(index=True)
    ends_at = pw.DateTimeField()
    place = pw.CharField(max_length=10)  # inside | outside | online
    space = pw.ForeignKeyField(Space, null=True)
    community = pw.ForeignKeyField(Community, null=True)


class Enrollment(BusinessModel):
    """A participant of a course: a staff account or a person of the registry, and the result."""

    course_id: int  # the foreign key's column, set by peewee
    person_id: int | None  # the foreign key's column, set by peewee
    user_id: int | None  # the foreign key's column, set by peewee
    course = pw.ForeignKeyField(Course, backref="enrollments", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, null=True, backref="enrollments")
    user = pw.ForeignKeyField(User, null=True, backref="enrollments")
    result = pw.CharField(max_length=10, default="enrolled")  # vocabulary.TRAINING_RESULTS
    certificate_code = pw.CharField(max_length=24, null=True, unique=True)
    certificate_issued_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("course", "person"), True), (("course", "user"), True))


class Attendance(BaseModel):
    """Whether a participant was at a session."""

    id = pw.AutoField()
    enrollment_id: int  # the foreign key's column, set by peewee
    session_id: int  # the foreign key's column, set by peewee
    enrollment = pw.ForeignKeyField(Enrollment, backref="attendance", on_delete="CASCADE")
    session = pw.ForeignKeyField(CourseSession, backref="attendance", on_delete="CASCADE")
    present = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("enrollment", "session"), True),)


class Vehicle(BusinessModel):
    """A vehicle of the tambo with a fuel allocation: the motorcycle, the pick-up, the boat."""

    resource_id: int | None  # the foreign key's column, set by peewee
    name = pw.CharField(max_length=80)
    name_key = pw.CharField(max_length=80, unique=True)
    kind = pw.CharField(max_length=20)  # vocabulary.VEHICLE_KINDS
    plate = pw.CharField(max_length=20, default="")
    km_per_gallon = pw.DecimalField(max_digits=6, decimal_places=1, null=True, auto_round=True)  # its usual figure
    resource = pw.ForeignKeyField(Resource, null=True)  # the same vehicle as a bookable resource
    active = pw.BooleanField(default=True)


class FuelAllocation(BusinessModel):
    """The fuel assigned to a vehicle for a month."""

    vehicle_id: int  # the foreign key's column, set by peewee
    vehicle = pw.ForeignKeyField(Vehicle, backref="allocations")
    year = pw.IntegerField()
    month = pw.IntegerField()
    gallons = pw.DecimalField(max_digits=8, decimal_places=2, auto_round=True)
    soles = pw.DecimalField(max_digits=10, decimal_places=2, auto_round=True)

    class Meta:
        indexes = ((("vehicle", "year", "month"), True),)


class Trip(BusinessModel):
    """A gestor's field visit: when, where (the stops), why, how, the odometer and the fuel bought."""

    gestor_id: int  # the foreign key's column, set by peewee
    vehicle_id: int | None  # the foreign key's column, set by peewee
    gestor = pw.ForeignKeyField(User, backref="trips")
    departs_at = pw.DateTimeField(index=True)
    returns_at = pw.DateTimeField()
    purpose = pw.CharField(max_length=20)  # vocabulary.TRIP_PURPOSES
    means = pw.CharField(max_length=20)  # vocabulary.TRAVEL_MEANS
    vehicle = pw.ForeignKeyField(Vehicle, null=True, backref="trips")
    odometer_start = pw.IntegerField(null=True)
    odometer_end = pw.IntegerField(null=True)
    fuel_gallons = pw.DecimalField(max_digits=7, decimal_places=2, null=True, auto_round=True)
    fuel_soles = pw.DecimalField(max_digits=9, decimal_places=2, null=True, auto_round=True)
    receipt = pw.CharField(max_length=40, default="")
    people_met = pw.TextField(default="")
    activities = pw.TextField(default="")
    agreements = pw.TextField(default="")
    intervention_uuid = pw.CharField(max_length=36, null=True, index=True)


class TripStop(BaseModel):
    """A centro poblado visited on a trip, in order."""

    id = pw.AutoField()
    trip_id: int  # the foreign key's column, set by peewee
    community_id: int  # the foreign key's column, set by peewee
    trip = pw.ForeignKeyField(Trip, backref="stops", on_delete="CASCADE")
    position = pw.IntegerField()
    community = pw.ForeignKeyField(Community, backref="trip_stops")

    class Meta:
        indexes = ((("trip", "position"), True),)


class TripPhoto(BaseModel):
    """A photo of a trip, downscaled JPEG kept in the database (so backups carry it)."""

    id = pw.AutoField()
    trip_id: int  # the foreign key's column, set by peewee
    trip = pw.ForeignKeyField(Trip, backref="photos", on_delete="CASCADE")
    data = pw.BlobField()
    caption = pw.CharField(max_length=200, default="")


class Diagnostic(BusinessModel):
    """A needs diagnostic of a centro poblado: activities, needs, potentials, priorities."""

    community_id: int  # the foreign key's column, set by peewee
    community = pw.ForeignKeyField(Community, backref="diagnostics")
    made_on = pw.DateField(index=True)
    activities = pw.CharField(max_length=300, default="")  # vocabulary.ECONOMIC_ACTIVITIES codes, ";"
    needs = pw.CharField(max_length=300, default="")  # vocabulary.NEEDS codes, ";"
    potentials = pw.TextField(default="")
    priorities = pw.TextField(default="")


class NeedRule(BaseModel):
    """Which service of the catalogue answers a need (optionally only for an economic activity)."""

    id = pw.AutoField()
    service_id: int  # the foreign key's column, set by peewee
    need = pw.CharField(max_length=20)
    activity = pw.CharField(max_length=20, default="")
    service = pw.ForeignKeyField(Service)

    class Meta:
        indexes = ((("need", "activity", "service"), True),)


class Campaign(BusinessModel):
    """A campaña de difusión: how one or more interventions are announced to the communities."""

    title_es = pw.CharField(max_length=120)
    title_local = pw.CharField(max_length=120, default="")
    message_es = pw.TextField(default="")
    message_local = pw.TextField(default="")
    local_language = pw.CharField(max_length=5, default="qu")  # qu or ay
    layout = pw.CharField(max_length=10, default="side")  # side by side or stacked
    channels = pw.CharField(max_length=200, default="")  # vocabulary.CAMPAIGN_CHANNELS, comma separated
    bring = pw.CharField(max_length=200, default="dni")  # vocabulary.BRING_ITEMS, comma separated
    starts_on = pw.DateField()
    photo = pw.BlobField(null=True)  # oriented and downscaled JPEG
    radio_es = pw.TextField(default="")  # the edited script; blank: made from the interventions
    radio_local = pw.TextField(default="")
    notes = pw.TextField(default="")
    intervention_links: pw.ModelSelect[CampaignIntervention]  # backref of CampaignIntervention (set by peewee)
    tasks: pw.ModelSelect[CampaignTask]  # backref of CampaignTask (set by peewee)
    documents: pw.ModelSelect[CampaignDocument]  # backref of CampaignDocument (set by peewee)
    letters: pw.ModelSelect[Letter]  # backref of Letter (set by peewee)


class CampaignIntervention(BaseModel):
    id = pw.AutoField()
    campaign_id: int  # the foreign key's column, set by peewee
    intervention_id: int  # the foreign key's column, set by peewee
    campaign = pw.ForeignKeyField(Campaign, backref="intervention_links", on_delete="CASCADE")
    intervention = pw.ForeignKeyField(Intervention, backref="campaign_links")

    class Meta:
        indexes = ((("campaign", "intervention"), True),)


class CampaignCommunity(BaseModel):
    id = pw.AutoField()
    campaign_id: int  # the foreign key's column, set by peewee
    community_id: int  # the foreign key's column, set by peewee
    campaign = pw.ForeignKeyField(Campaign, backref="community_links", on_delete="CASCADE")
    community = pw.ForeignKeyField(Community)

    class Meta:
        indexes = ((("campaign", "community"), True),)


class CampaignTask(BusinessModel):
    """One line of a campaign's checklist, with who ticked it and when."""

    campaign_id: int  # the foreign key's column, set by peewee
    campaign = pw.ForeignKeyField(Campaign, backref="tasks", on_delete="CASCADE")
    position = pw.IntegerField()
    title = pw.CharField(max_length=200)
    done_at = pw.DateTimeField(null=True)  # local time
    done_by = pw.CharField(max_length=60, default="")


class CampaignDocument(BusinessModel):
    """A document a campaign produced, with what is needed to produce it again."""

    campaign_id: int  # the foreign key's column, set by peewee
    campaign = pw.ForeignKeyField(Campaign, backref="documents", on_delete="CASCADE")
    kind = pw.CharField(max_length=20)  # flyer, letters, delivery, radio
    options = pw.TextField(default="{}")  # JSON: template, languages...
    pages = pw.IntegerField(default=0)


class Letter(BusinessModel):
    """An oficio to one leader: its reference number (kept when printed again) and its delivery."""

    campaign_id: int  # the foreign key's column, set by peewee
    leader_id: int  # the foreign key's column, set by peewee
    campaign = pw.ForeignKeyField(Campaign, backref="letters", on_delete="CASCADE")
    leader = pw.ForeignKeyField(Leader)
    year = pw.IntegerField()
    number = pw.IntegerField()
    delivered_on = pw.DateField(null=True)

    class Meta:
        indexes = ((("campaign", "leader"), True), (("year", "number"), True))


class EntityLogo(BaseModel):
    """An entity's logo for printed material (PNG, downscaled), given by an administrator."""

    id = pw.AutoField()
    entity_id: int  # the foreign key's column, set by peewee
    entity = pw.ForeignKeyField(Entity, unique=True, on_delete="CASCADE")
    data = pw.BlobField()


class StaffDay(BusinessModel):
    """One staff account's day at the tambo: arrival and departure on the tambo's wall clock (naive).

    ``auto_*`` hold what signing in and out at the PC recorded (the first sign-in of the day, the
    last sign-out); ``arrival``/``departure`` are the day's values as shown and printed: the
    automatic ones, or an administrator's correction (``corrected``, with its ``reason``), which
    later sign-ins never overwrite. The automatic values stay beside the correction."""

    user_id: int  # the foreign key's column, set by peewee
    user = pw.ForeignKeyField(User, backref="staff_days")
    day = pw.DateField()
    auto_arrival = pw.DateTimeField(null=True)
    auto_departure = pw.DateTimeField(null=True)
    arrival = pw.DateTimeField(null=True)
    departure = pw.DateTimeField(null=True)
    corrected = pw.BooleanField(default=False)
    reason = pw.CharField(max_length=300, default="")

    class Meta:
        indexes = ((("user", "day"), True), (("day",), False))


class StaffLeave(BusinessModel):
    """Leave or a holiday over a span of days (vocabulary.LEAVE_KINDS), entered by an administrator;
    a holiday (feriado) without an account is everyone's."""

    user_id: int | None  # the foreign key's column, set by peewee
    user = pw.ForeignKeyField(User, null=True, backref="leaves")
    kind = pw.CharField(max_length=20)
    first_day = pw.DateField(index=True)
    last_day = pw.DateField(index=True)
    note = pw.CharField(max_length=300, default="")


class Ship(BusinessModel):
    """A PIAS's ship (one row): the Navy vessel and the modules aboard that take a building's place."""

    name = pw.CharField(max_length=120)
    navy_code = pw.CharField(max_length=30, default="")
    capacity = pw.IntegerField(null=True)  # people aboard at once
    modules = pw.CharField(max_length=300, default="")  # vocabulary.SHIP_MODULES codes, comma separated
    notes = pw.TextField(default="")


class Voyage(BusinessModel):
    """A PIAS voyage (campaña): weeks along a basin on a planned route of stops."""

    name = pw.CharField(max_length=120)
    basin = pw.CharField(max_length=120)  # the basin, river or lake
    fuel_planned = pw.DecimalField(max_digits=9, decimal_places=1, null=True, auto_round=True)  # gallons
    fuel_used = pw.DecimalField(max_digits=9, decimal_places=1, null=True, auto_round=True)
    supplies = pw.TextField(default="")
    notes = pw.TextField(default="")
    stops: pw.ModelSelect[VoyageStop]  # backref of VoyageStop (set by peewee)


class VoyageStop(BusinessModel):
    """One stop of a voyage's route, in order: a community, the planned arrival and departure."""

    voyage_id: int  # the foreign key's column, set by peewee
    community_id: int  # the foreign key's column, set by peewee
    voyage = pw.ForeignKeyField(Voyage, backref="stops", on_delete="CASCADE")
    position = pw.IntegerField()
    community = pw.ForeignKeyField(Community, backref="voyage_stops")
    arrives_at = pw.DateTimeField(index=True)  # local (naive), planned
    departs_at = pw.DateTimeField()
    distance_km = pw.DecimalField(max_digits=7, decimal_places=1, null=True, auto_round=True)  # from the previous stop
    travel_hours = pw.DecimalField(max_digits=5, decimal_places=1, null=True, auto_round=True)
    expected_people = pw.IntegerField(null=True)
    status = pw.CharField(max_length=10, default="planned")  # vocabulary.STOP_STATUSES
    reason = pw.CharField(max_length=300, default="")  # why it was skipped

    class Meta:
        indexes = ((("voyage", "position"), True),)


class VoyageEntity(BusinessModel):
    """An entity aboard a voyage: its staff and the services it brings."""

    voyage_id: int  # the foreign key's column, set by peewee
    entity_id: int  # the foreign key's column, set by peewee
    voyage = pw.ForeignKeyField(Voyage, backref="entity_links", on_delete="CASCADE")
    entity = pw.ForeignKeyField(Entity)
    staff = pw.TextField(default="")  # names, one a line
    services = pw.TextField(default="")

    class Meta:
        indexes = ((("voyage", "entity"), True),)


class VoyageEvent(BusinessModel):
    """One line of a voyage's history: planned, stop added, rescheduled (and the route shifted), skipped."""

    voyage_id: int  # the foreign key's column, set by peewee
    stop_id: int | None  # the foreign key's column, set by peewee
    voyage = pw.ForeignKeyField(Voyage, backref="events", on_delete="CASCADE")
    stop = pw.ForeignKeyField(VoyageStop, null=True, backref="events", on_delete="CASCADE")
    at = pw.DateTimeField(default=utcnow)
    action = pw.CharField(max_length=20)
    old_arrives_at = pw.DateTimeField(null=True)
    new_arrives_at = pw.DateTimeField(null=True)
    shifted = pw.IntegerField(default=0)  # later stops moved with it
    reason = pw.CharField(max_length=300, default="")


class AuditEntry(BaseModel):
    """One append-only line of the audit trail; ``hash`` chains it to the previous line."""

    id = pw.AutoField()
    uuid = pw.CharField(max_length=36, unique=True, default=new_uuid)
    tambo_code = pw.CharField(max_length=20)
    at = pw.DateTimeField(default=utcnow, index=True)
    username = pw.CharField(max_length=60, index=True)
    action = pw.CharField(max_length=30, index=True)
    entity = pw.CharField(max_length=40)
    record_uuid = pw.CharField(max_length=36, default="", index=True)
    summary = pw.CharField(max_length=300, default="")
    changes = pw.TextField(default="")
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64, unique=True)
    #: 1: unkeyed SHA-256 of some columns (lines written before issue 15.4); 2: HMAC-SHA256 with
    #: the installation key over every column (see services/audit.py).
    scheme = pw.IntegerField(default=1)
    #: Empty for lines written by the application. A line written before migration 18 whose
    #: personal values were moved to :class:`AuditValue` there: an HMAC with the installation key
    #: over the line as it is now and its original ``hash`` (which can no longer be recomputed).
    seal = pw.CharField(max_length=64, default="")


class AuditValue(BaseModel):
    """A personal value the audit trail refers to by its token (``{pv:TOKEN}`` in a line's summary
    or changes, see db/personal.py): erasable when the person is anonymised, while the line, which
    holds only the token (a keyed digest of the value and a random nonce), still verifies."""

    token = pw.CharField(max_length=32, primary_key=True)
    subject = pw.CharField(max_length=36, index=True)  # the uuid of the person the value belongs to
    nonce = pw.CharField(max_length=32)
    value = pw.TextField()  # JSON


class Package(BaseModel):
    """A package made for the central office (``services/packages.py``): its number is ``id``."""

    id = pw.IntegerField(primary_key=True)
    made_at = pw.DateTimeField(default=utcnow)
    made_by = pw.CharField(max_length=60)
    mode = pw.CharField(max_length=12)  # since_last | all
    file_name = pw.CharField(max_length=255)
    sha256 = pw.CharField(max_length=64)
    records = pw.IntegerField()
    tombstones = pw.IntegerField()
    audit_from = pw.IntegerField()
    audit_to = pw.IntegerField()
    counts = pw.TextField(default="{}")  # JSON: records per kind
    remade = pw.IntegerField(default=0)  # times it was made again


class PackageSent(BaseModel):
    """The version of a record last sent to the central office, and in which package."""

    uuid = pw.CharField(max_length=36, primary_key=True)
    version = pw.IntegerField()
    package_seq = pw.IntegerField(index=True)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion,
    Setting,
    Department,
    Province,
    District,
    Entity,
    Service,
    Tambo,
    User,
    Community,
    Leader,
    Ship,
    Voyage,
    VoyageStop,  # before Attention: an atención refers to its stop (copies keep this order)
    Person,
    Attention,
    MonthlyGoal,
    Space,
    Resource,
    Intervention,
    OfferedService,
    InterventionResource,
    InterventionEvent,
    MonthlyPlan,
    PlanEvent,
    Course,
    CourseSession,
    Enrollment,
    Attendance,
    Vehicle,
    FuelAllocation,
    Trip,
    TripStop,
    TripPhoto,
    Diagnostic,
    NeedRule,
    Campaign,
    CampaignIntervention,
    CampaignCommunity,
    CampaignTask,
    CampaignDocument,
    Letter,
    EntityLogo,
    StaffDay,
    StaffLeave,
    VoyageEntity,
    VoyageEvent,
    AuditEntry,
    AuditValue,
    Package,
    PackageSent,
)
