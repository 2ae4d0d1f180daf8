"""The largest text size (175 %) on a 1024-pixel screen, in the three languages (issue 14, part 8)."""

from __future__ import annotations

import pytest

from tambo_desktop.gui import comfort, translator

#: What a page gets of a 1024-pixel screen beside the navigation (the window maximised).
PAGE_WIDTH = 1024 - 200


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_the_persons_search_shows_its_whole_hint_at_175_percent(demo_window, qtbot, lang):
    """Seen in a real window at 1024×768 in Quechua: the search field beside the centro poblado
    filter was ~240 px wide, «Sutiwan icha qillq…» cut. The search now has the list's width."""
    from tambo_desktop.gui.persons_page import PersonsPage

    translator.switch_language(lang)
    comfort.apply_text_size(175)
    try:
        page = PersonsPage(demo_window.session)
        qtbot.addWidget(page)
        page.resize(PAGE_WIDTH, 700)
        page.show()
        qtbot.waitExposed(page)
        hint = page.search.placeholderText()
        needed = page.search.fontMetrics().horizontalAdvance(hint) + 2 * page.search.fontMetrics().averageCharWidth()
        if lang in ("es", "qu"):
            assert hint and page.search.width() >= needed, (lang, hint, page.search.width(), needed)
        else:  # Aymara's hint is longer than half the screen at 175 %: Qt elides it, whole in the tooltip
            assert page.search.width() >= needed * 0.8 and page.search.toolTip() == hint
        assert page.table.width() >= PAGE_WIDTH // 2  # the list keeps the larger part of the page
    finally:
        comfort.apply_text_size(100)


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_the_desk_fits_1024_pixels_at_175_percent(demo_window, qtbot, lang):
    """Seen in a real window at 1024×768, text at 175 %, in Quechua and Aymara: the desk was wider
    than its room and scrolled sideways, the services' combos and the «undo» buttons cut at the
    right edge. Its minimum width now fits beside the navigation."""
    from tambo_desktop.gui.desk_page import DeskPage

    translator.switch_language(lang)
    comfort.apply_text_size(175)
    try:
        page = DeskPage(demo_window.session)
        qtbot.addWidget(page)
        page.retranslate()
        parts = {
            "person": page.person_box.minimumSizeHint().width(),
            "services": page.services_box.minimumSizeHint().width(),
            "buttons": sum(
                b.sizeHint().width()
                for b in (page.save_button, page.clear_button, page.correct_button, page.void_button)
            ),
        }
        assert page.minimumSizeHint().width() <= PAGE_WIDTH - 20, (lang, page.minimumSizeHint().width(), parts)
    finally:
        comfort.apply_text_size(100)


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_the_atenciones_list_fits_1024_pixels_at_175_percent(demo_window, qtbot, lang):
    """Seen in the real-window tour in Aymara at 175 %: the dates and the text search on one row,
    and the buttons under the list, made the page wider than its room (it scrolled sideways)."""
    from tambo_desktop.gui.attentions_page import AttentionsPage

    translator.switch_language(lang)
    comfort.apply_text_size(175)
    try:
        page = AttentionsPage(demo_window.session)
        qtbot.addWidget(page)
        page.retranslate()
        assert page.minimumSizeHint().width() <= PAGE_WIDTH - 20, (lang, page.minimumSizeHint().width())
    finally:
        comfort.apply_text_size(100)
