"""Indicators on a hand-built month: every breakdown's exact numbers, on SQLite and PostgreSQL.

March 2025, 5 people, 9 atenciones recorded, one voided (8 count), Rosa served on two days,
Wilber turning 18 between his two atenciones, Nelly without birth date or community:

    Rosa    F 1990-05-10 Jiscullaya  03-03 inside RENIEC renewal + MINSA flu; 03-20 outside Jiscullaya MINSA flu
    Juan    M 2015-03-20 Jiscullaya  03-10 outside Jiscullaya MINSA flu
    Hilaria F 1950-01-01 Ccopamaya   03-05 inside BN Pensión 65 payment
    Wilber  M 2007-03-15 Ccopamaya   03-14 inside RENIEC renewal (17); 03-15 outside Ccopamaya DIRESA TB (18)
    Nelly   F —          —           03-31 23:30 inside MINSA flu + DIRESA TB (voided)
Outside the month: Rosa on 04-01 00:00, Hilaria on 02-28 23:59.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop.db.models import Community, Service
from tambo_desktop.errors import ValidationError
from tambo_desktop.services.attentions import AttentionFilter, AttentionService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.goals import GoalForm, GoalService
from tambo_desktop.services.indicators import IndicatorService, age_group
from tambo_desktop.services.persons import PersonForm, PersonService
from tests.cli_signin import ADMIN_PASSWORD, signed

ROOT = Path(__file__).resolve().parents[2]
RENEWAL, FLU, TB, PENSION = (
    "reniec_dni_renewal",
    "minsa_vaccination_influenza",
    "diresa_tb_screening",
    "bn_pension65_payment",
)


def sid(code: str) -> int:
    return Service.get(Service.code == code).id


@pytest.fixture
def march(admin_session) -> dict[str, int]:
    communities = CommunityService(admin_session)
    a = communities.save(CommunityForm(name="Jiscullaya", district="210102", kind="anexo"))
    b = communities.save(CommunityForm(name="Ccopamaya", district="210102", kind="anexo"))
    people = PersonService(admin_session)
    ids = {
        "rosa": people.save(PersonForm("dni", "01234567", "Rosa", "Quispe", "Mamani", "F", "1990-05-10", str(a))),
        "juan": people.save(PersonForm("", "", "Juan", "Mamani", "", "M", "2015-03-20", str(a))),
        "hilaria": people.save(PersonForm("dni", "00456789", "Hilaria", "Condori", "", "F", "1950-01-01", str(b))),
        "wilber": people.save(PersonForm("dni", "71234567", "Wilber", "Apaza", "", "M", "2007-03-15", str(b))),
        "nelly": people.save(PersonForm("", "", "Nelly", "Ticona", "", "F")),
    }
    desk = AttentionService(admin_session)

    def rec(who, codes, day, hour, place="inside", community=None, month=3):
        return desk.record(ids[who], [sid(c) for c in codes], place, community, dt.datetime(2025, month, day, *hour))

    rec("rosa", [RENEWAL, FLU], 3, (9, 0))
    rec("rosa", [FLU], 20, (10, 0), "outside", a)
    rec("juan", [FLU], 10, (11, 0), "outside", a)
    rec("hilaria", [PENSION], 5, (8, 0))
    rec("wilber", [RENEWAL], 14, (15, 0))
    rec("wilber", [TB], 15, (9, 0), "outside", b)
    nelly_flu, nelly_tb = rec("nelly", [FLU, TB], 31, (23, 30))
    desk.void(nelly_tb, "registrada por error")
    rec("rosa", [RENEWAL], 1, (0, 0), month=4)
    rec("hilaria", [PENSION], 28, (23, 59), month=2)
    return {**ids, "a": a, "b": b, "nelly_flu": nelly_flu}


def counts(result, name: str) -> dict[str, tuple[int, int]]:
    return {c.key: (c.attentions, c.users) for c in result.breakdowns[name]}


def test_a_hand_built_month(admin_session, march):
    result = IndicatorService(admin_session).month(2025, 3)
    assert (result.period, result.date_from, result.date_to) == ("2025-03", dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert (result.attentions, result.users) == (8, 5)
    assert counts(result, "entity") == {"MINSA": (4, 3), "RENIEC": (2, 2), "BN": (1, 1), "DIRESA": (1, 1)}
    assert counts(result, "sector") == {"health": (5, 4), "identity": (2, 2), "economy": (1, 1)}
    assert counts(result, "level") == {"national": (7, 5), "regional": (1, 1)}
    assert counts(result, "service") == {FLU: (4, 3), RENEWAL: (2, 2), PENSION: (1, 1), TB: (1, 1)}
    a, b = Community.get_by_id(march["a"]).uuid, Community.get_by_id(march["b"]).uuid
    assert counts(result, "community") == {a: (4, 2), b: (3, 2), "unknown": (1, 1)}
    assert counts(result, "place_community") == {"platform": (5, 4), a: (2, 2), b: (1, 1)}
    assert counts(result, "sex") == {"F": (5, 3), "M": (3, 2)}
    assert counts(result, "age_group") == {
        "0_11": (1, 1), "12_17": (1, 1), "18_29": (1, 1), "30_59": (3, 1), "60_plus": (1, 1), "unknown": (1, 1),
    }  # fmt: skip
    assert counts(result, "place") == {"inside": (5, 4), "outside": (3, 3)}
    # fixed vocabularies keep their order; the others go by atenciones
    assert [c.key for c in result.breakdowns["age_group"]] == ["0_11", "12_17", "18_29", "30_59", "60_plus", "unknown"]
    assert [c.key for c in result.breakdowns["entity"]] == ["MINSA", "RENIEC", "BN", "DIRESA"]
    labels = {c.key: c.label for c in result.breakdowns["place_community"]}
    assert labels == {"platform": "En la plataforma (tambo)", a: "Jiscullaya", b: "Ccopamaya"}
    assert (result.goal_attentions, result.goal_users) == (None, None)


def test_a_person_with_only_voided_attentions_is_no_usuario(admin_session, march):
    AttentionService(admin_session).void(march["nelly_flu"], "no vino")
    result = IndicatorService(admin_session).month(2025, 3)
    assert (result.attentions, result.users) == (7, 4)
    assert counts(result, "age_group")["unknown"] == (0, 0)


def test_anonymised_and_opposed_people_still_count(admin_session, march):
    service = IndicatorService(admin_session)
    before = service.month(2025, 3).as_dict()
    people = PersonService(admin_session)
    people.anonymize(march["hilaria"])
    people.set_opposition(march["rosa"], True)
    assert service.month(2025, 3).as_dict() == before


def test_goals_of_the_tambo_and_of_entities(admin_session, march):
    goals = GoalService(admin_session)
    goals.set(GoalForm("2025-03", "10", "6"))
    goals.set(GoalForm("2025-03", "5", "4", "minsa"))
    goals.set(GoalForm("2025-03", "3", "2", "MIDIS"))  # an entity with a goal and no atención yet
    goals.set(GoalForm("2025-03", "12", "6"))  # replaces the tambo's goal
    goals.set(GoalForm("2025-04", "20", "9"))
    with pytest.raises(ValidationError) as info:
        goals.set(GoalForm("2025-13", "x", "7"))
    assert {e.field for e in info.value.errors} == {"month", "attentions"}
    with pytest.raises(ValidationError) as info:
        goals.set(GoalForm("2025-03", "5", "6"))
    assert info.value.for_field("users")
    result = IndicatorService(admin_session).month(2025, 3)
    assert (result.goal_attentions, result.goal_users) == (12, 6)
    entity = {c.key: (c.attentions, c.users, c.goal_attentions, c.goal_users) for c in result.breakdowns["entity"]}
    assert entity == {
        "MINSA": (4, 3, 5, 4), "RENIEC": (2, 2, None, None), "BN": (1, 1, None, None),
        "DIRESA": (1, 1, None, None), "MIDIS": (0, 0, 3, 2),
    }  # fmt: skip
    year = IndicatorService(admin_session).year(2025)
    assert (year.goal_attentions, year.goal_users) == (32, 15)
    assert [(g.month, g.entity_code) for g in goals.list(2025)] == [(3, ""), (3, "MINSA"), (3, "MIDIS"), (4, "")]


def test_year_indicators(admin_session, march):
    result = IndicatorService(admin_session).year(2025)
    assert (result.period, result.attentions, result.users) == ("2025", 10, 5)  # Rosa in April, Hilaria in February
    months = {c.key: (c.attentions, c.users) for c in result.breakdowns["month"]}
    assert len(months) == 12
    assert (months["2025-02"], months["2025-03"], months["2025-04"], months["2025-05"]) == (
        (1, 1),
        (8, 5),
        (1, 1),
        (0, 0),
    )
    assert counts(result, "entity") == {"MINSA": (4, 3), "RENIEC": (3, 2), "BN": (2, 1), "DIRESA": (1, 1)}


def test_age_group_edges_at_the_date_of_the_attention(admin_session):
    """Each person is served the day before and on the birthday that moves them to the next group."""
    people, desk = PersonService(admin_session), AttentionService(admin_session)
    service = [sid(FLU)]
    births = {12: "2012-06-15", 18: "2006-06-15", 30: "1994-06-15", 60: "1964-06-15"}
    for edge, birth in births.items():
        person = people.save(PersonForm("", "", f"Persona{'x' * (edge // 10)}", "Edad", "", "F", birth))
        desk.record(person, service, "inside", attended_at=dt.datetime(2024, 6, 14, 16, 0))
        desk.record(person, service, "inside", attended_at=dt.datetime(2024, 6, 15, 8, 0))
    leap = people.save(PersonForm("", "", "Bisiesto", "Edad", "", "M", "2004-02-29"))
    desk.record(leap, service, "inside", attended_at=dt.datetime(2022, 2, 28, 12, 0))  # 17
    desk.record(leap, service, "inside", attended_at=dt.datetime(2022, 3, 1, 12, 0))  # 18
    june = IndicatorService(admin_session).month(2024, 6)
    assert counts(june, "age_group") == {
        "0_11": (1, 1), "12_17": (2, 2), "18_29": (2, 2), "30_59": (2, 2), "60_plus": (1, 1), "unknown": (0, 0),
    }  # fmt: skip
    assert counts(IndicatorService(admin_session).month(2022, 2), "age_group")["12_17"] == (1, 1)
    assert counts(IndicatorService(admin_session).month(2022, 3), "age_group")["18_29"] == (1, 1)
    # the list filter, the SQL rule and the Python rule agree row by row
    for group in ("0_11", "12_17", "18_29", "30_59", "60_plus"):
        rows = desk.list(AttentionFilter(age_group=group), limit=100).rows
        assert rows and all(age_group(people.get(r.person_id).birth_date, r.attended_at.date()) == group for r in rows)


def _cli(home: Path, db_url: str, *args: str) -> subprocess.CompletedProcess:
    """Signed in as the tests' administrator (``--user admin``, its password on standard input)."""
    args, stdin = signed(args, "", "admin", ADMIN_PASSWORD)  # type: ignore[assignment]
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", TAMBO_LANG="es", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tambo_desktop", "--home", str(home), "--db", db_url, *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_cli_prints_the_same_numbers(admin_session, march, db_url, tmp_path):
    GoalService(admin_session).set(GoalForm("2025-03", "12", "6"))
    expected = IndicatorService(admin_session).month(2025, 3).as_dict()
    result = _cli(tmp_path / "cli", db_url, "indicators", "--month", "2025-03", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))
    assert list(json.loads(result.stdout)) == ["attentions", "breakdowns", "from", "goals", "period", "to", "users"]

    text = _cli(tmp_path / "cli", db_url, "indicators", "--month", "2025-03")
    assert text.returncode == 0, text.stderr
    assert "Atenciones: 8 (meta 12)" in text.stdout and "Usuarios: 5 (meta 6)" in text.stdout
    assert "Ccopamaya: 3 atenciones, 2 usuarios" in text.stdout

    year = _cli(tmp_path / "cli", db_url, "indicators", "--year", "2025", "--json")
    assert year.returncode == 0, year.stderr
    assert json.loads(year.stdout) == json.loads(json.dumps(IndicatorService(admin_session).year(2025).as_dict()))

    bad = _cli(tmp_path / "cli", db_url, "indicators", "--month", "2025-3x")
    assert bad.returncode == 2 and "AAAA-MM" in bad.stderr
