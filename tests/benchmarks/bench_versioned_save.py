"""What the per-record version costs (issue 17, part 1): a person's correction and the desk's save
(three atenciones and their audit rows) with the version check, against the same saves written as
before it (peewee's plain ``UPDATE … WHERE id = ?``, no version), measured in turns in the same run
on the same SQLite file (synchronous=FULL) and, with --db, on a PostgreSQL server.

Run: .venv/bin/python tests/benchmarks/bench_versioned_save.py [--runs 80] [--db postgresql://…]

The floor is the unversioned save of this same run; the check fails when the versioned one is
more than 25 % slower (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import peewee as pw  # noqa: E402

MAX_RATIO = 1.25


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=80)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tambo-bench-version-") as folder:
        import os

        os.environ["TAMBO_HOME"] = folder
        from tambo_desktop.db import lifecycle
        from tambo_desktop.db.models import BusinessModel, Person, Service
        from tambo_desktop.services import audit, setup
        from tambo_desktop.services.accounts import AccountForm
        from tambo_desktop.services.attentions import AttentionService
        from tambo_desktop.services.person_form import PersonForm
        from tambo_desktop.services.persons import PersonService
        from tambo_desktop.services.session import Session

        url = args.db or f"sqlite:///{Path(folder) / 'tambo.db'}"
        lifecycle.prepare(url)
        profile = setup.TamboProfile(name="Tambo Ccopamaya", code="TB-210102", district_code="210102",
                                     centro_poblado="Ccopamaya", altitude_m="3860")  # fmt: skip
        admin = setup.initialize(profile, AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1", "es"))
        session = Session(admin, "TB-210102")
        persons, desk = PersonService(session), AttentionService(session)
        ids = [persons.save(PersonForm("dni", f"{42000000 + i:08d}", "Rosa", "Quispe", sex="F")) for i in range(50)]
        services = [s.id for s in Service.select().order_by(Service.id).limit(3)]
        versioned_save = BusinessModel.save

        def correct(n: int) -> None:
            row = persons.get(ids[n % len(ids)])
            form = PersonForm(row.document_type, row.document_number or "", row.first_names, row.last_name_1,
                              sex=row.sex, phone=f"95{n:07d}", version=row.version)  # fmt: skip
            persons.save(form, row.id)

        def desk_save(n: int) -> None:
            desk.record(ids[n % len(ids)], services, "inside")

        results = {}
        for name, work in (("person correction", correct), ("desk save (3 atenciones)", desk_save)):
            times: dict[str, list[float]] = {"versioned": [], "floor": []}
            work(0)  # warm-up
            for n in range(1, args.runs + 1):
                for mode in ("versioned", "floor"):
                    BusinessModel.save = versioned_save if mode == "versioned" else pw.Model.save  # type: ignore[method-assign]
                    started = time.perf_counter()
                    work(2 * n + (mode == "floor"))
                    times[mode].append(time.perf_counter() - started)
            BusinessModel.save = versioned_save  # type: ignore[method-assign]
            results[name] = times
        assert audit.verify_chain().ok
        assert Person.select().count() == 50
        engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        failed = False
        for name, times in results.items():
            ours, floor = statistics.median(times["versioned"]), statistics.median(times["floor"])
            p95 = sorted(times["versioned"])[int(0.95 * len(times["versioned"])) - 1]
            ratio = ours / floor
            failed |= ratio > MAX_RATIO
            print(f"{engine} {name}: versioned median {ours * 1000:.2f} ms (p95 {p95 * 1000:.2f} ms), "
                  f"unversioned floor {floor * 1000:.2f} ms, ratio {ratio:.2f} (limit {MAX_RATIO})")  # fmt: skip
        from tambo_desktop.db.connection import close_database

        close_database()
        if failed:
            sys.exit(1)


if __name__ == "__main__":
    main()
