"""From the tambos to the central database (issue 20): three demo tambos (real SQLite files) make
packages into a "USB" folder; the central database (the real PostgreSQL server the tests start)
imports them twice and in different orders; tampered packages are refused with their reason; a
voided atención is voided centrally; a record changed in two places is kept side by side."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.central import indicators as central_indicators
from tambo_desktop.central import keys as central_keys
from tambo_desktop.central import review, schema
from tambo_desktop.central.accounts import CentralSession, create_user
from tambo_desktop.central.importer import import_file
from tambo_desktop.central.models import CentralAttention, CentralPackage, CentralPerson, CentralRecord, NationalPerson
from tambo_desktop.cli import main
from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database, current_database, open_database
from tambo_desktop.db.models import Attention, Person
from tambo_desktop.demo.build import create_demo
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.packages import CentralKeyMissing, PackageRefused, PackageService
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.session import system_session

CODES = ("TB-NORTE", "TB-CENTRO", "TB-SUR")
UNTIL = dt.datetime(2026, 3, 20, 17, 0)
MONTH = (2026, 2)
SHARED_DNI = "41234567"
PASSWORD = "clave-central-1"


@dataclass
class World:
    base: Path
    central_home: Path
    usb: Path
    expected: dict[str, dict[int, tuple[int, int]]] = field(
        default_factory=dict
    )  # code → package n → month (atenciones, usuarios)
    voided: str = ""  # the uuid of the atención TB-NORTE voided after its first package
    edited: str = ""  # the uuid of the person edited on TB-NORTE and on its laptop copy


def _home(folder: Path) -> None:
    os.environ[paths.HOME_ENV] = str(folder)


def _month_totals() -> tuple[int, int]:
    result = IndicatorService(system_session()).month(*MONTH)
    return result.attentions, result.users


@pytest.fixture(scope="module")
def world(tmp_path_factory, sqlite_template) -> World:
    """Three demo tambos, each with two packages in the USB folder (and a laptop copy's conflicting one)."""
    old = os.environ.get(paths.HOME_ENV)
    base = tmp_path_factory.mktemp("central-world")
    w = World(base, base / "central", base / "usb")
    w.usb.mkdir()
    try:
        _home(w.central_home)
        key_text = central_keys.load(create=True).public("PAIS").to_text()
        for code in CODES:
            home = base / code
            home.mkdir()
            _home(home)
            shutil.copyfile(sqlite_template, home / "tambo.db")
            lifecycle.prepare(paths.default_database_url(), daily_backup=False)
            create_demo("small", 1, UNTIL, tambo_code=code)
            session = system_session()
            persons = PersonService(session)
            if code != "TB-SUR":  # the same person registered in two tambos
                persons.save(PersonForm("dni", SHARED_DNI, "Ana", "Quispe", "Mamani", "F", "1980-05-01"))
            packages = PackageService(session)
            with pytest.raises(CentralKeyMissing, match="central-key --set"):
                packages.export(home / "none.tpkg")
            packages.set_central_key(key_text)
            packages.export(w.usb / f"{code}-1.tpkg")
            w.expected[code] = {1: _month_totals()}
            if code == "TB-NORTE":
                start = dt.datetime(*MONTH, 10)
                target = (
                    Attention.select()
                    .where((Attention.voided == False) & (Attention.attended_at >= start))  # noqa: E712
                    .order_by(Attention.id)
                    .first()
                )
                AttentionService(session).void(target.id, "registrada dos veces")
                w.voided = target.uuid
                person = Person.select().where(Person.document_number.is_null(False)).order_by(Person.id).first()
                w.edited = person.uuid
                close_database()
                shutil.copyfile(home / "tambo.db", home / "laptop.db")  # a copy taken to the field after package 1
                lifecycle.prepare(paths.default_database_url(), daily_backup=False)
                person = Person.get(Person.uuid == w.edited)
                person.phone = "951111111"
                with session.write():
                    session.save(person)
            packages.export(w.usb / f"{code}-2.tpkg")
            w.expected[code][2] = _month_totals()
            close_database()
            if code == "TB-NORTE":  # the laptop copy changes the same person otherwise
                lifecycle.prepare(f"sqlite:///{home / 'laptop.db'}", daily_backup=False)
                person = Person.get(Person.uuid == w.edited)
                person.phone = "952222222"
                with session.write():
                    session.save(person)
                laptop = base / "laptop-usb"
                laptop.mkdir()
                PackageService(session).export(laptop / f"{code}-2.tpkg")
                close_database()
    finally:
        close_database()
        if old is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = old
    return w


@pytest.fixture
def central(postgres_server, world, monkeypatch):
    """A new central database on the test server, its keys those the tambos sealed to."""
    monkeypatch.setenv(paths.HOME_ENV, str(world.central_home))
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    db = open_database(url)
    schema.create(db)
    create_user("jefe", PASSWORD, "admin")
    yield CentralSession("jefe", "admin"), url
    close_database()
    postgres_server.drop_database(name)


def _state() -> tuple:
    records = sorted(
        CentralRecord.select(
            CentralRecord.uuid, CentralRecord.version, CentralRecord.digest, CentralRecord.deleted
        ).tuples()
    )
    attentions = sorted(
        CentralAttention.select(CentralAttention.uuid, CentralAttention.version, CentralAttention.voided).tuples()
    )
    return records, attentions


def _national(session) -> dict:
    return central_indicators.month(session, *MONTH).as_dict()


def test_three_tambos_through_a_usb_folder_as_a_new_user_would(postgres_server, world, monkeypatch, capsys):
    monkeypatch.setenv(paths.HOME_ENV, str(world.central_home))
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["--db", url, "central", "init", "--admin-user", "jefe"]) == 0
        assert "jefe" in capsys.readouterr().out
        for round_ in (1, 2):  # the same USB folder twice: the second time nothing changes
            monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
            assert main(["--db", url, "central", "import", "--user", "jefe", str(world.usb)]) == 0
            out = capsys.readouterr().out
            assert len(out.splitlines()) == 6, out
            if round_ == 2:
                assert out.count("nada cambió") == 6, out
        for code in ("TB-NORTE", "TB-SUR"):
            monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
            assert main(["--db", url, "central", "tambos", "--user", "jefe", "--set-unit", code, "UT Puno"]) == 0
        assert capsys.readouterr().out.count("UT Puno") == 3  # the first list shows one, the second two
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["--db", url, "central", "indicators", "--user", "jefe", "--month", "2026-02", "--json"]) == 0
        national = json.loads(capsys.readouterr().out)
        last = {code: world.expected[code][2] for code in CODES}
        assert national["attentions"] == sum(a for a, _u in last.values())
        assert national["users"] == sum(u for _a, u in last.values())
        by_tambo = {row["key"]: (row["attentions"], row["users"]) for row in national["breakdowns"]["tambo"]}
        assert by_tambo == last
        assert sum(r["attentions"] for r in national["breakdowns"]["entity"]) == national["attentions"]
        assert [r["key"] for r in national["breakdowns"]["department"]] == ["21"]  # Puno
        units = {row["key"]: (row["attentions"], row["users"]) for row in national["breakdowns"]["unit"]}
        north, south = last["TB-NORTE"], last["TB-SUR"]
        assert units == {"UT Puno": (north[0] + south[0], north[1] + south[1]), "unknown": last["TB-CENTRO"]}
        monkeypatch.setattr("sys.stdin", io.StringIO("otra-clave-9\n"))
        assert main(["--db", url, "central", "indicators", "--user", "jefe", "--month", "2026-02"]) == 1
        assert "contraseña" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        out_file = world.base / "nacional.csv"
        assert (
            main(["--db", url, "central", "export", "--user", "jefe", "--month", "2026-02", "--out", str(out_file)])
            == 0
        )
        lines = out_file.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("desde,hasta,tambo")
        assert sum(int(line.rsplit(",", 2)[1]) for line in lines[1:]) == national["attentions"]
    finally:
        close_database()
        postgres_server.drop_database(name)


def test_any_order_gives_the_same_database(central, world):
    session, url = central
    files = sorted(world.usb.glob("*.tpkg"))
    for path in files:
        import_file(session, path)
    in_order, national = _state(), _national(session)
    kinds = {k for (k,) in CentralRecord.select(CentralRecord.kind).distinct().tuples()}
    assert {
        "staff_day",
        "staff_leave",
        "person",
        "attention",
    } <= kinds  # the staff days travel too (each tambo's own uuids)
    current_database().execute_sql(
        "TRUNCATE central_record, central_attention, central_person, central_community, central_goal, central_package, "
        "central_audit, central_tambo, central_conflict, central_national_person"
    )
    newest_first = sorted(files, key=lambda p: (p.stem.rsplit("-", 1)[1], p.name), reverse=True)
    for path in newest_first + [files[-1]]:  # and one of them twice
        report = import_file(session, path)
        if path.name == "TB-NORTE-1.tpkg":  # the atención and the person it changed came newer already
            assert report.older == 2
    assert _state() == in_order
    assert _national(session) == national
    # the rollups the national figures sum are what the rule counts on the atenciones now
    assert national == central_indicators.month(session, *MONTH, live=True).as_dict()
    year = central_indicators.year(session, MONTH[0]).as_dict()
    assert year == central_indicators.year(session, MONTH[0], live=True).as_dict()
    assert year["attentions"] > national["attentions"] and len(year["breakdowns"]["month"]) == 12
    assert not review.conflicts(session)


def test_a_voided_atencion_is_voided_centrally(central, world):
    session, _url = central
    import_file(session, world.usb / "TB-NORTE-1.tpkg")
    first = _national(session)
    assert first["attentions"] == world.expected["TB-NORTE"][1][0]
    report = import_file(session, world.usb / "TB-NORTE-2.tpkg")
    assert report.tombstones >= 1 and report.updated >= 2  # the atención and the person
    row = CentralAttention.get(CentralAttention.uuid == world.voided)
    assert row.voided and row.void_reason == "registrada dos veces"
    assert _national(session)["attentions"] == first["attentions"] - 1 == world.expected["TB-NORTE"][2][0]
    # the older package once more: the atención stays voided
    assert import_file(session, world.usb / "TB-NORTE-1.tpkg").already
    assert CentralAttention.get(CentralAttention.uuid == world.voided).voided


def test_a_record_changed_in_two_places_is_listed_for_review(central, world):
    session, _url = central
    for name in ("TB-NORTE-1.tpkg", "TB-NORTE-2.tpkg"):
        import_file(session, world.usb / name)
    report = import_file(session, world.base / "laptop-usb" / "TB-NORTE-2.tpkg")
    assert (report.conflicts, report.forked) == (2, True)  # the person, and the audit trail's second branch
    fork, conflict = review.conflicts(session)  # the trail is judged first
    assert fork.kind == "audit_entry" and fork.fields["record_uuid"][1] == world.edited
    # the reviewer sees the entry the central database had at that place of the trail beside the
    # other branch's (both edits of the same person, from the same entry before them), not nothing
    assert fork.fields["record_uuid"] == [world.edited, world.edited]
    assert fork.fields["id"][0] == fork.fields["id"][1] == fork.version
    assert fork.fields["prev_hash"][0] == fork.fields["prev_hash"][1]
    assert fork.fields["hash"][0] != fork.fields["hash"][1] and None not in fork.fields["hash"]
    assert set(fork.fields) >= {"at", "username", "action", "entity", "changes"}
    assert (conflict.kind, conflict.uuid, conflict.version) == ("person", world.edited, 2)
    assert conflict.fields["phone"] == ["951111111", "952222222"]
    kept = CentralRecord.get(CentralRecord.uuid == world.edited)
    assert json.loads(kept.data)["phone"] == "951111111"  # never silently overwritten


def test_the_same_dni_in_two_tambos_is_linked(central, world):
    session, _url = central
    for code in CODES:
        import_file(session, world.usb / f"{code}-1.tpkg")
    national = NationalPerson.get(NationalPerson.document_number == SHARED_DNI)
    assert sorted(p.tambo_code for p in CentralPerson.select().where(CentralPerson.national == national)) == [
        "TB-CENTRO",
        "TB-NORTE",
    ]


def _rezip(source: Path, target: Path, change) -> None:
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as archive:
        for n, data in members.items():
            archive.writestr(n, data)


def test_tampered_packages_are_refused_with_their_reason(central, world, tmp_path):
    session, _url = central
    good = world.usb / "TB-SUR-1.tpkg"

    def payload(m):
        data = bytearray(m["payload.bin"])
        data[len(data) // 2] ^= 0x01
        m["payload.bin"] = bytes(data)

    def manifest(m):
        text = json.loads(m["manifest.json"])
        text["counts"]["audit"] += 1
        m["manifest.json"] = json.dumps(text).encode()

    cases = {"payload": (payload, "huella SHA-256"), "manifest": (manifest, "firma del paquete no es válida")}
    for name, (change, reason) in cases.items():
        bad = tmp_path / f"{name}.tpkg"
        _rezip(good, bad, change)
        with pytest.raises(PackageRefused, match=reason):
            import_file(session, bad)
    truncated = tmp_path / "cut.tpkg"
    truncated.write_bytes(good.read_bytes()[:5000])
    with pytest.raises(PackageRefused, match="dañado"):
        import_file(session, truncated)
    assert CentralPackage.select().count() == 0 and CentralRecord.select().count() == 0
    import_file(session, good)
    assert CentralPackage.select().count() == 1


def test_since_last_follows_on_and_a_package_can_be_made_again(world, tmp_path, monkeypatch):
    home = world.base / "TB-SUR"
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    lifecycle.prepare(paths.default_database_url(), daily_backup=False)
    service = PackageService(system_session())
    [first, second] = service.history()
    assert (first.id, second.id) == (1, 2)
    assert second.records < first.records / 10  # only what changed since (the packages' own audit lines)
    assert second.audit_from == first.audit_to + 1
    again = service.export(tmp_path / "again.tpkg", again=1)
    assert (again.seq, again.remade, again.records) == (1, True, first.records)
    assert [p.id for p in service.history()] == [1, 2]
    assert (home / "keys" / "package-signing.key").stat().st_mode & 0o777 == 0o600
    close_database()


def test_a_package_signed_by_another_key_is_refused(central, world, tmp_path, monkeypatch):
    session, url = central
    import_file(session, world.usb / "TB-SUR-1.tpkg")
    close_database()
    impostor = tmp_path / "impostor"
    shutil.copytree(world.base / "TB-SUR", impostor, ignore=shutil.ignore_patterns("keys"))
    monkeypatch.setenv(paths.HOME_ENV, str(impostor))
    lifecycle.prepare(paths.default_database_url(), daily_backup=False)
    PackageService(system_session()).export(tmp_path / "fake.tpkg", "all")
    close_database()
    monkeypatch.setenv(paths.HOME_ENV, str(world.central_home))
    open_database(url)
    with pytest.raises(PackageRefused, match="no lo firmó la clave de sus paquetes anteriores"):
        import_file(session, tmp_path / "fake.tpkg")


def test_a_reference_package_updates_a_tambos_catalogue(central, world, tmp_path, monkeypatch):
    from tambo_desktop.central.reference import make
    from tambo_desktop.db.models import MonthlyGoal, Service
    from tambo_desktop.services.packages_reference import import_reference

    session, url = central
    close_database()
    home = tmp_path / "TB-SUR"
    shutil.copytree(world.base / "TB-SUR", home)

    def open_tambo():
        monkeypatch.setenv(paths.HOME_ENV, str(home))
        lifecycle.prepare(paths.default_database_url(), daily_backup=False)
        return system_session()

    open_tambo()
    used = {s for (s,) in Service.select(Service.code).join(Attention).distinct().tuples()}
    unused = sorted({s for (s,) in Service.select(Service.code).tuples()} - used)
    keep, drop, rename = sorted(used)[0], unused[0], sorted(used)[1]
    close_database()
    monkeypatch.setenv(paths.HOME_ENV, str(world.central_home))
    open_database(url)
    services = tmp_path / "services.csv"
    services.write_text(
        "code,entity,name,category,active\n"
        f"{keep},{Service.get(Service.code == keep).entity.code},x,other,0\n"
        f"{drop},{Service.get(Service.code == drop).entity.code},x,other,0\n"
        f"{rename},{Service.get(Service.code == rename).entity.code},Nombre nuevo del servicio,other,1\n"
        "midis_nuevo,MIDIS,Servicio nuevo del MIDIS,social,1\n",
        encoding="utf-8",
    )
    goals = tmp_path / "goals.csv"
    goals.write_text(
        "tambo,year,month,entity,attentions,users\nTB-SUR,2026,4,,900,300\nTB-NORTE,2026,4,,1,1\n", encoding="utf-8"
    )
    made = make(
        session,
        tmp_path / "ref-1.tref",
        services_csv=services,
        goals_csv=goals,
        notices=("Nueva versión del catálogo",),
    )
    assert made.version == 1 and made.goals == 2
    close_database()
    tambo = open_tambo()
    report = import_reference(tambo, tmp_path / "ref-1.tref")
    assert report.services_added == ["midis_nuevo"]
    assert rename in report.services_changed and drop in report.services_deactivated
    assert keep in report.services_kept and Service.get(Service.code == keep).active  # it has atenciones: it stays
    assert Service.get(Service.code == rename).name == "Nombre nuevo del servicio"
    assert not Service.get(Service.code == drop).active and Service.select().where(Service.code == drop).exists()
    goal = MonthlyGoal.get((MonthlyGoal.year == 2026) & (MonthlyGoal.month == 4) & MonthlyGoal.entity.is_null())
    assert (goal.attentions_goal, goal.users_goal) == (900, 300)
    assert report.notices == ["Nueva versión del catálogo"]
    with pytest.raises(PackageRefused, match="versión 1"):
        import_reference(tambo, tmp_path / "ref-1.tref")
    bad = tmp_path / "bad.tref"
    _rezip(
        tmp_path / "ref-1.tref",
        bad,
        lambda m: m.update({"reference.json": m["reference.json"].replace(b'"version": 1', b'"version": 7')}),
    )
    with pytest.raises(PackageRefused, match="firma"):
        import_reference(tambo, bad)
    close_database()


def test_a_read_only_role_for_bi_tools_counts_what_the_rule_counts(central, world, postgres_server):
    import psycopg

    from tambo_desktop.central.readers import VIEW, create_reader

    session, url = central
    for path in sorted(world.usb.glob("*.tpkg")):
        import_file(session, path)
    national = _national(session)
    assert VIEW in create_reader(session, "analistas_test", "clave-lectora-1")
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(
        host=postgres_server.host, port=postgres_server.port, user="analistas_test", dbname=name
    ) as conn:
        rows = dict(conn.execute(
            f"SELECT tambo_code, COUNT(*) FROM {VIEW} WHERE attended_at >= '2026-02-01' AND attended_at < '2026-03-01' GROUP BY 1"
        ).fetchall())  # fmt: skip
        assert rows == {r["key"]: r["attentions"] for r in national["breakdowns"]["tambo"]}
        for statement, error in (("INSERT INTO central_tambo (code) VALUES ('X')", psycopg.errors.ReadOnlySqlTransaction),
                                 ("SELECT * FROM central_user", psycopg.errors.InsufficientPrivilege)):  # fmt: skip
            with pytest.raises(error):
                conn.execute(statement)
            conn.rollback()


def test_a_conflict_is_resolved_from_the_command_line_and_audited(central, world, monkeypatch, capsys):
    """«central conflicts list» shows the conflicts; «resolve ID --keep tambo» puts the record that
    arrived in place (central_record and the typed table), «--keep central» leaves the kept one;
    each resolution is signed in, audited in central_action, and cannot be made twice."""
    from tambo_desktop.central.models import CentralAction, CentralConflict

    session, url = central
    for path in (
        world.usb / "TB-NORTE-1.tpkg",
        world.usb / "TB-NORTE-2.tpkg",
        world.base / "laptop-usb" / "TB-NORTE-2.tpkg",
    ):
        import_file(session, path)
    create_user("ana", "clave-analista-1", "analyst")

    def cli(*args: str, password: str = PASSWORD, user: str = "jefe") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        return main(["--db", url, "central", "conflicts", *args, "--user", user])

    assert cli("list", "--json") == 0
    fork, person = json.loads(capsys.readouterr().out)
    assert (fork["kind"], person["kind"], person["fields"]["phone"]) == (
        "audit_entry",
        "person",
        ["951111111", "952222222"],
    )
    assert (
        cli("resolve", str(person["id"]), "--keep", "tambo", password="clave-analista-1", user="ana") == 1
    )  # analysts read only
    assert "permiso" in capsys.readouterr().err
    assert cli("resolve", str(person["id"]), "--keep", "tambo") == 0
    assert f"Conflicto {person['id']} resuelto" in capsys.readouterr().out
    record = CentralRecord.get(CentralRecord.uuid == world.edited)
    assert json.loads(record.data)["phone"] == "952222222" and record.digest != ""
    laptop = json.loads(CentralConflict.get_by_id(person["id"]).other_data)
    typed = CentralPerson.get(CentralPerson.uuid == world.edited)
    assert (typed.version, typed.first_names) == (laptop["version"], laptop["first_names"])
    assert cli("resolve", str(fork["id"]), "--keep", "central") == 0
    capsys.readouterr()
    assert cli("resolve", str(person["id"]), "--keep", "central") == 1  # only once
    assert "ya fue resuelto por jefe" in capsys.readouterr().err
    assert cli("resolve", "999999", "--keep", "tambo") == 1
    assert cli("list") == 0
    assert "No hay conflictos por revisar." in capsys.readouterr().out
    actions = [
        (a.username, a.action, json.loads(a.details)["keep"]) for a in CentralAction.select().order_by(CentralAction.id)
    ]
    assert actions == [("jefe", "conflict.resolve", "tambo"), ("jefe", "conflict.resolve", "central")]
    details = json.loads(CentralAction.select().order_by(CentralAction.id).first().details)
    assert details["central"]["phone"] == "951111111" and details["tambo"]["phone"] == "952222222"  # both values kept
    assert cli("list", "--all") == 0
    assert capsys.readouterr().out.count("resuelto por jefe") == 2
    assert main(["--db", url, "central", "conflicts"]) == 2  # no account named
    # the national figures still equal the rule counted on the atenciones
    assert _national(session) == central_indicators.month(session, *MONTH, live=True).as_dict()


def test_a_central_database_of_the_first_schema_is_upgraded(central):
    """A central database made before the review (central schema 1) gains its columns and table."""
    from tambo_desktop.central.models import CentralConflict, CentralSchema

    db = current_database()
    for column in ("resolved_by", "resolved_at", "kept"):
        db.execute_sql(f"ALTER TABLE central_conflict DROP COLUMN {column}")
    db.execute_sql("DROP TABLE central_action")
    CentralSchema.delete().execute()
    CentralSchema.create(version=1, name="central")
    assert schema.upgrade(db) == [2]
    assert {"resolved_by", "resolved_at", "kept"} <= {c.name for c in db.get_columns("central_conflict")}
    assert "central_action" in db.get_tables() and list(CentralConflict.select()) == []
    assert schema.upgrade(db) == [] and not schema.create(db)
