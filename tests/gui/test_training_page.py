"""The training page as a clerk uses it: a community course with two sessions, 25 people enrolled by
DNI from the keyboard, attendance ticked by DNI + Enter, results, 25 certificates in one PDF, a code
verified and a forged one refused; the staff's expiring certification on the Today page."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tambo_desktop import dates
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui import translator
from tambo_desktop.gui.intervention_dialog import to_qt
from tambo_desktop.gui.today_page import TodayPage
from tambo_desktop.gui.training_dialogs import AttendanceDialog, CourseDialog, EnrollDialog, SessionDialog, VerifyDialog
from tambo_desktop.gui.training_page import TrainingPage
from tambo_desktop.services import accounts
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.session import Session
from tambo_desktop.services.training import CourseForm, SessionForm, TrainingService

NAMES = ("Rosa", "Wilber", "Nelly", "Javier", "Yola", "Edwin", "Basilia")


@pytest.fixture
def admin(gui_home, load_demo):
    load_demo()
    return Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)


@pytest.fixture
def people(admin) -> list[str]:
    persons = PersonService(admin)
    dnis = []
    for i in range(25):
        dni = f"{43000000 + i:08d}"
        persons.save(PersonForm("dni", dni, NAMES[i % 7], "Huanca", "Quispe", "FM"[i % 2], f"1{i % 9}/03/198{i % 10}",
                                first_language=("qu", "ay")[i % 2]))  # fmt: skip
        dnis.append(dni)
    return dnis


def test_a_community_course_from_start_to_certificates(admin, people, qtbot, monkeypatch, tmp_path):
    page = TrainingPage(admin)
    qtbot.addWidget(page)
    page.show()
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)

    def fill_course(dialog):
        dialog.title.setText("Crianza de cuyes")
        dialog.topic.setCurrentIndex(dialog.topic.findData("productive"))
        dialog.audience.setCurrentIndex(dialog.audience.findData("community"))
        dialog.entity.setCurrentIndex(dialog.entity.findText("PRODUCE", Qt.MatchFlag.MatchStartsWith))
        dialog.trainer.setText("Téc. Edwin Calla")
        dialog.certification.setText("Criador de cuyes")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(CourseDialog, "exec", fill_course)
    page.new_button.click()
    assert page.course is not None and page.course.title == "Crianza de cuyes"
    day = dates.today() - dt.timedelta(days=8)
    for offset, hours in ((0, 4), (7, 3)):

        def fill_session(dialog, offset=offset, hours=hours):
            start = dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(9))
            dialog.starts.setDateTime(to_qt(start))
            dialog.ends.setDateTime(to_qt(start + dt.timedelta(hours=hours)))
            dialog._save()
            return dialog.result()

        monkeypatch.setattr(SessionDialog, "exec", fill_session)
        page.add_session_button.click()
    assert page.sessions_model.rowCount() == 2

    def enroll_all(dialog):
        for dni in people:
            dialog.search.setText(dni)
            qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EnrollDialog, "exec", enroll_all)
    page.enroll_button.click()
    assert page.participants_model.rowCount() == 25

    def attend(dialog, absent=()):
        dialog.search.setText("nadie-con-este-nombre")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert dialog.error.isVisibleTo(dialog)
        for dni in people:
            if dni not in absent:
                dialog.search.setText(dni)
                qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        assert dialog.count.text().startswith(str(25 - len(absent)))
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(AttendanceDialog, "exec", lambda d: attend(d))
    page.take_attendance()  # the most recent session: the second
    monkeypatch.setattr(
        AttendanceDialog, "exec", lambda d: (d.session_combo.setCurrentIndex(0), attend(d, people[:2]))[1]
    )
    page.take_attendance()
    rows = page.participants_model.rows
    assert sorted(r.hours for r in rows).count(7) == 23 and all(r.result == "attended" for r in rows)
    page.participants_table.selectAll()
    page.set_result("passed")
    assert all(r.result == "passed" for r in page.participants_model.rows)
    page.participants_table.clearSelection()
    out = tmp_path / "cuyes.pdf"
    page.print_certificates(str(out))
    assert out.read_bytes().startswith(b"%PDF")
    codes = [r.certificate_code for r in page.participants_model.rows]
    assert all(codes) and len(set(codes)) == 25

    verify = VerifyDialog(admin)
    qtbot.addWidget(verify)
    verify.code.setText(codes[3])
    qtbot.keyClick(verify.code, Qt.Key.Key_Return)
    assert verify.result.text().startswith("✔") and "Crianza de cuyes" in verify.result.text()
    verify.code.setText("K7QM-4TZP-9XWC")
    verify.verify()
    assert verify.result.text().startswith("✘")


def test_today_shows_the_expiring_certification_in_three_languages(admin, qtbot):
    training = TrainingService(admin)
    gestor = next(u for u in accounts.AccountService(admin).list() if u.username == "gestor")
    course = training.save_course(CourseForm("ISO 9001:2015", "quality", "staff", None, "SGS del Perú", "", "es",
                                             "Auditor interno ISO 9001:2015", "12"))  # fmt: skip
    start = dt.datetime.combine(dates.today() - dt.timedelta(days=340), dt.time(9))
    session = training.save_session(course, SessionForm(start, start + dt.timedelta(hours=8), "online"))
    enrollment = training.enroll(course, user_id=gestor.id)
    training.set_attendance(session, {enrollment})
    page = TodayPage(admin)
    qtbot.addWidget(page)
    assert page.alerts.isVisibleTo(page)
    assert "Wilber Condori Apaza" in page.alerts.text() and "ISO 9001:2015" in page.alerts.text()
    for code in ("qu", "ay", "es"):
        translator.switch_language(code)
        QApplication.processEvents()
        assert "Wilber Condori Apaza" in page.alerts.text()


def test_history_from_the_person_and_the_account_pages(admin, qtbot, monkeypatch):
    from tambo_desktop.gui.accounts_page import AccountsPage
    from tambo_desktop.gui.training_dialogs import HistoryDialog

    training = TrainingService(admin)
    course = training.save_course(
        CourseForm("Enfoque intercultural", "intercultural", "staff", None, "MINCUL", "", "es")
    )
    start = dt.datetime.combine(dates.today() - dt.timedelta(days=3), dt.time(9))
    session = training.save_session(course, SessionForm(start, start + dt.timedelta(hours=4), "online"))
    gestor = next(u for u in accounts.AccountService(admin).list() if u.username == "gestor")
    training.set_attendance(session, {training.enroll(course, user_id=gestor.id)})
    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda d: shown.append((d.model.rowCount(), d.total.text())))
    page = AccountsPage(admin)
    qtbot.addWidget(page)
    row = next(i for i, a in enumerate(page.model.rows) if a.username == "gestor")
    page.table.selectRow(row)
    page.training_button.click()
    assert shown == [(1, "1 capacitaciones, 4 horas en total")]


def test_the_accounts_table_names_each_language_in_the_interface_language(admin, qtbot):
    """An Aymara reader sees "Kastilla aru" and "Qhichwa aru" in the accounts' language column, not the
    languages' own names ("Español", "Runasimi") that only the language menu shows (issue 16 walk)."""
    from tambo_desktop import i18n
    from tambo_desktop.gui.accounts_page import AccountsPage

    page = AccountsPage(admin)
    qtbot.addWidget(page)
    column = [c.title for c in page.model.columns].index("Idioma")
    with i18n.use_language("ay"):
        shown = {a.language: page.model.index(i, column).data() for i, a in enumerate(page.model.rows)}
        names = {"es": i18n._("Castellano"), "qu": i18n._("Quechua")}
    assert shown["es"] == names["es"] == "Kastilla aru", shown
    assert shown["qu"] == names["qu"] != "Runasimi", shown
