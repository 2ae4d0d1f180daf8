"""The main window on a real 1024×768 X screen (Xvfb with the openbox window manager), driven with
real keys: it fits the screen, is maximised there, and no page of it scrolls sideways or cuts a text,
in Spanish, Quechua and Aymara (issue 14, part 5). Skipped when Xvfb, openbox or xdotool is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TOUR = Path(__file__).with_name("x11_tour.py")
NEEDED = ("Xvfb", "openbox", "xdotool", "xdpyinfo")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in NEEDED), reason="needs Xvfb, openbox, xdotool and xdpyinfo"
)


@pytest.fixture
def x_screen(tmp_path):
    """A 1024×768 X screen with a window manager, on a free display number."""
    # Xvfb picks a free display itself (-displayfd): a free /tmp/.X11-unix/X<n> file does not mean a free
    # display, the abstract socket of another Xvfb (another run, a chroot) can hold the number
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        display = f":{numbers.readline().strip()}"
    env = {**os.environ, "DISPLAY": display}
    for _ in range(100):
        if subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.05)
    wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    yield display
    wm.terminate()
    xvfb.terminate()
    wm.wait(5)
    xvfb.wait(5)


def test_main_window_fits_1024x768_in_every_language(x_screen, tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "TAMBO_HOME": str(home), "DISPLAY": x_screen, "QT_QPA_PLATFORM": "xcb"}
    demo = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tambo_desktop.cli import main; sys.exit(main())",
            "--home",
            str(home),
            "demo",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0, demo.stderr
    tour = subprocess.run(
        [sys.executable, str(TOUR), "--home", str(home), "--langs", "es,qu,ay"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert tour.returncode == 0, tour.stderr[-3000:]
    records = [json.loads(line) for line in tour.stdout.splitlines() if line.startswith("{")]
    assert len(records) >= 3 * 12, tour.stdout  # every page of the administrator, in three languages
    problems = []
    for r in records:
        where = f"{r['lang']} page {r['row'] + 1} ({r['page']})"
        x, y, w, h = r["frame"]
        ax, ay, aw, ah = r["available"]
        if not r["shown"]:
            problems.append(f"{where}: its key did not show it")
        if x < ax or y < ay or x + w > ax + aw or y + h > ay + ah:
            problems.append(f"{where}: window {r['frame']} outside the screen {r['available']}")
        if not r["maximized"]:
            problems.append(f"{where}: not maximised on a small screen")
        if r["h_scroll"] or r["v_scroll"]:
            problems.append(f"{where}: the page scrolls (too large for the window)")
        problems += [f"{where}: cut {c}" for c in r["clipped"] + r["outside"]]
    assert not problems, "\n".join(problems)
