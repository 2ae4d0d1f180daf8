"""The staff page in the window, with real clicks: signing in records the day's arrival and closing the
window the departure; the administrator picks a person, corrects a day (refused without a reason),
enters a holiday, and saves the month's sheets as PDF off the GUI thread; a gestor sees only their own."""

from __future__ import annotations

import subprocess

import pytest
from gui_helpers import translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from tambo_desktop import dates
from tambo_desktop.db.models import StaffDay, StaffLeave, User
from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.gui.app import open_main_window
from tambo_desktop.gui.staff_dialogs import DayDialog, LeaveDialog
from tambo_desktop.services import accounts
from tambo_desktop.services.staff import StaffService

TOTALS = (
    "Días en el tambo: {tambo} · Días en campo: {field} · Días de licencia: {leave} · Feriados: {holidays} · "
    "Intervenciones: {interventions} · Atenciones: {attentions}"
)


def _day(username: str):
    user = User.get(User.username == username)
    return StaffDay.get_or_none((StaffDay.user == user.id) & (StaffDay.day == dates.today()))


def _open(url, username: str, qtbot):
    window = open_main_window(accounts.authenticate(username, DEMO_PASSWORD), url)
    qtbot.addWidget(window)
    # signing in is the day's arrival, written off the GUI thread
    qtbot.waitUntil(lambda: _day(username) is not None and _day(username).auto_arrival is not None, timeout=10_000)
    window.staff_page.refresh()
    nav = window.nav
    row = window.page_index(window.staff_page)
    nav.scrollToItem(nav.item(row))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    assert window.current_page() is window.staff_page
    return window


def _click_row(qtbot, table, row: int) -> None:
    table.scrollTo(table.model().index(row, 0))
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(row, 1)).center()
    )


@pytest.fixture
def demo(gui_home, load_demo):
    load_demo("small")
    return gui_home


def test_the_administrator_corrects_a_day_enters_a_holiday_and_saves_the_sheets(demo, qtbot, monkeypatch, tmp_path):
    window = _open(demo, "admin", qtbot)
    page = window.staff_page
    today = dates.today()
    assert page.model.rowCount() == len(page.current.days) and page.person.currentText() == "Rosa Quispe Mamani"
    assert page.model.index(today.day - 1, 1).data()  # today's arrival is on the grid
    # another person of the tambo
    nelly = page.person.findText("Nelly Ticona Choque")
    page.person.setCurrentIndex(nelly)
    assert page.current.person.full_name == "Nelly Ticona Choque"
    _click_row(qtbot, page.table, today.day - 1)
    seen = {}

    def correct(dialog: DayDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.arrival.setText("")
        qtbot.keyClicks(dialog.arrival, "07:40")
        dialog.departure.setText("")
        dialog.reason.setText("")
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # no reason: refused, the dialog stays
        seen["error"], seen["open"] = dialog.errors.text(), dialog.isVisible()
        qtbot.keyClicks(dialog.reason, "Vino temprano con el gestor")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(DayDialog, "exec", correct)
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)
    assert "motivo" in seen["error"] and seen["open"]
    assert page.model.index(today.day - 1, 1).data() == "07:40 *"
    assert page.model.index(today.day - 1, 6).data() == "Vino temprano con el gestor"
    assert page.note.isVisibleTo(page)

    def holiday(dialog: LeaveDialog) -> int:
        dialog.show()
        dialog.person.setCurrentIndex(0)  # everyone
        dialog.kind.setCurrentIndex(dialog.kind.findData("feriado"))
        dialog.first_day.setDate(dialog.first_day.date().addDays(1))
        dialog.note.setText("Aniversario del distrito")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        seen["periods"] = dialog.periods.count()
        return 0

    monkeypatch.setattr(LeaveDialog, "exec", holiday)
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    assert StaffLeave.select().where(StaffLeave.note == "Aniversario del distrito").count() == 1
    assert seen["periods"] >= 1
    assert page.current.days[1].holiday  # the 2nd of the month, for Nelly too
    # the month's sheets of everyone, as PDF, written off the GUI thread
    out = tmp_path / "asistencia.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "3 personas" in told[0]
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert text.count("Firma del trabajador") == 3
    assert "Nelly Ticona Choque" in text and "07:40 *" in text and "Aniversario" not in text
    # closing the window is the departure
    window.close()
    qtbot.waitUntil(lambda: _day("admin").auto_departure is not None, timeout=10_000)


def test_a_gestor_sees_only_their_own_month(demo, qtbot):
    window = _open(demo, "gestor", qtbot)
    page = window.staff_page
    assert page.person.count() == 1 and not page.person.isEnabled()
    assert page.current.person.full_name == "Wilber Condori Apaza"
    assert not page.correct_button.isVisibleTo(page) and not page.leave_button.isVisibleTo(page)
    assert not page.only_this.isVisibleTo(page)
    # the gestor's own language (Aymara), and the numbers of his month
    assert page.summary.text().startswith(translated("ay", TOTALS).split("{")[0]) and "Días" not in page.summary.text()
    month = StaffService(window.session).month(page.current.person.id, *page.period())
    assert page.summary.text() == translated("ay", TOTALS).format(
        tambo=month.days_at_tambo,
        field=month.days_in_field,
        leave=month.leave_days,
        holidays=month.holidays,
        interventions=month.interventions,
        attentions=month.attentions,
    )
    assert month.days_at_tambo >= 1  # signing in was today's arrival


def test_the_idle_lock_is_the_departure_and_unlocking_keeps_the_arrival(demo, qtbot):
    """Left idle: the departure is the last activity (the lock's minutes before it came down); back at
    the PC, the password unlocks and the day's first arrival stays."""
    import datetime as dt

    window = _open(demo, "oficina", qtbot)
    nelly = User.get(User.username == "oficina")
    today = dates.today()
    arrival = _day("oficina").auto_arrival
    before = _day("oficina").auto_departure  # in the evening the demo has already written today's departure
    window.idle_lock.set_minutes(10)
    window.idle_lock.lock()
    qtbot.waitUntil(lambda: _day("oficina").auto_departure not in (None, before), timeout=10_000)
    day = _day("oficina")
    assert abs((dates.now() - dt.timedelta(minutes=10)) - day.auto_departure) < dt.timedelta(seconds=30)
    unlock = window.idle_lock.dialog
    qtbot.keyClicks(unlock.password, DEMO_PASSWORD)
    qtbot.keyClick(unlock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.idle_lock.is_locked, timeout=3000)
    from tambo_desktop.gui.ops import wait_for_background_work

    wait_for_background_work()
    rows = list(StaffDay.select().where((StaffDay.user == nelly.id) & (StaffDay.day == today)))
    assert len(rows) == 1 and rows[0].auto_arrival == arrival
