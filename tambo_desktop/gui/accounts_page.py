"""Accounts page (administrators): create, edit, deactivate and unlock staff accounts."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tambo_desktop import i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.communities_page import CommunitiesPage
from tambo_desktop.gui.dialogs import AccountDialog
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.accounts import AccountService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import ROLES, SPOKEN_LANGUAGES, label


def _yes_no(value: bool) -> str:
    return _("Sí") if value else _("No")


ACCOUNT_COLUMNS = (
    Column(N_("Usuario"), lambda a: a.username),
    Column(N_("Nombre completo"), lambda a: a.full_name),
    Column(N_("Rol"), lambda a: label(ROLES, a.role)),
    Column(N_("Idioma"), lambda a: label(SPOKEN_LANGUAGES, a.language)),  # "Kastilla aru", not "Español", in Aymara
    Column(N_("Activa"), lambda a: _yes_no(a.active)),
    Column(N_("Bloqueada"), lambda a: _yes_no(a.locked)),
    Column(N_("Último ingreso"), lambda a: i18n.format_datetime(a.last_login_at, "short")),
)


class AccountsPage(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self.session = session
        self.service = AccountService(session)
        self.title = QLabel()
        style_title(self.title)
        self.model = RowsModel(ACCOUNT_COLUMNS, self)
        self.table = CommunitiesPage._table(self.model)
        self.table.doubleClicked.connect(lambda _i: self.edit_account())
        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.unlock_button = QPushButton()
        self.training_button = QPushButton(objectName="trainingHistoryButton")
        self.training_button.clicked.connect(self.training_history)
        self.new_button.clicked.connect(self.new_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.unlock_button.clicked.connect(self.unlock_account)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.unlock_button, self.training_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.retranslate()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Cuentas del personal"))
        self.new_button.setText(_("&Nueva cuenta"))
        self.edit_button.setText(_("&Editar"))
        self.unlock_button.setText(_("&Desbloquear"))
        self.training_button.setText(_("Ca&pacitaciones…"))
        self.model.retranslate()

    def refresh(self) -> None:
        try:
            self.model.set_rows(self.service.list())
        except TamboError as exc:
            report_error(self, exc)

    def current(self):
        return self.model.row_at(self.table.currentIndex())

    def training_history(self) -> None:
        """The chosen staff member's courses, hours and certifications."""
        from tambo_desktop.gui.training_dialogs import HistoryDialog

        account = self.current()
        if account is not None:
            dialog = HistoryDialog(self.session, self)
            dialog.show_for("user", account.id)
            dialog.exec()

    def new_account(self) -> None:
        if AccountDialog(self.service, parent=self).exec():
            self.refresh()

    def edit_account(self) -> None:
        account = self.current()
        if account is not None and AccountDialog(self.service, account, parent=self).exec():
            self.refresh()

    def unlock_account(self) -> None:
        account = self.current()
        if account is None:
            return
        try:
            self.service.unlock(account.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()
