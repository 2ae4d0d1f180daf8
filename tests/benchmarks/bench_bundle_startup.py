"""Start-up of what is installed (issue 13, part 5): the PyInstaller bundle and the source install.

Run: .venv/bin/python tests/benchmarks/bench_bundle_startup.py [--runs 5] [--bundle DIR] [--only bundle|source]

Measured, each in a fresh process on a private copy of the large demo (offscreen Qt), as wall-clock time
from just before the process is started:

- ``--version``: until the process exits (``tambo-desktop --version``; in the source install the
  ``tambo-desktop`` script of the virtual environment);
- the sign-in window shown, and the main window shown after signing in as the demo administrator
  (``startup_probe.py``: the real ``tambo-desktop --home H``, only the dialog's ``exec`` scripted);
- the floors, started the same way: a bare Qt main window shown, and the bare process (the bootloader
  and Python, no Qt) until it exits.

The bundle is built by the project's spec with ``TAMBO_STARTUP_PROBE=1`` into ``build/bench-startup/``
(the probe becomes a second executable on the same ``_internal/``), unless ``--bundle`` names one built
that way. A first round (not counted) warms the disk cache and takes the day's backup, so the runs are
a later start of the day (the first start's backup is in bench_sign_in.py). The rounds interleave the
measurements so that a busier moment of the machine spreads over all of them. Target: the bundle's
sign-in window ≤ 3× its floor.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_db import large_demo_database, working_copy  # noqa: E402

from tambo_desktop.demo.build import DEMO_PASSWORD  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().parent / "startup_probe.py"
SPEC = ROOT / "installer" / "tambo-desktop.spec"
EXE = ".exe" if sys.platform == "win32" else ""
TARGET = 3.0
TIMEOUT = 300


def build_bundle(base: Path) -> Path:
    env = {**os.environ, "TAMBO_STARTUP_PROBE": "1"}
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--distpath", str(base / "dist"),
        "--workpath", str(base / "work"), "--noconfirm", "--log-level", "WARN",
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    print(f"bundle with the probe built in {time.perf_counter() - started:.0f} s", flush=True)
    return base / "dist" / "tambo-desktop"


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB", "PYTHONPATH")}
    return {**clean, "QT_QPA_PLATFORM": "offscreen", "TAMBO_LANG": "es", "TAMBO_PROBE_PASSWORD": DEMO_PASSWORD}


def timed(command: list[str], marks: tuple[str, ...]) -> dict[str, float]:
    """Seconds from just before the start to each mark the probe prints, and to the exit ("exit")."""
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=env(), cwd=ROOT, timeout=TIMEOUT)
    ended = time.time()
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    seen = {"exit": ended - started}
    for line in result.stdout.splitlines():
        if line.startswith("mark "):
            _, name, at = line.split()
            seen[name] = float(at) - started
    missing = [m for m in marks if m not in seen]
    if missing:
        raise SystemExit(f"{' '.join(command)}: no mark {missing}:\n{result.stdout}\n{result.stderr}")
    return seen


def cases(app: list[str], probe: list[str], home: Path) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    return {
        "floor": (probe + ["bare"], ("shown",)),
        "process": (probe + ["none"], ()),
        "version": (app + ["--version"], ()),
        "sign-in": (probe + ["sign-in", "--home", str(home)], ("sign-in",)),
        "main": (probe + ["main-window", "--home", str(home)], ("sign-in", "ok-pressed", "main-window")),
    }


def collect(targets: dict[str, dict], runs: int) -> dict[str, dict[str, list[dict[str, float]]]]:
    """Every measurement of every target once per round, so a busier moment spreads over all of them."""
    results = {label: {name: [] for name in todo} for label, todo in targets.items()}
    for round_ in range(runs + 1):
        for label, todo in targets.items():
            for name, (command, marks) in todo.items():
                seen = timed(command, marks)
                if round_:  # round 0 warms the cache and takes the day's backup
                    results[label][name].append(seen)
    return results


FIGURES = {"floor": "shown", "process": "exit", "version": "exit", "sign-in": "sign-in", "main": "main-window"}


def report(label: str, results: dict[str, list[dict[str, float]]]) -> dict[str, float]:
    runs = len(results["floor"])
    figures = {name: statistics.median(r[key] for r in results[name]) for name, key in FIGURES.items()}
    figures["after-ok"] = statistics.median(r["main-window"] - r["ok-pressed"] for r in results["main"])
    # ratios of the same round (floor and app measured seconds apart), then their median
    ratio = {
        name: statistics.median(
            r[FIGURES[name]] / f["shown"] for r, f in zip(results[name], results["floor"], strict=True)
        )
        for name in ("version", "sign-in", "main")
    }
    figures.update({f"{name}-ratio": value for name, value in ratio.items()})
    met = "met" if ratio["sign-in"] <= TARGET else "NOT met"
    print(f"\n{label} (median of {runs} fresh processes each; ratios: median of each round's ratio)")
    print(f"  floor: bare Qt main window shown      {figures['floor'] * 1000:6.0f} ms")
    print(f"  floor: bare process, exits            {figures['process'] * 1000:6.0f} ms")
    print(
        f"  --version, until it exits            {figures['version'] * 1000:6.0f} ms  {ratio['version']:4.2f}x the floor"
    )
    print(
        f"  sign-in window shown                 {figures['sign-in'] * 1000:6.0f} ms  {ratio['sign-in']:4.2f}x the floor (target <= {TARGET:.0f}x: {met})"
    )
    print(f"  main window after signing in         {figures['main'] * 1000:6.0f} ms  {ratio['main']:4.2f}x the floor "
          f"({figures['after-ok'] * 1000:.0f} ms of it from OK pressed: password check and main window)")  # fmt: skip
    return figures


def start_up_check(db_file: Path, runs: int) -> float:
    """What the start-up check alone takes on this file (``PRAGMA quick_check``, RELIABILITY.md), warm."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bundle", type=Path, help="a bundle built with TAMBO_STARTUP_PROBE=1 (default: build one)")
    parser.add_argument("--only", choices=["bundle", "source"])
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; building or finding the large demo", flush=True)
    db_file = large_demo_database()
    home = Path(tempfile.mkdtemp(prefix="tambo-bench-startup-"))
    working_copy(db_file, home)
    targets = {}
    if args.only != "bundle":
        bin_dir = Path(sys.executable).parent
        targets["source install (.venv)"] = cases(
            [str(bin_dir / f"tambo-desktop{EXE}")], [sys.executable, str(PROBE)], home
        )
    if args.only != "source":
        bundle = args.bundle or build_bundle(ROOT / "build" / "bench-startup")
        probe = bundle / f"startup-probe{EXE}"
        if not probe.is_file():
            raise SystemExit(f"{probe} missing: build the bundle with TAMBO_STARTUP_PROBE=1")
        targets["bundle"] = cases([str(bundle / f"tambo-desktop{EXE}")], [str(probe)], home)
    results = collect(targets, args.runs)
    figures = {label.split()[0]: report(label, result) for label, result in results.items()}
    check = start_up_check(home / "tambo.db", args.runs)
    print(
        f"\nof the sign-in window's time, the start-up check alone (PRAGMA quick_check, {(home / 'tambo.db').stat().st_size / 1e6:.0f} MB): {check * 1000:.0f} ms"
    )
    if len(figures) == 2:
        s, b = figures["source"], figures["bundle"]
        print(f"\nbundle / source: floor {b['floor'] / s['floor']:.2f}, --version {b['version'] / s['version']:.2f}, "
              f"sign-in {b['sign-in'] / s['sign-in']:.2f}, main window {b['main'] / s['main']:.2f}")  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
