"""PIAS (issue 19): the platform kind and the ship at setup; voyages, their route, rescheduling with
the rest of the route shifted, skipped stops, the history; on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from tambo_desktop import i18n
from tambo_desktop.db.models import AuditEntry, Community, Ship, Tambo, VoyageStop
from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.services import pias, setup
from tambo_desktop.services.accounts import AccountForm
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.desk import DeskEntry, DeskService
from tambo_desktop.services.persons import PersonForm
from tambo_desktop.services.session import Session
from tambo_desktop.services.voyages import StopForm, VoyageForm, VoyageService

PIAS_PROFILE = setup.TamboProfile(
    name="PIAS Lago Titicaca", code="PIAS-21-01", district_code="210101", centro_poblado="Puerto de Puno",
    platform="pias",
)  # fmt: skip
SHIP = pias.ShipForm("BAP Lago Titicaca I", "ABH-306", "60", ("consulting", "reniec", "bank"))
DAY = dt.datetime(2026, 3, 2, 8, 0)


def _pias() -> Session:
    admin = setup.initialize(
        PIAS_PROFILE, AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1", "es"), ship=SHIP
    )
    return Session(admin, PIAS_PROFILE.code)


@pytest.fixture
def session(db_url) -> Session:
    return _pias()


def _communities(session: Session, n: int) -> list[int]:
    service = CommunityService(session)
    return [service.save(CommunityForm(name=f"Isla {i}", district="210103", kind="comunidad_campesina"))
            for i in range(1, n + 1)]  # fmt: skip


def _route(session: Session, n: int = 5) -> tuple[int, list[int]]:
    """A voyage of ``n`` stops, one a day from DAY, 08:00 to 17:00."""
    voyages = VoyageService(session)
    voyage = voyages.create(VoyageForm("Travesía 1", "Lago Titicaca", fuel_planned="1200"))
    stops = []
    for k, community in enumerate(_communities(session, n)):
        arrive = DAY + dt.timedelta(days=k)
        stops.append(
            voyages.add_stop(voyage, StopForm(community, arrive, arrive + dt.timedelta(hours=9), "18,5", "2", "40"))
        )
    return voyage, stops


def test_a_pias_is_set_up_with_its_ship(db_url):
    _pias()
    assert Tambo.get().platform == "pias" and pias.is_pias()
    ship = pias.ship_info()
    assert ship is not None and (ship.name, ship.navy_code, ship.capacity) == ("BAP Lago Titicaca I", "ABH-306", 60)
    assert ship.modules == ("consulting", "reniec", "bank")
    assert setup.tambo_info().platform == "pias"
    assert AuditEntry.select().where(AuditEntry.entity == "ship").count() == 1


def test_a_tambo_has_no_ship(db_url, make_tambo):
    make_tambo()
    assert pias.platform_kind() == "tambo" and pias.ship_info() is None and Ship.select().count() == 0


def test_a_pias_without_ship_or_with_a_bad_one_is_refused_in_the_users_language(db_url):
    admin = AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1", "es")
    with pytest.raises(ValidationError) as missing:
        setup.initialize(PIAS_PROFILE, admin)
    assert [e.field for e in missing.value.errors] == ["ship_name"]
    i18n.set_language("qu")
    bad = pias.ShipForm("", "¡mal!", "0", ("casino",))
    with pytest.raises(ValidationError) as wrong:
        setup.initialize(PIAS_PROFILE, admin, ship=bad)
    assert [e.field for e in wrong.value.errors] == ["ship_name", "navy_code", "capacity", "modules"]
    with i18n.use_language("es"):
        spanish = {e.message for e in pias.validate_ship(bad)}
    assert not spanish & {e.message for e in wrong.value.errors}  # every message in Quechua
    assert Tambo.select().count() == 0 and Ship.select().count() == 0  # nothing half-written


def test_the_route_is_ordered_and_checked(session):
    voyage, stops = _route(session)
    voyages = VoyageService(session)
    detail = voyages.get(voyage)
    assert [s.position for s in detail.stops] == [1, 2, 3, 4, 5]
    assert detail.starts_at == DAY and detail.ends_at == DAY + dt.timedelta(days=4, hours=9)
    assert detail.expected_people == 200 and str(detail.stops[0].distance_km) == "18.5"
    listed = voyages.list()
    assert [(r.id, r.stops, r.reached, r.skipped) for r in listed] == [(voyage, 5, 0, 0)]
    assert listed[0].starts_at == DAY
    community = detail.stops[0].community_id
    with pytest.raises(ValidationError) as overlap:  # before the last stop leaves
        voyages.add_stop(voyage, StopForm(community, DAY + dt.timedelta(days=4, hours=2), DAY + dt.timedelta(days=5)))
    assert overlap.value.errors[0].field == "arrives_at"
    with pytest.raises(ValidationError) as bad:
        voyages.add_stop(voyage, StopForm(None, DAY, DAY - dt.timedelta(hours=1), "-3", "x", "muchos"))
    assert [e.field for e in bad.value.errors] == [
        "community",
        "departs_at",
        "distance_km",
        "travel_hours",
        "expected_people",
    ]
    assert VoyageStop.select().count() == 5


def test_reschedule_and_shift_the_rest_of_the_route(session):
    voyage, stops = _route(session)
    voyages = VoyageService(session)
    before = {s.id: (s.arrives_at, s.departs_at) for s in voyages.get(voyage).stops}
    late = dt.timedelta(days=1, hours=2)
    new_arrival = before[stops[1]][0] + late
    with pytest.raises(ValidationError) as crossing:  # without shifting, it would cross the next stop
        voyages.reschedule(stops[1], new_arrival, before[stops[1]][1] + late, "Oleaje fuerte")
    assert crossing.value.errors[0].field == "departs_at"
    with pytest.raises(ValidationError):
        voyages.reschedule(stops[1], new_arrival, before[stops[1]][1] + late, "  ", shift_rest=True)
    moved = voyages.reschedule(stops[1], new_arrival, before[stops[1]][1] + late, "Oleaje fuerte", shift_rest=True)
    assert moved == 3
    after = {s.id: (s.arrives_at, s.departs_at) for s in voyages.get(voyage).stops}
    assert after[stops[0]] == before[stops[0]]
    for stop in stops[1:]:
        assert after[stop] == (before[stop][0] + late, before[stop][1] + late)
    history = voyages.history(voyage)
    assert [e.action for e in history][-1] == "rescheduled"
    last = history[-1]
    assert (last.stop_position, last.shifted, last.reason) == (2, 3, "Oleaje fuerte")
    assert (last.old_arrives_at, last.new_arrives_at) == (before[stops[1]][0], new_arrival)
    stop_audits = AuditEntry.select().where((AuditEntry.entity == "voyage_stop") & (AuditEntry.action == "update"))
    assert stop_audits.count() == 4  # the stop and the three it pushed


def test_skip_with_a_reason_and_the_desk_marks_a_stop_reached(session):
    voyage, stops = _route(session, 3)
    voyages = VoyageService(session)
    with pytest.raises(ValidationError):
        voyages.skip(stops[2], "")
    voyages.skip(stops[2], "Nivel del lago muy bajo en el embarcadero")
    with pytest.raises(TamboError):
        voyages.skip(stops[2], "otra vez")
    desk = DeskService(session)
    service_id = desk.service_choices()[0].id
    form = PersonForm("dni", "41234567", "Juana", "Condori", "Apaza", "F", "12/08/1961")
    result = desk.register(DeskEntry(None, form, [service_id], "inside", attended_at=DAY + dt.timedelta(hours=1),
                                     voyage_stop_id=stops[0]))  # fmt: skip
    with pytest.raises(TamboError):  # nothing is recorded at a skipped stop
        desk.register(
            DeskEntry(result.person_id, None, [service_id], "inside", attended_at=DAY, voyage_stop_id=stops[2])
        )
    detail = voyages.get(voyage)
    assert [s.status for s in detail.stops] == ["reached", "planned", "skipped"]
    assert detail.stops[2].reason == "Nivel del lago muy bajo en el embarcadero"
    assert voyages.served([stops[0], stops[1]]) == {stops[0]: (1, 1)}
    assert voyages.list()[0].reached == 1 and voyages.list()[0].skipped == 1
    with pytest.raises(TamboError):  # a stop with atenciones cannot be skipped
        voyages.skip(stops[0], "error")
    assert [e.action for e in voyages.history(voyage)] == [
        "planned",
        "stop_added",
        "stop_added",
        "stop_added",
        "skipped",
        "reached",
    ]


def test_the_current_stop_follows_the_clock(session):
    voyage, stops = _route(session, 3)
    voyages = VoyageService(session)
    assert voyages.current_stop(voyage, DAY + dt.timedelta(hours=3)).id == stops[0]
    assert voyages.current_stop(voyage, DAY + dt.timedelta(days=1, hours=8)).id == stops[1]
    assert voyages.current_stop(voyage, DAY + dt.timedelta(hours=11)).id == stops[0]  # left at 17:00, the same evening
    assert voyages.current_stop(voyage, DAY - dt.timedelta(days=1)) is None
    assert voyages.current_voyage(DAY + dt.timedelta(days=1)) == voyage


def test_entities_aboard(session):
    voyage, _stops = _route(session, 1)
    voyages = VoyageService(session)
    from tambo_desktop.db.models import Entity

    minsa, reniec = (Entity.get(Entity.code == c).id for c in ("MINSA", "RENIEC"))
    voyages.set_entities(
        voyage, [(minsa, "Lic. Ana Mamani\nDr. Luis Quispe", "Vacunas, control prenatal"), (reniec, "", "DNI")]
    )
    assert [(e.entity_code, e.staff.count("\n")) for e in voyages.get(voyage).entities] == [("MINSA", 1), ("RENIEC", 0)]
    voyages.set_entities(voyage, [(reniec, "Registrador", "DNI")])
    assert [e.entity_code for e in voyages.get(voyage).entities] == ["RENIEC"]
    with pytest.raises(ValidationError):
        voyages.set_entities(voyage, [(reniec, "", ""), (reniec, "", "")])
    assert Community.select().count() == 1


def _three_days_at_three_stops(session: Session, stops: list[int]) -> dict[int, set[int]]:
    """The desk records atenciones at three stops on three days; one person at two stops; one voided."""
    desk = DeskService(session)
    choices = desk.service_choices()
    people: dict[int, set[int]] = {}
    first = None
    for k, stop in enumerate(stops[:3]):
        for n in range(k + 2):
            form = PersonForm(
                "dni",
                f"4{k}{n:06d}",
                "María",
                "Mamani",
                ("Quispe", "Apaza", "Choque", "Ticona", "Huanca")[n],
                "F" if n % 2 else "M",
                f"0{n + 1}/03/19{60 + 10 * k}",
            )
            at = DAY + dt.timedelta(days=k, hours=1 + n)
            result = desk.register(
                DeskEntry(None, form, [choices[n].id, choices[n + 1].id], "inside", attended_at=at, voyage_stop_id=stop)
            )
            people.setdefault(stop, set()).add(result.person_id)
            first = first or result
    desk.register(DeskEntry(first.person_id, None, [choices[5].id], "inside", attended_at=DAY + dt.timedelta(days=2, hours=6),
                                    voyage_stop_id=stops[2]))  # fmt: skip
    people[stops[2]].add(first.person_id)
    wrong = desk.register(DeskEntry(first.person_id, None, [choices[6].id], "inside", attended_at=DAY + dt.timedelta(days=2, hours=7),
                                    voyage_stop_id=stops[2]))  # fmt: skip
    desk.void(wrong, "Servicio equivocado")
    return people


def test_the_voyage_report_counts_as_the_indicators_by_stop(session, tmp_path):
    from tambo_desktop.db.models import Attention
    from tambo_desktop.formats.tabular import read_table
    from tambo_desktop.services.indicators import IndicatorService
    from tambo_desktop.services.voyages_report import VoyageReportService

    voyage, stops = _route(session, 4)
    people = _three_days_at_three_stops(session, stops)
    figures = VoyageReportService(session).figures(voyage)
    for item in figures.stops:  # against a count of the rows themselves
        rows = Attention.select().where((Attention.voyage_stop == item.stop.id) & (Attention.voided == False))  # noqa: E712
        assert item.indicators.attentions == rows.count()
        assert item.indicators.users == len(people.get(item.stop.id, set()))
        assert item.indicators == IndicatorService(session).stops([item.stop.id], str(item.stop.position))
    assert [i.indicators.attentions for i in figures.stops] == [4, 6, 9, 0]
    assert figures.total.attentions == 19 and figures.total.users == 9  # the person of stops 1 and 3 counts once
    assert (figures.planned, figures.reached, figures.skipped) == (4, 3, 0)
    assert sum(c.attentions for c in figures.total.breakdowns["sex"]) == 19
    pages = VoyageReportService(session).export(voyage, tmp_path / "informe.pdf", "pdf")
    assert pages >= 1
    import subprocess

    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "informe.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "3 de 4 programadas (no se llegó: 0)" in text and "Atendida 40 9/5" in text.replace(" / ", "/")
    assert "Toda la travesía 14/8" in text.replace(" / ", "/")  # AGRORURAL, the first entity, over the voyage
    VoyageReportService(session).export(voyage, tmp_path / "informe.xlsx", "xlsx")
    header, rows = read_table(tmp_path / "informe.xlsx")
    totals = [r for r in rows if r[8] == "Total"]
    assert [int(r[10]) for r in totals] == [4, 6, 9, 0, 19] and int(totals[-1][11]) == 9
    from openpyxl import load_workbook

    VoyageService(session).skip(stops[3], "Oleaje")
    VoyageReportService(session).export(voyage, tmp_path / "informe2.xlsx", "xlsx")
    book = load_workbook(tmp_path / "informe2.xlsx", read_only=True)
    assert book.sheetnames == ["Paradas", "Combustible", "Incidencias de la ruta"]
    fuel = list(book["Combustible"].iter_rows(values_only=True))
    assert fuel[1] == ("Combustible previsto (galones)", 1200) and fuel[2] == ("Combustible usado (galones)", None)
    incidents = list(book["Incidencias de la ruta"].iter_rows(values_only=True))
    assert incidents[1:] == [(4, "Isla 4", "Parada omitida", "2026-03-05 08:00", None, 0, "Oleaje")]
    book.close()


def test_itinerary_pdf_and_ics(session, tmp_path):
    import subprocess

    from icalendar import Calendar

    voyage, stops = _route(session, 3)
    voyages = VoyageService(session)
    voyages.reschedule(
        stops[1], DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=2, hours=9), "Crecida del río", shift_rest=True
    )
    voyages.skip(stops[2], "Sin muelle")
    assert voyages.export_itinerary_pdf(voyage, tmp_path / "it.pdf") == 1
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "it.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Isla 1" in text and "Reprogramada: Crecida del río" in text and "Sin muelle" in text and "18.5 km" in text
    assert voyages.export_ics(voyage, tmp_path / "it.ics") == 3
    calendar = Calendar.from_ical((tmp_path / "it.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert events[1].decoded("dtstart").replace(tzinfo=None) == DAY + dt.timedelta(days=2)
    assert int(events[1]["sequence"]) >= 1 and len({str(e["uid"]) for e in events}) == 3


def test_a_stop_is_announced_with_a_campaign_in_its_language(session, tmp_path):
    import subprocess

    from tambo_desktop.db.models import Entity
    from tambo_desktop.services.campaigns import CampaignService
    from tambo_desktop.services.voyages_campaigns import StopAnnouncementService

    voyage, stops = _route(session, 2)
    voyages = VoyageService(session)
    minsa, reniec = (Entity.get(Entity.code == c).id for c in ("MINSA", "RENIEC"))
    voyages.set_entities(voyage, [(minsa, "", "Vacunas"), (reniec, "", "DNI")])
    community = voyages.stop(stops[1]).community_id
    CommunityService(session).save(
        CommunityForm(name="Isla 2", district="210103", kind="comunidad_campesina", languages="ay;es"), community
    )
    announcer = StopAnnouncementService(session)
    campaign = announcer.announce(stops[1])
    assert announcer.announce(stops[1]) == campaign  # once
    detail = CampaignService(session).get(campaign)
    assert detail.local_language == "ay" and detail.starts_on == (DAY + dt.timedelta(days=1)).date() - dt.timedelta(
        days=14
    )
    (itv,) = detail.interventions
    assert (itv.place, itv.community_name, itv.starts_at) == ("outside", "Isla 2", DAY + dt.timedelta(days=1))
    assert len(itv.service_names) == 4  # two of each entity aboard
    CampaignService(session).export_flyer_pdf(campaign, "a5", ["es", "ay"], tmp_path / "volante.pdf")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "volante.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "La PIAS llega a Isla 2" in text and "Inaki uñjäwi" in text  # Spanish and Aymara
    voyages.skip(stops[0], "Oleaje")
    with pytest.raises(TamboError):
        announcer.announce(stops[0])


def test_a_stop_speaking_a_language_with_a_phrase_file_gets_it_and_one_without_gets_spanish_only(session, tmp_path):
    """Part 6: a community's language chosen from the list; the announcement in Spanish plus that language
    when a translator's phrase file has its phrases (test markers here, not translations), else Spanish
    only and the app says so."""
    import subprocess

    from tambo_desktop import paths, phrases
    from tambo_desktop.services.campaigns import CampaignService
    from tambo_desktop.services.radio import RadioService
    from tambo_desktop.services.voyages_campaigns import StopAnnouncementService
    from tests.unit.test_phrases import write

    voyage, stops = _route(session, 3)
    voyages, communities = VoyageService(session), CommunityService(session)
    for stop, languages in zip(stops, ("Shipibo-konibo; castellano", "cni;es", ""), strict=True):
        row = voyages.stop(stop)
        communities.save(CommunityForm(name=row.community_name, district="210103", kind="comunidad_nativa", languages=languages),
                         row.community_id)  # fmt: skip
    assert voyages.stop(stops[0]).languages == "shp;es"  # by its ISO 639-3 code
    folder = paths.home() / "phrases"
    folder.mkdir(exist_ok=True)
    write(folder, "shp", source="Test markers")
    phrases.reload()
    try:
        announcer = StopAnnouncementService(session)
        assert announcer.language(stops[0]) == ("shp", "")
        code, notice = announcer.language(stops[1])
        assert code == "" and notice.startswith("Todavía no hay frases en Asháninka (cni)")
        assert announcer.language(stops[2])[1].startswith("El centro poblado no tiene registrada su lengua")
        shipibo, ashaninka = announcer.announce(stops[0]), announcer.announce(stops[1])
        campaigns = CampaignService(session)
        assert (campaigns.get(shipibo).local_language, campaigns.get(ashaninka).local_language) == ("shp", "")
        campaigns.export_flyer_pdf(shipibo, "a5", ["es", "shp"], tmp_path / "shp.pdf")
        text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "shp.pdf"), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())  # fmt: skip
        assert "Atención gratuita Atención gratuita [shp]" in text and "Lugar / Lugar [shp]" in text
        campaigns.export_flyer_pdf(ashaninka, "a5", ["es"], tmp_path / "es.pdf")
        with pytest.raises(TamboError, match=r"Todavía no hay frases en Asháninka \(cni\)"):
            campaigns.export_flyer_pdf(ashaninka, "a5", ["es", "cni"], tmp_path / "cni.pdf")
        script = RadioService(session).for_campaign(shipibo)
        assert (
            list(script.texts) == ["es", "shp"]
            and "Todos los servicios son gratuitos. ¡Les esperamos! [shp]" in script.texts["shp"]
        )
        assert list(RadioService(session).for_campaign(ashaninka).texts) == ["es"]
    finally:
        phrases.reload()


def test_the_modules_aboard_are_the_spaces_interventions_book_with_the_same_clash_checks(session):
    from tambo_desktop.db.models import Entity, Space
    from tambo_desktop.services.facilities import FacilityService
    from tambo_desktop.services.interventions import ClashError, InterventionForm, InterventionService

    spaces = {row.name: row for row in FacilityService(session).spaces(active_only=True)}
    assert set(spaces) == {
        "Consultorio médico (a bordo)",
        "Oficina de RENIEC (a bordo)",
        "Ventanilla del Banco de la Nación (a bordo)",
    }
    reniec = spaces["Oficina de RENIEC (a bordo)"].id
    entity = Entity.get(Entity.code == "RENIEC").id
    interventions = InterventionService(session)

    def book(start: dt.datetime) -> int:
        form = InterventionForm(title="DNI a bordo", entity_id=entity, kind="direct", place="inside", space_id=reniec,
                                starts_at=start, ends_at=start + dt.timedelta(hours=3))  # fmt: skip
        return interventions.save(form, confirm=True).ids[0]

    book(DAY)
    with pytest.raises(ClashError, match="Oficina de RENIEC \\(a bordo\\)"):
        book(DAY + dt.timedelta(hours=1))
    # the bank counter is taken off the ship: its space is out of use (its bookings stay), the dental one is new
    pias.ShipService(session).update(pias.ShipForm("BAP Lago Titicaca I", "ABH-306", "60", ("consulting", "reniec", "dental"),
                                                   version=pias.ship_info().version))  # fmt: skip
    active = {s.name for s in Space.select().where(Space.active == True)}  # noqa: E712
    assert active == {"Consultorio médico (a bordo)", "Oficina de RENIEC (a bordo)", "Consultorio dental (a bordo)"}
    assert Space.get(Space.name == "Ventanilla del Banco de la Nación (a bordo)").active is False
