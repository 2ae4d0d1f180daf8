"""Export the application icon from its SVG source: the PNG sizes Linux needs and the Windows .ico.

    python tools/build_icons.py [OUTDIR]      # default: resources/icons

Writes OUTDIR/hicolor/<n>x<n>/apps/tambo-desktop.png for every size, OUTDIR/tambo-desktop.png (256 px,
the window icon) and OUTDIR/tambo-desktop.ico (all sizes up to 256). These are generated at build time
(tools/build_assets.py all, the PyInstaller spec, setup.py) and kept out of git; only the SVG is source.
Rendered with Qt's QSvgRenderer (PySide6-Essentials has QtSvg, a build requirement already) in an
offscreen Qt; the .ico holds the PNGs as they are (no other dependency at build time).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "tambo-desktop.svg"
NAME = "tambo-desktop"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def outputs(out: Path) -> list[Path]:
    return [out / "hicolor" / f"{n}x{n}" / "apps" / f"{NAME}.png" for n in SIZES] + [
        out / f"{NAME}.png",
        out / f"{NAME}.ico",
    ]


def up_to_date(out: Path = ICONS) -> bool:
    source_time = max(SOURCE.stat().st_mtime, Path(__file__).stat().st_mtime)
    return all(p.is_file() and p.stat().st_mtime >= source_time for p in outputs(out))


def render(out: Path) -> list[Path]:
    """Render every size (in this process: needs a Qt that can run offscreen)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["build_icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    written = []
    for n in SIZES:
        image = QImage(n, n, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{n}x{n}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    largest = out / "hicolor" / "256x256" / "apps" / f"{NAME}.png"
    (out / f"{NAME}.png").write_bytes(largest.read_bytes())
    write_ico(
        out / f"{NAME}.ico",
        {n: (out / "hicolor" / f"{n}x{n}" / "apps" / f"{NAME}.png").read_bytes() for n in ICO_SIZES},
    )
    return [*written, out / f"{NAME}.png", out / f"{NAME}.ico"]


def write_ico(target: Path, pngs: dict[int, bytes]) -> None:
    """A Windows .ico holding each size as a PNG (the format Windows Vista and later read)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, offset = b"", 6 + 16 * len(pngs)
    for n, data in sorted(pngs.items()):
        entries += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(data), offset)  # 256 is written 0
        offset += len(data)
    target.write_bytes(header + entries + b"".join(data for _, data in sorted(pngs.items())))


def build(out: Path = ICONS, force: bool = False) -> None:
    """Export the icons unless they are newer than the SVG (in a child process, offscreen)."""
    if not force and up_to_date(out):
        return
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, __file__, str(out)], check=True, env=env)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ICONS
    for path in render(out):
        print(path.relative_to(out) if path.is_relative_to(out) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
