"""Backups page: verified copies of the database, on demand, to a USB drive, and restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from tambo_desktop import i18n, paths
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.communities_page import CommunitiesPage
from tambo_desktop.gui.ops import run_in_background
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.backups import BackupService, RestoreNeedsConfirmation
from tambo_desktop.vocabulary import label

BACKUP_KINDS = {
    "daily": N_("Diaria"),
    "manual": N_("Manual"),
    "pre-migration": N_("Antes de actualizar"),
    "pre-restore": N_("Antes de restaurar"),
    "usb": N_("Memoria USB"),
}


def _size(n: int) -> str:
    return _("{size} MB").format(size=i18n.format_number(n / 1_000_000, 1))


BACKUP_COLUMNS = (
    Column(N_("Fecha y hora"), lambda b: i18n.format_datetime(b.local_created_at, "short")),
    Column(N_("Tipo"), lambda b: label(BACKUP_KINDS, b.kind)),
    Column(N_("Verificada"), lambda b: _("Sí") if b.verified else _("No")),
    Column(N_("Tamaño"), lambda b: _size(b.size), True),
    Column(N_("Centros poblados"), lambda b: b.counts.get("community", ""), True),
    Column(N_("Archivo"), lambda b: b.path.name),
)


class BackupPage(QWidget):
    restored = Signal()

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("backupPage")
        self.session = session
        self.title = QLabel()
        style_title(self.title)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = RowsModel(BACKUP_COLUMNS, self)
        self.table = CommunitiesPage._table(self.model)
        self.backup_button = QPushButton()
        self.usb_button = QPushButton()
        self.restore_button = QPushButton()
        self.package_button = QPushButton()  # the package for the central office (issue 20)
        self.package_button.clicked.connect(lambda: self.make_package())
        self.package_button.setVisible(session.can("packages.export"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.usb_button.clicked.connect(lambda: self.copy_to_usb())
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.backup_button.setVisible(session.can("backup.create"))
        self.usb_button.setVisible(session.can("backup.create"))
        self.restore_button.setVisible(session.can("backup.restore"))
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.usb_button, self.package_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.retranslate()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Copias de seguridad"))
        self.folder_label.setText(
            _(
                "Cada copia se verifica al escribirla. Se guardan las de los últimos 7 días, 4 semanas y 12 meses en {folder}"
            ).format(folder=paths.backups_dir())
        )
        self.backup_button.setText(_("&Copia de seguridad ahora"))
        self.usb_button.setText(_("Copiar a una &memoria USB…"))
        self.restore_button.setText(_("&Restaurar…"))
        self.package_button.setText(_("&Paquete para la oficina central…"))
        self.model.retranslate()

    def refresh(self) -> None:
        try:
            self.model.set_rows(BackupService(self.session).list())
        except TamboError as exc:
            report_error(self, exc)

    def _busy(self, label: str, action, done, failed=None) -> None:
        """Run ``action`` off the GUI thread with the buttons off; ``done(result)`` afterwards
        (``failed(error)`` instead of the error message when given)."""
        buttons = (self.backup_button, self.usb_button, self.restore_button, self.package_button)
        for button in buttons:
            button.setEnabled(False)

        def finish(result) -> None:
            for button in buttons:
                button.setEnabled(True)
            done(result)

        def fail(error: Exception) -> None:
            for button in buttons:
                button.setEnabled(True)
            if failed is not None:
                failed(error)
            else:
                report_error(self, error)

        self.operation = run_in_background(self, label, action, finish, fail)

    def back_up_now(self) -> None:
        def done(info) -> None:
            self.refresh()
            QMessageBox.information(self, _("Copia de seguridad"), _("Copia verificada: {file}").format(file=info.path))

        session = self.session
        self._busy(_("Haciendo la copia de seguridad y verificándola…"), lambda: BackupService(session).create(), done)

    def copy_to_usb(self, folder: str | None = None) -> None:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Elija la memoria USB o la carpeta de destino"))
        if not folder:
            return

        def done(info) -> None:
            QMessageBox.information(self, _("Copia de seguridad"), _("Copia verificada: {file}").format(file=info.path))

        session, target = self.session, Path(folder)
        self._busy(
            _("Copiando y verificando la copia de seguridad…"), lambda: BackupService(session).copy_to(target), done
        )

    def make_package(self, folder: str | None = None) -> None:
        """Write what changed since the last package into a folder (a USB drive), off the GUI thread."""
        from tambo_desktop import dates
        from tambo_desktop.services.packages import PackageService

        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Elija la memoria USB o la carpeta del paquete"))
        if not folder:
            return

        def done(info) -> None:
            QMessageBox.information(
                self,
                _("Paquete para la oficina central"),
                _(
                    "Paquete {n}: {records} registros, {tombstones} bajas, {audit} líneas de auditoría, en {path}."
                ).format(
                    n=info.seq,
                    records=info.records,
                    tombstones=info.tombstones,
                    audit=info.audit_entries,
                    path=info.path,
                ),
            )

        session = self.session
        target = Path(folder) / f"{session.tambo_code}-{dates.now():%Y%m%d-%H%M}.tpkg"
        self._busy(
            _("Haciendo el paquete para la oficina central…"), lambda: PackageService(session).export(target), done
        )

    def restore_selected(self, path: str | None = None, confirm: bool = True, confirmed: bool = False) -> None:
        if path is None:
            chosen = self.model.row_at(self.table.currentIndex())
            if chosen is not None:
                path = str(chosen.path)
            else:
                path, _f = QFileDialog.getOpenFileName(
                    self,
                    _("Restaurar una copia de seguridad"),
                    str(paths.backups_dir()),
                    _("Copias (*.db);;Todos los archivos (*)"),
                )
        if not path:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                _("Restaurar"),
                _(
                    "Los datos actuales se reemplazarán por los de la copia {file}. Antes se guardará una copia del estado "
                    "actual. Luego se cerrará la sesión. ¿Continuar?"
                ).format(file=Path(path).name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return

        def done(_result) -> None:
            QMessageBox.information(
                self,
                _("Restaurar"),
                _("Datos restaurados desde {file}. Vuelva a iniciar sesión.").format(file=source.name),
            )
            self.restored.emit()

        def failed(error: Exception) -> None:
            if not isinstance(error, RestoreNeedsConfirmation):
                report_error(self, error)
                return
            box = QMessageBox(QMessageBox.Icon.Warning, _("Restaurar"), str(error), parent=self)
            box.setInformativeText(_("¿Restaurarla de todos modos? Su confirmación queda en la auditoría."))
            anyway = box.addButton(_("Restaurar de todos modos"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is anyway:
                self.restore_selected(str(source), confirm=False, confirmed=True)

        session, source = self.session, Path(path)
        self._busy(
            _("Restaurando la copia {file}…").format(file=source.name),
            lambda: BackupService(session).restore(source, confirmed=confirmed),
            done,
            failed,
        )
