"""The attention desk driven from the keyboard only, as a clerk with a queue would."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, AuditEntry, Person
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui import translator
from tambo_desktop.gui.desk_page import DeskPage
from tambo_desktop.services import accounts
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.session import Session

FIRST_NAMES = (
    "Rosa", "Wilber", "Nelly", "Javier", "Yola", "Edwin", "Marina", "Teodoro", "Lidia", "Hilario",
    "Felipa", "Braulio", "Cirila", "Dionisio", "Eusebia", "Gregorio", "Hermelinda", "Isidro", "Justina", "Leoncio",
)  # fmt: skip
ENTITIES = ("RENIEC", "MINSA", "SIS", "BN", "JUNTOS", "PENSION65")


@pytest.fixture
def desk(gui_home, load_demo, qtbot):
    load_demo()
    user = accounts.authenticate("oficina", DEMO_PASSWORD)
    page = DeskPage(Session(user, DEMO_PROFILE.code))
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    qtbot.waitExposed(page)
    return page


def focused() -> object:
    return QApplication.focusWidget()


def type_into(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def enter(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


def register_new(qtbot, page: DeskPage, dni: str, first: str, last1: str, last2: str, services: list[str]) -> None:
    """A new person: DNI, Enter, names, sex, birth date, then the services — keyboard only."""
    page.focus_search()
    type_into(qtbot, dni)
    enter(qtbot)
    assert page.new_form.isVisible()
    assert focused() is page.new_form.first_names
    for text in (first, last1, last2):
        type_into(qtbot, text)
        enter(qtbot)
    assert focused() is page.new_form.sex
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # the first sex in the list
    enter(qtbot)
    assert focused() is page.new_form.birth_date
    type_into(qtbot, "14/02/1979")
    enter(qtbot)
    for _skip in range(3):  # community, first language, phone left empty
        enter(qtbot)
    assert focused() is page.service_edit
    add_services(qtbot, services)


def add_services(qtbot, services: list[str]) -> None:
    for code in services:
        type_into(qtbot, code)
        enter(qtbot)
    enter(qtbot)  # Enter on the empty service field saves


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_twenty_people_from_the_keyboard(desk, qtbot, lang):
    translator.switch_language(lang)
    rng = random.Random(lang)
    expected = 0
    dnis = []
    for i in range(20):
        dni = f"{40000000 + rng.randrange(9_999_999):08d}"
        while dni in dnis:
            dni = f"{40000000 + rng.randrange(9_999_999):08d}"
        dnis.append(dni)
        services = rng.sample(ENTITIES, rng.randint(1, 3))
        register_new(qtbot, desk, dni, FIRST_NAMES[i], "Mamani", "Quispe", services)
        assert not desk.error_label.isVisible(), desk.error_label.text()
        assert not desk.new_form.error_label.isVisible(), desk.new_form.error_label.text()
        expected += len(services)
        assert focused() is desk.search, (
            i,
            focused().objectName(),
            desk.duplicates.isVisible(),
            desk.results.isVisible(),
            desk.status.text(),
        )  # ready for the next person
    assert Person.select().count() == 20
    assert Attention.select().where(Attention.voided == False).count() == expected  # noqa: E712
    today = dates.today()
    month = IndicatorService(desk.session).month(today.year, today.month)
    assert (month.attentions, month.users) == (expected, 20)
    # a person who comes back: found by DNI, services added, saved — still 20 usuarios
    desk.focus_search()
    type_into(qtbot, dnis[3])
    enter(qtbot)
    assert desk.card.isVisible() and focused() is desk.service_edit
    add_services(qtbot, ["RENIEC"])
    month = IndicatorService(desk.session).month(today.year, today.month)
    assert (month.attentions, month.users) == (expected + 1, 20)


def test_search_by_name_and_pick_with_enter(desk, qtbot):
    register_new(qtbot, desk, "41234567", "Juana", "Ch'uqi", "Mamani", ["RENIEC"])
    type_into(qtbot, "juana chuqi")
    enter(qtbot)
    assert desk.results.isVisible() and focused() is desk.results
    enter(qtbot)  # the first match
    assert desk.person is not None and desk.person.last_name_1 == "Ch'uqi"
    person_id = desk.person.id
    add_services(qtbot, ["MINSA"])
    assert Attention.select().where(Attention.person == person_id).count() == 2


def test_errors_stay_on_the_form_and_nothing_is_written(desk, qtbot):
    desk.focus_search()
    type_into(qtbot, "41234567")
    enter(qtbot)
    type_into(qtbot, "Rosa")
    for _skip in range(8):
        enter(qtbot)
    add_services(qtbot, ["RENIEC"])
    assert desk.new_form.error_label.isVisible()
    assert "apellido" in desk.new_form.error_label.text().lower()
    assert Person.select().count() == 0 and Attention.select().count() == 0
    # a wrong DNI typed in the search box gets a clear message
    desk.clear()
    type_into(qtbot, "1234")
    enter(qtbot)
    assert desk.results.isVisible()  # not a DNI: searched as text, with the option to register


def test_save_without_services_says_so(desk, qtbot):
    register_new(qtbot, desk, "41234567", "Rosa", "Quispe", "Apaza", [])
    assert desk.error_label.isVisible()
    assert Person.select().count() == 0  # the person is not created without an atención


def test_void_and_correct_the_last_entry(desk, qtbot, monkeypatch):
    register_new(qtbot, desk, "41234567", "Rosa", "Quispe", "Apaza", ["RENIEC", "MINSA"])
    assert desk.void_button.isEnabled()
    monkeypatch.setattr(desk, "_ask_reason", lambda title: "Servicio equivocado")
    desk.correct_last()
    assert len(desk.chosen) == 2
    desk.chosen_list.setFocus()
    qtbot.keyClick(desk.chosen_list, Qt.Key.Key_Home)
    qtbot.keyClick(desk.chosen_list, Qt.Key.Key_Delete)  # drop the first service (RENIEC)
    desk.service_edit.setFocus()
    add_services(qtbot, ["SIS"])
    live = Attention.select().where(Attention.voided == False)  # noqa: E712
    voided = Attention.select().where(Attention.voided == True)  # noqa: E712
    assert live.count() == 2 and voided.count() == 2
    assert {a.void_reason for a in voided} == {"Servicio equivocado"}
    desk.void_last()
    assert Attention.select().where(Attention.voided == False).count() == 0  # noqa: E712
    assert Attention.select().count() == 4  # never deleted
    assert AuditEntry.select().where(AuditEntry.entity == "attention").count() >= 8


def test_possible_duplicate_is_offered(desk, qtbot):
    register_new(qtbot, desk, "41234567", "Rosa", "Quispe", "Apaza", ["RENIEC"])
    desk.focus_search()
    type_into(qtbot, "Rosa Quispe Apasa")
    enter(qtbot)
    qtbot.keyClick(focused(), Qt.Key.Key_End)
    enter(qtbot)  # "register a new person" (the last row)
    assert desk.new_form.isVisible()
    desk.new_form.birth_date.setText("14/02/1979")
    desk.new_form.sex.setCurrentIndex(1)
    desk.service_edit.setFocus()
    add_services(qtbot, ["MINSA"])
    assert desk.duplicates.isVisible() and focused() is desk.duplicates
    enter(qtbot)  # it is the same person
    assert desk.person is not None and focused() is desk.service_edit
    assert len(desk.chosen) == 1  # the service chosen before is kept
    enter(qtbot)
    assert Person.select().count() == 1
    assert Attention.select().count() == 2


def test_dates_shown_by_default_are_the_tambos_not_the_machines(desk, gui_home):
    """The machine may run on UTC (five hours ahead of the tambo): the desk's time and the lists'
    default days are the tambo's (America/Lima), else a clerk's save would be «posterior a ahora»."""
    from tambo_desktop.gui.attentions_page import AttentionsPage

    shown = desk.when.dateTime().toPython()
    assert abs((shown - dates.now()).total_seconds()) < 120
    page = AttentionsPage(desk.session)
    assert page.date_to.date().toPython() == dates.today()


def test_after_a_save_the_desk_counts_the_services_without_reading_them_again(desk, qtbot, monkeypatch):
    """Issue 14: after every Enter that saved, the desk read its service counts again on the GUI
    thread (two counts over the atenciones: 85-680 ms on the large demo). The services just saved
    now count once more in place — in the same order as the service would give them."""
    from tambo_desktop.services.desk import DeskService

    calls = []
    real = DeskService.service_choices
    monkeypatch.setattr(DeskService, "service_choices", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    for i, services in enumerate((["RENIEC"], ["MINSA", "SIS"], ["RENIEC", "BN"])):
        calls.clear()
        register_new(qtbot, desk, f"4{i:07d}", FIRST_NAMES[i], "Mamani", "Quispe", services)
        assert focused() is desk.search and not desk.error_label.isVisible()  # saved, ready for the next
        assert not calls  # nothing read again after Enter
        fresh = real(DeskService(desk.session))
        assert [(c.id, c.used_today, c.used_recently) for c in desk.choices] == [
            (c.id, c.used_today, c.used_recently) for c in fresh
        ]
