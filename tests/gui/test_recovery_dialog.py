"""A damaged database at start: the user is told, and the newest verified backup is offered."""

from __future__ import annotations

from gui_helpers import answer_next_message_box
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tambo_desktop import paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.models import Community
from tambo_desktop.gui.app import open_database_or_explain


def test_damaged_database_offers_the_newest_backup(gui_home, load_demo, qtbot):
    load_demo()
    made = backup.backup_now("manual")
    close_database()
    db_file = paths.database_file()
    with open(db_file, "r+b") as handle:  # garbage over the header and the first pages
        handle.write(b"\x00garbage" * 2000)
    seen: list = []

    def choose_restore() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, choose_restore)
            return
        seen.append(box.text())
        restore = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0]
        answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
        restore.click()

    QTimer.singleShot(0, choose_restore)
    db = open_database_or_explain(paths.default_database_url())
    assert db is not None
    assert made.path.name in seen[0] or "copia" in seen[0]
    assert "Se restauró la copia" in seen[1]
    assert Community.select().count() == 14
    assert list(db_file.parent.glob("tambo.db.damaged-*")), "the damaged file is kept, never deleted"


def test_an_unsigned_backup_is_restored_at_start_only_after_a_second_click(gui_home, load_demo, qtbot):
    """Issue 15.3: a backup without its tag (made before backups were signed) is named as such."""
    import json

    load_demo()
    made = backup.backup_now("manual")
    manifest = json.loads(made.manifest_path.read_text())
    del manifest["tag"]
    made.manifest_path.write_text(json.dumps(manifest))
    close_database()
    db_file = paths.database_file()
    with open(db_file, "r+b") as handle:
        handle.write(b"\x00garbage" * 2000)
    seen: list = []

    def click(role, then=None) -> None:
        def attempt() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox) or box.text() in seen:
                QTimer.singleShot(20, attempt)
                return
            seen.append(box.text())
            target = [b for b in box.buttons() if box.buttonRole(b) == role][0]
            if then is not None:
                then()
            target.click()

        QTimer.singleShot(0, attempt)

    click(
        QMessageBox.ButtonRole.AcceptRole,  # "Restaurar la copia más reciente"
        lambda: click(
            QMessageBox.ButtonRole.DestructiveRole,  # "Restaurar de todos modos"
            lambda: answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen),
        ),
    )
    db = open_database_or_explain(paths.default_database_url())
    assert db is not None
    assert "No está firmada" in seen[1]
    assert "Se restauró la copia" in seen[2]
    assert Community.select().count() == 14
