"""Vector pictograms for printed flyers, one per service category (pure reportlab).

Every pictogram is drawn from paths, circles and rectangles only: no image files and no
fonts, so a flyer stays small and sharp, and the marks stay legible when photocopied in
black and white down to about 12 mm. Shapes are designed on a 100 x 100 grid (lower-left
origin) that is scaled onto the requested square; every mark keeps a margin of about
5 units (never under 4) from the square's edge, and lines are about ``size / 14`` wide.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.lib.colors import toColor
from reportlab.platypus import Flowable

from tambo_desktop.vocabulary import SERVICE_CATEGORIES

CATEGORIES: tuple[str, ...] = tuple(SERVICE_CATEGORIES)  # one pictogram per service category

GRID = 100.0  # design units per side of the square
LINE = 7.0  # standard stroke, in design units (about size / 14)

Point = tuple[float, float]


# -- small drawing helpers ------------------------------------------------------------------------


def _polygon(c, points: Sequence[Point], *, fill: bool = True, stroke: bool = False) -> None:
    """A closed polygon through ``points``."""
    path = c.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    c.drawPath(path, stroke=int(stroke), fill=int(fill))


def _polyline(c, points: Sequence[Point]) -> None:
    """An open stroked line through ``points``."""
    path = c.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    c.drawPath(path, stroke=1, fill=0)


def _person(c, cx: float, base: float, width: float, head: float) -> None:
    """A head-and-shoulders silhouette centred on ``cx``, standing on ``base``."""
    half = width / 2
    top = base + width * 0.62
    path = c.beginPath()
    path.moveTo(cx - half, base)
    path.curveTo(cx - half, top - width * 0.1, cx - half * 0.55, top, cx, top)
    path.curveTo(cx + half * 0.55, top, cx + half, top - width * 0.1, cx + half, base)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    c.circle(cx, top + head * 0.35 + head, head, stroke=0, fill=1)


# -- the pictograms -------------------------------------------------------------------------------


def _health(c) -> None:
    """A bold plus sign in a ring."""
    c.circle(50, 50, 41, stroke=1, fill=0)
    c.roundRect(40, 24, 20, 52, 3, stroke=0, fill=1)
    c.roundRect(24, 40, 52, 20, 3, stroke=0, fill=1)


def _identity(c) -> None:
    """An ID card with a portrait and three lines of 'text'."""
    c.roundRect(9, 19, 82, 62, 8, stroke=1, fill=0)
    _person(c, 32, 26, 30, 8.5)
    for y in (60, 47, 34):
        c.roundRect(56, y, 26, 7, 3.5, stroke=0, fill=1)


def _coin_stack(c, cx: float, rx: float, coins: int) -> None:
    """A stack of ``coins`` coins seen slightly from above, centred on ``cx``, from y = 14 up."""
    ry, height, gap = 6.0, 9.0, 4.0
    y = 14.0
    for _ in range(coins):
        band = c.beginPath()
        band.moveTo(cx - rx, y)
        band.curveTo(cx - rx, y - ry * 1.33, cx + rx, y - ry * 1.33, cx + rx, y)
        band.lineTo(cx + rx, y + height)
        band.curveTo(cx + rx, y + height - ry * 1.33, cx - rx, y + height - ry * 1.33, cx - rx, y + height)
        band.close()
        c.drawPath(band, stroke=0, fill=1)
        y += height + gap
    c.ellipse(cx - rx, y - ry, cx + rx, y + ry, stroke=0, fill=1)


def _banking(c) -> None:
    """Two stacks of coins, a tall one and a short one (savings, money)."""
    _coin_stack(c, 29, 20, 5)
    _coin_stack(c, 71, 18, 2)


def _social(c) -> None:
    """Three people side by side, the middle one in front and taller."""
    _person(c, 19, 24, 24, 8.5)
    _person(c, 81, 24, 24, 8.5)
    _person(c, 50, 24, 32, 12)


def _education(c) -> None:
    """An open book with lines of text on both pages."""
    c.setLineWidth(LINE * 0.85)
    for sign in (-1, 1):

        def px(u: float, s: int = sign) -> float:
            return 50 + s * u

        path = c.beginPath()
        path.moveTo(px(5), 22)
        path.curveTo(px(16), 28, px(30), 28, px(43), 24)
        path.lineTo(px(43), 76)
        path.curveTo(px(30), 80, px(16), 80, px(5), 74)
        path.close()
        c.drawPath(path, stroke=1, fill=0)
        for y in (62, 50, 38):
            c.line(px(12), y + 2, px(35), y + 3)


def _production(c) -> None:
    """A seedling with two leaves sprouting from a mound of earth."""
    path = c.beginPath()
    path.moveTo(12, 8)
    path.curveTo(24, 24, 76, 24, 88, 8)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    c.line(50, 18, 50, 70)
    for sign, base, tip in ((-1, 38, 60), (1, 52, 74)):

        def px(u: float, s: int = sign) -> float:
            return 50 + s * u

        leaf = c.beginPath()
        leaf.moveTo(px(1), base)
        leaf.curveTo(px(8), tip + 2, px(22), tip + 8, px(38), tip + 6)
        leaf.curveTo(px(32), tip - 10, px(18), base - 2, px(1), base)
        leaf.close()
        c.drawPath(leaf, stroke=0, fill=1)
    bud = c.beginPath()
    bud.moveTo(50, 66)
    bud.curveTo(58, 74, 60, 84, 50, 93)
    bud.curveTo(40, 84, 42, 74, 50, 66)
    bud.close()
    c.drawPath(bud, stroke=0, fill=1)


def _protection(c) -> None:
    """A shield outline with a check mark."""
    path = c.beginPath()
    path.moveTo(50, 91)
    path.curveTo(62, 85, 74, 82, 86, 82)
    path.lineTo(86, 54)
    path.curveTo(86, 32, 70, 18, 50, 9)
    path.curveTo(30, 18, 14, 32, 14, 54)
    path.lineTo(14, 82)
    path.curveTo(26, 82, 38, 85, 50, 91)
    path.close()
    c.drawPath(path, stroke=1, fill=0)
    c.setLineWidth(LINE * 1.3)
    _polyline(c, [(33, 52), (45, 39), (67, 63)])


def _culture(c) -> None:
    """A drum (bombo) with laced cords and two crossed drumsticks."""
    c.setLineWidth(LINE * 0.85)
    c.ellipse(18, 50, 82, 66, stroke=1, fill=0)
    body = c.beginPath()
    body.moveTo(18, 58)
    body.lineTo(18, 22)
    body.curveTo(18, 11, 82, 11, 82, 22)
    body.lineTo(82, 58)
    c.drawPath(body, stroke=1, fill=0)
    c.setLineWidth(LINE * 0.6)
    _polyline(c, [(18, 44), (34, 20), (50, 45), (66, 20), (82, 44)])
    c.setLineWidth(LINE * 0.85)
    c.line(22, 91, 56, 70)
    c.line(78, 91, 44, 70)
    c.circle(22, 91, 4.5, stroke=0, fill=1)
    c.circle(78, 91, 4.5, stroke=0, fill=1)


def _housing(c) -> None:
    """A house with a water drop on its front (dwelling and water/sanitation)."""
    _polygon(c, [(10, 54), (50, 89), (90, 54)], stroke=True)
    _polyline(c, [(20, 50), (20, 11), (80, 11), (80, 50)])
    drop = c.beginPath()
    drop.moveTo(50, 46)
    drop.curveTo(45, 39, 39, 33, 39, 27)
    drop.curveTo(39, 21, 44, 17, 50, 17)
    drop.curveTo(56, 17, 61, 21, 61, 27)
    drop.curveTo(61, 33, 55, 39, 50, 46)
    drop.close()
    c.drawPath(drop, stroke=0, fill=1)


def _environment(c) -> None:
    """A broad-leaved tree on a line of ground."""
    c.rect(45, 10, 10, 40, stroke=0, fill=1)
    for cx, cy, r in ((50, 69, 21), (31, 56, 16), (69, 56, 16), (50, 50, 14)):
        c.circle(cx, cy, r, stroke=0, fill=1)
    c.line(20, 10, 80, 10)


def _energy(c) -> None:
    """A lightning bolt."""
    c.setLineWidth(LINE * 0.4)
    _polygon(c, [(54, 94), (22, 45), (45, 45), (36, 6), (79, 58), (56, 58), (74, 94)], stroke=True)


def _connectivity(c) -> None:
    """A radio mast sending waves to both sides."""
    _polyline(c, [(32, 9), (50, 60), (68, 9)])
    c.line(38.5, 28, 61.5, 28)
    c.circle(50, 67, 7, stroke=0, fill=1)
    for radius in (18, 31):
        for start in (140, -40):
            path = c.beginPath()
            path.arc(50 - radius, 67 - radius, 50 + radius, 67 + radius, startAng=start, extent=80)
            c.drawPath(path, stroke=1, fill=0)


def _risk(c) -> None:
    """A warning triangle with an exclamation mark made of shapes."""
    _polygon(c, [(50, 90), (8, 15), (92, 15)], fill=False, stroke=True)
    c.setLineWidth(LINE * 0.4)
    _polygon(c, [(44.5, 69), (55.5, 69), (52.5, 39), (47.5, 39)], stroke=True)
    c.circle(50, 29, 5.5, stroke=0, fill=1)


def _governance(c) -> None:
    """A public building: pediment, four columns and steps."""
    _polygon(c, [(8, 72), (50, 92), (92, 72)], stroke=True)
    c.rect(12, 60, 76, 8, stroke=0, fill=1)
    for cx in (22, 40, 60, 78):
        c.rect(cx - 4.5, 24, 9, 32, stroke=0, fill=1)
    c.rect(12, 16, 76, 6, stroke=0, fill=1)
    c.rect(7, 8, 86, 6, stroke=0, fill=1)


def _unknown(c) -> None:
    """A generic mark: a five-pointed star in a ring."""
    c.circle(50, 50, 41, stroke=1, fill=0)
    points = []
    for i in range(10):
        angle = math.radians(90 + 36 * i)
        radius = 27 if i % 2 == 0 else 11
        points.append((50 + radius * math.cos(angle), 47 + radius * math.sin(angle)))
    _polygon(c, points)


_DRAWERS: dict[str, Callable[..., None]] = {
    "health": _health,
    "identity": _identity,
    "banking": _banking,
    "social": _social,
    "education": _education,
    "production": _production,
    "protection": _protection,
    "culture": _culture,
    "housing": _housing,
    "environment": _environment,
    "energy": _energy,
    "connectivity": _connectivity,
    "risk": _risk,
    "governance": _governance,
}


# -- public API -----------------------------------------------------------------------------------


def draw(canvas, category: str, x: float, y: float, size: float, ink: str = "#000000") -> None:
    """Draw the pictogram of ``category`` in the square (x, y, size, size) (points, lower-left origin) of a reportlab canvas."""
    colour = toColor(ink)
    canvas.saveState()
    try:
        canvas.translate(x, y)
        canvas.scale(size / GRID, size / GRID)
        canvas.setFillColor(colour)
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(LINE)
        canvas.setLineCap(1)  # round
        canvas.setLineJoin(1)  # round
        canvas.setDash([])
        _DRAWERS.get(category, _unknown)(canvas)
    finally:
        canvas.restoreState()


class Pictogram(Flowable):
    """A platypus flowable showing one category pictogram in a ``size`` x ``size`` square (points)."""

    def __init__(self, category: str, size: float) -> None:
        super().__init__()
        self.category = category
        self.size = size
        self.width = size
        self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The pictogram always takes its own square."""
        return self.size, self.size

    def draw(self) -> None:
        """Draw onto the flowable's canvas at its origin."""
        draw(self.canv, self.category, 0, 0, self.size)
