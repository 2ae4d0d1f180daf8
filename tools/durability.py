"""Durability, measured from outside: the figures of issue 15 ("what already holds"), run again at will.

    python tools/durability.py kill     [--cycles 400]   # SIGKILL while the desk saves
    python tools/durability.py powercut [--cycles 150] [--synchronous NORMAL]   # unsynced writes dropped
    python tools/durability.py fuzz     [--files 3600]   # damaged import files
    python tools/durability.py roles                     # role × action through the services

Each runs on a private copy of the demo tambo in a temporary folder and prints one summary line.

- ``kill``: a writer process registers people at the desk (``DeskService.register``: a new person and
  one to three atenciones, one transaction) and prints a line after each confirmed save; it is killed
  (SIGKILL) at a random moment, then ``tambo-cli check`` runs (integrity, foreign keys, the audit chain
  and its anchor) and every confirmed save must be there, whole: no person without their atenciones.
- ``powercut``: the same writer under ``tools/durability/powercut.c`` (an LD_PRELOAD shim, built here
  with ``cc``) that writes down every write, truncation and sync of the database file and its WAL;
  after the kill the files are rebuilt as a power cut would leave them — every write after the file's
  last ``fsync``/``fdatasync`` dropped — and checked the same way. ``--synchronous NORMAL`` is the
  control: it must lose confirmed saves, or the check could not see a loss.
- ``fuzz``: valid person and community files (CSV and XLSX) damaged at random (bytes flipped, cut,
  cells added or removed, NUL bytes, odd encodings, huge cells) and imported through the services:
  each either imports whole or is refused with a message; never a traceback, never a partial write.
- ``roles``: the permission matrix test (every role × every action of the permission table through the
  services), counted.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIM_SOURCE = ROOT / "tools" / "durability" / "powercut.c"
CLI = [str(Path(sys.executable).with_name("tambo-cli"))]  # the virtual environment's command
DB_NAME = "tambo.db"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_DB", "PYTHONPATH")}
    return {**env, "TAMBO_HOME": str(home), "TAMBO_LANG": "es", **extra}


def _demo_home(base: Path) -> Path:
    home = base / "home"
    subprocess.run([*CLI, "--home", str(home), "demo"], check=True, capture_output=True, env=_env(home))
    return home


# --- the writer (run as a child process) --------------------------------------------------------


def writer(cycle: int) -> int:
    """Register new people at the desk until killed; ``confirmed DNI N`` after each commit."""
    import datetime as dt

    from tambo_desktop import dates, paths
    from tambo_desktop.db.connection import current_database
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.db.models import Service
    from tambo_desktop.services.desk import DeskEntry, DeskService
    from tambo_desktop.services.persons import PersonForm
    from tambo_desktop.services.session import system_session

    prepare(paths.default_database_url(), daily_backup=False)
    sync = os.environ.get("DURABILITY_SYNCHRONOUS")
    if sync:
        current_database().execute_sql(f"PRAGMA synchronous={sync}")
    desk = DeskService(system_session())
    services = [s.id for s in Service.select().where(Service.active == True).limit(12)]  # noqa: E712
    rng = random.Random(cycle)
    names = ["Juana", "Mario", "Rosa", "Felipe", "Nilda", "Teófilo"]
    surnames = ["Quispe", "Mamani", "Condori", "Huamán", "Apaza", "Ccama"]
    print("ready", flush=True)
    for i in range(99_999):
        dni = f"{10_000_000 + cycle * 100_000 + i:08d}"
        form = PersonForm(
            "dni", dni, rng.choice(names), rng.choice(surnames), rng.choice(surnames), rng.choice("FM"), "12/08/1961"
        )
        chosen = rng.sample(services, rng.randint(1, 3))
        at = dates.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=rng.randint(0, 600))
        desk.register(DeskEntry(None, form, chosen, "inside", attended_at=at))
        print(f"confirmed {dni} {len(chosen)}", flush=True)
    return 0


def _run_writer(home: Path, cycle: int, seconds: float, extra_env: dict[str, str]) -> list[tuple[str, int]]:
    """Start the writer, kill it ``seconds`` after it is ready; the saves it confirmed."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "writer", str(cycle)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(home, **extra_env), cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    if first.strip() != "ready":
        process.kill()
        raise SystemExit(f"the writer did not start: {first}{process.stderr.read() if process.stderr else ''}")
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    out, _err = process.communicate()
    confirmed = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "confirmed":
            confirmed.append((parts[1], int(parts[2])))
    return confirmed


def _verify(home: Path, cycle: int, confirmed: list[tuple[str, int]]) -> dict[str, int | str]:
    """What the check says of the database after a kill or a cut."""
    check = subprocess.run([*CLI, "--home", str(home), "check"], capture_output=True, text=True, env=_env(home))
    db = home / DB_NAME
    conn = sqlite3.connect(db)
    try:
        low, high = f"{10_000_000 + cycle * 100_000:08d}", f"{10_000_000 + cycle * 100_000 + 99_999:08d}"
        counts = dict(
            conn.execute(
                "SELECT p.document_number, COUNT(a.id) FROM person p LEFT JOIN attention a ON a.person_id = p.id "
                "WHERE p.document_number BETWEEN ? AND ? GROUP BY p.document_number",
                (low, high),
            ).fetchall()
        )
    finally:
        conn.close()
    lost = sum(1 for dni, n in confirmed if counts.get(dni) is None)
    half = sum(1 for n in counts.values() if n == 0) + sum(
        1 for dni, n in confirmed if counts.get(dni) not in (None, n)
    )
    return {"lost": lost, "half": half, "check": check.returncode, "output": check.stdout + check.stderr}


# --- power cuts ---------------------------------------------------------------------------------


def _build_shim(base: Path) -> Path:
    shim = base / "powercut.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(shim), str(SHIM_SOURCE), "-ldl"], check=True)
    return shim


SUFFIXES = ("", "-wal", "-journal")


def _snapshot(home: Path) -> dict[int, bytes | None]:
    files = {}
    for kind, suffix in enumerate(SUFFIXES):
        path = home / f"{DB_NAME}{suffix}"
        files[kind] = path.read_bytes() if path.exists() else None
    return files


def _events(log: Path):
    data = log.read_bytes() if log.exists() else b""
    at = 0
    while at + 18 <= len(data):
        kind_char, file_kind = chr(data[at]), data[at + 1]
        offset, length = struct.unpack_from("<qq", data, at + 2)
        at += 18
        payload = b""
        if kind_char == "W":
            payload = data[at : at + length]
            at += length
        yield kind_char, file_kind, offset, length, payload


def _cut(home: Path, baseline: dict[int, bytes | None], log: Path) -> tuple[int, int]:
    """Rebuild the files as a power cut leaves them; the numbers of writes recorded and dropped."""
    events = list(_events(log))
    last_sync = {
        kind: max((i for i, e in enumerate(events) if e[0] == "S" and e[1] == kind), default=-1) for kind in baseline
    }
    dropped = 0
    for kind, suffix in enumerate(SUFFIXES):
        content = bytearray(baseline[kind]) if baseline[kind] is not None else None
        for i, (what, file_kind, offset, length, payload) in enumerate(events):
            if file_kind != kind or what == "S":
                continue
            if i > last_sync[kind]:
                dropped += what == "W"
                continue
            if content is None:
                content = bytearray()
            if what == "W":
                if len(content) < offset:
                    content.extend(b"\0" * (offset - len(content)))
                content[offset : offset + length] = payload
            else:
                del content[length:]
        path = home / f"{DB_NAME}{suffix}"
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(bytes(content))
    (home / f"{DB_NAME}-shm").unlink(missing_ok=True)  # the reboot: SQLite rebuilds its WAL index
    return sum(e[0] == "W" for e in events), dropped


# --- the commands -------------------------------------------------------------------------------


def _cycles(args: argparse.Namespace, powercut: bool) -> int:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="tambo-durability-") as scratch:
        base = Path(scratch)
        home = _demo_home(base)
        shim = _build_shim(base) if powercut else None
        totals = {"confirmed": 0, "lost": 0, "half": 0, "check_failed": 0, "recorded": 0, "dropped": 0}
        started = time.perf_counter()
        for cycle in range(args.cycles):
            extra: dict[str, str] = {}
            if args.synchronous:
                extra["DURABILITY_SYNCHRONOUS"] = args.synchronous
            log = base / "writes.log"
            if shim is not None:
                log.unlink(missing_ok=True)
                baseline = _snapshot(home)
                extra.update(LD_PRELOAD=str(shim), POWERCUT_LOG=str(log), POWERCUT_NAME=DB_NAME)
            confirmed = _run_writer(home, cycle, rng.uniform(0.2, 1.5), extra)
            if shim is not None:
                recorded, dropped = _cut(home, baseline, log)
                totals["recorded"] += recorded
                totals["dropped"] += dropped
            seen = _verify(home, cycle, confirmed)
            totals["confirmed"] += len(confirmed)
            totals["lost"] += int(seen["lost"])
            totals["half"] += int(seen["half"])
            if seen["check"] != 0:
                totals["check_failed"] += 1
                if args.verbose:
                    print(f"cycle {cycle}: check failed\n{seen['output']}")
            if args.verbose:
                print(
                    f"cycle {cycle}: {len(confirmed)} confirmed, lost {seen['lost']}, half {seen['half']}", flush=True
                )
        what = "power cuts" if powercut else "SIGKILLs"
        sync = f" (synchronous={args.synchronous})" if args.synchronous else ""
        extra_text = (
            f"; of {totals['recorded']} writes recorded, {totals['dropped']} unsynced ones dropped" if powercut else ""
        )
        print(
            f"{args.cycles} {what}{sync} while the desk saved, {time.perf_counter() - started:.0f} s: "
            f"{totals['confirmed']} confirmed saves, {totals['lost']} lost, {totals['half']} half-written, "
            f"check failed {totals['check_failed']} times{extra_text}"
        )
        expected_loss = powercut and (args.synchronous or "").upper() in ("NORMAL", "OFF")
        ok = totals["half"] == 0 and totals["check_failed"] == 0 and (expected_loss or totals["lost"] == 0)
        return 0 if ok else 1


def _fuzz(args: argparse.Namespace) -> int:
    folder = str(ROOT / "tools" / "durability")
    code = f"import sys; sys.path.insert(0, {folder!r}); from durability_fuzz import main; sys.exit(main({args.files}, {args.seed}))"
    with tempfile.TemporaryDirectory(prefix="tambo-fuzz-") as scratch:
        home = _demo_home(Path(scratch))
        return subprocess.run([sys.executable, "-c", code], env=_env(home), cwd=ROOT).returncode


def _roles(args: argparse.Namespace) -> int:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/integration/test_permission_matrix.py"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    print(f"role × action through the services: {summary}")
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    for name, default in (("kill", 400), ("powercut", 150)):
        verb = verbs.add_parser(name)
        verb.add_argument("--cycles", type=int, default=default)
        verb.add_argument("--synchronous", choices=("FULL", "NORMAL", "OFF"))
        verb.add_argument("--seed", type=int, default=15)
        verb.add_argument("--verbose", action="store_true")
    fuzz = verbs.add_parser("fuzz")
    fuzz.add_argument("--files", type=int, default=3600)
    fuzz.add_argument("--seed", type=int, default=15)
    verbs.add_parser("roles")
    child = verbs.add_parser("writer")
    child.add_argument("cycle", type=int)
    args = parser.parse_args(argv)
    if args.verb == "writer":
        return writer(args.cycle)
    if args.verb in ("kill", "powercut"):
        return _cycles(args, args.verb == "powercut")
    if args.verb == "fuzz":
        return _fuzz(args)
    return _roles(args)


if __name__ == "__main__":
    sys.exit(main())
