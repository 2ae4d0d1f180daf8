"""A few hundred real packages through ``central import`` (issue 20, part 4), on the national base.

Run: .venv/bin/python tests/benchmarks/bench_central_packages.py [--base 515] [--tambos 30] [--days 10]
     [--cache DIR] [--fresh] [--runs 3]

1. ``--tambos`` working demo tambos (real SQLite files, ``demo small`` with a code and a seed of
   their own, up to 6 Dec 2025), each then doing ``--days`` days of work through the services —
   new persons (a few with a DNI another tambo registered too), atenciones, voids of earlier
   atenciones (tombstones), corrections of persons — and making one ``package export
   --since-last`` at the end of each day (``PackageService.export``, what the verb calls): 30 × 10
   = 300 packages in a "USB" folder. Their own indicators (the tambo's Indicators page's service)
   after the last package are kept beside them. The packages, the central office's keys and those
   figures are cached in ``--cache`` (under the temporary folder, never in git; ``--fresh``
   remakes them) — the key names the sources that make them.
2. A private PostgreSQL server (tests/pg_server.py, fsync off), ``central init``'s schema, the
   ``--base`` tambos × 60 months loaded with COPY and their rollups, as bench_central.py does
   (``--base 0``: no base).
3. Every package imported by the verb itself, in-process: ``tambo-cli central import --user …``
   (``cli.central``: sign-in, then ``central.importer.import_file`` per file), the packages given
   day by day (every tambo's first, then every tambo's second…), as a central office receiving
   them would. Rows per second (records and tombstones the manifests list), packages per second.
   Then the whole folder again: every package reported already imported, nothing changed.
4. Checks, not only times: for each working tambo the central month (Dec 2025) and year (2025) by
   tambo equal the tambo's own; the national month and year equal the sums of their tambos; the
   rollups equal the rule counted live on the atenciones; every atención a tambo voided is voided
   centrally; the shared DNIs are linked nationally. A failed check exits 1.
5. The national month and year again (the sums of the rollups) against the psql floor, and the
   database's size.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import inspect
import io
import json
import logging
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_central import UNTIL, Captured, bulk_load, psql_seconds, timed  # noqa: E402
from pg_server import PrivateServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEMO_UNTIL = dt.datetime(2025, 12, 6, 8, 0)  # the working tambos' demo history ends here; the days follow
MONTH = (2025, 12)
PASSWORD = "clave-central-bench-1"
SHARED_DNIS = tuple(f"4{n:07d}" for n in range(1, 41))  # registered in two tambos each
SOURCES = (  # what makes the packages: a change remakes the cache
    "tambo_desktop/services/packages.py",
    "tambo_desktop/db/models.py",
    "tambo_desktop/demo/data.py",
    "tambo_desktop/demo/build.py",
)


def cache_key(tambos: int, days: int) -> str:
    digest = hashlib.sha256(f"{tambos}/{days}/{DEMO_UNTIL}/{SHARED_DNIS}".encode())
    for name in SOURCES:
        path = ROOT / name
        if path.exists():
            digest.update(path.read_bytes())
    for function in (_own_figures, _person_form, _new_dni, work_day, make_packages):
        digest.update(inspect.getsource(function).encode())
    return f"t{tambos}-d{days}-{digest.hexdigest()[:12]}"


def _own_figures() -> dict:
    from tambo_desktop.db.models import Attention
    from tambo_desktop.services.indicators import IndicatorService
    from tambo_desktop.services.session import system_session

    service = IndicatorService(system_session())
    month, year = service.month(*MONTH), service.year(MONTH[0])
    voided = [u for (u,) in Attention.select(Attention.uuid).where(Attention.voided == True).tuples()]  # noqa: E712
    return {
        "month": [month.attentions, month.users],
        "year": [year.attentions, year.users],
        "voided": sorted(voided),
    }


def _person_form(person, phone: str):
    from tambo_desktop.services.person_form import PersonForm

    return PersonForm(
        person.document_type,
        person.document_number or "",
        person.first_names,
        person.last_name_1,
        person.last_name_2,
        person.sex,
        person.birth_date.isoformat() if person.birth_date else "",
        str(person.community_id or ""),
        person.first_language,
        phone,
        person.notes,
        version=person.version,
    )


def _new_dni(index: int, serial: list[int], shared: str | None) -> str:
    """A DNI no person of this tambo has: ``shared`` (once, the tenth person), else one of its own."""
    from tambo_desktop.db.models import Person

    while True:
        serial[0] += 1
        dni = shared if shared and serial[0] == 10 else f"{6 + index % 3}{index:03d}{serial[0]:04d}"
        if not Person.select().where(Person.document_number == dni).exists():
            return dni


def work_day(rng: random.Random, index: int, day: dt.date, serial: list[int], shared: str | None) -> dict[str, int]:
    """A day of a tambo's work through the services; returns what was done."""
    from tambo_desktop.db.models import Attention, Community, Person, Service
    from tambo_desktop.services.attentions import AttentionService
    from tambo_desktop.services.person_form import PersonForm
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.session import system_session

    session = system_session()
    persons, attentions = PersonService(session), AttentionService(session)
    services = [s for (s,) in Service.select(Service.id).where(Service.active == True).tuples()]  # noqa: E712
    communities = [c for (c,) in Community.select(Community.id).tuples()]
    done = {"persons": 0, "attentions": 0, "voids": 0, "edits": 0}
    new_ids = []
    for _n in range(rng.randint(3, 6)):
        dni = _new_dni(index, serial, shared)
        birth = dt.date(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28))
        form = PersonForm("dni", dni, rng.choice(("Rosa", "Juan", "Elena", "Teófilo", "Nilda")),
                          rng.choice(("Quispe", "Mamani", "Huamán", "Condori")), rng.choice(("Ccama", "Apaza", "Flores")),
                          rng.choice("FM"), birth.isoformat(), str(rng.choice(communities)))  # fmt: skip
        new_ids.append(persons.save(form, today=day))
        done["persons"] += 1
    known = [p for (p,) in Person.select(Person.id).where(Person.anonymized == False).tuples()]  # noqa: E712
    for n in range(rng.randint(25, 40)):
        person = new_ids[n] if n < len(new_ids) else rng.choice(known)
        at = dt.datetime.combine(day, dt.time(8 + n % 9, rng.randint(0, 59)))
        outside = rng.random() < 0.3
        chosen = rng.sample(services, rng.choice((1, 1, 2)))
        ids = attentions.record(person, chosen, "outside" if outside else "inside",
                                rng.choice(communities) if outside else None, at)  # fmt: skip
        done["attentions"] += len(ids)
    open_ids = [a for (a,) in Attention.select(Attention.id).where(Attention.voided == False).tuples()]  # noqa: E712
    for attention_id in rng.sample(open_ids, 2):  # mistakes found, some in atenciones already sent
        attentions.void(attention_id, "registrada dos veces")
        done["voids"] += 1
    for person_id in rng.sample(known, 3):
        person = Person.get_by_id(person_id)
        persons.save(_person_form(person, f"9{rng.randint(10_000_000, 99_999_999)}"), person_id, today=day)
        done["edits"] += 1
    return done


def make_packages(tambos: int, days: int, folder: Path) -> dict:
    """The working tambos, their days and their packages in ``folder``/usb; returns the figures."""
    from tambo_desktop import paths
    from tambo_desktop.central import keys
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.demo.build import create_demo
    from tambo_desktop.services.packages import PackageService
    from tambo_desktop.services.session import system_session

    usb, work = folder / "usb", folder / "tambos"
    usb.mkdir(parents=True)
    work.mkdir()
    os.environ[paths.HOME_ENV] = str(folder / "central")
    key = keys.load(create=True).public("PAIS").to_text()
    template = work / "template.db"
    shared = SHARED_DNIS[: tambos // 2]  # tambos 2k and 2k + 1 each register shared[k]
    figures: dict = {"tambos": {}, "done": {}, "shared": list(shared)}
    started = time.perf_counter()
    for index in range(tambos):
        code = f"PK-{index + 1:04d}"
        home = work / code
        home.mkdir()
        os.environ[paths.HOME_ENV] = str(home)
        if template.exists():
            shutil.copyfile(template, home / "tambo.db")
        lifecycle.prepare(paths.default_database_url(), daily_backup=False)
        if not template.exists():
            close_database()
            shutil.copyfile(home / "tambo.db", template)
            lifecycle.prepare(paths.default_database_url(), daily_backup=False)
        create_demo("small", 1000 + index, DEMO_UNTIL, tambo_code=code)
        packages = PackageService(system_session())
        packages.set_central_key(key)
        rng, serial = random.Random(index), [0]
        for day_n in range(days):
            day = DEMO_UNTIL.date() + dt.timedelta(days=day_n)
            dni = shared[index // 2] if index // 2 < len(shared) else None
            for name, n in work_day(rng, index, day, serial, dni).items():
                figures["done"][name] = figures["done"].get(name, 0) + n
            packages.export(usb / f"{code}-{day_n + 1:02d}.tpkg", "since_last")
        figures["tambos"][code] = _own_figures()
        close_database()
        shutil.rmtree(home)  # the tambo's key and database are not needed again: the packages are
        if (index + 1) % 5 == 0:
            print(
                f"  {index + 1} tambos, {(index + 1) * days} packages, {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    figures["seconds"] = time.perf_counter() - started
    return figures


def cached_packages(cache: Path, tambos: int, days: int, fresh: bool) -> tuple[Path, dict]:
    """The packages' folder (its usb/ and central/ keys) and figures, made once per key."""
    folder = cache / cache_key(tambos, days)
    stamp = folder / "figures.json"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    if not stamp.exists():
        if folder.exists():
            shutil.rmtree(folder)  # an interrupted run
        print(f"making {tambos} working tambos x {days} days of packages in {folder}…", flush=True)
        figures = make_packages(tambos, days, folder)
        shutil.rmtree(folder / "tambos", ignore_errors=True)
        stamp.write_text(json.dumps(figures, indent=1, sort_keys=True), encoding="utf-8")
        print(f"  made in {figures['seconds']:.0f} s: {figures['done']}")
    else:
        print(f"packages from the cache {folder}")
    return folder, json.loads(stamp.read_text(encoding="utf-8"))


def manifest_rows(path: Path) -> int:
    """The records and tombstones a package's manifest (in clear) lists."""
    with zipfile.ZipFile(path) as z:
        counts = json.loads(z.read("manifest.json"))["counts"]
    return sum(counts["records"].values()) + counts["tombstones"]


def cli(*args: str) -> tuple[int, str, str]:
    """``tambo-cli ARGS`` in this process, the password on standard input; (exit, out, err)."""
    from tambo_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(PASSWORD + "\n")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def check(failures: list[str], ok: bool, what: str) -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def verify(session, figures: dict, failures: list[str]) -> None:
    from tambo_desktop.central import indicators
    from tambo_desktop.central.models import CentralAttention, CentralPerson, NationalPerson

    own = figures["tambos"]
    for period, result in (("month", indicators.month(session, *MONTH)), ("year", indicators.year(session, MONTH[0]))):
        national = result.as_dict()
        by_tambo = {r["key"]: [r["attentions"], r["users"]] for r in national["breakdowns"]["tambo"]}
        wrong = [code for code, f in own.items() if by_tambo.get(code) != f[period]]
        check(failures, not wrong, f"{period} {result.period}: each of the {len(own)} working tambos' central figures "
              f"equal its own ({', '.join(wrong[:5]) or 'all'})")  # fmt: skip
        imported = [sum(f[period][0] for f in own.values()), sum(f[period][1] for f in own.values())]
        counted = [sum(by_tambo[c][0] for c in own), sum(by_tambo[c][1] for c in own)]
        check(failures, imported == counted, f"{period}: the working tambos sum to {counted[0]:,} atenciones, "
              f"{counted[1]:,} usuarios; their own figures sum to {imported[0]:,}, {imported[1]:,}")  # fmt: skip
        totals = [sum(a for a, _u in by_tambo.values()), sum(u for _a, u in by_tambo.values())]
        check(failures, totals == [national["attentions"], national["users"]],
              f"{period}: national {national['attentions']:,} atenciones, {national['users']:,} usuarios = the sum of "
              f"its {len(by_tambo)} tambos")  # fmt: skip
        start = time.perf_counter()
        live = (indicators.month(session, *MONTH, live=True) if period == "month"
                else indicators.year(session, MONTH[0], live=True)).as_dict()  # fmt: skip
        check(failures, live == national, f"{period}: the rollups equal the rule counted live on the atenciones "
              f"({time.perf_counter() - start:.1f} s)")  # fmt: skip
    voided = [u for f in own.values() for u in f["voided"]]
    central_voided = {u for (u,) in CentralAttention.select(CentralAttention.uuid)
                      .where(CentralAttention.tambo_code.startswith("PK-") & CentralAttention.voided).tuples()}  # fmt: skip
    check(failures, central_voided == set(voided), f"the {len(voided):,} atenciones the tambos voided are voided centrally "
          f"({len(central_voided):,})")  # fmt: skip
    rows = (
        CentralPerson.select(CentralPerson.document_number, CentralPerson.tambo_code, CentralPerson.national)
        .where(CentralPerson.document_number.in_(figures["shared"]) & CentralPerson.tambo_code.startswith("PK-"))
        .tuples()
    )
    by_dni: dict[str, set] = {}
    for dni, _tambo, national in rows:
        by_dni.setdefault(dni, set()).add(national)
    linked = sum(1 for ids in by_dni.values() if len(ids) == 1 and None not in ids)
    shared = len(figures["shared"])
    check(failures, linked == shared and len(rows) == 2 * shared and NationalPerson.select().count() >= shared,
          f"the {shared} DNIs registered in two tambos each linked to one national person ({linked})")  # fmt: skip


def measure(server, session, runs: int, folder: Path) -> None:
    from tambo_desktop.central import indicators

    year, month = MONTH
    capture = Captured()
    peewee_log = logging.getLogger("peewee")
    indicators.month(session, year, 11)  # warm-up
    for name, call in (("month", lambda: indicators.month(session, year, month)), ("year", lambda: indicators.year(session, year))):  # fmt: skip
        peewee_log.addHandler(capture)
        peewee_log.setLevel(logging.DEBUG)
        capture.queries.clear()
        call()
        peewee_log.removeHandler(capture)
        queries = list(capture.queries)
        seconds, result = timed(call, runs)
        floor = psql_seconds(server, queries, runs, folder)
        target = 2.0 if name == "month" else 5.0
        print(f"national {name} {result.period}: {result.attentions:,} atenciones, {result.users:,} usuarios; "
              f"{seconds * 1000:,.0f} ms (target <= {target:.0f} s), {seconds / floor:.2f}x the same {len(queries)} statements "
              f"in psql ({floor * 1000:,.0f} ms)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=515, help="tambos x 60 months loaded with COPY first (0: none)")
    parser.add_argument("--tambos", type=int, default=30, help="working demo tambos")
    parser.add_argument("--days", type=int, default=10, help="days of work, one --since-last package each")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tambo-bench-central-packages")
    parser.add_argument("--fresh", action="store_true", help="make the packages again")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from tambo_desktop import paths
    from tambo_desktop.central import rollups, schema
    from tambo_desktop.central.accounts import CentralSession, create_user
    from tambo_desktop.db.connection import close_database, open_database

    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    source, figures = cached_packages(args.cache, args.tambos, args.days, args.fresh)
    usb = source / "usb"
    files = sorted(usb.glob("*.tpkg"), key=lambda p: (p.stem.rsplit("-", 1)[1], p.name))  # day by day
    rows = sum(manifest_rows(p) for p in files)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} packages, {rows:,} records and tombstones, {size / 2**20:.1f} MiB")
    folder = Path(tempfile.mkdtemp(prefix="tambo-bench-central-pk-"))
    server = PrivateServer()
    server.init()
    failures: list[str] = []
    try:
        os.environ[paths.HOME_ENV] = str(source / "central")
        url = server.url()
        db = open_database(url)
        schema.create(db)
        create_user("jefe", PASSWORD, "admin")
        session = CentralSession("jefe", "admin")
        copy_rate = 0.0
        if args.base:
            print(f"bulk load of {args.base} tambos x 60 months (COPY)…", flush=True)
            attentions, base_rows, seconds = bulk_load(db, args.base)
            copy_rate = base_rows / seconds
            print(f"bulk: {attentions:,} atenciones, {base_rows:,} rows in {seconds:.0f} s: {copy_rate:,.0f} rows/s")
            start = time.perf_counter()
            with db.atomic():
                written = rollups.refresh(range(UNTIL.year - 6, UNTIL.year + 1))
            print(f"rollups of every tambo, month and year: {written:,} rows in {time.perf_counter() - start:.0f} s")
        close_database()
        before = os.getloadavg()
        start = time.perf_counter()
        code, out, err = cli("--db", url, "central", "import", "--user", "jefe", *map(str, files))
        took = time.perf_counter() - start
        lines = out.splitlines()
        check(failures, code == 0 and len(lines) == len(files) and not err,
              f"central import: exit {code}, {len(lines)} packages reported, {err.count('RECHAZADO')} refused")  # fmt: skip
        print(f"import: {len(files)} packages, {rows:,} rows in {took:.1f} s: {rows / took:,.0f} rows/s, "
              f"{len(files) / took:.2f} packages/s ({took / len(files) * 1000:.0f} ms per package"
              + (f"; {rows / took / copy_rate:.3f}x COPY's rows/s" if copy_rate else "")
              + f"); load average {before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
        conflicts = sum(" 0 conflictos" not in line for line in lines)
        print(f"  packages reporting conflicts: {conflicts}; last line: {lines[-1] if lines else ''}")
        start = time.perf_counter()
        code, again, err = cli("--db", url, "central", "import", "--user", "jefe", str(usb))
        check(failures, code == 0 and again.count("nada cambió") == len(files),
              f"the folder again: {again.count('nada cambió')} of {len(files)} already imported, nothing changed "
              f"({time.perf_counter() - start:.1f} s)")  # fmt: skip
        db = open_database(url)
        verify(session, figures, failures)
        measure(server, session, args.runs, folder)
        total = db.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
        counted = db.execute_sql("SELECT COUNT(*) FROM central_attention").fetchone()[0]
        print(
            f"database size: {total / 2**30:.2f} GiB ({counted:,} atenciones, {total / max(counted, 1):.0f} bytes each)"
        )
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        close_database()
    finally:
        server.remove()
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        print(f"{len(failures)} checks FAILED")
        return 1
    print("every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
