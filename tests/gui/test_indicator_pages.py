"""The Today page, the month view and the goals dialog: the service's numbers, shown as they are."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_helpers import translated
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tambo_desktop import dates, i18n
from tambo_desktop.db.models import AuditEntry, MonthlyGoal, Service
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui import translator
from tambo_desktop.gui.goals_dialog import GoalsDialog
from tambo_desktop.gui.indicators import RULE_NOTE, progress_text
from tambo_desktop.gui.month_page import YEAR_NOTE, MonthPage
from tambo_desktop.gui.today_page import LAST_SERVED, TodayPage
from tambo_desktop.services import accounts
from tambo_desktop.services.attentions import AttentionFilter, AttentionService
from tambo_desktop.services.goals import GoalService
from tambo_desktop.services.indicators import BREAKDOWN_TITLES, DIMENSIONS, IndicatorService
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import SEXES, label

GOALS_MESSAGE = "La meta es un número entero de 0 a 1 000 000."
USERS_MESSAGE = "La meta de usuarios no puede ser mayor que la de atenciones."


def signed_in(username: str) -> Session:
    return Session(accounts.authenticate(username, DEMO_PASSWORD), DEMO_PROFILE.code)


@pytest.fixture
def admin(gui_home, load_demo):
    """The demo tambo with its generated months (people, atenciones, goals) up to now."""
    load_demo("small")
    return signed_in("admin")


@pytest.fixture
def bare_admin(gui_home, load_demo):
    """The demo tambo without generated data: no atenciones and no goals yet."""
    load_demo()
    return signed_in("admin")


def today_counts(session: Session) -> tuple[int, int, list]:
    """Today's atenciones and usuarios counted independently, from the list of atenciones."""
    today = dates.today()
    rows = (
        AttentionService(session)
        .list(AttentionFilter(date_from=today, date_to=today, include_voided=False), limit=100_000)
        .rows
    )
    return len(rows), len({r.person_id for r in rows}), rows


def cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column))


def record_new_person(session: Session, services: int = 2) -> tuple[int, list[int]]:
    person = PersonService(session).save(
        PersonForm("dni", "47111222", "Justina", "Ch'uqi", "Mamani", "F", "12/03/1961")
    )
    service_ids = [s.id for s in Service.select().where(Service.active == True).order_by(Service.id).limit(services)]  # noqa: E712
    return person, AttentionService(session).record(person, service_ids, "inside")


# -- the Today page ---------------------------------------------------------------------------------


def test_today_page_shows_the_services_numbers(admin, qtbot):
    page = TodayPage(admin)
    qtbot.addWidget(page)
    today = dates.today()
    month = IndicatorService(admin).month(today.year, today.month)
    attentions, users, rows = today_counts(admin)

    assert (page.month_attentions.done, page.month_attentions.goal) == (month.attentions, month.goal_attentions)
    assert (page.month_users.done, page.month_users.goal) == (month.users, month.goal_users)
    assert month.goal_attentions and month.attentions  # the demo month has goals and atenciones
    assert (page.today_attentions.done, page.today_users.done) == (attentions, users)
    assert page.today_attentions.goal == month.goal_attentions  # today against the month's goal
    # what the person reads: the number, and «N de M (P %)» in the locale
    assert page.month_attentions.number.text() == i18n.format_number(month.attentions)
    assert page.month_attentions.detail.text() == progress_text(month.attentions, month.goal_attentions)
    assert i18n.format_number(month.goal_attentions) in page.month_attentions.detail.text()
    # by entity: the service's groups, goals included, most atenciones first
    shown = page.entity_model.rows
    assert sorted(shown, key=lambda c: c.key) == sorted(month.breakdowns["entity"], key=lambda c: c.key)
    assert [c.attentions for c in shown] == sorted((c.attentions for c in shown), reverse=True)
    for i, count in enumerate(shown):
        assert cell(page.entity_model, i, 1) == i18n.format_number(count.attentions)
        assert cell(page.entity_model, i, 4) == i18n.format_number(count.users)
        assert cell(page.entity_model, i, 2) == (
            i18n.format_number(count.goal_attentions) if count.goal_attentions is not None else ""
        )
    # the last people served today, newest first
    assert [r.id for r in page.last_model.rows] == [r.id for r in rows[:LAST_SERVED]]
    assert page.rule_note.text() == RULE_NOTE


def test_recording_an_attention_and_refreshing_updates_the_page(admin, qtbot):
    page = TodayPage(admin)
    qtbot.addWidget(page)
    before = (page.today_attentions.done, page.today_users.done, page.month_attentions.done, page.month_users.done)
    person, ids = record_new_person(admin, services=2)
    assert (page.today_attentions.done, page.month_attentions.done) == before[::2]  # nothing moves by itself
    page.refresh()
    after = (page.today_attentions.done, page.today_users.done, page.month_attentions.done, page.month_users.done)
    assert after == (before[0] + 2, before[1] + 1, before[2] + 2, before[3] + 1)  # two atenciones, one usuario
    assert page.last_model.rows[0].person_id == person
    assert {r.id for r in page.last_model.rows[:2]} == set(ids)
    assert "Justina" in cell(page.last_model, 0, 1)
    today = dates.today()
    month = IndicatorService(admin).month(today.year, today.month)
    assert (page.month_attentions.done, page.month_users.done) == (month.attentions, month.users)
    assert (page.today_attentions.done, page.today_users.done) == today_counts(admin)[:2]


def test_today_page_of_a_new_tambo_says_there_is_no_goal(bare_admin, qtbot):
    page = TodayPage(bare_admin)
    qtbot.addWidget(page)
    assert page.month_attentions.goal is None and page.month_attentions.done == 0
    assert page.month_attentions.detail.text() == progress_text(0, None)
    assert page.last_table.isHidden() and not page.nobody_label.isHidden()


def test_a_day_of_many_alerts_fits_1024x768_without_scrolling_the_page(admin, qtbot, monkeypatch):
    """Seen on a real 1024×768 screen on a Monday morning: the day's intervention, three certifications
    and four campaign lines made the alerts ten lines long and the whole page scrolled. However many
    alerts there are, they take at most seven lines and scroll inside; the lists shrink before the
    page does."""
    from tambo_desktop.gui.screen_fit import scrolling_page

    many = [f"«Campaña {n}» (14/12, en 7 días) aún no tiene campaña de difusión." for n in range(40)]
    monkeypatch.setattr(TodayPage, "_campaign_lines", lambda self: many)
    page = TodayPage(admin)
    scroll = scrolling_page(page)
    qtbot.addWidget(scroll)
    scroll.resize(836, 708)  # the page's room in a maximised window at 1024×768
    with qtbot.waitExposed(scroll):
        scroll.show()
    qtbot.waitUntil(lambda: page.alerts_box.isVisible())
    assert not scroll.verticalScrollBar().isVisible() and not scroll.horizontalScrollBar().isVisible()
    box = page.alerts_box
    line = page.alerts.fontMetrics().lineSpacing()
    assert box.height() <= box.cap() < 10 * line  # at most seven lines (plus the padding)
    assert box.verticalScrollBar().isVisible()  # the rest is one scroll away, not lost
    box.verticalScrollBar().setValue(box.verticalScrollBar().maximum())
    assert page.alerts.visibleRegion().boundingRect().bottom() >= page.alerts.height() - 1  # the last line reachable
    assert page.entity_table.height() >= 70 and page.last_table.height() >= 70  # the lists keep rows to read
    # a short day takes just its lines
    page.alerts.setText("<b>Hoy en el calendario:</b> 09:00 MINSA — Salud de la mujer en Ccaccata")
    box.updateGeometry()
    qtbot.waitUntil(lambda: box.height() < 4 * line)
    assert not box.verticalScrollBar().isVisible()


# -- the month view ---------------------------------------------------------------------------------


def assert_tables_equal(page: MonthPage, result) -> None:
    for name, rows in result.breakdowns.items():
        model = page.models[name]
        assert model.natural == rows, name  # exactly the service's groups and numbers
        assert sorted(model.rows, key=lambda c: c.key) == sorted(rows, key=lambda c: c.key), name
        for i, count in enumerate(model.rows):
            assert cell(model, i, 1) == i18n.format_number(count.attentions), name
            users_column = 4 if name in ("entity", "month") else 2
            assert cell(model, i, users_column) == i18n.format_number(count.users), name
        assert not page.boxes[name].isHidden()
    assert (page.attentions.done, page.attentions.goal) == (result.attentions, result.goal_attentions)
    assert (page.users.done, page.users.goal) == (result.users, result.goal_users)


def test_month_view_tables_equal_the_services_breakdowns(admin, qtbot):
    page = MonthPage(admin)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    service = IndicatorService(admin)
    today = dates.today()
    assert (page.year, page.month) == (today.year, today.month)  # the current month by default
    assert_tables_equal(page, service.month(today.year, today.month))
    assert page.boxes["month"].isHidden()  # by month: only for a year
    for name in DIMENSIONS:  # most atenciones first
        counts = [c.attentions for c in page.models[name].rows]
        assert counts == sorted(counts, reverse=True), name

    qtbot.keyClick(page.year_edit, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # previous month
    previous = today.replace(day=1) - dt.timedelta(days=1)
    assert (page.year, page.month) == (previous.year, previous.month)
    assert_tables_equal(page, service.month(previous.year, previous.month))

    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert (page.year, page.month) == (today.year, today.month)

    page.whole_year.setChecked(True)  # the whole year, with a table by month in calendar order
    qtbot.waitUntil(lambda: page.operation.finished, timeout=30_000)  # counted off the GUI thread
    year = service.year(today.year)
    assert_tables_equal(page, year)
    assert [c.key for c in page.models["month"].rows] == [f"{today.year:04d}-{m:02d}" for m in range(1, 13)]
    assert not page.month_edit.isEnabled()
    assert str(today.year) in page.title.text()
    assert page.rule_note.text() == f"{RULE_NOTE} {YEAR_NOTE}"  # why usuarios ≠ the months' sum

    page.tables["entity"].sortByColumn(0, Qt.SortOrder.AscendingOrder)  # a click on a heading re-sorts…
    assert page.models["entity"].rows == year.breakdowns["entity"]  # …the label column: the service's order


# -- languages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["qu", "ay"])
def test_switching_language_retranslates_both_pages(admin, qtbot, lang):
    today_page, month_page = TodayPage(admin), MonthPage(admin)
    for page in (today_page, month_page):
        qtbot.addWidget(page)
    translator.switch_language(lang)

    for name in DIMENSIONS:
        title = month_page.titles[name].text()
        assert title == translated(lang, BREAKDOWN_TITLES[name])
        assert title != BREAKDOWN_TITLES[name], f"{name} still in Spanish"
    # the groups' labels come from the service again, in the new language
    sexes = {c.key: c.label for c in month_page.models["sex"].rows}
    assert sexes == {code: translated(lang, SEXES[code]) for code in SEXES}
    assert sexes["F"] != SEXES["F"]
    with i18n.use_language(lang):
        assert sexes == {code: label(SEXES, code) for code in SEXES}
    # every text of the pages is the catalog's (Spanish only where the catalog has no entry yet)
    assert month_page.rule_note.text() == translated(lang, RULE_NOTE)
    assert today_page.rule_note.text() == translated(lang, RULE_NOTE)
    assert today_page.attentions_label.text() == translated(lang, "Atenciones")
    assert today_page.goals_button.text() == translated(lang, "&Metas del mes…")
    header = month_page.models["entity"].headerData(1, Qt.Orientation.Horizontal)
    assert header == translated(lang, "Atenciones")
    translator.switch_language("es")
    assert month_page.titles["entity"].text() == BREAKDOWN_TITLES["entity"]


# -- goals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["gestor", "oficina", "supervisor"])
def test_only_an_administrator_sees_the_goals_button(admin, qtbot, username):
    session = signed_in(username)
    for page in (TodayPage(session), MonthPage(session)):
        qtbot.addWidget(page)
        assert page.goals_button.isHidden()
    for page in (TodayPage(admin), MonthPage(admin)):
        qtbot.addWidget(page)
        assert not page.goals_button.isHidden()


def goals_snapshot() -> set[tuple]:
    columns = (
        MonthlyGoal.id,
        MonthlyGoal.entity,
        MonthlyGoal.attentions_goal,
        MonthlyGoal.users_goal,
        MonthlyGoal.updated_at,
    )
    return set(MonthlyGoal.select(*columns).tuples())


@pytest.mark.parametrize("lang", ["es", "qu"])
def test_a_bad_goal_shows_the_field_error_and_saves_nothing(admin, qtbot, lang):
    translator.switch_language(lang)
    today = dates.today()
    dialog = GoalsDialog(admin, today.year, today.month)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "MINSA" in dialog.lines  # the demo month's entity goals are loaded
    goals, audit = goals_snapshot(), AuditEntry.select().count()

    dialog.lines[""].attentions.setText("999")  # a good row first: it must not be saved either
    dialog.lines["MINSA"].attentions.setText("mil")
    dialog.lines["RENIEC"].attentions.setText("10")
    dialog.lines["RENIEC"].users.setText("20")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and not dialog.result()
    minsa, reniec = dialog.lines["MINSA"], dialog.lines["RENIEC"]
    assert not minsa.error_label.isHidden()
    assert translated(lang, GOALS_MESSAGE) in minsa.error_label.text()  # in the user's language, under its row
    assert minsa.attentions.property("invalid") is True and minsa.users.property("invalid") is not True
    assert translated(lang, USERS_MESSAGE) in reniec.error_label.text()
    assert reniec.users.property("invalid") is True
    assert dialog.lines[""].error_label.isHidden()
    assert dialog.focusWidget() is minsa.attentions  # the first wrong field, ready to retype
    assert goals_snapshot() == goals and AuditEntry.select().count() == audit  # nothing written

    minsa.attentions.setText("100")  # corrected: the errors go and everything is saved
    reniec.users.setText("10")
    dialog.save()
    assert dialog.result()
    saved = {
        g.entity_code: (g.attentions_goal, g.users_goal)
        for g in GoalService(admin).list(today.year)
        if g.month == today.month
    }
    assert saved[""][0] == 999 and saved["MINSA"][0] == 100 and saved["RENIEC"] == (10, 10)


def type_goals(qtbot, dialog: GoalsDialog) -> None:
    """The tambo's goal and one entity's, typed with the keyboard only; Enter saves."""
    assert dialog.focusWidget() is dialog.lines[""].attentions
    qtbot.keyClicks(dialog.focusWidget(), "1 200")  # a space between thousands is fine
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.lines[""].users
    qtbot.keyClicks(dialog.focusWidget(), "400")
    dialog.add_edit.setFocus()  # «Añadir entidad» (Alt+E): type the entity, Enter adds its row
    qtbot.keyClicks(dialog.add_edit, "RENIEC")
    qtbot.keyClick(dialog.add_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "RENIEC" in dialog.lines
    line = dialog.lines["RENIEC"]
    assert dialog.focusWidget() is line.attentions
    qtbot.keyClicks(line.attentions, "80")
    qtbot.keyClick(line.attentions, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is line.users
    qtbot.keyClicks(line.users, "60")
    qtbot.keyClick(line.users, Qt.Key.Key_Return)


def test_goals_set_from_the_today_page_with_the_keyboard_appear_on_it(bare_admin, qtbot):
    page = TodayPage(bare_admin)
    qtbot.addWidget(page)
    page.show()
    assert page.month_attentions.goal is None
    seen: list[str] = []
    failures: list[BaseException] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, GoalsDialog):
            QTimer.singleShot(20, fill)
            return
        try:
            type_goals(qtbot, dialog)
            seen.append(dialog.heading.text())
        except BaseException as exc:  # never leave the modal dialog open: the test would hang
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(page.goals_button, Qt.MouseButton.LeftButton)
    if failures:
        raise failures[0]
    assert seen, "the goals dialog did not open"

    today = dates.today()
    month = IndicatorService(bare_admin).month(today.year, today.month)
    assert (month.goal_attentions, month.goal_users) == (1200, 400)
    assert (page.month_attentions.goal, page.month_users.goal) == (1200, 400)  # refreshed after the save
    assert i18n.format_number(1200) in page.month_attentions.detail.text()
    reniec = next(c for c in page.entity_model.rows if c.key == "RENIEC")
    assert (reniec.goal_attentions, reniec.goal_users) == (80, 60)


def test_the_goals_dialog_refuses_a_non_administrator(admin, qtbot):
    session = signed_in("gestor")
    today = dates.today()
    dialog = GoalsDialog(session, today.year, today.month)
    qtbot.addWidget(dialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
