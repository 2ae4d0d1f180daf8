"""The tambo's profile, edited by an administrator (the same form as the first-run wizard)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.gui.forms.ui_tambo_form import Ui_TamboForm
from tambo_desktop.gui.widgets import (
    INVALID_STYLE,
    DistrictPicker,
    fill_languages,
    report_error,
    select_data,
    show_field_errors,
)
from tambo_desktop.i18n import _
from tambo_desktop.services import setup


def name_platform(ui: Ui_TamboForm, platform: str) -> None:
    """The profile form's captions for a PIAS: the platform's own name and code, and its home port
    where a tambo has its centro poblado (the same fields, the same rules)."""
    if platform != "pias":
        return
    ui.nameLabel.setText(_("&Nombre de la PIAS:"))
    ui.codeLabel.setText(_("Código de &la PIAS:"))
    ui.districtLabel.setText(_("&Distrito del puerto base (busque por nombre o ubigeo):"))
    ui.centroPobladoLabel.setText(_("&Puerto base:"))


def platform_title(platform: str) -> str:
    return _("Datos de la PIAS") if platform == "pias" else _("Datos del tambo")


class TamboDialog(QDialog):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.body = QWidget()
        self.ui = Ui_TamboForm()
        self.ui.setupUi(self.body)
        self.setStyleSheet(INVALID_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addWidget(self.buttons)
        ui = self.ui
        self.district = DistrictPicker(ui.districtEdit)
        fill_languages(ui.languageEdit)
        info = setup.tambo_info()
        self.platform = info.platform
        name_platform(ui, self.platform)
        ui.nameEdit.setText(info.name)
        ui.codeEdit.setText(info.code)
        ui.codeEdit.setReadOnly(True)  # the code identifies the tambo's records everywhere
        self.district.set_code(info.district_code)
        ui.centroPobladoEdit.setText(info.centro_poblado)
        ui.altitudeEdit.setText("" if info.altitude_m is None else str(info.altitude_m))
        ui.addressEdit.setText(info.address)
        ui.phoneEdit.setText(info.phone)
        select_data(ui.languageEdit, info.default_language)
        self.fields = {
            "name": ui.nameEdit,
            "district": ui.districtEdit,
            "centro_poblado": ui.centroPobladoEdit,
            "altitude_m": ui.altitudeEdit,
            "phone": ui.phoneEdit,
            "default_language": ui.languageEdit,
        }
        self.labels = {
            "name": ui.nameLabel,
            "district": ui.districtLabel,
            "centro_poblado": ui.centroPobladoLabel,
            "altitude_m": ui.altitudeLabel,
            "phone": ui.phoneLabel,
            "default_language": ui.languageLabel,
        }
        self.resize(560, 360)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self.body)
            name_platform(self.ui, self.platform)
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(platform_title(self.platform))

    def profile(self) -> setup.TamboProfile:
        ui = self.ui
        return setup.TamboProfile(
            ui.nameEdit.text(),
            ui.codeEdit.text(),
            self.district.code(),
            ui.centroPobladoEdit.text(),
            ui.altitudeEdit.text(),
            ui.addressEdit.text(),
            ui.phoneEdit.text(),
            ui.languageEdit.currentData() or "es",
            platform=self.platform,
        )

    def _save(self) -> None:
        try:
            setup.update_profile(self.session, self.profile())
        except ValidationError as exc:
            show_field_errors(self.ui.errorLabel, self.fields, self.labels, exc.errors)
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.accept()
