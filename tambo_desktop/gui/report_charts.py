"""The charts of the Today and month pages, with the printed report's own definitions.

``documents/monthly_report_charts`` lays each chart out as plain shapes (no Qt); here QPainter
paints them (see docs/CHARTS.md for the choice). The counting and the laying out run on a worker
thread (``gui/ops.run_in_background``); what was counted is kept by the records' version
(:meth:`IndicatorService.data_version`), so a page shown again paints at once; only the chart on
the screen is counted. A click on a bar, a side of the pyramid or a community names the
atenciones behind it (:class:`AttentionFilter`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QTabWidget, QToolTip, QWidget

from tambo_desktop import assets, dates, i18n
from tambo_desktop.documents import monthly_report_charts as charts
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.ops import run_in_background
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.attentions import AttentionFilter
from tambo_desktop.services.indicators import UNKNOWN, Indicators, IndicatorService, month_range
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import AGE_GROUPS, SEXES, label

log = logging.getLogger(__name__)

#: Screen pixels per point: the charts' 7-point texts read at about 10 pixels.
SCALE = 1.4
KINDS = ("trend", "entity", "pyramid", "map")
TAB_TITLES = {"entity": N_("Por entidad"), "pyramid": N_("Por curso de vida y sexo"), "map": N_("Centros poblados")}
RECENCY = charts.RECENCY_LEGEND  # the map's legend: the printed report's own
RECENCY_DAYS = charts.RECENCY_DAYS
L_CLICK = N_("Pulse una barra o un centro poblado para ver sus atenciones.")
#: How many counted charts are kept (by kind, period, language and the records' version).
CACHE_SIZE = 48


@dataclass(frozen=True)
class Period:
    """What a panel shows: a month (``month``) or a whole year (``month`` None), up to ``day``."""

    year: int
    month: int | None
    day: dt.date  # the last day that counts (today, in the current month)

    @property
    def key(self) -> str:
        """As ``Indicators.period`` names it: ``2026-03`` or ``2026``."""
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    @property
    def first(self) -> dt.date:
        return month_range(self.year, self.month)[0] if self.month else dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        return month_range(self.year, self.month)[1] if self.month else dt.date(self.year, 12, 31)


# -- data (worker thread) -----------------------------------------------------------------------

#: (kind, period, language, records' version, user) → (the counted values, {size: the chart laid out})
_cache: OrderedDict[tuple, tuple[Any, dict[tuple[float, float], charts.Chart]]] = OrderedDict()


def _month_label(key: str, language: str) -> str:
    names = dates.month_names(language, abbreviated=True)
    return f"{names[int(key[5:7]) - 1]} {int(key[:4]) % 100:02d}"


def count(kind: str, session: Session, period: Period, result: Indicators | None) -> Any:
    """The plain values a chart shows (in the current language), counted by the services."""
    service = IndicatorService(session)
    if result is not None and result.period != period.key:  # the page's numbers of another period
        result = None
    if kind == "trend":
        if period.month is None:
            months = result.breakdowns.get("month") if result is not None else None
            return list(months) if months is not None else service.year(period.year).breakdowns["month"]
        return service.trend(period.year, period.month, 12)
    if kind == "entity":
        rows = result.breakdowns.get("entity") if result is not None else None
        return list(rows) if rows is not None else service.month(period.year, period.month or 12).breakdowns["entity"]
    if kind == "pyramid":
        return service.crossed("age_group", "sex", period.first, period.last)
    from tambo_desktop.services.reports import community_places

    return list(community_places(session, min(period.last, period.day)))  # the printed report's own places


def layout(kind: str, data: Any, width: float, height: float, language: str, period: Period) -> charts.Chart:
    """The chart of ``data`` laid out in ``width`` × ``height`` points (no Qt: any thread)."""
    with i18n.use_language(language):
        legend = [_("Atenciones"), _("Meta")]
        if kind == "trend":
            keys = [("month", c.key) for c in data]
            tips = [f"{_month_label(c.key, language)}: {i18n.format_number(c.attentions)}" for c in data]
            return charts.column_shapes([_month_label(c.key, language) for c in data], [c.attentions for c in data],
                                        [c.goal_attentions for c in data], width, height, legend, keys, tips, short_labels=True)  # fmt: skip
        if kind == "entity":
            rows = max(1, int((height - 30) // 11))  # the most that stay legible; the table has them all
            top = list(data)[:rows]
            tips = [f"{c.key} — {c.label}: {i18n.format_number(c.attentions)}" for c in top]
            return charts.bar_shapes([c.key for c in top], [c.attentions for c in top], [c.goal_attentions for c in top],
                                     width, legend, keys=[("entity", c.key) for c in top], tips=tips, height=height)  # fmt: skip
        if kind == "pyramid":
            groups = [g for g in AGE_GROUPS if g != UNKNOWN or any(data.get((g, s)) for s in SEXES)]
            return charts.pyramid_shapes(
                [label(AGE_GROUPS, g) for g in groups], [data.get((g, "M"), (0, 0))[1] for g in groups],
                [data.get((g, "F"), (0, 0))[1] for g in groups], width, [label(SEXES, "M"), label(SEXES, "F")],
                keys=[(("pyramid", g, "M"), ("pyramid", g, "F")) for g in groups], height=height, title=_("Usuarios"),
            )  # fmt: skip
        return charts.map_of(data, width, height)


# -- painting (GUI thread) ----------------------------------------------------------------------


@cache
def font_family() -> str:
    """The printed report's DejaVu Sans, loaded once from the bundled files: the texts measured
    for print measure the same on the screen."""
    family = "DejaVu Sans"
    for name in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(assets.path(name)))
        if font_id >= 0:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def paint(painter: QPainter, chart: charts.Chart, scale: float, dpi: float = 96.0, grey: bool = False) -> None:
    """Paint ``chart`` with its top left corner at the painter's origin, ``scale`` pixels per point;
    ``grey``: as the black-and-white printer would (to look at it)."""

    def colour(value: str) -> QColor:
        c = QColor(value)
        if grey:
            v = round(0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue())
            c = QColor(v, v, v)
        return c

    height = chart.height
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    family = font_family()
    fonts: dict[tuple[float, bool], QFont] = {}
    for s in chart.shapes:
        if isinstance(s, charts.Box):
            painter.setPen(QPen(colour(s.stroke), s.stroke_width) if s.stroke else Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(colour(s.fill)) if s.fill else Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(s.x, height - s.y - s.h, s.w, s.h))
        elif isinstance(s, charts.Rule):
            painter.setPen(QPen(colour(s.color), s.width))
            painter.drawLine(QPointF(s.x1, height - s.y1), QPointF(s.x2, height - s.y2))
        elif isinstance(s, charts.Text):
            font = fonts.get((s.size, s.bold))
            if font is None:
                font = QFont(family)
                font.setPointSizeF(s.size * 72.0 / dpi)  # a point of the chart is a unit of the painter
                font.setBold(s.bold)
                font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
                fonts[(s.size, s.bold)] = font
            painter.setFont(font)
            painter.setPen(colour(s.color))
            width = painter.fontMetrics().horizontalAdvance(s.text) * 1.0
            x = s.x - (width / 2 if s.anchor == "middle" else width if s.anchor == "end" else 0)
            painter.drawText(QPointF(x, height - s.y), s.text)
        else:
            painter.setPen(QPen(colour(s.stroke), 0.8))
            painter.setBrush(QBrush(colour(s.fill)))
            if s.shape in ("circle", "ring"):
                painter.drawEllipse(QPointF(s.x, height - s.y), s.r, s.r)
            else:
                points = charts.mark_points(s)
                painter.drawPolygon(
                    QPolygonF([QPointF(points[i], height - points[i + 1]) for i in range(0, len(points), 2)])
                )
    painter.restore()


class ChartView(QWidget):
    """One chart, painted from its shapes; ``clicked(key)`` names what a click landed on."""

    clicked = Signal(object)

    def __init__(self, kind: str, parent=None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}Chart")
        self.chart: charts.Chart | None = None
        self.data: Any = None
        self.relayout: Callable[[Any, float, float], charts.Chart] | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 110)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(560, 190)

    @property
    def points(self) -> tuple[float, float]:
        """The widget's size in the chart's points."""
        return max(1, self.width()) / SCALE, max(1, self.height()) / SCALE

    def show_chart(self, data: Any, chart: charts.Chart, relayout: Callable[[Any, float, float], charts.Chart],
                   now: bool = False) -> None:  # fmt: skip
        """Show ``chart`` (of ``data``); ``now``: painted before returning (it was kept: a page
        shown again paints it before any counting starts)."""
        self.data, self.relayout = data, relayout
        if (round(chart.width, 1), round(chart.height, 1)) != tuple(round(v, 1) for v in self.points):
            chart = relayout(data, *self.points)  # resized meanwhile: laid out again (a few ms)
        self.chart = chart
        if now and self.isVisible():
            self.repaint()
        else:
            self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.relayout is not None and self.data is not None:
            self.chart = self.relayout(self.data, *self.points)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)  # the printed page's white, whatever the window's colours
        if self.chart is not None:
            paint(painter, self.chart, SCALE, self.logicalDpiY())
        painter.end()

    def hit_at(self, x: float, y: float) -> charts.Hit | None:
        if self.chart is None:
            return None
        return self.chart.hit(x / SCALE, self.chart.height - y / SCALE)

    def centre_of(self, key: tuple) -> QPointF:
        """Where a click lands on what ``key`` names (widget pixels)."""
        assert self.chart is not None
        hit = next(h for h in self.chart.hits if h.key == key)
        return QPointF((hit.x + hit.w / 2) * SCALE, (self.chart.height - hit.y - hit.h / 2) * SCALE)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        hit = self.hit_at(event.position().x(), event.position().y())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(hit.key)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        hit = self.hit_at(event.position().x(), event.position().y())
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
        if hit is not None and hit.tip:
            QToolTip.showText(event.globalPosition().toPoint(), hit.tip, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)


class ChartPanel(QTabWidget):
    """The four charts of a period in tabs: the 12 months (or the year's) against the goals, the
    entities, the pyramid and the communities by how recently they were served. Only the chart
    on the screen is counted and drawn. ``attentions_requested(AttentionFilter)`` on a click."""

    attentions_requested = Signal(object)

    def __init__(self, session: Session, parent=None, heights: tuple[int, int] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPanel")
        self.heights = heights  # (on a small screen, on a larger one); None: as the layout gives
        self.setDocumentMode(True)
        self.session = session
        self.views = {kind: ChartView(kind) for kind in KINDS}
        for kind in KINDS:
            self.addTab(self.views[kind], "")
            self.views[kind].clicked.connect(self._clicked)
        self.period: Period | None = None
        self.result: Indicators | None = None
        self._generation = 0
        self._drawn: dict[str, int] = {}  # kind → the generation it shows
        self._asked: dict[str, int] = {}  # kind → the generation being counted
        self._running: dict[str, Period] = {}  # kind → the period being counted
        self.last_ready: float | None = None  # perf_counter() when a chart was last put on the screen (benchmarks)
        self.currentChanged.connect(lambda _i: self._draw_current())
        self.retranslate()

    def showEvent(self, event) -> None:  # noqa: N802
        """As tall as the screen allows: on 1024×768 (or 1366×768) the page must not scroll."""
        if self.heights is not None:
            screen = self.screen()
            small = screen is not None and screen.availableGeometry().height() < 800
            self.setFixedHeight(self.heights[0] if small else self.heights[1])
        super().showEvent(event)

    @property
    def trend(self) -> ChartView:
        return self.views["trend"]

    def ready(self, kind: str | None = None) -> bool:
        """The chart on the screen (or ``kind``) shows the period asked for last."""
        kind = kind or KINDS[self.currentIndex()]
        return self._drawn.get(kind) == self._generation

    def retranslate(self) -> None:
        yearly = self.period is not None and self.period.month is None
        self.setTabText(0, _("Meses del año") if yearly else _("Últimos 12 meses"))
        for index, kind in enumerate(KINDS[1:], 1):
            self.setTabText(index, _(TAB_TITLES[kind]))
        for index in range(self.count()):
            self.setTabToolTip(index, self.tabText(index))
        for view in self.views.values():
            view.setToolTip("")
        self.setToolTip(_(L_CLICK))

    def load(self, period: Period, result: Indicators | None = None) -> None:
        """Show ``period`` (``result``: its indicators, when the page has them: the entities come
        from there). The charts shown so far stay until the new ones are ready."""
        same = period == self.period
        self.period, self.result = period, result
        if same and period in self._running.values():  # being counted already (the page's own count ended)
            return
        self._generation += 1
        self.retranslate()
        self._draw_current()

    def _draw_current(self) -> None:
        if self.period is None:
            return
        kind = KINDS[self.currentIndex()]
        if self._drawn.get(kind) == self._generation or self._asked.get(kind) == self._generation:
            return
        self._asked[kind] = generation = self._generation
        self._running[kind] = self.period
        view = self.views[kind]
        period, result, session, language = self.period, self.result, self.session, i18n.current_language()
        width, height = view.points

        def relayout(data: Any, w: float, h: float) -> charts.Chart:
            size = (round(w, 1), round(h, 1))
            laid = drawn.get(size)
            if laid is None:
                laid = drawn[size] = layout(kind, data, w, h, language, period)
                while len(drawn) > 4:
                    drawn.pop(next(iter(drawn)))
            return laid

        try:  # nothing changed since it was counted: painted at once, without a worker
            version = IndicatorService(session).data_version()
        except TamboError:
            version = None
        key = (kind, period, language, version, session.user.id)
        kept = _cache.get(key) if version is not None else None
        size = (round(width, 1), round(height, 1))
        if kept is not None and size in kept[1]:
            _cache.move_to_end(key)
            drawn = kept[1]
            self._running.pop(kind, None)
            self._drawn[kind] = generation
            self.last_ready = time.perf_counter()
            view.show_chart(kept[0], drawn[size], relayout, now=True)
            return
        drawn = kept[1] if kept is not None else {}

        def work() -> tuple[Any, charts.Chart]:
            entry = _cache.get(key)
            if entry is None:
                with i18n.use_language(language):
                    data = count(kind, session, period, result)
                entry = _cache[key] = (data, drawn)
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
            return entry[0], relayout(entry[0], width, height)

        def done(outcome: tuple[Any, charts.Chart]) -> None:
            if not shiboken6.isValid(self):  # the page is gone (signed out)
                return
            if self._running.get(kind) == period:
                del self._running[kind]
            if generation != self._generation:  # a newer period was asked for meanwhile
                self._draw_current()
                return
            self._drawn[kind] = generation
            view.show_chart(outcome[0], outcome[1], relayout)
            self.last_ready = time.perf_counter()

        def failed(error: Exception) -> None:  # a chart is never worth a message box: the tables show the numbers
            if not shiboken6.isValid(self):
                return
            self._asked.pop(kind, None)
            self._running.pop(kind, None)
            if not isinstance(error, TamboError):
                log.warning("the %s chart could not be drawn: %s", kind, error)

        run_in_background(self, _("Contando las atenciones…"), work, done, failed, quiet=True)

    # -- clicks -------------------------------------------------------------------------------

    def filter_for(self, key: tuple) -> AttentionFilter | None:
        """The atenciones behind what ``key`` names (the list a click opens)."""
        period = self.period
        if period is None:
            return None
        first, last = period.first, period.last
        what = key[0]
        if what == "month":
            year, month = int(key[1][:4]), int(key[1][5:7])
            first, last = month_range(year, month)
            return AttentionFilter(date_from=first, date_to=last, include_voided=False)
        if what == "entity":
            from tambo_desktop.services import catalogue

            entity = next((e.id for e in catalogue.entities() if e.code == key[1]), None)
            return AttentionFilter(date_from=first, date_to=last, entity_id=entity, include_voided=False)
        if what == "pyramid":
            return AttentionFilter(date_from=first, date_to=last, age_group=key[1], sex=key[2], include_voided=False)
        end = min(last, period.day)  # the community: its last year, the time its colour speaks of
        return AttentionFilter(
            date_from=end - dt.timedelta(days=364), date_to=end, community_id=key[1], include_voided=False
        )

    def _clicked(self, key: tuple) -> None:
        flt = self.filter_for(key)
        if flt is not None:
            self.attentions_requested.emit(flt)
