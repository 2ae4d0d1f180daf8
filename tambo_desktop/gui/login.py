"""The sign-in dialog shown at every start."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog

from tambo_desktop import i18n
from tambo_desktop.errors import AuthenticationError
from tambo_desktop.gui import translator
from tambo_desktop.gui.forms.ui_login_dialog import Ui_LoginDialog
from tambo_desktop.gui.widgets import fill_languages, select_data
from tambo_desktop.i18n import _
from tambo_desktop.services import accounts
from tambo_desktop.services.session import CurrentUser


class LoginDialog(QDialog):
    """Asks for user and password; the language can be changed before signing in."""

    def __init__(self, tambo_name: str, parent=None) -> None:
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.tambo_name = tambo_name
        self.user: CurrentUser | None = None
        #: The language the user picked in this window (``None``: not touched); it is theirs from now on.
        self.chosen_language: str | None = None
        #: Asked before signing in: ``False`` keeps the user out (the start-up check found damage).
        self.gate: Callable[[], bool] | None = None
        fill_languages(self.ui.languageEdit)
        select_data(self.ui.languageEdit, i18n.current_language())
        self.ui.languageEdit.currentIndexChanged.connect(self._language_changed)
        self.ui.buttonBox.accepted.connect(self._sign_in)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._retranslate()
        self.ui.usernameEdit.setFocus()

    def _language_changed(self) -> None:
        self.chosen_language = self.ui.languageEdit.currentData()
        translator.switch_language(self.chosen_language)

    def _retranslate(self) -> None:
        self.ui.tamboLabel.setText(self.tambo_name)
        self.setWindowTitle(_("Iniciar sesión — TAMBO Desktop"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def _sign_in(self) -> None:
        if self.gate is not None and not self.gate():
            return
        try:
            self.user = accounts.authenticate(self.ui.usernameEdit.text(), self.ui.passwordEdit.text())
        except AuthenticationError as exc:
            self.ui.errorLabel.setText(str(exc))
            self.ui.errorLabel.setVisible(True)
            self.ui.passwordEdit.clear()
            self.ui.passwordEdit.setFocus()
            return
        self.accept()
