"""Peak memory and time of reading hostile import files (issue 15, part 9), each in its own
process capped at 3 GB of address space and 120 s, against a floor measured in the same run: the
same reader on a 3-row CSV.

    .venv/bin/python tests/benchmarks/bench_import_bombs.py [--sst-size BYTES]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.import_bombs import dimension_bomb, one_line_csv, shared_strings_bomb, wide_row_bomb  # noqa: E402

CAP_BYTES = 3 << 30
TIMEOUT = 120
_READER = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from pathlib import Path
def peak_kb():  # this process's own high-water mark (ru_maxrss keeps the parent's across exec)
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
from tambo_desktop.errors import ImportFileError
from tambo_desktop.formats.tabular import read_numbered_table
start = time.perf_counter()
try:
    header, rows = read_numbered_table(Path(sys.argv[1]))
    outcome = f"read {{len(rows)}} rows"
except ImportFileError as exc:
    outcome = "refused: " + str(exc).splitlines()[0][:110]
except MemoryError:
    outcome = "MemoryError"
peak = peak_kb()
print(f"{{peak}}\\t{{time.perf_counter() - start:.2f}}\\t{{outcome}}")
"""


def measure(path: Path) -> tuple[float, float, str]:
    """(peak MB, seconds, outcome) of reading ``path`` in a fresh, capped process."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _READER.format(cap=CAP_BYTES), str(path)],
            capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return float("nan"), time.perf_counter() - start, f"still running after {TIMEOUT} s (killed)"
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return float("nan"), time.perf_counter() - start, f"crashed (exit {done.returncode}): {tail[:100]}"
    peak, seconds, outcome = done.stdout.strip().split("\t", 2)
    return int(peak) / 1024, float(seconds), outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sst-size", type=int, default=1 << 30)
    parser.add_argument("--line-size", type=int, default=200 << 20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        small = tmp / "small.csv"
        small.write_text("centro_poblado,ubigeo,tipo\nA,210102,anexo\nB,210102,anexo\nC,210102,anexo\n")
        cases = {
            "3-row CSV (floor)": small,
            "XLSX A1:XFD1048576, one far cell": dimension_bomb(tmp / "dimension.xlsx"),
            "XLSX, one row of 2,000,000 cells": wide_row_bomb(tmp / "wide.xlsx"),
            f"XLSX shared strings of {args.sst_size >> 20} MB": shared_strings_bomb(tmp / "sst.xlsx", args.sst_size),
            f"CSV, one line of {args.line_size >> 20} MB": one_line_csv(tmp / "line.csv", args.line_size),
        }
        floor = None
        print(f"{'file':40} {'size':>10} {'peak MB':>8} {'× floor':>8} {'s':>7}  outcome")
        for name, path in cases.items():
            peak, seconds, outcome = measure(path)
            floor = floor or peak
            size = path.stat().st_size
            print(f"{name:40} {size:>10} {peak:>8.0f} {peak / floor:>8.1f} {seconds:>7.2f}  {outcome}")


if __name__ == "__main__":
    main()
