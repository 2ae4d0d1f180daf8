"""The charts of the Today and month pages, large demo: from the page shown to its chart painted.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_month_chart.py [--runs 5]

Ours, for each page and each of its four charts (the tab on the screen): the page shown as the
window shows it (``refresh_in_background``, which also counts the page's tables on another
worker thread), measured until the chart's widget has painted the new chart. Three cases:

* **again**: nothing changed since the chart was last counted (the page shown a second time):
  the records' version is read, the chart laid out again and painted;
* **new atención**: one atención was registered at the desk since (the usual case on the Today
  page): the current month's counts and the communities' last atención are brought up to date;
* **cold**: nothing kept (the first chart of the process, or after a void): everything counted.

Floor, in the same run: the same numbers counted by hand in sqlite3 on the same file (the 12
months, the month's entities, the pyramid, each community's last atención in the year) and as many
bars painted with QPainter into an image of the same size. Target: ≤ 150 ms after the page is
shown. The benchmark works on a copy of the large demo (it adds atenciones).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_indicators import WHERE  # noqa: E402
from large_db import large_demo_database  # noqa: E402

TARGET_MS = 150


def floor_counts(conn: sqlite3.Connection, kind: str, day: dt.date) -> list[tuple]:
    """What the chart shows, by hand in sqlite3."""
    month_first = day.replace(day=1)
    nxt = (month_first + dt.timedelta(days=32)).replace(day=1)
    year_ago = (month_first - dt.timedelta(days=330)).replace(day=1)
    span = (f"{month_first} 00:00:00", f"{nxt} 00:00:00")
    if kind == "trend":
        sql = f"SELECT strftime('%Y-%m', a.attended_at), COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a {WHERE} GROUP BY 1"
        return conn.execute(sql, (f"{year_ago} 00:00:00", span[1])).fetchall()
    if kind == "entity":
        sql = f"SELECT a.entity_id, COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a {WHERE} GROUP BY 1"
        return conn.execute(sql, span).fetchall()
    if kind == "pyramid":
        sql = (f"SELECT p.sex, (CAST(strftime('%Y%m%d', a.attended_at) AS INT) - CAST(strftime('%Y%m%d', p.birth_date) AS INT))"
               f" / 10000 / 12, COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a JOIN person p ON p.id = a.person_id"
               f" {WHERE} GROUP BY 1, 2")  # fmt: skip
        return conn.execute(sql, span).fetchall()
    sql = (f"SELECT p.community_id, MAX(a.attended_at) FROM attention a JOIN person p ON p.id = a.person_id {WHERE}"
           " AND p.community_id IS NOT NULL GROUP BY 1")  # fmt: skip
    rows = conn.execute(
        sql, (f"{day - dt.timedelta(days=364)} 00:00:00", f"{day + dt.timedelta(days=1)} 00:00:00")
    ).fetchall()
    return rows + conn.execute("SELECT id, latitude, longitude FROM community").fetchall()


def floor_paint(rows: list[tuple], width: int, height: int) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    slot = width / max(1, len(rows))
    for index, _row in enumerate(rows):
        painter.fillRect(QRectF(index * slot, height / 3, slot * 0.6, height / 2), QColor("#3e4c59"))
        painter.drawLine(int(index * slot), 30, int(index * slot + slot), 30)
        painter.drawText(int(index * slot), height - 4, str(index))
    painter.end()


def add_attention(conn: sqlite3.Connection, day: dt.date) -> None:
    """One more atención today, as the desk would add it (a copy of the last one, a new id and uuid)."""
    columns = [r[1] for r in conn.execute("PRAGMA table_info(attention)")]
    row = dict(zip(columns, conn.execute("SELECT * FROM attention ORDER BY id DESC LIMIT 1").fetchone(), strict=True))
    row.update(id=None, uuid=str(uuid.uuid4()), attended_at=f"{day} 10:30:00", voided=0)
    conn.execute(
        f"INSERT INTO attention ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [row[c] for c in columns],
    )
    conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = large_demo_database(args.size, args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    db_file = folder / "tambo.db"
    shutil.copyfile(source, db_file)

    from PySide6.QtWidgets import QApplication

    from tambo_desktop import dates
    from tambo_desktop.db.connection import open_database
    from tambo_desktop.gui import ops, report_charts
    from tambo_desktop.gui.month_page import MonthPage
    from tambo_desktop.gui.report_charts import KINDS
    from tambo_desktop.gui.screen_fit import scrolling_page
    from tambo_desktop.gui.today_page import TodayPage
    from tambo_desktop.services import indicators
    from tambo_desktop.services.session import SYSTEM_USER, Session

    app = QApplication.instance() or QApplication([])
    open_database(f"sqlite:///{db_file}")
    session = Session(SYSTEM_USER, "DEMO-21-0102")
    conn = sqlite3.connect(db_file)
    day = dates.today()

    def settle(seconds: float = 0.3) -> None:
        ops.wait_for_background_work()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

    def forget() -> None:  # as a new process finds them: nothing counted, no database seen yet
        report_charts._cache.clear()
        indicators._MONTHS.__init__()  # type: ignore[misc]
        indicators._SERVED.__init__()  # type: ignore[misc]

    results: dict[tuple[str, str, str], list[float]] = {}
    floors: dict[tuple[str, str], list[float]] = {}
    gui_ms: list[float] = []
    for page_class in (TodayPage, MonthPage):
        page = page_class(session)
        scroll = scrolling_page(page)
        scroll.resize(836, 708)  # the page's room in a maximised window at 1024×768
        scroll.show()
        settle(1.0)
        panel = page.charts
        for index, kind in enumerate(KINDS):
            panel.setCurrentIndex(index)
            view = panel.views[kind]
            painted: list[float] = []
            original = type(view).paintEvent

            def paint(event, view=view, original=original, painted=painted) -> None:
                started = time.perf_counter()
                original(view, event)
                if view.chart is not None:
                    painted.append(time.perf_counter())
                    gui_ms.append((painted[-1] - started) * 1000)

            view.paintEvent = paint  # type: ignore[method-assign]
            settle()

            def shown(prepare, page=page, panel=panel, kind=kind, painted=painted) -> float:
                settle(0.05)  # the page's own count of the last run, and what it asked for, done
                prepare()
                painted.clear()
                started = time.perf_counter()
                page.refresh_in_background()  # what the window does when the page is shown
                while not (panel.ready(kind) and painted and panel.last_ready and painted[-1] >= panel.last_ready):
                    app.processEvents()
                    time.sleep(0.0005)
                return time.perf_counter() - started

            for case in ("cold", "new atención", "again"):
                prepare = {"cold": forget, "new atención": lambda: add_attention(conn, day), "again": lambda: None}[
                    case
                ]
                for _ in range(args.runs):
                    results.setdefault((page_class.__name__, kind, case), []).append(shown(prepare))
            for _ in range(args.runs):
                started = time.perf_counter()
                floor_paint(floor_counts(conn, kind, day), view.width(), view.height())
                floors.setdefault((page_class.__name__, kind), []).append(time.perf_counter() - started)
        scroll.close()
        scroll.deleteLater()
        settle()

    print(
        f"database: a copy of {source}; {day}, median of {args.runs} runs, target <= {TARGET_MS} ms after the page is shown"
    )
    print(f"{'page':10} {'chart':8} {'cold':>8} {'new atención':>13} {'again':>8} {'floor':>8}  ratios to the floor")
    for (page_name, kind), floor_times in floors.items():
        floor = statistics.median(floor_times) * 1000
        cells = [
            statistics.median(results[(page_name, kind, case)]) * 1000 for case in ("cold", "new atención", "again")
        ]
        verdict = " ".join("ok" if c <= TARGET_MS else "MISSED" for c in cells)
        ratios = " / ".join(f"{c / floor:.1f}x" for c in cells)
        print(
            f"{page_name:10} {kind:8} {cells[0]:8.0f} {cells[1]:13.0f} {cells[2]:8.0f} {floor:8.0f}  {ratios}  {verdict}"
        )
    print(f"painting on the GUI thread: median {statistics.median(gui_ms):.1f} ms, max {max(gui_ms):.1f} ms")
    conn.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
