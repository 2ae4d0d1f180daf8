"""The month's schedule: a real A4 PDF read back with poppler in three languages, an .ics file parsed
back with the icalendar library, and the CLI verbs on the demo tambo."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from icalendar import Calendar

from tambo_desktop import dates
from tambo_desktop.db.models import Entity, Service
from tambo_desktop.services.booking_rules import Recurrence
from tambo_desktop.services.facilities import FacilityForm, FacilityService
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.schedule import ScheduleService
from tests.cli_signin import main_as

D = dt.datetime
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def entity(code: str) -> int:
    return Entity.get(Entity.code == code).id


@pytest.fixture
def month(admin_session):
    """March 2026 of six entities: MINSA, RENIEC, BN (every second Tuesday), SIS, PRODUCE, MIDAGRI."""
    room = FacilityService(admin_session).save_space(FacilityForm("Auditorio", "auditorium", "80"))
    office = FacilityService(admin_session).save_space(FacilityForm("Tópico", "consulting", "6"))
    calendar = InterventionService(admin_session)
    vaccination = Service.get(Service.code == "minsa_vaccination_influenza").id

    def add(title, code, day, start, end, space=room, services=()):
        form = InterventionForm(title, entity(code), "support", list(services), "inside", space, None, "",
                                D(2026, 3, day, start), D(2026, 3, day, end))  # fmt: skip
        return calendar.save(form, confirm=True).ids

    ids = {
        "vaccination": add("Vacunación contra la influenza", "MINSA", 3, 8, 13, services=[vaccination]),
        "dni": add("Campaña de DNI", "RENIEC", 4, 9, 16),
        "sis": add("Afiliación al SIS", "SIS", 5, 9, 12, office),
        "cuyes": add("Taller de crianza de cuyes", "PRODUCE", 12, 9, 13),
        "semillas": add("Entrega de semillas", "MIDAGRI", 17, 10, 12),
    }
    bank = InterventionForm("Pago de Pensión 65 y Juntos", entity("BN"), "support", [], "inside", office, None, "",
                            D(2026, 3, 10, 8), D(2026, 3, 10, 14))  # fmt: skip
    ids["bn"] = calendar.save(bank, recurrence=Recurrence("monthly", dt.date(2026, 5, 31))).ids
    calendar.reschedule(ids["cuyes"][0], D(2026, 3, 19, 9), D(2026, 3, 19, 13), "El capacitador llega el jueves")
    calendar.suspend(ids["semillas"][0], "No llegaron las semillas")
    return ids


@needs_poppler
@pytest.mark.parametrize("language", ["es", "qu", "ay"])
def test_schedule_pdf_in_each_language(admin_session, month, tmp_path, language):
    path = tmp_path / f"marzo-{language}.pdf"
    pages = ScheduleService(admin_session).export_pdf(2026, 3, path, language=language)
    assert pages == 1
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info  # A4
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())  # cells wrap: compare words, not lines
    for title in ("Vacunación contra la influenza", "Campaña de DNI", "Pago de Pensión 65", "Taller de crianza"):
        assert title in text
    assert "Entrega de semillas" not in text  # suspended: not at the door
    assert "El capacitador llega el jueves" in text
    assert "08:00–13:00" in text and "RENIEC" in text and "Auditorio" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts
    if language != "es":
        assert "Programación de intervenciones" not in text  # the title is translated


def test_ics_parses_back_with_the_same_events(admin_session, month, tmp_path):
    path = tmp_path / "marzo.ics"
    n = ScheduleService(admin_session).export_ics(2026, 3, path)
    rows = ScheduleService(admin_session).month(2026, 3)
    assert n == len(rows) == 6
    calendar = Calendar.from_ical(path.read_bytes())
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {r.uuid for r in rows}
    for row in rows:
        event = events[row.uuid]
        start = event.decoded("dtstart")
        assert start.replace(tzinfo=None) == row.starts_at and str(start.tzinfo) == "America/Lima"
        assert event.decoded("dtend").replace(tzinfo=None) == row.ends_at
        assert str(event["summary"]).endswith(row.title)
    suspended = events[next(r.uuid for r in rows if r.status == "suspended")]
    assert str(suspended["status"]) == "CANCELLED" and int(suspended["sequence"]) == 1
    moved = events[next(r.uuid for r in rows if r.status == "rescheduled")]
    assert int(moved["sequence"]) == 1 and "El capacitador" in str(moved["description"])
    only_bn = tmp_path / "bn.ics"
    assert ScheduleService(admin_session).export_ics(2026, 3, only_bn, entity_id=entity("BN")) == 1
    assert calendar.walk("VTIMEZONE")


def test_cli_calendar_and_interventions(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main_as(["--home", home, "demo", "--size", "small"]) == 0
    today = dates.today()
    first = today.replace(day=1)
    capsys.readouterr()
    assert main_as(["--home", home, "interventions", "list", "--from", str(first - dt.timedelta(days=62)),
                 "--to", str(today), "--json"]) == 0  # fmt: skip
    listed = json.loads(capsys.readouterr().out)
    assert listed and all(r["status"] in {"executed", "rescheduled", "programmed", "suspended"} for r in listed)
    executed = [r for r in listed if r["status"] == "executed" and r["place"] == "outside"]
    assert executed and sum(r["attentions"] for r in executed) > 0
    out = tmp_path / "mes.ics"
    month = f"{today:%Y-%m}"
    assert main_as(["--home", home, "calendar", "export", "--month", month, "--format", "ics", "--out", str(out)]) == 0
    assert Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    pdf = tmp_path / "mes.pdf"
    assert (
        main_as(
            [
                "--home",
                home,
                "--lang",
                "ay",
                "calendar",
                "export",
                "--month",
                month,
                "--format",
                "pdf",
                "--out",
                str(pdf),
            ]
        )
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (
        main_as(["--home", home, "calendar", "export", "--month", "2026-13", "--format", "pdf", "--out", str(pdf)]) == 2
    )
    assert main_as(["--home", home, "calendar", "export", "--month", month, "--format", "ics", "--entity", "NADA",
                 "--out", str(out)]) == 2  # fmt: skip
    assert main_as(["--home", home, "interventions", "list", "--from", "2026-03-31", "--to", "2026-03-01"]) == 2


def _spanish_calendar_words() -> set[str]:
    from tambo_desktop import dates

    words = {*dates.month_names("es"), *dates.weekday_names("es"), *dates.month_names("es", abbreviated=True),
             *dates.weekday_names("es", abbreviated=True)}  # fmt: skip
    return {w.casefold().strip(".") for w in words}


@needs_poppler
@pytest.mark.parametrize("language", ["qu", "ay"])
@pytest.mark.parametrize("interface", ["es", "qu", "ay"])
def test_schedule_in_quechua_and_aymara_holds_no_spanish_month_or_weekday(admin_session, month, tmp_path,
                                                                           language, interface):  # fmt: skip
    from tambo_desktop import dates, i18n

    path = tmp_path / f"marzo-{language}.pdf"
    with i18n.use_language(interface):
        ScheduleService(admin_session).export_pdf(2026, 3, path, language=language)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    typed = {"el", "capacitador", "llega", "jueves"}  # the reschedule's reason, as the user typed it
    words = {w.casefold().strip(".,;:()—–-") for w in text.split()} - typed
    assert not words & _spanish_calendar_words(), words & _spanish_calendar_words()
    text = " ".join(text.split())
    assert dates.month_names(language)[2] in text  # «marsu 2026» in the title
    for day in (3, 4, 5, 10):  # the weekdays of the rows, in the language's words
        assert dates.format_date(dt.date(2026, 3, day), "weekday_day", language).capitalize() in text
