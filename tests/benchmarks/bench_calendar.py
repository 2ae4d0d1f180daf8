"""Calendar benchmark: book an intervention (with every clash rule checked) and read a month of the
calendar, on the large demo (five years of interventions and 500,000 atenciones).

Run: .venv/bin/python tests/benchmarks/bench_calendar.py [--size large] [--runs 40]

Book: InterventionService.save of a one-hour meeting in the meeting room, with the gestor and the
motorcycle, on a random free evening (clash query over the week around it, soft-clash check, one
write transaction with the audit and history rows). Month: InterventionService.list of a whole month
(rows with their services, resources, names) plus the atenciones/usuarios each executed one produced,
as the calendar and the list view read it. The floors are the same reads done by hand in sqlite3 on
the same file (the overlap query; the month's rows joined to their links and the atención counts).
Targets: saving under 50 ms, a month under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from large_db import large_demo_database, working_copy  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    source = large_demo_database(args.size, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db_file = working_copy(source, Path(tmp))
        from tambo_desktop.db.lifecycle import prepare
        from tambo_desktop.db.models import Intervention, Resource, Space, User
        from tambo_desktop.services.indicators import month_range
        from tambo_desktop.services.interventions import InterventionFilter, InterventionForm, InterventionService
        from tambo_desktop.services.session import system_session

        prepare(f"sqlite:///{db_file}")
        service = InterventionService(system_session())
        room = Space.get(Space.name == "Sala de reuniones").id
        moto = Resource.get(Resource.name == "Motocicleta Honda XR150").id
        gestor = User.get(User.username == "gestor").id
        first = Intervention.select().order_by(Intervention.starts_at).first().starts_at.date()
        last = Intervention.select().order_by(Intervention.starts_at.desc()).first().starts_at.date()
        total = Intervention.select().count()
        print(f"{total} interventions from {first} to {last} in {db_file.stat().st_size / 1e6:.0f} MB")
        raw = sqlite3.connect(db_file)
        rng = random.Random(7)
        book, book_floor, month, month_floor = [], [], [], []
        picked = rng.sample(range((last - first).days), args.runs)  # a different evening each run
        for run, offset in enumerate(picked):
            day = first + dt.timedelta(days=offset)
            start = dt.datetime.combine(day, dt.time(20, 0)) + dt.timedelta(minutes=run % 4 * 15)
            form = InterventionForm(f"Reunión {run}", None, "coordination", [], "inside", room, None, "", start,
                                    start + dt.timedelta(minutes=14), gestor, [moto])  # fmt: skip
            low, high = start - dt.timedelta(days=7), start + dt.timedelta(days=7)
            t0 = time.perf_counter()
            raw.execute(
                "SELECT i.id, i.starts_at, i.ends_at, i.space_id, i.gestor_id, r.resource_id FROM intervention i "
                "LEFT JOIN intervention_resource r ON r.intervention_id = i.id "
                "WHERE i.starts_at < ? AND i.ends_at > ? AND i.status != 'suspended'",
                (high.isoformat(" "), low.isoformat(" ")),
            ).fetchall()
            book_floor.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            service.save(form, confirm=True)
            book.append(time.perf_counter() - t0)
            year, number = day.year, day.month
            start_day, end_day = month_range(year, number)
            t0 = time.perf_counter()
            rows = raw.execute(
                "SELECT i.*, s.service_id, r.resource_id FROM intervention i "
                "LEFT JOIN intervention_service s ON s.intervention_id = i.id "
                "LEFT JOIN intervention_resource r ON r.intervention_id = i.id "
                "WHERE i.ends_at > ? AND i.starts_at < ? ORDER BY i.starts_at",
                (f"{start_day} 00:00:00", f"{end_day + dt.timedelta(days=1)} 00:00:00"),
            ).fetchall()
            uuids = list({r[1] for r in rows})
            raw.execute(
                f"SELECT intervention_uuid, COUNT(*), COUNT(DISTINCT person_id) FROM attention WHERE voided = 0 AND "
                f"intervention_uuid IN ({','.join('?' * len(uuids))}) GROUP BY intervention_uuid",
                uuids,
            ).fetchall()
            month_floor.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            listed = service.list(InterventionFilter(start_day, end_day))
            service.results([r.uuid for r in listed])
            month.append(time.perf_counter() - t0)
        for name, values, floor, target in (("book an intervention", book, book_floor, 50),
                                            ("read a month", month, month_floor, 100)):  # fmt: skip
            median, base = statistics.median(values) * 1000, statistics.median(floor) * 1000
            print(
                f"{name}: median {median:.1f} ms (target < {target} ms); floor {base:.1f} ms; ratio {median / base:.1f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
