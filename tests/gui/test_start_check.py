"""The start-up check runs behind the sign-in window (issue 13.5, 14.2): the window is shown first,
signing in waits for the check, and a file found damaged meanwhile closes the sign-in for the recovery."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from tambo_desktop import paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.models import Community
from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.gui import app as gui_app
from tambo_desktop.gui.login import LoginDialog
from tambo_desktop.gui.main_window import MainWindow
from tambo_desktop.services import accounts


def _when_login_shows(action) -> None:
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(10, attempt)
            return
        action(dialog)

    QTimer.singleShot(0, attempt)


def _unchecked_start(url: str):
    """What ``gui.app.run`` does before the sign-in: the database opened, its check left for later."""
    close_database()
    unchecked = lifecycle.deferrable_check(url)
    assert unchecked is not None, "a tambo's database file is checked behind the sign-in"
    assert gui_app.open_database_or_explain(url, daily_backup=False, check=False) is not None
    return unchecked


def test_signing_in_waits_for_the_check_behind_the_window(gui_home, load_demo, qtbot, monkeypatch):
    load_demo()
    unchecked = _unchecked_start(gui_home)
    order: list[str] = []
    real_check, real_authenticate = lifecycle.start_check, accounts.authenticate

    def slow_check(path):  # a large file: the check still runs when OK is pressed
        order.append("check started")
        time.sleep(0.4)
        reason = real_check(path)
        order.append("check ended")
        return reason

    def authenticate(name, password):
        order.append("sign-in")
        return real_authenticate(name, password)

    monkeypatch.setattr(lifecycle, "start_check", slow_check)
    monkeypatch.setattr(accounts, "authenticate", authenticate)

    def sign_in(dialog: LoginDialog) -> None:
        order.append("window shown")
        dialog.ui.usernameEdit.setText("admin")
        dialog.ui.passwordEdit.setText(DEMO_PASSWORD)
        QTimer.singleShot(50, dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click)

    _when_login_shows(sign_in)
    window = gui_app.sign_in_and_open(gui_home, "es", unchecked)
    try:
        assert isinstance(window, MainWindow)
        assert order.index("window shown") < order.index("check ended"), order
        assert order.index("check ended") < order.index("sign-in"), order
    finally:
        window.close()
        from tambo_desktop.gui.ops import wait_for_background_work

        wait_for_background_work()


def test_damage_found_behind_the_sign_in_closes_it_and_offers_the_backup(gui_home, load_demo, qtbot):
    load_demo()
    made = backup.backup_now("manual")
    db_file = paths.database_file()
    close_database()
    import sqlite3

    with sqlite3.connect(db_file) as conn:  # leaf pages of the atenciones: the file opens, its check fails
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'attention' AND pagetype = 'leaf'")]
    conn.close()
    assert pages
    with open(db_file, "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(b"\xa5" * page_size)
    unchecked = _unchecked_start(gui_home)
    shown: list[bool] = []
    _when_login_shows(lambda dialog: shown.append(True))  # the user has not typed yet
    outcome = gui_app.sign_in_and_open(gui_home, "es", unchecked)
    assert shown, "the sign-in window was shown before the check ended"
    assert isinstance(outcome, gui_app.Damaged), outcome
    assert outcome.reason

    close_database()
    seen: list[str] = []

    def choose_restore() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, choose_restore)
            return
        seen.append(box.text())
        restore = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0]

        def confirm() -> None:
            done = QApplication.activeModalWidget()
            if not isinstance(done, QMessageBox) or done is box:
                QTimer.singleShot(20, confirm)
                return
            seen.append(done.text())
            done.button(QMessageBox.StandardButton.Ok).click()

        QTimer.singleShot(0, confirm)
        restore.click()

    QTimer.singleShot(0, choose_restore)
    db = gui_app._recover(gui_home, lifecycle.set_aside(outcome.path, outcome.reason))
    assert db is not None
    assert made.path.name in seen[0] or "copia" in seen[0]
    assert "Se restauró la copia" in seen[1]
    assert Community.select().count() == 14
    assert list(db_file.parent.glob("tambo.db.damaged-*")), "the damaged file is kept, never deleted"
