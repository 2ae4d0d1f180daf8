"""The sign-in's one message and the common-password refusal as a person sees them (issue 15.7):
shown whole, in each language, in the first-run wizard and the sign-in dialog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gui_helpers import translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from screen_check import clipped

from tambo_desktop.gui.login import LoginDialog
from tambo_desktop.gui.wizard import FirstRunWizard
from tambo_desktop.services import setup
from tambo_desktop.services.accounts import SIGN_IN_FAILED, AccountForm

COMMON = "Esa contraseña es de las más usadas y se adivina en segundos. Elija otra: por ejemplo, tres o cuatro palabras que usted recuerde."
#: Set to a folder to keep the pictures (to look at them); nothing is written otherwise.
SHOTS = os.environ.get("TAMBO_TEST_SHOTS")


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_the_wizard_refuses_a_common_password_and_says_why(gui_home, qtbot, lang):
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    combo = wizard.welcome_page.language
    combo.setCurrentIndex(combo.findData(lang))
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    ui = wizard.tambo_page.ui
    qtbot.keyClicks(ui.nameEdit, "Tambo Ccopamaya")
    qtbot.keyClicks(ui.codeEdit, "T-2101-07")
    ui.districtEdit.lineEdit().clear()
    qtbot.keyClicks(ui.districtEdit.lineEdit(), "210102")
    qtbot.keyClicks(ui.centroPobladoEdit, "Ccopamaya")
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.admin_page
    admin = wizard.admin_page.ui
    qtbot.keyClicks(admin.usernameEdit, "rquispe")
    qtbot.keyClicks(admin.fullNameEdit, "Rosa Quispe")
    for box in (admin.passwordEdit, admin.confirmEdit):
        qtbot.keyClicks(box, "Password123")  # 11 characters, among the most common passwords
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not setup.is_initialized()
    assert translated(lang, COMMON) in admin.errorLabel.text()
    assert admin.errorLabel.isVisible() and not clipped(wizard)
    _shot(wizard, f"wizard-common-password-{lang}")


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_the_sign_in_message_is_shown_whole(gui_home, qtbot, lang):
    setup.initialize(
        setup.TamboProfile("Tambo Ccopamaya", "T-2101-07", "210102", "Ccopamaya"),
        AccountForm("rquispe", "Rosa Quispe", "admin", "clave-segura-1"),
    )
    dialog = LoginDialog("Tambo Ccopamaya")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.languageEdit.setCurrentIndex(dialog.ui.languageEdit.findData(lang))
    qtbot.keyClicks(dialog.ui.usernameEdit, "rquispe")
    qtbot.keyClicks(dialog.ui.passwordEdit, "equivocada-1")
    _click(qtbot, dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok))
    assert dialog.ui.errorLabel.text() == translated(lang, SIGN_IN_FAILED)
    assert dialog.ui.errorLabel.isVisible() and not clipped(dialog)
    _shot(dialog, f"login-failed-{lang}")
