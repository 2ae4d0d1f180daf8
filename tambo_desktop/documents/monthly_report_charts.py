"""The charts of the monthly report and of the Today and month pages: one definition for print and screen.

Each chart is laid out from plain values into a :class:`Chart`: plain shapes (boxes, rules, texts,
marks) in points, origin at the bottom left as in a PDF, and the regions a click may land on
(:class:`Hit`, with the key of what is behind it). The report draws it with reportlab
(:func:`drawing`, vector, in the PDF itself); the window paints the same shapes with QPainter
(``gui/report_charts.py``). Laying out needs no Qt and no database: it runs on a worker thread.

They read in black and white (the tambo's printer): the atenciones are dark bars, the goals a black
tick across each bar's slot, men and women two different greys with their names written above
them, and the communities' marks differ in shape as well as in shade. Every text is measured and
shrunk (down to 5.5 pt) or cut with «…» so nothing leaves its place, whatever the language.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from tambo_desktop.documents.style import FONT, FONT_BOLD, INK, MUTED, RULE, register_fonts
from tambo_desktop.i18n import N_, _, format_number, format_percent, pgettext

DARK = "#3e4c59"
LIGHT = "#9aa5b1"
PALE = "#e4e7eb"
GOAL = "#000000"
WHITE = "#ffffff"
SMALLEST = 5.5
#: How recently a community was served, most recent first: its mark's shape, fill and outline.
#: Shades darken with recency in colour and in grey alike; the shapes tell them apart without either.
RECENCY_MARKS: tuple[tuple[str, str, str], ...] = (
    ("circle", "#08519c", "#08306b"),
    ("diamond", "#4292c6", "#08306b"),
    ("triangle", "#c6dbef", "#08306b"),
    ("ring", WHITE, "#000000"),
)
#: The ages (days since the last atención) below which a community is in each of the first three
#: ``RECENCY_MARKS``: up to 30 days, 31 to 90, 91 to 365; not in the year (or never): the last.
RECENCY_DAYS = (31, 91, 365)
#: The span the map looks back over: the day itself and the 364 before it (a year).
YEAR_BACK = 364
RECENCY_LEGEND = (N_("Hasta 30 días"), N_("31 a 90 días"), N_("91 a 365 días"), N_("Más de un año o nunca"))
L_UNPLACED = N_("{n} sin coordenadas: no están en el mapa")


def recency_of(last: dt.date | None, end: dt.date) -> int:
    """The index in ``RECENCY_MARKS`` of a community last served on ``last`` (None: not in the
    year), seen on ``end``."""
    age = None if last is None else (end - last).days
    return next((i for i, days in enumerate(RECENCY_DAYS) if age is not None and age < days), len(RECENCY_DAYS))


# -- the shapes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str | None = DARK
    stroke: str | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str = RULE
    width: float = 0.5


@dataclass(frozen=True)
class Text:
    """A text whose baseline starts (or is centred, or ends: ``anchor``) at ``x, y``; already fitted."""

    x: float
    y: float
    text: str
    size: float
    anchor: str = "start"  # "start" | "middle" | "end"
    bold: bool = False
    color: str = INK


@dataclass(frozen=True)
class Mark:
    """A community's mark centred at ``x, y``: ``shape`` one of circle, diamond, triangle, ring."""

    x: float
    y: float
    r: float
    shape: str
    fill: str
    stroke: str


@dataclass(frozen=True)
class Hit:
    """A region a click may land on; ``key`` names what is behind it, ``tip`` says it in words."""

    x: float
    y: float
    w: float
    h: float
    key: tuple
    tip: str = ""

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    shapes: tuple[Box | Rule | Text | Mark, ...]
    hits: tuple[Hit, ...] = ()

    def hit(self, x: float, y: float) -> Hit | None:
        """What is under ``x, y`` (points, origin at the bottom left), the nearest mark first."""
        inside = [h for h in self.hits if h.contains(x, y)]
        if not inside:
            return None
        return min(inside, key=lambda h: (h.x + h.w / 2 - x) ** 2 + (h.y + h.h / 2 - y) ** 2)


@dataclass(frozen=True)
class Place:
    """A community for the map: its position (coordinates, or the distance from the tambo) and how
    recently it was served (an index of ``RECENCY_MARKS``)."""

    key: object
    name: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    recency: int
    tip: str = ""


# -- texts --------------------------------------------------------------------------------------


def fitted(text: str, width: float, size: float = 7, font: str = FONT) -> tuple[str, float]:
    """``text`` and a font size at which it fits ``width`` points: shrunk to 5.5 pt, then cut with «…»."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    while size > SMALLEST and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return (text.rstrip() + "…") if text else "", size


def text_width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    return stringWidth(text, FONT_BOLD if bold else FONT, size)


def nice_max(value: float) -> float:
    """The axis' top: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _text(shapes: list, x: float, y: float, text: str, width: float, size: float = 7, anchor: str = "start",
          bold: bool = False, color: str = INK) -> None:  # fmt: skip
    text, size = fitted(text, width, size, FONT_BOLD if bold else FONT)
    if text:
        shapes.append(Text(x, y, text, size, anchor, bold, color))


def _legend(shapes: list, x: float, y: float, items: Sequence[tuple[str, str, str]], width: float,
            per_row: int = 0) -> None:  # fmt: skip
    """``items``: (kind "bar" | "goal" | a mark's shape, colour, text), side by side from ``x``
    (``per_row`` in a row, the next rows 10 points lower; 0: all in one)."""
    per_row = per_row or len(items)
    room = width / max(1, per_row)
    for index, (kind, color, text) in enumerate(items):
        left = x + (index % per_row) * room
        y_row = y - 10 * (index // per_row)
        _legend_item(shapes, left, y_row, kind, color, text, room)


def _legend_item(shapes: list, left: float, y: float, kind: str, color: str, text: str, room: float) -> None:
    if kind == "goal":
        shapes.append(Rule(left, y + 3, left + 10, y + 3, color, 1.6))
    elif kind == "bar":
        shapes.append(Box(left, y, 10, 6, color))
    else:
        fill, stroke = color.split("/")
        shapes.append(Mark(left + 4, y + 3, 3.6, kind, fill, stroke))
    _text(shapes, left + 13, y, text, room - 16, 7)


# -- the charts ---------------------------------------------------------------------------------


def column_shapes(labels: Sequence[str], values: Sequence[int], goals: Sequence[int | None], width: float,
                  height: float, legend: Sequence[str], keys: Sequence[tuple] = (),
                  tips: Sequence[str] = (), short_labels: bool = False) -> Chart:  # fmt: skip
    """Columns (atenciones) with each one's goal as a black tick; ``legend``: (values' name, goal's
    name); a click on a column's slot names ``keys[i]``."""
    shapes: list = []
    left, bottom, top = 40, 16, 24  # the legend above the plot, clear of the axis' top value
    plot_w, plot_h = width - left - 4, height - bottom - top
    top_value = nice_max(max([*values, *(g or 0 for g in goals), 1]))
    for i in range(5):
        y = bottom + plot_h * i / 4
        shapes.append(Rule(left, y, left + plot_w, y, PALE if i else RULE, 0.5))
        _text(shapes, left - 3, y - 2.5, format_number(round(top_value * i / 4)), left - 4, 6.5, "end", color=MUTED)
    slot = plot_w / max(1, len(labels))
    bar = min(slot * 0.62, 36)
    hits = []
    for index, (name, value, goal) in enumerate(zip(labels, values, goals, strict=True)):
        centre = left + slot * (index + 0.5)
        h = plot_h * value / top_value
        shapes.append(Box(centre - bar / 2, bottom, bar, h, DARK))
        if goal is not None:
            y = bottom + plot_h * goal / top_value
            shapes.append(Rule(centre - slot * 0.45, y, centre + slot * 0.45, y, GOAL, 1.6))
        if short_labels and text_width(name, SMALLEST) > slot - 2:  # "mar 26" → "mar": the axis' months in turn
            name = name.split(" ")[0]
        _text(shapes, centre, bottom - 9, name, slot - 2, 6.5, "middle")
        figure = format_number(value)
        if value and h > 9 and text_width(figure, SMALLEST) <= bar:  # inside the bar at its foot; a number is never cut
            _text(shapes, centre, bottom + 3, figure, bar, 5.5, "middle", color=WHITE)
        if index < len(keys):
            hits.append(
                Hit(centre - slot / 2, 0, slot, height - top, keys[index], tips[index] if index < len(tips) else "")
            )
    _legend(shapes, left, height - 10, [("bar", DARK, legend[0]), ("goal", GOAL, legend[1])], plot_w)
    return Chart(width, height, tuple(shapes), tuple(hits))


def bar_shapes(labels: Sequence[str], values: Sequence[int], goals: Sequence[int | None], width: float,
               legend: Sequence[str], row: float = 13, keys: Sequence[tuple] = (), tips: Sequence[str] = (),
               height: float | None = None) -> Chart:  # fmt: skip
    """Horizontal bars (one per entity) with each one's goal as a black tick; as tall as its rows
    (or ``height``, the rows then sharing it)."""
    shapes: list = []
    if height is None:
        height = 30 + row * max(1, len(labels))
    else:
        row = (height - 30) / max(1, len(labels))
    left, bottom, top = 70, 14, 16
    plot_w = width - left - 30
    top_value = nice_max(max([*values, *(g or 0 for g in goals), 1]))
    for i in range(5):
        x = left + plot_w * i / 4
        shapes.append(Rule(x, bottom, x, height - top, PALE if i else RULE, 0.5))
        _text(shapes, x, bottom - 9, format_number(round(top_value * i / 4)), plot_w / 4, 6, "middle", color=MUTED)
    hits = []
    size = min(7, max(SMALLEST, row * 0.55))
    for index, (name, value, goal) in enumerate(zip(labels, values, goals, strict=True)):
        y = height - top - row * (index + 1)
        w = plot_w * value / top_value
        shapes.append(Box(left, y + row * 0.18, w, row * 0.64, DARK))
        if goal is not None:
            x = left + plot_w * goal / top_value
            shapes.append(Rule(x, y + 0.5, x, y + row - 0.5, GOAL, 1.6))
        _text(shapes, left - 4, y + row * 0.5 - size * 0.35, name, left - 6, size, "end")
        figure_x = left + w + 3
        if goal is not None:  # the number clear of the goal's tick, after it when the tick is in its way
            tick = left + plot_w * goal / top_value
            if figure_x - 2 <= tick <= figure_x + text_width(format_number(value), min(6.5, size)) + 1:
                figure_x = tick + 3
        _text(shapes, figure_x, y + row * 0.5 - size * 0.35, format_number(value), 40, min(6.5, size))
        if index < len(keys):
            hits.append(Hit(0, y, width, row, keys[index], tips[index] if index < len(tips) else ""))
    _legend(shapes, left, height - 10, [("bar", DARK, legend[0]), ("goal", GOAL, legend[1])], plot_w)
    return Chart(width, height, tuple(shapes), tuple(hits))


def pyramid_shapes(labels: Sequence[str], left_values: Sequence[int], right_values: Sequence[int], width: float,
                   names: Sequence[str], row: float = 15, keys: Sequence[tuple[tuple, tuple]] = (),
                   height: float | None = None, title: str = "") -> Chart:  # fmt: skip
    """A population pyramid: ``labels`` (youngest first, drawn at the bottom) in the middle,
    ``left_values`` (men) to the left and ``right_values`` (women) to the right; ``keys[i]``: the
    keys of the row's (men's, women's) bars."""
    shapes: list = []
    if height is None:
        height = 28 + row * max(1, len(labels))
    else:
        row = (height - 28) / max(1, len(labels))
    middle = min(200, width * 0.4)
    side = (width - middle) / 2 - 28
    centre_l, centre_r = (width - middle) / 2, (width + middle) / 2
    top_value = nice_max(max([*left_values, *right_values, 1]))
    size = min(7, max(SMALLEST, row * 0.5))
    # the sexes' names above their sides, each with its shade's key: it reads without colour
    shapes.append(Box(centre_l - 10, height - 10, 8, 7, DARK))
    _text(shapes, centre_l - 13, height - 10, names[0], side, 7.5, "end", True)
    shapes.append(Box(centre_r + 2, height - 10, 8, 7, LIGHT, DARK, 0.4))
    _text(shapes, centre_r + 13, height - 10, names[1], side, 7.5, "start", True)
    if title:  # what the bars count, between the sexes' names
        _text(shapes, width / 2, height - 10, title, middle - 6, 7, "middle", color=MUTED)
    hits = []
    for index, (name, men, women) in enumerate(zip(labels, left_values, right_values, strict=True)):
        y = 4 + row * index
        base = y + row * 0.5 - size * 0.35
        wl, wr = side * men / top_value, side * women / top_value
        shapes.append(Box(centre_l - wl, y + row * 0.12, wl, row * 0.76, DARK))
        shapes.append(Box(centre_r, y + row * 0.12, wr, row * 0.76, LIGHT, DARK if wr else None, 0.4))
        _text(shapes, width / 2, base, name, middle - 6, size, "middle")
        _text(shapes, centre_l - wl - 3, base, format_number(men), 26, min(6.5, size), "end")
        _text(shapes, centre_r + wr + 3, base, format_number(women), 26, min(6.5, size))
        if index < len(keys):
            men_key, women_key = keys[index]
            hits.append(Hit(0, y, centre_l, row, men_key, f"{name} · {names[0]}: {format_number(men)}"))
            hits.append(
                Hit(centre_r, y, width - centre_r, row, women_key, f"{name} · {names[1]}: {format_number(women)}")
            )
    return Chart(width, height, tuple(shapes), tuple(hits))


def share_shapes(rows: Sequence[tuple[str, float | None]], width: float, row: float = 24) -> Chart:
    """One bar per ``(caption, fraction)`` from 0 to 100 %, the caption above it, the share beside."""
    shapes: list = []
    height = row * len(rows) + 4
    bar_w = width - 44
    for index, (caption, fraction) in enumerate(rows):
        y = height - row * (index + 1)
        _text(shapes, 0, y + 12, caption, width, 7.5)
        shapes.append(Box(0, y + 2, bar_w, 7, PALE, RULE, 0.4))
        if fraction:
            shapes.append(Box(0, y + 2, bar_w * min(1.0, fraction), 7, DARK))
        _text(shapes, bar_w + 4, y + 2.5, "—" if fraction is None else format_percent(fraction), 40, 7, bold=True)
    return Chart(width, height, tuple(shapes))


def map_shapes(places: Sequence[Place], width: float, height: float, legend: Sequence[str], centre: str,
               unplaced: str = "") -> Chart:  # fmt: skip
    """The communities of the ámbito, each a mark at its coordinates (north up, east right) or, when
    most have none, at its distance from the tambo (rings every so many km, in the order given),
    its shape and shade saying how recently it was served (``legend``: one text per
    ``RECENCY_MARKS``). Names are written where they fit; every mark is clickable. ``unplaced``: a
    text with ``{n}``, said of the communities with neither coordinates nor a distance."""
    shapes: list = []
    hits: list = []
    items = [
        (shape, f"{fill}/{stroke}", text) for (shape, fill, stroke), text in zip(RECENCY_MARKS, legend, strict=True)
    ]
    longest = max(text_width(t, 7) for t in legend) + 18
    per_row = 4 if longest * 4 <= width - 8 else 2  # two rows of two when the four do not fit their texts
    legend_h = 12 if per_row == 4 else 22
    _legend(shapes, 4, height - 9, items, width - 8, per_row)
    top, bottom, side = height - legend_h - 8, 11 if unplaced else 4, 6
    plot = (side, bottom, width - side, top)  # left, bottom, right, top
    shapes.append(Box(plot[0], plot[1], plot[2] - plot[0], plot[3] - plot[1], None, PALE, 0.5))
    with_coordinates = [p for p in places if p.latitude is not None and p.longitude is not None]
    positions: dict[int, tuple[float, float]] = {}
    north = (0.0, 0.0, 0.0, 0.0)
    if places and len(with_coordinates) * 2 >= len(places):
        lat0 = sum(p.latitude for p in with_coordinates) / len(with_coordinates)  # type: ignore[misc]
        squeeze = math.cos(math.radians(lat0))
        xs = [p.longitude * squeeze for p in with_coordinates]  # type: ignore[operator]
        ys = [p.latitude for p in with_coordinates]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
        room_w, room_h = plot[2] - plot[0] - 24, plot[3] - plot[1] - 16
        sx = room_w / max(max(xs) - min(xs), span * 0.05)
        sy = room_h / max(max(ys) - min(ys), span * 0.05)
        # north stays up and east right; a box much wider (or taller) than the ámbito stretches it
        # up to 2.5 times the other way, so that the communities are not huddled in its middle
        scale_x, scale_y = min(sx, 2.5 * min(sx, sy)), min(sy, 2.5 * min(sx, sy))
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        mid_x, mid_y = (plot[0] + plot[2]) / 2, (plot[1] + plot[3]) / 2
        for index, p in enumerate(places):
            if p.latitude is not None and p.longitude is not None:
                positions[index] = (mid_x + (p.longitude * squeeze - cx) * scale_x, mid_y + (p.latitude - cy) * scale_y)  # type: ignore[operator]
        _text(shapes, plot[2] - 3, plot[3] - 8, "N ↑", 20, 6.5, "end", color=MUTED)
        north = (plot[2] - 20, plot[3] - 10, plot[2], plot[3])
    else:  # by distance: the tambo in the middle, rings of km, the communities around in turn
        mid_x, mid_y = (plot[0] + plot[2]) / 2, (plot[1] + plot[3]) / 2
        radius = min(plot[2] - plot[0], plot[3] - plot[1]) / 2 - 8
        far = nice_max(max([float(p.distance_km or 0) for p in places] + [1]))
        for ring in (0.5, 1.0):
            r = radius * ring
            steps = 48
            for i in range(steps):
                a1, a2 = 2 * math.pi * i / steps, 2 * math.pi * (i + 0.5) / steps  # dashed
                shapes.append(Rule(mid_x + r * math.cos(a1), mid_y + r * math.sin(a1), mid_x + r * math.cos(a2),
                                   mid_y + r * math.sin(a2), RULE, 0.5))  # fmt: skip
            _text(shapes, mid_x + 2, mid_y + r + 1.5, f"{format_number(far * ring)} km", 40, 6, color=MUTED)
        shapes.append(Box(mid_x - 3, mid_y - 3, 6, 6, INK))
        _text(shapes, mid_x + 5, mid_y - 8, centre, 80, 6.5, color=MUTED)
        located = [i for i, p in enumerate(places) if p.distance_km is not None]
        for turn, index in enumerate(located):
            angle = math.pi / 2 - 2 * math.pi * turn / max(1, len(located))
            r = radius * float(places[index].distance_km or 0) / far
            positions[index] = (mid_x + r * math.cos(angle), mid_y + r * math.sin(angle))
    mark_r = 4.2
    taken: list[tuple[float, float, float, float]] = [
        (x - mark_r, y - mark_r, x + mark_r, y + mark_r) for x, y in positions.values()
    ]
    if with_coordinates and len(with_coordinates) * 2 >= len(places):
        taken.append(north)
    # the least recently served drawn last: a hollow ring is never hidden under a filled mark
    for index in sorted(positions, key=lambda i: places[i].recency):
        p, (x, y) = places[index], positions[index]
        shape, fill, stroke = RECENCY_MARKS[p.recency]
        shapes.append(Mark(x, y, mark_r, shape, fill, stroke))
        hits.append(Hit(x - 8, y - 8, 16, 16, ("community", p.key), p.tip or p.name))
    for index in sorted(positions, key=lambda i: (places[i].recency, places[i].name)):  # names of the recent first
        p, (x, y) = places[index], positions[index]
        text, size = fitted(p.name, 90, 6.5)
        w = text_width(text, size)
        for lx, anchor in ((x + mark_r + 2, "start"), (x - mark_r - 2, "end")):
            box = (lx if anchor == "start" else lx - w, y - 2.5, (lx + w) if anchor == "start" else lx, y + size - 1.5)
            inside = box[0] >= plot[0] + 1 and box[2] <= plot[2] - 1 and box[1] >= plot[1] and box[3] <= plot[3] - 1
            clear = all(
                box[2] < t[0] or box[0] > t[2] or box[3] < t[1] or box[1] > t[3]
                for t in taken
                if t != (x - mark_r, y - mark_r, x + mark_r, y + mark_r)
            )
            if inside and clear:
                shapes.append(Text(lx, y - 2.2, text, size, anchor, False, INK))
                taken.append(box)
                break
    missing = len(places) - len(positions)
    if unplaced and missing:
        _text(shapes, plot[0], 1.5, unplaced.format(n=missing), width - 12, 6.5, color=MUTED)
    return Chart(width, height, tuple(shapes), tuple(hits))


def map_of(places: Sequence[Place], width: float, height: float, legend: Sequence[str] = ()) -> Chart:
    """:func:`map_shapes` with its texts in the current language (the screen's and the report's map);
    ``legend``: the four ages' texts, when not just ``RECENCY_LEGEND`` translated (the report adds the Spanish)."""
    legend = legend or [_(t) for t in RECENCY_LEGEND]
    return map_shapes(places, width, height, legend, pgettext("map", "Tambo"), _(L_UNPLACED))


# -- print: the shapes as a reportlab drawing -----------------------------------------------------


def mark_points(mark: Mark) -> list[float]:
    """The corners of a diamond or a triangle mark, x and y in turn."""
    x, y, r = mark.x, mark.y, mark.r
    if mark.shape == "diamond":
        return [x, y + r * 1.15, x + r * 1.15, y, x, y - r * 1.15, x - r * 1.15, y]
    return [x, y + r * 1.2, x + r * 1.1, y - r * 0.8, x - r * 1.1, y - r * 0.8]


def drawing(chart: Chart):
    """The chart as a reportlab ``Drawing`` (a flowable of the chart's width)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
    from reportlab.lib import colors

    def colour(value: str | None):
        return colors.HexColor(value) if value else None

    register_fonts()
    out = Drawing(chart.width, chart.height)
    for s in chart.shapes:
        if isinstance(s, Box):
            out.add(
                Rect(
                    s.x,
                    s.y,
                    s.w,
                    s.h,
                    fillColor=colour(s.fill),
                    strokeColor=colour(s.stroke),
                    strokeWidth=s.stroke_width,
                )
            )
        elif isinstance(s, Rule):
            out.add(Line(s.x1, s.y1, s.x2, s.y2, strokeColor=colour(s.color), strokeWidth=s.width))
        elif isinstance(s, Text):
            out.add(String(s.x, s.y, s.text, fontName=FONT_BOLD if s.bold else FONT, fontSize=s.size, textAnchor=s.anchor,
                           fillColor=colour(s.color)))  # fmt: skip
        elif s.shape in ("circle", "ring"):
            out.add(Circle(s.x, s.y, s.r, fillColor=colour(s.fill), strokeColor=colour(s.stroke), strokeWidth=0.8))
        else:
            out.add(Polygon(mark_points(s), fillColor=colour(s.fill), strokeColor=colour(s.stroke), strokeWidth=0.8))
    return out


def column_chart(labels: Sequence[str], values: Sequence[int], goals: Sequence[int | None], width: float,
                 height: float, legend: Sequence[str]):  # fmt: skip
    """:func:`column_shapes` as a reportlab drawing (the report)."""
    return drawing(column_shapes(labels, values, goals, width, height, legend))


def bar_chart(labels: Sequence[str], values: Sequence[int], goals: Sequence[int | None], width: float,
              legend: Sequence[str], row: float = 13):  # fmt: skip
    return drawing(bar_shapes(labels, values, goals, width, legend, row))


def pyramid(labels: Sequence[str], left_values: Sequence[int], right_values: Sequence[int], width: float,
            names: Sequence[str], row: float = 15):  # fmt: skip
    return drawing(pyramid_shapes(labels, left_values, right_values, width, names, row))


def share_bars(rows: Sequence[tuple[str, float | None]], width: float, row: float = 24):
    return drawing(share_shapes(rows, width, row))
