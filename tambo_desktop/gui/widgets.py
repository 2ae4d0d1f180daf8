"""Small reusable widgets and helpers for forms: error display, pickers, combos."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

from tambo_desktop import i18n
from tambo_desktop.errors import FieldError, ImportFileError, TamboError
from tambo_desktop.i18n import _
from tambo_desktop.services import ubigeo
from tambo_desktop.text import search_key
from tambo_desktop.vocabulary import label

INVALID_STYLE = '*[invalid="true"] { border: 2px solid #c62828; border-radius: 3px; }'


def show_field_errors(
    error_label: QLabel, widgets: Mapping[str, QWidget], labels: Mapping[str, QLabel], errors: list[FieldError]
) -> None:
    """Show every field error above the form, outline the fields and focus the first one; a field's
    outline and its line go away as soon as the field is changed."""
    for widget in widgets.values():
        _mark(widget, False)
    lines: list[tuple[QWidget | None, str]] = []
    first: QWidget | None = None
    for error in errors:
        widget = widgets.get(error.field)
        caption = labels[error.field].text().replace("&", "").rstrip(":") if error.field in labels else ""
        lines.append((widget, f"• {caption}: {error.message}" if caption else f"• {error.message}"))
        if widget is not None:
            _mark(widget, True)
            _clear_when_changed(widget, error_label)
            first = first or widget
    error_label._field_lines = lines  # type: ignore[attr-defined]
    error_label.setText("\n".join(text for _w, text in lines))
    error_label.setVisible(bool(lines))
    if first is not None:
        first.setFocus()


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _changed_signals(widget: QWidget) -> list:
    from PySide6.QtWidgets import QAbstractSpinBox, QDateTimeEdit, QLineEdit, QListWidget, QPlainTextEdit, QTextEdit

    if isinstance(widget, QLineEdit):
        return [widget.textEdited]
    if isinstance(widget, QComboBox):
        return (
            [widget.currentIndexChanged, widget.editTextChanged]
            if widget.isEditable()
            else [widget.currentIndexChanged]
        )
    if isinstance(widget, QDateTimeEdit):
        return [widget.dateTimeChanged]
    if isinstance(widget, QAbstractSpinBox) and hasattr(widget, "valueChanged"):
        return [widget.valueChanged]
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QListWidget):
        return [widget.itemChanged]
    return []


def _clear_when_changed(widget: QWidget, error_label: QLabel) -> None:
    if widget.property("clearsMark"):
        return
    widget.setProperty("clearsMark", True)

    def fixed(*_args) -> None:
        if not widget.property("invalid"):
            return
        _mark(widget, False)
        lines = [(w, text) for w, text in getattr(error_label, "_field_lines", []) if w is not widget]
        error_label._field_lines = lines  # type: ignore[attr-defined]
        error_label.setText("\n".join(text for _w, text in lines))
        error_label.setVisible(bool(lines))

    for signal in _changed_signals(widget):
        signal.connect(fixed)


def is_field(widget: QWidget) -> bool:
    """A field a person fills in (text, number, date, choice, tick), not a push button."""
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox | QComboBox) or (
        isinstance(widget, QAbstractButton) and not isinstance(widget, QPushButton | QToolButton)
    )


def read_only(widgets) -> None:
    """Fields a read-only role sees but cannot change: text stays selectable and copyable, choices
    are shown but cannot be changed (issue 14, part 8; before, only Save was disabled)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    for widget in widgets:
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
            widget.setReadOnly(True)
        elif isinstance(widget, QComboBox | QAbstractButton | QAbstractItemView):
            widget.setEnabled(False)
        widget.setProperty("readOnlyRole", True)


def error_label() -> QLabel:
    """The red label above a form where :func:`show_field_errors` lists what is wrong (hidden until then)."""
    label_ = QLabel(wordWrap=True, objectName="errorLabel")
    label_.setStyleSheet("color: #b71c1c;")
    label_.hide()
    return label_


def fill_combo(combo: QComboBox, vocabulary: Mapping[str, str], blank: bool = False) -> None:
    """(Re)fill a combo with translated labels, keeping the selected code."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if blank:
        combo.addItem("—", "")
    for code in vocabulary:
        combo.addItem(label(vocabulary, code), code)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def fill_languages(combo: QComboBox) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for lang in i18n.LANGUAGES:
        combo.addItem(lang.native_name, lang.code)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def select_data(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    if index >= 0:
        combo.setCurrentIndex(index)


class DistrictPicker:
    """Turns an editable combo into a district picker: type any part of a name or the ubigeo."""

    def __init__(self, combo: QComboBox) -> None:
        self.combo = combo
        self.choices = ubigeo.all_districts()
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMaxVisibleItems(15)
        combo.addItem("", "")
        for choice in self.choices:
            combo.addItem(choice.label, choice.code)
        # the popup lists what ubigeo.ranked finds for the words typed (any order, accents
        # ignored), the district of that very name first
        self.model = QStringListModel([], combo)
        completer = QCompleter(self.model, combo)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        combo.setCompleter(completer)
        completer.activated.connect(self._picked)
        self.completer = completer
        line = combo.lineEdit()
        if line is not None:
            line.textEdited.connect(self._typed)

    def _typed(self, text: str) -> None:
        found = ubigeo.ranked(self.choices, text)
        self.model.setStringList([c.label for c in found])
        if found:
            self.completer.complete()
        else:
            popup = self.completer.popup()
            if popup is not None:
                popup.hide()

    def _picked(self, text: str) -> None:
        index = self.combo.findText(text)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def code(self) -> str:
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if index >= 0:
            return self.combo.itemData(index) or ""
        if text.isdigit() and len(text) == 6:
            return text
        matches = ubigeo.ranked(self.choices, text)
        exact = [c for c in matches if search_key(c.name) == search_key(text)]
        if len(exact) == 1:  # «Puno»: the district of that name, not one of the department's
            return exact[0].code
        return matches[0].code if len(matches) == 1 else text

    def set_code(self, code: str) -> None:
        select_data(self.combo, code)


def show_import_errors(parent: QWidget | None, error: ImportFileError) -> None:
    """Nothing was imported: the first problem, the count, and every bad row in the details."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("No se importó nada"), error.args[0].split("\n")[0], parent=parent)
    box.setDetailedText(str(error))
    box.setInformativeText(
        i18n.ngettext("{n} fila tiene errores.", "{n} filas tienen errores.", len(error.rows)).format(n=len(error.rows))
    )
    box.exec()


def report_error(parent: QWidget | None, error: Exception, title: str | None = None) -> None:
    """A clear message box for an error a service raised (already in the user's language)."""
    text = (
        str(error) if isinstance(error, TamboError) else _("Ocurrió un error inesperado: {error}").format(error=error)
    )
    QMessageBox.critical(parent, title or _("Error"), text)


class Versioned(Protocol):
    """A dialog editing a saved record: the version it was read with, and how to show it again."""

    version: int | None
    on_top: bool

    def reload(self) -> None: ...

    def _save(self) -> None: ...


def submitted(
    parent: QWidget,
    action: Callable[[], object],
    error_label: QLabel,
    widgets: Mapping[str, QWidget],
    labels: Mapping[str, QLabel],
    versioned: Versioned | None = None,
) -> bool:
    """Run a form's service call: its field errors are shown in place, any other error in a box;
    True when it went through. With ``versioned`` (the dialog), a save refused because another PC
    saved the record meanwhile shows theirs beside the user's: reload theirs into the form, or save
    the user's on top (then the dialog's own save runs again and decides)."""
    from tambo_desktop.errors import StaleRecord, ValidationError
    from tambo_desktop.gui import conflict_dialog

    try:
        action()
    except ValidationError as exc:
        show_field_errors(error_label, widgets, labels, exc.errors)
        return False
    except StaleRecord as exc:
        if versioned is None:
            report_error(parent, exc)
            return False
        choice = conflict_dialog.ask(exc, parent)
        if choice == conflict_dialog.RELOAD:
            versioned.reload()
        elif choice == conflict_dialog.KEEP_MINE:
            versioned.version, versioned.on_top = exc.current_version, True
            versioned._save()
        return False
    except TamboError as exc:
        report_error(parent, exc)
        return False
    return True
