"""The idle lock holds (issue 14, part 3): while locked no key or click reaches any window of the
application — not the page, not an open dialog, not a shortcut — whatever is clicked first; only the
signed-in user's password unlocks."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tambo_desktop.db.models import Attention
from tambo_desktop.gui.dialogs import CommunityDialog
from tambo_desktop.gui.idle_lock import Curtain


def _lock_now(window, qtbot):
    window.idle_lock.timer.setInterval(30)
    window.idle_lock.timer.start()
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
    # once unlocked the timer starts again: 30 ms would lock again before the test looks (a busy machine)
    window.idle_lock.timer.setInterval(60_000)
    return window.idle_lock.dialog


def test_nothing_typed_or_clicked_reaches_the_pages_while_locked(demo_window, qtbot):
    window = demo_window
    desk = window.desk_page
    window.show_page(desk)
    attentions = Attention.select().count()
    unlock = _lock_now(window, qtbot)
    assert unlock.windowModality() == Qt.WindowModality.ApplicationModal  # open() made it window-modal: nothing blocked
    curtain = next(c for c in window.findChildren(Curtain) if c.parent() is window)
    # the user clicks the dark cover, then types "blind", as the issue tells
    qtbot.mouseClick(curtain, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    fields = [w for w in desk.findChildren(type(unlock.password)) if w.isVisible()]
    before = {w: w.text() for w in fields}
    assert fields
    for widget in fields:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(widget, "afil")
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        assert widget.text() == before[widget], f"typing reached {widget.objectName() or widget} while locked"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # a page shortcut
    assert window.current_page() is desk
    persons = window.persons_page
    qtbot.keyClicks(persons.search, "tambo-demo")
    assert persons.search.text() == ""
    assert Attention.select().count() == attentions
    assert window.idle_lock.is_locked and unlock.isVisible()
    # the password box still takes the keys
    qtbot.keyClicks(unlock.password, "tambo-demo")
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.idle_lock.is_locked, timeout=2000)
    qtbot.keyClicks(persons.search, "Mamani")  # unlocked: typing works again
    assert persons.search.text() == "Mamani"


def test_an_open_dialog_is_covered_and_takes_no_input_while_locked(demo_window, qtbot):
    page = demo_window.communities_page
    page.table.selectRow(0)
    dialog = CommunityDialog(page.service, page.current_community(), parent=demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    before = dialog.ui.notesEdit.toPlainText()
    unlock = _lock_now(demo_window, qtbot)
    assert any(c.parent() is dialog and c.isVisible() for c in demo_window.findChildren(Curtain))
    qtbot.mouseClick(dialog, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.keyClicks(dialog.ui.notesEdit, "escrito a ciegas")
    qtbot.keyClick(dialog.ui.notesEdit, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.ui.notesEdit.toPlainText() == before
    assert demo_window.idle_lock.is_locked
    qtbot.keyClicks(unlock.password, "tambo-demo")
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not demo_window.idle_lock.is_locked, timeout=2000)
    qtbot.keyClicks(dialog.ui.notesEdit, " al volver")  # what was typed before stays, typing works again
    assert before in dialog.ui.notesEdit.toPlainText() and " al volver" in dialog.ui.notesEdit.toPlainText()
