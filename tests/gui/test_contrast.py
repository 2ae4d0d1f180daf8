"""Colours that keep their meaning without colour, with enough contrast (issue 14, part 8).

WCAG 2.1 contrast ratios, measured: text and its background at 4.5:1 or more (AA for normal text);
the calendar's statuses read from a mark as well as a colour; the navigation's icons and group names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication

from tambo_desktop.gui import calendar_view, navigation
from tambo_desktop.vocabulary import INTERVENTION_STATUSES

GUI = Path(__file__).resolve().parents[2] / "tambo_desktop" / "gui"
AA = 4.5


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def ratio(a: QColor | str, b: QColor | str) -> float:
    light, dark = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_measure_is_wcag_s():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    "colour", sorted(set(calendar_view.PALETTE) | set(calendar_view.STATUS_COLOURS.values()) - {"#9e9e9e"})
)
def test_white_text_on_every_calendar_chip(colour):
    """Before: white on the requested yellow read at 1.97:1, on the executed green 3.3:1, on an orange
    entity 3.08:1."""
    assert ratio("#ffffff", colour) >= AA, f"{colour}: {ratio('#ffffff', colour):.2f}:1"


def test_a_suspended_chip_s_dark_text_on_its_pale_fill(qapp):
    fill = QColor(calendar_view.STATUS_COLOURS["suspended"])
    fill.setAlpha(70)
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(QRect(0, 0, 4, 4), fill)
    painter.end()
    assert ratio("#212121", image.pixelColor(1, 1)) >= AA


def test_every_status_reads_without_colour():
    marks = calendar_view.STATUS_MARKS
    assert set(marks) == set(INTERVENTION_STATUSES)
    # each status differs from every other by its mark (the programmed one has none), not only its colour
    assert len(set(marks.values())) == len(marks)


def test_coloured_words_on_the_window_s_background(qapp):
    """Every «color: #…» of the window's style sheets and painters, on the window's background and on
    white (a list or a field)."""
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    found = {}
    for path in GUI.glob("*.py"):
        for colour in re.findall(r"color: ?(#[0-9a-fA-F]{6})", path.read_text(encoding="utf-8")):
            found[colour] = path.name
    found.update({navigation.ICON_COLOUR: "navigation.py", navigation.GROUP_COLOUR: "navigation.py"})
    assert len(found) >= 8
    weak = {c: (f, round(min(ratio(c, window), ratio(c, "#ffffff")), 2)) for c, f in found.items()
            if min(ratio(c, window), ratio(c, "#ffffff")) < AA}  # fmt: skip
    assert not weak, weak


def test_the_selected_row_s_white_icon_on_the_selection(qapp):
    highlight = QApplication.palette().color(QPalette.ColorRole.Highlight)
    text = QApplication.palette().color(QPalette.ColorRole.HighlightedText)
    assert ratio(navigation.SELECTED_COLOUR, highlight) == pytest.approx(ratio(text, highlight), abs=0.5)
