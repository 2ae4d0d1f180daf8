"""The training page: the courses of a year on the left; the chosen course's sessions and
participants on the right, with attendance, results and certificates."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui import page_load
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.training_dialogs import (
    AttendanceDialog,
    CourseDialog,
    EnrollDialog,
    HistoryDialog,
    SessionDialog,
    VerifyDialog,
)
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.certificates import CertificateService, hours_text
from tambo_desktop.services.training import CERTIFIED, TrainingService, valid_until
from tambo_desktop.vocabulary import SPOKEN_LANGUAGES, TRAINING_AUDIENCES, TRAINING_RESULTS, TRAINING_TOPICS, label

COURSE_COLUMNS = (
    Column(N_("Inicio"), lambda r: i18n.format_date(r.first_day, "short") if r.first_day else "—"),
    Column(N_("Capacitación"), lambda r: r.title),  # for whom: the filter above and the course's header
    Column(N_("Participantes"), lambda r: r.participants, align_right=True),
)
SESSION_COLUMNS = (
    Column(N_("Fecha"), lambda r: i18n.format_date(r.starts_at.date(), "weekday_date")),
    Column(N_("Hora"), lambda r: f"{r.starts_at:%H:%M}–{r.ends_at:%H:%M}"),
    Column(N_("Horas"), lambda r: hours_text(r.hours), align_right=True),
    Column(N_("Lugar"), lambda r: r.where),
)
PARTICIPANT_COLUMNS = (
    Column(N_("Participante"), lambda r: r.name),
    Column(N_("Documento"), lambda r: r.document),
    Column(N_("Sesiones"), lambda r: r.sessions_attended, align_right=True),
    Column(N_("Horas"), lambda r: hours_text(r.hours), align_right=True),
    Column(N_("Resultado"), lambda r: label(TRAINING_RESULTS, r.result)),
    Column(N_("Certificado"), lambda r: r.certificate_code or ""),
)


def _table(model: RowsModel, multi: bool = False) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class TrainingPage(QWidget):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPage")
        self.session = session
        self.service = TrainingService(session)
        self.course = None
        today = dates.today()
        self.year = QSpinBox(minimum=2013, maximum=today.year + 1, value=today.year, objectName="yearSpin")
        self.audience = QComboBox(objectName="audienceCombo")
        self.search = QLineEdit(clearButtonEnabled=True, objectName="courseSearch")
        self.courses_model = RowsModel(COURSE_COLUMNS, self)
        self.courses_table = _table(self.courses_model)
        self.courses_table.setObjectName("coursesTable")
        header = self.courses_table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(len(COURSE_COLUMNS)):
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if column == 1 else QHeaderView.ResizeMode.ResizeToContents
            )
        self.new_button = QPushButton(objectName="newCourseButton")
        self.verify_button = QPushButton(objectName="verifyButton")
        self.history_button = QPushButton(objectName="historyButton")
        self.export_button = QPushButton(objectName="exportButton")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        filters = QHBoxLayout()
        self.year_label = QLabel()
        self.year_label.setBuddy(self.year)
        for w in (self.year_label, self.year, self.audience):
            filters.addWidget(w)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.courses_table, 1)
        for row_buttons in ((self.new_button, self.verify_button), (self.history_button, self.export_button)):
            row = QHBoxLayout()
            for b in row_buttons:
                row.addWidget(b)
            left_layout.addLayout(row)
        self.header = QLabel(objectName="courseHeader", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.edit_button = QPushButton(objectName="editCourseButton")
        self.delete_button = QPushButton(objectName="deleteCourseButton")
        self.sessions_model = RowsModel(SESSION_COLUMNS, self)
        self.sessions_table = _table(self.sessions_model)
        self.sessions_table.setObjectName("sessionsTable")
        self.add_session_button = QPushButton(objectName="addSessionButton")
        self.edit_session_button = QPushButton(objectName="editSessionButton")
        self.delete_session_button = QPushButton(objectName="deleteSessionButton")
        self.participants_model = RowsModel(PARTICIPANT_COLUMNS, self)
        self.participants_table = _table(self.participants_model, multi=True)
        self.participants_table.setObjectName("participantsTable")
        self.enroll_button = QPushButton(objectName="enrollButton")
        self.attendance_button = QPushButton(objectName="attendanceButton")
        self.result_button = QPushButton(objectName="resultButton")
        self.remove_button = QPushButton(objectName="removeButton")
        self.certificates_button = QPushButton(objectName="certificatesButton")
        self.result_menu = QMenu(self)
        self.result_button.setMenu(self.result_menu)
        self.sessions_title, self.participants_title = QLabel(), QLabel()
        self.summary = QLabel(objectName="participantsSummary", wordWrap=True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(head)
        right_layout.addWidget(self.sessions_title)
        right_layout.addWidget(self.sessions_table, 1)
        for row_buttons in ((self.add_session_button, self.edit_session_button), (self.delete_session_button,)):
            row = QHBoxLayout()
            for b in row_buttons:
                row.addWidget(b)
            row.addStretch(1)
            right_layout.addLayout(row)
        right_layout.addWidget(self.participants_title)
        right_layout.addWidget(self.participants_table, 3)
        right_layout.addWidget(self.summary)
        # two rows of buttons: one row was wider than a 1024-pixel screen leaves the page
        for row_buttons in (
            (self.enroll_button, self.attendance_button, self.result_button),
            (self.remove_button, self.certificates_button),
        ):
            row = QHBoxLayout()
            for b in row_buttons:
                row.addWidget(b)
            row.addStretch(1)
            right_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 650])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.year.valueChanged.connect(self.refresh)
        self.audience.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)
        self.courses_table.selectionModel().currentRowChanged.connect(lambda *_a: self._course_chosen())
        self.new_button.clicked.connect(self._new_course)
        self.edit_button.clicked.connect(self._edit_course)
        self.delete_button.clicked.connect(self._delete_course)
        self.verify_button.clicked.connect(lambda: VerifyDialog(self.session, self).exec())
        self.history_button.clicked.connect(self.open_history)
        self.export_button.clicked.connect(lambda: self.export_year())
        self.add_session_button.clicked.connect(lambda: self._session_dialog(None))
        self.edit_session_button.clicked.connect(lambda: self._session_dialog(self._selected_session()))
        self.sessions_table.doubleClicked.connect(lambda *_a: self._session_dialog(self._selected_session()))
        self.delete_session_button.clicked.connect(self._delete_session)
        self.enroll_button.clicked.connect(self._enroll)
        self.attendance_button.clicked.connect(self.take_attendance)
        self.remove_button.clicked.connect(self._remove)
        self.certificates_button.clicked.connect(lambda: self.print_certificates())
        can_edit = session.can("training.edit")
        for b in (
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.add_session_button,
            self.edit_session_button,
            self.delete_session_button,
            self.enroll_button,
            self.attendance_button,
            self.result_button,
            self.remove_button,
        ):
            b.setEnabled(can_edit)  # fmt: skip
        self.retranslate()
        page_load.first_load(self)  # with the main window: when first shown

    # -- data -----------------------------------------------------------------------------------

    def refresh(self, *_args) -> None:
        current = self.course.id if self.course else None
        try:
            rows = self.service.courses(self.year.value(), self.audience.currentData() or "", self.search.text())
        except TamboError as exc:
            report_error(self, exc)
            return
        self.courses_model.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if r.id == current), 0 if rows else -1)
        if index >= 0:
            self.courses_table.selectRow(index)
        self._course_chosen()

    def select_course(self, course_id: int) -> None:
        for i, row in enumerate(self.courses_model.rows):
            if row.id == course_id:
                self.courses_table.selectRow(i)
                return

    def _course_chosen(self) -> None:
        row = self.courses_model.row_at(self.courses_table.currentIndex())
        self.course = row
        has = row is not None
        for b in (
            self.edit_button,
            self.delete_button,
            self.add_session_button,
            self.enroll_button,
            self.attendance_button,
            self.result_button,
            self.remove_button,
            self.certificates_button,
        ):
            b.setVisible(has)  # fmt: skip
        if row is None:
            self.header.setText(_("No hay capacitaciones en este año. Cree una con «Nueva capacitación…»."))
            self.sessions_model.set_rows([])
            self.participants_model.set_rows([])
            self.summary.setText("")
            return
        row = self.course = self.service.course(row.id)
        from html import escape

        lines = [f"<b>{escape(row.title)}</b>",
                 escape(f"{label(TRAINING_TOPICS, row.topic)} · {label(TRAINING_AUDIENCES, row.audience)} · {row.provider_name}")]  # fmt: skip
        details = []
        if row.trainer:
            details.append(_("Capacitador: {name}").format(name=row.trainer))
        details.append(_("Lengua: {language}").format(language=label(SPOKEN_LANGUAGES, row.language)))
        if row.certification:
            cert = _("Certificación: {name}").format(name=row.certification)
            until = valid_until(row.last_day, row.validity_months)
            if until:
                cert += " · " + _("vigente hasta el {date}").format(date=i18n.format_date(until, "short"))
            details.append(cert)
        else:
            details.append(_("Sin certificado"))
        lines.append(escape(" · ".join(details)))
        self.header.setText("<br>".join(lines))
        sessions = self.service.sessions(row.id)
        self.sessions_model.set_rows(sessions)
        self.sessions_table.resizeColumnsToContents()
        participants = self.service.participants(row.id)
        self.participants_model.set_rows(participants)
        self.participants_table.resizeColumnsToContents()
        certified = sum(1 for p in participants if p.result in CERTIFIED and p.sessions_attended)
        self.summary.setText(
            _("{n} participantes · {hours} horas de curso · {certified} con derecho a certificado").format(
                n=len(participants), hours=hours_text(row.hours), certified=certified
            )
        )
        self.certificates_button.setEnabled(bool(row.certification) and certified > 0)
        self.attendance_button.setEnabled(self.session.can("training.edit") and bool(sessions) and bool(participants))

    def _selected_session(self):
        return self.sessions_model.row_at(self.sessions_table.currentIndex())

    def _selected_participants(self) -> list[int]:
        rows = {i.row() for i in self.participants_table.selectionModel().selectedRows()}
        return [self.participants_model.rows[r].id for r in sorted(rows)]

    # -- actions --------------------------------------------------------------------------------

    def _new_course(self) -> None:
        dialog = CourseDialog(self.service, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.course = None
            self.search.clear()
            self.refresh()
            self.select_course(dialog.saved_id)

    def _edit_course(self) -> None:
        if self.course and CourseDialog(self.service, self.course, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _delete_course(self) -> None:
        if not self.course:
            return
        question = _("¿Eliminar la capacitación «{title}» con sus sesiones y participantes?").format(
            title=self.course.title
        )
        if QMessageBox.question(self, _("Eliminar"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service.delete_course(self.course.id)
        except TamboError as exc:
            report_error(self, exc)
            return
        self.course = None
        self.refresh()

    def _session_dialog(self, row) -> None:
        if (
            self.course
            and SessionDialog(self.session, self.service, self.course.id, row, self).exec()
            == QDialog.DialogCode.Accepted
        ):
            self.refresh()

    def _delete_session(self) -> None:
        row = self._selected_session()
        if row is None:
            return
        try:
            self.service.delete_session(row.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def _enroll(self) -> None:
        if self.course:
            EnrollDialog(self.session, self.service, self.course, self).exec()
            self.refresh()

    def take_attendance(self) -> None:
        if not self.course:
            return
        sessions = self.service.sessions(self.course.id)
        if AttendanceDialog(self.service, self.course.id, sessions, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def set_result(self, result: str) -> None:
        chosen = self._selected_participants()
        if not chosen:
            QMessageBox.information(self, _("Resultado"), _("Seleccione primero a los participantes en la lista."))
            return
        try:
            self.service.set_result(chosen, result)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def _remove(self) -> None:
        chosen = self._selected_participants()
        if not chosen:
            return
        try:
            for enrollment_id in chosen:
                self.service.remove(enrollment_id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def print_certificates(self, path: str | None = None) -> None:
        if not self.course:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Certificados"), f"certificados-{self.course.id}.pdf",
                                                        _("Documento PDF (*.pdf)"))  # fmt: skip
            if not path:
                return
        chosen = self._selected_participants()
        try:
            n = CertificateService(self.session).export_pdf(self.course.id, path, chosen if len(chosen) > 1 else None)
        except (TamboError, OSError) as exc:
            report_error(self, exc if isinstance(exc, TamboError) else TamboError(
                _("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ))  # fmt: skip
            return
        self.refresh()
        QMessageBox.information(
            self, _("Certificados"), _("{n} certificados impresos en {path}.").format(n=n, path=path)
        )

    def open_history(self) -> None:
        dialog = HistoryDialog(self.session, self)
        chosen = self._selected_participants()
        if chosen:
            row = next(p for p in self.participants_model.rows if p.id == chosen[0])
            dialog.show_for("person" if row.person_id else "user", row.person_id or row.user_id)
        dialog.exec()

    def export_year(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Resumen del año"), f"capacitaciones-{self.year.value()}.xlsx",
                                                        _("Excel (*.xlsx);;CSV (*.csv)"))  # fmt: skip
            if not path:
                return
        fmt = "csv" if path.lower().endswith(".csv") else "xlsx"
        try:
            n = self.service.export_year(self.year.value(), path, fmt)
        except (TamboError, OSError) as exc:
            report_error(self, exc if isinstance(exc, TamboError) else TamboError(
                _("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ))  # fmt: skip
            return
        QMessageBox.information(
            self, _("Resumen del año"), _("Exportadas {n} capacitaciones a {path}.").format(n=n, path=path)
        )

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():  # a hidden page refreshes when it is shown
                self.refresh()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.year_label.setText(_("Añ&o:"))
        current = self.audience.currentData()
        self.audience.blockSignals(True)
        self.audience.clear()
        self.audience.addItem(_("Todas"), "")
        for code in TRAINING_AUDIENCES:
            self.audience.addItem(label(TRAINING_AUDIENCES, code), code)
        self.audience.setCurrentIndex(max(0, self.audience.findData(current)))
        self.audience.blockSignals(False)
        self.search.setPlaceholderText(_("Buscar capacitación"))
        self.new_button.setText(_("&Nueva capacitación…"))
        self.verify_button.setText(_("Verificar un &certificado…"))
        self.history_button.setText(_("&Historial de una persona…"))
        self.export_button.setText(_("E&xportar el año…"))
        self.edit_button.setText(_("&Modificar…"))
        self.delete_button.setText(_("Eliminar"))
        self.sessions_title.setText(_("Sesiones"))
        self.participants_title.setText(_("Participantes"))
        self.add_session_button.setText(_("Añadir &sesión…"))
        self.edit_session_button.setText(_("Modificar sesión…"))
        self.delete_session_button.setText(_("Quitar sesión"))
        self.enroll_button.setText(_("&Inscribir…"))
        self.attendance_button.setText(_("Tomar &asistencia…"))
        self.result_button.setText(_("&Resultado"))
        self.remove_button.setText(_("Quitar"))
        self.certificates_button.setText(_("&Certificados (PDF)…"))
        self.result_menu.clear()
        for code in ("passed", "failed", "attended"):
            action = self.result_menu.addAction(label(TRAINING_RESULTS, code))
            action.triggered.connect(lambda _c=False, c=code: self.set_result(c))
        for model in (self.courses_model, self.sessions_model, self.participants_model):
            model.retranslate()
