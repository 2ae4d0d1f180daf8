"""One month of the demo tambo, counted four ways, agrees to the unit: the Today page and the
month view (GUI), ``indicators --json`` (CLI, another process) and an independent count made from
the CSV that ``export attentions`` writes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tambo_desktop import dates, paths
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE, create_demo
from tambo_desktop.gui.month_page import MonthPage
from tambo_desktop.gui.today_page import TodayPage
from tambo_desktop.services import accounts
from tambo_desktop.services.session import Session
from tests.cli_signin import signed

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "TAMBO_LANG": "es"}
    command = [sys.executable, "-m", "tambo_desktop", "--home", os.environ[paths.HOME_ENV], *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=True
    )


def test_gui_cli_and_exported_csv_agree(gui_home, qtbot, tmp_path):
    create_demo(size="small", seed=7)
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    today = dates.today()
    first = today.replace(day=1)
    # the GUI
    today_page, month_page = TodayPage(admin), MonthPage(admin)
    for page in (today_page, month_page):
        qtbot.addWidget(page)
        page.refresh()
    gui_month = month_page.result
    assert gui_month is not None and gui_month.attentions > 0
    # the CLI, in another process, on the same database file
    report = json.loads(cli("indicators", "--month", f"{today:%Y-%m}", "--json").stdout)
    assert (report["attentions"], report["users"]) == (gui_month.attentions, gui_month.users)
    assert today_page.month.attentions == report["attentions"]
    assert today_page.month.users == report["users"]
    for name, rows in gui_month.breakdowns.items():
        assert [(r["key"], r["attentions"], r["users"]) for r in report["breakdowns"][name]] == [
            (c.key, c.attentions, c.users) for c in rows
        ]
    # an independent count from the exported file
    out = tmp_path / "atenciones.csv"
    cli(
        "export",
        "attentions",
        "--from",
        first.isoformat(),
        "--to",
        today.isoformat(),
        "--format",
        "csv",
        "--out",
        str(out),
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == report["attentions"]
    assert len({r["id_persona"] for r in rows}) == report["users"]
    by_entity = Counter(r["entidad"] for r in rows)
    assert {c["key"]: c["attentions"] for c in report["breakdowns"]["entity"] if c["attentions"]} == dict(by_entity)
    by_sex = Counter(r["sexo"] for r in rows)
    assert sum(by_sex.values()) == sum(c["attentions"] for c in report["breakdowns"]["sex"])
    today_rows = [r for r in rows if r["fecha"] == today.isoformat()]
    assert len(today_rows) == today_page.today.attentions
    assert len({r["id_persona"] for r in today_rows}) == today_page.today.users
