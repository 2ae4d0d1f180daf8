"""The staff's daily record: one person's month (arrival, departure, at the tambo, in the field, leave
and holidays, interventions, atenciones), the administrator's corrections and leave, and the month's
sheet for signing (PDF or XLSX), written off the GUI thread."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.documents import staff_sheet
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.indicators import fill_months
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _, format_date, format_time
from tambo_desktop.services.session import Session
from tambo_desktop.services.staff import StaffMonth, StaffService

log = logging.getLogger(__name__)


def record_presence(session: Session, arriving: bool, idle_seconds: int = 0):
    """The signed-in user's arrival (after signing in or unlocking) or departure (signing out,
    closing the window, or ``idle_seconds`` before the idle lock came down), written off the GUI
    thread at the time of the call. A database that cannot be written now never keeps anyone from
    working: it is logged (the administrator can enter the day)."""
    from tambo_desktop.gui.ops import run_in_background

    if not session.can("staff.record"):
        return None  # the supervisor keeps no daily record at the tambo
    at = dates.now() - dt.timedelta(seconds=idle_seconds)
    service = StaffService(session)
    work = (lambda: service.record_sign_in(at)) if arriving else (lambda: service.record_sign_out(at))

    def failed(error: Exception) -> None:
        log.error("the staff day of %s could not be recorded: %s", session.user.username, error)

    return run_in_background(None, "", work, failed=failed, quiet=True)


def _time(value, corrected: bool) -> str:
    return "" if value is None else format_time(value) + (f" {staff_sheet.CORRECTED}" if corrected else "")


COLUMNS = (
    Column(N_("Día"), lambda d: format_date(d.day, "weekday_day_month")),
    Column(N_("Llegada"), lambda d: _time(d.arrival, d.corrected)),
    Column(N_("Salida"), lambda d: _time(d.departure, d.corrected)),
    Column(N_("Situación"), staff_sheet.situation),
    Column(N_("Intervenciones"), lambda d: d.interventions or "", align_right=True),
    Column(N_("Atenciones"), lambda d: d.attentions or "", align_right=True),
    Column(N_("Motivo de la corrección"), lambda d: d.reason if d.corrected else ""),
)

_WEEKEND = QBrush(QColor("#eceff1"))


class DaysModel(RowsModel):
    """The month's days; Saturdays, Sundays and holidays shaded."""

    def data(self, index, role: int = 0):
        from PySide6.QtCore import Qt

        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            day = self.row_at(index)
            if day is not None and (day.day.weekday() >= 5 or day.holiday):
                return _WEEKEND
        return super().data(index, role)


class StaffPage(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("staffPage")
        self.session = session
        self.service = StaffService(session)
        self.current: StaffMonth | None = None
        self.operation = None
        today = dates.today()
        self.month = QComboBox(objectName="staffMonth")
        fill_months(self.month)
        self.month.setCurrentIndex(today.month - 1)
        self.year = QSpinBox(objectName="staffYear", minimum=2013, maximum=today.year + 1, value=today.year)
        self.person = QComboBox(objectName="staffPerson")
        self.everyone = session.can_for("staff.view", -1)
        try:
            self.people = self.service.people()
        except TamboError:
            self.people = []
        for p in self.people:
            self.person.addItem(p.full_name, p.id)
        own = self.person.findData(session.user.id)
        self.person.setCurrentIndex(own if own >= 0 else 0)
        self.person.setEnabled(self.everyone)
        self.model = DaysModel(COLUMNS, self)
        self.table = QTableView(objectName="staffTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda *_a: self.correct_day())
        self.summary = QLabel(objectName="staffSummary", wordWrap=True)
        self.note = QLabel(objectName="staffNote", wordWrap=True)
        self.correct_button = QPushButton(objectName="correctDay")
        self.leave_button = QPushButton(objectName="leaveButton")
        self.save_button = QPushButton(objectName="saveSheet")
        self.only_this = QCheckBox(objectName="onlyThisPerson")
        self.only_this.setVisible(self.everyone)
        can_edit = session.can("staff.edit")
        self.correct_button.setVisible(can_edit)
        self.leave_button.setVisible(can_edit)
        self.month_label, self.person_label = QLabel(), QLabel()
        self.month_label.setBuddy(self.month)
        self.person_label.setBuddy(self.person)
        top = QHBoxLayout()
        for w in (self.month_label, self.month, self.year, self.person_label, self.person):
            top.addWidget(w)
        top.addStretch(1)
        buttons = QHBoxLayout()
        for w in (self.correct_button, self.leave_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.only_this)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.month.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.person.currentIndexChanged.connect(self.refresh)
        self.correct_button.clicked.connect(self.correct_day)
        self.leave_button.clicked.connect(self.edit_leave)
        self.save_button.clicked.connect(lambda: self.save_sheet())
        self.retranslate()

    def period(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def refresh(self, *_args) -> None:
        person_id = self.person.currentData()
        if person_id is None:
            self.model.set_rows([])
            return
        try:
            self.current = self.service.month(person_id, *self.period())
        except TamboError as exc:
            report_error(self, exc)
            return
        self.model.set_rows(list(self.current.days))
        self.table.resizeColumnsToContents()
        self.summary.setText(staff_sheet.totals_text(self.current))
        self.note.setVisible(any(d.corrected for d in self.current.days))

    def selected_day(self):
        return self.model.row_at(self.table.currentIndex())

    def correct_day(self) -> None:
        from tambo_desktop.gui.staff_dialogs import DayDialog

        day = self.selected_day()
        if day is None or self.current is None or not self.session.can("staff.edit"):
            return
        if DayDialog(self.service, self.current.person, day, self).exec() == QDialog.DialogCode.Accepted:
            row = self.table.currentIndex().row()
            self.refresh()
            self.table.selectRow(row)

    def edit_leave(self) -> None:
        from tambo_desktop.gui.staff_dialogs import LeaveDialog

        dialog = LeaveDialog(self.service, self.people, self.person.currentData(), *self.period(), parent=self)
        dialog.exec()
        if dialog.changed:
            self.refresh()

    def save_sheet(self, path: str | None = None) -> None:
        """Write the month's sheet (everyone the user may see, or only the person shown) off the GUI thread."""
        year, month = self.period()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Hoja de asistencia"), f"asistencia-{year}-{month:02d}.pdf",
                                                        _("Documento PDF (*.pdf);;Excel (*.xlsx)"))  # fmt: skip
            if not path:
                return
        fmt = "xlsx" if path.lower().endswith(".xlsx") else "pdf"
        only = [self.person.currentData()] if (self.only_this.isChecked() or not self.everyone) else None
        target = Path(path)

        def work() -> int:
            try:
                return self.service.export_month(year, month, target, fmt, only)
            except OSError as exc:
                raise TamboError(
                    _("No se puede escribir {path}: {reason}").format(path=target, reason=exc.strerror or exc)
                ) from exc

        def done(n: int) -> None:
            self.saved_path = target
            QMessageBox.information(self, _("Hoja de asistencia"), i18n.ngettext(
                "La hoja del mes de {n} persona está en {path}.", "Las hojas del mes de {n} personas están en {path}.", n
            ).format(n=n, path=target))  # fmt: skip

        from tambo_desktop.gui.ops import run_in_background

        self.operation = run_in_background(self, _("Guardando la hoja de asistencia…"), work, done)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():
                self.refresh()
        super().changeEvent(event)

    def retranslate(self) -> None:
        fill_months(self.month)
        self.month_label.setText(_("&Mes:"))
        self.person_label.setText(_("&Persona:"))
        self.correct_button.setText(_("&Corregir el día…"))
        self.leave_button.setText(_("&Licencias y feriados…"))
        self.only_this.setText(_("Solo esta persona"))
        self.save_button.setText(_("&Guardar la hoja del mes…"))
        self.note.setText(
            _("{mark} Hora corregida por el administrador; el motivo queda en la auditoría.").format(
                mark=staff_sheet.CORRECTED
            )
        )
        self.model.retranslate()
