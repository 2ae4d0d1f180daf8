"""Generated demo data (``demo --size small|year|large --seed N``): plausible, reproducible, countable.

The small size runs on SQLite and PostgreSQL; the year size (about 3 s here) on both too, with its
indicators checked against counts made by hand from the raw rows. The large size is built by the
benchmarks (tests/benchmarks/large_db.py), not here.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import dates
from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database, current_database
from tambo_desktop.db.models import Attention, AuditEntry, Community, Intervention, MonthlyGoal, Person, Service
from tambo_desktop.demo import build as demo
from tambo_desktop.errors import TamboError
from tambo_desktop.services import health
from tambo_desktop.services.audit import verify_chain
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.person_form import name_key
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.session import system_session
from tests.cli_signin import signed

ROOT = Path(__file__).resolve().parents[2]
UNTIL = dt.datetime(2025, 6, 18, 11, 30)  # a Wednesday: the data runs from 2025-03-01 to now


def _age(birth: dt.date, day: dt.date) -> int:  # written again here, not imported: an independent count
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _group(birth: dt.date | None, day: dt.date) -> str:
    if birth is None:
        return "unknown"
    age = _age(birth, day)
    return "0_11" if age < 12 else "12_17" if age < 18 else "18_29" if age < 30 else "30_59" if age < 60 else "60_plus"


def _rows(model, order, n: int) -> list[tuple]:
    return list(model.select().order_by(order).limit(n).tuples())


def _snapshot() -> dict:
    """The generated data as plain values (ids and uuids included)."""
    return {
        "counts": (Person.select().count(), Attention.select().count(), MonthlyGoal.select().count()),
        "persons": _rows(Person, Person.id, 40),
        "attentions": _rows(Attention, Attention.id, 80),
        "last_attentions": _rows(Attention, Attention.id.desc(), 20),
        "goals": _rows(MonthlyGoal, MonthlyGoal.id, 40),
    }


def test_small_demo_is_alive_and_plausible(db):
    audit_before = AuditEntry.select().count()
    summary = demo.create_demo("small", 1, UNTIL)
    data = summary.data
    assert data is not None and data.loaded
    assert (data.persons, Person.select().count()) == (250, 250)
    assert data.attentions == Attention.select().count()
    assert 1_300 <= data.attentions <= 1_800
    assert data.goals == MonthlyGoal.select().count() > 0

    people = {p.id: p for p in Person.select()}
    attentions = list(Attention.select().order_by(Attention.id))
    # the last three months and this one, up to now
    assert min(a.attended_at for a in attentions).date() >= dt.date(2025, 3, 1)
    assert max(a.attended_at for a in attentions) <= UNTIL
    assert any(a.attended_at.date() == UNTIL.date() for a in attentions), "nobody served today"
    months = collections.Counter((a.attended_at.year, a.attended_at.month) for a in attentions)
    assert set(months) == {(2025, 3), (2025, 4), (2025, 5), (2025, 6)}
    # everyone registered was served, never before being born
    assert {a.person_id for a in attentions} == set(people)
    assert all(
        people[a.person_id].birth_date is None or people[a.person_id].birth_date <= a.attended_at.date()
        for a in attentions
    )
    # working days busier than the weekend; no atención on a public holiday (1 May)
    per_weekday = collections.Counter(a.attended_at.weekday() for a in attentions)
    assert min(per_weekday[d] for d in range(5)) > 2 * per_weekday[5] > 0
    assert per_weekday[6] < per_weekday[5]
    assert not any(a.attended_at.date() == dt.date(2025, 5, 1) for a in attentions)
    # most at the tambo, some outside in a centro poblado
    places = collections.Counter(a.place for a in attentions)
    assert 0.05 < places["outside"] / len(attentions) < 0.35
    assert all((a.place == "outside") == (a.community_id is not None) for a in attentions)
    # a few voided, each with its reason
    voided = [a for a in attentions if a.voided]
    assert len(voided) == data.voided < 0.02 * len(attentions)
    assert all(a.void_reason for a in voided)
    # services by age and sex at the date
    code = {s.id: s.code for s in Service.select()}
    for a in attentions:
        p = people[a.person_id]
        if code[a.service_id] == "bn_pension65_payment":
            assert _age(p.birth_date, a.attended_at.date()) >= 65
        if code[a.service_id] in ("minsa_prenatal_check", "minsa_vaccination_hpv"):
            assert p.sex == "F"
    entities = collections.Counter(a.entity.code for a in attentions)
    assert {"MINSA", "RENIEC", "BN", "SIS"} <= {c for c, _n in entities.most_common(8)}

    # people: names of the altiplano, an age pyramid, documents, languages, residents of the communities
    surnames = collections.Counter(p.last_name_1 for p in people.values() if not p.anonymized)
    assert {"Mamani", "Quispe"} <= {s for s, _n in surnames.most_common(5)}
    assert all(
        p.name_key == name_key(p.first_names, p.last_name_1, p.last_name_2) for p in people.values() if not p.anonymized
    )
    assert sum(p.anonymized for p in people.values()) == 1
    sexes = collections.Counter(p.sex for p in people.values())
    assert set(sexes) == {"F", "M"} and abs(sexes["F"] - sexes["M"]) < 60
    groups = collections.Counter(_group(p.birth_date, UNTIL.date()) for p in people.values())
    assert all(groups[g] >= 10 for g in ("0_11", "12_17", "18_29", "30_59", "60_plus"))
    assert groups["0_11"] > groups["60_plus"] / 2
    dnis = [p.document_number for p in people.values() if p.document_type == "dni"]
    assert all(re.fullmatch(r"[0-9]{8}", d) for d in dnis) and len(set(dnis)) == len(dnis)
    assert 0.85 * len(people) < len(dnis) < len(people)
    assert any(d.startswith("0") for d in dnis)  # leading zeros are real
    undocumented = [p for p in people.values() if p.document_type == "none" and not p.anonymized]
    assert undocumented and all(p.document_number is None for p in undocumented)
    languages = collections.Counter(p.first_language for p in people.values())
    assert languages["ay"] > languages["es"] > 0 and languages["qu"] > 0
    communities = {c.id for c in Community.select()}
    residents = collections.Counter(p.community_id for p in people.values())
    assert set(residents) - {None} <= communities and len(set(residents) - {None}) >= 10

    # goals for the tambo and its main entities, every month
    goals = list(MonthlyGoal.select())
    assert {(g.year, g.month) for g in goals if g.entity_id is None} == set(months)
    assert {g.entity.code for g in goals if g.entity_id} >= {"MINSA", "RENIEC", "BN"}
    assert all(0 < g.users_goal <= g.attentions_goal for g in goals)

    # one audit entry per kind of record, through the chained trail; the database stays healthy
    added = list(AuditEntry.select().where(AuditEntry.id > audit_before).order_by(AuditEntry.id))
    generated = [e for e in added if e.action == "import" and e.entity != "community"]
    assert [(e.action, e.entity) for e in generated] == [
        ("import", "person"),
        ("import", "attention"),
        ("import", "monthly_goal"),
        ("import", "intervention"),
        ("import", "trip"),
        ("import", "staff_day"),
    ]
    # the next campaign goes through the services: its two interventions, then the campaign
    created = [(e.action, e.entity) for e in added if e.action == "create" and e.entity in ("intervention", "campaign")]
    assert created == [("create", "intervention"), ("create", "intervention"), ("create", "campaign")]

    # interventions consistent with the atenciones: campaign and trip days, linked, counted
    interventions = list(Intervention.select())
    linked = Attention.select().where(Attention.intervention_uuid.is_null(False)).count()
    assert len(interventions) >= 3 * len(months) and linked > 0.05 * Attention.select().count()
    uuids = {i.uuid for i in interventions}
    stray = Attention.select().where(
        Attention.intervention_uuid.is_null(False) & Attention.intervention_uuid.not_in(uuids)
    )
    assert stray.count() == 0
    executed = [i for i in interventions if i.status == "executed"]
    assert executed and all(i.ends_at <= dates.now() + dt.timedelta(hours=1) for i in executed)
    assert all(i.status != "executed" for i in interventions if i.starts_at > dates.now())
    assert "250" in generated[0].summary and "small" in generated[0].summary
    assert verify_chain().ok
    assert [c for c in health.run_checks(current_database()) if not c.ok] == []


def test_the_same_seed_gives_the_same_data(make_url):
    snapshots = []
    for seed in (7, 7, 8):
        lifecycle.prepare(make_url(prepared=True))
        demo.create_demo("small", seed, UNTIL)
        snapshots.append(_snapshot())
        close_database()
    first, again, other = snapshots
    assert first == again
    assert first["counts"][0] == other["counts"][0] == 250
    assert first["persons"] != other["persons"] and first["attentions"] != other["attentions"]


def test_loading_again_is_idempotent_and_another_size_is_refused(db):
    first = demo.create_demo("small", 3, UNTIL).data
    before = _snapshot()
    again = demo.create_demo("small", 3, UNTIL).data
    assert (again.loaded, again.persons, again.attentions, again.goals) == (
        False,
        first.persons,
        first.attentions,
        first.goals,
    )
    assert _snapshot() == before
    with pytest.raises(TamboError, match="«small» \\(semilla 3\\)"):
        demo.create_demo("year", 3, UNTIL)
    with pytest.raises(TamboError, match="semilla 3"):
        demo.create_demo("small", 4, UNTIL)
    assert _snapshot() == before
    assert demo.create_demo().data is None  # the tambo alone: nothing generated, nothing refused


def test_people_registered_by_hand_are_never_mixed_with_generated_ones(db):
    demo.create_demo()
    PersonService(system_session()).save(PersonForm("dni", "41234567", "Rosa", "Quispe", "Mamani", "F", "1980-01-01"))
    with pytest.raises(TamboError, match="personas, atenciones o metas"):
        demo.create_demo("small")
    assert Person.select().count() == 1 and Attention.select().count() == 0


def test_a_real_tambo_is_refused(admin_session):
    with pytest.raises(TamboError, match="tambo real"):
        demo.create_demo("small")
    assert Person.select().count() == 0


def _independent_month(year: int, month: int) -> dict:
    """Atenciones and usuarios of a month from the raw rows, counted in Python."""
    start, end = dt.datetime(year, month, 1), dt.datetime(year + month // 12, month % 12 + 1, 1)
    db = current_database()
    mark = db.param
    rows = db.execute_sql(
        f"SELECT a.person_id, a.attended_at, a.place, e.code, p.sex, p.birth_date FROM attention a "
        f"JOIN entity e ON e.id = a.entity_id JOIN person p ON p.id = a.person_id "
        f"WHERE a.voided = {mark} AND a.attended_at >= {mark} AND a.attended_at < {mark}",
        (False, start, end),
    ).fetchall()
    counts: dict = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, set()]))
    for person, at, place, entity, sex, birth in rows:
        at = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)
        birth = birth if isinstance(birth, dt.date) or birth is None else dt.date.fromisoformat(birth)
        for name, key in (
            ("total", ""),
            ("entity", entity),
            ("sex", sex),
            ("place", place),
            ("age_group", _group(birth, at.date())),
        ):
            counts[name][key][0] += 1
            counts[name][key][1].add(person)
    return {name: {k: (n, len(users)) for k, (n, users) in groups.items()} for name, groups in counts.items()}


def test_year_demo_indicators_agree_with_an_independent_count(db, backend):
    summary = demo.create_demo("year", 1, UNTIL).data
    assert summary.persons == 3_000 and 17_000 <= summary.attentions <= 23_000
    months = {(a.attended_at.year, a.attended_at.month) for a in Attention.select(Attention.attended_at)}
    assert len(months) == 13  # June 2024 to June 2025
    service = IndicatorService(system_session())
    for year, month in ((2025, 5), (2024, 12)):
        result = json.loads(json.dumps(service.month(year, month).as_dict()))
        expected = _independent_month(year, month)
        assert (result["attentions"], result["users"]) == expected["total"][""]
        for name in ("entity", "sex", "place", "age_group"):
            got = {c["key"]: (c["attentions"], c["users"]) for c in result["breakdowns"][name] if c["attentions"]}
            assert got == expected[name], name
        assert result["goals"]["attentions"] > 0
    assert verify_chain().ok
    assert [c for c in health.run_checks(current_database()) if not c.ok] == []


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(TAMBO_LANG="es", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(home), *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=300,
    )  # fmt: skip


def test_cli_demo_sizes_check_and_indicators(tmp_path):
    home = tmp_path / "cli"
    result = _cli(home, "demo", "--size", "small", "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert "250 personas" in result.stdout
    again = _cli(home, "demo", "--seed", "5")  # small is the default size
    assert again.returncode == 0 and "ya estaban cargados" in again.stdout
    refused = _cli(home, "demo", "--size", "year", "--seed", "5")
    assert refused.returncode == 1 and "semilla 5" in refused.stderr
    check = _cli(home, "check")
    assert check.returncode == 0 and "FALLA" not in check.stdout, check.stdout
    today = dates.today()
    indicators = _cli(home, "indicators", "--month", f"{today:%Y-%m}", "--json")
    assert indicators.returncode == 0, indicators.stderr
    lifecycle.prepare(f"sqlite:///{home / 'tambo.db'}")
    expected = _independent_month(today.year, today.month)
    got = json.loads(indicators.stdout)
    assert (got["attentions"], got["users"]) == expected.get("total", {}).get("", (0, 0))
    assert {
        c["key"]: (c["attentions"], c["users"]) for c in got["breakdowns"]["entity"] if c["attentions"]
    } == expected.get("entity", {})
    bad = _cli(home, "demo", "--size", "huge")
    assert bad.returncode == 2 and "huge" in bad.stderr
