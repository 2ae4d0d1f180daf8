"""The voyage's own dialogs: the entities aboard (their staff and services) and the voyage's history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tambo_desktop import dates
from tambo_desktop.gui.widgets import error_label, submitted
from tambo_desktop.i18n import _, format_datetime, format_number, ngettext
from tambo_desktop.services import catalogue
from tambo_desktop.services.voyages import VoyageService
from tambo_desktop.vocabulary import VOYAGE_ACTIONS, label


class EntitiesDialog(QDialog):
    """Which entities travel on the voyage, who goes for each (one name a line) and what they bring.

    What was typed stays when the save is refused."""

    def __init__(self, session, voyage_id: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("voyageEntities")
        self.voyages = VoyageService(session)
        self.voyage_id = voyage_id
        detail = self.voyages.get(voyage_id)
        self.setWindowTitle(_("Entidades a bordo de {voyage}").format(voyage=detail.name))
        aboard = {e.entity_id: e for e in detail.entities}
        self.typed: dict[int, list[str]] = {
            e.entity_id: [e.staff, e.services] for e in detail.entities
        }  # entity id → [staff, services]
        self.error = error_label()
        self.list = QListWidget()
        self.list.setObjectName("entityList")
        active = {e.id for e in catalogue.entities(active_only=True)}
        for entity in catalogue.entities():
            if entity.id not in aboard and entity.id not in active:
                continue
            item = QListWidgetItem(f"{entity.code} — {entity.name}")
            item.setData(Qt.ItemDataRole.UserRole, entity.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if entity.id in aboard else Qt.CheckState.Unchecked)
            item.setToolTip(entity.name)
            self.list.addItem(item)
        self.hint = QLabel(_("Marque las entidades que viajan; elija una para escribir su personal y sus servicios."))
        self.hint.setWordWrap(True)
        self.staff_label = QLabel(_("&Personal a bordo (un nombre por línea):"))
        self.staff = QPlainTextEdit()
        self.staff.setObjectName("entityStaff")
        self.staff.setTabChangesFocus(True)
        self.staff_label.setBuddy(self.staff)
        self.services_label = QLabel(_("&Servicios que brinda:"))
        self.services = QLineEdit(maxLength=500)
        self.services.setObjectName("entityServices")
        self.services_label.setBuddy(self.services)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemChanged.connect(lambda _item: self._show(self.list.currentItem()))
        self.staff.textChanged.connect(self._keep)
        self.services.textEdited.connect(self._keep)
        grid = QGridLayout()
        grid.addWidget(self.list, 0, 0, 4, 1)
        grid.addWidget(self.staff_label, 0, 1)
        grid.addWidget(self.staff, 1, 1)
        grid.addWidget(self.services_label, 2, 1)
        grid.addWidget(self.services, 3, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)
        self._show(self.list.currentItem())
        self.resize(820, 480)

    def _show(self, item: QListWidgetItem | None) -> None:
        entity_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        staff, services = self.typed.get(entity_id, ["", ""]) if entity_id is not None else ["", ""]
        aboard = item is not None and item.checkState() == Qt.CheckState.Checked
        self.staff.blockSignals(True)
        self.staff.setPlainText(staff)
        self.staff.blockSignals(False)
        self.services.setText(services)
        for widget in (self.staff, self.services, self.staff_label, self.services_label):
            widget.setEnabled(aboard)

    def _keep(self, *_args) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.typed[item.data(Qt.ItemDataRole.UserRole)] = [self.staff.toPlainText(), self.services.text()]

    def chosen(self) -> list[tuple[int, str, str]]:
        rows = []
        for index in range(self.list.count()):
            item = self.list.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                entity_id = item.data(Qt.ItemDataRole.UserRole)
                staff, services = self.typed.get(entity_id, ["", ""])
                rows.append((entity_id, staff, services))
        return rows

    def _save(self) -> None:
        """The forms' one way to call a service: field errors above the list, what was typed kept."""
        if submitted(self, lambda: self.voyages.set_entities(self.voyage_id, self.chosen()), self.error,
                     {"entities": self.list}, {}):  # fmt: skip
            self.accept()


class HistoryDialog(QDialog):
    """Every change to the voyage, oldest first: who, when, what, which stop, the dates before and
    after, how many stops were shifted with it, and the reason."""

    def __init__(self, session, voyage_id: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("voyageHistory")
        voyages = VoyageService(session)
        detail = voyages.get(voyage_id)
        events = voyages.history(voyage_id)
        self.setWindowTitle(_("Historial de {voyage}").format(voyage=detail.name))
        self.table = QTableWidget(len(events), 6)
        self.table.setObjectName("historyTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setHorizontalHeaderLabels([_("Cuándo"), _("Quién"), _("Cambio"), _("Parada"),
                                              _("Antes → después"), _("Motivo")])  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for row, event in enumerate(events):
            stop = f"{event.stop_position}. {event.community_name}" if event.stop_position else ""
            moved = ""
            if event.old_arrives_at or event.new_arrives_at:
                moved = " → ".join(format_datetime(d) for d in (event.old_arrives_at, event.new_arrives_at) if d)
            change = label(VOYAGE_ACTIONS, event.action)
            if event.shifted:
                change += " " + ngettext("(y {n} parada después)", "(y {n} paradas después)", event.shifted).format(
                    n=format_number(event.shifted)
                )
            cells = [format_datetime(dates.from_utc(event.at)), event.username, change, stop, moved, event.reason]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.empty = QLabel(_("Todavía no hay cambios."))
        self.empty.setVisible(not events)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(940, 440)
