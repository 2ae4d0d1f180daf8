"""A community's needs diagnostics, the services that answer them, proposals of interventions in one
step, and the community over time (diagnostics, trips, interventions, atenciones per month)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.intervention_dialog import from_qt, to_qt
from tambo_desktop.gui.keys import DateEdit, DateTimeEdit
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import INVALID_STYLE, error_label, report_error, submitted
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.diagnostics import DiagnosticForm, DiagnosticService
from tambo_desktop.vocabulary import ECONOMIC_ACTIVITIES, NEEDS, label

DIAGNOSTIC_COLUMNS = (
    Column(N_("Fecha"), lambda d: i18n.format_date(d.made_on, "short")),
    Column(N_("Actividades"), lambda d: ", ".join(label(ECONOMIC_ACTIVITIES, c) for c in d.activities)),
    Column(N_("Necesidades"), lambda d: ", ".join(label(NEEDS, c) for c in d.needs)),
    Column(N_("Prioridades"), lambda d: d.priorities),
)
TIMELINE_COLUMNS = (
    Column(N_("Mes"), lambda r: r.month),
    Column(N_("Diagnósticos"), lambda r: r.diagnostics, align_right=True),
    Column(N_("Viajes"), lambda r: r.trips, align_right=True),
    Column(N_("Intervenciones"), lambda r: r.interventions, align_right=True),
    Column(N_("Atenciones"), lambda r: r.attentions, align_right=True),
    Column(N_("Usuarios"), lambda r: r.users, align_right=True),
)


def _checks(vocabulary: dict[str, str]) -> QListWidget:
    widget = QListWidget()
    for code in vocabulary:
        item = QListWidgetItem(label(vocabulary, code))
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip


class DiagnosticsDialog(QDialog):
    def __init__(self, session, community_id: int, community_name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnosticsDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.session, self.community_id = session, community_id
        self.service = DiagnosticService(session)
        self.setWindowTitle(_("Diagnósticos de {name}").format(name=community_name))
        tabs = QTabWidget()
        # the list and the suggestions of the chosen diagnostic
        page = QWidget()
        self.model = RowsModel(DIAGNOSTIC_COLUMNS, self)
        self.table = QTableView(objectName="diagnosticsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.suggestions = QListWidget(objectName="suggestionsList")
        self.when = DateTimeEdit(calendarPopup=True)
        self.when.setDateTime(to_qt(dt.datetime.combine(dates.today() + dt.timedelta(days=21), dt.time(9))))
        self.propose_button = QPushButton(_("&Proponer intervenciones con los servicios marcados"))
        self.propose_button.setEnabled(session.can("interventions.edit"))
        layout = QVBoxLayout(page)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(_("Servicios que responden a las necesidades del diagnóstico elegido:")))
        layout.addWidget(self.suggestions, 2)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Fecha propuesta:")))
        row.addWidget(self.when)
        row.addWidget(self.propose_button, 1)
        layout.addLayout(row)
        tabs.addTab(page, _("Diagnósticos"))
        # a new diagnostic
        form_page = QWidget()
        self.error = error_label()
        self.made_on = DateEdit(QDate(dates.today()), calendarPopup=True)
        self.activities = _checks(ECONOMIC_ACTIVITIES)
        self.needs = _checks(NEEDS)
        self.potentials, self.priorities = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.potentials, self.priorities):
            edit.setMaximumHeight(60)
        self.save_button = QPushButton(_("&Guardar el diagnóstico"))
        self.save_button.setEnabled(session.can("diagnostics.edit"))
        form = QFormLayout(form_page)
        form.addRow(self.error)
        self.fields = {"made_on": self.made_on, "activities": self.activities, "needs": self.needs,
                       "potentials": self.potentials, "priorities": self.priorities}  # fmt: skip
        self.labels = {"made_on": QLabel(_("Fecha:")), "activities": QLabel(_("Actividades económicas:")),
                       "needs": QLabel(_("Necesidades encontradas:")), "potentials": QLabel(_("Potencialidades:")),
                       "priorities": QLabel(_("Prioridades:"))}  # fmt: skip
        for key, widget in self.fields.items():
            form.addRow(self.labels[key], widget)
        form.addRow(self.save_button)
        tabs.addTab(form_page, _("Nuevo diagnóstico"))
        # over time
        self.timeline_model = RowsModel(TIMELINE_COLUMNS, self)
        timeline = QTableView(objectName="timelineTable")
        timeline.setModel(self.timeline_model)
        timeline.verticalHeader().hide()
        tabs.addTab(timeline, _("En el tiempo"))
        self.tabs = tabs
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        rules = box.addButton(_("&Reglas de servicios…"), QDialogButtonBox.ButtonRole.ActionRole)
        rules.clicked.connect(lambda: (RulesDialog(self.session, self).exec(), self._suggest()))
        main = QVBoxLayout(self)
        main.addWidget(tabs)
        main.addWidget(box)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._suggest())
        self.propose_button.clicked.connect(self.propose)
        self.save_button.clicked.connect(self.save)
        self.refresh()
        self.resize(760, 620)

    def refresh(self) -> None:
        self.model.set_rows(self.service.list(self.community_id))
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._suggest()
        self.timeline_model.set_rows(self.service.timeline(self.community_id))

    def _suggest(self) -> None:
        self.suggestions.clear()
        row = self.model.row_at(self.table.currentIndex())
        if row is None:
            return
        for s in self.service.suggestions(row.id):
            needs = ", ".join(label(NEEDS, n) for n in s.needs)
            item = QListWidgetItem(f"{s.entity_code} — {s.service}  ({needs})")
            item.setData(Qt.ItemDataRole.UserRole, s.service_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.suggestions.addItem(item)

    def save(self) -> None:
        d = self.made_on.date()
        form = DiagnosticForm(self.community_id, dt.date(d.year(), d.month(), d.day()), _checked(self.activities),
                              _checked(self.needs), self.potentials.toPlainText(), self.priorities.toPlainText())  # fmt: skip
        if not submitted(self, lambda: self.service.save(form), self.error, self.fields, self.labels):
            return
        self.error.hide()
        self.refresh()
        self.tabs.setCurrentIndex(0)

    def propose(self) -> None:
        row = self.model.row_at(self.table.currentIndex())
        chosen = _checked(self.suggestions)
        if row is None or not chosen:
            QMessageBox.information(
                self, _("Proponer"), _("Marque primero los servicios que se llevarán a la comunidad.")
            )
            return
        try:
            ids = self.service.propose(row.id, chosen, from_qt(self.when.dateTime()))
        except TamboError as exc:
            report_error(self, exc)
            return
        QMessageBox.information(self, _("Proponer"), i18n.ngettext(
            "{n} intervención solicitada en el calendario: la entidad la confirma y queda programada.",
            "{n} intervenciones solicitadas en el calendario: cada entidad las confirma y quedan programadas.", len(ids),
        ).format(n=len(ids)))  # fmt: skip
        self.refresh()


RULE_COLUMNS = (
    Column(N_("Necesidad"), lambda r: label(NEEDS, r.need)),
    Column(N_("Solo para la actividad"), lambda r: label(ECONOMIC_ACTIVITIES, r.activity) if r.activity else ""),
    Column(N_("Servicio"), lambda r: f"{r.entity_code} — {r.service}"),
)


class RulesDialog(QDialog):
    """Which services answer which needs: administrators add and remove rules."""

    def __init__(self, session, parent=None) -> None:
        from PySide6.QtWidgets import QAbstractItemView, QComboBox

        from tambo_desktop.services import catalogue

        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.service = DiagnosticService(session)
        self.setWindowTitle(_("Reglas: servicios para cada necesidad"))
        self.model = RowsModel(RULE_COLUMNS, self)
        self.table = QTableView(objectName="rulesTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.need, self.activity, self.offered = QComboBox(), QComboBox(), QComboBox()
        for code in NEEDS:
            self.need.addItem(label(NEEDS, code), code)
        self.activity.addItem(_("Cualquier actividad"), "")
        for code in ECONOMIC_ACTIVITIES:
            self.activity.addItem(label(ECONOMIC_ACTIVITIES, code), code)
        for s in catalogue.services():
            self.offered.addItem(s.label, s.id)
        add, remove = QPushButton(_("&Añadir regla")), QPushButton(_("&Quitar la regla elegida"))
        editable = session.can("rules.edit")
        for w in (self.need, self.activity, self.offered, add, remove):
            w.setEnabled(editable)
        row = QHBoxLayout()
        for w in (self.need, self.activity, self.offered, add):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(remove)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        self.refresh()
        self.resize(820, 560)

    def refresh(self) -> None:
        self.model.set_rows(self.service.rules())
        self.table.resizeColumnsToContents()

    def add(self) -> None:
        try:
            self.service.add_rule(self.need.currentData(), self.activity.currentData(), self.offered.currentData())
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def remove(self) -> None:
        row = self.model.row_at(self.table.currentIndex())
        if row is None:
            return
        try:
            self.service.remove_rule(row.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()
