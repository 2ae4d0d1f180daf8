"""Accessible names on the main controls (issue 14, part 8): every field, list and table of every
page has a name a screen reader can say, in the user's language (Qt's own accessibility interface
is asked, as a screen reader asks it)."""

from __future__ import annotations

import pytest
from gui_helpers import translated
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QHeaderView, QWidget

from tambo_desktop.gui import access, translator


def _unnamed(page: QWidget) -> list[str]:
    found = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, access.CONTROLS) or isinstance(widget, QHeaderView):
            continue
        if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None or not interface.text(QAccessible.Text.Name).strip():
            found.append(f"{type(widget).__name__} {widget.objectName()}")
    return found


@pytest.mark.parametrize("lang", ["es", "qu"])
def test_every_control_of_every_page_has_a_name(demo_window, qtbot, lang):
    with qtbot.waitActive(demo_window):
        demo_window.show()
        demo_window.activateWindow()
    translator.switch_language(lang)
    qtbot.wait(20)  # the names follow the language once every page has its words
    missing = {}
    for row, (_name, page) in enumerate(demo_window.pages):
        demo_window.nav.setCurrentRow(row)
        qtbot.waitUntil(page.isVisible)
        if unnamed := _unnamed(page):
            missing[type(page).__name__] = unnamed
    assert not missing, missing
    nav = QAccessible.queryAccessibleInterface(demo_window.nav)
    assert nav.text(QAccessible.Text.Name) == translated(lang, access.NAVIGATION)
    search = QAccessible.queryAccessibleInterface(demo_window.persons_page.search)
    assert search.text(QAccessible.Text.Name) == demo_window.persons_page.search.placeholderText()
