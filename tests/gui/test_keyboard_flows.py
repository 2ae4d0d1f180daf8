"""Keyboard flows that cannot misfire (issue 14, part 4), with real keys and clicks: Enter in a scan
field never presses the dialog's default button, dates typed as digits straight through behind a
mask, red marks that go once the field is fixed, Tab that leaves a date-time field, numeric fields
that select their content, a trip's defaults valid at any hour, a dialog that keeps what was typed
after an error, and the desk's time that follows the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from tambo_desktop import dates
from tambo_desktop.db.models import Entity, Person, Service
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui.desk_page import DeskPage
from tambo_desktop.gui.intervention_dialog import InterventionDialog, RescheduleDialog, from_qt
from tambo_desktop.gui.training_dialogs import AttendanceDialog
from tambo_desktop.gui.trip_dialogs import TripDialog
from tambo_desktop.services import accounts
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.session import Session
from tambo_desktop.services.training import CourseForm, SessionForm, TrainingService


@pytest.fixture
def admin(gui_home, load_demo):
    load_demo()
    return Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)


def focused():
    return QApplication.focusWidget()


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):  # keys reach the focused field of the active window, as on a desk
        widget.show()
        widget.activateWindow()
    return widget


def test_a_dni_and_enter_in_the_attendance_ticks_that_person_and_saves_nothing(admin, qtbot):
    """The issue: after «Ninguno», one DNI + Enter recorded 11 of 12 absent and closed the dialog."""
    persons, training = PersonService(admin), TrainingService(admin)
    course = training.save_course(CourseForm("Crianza de cuyes", "productive", "community", provider="Agencia Agraria"))
    start = dt.datetime.combine(dates.today() - dt.timedelta(days=1), dt.time(9))
    session_id = training.save_session(course, SessionForm(start, start + dt.timedelta(hours=3)))
    dnis = []
    for i in range(12):
        dni = f"{45100000 + i:08d}"
        person = persons.save(PersonForm("dni", dni, f"Rosa{chr(65 + i)}", "Huanca", "Quispe", "F", "10/03/1980"))
        training.enroll(course, person_id=person)
        dnis.append(dni)
    training.set_attendance(session_id, {p.id for p in training.participants(course)})
    dialog = shown(qtbot, AttendanceDialog(training, course, training.sessions(course)))
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    dialog.search.setFocus()
    qtbot.keyClicks(dialog.search, dnis[4])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0  # not saved, not closed
    assert len(dialog.present()) == 1
    assert len(training.attendance(session_id)) == 12  # nothing written yet
    qtbot.keyClicks(dialog.search, dnis[7])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert dialog.isVisible() and len(dialog.present()) == 2
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(training.attendance(session_id)) == 2


@pytest.fixture
def desk(admin, qtbot):
    page = DeskPage(admin)
    page.resize(1100, 720)
    return shown(qtbot, page)


def _new_person_up_to_birth_date(qtbot, desk: DeskPage, dni: str) -> None:
    desk.focus_search()
    qtbot.keyClicks(desk.search, dni)
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    for text in ("Cirila", "Condori", "Apaza"):
        qtbot.keyClicks(focused(), text)
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is desk.new_form.birth_date


def test_a_birth_date_typed_as_digits_straight_through(desk, qtbot):
    _new_person_up_to_birth_date(qtbot, desk, "47000001")
    assert desk.new_form.birth_date.displayText() == "__/__/____"  # the mask shows where the digits go
    qtbot.keyClicks(focused(), "12031985")
    assert desk.new_form.birth_date.text() == "12/03/1985"
    for _skip in range(4):  # community, first language, phone; then the service field
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.keyClicks(focused(), "RENIEC")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert not desk.new_form.error_label.isVisible(), desk.new_form.error_label.text()
    person = Person.get(Person.document_number == "47000001")
    assert person.birth_date == dt.date(1985, 3, 12)
    assert focused() is desk.search  # ready for the next person


def test_the_red_mark_goes_when_the_date_is_fixed(desk, qtbot):
    _new_person_up_to_birth_date(qtbot, desk, "47000002")
    qtbot.keyClicks(focused(), "31021985")  # no 31 February
    qtbot.keyClick(desk.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    form = desk.new_form
    assert form.error_label.isVisible() and form.birth_date.property("invalid")
    assert focused() is form.birth_date
    assert not Person.select().where(Person.document_number == "47000002").exists()
    qtbot.keyClick(focused(), Qt.Key.Key_Home)
    qtbot.keyClicks(focused(), "28")
    assert not form.birth_date.property("invalid")
    assert not form.error_label.isVisible()  # the only line was the birth date's


def test_a_mark_goes_with_its_line_only(admin, qtbot):
    dialog = shown(qtbot, TripDialog(admin))
    dialog.trip.odometer_start.setText("9000")
    dialog.trip.odometer_end.setText("100")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    marked = [key for key, w in dialog.trip.fields.items() if w.property("invalid")]
    assert "communities" in marked and "odometer_end" in marked, marked
    lines = dialog.error.text().count("\n") + 1
    qtbot.mouseClick(dialog.trip.odometer_end, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.trip.odometer_end, "9100")
    assert not dialog.trip.odometer_end.property("invalid")
    assert dialog.trip.communities.property("invalid")
    assert dialog.error.isVisible() and dialog.error.text().count("\n") + 1 < lines


def test_tab_leaves_a_date_time_field_and_digits_fill_it(admin, qtbot):
    dialog = shown(qtbot, TripDialog(admin))
    departs, returns = dialog.trip.departs, dialog.trip.returns
    departs.setFocus()  # the day is the first place to type
    qtbot.keyClicks(departs, "020320260715")
    assert from_qt(departs.dateTime()) == dt.datetime(2026, 3, 2, 7, 15)
    qtbot.keyClick(departs, Qt.Key.Key_Tab)
    assert focused() is returns
    qtbot.keyClick(returns, Qt.Key.Key_Tab)
    assert focused() is not returns
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is returns


def test_typing_in_a_prefilled_odometer_replaces_the_reading(admin, qtbot):
    dialog = shown(qtbot, TripDialog(admin))
    odometer = dialog.trip.odometer_start
    odometer.setText("1999")
    qtbot.mouseClick(odometer, Qt.MouseButton.LeftButton)
    qtbot.wait(20)  # the selection is made once the click has placed the cursor
    qtbot.keyClicks(odometer, "2100")
    assert odometer.text() == "2100"
    dialog.trip.odometer_end.setText("2150")
    qtbot.keyClick(odometer, Qt.Key.Key_Tab)
    qtbot.wait(20)
    qtbot.keyClicks(focused(), "2180")
    assert dialog.trip.odometer_end.text() == "2180"


@pytest.mark.parametrize("hour", [3, 7, 12, 23])
def test_a_new_trip_s_default_times_are_valid_at_any_hour(admin, qtbot, monkeypatch, hour):
    moment = dt.datetime.combine(dates.today(), dt.time(hour, 10))
    monkeypatch.setattr(dates, "now", lambda: moment)
    dialog = shown(qtbot, TripDialog(admin))
    departs, returns = from_qt(dialog.trip.departs.dateTime()), from_qt(dialog.trip.returns.dateTime())
    assert departs < returns <= moment
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert not dialog.trip.returns.property("invalid"), dialog.error.text()
    assert not dialog.trip.departs.property("invalid"), dialog.error.text()


def test_the_reschedule_dialog_keeps_what_was_typed_after_an_error(admin, qtbot, monkeypatch):
    service = InterventionService(admin)
    day = dates.today() + dt.timedelta(days=9)
    entity = Entity.get(Entity.code == "RENIEC")
    services = [s.id for s in Service.select().where(Service.entity == entity).limit(2)]
    made = service.save(InterventionForm(
        "Campaña RENIEC", entity.id, "support", services, "inside", None, None, "",
        dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(13)), expected_participants="40",
    ), confirm=True)  # fmt: skip
    row = service.get(made.ids[0])
    editor = shown(qtbot, InterventionDialog(admin, row))
    new_start = dt.datetime.combine(row.starts_at.date() + dt.timedelta(days=1), dt.time(10, 30))
    seen: dict[str, object] = {}

    def drive(dialog: RescheduleDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.setModal(True)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        dialog.starts.setFocus()
        qtbot.keyClicks(dialog.starts, new_start.strftime("%d%m%Y%H%M"))
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Tab)
        assert focused() is dialog.ends
        qtbot.keyClicks(dialog.ends, (new_start + dt.timedelta(hours=3)).strftime("%d%m%Y%H%M"))
        qtbot.keyClick(dialog.ends, Qt.Key.Key_Tab)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no reason yet: refused
        seen["open after the error"] = dialog.isVisible() and dialog.result() == 0
        seen["start kept"] = from_qt(dialog.starts.dateTime())
        seen["reason marked"] = dialog.reason.property("invalid")
        qtbot.keyClicks(dialog.reason, "La entidad pide otro dia")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["saved"] = dialog.result() == QDialog.DialogCode.Accepted or dialog.error.text()
        return dialog.result()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(RescheduleDialog, "exec", drive)
    editor._reschedule()
    assert seen == {"open after the error": True, "start kept": new_start, "reason marked": True, "saved": True}
    moved = service.get(row.id)
    assert moved.starts_at == new_start and moved.status == "rescheduled"


def test_the_desk_time_follows_the_clock_until_changed(desk, qtbot, monkeypatch):
    later = dates.now().replace(second=0) + dt.timedelta(hours=2, minutes=7)
    monkeypatch.setattr(dates, "now", lambda: later)
    desk.clock.setInterval(10)
    qtbot.waitUntil(lambda: from_qt(desk.when.dateTime()) == later, timeout=2000)
    desk.when.setFocus()
    qtbot.keyClicks(desk.when, "01022026")
    qtbot.keyClick(desk.when, Qt.Key.Key_Tab)  # the clerk's own time stays
    chosen = from_qt(desk.when.dateTime())
    monkeypatch.setattr(dates, "now", lambda: later + dt.timedelta(minutes=30))
    qtbot.wait(60)
    assert from_qt(desk.when.dateTime()) == chosen
    assert desk.entry().attended_at == chosen
