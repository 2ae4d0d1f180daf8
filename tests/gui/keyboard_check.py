"""What a keyboard user meets in a window: its mnemonics (Alt+letter) and where Tab goes."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMainWindow,
    QTabWidget,
    QWidget,
)

_MNEMONIC = re.compile(r"(?<!&)&(?!&)(\w)")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text or "")
    return found.group(1).casefold() if found else None


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isEnabled()


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter → what it reaches in the window (menu titles, buttons, labels with a buddy,
    group boxes, tabs); what is shown counts, enabled or not (a disabled button is enabled later)."""
    found: dict[str, list[str]] = defaultdict(list)
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible() and (letter := _letter(action.text())):
                found[letter].append(f"menu {action.text()!r}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None and widget.buddy().isVisibleTo(window):
            text = widget.text()
        elif isinstance(widget, QAbstractButton | QGroupBox):
            text = widget.text() if isinstance(widget, QAbstractButton) else widget.title()
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                if widget.isTabVisible(i) and (letter := _letter(widget.tabText(i))):
                    found[letter].append(f"tab {widget.tabText(i)!r}")
            continue
        else:
            continue
        if letter := _letter(text):
            found[letter].append(f"{type(widget).__name__} {text!r}")
    return dict(found)


def duplicates(window: QWidget) -> dict[str, list[str]]:
    return {letter: owners for letter, owners in mnemonics(window).items() if len(owners) > 1}


def dead_mnemonics(window: QWidget) -> list[str]:
    """Labels that underline a letter but have no field to go to (Alt+letter does nothing)."""
    return [
        label.text()
        for label in window.findChildren(QLabel)
        if _shown(label, window) and _letter(label.text()) and label.buddy() is None
        and label.textFormat() != Qt.TextFormat.RichText
    ]  # fmt: skip


def owner(widget: QWidget | None) -> QWidget | None:
    """The field a focused widget belongs to (a combo's or a spin box's own line edit)."""
    while widget is not None and isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
        widget = widget.parentWidget()
    return widget


def tab_stops(window: QWidget) -> list[QWidget]:
    """The fields Tab should reach in the window."""
    stops = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not _shown(widget, window) or widget.focusProxy() is not None:
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if owner(widget) is not widget:
            continue
        stops.append(widget)
    return stops


def walk_tab(qtbot, window: QWidget, limit: int = 400) -> list[QWidget]:
    """Press Tab from the window's first field until the focus comes back to where it started;
    the fields in the order Tab reached them (a field that keeps the focus on Tab ends the walk)."""
    stops = set(tab_stops(window))
    first = window.nextInFocusChain()
    while first is not window and first not in stops:
        first = first.nextInFocusChain()
    if first is window:
        return []
    first.setFocus(Qt.FocusReason.TabFocusReason)  # the first field of the window's focus chain
    start = owner(QApplication.focusWidget())
    order = [start]
    for _ in range(limit):
        before = QApplication.focusWidget()
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        now = owner(QApplication.focusWidget())
        if now is start:
            return order
        if now is owner(before) or now is None:
            order.append(now)
            return order  # stuck: Tab did not leave the field
        order.append(now)
    return order


def form_order_problems(window: QWidget, order: list[QWidget]) -> list[str]:
    """Fields of a form layout that Tab reaches out of the form's own row order."""
    position = {w: i for i, w in enumerate(order)}
    problems = []
    for form in window.findChildren(QFormLayout):
        fields = []
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None and widget in position:
                fields.append(widget)
        seen = [position[w] for w in fields]
        if seen != sorted(seen):
            names = [f"{type(w).__name__}({w.objectName() or '-'})" for w in fields]
            problems.append(
                f"form of {form.parentWidget().objectName() or type(form.parentWidget()).__name__}: {names}"
            )
    return problems
