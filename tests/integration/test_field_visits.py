"""Field visits on a real database: a week of trips for two gestores with odometer and fuel, a bad
odometer reading refused with a clear message, overlapping trips refused, a guinea-pig diagnostic
turned into a PRODUCE proposal, and the month's fuel balance equal to a hand count of the export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal

import pytest

from tambo_desktop import dates
from tambo_desktop.db.models import Intervention, NeedRule, Service
from tambo_desktop.errors import ValidationError
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.diagnostics import DiagnosticForm, DiagnosticService
from tambo_desktop.services.field_reports import FieldReportService
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.session import CurrentUser, Session
from tambo_desktop.services.trips import TripForm, TripService
from tests.cli_signin import main_as

D = dt.datetime
MONTH = (2026, 3)


@pytest.fixture
def field(admin_session):
    accounts = AccountService(admin_session)
    ana = accounts.create(AccountForm("aquispe", "Ana Quispe", "gestor", "clave-segura-2"))
    luis = accounts.create(AccountForm("lmamani", "Luis Mamani", "gestor", "clave-segura-3"))
    communities = CommunityService(admin_session)
    ids = {name: communities.save(CommunityForm(name=name, district="210102", kind="anexo", distance_km=km, travel_minutes=minutes))
           for name, km, minutes in (("Jiscullaya", "8", "25"), ("Ccopamaya", "13", "35"), ("Socca", "24", "60"))}  # fmt: skip
    fuel = FuelService(admin_session)
    moto = fuel.save_vehicle("Motocicleta Honda", "motorcycle", "EA-4521", "80")
    pickup = fuel.save_vehicle("Camioneta Hilux", "pickup", "EGK-318", "28")
    fuel.set_allocation(moto, *MONTH, "6", "105")
    fuel.set_allocation(pickup, *MONTH, "20", "350")
    sessions = {name: Session(CurrentUser(uid, name, name, "gestor", "es"), admin_session.tambo_code)
                for name, uid in (("ana", ana), ("luis", luis))}  # fmt: skip
    return {"ana": ana, "luis": luis, "moto": moto, "pickup": pickup, **ids, "sessions": sessions}


def trip(f, day: int, community: str, vehicle: str, start_km: str, end_km: str, gallons: str = "", soles: str = "",
         receipt: str = "", purpose: str = "coordination", hour: int = 8) -> TripForm:  # fmt: skip
    return TripForm(None, D(2026, 3, day, hour), D(2026, 3, day, hour + 6), [f[community]], purpose,
                    "motocicleta" if vehicle == "moto" else "camioneta", f[vehicle], start_km, end_km, gallons, soles,
                    receipt, "Presidente comunal", "Reunión", "Asamblea el lunes")  # fmt: skip


def test_a_week_of_trips_odometer_rules_and_fuel_balance(field, admin_session, tmp_path):
    ana, luis = (TripService(field["sessions"][n]) for n in ("ana", "luis"))
    # Ana logs three days at once on her return (the motorcycle), Luis two days with the pick-up
    ana.save_many([
        trip(field, 2, "Jiscullaya", "moto", "12400", "12418"),
        trip(field, 3, "Ccopamaya", "moto", "12418", "12446", "2.5", "43.75", "B001-1501"),
        trip(field, 5, "Jiscullaya", "moto", "12446", "12463"),
    ])  # fmt: skip
    luis.save_many([
        trip(field, 2, "Socca", "pickup", "48900", "48952", "6", "105", "B001-1502", purpose="diagnostic"),
        trip(field, 4, "Socca", "pickup", "48952", "49003"),
    ])  # fmt: skip
    # a reading lower than the previous trip's is refused, naming that trip
    with pytest.raises(ValidationError) as info:
        ana.save(trip(field, 6, "Ccopamaya", "moto", "12450", "12480"))
    assert "12450" in str(info.value) and "05/03/2026" in str(info.value) and "12463" in str(info.value)
    with pytest.raises(ValidationError) as info:
        ana.save(trip(field, 6, "Ccopamaya", "moto", "12480", "12470"))
    assert "menor" in str(info.value)
    # a trip logged late, between two others, may not pass the next one's start
    with pytest.raises(ValidationError) as info:
        ana.save(trip(field, 4, "Jiscullaya", "moto", "12446", "12450"))
    assert info.value.for_field("odometer_end")
    # one gestor, one trip at a time; a batch with a bad trip saves nothing and names it
    with pytest.raises(ValidationError) as info:
        ana.save(trip(field, 2, "Ccopamaya", "pickup", "49003", "49010", hour=10))
    assert "Se cruza" in str(info.value)
    with pytest.raises(ValidationError) as info:
        ana.save_many(
            [trip(field, 9, "Jiscullaya", "moto", "12463", "12480"), trip(field, 10, "Jiscullaya", "moto", "", "")]
        )
    assert "Viaje 2" in str(info.value)
    assert len(TripService(admin_session).list(dt.date(2026, 3, 1), dt.date(2026, 3, 31))) == 5
    # the balance equals a hand count of the exported file
    path = tmp_path / "viajes.csv"
    assert FieldReportService(admin_session).export(*MONTH, path, "csv") == 5
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    by_vehicle: dict[str, list[Decimal]] = {}
    for row in rows:
        totals = by_vehicle.setdefault(row["Vehículo"], [Decimal(0), Decimal(0), Decimal(0)])
        totals[0] += Decimal(row["Km"])
        totals[1] += Decimal(row["Galones"] or 0)
        totals[2] += Decimal(row["Soles"] or 0)
    balance = {b.vehicle: b for b in FuelService(admin_session).balance(*MONTH)}
    for name, (km, gallons, soles) in by_vehicle.items():
        b = balance[name]
        assert (b.km, b.bought_gallons, b.bought_soles) == (km, gallons, soles)
    moto = balance["Motocicleta Honda"]
    assert moto.left_gallons == Decimal("3.5") and moto.left_soles == Decimal("61.25") and moto.trips == 3
    assert FieldReportService(admin_session).export(*MONTH, tmp_path / "informe.pdf", "pdf") == 5
    assert (tmp_path / "informe.pdf").read_bytes().startswith(b"%PDF")


def test_low_balance_and_odd_consumption_warn(field, admin_session):
    luis = TripService(field["sessions"]["luis"])
    luis.save(trip(field, 2, "Socca", "pickup", "48900", "49100", "17", "297.5", "B001-9"))
    [pickup] = [b for b in FuelService(admin_session).balance(*MONTH) if b.vehicle == "Camioneta Hilux"]
    assert len(pickup.warnings) == 2  # 3 of 20 gallons left; 11.8 km per gallon against the usual 28


def test_diagnostic_suggests_services_and_proposes_interventions(field, admin_session):
    diagnostics = DiagnosticService(admin_session)
    assert NeedRule.select().count() > 30  # loaded from the bundled rules
    diagnostic = diagnostics.save(DiagnosticForm(field["Ccopamaya"], dt.date(2026, 3, 3), ["guinea_pig"], ["production", "identity"],
                                                 "Asociación de criadores", "Mercado para los cuyes"))  # fmt: skip
    suggestions = diagnostics.suggestions(diagnostic)
    codes = [Service.get_by_id(s.service_id).code for s in suggestions]
    assert codes[:2] == ["dra_guinea_pig_course", "produce_guinea_pig_marketing"]  # the activity's rules first
    assert "reniec_dni_first" in codes and "senasa_alpaca_health" not in codes
    produce = [s.service_id for s in suggestions if s.entity_code == "PRODUCE"]
    ids = diagnostics.propose(diagnostic, produce, D(2026, 4, 14, 9))
    [proposal] = [Intervention.get_by_id(i) for i in ids]
    assert (proposal.status, proposal.place, proposal.community_id, proposal.entity.code) == (
        "requested",
        "outside",
        field["Ccopamaya"],
        "PRODUCE",
    )
    with pytest.raises(ValidationError):
        diagnostics.save(DiagnosticForm(field["Ccopamaya"], dt.date(2026, 3, 3), [], []))
    timeline = diagnostics.timeline(field["Ccopamaya"], months=3, today=dt.date(2026, 4, 30))
    assert [(r.month, r.diagnostics, r.interventions) for r in timeline] == [
        ("2026-04", 0, 1),
        ("2026-03", 1, 0),
        ("2026-02", 0, 0),
    ]
    stale = {r.community: r.days for r in diagnostics.stale(dt.date(2026, 4, 30), days=30)}
    assert stale == {"Ccopamaya": None, "Jiscullaya": None, "Socca": None}  # never visited


def test_cli_trips_and_fuel(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main_as(["--home", home, "demo", "--size", "small"]) == 0
    month = f"{dates.today():%Y-%m}"
    capsys.readouterr()
    assert main_as(["--home", home, "fuel", "balance", "--month", month, "--json"]) == 0
    balance = json.loads(capsys.readouterr().out)
    assert {b["vehicle"] for b in balance} == {"Motocicleta Honda XR150", "Camioneta Hilux"}
    for fmt in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"viajes.{fmt}"
        assert main_as(["--home", home, "trips", "export", "--month", month, "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    with open(tmp_path / "viajes.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    for b in balance:
        km = sum(int(r["Km"]) for r in rows if r["Vehículo"] == b["vehicle"])
        bought = sum(Decimal(r["Galones"] or 0) for r in rows if r["Vehículo"] == b["vehicle"])
        assert (b["km"], Decimal(b["bought_gallons"])) == (km, bought)
    assert main_as(["--home", home, "fuel", "balance", "--month", "2026-00"]) == 2
