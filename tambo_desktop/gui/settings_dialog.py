"""Settings an administrator changes: the idle lock time, the days after which an unvisited
community is highlighted."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.gui.keys import select_on_focus
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import _
from tambo_desktop.services import settings


class SettingsDialog(QDialog):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.idle = QSpinBox()
        self.idle.setRange(*settings.IDLE_RANGE)
        self.idle.setValue(settings.idle_lock_minutes())
        self.idle_label = QLabel()
        self.idle_label.setBuddy(self.idle)
        self.stale = QSpinBox()
        select_on_focus(self.idle, self.stale)
        self.stale.setRange(*settings.STALE_RANGE)
        self.stale.setValue(settings.stale_days())
        self.stale_label = QLabel()
        self.stale_label.setBuddy(self.stale)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.idle_label, self.idle)
        form.addRow(self.stale_label, self.stale)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Ajustes del tambo"))
        self.idle_label.setText(_("&Bloquear la sesión tras (minutos sin uso):"))
        # TRANSLATORS: the unit after the number of minutes
        self.idle.setSuffix(_(" min"))
        self.stale_label.setText(_("&Resaltar centros poblados sin visita desde hace (días):"))

    def _save(self) -> None:
        try:
            settings.set_idle_lock_minutes(self.session, self.idle.value())
            if self.stale.value() != settings.stale_days():
                settings.set_stale_days(self.session, self.stale.value())
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.accept()
