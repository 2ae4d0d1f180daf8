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


def measure(label: str, app: list[str], probe: list[str], home: Path, runs: int) -> dict[str, float]:
    cases = {
        "floor": (probe + ["bare"], ("shown",)),
        "process": (probe + ["none"], ()),
        "version": (app + ["--version"], ()),
        "sign-in": (probe + ["sign-in", "--home", str(home)], ("sign-in",)),
        "main": (probe + ["main-window", "--home", str(home)], ("sign-in", "ok-pressed", "main-window")),
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
    for round_ in range(runs + 1):
        for name, (command, marks) in cases.items():
            seen = timed(command, marks)
            if round_:  # round 0 warms the cache and takes the day's backup
                results[name].append(seen)

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    figures = {
        "floor": median("floor", "shown"),
        "process": median("process", "exit"),
        "version": median("version", "exit"),
        "sign-in": median("sign-in", "sign-in"),
        "main": median("main", "main-window"),
        "after-ok": statistics.median(r["main-window"] - r["ok-pressed"] for r in results["main"]),
    }
    floor = figures["floor"]
    print(f"\n{label} (median of {runs} fresh processes each)")
    print(f"  floor: bare Qt main window shown      {floor * 1000:6.0f} ms")
    print(f"  floor: bare process, no Qt, exits     {figures['process'] * 1000:6.0f} ms")
    print(f"  --version, until it exits            {figures['version'] * 1000:6.0f} ms  "
          f"{figures['version'] / floor:4.2f}x the Qt floor, {figures['version'] / figures['process']:4.2f}x the bare process")  # fmt: skip
    verdict = (
        ""
        if label != "bundle"
        else ("(target ≤ 3x: met)" if figures["sign-in"] / floor <= TARGET else "(target ≤ 3x: NOT met)")
    )
    print(
        f"  sign-in window shown                 {figures['sign-in'] * 1000:6.0f} ms  {figures['sign-in'] / floor:4.2f}x the floor {verdict}"
    )
    print(f"  main window after signing in         {figures['main'] * 1000:6.0f} ms  {figures['main'] / floor:4.2f}x the floor "
          f"({figures['after-ok'] * 1000:.0f} ms of it from OK pressed: password check and main window)")  # fmt: skip
    return figures


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
    figures = {}
    if args.only != "bundle":
        bin_dir = Path(sys.executable).parent
        figures["source"] = measure("source install (.venv)", [str(bin_dir / f"tambo-desktop{EXE}")],
                                    [sys.executable, str(PROBE)], home, args.runs)  # fmt: skip
    if args.only != "source":
        bundle = args.bundle or build_bundle(ROOT / "build" / "bench-startup")
        probe = bundle / f"startup-probe{EXE}"
        if not probe.is_file():
            raise SystemExit(f"{probe} missing: build the bundle with TAMBO_STARTUP_PROBE=1")
        figures["bundle"] = measure("bundle", [str(bundle / f"tambo-desktop{EXE}")], [str(probe)], home, args.runs)
    if len(figures) == 2:
        s, b = figures["source"], figures["bundle"]
        print(f"\nbundle / source: floor {b['floor'] / s['floor']:.2f}, --version {b['version'] / s['version']:.2f}, "
              f"sign-in {b['sign-in'] / s['sign-in']:.2f}, main window {b['main'] / s['main']:.2f}")  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
