"""The application icon: exported from its SVG at every size, readable at 16 px, used by the windows."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSize

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_icons  # noqa: E402


def _colours(image: Image.Image) -> dict[str, int]:
    """How many opaque pixels of the roof (red-brown), the sun (gold), the wall (adobe), the sky (blue)."""
    counts = {"roof": 0, "sun": 0, "wall": 0, "sky": 0}
    data = image.tobytes()
    for i in range(0, len(data), 4):
        r, g, b, a = data[i : i + 4]
        if a < 200:
            continue
        if r > 150 and 40 < g < 110 and b < 70:
            counts["roof"] += 1
        elif r > 220 and 160 < g < 220 and b < 80:
            counts["sun"] += 1
        elif r > 220 and g > 200 and 160 < b < 215:
            counts["wall"] += 1
        elif b > 150 and r < 80:
            counts["sky"] += 1
    return counts


def test_every_size_is_exported_with_a_transparent_rounded_tile_and_the_house_readable(tmp_path):
    build_icons.build(tmp_path, force=True)
    for n in build_icons.SIZES:
        image = Image.open(tmp_path / "hicolor" / f"{n}x{n}" / "apps" / "tambo-desktop.png").convert("RGBA")
        assert image.size == (n, n)
        assert image.getpixel((0, 0))[3] == 0 and image.getpixel((n - 1, n - 1))[3] == 0  # rounded corners
        counts = _colours(image)
        # even at 16 px the roof, the sun, the wall and the sky each keep a visible patch
        floor = max(2, n * n // 200)
        assert all(count >= floor for count in counts.values()), (n, counts)
    ico = Image.open(tmp_path / "tambo-desktop.ico")
    assert ico.ico.sizes() == {(n, n) for n in build_icons.ICO_SIZES}
    assert Image.open(tmp_path / "tambo-desktop.png").size == (256, 256)
    assert build_icons.up_to_date(tmp_path)


def test_the_application_and_its_windows_carry_the_icon_in_every_size(qapp):
    from PySide6.QtWidgets import QMainWindow

    from tambo_desktop.gui.app import create_application

    app = create_application()
    sizes = set(app.windowIcon().availableSizes())
    assert {QSize(n, n) for n in (16, 24, 32, 48, 256)} <= sizes
    window = QMainWindow()
    assert window.windowIcon().cacheKey() == app.windowIcon().cacheKey()
    small = window.windowIcon().pixmap(QSize(16, 16)).toImage()
    assert small.width() == 16 and small.pixelColor(8, 8).alpha() == 255
