"""The idle lock when a window goes while it is locked: no error, and the lock still holds and unlocks.

Found on a bare Debian root (issue 13): a click on a covered window queued "bring the box back on
top", the window was deleted before it ran, and the call met a deleted dialog — an unexpected-error
box inside a test, and a crash of the test run.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

from tambo_desktop.gui.idle_lock import Curtain, IdleLock
from tambo_desktop.services.session import CurrentUser


def test_a_click_queued_just_before_the_window_is_deleted_runs_into_nothing(qtbot):
    window = QMainWindow()
    window.resize(400, 300)
    lock = IdleLock(CurrentUser(1, "admin", "Rosa Quispe Mamani", "admin", "es"), 5, window)
    other = QWidget()
    qtbot.addWidget(other)
    window.show()
    other.show()
    lock.lock()
    assert lock.is_locked and lock.dialog.isVisible()
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)  # queues: bring the box back on top
    shiboken6.delete(window)  # the window goes, and its lock and box with it
    qtbot.wait(50)  # the queued call would run here: an error before, nothing now
    assert not shiboken6.isValid(lock)


def test_the_box_comes_back_when_the_window_it_stood_on_is_deleted(demo_window, qtbot):
    extra = QDialog(demo_window)
    extra.setWindowModality(Qt.WindowModality.ApplicationModal)
    extra.show()
    lock = demo_window.idle_lock
    lock.lock()
    first = lock.dialog
    assert first.parent() is extra  # the box stands on the topmost dialog
    shiboken6.delete(extra)
    assert not shiboken6.isValid(first)
    qtbot.waitUntil(
        lambda: lock.dialog is not None and shiboken6.isValid(lock.dialog) and lock.dialog.isVisible(), timeout=2000
    )
    assert lock.is_locked
    search = demo_window.persons_page.search
    qtbot.keyClicks(search, "Mamani")  # still nothing typed reaches the window
    assert search.text() == ""
    unlock = lock.dialog
    qtbot.keyClicks(unlock.password, "tambo-demo")
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=2000)
    assert not any(c.isVisible() for c in demo_window.findChildren(Curtain))
