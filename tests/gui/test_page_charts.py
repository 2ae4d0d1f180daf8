"""The charts of the Today and month pages (issue 18.2): real clicks on a bar, a side of the pyramid
and a community open the atenciones list filtered to what was clicked, and its count is the
chart's number; the communities' marks say how recently each was served, as an independent count
in sqlite3 says; what was counted is kept only while nothing changed; a page deleted while its
chart is being counted ends cleanly; every chart reads in black and white."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from tambo_desktop import dates, i18n
from tambo_desktop.db.models import Attention
from tambo_desktop.documents import monthly_report_charts as charts
from tambo_desktop.gui import report_charts
from tambo_desktop.gui.report_charts import KINDS, RECENCY_DAYS
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.indicators import IndicatorService


def _db_file(_window) -> str:
    return Attention._meta.database.obj.database


def shown(qtbot, panel, kind: str):
    panel.setCurrentIndex(KINDS.index(kind))
    view = panel.views[kind]
    qtbot.waitUntil(lambda: panel.ready(kind) and view.chart is not None, timeout=30_000)
    qtbot.waitExposed(view)
    return view


def click(qtbot, window, view, key) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.centre_of(key).toPoint())
    assert window.current_page() is window.attentions_page
    window.attentions_page.wait_for_count()


def counted_text(window) -> str:
    return window.attentions_page.count_label.text()


def test_a_click_on_an_entity_a_side_of_the_pyramid_or_a_community_opens_its_atenciones(demo_window, load_demo, qtbot):
    w = demo_window
    load_demo("small")
    page = w.month_page
    w.show_page(page)
    page.refresh()
    service = IndicatorService(page.session)
    result = service.month(page.year, page.month)
    attentions = w.attentions_page

    # the entity with most atenciones this month
    view = shown(qtbot, page.charts, "entity")
    top = result.breakdowns["entity"][0]
    assert [c.key for c in view.data] == [c.key for c in result.breakdowns["entity"]]
    click(qtbot, w, view, ("entity", top.key))
    flt = attentions.filter()
    assert (
        attentions.entity.currentText() == top.key
        and flt.date_from == result.date_from
        and flt.date_to == result.date_to
    )
    assert not flt.include_voided
    assert AttentionService(page.session).count(flt) == top.attentions
    qtbot.waitUntil(lambda: i18n.format_number(top.attentions) in counted_text(w), timeout=30_000)

    # the women of the busiest curso de vida: the pyramid counts usuarios, the list their atenciones
    w.show_page(page)
    view = shown(qtbot, page.charts, "pyramid")
    crossed = service.crossed("age_group", "sex", result.date_from, result.date_to)
    group = max((g for g, s in crossed if s == "F"), key=lambda g: crossed[(g, "F")][1])
    click(qtbot, w, view, ("pyramid", group, "F"))
    flt = attentions.filter()
    assert (flt.sex, flt.age_group, flt.entity_id) == ("F", group, None)
    assert AttentionService(page.session).count(flt) == crossed[(group, "F")][0]
    qtbot.waitUntil(lambda: i18n.format_number(crossed[(group, "F")][0]) in counted_text(w), timeout=30_000)

    # a community: its residents' atenciones of the year up to the month's end (or today)
    w.show_page(page)
    view = shown(qtbot, page.charts, "map")
    served = [p for p in view.data if p.recency == 0 and p.latitude is not None]
    assert served, "no community served in the last 30 days on the map"
    place = served[0]
    click(qtbot, w, view, ("community", place.key))
    flt = attentions.filter()
    assert flt.community_id == place.key and flt.entity_id is None and flt.sex == ""
    end = min(result.date_to, dates.today())
    assert (flt.date_from, flt.date_to) == (end - dt.timedelta(days=364), end)
    with sqlite3.connect(_db_file(w)) as conn:
        (independent,) = conn.execute(
            "SELECT COUNT(*) FROM attention a JOIN person p ON p.id = a.person_id WHERE a.voided = 0 AND p.community_id = ?"
            " AND a.attended_at >= ? AND a.attended_at < ?",
            (place.key, f"{flt.date_from} 00:00:00", f"{flt.date_to + dt.timedelta(days=1)} 00:00:00"),
        ).fetchone()
    assert independent > 0
    qtbot.waitUntil(lambda: i18n.format_number(independent) in counted_text(w), timeout=30_000)


def test_the_map_marks_each_community_by_its_last_atencion(demo_window, load_demo, qtbot):
    """Each mark's shape and shade is the age of the community's last atención (an independent
    count in sqlite3), the same on the Today page; every community of the ámbito is on the map."""
    w = demo_window
    load_demo("small")
    page = w.today_page
    w.show_page(page)
    view = shown(qtbot, page.charts, "map")
    today = dates.today()
    with sqlite3.connect(_db_file(w)) as conn:
        last = dict(
            conn.execute(
                "SELECT p.community_id, MAX(date(a.attended_at)) FROM attention a JOIN person p ON p.id = a.person_id"
                " WHERE a.voided = 0 AND a.attended_at < ? AND a.attended_at >= ? GROUP BY 1",
                (f"{today + dt.timedelta(days=1)} 00:00:00", f"{today - dt.timedelta(days=364)} 00:00:00"),
            ).fetchall()
        )
        communities = [r[0] for r in conn.execute("SELECT id FROM community")]
    assert sorted(p.key for p in view.data) == sorted(communities)
    for place in view.data:
        day = last.get(place.key)
        age = (today - dt.date.fromisoformat(day)).days if day else None
        expected = next((i for i, d in enumerate(RECENCY_DAYS) if age is not None and age < d), 3)
        assert place.recency == expected, place.name
    marks = [s for s in view.chart.shapes if isinstance(s, charts.Mark)]
    placed = [p for p in view.data if p.latitude is not None or p.distance_km is not None]
    assert len(marks) >= len(placed) and {m.shape for m in marks} <= {m[0] for m in charts.RECENCY_MARKS}
    # the legend names the four ages, each with its mark
    texts = {s.text for s in view.chart.shapes if isinstance(s, charts.Text)}
    assert all(any(t.startswith(i18n._(r)[:8]) for t in texts) for r in report_charts.RECENCY)


def test_a_voided_atencion_leaves_the_trend_at_once(demo_window, load_demo, qtbot):
    """The 12 months are kept between counts; voiding an atención of a past month counts that
    month again (an independent count says the chart's bar lost one)."""
    w = demo_window
    load_demo("small")
    page = w.month_page
    w.show_page(page)
    view = shown(qtbot, page.charts, "trend")
    before = {c.key: c.attentions for c in view.data}
    past = next(k for k, n in before.items() if n and k < dates.today().strftime("%Y-%m"))
    first = dt.datetime.strptime(past + "-01", "%Y-%m-%d")
    victim = Attention.select().where((Attention.attended_at >= first) & (Attention.voided == False)).first()  # noqa: E712
    AttentionService(page.session).void(victim.id, "registrada dos veces")
    w.show_page(page)
    qtbot.waitUntil(
        lambda: page.charts.ready("trend") and {c.key: c.attentions for c in view.data}[past] == before[past] - 1
    )
    with sqlite3.connect(_db_file(w)) as conn:
        (independent,) = conn.execute(
            "SELECT COUNT(*) FROM attention WHERE voided = 0 AND strftime('%Y-%m', attended_at) = ?", (past,)
        ).fetchone()
    assert independent == before[past] - 1
    assert IndicatorService(page.session).trend(page.year, page.month, 12) == view.data


@pytest.mark.parametrize("language", ["es", "qu", "ay"])
def test_every_chart_reads_in_black_and_white(demo_window, load_demo, qtbot, language):
    """Painted as the black-and-white printer prints them: the goal ticks, the bars, men and women
    and the four ages of the communities' marks keep distinct greys, and no text leaves its
    chart's width."""
    from tambo_desktop.gui import translator

    w = demo_window
    load_demo("small")
    translator.switch_language(language)
    try:
        page = w.month_page
        w.show_page(page)
        for kind in KINDS:
            view = shown(qtbot, page.charts, kind)
            chart = view.chart
            for s in chart.shapes:
                if isinstance(s, charts.Text):
                    width = charts.text_width(s.text, s.size, s.bold)
                    left = s.x - (width / 2 if s.anchor == "middle" else width if s.anchor == "end" else 0)
                    assert left >= -0.5 and left + width <= chart.width + 0.5, (kind, s.text)
            image = QImage(view.size(), QImage.Format.Format_RGB32)
            image.fill(Qt.GlobalColor.white)
            painter = QPainter(image)
            report_charts.paint(painter, chart, report_charts.SCALE, view.logicalDpiY(), grey=True)
            painter.end()
            dark = sum(
                1
                for x in range(0, image.width(), 3)
                for y in range(0, image.height(), 3)
                if image.pixelColor(x, y).value() < 100
            )
            assert dark > 50, f"{kind}: nothing dark enough to print"
    finally:
        translator.switch_language("es")
    fills = [QColor(fill) for _shape, fill, _outline in charts.RECENCY_MARKS]
    grey = [round(0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()) for c in fills]
    assert all(b - a >= 40 for a, b in zip(grey, grey[1:], strict=False)), grey  # darker the more recent
    assert len({shape for shape, _f, _o in charts.RECENCY_MARKS}) == 4  # and a shape of its own each


def test_a_page_deleted_while_its_charts_are_counted_ends_cleanly(gui_home, load_demo, tmp_path):
    """Signing out deletes the pages while their charts may still be counted: the work ends, its
    result goes nowhere, and the process exits without a crash (it once died at exit while a
    chart drawn on a worker thread was still alive)."""
    load_demo("small")
    script = textwrap.dedent(
        f"""
        import gc, sys, time
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from tambo_desktop.db.connection import open_database
        from tambo_desktop.gui import ops
        from tambo_desktop.gui.month_page import MonthPage
        from tambo_desktop.gui.today_page import TodayPage
        from tambo_desktop.services.session import SYSTEM_USER, Session
        open_database({gui_home!r})
        session = Session(SYSTEM_USER, "DEMO")
        for round_ in range(5):
            pages = [TodayPage(session), MonthPage(session)]
            for page in pages:
                page.show()
                page.charts.setCurrentIndex(round_ % 4)
                page.refresh_in_background()
            for page in pages:
                page.deleteLater()
            del pages
            app.processEvents()
            gc.collect()
        ops.wait_for_background_work()
        for _ in range(50):
            app.processEvents()
            time.sleep(0.01)
        gc.collect()
        print("ended")
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and "ended" in done.stdout, done.stderr[-2000:]
