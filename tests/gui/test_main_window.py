"""The main window: navigation by role, live language switching, status bar, geometry."""

from __future__ import annotations

import subprocess
import sys

from gui_helpers import translated
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialogButtonBox

from tambo_desktop import i18n
from tambo_desktop.db.models import User
from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.gui.app import open_main_window
from tambo_desktop.gui.dialogs import CommunityDialog
from tambo_desktop.services import accounts


def test_admin_sees_communities_and_accounts_with_status_bar(demo_window):
    w = demo_window
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == [
        "Hoy", "Mesa de atención", "Atenciones", "Personas", "Calendario", "Plan del mes", "Campañas",
        "Capacitaciones", "Viajes de campo", "Asistencia del personal", "Indicadores del mes", "Informe mensual", "Centros poblados", "Cuentas",
        "Copias de seguridad", "Auditoría",
    ]  # fmt: skip
    assert w.current_page() is w.desk_page
    assert "Tambo Jiscullaya" in w.tambo_status.text() and "DEMO-21-0102" in w.tambo_status.text()
    assert "Rosa Quispe Mamani" in w.user_status.text() and "Administrador" in w.user_status.text()
    assert "SQLite" in w.db_status.text()
    assert w.db_status.toolTip().endswith("tambo.db")
    assert w.communities_page.model.rowCount() == 14


def test_supervisor_sees_no_editing_and_no_accounts(gui_home, demo_window, qtbot):
    demo_window.close()
    user = accounts.authenticate("supervisor", DEMO_PASSWORD)
    w = open_main_window(user, gui_home)
    qtbot.addWidget(w)
    assert [w.nav.item(i).text() for i in range(w.nav.count())] == [
        "Hoy", "Atenciones", "Personas", "Calendario", "Plan del mes", "Campañas", "Capacitaciones", "Viajes de campo",
        "Asistencia del personal", "Indicadores del mes", "Informe mensual", "Centros poblados", "Copias de seguridad", "Auditoría",
    ]  # fmt: skip
    assert w.desk_page is None and w.current_page() is w.today_page
    assert not w.today_page.goals_button.isVisibleTo(w)
    page = w.communities_page
    w.show_page(page)
    assert not page.new_button.isVisibleTo(w)
    assert not page.delete_button.isVisibleTo(w)
    assert not page.import_button.isVisibleTo(w)
    assert page.export_button.isVisibleTo(w)
    assert not w.new_action.isVisible()


def test_language_menu_retranslates_every_open_window_live(demo_window, qtbot):
    w = demo_window
    page = w.communities_page
    page.table.selectRow(0)
    dialog = CommunityDialog(page.service, page.current_community(), parent=w)
    qtbot.addWidget(dialog)
    dialog.show()
    save = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Guardar"
    for lang in ("qu", "ay", "es"):
        w.language_actions[lang].trigger()
        assert i18n.current_language() == lang
        assert w.nav.item(w.page_index(page)).text() == translated(lang, "Centros poblados")
        assert w.file_menu.title() == translated(lang, "&Archivo")
        assert page.new_button.text() == translated(lang, "&Nuevo centro poblado")
        assert page.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == translated(
            lang, "Centro poblado"
        )
        assert page.table.model().data(page.model.index(0, 2)) == translated(lang, "Comunidad campesina")
        assert dialog.ui.nameLabel.text() == translated(lang, "&Nombre:")
        assert save.text() == translated(lang, "Save", "QPlatformTheme")
        assert w.language_actions[lang].isChecked()
    # remembered for this user
    w.language_actions["ay"].trigger()
    assert User.get(User.username == "admin").language == "ay"
    w.language_actions["es"].trigger()


def test_window_geometry_is_remembered(demo_window, gui_home, qtbot):
    demo_window.setGeometry(QRect(5, 30, 790, 560))  # inside the offscreen screen (800 x 800)
    demo_window.close()
    user = accounts.authenticate("admin", DEMO_PASSWORD)
    again = open_main_window(user, gui_home)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (790, 560)


def test_self_test_flag_opens_the_main_window_and_exits_zero(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(tmp_path), "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "self-test ok: 14 communities" in result.stdout


def test_no_reference_to_none_is_lost(demo_window, qtbot):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on many calls and crashes later."""
    page = demo_window.communities_page
    before = sys.getrefcount(None)
    for _ in range(50):
        page.refresh()
        page._update_labels()
    assert sys.getrefcount(None) - before > -200


def test_admin_edits_the_tambo_profile(demo_window, qtbot):
    from tambo_desktop.gui.tambo_dialog import TamboDialog
    from tambo_desktop.services import setup

    dialog = TamboDialog(demo_window.session, demo_window)
    qtbot.addWidget(dialog)
    assert dialog.ui.codeEdit.isReadOnly()
    dialog.ui.altitudeEdit.clear()
    qtbot.keyClicks(dialog.ui.altitudeEdit, "-5")
    dialog._save()
    assert "altitud" in dialog.ui.errorLabel.text().lower() and dialog.result() == 0
    dialog.ui.altitudeEdit.clear()
    qtbot.keyClicks(dialog.ui.altitudeEdit, "3860")
    dialog.ui.nameEdit.clear()
    qtbot.keyClicks(dialog.ui.nameEdit, "Tambo Jiscullaya II")
    dialog._save()
    assert dialog.result() == 1
    info = setup.tambo_info()
    assert (info.name, info.altitude_m) == ("Tambo Jiscullaya II", 3860)


def test_the_language_picked_at_sign_in_is_the_windows_and_stays_the_users(gui_home, demo_window, qtbot):
    """Seen: Aymara picked in the sign-in window, the main window opened in the account's Spanish."""
    from PySide6.QtCore import Qt

    from tambo_desktop.gui import translator
    from tambo_desktop.gui.login import LoginDialog

    demo_window.close()
    assert User.get(User.username == "supervisor").language == "es"
    login = LoginDialog("Tambo Jiscullaya")
    qtbot.addWidget(login)
    login.show()
    login.ui.languageEdit.setCurrentIndex(login.ui.languageEdit.findData("ay"))
    qtbot.keyClicks(login.ui.usernameEdit, "supervisor")
    qtbot.keyClicks(login.ui.passwordEdit, DEMO_PASSWORD)
    qtbot.keyClick(login.ui.passwordEdit, Qt.Key.Key_Return)
    assert login.user is not None and login.chosen_language == "ay"
    try:
        w = open_main_window(login.user, gui_home, login.chosen_language)
        qtbot.addWidget(w)
        assert i18n.current_language() == "ay"
        assert w.nav.item(0).text() == translated("ay", "Hoy")
        assert User.get(User.username == "supervisor").language == "ay"  # theirs at the next sign-in too
        w.close()
        untouched = LoginDialog("Tambo Jiscullaya")  # nothing picked: the account's own language
        qtbot.addWidget(untouched)
        assert untouched.chosen_language is None
    finally:
        translator.switch_language("es")
