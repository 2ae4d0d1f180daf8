"""Atenciones list benchmark: the first page and the filtered pages of AttentionService.list.

Run: .venv/bin/python tests/benchmarks/bench_attention_list.py [--size large] [--seed 1] [--runs 9]

Targets (issue 4): the first page (100 rows, newest first, with person, service, entity and place)
under 200 ms; filtered by name or by centro poblado under 100 ms. The floor is the same plan
written by hand and run through the sqlite3 module (rows as plain tuples): the ratio is what the
service adds (peewee, the rows it builds, its choice of plan). Median of ``--runs`` runs of each,
taken in turns, after a warm-up.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from large_db import large_demo_database  # noqa: E402

FIRST_PAGE_TARGET_MS = 200
FILTER_TARGET_MS = 100
LIMIT = 100

SELECT = """
SELECT a.*, p.*, s.*, e.*, c.*
FROM attention a
JOIN person p ON p.id = a.person_id
JOIN service s ON s.id = a.service_id
JOIN entity e ON e.id = a.entity_id
LEFT JOIN community c ON c.id = a.community_id
"""
ORDER = " ORDER BY a.attended_at DESC, a.id DESC LIMIT ?"


def raw_page(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> list[tuple]:
    return conn.execute(SELECT + (f" WHERE {where}" if where else "") + ORDER, (*params, LIMIT + 1)).fetchall()


def median_times(ours, floor, runs: int) -> tuple[float, float]:
    ours(), floor()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, into in ((ours, times[0]), (floor, times[1])):
            started = time.perf_counter()
            fn()
            into.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    db_file = large_demo_database(args.size, args.seed)

    from tambo_desktop.db.connection import open_database
    from tambo_desktop.db.models import Community, Person
    from tambo_desktop.services.attentions import AttentionFilter, AttentionService
    from tambo_desktop.services.session import CurrentUser, Session
    from tambo_desktop.text import search_key

    open_database(f"sqlite:///{db_file}")
    service = AttentionService(Session(CurrentUser(0, "oficina", "Oficina", "staff", "es"), "DEMO-21-0102"))
    conn = sqlite3.connect(db_file)
    largest = Community.select().order_by(Community.population.desc(), Community.id).first()
    someone = (
        Person.select()
        .where(Person.anonymized == False)  # noqa: E712
        .order_by(Person.id)
        .offset(Person.select().count() // 2)
        .first()
    )  # noqa: E712
    full_name = f"{someone.first_names.split()[0]} {someone.last_name_1}"

    def like(text: str) -> tuple[str, tuple]:
        words = search_key(text).split()
        return " AND ".join("name_key LIKE ?" for _w in words), tuple(f"%{w}%" for w in words)

    def by_person(condition: str, params: tuple, broad: bool) -> tuple[str, tuple]:
        # the service's plan: a broad person filter is checked along the date index (+person_id)
        return f"{'+' if broad else ''}a.person_id IN (SELECT id FROM person WHERE {condition})", params

    cases = [
        ("first page (100 newest, no filter)", AttentionFilter(), ("", ()), FIRST_PAGE_TARGET_MS),
        ("name «mamani» (the commonest surname)", AttentionFilter(text="mamani"), by_person(*like("mamani"), True), FILTER_TARGET_MS),
        (f"name «{full_name}» (one person's name)", AttentionFilter(text=full_name), by_person(*like(full_name), False), FILTER_TARGET_MS),
        ("name «huanacuni» (a rare surname)", AttentionFilter(text="huanacuni"), by_person(*like("huanacuni"), False), FILTER_TARGET_MS),
        ("name «a» (the first letter typed)", AttentionFilter(text="a"), by_person(*like("a"), True), FILTER_TARGET_MS),
        (f"centro poblado of residence «{largest.name}»", AttentionFilter(community_id=largest.id),
         by_person("community_id = ?", (largest.id,), True), FILTER_TARGET_MS),
        (f"place of the atención «{largest.name}»", AttentionFilter(place_community_id=largest.id),
         ("a.community_id = ?", (largest.id,)), FILTER_TARGET_MS),
    ]  # fmt: skip
    print(f"database: {db_file} ({db_file.stat().st_size / 1e6:.0f} MB), median of {args.runs} runs")
    for label, flt, (where, params), target in cases:
        ours = service.list(flt, limit=LIMIT)
        floor = raw_page(conn, where, params)
        assert [r.id for r in ours.rows] == [r[0] for r in floor[:LIMIT]], label  # the same rows
        value, base = median_times(
            lambda f=flt: service.list(f, limit=LIMIT), lambda w=where, p=params: raw_page(conn, w, p), args.runs
        )
        verdict = "ok" if value * 1000 < target else "MISSED"
        print(f"{label}: {value * 1000:.1f} ms (target < {target} ms, {verdict}); raw sqlite3 (floor) {base * 1000:.1f} ms; "
              f"ratio {value / base:.2f}x")  # fmt: skip
    started = time.perf_counter()
    total = service.count()
    print(f"(for information) counting all {total} atenciones: {(time.perf_counter() - started) * 1000:.1f} ms")
    conn.close()


if __name__ == "__main__":
    main()
