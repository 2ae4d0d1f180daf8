"""«Metas del mes» and «Combustible» when another PC saved meanwhile (issue 17, part 1): the
conflict dialog shows theirs beside the user's; «Aplicar los míos encima» saves the user's (audited
so), «Volver a cargar» shows theirs. Real clicks on the real dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tambo_desktop.db.models import AuditEntry, FuelAllocation, MonthlyGoal
from tambo_desktop.gui.goals_dialog import GoalsDialog
from tambo_desktop.gui.trip_dialogs import FuelDialog
from tambo_desktop.services.accounts import AccountForm, AccountService, to_current
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.goals import GoalForm, GoalService
from tambo_desktop.services.session import Session
from tests.gui.test_conflict_dialog import _answer


def _other_admin(admin: Session) -> Session:
    from tambo_desktop.db.models import User

    AccountService(admin).create(AccountForm("jefa", "Marta Ccori Quispe", "admin", "clave-segura-2"))
    return Session(to_current(User.get(User.username == "jefa")), admin.tambo_code)


def test_goals_dialog_shows_theirs_and_applies_mine_on_top(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    other = _other_admin(admin)
    GoalService(admin).set(GoalForm("2026-03", "500", "200"))
    dialog = GoalsDialog(admin, 2026, 3)  # March read on this PC
    qtbot.addWidget(dialog)
    dialog.show()
    GoalService(other).set_month("2026-03", [GoalForm("", "600", "250", "", 1)])  # saved on the other
    dialog.lines[""].attentions.setText("550")
    seen: list = []
    _answer(qtbot, "keep_button", seen)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    explain, header, rows = seen[0]
    assert "Marta Ccori Quispe" in explain and header == ["Dato", "Según Marta Ccori Quispe", "Según usted"]
    assert rows == [["Atenciones", "600", "550"], ["Usuarios", "250", "200"]]
    assert dialog.result() == dialog.DialogCode.Accepted
    goal = MonthlyGoal.get((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 3))
    assert (goal.attentions_goal, goal.users_goal) == (550, 200)
    last = AuditEntry.select().where(AuditEntry.entity == "monthly_goal").order_by(AuditEntry.id.desc()).get()
    assert "aplicado encima del cambio de Marta Ccori Quispe" in last.summary


def test_goals_dialog_reloads_theirs(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    other = _other_admin(admin)
    dialog = GoalsDialog(admin, 2026, 4)  # an empty month read on this PC
    qtbot.addWidget(dialog)
    dialog.show()
    GoalService(other).set_month("2026-04", [GoalForm("", "300", "100", "", 0)])
    dialog.lines[""].attentions.setText("350")
    dialog.lines[""].users.setText("120")
    seen: list = []
    _answer(qtbot, "reload_button", seen)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    assert seen[0][2] == [["Atenciones", "300", "350"], ["Usuarios", "100", "120"]]
    assert dialog.isVisible() and dialog.lines[""].attentions.text() == "300"  # theirs, in the form
    assert MonthlyGoal.get((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 4)).attentions_goal == 300


def test_fuel_dialog_shows_theirs_and_applies_mine_on_top(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    other = _other_admin(admin)
    vehicle_id = FuelService(admin).save_vehicle("Moto Honda", "motorcycle", "", "90")
    FuelService(admin).set_allocation(vehicle_id, 2026, 3, "10", "170", version=0)
    dialog = FuelDialog(admin, 2026, 3)  # the balance read on this PC
    qtbot.addWidget(dialog)
    dialog.show()
    FuelService(other).set_allocation(vehicle_id, 2026, 3, "12", "204", version=1)
    dialog.vehicles.selectRow(0)
    dialog.gallons.setText("15")
    dialog.soles.setText("255")
    seen: list = []
    _answer(qtbot, "keep_button", seen)
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)

    assert seen[0][2] == [["Asignado (gal)", "12", "15"], ["Soles asignados", "204", "255"]]
    row = FuelAllocation.get(FuelAllocation.vehicle == vehicle_id)
    assert (row.gallons, row.soles, row.version) == (15, 255, 3)
    assert dialog.balance_model.rows[0].assigned_gallons == 15  # the balance shows it
