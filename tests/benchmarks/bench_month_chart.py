"""The month page's trend chart, large demo: from asking for it to the chart painted on the screen.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_month_chart.py [--runs 7]

Ours: ``TrendChart.load(year, month)`` as the month page calls it when it shows a month: the 12
months' atenciones and goals counted (``IndicatorService.trend``) and the report's column chart
made as SVG on a worker thread, then loaded and painted by QtSvg on the GUI thread. Measured until
the widget has repainted; the GUI thread's own share (SVG load and paint) is given apart. The first
chart of the process also imports reportlab and its fonts (shown separately). Target: ≤ 150 ms.

Floor, in the same run: the same 12 months counted by hand in sqlite3 and 12 bars and ticks painted
with QPainter into an image of the same size.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_indicators import WHERE, last_complete_periods  # noqa: E402
from large_db import large_demo_database  # noqa: E402

TARGET_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db_file = large_demo_database(args.size, args.seed)

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from tambo_desktop.db.connection import open_database
    from tambo_desktop.gui.report_charts import HEIGHT, WIDTH, TrendChart
    from tambo_desktop.services.indicators import IndicatorService
    from tambo_desktop.services.session import SYSTEM_USER, Session

    app = QApplication.instance() or QApplication([])
    open_database(f"sqlite:///{db_file}")
    service = IndicatorService(Session(SYSTEM_USER, "DEMO-21-0102"))
    conn = sqlite3.connect(db_file)
    (year, month), _whole = last_complete_periods(conn)
    chart = TrendChart(service)
    chart.resize(int(WIDTH), int(HEIGHT))
    chart.show()
    painted: list[float] = []
    original = chart.paintEvent

    def paint(event) -> None:
        started = time.perf_counter()
        original(event)
        painted.append(time.perf_counter() - started)

    chart.paintEvent = paint  # type: ignore[method-assign]

    def ours() -> float:
        painted.clear()
        started = time.perf_counter()
        chart.load(year, month)
        while not (chart.ready and painted):
            app.processEvents()
            time.sleep(0.001)
        return time.perf_counter() - started

    def floor() -> float:
        started = time.perf_counter()
        first = f"{year - 1 if month < 12 else year}-{month % 12 + 1:02d}-01 00:00:00"
        last = f"{year + month // 12}-{month % 12 + 1:02d}-01 00:00:00"
        rows = conn.execute(
            f"SELECT strftime('%Y-%m', a.attended_at), COUNT(*), COUNT(DISTINCT a.person_id) FROM attention a {WHERE} GROUP BY 1",
            (first, last),
        ).fetchall()
        image = QImage(int(WIDTH), int(HEIGHT), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        top = max(n for _k, n, _u in rows) or 1
        for index, (_key, n, _users) in enumerate(rows):
            painter.fillRect(QRectF(40 + index * 60, HEIGHT - 16 - n / top * 120, 36, n / top * 120), QColor("#3e4c59"))
            painter.drawLine(30 + index * 60, 30, 86 + index * 60, 30)
        painter.end()
        return time.perf_counter() - started

    first_chart = ours()  # imports reportlab and registers the fonts on the worker thread
    floor()
    times: tuple[list[float], list[float], list[float]] = ([], [], [])
    for _ in range(args.runs):
        times[0].append(ours())
        times[2].append(sum(painted))
        times[1].append(floor())
    value, base, gui = (statistics.median(t) * 1000 for t in times)
    verdict = "ok" if value <= TARGET_MS else "MISSED"
    print(f"database: {db_file}, {year}-{month:02d}, median of {args.runs} runs")
    print(f"trend chart on the month page: {value:.0f} ms to painted (target <= {TARGET_MS} ms) {verdict}; of which on the GUI "
          f"thread {gui:.1f} ms; the first chart of the process {first_chart * 1000:.0f} ms (reportlab imported); "
          f"floor (raw sqlite3 counts + 12 bars painted with QPainter) {base:.0f} ms; ratio {value / base:.1f}x")  # fmt: skip
    conn.close()


if __name__ == "__main__":
    main()
