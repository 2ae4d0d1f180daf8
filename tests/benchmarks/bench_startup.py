"""Start-up benchmark: the main window on the demo database against a bare Qt window.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_startup.py
Each measurement starts a fresh process (imports included), median of N runs; the floor
(a bare QMainWindow shown in a fresh process) is measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

RUNS = int(os.environ.get("BENCH_RUNS", "7"))

BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); w = QMainWindow(); w.resize(1100, 700); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""

TAMBO = """
import time; t0 = time.perf_counter()
from tambo_desktop import paths; paths.set_home({home!r})
from tambo_desktop.gui.app import create_application, open_main_window
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.services import accounts
app = create_application()
prepare(paths.default_database_url())
from tambo_desktop.services.session import CurrentUser
from tambo_desktop.db.models import User
u = User.get(User.username == "admin")
user = CurrentUser(u.id, u.username, u.full_name, u.role, u.language)
w = open_main_window(user, paths.default_database_url()); app.processEvents()
print(time.perf_counter() - t0)
"""


def measure(code: str) -> float:
    times = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    home = tempfile.mkdtemp(prefix="tambo-bench-")
    subprocess.run([sys.executable, "-m", "tambo_desktop", "--home", home, "demo"], check=True, capture_output=True)
    floor = measure(BARE)
    tambo = measure(TAMBO.format(home=home))
    print(f"bare Qt main window (floor): {floor * 1000:.0f} ms (median of {RUNS}, fresh processes)")
    print(f"TAMBO main window, demo database, signed in: {tambo * 1000:.0f} ms")
    print(f"ratio: {tambo / floor:.2f}x the floor")


if __name__ == "__main__":
    main()
