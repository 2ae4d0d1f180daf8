"""The demo tambo's spaces, resources and interventions, consistent with its generated atenciones.

Every campaign day of the generated data is an entity's intervention in the auditorium (MINSA's
vaccination, RENIEC's DNI campaign, the Banco de la Nación's payment day...) and every trip day a
visit of the gestor to the community by motorcycle (or pick-up, when far); the atenciones of those
days carry the intervention's uuid, so an executed intervention shows what it produced. Each month
also has the coordination meeting with the authorities, now and then an intervention suspended or
rescheduled with its reason, and the gestor's monthly plan (approved for past months). Days after
``until`` in the current month are programmed, not executed.

A separate seeded generator draws these, so the people and atenciones stay what they were.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from tambo_desktop.db.models import (
    Intervention,
    InterventionEvent,
    InterventionResource,
    MonthlyPlan,
    OfferedService,
    PlanEvent,
    Resource,
    Space,
    User,
)
from tambo_desktop.services.facilities import FacilityForm, FacilityService
from tambo_desktop.services.session import Session

#: Peru's offset: the demo's local times are stored in UTC, like the application's.
UTC_OFFSET = dt.timedelta(hours=5)
SPACES = (
    FacilityForm("Auditorio", "auditorium", "80", notes="Con proyector fijo y 60 sillas"),
    FacilityForm("Tópico", "consulting", "6", notes="Camilla, lavadero; para consultas de salud"),
    FacilityForm("Sala de cómputo", "computer_room", "12", notes="10 computadoras; internet satelital"),
    FacilityForm("Sala de reuniones", "meeting_room", "20"),
    FacilityForm("Patio", "yard", "300"),
    FacilityForm("Alojamiento", "lodging", "8", notes="Para el personal de las entidades que pernocta"),
)
RESOURCES = (
    FacilityForm("Motocicleta Honda XR150", "motorcycle"),
    FacilityForm("Camioneta Hilux", "pickup"),
    FacilityForm("Proyector Epson", "projector"),
    FacilityForm("Grupo electrógeno 5 kW", "generator"),
    FacilityForm("Equipo de sonido", "sound"),
)
TITLES = {
    "vaccination": "Campaña de vacunación y CRED",
    "influenza": "Vacunación contra la influenza",
    "dni": "Campaña de DNI",
    "payment": "Pago de programas sociales",
    "sis": "Afiliación al SIS",
    "frost": "Entrega de kits contra heladas",
    "alpaca": "Sanidad de alpacas",
    "women": "Salud de la mujer",
    "elders": "Jornada del adulto mayor",
}
CONTACTS = (
    ("Lic. Maribel Yupanqui", "951204318"), ("Téc. Edwin Calla", "973880214"), ("Sra. Gladys Pari", "950117642"),
    ("Ing. Rubén Mendoza", "984302771"), ("Dr. Hernán Quispe", "962450183"), ("Lic. Sonia Ccama", "958011276"),
)  # fmt: skip
SUSPEND_REASONS = (
    "Bloqueo de la carretera por la huelga",
    "Nevada: el camino a la comunidad está cerrado",
    "La entidad no envió al personal",
    "Duelo en la comunidad: lo pidieron las autoridades",
)
RESCHEDULE_REASONS = (
    "La entidad pidió cambiar la fecha",
    "Coincidía con la asamblea comunal",
    "Llegaron tarde los insumos",
)
NEEDS = (
    "Anemia en niños menores de 3 años; DNI vencidos de adultos mayores; cobros de Pensión 65 y Juntos.",
    "Heladas: abrigo y kits para adultos mayores; vacunación contra la influenza; sanidad de alpacas.",
    "Afiliación al SIS de recién nacidos; tamizaje de cáncer en mujeres; DNI de menores.",
)
POTENTIALS = (
    "Crianza de alpacas y ovinos; tejido; feria semanal de Jiscullaya.",
    "Asociación de criadores de cuyes de Ccopamaya; artesanía en fibra de alpaca.",
)


@dataclass
class Planned:
    """The interventions of the generated days, before they are written."""

    rows: list[dict] = field(default_factory=list)
    services: list[tuple[str, int]] = field(default_factory=list)  # (intervention uuid, service id)
    resources: list[tuple[str, str]] = field(default_factory=list)  # (intervention uuid, resource name)
    events: list[dict] = field(default_factory=list)


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from a seeded generator: the same seed gives the same demo rows."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def create_facilities(session: Session) -> None:
    """The demo tambo's spaces and resources (once)."""
    if Space.select().exists():
        return
    facilities = FacilityService(session)
    for form in SPACES:
        facilities.save_space(form)
    for form in RESOURCES:
        facilities.save_resource(form)


class DemoCalendar:
    """Draws the interventions of a generator's days and links its atenciones to them."""

    def __init__(self, generator, seed: int | str, size: str) -> None:
        self.generator = generator
        self.rng = random.Random(f"tambo-demo-calendar-{size}-{seed}")
        self.planned = Planned()

    def _uuid(self) -> str:
        return seeded_uuid(self.rng)

    def assign(self, catalog, community_info: dict[int, tuple[str, int, float]]) -> Planned:
        """Give each campaign and trip day its intervention uuid (``DayPlan.campaign_uuid`` / ``trip_uuid``)."""
        rng, until = self.rng, self.generator.until
        for plan in self.generator.all_days:
            done = dt.datetime.combine(plan.date, dt.time(17)) <= until
            if plan.campaign is not None and plan.campaign_services:
                plan.campaign_uuid = self._uuid()
                first = plan.campaign.services[0]
                entity_id = catalog.services[first][1] if first in catalog.services else None
                contact = rng.choice(CONTACTS)
                title = TITLES.get(plan.campaign.key, plan.campaign.key)
                if plan.trip is not None:  # the entity goes to the community with the gestor
                    plan.trip_uuid = plan.campaign_uuid
                    name, travel, distance = community_info.get(plan.trip, ("", 30, 10.0))
                    self._add(plan.campaign_uuid, f"{title} en {name}", entity_id, "support", "outside", None,
                              plan.trip, travel, plan.date, (9, 0), (15, 0), "gestor",
                              int(plan.attentions * plan.outside_share / 1.6) or 10, contact, done,
                              plan.campaign_services, "Camioneta Hilux" if distance > 20 else "Motocicleta Honda XR150")  # fmt: skip
                    continue
                self._add(plan.campaign_uuid, title, entity_id, "support", "inside", "Auditorio", None, 0, plan.date,
                          (8, 0), (17, 0), "oficina", int(plan.attentions / 1.6) or 20, contact, done,
                          plan.campaign_services)  # fmt: skip
            if plan.trip is not None:
                plan.trip_uuid = self._uuid()
                name, travel, distance = community_info.get(plan.trip, ("", 30, 10.0))
                self._add(plan.trip_uuid, f"Visita a {name}", None, "direct", "outside", None, plan.trip, travel,
                          plan.date, (9, 0), (15, 0), "gestor", int(plan.attentions * plan.outside_share / 1.6) or 10,
                          ("", ""), done, (), "Camioneta Hilux" if distance > 20 else "Motocicleta Honda XR150")  # fmt: skip
        self._monthly(community_info)
        return self.planned

    def _monthly(self, community_info) -> None:
        """The coordination meeting of every month and, now and then, a suspended visit."""
        rng, until = self.rng, self.generator.until
        by_month: dict[tuple[int, int], list] = {}
        for plan in self.generator.all_days:
            by_month.setdefault((plan.date.year, plan.date.month), []).append(plan)
        for days in by_month.values():
            free = [p for p in days if p.weight >= 0.8 and p.trip is None and p.campaign is None]
            if not free:
                continue
            meeting = free[0]
            done = dt.datetime.combine(meeting.date, dt.time(19, 30)) <= until
            self._add(self._uuid(), "Reunión de coordinación con autoridades", None, "coordination", "inside",
                      "Sala de reuniones", None, 0, meeting.date, (18, 0), (19, 30), "gestor", 15, ("", ""), done, ())  # fmt: skip
            if len(free) > 3 and rng.random() < 0.35 and community_info:
                day = rng.choice(free[1:])
                community = rng.choice(sorted(community_info))
                name, travel, _distance = community_info[community]
                self._add(self._uuid(), f"Visita a {name}", None, "direct", "outside", None, community, travel, day.date,
                          (9, 0), (15, 0), "gestor", 30, ("", ""), False, (), suspended=rng.choice(SUSPEND_REASONS))  # fmt: skip

    def _add(self, key, title, entity_id, kind, place, space, community, travel, day, start, end, gestor, expected,
             contact, done, services, resource=None, suspended: str = "") -> None:  # fmt: skip
        starts = dt.datetime.combine(day, dt.time(*start))
        ends = dt.datetime.combine(day, dt.time(*end))
        created = starts - dt.timedelta(days=self.rng.randint(7, 20))
        status = "suspended" if suspended else "executed" if done else "programmed"
        rescheduled = not suspended and self.rng.random() < 0.05
        self.planned.rows.append(dict(
            uuid=key, created=created, title=title, entity=entity_id, kind=kind, place=place, space=space,
            community=community, travel_minutes=travel if place == "outside" else 0, starts_at=starts, ends_at=ends,
            gestor=gestor, expected_participants=expected, contact_name=contact[0], contact_phone=contact[1],
            status=status, status_reason=suspended,
        ))  # fmt: skip
        for service in services:
            self.planned.services.append((key, service))
        if resource:
            self.planned.resources.append((key, resource))
        events = [("created", "", "programmed", created, "", None, None)]
        if rescheduled:
            moved_from = starts - dt.timedelta(days=7)
            events.append(("rescheduled", "programmed", "rescheduled", created + dt.timedelta(days=2),
                           self.rng.choice(RESCHEDULE_REASONS), moved_from, starts))  # fmt: skip
            self.planned.rows[-1]["status_reason"] = events[-1][4]
            if status == "programmed":
                self.planned.rows[-1]["status"] = "rescheduled"
        if status in ("executed", "suspended"):
            at = ends + dt.timedelta(hours=1) if status == "executed" else starts - dt.timedelta(days=1)
            events.append((status, events[-1][2], status, at, suspended, None, None))
        for action, old, new, at, reason, old_start, new_start in events:
            self.planned.events.append(dict(
                intervention=key, action=action, from_status=old, to_status=new, at=at, reason=reason,
                old_starts_at=old_start, new_starts_at=new_start,
            ))  # fmt: skip


def write(planned: Planned, tambo_code: str, salt: str = "") -> int:
    """Insert the planned interventions, their links, history and the gestor's monthly plans."""
    users = dict(User.select(User.username, User.id).tuples())
    spaces = dict(Space.select(Space.name, Space.id).tuples())
    resources = dict(Resource.select(Resource.name, Resource.id).tuples())

    def stamp(at: dt.datetime, by: str) -> dict:  # local (Peru) times, stored in UTC
        at = at + UTC_OFFSET
        return dict(tambo_code=tambo_code, created_at=at, created_by=by, updated_at=at, updated_by=by)

    rows = []
    for r in planned.rows:
        rows.append(dict(
            uuid=r["uuid"], **stamp(r["created"], "gestor"), title=r["title"], entity=r["entity"], kind=r["kind"],
            place=r["place"], space=spaces.get(r["space"]), community=r["community"], travel_minutes=r["travel_minutes"],
            starts_at=r["starts_at"], ends_at=r["ends_at"], gestor=users.get(r["gestor"]),
            expected_participants=r["expected_participants"], contact_name=r["contact_name"],
            contact_phone=r["contact_phone"], notes="", status=r["status"], status_reason=r["status_reason"],
            series_uuid=None,
        ))  # fmt: skip
    for start in range(0, len(rows), 500):
        Intervention.insert_many(rows[start : start + 500]).execute()
    ids = dict(Intervention.select(Intervention.uuid, Intervention.id).tuples())
    links = [dict(intervention=ids[k], service=s) for k, s in planned.services]
    for start in range(0, len(links), 500):
        OfferedService.insert_many(links[start : start + 500]).execute()
    booked = [dict(intervention=ids[k], resource=resources[n]) for k, n in planned.resources if n in resources]
    for start in range(0, len(booked), 500):
        InterventionResource.insert_many(booked[start : start + 500]).execute()
    rng = random.Random(f"{len(rows)}-{salt}" if salt else len(rows))
    events = [
        dict(
            uuid=seeded_uuid(rng),
            **stamp(e["at"], "gestor"),
            intervention=ids[e.pop("intervention")],
            **{**e, "at": e["at"] + UTC_OFFSET},
        )  # fmt: skip
        for e in planned.events
    ]
    for start in range(0, len(events), 500):
        InterventionEvent.insert_many(events[start : start + 500]).execute()
    _plans(planned, users, tambo_code, rng)
    return len(rows)


def _plans(planned: Planned, users: dict[str, int], tambo_code: str, rng: random.Random) -> None:
    gestor = users.get("gestor")
    if gestor is None or not planned.rows:
        return
    months = sorted({(r["starts_at"].year, r["starts_at"].month) for r in planned.rows})
    for index, (year, month) in enumerate(months):
        current = index == len(months) - 1
        created = dt.datetime(year, month, 1, 8) - dt.timedelta(days=3)
        plan = MonthlyPlan.create(
            uuid=seeded_uuid(rng), tambo_code=tambo_code, created_at=created,
            created_by="gestor", updated_at=created, updated_by="gestor", year=year, month=month, gestor=gestor,
            needs=NEEDS[index % len(NEEDS)], potentials=POTENTIALS[index % len(POTENTIALS)],
            status="submitted" if current else "approved", review_comments="" if current else "Conforme",
        )  # fmt: skip
        steps = [("submitted", "gestor", "")] + ([] if current else [("approved", "supervisor", "Conforme")])
        for offset, (action, by, comment) in enumerate(steps):
            at = created + dt.timedelta(days=offset + 1)
            PlanEvent.create(
                uuid=seeded_uuid(rng), tambo_code=tambo_code, created_at=at,
                created_by=by, updated_at=at, updated_by=by, plan=plan.id, at=at, action=action, comment=comment,
            )  # fmt: skip
