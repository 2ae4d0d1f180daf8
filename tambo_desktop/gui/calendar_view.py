"""Painted calendar views: a month grid and a time grid (a week or one day).

Both show :class:`InterventionRow` chips coloured by entity or by status, say which intervention
or free time was clicked, and draw only what they are given (the page filters).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tambo_desktop import dates, i18n
from tambo_desktop.i18n import _
from tambo_desktop.services.interventions import InterventionRow
from tambo_desktop.vocabulary import INTERVENTION_STATUSES, label

PALETTE = ("#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#c43e00", "#00727c", "#ad1457", "#4e342e", "#283593",
           "#4b7a26", "#00695c", "#5d4037")  # fmt: skip
TAMBO_COLOUR = "#455a64"
# white text on each colour reads at 4.5:1 or more (WCAG AA; tests/gui/test_contrast.py measures it)
STATUS_COLOURS = {"requested": "#8a5a00", "programmed": "#1565c0", "rescheduled": "#8e24aa",
                  "executed": "#2e7d32", "suspended": "#9e9e9e"}  # fmt: skip
#: A status also reads without colour: a mark before the chip's text (a request is outlined in dashes,
#: a suspension struck through, as well).
STATUS_MARKS = {"requested": "? ", "programmed": "", "rescheduled": "↻ ", "executed": "✓ ", "suspended": "✗ "}
FIRST_HOUR, LAST_HOUR = 6, 22


def colour_of(row: InterventionRow, by: str) -> QColor:
    """The chip colour: by entity (stable for each code) or by status."""
    if by == "status":
        return QColor(STATUS_COLOURS.get(row.status, TAMBO_COLOUR))
    if not row.entity_code:
        return QColor(TAMBO_COLOUR)
    return QColor(PALETTE[zlib.crc32(row.entity_code.encode()) % len(PALETTE)])


def tooltip(row: InterventionRow) -> str:
    lines = [f"{row.starts_at:%H:%M}–{row.ends_at:%H:%M}  {row.entity_label} — {row.title}", row.where,
             label(INTERVENTION_STATUSES, row.status)]  # fmt: skip
    if row.status_reason:
        lines[-1] += f": {row.status_reason}"
    if row.gestor_name:
        lines.append(_("Responsable: {name}").format(name=row.gestor_name))
    return "\n".join(lines)


@dataclass
class _Hit:
    rect: QRect
    intervention_id: int


class _CalendarBase(QWidget):
    """Shared state: the rows, the colour rule, the hit areas of the last paint."""

    intervention_clicked = Signal(int)
    slot_clicked = Signal(object)  # a datetime: create an intervention there
    day_clicked = Signal(object)  # a date: show that day

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[InterventionRow] = []
        self.colour_by = "entity"
        self.hits: list[_Hit] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_rows(self, rows: list[InterventionRow]) -> None:
        self.rows = rows
        self.update()

    def set_colour_by(self, by: str) -> None:
        self.colour_by = by
        self.update()

    def _hit(self, point: QPoint) -> int | None:
        for hit in reversed(self.hits):
            if hit.rect.contains(point):
                return hit.intervention_id
        return None

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            found = self._hit(event.pos())
            row = next((r for r in self.rows if r.id == found), None)
            if row is not None:
                QToolTip.showText(event.globalPos(), tooltip(row), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _chip(self, painter: QPainter, rect: QRect, row: InterventionRow, text: str) -> None:
        colour = colour_of(row, self.colour_by)
        suspended = row.status == "suspended"
        fill = QColor(colour)
        fill.setAlpha(70 if suspended else 235)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        if row.status == "requested":  # not confirmed yet: dashed outline
            painter.setPen(QPen(QColor("#212121"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 3, 3)
        text = STATUS_MARKS.get(row.status, "") + text
        font = QFont(self.font())
        font.setStrikeOut(suspended)
        painter.setFont(font)
        painter.setPen(QColor("#212121") if suspended else QColor("white"))
        metrics = QFontMetrics(font)
        inner = rect.adjusted(4, 1, -3, -1)
        if inner.height() >= 2 * metrics.height():
            painter.drawText(inner, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop, text)
        else:
            painter.drawText(
                inner,
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
            )
        self.hits.append(_Hit(QRect(rect), row.id))


class MonthView(_CalendarBase):
    """Six weeks from the Monday before the 1st; a click on a chip opens it, on free space creates."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("monthView")
        today = dates.today()
        self.year, self.month = today.year, today.month
        self.cells: list[tuple[QRect, dt.date]] = []

    def set_month(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        self.update()

    def first_day(self) -> dt.date:
        first = dt.date(self.year, self.month, 1)
        return first - dt.timedelta(days=first.weekday())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(760, 560)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.hits, self.cells = [], []
        metrics = QFontMetrics(self.font())
        header = metrics.height() + 8
        width, height = self.width(), self.height() - header
        cell_w, cell_h = width / 7, height / 6
        start = self.first_day()
        painter.fillRect(self.rect(), self.palette().base())
        for i in range(7):
            name = i18n.format_date(start + dt.timedelta(days=i), "weekday_short").capitalize()
            painter.setPen(self.palette().text().color())
            painter.drawText(QRect(int(i * cell_w), 0, int(cell_w), header), Qt.AlignmentFlag.AlignCenter, name)
        by_day: dict[dt.date, list[InterventionRow]] = {}
        for row in self.rows:
            by_day.setdefault(row.starts_at.date(), []).append(row)
        chip_h = metrics.height() + 4
        today = dates.today()
        for index in range(42):
            day = start + dt.timedelta(days=index)
            rect = QRect(int(index % 7 * cell_w), header + int(index // 7 * cell_h), int(cell_w), int(cell_h))
            self.cells.append((rect, day))
            outside = day.month != self.month
            painter.fillRect(rect, QColor("#f3f4f6") if outside else self.palette().base().color())
            painter.setPen(QColor("#c5cad3"))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            number = QRect(rect.left() + 4, rect.top() + 2, rect.width() - 8, metrics.height())
            if day == today:
                painter.setBrush(QColor("#1e88e5"))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(QRect(number.left() - 2, number.top(), metrics.height() + 4, metrics.height()))
                painter.setPen(QColor("white"))
            else:
                painter.setPen(QColor("#9aa5b1") if outside else self.palette().text().color())
            painter.drawText(number.adjusted(0, 0, 0, 0), Qt.AlignmentFlag.AlignLeft, str(day.day))
            chips = by_day.get(day, [])
            room = max(0, (rect.height() - metrics.height() - 6) // (chip_h + 2))
            shown = chips if len(chips) <= room else chips[: max(0, room - 1)]
            y = number.bottom() + 3
            for row in shown:
                chip = QRect(rect.left() + 3, y, rect.width() - 6, chip_h)
                self._chip(painter, chip, row, f"{row.starts_at:%H:%M} {row.entity_label} · {row.title}")
                y += chip_h + 2
            if len(shown) < len(chips):
                painter.setPen(self.palette().text().color())
                more = _("+{n} más").format(n=len(chips) - len(shown))
                painter.drawText(QRect(rect.left() + 4, y, rect.width() - 8, chip_h), Qt.AlignmentFlag.AlignLeft, more)
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        point = event.position().toPoint()
        found = self._hit(point)
        if found is not None:
            self.intervention_clicked.emit(found)
            return
        for rect, day in self.cells:
            if rect.contains(point):
                if point.y() < rect.top() + QFontMetrics(self.font()).height() + 4:
                    self.day_clicked.emit(day)
                else:
                    self.slot_clicked.emit(dt.datetime.combine(day, dt.time(9)))
                return


class TimeGridView(_CalendarBase):
    """Days side by side (7 for a week, 1 for a day), 06:00 to 22:00; overlapping interventions
    share the column. A click on free time creates an intervention at that half hour."""

    HOUR_PX = 44

    def __init__(self, days: int = 7, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("weekView" if days == 7 else "dayView")
        self.days = days
        self.first = dates.today() - dt.timedelta(days=dates.today().weekday() if days == 7 else 0)
        self.setMinimumHeight(self._top() + (LAST_HOUR - FIRST_HOUR) * self.HOUR_PX + 2)

    def _top(self) -> int:
        return QFontMetrics(self.font()).height() + 10

    def _left(self) -> int:
        return QFontMetrics(self.font()).horizontalAdvance("00:00") + 12

    def set_first(self, day: dt.date) -> None:
        self.first = day
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(760, self.minimumHeight())

    def _y(self, moment: dt.datetime, day: dt.date) -> int:
        start = dt.datetime.combine(day, dt.time(FIRST_HOUR))
        minutes = (moment - start).total_seconds() / 60
        minutes = min(max(minutes, 0), (LAST_HOUR - FIRST_HOUR) * 60)
        return self._top() + int(minutes * self.HOUR_PX / 60)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.hits = []
        top, left = self._top(), self._left()
        column = (self.width() - left) / self.days
        painter.fillRect(self.rect(), self.palette().base())
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            y = top + (hour - FIRST_HOUR) * self.HOUR_PX
            painter.setPen(QColor("#d5d9e0"))
            painter.drawLine(left, y, self.width(), y)
            painter.setPen(QColor("#52606d"))
            painter.drawText(
                QRect(0, y - 8, left - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{hour:02d}:00",
            )
        today = dates.today()
        for index in range(self.days):
            day = self.first + dt.timedelta(days=index)
            x = left + int(index * column)
            if day == today:
                painter.fillRect(QRect(x, top, int(column), self.height() - top), QColor("#eef5fd"))
            painter.setPen(QColor("#c5cad3"))
            painter.drawLine(x, 0, x, self.height())
            painter.setPen(self.palette().text().color())
            title = i18n.format_date(day, "weekday_day_month" if self.days == 7 else "full").capitalize()
            painter.drawText(QRect(x, 0, int(column), top), Qt.AlignmentFlag.AlignCenter, title)
            day_start = dt.datetime.combine(day, dt.time.min)
            day_end = day_start + dt.timedelta(days=1)
            rows = sorted(
                (r for r in self.rows if r.starts_at < day_end and r.ends_at > day_start), key=lambda r: r.starts_at
            )
            for row, lane, lanes in _lanes(rows):
                y1 = self._y(max(row.starts_at, day_start), day)
                y2 = max(self._y(min(row.ends_at, day_end), day), y1 + 16)
                width = column / lanes
                rect = QRect(int(x + lane * width) + 2, y1 + 1, int(width) - 4, y2 - y1 - 2)
                text = f"{row.starts_at:%H:%M}–{row.ends_at:%H:%M} {row.entity_label}\n{row.title}\n{row.where}"
                self._chip(painter, rect, row, text)
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        point = event.position().toPoint()
        found = self._hit(point)
        if found is not None:
            self.intervention_clicked.emit(found)
            return
        left, top = self._left(), self._top()
        if point.x() < left or point.y() < top:
            return
        index = min(self.days - 1, int((point.x() - left) / ((self.width() - left) / self.days)))
        minutes = (point.y() - top) * 60 / self.HOUR_PX
        half_hours = int(minutes // 30)
        moment = dt.datetime.combine(self.first + dt.timedelta(days=index), dt.time(FIRST_HOUR)) + dt.timedelta(
            minutes=30 * half_hours
        )
        self.slot_clicked.emit(moment)


def _lanes(rows: list[InterventionRow]):
    """Place overlapping interventions side by side: (row, lane, lanes in its group)."""
    out, group, ends, group_end = [], [], [], None
    for row in rows:
        if group_end is not None and row.starts_at >= group_end:
            out += [(r, lane, len(ends)) for r, lane in group]
            group, ends, group_end = [], [], None
        lane = next((i for i, end in enumerate(ends) if end <= row.starts_at), None)
        if lane is None:
            lane = len(ends)
            ends.append(row.ends_at)
        else:
            ends[lane] = row.ends_at
        group.append((row, lane))
        group_end = max(group_end or row.ends_at, row.ends_at)
    out += [(r, lane, len(ends)) for r, lane in group]
    return out
