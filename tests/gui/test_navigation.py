"""The navigation (issue 14, part 8): the pages in groups, each with its icon; and the known fault —
at the 175 % text size on a 1024×768 screen the list scrolled, hiding the last pages. Real key presses
(Ctrl++) change the size, as a user does."""

from __future__ import annotations

import pytest
from gui_helpers import translated
from PySide6.QtCore import Qt

from tambo_desktop.gui import comfort, translator
from tambo_desktop.gui.navigation import GROUP_CONTEXT, GROUP_ROLE, GROUPS


@pytest.fixture
def window(demo_window, qtbot):
    with qtbot.waitActive(demo_window):
        demo_window.show()
        demo_window.activateWindow()
    yield demo_window
    comfort.apply_text_size(100)


def _all_in_view(nav) -> bool:
    bottom = nav.viewport().height()
    return nav.verticalScrollBar().maximum() == 0 and all(
        nav.visualItemRect(nav.item(i)).top() >= 0 and nav.visualItemRect(nav.item(i)).bottom() <= bottom
        for i in range(nav.count())
    )


def test_the_pages_are_grouped_with_icons(window, qtbot):
    nav = window.nav
    assert all(not nav.item(i).icon().isNull() for i in range(nav.count()))
    starts = [nav.item(i).data(GROUP_ROLE) for i in range(nav.count()) if nav.item(i).data(GROUP_ROLE)]
    assert starts == [name for name, _pages in GROUPS]  # the admin sees the four groups, in order
    assert nav.count() == len(window.pages)  # one row per page: row n is page n
    # a click on a row opens its page
    row = len(window.pages) - 1
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    assert window.stack.currentIndex() == row


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_at_175_percent_every_page_stays_in_view_at_1024x768(window, qtbot, lang):
    translator.switch_language(lang)
    window.resize(1024, 740)  # a maximised window on 1024×768 (title bar and panel taken)
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert comfort.text_size() == 175
    qtbot.waitUntil(lambda: _all_in_view(window.nav), timeout=2000)
    if lang == "qu":  # the groups' names in the user's language
        assert translated("qu", GROUPS[0][0], GROUP_CONTEXT) != GROUPS[0][0]


def test_on_a_lower_window_the_groups_close_up_instead_of_scrolling(window, qtbot):
    window.resize(1024, 560)
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.nav.delegate.compact and _all_in_view(window.nav), timeout=2000)
    window.resize(1024, 740)
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.nav.delegate.compact, timeout=2000)  # room again: the names come back
