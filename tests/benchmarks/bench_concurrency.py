"""Several PCs on one PostgreSQL server (issue 17, part 6): 1, 2, 4 and 8 client processes doing a
tambo's mixed work at once — desk saves of atenciones (70 %), corrections of the same five people
(20 %), bookings of the same two spaces (10 %) — against the same work on a SQLite file from one
process (the floor). Saves per second and p50/p95 save time; then the checks: 0 lost updates (every
accepted correction's token is in the person's notes), 0 duplicate people, 0 double bookings, the
audit chain intact.

Run: .venv/bin/python tests/benchmarks/bench_concurrency.py [--ops 40] [--clients 1,2,4,8]
(needs the PostgreSQL server binaries; starts a private server, fsync off, and removes it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SHARED_PEOPLE = 5
SLOTS = 12  # morning slots of the two spaces that the bookings fight over


def prepare(url: str, home: str) -> None:
    import os

    os.environ["TAMBO_HOME"] = home
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.services import setup
    from tambo_desktop.services.accounts import AccountForm
    from tambo_desktop.services.facilities import FacilityForm, FacilityService
    from tambo_desktop.services.person_form import PersonForm
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.session import Session

    lifecycle.prepare(url)
    profile = setup.TamboProfile(name="Tambo Ccopamaya", code="TB-210102", district_code="210102",
                                 centro_poblado="Ccopamaya", altitude_m="3860")  # fmt: skip
    admin = Session(
        setup.initialize(profile, AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1")), "TB-210102"
    )
    persons = PersonService(admin)
    for i in range(200):
        persons.save(PersonForm("dni", f"{44000000 + i:08d}", "Rosa", "Quispe", sex="F"))
    for name in ("Auditorio", "Consultorio"):
        FacilityService(admin).save_space(FacilityForm(name, "auditorium", "60"))
    close_database()


def client(url: str, home: str, seed: int, ops: int, start, results) -> None:
    import os

    os.environ["TAMBO_HOME"] = home
    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.db.models import Entity, Person, Service, Space
    from tambo_desktop.errors import StaleRecord, TamboError
    from tambo_desktop.services.attentions import AttentionService
    from tambo_desktop.services.interventions import ClashError, InterventionForm, InterventionService
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.session import system_session

    open_database(url)
    session = system_session()
    persons, desk, calendar = PersonService(session), AttentionService(session), InterventionService(session)
    people = [p for (p,) in Person.select(Person.id).order_by(Person.id).tuples()]
    shared = people[:SHARED_PEOPLE]
    services = [s for (s,) in Service.select(Service.id).order_by(Service.id).limit(3).tuples()]
    spaces = [s for (s,) in Space.select(Space.id).order_by(Space.id).tuples()]
    minsa = Entity.get(Entity.code == "MINSA").id
    rng = random.Random(seed)
    times: list[float] = []
    counts = {"desk": 0, "edits": 0, "stale": 0, "booked": 0, "clash": 0, "other": 0}
    tokens: list[tuple[int, str]] = []
    start.wait()
    for k in range(ops):
        roll = rng.random()
        began = time.perf_counter()
        try:
            if roll < 0.7:
                desk.record(rng.choice(people), services, "inside")
                counts["desk"] += 1
            elif roll < 0.9:
                pid, token = rng.choice(shared), f"c{seed}-{k};"
                from tambo_desktop.services.person_form import PersonForm

                while True:  # the user reloads and saves again until theirs goes through
                    row = persons.get(pid)
                    form = PersonForm(row.document_type, row.document_number or "", row.first_names, row.last_name_1,
                                      sex=row.sex, notes=(row.notes + token)[-2000:], version=row.version)  # fmt: skip
                    try:
                        persons.save(form, pid)
                        break
                    except StaleRecord:
                        counts["stale"] += 1
                tokens.append((pid, token))
                counts["edits"] += 1
            else:
                slot = rng.randrange(SLOTS)
                day = dt.datetime(2026, 4, 1 + slot // 2, 8 + 4 * (slot % 2))
                form = InterventionForm(title=f"Campaña {seed}-{k}", entity_id=minsa, place="inside",
                                        space_id=rng.choice(spaces), starts_at=day, ends_at=day + dt.timedelta(hours=3))  # fmt: skip
                try:
                    calendar.save(form, confirm=True)
                    counts["booked"] += 1
                except ClashError:
                    counts["clash"] += 1
        except TamboError:
            counts["other"] += 1
        times.append(time.perf_counter() - began)
    close_database()
    results.put((times, counts, tokens))


def run(url: str, home: str, clients: int, ops: int, method: str = "spawn") -> dict:
    context = mp.get_context(method)
    start, results = context.Barrier(clients + 1), context.Queue()
    workers = [
        context.Process(target=client, args=(url, home, 100 * clients + i, ops, start, results)) for i in range(clients)
    ]
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    outcome = [results.get(timeout=900) for _ in workers]
    wall = time.perf_counter() - began
    for w in workers:
        w.join(timeout=60)
    times = sorted(t for o in outcome for t in o[0])
    counts: dict[str, int] = {}
    for o in outcome:
        for key, value in o[1].items():
            counts[key] = counts.get(key, 0) + value
    return {"clients": clients, "saves": len(times), "wall": wall, "per_s": len(times) / wall,
            "p50": statistics.median(times) * 1000, "p95": times[int(0.95 * len(times)) - 1] * 1000,
            "counts": counts, "tokens": [t for o in outcome for t in o[2]]}  # fmt: skip


def check(url: str, tokens: list[tuple[int, str]]) -> dict:
    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.db.models import Intervention, Person
    from tambo_desktop.services import audit

    open_database(url)
    try:
        notes = {p.id: p.notes for p in Person.select(Person.id, Person.notes)}
        lost = sum(1 for pid, token in tokens if token not in notes[pid])
        documents = [p.document_number for p in Person.select(Person.document_number) if p.document_number]
        duplicates = len(documents) - len(set(documents))
        booked = list(Intervention.select().where(Intervention.status != "cancelled").order_by(Intervention.starts_at))
        double = sum(1 for a in booked for b in booked
                     if a.id < b.id and a.space_id == b.space_id and a.starts_at < b.ends_at and b.starts_at < a.ends_at)  # fmt: skip
        chain = audit.verify_chain()
        return {
            "lost": lost,
            "duplicates": duplicates,
            "double": double,
            "chain_ok": chain.ok,
            "entries": chain.entries,
        }
    finally:
        close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=40, help="saves per client")
    parser.add_argument("--clients", default="1,2,4,8")
    args = parser.parse_args()
    from pg_server import PrivateServer

    server = PrivateServer()
    server.init()
    rows, failed = [], False
    try:
        with tempfile.TemporaryDirectory(prefix="tambo-bench-conc-") as home:
            sqlite_url = f"sqlite:///{Path(home) / 'floor.db'}"
            prepare(sqlite_url, home)
            floor = run(sqlite_url, home, 1, args.ops * max(int(c) for c in args.clients.split(",")))
            floor_checks = check(sqlite_url, floor["tokens"])
            print(f"SQLite, 1 process (floor): {floor['saves']} saves, {floor['per_s']:.1f} saves/s, "
                  f"p50 {floor['p50']:.1f} ms, p95 {floor['p95']:.1f} ms; checks {floor_checks}")  # fmt: skip
            for n in (int(c) for c in args.clients.split(",")):
                import psycopg

                name = f"conc{n}"
                with psycopg.connect(
                    host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True
                ) as c:
                    c.execute(f'CREATE DATABASE "{name}"')
                url = server.url(name)
                prepare(url, home)
                result = run(url, home, n, args.ops)
                checks = check(url, result["tokens"])
                ok = checks["lost"] == checks["duplicates"] == checks["double"] == 0 and checks["chain_ok"]
                failed |= not ok
                rows.append((result, checks))
                print(f"PostgreSQL, {n} clients: {result['saves']} saves, {result['per_s']:.1f} saves/s "
                      f"(x{result['per_s'] / floor['per_s']:.2f} of the floor), p50 {result['p50']:.1f} ms, "
                      f"p95 {result['p95']:.1f} ms; {result['counts']}; checks {checks}")  # fmt: skip
    finally:
        server.remove()
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
