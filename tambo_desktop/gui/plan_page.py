"""The gestor's plan de trabajo mensual: needs, potentials, the month's interventions; submitted to
the supervisor, who approves it or returns it with comments. The history is shown below."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.indicators import fill_months
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.plans import PlanRow, PlanService
from tambo_desktop.vocabulary import INTERVENTION_STATUSES, PLAN_STATUSES, label

COLUMNS = (
    Column(N_("Fecha"), lambda r: i18n.format_date(r.starts_at.date(), "weekday_day_month")),
    Column(N_("Hora"), lambda r: f"{r.starts_at:%H:%M}–{r.ends_at:%H:%M}"),
    Column(N_("Entidad"), lambda r: r.entity_label),
    Column(N_("Intervención"), lambda r: r.title),
    Column(N_("Lugar"), lambda r: r.where),
    Column(N_("Estado"), lambda r: label(INTERVENTION_STATUSES, r.status)),
)
ACTIONS = {
    "submitted": N_("Enviado al supervisor"),
    "approved": N_("Aprobado"),
    "returned": N_("Devuelto con observaciones"),
}


class PlanPage(QWidget):
    """One gestor's plan of one month."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("planPage")
        self.session = session
        self.service = PlanService(session)
        self.plan: PlanRow | None = None
        today = dates.today()
        self.month = QComboBox(objectName="monthCombo")
        self.year = QSpinBox(minimum=2013, maximum=today.year + 2, value=today.year, objectName="yearSpin")
        self.gestor = QComboBox(objectName="gestorCombo")
        self.status = QLabel(objectName="statusLabel", wordWrap=True)
        self.needs = QPlainTextEdit(objectName="needsEdit")
        self.potentials = QPlainTextEdit(objectName="potentialsEdit")
        for edit in (self.needs, self.potentials):
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 5 + 12)
        self.comments = QLabel(objectName="commentsLabel", wordWrap=True)
        self.comments.setStyleSheet("color: #8a4b00;")
        self.model = RowsModel(COLUMNS, self)
        self.table = QTableView(objectName="planInterventions")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.history = QTextBrowser(objectName="planHistory")
        self.history.setMaximumHeight(110)
        self.save_button = QPushButton(objectName="saveButton")
        self.submit_button = QPushButton(objectName="submitButton")
        self.approve_button = QPushButton(objectName="approveButton")
        self.return_button = QPushButton(objectName="returnButton")
        top = QHBoxLayout()
        self.month_label, self.gestor_label = QLabel(), QLabel()
        self.month_label.setBuddy(self.month)
        self.gestor_label.setBuddy(self.gestor)
        for w in (self.month_label, self.month, self.year, self.gestor_label, self.gestor):
            top.addWidget(w)
        top.addStretch(1)
        form = QFormLayout()
        self.needs_label, self.potentials_label, self.table_label, self.history_label = (
            QLabel(),
            QLabel(),
            QLabel(),
            QLabel(),
        )
        self.needs_label.setBuddy(self.needs)
        self.potentials_label.setBuddy(self.potentials)
        form.addRow(self.needs_label, self.needs)
        form.addRow(self.potentials_label, self.potentials)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.submit_button, self.approve_button, self.return_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.comments)
        layout.addLayout(form)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history)
        fill_months(self.month)
        self.month.setCurrentIndex(today.month - 1)
        for user_id, name in self.service.gestores():
            self.gestor.addItem(name, user_id)
        # Who may only write their own plan sees it; who may read or write anyone's chooses the gestor.
        only_own = session.can("plans.edit") and not session.can("plans.edit_any")
        own = self.gestor.findData(session.user.id) if only_own else -1
        self.gestor.setCurrentIndex(max(0, own))
        self.gestor.setEnabled(not only_own or own < 0)
        self.month.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.gestor.currentIndexChanged.connect(self.refresh)
        self.save_button.clicked.connect(self._save)
        self.submit_button.clicked.connect(self._submit)
        self.approve_button.clicked.connect(self._approve)
        self.return_button.clicked.connect(self._return)
        self.retranslate()
        self.refresh()

    def period(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def refresh(self, *_args) -> None:
        gestor_id = self.gestor.currentData()
        if gestor_id is None:
            self.plan = None
            self.status.setText(_("No hay gestores activos."))
            return
        year, month = self.period()
        try:
            self.plan = self.service.get(year, month, gestor_id)
            rows = self.service.interventions(year, month, gestor_id)
            history = self.service.history(self.plan.id)
        except TamboError as exc:
            report_error(self, exc)
            return
        self.needs.setPlainText(self.plan.needs)
        self.potentials.setPlainText(self.plan.potentials)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        lines = [
            f"<b>{i18n.format_datetime(e.at, 'short')}</b> · {e.username} · {_(ACTIONS.get(e.action, e.action))}"
            + (f": {e.comment}" if e.comment else "")
            for e in history
        ]
        self.history.setHtml("<br>".join(lines) or _("Sin movimientos."))
        self._state()

    def _state(self) -> None:
        plan = self.plan
        status = plan.status if plan else "draft"
        self.status.setText(_("Estado del plan: {status}").format(status=label(PLAN_STATUSES, status)))
        self.comments.setVisible(bool(plan and plan.review_comments and status == "returned"))
        if plan:
            self.comments.setText(_("Observaciones del supervisor: {text}").format(text=plan.review_comments))
        writable = status in ("draft", "returned") and self.session.can_for("plans.edit", self.gestor.currentData())
        for edit in (self.needs, self.potentials):
            edit.setReadOnly(not writable)
        self.save_button.setVisible(writable)
        self.submit_button.setVisible(writable)
        reviewer = self.session.can("plans.review") and status == "submitted"
        self.approve_button.setVisible(reviewer)
        self.return_button.setVisible(reviewer)

    def _save(self) -> bool:
        try:
            self.service.save(
                *self.period(), self.gestor.currentData(), self.needs.toPlainText(), self.potentials.toPlainText()
            )
        except TamboError as exc:
            report_error(self, exc)
            return False
        self.refresh()
        return True

    def _submit(self) -> None:
        if not self._save():
            return
        try:
            self.service.submit(*self.period(), self.gestor.currentData())
        except TamboError as exc:
            report_error(self, exc)
            return
        QMessageBox.information(self, _("Plan enviado"), _("El plan se envió al supervisor para su revisión."))
        self.refresh()

    def _approve(self) -> None:
        comment, ok = QInputDialog.getText(self, _("Aprobar el plan"), _("Comentario (opcional):"))
        if ok:
            self._decide(lambda: self.service.approve(self.plan.id, comment))

    def _return(self) -> None:
        comment = ""
        while True:  # after an error the observations come back as they were typed
            comment, ok = QInputDialog.getMultiLineText(
                self, _("Devolver el plan"), _("Observaciones para el gestor:"), comment
            )
            if not ok or self._decide(lambda text=comment: self.service.return_(self.plan.id, text)):
                return

    def _decide(self, action) -> bool:
        try:
            action()
        except TamboError as exc:
            report_error(self, exc)
            return False
        self.refresh()
        return True

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():  # a hidden page refreshes when it is shown
                self.refresh()
        super().changeEvent(event)

    def retranslate(self) -> None:
        fill_months(self.month)
        self.month_label.setText(_("&Mes:"))
        self.gestor_label.setText(_("&Gestor:"))
        self.needs_label.setText(_("&Necesidades que atiende:"))
        self.potentials_label.setText(_("Po&tencialidades:"))
        self.table_label.setText(_("Intervenciones del mes a su cargo (se programan en el calendario):"))
        self.history_label.setText(_("Historial del plan:"))
        self.save_button.setText(_("Guardar &borrador"))
        self.submit_button.setText(_("&Enviar al supervisor"))
        self.approve_button.setText(_("&Aprobar…"))
        self.return_button.setText(_("&Devolver con observaciones…"))
        self.model.retranslate()
        self._state()
