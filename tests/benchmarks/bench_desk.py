"""Desk benchmark: find a person by DNI and save an atención with three services and its audit rows.

Run: .venv/bin/python tests/benchmarks/bench_desk.py [--size large] [--seed 1] [--runs 60]

On a private copy of the cached demo database (``large_db.working_copy``): each run looks up one
registered person by DNI (PersonService.find_by_document) and records three services for them
(AttentionService.record: one write transaction, three atenciones, three audit entries, committed
with synchronous=FULL). The floor does the same by hand through the sqlite3 module on the same file
with the same settings: the SELECT by document, BEGIN IMMEDIATE, three INSERTs into attention, three
hash-chained INSERTs into audit_entry, COMMIT. Target: median under 20 ms. Runs taken in turns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from large_db import large_demo_database, working_copy  # noqa: E402

TARGET_MS = 20
SERVICES = ("reniec_dni_renewal", "minsa_vaccination_influenza", "sis_update")


def raw_desk(conn: sqlite3.Connection, dni: str, services: list[tuple[int, int, str]], user: str, tambo: str) -> None:
    """The floor: the same reads and writes, by hand."""
    person = conn.execute(
        "SELECT id, uuid, first_names, last_name_1 FROM person WHERE document_type = 'dni' AND document_number = ?", (dni,)
    ).fetchone()
    now = dt.datetime.now().replace(microsecond=0)
    stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for service_id, entity_id, name in services:
            record_uuid = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO attention (uuid, tambo_code, created_at, created_by, updated_at, updated_by, attended_at, place, "
                "community_id, entity_id, service_id, person_id, intervention_uuid, voided, void_reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'inside', NULL, ?, ?, ?, NULL, 0, '')",
                (record_uuid, tambo, stamp, user, stamp, user, now, entity_id, service_id, person[0]),
            )
            changes = json.dumps(
                {"attended_at": [None, now.isoformat()], "entity": [None, entity_id], "person": [None, person[0]],
                 "place": [None, "inside"], "service": [None, service_id], "voided": [None, False]},
                ensure_ascii=False, sort_keys=True,
            )  # fmt: skip
            prev = conn.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()[0]
            payload = json.dumps(
                [prev, stamp.strftime("%Y-%m-%dT%H:%M:%S"), user, "create", "attention", record_uuid, name, changes],
                ensure_ascii=False, separators=(",", ":"),
            )  # fmt: skip
            conn.execute(
                "INSERT INTO audit_entry (uuid, tambo_code, at, username, action, entity, record_uuid, summary, changes, "
                "prev_hash, hash) VALUES (?, ?, ?, ?, 'create', 'attention', ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), tambo, stamp, user, record_uuid, name, changes, prev,
                 hashlib.sha256(payload.encode("utf-8")).hexdigest()),
            )  # fmt: skip
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    cached = large_demo_database(args.size, args.seed)
    with tempfile.TemporaryDirectory(prefix="tambo-bench-desk-") as folder:
        db_file = working_copy(cached, Path(folder))

        from tambo_desktop.db.connection import SQLITE_PRAGMAS, open_database
        from tambo_desktop.db.models import Person, Service, Tambo
        from tambo_desktop.services import audit
        from tambo_desktop.services.attentions import AttentionService
        from tambo_desktop.services.persons import PersonService
        from tambo_desktop.services.session import CurrentUser, Session

        open_database(f"sqlite:///{db_file}")
        tambo = Tambo.get().code
        session = Session(CurrentUser(0, "oficina", "Oficina", "staff", "es"), tambo)
        persons, desk = PersonService(session), AttentionService(session)
        services = [Service.get(Service.code == code) for code in SERVICES]
        service_ids = [s.id for s in services]
        raw_services = [(s.id, s.entity_id, s.name) for s in services]
        dnis = [d for (d,) in Person.select(Person.document_number).where(Person.document_type == "dni").tuples()]
        picks = random.Random(args.seed).sample(dnis, 2 * args.runs + 2)

        conn = sqlite3.connect(db_file, isolation_level=None)
        for name, value in SQLITE_PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")

        def ours(dni: str) -> None:
            person = persons.find_by_document("dni", dni)
            desk.record(person.id, service_ids, "inside")

        ours(picks.pop()), raw_desk(conn, picks.pop(), raw_services, "oficina", tambo)  # warm-up
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(args.runs):
            for fn, into in ((ours, times[0]), (lambda d: raw_desk(conn, d, raw_services, "oficina", tambo), times[1])):
                dni = picks.pop()
                started = time.perf_counter()
                fn(dni)
                into.append(time.perf_counter() - started)
        conn.close()
        assert audit.verify_chain().ok  # both ways kept the chain
        value, base = statistics.median(times[0]), statistics.median(times[1])
        p90 = statistics.quantiles(times[0], n=10)[-1]
        verdict = "ok" if value * 1000 < TARGET_MS else "MISSED"
        print(f"database: copy of {cached} ({db_file.stat().st_size / 1e6:.0f} MB), {args.runs} runs each, in turns")
        print(f"find by DNI + save 3 services with audit: median {value * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms "
              f"(target < {TARGET_MS} ms, {verdict}); raw sqlite3 (floor) {base * 1000:.1f} ms; ratio {value / base:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
