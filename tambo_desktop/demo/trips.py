"""The demo tambo's field visits, consistent with its interventions: the motorcycle and the pick-up
with their monthly fuel allocations; a trip for every intervention the gestor took to a community
(leaving before it starts by the travel time, back after it ends), a few diagnostic and coordination
trips each month; odometers that only go forward (twice the distance, a little more), fuel bought
with a receipt when the tank runs low; and a needs diagnostic of most communities.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tambo_desktop.db.models import Community, FuelAllocation, Intervention, Resource, Trip, TripStop, User
from tambo_desktop.demo.calendar import UTC_OFFSET, seeded_uuid
from tambo_desktop.i18n import _
from tambo_desktop.services.diagnostics import DiagnosticForm, DiagnosticService
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.session import Session

VEHICLES = (  # name (as the bookable resource), kind, plate, km per gallon, tank (gal), allocation (gal, soles)
    ("Motocicleta Honda XR150", "motorcycle", "EA-4521", "80", Decimal(3), (Decimal(6), Decimal(105))),
    ("Camioneta Hilux", "pickup", "EGK-318", "28", Decimal(18), (Decimal(20), Decimal(350))),
)
PRICE = Decimal("17.50")  # soles per gallon
AGREEMENTS = (
    "Las autoridades convocan a la asamblea para la próxima campaña",
    "Se coordinó el local comunal para la atención",
    "El teniente gobernador difundirá la fecha por altoparlante",
    "Se acordó volver con RENIEC el próximo mes",
    "Se entregó la lista de adultos mayores sin DNI",
)
PEOPLE = ("Presidente comunal y teniente gobernador", "Alcalde del centro poblado", "Presidenta del Vaso de Leche",
          "Promotora de salud", "Directora de la escuela")  # fmt: skip
ACTIVITIES = {"alpaca": ("alpaca",), "cuyes": ("guinea_pig",), "Feria": ("commerce",), "trucha": ("trout",),
              "pesca": ("fishing",), "ovinos": ("sheep",), "papa": ("potato",), "tejid": ("crafts",)}  # fmt: skip


def load(session: Session, until: dt.datetime, seed: int | str) -> int:
    """Write vehicles, allocations, trips and diagnostics; returns the number of trips."""
    rng = random.Random(f"tambo-demo-trips-{seed}")
    fuel = FuelService(session)
    resources = dict(Resource.select(Resource.name, Resource.id).tuples())
    vehicles = {}
    for name, kind, plate, usual, _tank, _allocation in VEHICLES:
        vehicles[name] = fuel.save_vehicle(name, kind, plate, usual, resources.get(name))
    gestor = User.select(User.id).where(User.username == "gestor").scalar()
    communities = {c.id: c for c in Community.select()}
    visits = list(Intervention.select().where(
        (Intervention.place == "outside") & (Intervention.status.in_(("executed", "rescheduled")))
        & (Intervention.ends_at <= until)
    ).order_by(Intervention.starts_at))  # fmt: skip
    planned = [(i.starts_at - dt.timedelta(minutes=i.travel_minutes + 20), i.ends_at + dt.timedelta(minutes=i.travel_minutes),
                i.community_id, "intervention" if i.entity_id else "follow_up", i.uuid) for i in visits]  # fmt: skip
    first = (min(i.starts_at for i in visits) if visits else until).date().replace(day=1)
    day = first
    while day <= until.date():  # two or three diagnostic or coordination trips a month, on weekdays
        if day.weekday() < 5 and rng.random() < 0.12:
            community = rng.choice(sorted(communities))
            travel = communities[community].travel_minutes or 30
            start = dt.datetime.combine(day, dt.time(8, 30))
            end = start + dt.timedelta(minutes=2 * travel + 150)
            if end <= until and not any(p[0].date() == start.date() for p in planned):
                planned.append((start, end, community, rng.choice(("diagnostic", "coordination")), None))
        day += dt.timedelta(days=1)
    planned.sort(key=lambda p: p[0])
    odometer = {name: 12_400 if kind == "motorcycle" else 48_900 for name, kind, *_rest in VEHICLES}
    capacity = {v[0]: v[4] for v in VEHICLES}
    tank = dict(capacity)
    usual = {v[0]: Decimal(v[3]) for v in VEHICLES}
    rows, stops = [], []
    receipt = 1500
    for start, end, community_id, purpose, intervention in planned:
        community = communities[community_id]
        distance = float(community.distance_km or 10)
        name = "Camioneta Hilux" if distance > 20 else "Motocicleta Honda XR150"
        km = int(round(2 * distance * rng.uniform(1.02, 1.12)))
        begin = odometer[name]
        odometer[name] = begin + km
        tank[name] -= Decimal(km) / usual[name]
        gallons = soles = None
        number = ""
        if tank[name] < capacity[name] / 3:  # fill the tank on the way
            gallons = (capacity[name] - tank[name]).quantize(Decimal("0.01"))
            soles = (gallons * PRICE).quantize(Decimal("0.01"))
            tank[name] += gallons
            receipt += 1
            number = f"B001-{receipt:06d}"
        stamp = end + dt.timedelta(hours=1) + UTC_OFFSET
        key = seeded_uuid(rng)
        rows.append(dict(
            uuid=key, tambo_code=session.tambo_code, created_at=stamp, created_by="gestor", updated_at=stamp,
            updated_by="gestor", gestor=gestor, departs_at=start, returns_at=end, purpose=purpose,
            means="motocicleta" if name.startswith("Moto") else "camioneta", vehicle=vehicles[name],
            odometer_start=begin, odometer_end=begin + km, fuel_gallons=gallons, fuel_soles=soles, receipt=number,
            people_met=rng.choice(PEOPLE), activities="", agreements=rng.choice(AGREEMENTS), intervention_uuid=intervention,
        ))  # fmt: skip
        stops.append((key, community_id))
    for start in range(0, len(rows), 300):
        Trip.insert_many(rows[start : start + 300]).execute()
    ids = dict(Trip.select(Trip.uuid, Trip.id).tuples())
    for start in range(0, len(stops), 300):
        TripStop.insert_many(
            [dict(trip=ids[k], position=1, community=c) for k, c in stops[start : start + 300]]
        ).execute()
    month = first
    while month <= until.date():
        for name, _kind, _plate, _usual, _tank, (gallons, soles) in VEHICLES:
            FuelAllocation.create(
                uuid=seeded_uuid(rng), tambo_code=session.tambo_code,
                created_at=dt.datetime.combine(month, dt.time(13)), created_by="admin",
                updated_at=dt.datetime.combine(month, dt.time(13)), updated_by="admin", vehicle=vehicles[name],
                year=month.year, month=month.month, gallons=gallons, soles=soles,
            )  # fmt: skip
        month = (month + dt.timedelta(days=32)).replace(day=1)
    _diagnostics(session, communities, until, rng)
    session.audit("import", "trip", summary=_("Demostración: {n} viajes de campo").format(n=len(rows)))
    return len(rows)


def _diagnostics(session: Session, communities: dict[int, Community], until: dt.datetime, rng: random.Random) -> None:
    service = DiagnosticService(session)
    for community in sorted(communities.values(), key=lambda c: c.id):
        if rng.random() < 0.2:
            continue  # not diagnosed yet
        activities = [
            code
            for word, codes in ACTIVITIES.items()
            if word.casefold() in community.notes.casefold()
            for code in codes
        ]
        activities = list(dict.fromkeys(activities or ["potato", "sheep"]))
        needs = rng.sample(
            ["identity", "anemia", "water", "production", "frost", "protection", "education", "banking"], 3
        )
        if "production" not in needs and rng.random() < 0.5:
            needs.append("production")
        form = DiagnosticForm(community.id, (until - dt.timedelta(days=rng.randint(20, 80))).date(), activities, needs,
                              "Organización comunal activa; local comunal disponible", "Atender primero a niños y adultos mayores")  # fmt: skip
        service.save(form)
