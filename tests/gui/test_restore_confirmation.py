"""Issue 15.2 in the window: a backup of another tambo is restored only after the administrator
clicks "Restaurar de todos modos" on a warning that says why; Cancel changes nothing."""

from __future__ import annotations

import shutil
import sqlite3

from gui_helpers import answer_next_message_box
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tambo_desktop.db.models import AuditEntry, Community
from tambo_desktop.services.backups import BackupService


def _click_on_next_box(qtbot, text: str | None, seen: list) -> None:
    """Click the button labelled ``text`` (or Cancel when ``None``) on the next warning box."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.icon() != QMessageBox.Icon.Warning:
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        if text is None:
            target = box.button(QMessageBox.StandardButton.Cancel)
        else:
            target = next(b for b in box.buttons() if b.text() == text)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def test_restoring_another_tambo_asks_and_only_a_click_confirms(demo_window, qtbot, tmp_path):
    page = demo_window.backup_page
    demo_window.show_page(page)
    saved = BackupService(demo_window.session).create()
    other = tmp_path / "otro-tambo.db"
    shutil.copyfile(saved.path, other)
    conn = sqlite3.connect(other)
    conn.execute("UPDATE tambo SET code = 'TAMBO-OTRO'")
    conn.commit()
    conn.close()
    Community.delete().where(Community.name == "Jiscullaya").execute()

    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Yes)  # "the current data will be replaced"
    _click_on_next_box(qtbot, None, seen)  # Cancel on the warning
    page.restore_selected(str(other))
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    assert "TAMBO-OTRO" in seen[0]
    qtbot.waitUntil(lambda: page.restore_button.isEnabled(), timeout=5_000)
    assert not Community.select().where(Community.name == "Jiscullaya").exists()
    assert demo_window.isVisible()

    seen.clear()
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Yes)
    _click_on_next_box(qtbot, "Restaurar de todos modos", seen)
    done: list = []
    QTimer.singleShot(600, lambda: answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, done))
    page.restore_selected(str(other))
    qtbot.waitUntil(
        lambda: not demo_window.isVisible(), timeout=90_000
    )  # a restore on a busy machine (load 9) took longer than 30 s
    assert Community.select().where(Community.name == "Jiscullaya").exists()
    # the window closing after the restore also records the user's departure (an update of the staff day)
    last = AuditEntry.select().where(AuditEntry.action == "restore").order_by(AuditEntry.id.desc()).first()
    later = AuditEntry.select().where(AuditEntry.id > last.id)
    assert "Confirmado por el administrador" in last.summary
    assert all(e.entity == "staff_day" for e in later)
