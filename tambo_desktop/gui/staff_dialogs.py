"""The administrator's dialogs of the staff's daily record: correct a day (with the reason), and enter
leave or a holiday."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.keys import one_date_format
from tambo_desktop.gui.widgets import INVALID_STYLE, error_label, fill_combo, report_error, submitted
from tambo_desktop.i18n import _
from tambo_desktop.services.staff import DayCorrection, LeaveForm, StaffDayRow, StaffPerson, StaffService
from tambo_desktop.vocabulary import LEAVE_KINDS, label


def _time(value) -> str:
    return i18n.format_time(value) if value is not None else "—"


class DayDialog(QDialog):
    """Arrival and departure of one person's day, typed by an administrator, with the reason."""

    def __init__(
        self, service: StaffService, person: StaffPerson, day: StaffDayRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDayDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.setMinimumWidth(460)
        self.service, self.person, self.day = service, person, day
        self.heading = QLabel(wordWrap=True)
        self.automatic = QLabel(wordWrap=True, objectName="automaticTimes")
        self.errors = error_label()
        self.arrival = QLineEdit(objectName="arrivalEdit")
        self.departure = QLineEdit(objectName="departureEdit")
        self.reason = QLineEdit(objectName="reasonEdit")
        self.reason.setMaxLength(300)
        for edit, value, example in ((self.arrival, day.arrival, dt.time(8, 15)),
                                     (self.departure, day.departure, dt.time(17, 30))):  # fmt: skip
            edit.setText(i18n.format_time(value) if value is not None else "")
            edit.setPlaceholderText(i18n.format_time(example))
        self.reason.setText(day.reason)
        self.arrival_label, self.departure_label, self.reason_label = QLabel(), QLabel(), QLabel()
        for caption, edit in ((self.arrival_label, self.arrival), (self.departure_label, self.departure),
                              (self.reason_label, self.reason)):  # fmt: skip
            caption.setBuddy(edit)
        form = QFormLayout()
        form.addRow(self.arrival_label, self.arrival)
        form.addRow(self.departure_label, self.departure)
        form.addRow(self.reason_label, self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.automatic, self.errors):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.arrival.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Corregir la asistencia"))
        self.heading.setText(f"<b>{self.person.full_name}</b> — {i18n.format_date(self.day.day, 'full')}")
        self.automatic.setText(_("Registrado al iniciar y cerrar sesión: llegada {arrival}, salida {departure}.").format(
            arrival=_time(self.day.auto_arrival), departure=_time(self.day.auto_departure)
        ))  # fmt: skip
        self.arrival_label.setText(_("&Llegada:"))
        self.departure_label.setText(_("&Salida:"))
        self.reason_label.setText(_("&Motivo:"))
        self.reason.setPlaceholderText(_("Por qué se corrige (queda en la auditoría)"))

    def _save(self) -> None:
        form = DayCorrection(
            self.person.id, self.day.day, self.arrival.text(), self.departure.text(), self.reason.text()
        )
        fields = {"arrival": self.arrival, "departure": self.departure, "reason": self.reason}
        labels = {"arrival": self.arrival_label, "departure": self.departure_label, "reason": self.reason_label}
        if submitted(self, lambda: self.service.correct_day(form), self.errors, fields, labels):
            self.accept()


class LeaveDialog(QDialog):
    """Leave (vacaciones, licencia, descanso médico) of one person, or a holiday for everyone; the
    periods of the month, with a button to remove one entered by mistake."""

    def __init__(self, service: StaffService, people: list[StaffPerson], person_id: int | None, year: int, month: int,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("staffLeaveDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.setMinimumWidth(520)
        self.service, self.year, self.month = service, year, month
        self.changed = False
        self.errors = error_label()
        self.person = QComboBox(objectName="leavePerson")
        self.person.addItem("", None)
        for p in people:
            self.person.addItem(p.full_name, p.id)
        self.person.setCurrentIndex(max(0, self.person.findData(person_id)))
        self.kind = QComboBox(objectName="leaveKind")
        fill_combo(self.kind, LEAVE_KINDS)
        self.first_day = QDateEdit(objectName="leaveFirst", calendarPopup=True)
        self.last_day = QDateEdit(objectName="leaveLast", calendarPopup=True)
        start = QDate(year, month, 1)
        for edit in (self.first_day, self.last_day):
            one_date_format(edit)
            edit.setDate(start)
        self.first_day.dateChanged.connect(lambda d: self.last_day.date() < d and self.last_day.setDate(d))
        self.note = QLineEdit(objectName="leaveNote")
        self.note.setMaxLength(300)
        self.labels = {name: QLabel() for name in ("user", "kind", "first_day", "last_day", "note")}
        self.fields = {"user": self.person, "kind": self.kind, "first_day": self.first_day, "last_day": self.last_day,
                       "note": self.note}  # fmt: skip
        form = QFormLayout()
        for name, widget in self.fields.items():
            self.labels[name].setBuddy(widget)
            form.addRow(self.labels[name], widget)
        self.add_button = QPushButton(objectName="addLeave")
        self.add_button.clicked.connect(self._add)
        self.periods_label = QLabel()
        self.periods = QListWidget(objectName="leaveList")
        self.remove_button = QPushButton(objectName="removeLeave")
        self.remove_button.clicked.connect(self._remove)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.periods_label)
        layout.addWidget(self.periods, 1)
        layout.addWidget(self.remove_button)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Licencias y feriados"))
        self.person.setItemText(0, _("Todo el personal (feriado)"))
        fill_combo(self.kind, LEAVE_KINDS)
        for name, text in (("user", _("&Persona:")), ("kind", _("&Tipo:")), ("first_day", _("&Desde:")),
                           ("last_day", _("&Hasta:")), ("note", _("&Nota:"))):  # fmt: skip
            self.labels[name].setText(text)
        self.add_button.setText(_("&Agregar"))
        self.periods_label.setText(_("Periodos de este mes:"))
        self.remove_button.setText(_("&Quitar el periodo elegido"))

    def refresh(self) -> None:
        self.periods.clear()
        try:
            rows = self.service.leaves(self.year, self.month)
        except TamboError as exc:
            report_error(self, exc)
            return
        for r in rows:
            who = r.full_name or _("Todo el personal")
            text = f"{label(LEAVE_KINDS, r.kind)} · {who} · {i18n.format_date(r.first_day, 'short')} – " \
                   f"{i18n.format_date(r.last_day, 'short')}" + (f" · {r.note}" if r.note else "")  # fmt: skip
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.periods.addItem(item)

    def _add(self) -> None:
        form = LeaveForm(self.person.currentData(), self.kind.currentData(), self.first_day.date().toPython(),
                         self.last_day.date().toPython(), self.note.text())  # fmt: skip
        if submitted(self, lambda: self.service.add_leave(form), self.errors, self.fields, self.labels):
            self.errors.hide()
            self.note.clear()
            self.changed = True
            self.refresh()

    def _remove(self) -> None:
        item = self.periods.currentItem()
        if item is None:
            return
        try:
            self.service.remove_leave(item.data(Qt.ItemDataRole.UserRole))
        except TamboError as exc:
            report_error(self, exc)
        self.changed = True
        self.refresh()
