"""First-run wizard: language, the tambo's profile and the first administrator."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from tambo_desktop import i18n
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.gui import translator
from tambo_desktop.gui.forms.ui_admin_form import Ui_AdminForm
from tambo_desktop.gui.forms.ui_tambo_form import Ui_TamboForm
from tambo_desktop.gui.tambo_dialog import name_platform, platform_title
from tambo_desktop.gui.widgets import INVALID_STYLE, DistrictPicker, fill_languages, select_data, show_field_errors
from tambo_desktop.i18n import _
from tambo_desktop.services import setup
from tambo_desktop.services.accounts import AccountForm, validate_account
from tambo_desktop.services.session import CurrentUser


class _Page(QWizardPage):
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


class WelcomePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtWidgets import QComboBox

        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.language_label = QLabel()
        self.language = QComboBox()
        fill_languages(self.language)
        select_data(self.language, i18n.current_language())
        self.language.currentIndexChanged.connect(lambda: translator.switch_language(self.language.currentData()))
        self.language_label.setBuddy(self.language)
        layout.addWidget(self.intro)
        layout.addSpacing(12)
        layout.addWidget(self.language_label)
        layout.addWidget(self.language)
        layout.addStretch()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Bienvenido a TAMBO Desktop"))
        self.intro.setText(
            _(
                "Este asistente configura el tambo en esta computadora: sus datos y la primera cuenta de administrador. "
                "Después podrá registrar los centros poblados de su ámbito y sus dirigentes."
            )
        )
        self.language_label.setText(_("&Idioma de la aplicación:"))


class PlatformPage(_Page):
    """A tambo (fixed) or a PIAS (a ship): a PIAS gives its ship, whose modules take a building's place."""

    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLineEdit, QRadioButton

        from tambo_desktop.gui.widgets import error_label
        from tambo_desktop.vocabulary import SHIP_MODULES

        self.setStyleSheet(INVALID_STYLE)
        self.tambo = QRadioButton()
        self.tambo.setObjectName("platformTambo")
        self.pias = QRadioButton()
        self.pias.setObjectName("platformPias")
        self.tambo.setChecked(True)
        self.ship_box = QGroupBox()
        self.ship_name, self.navy_code, self.capacity = QLineEdit(), QLineEdit(), QLineEdit()
        self.ship_name.setObjectName("shipName")
        self.ship_labels = [QLabel() for _i in range(4)]
        self.modules = {code: QCheckBox() for code in SHIP_MODULES}
        form = QFormLayout(self.ship_box)
        for label_widget, widget in zip(
            self.ship_labels[:3], (self.ship_name, self.navy_code, self.capacity), strict=True
        ):
            label_widget.setBuddy(widget)
            form.addRow(label_widget, widget)
        form.addRow(self.ship_labels[3])
        for box in self.modules.values():
            form.addRow("", box)
        self.errorLabel = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tambo)
        layout.addWidget(self.pias)
        layout.addWidget(self.ship_box)
        layout.addWidget(self.errorLabel)
        layout.addStretch()
        self.pias.toggled.connect(self.ship_box.setVisible)
        self.ship_box.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        from tambo_desktop.vocabulary import PLATFORM_KINDS, SHIP_MODULES, label

        self.setTitle(_("¿Tambo o PIAS?"))
        self.setSubTitle(
            _("Un tambo es una plataforma fija; una PIAS es un barco que recorre una cuenca por travesías.")
        )
        self.tambo.setText(label(PLATFORM_KINDS, "tambo"))
        self.pias.setText(label(PLATFORM_KINDS, "pias"))
        self.ship_box.setTitle(_("El barco de la PIAS"))
        for widget, text in zip(self.ship_labels, (_("&Nombre del barco:"), _("Código de la &Marina:"),
                                                   _("&Capacidad (personas):"), _("Módulos a bordo:")), strict=True):  # fmt: skip
            widget.setText(text)
        for code, box in self.modules.items():
            box.setText(label(SHIP_MODULES, code))

    def platform(self) -> str:
        return "pias" if self.pias.isChecked() else "tambo"

    def ship(self):
        from tambo_desktop.services.pias import ShipForm

        if self.platform() != "pias":
            return None
        modules = tuple(code for code, box in self.modules.items() if box.isChecked())
        return ShipForm(self.ship_name.text(), self.navy_code.text(), self.capacity.text(), modules)

    def validatePage(self) -> bool:
        from tambo_desktop.services.pias import validate_ship

        ship = self.ship()
        errors = validate_ship(ship) if ship is not None else []
        fields = {"ship_name": self.ship_name, "navy_code": self.navy_code, "capacity": self.capacity}
        labels = dict(zip(fields, self.ship_labels[:3], strict=True))
        show_field_errors(self.errorLabel, fields, labels, errors)
        return not errors


class TamboPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.body = QWidget()
        self.ui = Ui_TamboForm()
        self.ui.setupUi(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)
        self.setStyleSheet(INVALID_STYLE)
        self.district = DistrictPicker(self.ui.districtEdit)
        fill_languages(self.ui.languageEdit)
        select_data(self.ui.languageEdit, i18n.current_language())
        ui = self.ui
        self.fields = {
            "name": ui.nameEdit,
            "code": ui.codeEdit,
            "district": ui.districtEdit,
            "centro_poblado": ui.centroPobladoEdit,
            "altitude_m": ui.altitudeEdit,
            "address": ui.addressEdit,
            "phone": ui.phoneEdit,
            "default_language": ui.languageEdit,
        }
        self.labels = {
            "name": ui.nameLabel,
            "code": ui.codeLabel,
            "district": ui.districtLabel,
            "centro_poblado": ui.centroPobladoLabel,
            "altitude_m": ui.altitudeLabel,
            "address": ui.addressLabel,
            "phone": ui.phoneLabel,
            "default_language": ui.languageLabel,
        }
        self.retranslate()

    def initializePage(self) -> None:
        """Captions for the platform chosen on the page before (a PIAS's name, code and home port)."""
        self.retranslate()

    def _platform(self) -> str:
        wizard = self.wizard()
        return wizard.platform_page.platform() if isinstance(wizard, FirstRunWizard) else "tambo"

    def retranslate(self) -> None:
        self.ui.retranslateUi(self.body)
        name_platform(self.ui, self._platform())
        self.setTitle(platform_title(self._platform()))
        self.setSubTitle(_("Como figuran en los documentos del Programa PAIS."))

    def profile(self) -> setup.TamboProfile:
        ui = self.ui
        return setup.TamboProfile(
            platform=self._platform(),
            name=ui.nameEdit.text(),
            code=ui.codeEdit.text(),
            district_code=self.district.code(),
            centro_poblado=ui.centroPobladoEdit.text(),
            altitude_m=ui.altitudeEdit.text(),
            address=ui.addressEdit.text(),
            phone=ui.phoneEdit.text(),
            default_language=ui.languageEdit.currentData() or "es",
        )

    def validatePage(self) -> bool:
        errors = setup.validate_profile(self.profile())
        show_field_errors(self.ui.errorLabel, self.fields, self.labels, errors)
        return not errors


class AdminPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.body = QWidget()
        self.ui = Ui_AdminForm()
        self.ui.setupUi(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)
        self.setStyleSheet(INVALID_STYLE)
        ui = self.ui
        self.fields = {
            "username": ui.usernameEdit,
            "full_name": ui.fullNameEdit,
            "password": ui.passwordEdit,
            "confirm": ui.confirmEdit,
        }
        self.labels = {
            "username": ui.usernameLabel,
            "full_name": ui.fullNameLabel,
            "password": ui.passwordLabel,
            "confirm": ui.confirmLabel,
        }
        self.user: CurrentUser | None = None
        self.retranslate()

    def initializePage(self) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.ui.retranslateUi(self.body)
        self.setTitle(_("Cuenta de administrador"))
        wizard = self.wizard()
        pias = isinstance(wizard, FirstRunWizard) and wizard.platform_page.platform() == "pias"
        self.setSubTitle(
            _("La persona que administra las cuentas y los datos de la PIAS.")
            if pias
            else _("La persona que administra las cuentas y los datos del tambo.")
        )

    def account(self) -> AccountForm:
        ui = self.ui
        return AccountForm(
            ui.usernameEdit.text(), ui.fullNameEdit.text(), "admin", ui.passwordEdit.text(), i18n.current_language()
        )

    def validatePage(self) -> bool:
        form = self.account()
        errors = validate_account(form, new=True)
        if self.ui.passwordEdit.text() != self.ui.confirmEdit.text():
            errors.append(FieldError("confirm", _("Las contraseñas no coinciden.")))
        if not errors:
            wizard: FirstRunWizard = self.wizard()  # type: ignore[assignment]
            try:
                from dataclasses import replace

                profile = replace(wizard.tambo_page.profile(), platform=wizard.platform_page.platform())
                self.user = setup.initialize(profile, form, ship=wizard.platform_page.ship())
            except ValidationError as exc:
                errors = exc.errors
        show_field_errors(self.ui.errorLabel, self.fields, self.labels, errors)
        return not errors


class FirstRunWizard(QWizard):
    """Shown when the database has no tambo yet."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.welcome_page = WelcomePage()
        self.platform_page = PlatformPage()
        self.tambo_page = TamboPage()
        self.admin_page = AdminPage()
        for page in (self.welcome_page, self.platform_page, self.tambo_page, self.admin_page):
            self.addPage(page)
        self.resize(640, 520)
        self._retranslate()

    @property
    def user(self) -> CurrentUser | None:
        return self.admin_page.user

    def _retranslate(self) -> None:
        self.setWindowTitle(_("Configurar el tambo — TAMBO Desktop"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
