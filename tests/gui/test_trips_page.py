"""Field visits in the window: a gestor back from three days logs them in one dialog (the odometer
follows from day to day), a bad reading is shown next to the field, the fuel dialog shows the balance,
a diagnostic becomes a PRODUCE proposal from the communities page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tambo_desktop import dates
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui.diagnostics_dialog import DiagnosticsDialog, RulesDialog
from tambo_desktop.gui.intervention_dialog import to_qt
from tambo_desktop.gui.trip_dialogs import FuelDialog, TripDialog
from tambo_desktop.gui.trips_page import TripsPage
from tambo_desktop.services import accounts
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.interventions import InterventionFilter, InterventionService
from tambo_desktop.services.session import Session
from tambo_desktop.services.trips import TripService


@pytest.fixture
def gestor(gui_home, load_demo):
    load_demo()
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    fuel = FuelService(admin)
    moto = fuel.save_vehicle("Moto del tambo", "motorcycle", "EA-1", "80")
    today = dates.today()
    fuel.set_allocation(moto, today.year, today.month, "6", "105")
    return Session(accounts.authenticate("gestor", DEMO_PASSWORD), DEMO_PROFILE.code)


def _tick(dialog: TripDialog, names: list[str]) -> None:
    items = {
        dialog.trip.communities.item(i).text(): dialog.trip.communities.item(i)
        for i in range(dialog.trip.communities.count())
    }
    for name in names:
        items[name].setCheckState(Qt.CheckState.Checked)


def test_three_days_logged_at_once(gestor, qtbot, monkeypatch):
    page = TripsPage(gestor)
    qtbot.addWidget(page)
    first = dt.datetime.combine(dates.today() - dt.timedelta(days=4), dt.time(7))
    readings = [("1000", "1032", "", ""), ("", "1060", "1.5", "26.25"), ("", "1101", "", "")]

    def log_three(dialog):
        dialog.trip.departs.setDateTime(to_qt(first))
        dialog.trip.returns.setDateTime(to_qt(first + dt.timedelta(hours=9)))
        dialog.trip.purpose.setCurrentIndex(dialog.trip.purpose.findData("diagnostic"))
        dialog.trip.means.setCurrentIndex(dialog.trip.means.findData("motocicleta"))
        dialog.trip.vehicle.setCurrentIndex(dialog.trip.vehicle.findText("Moto del tambo"))
        for day, (start, end, gallons, soles) in enumerate(readings):
            _tick(dialog, ["Jiscullaya", "Ccopamaya"] if day == 0 else [])
            if start:
                dialog.trip.odometer_start.setText(start)
            else:  # the next day starts where the last one ended
                assert dialog.trip.odometer_start.text() == readings[day - 1][1]
            dialog.trip.odometer_end.setText(end)
            dialog.trip.gallons.setText(gallons)
            dialog.trip.soles.setText(soles)
            dialog.trip.receipt.setText("B001-77" if gallons else "")
            dialog.trip.agreements.setPlainText(f"Acuerdo del día {day + 1}")
            if day < 2:
                dialog.next_day()
        assert dialog.counter.text().startswith("Día 3")
        dialog._save()
        return dialog.result()

    monkeypatch.setattr(TripDialog, "exec", log_three)
    page.new_trips()
    rows = TripService(gestor).list(first.date(), dates.today())
    assert [(r.odometer_start, r.odometer_end) for r in rows] == [(1000, 1032), (1032, 1060), (1060, 1101)]
    assert rows[0].communities == ("Jiscullaya", "Ccopamaya") and rows[1].communities == ("Jiscullaya", "Ccopamaya")
    assert page.model.rowCount() >= 3 and "101 km" in page.summary.text()

    # a lower reading is refused, next to the odometer field
    dialog = TripDialog(gestor)
    qtbot.addWidget(dialog)
    dialog.trip.departs.setDateTime(to_qt(first + dt.timedelta(days=3)))
    dialog.trip.returns.setDateTime(to_qt(first + dt.timedelta(days=3, hours=5)))
    _tick(dialog, ["Socca"])
    dialog.trip.purpose.setCurrentIndex(dialog.trip.purpose.findData("follow_up"))
    dialog.trip.vehicle.setCurrentIndex(dialog.trip.vehicle.findText("Moto del tambo"))
    assert dialog.trip.odometer_start.text() == "1101"  # prefilled from the last reading
    dialog.trip.odometer_start.setText("1090")
    dialog.trip.odometer_end.setText("1120")
    dialog._save()
    assert dialog.error.isVisibleTo(dialog) and "1101" in dialog.error.text()
    assert dialog.trip.odometer_start.property("invalid") is True

    fuel = FuelDialog(gestor, dates.today().year, dates.today().month)
    qtbot.addWidget(fuel)
    [moto] = [b for b in fuel.balance_model.rows if b.vehicle == "Moto del tambo"]
    assert (moto.km, moto.bought_gallons, moto.left_gallons) == (101, Decimal("1.5"), Decimal("4.5"))
    assert not fuel.assign_button.isEnabled()  # only administrators assign fuel


def test_diagnostic_to_proposal_from_the_dialog(gestor, qtbot, monkeypatch):
    community = next(c for c in CommunityService(gestor).list() if c.name == "Ccopamaya")
    dialog = DiagnosticsDialog(gestor, community.id, community.name)
    qtbot.addWidget(dialog)
    for widget, codes in ((dialog.activities, {"guinea_pig"}), (dialog.needs, {"production"})):
        for i in range(widget.count()):
            if widget.item(i).data(Qt.ItemDataRole.UserRole) in codes:
                widget.item(i).setCheckState(Qt.CheckState.Checked)
    dialog.save()
    assert dialog.model.rowCount() == 1
    texts = [dialog.suggestions.item(i).text() for i in range(dialog.suggestions.count())]
    assert texts[0].startswith("DRA —") and texts[1].startswith("PRODUCE —")
    dialog.suggestions.item(1).setCheckState(Qt.CheckState.Checked)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    dialog.propose()
    proposals = InterventionService(gestor).list(InterventionFilter(status="requested"))
    assert [(p.entity_code, p.community_name) for p in proposals] == [("PRODUCE", "Ccopamaya")]
    rules = RulesDialog(gestor)
    qtbot.addWidget(rules)
    assert rules.model.rowCount() > 30 and not rules.need.isEnabled()  # a gestor reads the rules only
