"""The first-run wizard and the sign-in dialog, driven with real keys and clicks."""

from __future__ import annotations

from gui_helpers import translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from tambo_desktop.gui.login import LoginDialog
from tambo_desktop.gui.wizard import FirstRunWizard
from tambo_desktop.services import setup


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_wizard_refuses_bad_input_then_sets_up_the_tambo(gui_home, qtbot):
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.platform_page  # a tambo, chosen by default
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.tambo_page
    # Next with an empty form: stays, and says what is wrong, field by field.
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.tambo_page
    ui = wizard.tambo_page.ui
    assert ui.errorLabel.isVisible()
    assert "Escriba el nombre del tambo." in ui.errorLabel.text()
    assert "Elija el distrito de la lista." in ui.errorLabel.text()
    assert ui.nameEdit.property("invalid") is True

    qtbot.keyClicks(ui.nameEdit, "Tambo Ccopamaya")
    qtbot.keyClicks(ui.codeEdit, "T-2101-07")
    ui.districtEdit.lineEdit().clear()
    qtbot.keyClicks(ui.districtEdit.lineEdit(), "210102")
    qtbot.keyClicks(ui.centroPobladoEdit, "Ccopamaya")
    qtbot.keyClicks(ui.altitudeEdit, "99999")
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.tambo_page
    assert "altitud" in ui.errorLabel.text().lower()
    ui.altitudeEdit.clear()
    qtbot.keyClicks(ui.altitudeEdit, "3870")
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.admin_page

    admin = wizard.admin_page.ui
    qtbot.keyClicks(admin.usernameEdit, "rquispe")
    qtbot.keyClicks(admin.fullNameEdit, "Rosa Quispe")
    qtbot.keyClicks(admin.passwordEdit, "clave-segura-1")
    qtbot.keyClicks(admin.confirmEdit, "otra-clave-22")
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert "Las contraseñas no coinciden." in admin.errorLabel.text()
    assert not setup.is_initialized()
    admin.confirmEdit.clear()
    qtbot.keyClicks(admin.confirmEdit, "clave-segura-1")
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert setup.is_initialized()
    info = setup.tambo_info()
    assert (info.name, info.code, info.district_name, info.altitude_m) == (
        "Tambo Ccopamaya",
        "T-2101-07",
        "Acora",
        3870,
    )
    assert wizard.user.username == "rquispe"


def test_wizard_language_choice_translates_it_live(gui_home, qtbot):
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    combo = wizard.welcome_page.language
    combo.setCurrentIndex(combo.findData("ay"))
    assert wizard.welcome_page.title() == translated("ay", "Bienvenido a TAMBO Desktop")
    assert wizard.welcome_page.title() != "Bienvenido a TAMBO Desktop"
    wizard.next()
    wizard.next()
    assert wizard.tambo_page.ui.nameLabel.text() == translated("ay", "&Nombre del tambo:")
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == translated("ay", "Cancel", "QWizard")


def _initialise() -> None:
    from tambo_desktop.services.accounts import AccountForm

    setup.initialize(
        setup.TamboProfile("Tambo Ccopamaya", "T-2101-07", "210102", "Ccopamaya"),
        AccountForm("rquispe", "Rosa Quispe", "admin", "clave-segura-1"),
    )


def test_login_same_message_for_unknown_user_and_wrong_password(gui_home, qtbot):
    _initialise()
    dialog = LoginDialog("Tambo Ccopamaya")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.ui.usernameEdit, "rquispe")
    qtbot.keyClicks(dialog.ui.passwordEdit, "equivocada")
    _click(qtbot, ok)
    wrong_password = dialog.ui.errorLabel.text()
    assert dialog.ui.errorLabel.isVisible() and dialog.result() == 0
    assert dialog.ui.passwordEdit.text() == ""
    dialog.ui.usernameEdit.clear()
    qtbot.keyClicks(dialog.ui.usernameEdit, "nadie")
    qtbot.keyClicks(dialog.ui.passwordEdit, "equivocada")
    _click(qtbot, ok)
    assert (
        dialog.ui.errorLabel.text()
        == wrong_password
        == (
            "Usuario o contraseña incorrectos. Tras varios intentos fallidos, espere unos minutos antes de volver a intentarlo."
        )
    )
    dialog.ui.usernameEdit.clear()
    qtbot.keyClicks(dialog.ui.usernameEdit, "RQuispe ")
    qtbot.keyClicks(dialog.ui.passwordEdit, "clave-segura-1")
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.result() == 1
    assert dialog.user.username == "rquispe"


def test_login_language_switch_translates_labels_and_qt_buttons(gui_home, qtbot):
    _initialise()
    dialog = LoginDialog("Tambo Ccopamaya")
    qtbot.addWidget(dialog)
    dialog.show()
    cancel = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "Cancelar"
    for lang in ("qu", "ay", "es"):
        dialog.ui.languageEdit.setCurrentIndex(dialog.ui.languageEdit.findData(lang))
        assert dialog.ui.usernameLabel.text() == translated(lang, "&Usuario:")
        assert dialog.ui.passwordLabel.text() == translated(lang, "&Contraseña:")
        assert cancel.text() == translated(lang, "Cancel", "QPlatformTheme")
    assert dialog.ui.passwordLabel.text() == "&Contraseña:"


def test_wizard_district_typed_by_name_lists_that_district_first(gui_home, qtbot):
    """Seen: «Puno» typed in the district listed Acora, Amantani… (the department's districts, by
    name) before the district Puno; and Puno + Tab was refused as not chosen from the list."""
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    for _step in range(2):
        _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    ui = wizard.tambo_page.ui
    line = ui.districtEdit.lineEdit()
    line.clear()
    qtbot.keyClicks(line, "puno")
    popup = ui.districtEdit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]
    assert shown[0] == "Puno — Puno, Puno (210101)", shown[:5]
    assert shown[1].startswith("Puños — ")  # a name that begins so (accents and ñ folded), next
    assert len(shown) > 10 and all("Puno" in label or "Puños" in label for label in shown)  # then the department's
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    assert wizard.tambo_page.district.code() == "210101"
    line.clear()
    qtbot.keyClicks(line, "ilave collao")  # words in any order, the province's name too
    assert wizard.tambo_page.district.code() == "210501"  # Ilave — El Collao, Puno
