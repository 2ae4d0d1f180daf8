"""Charts on screen with the printed report's own definitions (``documents/monthly_report_charts``):
the reportlab drawing is made off the GUI thread, written as SVG (reportlab's pure-Python
renderSVG) and painted by QtSvg, which PySide6-Essentials already ships: no chart library to
install (see docs/CHARTS.md for the choice). A click on a bar names what is behind it.
"""

from __future__ import annotations

import logging
import re

import shiboken6
from PySide6.QtCore import QByteArray, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from tambo_desktop import dates, i18n
from tambo_desktop.documents import monthly_report_charts as charts
from tambo_desktop.gui.ops import run_in_background
from tambo_desktop.i18n import _
from tambo_desktop.services.indicators import Count, IndicatorService

log = logging.getLogger(__name__)

#: The drawing's size in points; the widget scales it to its width, keeping the proportions.
WIDTH, HEIGHT = 440.0, 130.0  # small, so its 6.5-point texts read at 7–9 pixels on a laptop screen
#: The column chart's left margin in points (``monthly_report_charts.column_chart``).
PLOT_LEFT, PLOT_RIGHT = 40.0, 4.0


def trend_svg(trend: list[Count], language: str) -> bytes:
    """The trend of ``trend`` (months with their goals) as SVG, labels in ``language``."""
    from reportlab.graphics import renderSVG

    with i18n.use_language(language):
        names = dates.month_names(language, abbreviated=True)
        labels = [f"{names[int(c.key[5:7]) - 1]} {int(c.key[:4]) % 100:02d}" for c in trend]
        drawing = charts.column_chart(labels, [c.attentions for c in trend], [c.goal_attentions for c in trend], WIDTH,
                                      HEIGHT, [_("Atenciones"), _("Meta")])  # fmt: skip
    svg = renderSVG.drawToString(drawing)
    # QtSvg (SVG Tiny) knows no clipPath and would paint its rectangle black: the drawing stays inside anyway
    svg = re.sub(r"<clipPath.*?</clipPath>", "", svg, flags=re.S).replace(' style="clip-path: url(#clip)"', "")
    return svg.encode("utf-8")


class TrendChart(QWidget):
    """Atenciones of the 12 months ending with the month shown (or of the year's months) against
    their goals. ``month_clicked(year, month)`` when a bar is clicked."""

    month_clicked = Signal(int, int)

    def __init__(self, service: IndicatorService, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.service = service
        self.renderer = QSvgRenderer(self)
        self.trend: list[Count] = []
        self._generation = 0
        self._shown = -1  # the generation on the screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(int(WIDTH), int(HEIGHT) + 10)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        screen = self.screen()
        small = screen is not None and screen.availableGeometry().height() < 800  # 1024×768, 1366×768
        return max(110, min(150 if small else 300, round(width * HEIGHT / WIDTH)))  # the page must not scroll

    def resizeEvent(self, event) -> None:
        self.setFixedHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    # -- data ---------------------------------------------------------------------------------

    def load(self, year: int, month: int | None, months: list[Count] | None = None) -> None:
        """Count (unless the year's ``months`` are given) and draw off the GUI thread; the chart
        shown so far stays until the new one is ready."""
        self._generation += 1
        generation, language = self._generation, i18n.current_language()

        def work() -> tuple[list[Count], bytes]:
            if months is not None:
                trend = list(months)
            elif month is None:
                trend = self.service.year(year).breakdowns["month"]
            else:
                trend = self.service.trend(year, month, 12)
            return trend, trend_svg(trend, language)

        def done(result: tuple[list[Count], bytes]) -> None:
            if shiboken6.isValid(self) and generation == self._generation:  # the page may be gone (signed out)
                self._shown = generation
                self.show_trend(*result)

        def failed(error: Exception) -> None:  # a chart is never worth a message box: the tables show the numbers
            log.warning("the trend chart could not be drawn: %s", error)

        run_in_background(self, _("Contando las atenciones…"), work, done, failed, quiet=True)

    @property
    def ready(self) -> bool:
        """The latest chart asked for is on the screen."""
        return self._shown == self._generation

    def show_trend(self, trend: list[Count], svg: bytes) -> None:
        self.trend = trend
        self.renderer.load(QByteArray(svg))
        self.setToolTip(_("Pulse una barra para ver las atenciones de ese mes."))
        self.update()

    # -- drawing and clicks -------------------------------------------------------------------

    def target(self) -> QRectF:
        """Where the drawing goes: the widget's width, its proportions kept."""
        scale = min(self.width() / WIDTH, self.height() / HEIGHT)
        return QRectF(0, 0, WIDTH * scale, HEIGHT * scale)

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self.renderer.isValid():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)  # the printed page's white, whatever the window's colours
        self.renderer.render(painter, self.target())
        painter.end()

    def index_at(self, x: float) -> int | None:
        """The month under ``x`` (widget pixels), or None outside the bars."""
        if not self.trend:
            return None
        scale = self.target().width() / WIDTH
        slot = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / len(self.trend)
        index = int((x / scale - PLOT_LEFT) // slot)
        return index if 0 <= index < len(self.trend) and x / scale >= PLOT_LEFT else None

    def bar_centre(self, index: int) -> float:
        """The x (widget pixels) of a bar's centre: where a click opens its month."""
        scale = self.target().width() / WIDTH
        slot = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / len(self.trend)
        return (PLOT_LEFT + slot * (index + 0.5)) * scale

    def mousePressEvent(self, event) -> None:  # noqa: N802
        index = self.index_at(event.position().x())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            key = self.trend[index].key
            self.month_clicked.emit(int(key[:4]), int(key[5:7]))
            return
        super().mousePressEvent(event)
