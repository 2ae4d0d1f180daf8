"""The communities page: the tambo's centros poblados with filters, and their leaders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop.errors import ImportFileError, TamboError
from tambo_desktop.formats import communities as community_io
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.dialogs import CommunityDialog, LeaderDialog
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import fill_combo, report_error, show_import_errors
from tambo_desktop.i18n import N_, _, format_number, ngettext
from tambo_desktop.services.communities import CommunityFilter, CommunityRow, CommunityService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import COMMUNITY_KINDS, LEADER_ROLES, SPOKEN_LANGUAGES, TRAVEL_MEANS, label

COMMUNITY_COLUMNS = (
    Column(N_("Centro poblado"), lambda c: c.name),
    Column(N_("Distrito"), lambda c: c.district_name),
    Column(N_("Tipo"), lambda c: label(COMMUNITY_KINDS, c.kind)),
    Column(N_("Población"), lambda c: format_number(c.population), True),
    Column(N_("Hogares"), lambda c: format_number(c.households), True),
    Column(N_("Lenguas"), lambda c: ", ".join(label(SPOKEN_LANGUAGES, x) for x in c.languages)),
    Column(N_("Distancia (km)"), lambda c: format_number(c.distance_km, 1) if c.distance_km is not None else "", True),
    Column(N_("Tiempo (min)"), lambda c: format_number(c.travel_minutes), True),
    Column(N_("Medio"), lambda c: label(TRAVEL_MEANS, c.travel_means)),
    Column(N_("Dirigentes"), lambda c: c.leader_count, True),
)
LEADER_COLUMNS = (
    Column(N_("Nombre"), lambda x: x.name),
    Column(N_("Cargo"), lambda x: label(LEADER_ROLES, x.role)),
    Column(N_("Teléfono"), lambda x: x.phone),
    Column(N_("Lengua"), lambda x: label(SPOKEN_LANGUAGES, x.language)),
)


class CommunitiesPage(QWidget):
    """List, filter, create, edit, delete, import and export communities and leaders."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("communitiesPage")
        self.service = CommunityService(session)
        self.session = session
        can_edit = session.can("communities.edit")

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.kind_filter = QComboBox()
        self.means_filter = QComboBox()
        self.count_label = QLabel()
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        self.means_filter.currentIndexChanged.connect(self.refresh)
        filters = QHBoxLayout()
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        filters.addWidget(self.search_label)
        filters.addWidget(self.search, 1)
        for combo in (self.kind_filter, self.means_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(combo)

        self.model = RowsModel(COMMUNITY_COLUMNS, self)
        self.table = self._table(self.model)
        languages = 5  # long lists of languages would push the other columns off the screen
        self.table.horizontalHeader().setSectionResizeMode(languages, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(languages, 170)
        self.table.doubleClicked.connect(lambda _index: self.edit_community())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._community_selected())

        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.delete_button = QPushButton()
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        self.diagnostics_button = QPushButton(objectName="diagnosticsButton")
        self.diagnostics_button.clicked.connect(self.open_diagnostics)
        self.new_button.clicked.connect(self.new_community)
        self.edit_button.clicked.connect(self.edit_community)
        self.delete_button.clicked.connect(self.delete_community)
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button.clicked.connect(lambda: self.export_file())
        # two rows: in Quechua and Aymara one row of six buttons is wider than a 1024-pixel screen
        buttons = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            first.addWidget(button)
        first.addStretch()
        second.addWidget(self.diagnostics_button)
        second.addStretch()
        second.addWidget(self.import_button)
        second.addWidget(self.export_button)
        buttons.addLayout(first)
        buttons.addLayout(second)
        self.new_button.setVisible(can_edit)
        self.edit_button.setVisible(can_edit)
        self.delete_button.setVisible(session.can("communities.delete"))
        self.import_button.setVisible(session.can("communities.import"))
        self.export_button.setVisible(session.can("communities.export"))

        self.leaders_box = QGroupBox()
        self.leader_model = RowsModel(LEADER_COLUMNS, self)
        self.leader_table = self._table(self.leader_model)
        self.leader_table.doubleClicked.connect(lambda _index: self.edit_leader())
        self.add_leader_button = QPushButton()
        self.edit_leader_button = QPushButton()
        self.delete_leader_button = QPushButton()
        self.add_leader_button.clicked.connect(self.add_leader)
        self.edit_leader_button.clicked.connect(self.edit_leader)
        self.delete_leader_button.clicked.connect(self.delete_leader)
        leader_buttons = QHBoxLayout()
        for button in (self.add_leader_button, self.edit_leader_button, self.delete_leader_button):
            button.setVisible(can_edit)
            leader_buttons.addWidget(button)
        leader_buttons.addStretch()
        box_layout = QVBoxLayout(self.leaders_box)
        box_layout.addWidget(self.leader_table)
        box_layout.addLayout(leader_buttons)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.table)
        top_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.leaders_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 240])
        layout = QVBoxLayout(self)
        self.title = QLabel()
        style_title(self.title)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch()
        heading.addWidget(self.count_label)
        layout.addLayout(heading)
        layout.addWidget(splitter)
        self.retranslate()
        self.refresh()

    @staticmethod
    def _table(model: RowsModel) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # -- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Centros poblados del ámbito"))
        self.search_label.setText(_("&Buscar:"))
        self.search.setPlaceholderText(_("nombre, distrito, ubigeo o dirigente"))
        fill_combo(self.kind_filter, {"": _("Todos los tipos"), **COMMUNITY_KINDS})
        fill_combo(self.means_filter, {"": _("Todos los medios"), **TRAVEL_MEANS})
        self.kind_filter.setItemText(0, _("Todos los tipos"))
        self.means_filter.setItemText(0, _("Todos los medios"))
        self.new_button.setText(_("&Nuevo centro poblado"))
        self.edit_button.setText(_("&Editar"))
        self.delete_button.setText(_("E&liminar"))
        self.import_button.setText(_("I&mportar…"))
        self.export_button.setText(_("E&xportar…"))
        self.diagnostics_button.setText(_("&Diagnósticos e historial…"))
        self.add_leader_button.setText(_("Agregar di&rigente"))
        self.edit_leader_button.setText(_("Editar dirigente"))
        self.delete_leader_button.setText(_("Eliminar dirigente"))
        self.model.retranslate()
        self.leader_model.retranslate()
        self._update_labels()

    def _update_labels(self) -> None:
        n = len(self.model.rows)
        self.count_label.setText(ngettext("{n} centro poblado", "{n} centros poblados", n).format(n=n))
        community = self.current_community()
        if community is None:
            self.leaders_box.setTitle(_("Dirigentes"))
        else:
            self.leaders_box.setTitle(_("Dirigentes de {community}").format(community=community.name))
        has = community is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.diagnostics_button.setEnabled(has)
        self.add_leader_button.setEnabled(has)
        has_leader = self.current_leader() is not None
        self.edit_leader_button.setEnabled(has_leader)
        self.delete_leader_button.setEnabled(has_leader)

    # -- data ----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_filter(self) -> CommunityFilter:
        return CommunityFilter(
            text=self.search.text(),
            kind=self.kind_filter.currentData() or "",
            travel_means=self.means_filter.currentData() or "",
        )

    def refresh(self, select_id: int | None = None) -> None:
        current = self.current_community()
        keep = select_id if select_id is not None else (current.id if current else None)
        try:
            rows = self.service.list(self.current_filter())
        except TamboError as exc:
            report_error(self, exc)
            rows = []
        self.model.set_rows(rows)
        if keep is not None:
            for i, row in enumerate(rows):
                if row.id == keep:
                    self.table.selectionModel().setCurrentIndex(
                        self.model.index(i, 0),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    break
        self._community_selected()

    def current_community(self) -> CommunityRow | None:
        return self.model.row_at(self.table.currentIndex())

    def current_leader(self):
        return self.leader_model.row_at(self.leader_table.currentIndex())

    def _community_selected(self) -> None:
        community = self.current_community()
        self.leader_model.set_rows(self.service.leaders(community.id) if community else [])
        self._update_labels()

    # -- actions -------------------------------------------------------------------------------

    def open_diagnostics(self) -> None:
        """The community's needs diagnostics, suggested services and its history over time."""
        from tambo_desktop.gui.diagnostics_dialog import DiagnosticsDialog

        community = self.current_community()
        if community is not None:
            DiagnosticsDialog(self.session, community.id, community.name, self).exec()

    def new_community(self) -> None:
        dialog = CommunityDialog(self.service, parent=self)
        if dialog.exec():
            self.refresh(select_id=dialog.saved_id)

    def edit_community(self) -> None:
        community = self.current_community()
        if community is None or not self.session.can("communities.edit"):
            return
        dialog = CommunityDialog(self.service, community, parent=self)
        if dialog.exec():
            self.refresh(select_id=dialog.saved_id)

    def delete_community(self) -> None:
        community = self.current_community()
        if community is None:
            return
        answer = QMessageBox.question(
            self,
            _("Eliminar centro poblado"),
            _("¿Eliminar «{name}» y sus {n} dirigentes? Esta acción no se puede deshacer.").format(
                name=community.name, n=community.leader_count
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service.delete(community.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def add_leader(self) -> None:
        community = self.current_community()
        if community is None:
            return
        dialog = LeaderDialog(self.service, community, parent=self)
        if dialog.exec():
            self.refresh(select_id=community.id)

    def edit_leader(self) -> None:
        community, leader = self.current_community(), self.current_leader()
        if community is None or leader is None or not self.session.can("communities.edit"):
            return
        dialog = LeaderDialog(self.service, community, leader, parent=self)
        if dialog.exec():
            self.refresh(select_id=community.id)

    def delete_leader(self) -> None:
        leader = self.current_leader()
        if leader is None:
            return
        answer = QMessageBox.question(
            self, _("Eliminar dirigente"), _("¿Eliminar a {name} de la lista de dirigentes?").format(name=leader.name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.service.delete_leader(leader.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()

    def import_file(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self,
                _("Importar centros poblados"),
                str(Path.home()),
                _("Tablas (*.csv *.xlsx);;Todos los archivos (*)"),
            )
        if not path:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = community_io.import_file(self.service, Path(path))
        except ImportFileError as exc:
            QGuiApplication.restoreOverrideCursor()
            show_import_errors(self, exc)
            return
        except TamboError as exc:
            QGuiApplication.restoreOverrideCursor()
            report_error(self, exc)
            return
        QGuiApplication.restoreOverrideCursor()
        self.refresh()
        QMessageBox.information(
            self,
            _("Importación terminada"),
            _("Centros poblados: {c1} nuevos, {c2} actualizados.\nDirigentes: {l1} nuevos, {l2} actualizados.").format(
                c1=summary.communities_created,
                c2=summary.communities_updated,
                l1=summary.leaders_created,
                l2=summary.leaders_updated,
            ),
        )

    def export_file(self, path: str | None = None) -> None:
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(
                self,
                _("Exportar centros poblados"),
                str(Path.home() / "centros_poblados.xlsx"),
                "Excel (*.xlsx);;CSV (*.csv)",
            )
            if path and not Path(path).suffix:
                path += ".csv" if "csv" in chosen else ".xlsx"
        if not path:
            return
        fmt = "csv" if Path(path).suffix.lower() == ".csv" else "xlsx"
        try:
            rows = community_io.export_file(self.service, Path(path), fmt)
        except OSError as exc:
            report_error(
                self,
                TamboError(_("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)),
            )
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        QMessageBox.information(
            self, _("Exportación terminada"), _("Exportadas {n} filas a {path}.").format(n=rows, path=path)
        )
