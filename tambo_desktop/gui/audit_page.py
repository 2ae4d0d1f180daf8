"""The audit page (administrators and supervisors): who did what, filtered, exportable."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.communities_page import CommunitiesPage
from tambo_desktop.gui.keys import DateEdit
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import audit_summaries
from tambo_desktop.services.audit import ACTIONS, AuditFilter, AuditRow, AuditService, record_label
from tambo_desktop.services.audit_words import ChangeLine
from tambo_desktop.vocabulary import label

PAGE = 500


AUDIT_COLUMNS = (
    Column(N_("Fecha y hora"), lambda r: i18n.format_datetime(i18n.local_time(r.at), "short")),
    Column(N_("Usuario"), lambda r: r.username),
    Column(N_("Acción"), lambda r: label(ACTIONS, r.action)),
    Column(N_("Registro"), lambda r: record_label(r.entity)),
    Column(N_("Resumen"), lambda r: audit_summaries.readable(r.summary)),  # in the reader's language
)


def describe_changes(row: AuditRow, lines: list[ChangeLine], technical: bool = False) -> str:
    """The changes of one line in words («Nombre: Rosa → Rosa María»); the record's uuid and the
    stored values only when asked."""
    text = [f"{line.field}: {line.new}" if line.old == "—" else f"{line.field}: {line.old} → {line.new}"
            for line in lines]  # fmt: skip
    if technical:
        if row.record_uuid:
            text.append(f"uuid: {row.record_uuid}")
        text += [f"{field}: {json.dumps(old, ensure_ascii=False)} → {json.dumps(new, ensure_ascii=False)}"
                 for field, (old, new) in row.changes.items()]  # fmt: skip
    return "\n".join(text)


class AuditPage(QWidget):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.service = AuditService(session)
        self.session = session
        self.title = QLabel()
        style_title(self.title)
        self.use_dates = QCheckBox()
        today = QDate(dates.today())  # the tambo's day, not the machine's zone
        self.date_from = DateEdit(today.addDays(-30), calendarPopup=True)
        self.date_to = DateEdit(today, calendarPopup=True)
        self.user_filter = QComboBox()
        self.action_filter = QComboBox()
        self.text_filter = QLineEdit()
        self.text_filter.setClearButtonEnabled(True)
        self.search_button = QPushButton()
        for combo in (self.user_filter, self.action_filter):  # the window stays usable on a small screen
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        filters = QHBoxLayout()
        for widget in (self.use_dates, self.date_from, self.date_to, self.user_filter, self.action_filter):
            filters.addWidget(widget)
        filters.addStretch()
        search = QHBoxLayout()
        search.addWidget(self.text_filter, 1)
        search.addWidget(self.search_button)
        self.search_button.clicked.connect(self.refresh)
        self.text_filter.returnPressed.connect(self.refresh)
        self.use_dates.toggled.connect(self.refresh)
        self.user_filter.currentIndexChanged.connect(self.refresh)
        self.action_filter.currentIndexChanged.connect(self.refresh)

        self.model = RowsModel(AUDIT_COLUMNS, self)
        self.table = CommunitiesPage._table(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_details())
        self.details = QPlainTextEdit(readOnly=True, objectName="auditDetails")
        self.technical = QCheckBox(objectName="auditTechnical")
        self.technical.toggled.connect(lambda *_a: self._show_details())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([450, 150])
        self.more_button = QPushButton()
        self.export_button = QPushButton()
        self.count_label = QLabel()
        self.more_button.clicked.connect(self.load_more)
        self.export_button.clicked.connect(lambda: self.export_file())
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.technical)
        buttons.addStretch()
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addLayout(search)
        layout.addWidget(splitter)
        layout.addLayout(buttons)
        self.retranslate()
        self.refresh()
        self._warm_summaries()

    @staticmethod
    def _warm_summaries() -> None:
        """Read the three catalogs and the month names the Summary column needs on a worker thread,
        as the page is built with the main window, so its first show does not (~80 ms cold)."""
        import logging

        from tambo_desktop.gui.ops import run_in_background

        def failed(error: Exception) -> None:  # the column then reads them itself, when painted
            logging.getLogger(__name__).warning("the audit summaries were not prepared: %s", error)

        run_in_background(None, "", audit_summaries.warm, failed=failed, quiet=True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Auditoría: quién hizo qué"))
        self.use_dates.setText(_("Entre fechas"))
        self.text_filter.setPlaceholderText(_("texto del resumen o de los cambios"))
        self.search_button.setText(_("&Buscar"))
        self.more_button.setText(_("Cargar más"))
        self.export_button.setText(_("E&xportar…"))
        self.technical.setText(_("Datos técnicos"))
        self.technical.setToolTip(
            _("Muestra también el identificador del registro y los valores tal como se guardaron.")
        )
        self._fill_filters()
        self.model.retranslate()
        self._update_count()

    def _fill_filters(self) -> None:
        for combo, items, all_label in (
            (self.user_filter, [(u, u) for u in self._usernames()], _("Todos los usuarios")),
            (self.action_filter, [(code, _(name)) for code, name in ACTIONS.items()], _("Todas las acciones")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_label, "")
            for code, text in items:
                combo.addItem(text, code)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def _usernames(self) -> list[str]:
        try:
            return self.service.usernames()
        except TamboError:
            return []

    def current_filter(self) -> AuditFilter:
        dates = self.use_dates.isChecked()
        return AuditFilter(
            date_from=self.date_from.date().toPython() if dates else None,
            date_to=self.date_to.date().toPython() if dates else None,
            username=self.user_filter.currentData() or "",
            action=self.action_filter.currentData() or "",
            text=self.text_filter.text(),
        )

    def refresh(self) -> None:
        self.date_from.setEnabled(self.use_dates.isChecked())
        self.date_to.setEnabled(self.use_dates.isChecked())
        try:
            rows = self.service.list(self.current_filter(), limit=PAGE)
        except TamboError as exc:
            report_error(self, exc)
            rows = []
        self.model.set_rows(rows)
        self.more_button.setEnabled(len(rows) == PAGE)
        self.details.clear()
        self._update_count()

    def load_more(self) -> None:
        rows = self.service.list(self.current_filter(), limit=PAGE, offset=len(self.model.rows))
        self.model.set_rows(self.model.rows + rows)
        self.more_button.setEnabled(len(rows) == PAGE)
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.model.rows)
        self.count_label.setText(i18n.ngettext("{n} línea", "{n} líneas", n).format(n=n))

    def _show_details(self) -> None:
        row = self.model.row_at(self.table.currentIndex())
        if row is None:
            self.details.clear()
            return
        try:
            lines = self.service.readable_changes(row)
        except TamboError as exc:
            report_error(self, exc)
            return
        self.details.setPlainText(describe_changes(row, lines, self.technical.isChecked()))

    def export_file(self, path: str | None = None) -> None:
        if path is None:
            path, _chosen = QFileDialog.getSaveFileName(
                self, _("Exportar auditoría"), str(Path.home() / "auditoria.csv"), "CSV (*.csv);;Excel (*.xlsx)"
            )
        if not path:
            return
        fmt = "xlsx" if path.lower().endswith(".xlsx") else "csv"
        try:
            n = self.service.export(Path(path), self.current_filter(), fmt)
        except OSError as exc:
            report_error(
                self,
                TamboError(_("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)),
            )
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.refresh()
        QMessageBox.information(
            self, _("Exportación terminada"), _("Exportadas {n} filas a {path}.").format(n=n, path=path)
        )
