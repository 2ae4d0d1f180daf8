"""The staff's daily record on a real database (SQLite and PostgreSQL): arrival and departure from
signing in and out (a sign-in after a power cut keeps the first arrival), an administrator's
correction with a reason (the automatic values kept, the reason audited), days in the field from the
trips (a trip over two days counts both), interventions and atenciones per day, leave and holidays,
who sees whose record, and the month's sheet as PDF (read back with pdftotext) and XLSX."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest
from openpyxl import load_workbook

from tambo_desktop.db.models import AuditEntry, Intervention, Service, StaffDay, User
from tambo_desktop.errors import PermissionDenied, ValidationError
from tambo_desktop.i18n import format_date
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.desk import DeskEntry, DeskService
from tambo_desktop.services.persons import PersonForm
from tambo_desktop.services.session import SYSTEM_USER, CurrentUser, Session
from tambo_desktop.services.staff import DayCorrection, LeaveForm, StaffService
from tambo_desktop.services.trips import TripForm, TripService

D = dt.datetime


@pytest.fixture
def staff(admin_session):
    accounts = AccountService(admin_session)
    ana = accounts.create(AccountForm("aquispe", "Ana Quispe", "gestor", "clave-segura-2"))
    rosa = accounts.create(AccountForm("rcondori", "Rosa Condori", "staff", "clave-segura-3"))
    jut = accounts.create(AccountForm("jut", "Pedro Jut", "supervisor", "clave-segura-4"))
    code = admin_session.tambo_code

    def session(uid: int, name: str, role: str) -> Session:
        return Session(CurrentUser(uid, name, name, role, "es"), code)

    return {
        "admin": admin_session,
        "ana": session(ana, "aquispe", "gestor"),
        "rosa": session(rosa, "rcondori", "staff"),
        "jut": session(jut, "jut", "supervisor"),
        "ids": {"ana": ana, "rosa": rosa, "jut": jut, "admin": admin_session.user.id},
    }


def _day(service: StaffService, user_id: int, day: dt.date):
    return service.month(user_id, day.year, day.month).days[day.day - 1]


def test_sign_in_and_out_make_the_day_and_a_power_cut_loses_nothing(staff):
    ana = StaffService(staff["ana"])
    ana.record_sign_in(D(2026, 3, 2, 8, 5))
    # the power fails at 10:40: no sign-out; the PC comes back and Ana signs in again
    ana.record_sign_in(D(2026, 3, 2, 11, 2))
    ana.record_sign_out(D(2026, 3, 2, 13, 0))  # lunch
    ana.record_sign_in(D(2026, 3, 2, 14, 10))
    ana.record_sign_out(D(2026, 3, 2, 17, 35))
    rows = list(StaffDay.select().where(StaffDay.user == staff["ids"]["ana"]))
    assert len(rows) == 1
    day = _day(ana, staff["ids"]["ana"], dt.date(2026, 3, 2))
    assert (day.arrival, day.departure) == (D(2026, 3, 2, 8, 5), D(2026, 3, 2, 17, 35))
    assert (day.auto_arrival, day.auto_departure) == (D(2026, 3, 2, 8, 5), D(2026, 3, 2, 17, 35))
    assert day.at_tambo and not day.corrected
    # the next day is its own row; a sign-in the system account makes (the CLI's jobs) records nothing
    ana.record_sign_in(D(2026, 3, 3, 7, 50))
    StaffService(Session(SYSTEM_USER, staff["admin"].tambo_code)).record_sign_in(D(2026, 3, 3, 8))
    assert StaffDay.select().count() == 2
    creates = AuditEntry.select().where((AuditEntry.entity == "staff_day") & (AuditEntry.action == "create")).count()
    assert creates == 2


def test_a_correction_needs_a_reason_keeps_the_automatic_values_and_is_audited(staff):
    ana_id = staff["ids"]["ana"]
    StaffService(staff["ana"]).record_sign_in(D(2026, 3, 4, 9, 40))
    admin = StaffService(staff["admin"])
    before = AuditEntry.select().count()
    with pytest.raises(ValidationError) as refused:
        admin.correct_day(DayCorrection(ana_id, dt.date(2026, 3, 4), "08:00", "17:00", "  "))
    assert "motivo" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        admin.correct_day(DayCorrection(ana_id, dt.date(2026, 3, 4), "8 en punto", "07:00", "Olvidó la sesión"))
    assert {e.field for e in refused.value.errors} == {"arrival"}
    with pytest.raises(ValidationError) as refused:
        admin.correct_day(DayCorrection(ana_id, dt.date(2026, 3, 4), "18:00", "07:00", "Olvidó la sesión"))
    assert {e.field for e in refused.value.errors} == {"departure"}
    assert AuditEntry.select().count() == before  # nothing written
    with pytest.raises(PermissionDenied):
        StaffService(staff["ana"]).correct_day(
            DayCorrection(ana_id, dt.date(2026, 3, 4), "08:00", "17:00", "Yo llegué antes")
        )
    admin.correct_day(DayCorrection(ana_id, dt.date(2026, 3, 4), "8:00", "17.30", "Llegó a las 8; la PC no encendía"))
    # a later sign-in and sign-out do not undo the correction, and are kept beside it
    StaffService(staff["ana"]).record_sign_out(D(2026, 3, 4, 16, 0))
    day = _day(admin, ana_id, dt.date(2026, 3, 4))
    assert (day.arrival, day.departure) == (D(2026, 3, 4, 8, 0), D(2026, 3, 4, 17, 30))
    assert (day.auto_arrival, day.auto_departure) == (D(2026, 3, 4, 9, 40), D(2026, 3, 4, 16, 0))
    assert day.corrected and day.reason == "Llegó a las 8; la PC no encendía"
    entry = (AuditEntry.select().where((AuditEntry.entity == "staff_day") & (AuditEntry.username == "admin"))
             .order_by(AuditEntry.id.desc()).first())  # fmt: skip
    assert "la PC no encendía" in entry.summary
    changes = json.loads(entry.changes)
    assert changes["arrival"] == ["2026-03-04T09:40:00", "2026-03-04T08:00:00"]
    # a day nobody signed in on may be entered too; a future day may not
    admin.correct_day(DayCorrection(staff["ids"]["rosa"], dt.date(2026, 3, 5), "08:10", "", "Trabajó sin la PC"))
    assert _day(admin, staff["ids"]["rosa"], dt.date(2026, 3, 5)).at_tambo
    with pytest.raises(ValidationError):
        admin.correct_day(DayCorrection(ana_id, dt.date(2099, 1, 5), "08:00", "", "Adelantado"))


def _community(session: Session) -> int:
    return CommunityService(session).save(CommunityForm(name="Jiscullaya", district="210102", kind="anexo"))


def test_field_days_interventions_atenciones_leave_and_holidays(staff):
    ids, admin_session = staff["ids"], staff["admin"]
    community = _community(admin_session)
    trips = TripService(staff["ana"])
    # a trip from the 9th to the 10th counts both days; one on the 12th, another one that starts in February
    trips.save(TripForm(None, D(2026, 3, 9, 7), D(2026, 3, 10, 16), [community], "diagnostic", "a_pie"))
    trips.save(TripForm(None, D(2026, 3, 12, 7), D(2026, 3, 12, 13), [community], "coordination", "a_pie"))
    trips.save(TripForm(None, D(2026, 2, 28, 7), D(2026, 3, 1, 12), [community], "follow_up", "a_pie"))
    system = Session(SYSTEM_USER, admin_session.tambo_code)
    with system.write():
        for day, status in ((12, "executed"), (12, "executed"), (13, "suspended"), (16, "executed")):
            system.save(Intervention(title="Vacunación", kind="campaign", place="outside", community=community,
                                     starts_at=D(2026, 3, day, 9), ends_at=D(2026, 3, day, 12), gestor=ids["ana"],
                                     status=status))  # fmt: skip
    desk = DeskService(staff["rosa"])
    codes = [Service.get(Service.code == c).id for c in ("reniec_dni_renewal", "sis_update")]
    desk.register(DeskEntry(None, PersonForm("dni", "41234567", "Juana", "Condori", "Apaza", "F", "12/08/1961"),
                            codes, "inside", attended_at=D(2026, 3, 16, 9, 30)))  # fmt: skip
    result = desk.register(DeskEntry(None, PersonForm("dni", "41234568", "Marco", "Ticona", "", "M", "01/02/1990"),
                                     codes[:1], "inside", attended_at=D(2026, 3, 17, 10)))  # fmt: skip
    DeskService(admin_session).register(
        DeskEntry(result.person_id, None, codes[1:], "inside", attended_at=D(2026, 3, 17, 11))
    )
    admin = StaffService(admin_session)
    admin.add_leave(LeaveForm(ids["rosa"], "vacaciones", dt.date(2026, 3, 23), dt.date(2026, 4, 3), "Vacaciones 2026"))
    admin.add_leave(LeaveForm(ids["ana"], "descanso_medico", dt.date(2026, 3, 19), dt.date(2026, 3, 20)))
    admin.add_leave(LeaveForm(None, "feriado", dt.date(2026, 4, 2), dt.date(2026, 4, 3), "Semana Santa"))
    with pytest.raises(ValidationError) as refused:
        admin.add_leave(LeaveForm(None, "vacaciones", dt.date(2026, 3, 2), dt.date(2026, 3, 3)))
    assert {e.field for e in refused.value.errors} == {"user"}
    with pytest.raises(ValidationError):
        admin.add_leave(LeaveForm(ids["ana"], "licencia", dt.date(2026, 3, 5), dt.date(2026, 3, 2)))
    with pytest.raises(PermissionDenied):
        StaffService(staff["ana"]).add_leave(
            LeaveForm(ids["ana"], "vacaciones", dt.date(2026, 3, 2), dt.date(2026, 3, 3))
        )

    march = {m.person.username: m for m in admin.months(2026, 3)}
    assert set(march) == {"admin", "aquispe", "rcondori"}  # the supervisor keeps no daily record
    ana = march["aquispe"]
    assert [d.day.day for d in ana.days if d.in_field] == [1, 9, 10, 12]
    assert {d.day.day: d.interventions for d in ana.days if d.interventions} == {12: 2, 16: 1}
    assert [d.day.day for d in ana.days if d.leave == "descanso_medico"] == [19, 20]
    rosa = march["rcondori"]
    assert {d.day.day: d.attentions for d in rosa.days if d.attentions} == {16: 2, 17: 1}
    assert march["admin"].attentions == 1
    assert rosa.leave_days == 9 and rosa.holidays == 0
    april = {m.person.username: m for m in admin.months(2026, 4)}
    # a holiday during one's vacation is both (the vacation runs on calendar days)
    assert [d.day.day for d in april["rcondori"].days if d.leave] == [1, 2, 3]
    assert [d.day.day for d in april["rcondori"].days if d.holiday] == [2, 3]
    assert [d.day.day for d in april["aquispe"].days if d.holiday] == [2, 3]
    summary = {s.full_name: s for s in admin.month_summary(2026, 3)}
    assert (
        summary["Ana Quispe"].days_in_field,
        summary["Ana Quispe"].leave_days,
        summary["Ana Quispe"].interventions,
    ) == (4, 2, 3)
    assert (summary["Rosa Condori"].attentions, summary["Rosa Condori"].leave_days) == (3, 9)
    assert [(r.kind, r.first_day) for r in admin.leaves(2026, 4)] == [
        ("vacaciones", dt.date(2026, 3, 23)),
        ("feriado", dt.date(2026, 4, 2)),
    ]


def test_each_person_sees_their_own_record_administrators_and_supervisors_everyones(staff):
    ids = staff["ids"]
    StaffService(staff["rosa"]).record_sign_in(D(2026, 3, 2, 8))
    ana = StaffService(staff["ana"])
    assert [p.username for p in ana.people()] == ["aquispe"]
    assert ana.month(ids["ana"], 2026, 3).person.full_name == "Ana Quispe"
    with pytest.raises(PermissionDenied):
        ana.month(ids["rosa"], 2026, 3)
    assert [m.person.username for m in ana.months(2026, 3)] == ["aquispe"]
    assert [s.full_name for s in ana.month_summary(2026, 3)] == ["Ana Quispe"]
    jut = StaffService(staff["jut"])
    assert {p.username for p in jut.people()} == {"admin", "aquispe", "rcondori"}
    assert jut.month(ids["rosa"], 2026, 3).days_at_tambo == 1
    with pytest.raises(PermissionDenied):
        jut.correct_day(DayCorrection(ids["rosa"], dt.date(2026, 3, 2), "08:00", "", "Lo vi llegar"))
    # an account deactivated since keeps the month it worked, for those who see everyone
    AccountService(staff["admin"]).update(ids["rosa"], AccountForm("rcondori", "Rosa Condori", "staff", active=False))
    assert "rcondori" not in {p.username for p in StaffService(staff["jut"]).people()}
    assert StaffService(staff["jut"]).months(2026, 3)[-1].person.username == "rcondori"
    assert "rcondori" not in {m.person.username for m in StaffService(staff["jut"]).months(2026, 4)}


def _pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_month_sheet_as_pdf_one_page_per_person_and_as_xlsx(staff, tmp_path):
    ids = staff["ids"]
    community = _community(staff["admin"])
    StaffService(staff["ana"]).record_sign_in(D(2026, 3, 2, 8, 5))
    StaffService(staff["ana"]).record_sign_out(D(2026, 3, 2, 17, 35))
    TripService(staff["ana"]).save(
        TripForm(None, D(2026, 3, 9, 7), D(2026, 3, 10, 16), [community], "diagnostic", "a_pie")
    )
    admin = StaffService(staff["admin"])
    admin.correct_day(DayCorrection(ids["rosa"], dt.date(2026, 3, 3), "08:10", "16:45", "Trabajó sin la PC"))
    admin.add_leave(LeaveForm(ids["rosa"], "vacaciones", dt.date(2026, 3, 23), dt.date(2026, 3, 27)))
    admin.add_leave(LeaveForm(None, "feriado", dt.date(2026, 3, 30), dt.date(2026, 3, 30)))
    pdf = tmp_path / "asistencia.pdf"
    assert admin.export_month(2026, 3, pdf, "pdf") == 3
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+3$", info, re.M)
    pages = _pdftotext(pdf).split("\f")
    ana_page = next(p for p in pages if "Ana Quispe" in p)
    assert "Asistencia del personal — marzo de 2026" in ana_page
    assert "lun 2 mar" in ana_page and "08:05" in ana_page and "17:35" in ana_page
    assert "mar 10 mar" in ana_page and "En campo" in ana_page
    assert "Días en el tambo: 1 · Días en campo: 2" in " ".join(ana_page.split())
    assert "Firma del trabajador" in ana_page and "Firma y sello del supervisor" in ana_page
    rosa_page = " ".join(next(p for p in pages if "Rosa Condori" in p).split())
    assert "08:10 * 16:45 *" in rosa_page and "Vacaciones" in rosa_page and "Feriado" in rosa_page
    assert "Días de licencia: 5 · Feriados: 1" in rosa_page
    # only one's own sheet for a gestor
    own = tmp_path / "ana.xlsx"
    assert StaffService(staff["ana"]).export_month(2026, 3, own, "xlsx") == 1
    assert load_workbook(own).sheetnames == ["Ana Quispe"]
    book = tmp_path / "asistencia.xlsx"
    admin.export_month(2026, 3, book, "xlsx")
    workbook = load_workbook(book)
    assert sorted(workbook.sheetnames) == ["Ana Quispe", "Rosa Condori", "Rosa Quispe Mamani"]
    rosa = [list(r) for r in workbook["Rosa Condori"].iter_rows(values_only=True)]
    march_3 = next(r for r in rosa if r[0] == format_date(dt.date(2026, 3, 3), "weekday_day_month"))
    assert march_3[1:4] == ["08:10 *", "16:45 *", "En el tambo"] and march_3[6] == "Trabajó sin la PC"
    assert AuditEntry.select().where((AuditEntry.action == "export") & (AuditEntry.entity == "staff_day")).count() == 3
    with pytest.raises(ValidationError):
        admin.export_month(2026, 3, tmp_path / "x.csv", "csv")
    assert not (tmp_path / "x.csv").exists()
    assert User.select().count() == 4


def test_cli_staff_month_on_the_demo(tmp_path, capsys):
    """The small demo has staff days (arrivals, field days, holidays); ``staff month`` writes every
    person's sheet; a bad month is a clear message and exit 2, nothing written."""
    from tambo_desktop import dates
    from tests.cli_signin import main_as

    home = str(tmp_path / "home")
    assert main_as(["--home", home, "demo", "--size", "small"]) == 0
    capsys.readouterr()
    today = dates.today()
    last = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")  # last month, complete
    out = tmp_path / "asistencia.pdf"
    assert main_as(["--home", home, "staff", "month", "--month", last, "--format", "pdf", "--out", str(out)]) == 0
    assert "3 personas" in capsys.readouterr().out
    pages = _pdftotext(out).split("\f")
    for name in ("Rosa Quispe Mamani", "Wilber Condori Apaza", "Nelly Ticona Choque"):
        page = " ".join(next(p for p in pages if name in p).split())
        found = re.search(r"Días en el tambo: (\d+) · Días en campo: (\d+)", page)
        assert found and int(found.group(1)) >= 12, name  # a month of work
        if name.startswith("Wilber"):
            assert int(found.group(2)) >= 3  # the gestor's field days, from the demo's trips
    book = tmp_path / "asistencia.xlsx"
    assert (
        main_as(
            ["--home", home, "--lang", "qu", "staff", "month", "--month", last, "--format", "xlsx", "--out", str(book)]
        )
        == 0
    )
    assert len(load_workbook(book).sheetnames) == 3
    bad = tmp_path / "mal.pdf"
    assert main_as(["--home", home, "staff", "month", "--month", "2026-13", "--format", "pdf", "--out", str(bad)]) == 2
    assert "Mes no válido: «2026-13»" in capsys.readouterr().err and not bad.exists()


def _sign_in(url: str, user_id: int, tambo_code: str, minute: int, barrier, results) -> None:
    """One PC signing the account in; held between reading the day's row and writing it."""
    import time

    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.db.models import StaffDay as Day

    real = Day.get_or_none.__func__

    def slow(cls, *query):
        found = real(cls, *query)
        time.sleep(0.6)
        return found

    Day.get_or_none = classmethod(slow)
    open_database(url)
    barrier.wait()
    try:
        session = Session(CurrentUser(user_id, "aquispe", "Ana Quispe", "gestor", "es"), tambo_code)
        StaffService(session).record_sign_in(D(2026, 3, 2, 8, minute))
        results.put("saved")
    except Exception as exc:  # the failure this test looks for
        results.put(f"failed: {exc!r}")
    finally:
        close_database()


def test_two_pcs_signing_the_same_account_in_at_once_make_one_day(staff, db_url):
    """Both PCs read «no row yet» before either writes (the race is held open): one inserts, the other
    meets the unique (account, day) index, retries and keeps the earlier arrival."""
    import multiprocessing as mp

    from tambo_desktop.db.connection import close_database, open_database

    ana, code = staff["ids"]["ana"], staff["admin"].tambo_code
    close_database()
    context = mp.get_context("spawn")  # fresh interpreters, like two PCs
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_sign_in, args=(db_url, ana, code, minute, barrier, results)) for minute in (5, 1)
    ]
    for w in workers:
        w.start()
    outcome = sorted(results.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    open_database(db_url)
    assert outcome == ["saved", "saved"], outcome
    rows = list(StaffDay.select().where(StaffDay.user == ana))
    assert len(rows) == 1 and rows[0].arrival == D(2026, 3, 2, 8, 1) == rows[0].auto_arrival


def test_the_month_sheet_in_aymara_carries_the_spanish_and_stays_one_page_a_person(tmp_path, capsys):
    """Signed by the supervisor and read by the Unidad Territorial: in Aymara the sheet's title,
    column headers, totals and signature captions carry the Spanish too, and a 31-day month still
    fits one page per person (found trying the issue's Done-means scenario: the gestor's sheet
    was Aymara only)."""
    from tambo_desktop import dates
    from tambo_desktop.documents import staff_sheet
    from tambo_desktop.i18n import _, use_language
    from tests.cli_signin import main_as

    home = str(tmp_path / "home")
    assert main_as(["--home", home, "demo", "--size", "small"]) == 0
    last = dates.today().replace(day=1) - dt.timedelta(days=1)
    while last.day != 31:  # the last complete month of 31 days
        last = last.replace(day=1) - dt.timedelta(days=1)
    out = tmp_path / "asistencia-ay.pdf"
    args = ["--home", home, "--lang", "ay", "staff", "month", "--month", last.strftime("%Y-%m"), "--format", "pdf"]
    assert main_as([*args, "--out", str(out)]) == 0
    capsys.readouterr()
    pages = [" ".join(p.split()) for p in _pdftotext(out).split("\f") if p.strip()]
    assert len(pages) == 3  # one page per person
    with use_language("ay"):
        own = [_(m) for m in (staff_sheet.L_SIGN_PERSON, staff_sheet.L_SIGN_SUPERVISOR, "Llegada", "Salida")]
    for page in pages:
        assert "Asistencia del personal —" in page and "Días en el tambo:" in page
        for aymara, spanish in zip(own, ("Firma del trabajador", "Firma y sello del supervisor", "Llegada", "Salida"),
                                   strict=True):  # fmt: skip
            assert aymara != spanish and aymara in page and spanish in page, spanish
