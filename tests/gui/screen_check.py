"""What a person would see cut: labels, buttons, combos and table headers whose text does not fit.

A text that is elided on purpose (with "…" and the whole text in a tooltip) is not cut."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QToolButton,
    QWidget,
)

from tambo_desktop.gui.screen_fit import ElidedLabel


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '-'})"


def _really_visible(widget: QWidget, root: QWidget) -> bool:
    """Visible and not scrolled out of sight of its window (a hidden tab's widgets are not visible)."""
    return widget.isVisibleTo(root) and widget.isVisible() and widget.width() > 0


def clipped(root: QWidget) -> list[str]:
    """Every widget under ``root`` whose own text is cut without an ellipsis and a tooltip."""
    found: list[str] = []
    for widget in root.findChildren(QWidget):
        if not _really_visible(widget, root):
            continue
        if isinstance(widget, QLabel) and not isinstance(widget, ElidedLabel):
            cut = widget.sizeHint().width() > widget.width() + 1
            if widget.text() and not widget.wordWrap() and widget.pixmap().isNull() and cut:
                found.append(f"{_name(widget)} {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        elif isinstance(widget, QPushButton | QToolButton) and widget.text():
            text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            needed = widget.fontMetrics().horizontalAdvance(text) + (
                widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
            )
            if (
                isinstance(widget, QToolButton)
                and widget.popupMode() == QToolButton.ToolButtonPopupMode.MenuButtonPopup
            ):
                needed += 16
            if needed + 8 > widget.width():
                found.append(f"{_name(widget)} {widget.text()!r}: {widget.width()} < {needed + 8}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width() + 1:
                found.append(f"{_name(widget)} {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        elif isinstance(widget, QComboBox) and widget.currentText():
            option = QStyleOptionComboBox()
            widget.initStyleOption(option)
            field = widget.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, widget
            )
            text = widget.currentText()
            if widget.isEditable():
                continue  # a line edit scrolls its text; nothing is lost
            if widget.fontMetrics().horizontalAdvance(text) > field.width() + 1 and not (
                widget.property("elides") and text in widget.toolTip()
            ):
                found.append(f"{_name(widget)} {text!r}: field {field.width()}")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            view = widget.parent()
            if not isinstance(view, QAbstractItemView) or view.model() is None:
                continue
            model = view.model()
            for section in range(widget.count()):
                if widget.isSectionHidden(section) or widget.sectionSize(section) == 0:
                    continue
                needed = widget.sectionSizeFromContents(section).width()
                if needed > widget.sectionSize(section) + 1:
                    title = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                    tip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
                    stretched = widget.sectionResizeMode(section) == QHeaderView.ResizeMode.Stretch or (
                        widget.stretchLastSection() and widget.visualIndex(section) == widget.count() - 1
                    )
                    elided = widget.textElideMode() != Qt.TextElideMode.ElideNone and stretched
                    # an interactive column is widened to its title (see screen_fit.headers_fit); a
                    # stretched one may end its title in "…" when the whole title is in the tooltip
                    if not (elided and tip and str(title) in str(tip)):
                        found.append(f"header {title!r} of {_name(view)}: {widget.sectionSize(section)} < {needed}")
    return found


def outside(window: QWidget) -> list[str]:
    """Visible widgets that stick out of the window (cut by its edge), outside scroll areas."""
    found: list[str] = []
    frame = QRect(0, 0, window.width(), window.height())
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        if any(isinstance(a, (QScrollArea, QTableView)) for a in _ancestors(widget, window)):
            continue
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not frame.contains(rect):
            found.append(f"{_name(widget)} at {rect.getRect()} outside {frame.getRect()}")
    return found


def _ancestors(widget: QWidget, stop: QWidget):
    parent = widget.parentWidget()
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parentWidget()
