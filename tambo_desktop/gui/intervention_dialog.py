"""The intervention dialog: book the tambo or a trip, see the history, change the status.

Saving goes through :class:`InterventionService`: a hard clash comes back as a field error that
names the other booking; soft clashes ask "save anyway?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import StaleRecord, TamboError, ValidationError
from tambo_desktop.gui import conflict_dialog
from tambo_desktop.gui.keys import DateEdit, DateTimeEdit, select_on_focus
from tambo_desktop.gui.widgets import (
    INVALID_STYLE,
    error_label,
    fill_combo,
    read_only,
    report_error,
    select_data,
    show_field_errors,
)
from tambo_desktop.i18n import _
from tambo_desktop.services import catalogue
from tambo_desktop.services.booking_rules import Recurrence
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.facilities import FacilityService
from tambo_desktop.services.interventions import (
    InterventionForm,
    InterventionRow,
    InterventionService,
    NeedsConfirmation,
)
from tambo_desktop.vocabulary import INTERVENTION_KINDS, INTERVENTION_STATUSES, PLACES, label

EVENT_LABELS = {
    "created": i18n.N_("Registrada"),
    "edited": i18n.N_("Modificada"),
    "programmed": i18n.N_("Programada"),
    "rescheduled": i18n.N_("Reprogramada"),
    "executed": i18n.N_("Ejecutada"),
    "suspended": i18n.N_("Suspendida"),
}


def to_qt(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def from_qt(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _checked(widget: QListWidget) -> list[int]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip


def _fill_checks(widget: QListWidget, items: list[tuple[int, str]], checked: set[int]) -> None:
    widget.clear()
    for item_id, text in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if item_id in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)


def confirm_warnings(parent: QWidget, warnings: list[str]) -> bool:
    answer = QMessageBox.question(
        parent, _("Aviso"), "\n".join(warnings) + "\n\n" + _("¿Guardar de todos modos?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


class InterventionDialog(QDialog):
    """New (``row`` None, optionally at ``start``) or existing intervention."""

    def __init__(self, session, row: InterventionRow | None = None, start: dt.datetime | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("interventionDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.session, self.row = session, row
        self.version: int | None = row.version if row else None  # of the record as loaded
        self.on_top = False  # the user chose to apply theirs on top of another PC's save
        self.service = InterventionService(session)
        self.saved_ids: tuple[int, ...] = ()
        self.changed = False
        self.tabs = QTabWidget()
        form_page = QWidget()
        self.form_layout = QFormLayout(form_page)
        self.error = error_label()
        self.title = QLineEdit(maxLength=150)
        self.entity = QComboBox()
        self.kind = QComboBox()
        self.services = QListWidget(objectName="servicesList")
        self.services.setMinimumHeight(110)
        self.place = QComboBox()
        self.space = QComboBox()
        self.community = QComboBox()
        self.travel = QSpinBox(minimum=0, maximum=1440, singleStep=10)
        self.starts = DateTimeEdit(calendarPopup=True)
        self.ends = DateTimeEdit(calendarPopup=True)
        self.gestor = QComboBox()
        self.resources = QListWidget(objectName="resourcesList")
        self.resources.setMaximumHeight(90)
        self.expected = QLineEdit(maxLength=5)
        select_on_focus(self.expected, self.travel)
        self.contact_name = QLineEdit(maxLength=120)
        self.contact_phone = QLineEdit(maxLength=20)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.status = QComboBox()
        self.repeat = QComboBox()
        self.until = DateEdit(calendarPopup=True)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat, 1)
        self.until_label = QLabel()
        repeat_row.addWidget(self.until_label)
        repeat_row.addWidget(self.until)
        self.labels: dict[str, QLabel] = {}
        self.fields = {
            "title": self.title, "entity": self.entity, "kind": self.kind, "services": self.services,
            "place": self.place, "space": self.space, "community": self.community, "travel_minutes": self.travel,
            "starts_at": self.starts, "ends_at": self.ends, "gestor": self.gestor, "resources": self.resources,
            "expected_participants": self.expected, "contact_name": self.contact_name,
            "contact_phone": self.contact_phone, "notes": self.notes, "status": self.status, "until": self.until,
        }  # fmt: skip
        for name, widget in self.fields.items():
            if name == "until":
                continue
            caption = QLabel()
            caption.setBuddy(widget)
            self.labels[name] = caption
            self.form_layout.addRow(caption, widget)
        self.repeat_label = QLabel()
        self.form_layout.addRow(self.repeat_label, repeat_row)
        self.labels["until"] = self.until_label
        self.tabs.addTab(form_page, "")
        self.history = QTextBrowser(objectName="historyView")
        self.tabs.addTab(self.history, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.program_button = QPushButton(objectName="programButton")
        self.execute_button = QPushButton(objectName="executeButton")
        self.reschedule_button = QPushButton(objectName="rescheduleButton")
        self.suspend_button = QPushButton(objectName="suspendButton")
        actions = QHBoxLayout()
        for button, slot in ((self.program_button, self._program), (self.execute_button, self._execute),
                             (self.reschedule_button, self._reschedule), (self.suspend_button, self._suspend)):  # fmt: skip
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)
        self.state_label = QLabel(objectName="stateLabel", wordWrap=True)
        self.state_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(actions)
        layout.addWidget(self.buttons)
        self.entity.currentIndexChanged.connect(self._entity_changed)
        self.place.currentIndexChanged.connect(self._place_changed)
        self.community.currentIndexChanged.connect(self._community_changed)
        self.starts.dateTimeChanged.connect(self._start_moved)
        self.repeat.currentIndexChanged.connect(lambda _i: self.until.setEnabled(bool(self.repeat.currentData())))
        self._load_choices()
        self._retranslate()
        if row is not None:
            self._load(row)
        else:
            start = start or dt.datetime.combine(dates.today() + dt.timedelta(days=1), dt.time(9))
            self.starts.setDateTime(to_qt(start))
            self.ends.setDateTime(to_qt(start + dt.timedelta(hours=3)))
            self.until.setDate(QDate(start.year, start.month, start.day).addMonths(3))
            self.kind.setCurrentIndex(max(0, self.kind.findData("support")))
            self.status.setCurrentIndex(max(0, self.status.findData("programmed")))
        self._place_changed()
        self._state_buttons()
        self.resize(620, 760)
        self.title.setFocus()

    # -- filling --------------------------------------------------------------------------------

    def _load_choices(self) -> None:
        facilities = FacilityService(self.session)
        self.entity.addItem("", None)
        for e in catalogue.entities(active_only=True):
            self.entity.addItem(f"{e.code} — {_(e.name)}", e.id)
        self.space.addItem("—", None)
        for s in facilities.spaces(active_only=True):
            caption = f"{s.name} ({s.capacity})" if s.capacity else s.name
            self.space.addItem(caption, s.id)
        self.community.addItem("—", None)
        self._travel = {}
        for c in CommunityService(self.session).list():
            self.community.addItem(c.name, c.id)
            self._travel[c.id] = c.travel_minutes or 0
        self.gestor.addItem("—", None)
        for user_id, name in self.service.responsibles():
            self.gestor.addItem(name, user_id)
        self._resource_items = [(r.id, r.name) for r in facilities.resources(active_only=True)]
        _fill_checks(self.resources, self._resource_items, set())
        self._entity_changed()

    def _entity_changed(self, *_args) -> None:
        checked = set(_checked(self.services))
        entity_id = self.entity.currentData()
        items = [(s.id, s.label) for s in catalogue.services(entity_id)] if entity_id else []
        if not entity_id:
            items = [(s.id, s.label) for s in catalogue.services() if s.entity_code == "PAIS"]
        _fill_checks(self.services, items, checked)

    def _place_changed(self, *_args) -> None:
        outside = self.place.currentData() == "outside"
        for widget in (self.community, self.travel):
            widget.setVisible(outside)
            self.form_layout.labelForField(widget).setVisible(outside)
        self.space.setVisible(not outside)
        self.form_layout.labelForField(self.space).setVisible(not outside)

    def _community_changed(self, *_args) -> None:
        community_id = self.community.currentData()
        if community_id is not None:
            self.travel.setValue(self._travel.get(community_id, 0))

    def _start_moved(self, value: QDateTime) -> None:
        """Keep the length when the start moves."""
        if getattr(self, "_last_start", None) is not None:
            delta = self._last_start.secsTo(value)
            self.ends.setDateTime(self.ends.dateTime().addSecs(delta))
        self._last_start = value

    def _load(self, row: InterventionRow) -> None:
        self.version, self.on_top = row.version, False
        self.title.setText(row.title)
        self.entity.setCurrentIndex(max(0, self.entity.findData(row.entity_id)))
        self._entity_changed()
        _fill_checks(self.services, [(self.services.item(i).data(Qt.ItemDataRole.UserRole), self.services.item(i).text())
                                     for i in range(self.services.count())], set(row.service_ids))  # fmt: skip
        select_data(self.kind, row.kind)
        select_data(self.place, row.place)
        self.space.setCurrentIndex(max(0, self.space.findData(row.space_id)))
        self.community.setCurrentIndex(max(0, self.community.findData(row.community_id)))
        self.travel.setValue(row.travel_minutes)
        self._last_start = None
        self.starts.setDateTime(to_qt(row.starts_at))
        self.ends.setDateTime(to_qt(row.ends_at))
        self.gestor.setCurrentIndex(max(0, self.gestor.findData(row.gestor_id)))
        _fill_checks(self.resources, self._resource_items, set(row.resource_ids))
        self.expected.setText("" if row.expected_participants is None else str(row.expected_participants))
        self.contact_name.setText(row.contact_name)
        self.contact_phone.setText(row.contact_phone)
        self.notes.setPlainText(row.notes)
        for widget in (
            self.status,
            self.repeat,
            self.until,
            self.until_label,
            self.repeat_label,
            self.labels["status"],
        ):
            widget.setVisible(False)
        state = label(INTERVENTION_STATUSES, row.status) + (f": {row.status_reason}" if row.status_reason else "")
        self.state_label.setText(f"<b>{row.entity_label} — {row.title}</b><br>{state}")
        self.state_label.setVisible(True)
        self._show_history()
        locked = row.status in ("executed", "suspended")
        for widget in self.fields.values():
            widget.setEnabled(not locked)
        if row.status != "requested":
            self.starts.setEnabled(False)
            self.ends.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not locked)
        if not self.session.can("interventions.edit"):  # a read-only role sees read-only fields
            read_only(self.fields.values())
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)

    def _show_history(self) -> None:
        if self.row is None:
            return
        lines = []
        for h in self.service.history(self.row.id):
            when = i18n.format_datetime(h.at, "short")
            text = f"<b>{when}</b> · {h.username} · {_(EVENT_LABELS.get(h.action, h.action))}"
            if h.old_starts_at and h.new_starts_at:
                text += " · " + _("de {old} a {new}").format(
                    old=i18n.format_datetime(h.old_starts_at, "short"),
                    new=i18n.format_datetime(h.new_starts_at, "short"),
                )
            if h.reason:
                text += " · " + _("Motivo: {reason}").format(reason=h.reason.replace("<", "&lt;"))
            lines.append(text)
        results = self.service.results([self.row.uuid]).get(self.row.uuid, (0, 0))
        lines.append(
            "<br>"
            + _("Atenciones registradas durante la intervención: {attentions} ({users} usuarios)").format(
                attentions=results[0], users=results[1]
            )
        )
        self.history.setHtml("<br>".join(lines))

    def _state_buttons(self) -> None:
        status = self.row.status if self.row else None
        self.program_button.setVisible(status == "requested")
        self.execute_button.setVisible(status in ("programmed", "rescheduled"))
        self.reschedule_button.setVisible(status in ("requested", "programmed", "rescheduled", "suspended"))
        self.suspend_button.setVisible(status in ("requested", "programmed", "rescheduled"))
        self.tabs.setTabVisible(1, self.row is not None)
        can = self.session.can("interventions.edit")
        for button in (self.program_button, self.execute_button, self.reschedule_button, self.suspend_button):
            button.setEnabled(can)

    # -- saving ---------------------------------------------------------------------------------

    def form(self) -> InterventionForm:
        return InterventionForm(
            title=self.title.text(), entity_id=self.entity.currentData(), kind=self.kind.currentData() or "",
            service_ids=_checked(self.services), place=self.place.currentData() or "",
            space_id=self.space.currentData(), community_id=self.community.currentData(),
            travel_minutes=str(self.travel.value()), starts_at=from_qt(self.starts.dateTime()),
            ends_at=from_qt(self.ends.dateTime()), gestor_id=self.gestor.currentData(),
            resource_ids=_checked(self.resources), expected_participants=self.expected.text(),
            contact_name=self.contact_name.text(), contact_phone=self.contact_phone.text(),
            notes=self.notes.toPlainText(), status=self.status.currentData() or "programmed",
            version=self.version, on_top=self.on_top,
        )  # fmt: skip

    def recurrence(self) -> Recurrence | None:
        rule = self.repeat.currentData()
        if not rule or self.row is not None:
            return None
        d = self.until.date()
        until = dt.date(d.year(), d.month(), d.day())
        return Recurrence("monthly", until) if rule == "monthly" else Recurrence("weekly", until, int(rule[-1]))

    def _save(self) -> None:
        form, recurrence = self.form(), self.recurrence()
        row_id = self.row.id if self.row else None
        try:
            try:
                result = self.service.save(form, row_id, recurrence=recurrence)
            except NeedsConfirmation as warn:
                if not confirm_warnings(self, warn.warnings):
                    return
                result = self.service.save(form, row_id, confirm=True, recurrence=recurrence)
        except ValidationError as exc:
            show_field_errors(self.error, self.fields, self.labels, exc.errors)
            return
        except StaleRecord as exc:  # another PC saved it meanwhile: theirs beside the user's
            choice = conflict_dialog.ask(exc, self)
            if choice == conflict_dialog.RELOAD and self.row is not None:
                self.row = self.service.get(self.row.id)
                self._load(self.row)
            elif choice == conflict_dialog.KEEP_MINE:
                self.version, self.on_top = exc.current_version, True
                self._save()
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.saved_ids = result.ids
        self.changed = True
        self.accept()

    def _after_change(self) -> None:
        self.changed = True
        self.row = self.service.get(self.row.id)
        self.version = self.row.version  # this user's own change: the form follows it
        self._load(self.row)
        self._state_buttons()

    def _program(self) -> None:
        try:
            self.service.program(self.row.id)
        except TamboError as exc:
            report_error(self, exc)
            return
        self._after_change()

    def _execute(self) -> None:
        try:
            self.service.execute(self.row.id)
        except TamboError as exc:
            report_error(self, exc)
            return
        self._after_change()

    def _suspend(self) -> None:
        reason, ok = QInputDialog.getText(self, _("Suspender la intervención"), _("Motivo de la suspensión:"))
        if not ok:
            return
        try:
            self.service.suspend(self.row.id, reason)
        except TamboError as exc:
            report_error(self, exc)
            return
        self._after_change()

    def _reschedule(self) -> None:
        dialog = RescheduleDialog(self.row, self)

        def save() -> bool:
            start, end, reason = dialog.values()
            try:
                try:
                    self.service.reschedule(self.row.id, start, end, reason)
                except NeedsConfirmation as warn:
                    if not confirm_warnings(dialog, warn.warnings):
                        return False
                    self.service.reschedule(self.row.id, start, end, reason, confirm=True)
            except ValidationError as exc:
                show_field_errors(dialog.error, dialog.fields, dialog.labels, exc.errors)
                return False
            except TamboError as exc:  # a clash: the dialog stays open with what was typed
                report_error(dialog, exc)
                return False
            return True

        dialog.save = save
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_change()

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(_("Intervención") if self.row else _("Nueva intervención"))
        captions = {
            "title": _("&Título:"), "entity": _("&Entidad:"), "kind": _("Tipo:"), "services": _("Servicios que ofrece:"),
            "place": _("&Dónde:"), "space": _("Espacio:"), "community": _("Centro poblado:"),
            "travel_minutes": _("Viaje (minutos, ida):"), "starts_at": _("&Inicio:"), "ends_at": _("&Fin:"),
            "gestor": _("&Responsable:"), "resources": _("Recursos:"),
            "expected_participants": _("Participantes esperados:"), "contact_name": _("Contacto de la entidad:"),
            "contact_phone": _("Teléfono del contacto:"), "notes": _("Notas:"), "status": _("Estado:"),
            "until": _("hasta"),
        }  # fmt: skip
        for name, text in captions.items():
            self.labels[name].setText(text)
        self.repeat_label.setText(_("Repetir:"))
        self.entity.setItemText(0, _("Tambo (ámbito directo)"))
        fill_combo(self.kind, INTERVENTION_KINDS)
        fill_combo(self.place, PLACES)
        statuses = {k: v for k, v in INTERVENTION_STATUSES.items() if k in ("requested", "programmed")}
        fill_combo(self.status, statuses if self.row is None else INTERVENTION_STATUSES)
        if self.row is not None:
            select_data(self.status, self.row.status)
        current = self.repeat.currentData()
        self.repeat.clear()
        self.repeat.addItem(_("No se repite"), "")
        self.repeat.addItem(_("Cada semana"), "weekly1")
        self.repeat.addItem(_("Cada dos semanas"), "weekly2")
        self.repeat.addItem(_("Cada mes, el mismo día de la semana (por ejemplo el 2.º martes)"), "monthly")
        self.repeat.setCurrentIndex(max(0, self.repeat.findData(current)))
        self.until.setEnabled(bool(self.repeat.currentData()) and self.row is None)
        self.tabs.setTabText(0, _("Datos"))
        self.tabs.setTabText(1, _("Historial"))
        self.program_button.setText(_("&Programar"))
        self.execute_button.setText(_("Marcar como e&jecutada"))
        self.reschedule_button.setText(_("Re&programar…"))
        self.suspend_button.setText(_("&Suspender…"))


class RescheduleDialog(QDialog):
    """New start and end, and the reason (kept in the history); after an error (a clash, no reason)
    it stays open with what was typed."""

    def __init__(self, row: InterventionRow, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("rescheduleDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.setWindowTitle(_("Reprogramar la intervención"))
        self.save: Callable[[], bool] | None = None
        self.starts = DateTimeEdit(to_qt(row.starts_at), calendarPopup=True)
        self.ends = DateTimeEdit(to_qt(row.ends_at), calendarPopup=True)
        self.reason = QLineEdit(maxLength=300, objectName="rescheduleReason")
        self.error = error_label()
        self.fields = {"starts_at": self.starts, "ends_at": self.ends, "reason": self.reason}
        self.labels = {
            "starts_at": QLabel(_("Nuevo &inicio:")), "ends_at": QLabel(_("Nuevo &fin:")), "reason": QLabel(_("&Motivo:"))
        }  # fmt: skip
        layout = QFormLayout(self)
        layout.addRow(QLabel(f"<b>{row.title}</b> · {label(INTERVENTION_STATUSES, row.status)}"))
        layout.addRow(self.error)
        for key, widget in self.fields.items():
            self.labels[key].setBuddy(widget)
            layout.addRow(self.labels[key], widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        self.resize(460, 180)

    def _ok(self) -> None:
        if self.save is None or self.save():
            self.accept()

    def values(self) -> tuple[dt.datetime, dt.datetime, str]:
        return from_qt(self.starts.dateTime()), from_qt(self.ends.dateTime()), self.reason.text()
