"""Nothing cut silently by a field's length limit (issue 14, part 7): a full field says so as more is
typed, in the user's language; a service refuses a text longer than its column instead of storing it
shortened, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip

from tambo_desktop import dates, i18n
from tambo_desktop.db.models import Entity, Intervention, Service
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.errors import ValidationError
from tambo_desktop.gui import translator
from tambo_desktop.gui.tambo_dialog import TamboDialog
from tambo_desktop.services import accounts
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.session import Session
from tambo_desktop.services.training import CourseForm, TrainingService


@pytest.fixture
def admin(gui_home, load_demo):
    load_demo()
    return Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_a_full_field_says_so_when_more_is_typed(admin, qtbot, lang):
    """The issue: the wizard cut «cuatro mil» to «cuatr» in the altitude, silently."""
    translator.switch_language(lang)
    dialog = TamboDialog(admin)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    altitude = dialog.findChild(QLineEdit, "altitudeEdit")
    altitude.clear()
    altitude.setFocus()
    qtbot.keyClicks(altitude, "cuatr")
    assert altitude.property("fullMessage") is None  # five fit: nothing said
    qtbot.keyClicks(altitude, "o mil")
    assert altitude.text() == "cuatr"
    with i18n.use_language(lang):
        expected = i18n.ngettext(
            "Este campo admite como máximo {n} carácter.", "Este campo admite como máximo {n} caracteres.", 5
        ).format(n=5)
    assert altitude.property("fullMessage") == expected
    assert QToolTip.isVisible() and QToolTip.text() == expected
    QApplication.processEvents()


def test_a_reason_longer_than_its_column_is_refused_not_cut(admin):
    service = InterventionService(admin)
    day = dates.today() + dt.timedelta(days=9)
    entity = Entity.get(Entity.code == "RENIEC")
    services = [s.id for s in Service.select().where(Service.entity == entity).limit(1)]
    made = service.save(InterventionForm("Campaña RENIEC", entity.id, "support", services, "inside", None, None, "",
                                         dt.datetime.combine(day, dt.time(9)), dt.datetime.combine(day, dt.time(12))),
                        confirm=True)  # fmt: skip
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9))
    with pytest.raises(ValidationError) as refused:
        service.reschedule(made.ids[0], start, start + dt.timedelta(hours=3), "x" * 301, confirm=True)
    assert refused.value.errors[0].field == "reason"
    assert "300" in refused.value.errors[0].message and "301" in refused.value.errors[0].message
    record = Intervention.get_by_id(made.ids[0])
    assert (record.status, record.starts_at) == ("programmed", dt.datetime.combine(day, dt.time(9)))
    service.reschedule(made.ids[0], start, start + dt.timedelta(hours=3), "x" * 300, confirm=True)
    assert Intervention.get_by_id(made.ids[0]).status_reason == "x" * 300


def test_a_trainer_longer_than_its_column_is_refused_not_cut(admin):
    training = TrainingService(admin)
    with pytest.raises(ValidationError) as refused:
        training.save_course(CourseForm("Crianza de cuyes", "productive", "community", provider="Agencia",
                                        trainer="T" * 121))  # fmt: skip
    assert refused.value.errors[0].field == "trainer"
    assert not training.courses()
