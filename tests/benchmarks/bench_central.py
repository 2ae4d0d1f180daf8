"""National scale (issue 20, part 4): the central database with N tambos × 5 years, loaded in bulk.

Run: .venv/bin/python tests/benchmarks/bench_central.py [--tambos 515] [--packages 20] [--runs 3]

1. A private PostgreSQL server (tests/pg_server.py; fsync off), ``central init``'s schema.
2. The bulk load: each tambo's people, atenciones and metas made by the demo generator's own rules
   (``demo.data.Generator``, a seed per tambo, 1,200 people and ~40,000 atenciones over 60 months:
   515 tambos ≈ 20 million atenciones), written with COPY; the indexes built after the load.
3. ``--packages`` real packages: small demo tambos (SQLite) whose ``package export --all`` goes
   through ``central import`` (verification, version judging, conflicts, typed tables); rows per
   second, against COPY's rows per second above as the floor.
4. The rollups (each tambo's counts by the rule per month and year) built for the whole load.
5. The national indicators of the last complete month and year (``central.indicators``: the sums
   of the rollups, and ``live``: the tambo's rule counted on the atenciones), against the floor: the
   very SQL statements they ran, captured from peewee and run raw by ``psql -f`` (its start-up
   subtracted). Targets: month ≤ 2 s, year ≤ 5 s.
6. The layouts compared (``--hash N``, default 16; 0 skips it): the same atenciones copied into a
   second table partitioned by year *and* by hash of the tambo in N sub-partitions, the same
   indexes; the live national month and year and one tambo's year run raw by psql on both, and both
   sizes. The alternative is then dropped one partition per transaction (one DROP of the whole tree
   takes a lock per partition and index in one transaction and ran out of the server's lock table:
   "out of shared memory", max_locks_per_transaction).
7. The database's size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pg_server import PrivateServer  # noqa: E402

UNTIL = dt.datetime(2026, 1, 1)
NATIONAL = ("national", 60, 1_200, 39_000)  # months, people, atenciones of one tambo (demo.data.DemoSize)
COMMUNITIES = 14


class Captured(logging.Handler):
    """The SQL statements peewee runs (its DEBUG log carries them with their parameters)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.queries: list[tuple[str, tuple]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            self.queries.append(record.msg)


def timed(call, runs: int) -> tuple[float, object]:
    result, times = None, []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bulk_load(db, tambos: int) -> tuple[int, int, float]:
    """Load ``tambos`` generated tambos with COPY; returns (atenciones, rows, seconds)."""
    from tambo_desktop.central import schema
    from tambo_desktop.db.models import District, Entity
    from tambo_desktop.demo import data as demo_data

    conn = db.connection()
    districts = [c for (c,) in District.select(District.code).order_by(District.code).tuples()]
    step = max(1, len(districts) // tambos)
    from tambo_desktop.db.models import Service

    entity_ids = dict(Entity.select(Entity.code, Entity.id).tuples())
    services = {
        code: (sid, eid, ecode)
        for sid, code, eid, ecode in Service.select(Service.id, Service.code, Entity.id, Entity.code)
        .join(Entity, on=Service.entity == Entity.id)
        .where(Service.active == True)  # noqa: E712
        .order_by(Service.code)
        .tuples()
    }
    size = demo_data.DemoSize(*NATIONAL)
    for statement in schema.ATTENTION_INDEXES:  # dropped for the load, built after it
        db.execute_sql("DROP INDEX IF EXISTS " + statement.split(" IF NOT EXISTS ")[1].split(" ")[0])
    schema.ensure_years(db, set(range(UNTIL.year - 6, UNTIL.year + 1)))
    person_id = community_id = 0
    attentions = rows = 0
    started = time.perf_counter()
    for n in range(tambos):
        code = f"TB-{n + 1:04d}"
        district = districts[(n * step) % len(districts)]
        first_community = community_id + 1
        communities = [demo_data.CommunityInfo(first_community + i, 120 + 53 * i, 2.0 + 2.5 * i, ("qu",) if n % 2 else ("ay", "qu"))
                       for i in range(COMMUNITIES)]  # fmt: skip
        catalog = demo_data.Catalog(services, tuple(communities))
        generator = demo_data.Generator(size, f"{n + 1}-{code}", UNTIL, catalog, code)
        with conn.cursor() as cur:
            cur.execute("INSERT INTO central_tambo (code, name, district_code, department_code, unit, public_key, first_seen_at, "
                        "reference_version) VALUES (%s, %s, %s, %s, '', '', now(), '{}')",
                        (code, f"Tambo {code}", district, district[:2]))  # fmt: skip
            with cur.copy(
                "COPY central_community (id, uuid, tambo_code, version, name, district_code, kind, population) FROM STDIN"
            ) as copy:
                for c in communities:
                    copy.write_row(
                        (
                            c.id,
                            f"{code}-c{c.id}",
                            code,
                            1,
                            f"Centro poblado {c.id}",
                            district,
                            "comunidad_campesina",
                            c.population,
                        )
                    )
            community_id += len(communities)
            with cur.copy("COPY central_person (id, uuid, tambo_code, version, document_type, document_number, first_names, "
                          "last_name_1, last_name_2, sex, birth_date, community_id, anonymized) FROM STDIN") as copy:  # fmt: skip
                for p in generator.persons:
                    person_id += 1
                    p.id = person_id
                    r = p.row
                    copy.write_row(
                        (person_id, p.uuid, code, 1, r[6], r[7], r[8], r[9], r[10], r[12], r[13], r[14], r[18])
                    )
            with cur.copy("COPY central_attention (uuid, tambo_code, department_code, version, attended_at, place, community_id, "
                          "entity_id, service_id, person_id, voided, void_reason) FROM STDIN") as copy:  # fmt: skip
                for a in generator.attention_rows():
                    copy.write_row((a[0], code, district[:2], 1, a[6], a[7], a[8], a[9], a[10], a[11], a[13], a[14]))
                    attentions += 1
            goals = generator.goal_rows(entity_ids)
            with cur.copy(
                "COPY central_goal (uuid, tambo_code, version, year, month, entity_id, attentions_goal, users_goal) FROM STDIN"
            ) as copy:
                for g in goals:
                    copy.write_row((g[0], code, 1, g[6], g[7], g[8], g[9], g[10]))
        rows += len(communities) + len(generator.persons) + len(goals) + 1
        conn.commit()
        if (n + 1) % 50 == 0:
            print(f"  {n + 1} tambos, {attentions:,} atenciones, {time.perf_counter() - started:.0f} s", flush=True)
    loaded = time.perf_counter() - started
    for table in ("central_person", "central_community"):
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    index_start = time.perf_counter()
    for statement in schema.ATTENTION_INDEXES:
        db.execute_sql(statement)
    db.execute_sql("ANALYZE")
    conn.commit()
    print(f"  indexes and ANALYZE: {time.perf_counter() - index_start:.0f} s")
    return attentions, rows + attentions, loaded


def hash_layout(db, modulus: int, years: range) -> tuple[str, float]:
    """A copy of ``central_attention`` partitioned by year, then by HASH(tambo_code) in ``modulus``
    sub-partitions, with the same indexes; returns (table, seconds to build it)."""
    conn = db.connection()
    started = time.perf_counter()
    table = "central_attention_hash"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (LIKE central_attention INCLUDING DEFAULTS, PRIMARY KEY (id, attended_at, tambo_code)) "
                    "PARTITION BY RANGE (attended_at)")  # fmt: skip
        for year in years:
            cur.execute(f"CREATE TABLE {table}_y{year} PARTITION OF {table} FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01') "
                        "PARTITION BY HASH (tambo_code)")  # fmt: skip
            for r in range(modulus):
                cur.execute(
                    f"CREATE TABLE {table}_y{year}_h{r} PARTITION OF {table}_y{year} FOR VALUES WITH (MODULUS {modulus}, REMAINDER {r})"
                )
        conn.commit()
        for year in years:  # a year at a time: one transaction never holds every partition's locks
            cur.execute(
                f"INSERT INTO {table} SELECT * FROM central_attention WHERE attended_at >= '{year}-01-01' AND attended_at < '{year + 1}-01-01'"
            )
            conn.commit()
        for name, columns in (("uuid", "uuid"), ("at", "attended_at"), ("tambo", "tambo_code, attended_at")):
            cur.execute(f"CREATE INDEX {table}_{name} ON {table} ({columns})")
            conn.commit()
        cur.execute(f"ANALYZE {table}")
        conn.commit()
    return table, time.perf_counter() - started


def drop_layout(db, table: str) -> int:
    """Drop a partitioned table leaf by leaf, each DROP in its own transaction; returns the tables dropped."""
    conn = db.connection()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT relid::regclass::text, level FROM pg_partition_tree(%s) WHERE isleaf ORDER BY level DESC", (table,)
        )
        leaves = [name for name, _level in cur.fetchall()]
        for name in leaves:
            cur.execute(f"DROP TABLE {name}")
            conn.commit()
        cur.execute("SELECT relid::regclass::text FROM pg_partition_tree(%s) ORDER BY level DESC", (table,))
        rest = [name for (name,) in cur.fetchall()]
        for name in rest:
            cur.execute(f"DROP TABLE {name}")
            conn.commit()
    return len(leaves) + len(rest)


def table_size(db, table: str) -> int:
    sql = "SELECT COALESCE(SUM(pg_total_relation_size(relid)), 0) FROM pg_partition_tree(%s)"
    return int(db.execute_sql(sql, (table,)).fetchone()[0])


def real_packages(count: int, usb: Path, central_home: Path) -> None:
    """``count`` small demo tambos (SQLite), each exporting ``--all`` into ``usb``."""
    from tambo_desktop import paths
    from tambo_desktop.central import keys
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.demo.build import create_demo
    from tambo_desktop.services.packages import PackageService
    from tambo_desktop.services.session import system_session

    os.environ[paths.HOME_ENV] = str(central_home)
    key = keys.load(create=True).public().to_text()
    template = None
    for n in range(count):
        home = usb.parent / f"tambo-{n}"
        home.mkdir()
        os.environ[paths.HOME_ENV] = str(home)
        if template is not None:
            shutil.copyfile(template, home / "tambo.db")
        lifecycle.prepare(paths.default_database_url(), daily_backup=False)
        if template is None:
            close_database()
            template = usb.parent / "template.db"
            shutil.copyfile(home / "tambo.db", template)
            lifecycle.prepare(paths.default_database_url(), daily_backup=False)
        create_demo("small", n + 1, UNTIL, tambo_code=f"PK-{n + 1:04d}")
        service = PackageService(system_session())
        service.set_central_key(key)
        service.export(usb / f"PK-{n + 1:04d}-1.tpkg", "all")
        close_database()
    os.environ[paths.HOME_ENV] = str(central_home)


def psql_seconds(
    server: PrivateServer, queries: list[tuple[str, tuple]], runs: int, folder: Path, table: str = ""
) -> float:
    """The captured statements run raw by psql (median of ``runs``, psql's start-up subtracted);
    ``table``: on that table instead of central_attention (the layouts compared)."""
    import psycopg

    with psycopg.connect(server.url()) as conn, psycopg.ClientCursor(conn) as cur:
        text = ";\n".join(cur.mogrify(sql, params) for sql, params in queries) + ";\n"
    if table:
        text = text.replace('"central_attention"', f'"{table}"')
    script, empty = folder / "queries.sql", folder / "empty.sql"
    script.write_text(text, encoding="utf-8")
    empty.write_text("SELECT 1;\n", encoding="utf-8")
    psql = shutil.which("psql") or str(server.bin / "psql")

    def run(path: Path) -> float:
        start = time.perf_counter()
        subprocess.run([psql, "-X", "-q", "-o", "/dev/null", "-f", str(path), server.url()], check=True)
        return time.perf_counter() - start

    startup = statistics.median(run(empty) for _ in range(runs))
    return statistics.median(run(script) for _ in range(runs)) - startup


def compare_layouts(server: PrivateServer, db, modulus: int, live: dict[str, list[tuple[str, tuple]]], folder: Path,
                    year: int, runs: int) -> None:  # fmt: skip
    """Year partitions (the schema's) against year × hash(tambo) sub-partitions, on the same rows."""
    years = range(UNTIL.year - 6, UNTIL.year + 1)
    table, took = hash_layout(db, modulus, years)
    print(f"layout year x hash({modulus}): {len(years) * (modulus + 1) + 1} tables, copied and indexed in {took:.0f} s")
    tambos = [
        code
        for (code,) in db.execute_sql("SELECT code FROM central_tambo WHERE code LIKE 'TB-%%' ORDER BY code").fetchall()
    ]
    one_tambo = [("SELECT COUNT(*), COUNT(DISTINCT person_id) FROM \"central_attention\" WHERE tambo_code = %s "
                  "AND attended_at >= %s AND attended_at < %s AND NOT voided", (code, dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)))
                 for code in tambos[:: max(1, len(tambos) // 20)]]  # fmt: skip
    for name, queries in (*live.items(), (f"{len(one_tambo)} tambos' years, one by one", one_tambo)):
        if "live" not in name and "tambo" not in name:
            continue
        n = 1 if name == "year, live" else runs
        by_year = psql_seconds(server, queries, n, folder)
        by_hash = psql_seconds(server, queries, n, folder, table)
        print(f"  {name}: year partitions {by_year * 1000:,.0f} ms, year x hash({modulus}) {by_hash * 1000:,.0f} ms "
              f"({by_hash / by_year:.2f}x)")  # fmt: skip
    print(
        f"  size: year partitions {table_size(db, 'central_attention') / 2**30:.2f} GiB, "
        f"year x hash({modulus}) {table_size(db, table) / 2**30:.2f} GiB"
    )
    start = time.perf_counter()
    dropped = drop_layout(db, table)
    print(f"  the alternative dropped: {dropped} tables one per transaction in {time.perf_counter() - start:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tambos", type=int, default=515)
    parser.add_argument("--packages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--hash", type=int, default=16, help="sub-partitions by tambo of the layout compared (0: no comparison)"
    )
    args = parser.parse_args()

    from tambo_desktop import paths
    from tambo_desktop.central import indicators, schema
    from tambo_desktop.central.accounts import CentralSession
    from tambo_desktop.central.importer import import_file
    from tambo_desktop.db.connection import close_database, open_database

    folder = Path(tempfile.mkdtemp(prefix="tambo-bench-central-"))
    server = PrivateServer()
    server.init()
    try:
        os.environ[paths.HOME_ENV] = str(folder / "central")
        usb = folder / "usb"
        usb.mkdir()
        if args.packages:
            made = time.perf_counter()
            real_packages(args.packages, usb, folder / "central")
            print(f"{args.packages} demo tambos and their packages made in {time.perf_counter() - made:.0f} s")
        db = open_database(server.url())
        schema.create(db)
        session = CentralSession("bench", "admin")
        print(f"bulk load of {args.tambos} tambos x 60 months (COPY)…", flush=True)
        attentions, rows, seconds = bulk_load(db, args.tambos)
        copy_rate = rows / seconds
        print(f"bulk: {attentions:,} atenciones, {rows:,} rows in {seconds:.0f} s: {copy_rate:,.0f} rows/s")
        from tambo_desktop.central import rollups

        start = time.perf_counter()
        with db.atomic():
            written = rollups.refresh(range(UNTIL.year - 6, UNTIL.year + 1))
        print(f"rollups of every tambo, month and year: {written:,} rows in {time.perf_counter() - start:.0f} s")
        if args.packages:
            imported = records = 0
            start = time.perf_counter()
            for path in sorted(usb.glob("*.tpkg")):
                report = import_file(session, path)
                records += report.inserted + report.updated + report.unchanged + report.older + report.conflicts
                imported += 1
            took = time.perf_counter() - start
            print(f"import: {imported} packages, {records:,} records in {took:.1f} s: {records / took:,.0f} rows/s "
                  f"({records / took / copy_rate:.2f}x COPY's rows/s), {took / imported * 1000:.0f} ms per package")  # fmt: skip
        year, month = UNTIL.year - 1, 12
        capture = Captured()
        peewee_log = logging.getLogger("peewee")
        peewee_log.addHandler(capture)
        peewee_log.setLevel(logging.DEBUG)
        indicators.month(session, year, 11)  # warm-up
        live_queries: dict[str, list[tuple[str, tuple]]] = {}
        for name, call in (("month", lambda: indicators.month(session, year, month)), ("year", lambda: indicators.year(session, year)),
                           ("month, live", lambda: indicators.month(session, year, month, live=True)),
                           ("year, live", lambda: indicators.year(session, year, live=True))):  # fmt: skip
            capture.queries.clear()
            call()
            queries = list(capture.queries)
            live_queries[name] = queries
            peewee_log.removeHandler(capture)
            seconds, result = timed(call, 1 if "live" in name else args.runs)
            peewee_log.addHandler(capture)
            floor = psql_seconds(server, queries, 1 if "live" in name else args.runs, folder)
            target = 2.0 if name.startswith("month") else 5.0
            print(f"national {name} {result.period}: {result.attentions:,} atenciones, {result.users:,} usuarios; "
                  f"{seconds * 1000:,.0f} ms (target <= {target:.0f} s), {seconds / floor:.2f}x the same {len(queries)} statements "
                  f"in psql ({floor * 1000:,.0f} ms)")  # fmt: skip
        peewee_log.removeHandler(capture)
        if args.hash:
            compare_layouts(server, db, args.hash, live_queries, folder, year, args.runs)
        size = db.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
        print(f"database size: {size / 2**30:.2f} GiB ({size / max(attentions, 1):.0f} bytes per atención)")
        close_database()
    finally:
        server.remove()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
