"""Spaces and resources of the tambo, for administrators: add, change, remove (or deactivate)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop.errors import TamboError
from tambo_desktop.gui.keys import select_on_focus
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
from tambo_desktop.services.facilities import FacilityForm, FacilityRow, FacilityService
from tambo_desktop.vocabulary import RESOURCE_KINDS, SPACE_KINDS, label


class FacilityEditor(QDialog):
    """One space (with capacity) or resource."""

    def __init__(self, service: FacilityService, is_space: bool, row: FacilityRow | None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("facilityEditor")
        self.setStyleSheet(INVALID_STYLE)
        self.service, self.is_space, self.row = service, is_space, row
        self.version, self.on_top = (row.version if row else None), False
        self.setWindowTitle(_("Espacio") if is_space else _("Recurso"))
        self.error = error_label()
        self.name = QLineEdit(maxLength=80)
        self.kind = QComboBox()
        fill_combo(self.kind, SPACE_KINDS if is_space else RESOURCE_KINDS)
        self.capacity = QLineEdit(maxLength=5)
        select_on_focus(self.capacity)
        self.active = QCheckBox(_("En uso (se puede reservar)"), checked=True)
        self.notes = QLineEdit(maxLength=300)
        layout = QFormLayout(self)
        layout.addRow(self.error)
        self.labels = {"name": QLabel(_("&Nombre:")), "kind": QLabel(_("&Tipo:")), "capacity": QLabel(_("&Capacidad (personas):")),
                       "notes": QLabel(_("Notas:"))}  # fmt: skip
        self.fields = {"name": self.name, "kind": self.kind, "capacity": self.capacity, "notes": self.notes}
        for key in ("name", "kind", "capacity", "notes"):
            if key == "capacity" and not is_space:
                continue
            self.labels[key].setBuddy(self.fields[key])
            layout.addRow(self.labels[key], self.fields[key])
        layout.addRow(self.active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        if row is not None:
            self._load(row)
        self.resize(420, 200)

    def _load(self, row: FacilityRow) -> None:
        self.version, self.on_top = row.version, False
        self.name.setText(row.name)
        select_data(self.kind, row.kind)
        self.capacity.setText("" if row.capacity is None else str(row.capacity))
        self.active.setChecked(row.active)
        self.notes.setText(row.notes)

    def reload(self) -> None:
        """Show the space or resource as another PC saved it."""
        rows = self.service.spaces() if self.is_space else self.service.resources()
        row = next((r for r in rows if self.row and r.id == self.row.id), None)
        if row is not None:
            self.row = row
            self._load(row)

    def _save(self) -> None:
        form = FacilityForm(self.name.text(), self.kind.currentData() or "", self.capacity.text(), self.active.isChecked(),
                            self.notes.text(), self.version, self.on_top)  # fmt: skip
        row_id = self.row.id if self.row else None
        save = self.service.save_space if self.is_space else self.service.save_resource
        if submitted(self, lambda: save(form, row_id), self.error, self.fields, self.labels, versioned=self):
            self.accept()


class FacilitiesDialog(QDialog):
    """Two tabs: spaces and resources."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("facilitiesDialog")
        self.setWindowTitle(_("Espacios y recursos del tambo"))
        self.service = FacilityService(session)
        tabs = QTabWidget()
        self.pages: dict[bool, tuple[RowsModel, QTableView]] = {}
        for is_space, title in ((True, _("Espacios")), (False, _("Recursos"))):
            vocabulary = SPACE_KINDS if is_space else RESOURCE_KINDS
            columns = [
                Column(N_("Nombre"), lambda r: r.name),
                Column(N_("Tipo"), lambda r, v=vocabulary: label(v, r.kind)),
                Column(N_("Estado"), lambda r: _("En uso") if r.active else _("Fuera de uso")),
                Column(N_("Notas"), lambda r: r.notes),
            ]
            if is_space:
                columns.insert(2, Column(N_("Capacidad"), lambda r: r.capacity, align_right=True))
            model = RowsModel(columns, self)
            table = QTableView()
            table.setModel(model)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.verticalHeader().hide()
            table.horizontalHeader().setStretchLastSection(True)
            table.doubleClicked.connect(lambda _i, s=is_space: self._edit(s))
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.addWidget(table)
            row = QHBoxLayout()
            for text, slot in (
                (_("&Añadir…"), self._add),
                (_("&Modificar…"), self._edit),
                (_("&Quitar"), self._remove),
            ):
                button = QPushButton(text)
                button.clicked.connect(lambda _c=False, f=slot, s=is_space: f(s))
                row.addWidget(button)
            row.addStretch(1)
            page_layout.addLayout(row)
            tabs.addTab(page, title)
            self.pages[is_space] = (model, table)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(close)
        self.refresh()
        self.resize(640, 420)

    def refresh(self) -> None:
        for is_space, (model, table) in self.pages.items():
            model.set_rows(self.service.spaces() if is_space else self.service.resources())
            table.resizeColumnsToContents()

    def _selected(self, is_space: bool) -> FacilityRow | None:
        model, table = self.pages[is_space]
        return model.row_at(table.currentIndex())

    def _add(self, is_space: bool) -> None:
        if FacilityEditor(self.service, is_space, None, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _edit(self, is_space: bool) -> None:
        row = self._selected(is_space)
        if row is not None and FacilityEditor(self.service, is_space, row, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _remove(self, is_space: bool) -> None:
        row = self._selected(is_space)
        if row is None:
            return
        question = _(
            "¿Quitar «{name}»? Si tiene reservas, queda fuera de uso y sus reservas pasadas se conservan."
        ).format(name=row.name)
        if QMessageBox.question(self, _("Quitar"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            if is_space:
                self.service.delete_space(row.id)
            else:
                self.service.delete_resource(row.id)
        except TamboError as exc:
            report_error(self, exc)
        self.refresh()
