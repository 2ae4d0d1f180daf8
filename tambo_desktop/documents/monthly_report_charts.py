"""The monthly report's charts, drawn with reportlab.graphics (vector, in the PDF itself).

Each function takes plain values and returns a ``Drawing`` (a flowable of the given width). They
read in black and white (the tambo's printer): the atenciones are dark bars, the goals a black
tick across each bar's slot, women and men two different greys with their names written beside
the bars. Every text is measured and shrunk (down to 5.5 pt) or cut with «…» so nothing leaves
its place, whatever the language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tambo_desktop.documents.style import FONT, FONT_BOLD, INK, MUTED, RULE, register_fonts
from tambo_desktop.i18n import format_number, format_percent

DARK = "#3e4c59"
LIGHT = "#9aa5b1"
PALE = "#e4e7eb"
GOAL = "#000000"
SMALLEST = 5.5


def fitted(text: str, width: float, size: float = 7, font: str = FONT) -> tuple[str, float]:
    """``text`` and a font size at which it fits ``width`` points: shrunk to 5.5 pt, then cut with «…»."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > SMALLEST and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return (text.rstrip() + "…") if text else "", size


def nice_max(value: float) -> float:
    """The axis' top: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _string(drawing, x: float, y: float, text: str, width: float, size: float = 7, anchor: str = "start",
            font: str = FONT, color: str = INK) -> None:  # fmt: skip
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    text, size = fitted(text, width, size, font)
    drawing.add(String(x, y, text, fontName=font, fontSize=size, textAnchor=anchor, fillColor=colors.HexColor(color)))


def _legend(drawing, x: float, y: float, items: Sequence[tuple[str, str, str]], width: float) -> None:
    """``items``: (kind "bar" | "goal", colour, text), side by side from ``x``."""
    from reportlab.graphics.shapes import Line, Rect
    from reportlab.lib import colors

    room = width / max(1, len(items))
    for index, (kind, color, text) in enumerate(items):
        left = x + index * room
        if kind == "goal":
            drawing.add(Line(left, y + 3, left + 10, y + 3, strokeColor=colors.HexColor(color), strokeWidth=1.6))
        else:
            drawing.add(Rect(left, y, 10, 6, fillColor=colors.HexColor(color), strokeColor=None))
        _string(drawing, left + 13, y, text, room - 16, 7)


def column_chart(labels: Sequence[str], values: Sequence[int], goals: Sequence[int | None], width: float,
                 height: float, legend: Sequence[str]):  # fmt: skip
    """Columns (atenciones) with each one's goal as a black tick; ``legend``: (values' name, goal's name)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect
    from reportlab.lib import colors

    register_fonts()
    drawing = Drawing(width, height)
    left, bottom, top = 40, 16, 24  # the legend above the plot, clear of the axis' top value
    plot_w, plot_h = width - left - 4, height - bottom - top
    top_value = nice_max(max([*values, *(g or 0 for g in goals), 1]))
    for i in range(5):
        y = bottom + plot_h * i / 4
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor(PALE if i else RULE), strokeWidth=0.5))
        _string(drawing, left - 3, y - 2.5, format_number(round(top_value * i / 4)), left - 4, 6.5, "end", color=MUTED)
    slot = plot_w / max(1, len(labels))
    bar = min(slot * 0.62, 36)
    for index, (name, value, goal) in enumerate(zip(labels, values, goals, strict=True)):
        centre = left + slot * (index + 0.5)
        h = plot_h * value / top_value
        drawing.add(Rect(centre - bar / 2, bottom, bar, h, fillColor=colors.HexColor(DARK), strokeColor=None))
        if goal is not None:
            y = bottom + plot_h * goal / top_value
            drawing.add(Line(centre - slot * 0.45, y, centre + slot * 0.45, y, strokeColor=colors.HexColor(GOAL), strokeWidth=1.6))
        _string(drawing, centre, bottom - 9, name, slot - 2, 6.5, "middle")
        if value and h > 9:  # inside the bar at its foot, clear of the goal's tick
            _string(drawing, centre, bottom + 3, format_number(value), bar, 5.5, "middle", color="#ffffff")
    _legend(drawing, left, height - 10, [("bar", DARK, legend[0]), ("goal", GOAL, legend[1])], plot_w)
    return drawing


def bar_chart(labels: Sequence[str], values: Sequence[int], goals: Sequence[int | None], width: float,
              legend: Sequence[str], row: float = 13):  # fmt: skip
    """Horizontal bars (one per entity) with each one's goal as a black tick; as tall as its rows."""
    from reportlab.graphics.shapes import Drawing, Line, Rect
    from reportlab.lib import colors

    register_fonts()
    height = 30 + row * max(1, len(labels))
    drawing = Drawing(width, height)
    left, bottom, top = 70, 14, 16
    plot_w = width - left - 30
    top_value = nice_max(max([*values, *(g or 0 for g in goals), 1]))
    for i in range(5):
        x = left + plot_w * i / 4
        drawing.add(Line(x, bottom, x, height - top, strokeColor=colors.HexColor(PALE if i else RULE), strokeWidth=0.5))
        _string(drawing, x, bottom - 9, format_number(round(top_value * i / 4)), plot_w / 4, 6, "middle", color=MUTED)
    for index, (name, value, goal) in enumerate(zip(labels, values, goals, strict=True)):
        y = height - top - row * (index + 1)
        w = plot_w * value / top_value
        drawing.add(Rect(left, y + row * 0.18, w, row * 0.64, fillColor=colors.HexColor(DARK), strokeColor=None))
        if goal is not None:
            x = left + plot_w * goal / top_value
            drawing.add(Line(x, y + 0.5, x, y + row - 0.5, strokeColor=colors.HexColor(GOAL), strokeWidth=1.6))
        _string(drawing, left - 4, y + row * 0.3, name, left - 6, 7, "end")
        _string(drawing, left + w + 3, y + row * 0.3, format_number(value), 40, 6.5)
    _legend(drawing, left, height - 10, [("bar", DARK, legend[0]), ("goal", GOAL, legend[1])], plot_w)
    return drawing


def pyramid(labels: Sequence[str], left_values: Sequence[int], right_values: Sequence[int], width: float,
            names: Sequence[str], row: float = 15):  # fmt: skip
    """A population pyramid: ``labels`` (youngest first, drawn at the bottom) in the middle,
    ``left_values`` (men) to the left and ``right_values`` (women) to the right."""
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    register_fonts()
    height = 28 + row * max(1, len(labels))
    drawing = Drawing(width, height)
    middle = min(200, width * 0.4)
    side = (width - middle) / 2 - 28
    centre_l, centre_r = (width - middle) / 2, (width + middle) / 2
    top_value = nice_max(max([*left_values, *right_values, 1]))
    _string(drawing, centre_l - 2, height - 10, names[0], side, 7.5, "end", FONT_BOLD)
    _string(drawing, centre_r + 2, height - 10, names[1], side, 7.5, "start", FONT_BOLD)
    for index, (name, men, women) in enumerate(zip(labels, left_values, right_values, strict=True)):
        y = 4 + row * index
        wl, wr = side * men / top_value, side * women / top_value
        drawing.add(Rect(centre_l - wl, y + row * 0.12, wl, row * 0.76, fillColor=colors.HexColor(DARK), strokeColor=None))
        drawing.add(Rect(centre_r, y + row * 0.12, wr, row * 0.76, fillColor=colors.HexColor(LIGHT), strokeColor=None))
        _string(drawing, width / 2, y + row * 0.32, name, middle - 6, 7, "middle")
        _string(drawing, centre_l - wl - 3, y + row * 0.32, format_number(men), 26, 6.5, "end")
        _string(drawing, centre_r + wr + 3, y + row * 0.32, format_number(women), 26, 6.5)
    return drawing


def share_bars(rows: Sequence[tuple[str, float | None]], width: float, row: float = 24):
    """One bar per ``(caption, fraction)`` from 0 to 100 %, the caption above it, the share beside."""
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    register_fonts()
    height = row * len(rows) + 4
    drawing = Drawing(width, height)
    bar_w = width - 44
    for index, (caption, fraction) in enumerate(rows):
        y = height - row * (index + 1)
        _string(drawing, 0, y + 12, caption, width, 7.5)
        drawing.add(Rect(0, y + 2, bar_w, 7, fillColor=colors.HexColor(PALE), strokeColor=colors.HexColor(RULE), strokeWidth=0.4))
        if fraction:
            drawing.add(Rect(0, y + 2, bar_w * min(1.0, fraction), 7, fillColor=colors.HexColor(DARK), strokeColor=None))
        _string(drawing, bar_w + 4, y + 2.5, "—" if fraction is None else format_percent(fraction), 40, 7, font=FONT_BOLD)
    return drawing
