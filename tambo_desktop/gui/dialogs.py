"""Form dialogs for communities, leaders and accounts (Designer forms + service validation)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QWidget

from tambo_desktop import i18n
from tambo_desktop.errors import FieldError, StaleRecord, TamboError, ValidationError
from tambo_desktop.gui import conflict_dialog
from tambo_desktop.gui.forms.ui_account_dialog import Ui_AccountDialog
from tambo_desktop.gui.forms.ui_community_dialog import Ui_CommunityDialog
from tambo_desktop.gui.forms.ui_leader_dialog import Ui_LeaderDialog
from tambo_desktop.gui.widgets import (
    INVALID_STYLE,
    DistrictPicker,
    fill_combo,
    fill_languages,
    report_error,
    select_data,
    show_field_errors,
)
from tambo_desktop.i18n import _
from tambo_desktop.services.accounts import AccountForm, AccountRow, AccountService
from tambo_desktop.services.communities import CommunityForm, CommunityRow, CommunityService, LeaderForm, LeaderRow
from tambo_desktop.vocabulary import COMMUNITY_KINDS, LEADER_ROLES, ROLES, SEXES, SPOKEN_LANGUAGES, TRAVEL_MEANS


def _text(value: object) -> str:
    return "" if value is None else str(value)


class FormDialog(QDialog):
    """A dialog whose Save runs a service call and shows its field errors in place."""

    ui: object
    fields: dict[str, QWidget]
    labels: dict

    def _setup(self) -> None:
        self.setStyleSheet(INVALID_STYLE)
        self.saved_id: int | None = None
        self.version: int | None = None  # of the record as loaded (None: a new one)
        self.on_top = False
        self.ui.buttonBox.accepted.connect(self._save)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._retranslate()

    def _save(self) -> None:
        try:
            self.saved_id = self.submit()
        except ValidationError as exc:
            show_field_errors(self.ui.errorLabel, self.fields, self.labels, exc.errors)
            return
        except StaleRecord as exc:  # another PC saved it meanwhile: theirs beside the user's
            choice = conflict_dialog.ask(exc, self)
            if choice == conflict_dialog.RELOAD:
                self.reload()
            elif choice == conflict_dialog.KEEP_MINE:
                self.version, self.on_top = exc.current_version, True
                self._save()
            return
        except TamboError as exc:  # not found, not allowed, disk full, server gone...
            report_error(self, exc)
            return
        self.accept()

    def submit(self) -> int | None:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def reload(self) -> None:
        """Show the record as it is now saved (after another PC's save)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Re-fill code-built texts (combos) in the current language."""


class CommunityDialog(FormDialog):
    def __init__(self, service: CommunityService, community: CommunityRow | None = None, parent=None) -> None:
        super().__init__(parent)
        self.service = service
        self.community = community
        self.ui = Ui_CommunityDialog()
        self.ui.setupUi(self)
        ui = self.ui
        self.district = DistrictPicker(ui.districtEdit)
        self.fields = {
            "name": ui.nameEdit,
            "district": ui.districtEdit,
            "kind": ui.kindEdit,
            "population": ui.populationEdit,
            "households": ui.householdsEdit,
            "languages": ui.languagesEdit,
            "distance_km": ui.distanceEdit,
            "travel_minutes": ui.travelMinutesEdit,
            "travel_means": ui.travelMeansEdit,
            "latitude": ui.latitudeEdit,
            "longitude": ui.longitudeEdit,
            "notes": ui.notesEdit,
        }
        self.labels = {
            "name": ui.nameLabel,
            "district": ui.districtLabel,
            "kind": ui.kindLabel,
            "population": ui.populationLabel,
            "households": ui.householdsLabel,
            "languages": ui.languagesLabel,
            "distance_km": ui.distanceLabel,
            "travel_minutes": ui.travelMinutesLabel,
            "travel_means": ui.travelMeansLabel,
            "latitude": ui.latitudeLabel,
            "longitude": ui.longitudeLabel,
            "notes": ui.notesLabel,
        }
        self._setup()
        if community is not None:
            self._load(community)
            self.version = community.version
        elif service.session.tambo_code:
            from tambo_desktop.services.setup import tambo_info

            info = tambo_info()
            if info:
                self.district.set_code(info.district_code)

    def _retranslate(self) -> None:
        fill_combo(self.ui.kindEdit, COMMUNITY_KINDS, blank=True)
        fill_combo(self.ui.travelMeansEdit, TRAVEL_MEANS, blank=True)
        self._fill_languages()
        if self.community is None:
            self.setWindowTitle(_("Nuevo centro poblado"))
        else:
            self.setWindowTitle(_("Centro poblado: {name}").format(name=self.community.name))

    def _fill_languages(self, chosen: list[str] | None = None) -> None:
        """The spoken languages as a list to tick (Space or a click), in the interface's language."""
        box = self.ui.languagesEdit
        if not hasattr(self, "_language_order"):
            self._language_order: list[str] = []
            box.itemChanged.connect(self._language_ticked)
        keep = list(chosen if chosen is not None else self._chosen_languages())
        self._language_order = keep  # the first ticked is the community's main language
        box.blockSignals(True)
        box.clear()
        for code, name in SPOKEN_LANGUAGES.items():
            item = QListWidgetItem(_(name))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in keep else Qt.CheckState.Unchecked)
            box.addItem(item)
        box.blockSignals(False)

    def _language_ticked(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked and code not in self._language_order:
            self._language_order.append(code)
        elif item.checkState() != Qt.CheckState.Checked and code in self._language_order:
            self._language_order.remove(code)

    def _chosen_languages(self) -> list[str]:
        return list(getattr(self, "_language_order", []))

    def _load(self, c: CommunityRow) -> None:
        ui = self.ui
        ui.nameEdit.setText(c.name)
        self.district.set_code(c.district_code)
        select_data(ui.kindEdit, c.kind)
        ui.populationEdit.setText(_text(c.population))
        ui.householdsEdit.setText(_text(c.households))
        self._fill_languages(c.languages)
        ui.distanceEdit.setText(_text(c.distance_km))
        ui.travelMinutesEdit.setText(_text(c.travel_minutes))
        select_data(ui.travelMeansEdit, c.travel_means)
        ui.latitudeEdit.setText(_text(c.latitude))
        ui.longitudeEdit.setText(_text(c.longitude))
        ui.notesEdit.setPlainText(c.notes)

    def form(self) -> CommunityForm:
        ui = self.ui
        return CommunityForm(
            name=ui.nameEdit.text(),
            district=self.district.code(),
            kind=ui.kindEdit.currentData() or "",
            population=ui.populationEdit.text(),
            households=ui.householdsEdit.text(),
            languages=";".join(self._chosen_languages()),
            distance_km=ui.distanceEdit.text(),
            travel_minutes=ui.travelMinutesEdit.text(),
            travel_means=ui.travelMeansEdit.currentData() or "",
            latitude=ui.latitudeEdit.text(),
            longitude=ui.longitudeEdit.text(),
            notes=ui.notesEdit.toPlainText(),
            version=self.version,
            on_top=self.on_top,
        )

    def submit(self) -> int:
        return self.service.save(self.form(), self.community.id if self.community else None)

    def reload(self) -> None:
        if self.community is not None:
            self.community = self.service.get(self.community.id)
            self._load(self.community)
            self.version, self.on_top = self.community.version, False


class LeaderDialog(FormDialog):
    def __init__(
        self, service: CommunityService, community: CommunityRow, leader: LeaderRow | None = None, parent=None
    ):
        super().__init__(parent)
        self.service = service
        self.community = community
        self.leader = leader
        self.ui = Ui_LeaderDialog()
        self.ui.setupUi(self)
        ui = self.ui
        self.fields = {
            "name": ui.nameEdit,
            "role": ui.roleEdit,
            "phone": ui.phoneEdit,
            "language": ui.languageEdit,
            "notes": ui.notesEdit,
            "sex": ui.sexEdit,
        }
        self.labels = {
            "sex": ui.sexLabel,
            "name": ui.nameLabel,
            "role": ui.roleLabel,
            "phone": ui.phoneLabel,
            "language": ui.languageLabel,
            "notes": ui.notesLabel,
        }
        self._setup()
        if leader is not None:
            ui.nameEdit.setText(leader.name)
            select_data(ui.roleEdit, leader.role)
            ui.phoneEdit.setText(leader.phone)
            select_data(ui.languageEdit, leader.language)
            ui.notesEdit.setPlainText(leader.notes)
            select_data(ui.sexEdit, leader.sex)
            self.version = leader.version

    def _retranslate(self) -> None:
        fill_combo(self.ui.roleEdit, LEADER_ROLES, blank=True)
        fill_combo(self.ui.languageEdit, SPOKEN_LANGUAGES, blank=True)
        fill_combo(self.ui.sexEdit, SEXES, blank=True)
        self.setWindowTitle(_("Dirigente de {community}").format(community=self.community.name))

    def form(self) -> LeaderForm:
        ui = self.ui
        return LeaderForm(
            name=ui.nameEdit.text(),
            role=ui.roleEdit.currentData() or "",
            phone=ui.phoneEdit.text(),
            language=ui.languageEdit.currentData() or "",
            notes=ui.notesEdit.toPlainText(),
            version=self.version,
            on_top=self.on_top,
            sex=ui.sexEdit.currentData() or "",
        )

    def submit(self) -> int:
        return self.service.save_leader(self.community.id, self.form(), self.leader.id if self.leader else None)


class AccountDialog(FormDialog):
    def __init__(self, service: AccountService, account: AccountRow | None = None, parent=None) -> None:
        super().__init__(parent)
        self.service = service
        self.account = account
        self.ui = Ui_AccountDialog()
        self.ui.setupUi(self)
        ui = self.ui
        self.fields = {
            "username": ui.usernameEdit,
            "full_name": ui.fullNameEdit,
            "role": ui.roleEdit,
            "language": ui.languageEdit,
            "password": ui.passwordEdit,
            "confirm": ui.confirmEdit,
        }
        self.labels = {
            "username": ui.usernameLabel,
            "full_name": ui.fullNameLabel,
            "role": ui.roleLabel,
            "language": ui.languageLabel,
            "password": ui.passwordLabel,
            "confirm": ui.confirmLabel,
        }
        self._setup()
        ui.activeEdit.setChecked(True)
        if account is not None:
            self._load(account)
        else:
            select_data(ui.languageEdit, i18n.current_language())

    def _load(self, account: AccountRow) -> None:
        ui = self.ui
        self.version, self.on_top = account.version, False
        ui.usernameEdit.setText(account.username)
        ui.fullNameEdit.setText(account.full_name)
        select_data(ui.roleEdit, account.role)
        select_data(ui.languageEdit, account.language)
        ui.activeEdit.setChecked(account.active)

    def reload(self) -> None:
        """Show the account as another administrator saved it."""
        if self.account is not None:
            row = next((a for a in self.service.list() if a.id == self.account.id), None)
            if row is not None:
                self.account = row
                self._load(row)

    def _retranslate(self) -> None:
        fill_combo(self.ui.roleEdit, ROLES)
        fill_languages(self.ui.languageEdit)
        if self.account is None:
            self.setWindowTitle(_("Nueva cuenta"))
        else:
            self.setWindowTitle(_("Cuenta: {user}").format(user=self.account.username))
            self.ui.passwordEdit.setPlaceholderText(_("(déjela vacía para no cambiarla)"))

    def submit(self) -> int:
        ui = self.ui
        if ui.passwordEdit.text() != ui.confirmEdit.text():
            raise ValidationError(FieldError("confirm", _("Las contraseñas no coinciden.")))
        form = AccountForm(
            ui.usernameEdit.text(),
            ui.fullNameEdit.text(),
            ui.roleEdit.currentData() or "",
            ui.passwordEdit.text(),
            ui.languageEdit.currentData() or "es",
            ui.activeEdit.isChecked(),
            self.version if self.account is not None else None,
            self.on_top,
        )
        if self.account is None:
            return self.service.create(form)
        self.service.update(self.account.id, form)
        return self.account.id


def save_button(box: QDialogButtonBox):
    return box.button(QDialogButtonBox.StandardButton.Save)
