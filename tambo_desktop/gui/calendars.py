"""Qt's calendars — the pop-up of every date field — with the month and weekday names of
:mod:`tambo_desktop.dates`, in the interface language.

Qt takes those names from its CLDR data, whose Quechua months and weekdays are the Spanish words and
which has no Aymara (the translator gives Aymara the ``es_PE`` locale). :func:`install` watches the
application for calendars being shown and gives each, once, the names of ``tambo_desktop.dates``
(glibc's ``quz_PE`` and ``ayc_PE``, CLDR's Spanish): the month button and its menu, and the weekday
header, painted by a delegate that leaves the day cells to Qt's own. The dates typed in the fields
stay numeric (``dd/MM/yyyy``), the same in the three languages.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QCalendarWidget, QItemDelegate, QTableView, QToolButton

from tambo_desktop import i18n
from tambo_desktop.dates import capitalized

_DONE = "tamboLocalNames"


class _WeekdayHeader(QItemDelegate):
    """Paints the header row's weekday names; every other cell is painted by Qt's calendar delegate."""

    def __init__(self, calendar: QCalendarWidget, original) -> None:
        super().__init__(calendar)
        self.calendar, self.original = calendar, original
        self._text: str | None = None
        self.painted: dict[int, str] = {}  # weekday → the name last painted for it

    def weekday(self, index) -> int | None:
        """The weekday (1 = Monday … 7 = Sunday) whose name ``index`` shows, None for a day cell."""
        calendar = self.calendar
        if calendar.horizontalHeaderFormat() == QCalendarWidget.HorizontalHeaderFormat.NoHorizontalHeader:
            return None
        first = 0 if calendar.verticalHeaderFormat() == QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader else 1
        if index.row() != 0 or index.column() < first:
            return None
        return (calendar.firstDayOfWeek().value - 1 + index.column() - first) % 7 + 1

    def paint(self, painter, option, index) -> None:
        day = self.weekday(index)
        if day is None:
            self.original.paint(painter, option, index)
            return
        long = self.calendar.horizontalHeaderFormat() == QCalendarWidget.HorizontalHeaderFormat.LongDayNames
        self._text = self.painted[day] = capitalized(i18n.weekday_names(abbreviated=not long)[day - 1])
        try:
            super().paint(painter, option, index)
        finally:
            self._text = None

    def drawDisplay(self, painter, option, rect, text) -> None:  # noqa: N802 - Qt's name
        super().drawDisplay(painter, option, rect, text if self._text is None else self._text)

    def sizeHint(self, option, index):  # noqa: N802 - Qt's name
        return self.original.sizeHint(option, index)


def month_button(calendar: QCalendarWidget) -> QToolButton | None:
    return calendar.findChild(QToolButton, "qt_calendar_monthbutton")


def header_delegate(calendar: QCalendarWidget) -> _WeekdayHeader | None:
    """The delegate that paints ``calendar``'s weekday names (None before :func:`localize`)."""
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    delegate = view.itemDelegate() if view is not None else None
    return delegate if isinstance(delegate, _WeekdayHeader) else None


def rename(calendar: QCalendarWidget) -> None:
    """Put the interface language's month names on ``calendar``'s month button and menu."""
    months = i18n.month_names()
    button = month_button(calendar)
    if button is not None:
        button.setText(capitalized(months[calendar.monthShown() - 1]))
        menu = button.menu()
        if menu is not None:
            for action, name in zip(menu.actions(), months, strict=False):
                action.setText(capitalized(name))
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    if view is not None:
        view.viewport().update()


class _Renamer(QObject):
    """Renames again after Qt, which writes its own names back on a language or locale change."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.LocaleChange) and isinstance(
            watched, QCalendarWidget
        ):
            QTimer.singleShot(0, watched, lambda: rename(watched))
        return False


def localize(calendar: QCalendarWidget) -> QCalendarWidget:
    """Give ``calendar`` the interface language's month and weekday names, for as long as it lives."""
    if calendar.property(_DONE):
        return calendar
    calendar.setProperty(_DONE, True)
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    if view is not None:
        view.setItemDelegate(_WeekdayHeader(calendar, view.itemDelegate()))
    calendar.currentPageChanged.connect(lambda _year, _month: rename(calendar))  # Qt names the month anew
    renamer = _Renamer(calendar)
    calendar.installEventFilter(renamer)
    rename(calendar)
    return calendar


class _Watcher(QObject):
    """Localizes every calendar the first time it is shown (a date field's pop-up is made on demand)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if isinstance(watched, QCalendarWidget) and event.type() == QEvent.Type.Show:  # the cheap test first
            localize(watched)
        return False


def install(app: QApplication) -> QObject:
    """Watch ``app`` for calendars; returns the watcher (keep it: Qt does not own Python's reference)."""
    watcher = _Watcher(app)
    app.installEventFilter(watcher)
    return watcher


__all__ = ["header_delegate", "install", "localize", "month_button", "rename"]
