"""Training records on a real database: a community course with two sessions and 25 participants,
attendance, hours, results, 25 certificates in one PDF read back with poppler, a code verified and a
forged one refused, a staff certification expiring, the year's summary, the CLI verbs."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tambo_desktop import dates
from tambo_desktop.db.models import Entity
from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.certificates import CertificateService, new_code, normalize
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.training import CourseForm, SessionForm, TrainingService, add_months
from tests.cli_signin import main_as

D = dt.datetime
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
FIRST_NAMES = ("Rosa", "Wilber", "Nelly", "Javier", "Yola", "Edwin", "Basilia", "Fortunato")


@pytest.fixture
def course(admin_session):
    """Crianza de cuyes (PRODUCE): two sessions of 4 and 3 hours, 25 people, 23 at the first, 20 at the second."""
    training = TrainingService(admin_session)
    persons = PersonService(admin_session)
    produce = Entity.get(Entity.code == "PRODUCE").id
    course_id = training.save_course(CourseForm("Crianza de cuyes", "productive", "community", produce, "", "Téc. Edwin Calla",
                                                "qu", "Criador de cuyes"))  # fmt: skip
    first = training.save_session(course_id, SessionForm(D(2026, 3, 3, 9), D(2026, 3, 3, 13), "inside"))
    second = training.save_session(course_id, SessionForm(D(2026, 3, 10, 9), D(2026, 3, 10, 12), "inside"))
    enrolled = []
    for i in range(25):
        language = ("qu", "ay", "es")[i % 3]
        form = PersonForm("dni", f"{42000000 + i:08d}", FIRST_NAMES[i % 8], "Quispe", "Mamani", "FM"[i % 2],
                          f"0{1 + i % 9}/05/{1960 + i}", first_language=language)  # fmt: skip
        enrolled.append(training.enroll(course_id, person_id=persons.save(form)))
    training.set_attendance(first, set(enrolled[:23]))
    training.set_attendance(second, set(enrolled[:20]))
    return course_id, enrolled


def test_attendance_hours_and_results(admin_session, course):
    training = TrainingService(admin_session)
    course_id, enrolled = course
    participants = {p.id: p for p in training.participants(course_id)}
    assert len(participants) == 25
    assert (
        participants[enrolled[0]].hours == 7
        and participants[enrolled[21]].hours == 4
        and participants[enrolled[24]].hours == 0
    )
    assert participants[enrolled[0]].result == "attended" and participants[enrolled[24]].result == "enrolled"
    with pytest.raises(TamboError):  # already enrolled
        training.enroll(course_id, person_id=participants[enrolled[0]].person_id)
    with pytest.raises(ValidationError):  # a community course takes people, not accounts
        training.enroll(course_id, user_id=1)
    training.set_result(enrolled[:20], "passed")
    training.set_result([enrolled[22]], "failed")
    row = training.course(course_id)
    assert (row.sessions, row.participants, row.hours) == (2, 25, 7)
    history = training.history(person_id=participants[enrolled[0]].person_id)
    assert [(h.title, h.hours, h.result) for h in history] == [("Crianza de cuyes", 7, "passed")]


@needs_poppler
def test_certificates_for_the_course_verified_and_forged(admin_session, course, tmp_path):
    training = TrainingService(admin_session)
    course_id, enrolled = course
    training.set_result(enrolled[:20], "passed")
    certificates = CertificateService(admin_session)
    path = tmp_path / "cuyes.pdf"
    assert certificates.export_pdf(course_id, path) == 23  # 20 passed + 3 who attended some
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           23" in info and "841.89 x 595.276" in info  # A4 landscape
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert text.count("Crianza de cuyes") >= 23 and "DNI 42000000" in text and "7 horas" in text
    participants = training.participants(course_id)
    codes = [p.certificate_code for p in participants if p.certificate_code]
    assert len(set(codes)) == 23 and all(normalize(c) == c for c in codes)
    assert all(c in text for c in codes)
    # printing again keeps the codes
    certificates.export_pdf(course_id, tmp_path / "again.pdf")
    assert sorted(codes) == sorted(p.certificate_code for p in training.participants(course_id) if p.certificate_code)
    genuine = certificates.verify(codes[0].lower().replace("-", " "))
    assert genuine.genuine and genuine.course == "Crianza de cuyes" and genuine.name in genuine.message
    forged = new_code()
    assert not certificates.verify(forged).genuine
    typo = codes[0][:-1] + ("2" if codes[0][-1] != "2" else "3")
    assert normalize(typo) is None and not certificates.verify(typo).genuine
    # a certified participant is not removed; a course with certificates is not deleted
    with pytest.raises(TamboError):
        training.remove(next(p.id for p in participants if p.certificate_code))
    with pytest.raises(TamboError):
        training.delete_course(course_id)


def test_staff_certification_expires(admin_session):
    training = TrainingService(admin_session)
    gestor = AccountService(admin_session).create(AccountForm("jmamani", "Juan Mamani", "gestor", "clave-segura-2"))
    today = dt.date(2026, 11, 28)
    start = D(2025, 12, 20, 9)
    course_id = training.save_course(CourseForm("ISO 9001:2015", "quality", "staff", None, "SGS del Perú", "Ing. Salas", "es",
                                                "Auditor interno ISO 9001:2015", "12"))  # fmt: skip
    session = training.save_session(course_id, SessionForm(start, start + dt.timedelta(hours=8), "online"))
    enrollment = training.enroll(course_id, user_id=gestor)
    training.set_attendance(session, {enrollment})
    training.set_result([enrollment], "passed")
    [row] = training.expiring(today)
    assert (row.name, row.valid_until, row.days_left) == ("Juan Mamani", dt.date(2026, 12, 20), 22)
    assert training.expiring(dt.date(2026, 9, 1)) == []
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    with pytest.raises(ValidationError):
        training.save_course(CourseForm("Sin nada", "quality", "staff", None, "", "", "es", "", "12"))


def test_year_summary_and_cli(admin_session, course, tmp_path, capsys):
    training = TrainingService(admin_session)
    rows = training.year_summary(2026)
    assert len(rows) == 1 and rows[0][8] == 25  # participants
    header = training.summary_header()
    assert len(header) == len(rows[0])
    path = tmp_path / "resumen.xlsx"
    assert training.export_year(2026, path, "xlsx") == 1
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert sheet.cell(2, 3).value == "Crianza de cuyes"


def test_cli_training_verbs(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main_as(["--home", home, "demo", "--size", "small"]) == 0
    capsys.readouterr()
    assert main_as(["--home", home, "training", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Crianza y sanidad de cuyes" in listed
    course_id = next(int(line.split()[0]) for line in listed.splitlines() if "cuyes" in line)
    out = tmp_path / "cuyes.pdf"
    assert main_as(["--home", home, "training", "certificates", "--course", str(course_id), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    from tambo_desktop.db.models import Enrollment

    code = Enrollment.select().where(Enrollment.certificate_code.is_null(False)).first().certificate_code
    capsys.readouterr()
    assert main_as(["--home", home, "training", "verify", code]) == 0
    assert "auténtico" in capsys.readouterr().out
    assert main_as(["--home", home, "training", "verify", "AAAA-BBBB-CCCC"]) == 1
    assert main_as(["--home", home, "training", "export", "--year", str(dates.today().year), "--format", "csv",
                 "--out", str(tmp_path / "t.csv")]) == 0  # fmt: skip
