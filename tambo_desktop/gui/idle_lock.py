"""The idle lock: after some minutes without keyboard or mouse, every window is covered
and the user's password is asked; what was being typed stays where it was."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputEvent, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop.errors import AuthenticationError
from tambo_desktop.i18n import _
from tambo_desktop.services import accounts
from tambo_desktop.services.session import CurrentUser

#: Every kind of input a person can give; none of it reaches a window but the password box while locked.
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.ContextMenu,
    QEvent.Type.InputMethod,
    QEvent.Type.DragEnter,
    QEvent.Type.DragMove,
    QEvent.Type.Drop,
    QEvent.Type.Close,
}

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class Curtain(QFrame):
    """An opaque cover over one window while the session is locked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setStyleSheet("#lockCurtain { background: #263238; }")
        self.label = QLabel(self)
        self.label.setStyleSheet("color: white; font-size: 16pt;")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.label.setText(_("Sesión bloqueada"))
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        return False


class UnlockDialog(QDialog):
    """Asks the signed-in user's password; sign-in failures count as at the login."""

    def __init__(self, user: CurrentUser, parent=None) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(460)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.logout_button = QPushButton()
        self.buttons.addButton(self.logout_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.accepted.connect(self._unlock)
        self.logout_button.clicked.connect(self._logout)
        self.logged_out = False
        layout = QVBoxLayout(self)
        for widget in (self.message, self.password, self.error, self.buttons):
            layout.addWidget(widget)
        self.retranslate()
        self.password.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sesión bloqueada"))
        self.message.setText(
            _("La sesión de {name} se bloqueó por inactividad. Escriba su contraseña para continuar.").format(
                name=self.user.full_name
            )
        )
        self.password.setPlaceholderText(_("Contraseña"))
        self.logout_button.setText(_("Cerrar sesión"))

    def reject(self) -> None:  # Esc does not unlock
        pass

    def _unlock(self) -> None:
        try:
            accounts.authenticate(self.user.username, self.password.text())
        except AuthenticationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.password.clear()
            return
        self.done(QDialog.DialogCode.Accepted)

    def _logout(self) -> None:
        self.logged_out = True
        self.done(QDialog.DialogCode.Rejected)


class IdleLock(QObject):
    """Watches the whole application for activity and locks it when idle."""

    locked = Signal()
    unlocked = Signal()
    logout_requested = Signal()

    def __init__(self, user: CurrentUser, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        self.is_locked = False
        self.dialog: UnlockDialog | None = None
        self.curtains: list[Curtain] = []
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.is_locked:
            # the cheap test first (every event of the application passes here): only input events
            # can be activity, and reading event.type() makes a Python enum each time
            if isinstance(event, QInputEvent) and event.type() in _ACTIVITY:
                self.timer.start()
            return False
        # locked: the password box (and what belongs to it) is the only thing that takes input
        if self._belongs_to_dialog(watched):
            return False
        kind = event.type()
        if kind == QEvent.Type.WindowActivate or (
            kind == QEvent.Type.MouseButtonPress and isinstance(watched, QWidget)
        ):
            # a click on a covered window brings the box back on top (not if this lock is gone by then)
            QTimer.singleShot(0, self, self._bring_dialog_up)
        if kind in _INPUT:
            event.ignore()
            return True
        return False

    def _belongs_to_dialog(self, watched: QObject) -> bool:
        dialog = self.dialog
        if dialog is None or not shiboken6.isValid(dialog):  # its window went (_dialog_gone): no input
            return not isinstance(watched, QWidget | QWindow)
        if isinstance(watched, QWidget):
            return watched is dialog or dialog.isAncestorOf(watched)
        if isinstance(watched, QWindow):
            return watched is dialog.windowHandle()
        return not isinstance(watched, QWidget | QWindow)  # timers, models, sockets: not input

    def _bring_dialog_up(self) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            self.dialog.password.setFocus()

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)

    def lock(self) -> None:
        if self.is_locked:
            return
        self.is_locked = True
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, UnlockDialog)]
        self.curtains = [Curtain(w) for w in windows]
        self.locked.emit()
        self._show_dialog(windows)

    def _show_dialog(self, windows: list[QWidget]) -> None:
        # above every window of the application (the topmost dialog is its transient parent), modal for
        # the whole application — open() would make it modal to its parent only, and no parent at all
        # (never a window that was just closed: the dialog would go with it when it is deleted)
        active = QApplication.activeModalWidget() or QApplication.activeWindow()
        top = active if active is not None and active.isVisible() else (windows[0] if windows else None)
        self.dialog = UnlockDialog(self.user, top)
        self.dialog.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.finished.connect(self._finished)
        self.dialog.destroyed.connect(self._dialog_gone)
        self.dialog.show()
        self._bring_dialog_up()

    def _dialog_gone(self) -> None:
        """The window the box stood on was deleted while locked: a new box on a window still there."""
        QTimer.singleShot(0, self, self._show_again)

    def _show_again(self) -> None:
        if self.is_locked and (self.dialog is None or not shiboken6.isValid(self.dialog)):
            windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, UnlockDialog)]
            self._show_dialog(windows)

    def _finished(self, result: int) -> None:
        dialog = self.dialog
        self.dialog = None
        for curtain in self.curtains:
            if shiboken6.isValid(curtain):  # not with a window deleted while locked
                curtain.hide()
                curtain.deleteLater()
        self.curtains = []
        self.is_locked = False
        if dialog is not None and dialog.logged_out:
            self.logout_requested.emit()
            return
        self.timer.start()
        self.unlocked.emit()
