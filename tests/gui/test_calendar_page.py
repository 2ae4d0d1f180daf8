"""The calendar with real clicks: create by clicking a free slot, a clash refused in the dialog with
the other booking named, reschedule and suspend with reasons, the list view, the plan page."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QInputDialog, QMessageBox

from tambo_desktop import dates
from tambo_desktop.db.models import Entity, Intervention
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE, create_demo
from tambo_desktop.gui import translator
from tambo_desktop.gui.calendar_page import CalendarPage
from tambo_desktop.gui.intervention_dialog import InterventionDialog, RescheduleDialog, to_qt
from tambo_desktop.gui.plan_page import PlanPage
from tambo_desktop.services import accounts
from tambo_desktop.services.facilities import FacilityService
from tambo_desktop.services.interventions import InterventionService
from tambo_desktop.services.session import Session

NEXT_MONTH = (dates.today().replace(day=1) + dt.timedelta(days=40)).replace(day=1)


@pytest.fixture
def admin(gui_home, load_demo):
    load_demo()
    return Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)


def _space(session, name: str) -> int:
    return next(s.id for s in FacilityService(session).spaces() if s.name == name)


def _fill(
    dialog: InterventionDialog, title: str, entity: str, start: dt.datetime, end: dt.datetime, space: str
) -> None:
    dialog.title.setText(title)
    dialog.entity.setCurrentIndex(dialog.entity.findData(Entity.get(Entity.code == entity).id))
    dialog.space.setCurrentIndex(dialog.space.findText(space, Qt.MatchFlag.MatchStartsWith))
    dialog.starts.setDateTime(to_qt(start))
    dialog.ends.setDateTime(to_qt(end))


def _click_slot(page: CalendarPage, qtbot, day: dt.date, when: dt.time) -> None:
    """Click the week grid at ``day`` and ``when`` (a free slot)."""
    grid = page.week_view
    column = (grid.width() - grid._left()) / 7
    x = int(grid._left() + day.weekday() * column + column / 2)
    y = grid._top() + int(((when.hour - 6) * 60 + when.minute + 5) * grid.HOUR_PX / 60)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def test_create_by_clicking_a_free_slot_and_a_clash_is_refused(admin, qtbot, monkeypatch):
    page = CalendarPage(admin)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    page.anchor = NEXT_MONTH + dt.timedelta(days=(7 - NEXT_MONTH.weekday()) % 7)  # a Monday
    page.set_view("week")
    tuesday = page.anchor + dt.timedelta(days=1)
    opened = []

    def drive(dialog):  # what the clerk types in the dialog the click opened
        opened.append(dialog)
        assert dialog.starts.dateTime() == to_qt(dt.datetime.combine(tuesday, dt.time(9)))
        _fill(dialog, "Campaña de DNI", "RENIEC", dt.datetime.combine(tuesday, dt.time(9)),
              dt.datetime.combine(tuesday, dt.time(13)), "Auditorio")  # fmt: skip
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(InterventionDialog, "exec", drive)
    _click_slot(page, qtbot, tuesday, dt.time(9))
    assert opened and opened[0].result() == QDialog.DialogCode.Accepted
    assert [r.title for r in page.rows] == ["Campaña de DNI"]

    def clash(dialog):
        opened.append(dialog)
        _fill(dialog, "Vacunación", "MINSA", dt.datetime.combine(tuesday, dt.time(11)),
              dt.datetime.combine(tuesday, dt.time(12)), "Auditorio")  # fmt: skip
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(InterventionDialog, "exec", clash)
    _click_slot(page, qtbot, tuesday, dt.time(15))
    refused = opened[-1]
    assert refused.result() != QDialog.DialogCode.Accepted
    message = refused.error.text()
    assert (
        refused.error.isVisibleTo(refused)
        and "Campaña de DNI" in message
        and "RENIEC" in message
        and "Auditorio" in message
    )
    assert refused.starts.property("invalid") is True
    assert Intervention.select().where(Intervention.title == "Vacunación").count() == 0

    # the chip opens the intervention
    shown = []
    monkeypatch.setattr(InterventionDialog, "exec", lambda d: shown.append(d.row.title) or 0)
    grid = page.week_view
    grid.repaint()
    qtbot.waitUntil(lambda: bool(grid.hits), timeout=3000)
    hit = grid.hits[0].rect.center()
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=hit)
    assert shown == ["Campaña de DNI"]


def test_reschedule_and_suspend_from_the_dialog_keep_the_history(admin, qtbot, monkeypatch):
    service = InterventionService(admin)
    start = dt.datetime.combine(NEXT_MONTH + dt.timedelta(days=3), dt.time(9))
    dialog = InterventionDialog(admin, None, start)
    qtbot.addWidget(dialog)
    _fill(dialog, "Taller de cuyes", "PRODUCE", start, start + dt.timedelta(hours=3), "Sala de reuniones")
    dialog._save()
    [row_id] = dialog.saved_ids
    row = service.get(row_id)
    dialog = InterventionDialog(admin, row)
    qtbot.addWidget(dialog)
    assert dialog.reschedule_button.isVisibleTo(dialog) and not dialog.program_button.isVisibleTo(dialog)
    assert not dialog.starts.isEnabled()  # a programmed date moves only by rescheduling

    def reschedule(self):
        self.starts.setDateTime(to_qt(start + dt.timedelta(days=7)))
        self.ends.setDateTime(to_qt(start + dt.timedelta(days=7, hours=3)))
        self.reason.setText("El capacitador llega la otra semana")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # saves; the dialog closes once saved
        return self.result()

    monkeypatch.setattr(RescheduleDialog, "exec", reschedule)
    dialog.reschedule_button.click()
    assert service.get(row_id).status == "rescheduled"
    assert "El capacitador llega la otra semana" in dialog.history.toPlainText()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Huelga de transportistas", True))
    dialog.suspend_button.click()
    row = service.get(row_id)
    assert (row.status, row.status_reason) == ("suspended", "Huelga de transportistas")
    assert "Huelga de transportistas" in dialog.history.toPlainText() and dialog.changed
    assert not dialog.title.isEnabled()


def test_month_list_views_export_and_language(admin, qtbot, monkeypatch, tmp_path):
    service = InterventionService(admin)
    page = CalendarPage(admin)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    start = dt.datetime.combine(NEXT_MONTH + dt.timedelta(days=9), dt.time(8))
    dialog = InterventionDialog(admin, None, start)
    qtbot.addWidget(dialog)
    _fill(dialog, "Pago de Pensión 65", "BN", start, start + dt.timedelta(hours=6), "Tópico")
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("monthly"))
    dialog.until.setDate(to_qt(start + dt.timedelta(days=100)).date())
    dialog._save()
    assert len(dialog.saved_ids) >= 3
    page.anchor = NEXT_MONTH
    page.set_view("month")
    page.refresh()
    qtbot.waitUntil(lambda: bool(page.month_view.hits), timeout=3000)
    assert any(r.title == "Pago de Pensión 65" for r in page.rows)
    page.entity_filter.setCurrentIndex(page.entity_filter.findText("RENIEC"))
    assert not any(r.title == "Pago de Pensión 65" for r in page.rows)
    page.entity_filter.setCurrentIndex(0)
    page.set_view("list")
    page.search.setText("pension")
    titles = {page.list_model.rows[i].row.title for i in range(page.list_model.rowCount())}
    assert titles == {"Pago de Pensión 65"}
    pdf, ics = tmp_path / "mes.pdf", tmp_path / "mes.ics"
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.export("pdf", str(pdf))
    page.export("ics", str(ics))
    assert pdf.read_bytes().startswith(b"%PDF") and b"BEGIN:VEVENT" in ics.read_bytes()
    for code in ("qu", "ay", "es"):
        translator.switch_language(code)
        QApplication.processEvents()
        assert page.new_button.text() and page.view_combo.itemText(0)
    assert service.list()


def test_plan_page_submit_return_approve(gui_home, qtbot, monkeypatch):
    create_demo()
    gestor = Session(accounts.authenticate("gestor", DEMO_PASSWORD), DEMO_PROFILE.code)
    start = dt.datetime.combine(NEXT_MONTH + dt.timedelta(days=2), dt.time(9))
    dialog = InterventionDialog(gestor, None, start)
    qtbot.addWidget(dialog)
    _fill(dialog, "Visita a Ccopamaya", "MINSA", start, start + dt.timedelta(hours=4), "Tópico")
    dialog.gestor.setCurrentIndex(dialog.gestor.findData(gestor.user.id))
    dialog._save()
    page = PlanPage(gestor)
    qtbot.addWidget(page)
    page.year.setValue(NEXT_MONTH.year)
    page.month.setCurrentIndex(NEXT_MONTH.month - 1)
    assert page.model.rowCount() == 1 and page.submit_button.isVisibleTo(page)
    page.needs.setPlainText("DNI de menores; anemia")
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.submit_button.click()
    assert page.plan.status == "submitted" and page.needs.isReadOnly()
    supervisor = Session(accounts.authenticate("supervisor", DEMO_PASSWORD), DEMO_PROFILE.code)
    review = PlanPage(supervisor)
    qtbot.addWidget(review)
    review.year.setValue(NEXT_MONTH.year)
    review.month.setCurrentIndex(NEXT_MONTH.month - 1)
    assert review.return_button.isVisibleTo(review) and not review.save_button.isVisibleTo(review)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Falta la feria de Jiscullaya", True))
    review.return_button.click()
    page.refresh()
    assert page.plan.status == "returned" and "Falta la feria" in page.comments.text()
    assert "Falta la feria de Jiscullaya" in page.history.toPlainText()
