"""Comfort (issue 14, part 8), with real keys: the text size (100–175 %) changes live in every window
and is remembered per user; F1 opens a short help for the page in front, in the user's language;
every page has a title."""

from __future__ import annotations

import pytest
from gui_helpers import translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.gui import comfort, translator
from tambo_desktop.gui.app import open_main_window
from tambo_desktop.services import accounts


@pytest.fixture
def window(demo_window, qtbot):
    with qtbot.waitActive(demo_window):
        demo_window.show()
        demo_window.activateWindow()
    yield demo_window
    comfort.apply_text_size(100)  # the next test starts at the normal size


def _points() -> float:
    return QApplication.font().pointSizeF()


def test_the_text_size_changes_live_and_is_remembered_per_user(window, qtbot, gui_home):
    normal = _points()
    title = window.desk_page.title
    title_normal = title.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert _points() == pytest.approx(normal * 1.25)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert _points() == pytest.approx(normal * 1.5)
    label = window.desk_page.search_label
    assert label.font().pointSizeF() == pytest.approx(normal * 1.5)  # every widget follows at once
    assert title.font().pointSizeF() == pytest.approx(title_normal * 1.5)  # the titles too
    assert window.text_actions[150].isChecked()
    for _ in range(5):  # never past 175 %
        qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert _points() == pytest.approx(normal * 1.75)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert _points() == pytest.approx(normal * 1.5)
    window.close()
    comfort.apply_text_size(100)
    again = open_main_window(accounts.authenticate("admin", DEMO_PASSWORD), gui_home)  # the same user
    qtbot.addWidget(again)
    assert _points() == pytest.approx(normal * 1.5) and again.text_actions[150].isChecked()
    again.close()
    other = open_main_window(accounts.authenticate("oficina", DEMO_PASSWORD), gui_home)  # another user
    qtbot.addWidget(other)
    assert _points() == pytest.approx(normal)
    other.close()


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_f1_opens_the_help_of_the_page_in_front(window, qtbot, lang):
    translator.switch_language(lang)
    seen: list[str] = []
    for page, name in ((window.desk_page, "Mesa de atención"), (window.plan_page, "Plan del mes")):
        window.nav.setFocus()  # the page was picked in the navigation
        window.show_page(page)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
        box = window.help_box
        qtbot.waitUntil(box.isVisible)
        assert box.windowTitle() == translated(lang, "Ayuda: {page}").format(page=translated(lang, name))
        assert box.text() == translated(lang, comfort.PAGE_HELP[type(page).__name__])
        seen.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda box=box: not box.isVisible())
    assert len(seen) == 2


def test_every_page_has_a_title(window, qtbot):
    for lang in ("es", "qu", "ay"):
        translator.switch_language(lang)
        for row, (name, page) in enumerate(window.pages):
            window.nav.setCurrentRow(row)
            holder = window.stack.currentWidget()
            titles = [w for w in holder.findChildren(QLabel) if w.property("pageTitle") and w.isVisible()]
            assert titles and titles[0].text(), f"{lang} page {row + 1} {type(page).__name__} has no title"
            if type(page).__name__ in ("PlanPage", "CampaignsPage", "TrainingPage", "TripsPage"):
                assert titles[0].text() == translated(lang, name)


def test_at_175_percent_on_1024_the_desk_keeps_room_for_the_dni(window, qtbot):
    """Seen on a 1024×768 screen at 150 % in Quechua: the long caption of the services column left
    the DNI field a few letters wide."""
    translator.switch_language("qu")
    window.resize(1024, 740)
    window.show_page(window.desk_page)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert comfort.text_size() == 175
    qtbot.wait(50)
    search = window.desk_page.search
    assert search.width() >= 12 * search.fontMetrics().averageCharWidth(), search.width()


def test_a_read_only_role_sees_read_only_fields(gui_home, load_demo, qtbot):
    """Before, the supervisor could type into the fields (only Save was disabled)."""
    import datetime as dt

    from tambo_desktop import dates
    from tambo_desktop.demo.build import DEMO_PROFILE
    from tambo_desktop.gui.goals_dialog import GoalsDialog
    from tambo_desktop.gui.intervention_dialog import InterventionDialog
    from tambo_desktop.services.interventions import InterventionForm, InterventionService
    from tambo_desktop.services.session import Session

    load_demo()
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    later = dt.datetime.combine(dates.today() + dt.timedelta(days=12), dt.time(9))
    made = InterventionService(admin).save(InterventionForm("Taller", None, "support", [], "inside", None, None, "",
                                                            later, later + dt.timedelta(hours=2)), confirm=True)  # fmt: skip
    supervisor = Session(accounts.authenticate("supervisor", DEMO_PASSWORD), DEMO_PROFILE.code)
    dialog = InterventionDialog(supervisor, InterventionService(supervisor).get(made.ids[0]))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.title.setFocus()
    qtbot.keyClicks(dialog.title, "xyz")
    assert dialog.title.text() == "Taller" and dialog.title.isReadOnly()
    assert not dialog.kind.isEnabled()
    today = dates.today()
    goals = GoalsDialog(supervisor, today.year, today.month)
    qtbot.addWidget(goals)
    goals.show()
    line = goals.lines[""]
    before = line.attentions.text()
    qtbot.keyClicks(line.attentions, "123")
    assert line.attentions.isReadOnly() and line.attentions.text() == before


def test_every_page_has_its_own_help(window, qtbot):
    """F1 on any page (not only a few) says something about that page, in the user's language."""
    translator.switch_language("ay")
    missing = [type(page).__name__ for _name, page in window.pages if type(page).__name__ not in comfort.PAGE_HELP]
    assert not missing, missing
    window.nav.setFocus()
    window.show_page(window.staff_page)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    qtbot.waitUntil(window.help_box.isVisible)
    assert window.help_box.text() == translated("ay", comfort.PAGE_HELP["StaffPage"])
    qtbot.mouseClick(window.help_box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
