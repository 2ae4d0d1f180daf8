"""Monthly and yearly report benchmark, on the large demo (500,000 atenciones over five years).

Run: .venv/bin/python tests/benchmarks/bench_report.py [--size large] [--seed 1] [--runs 5]

Ours: ``ReportService.export(request, path, "pdf")`` as the CLI and the report page run it: every
section gathered through the services (the indicators of the period, the 12-month trend, the
pyramid, the centros poblados reached in the year, interventions, trainings, trips and fuel,
campaigns, diagnostics, plans), the A4 PDF with its four charts laid out and written, and the
audit line. Targets: the month with its charts <= 2 s, the year <= 5 s.

Floor (measured in the same run, taken in turns with ours): the same counts by hand-written SQL
through the sqlite3 module (the indicators' totals and breakdowns, the trend by month, the pyramid,
the centros poblados reached from January, the interventions by entity and status, trips, course
sessions, campaigns' interventions and diagnostics), plus a plain one-page reportlab PDF of the totals.
The month is the last complete month of the data; the year, the last complete year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_indicators import AGE_GROUP, WHERE, last_complete_periods, median_times, raw_indicators  # noqa: E402
from large_db import large_demo_database, working_copy  # noqa: E402

TARGETS = {"month": 2.0, "year": 5.0}


def _span(start: dt.date, end: dt.date) -> tuple[str, str]:
    return (f"{start} 00:00:00", f"{end + dt.timedelta(days=1)} 00:00:00")


def raw_report(conn: sqlite3.Connection, year: int, month: int | None) -> dict:
    """The report's counts by hand in sqlite3 (the floor's queries)."""
    if month is None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        trend_from = first
    else:
        first = dt.date(year, month, 1)
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        trend_from = dt.date(year, month - 11, 1) if month == 12 else dt.date(year - 1, month + 1, 1)  # 12 months
    out = raw_indicators(conn, dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min),
                         year, month)  # fmt: skip
    out["trend"] = conn.execute(
        f"SELECT strftime('%Y-%m', a.attended_at), COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a {WHERE} GROUP BY 1",
        _span(trend_from, last),
    ).fetchall()
    out["pyramid"] = conn.execute(
        f"SELECT {AGE_GROUP}, p.sex, COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a JOIN person p ON p.id = a.person_id "
        f"{WHERE} GROUP BY 1, 2",
        _span(first, last),
    ).fetchall()
    out["reached_year"] = conn.execute(
        f"SELECT p.community_id, COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a JOIN person p ON p.id = a.person_id "
        f"{WHERE} GROUP BY 1",
        _span(dt.date(year, 1, 1), last),
    ).fetchall()
    out["population"] = conn.execute("SELECT uuid, population FROM community").fetchall()
    out["interventions"] = conn.execute(
        "SELECT entity_id, status, COUNT(*) FROM intervention WHERE starts_at >= ? AND starts_at < ? GROUP BY 1, 2",
        _span(first, last),
    ).fetchall()
    out["reasons"] = conn.execute(
        "SELECT starts_at, entity_id, title, status, status_reason FROM intervention WHERE starts_at >= ? AND starts_at < ? "
        "AND status IN ('rescheduled', 'suspended')",
        _span(first, last),
    ).fetchall()
    out["trips"] = conn.execute(
        "SELECT COUNT(*), SUM(odometer_end - odometer_start), SUM(fuel_gallons) FROM trip WHERE departs_at >= ? AND departs_at < ?",
        _span(first, last),
    ).fetchall()
    out["stops"] = conn.execute(
        "SELECT DISTINCT s.community_id FROM trip_stop s JOIN trip t ON t.id = s.trip_id WHERE t.departs_at >= ? AND t.departs_at < ?",
        _span(first, last),
    ).fetchall()
    out["fuel"] = conn.execute(
        "SELECT vehicle_id, SUM(gallons), SUM(soles) FROM fuel_allocation WHERE year = ?" + (" AND month = ?" if month else "")
        + " GROUP BY 1", (year, month) if month else (year,)
    ).fetchall()  # fmt: skip
    out["courses"] = conn.execute(
        "SELECT s.course_id, COUNT(*), (SELECT COUNT(*) FROM enrollment e WHERE e.course_id = s.course_id), "
        "(SELECT COUNT(certificate_code) FROM enrollment e WHERE e.course_id = s.course_id) "
        "FROM course_session s WHERE s.starts_at >= ? AND s.starts_at < ? GROUP BY 1",
        _span(first, last),
    ).fetchall()
    out["campaigns"] = conn.execute(
        "SELECT ci.campaign_id, COUNT(*), SUM(i.expected_participants), "
        "(SELECT COUNT(*) FROM attention a WHERE a.voided = 0 AND a.intervention_uuid IN (SELECT i2.uuid FROM intervention i2 "
        "JOIN campaign_intervention c2 ON c2.intervention_id = i2.id WHERE c2.campaign_id = ci.campaign_id)) "
        "FROM campaign_intervention ci JOIN intervention i ON i.id = ci.intervention_id "
        "WHERE i.starts_at >= ? AND i.starts_at < ? GROUP BY 1",
        _span(first, last),
    ).fetchall()
    out["needs"] = conn.execute(
        "SELECT d.community_id, d.needs FROM diagnostic d WHERE d.made_on <= ? ORDER BY d.made_on DESC", (str(last),)
    ).fetchall()
    return out


def plain_pdf(path: Path, counts: dict) -> None:
    """A one-page reportlab PDF of the totals (the floor's document)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    pdf = Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 11)
    attentions, users = counts["totals"]
    pdf.drawString(72, 780, f"Atenciones: {attentions}  Usuarios: {users}")
    y = 760
    for key, (n, u) in sorted(counts["entity"].items(), key=lambda kv: str(kv[0])):
        pdf.drawString(72, y, f"{key}: {n} / {u}")
        y -= 14
    pdf.showPage()
    pdf.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cached = large_demo_database(args.size, args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="bench-report-"))
    db_file = working_copy(cached, scratch / "home")  # the export writes its audit line

    from tambo_desktop.db.connection import open_database
    from tambo_desktop.services.indicators import IndicatorService
    from tambo_desktop.services.reports import ReportRequest, ReportService
    from tambo_desktop.services.session import SYSTEM_USER, Session

    open_database(f"sqlite:///{db_file}")
    session = Session(SYSTEM_USER, "DEMO-21-0102")
    service = ReportService(session)
    conn = sqlite3.connect(db_file)
    (year, month), whole_year = last_complete_periods(conn)

    # the two ways agree before they are timed
    report = service.build(ReportRequest(year, month))
    raw = raw_report(conn, year, month)
    assert (report.indicators.attentions, report.indicators.users) == raw["totals"]
    assert sorted((a, u) for _k, a, u in raw["trend"]) == sorted(
        (c.attentions, c.users) for c in report.trend if c.attentions
    )
    assert sum(a for *_k, a, _u in raw["pyramid"]) == report.indicators.attentions
    assert sum(n for _e, _s, n in raw["interventions"]) == sum(i.total for i in report.interventions)
    assert raw["trips"][0][0] == report.field_visits.trips
    assert report.indicators == IndicatorService(session).month(year, month)

    pdf, floor_pdf = scratch / "informe.pdf", scratch / "plano.pdf"

    def floor(y: int, m: int | None):
        return lambda: plain_pdf(floor_pdf, raw_report(conn, y, m))

    cases = (
        ("month", f"monthly report with its charts ({year}-{month:02d})", lambda: service.export(ReportRequest(year, month), pdf, "pdf"),
         floor(year, month)),
        ("year", f"yearly report with its charts ({whole_year})", lambda: service.export(ReportRequest(whole_year), pdf, "pdf"),
         floor(whole_year, None)),
    )  # fmt: skip
    print(f"database: {cached} ({cached.stat().st_size / 1e6:.0f} MB, copied), median of {args.runs} runs")
    for kind, label, ours, base in cases:
        value, low = median_times(ours, base, args.runs)
        verdict = "ok" if value <= TARGETS[kind] else "MISSED"
        print(f"{label}: {value * 1000:.0f} ms (target <= {TARGETS[kind]:.0f} s) {verdict}; floor (raw sqlite3 counts + a plain "
              f"one-page reportlab PDF) {low * 1000:.0f} ms; ratio {value / low:.1f}x")  # fmt: skip
    conn.close()


if __name__ == "__main__":
    main()
