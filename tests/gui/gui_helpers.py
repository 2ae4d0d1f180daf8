"""Helpers for driving modal dialogs with real clicks."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from tambo_desktop import i18n


def answer_next_message_box(qtbot, button=QMessageBox.StandardButton.Yes, seen: list | None = None) -> None:
    """Click ``button`` on the next message box that opens (records its text in ``seen``)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        if seen is not None:
            seen.append(box.text())
        target = box.button(button) or box.buttons()[0]
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def click_button_box(qtbot, box: QDialogButtonBox, which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(box.button(which), Qt.MouseButton.LeftButton)


def translated(lang: str, message: str, context: str | None = None) -> str:
    with i18n.use_language(lang):
        return i18n.pgettext(context, message) if context else i18n._(message)
