"""Indicators benchmark: IndicatorService.month and .year against raw sqlite3 on the same file.

Run: .venv/bin/python tests/benchmarks/bench_indicators.py [--size large] [--seed 1] [--runs 7]

The floor is hand-written SQL through the sqlite3 module for the same aggregates: the totals and
every breakdown (entity, sector, level, service, centro poblado of residence, place, sex, age group,
inside/outside; the year also by month) with COUNT(*) and COUNT(DISTINCT person), plus the goals;
each query joins only the tables it needs. Target: the service at most 1.5x the floor.
The month measured is the last complete month of the data; the year, the last complete year.
Median of ``--runs`` runs of each, taken in turns, after a warm-up run (the file in the page cache).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from large_db import large_demo_database  # noqa: E402

TARGET_RATIO = 1.5

AGE = "(CAST(strftime('%Y%m%d', a.attended_at) AS INTEGER) - CAST(strftime('%Y%m%d', p.birth_date) AS INTEGER)) / 10000"
AGE_GROUP = (
    f"CASE WHEN p.birth_date IS NULL THEN 'unknown' WHEN {AGE} < 12 THEN '0_11' WHEN {AGE} < 18 THEN '12_17' "
    f"WHEN {AGE} < 30 THEN '18_29' WHEN {AGE} < 60 THEN '30_59' ELSE '60_plus' END"
)
#: breakdown → (key expression, joins it needs)
BREAKDOWNS = {
    "entity": ("a.entity_id", ""),
    "sector": ("e.sector", "JOIN entity e ON e.id = a.entity_id"),
    "level": ("e.level", "JOIN entity e ON e.id = a.entity_id"),
    "service": ("a.service_id", ""),
    "community": ("p.community_id", "JOIN person p ON p.id = a.person_id"),
    "place_community": ("a.community_id", ""),
    "sex": ("p.sex", "JOIN person p ON p.id = a.person_id"),
    "age_group": (AGE_GROUP, "JOIN person p ON p.id = a.person_id"),
    "place": ("a.place", ""),
}
WHERE = "WHERE a.voided = 0 AND a.attended_at >= ? AND a.attended_at < ?"


def raw_indicators(
    conn: sqlite3.Connection, start: dt.datetime, end: dt.datetime, year: int, month: int | None
) -> dict:
    """The same numbers as IndicatorService, by hand-written SQL (the floor)."""
    span = (start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"))
    out = {
        "totals": conn.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a {WHERE}", span
        ).fetchone()
    }
    breakdowns = dict(BREAKDOWNS)
    if month is None:
        breakdowns["month"] = ("strftime('%Y-%m', a.attended_at)", "")
    for name, (key, joins) in breakdowns.items():
        sql = f"SELECT {key}, COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a {joins} {WHERE} GROUP BY 1"
        out[name] = {k: (n, u) for k, n, u in conn.execute(sql, span)}
    goals = "SELECT entity_id, SUM(attentions_goal), SUM(users_goal) FROM monthly_goal WHERE year = ?"
    out["goals"] = conn.execute(
        goals + (" AND month = ?" if month else "") + " GROUP BY entity_id", (year, month) if month else (year,)
    ).fetchall()
    return out


def median_times(ours, floor, runs: int) -> tuple[float, float]:
    """Medians of ``runs`` timings of each, taken in turns (so a busy moment of the machine hits both)."""
    ours(), floor()  # warm-up
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, into in ((ours, times[0]), (floor, times[1])):
            started = time.perf_counter()
            fn()
            into.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def last_complete_periods(conn: sqlite3.Connection) -> tuple[tuple[int, int], int]:
    newest = dt.datetime.fromisoformat(conn.execute("SELECT MAX(attended_at) FROM attention").fetchone()[0])
    first = newest.replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    return (last_month.year, last_month.month), newest.year - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db_file = large_demo_database(args.size, args.seed)

    from tambo_desktop.db.connection import open_database
    from tambo_desktop.services.indicators import IndicatorService
    from tambo_desktop.services.session import SYSTEM_USER, Session

    open_database(f"sqlite:///{db_file}")
    service = IndicatorService(Session(SYSTEM_USER, "DEMO-21-0102"))
    conn = sqlite3.connect(db_file)
    (year, month), whole_year = last_complete_periods(conn)

    # the two ways agree before they are timed
    month_result = service.month(year, month)
    raw = raw_indicators(
        conn, dt.datetime(year, month, 1), dt.datetime(year + month // 12, month % 12 + 1, 1), year, month
    )
    assert (month_result.attentions, month_result.users) == raw["totals"], (month_result.attentions, raw["totals"])
    assert sorted((c.attentions, c.users) for c in month_result.breakdowns["sex"] if c.attentions) == sorted(
        raw["sex"].values()
    )

    cases = (
        (f"indicators of a month ({year}-{month:02d})",
         lambda: service.month(year, month),
         lambda: raw_indicators(conn, dt.datetime(year, month, 1), dt.datetime(year + month // 12, month % 12 + 1, 1), year, month)),
        (f"indicators of a year ({whole_year})",
         lambda: service.year(whole_year),
         lambda: raw_indicators(conn, dt.datetime(whole_year, 1, 1), dt.datetime(whole_year + 1, 1, 1), whole_year, None)),
    )  # fmt: skip
    print(f"database: {db_file} ({db_file.stat().st_size / 1e6:.0f} MB), median of {args.runs} runs")
    for label, ours, floor in cases:
        value, base = median_times(ours, floor, args.runs)
        ratio = value / base
        verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
        print(f"{label}: {value * 1000:.0f} ms; raw sqlite3 (floor) {base * 1000:.0f} ms; "
              f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")  # fmt: skip
    conn.close()


if __name__ == "__main__":
    main()
