"""Dialogs of the training page: a course, a session, enrolment, attendance, certificate
verification and a person's training history."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.intervention_dialog import from_qt, to_qt
from tambo_desktop.gui.keys import DateTimeEdit, keep_enter, select_on_focus
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import (
    INVALID_STYLE,
    error_label,
    fill_combo,
    report_error,
    select_data,
    submitted,
)
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import catalogue
from tambo_desktop.services.certificates import CertificateService, hours_text
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.facilities import FacilityService
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.training import CourseForm, CourseRow, SessionForm, SessionRow, TrainingService
from tambo_desktop.vocabulary import (
    SESSION_PLACES,
    SPOKEN_LANGUAGES,
    TRAINING_AUDIENCES,
    TRAINING_RESULTS,
    TRAINING_TOPICS,
    label,
)


def _buttons(dialog: QDialog, ok=QDialogButtonBox.StandardButton.Save) -> QDialogButtonBox:
    box = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    box.rejected.connect(dialog.reject)
    return box


class CourseDialog(QDialog):
    def __init__(self, service: TrainingService, row: CourseRow | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("courseDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.service, self.row, self.saved_id = service, row, None
        self.version, self.on_top = (row.version if row else None), False
        self.setWindowTitle(_("Capacitación") if row else _("Nueva capacitación"))
        self.error = error_label()
        self.title = QLineEdit(maxLength=150)
        self.topic, self.audience, self.entity, self.language = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.topic, TRAINING_TOPICS)
        fill_combo(self.audience, TRAINING_AUDIENCES)
        fill_combo(self.language, {k: v for k, v in SPOKEN_LANGUAGES.items() if k != "otro"})
        self.entity.addItem(_("Otro (escriba quién la da)"), None)
        for e in catalogue.entities(active_only=True):
            self.entity.addItem(f"{e.code} — {_(e.name)}", e.id)
        self.provider = QLineEdit(maxLength=120)
        self.trainer = QLineEdit(maxLength=120)
        self.certification = QLineEdit(maxLength=150)
        self.validity = QLineEdit(maxLength=3)
        select_on_focus(self.validity)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.fields = {"title": self.title, "topic": self.topic, "audience": self.audience, "provider": self.entity,
                       "trainer": self.trainer, "language": self.language, "certification": self.certification,
                       "validity_months": self.validity, "notes": self.notes}  # fmt: skip
        captions = {"title": _("&Nombre:"), "topic": _("&Tema:"), "audience": _("&Dirigida a:"), "provider": _("&Entidad:"),
                    "trainer": _("Capacitador:"), "language": _("&Lengua en que se dicta:"),
                    "certification": _("Certificación que otorga:"), "validity_months": _("Vigencia (meses):"),
                    "notes": _("Notas:")}  # fmt: skip
        layout = QFormLayout(self)
        layout.addRow(self.error)
        self.labels = {}
        for key, widget in self.fields.items():
            caption = QLabel(captions[key])
            caption.setBuddy(widget)
            self.labels[key] = caption
            layout.addRow(caption, widget)
            if key == "provider":
                self.provider_label = QLabel(_("Quién la da:"))
                layout.addRow(self.provider_label, self.provider)
        hint = QLabel(
            _("Deje la certificación vacía si no se entrega certificado; la vigencia vacía si no vence."), wordWrap=True
        )
        hint.setStyleSheet("color: #52606d;")
        layout.addRow(hint)
        box = _buttons(self)
        box.accepted.connect(self._save)
        layout.addRow(box)
        self.entity.currentIndexChanged.connect(self._entity_changed)
        if row is not None:
            self._load(row)
        self._entity_changed()
        self.resize(560, 480)

    def _load(self, row: CourseRow) -> None:
        self.version, self.on_top = row.version, False
        self.title.setText(row.title)
        select_data(self.topic, row.topic)
        select_data(self.audience, row.audience)
        self.entity.setCurrentIndex(max(0, self.entity.findData(row.entity_id)))
        self.provider.setText("" if row.entity_id else row.provider)
        self.trainer.setText(row.trainer)
        select_data(self.language, row.language)
        self.certification.setText(row.certification)
        self.validity.setText(str(row.validity_months or ""))
        self.notes.setPlainText(row.notes)

    def reload(self) -> None:
        """Show the course as another PC saved it."""
        if self.row is not None:
            self.row = self.service.course(self.row.id)
            self._load(self.row)

    def _entity_changed(self, *_args) -> None:
        other = self.entity.currentData() is None
        self.provider.setVisible(other)
        self.provider_label.setVisible(other)

    def _save(self) -> None:
        form = CourseForm(self.title.text(), self.topic.currentData() or "", self.audience.currentData() or "",
                          self.entity.currentData(), self.provider.text(), self.trainer.text(),
                          self.language.currentData() or "es", self.certification.text(), self.validity.text(),
                          self.notes.toPlainText(), self.version, self.on_top)  # fmt: skip

        def save() -> None:
            self.saved_id = self.service.save_course(form, self.row.id if self.row else None)

        if submitted(self, save, self.error, self.fields, self.labels, versioned=self):
            self.accept()


class SessionDialog(QDialog):
    def __init__(self, session, service: TrainingService, course_id: int, row: SessionRow | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("sessionDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.service, self.course_id, self.row = service, course_id, row
        self.version, self.on_top = (row.version if row else None), False
        self.setWindowTitle(_("Sesión"))
        self.error = error_label()
        start = row.starts_at if row else dt.datetime.combine(dates.today(), dt.time(9))
        end = row.ends_at if row else start + dt.timedelta(hours=3)
        self.starts = DateTimeEdit(to_qt(start), calendarPopup=True)
        self.ends = DateTimeEdit(to_qt(end), calendarPopup=True)
        self.place, self.space, self.community = QComboBox(), QComboBox(), QComboBox()
        fill_combo(self.place, SESSION_PLACES)
        self.space.addItem("—", None)
        for s in FacilityService(session).spaces(active_only=True):
            self.space.addItem(s.name, s.id)
        self.community.addItem("—", None)
        for c in CommunityService(session).list():
            self.community.addItem(c.name, c.id)
        self.fields = {"starts_at": self.starts, "ends_at": self.ends, "place": self.place, "space": self.space,
                       "community": self.community}  # fmt: skip
        self.labels = {k: QLabel(t) for k, t in (("starts_at", _("&Inicio:")), ("ends_at", _("&Fin:")), ("place", _("&Dónde:")),
                                                 ("space", _("Espacio:")), ("community", _("Centro poblado:")))}  # fmt: skip
        layout = QFormLayout(self)
        layout.addRow(self.error)
        for key, widget in self.fields.items():
            self.labels[key].setBuddy(widget)
            layout.addRow(self.labels[key], widget)
        box = _buttons(self)
        box.accepted.connect(self._save)
        layout.addRow(box)
        self.place.currentIndexChanged.connect(self._place_changed)
        if row is not None:
            self._load(row)
        self._place_changed()
        self.resize(420, 220)

    def _load(self, row: SessionRow) -> None:
        self.version, self.on_top = row.version, False
        self.starts.setDateTime(to_qt(row.starts_at))
        self.ends.setDateTime(to_qt(row.ends_at))
        select_data(self.place, row.place)
        self.space.setCurrentIndex(max(0, self.space.findData(row.space_id)))
        self.community.setCurrentIndex(max(0, self.community.findData(row.community_id)))

    def reload(self) -> None:
        """Show the session as another PC saved it."""
        row = next((s for s in self.service.sessions(self.course_id) if self.row and s.id == self.row.id), None)
        if row is not None:
            self.row = row
            self._load(row)
            self._place_changed()

    def _place_changed(self, *_args) -> None:
        place = self.place.currentData()
        for key, visible in (("space", place == "inside"), ("community", place == "outside")):
            self.fields[key].setVisible(visible)
            self.labels[key].setVisible(visible)

    def _save(self) -> None:
        form = SessionForm(from_qt(self.starts.dateTime()), from_qt(self.ends.dateTime()), self.place.currentData() or "",
                           self.space.currentData(), self.community.currentData(), self.version, self.on_top)  # fmt: skip
        save = lambda: self.service.save_session(self.course_id, form, self.row.id if self.row else None)  # noqa: E731
        if submitted(self, save, self.error, self.fields, self.labels, versioned=self):
            self.accept()


class EnrollDialog(QDialog):
    """Add people (search by DNI or name, Enter adds the first match) or staff accounts."""

    def __init__(self, session, service: TrainingService, course: CourseRow, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("enrollDialog")
        self.session, self.service, self.course = session, service, course
        self.added = 0
        self.setWindowTitle(_("Inscribir participantes"))
        self.search = QLineEdit(clearButtonEnabled=True, objectName="enrollSearch")
        self.results = QListWidget(objectName="enrollResults")
        self.status = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        if course.audience == "community":
            self.search.setPlaceholderText(_("DNI o nombre; Enter inscribe a la primera persona de la lista"))
            layout.addWidget(self.search)
            self.search.textChanged.connect(self._find)
            self.search.returnPressed.connect(self._add_first)
            keep_enter(self.search)
            self.results.itemActivated.connect(self._add_item)
        else:
            from tambo_desktop.services.interventions import InterventionService

            for user_id, name in InterventionService(session).responsibles():
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, ("user", user_id))
                self.results.addItem(item)
            self.results.itemActivated.connect(self._add_item)
            layout.addWidget(QLabel(_("Doble clic o Enter sobre una cuenta para inscribirla.")))
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.accept)
        layout.addWidget(box)
        self.resize(480, 420)

    def _find(self, text: str) -> None:
        self.results.clear()
        if len(text.strip()) < 2:
            return
        for person in PersonService(self.session).search(text, limit=20):
            caption = f"{person.full_name} · {person.document_number or '—'}"
            item = QListWidgetItem(caption)
            item.setData(Qt.ItemDataRole.UserRole, ("person", person.id))
            self.results.addItem(item)

    def _add_first(self) -> None:
        if self.results.count():
            self._add_item(self.results.item(0))

    def _add_item(self, item: QListWidgetItem) -> None:
        kind, record_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            if kind == "person":
                self.service.enroll(self.course.id, person_id=record_id)
            else:
                self.service.enroll(self.course.id, user_id=record_id)
        except TamboError as exc:
            self.status.setText(str(exc))
            return
        self.added += 1
        name = item.text().split(" · ")[0]
        self.status.setText(_("Inscrita: {name}. Van {n} inscritos en esta ventana.").format(name=name, n=self.added))
        self.search.clear()
        self.search.setFocus()


class AttendanceDialog(QDialog):
    """Tick who came to a session: the list of participants, a search where a DNI + Enter ticks
    that person, «all present»; saved at once."""

    def __init__(self, service: TrainingService, course_id: int, sessions: list[SessionRow], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("attendanceDialog")
        self.service, self.course_id = service, course_id
        self.setWindowTitle(_("Tomar asistencia"))
        self.session_combo = QComboBox()
        for s in sessions:
            self.session_combo.addItem(
                f"{i18n.format_date(s.starts_at.date(), 'weekday_date')} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}", s.id
            )
        past = [i for i, s in enumerate(sessions) if s.starts_at.date() <= dates.today()]
        self.session_combo.setCurrentIndex(past[-1] if past else 0)
        self.search = QLineEdit(clearButtonEnabled=True, objectName="attendanceSearch")
        self.search.setPlaceholderText(_("DNI o nombre y Enter: marca a esa persona"))
        self.list = QListWidget(objectName="attendanceList")
        self.count = QLabel()
        self.all_button = QPushButton(_("&Todos presentes"))
        self.none_button = QPushButton(_("&Ninguno"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Sesión:")))
        top.addWidget(self.session_combo, 1)
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        row.addWidget(self.count)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        box = _buttons(self)
        box.accepted.connect(self._save)
        layout.addWidget(box)
        self.participants = service.participants(course_id)
        for p in self.participants:
            item = QListWidgetItem(f"{p.name} · {p.document or '—'}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.list.addItem(item)
        self.session_combo.currentIndexChanged.connect(self._load)
        self.search.returnPressed.connect(self._tick_found)
        keep_enter(self.search)  # a DNI + Enter ticks that person, it does not save the list
        self.list.itemChanged.connect(self._count)
        self.all_button.clicked.connect(lambda: self._set_all(True))
        self.none_button.clicked.connect(lambda: self._set_all(False))
        self._load()
        self.resize(520, 620)
        self.search.setFocus()

    def _load(self, *_args) -> None:
        session_id = self.session_combo.currentData()
        present = self.service.attendance(session_id) if session_id else set()
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in present else Qt.CheckState.Unchecked
            )
        self.list.blockSignals(False)
        self._count()

    def _set_all(self, present: bool) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)

    def present(self) -> set[int]:
        return {self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked}  # fmt: skip

    def _count(self, *_args) -> None:
        self.count.setText(_("{n} de {total} presentes").format(n=len(self.present()), total=self.list.count()))

    def _tick_found(self) -> None:
        text = self.search.text().strip().casefold()
        if not text:
            return
        for i in range(self.list.count()):
            item = self.list.item(i)
            if text in item.text().casefold():
                item.setCheckState(Qt.CheckState.Checked)
                self.list.scrollToItem(item)
                self.list.setCurrentItem(item)
                self.error.hide()
                self.search.clear()
                return
        self.error.setText(_("Nadie de la lista coincide con «{text}».").format(text=self.search.text().strip()))
        self.error.show()

    def _save(self) -> None:
        try:
            self.service.set_attendance(self.session_combo.currentData(), self.present())
        except TamboError as exc:
            report_error(self, exc)
            return
        self.accept()


class VerifyDialog(QDialog):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.service = CertificateService(session)
        self.setWindowTitle(_("Verificar un certificado"))
        self.code = QLineEdit(objectName="codeEdit", maxLength=30)
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.result = QLabel(wordWrap=True, objectName="verifyResult")
        self.result.setMinimumHeight(60)
        button = QPushButton(_("&Verificar"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Escriba el código impreso en el certificado (o léalo del código QR):")))
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(button)
        layout.addLayout(row)
        layout.addWidget(self.result)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        button.clicked.connect(self.verify)
        self.code.returnPressed.connect(self.verify)
        keep_enter(self.code)
        self.resize(520, 200)

    def verify(self) -> None:
        try:
            result = self.service.verify(self.code.text())
        except TamboError as exc:
            report_error(self, exc)
            return
        colour = "#1b5e20" if result.genuine else "#b71c1c"
        mark = "✔" if result.genuine else "✘"
        self.result.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.result.setText(f"{mark} {result.message}")


HISTORY_COLUMNS = (
    Column(N_("Capacitación"), lambda r: r.title),
    Column(N_("Entidad o proveedor"), lambda r: r.provider),
    Column(N_("Fin"), lambda r: i18n.format_date(r.last_day, "short") if r.last_day else ""),
    Column(N_("Horas"), lambda r: hours_text(r.hours), align_right=True),
    Column(N_("Resultado"), lambda r: label(TRAINING_RESULTS, r.result)),
    Column(N_("Certificación"), lambda r: r.certification),
    Column(N_("Vigente hasta"), lambda r: i18n.format_date(r.valid_until, "short") if r.valid_until else ""),
    Column(N_("Código"), lambda r: r.certificate_code or ""),
)


class HistoryDialog(QDialog):
    """The trainings of one person of the registry or one staff member, and the total hours."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingHistoryDialog")
        self.session = session
        self.service = TrainingService(session)
        self.setWindowTitle(_("Historial de capacitación"))
        self.who = QComboBox(objectName="whoCombo", editable=False)
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.setPlaceholderText(_("DNI o nombre de una persona; Enter busca"))
        from tambo_desktop.services.interventions import InterventionService

        self.who.addItem("—", None)
        for user_id, name in InterventionService(session).responsibles():
            self.who.addItem(_("Personal: {name}").format(name=name), ("user", user_id))
        self.model = RowsModel(HISTORY_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.total = QLabel(objectName="totalLabel")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.who, 1)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.search.returnPressed.connect(self._find)
        keep_enter(self.search)
        self.who.currentIndexChanged.connect(self._show)
        self.resize(860, 420)

    def _find(self) -> None:
        found = PersonService(self.session).search(self.search.text(), limit=10)
        for i in range(self.who.count() - 1, 0, -1):
            if (self.who.itemData(i) or ("",))[0] == "person":
                self.who.removeItem(i)
        for index, person in enumerate(found):
            self.who.insertItem(
                1 + index, f"{person.full_name} · {person.document_number or '—'}", ("person", person.id)
            )
        if found:
            self.who.setCurrentIndex(1)

    def show_for(self, kind: str, record_id: int) -> None:
        self.who.addItem("", (kind, record_id))
        self.who.setCurrentIndex(self.who.count() - 1)

    def _show(self, *_args) -> None:
        data = self.who.currentData()
        if not data:
            self.model.set_rows([])
            self.total.setText("")
            return
        kind, record_id = data
        rows = (
            self.service.history(person_id=record_id) if kind == "person" else self.service.history(user_id=record_id)
        )
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.total.setText(
            _("{n} capacitaciones, {hours} horas en total").format(
                n=len(rows), hours=hours_text(sum(r.hours for r in rows))
            )
        )
