"""No lost update for the monthly goals and the fuel (issue 17, part 1): a goal, a vehicle or a
month's allocation saved from a copy read before another PC's save is refused with who and their
values, nothing written, and may be applied on top (audited so); and the tambo's own goal of a month
(no entity: NULL) is one row even when two PCs set it at the same moment (migration 20's partial
unique index: a UNIQUE (year, month, entity) index never compares NULLs). On SQLite and the real
PostgreSQL server, two sessions, and two real processes held before their write."""

from __future__ import annotations

import multiprocessing as mp
import time

import pytest

from tambo_desktop.db.connection import close_database, open_database
from tambo_desktop.db.models import AuditEntry, FuelAllocation, MonthlyGoal, User, Vehicle
from tambo_desktop.errors import NotFound, StaleRecord
from tambo_desktop.services import audit
from tambo_desktop.services.accounts import AccountForm, AccountService, to_current
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.goals import GoalForm, GoalService
from tambo_desktop.services.session import Session

HOLD = 0.6  # seconds each process waits after reading, before its write


@pytest.fixture
def two_admins(admin_session):
    """The sessions of two administrators on two PCs (goals and fuel are the administrator's)."""
    AccountService(admin_session).create(AccountForm("jefa", "Marta Ccori Quispe", "admin", "clave-segura-2"))
    other = Session(to_current(User.get(User.username == "jefa")), admin_session.tambo_code)
    return admin_session, other


def _tambo_goal(session: Session, month: int = 3):
    return next((g for g in GoalService(session).list(2026) if g.month == month and not g.entity_code), None)


def test_a_goal_saved_from_a_stale_copy_is_refused_and_can_be_applied_on_top(two_admins):
    mine, theirs = two_admins
    GoalService(mine).set(GoalForm("2026-03", "500", "200"))
    read_here, read_there = _tambo_goal(mine), _tambo_goal(theirs)  # both PCs open March
    GoalService(theirs).set_month("2026-03", [GoalForm("", "600", "250", "", read_there.version)])
    entries = AuditEntry.select().count()

    with pytest.raises(StaleRecord) as refused:
        GoalService(mine).set_month("2026-03", [GoalForm("", "550", "250", "", read_here.version)])

    assert refused.value.changed_by == "Marta Ccori Quispe"
    assert [(d.label, d.theirs, d.yours) for d in refused.value.differences] == [("Atenciones", "600", "550")]
    goal = MonthlyGoal.get((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 3))
    assert (goal.attentions_goal, goal.users_goal, goal.version) == (600, 250, 2)
    assert AuditEntry.select().count() == entries  # nothing written

    GoalService(mine).set_month("2026-03", [GoalForm("", "550", "250", "", refused.value.current_version, on_top=True)])
    assert MonthlyGoal.get_by_id(goal.id).attentions_goal == 550
    last = AuditEntry.select().where(AuditEntry.entity == "monthly_goal").order_by(AuditEntry.id.desc()).get()
    assert "aplicado encima del cambio de Marta Ccori Quispe" in last.summary, last.summary
    assert audit.verify_chain().ok


def test_a_goal_another_pc_set_after_the_month_was_read_is_not_overwritten(two_admins):
    """The form read an empty month (version 0): a goal set since by another PC is theirs."""
    mine, theirs = two_admins
    GoalService(theirs).set_month("2026-04", [GoalForm("", "300", "100", "", 0)])
    with pytest.raises(StaleRecord) as refused:
        GoalService(mine).set_month("2026-04", [GoalForm("", "350", "100", "", 0)])
    assert [(d.label, d.theirs, d.yours) for d in refused.value.differences] == [("Atenciones", "300", "350")]
    assert MonthlyGoal.get((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 4)).attentions_goal == 300


def test_emptying_a_goal_another_pc_changed_is_refused(two_admins):
    mine, theirs = two_admins
    GoalService(mine).set(GoalForm("2026-05", "400", "150"))
    read = _tambo_goal(mine, 5)
    GoalService(theirs).set_month("2026-05", [GoalForm("", "450", "150", "", _tambo_goal(theirs, 5).version)])
    with pytest.raises(StaleRecord) as refused:
        GoalService(mine).set_month("2026-05", [GoalForm("", "", "", "", read.version)])
    assert ("Atenciones", "450", "—") in [(d.label, d.theirs, d.yours) for d in refused.value.differences]
    assert MonthlyGoal.select().where((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 5)).count() == 1
    # and a goal removed on the other PC meanwhile is not made again from the stale copy
    GoalService(theirs).set_month("2026-05", [GoalForm("", "", "", "", refused.value.current_version)])
    with pytest.raises(NotFound):
        GoalService(mine).set_month("2026-05", [GoalForm("", "420", "150", "", read.version)])


def test_a_vehicle_and_an_allocation_from_a_stale_copy_are_refused(two_admins):
    mine, theirs = two_admins
    vehicle_id = FuelService(mine).save_vehicle("Camioneta Hilux", "pickup", "EGA-123", "30")
    read_here = next(v for v in FuelService(mine).vehicles() if v.id == vehicle_id)
    read_there = next(v for v in FuelService(theirs).vehicles() if v.id == vehicle_id)
    FuelService(theirs).save_vehicle(
        "Camioneta Hilux", "pickup", "EGA-124", "30", vehicle_id=vehicle_id, version=read_there.version
    )
    with pytest.raises(StaleRecord) as refused:
        FuelService(mine).save_vehicle(
            "Camioneta Hilux", "pickup", "EGA-123", "28", vehicle_id=vehicle_id, version=read_here.version
        )
    assert {(d.label, d.theirs, d.yours) for d in refused.value.differences} == {
        ("Placa", "EGA-124", "EGA-123"), ("Km por galón (lo usual)", "30", "28")}  # fmt: skip
    assert (Vehicle.get_by_id(vehicle_id).plate, Vehicle.get_by_id(vehicle_id).km_per_gallon) == ("EGA-124", 30)

    FuelService(mine).set_allocation(vehicle_id, 2026, 3, "40", "680", version=0)
    shown_here = FuelService(mine).balance(2026, 3)[0]  # both PCs show March's balance
    shown_there = FuelService(theirs).balance(2026, 3)[0]
    assert shown_here.allocation_version == 1
    FuelService(theirs).set_allocation(vehicle_id, 2026, 3, "45", "765", version=shown_there.allocation_version)
    entries = AuditEntry.select().count()
    with pytest.raises(StaleRecord) as refused:
        FuelService(mine).set_allocation(vehicle_id, 2026, 3, "50", "850", version=shown_here.allocation_version)
    assert [(d.label, d.theirs, d.yours) for d in refused.value.differences] == [
        ("Asignado (gal)", "45", "50"), ("Soles asignados", "765", "850")]  # fmt: skip
    assert AuditEntry.select().count() == entries
    FuelService(mine).set_allocation(
        vehicle_id, 2026, 3, "50", "850", version=refused.value.current_version, on_top=True
    )
    row = FuelAllocation.get((FuelAllocation.vehicle == vehicle_id) & (FuelAllocation.month == 3))
    assert (row.gallons, row.version) == (50, 3)
    # an allocation another PC made after the balance was read (version 0) is not overwritten
    with pytest.raises(StaleRecord):
        FuelService(mine).set_allocation(vehicle_id, 2026, 3, "60", "900", version=0)
    assert audit.verify_chain().ok


def test_the_migration_merges_duplicated_tambo_goals_and_then_refuses_them(empty_url, backend, home):
    """Before migration 20 two rows of the tambo's goal for one month could exist (NULL entity); the
    migration keeps the last saved one, and the database refuses a second one from then on."""
    from tambo_desktop.db import lifecycle, migrations

    db = open_database(empty_url)
    migrations.migrate(db, target=19)
    common = {"tambo_code": "T1", "created_by": "admin", "updated_by": "admin", "month": 3, "year": 2026}
    first = MonthlyGoal.create(attentions_goal=500, users_goal=200, **common)
    second = MonthlyGoal.create(attentions_goal=600, users_goal=250, **common)  # the bug: accepted
    MonthlyGoal.update(updated_at=first.updated_at.replace(year=2025)).where(MonthlyGoal.id == first.id).execute()
    assert MonthlyGoal.select().count() == 2
    close_database()
    db = lifecycle.prepare(empty_url)
    assert migrations.current_version(db) >= 20
    assert [(g.id, g.attentions_goal) for g in MonthlyGoal.select()] == [(second.id, 600)]
    with pytest.raises(Exception) as refused, db.atomic():
        MonthlyGoal.create(attentions_goal=700, users_goal=300, **common)
    assert "unique" in str(refused.value).lower(), refused.value
    other_month = MonthlyGoal.create(attentions_goal=700, users_goal=300, **{**common, "month": 4})
    assert other_month.id is not None


# -- two real processes ---------------------------------------------------------------------------


def _set_tambo_goal(url: str, username: str, attentions: str, barrier, results) -> None:
    from tambo_desktop.errors import StaleRecord, TamboError
    from tambo_desktop.services import accounts, goals
    from tambo_desktop.services.session import Session

    real_find = goals._find

    def slow_find(*args):  # each PC finds no goal for the month, then waits before inserting
        found = real_find(*args)
        time.sleep(HOLD)
        return found

    open_database(url)
    session = Session(accounts.to_current(User.get(User.username == username)), "TB-210102")
    barrier.wait()
    goals._find = slow_find
    try:
        goals.GoalService(session).set_month("2026-06", [goals.GoalForm("", attentions, "100", "", 0)])
        results.put(f"saved {attentions}")
    except StaleRecord as exc:
        results.put(f"refused {exc.changed_by}")
    except TamboError as exc:
        results.put(f"error: {exc}")
    finally:
        close_database()


def test_two_pcs_setting_the_tambos_goal_at_once_make_one_goal(two_admins, db_url):
    close_database()
    context = mp.get_context("spawn")  # fresh interpreters, like two PCs
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_set_tambo_goal, args=(db_url, user, attentions, barrier, results))
               for user, attentions in (("admin", "500"), ("jefa", "600"))]  # fmt: skip
    for w in workers:
        w.start()
    outcome = sorted(results.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    open_database(db_url)
    saved = [o for o in outcome if o.startswith("saved")]
    refused = [o for o in outcome if o.startswith("refused")]
    assert len(saved) == 1 and len(refused) == 1, outcome
    winner = {"500": User.get(User.username == "admin").full_name, "600": "Marta Ccori Quispe"}[saved[0].split()[1]]
    assert refused[0] == f"refused {winner}", outcome  # the loser is told who set it first
    goals = list(MonthlyGoal.select().where((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 6)))
    assert [str(g.attentions_goal) for g in goals] == [saved[0].split()[1]]
    creates = AuditEntry.select().where((AuditEntry.action == "create") & (AuditEntry.entity == "monthly_goal")).count()
    assert creates == 1 and audit.verify_chain().ok


@pytest.fixture(autouse=True)
def _spanish(monkeypatch):
    monkeypatch.setenv("TAMBO_LANG", "es")
