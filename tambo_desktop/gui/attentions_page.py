"""All atenciones: filter, sort, void one, export — fluid with half a million rows.

The table's model fetches a page at a time as the view scrolls (``PagedModel``); the count
is one aggregate query.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.keys import DateEdit, one_date_format
from tambo_desktop.gui.screen_fit import FlowLayout
from tambo_desktop.gui.table_model import Column, PagedModel
from tambo_desktop.gui.widgets import fill_combo, report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import catalogue
from tambo_desktop.services.attentions import AttentionFilter, AttentionRow, AttentionService
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.vocabulary import AGE_GROUPS, DOCUMENT_TYPES, SEXES, label

PAGE_SIZE = 200


_PLACE_NAMES: dict[int, dict[str, str]] = {}


def _place_names() -> dict[str, str]:
    """Aboard / ashore on a PIAS, inside / outside on a tambo: asked once per open database (a
    platform never changes its kind), not once per row painted."""
    from tambo_desktop.db.connection import current_database
    from tambo_desktop.services.pias import place_names

    key = id(current_database())
    if key not in _PLACE_NAMES:
        _PLACE_NAMES.clear()
        _PLACE_NAMES[key] = place_names()
    return _PLACE_NAMES[key]


def _place(row: AttentionRow) -> str:
    text = label(_place_names(), row.place)
    return f"{text}: {row.place_community}" if row.place_community else text


def _state(row: AttentionRow) -> str:
    return _("Anulada: {reason}").format(reason=row.void_reason) if row.voided else ""


ATTENTION_COLUMNS = (
    Column(N_("Fecha y hora"), lambda r: i18n.format_datetime(r.attended_at, "short"), sort="date"),
    Column(N_("Persona"), lambda r: r.person_name, sort="person"),
    Column(
        N_("Documento"),
        lambda r: f"{label(DOCUMENT_TYPES, r.document_type)} {r.document_number}" if r.document_number else "",
        sort="document",
    ),
    Column(N_("Sexo"), lambda r: label(SEXES, r.sex), sort="sex"),
    Column(N_("Edad"), lambda r: r.age, align_right=True, sort="age"),
    Column(N_("Entidad"), lambda r: r.entity_code, sort="entity"),
    Column(N_("Servicio"), lambda r: r.service_name, sort="service"),
    Column(N_("Lugar"), _place, sort="place"),
    Column(N_("Estado"), _state, sort="voided"),
)


class AttentionsPage(QWidget):
    """The list of atenciones; ``person_requested`` asks the window to open a person's page."""

    person_requested = Signal(int)
    changed = Signal()
    _counted = Signal(int, int)  # generation, total (from the counting thread)

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionsPage")
        self.session = session
        self.service = AttentionService(session)
        self.communities = CommunityService(session)
        self._current = AttentionFilter()
        self._generation = 0
        self._counting: threading.Thread | None = None
        self._counted.connect(self._show_count, Qt.ConnectionType.QueuedConnection)
        self.title = QLabel()
        style_title(self.title)

        today = QDate(dates.today())  # the tambo's day, not the machine's zone
        self.from_label, self.to_label = QLabel(), QLabel()
        self.date_from = DateEdit(QDate(today.year(), today.month(), 1), calendarPopup=True)
        self.date_to = DateEdit(today, calendarPopup=True)
        for edit in (self.date_from, self.date_to):
            one_date_format(edit)
        self.from_label.setBuddy(self.date_from)
        self.to_label.setBuddy(self.date_to)
        self.entity = QComboBox()
        self.service_filter = QComboBox()
        self.community = QComboBox()
        self.sex = QComboBox()
        self.age_group = QComboBox()
        self.text_label = QLabel()
        self.text = QLineEdit()
        self.text.setClearButtonEnabled(True)
        self.text_label.setBuddy(self.text)
        self.voided = QCheckBox()
        self.voided.setChecked(True)
        for combo in (self.entity, self.service_filter, self.community, self.sex, self.age_group):
            combo.setMinimumContentsLength(6)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # the period, then the text search on a row of its own: on one row they were wider than a
        # 1024-pixel screen at 175 % text in Aymara (the page scrolled sideways)
        period = QHBoxLayout()
        for widget in (self.from_label, self.date_from, self.to_label, self.date_to):
            period.addWidget(widget)
        period.addStretch(1)
        search = QHBoxLayout()
        search.addWidget(self.text_label)
        search.addWidget(self.text, 1)
        self.text.setMinimumWidth(120)
        pickers = QHBoxLayout()
        for widget, stretch in (
            (self.entity, 1),
            (self.service_filter, 2),
            (self.community, 2),
            (self.sex, 1),
            (self.age_group, 1),
        ):
            pickers.addWidget(widget, stretch)
        filters = QVBoxLayout()
        filters.addLayout(period)
        filters.addLayout(search)
        filters.addLayout(pickers)
        filters.addWidget(self.voided)

        self.model = PagedModel(ATTENTION_COLUMNS, self._fetch, PAGE_SIZE, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        widths = (150, 220, 130, 70, 50, 90, 260, 170)
        for i, width in enumerate(widths):
            self.table.setColumnWidth(i, width)
        self.count_label = QLabel()
        self.person_button = QPushButton()
        self.void_button = QPushButton()
        self.export_button = QPushButton()
        self.void_button.setVisible(session.can("attentions.void"))
        self.export_button.setVisible(session.can("attentions.export"))
        buttons = FlowLayout()  # wraps when the three buttons' words are long (ay at 175 %)
        buttons.addWidget(self.count_label)
        for button in (self.person_button, self.void_button, self.export_button):
            buttons.add_right(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.debounce = QTimer(self, singleShot=True, interval=250)
        self.debounce.timeout.connect(self.reload)
        self.text.textChanged.connect(self.debounce.start)
        for combo in (self.service_filter, self.community, self.sex, self.age_group):
            combo.currentIndexChanged.connect(self.reload)
        self.entity.currentIndexChanged.connect(self._entity_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.debounce.start)
        self.voided.toggled.connect(self.reload)
        self.table.doubleClicked.connect(self._open_person)
        self.person_button.clicked.connect(self._open_person)
        self.void_button.clicked.connect(self.void_selected)
        self.export_button.clicked.connect(self.export)
        self._filled = False
        self._loaded_version: tuple[int, str] | None = None
        self.retranslate()

    # -- data -----------------------------------------------------------------------------------

    def filter(self) -> AttentionFilter:
        return AttentionFilter(
            date_from=self.date_from.date().toPython(),
            date_to=self.date_to.date().toPython(),
            entity_id=self.entity.currentData() or None,
            service_id=self.service_filter.currentData() or None,
            community_id=self.community.currentData() or None,
            sex=self.sex.currentData() or "",
            age_group=self.age_group.currentData() or "",
            text=self.text.text(),
            include_voided=self.voided.isChecked(),
        )

    def _fetch(self, after, size: int):
        page = self.service.list(self._current, size, after, self.model.sort_key, self.model.descending)
        return page.rows, page.next

    def refresh(self) -> None:
        """Reload the pickers (new centros poblados) and the rows."""
        try:
            self._loaded_version = self.service.data_version()  # before reading: a save meanwhile shows next time
        except TamboError:
            self._loaded_version = None
        self._fill_pickers()
        self.reload()

    def show_again(self) -> None:
        """When the window shows the list: reload only if something was saved since it was read
        (here or on another PC). Reading the pickers and the first rows again at every visit took
        0.36 s of the GUI thread on the large demo; the rows, the filter and the place in the list
        now stay as the user left them."""
        try:
            unchanged = self._filled and self._loaded_version == self.service.data_version()
        except TamboError:
            unchanged = False
        if not unchanged:
            self.refresh()

    def reload(self) -> None:
        """Show the first rows at once; the total is counted in the background (on half a
        million atenciones a count takes longer than the rows it precedes)."""
        self.debounce.stop()
        self._current = self.filter()
        try:
            self.model.reload()
        except TamboError as exc:
            report_error(self, exc)
            return
        self._generation += 1
        self.count_label.setText(_("Contando…"))
        worker = threading.Thread(target=self._count, args=(self._generation, self._current), daemon=True)
        self._counting = worker
        worker.start()

    def _count(self, generation: int, flt: AttentionFilter) -> None:
        """In a worker thread with its own database connection, closed when done."""
        try:
            total = self.service.count_in_worker(flt)
        except Exception:  # the label says so; the rows are already shown
            total = -1
        self._counted.emit(generation, total)

    def _show_count(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return  # a newer filter is being counted
        if total < 0:
            self.count_label.setText(_("No se pudo contar las atenciones."))
            return
        self.count_label.setText(
            i18n.ngettext("{n} atención", "{n} atenciones", total).format(n=i18n.format_number(total))
        )

    def wait_for_count(self, timeout: float = 30.0) -> None:
        """Block until the background count is done (tests, benchmarks)."""
        if self._counting is not None:
            self._counting.join(timeout)
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.processEvents()

    def _fill_pickers(self) -> None:
        for combo in (self.entity, self.community, self.service_filter):
            combo.blockSignals(True)
        current_entity, current_community = self.entity.currentData(), self.community.currentData()
        self.entity.clear()
        self.entity.addItem(_("Todas las entidades"), None)
        for entity in catalogue.entities():
            self.entity.addItem(entity.code, entity.id)
            self.entity.setItemData(self.entity.count() - 1, entity.name, Qt.ItemDataRole.ToolTipRole)
        self.entity.setCurrentIndex(max(self.entity.findData(current_entity), 0))
        self.community.clear()
        self.community.addItem(_("Todos los centros poblados"), None)
        for community in self.communities.list():
            self.community.addItem(community.name, community.id)
        self.community.setCurrentIndex(max(self.community.findData(current_community), 0))
        self._fill_services()
        for combo in (self.entity, self.community, self.service_filter):
            combo.blockSignals(False)
        self._filled = True

    def _fill_services(self) -> None:
        current = self.service_filter.currentData()
        self.service_filter.blockSignals(True)
        self.service_filter.clear()
        self.service_filter.addItem(_("Todos los servicios"), None)
        for item in catalogue.services(self.entity.currentData()):
            self.service_filter.addItem(item.label, item.id)
        self.service_filter.setCurrentIndex(max(self.service_filter.findData(current), 0))
        self.service_filter.blockSignals(False)

    def _entity_changed(self) -> None:
        self._fill_services()
        self.reload()

    def selected(self) -> AttentionRow | None:
        return self.model.row_at(self.table.currentIndex())

    # -- actions --------------------------------------------------------------------------------

    def _open_person(self) -> None:
        row = self.selected()
        if row is not None:
            self.person_requested.emit(row.person_id)

    def void_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.voided:
            QMessageBox.information(self, _("Anular"), _("Esta atención ya estaba anulada."))
            return
        reason, ok = QInputDialog.getText(
            self,
            _("Anular la atención"),
            _("Motivo de la anulación de «{service}» de {name}:").format(
                service=row.service_name, name=row.person_name
            ),
        )
        if not ok:
            return
        try:
            self.service.void(row.id, reason)
        except ValidationError as exc:
            QMessageBox.warning(self, _("Anular"), exc.errors[0].message)
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.reload()
        self.changed.emit()

    def export(self) -> None:
        """Export the atenciones of the filter's dates (one row each) for a PAIS report."""

        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        suggested = f"atenciones_{start:%Y%m%d}_{end:%Y%m%d}.xlsx"
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Exportar atenciones"), suggested, _("Excel (*.xlsx);;CSV (*.csv)")
        )
        if not path:
            return
        fmt = "csv" if path.lower().endswith(".csv") or "csv" in chosen.lower() else "xlsx"
        self.export_to(_path(path, fmt), start, end, fmt)

    def export_to(self, path: Path, start: dt.date, end: dt.date, fmt: str) -> None:
        """Write the export off the GUI thread (five years of atenciones take a while)."""
        from tambo_desktop.formats import persons as person_io
        from tambo_desktop.gui.ops import run_in_background

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            QMessageBox.information(
                self,
                _("Exportar atenciones"),
                i18n.ngettext("Se exportó {n} atención.", "Se exportaron {n} atenciones.", count).format(n=count),
            )

        def failed(error: Exception) -> None:
            self.export_button.setEnabled(True)
            report_error(self, error)

        session = self.session
        self.export_button.setEnabled(False)
        self.operation = run_in_background(
            self,
            _("Exportando atenciones…"),
            lambda: person_io.export_attentions(session, path, start, end, fmt),
            done,
            failed,
        )

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_filled"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Atenciones"))
        self.from_label.setText(_("&Desde:"))
        self.to_label.setText(_("&Hasta:"))
        self.text_label.setText(_("&Nombre o documento:"))
        self.text.setPlaceholderText(_("Escriba para filtrar"))
        self.voided.setText(_("Mostrar también las anuladas"))
        fill_combo(self.sex, SEXES, blank=True)
        self.sex.setItemText(0, _("Ambos sexos"))
        fill_combo(self.age_group, AGE_GROUPS, blank=True)
        self.age_group.setItemText(0, _("Todas las edades"))
        self.person_button.setText(_("Ver &persona"))
        self.void_button.setText(_("Anu&lar…"))
        self.export_button.setText(_("&Exportar…"))
        self.model.retranslate()
        if self._filled and self.isVisible():  # hidden pages refresh when shown
            self.refresh()


def _path(path: str, fmt: str) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == f".{fmt}" else target.with_suffix(f".{fmt}")
