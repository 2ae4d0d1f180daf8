"""Flyer pictograms: pure reportlab vectors, one distinct, visible, font-free mark per category."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Table

from tambo_desktop.documents import pictograms
from tambo_desktop.documents.pictograms import CATEGORIES, Pictogram

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdffonts") is None, reason="poppler-utils not installed"
)

DPI = 100
SIZES = (12 * mm, 40 * mm)
GAP = 10 * mm  # blank paper around every square, so spill-over is detectable
KINDS = (*CATEGORIES, "no-such-category")
PAGE_WIDTH = len(KINDS) * (40 * mm + GAP) + GAP
PAGE_HEIGHT = 40 * mm + 12 * mm + 3 * GAP


def _square(index: int, size: float) -> tuple[float, float]:
    """Lower-left corner (points) of pictogram ``index`` at ``size``: 12 mm on the bottom row, 40 mm above."""
    x = GAP + index * (40 * mm + GAP)
    y = GAP if size < 20 * mm else 2 * GAP + 12 * mm
    return x, y


def _render(pdf: Path, colour: bool = False) -> Image.Image:
    """The first page of ``pdf`` rendered by poppler at DPI."""
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(stem)], check=True)
    image = Image.open(stem.with_suffix(".png"))
    return image.convert("RGB" if colour else "L")


def _crop(image: Image.Image, x: float, y: float, size: float, grow: float = 0.0) -> Image.Image:
    """The pixels of the square (x, y, size) in PDF points, optionally grown by ``grow`` points on each side."""
    scale = DPI / 72
    left = round((x - grow) * scale)
    top = round((PAGE_HEIGHT - y - size - grow) * scale)
    right = round((x + size + grow) * scale)
    bottom = round((PAGE_HEIGHT - y + grow) * scale)
    return image.crop((left, top, right, bottom))


def _dark(image: Image.Image) -> int:
    """How many pixels of a greyscale image are dark."""
    return sum(image.histogram()[:128])


def _fonts(pdf: Path) -> list[str]:
    """The font rows that ``pdffonts`` lists for ``pdf``."""
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return listing.splitlines()[2:]


@pytest.fixture(scope="module")
def baseline_fonts(tmp_path_factory) -> list[str]:
    """What pdffonts lists for a page with no text at all.

    Every reportlab page starts with ``BT /F1 12 Tf 14.4 TL ET`` (it selects the initial
    Helvetica without showing any text), so pdffonts lists that unembedded standard font
    even for a blank page; pictograms must not add anything to it.
    """
    pdf = tmp_path_factory.mktemp("blank") / "blank.pdf"
    canvas = Canvas(str(pdf))
    canvas.rect(10, 10, 50, 50, stroke=0, fill=1)
    canvas.save()
    return _fonts(pdf)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> tuple[Path, Image.Image]:
    """One PDF page with every pictogram (and an unknown category) at 12 mm and 40 mm, and its rendering."""
    pdf = tmp_path_factory.mktemp("pictograms") / "sheet.pdf"
    canvas = Canvas(str(pdf), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=0)
    for index, kind in enumerate(KINDS):
        for size in SIZES:
            pictograms.draw(canvas, kind, *_square(index, size), size)
    canvas.save()
    return pdf, _render(pdf)


def test_categories_are_the_fourteen_codes_in_order():
    assert CATEGORIES == (
        "health",
        "identity",
        "banking",
        "social",
        "education",
        "production",
        "protection",
        "culture",
        "housing",
        "environment",
        "energy",
        "connectivity",
        "risk",
        "governance",
    )


@pytest.mark.parametrize("size", SIZES, ids=["12mm", "40mm"])
@pytest.mark.parametrize("index", range(len(KINDS)), ids=KINDS)
def test_every_pictogram_is_visible_and_stays_inside_its_square(sheet, index, size):
    _, image = sheet
    x, y = _square(index, size)
    square = _crop(image, x, y, size)
    dark = _dark(square)
    total = square.width * square.height
    assert 0.05 * total < dark < 0.75 * total
    # Nothing spills over the square's edge (with one pixel of rasterisation slack).
    grown = _crop(image, x, y, size, grow=4 * 72 / DPI)
    assert _dark(grown) == dark
    edge = 1.5 * 72 / DPI
    inner = _crop(image, x, y, size, grow=-edge)
    assert dark == _dark(inner), "the pictogram touches the square's edge (no margin)"


def test_the_large_pictograms_are_pairwise_different(sheet):
    _, image = sheet
    digests = {}
    for index, kind in enumerate(KINDS):
        crop = _crop(image, *_square(index, 40 * mm), 40 * mm)
        digests[kind] = hashlib.sha256(crop.tobytes()).hexdigest()
    assert len(set(digests.values())) == len(KINDS), digests


def test_the_pdf_uses_no_fonts(sheet, baseline_fonts):
    pdf, _ = sheet
    assert _fonts(pdf) == baseline_fonts
    assert all(" yes " not in row for row in baseline_fonts)  # nothing embedded
    content = pdf.read_bytes()
    assert len(re.findall(rb"\sTf\s", content)) == 1  # only reportlab's page preamble
    assert not re.search(rb"\s(Tj|TJ|'|\"|Do)\s", content)  # no text shown, no images


def test_ink_colour_is_used_and_the_canvas_state_is_restored(tmp_path):
    pdf = tmp_path / "ink.pdf"
    size = 40 * mm
    canvas = Canvas(str(pdf), pagesize=(2 * size, size))
    canvas.setFillColorRGB(0, 0, 1)
    pictograms.draw(canvas, "health", 0, 0, size, ink="#cc0000")
    canvas.rect(size + 10, 10, size - 20, size - 20, stroke=0, fill=1)  # still blue after draw()
    canvas.save()
    image = _render(pdf, colour=True)
    colours = {colour for _, colour in image.getcolors(maxcolors=image.width * image.height)}
    assert (204, 0, 0) in colours
    assert (0, 0, 255) in colours
    assert image.getpixel((image.width * 3 // 4, image.height // 2)) == (0, 0, 255)


def test_flowable_wraps_to_its_size_and_builds_in_a_table(tmp_path, baseline_fonts):
    size = 20 * mm
    assert Pictogram("health", size).wrap(500, 800) == (size, size)
    assert Pictogram("unknown", size).wrap(1, 1) == (size, size)

    pdf = tmp_path / "table.pdf"
    row = [Pictogram(category, size) for category in CATEGORIES[:7]]
    row2 = [Pictogram(category, size) for category in CATEGORIES[7:]]
    SimpleDocTemplate(str(pdf)).build([Table([row, row2], colWidths=size + 4 * mm)])
    image = _render(pdf)
    assert _dark(image) > 0
    assert _fonts(pdf) == baseline_fonts


def test_module_does_not_import_qt():
    code = "import sys, tambo_desktop.documents.pictograms; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
