"""Anonymisation on the large demo (20,000 people, 500,000 atenciones; issue 15.5).

    .venv/bin/python tests/benchmarks/bench_anonymise.py

On a private copy of the cached large demo (tests/benchmarks/large_db.py), with its installation
key: migration 18 when the copy predates it; then, for people of the demo and for people made at
the desk (created, corrected, served: their values in the audit trail), the time to anonymise
with the scrub (secure delete + WAL checkpoint) against the floor of the same anonymisation
without it, measured in the same run; whether the DNI and the surname are still in the file's
bytes afterwards (with and without the scrub; SQLite's secure delete forced OFF first, as Python's
SQLite on Windows has it); and the cost of a VACUUM of the whole file, for comparison.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_db import large_demo_database, working_copy  # noqa: E402


def _grep(path: Path, *needles: str) -> list[str]:
    data = b""
    for suffix in ("", "-wal"):
        with contextlib.suppress(FileNotFoundError):
            data += Path(f"{path}{suffix}").read_bytes()
    return [n for n in needles if n.encode("utf-8") in data]


def main() -> None:
    source = large_demo_database()
    work = Path(tempfile.mkdtemp(prefix="tambo-bench-anon-"))
    home = work / "home"
    db_file = working_copy(source, home)
    for name in ("installation.key", ".tambo.db.anchor", ".tambo.db.tambo"):
        if (source.parent / name).exists():
            shutil.copy2(source.parent / name, home / name)
    os.environ["TAMBO_HOME"] = str(home)

    from tambo_desktop.db import lifecycle, migrations, personal
    from tambo_desktop.db.connection import close_database, current_database, open_database
    from tambo_desktop.db.models import AuditEntry, Person, Service
    from tambo_desktop.services import audit
    from tambo_desktop.services.attentions import AttentionService
    from tambo_desktop.services.persons import PersonForm, PersonService
    from tambo_desktop.services.session import CurrentUser, Session, session_for

    url = f"sqlite:///{db_file}"
    db = open_database(url)
    todo = [m.version for m in migrations.pending(db)]
    started = time.perf_counter()
    migrations.migrate(db)
    migrated = time.perf_counter() - started
    print(f"database: {db_file.stat().st_size / 1e6:.0f} MB, {AuditEntry.select().count()} audit lines; "
          f"migrations {todo} in {migrated:.2f} s")  # fmt: skip
    close_database()
    lifecycle.prepare(url)
    db = current_database()
    session = session_for(CurrentUser(1, "admin", "Administrador", "admin", "es"))
    assert isinstance(session, Session)
    people = PersonService(session)
    service = Service.get(Service.code == "minsa_vaccination_influenza").id

    def desk_person(i: int) -> tuple[int, str, str]:
        tag = chr(ord("a") + i // 26 % 26) + chr(ord("a") + i % 26)
        dni, surname = f"7{i:07d}", f"Wankarayupanki{tag}"
        pid = people.save(
            PersonForm("dni", dni, "Eleuteria", f"Qhispikancha{tag}", "Ttito", "F", "1961-07-02", phone="962740351")
        )
        people.save(PersonForm("dni", dni, "Eleuteria", surname, "Ttito", "F", "1961-07-02", phone="962740351",
                               version=people.get(pid).version), pid)  # fmt: skip
        AttentionService(session).record(pid, [service], "inside", attended_at=dt.datetime(2025, 3, 3, 9, i % 60))
        return pid, dni, surname

    demo = list(
        Person.select()
        .where(Person.document_number.is_null(False) & (Person.anonymized == False))  # noqa: E712
        .order_by(Person.id)
        .limit(12)
    )  # noqa: E712
    rounds = 6
    results: dict[str, list[float]] = {"floor": [], "scrub": []}
    left: dict[str, list[int]] = {"floor": [], "scrub": []}
    original_scrub, original_checkpoint = personal.secure_delete, personal.checkpoint

    class _NoScrub:
        def __init__(self, db) -> None:
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

    for kind in ("demo", "desk"):
        for i in range(rounds):
            for mode in ("floor", "scrub"):
                if kind == "demo":
                    p = demo.pop()
                    pid, dni, surname = p.id, p.document_number, p.last_name_1 + " " + p.last_name_2
                    needle_surname = f"{p.first_names} "  # the name_key holds the whole name; check the DNI
                else:
                    pid, dni, surname = desk_person(i * 2 + (mode == "scrub") + (100 if kind == "desk" else 0))
                    needle_surname = surname
                db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute_sql("PRAGMA secure_delete = OFF")
                if mode == "floor":
                    personal.secure_delete, personal.checkpoint = _NoScrub, lambda db: True  # type: ignore[assignment,misc]
                try:
                    t0 = time.perf_counter()
                    people.anonymize(pid)
                    results[mode].append(time.perf_counter() - t0)
                finally:
                    personal.secure_delete, personal.checkpoint = original_scrub, original_checkpoint  # type: ignore[misc]
                found = _grep(db_file, dni, needle_surname) if kind == "desk" else _grep(db_file, dni)
                left[mode].append(1 if found else 0)
        f, s = statistics.median(results["floor"]), statistics.median(results["scrub"])
        print(f"{kind} people: anonymise {s * 1000:.0f} ms with the scrub, {f * 1000:.0f} ms without (ratio {s / f:.2f}); "
              f"values still in the file's bytes: without the scrub {sum(left['floor'])} of {len(left['floor'])} people's, "
              f"with it {sum(left['scrub'])} of {len(left['scrub'])}")  # fmt: skip
        results = {"floor": [], "scrub": []}
        left = {"floor": [], "scrub": []}
    chain = audit.verify_chain()
    print(f"audit chain after: ok={chain.ok}, {chain.entries} lines")
    close_database()
    started = time.perf_counter()
    import sqlite3

    conn = sqlite3.connect(db_file)
    conn.execute("VACUUM")
    conn.close()
    vacuum = time.perf_counter() - started
    print(f"VACUUM of the whole file: {vacuum:.1f} s ({db_file.stat().st_size / 1e6:.0f} MB after), "
          f"{vacuum / max(s, 1e-9):.0f} times the scrubbed anonymisation")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    long_trail()


def long_trail(people: int = 20_000) -> None:
    """Migration 18 on a pre-18 trail of five years at a desk: ``people`` created and each corrected
    once (two lines each, their values in clear), chained with the installation key as before 18."""
    import json
    import sqlite3

    work = Path(tempfile.mkdtemp(prefix="tambo-bench-trail-"))
    os.environ["TAMBO_HOME"] = str(work)
    from tambo_desktop.db import keys, migrations
    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.services import audit

    db_file = work / "tambo.db"
    db = open_database(f"sqlite:///{db_file}")
    migrations.migrate(db, target=17)
    close_database()
    key = keys.installation_key()
    conn = sqlite3.connect(db_file)
    prev, rows, line = "0" * 64, [], 0
    at = dt.datetime(2021, 1, 4, 8)
    for i in range(people):
        uuid = f"00000000-0000-4000-8000-{i:012d}"
        for action, changes, summary in (
            ("create", {"document_number": [None, f"{40000000 + i}"], "first_names": [None, "Eleuteria"],
                        "last_name_1": [None, "Qhispikancha"], "phone": [None, "962740351"]}, "Eleuteria Qhispikancha"),
            ("update", {"last_name_1": ["Qhispikancha", "Wankarayupanki"]}, "Eleuteria Wankarayupanki"),
        ):  # fmt: skip
            line += 1
            text = json.dumps(changes, ensure_ascii=False, sort_keys=True)
            line_uuid = f"10000000-0000-4000-8000-{line:012d}"
            digest = audit._keyed_digest(
                key, line, line_uuid, "T-1", at, "admin", action, "person", uuid, summary, text, prev
            )
            rows.append(
                (
                    line,
                    line_uuid,
                    "T-1",
                    at.isoformat(" "),
                    "admin",
                    action,
                    "person",
                    uuid,
                    summary,
                    text,
                    prev,
                    digest,
                    2,
                )
            )
            prev = digest
    conn.executemany("INSERT INTO audit_entry (id, uuid, tambo_code, at, username, action, entity, record_uuid, summary, changes, "
                     "prev_hash, hash, scheme) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)  # fmt: skip
    conn.commit()
    conn.close()
    db = open_database(f"sqlite:///{db_file}")
    t0 = time.perf_counter()
    check = audit.verify_rows(
        db.execute_sql(f"SELECT {', '.join(audit.CHAIN_COLUMNS[:-1])} FROM audit_entry ORDER BY id"), key
    )
    floor = time.perf_counter() - t0
    t0 = time.perf_counter()
    migrations.migrate(db)
    migrated = time.perf_counter() - t0
    t0 = time.perf_counter()
    after = audit.verify_chain()
    verified = time.perf_counter() - t0
    print(f"migration 18 on a pre-18 trail of {line:,} person lines: {migrated:.1f} s "
          f"({migrated / floor:.1f} times one verification of the old chain, {floor:.1f} s); chain before ok={check.ok}, "
          f"after ok={after.ok} ({verified:.1f} s to verify, values' tokens included)")  # fmt: skip
    close_database()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--trail"]:
        long_trail()
    else:
        main()
