"""Keyboard flows that cannot misfire (issue 14, part 4).

- :func:`keep_enter`: Enter in a scan or search field does what the field does and never reaches
  the dialog, whose default button would otherwise save and close it;
- :class:`DateEdit`, :class:`DateTimeEdit`: digits typed straight through (``12031985``) fill day,
  month and year, and Tab leaves the field instead of walking its day, month and year;
- :func:`date_mask` and :func:`masked_text`: a typed date behind a visible ``__/__/____`` mask;
- :func:`select_on_focus`: a numeric field selects its content when it gets the focus, so typing
  replaces a pre-filled reading instead of appending to it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QTimeEdit,
    QToolTip,
    QWidget,
)

from tambo_desktop import dates, i18n

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
DATE_MASK = "99/99/9999;_"


class _EnterStaysHere(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in ENTER
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QWidget)
        ):
            watched.event(event)  # the field handles it (returnPressed, a completer's choice)
            event.accept()
            return True  # and it goes no further: no dialog's default button
        return False


class _SelectAll(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit | QAbstractSpinBox):
            # after the click that gave the focus has placed the cursor
            QTimer.singleShot(0, watched, watched.selectAll)
        return False


class _MaskStart(QObject):
    """An empty masked field starts typing at its first place, wherever it was clicked."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            QTimer.singleShot(0, watched, lambda: masked_text(watched) or watched.setCursorPosition(0))
        return False


def _shared(kind: type[QObject]) -> QObject:
    app = QApplication.instance()
    name = f"_tambo_{kind.__name__}"
    existing = getattr(app, name, None)
    if existing is None:
        existing = kind(app)
        setattr(app, name, existing)
    return existing


def keep_enter(*edits: QWidget) -> None:
    """Enter in these fields is theirs alone (never the dialog's default button)."""
    for edit in edits:
        edit.installEventFilter(_shared(_EnterStaysHere))
        edit.setProperty("keepsEnter", True)


def select_on_focus(*widgets: QWidget) -> None:
    """Numeric fields: the whole content is selected on focus, so what is typed replaces it."""
    for widget in widgets:
        widget.installEventFilter(_shared(_SelectAll))
        widget.setProperty("selectsOnFocus", True)


def date_mask(edit: QLineEdit) -> None:
    """A date field typed as digits straight through behind a visible DD/MM/AAAA mask."""
    edit.setInputMask(DATE_MASK)
    edit.installEventFilter(_shared(_MaskStart))


def masked_text(edit: QLineEdit) -> str:
    """The date typed in a :func:`date_mask` field; empty when nothing was typed."""
    text = edit.text()
    return text.strip() if any(ch.isdigit() for ch in text) else ""


class DateEdit(QDateEdit):
    """A date field where Tab goes to the next field (Qt's walks day, month and year)."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return QWidget.focusNextPrevChild(self, next)


class DateTimeEdit(QDateTimeEdit):
    """A date and time field where Tab goes to the next field."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return QWidget.focusNextPrevChild(self, next)


class _SaysWhenFull(QObject):
    """A field at its length limit says so when more is typed, instead of dropping it silently."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QLineEdit)
            and isinstance(event, QKeyEvent)
            and event.text().isprintable()
            and event.text()
            and not watched.hasSelectedText()
            and len(watched.text()) >= watched.maxLength()
            and not watched.inputMask()
        ):
            say_full(watched)
        return False


def say_full(edit: QLineEdit) -> None:
    from tambo_desktop.i18n import ngettext

    n = edit.maxLength()
    message = ngettext(
        "Este campo admite como máximo {n} carácter.", "Este campo admite como máximo {n} caracteres.", n
    ).format(n=n)
    edit.setProperty("fullMessage", message)
    QToolTip.showText(edit.mapToGlobal(QPoint(0, edit.height())), message, edit)


_TAB_WATCHED = (QAbstractItemView, QPlainTextEdit, QTextEdit, QLineEdit, QDateTimeEdit)


class _TabLeaves(QObject):
    """Tab goes to the next field everywhere: tables and lists do not walk their cells with it, and
    multi-line text fields do not type it; a line edit with a length limit says when it is full."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # the cheap type test first: this filter sees every event of the application, and reading
        # event.type() makes a Python enum each time (61,000 of them, ~0.3 s, while the large demo's
        # main window was built on a busy PC)
        if isinstance(watched, _TAB_WATCHED) and event.type() == QEvent.Type.Polish:
            if isinstance(watched, QAbstractItemView):
                watched.setTabKeyNavigation(False)
            elif isinstance(watched, QPlainTextEdit | QTextEdit):
                watched.setTabChangesFocus(True)
            elif isinstance(watched, QLineEdit) and watched.maxLength() < 32767:
                watched.installEventFilter(_shared(_SaysWhenFull))
            elif isinstance(watched, QDateTimeEdit):
                one_date_format(watched)
        return False


def qt_date_format(with_time: bool = False) -> str:
    """dates.py's «short» form (``dd/MM/y``, with ``HH:mm`` for a date and time) as Qt writes it."""
    text = dates.pattern("short", i18n.current_language()).replace("y", "yyyy").replace("yyyyyyyy", "yyyy")
    return f"{text} {dates.pattern('time', i18n.current_language())}" if with_time else text


def one_date_format(edit: QDateTimeEdit) -> None:
    """A date field shows dates as the rest of the screen does (issue 14, part 6): Qt's default is the
    locale's («7/12/26» in es_PE), and a display format given by a page or a form is not the app's."""
    if isinstance(edit, QTimeEdit):
        return  # a time field: HH:mm already, in every language
    wanted = qt_date_format(with_time=not isinstance(edit, QDateEdit))
    if edit.displayFormat() != wanted:
        edit.setDisplayFormat(wanted)


def install(app: QApplication) -> QObject:
    """Once per application (see :class:`_TabLeaves`)."""
    tabs = _shared(_TabLeaves)
    app.installEventFilter(tabs)
    return tabs
