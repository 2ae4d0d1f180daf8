"""Accessible names (issue 14, part 8): what a screen reader says for each control of a page.

Qt names a field after the label whose buddy it is, and a button after its text; this module names
the rest in the user's language, again at every language change: a search field by its placeholder, a
year by «Año», a table, list or date field by the caption just before it in its layout (or the page's
title), the navigation by «Navegación». A name set by the code itself is never replaced."""

from __future__ import annotations

import weakref

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tambo_desktop.i18n import N_, _

_AUTO: weakref.WeakSet[QWidget] = weakref.WeakSet()  # the widgets this module named (no Qt property:
# PySide 6.12 loses a reference to None whenever an unset property is read)
NAVIGATION = N_("Navegación")
YEAR = N_("Año")

CONTROLS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit)


def plain(text: str) -> str:
    """A caption as it is read: without the mnemonic «&» and the trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def set_name(widget: QWidget, text: str) -> None:
    widget.setAccessibleName(plain(text))
    _AUTO.add(widget)


def _caption_before(widget: QWidget) -> str:
    """The text of the label (or check box) just before ``widget`` in its parent's layout."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None:
        return ""

    def walk(lay: QLayout) -> list[QWidget]:
        found = []
        for i in range(lay.count()):
            item = lay.itemAt(i)
            if item.widget() is not None:
                found.append(item.widget())
            elif item.layout() is not None:
                found.extend(walk(item.layout()))
        return found

    widgets = walk(layout)
    if widget not in widgets:
        return ""
    for candidate in reversed(widgets[: widgets.index(widget)]):
        if isinstance(candidate, QLabel) and candidate.text() and not candidate.buddy():
            return candidate.text()
        if isinstance(candidate, QAbstractButton) and candidate.isCheckable() and candidate.text():
            return candidate.text()
        if isinstance(candidate, CONTROLS):
            break
    return ""


def _buddies(root: QWidget) -> set[int]:
    return {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}


def name_controls(root: QWidget, title: str = "") -> list[QWidget]:
    """Give every control of ``root`` without a name one; returns the controls still unnamed."""
    buddied = _buddies(root)
    unnamed = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView):
            continue
        if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
            continue  # the line edit inside a combo or a spin box
        if id(widget) in buddied or (widget.accessibleName() and widget not in _AUTO):
            continue
        text = widget.placeholderText() if isinstance(widget, QLineEdit) else ""
        if not text and isinstance(widget, QAbstractSpinBox) and not isinstance(widget, QDateTimeEdit):
            value = getattr(widget, "value", lambda: 0)()
            if "year" in widget.objectName().lower() or (isinstance(value, int) and 1990 <= value <= 2100):
                text = _(YEAR)
        text = text or _caption_before(widget) or widget.toolTip() or title
        if text:
            set_name(widget, text)
        else:
            unnamed.append(widget)
    return unnamed
