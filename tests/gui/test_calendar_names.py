"""The pop-up calendar of a date field names months and weekdays in the interface language (issue 16):
glibc's Quechua and Aymara names from tambo_desktop.dates, not Qt's CLDR Spanish. Real key presses and
clicks on a QDateEdit of the running application."""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QTableView, QToolButton, QVBoxLayout, QWidget

from tambo_desktop import dates
from tambo_desktop.gui import calendars, translator
from tambo_desktop.gui.app import create_application

_windows: list[QWidget] = []


def _field(qtbot) -> QDateEdit:
    window = QWidget()
    _windows.append(window)  # kept: Qt deletes a window Python no longer holds
    edit = QDateEdit(QDate(2026, 12, 7), calendarPopup=True, displayFormat="dd/MM/yyyy")
    QVBoxLayout(window).addWidget(edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return edit


def _open(qtbot, edit: QDateEdit) -> QCalendarWidget:
    arrow = QPoint(edit.width() - 6, edit.height() // 2)  # the drop-down arrow at the field's right end
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=arrow)
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    return calendar


def _painted_header(calendar: QCalendarWidget) -> set[str]:
    """The weekday names painted in the header when the calendar is drawn now."""
    delegate = calendars.header_delegate(calendar)
    assert delegate is not None
    delegate.painted.clear()
    calendar.findChild(QTableView, "qt_calendar_calendarview").viewport().grab()
    return set(delegate.painted.values())


def test_calendar_popup_in_quechua_then_aymara(qtbot):
    create_application()
    translator.switch_language("qu")
    try:
        edit = _field(qtbot)
        calendar = _open(qtbot, edit)
        button = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
        assert button.text() == "Tisiyimri"
        assert [a.text() for a in button.menu().actions()][:2] == ["Iniru", "Phiwriru"]
        assert _painted_header(calendar) == {dates.capitalized(n) for n in dates.QU_WEEKDAYS_ABBR}
        qtbot.mouseClick(calendar.findChild(QToolButton, "qt_calendar_nextmonth"), Qt.MouseButton.LeftButton)
        assert (calendar.yearShown(), calendar.monthShown(), button.text()) == (2027, 1, "Iniru")

        translator.switch_language("ay")  # live, with the calendar open
        qtbot.waitUntil(lambda: button.text() == "Inïru")
        assert button.menu().actions()[11].text() == "Risimri"
        assert _painted_header(calendar) == {dates.capitalized(n) for n in dates.AY_WEEKDAYS_ABBR}
        qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    finally:
        translator.switch_language("es")


def test_spanish_calendar_keeps_spanish_names_and_dates_stay_numeric(qtbot):
    create_application()
    translator.switch_language("es")
    edit = _field(qtbot)
    calendar = _open(qtbot, edit)
    assert calendar.findChild(QToolButton, "qt_calendar_monthbutton").text() == "Diciembre"
    assert _painted_header(calendar) == {"Lun", "Mar", "Mié", "Jue", "Vie", "Sáb", "Dom"}
    qtbot.keyClick(calendar.findChild(QTableView, "qt_calendar_calendarview"), Qt.Key.Key_Right)
    qtbot.keyClick(calendar.findChild(QTableView, "qt_calendar_calendarview"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert edit.text() == "08/12/2026"
