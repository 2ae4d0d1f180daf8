"""Idle lock, settings and the audit page, driven as a user would."""

from __future__ import annotations

from gui_helpers import answer_next_message_box, translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tambo_desktop.db.models import AuditEntry, Setting, User
from tambo_desktop.gui.dialogs import CommunityDialog
from tambo_desktop.gui.idle_lock import Curtain, UnlockDialog
from tambo_desktop.services import settings


def _lock_now(window, qtbot) -> UnlockDialog:
    window.idle_lock.timer.setInterval(30)
    window.idle_lock.timer.start()
    qtbot.waitUntil(lambda: window.idle_lock.is_locked, timeout=3000)
    # once unlocked the timer starts again: 30 ms would lock again before the test looks (a busy machine)
    window.idle_lock.timer.setInterval(60_000)
    return window.idle_lock.dialog


def test_idle_lock_covers_every_window_and_keeps_what_was_typed(demo_window, qtbot):
    page = demo_window.communities_page
    page.table.selectRow(0)
    dialog = CommunityDialog(page.service, page.current_community(), parent=demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.notesEdit.setFocus()
    qtbot.keyClicks(dialog.ui.notesEdit, " Reunion pendiente")
    unlock = _lock_now(demo_window, qtbot)
    curtains = demo_window.findChildren(Curtain)  # the window and its open dialog
    assert len(curtains) == 2 and all(c.isVisible() for c in curtains)
    assert "Rosa Quispe Mamani" in unlock.message.text()
    qtbot.keyClicks(unlock.password, "no-es-la-clave")
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    assert demo_window.idle_lock.is_locked
    assert (
        unlock.error.text()
        == "Usuario o contraseña incorrectos. Tras varios intentos fallidos, espere unos minutos antes de volver a intentarlo."
    )
    qtbot.keyClick(unlock.password, Qt.Key.Key_Escape)  # Esc does not unlock
    assert demo_window.idle_lock.is_locked
    qtbot.keyClicks(unlock.password, "tambo-demo")
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not demo_window.idle_lock.is_locked, timeout=2000)
    QApplication.processEvents()
    assert not demo_window.findChildren(Curtain) or not any(c.isVisible() for c in demo_window.findChildren(Curtain))
    assert dialog.isVisible()
    assert " Reunion pendiente" in dialog.ui.notesEdit.toPlainText()
    assert AuditEntry.select().where(AuditEntry.action == "login_failed").count() == 1


def test_lock_screen_speaks_the_users_language_and_lockout_applies(demo_window, qtbot):
    demo_window.language_actions["qu"].trigger()
    unlock = _lock_now(demo_window, qtbot)
    assert unlock.windowTitle() == translated("qu", "Sesión bloqueada")
    for _ in range(5):
        qtbot.keyClicks(unlock.password, "mal")
        qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    assert User.get(User.username == "admin").locked_until is not None
    qtbot.keyClicks(unlock.password, "tambo-demo")
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    assert demo_window.idle_lock.is_locked  # a locked account cannot unlock, even with the right password
    from tambo_desktop.services.accounts import SIGN_IN_FAILED

    # the wait says what every failed sign-in says (issue 15.7: a lock message told that the name exists)
    assert unlock.error.text() == translated("qu", SIGN_IN_FAILED) != SIGN_IN_FAILED
    qtbot.mouseClick(unlock.logout_button, Qt.MouseButton.LeftButton)
    assert not demo_window.isVisible()
    demo_window.language_actions["es"].trigger()


def test_settings_change_the_idle_time_and_are_audited(demo_window, qtbot):
    from tambo_desktop.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(demo_window.session, demo_window)
    qtbot.addWidget(dialog)
    dialog.idle.setValue(12)
    dialog._save()
    assert settings.idle_lock_minutes() == 12
    assert Setting.get(Setting.key == settings.IDLE_LOCK_KEY).value == "12"
    entry = AuditEntry.select().where(AuditEntry.action == "settings").get()
    assert '"idle_lock_minutes": [5, 12]' in entry.changes


def test_audit_page_shows_changes_and_exports(demo_window, qtbot, tmp_path):
    page = demo_window.communities_page
    page.table.selectRow(0)
    community = page.current_community()
    from tambo_desktop.services.communities import CommunityForm

    form = CommunityForm(name=community.name, district=community.district_code, kind=community.kind, population="999")
    page.service.save(form, community.id)
    demo_window.show_page(demo_window.audit_page)
    audit = demo_window.audit_page
    assert audit.isVisible()
    first = audit.model.rows[0]
    assert (first.action, first.entity, first.summary) == ("update", "community", community.name)
    audit.table.selectRow(0)
    from tambo_desktop import i18n

    assert f"Población: {i18n.format_number(community.population)} → 999" in audit.details.toPlainText()
    audit.action_filter.setCurrentIndex(audit.action_filter.findData("login"))
    assert {r.action for r in audit.model.rows} == {"login"}
    out = tmp_path / "auditoria.csv"
    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    audit.export_file(str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,fecha_utc,usuario,accion")
    assert ",login," in text
    assert audit.model.rows[0].action in {"login", "export"}


def test_backup_page_backs_up_and_restores(demo_window, qtbot):
    from tambo_desktop.db.models import Community

    page = demo_window.backup_page
    demo_window.show_page(demo_window.backup_page)
    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)  # the backup is made off the GUI thread
    assert "Copia verificada" in seen[0]
    assert page.model.rowCount() >= 1
    made = page.model.rows[0]
    assert made.kind == "manual" and made.verified and made.counts["community"] == 14
    # a community is deleted after the backup; restoring brings it back and signs the user out
    Community.delete().where(Community.name == "Jiscullaya").execute()
    page.table.selectRow(0)
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Yes)
    answer_seen: list = []
    from PySide6.QtCore import QTimer

    QTimer.singleShot(400, lambda: answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, answer_seen))
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not demo_window.isVisible(), timeout=30_000)  # restored off the GUI thread
    assert Community.select().where(Community.name == "Jiscullaya").exists()
    assert AuditEntry.select().where(AuditEntry.action == "restore").exists()
