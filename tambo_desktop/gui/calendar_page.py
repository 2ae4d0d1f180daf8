"""The calendar of interventions: month, week, day and list views, filters, export.

A click on free time opens a new intervention there; a click on one opens it. The list view
searches every intervention of the visible month (or of the filters) by words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.calendar_view import STATUS_MARKS, MonthView, TimeGridView
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.intervention_dialog import InterventionDialog
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import catalogue
from tambo_desktop.services.facilities import FacilityService
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.interventions import InterventionFilter, InterventionRow, InterventionService, matching
from tambo_desktop.services.schedule import ScheduleService
from tambo_desktop.vocabulary import INTERVENTION_KINDS, INTERVENTION_STATUSES, label

VIEWS = ("month", "week", "day", "list")


@dataclass(frozen=True)
class Listed:
    """A row of the list view: the intervention and what it produced."""

    row: InterventionRow
    result: str = ""


LIST_COLUMNS = (
    Column(N_("Fecha"), lambda x: i18n.format_date(x.row.starts_at.date(), "weekday_date")),
    Column(N_("Hora"), lambda x: f"{x.row.starts_at:%H:%M}–{x.row.ends_at:%H:%M}"),
    Column(N_("Entidad"), lambda x: x.row.entity_label),
    Column(N_("Intervención"), lambda x: x.row.title),
    Column(N_("Tipo"), lambda x: label(INTERVENTION_KINDS, x.row.kind)),
    Column(N_("Lugar"), lambda x: x.row.where),
    Column(N_("Responsable"), lambda x: x.row.gestor_name),
    Column(
        N_("Estado"),
        lambda x: (
            label(INTERVENTION_STATUSES, x.row.status) + (f": {x.row.status_reason}" if x.row.status_reason else "")
        ),
    ),  # fmt: skip
    Column(N_("Resultado"), lambda x: x.result),
)


class CalendarPage(QWidget):
    """Interventions on a calendar; ``changed`` tells other pages that bookings changed."""

    changed = Signal()

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self.session = session
        self.service = InterventionService(session)
        today = dates.today()
        self.anchor = today  # the day the views are built around
        self.view = "month"
        self.rows: list[InterventionRow] = []
        self.results: dict[str, tuple[int, int]] = {}  # atenciones and usuarios of the executed ones listed
        self.title = QLabel(objectName="calendarTitle")
        style_title(self.title)
        self.previous = QPushButton("◀", objectName="previousButton")
        self.today_button = QPushButton(objectName="todayButton")
        self.next = QPushButton("▶", objectName="nextButton")
        self.view_combo = QComboBox(objectName="viewCombo")
        self.colour_combo = QComboBox(objectName="colourCombo")
        self.entity_filter = QComboBox(objectName="entityFilter")
        self.space_filter = QComboBox(objectName="spaceFilter")
        self.gestor_filter = QComboBox(objectName="gestorFilter")
        self.search = QLineEdit(objectName="searchEdit", clearButtonEnabled=True)
        self.new_button = QPushButton(objectName="newButton")
        self.pdf_button = QPushButton(objectName="pdfButton")
        self.ics_button = QPushButton(objectName="icsButton")
        self.facilities_button = QPushButton(objectName="facilitiesButton")
        self.month_view = MonthView()
        self.week_view = TimeGridView(7)
        self.day_view = TimeGridView(1)
        self.list_model = RowsModel(LIST_COLUMNS, self)
        self.table = QTableView(objectName="interventionsTable")
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        for arrow in (self.previous, self.next):
            arrow.setFixedWidth(arrow.fontMetrics().horizontalAdvance("◀") + 28)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.month_view)
        for grid in (self.week_view, self.day_view):
            scroll = QScrollArea(widgetResizable=True)
            scroll.setWidget(grid)
            self.stack.addWidget(scroll)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.search)
        list_layout.addWidget(self.table)
        self.stack.addWidget(list_page)
        self.legend = QLabel(objectName="legendLabel", wordWrap=True)
        top = QHBoxLayout()
        for w in (self.previous, self.today_button, self.next):
            top.addWidget(w)
        top.addWidget(self.title, 1)
        for w in (self.view_combo, self.colour_combo):
            top.addWidget(w)
        filters = QHBoxLayout()
        self.filter_labels = [QLabel(), QLabel(), QLabel()]
        for caption, combo in zip(
            self.filter_labels, (self.entity_filter, self.space_filter, self.gestor_filter), strict=True
        ):
            caption.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        actions = QHBoxLayout()
        for w in (self.new_button, self.pdf_button, self.ics_button, self.facilities_button):
            actions.addWidget(w)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)
        self.previous.clicked.connect(lambda: self._step(-1))
        self.next.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(self._go_today)
        self.view_combo.currentIndexChanged.connect(self._view_changed)
        self.colour_combo.currentIndexChanged.connect(self._colour_changed)
        for combo in (self.entity_filter, self.space_filter, self.gestor_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self._search)
        self.new_button.clicked.connect(lambda: self.new_intervention())
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.ics_button.clicked.connect(lambda: self.export("ics"))
        self.facilities_button.clicked.connect(self._facilities)
        for view in (self.month_view, self.week_view, self.day_view):
            view.intervention_clicked.connect(self.open_intervention)
            view.slot_clicked.connect(self.new_intervention)
        self.month_view.day_clicked.connect(self.show_day)
        self.new_button.setEnabled(session.can("interventions.edit"))
        self.facilities_button.setVisible(session.can("facilities.manage"))
        self._fill_filters()
        self.retranslate()
        self.refresh()

    # -- data -----------------------------------------------------------------------------------

    def _fill_filters(self) -> None:
        for combo in (self.entity_filter, self.space_filter, self.gestor_filter):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", None)
        self.entity_filter.addItem("", 0)  # the tambo's own
        for e in catalogue.entities(active_only=True):
            self.entity_filter.addItem(e.code, e.id)
        for s in FacilityService(self.session).spaces():
            self.space_filter.addItem(s.name, s.id)
        for user_id, name in self.service.responsibles():
            self.gestor_filter.addItem(name, user_id)
        for combo in (self.entity_filter, self.space_filter, self.gestor_filter):
            combo.blockSignals(False)

    def period(self) -> tuple[dt.date, dt.date]:
        if self.view in ("month", "list"):
            return month_range(self.anchor.year, self.anchor.month)
        if self.view == "week":
            monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
            return monday, monday + dt.timedelta(days=6)
        return self.anchor, self.anchor

    def refresh(self, *_args) -> None:
        start, end = self.period()
        if self.view == "month":  # the grid shows six weeks around the month
            first = dt.date(self.anchor.year, self.anchor.month, 1)
            start = first - dt.timedelta(days=first.weekday())
            end = start + dt.timedelta(days=41)
        flt = InterventionFilter(start, end, self.entity_filter.currentData(), self.space_filter.currentData(),
                                 self.gestor_filter.currentData())  # fmt: skip
        try:
            self.rows = self.service.list(flt)
        except TamboError as exc:
            report_error(self, exc)
            self.rows = []
        self.month_view.set_month(self.anchor.year, self.anchor.month)
        self.week_view.set_first(self.anchor - dt.timedelta(days=self.anchor.weekday()))
        self.day_view.set_first(self.anchor)
        for view in (self.month_view, self.week_view, self.day_view):
            view.set_rows(self.rows)
        executed = [r.uuid for r in self.rows if r.status == "executed"] if self.view == "list" else []
        self.results = self.service.results(executed) if executed else {}
        self._search()
        self._title()

    def _search(self, *_args) -> None:
        if self.view != "list":
            return
        listed = []  # the list view shows the month refresh() read, filtered here by the words typed
        for row in matching(self.rows, self.search.text()):
            done = self.results.get(row.uuid, (0, 0)) if row.status == "executed" else None
            text = (
                _("{attentions} atenciones, {users} usuarios").format(attentions=done[0], users=done[1]) if done else ""
            )
            listed.append(Listed(row, text))
        self.list_model.set_rows(listed)
        self.table.resizeColumnsToContents()

    def _title(self) -> None:
        start, end = self.period()
        if self.view in ("month", "list"):
            text = i18n.format_date(start, "month_year").capitalize()
        elif self.view == "week":
            text = f"{i18n.format_date(start, 'day_month_short')} – {i18n.format_date(end, 'medium')}"
        else:
            text = i18n.format_date(start, "full").capitalize()
        self.title.setText(text)
        shown = [r for r in self.rows if start <= r.starts_at.date() <= end]
        counts = {}
        for r in shown:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts = [f"{STATUS_MARKS.get(s, '')}{label(INTERVENTION_STATUSES, s)}: {n}" for s, n in counts.items()]
        self.legend.setText(
            i18n.ngettext("{n} intervención", "{n} intervenciones", len(shown)).format(n=len(shown))
            + (" · " + " · ".join(parts) if parts else "")
        )

    # -- navigation -----------------------------------------------------------------------------

    def _step(self, direction: int) -> None:
        if self.view in ("month", "list"):
            month = self.anchor.month - 1 + direction
            self.anchor = dt.date(self.anchor.year + month // 12, month % 12 + 1, 1)
        else:
            self.anchor += dt.timedelta(days=7 * direction if self.view == "week" else direction)
        self.refresh()

    def _go_today(self) -> None:
        self.anchor = dates.today()
        self.refresh()

    def set_view(self, view: str) -> None:
        self.view_combo.setCurrentIndex(VIEWS.index(view))

    def _view_changed(self, index: int) -> None:
        self.view = VIEWS[max(0, index)]
        self.stack.setCurrentIndex(max(0, index))
        self.refresh()

    def _colour_changed(self, _index: int) -> None:
        by = self.colour_combo.currentData() or "entity"
        for view in (self.month_view, self.week_view, self.day_view):
            view.set_colour_by(by)

    def show_day(self, day: dt.date) -> None:
        self.anchor = day
        self.set_view("day")

    # -- actions --------------------------------------------------------------------------------

    def _open_index(self, index) -> None:
        listed = self.list_model.row_at(index)
        if listed is not None:
            self.open_intervention(listed.row.id)

    def open_intervention(self, intervention_id: int) -> None:
        try:
            row = self.service.get(intervention_id)
        except TamboError as exc:
            report_error(self, exc)
            self.refresh()
            return
        dialog = InterventionDialog(self.session, row, parent=self)
        dialog.exec()
        if dialog.changed:
            self.refresh()
            self.changed.emit()

    def new_intervention(self, start: dt.datetime | None = None) -> None:
        if not self.session.can("interventions.edit"):
            return
        dialog = InterventionDialog(self.session, None, start, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.changed.emit()

    def export(self, fmt: str, path: str | None = None) -> None:
        year, month = self.anchor.year, self.anchor.month
        if path is None:
            suggested = f"programacion-{year}-{month:02d}.{fmt}"
            pattern = _("Documento PDF (*.pdf)") if fmt == "pdf" else _("Calendario iCalendar (*.ics)")
            path, _filter = QFileDialog.getSaveFileName(self, _("Exportar la programación del mes"), suggested, pattern)
            if not path:
                return
        schedule = ScheduleService(self.session)
        entity_id = self.entity_filter.currentData() or None
        try:
            if fmt == "pdf":
                schedule.export_pdf(year, month, path, language=i18n.current_language(), entity_id=entity_id)
            else:
                schedule.export_ics(year, month, path, entity_id=entity_id)
        except (TamboError, OSError) as exc:
            report_error(self, exc if isinstance(exc, TamboError) else TamboError(
                _("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ))  # fmt: skip
            return
        QMessageBox.information(self, _("Programación exportada"), _("Guardada en {path}.").format(path=path))

    def _facilities(self) -> None:
        from tambo_desktop.gui.facilities_dialog import FacilitiesDialog

        FacilitiesDialog(self.session, self).exec()
        self._fill_filters()
        self.retranslate()
        self.refresh()

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():  # a hidden page refreshes when it is shown
                self.refresh()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.today_button.setText(_("&Hoy"))
        self.previous.setToolTip(_("Anterior"))
        self.next.setToolTip(_("Siguiente"))
        index = max(0, self.view_combo.currentIndex())
        self.view_combo.blockSignals(True)
        self.view_combo.clear()
        for text in (_("Mes"), _("Semana"), _("Día"), _("Lista")):
            self.view_combo.addItem(text)
        self.view_combo.setCurrentIndex(index)
        self.view_combo.blockSignals(False)
        by = self.colour_combo.currentData()
        self.colour_combo.blockSignals(True)
        self.colour_combo.clear()
        self.colour_combo.addItem(_("Color por entidad"), "entity")
        self.colour_combo.addItem(_("Color por estado"), "status")
        self.colour_combo.setCurrentIndex(max(0, self.colour_combo.findData(by)))
        self.colour_combo.blockSignals(False)
        for combo in (self.entity_filter, self.space_filter, self.gestor_filter):
            combo.setItemText(0, _("Todos"))
        self.entity_filter.setItemText(1, _("Tambo (ámbito directo)"))
        for caption, text in zip(self.filter_labels, (_("&Entidad:"), _("E&spacio:"), _("&Responsable:")), strict=True):
            caption.setText(text)
        self.new_button.setText(_("&Nueva intervención…"))
        self.pdf_button.setText(_("Imprimir el mes (&PDF)…"))
        self.ics_button.setText(_("Exportar .ics…"))
        self.facilities_button.setText(_("Espacios y recursos…"))
        self.search.setPlaceholderText(_("Buscar por título, entidad, lugar, responsable o servicio"))
        self.list_model.retranslate()
        self._title()
