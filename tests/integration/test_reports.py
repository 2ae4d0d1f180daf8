"""The monthly and yearly report: its numbers equal IndicatorService's and an independent count
made from the atenciones export (CSV) of a generated demo tambo; the PDF read back with pdftotext
(bilingual headings, tables split with their header repeated), the XLSX read back with openpyxl;
the CLI's verbs and its errors; the indicators' new spans on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from tambo_desktop import dates, paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import AuditEntry, Service
from tambo_desktop.demo.build import create_demo
from tambo_desktop.documents import monthly_report
from tambo_desktop.errors import PermissionDenied, ValidationError
from tambo_desktop.formats.persons import export_attentions
from tambo_desktop.i18n import _, format_number, use_language
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.indicators import IndicatorService, month_range
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.reports import CommunityReach, ReportRequest, ReportService, parse_request
from tambo_desktop.services.session import CurrentUser, Session, system_session
from tambo_desktop.vocabulary import AGE_GROUPS, label
from tests.cli_signin import signed

ROOT = Path(__file__).resolve().parents[2]


def _previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:
    """One generated demo tambo (small, seed 7) for the whole module."""
    home = tmp_path_factory.mktemp("report-demo")
    old = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    try:
        prepare(paths.default_database_url())
        create_demo(size="small", seed=7)
        close_database()
    finally:
        if old is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = old
    return home


@pytest.fixture
def demo(demo_home, monkeypatch) -> Session:
    monkeypatch.setenv(paths.HOME_ENV, str(demo_home))
    prepare(paths.default_database_url())
    return system_session()


def _exported(session: Session, first: dt.date, last: dt.date, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / f"atenciones-{first}-{last}.csv"
    export_attentions(session, out, first, last, "csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _by(rows: list[dict[str, str]], *columns: str) -> dict[object, tuple[int, int]]:
    """``{key: (atenciones, usuarios)}`` counted by hand from the exported rows."""
    attentions: Counter = Counter()
    people: dict[object, set[str]] = defaultdict(set)
    for r in rows:
        key = r[columns[0]] if len(columns) == 1 else tuple(r[c] for c in columns)
        attentions[key] += 1
        people[key].add(r["id_persona"])
    return {k: (attentions[k], len(people[k])) for k in attentions}


def _counts(counts, key: str = "key") -> dict[object, tuple[int, int]]:
    return {getattr(c, key): (c.attentions, c.users) for c in counts if c.attentions}


def _raw_reached(db_file: Path, first: dt.date, last: dt.date) -> set[str]:
    """Centros poblados where someone served in the period lives, by hand in sqlite3."""
    with sqlite3.connect(db_file) as conn:
        rows = conn.execute(
            "SELECT DISTINCT c.uuid FROM attention a JOIN person p ON p.id = a.person_id JOIN community c ON c.id = "
            "p.community_id WHERE a.voided = 0 AND a.attended_at >= ? AND a.attended_at < ?",
            (f"{first} 00:00:00", f"{last + dt.timedelta(days=1)} 00:00:00"),
        ).fetchall()
    return {r[0] for r in rows}


def test_the_months_report_equals_the_indicators_and_the_exported_atenciones(demo, demo_home, tmp_path):
    year, month = _previous_month(dates.today())
    first, last = month_range(year, month)
    report = ReportService(demo).build(ReportRequest(year, month, "es"))
    indicators = IndicatorService(demo).month(year, month)
    assert report.indicators == indicators
    assert indicators.attentions > 100  # a real month of the demo, not an empty one

    rows = _exported(demo, first, last, tmp_path)
    assert (len(rows), len({r["id_persona"] for r in rows})) == (report.indicators.attentions, report.indicators.users)
    breakdowns = report.indicators.breakdowns
    assert _counts(breakdowns["entity"]) == _by(rows, "entidad")
    assert _counts(breakdowns["sector"], "label") == _by(rows, "sector")
    assert _counts(breakdowns["service"], "label") == _by(rows, "servicio")
    assert _counts(breakdowns["sex"]) == _by(rows, "sexo")
    assert _counts(breakdowns["age_group"], "label") == _by(rows, "curso_de_vida")
    assert {k: v for k, v in _counts(breakdowns["place"]).items()} == {
        {"dentro": "inside", "fuera": "outside"}[k]: v for k, v in _by(rows, "lugar").items()
    }
    # the pyramid: usuarios by curso de vida and sex
    groups = {label(AGE_GROUPS, g): g for g in AGE_GROUPS}
    assert {k: v for k, v in report.pyramid.items() if v[0]} == {
        (groups[g], s): v for (g, s), v in _by(rows, "curso_de_vida", "sexo").items()
    }
    # the trend: the 12 months ending with this one, each against the export of those months
    assert [c.key for c in report.trend][-1] == f"{year:04d}-{month:02d}" and len(report.trend) == 12
    start = dt.date.fromisoformat(report.trend[0].key + "-01")
    by_month = _by(_exported(demo, start, last, tmp_path), "fecha")
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    people: dict[str, set] = defaultdict(set)
    for r in _exported(demo, start, last, tmp_path):
        months[r["fecha"][:7]][0] += 1
        people[r["fecha"][:7]].add(r["id_persona"])
    assert sum(a for a, _u in by_month.values()) == sum(c.attentions for c in report.trend)
    assert {c.key: (c.attentions, c.users) for c in report.trend if c.attentions} == {
        k: (v[0], len(people[k])) for k, v in months.items()
    }
    assert report.trend[-1].goal_attentions == indicators.goal_attentions
    # coverage: against a hand count in sqlite3 and the indicators' community breakdown
    coverage = report.coverage
    reached = _raw_reached(demo_home / "tambo.db", first, last)
    assert {c.key for c in coverage.reached} == reached
    assert coverage.reached_year == len(_raw_reached(demo_home / "tambo.db", dt.date(year, 1, 1), last))
    assert coverage.communities == CommunityService(demo).count()
    assert sum(c.attentions for c in coverage.reached) + coverage.unknown_attentions == indicators.attentions


def test_the_years_report_equals_the_indicators_and_the_export(demo, tmp_path):
    year = dates.today().year
    report = ReportService(demo).build(ReportRequest(year, None, "es"))
    indicators = IndicatorService(demo).year(year)
    assert report.yearly and report.indicators == indicators
    rows = _exported(demo, dt.date(year, 1, 1), dt.date(year, 12, 31), tmp_path)
    assert (len(rows), len({r["id_persona"] for r in rows})) == (indicators.attentions, indicators.users)
    assert _counts(report.indicators.breakdowns["entity"]) == _by(rows, "entidad")
    months: dict[str, list] = defaultdict(lambda: [0, set()])
    for r in rows:
        months[r["fecha"][:7]][0] += 1
        months[r["fecha"][:7]][1].add(r["id_persona"])
    assert {c.key: (c.attentions, c.users) for c in report.trend if c.attentions} == {
        k: (n, len(p)) for k, (n, p) in months.items()
    }
    assert [c.key for c in report.trend] == [f"{year}-{m:02d}" for m in range(1, 13)]


def test_the_other_sections_come_from_their_services(demo):
    from tambo_desktop.services.interventions import InterventionFilter, InterventionService
    from tambo_desktop.services.trips import TripService

    year, month = _previous_month(dates.today())
    first, last = month_range(year, month)
    report = ReportService(demo).build(ReportRequest(year, month, "es", note="Faltó el médico dos semanas."))
    started = [
        i
        for i in InterventionService(demo).list(InterventionFilter(first, last))
        if first <= i.starts_at.date() <= last
    ]
    assert sum(i.total for i in report.interventions) == len(started)
    assert sum(sum(i.by_status.values()) for i in report.interventions) == len(started)
    assert {r.title for r in report.reasons} == {i.title for i in started if i.status in ("rescheduled", "suspended")}
    trips = TripService(demo).list(first, last)
    assert report.field_visits.trips == len(trips)
    assert report.field_visits.km == sum(t.km or 0 for t in trips)
    assert report.notes[-1].text == "Faltó el médico dos semanas." and report.notes[-1].author == "TAMBO Desktop"
    assert all(n.communities for n in report.needs)


def test_the_pdf_in_quechua_with_spanish_and_its_numbers(demo, tmp_path):
    year, month = _previous_month(dates.today())
    out = tmp_path / "informe.pdf"
    pages = ReportService(demo).export(ReportRequest(year, month, "qu"), out, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("\f") == pages >= 3
    with use_language("qu"):
        own = _(monthly_report.H_COVERAGE)
        footer = _("Página {page} de {pages}").format(page=pages, pages=pages)
    assert own != "Cobertura del ámbito" and own in text and "Cobertura del ámbito" in text  # both languages
    assert "Informe mensual del tambo" in text  # the Spanish title under the Quechua one
    indicators = IndicatorService(demo).month(year, month)
    summary = text[: text.index("\f")]
    assert format_number(indicators.attentions) in summary and format_number(indicators.users) in summary
    assert footer in text.split("\f")[pages - 1]
    # the audit knows who printed what
    assert (
        AuditEntry.select()
        .where((AuditEntry.entity == "report") & AuditEntry.summary.contains(f"{year}-{month:02d}"))
        .count()
        == 1
    )


def test_a_long_table_splits_with_its_header_on_every_page(demo, tmp_path):
    year, month = _previous_month(dates.today())
    report = ReportService(demo).build(ReportRequest(year, month, "es"))
    many = tuple(
        CommunityReach(f"k{i}", f"Centro poblado número {i:03d} de la provincia", 3, 2, 100) for i in range(240)
    )
    long_report = replace(report, coverage=replace(report.coverage, reached=many))
    out = tmp_path / "largo.pdf"
    pages = monthly_report.render(long_report, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    sheets = text.split("\f")[:pages]
    holding = [i for i, page in enumerate(sheets) if "número" in page]
    assert len(holding) >= 3  # the table spans pages
    for index in holding:
        assert "Centro poblado" in sheets[index] and "Población" in sheets[index], index  # the header repeated
    assert all(f"número {i:03d}" in text for i in range(240))  # no row lost


def test_the_xlsx_has_a_sheet_per_section_with_the_same_numbers(demo, tmp_path):
    from openpyxl import load_workbook

    year, month = _previous_month(dates.today())
    out = tmp_path / "informe.xlsx"
    sheets = ReportService(demo).export(ReportRequest(year, month, "es"), out, "xlsx")
    book = load_workbook(out, read_only=True)
    assert len(book.sheetnames) == sheets >= 15
    indicators = IndicatorService(demo).month(year, month)
    summary = [list(r) for r in book[book.sheetnames[0]].iter_rows(values_only=True)]
    assert ["Atenciones", indicators.attentions, indicators.goal_attentions] in summary
    entity = [list(r) for r in book["Entidad"].iter_rows(values_only=True)]
    assert entity[0][:4] == ["Código", "Grupo", "Atenciones", "Usuarios"]
    assert {r[0]: (r[2], r[3]) for r in entity[1:]} == {
        c.key: (c.attentions, c.users) for c in indicators.breakdowns["entity"]
    }
    book.close()


def test_requests_are_checked_and_permission_is_required(demo):
    with pytest.raises(ValidationError) as bad:
        parse_request(month="2026-13")
    assert "AAAA-MM" in str(bad.value.errors[0].message)
    with pytest.raises(ValidationError):
        parse_request(year="26")
    with pytest.raises(ValidationError):
        parse_request(month="2026-02", note="x" * 5000)
    assert parse_request(year="2026").month is None and parse_request(month="2026-2").month == 2
    clerk = Session(CurrentUser(99, "oficina", "Oficina", "staff", "es"), demo.tambo_code)
    with pytest.raises(PermissionDenied):
        ReportService(clerk).build(ReportRequest(2026, 3))


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TAMBO_LANG": "es"}
    return subprocess.run([sys.executable, "-m", "tambo_desktop", "--home", str(home), *args], input=stdin,
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)  # fmt: skip


def test_cli_writes_the_report_and_refuses_a_bad_month(demo_home, tmp_path):
    year, month = _previous_month(dates.today())
    out = tmp_path / "informe.pdf"
    done = _cli(demo_home, "report", "monthly", "--month", f"{year}-{month:02d}", "--format", "pdf", "--out", str(out),
                "--language", "ay")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and str(out) in done.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Informe mensual del tambo" in text
    xlsx = tmp_path / "anual.xlsx"
    done = _cli(demo_home, "report", "yearly", "--year", str(year), "--format", "xlsx", "--out", str(xlsx))
    assert done.returncode == 0 and xlsx.stat().st_size > 0, done.stderr
    bad = _cli(demo_home, "report", "monthly", "--month", "2026-13", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "AAAA-MM" in bad.stderr and not (tmp_path / "x.pdf").exists()
    bad = _cli(demo_home, "report", "yearly", "--year", "dos mil", "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "AAAA" in bad.stderr


def test_trend_crossed_and_spans_on_both_engines(admin_session):
    """The indicators' new spans, on a hand-built pair of months (SQLite and PostgreSQL)."""
    community = CommunityService(admin_session).save(CommunityForm(name="Jiscullaya", district="210102", kind="anexo"))
    people = PersonService(admin_session)
    rosa = people.save(PersonForm("dni", "01234567", "Rosa", "Quispe", "Mamani", "F", "1990-05-10", str(community)))
    juan = people.save(PersonForm("", "", "Juan", "Mamani", "", "M", "2015-03-20"))
    desk = AttentionService(admin_session)
    flu = Service.get(Service.code == "minsa_vaccination_influenza").id
    renewal = Service.get(Service.code == "reniec_dni_renewal").id
    desk.record(rosa, [flu, renewal], "inside", None, dt.datetime(2025, 12, 30, 9))
    desk.record(rosa, [flu], "inside", None, dt.datetime(2026, 1, 2, 9))
    desk.record(juan, [flu], "inside", None, dt.datetime(2026, 1, 31, 23, 59))
    service = IndicatorService(admin_session)
    trend = service.trend(2026, 1, 3)
    assert [(c.key, c.attentions, c.users) for c in trend] == [("2025-11", 0, 0), ("2025-12", 2, 1), ("2026-01", 2, 2)]
    assert service.crossed("age_group", "sex", dt.date(2025, 12, 1), dt.date(2026, 1, 31)) == {
        ("30_59", "F"): (3, 1),
        ("0_11", "M"): (1, 1),
    }
    span = service.breakdown("community", dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    assert {c.label: (c.attentions, c.users) for c in span if c.attentions} == {
        "Jiscullaya": (3, 1),
        "Sin dato": (1, 1),
    }
    report = ReportService(admin_session).build(ReportRequest(2026, 1, "es"))
    assert report.coverage.communities == 1 and report.coverage.reached_year == 1
    assert [c.attentions for c in report.trend[-2:]] == [2, 2]


def test_the_staff_section_is_the_staff_record(demo, tmp_path):
    """The report's staff section is the staff's daily record (issue 18, part 3): each person's
    days at the tambo and in the field, month by month and added up over the year."""
    from tambo_desktop.services.staff import StaffService

    year, month = _previous_month(dates.today())
    report = ReportService(demo).build(ReportRequest(year, month, "es"))
    expected = sorted(StaffService(demo).month_summary(year, month), key=lambda r: r.full_name)
    assert list(report.staff) == expected and any(s.days_at_tambo for s in report.staff)
    yearly = ReportService(demo).build(ReportRequest(year, None, "es"))
    months = [StaffService(demo).month_summary(year, m) for m in range(1, 13)]
    for person in yearly.staff:
        assert person.days_at_tambo == sum(
            r.days_at_tambo for rows in months for r in rows if r.user_id == person.user_id
        )
        assert person.days_in_field == sum(
            r.days_in_field for rows in months for r in rows if r.user_id == person.user_id
        )
    out = tmp_path / "informe-ay.pdf"
    ReportService(demo).export(ReportRequest(year, month, "ay"), out, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    with use_language("ay"):
        heading = _(monthly_report.H_STAFF)
    assert heading in text and "Asistencia del personal" in text
    first = expected[0]
    line = next(row for row in text.splitlines() if first.full_name in row)
    assert format_number(first.days_at_tambo) in line


def test_the_reports_map_marks_each_community_by_its_last_atencion_on_both_engines(admin_session, tmp_path):
    """The coverage section carries the pages' map (issue 18.2): every centro poblado, marked by the
    age of its residents' last counted atención at the period's end (a void does not count, an
    atención older than a year is «more than a year»); the served days stay right when an
    atención is added or voided after they were counted; the PDF in Aymara names the map and its
    four ages in both languages."""
    from tambo_desktop.documents import monthly_report_charts as charts

    communities = CommunityService(admin_session)
    places = {
        name: communities.save(
            CommunityForm(name=name, district="210102", kind="anexo", latitude=lat, longitude=lon, distance_km=km)
        )  # fmt: skip
        for name, lat, lon, km in (
            ("Jiscullaya", "-15.84", "-70.02", ""),
            ("Totorani", "-15.90", "-69.95", ""),
            ("Camicachi", "-15.70", "-70.10", "12"),
            ("Chancachi", "-15.95", "-70.05", "30"),
        )  # fmt: skip
    }
    people = PersonService(admin_session)
    person = {
        name: people.save(PersonForm("", "", f"Persona {name}", "Quispe", "", "F", "1990-05-10", str(places[name])))
        for name in places
    }
    desk = AttentionService(admin_session)
    flu = Service.get(Service.code == "minsa_vaccination_influenza").id
    end = dt.date(2026, 1, 31)
    at = lambda days: dt.datetime.combine(end - dt.timedelta(days=days), dt.time(9))  # noqa: E731
    desk.record(person["Jiscullaya"], [flu], "inside", None, at(10))
    desk.record(person["Totorani"], [flu], "inside", None, at(60))
    voided = desk.record(person["Totorani"], [flu], "inside", None, at(5))[0]
    desk.void(voided, "registrada por error")
    desk.record(person["Camicachi"], [flu], "inside", None, at(200))
    desk.record(person["Chancachi"], [flu], "inside", None, at(400))  # more than a year before
    report = ReportService(admin_session).build(ReportRequest(2026, 1, "ay"))
    assert report.map_day == end
    assert {p.name: p.recency for p in report.places} == {
        "Jiscullaya": 0,
        "Totorani": 1,
        "Camicachi": 2,
        "Chancachi": 3,
    }
    assert {p.name: (p.latitude, p.distance_km) for p in report.places}["Camicachi"] == (-15.7, 12.0)
    service = IndicatorService(admin_session)
    span = (end - dt.timedelta(days=364), end)
    assert service.served(*span) == {places["Jiscullaya"]: at(10).date(), places["Totorani"]: at(60).date(),
                                     places["Camicachi"]: at(200).date()}  # fmt: skip
    # kept, then brought up to date: a new atención merged in, a void counted again
    desk.record(person["Chancachi"], [flu], "inside", None, at(1))
    assert service.served(*span)[places["Chancachi"]] == at(1).date()
    first = desk.record(person["Jiscullaya"], [flu], "inside", None, at(2))[0]
    assert service.served(*span)[places["Jiscullaya"]] == at(2).date()
    desk.void(first, "registrada por error")
    assert service.served(*span)[places["Jiscullaya"]] == at(10).date()

    # the PDF: the map, its heading and its four ages in Aymara with the Spanish
    out = tmp_path / "informe-ay.pdf"
    ReportService(admin_session).export(ReportRequest(2026, 1, "ay"), out, "pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    with use_language("ay"):
        heading, ages = _(monthly_report.H_MAP), [_(t) for t in charts.RECENCY_LEGEND]
    assert heading != monthly_report.H_MAP and heading.split(":")[0] in text and monthly_report.H_MAP in text
    assert all(f"{own} · {es}" in text for own, es in zip(ages, charts.RECENCY_LEGEND, strict=True))
    assert all(name in text for name in places)
    # each community's mark has its age's own shape (read on the black-and-white printer)
    with use_language("ay"):
        chart = charts.map_of(report.places, 480, 280)
    marks = {(round(m.x, 1), round(m.y, 1)): m.shape for m in chart.shapes if isinstance(m, charts.Mark)}
    shapes = {h.key[1]: marks[(round(h.x + h.w / 2, 1), round(h.y + h.h / 2, 1))] for h in chart.hits}
    assert shapes == {places[p.name]: charts.RECENCY_MARKS[p.recency][0] for p in report.places}
    assert len(set(shapes.values())) == 4


def test_the_charts_words_are_in_the_reports_language_and_in_spanish(demo, tmp_path):
    """Printed in Aymara, the charts' legends and the pyramid's sexes carry the Spanish too, as the
    headings do: the Unidad Territorial reads the report in Spanish."""
    year, month = _previous_month(dates.today())
    out = tmp_path / "informe-ay.pdf"
    ReportService(demo).export(ReportRequest(year, month, "ay"), out, "pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for message in (monthly_report.C_ATTENTIONS, monthly_report.L_GOAL, monthly_report.L_MEN, monthly_report.L_WOMEN):
        with use_language("ay"):
            own = _(message)
        assert own != message and f"{own} · {message}" in text, message
