"""Every dialog and every page of the main window, in Spanish, Quechua and Aymara, as a keyboard user
meets them (issue 14, part 4): no Alt+letter used twice in one window, no underlined letter that leads
nowhere, and Tab — pressed for real — reaches every field once, in the order of the form, without
getting stuck in one."""

from __future__ import annotations

import datetime as dt

import pytest
from keyboard_check import dead_mnemonics, duplicates, form_order_problems, tab_stops, walk_tab
from PySide6.QtWidgets import QApplication

from tambo_desktop import dates
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui import translator
from tambo_desktop.services import accounts
from tambo_desktop.services.session import Session

LANGS = ("es", "qu", "ay")


def _dialogs(session: Session) -> dict[str, object]:
    """Factories of every dialog a user can open (with the demo's records where one is needed)."""
    from tambo_desktop.gui import (
        diagnostics_dialog,
        dialogs,
        facilities_dialog,
        goals_dialog,
        idle_lock,
        intervention_dialog,
        login,
        persons_page,
        settings_dialog,
        tambo_dialog,
        training_dialogs,
        trip_dialogs,
    )
    from tambo_desktop.services.accounts import AccountService
    from tambo_desktop.services.communities import CommunityService
    from tambo_desktop.services.facilities import FacilityService
    from tambo_desktop.services.interventions import InterventionForm, InterventionService
    from tambo_desktop.services.persons import PersonForm, PersonService
    from tambo_desktop.services.training import CourseForm, SessionForm, TrainingService

    communities = CommunityService(session)
    community = communities.list()[0]
    training = TrainingService(session)
    course_id = training.save_course(CourseForm("Crianza de cuyes", "productive", "community", provider="Agencia"))
    start = dt.datetime.combine(dates.today() - dt.timedelta(days=1), dt.time(9))
    training.save_session(course_id, SessionForm(start, start + dt.timedelta(hours=2)))
    course = next(c for c in training.courses() if c.id == course_id)
    persons = PersonService(session)
    person = persons.get(persons.save(PersonForm("dni", "41234567", "Juana", "Mamani", "Quispe", "F", "14/02/1979")))
    calendar = InterventionService(session)
    later = dt.datetime.combine(dates.today() + dt.timedelta(days=20), dt.time(9))
    made = calendar.save(InterventionForm("Taller", None, "support", [], "inside", None, None, "", later,
                                          later + dt.timedelta(hours=2)), confirm=True)  # fmt: skip
    intervention = calendar.get(made.ids[0])
    names = [(c.id, c.name) for c in communities.list()]
    today = dates.today()
    return {
        "community": lambda: dialogs.CommunityDialog(communities, community),
        "new community": lambda: dialogs.CommunityDialog(communities),
        "leader": lambda: dialogs.LeaderDialog(communities, community),
        "account": lambda: dialogs.AccountDialog(AccountService(session)),
        "settings": lambda: settings_dialog.SettingsDialog(session),
        "tambo": lambda: tambo_dialog.TamboDialog(session),
        "course": lambda: training_dialogs.CourseDialog(training),
        "session": lambda: training_dialogs.SessionDialog(session, training, course_id),
        "enroll": lambda: training_dialogs.EnrollDialog(session, training, course),
        "attendance": lambda: training_dialogs.AttendanceDialog(training, course_id, training.sessions(course_id)),
        "verify": lambda: training_dialogs.VerifyDialog(session),
        "history": lambda: training_dialogs.HistoryDialog(session),
        "new intervention": lambda: intervention_dialog.InterventionDialog(session, None, later),
        "intervention": lambda: intervention_dialog.InterventionDialog(session, intervention),
        "reschedule": lambda: intervention_dialog.RescheduleDialog(intervention),
        "trip": lambda: trip_dialogs.TripDialog(session),
        "fuel": lambda: trip_dialogs.FuelDialog(session, today.year, today.month),
        "facilities": lambda: facilities_dialog.FacilitiesDialog(session),
        "space": lambda: facilities_dialog.FacilityEditor(FacilityService(session), True, None),
        "goals": lambda: goals_dialog.GoalsDialog(session, today.year, today.month),
        "diagnostics": lambda: diagnostics_dialog.DiagnosticsDialog(session, community.id, community.name),
        "rules": lambda: diagnostics_dialog.RulesDialog(session),
        "new person": lambda: persons_page.PersonDialog(persons, names),
        "person": lambda: persons_page.PersonDialog(persons, names, person),
        "merge": lambda: persons_page.MergeDialog(persons, person),
        "unlock": lambda: idle_lock.UnlockDialog(session.user),
        "login": lambda: login.LoginDialog("Tambo Jiscullaya"),
    }


DIALOGS = (
    "community", "new community", "leader", "account", "settings", "tambo", "course", "session", "enroll",
    "attendance", "verify", "history", "new intervention", "intervention", "reschedule", "trip", "fuel",
    "facilities", "space", "goals", "diagnostics", "rules", "new person", "person", "merge", "unlock", "login",
)  # fmt: skip


@pytest.fixture
def admin(gui_home, load_demo):
    load_demo()
    return Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)


def _names(widgets) -> list[str]:
    return [f"{type(w).__name__}({w.objectName() or '-'})" for w in widgets]


def _check(qtbot, window, where: str) -> list[str]:
    problems = [f"{where}: Alt+{k} for {v}" for k, v in duplicates(window).items()]
    problems += [f"{where}: underlined letter that leads nowhere: {t!r}" for t in dead_mnemonics(window)]
    order = walk_tab(qtbot, window)
    stops = tab_stops(window)
    if order and order[-1] in order[:-1] or len(set(order)) < len(order):
        problems.append(f"{where}: Tab stuck in {_names(order[-1:])}")
    missed = [w for w in stops if w not in order]
    if missed:
        problems.append(f"{where}: Tab never reaches {_names(missed)}")
    problems += [f"{where}: Tab out of order in {p}" for p in form_order_problems(window, order)]
    return problems


def _show(qtbot, window) -> None:
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()


@pytest.mark.parametrize("lang", LANGS)
def test_every_dialog(admin, qtbot, lang):
    translator.switch_language(lang)
    factories = _dialogs(admin)
    problems = []
    for name in DIALOGS:
        dialog = factories[name]()
        _show(qtbot, dialog)
        problems += _check(qtbot, dialog, f"{lang} {name}")
        dialog.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_of_the_main_window(demo_window, qtbot, lang):
    translator.switch_language(lang)
    window = demo_window
    _show(qtbot, window)
    problems = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.wait(30)
        problems += _check(qtbot, window, f"{lang} page {row + 1} {type(window.current_page()).__name__}")
        QApplication.processEvents()
    assert not problems, "\n".join(problems)
