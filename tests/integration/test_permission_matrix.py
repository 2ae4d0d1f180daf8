"""Every role × every service action: the services refuse what the table does not allow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.demo.build import create_demo
from tambo_desktop.errors import PermissionDenied, TamboError
from tambo_desktop.formats.communities import export_file, import_file
from tambo_desktop.formats.persons import export_attentions, import_persons
from tambo_desktop.services import settings, setup
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.audit import AuditService
from tambo_desktop.services.campaigns import CampaignService
from tambo_desktop.services.communities import CommunityForm, CommunityService, LeaderForm
from tambo_desktop.services.diagnostics import DiagnosticForm, DiagnosticService
from tambo_desktop.services.facilities import FacilityForm, FacilityService
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.goals import GoalForm, GoalService
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.logos import LogoService
from tambo_desktop.services.packages import PackageService
from tambo_desktop.services.packages_reference import import_reference
from tambo_desktop.services.permissions import ALL_ROLES, PERMISSIONS, SERVICE, allowed
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.plans import PlanService
from tambo_desktop.services.reports import ReportRequest, ReportService
from tambo_desktop.services.rights import RightsService
from tambo_desktop.services.servers import ServerService
from tambo_desktop.services.session import CurrentUser, Session
from tambo_desktop.services.staff import LeaveForm, StaffService
from tambo_desktop.services.training import CourseForm, TrainingService
from tambo_desktop.services.trips import TripService
from tambo_desktop.services.voyages import VoyageForm, VoyageService


def _first_community(service: CommunityService) -> int:
    return service.list()[0].id if service.list() else 0


def _someone_elses_trip() -> int:
    """A trip logged by the demo's gestor (the test's user is id 99, who has no account)."""
    from tambo_desktop.db.models import Trip, User
    from tambo_desktop.services.session import SYSTEM_USER

    gestor = User.get(User.username == "gestor")
    system = Session(SYSTEM_USER, "DEMO-21-0102")
    trip = Trip(gestor=gestor.id, departs_at=dt.datetime(2026, 3, 2, 7), returns_at=dt.datetime(2026, 3, 2, 15),
                purpose="diagnostic", means="a_pie")  # fmt: skip
    with system.write():
        system.save(trip)
    return trip.id


def _gestor_id() -> int:
    from tambo_desktop.db.models import User

    return User.get(User.username == "gestor").id


def _community_form() -> CommunityForm:
    return CommunityForm(name="Nueva Esperanza", district="210102", kind="anexo")


def _backup(session: Session, tmp: Path):
    from tambo_desktop.services.backups import BackupService

    return BackupService(session).create()


def _backup_list(session: Session, tmp: Path):
    from tambo_desktop.services.backups import BackupService

    return BackupService(session).list()


def _restore(session: Session, tmp: Path):
    from tambo_desktop.db import backups as backup
    from tambo_desktop.services.backups import BackupService

    made = backup.backup_now("manual")
    return BackupService(session).restore(made.path)


def _purge(session: Session, tmp: Path):
    from tambo_desktop.services.backups import BackupService

    return BackupService(session).purge_holding(1)


ACTIONS = {
    "communities.view": lambda s, t: CommunityService(s).list(),
    "communities.edit": lambda s, t: CommunityService(s).save(_community_form()),
    "communities.delete": lambda s, t: CommunityService(s).delete(_first_community(CommunityService(s))),
    "communities.import": lambda s, t: import_file(CommunityService(s), paths.home().parent / "missing.csv"),
    "communities.export": lambda s, t: export_file(CommunityService(s), t / "c.csv", "csv"),
    "accounts.manage": lambda s, t: AccountService(s).create(AccountForm("nuevo", "Nuevo", "staff", "clave-larga-1")),
    "accounts.unlock": lambda s, t: AccountService(s).unlock_named("gestor"),
    "audit.view": lambda s, t: AuditService(s).list(),
    "audit.export": lambda s, t: AuditService(s).export(t / "a.csv"),
    "backup.create": _backup,
    "backup.list": _backup_list,
    "backup.restore": _restore,
    # allowed: refused because person 1 is not anonymised, after the permission check
    "backup.purge": _purge,
    # allowed: refused by the unreachable server, after the permission check
    "database.migrate": lambda s, t: ServerService(s).migrate_to("postgresql://postgres@127.0.0.1:9/nowhere"),
    # allowed: refused for the missing central key, after the permission check
    "packages.export": lambda s, t: PackageService(s).export(t / "p.tpkg"),
    "packages.central_key": lambda s, t: PackageService(s).set_central_key("not a key"),
    "packages.reference": lambda s, t: import_reference(s, t / "missing.tref"),
    "settings.edit": lambda s, t: settings.set_idle_lock_minutes(s, 7),
    "tambo.edit": lambda s, t: setup.update_profile(
        s, setup.TamboProfile("Tambo Jiscullaya", "DEMO-21-0102", "210102", "Jiscullaya", "3851")
    ),
    "persons.view": lambda s, t: PersonService(s).search("quispe"),
    "persons.edit": lambda s, t: PersonService(s).save(PersonForm("dni", "01234567", "Ana", "Quispe", "", "F")),
    "persons.merge": lambda s, t: PersonService(s).merge(1, 2),
    "persons.anonymize": lambda s, t: PersonService(s).anonymize(1),
    "persons.import": lambda s, t: import_persons(PersonService(s), paths.home().parent / "missing.csv"),
    "persons.export": lambda s, t: RightsService(s).export(1, t / "persona.json"),
    "attentions.view": lambda s, t: AttentionService(s).list(),
    "attentions.record": lambda s, t: AttentionService(s).record(1, [1], "inside"),
    "attentions.void": lambda s, t: AttentionService(s).void(1, "error de digitación"),
    "attentions.export": lambda s, t: export_attentions(
        s, t / "at.csv", dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv"
    ),
    "indicators.view": lambda s, t: IndicatorService(s).month(2025, 3),
    "reports.view": lambda s, t: ReportService(s).build(ReportRequest(2026, 3)),
    "goals.edit": lambda s, t: GoalService(s).set(GoalForm("2025-03", "100", "40")),
    "interventions.view": lambda s, t: InterventionService(s).list(),
    "interventions.edit": lambda s, t: InterventionService(s).save(
        InterventionForm(
            "Reunión",
            None,
            "coordination",
            [],
            "inside",
            None,
            None,
            "",
            dt.datetime(2026, 3, 3, 9),
            dt.datetime(2026, 3, 3, 10),
        )
    ),
    "facilities.manage": lambda s, t: FacilityService(s).save_space(FacilityForm("Almacén", "other")),
    # one's own plan (nothing to submit yet), and any gestor's
    "plans.edit": lambda s, t: PlanService(s).submit(2026, 3, s.user.id),
    "plans.edit_any": lambda s, t: PlanService(s).save(2026, 3, 1, "Anemia", ""),
    "plans.review": lambda s, t: PlanService(s).approve(1),
    "training.view": lambda s, t: TrainingService(s).courses(),
    "training.edit": lambda s, t: TrainingService(s).save_course(
        CourseForm("Quechua básico", "language", "staff", None, "MINCUL Puno")
    ),
    "training.export": lambda s, t: TrainingService(s).export_year(2026, t / "cap.csv", "csv"),
    "trips.view": lambda s, t: TripService(s).list(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    # one's own trip (this one no longer exists), and someone else's
    "trips.edit": lambda s, t: TripService(s).delete(10**9),
    "trips.edit_any": lambda s, t: TripService(s).delete(_someone_elses_trip()),
    "fuel.manage": lambda s, t: FuelService(s).save_vehicle("Bote Yamaha", "boat"),
    "diagnostics.edit": lambda s, t: DiagnosticService(s).save(DiagnosticForm(1, dt.date(2026, 3, 1), [], ["water"])),
    "rules.edit": lambda s, t: DiagnosticService(s).remove_rule(1),
    "campaigns.view": lambda s, t: CampaignService(s).list(),
    "campaigns.edit": lambda s, t: CampaignService(s).add_task(0, "Llamar a la radio"),
    "logos.manage": lambda s, t: LogoService(s).set_logo(1, None),
    "staff.record": lambda s, t: StaffService(s).record_sign_in(),
    "staff.view": lambda s, t: StaffService(s).people(),
    "staff.view_any": lambda s, t: StaffService(s).month(_gestor_id(), 2026, 3),  # someone else's month
    "staff.edit": lambda s, t: StaffService(s).add_leave(
        LeaveForm(None, "feriado", dt.date(2026, 3, 30), dt.date(2026, 3, 30))
    ),
    "voyages.view": lambda s, t: VoyageService(s).list(),
    "voyages.edit": lambda s, t: VoyageService(s).create(VoyageForm("Travesía de prueba", "Lago Titicaca")),
}
LEADER_ACTIONS = {
    "communities.edit": lambda s, t: CommunityService(s).save_leader(
        _first_community(CommunityService(s)), LeaderForm(name="Ana Quispe", role="otro")
    ),
}


def test_every_action_in_the_table_has_a_case():
    assert set(ACTIONS) == set(PERMISSIONS)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """One demo database, copied for each test (closed first, so the file is complete)."""
    import os

    home = tmp_path_factory.mktemp("template")
    old = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    try:
        prepare(paths.default_database_url())
        create_demo()
        close_database()
    finally:
        if old is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = old
    return home / "tambo.db"


@pytest.fixture
def demo_home(tmp_path, monkeypatch, demo_template):
    import shutil

    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    shutil.copyfile(demo_template, tmp_path / "home" / "tambo.db")
    prepare(paths.default_database_url())
    yield tmp_path
    close_database()


@pytest.mark.parametrize("role", [*sorted(ALL_ROLES), SERVICE])  # SERVICE: the CLI's backup --service
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_role_action(demo_home, role, action):
    session = Session(CurrentUser(99, f"prueba-{role}", "Prueba", role, "es"), "DEMO-21-0102")
    calls = [ACTIONS[action]] + ([LEADER_ACTIONS[action]] if action in LEADER_ACTIONS else [])
    for call in calls:
        if allowed(role, action):
            try:
                call(session, demo_home)
            except PermissionDenied:  # pragma: no cover - the failure we look for
                pytest.fail(f"{role} was refused {action}")
            except TamboError:
                pass  # allowed, and failed for another reason (e.g. the missing import file)
        else:
            with pytest.raises(PermissionDenied):
                call(session, demo_home)


def test_unknown_action_and_unknown_role_are_denied():
    assert not allowed("admin", "nothing.here")
    assert not allowed("visitor", "communities.view")
