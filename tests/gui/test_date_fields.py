"""One date format on screen (issue 14, part 6): every date field of every page shows its date as
dates.py's «short» form (28/11/2026, with 09:30 when it has a time), in the three languages. Seen
before: «7/11/26» on the audit page (Qt's locale default), «1/12/26» on the atenciones page."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit

from tambo_desktop import dates
from tambo_desktop.gui import translator

DAY = re.compile(r"\d\d/\d\d/\d{4}")
DAY_AND_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")
TIME = re.compile(r"\d\d:\d\d")


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_every_date_field_of_every_page_shows_the_one_format(demo_window, qtbot, lang):
    with qtbot.waitActive(demo_window):
        demo_window.show()
        demo_window.activateWindow()
    translator.switch_language(lang)
    seen = {}
    for row, (_name, page) in enumerate(demo_window.pages):
        rect = demo_window.nav.visualRect(demo_window.nav.model().index(row, 0))
        demo_window.nav.scrollToItem(demo_window.nav.item(row))
        rect = demo_window.nav.visualRect(demo_window.nav.model().index(row, 0))
        qtbot.mouseClick(demo_window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda page=page: page.isVisible())
        for edit in page.findChildren(QDateTimeEdit):
            if not edit.isVisible():
                continue
            text = edit.text()
            sections = edit.displayedSections()
            has_date = bool(sections & QDateTimeEdit.Section.DateSections_Mask)
            has_time = bool(sections & QDateTimeEdit.Section.TimeSections_Mask)
            form = DAY_AND_TIME if has_date and has_time else DAY if has_date else TIME
            assert form.fullmatch(text), f"{type(page).__name__}: {text!r}"
            if has_date:
                shown = dates.format_date(edit.date().toPython(), "short")
                assert text.startswith(shown), (text, shown)
            seen[type(page).__name__] = text
    assert {"AuditPage", "AttentionsPage", "DeskPage"} <= set(seen), seen


def test_a_dialog_s_date_fields_show_the_one_format(demo_window, qtbot):
    """Dialogs gave Qt their own formats («short», which Qt reads as seconds and hours)."""
    from tambo_desktop.gui.intervention_dialog import InterventionDialog

    translator.switch_language("qu")
    dialog = InterventionDialog(demo_window.session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edits = [e for e in dialog.findChildren(QDateTimeEdit)]
    assert edits
    for edit in edits:
        form = DAY if type(edit).__name__ == "DateEdit" else DAY_AND_TIME
        assert form.fullmatch(edit.text()), (edit.objectName(), edit.text())
