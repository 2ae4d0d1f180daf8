"""Issue 15.4, its last part: changes made to the people's rows behind the application's back (with
plain sqlite3 on the file, as someone holding only the file would) are seen by ``check``, which names
the table and how many rows, never their values; and ``check`` compares the live audit chain with
the head and count each backup's manifest recorded. Real SQLite files, the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db import backups, migrations, seals
from tambo_desktop.db.connection import close_database, current_database, open_database
from tambo_desktop.db.models import AuditEntry, Community, Leader, Person, Service, User
from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.errors import AuthenticationError
from tambo_desktop.services import audit
from tambo_desktop.services.accounts import authenticate
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.backups import BackupService
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.health import run_checks
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tests.cli_signin import signed
from tests.integration.sessions import admin_session as _session

ROOT = Path(__file__).resolve().parents[2]
DNI = "41726354"
SURNAME = "Huamancondori"


def _raw(*statements: tuple[str, tuple]) -> None:
    """Changes made with plain sqlite3 on the file (no TEMP triggers, no key), then the file opened again."""
    close_database()
    conn = sqlite3.connect(paths.database_file())
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()
    open_database(paths.default_database_url())


def _checks() -> dict:
    return {c.name: c for c in run_checks(current_database())}


def _people() -> list[int]:
    persons = PersonService(_session())
    first = persons.save(PersonForm("dni", DNI, "Juana Rosa", SURNAME, "Mamani", sex="F", phone="951234567"))
    second = persons.save(PersonForm("dni", "41726355", "Pedro", "Quispe", sex="M", birth_date="1980-02-03"))
    services = [s.id for s in Service.select().order_by(Service.id).limit(2)]
    AttentionService(_session()).record(first, services, "inside")
    return [first, second]


def _cli(home: Path, *args: str, password: str = "") -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    stdin = password + "\n" + stdin if password else stdin
    env = {**os.environ, "TAMBO_LANG": "es", "QT_QPA_PLATFORM": "offscreen"}
    env.pop(paths.HOME_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(home), *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT,
    )  # fmt: skip


# -- the seals ------------------------------------------------------------------------------------


def test_the_application_s_own_writes_keep_every_seal(home):
    """Every path of the application keeps the seals: a form's save and correction, the desk's
    atenciones and their voiding, a merge, an anonymisation, a sign-in (the account's counters),
    a community deleted with its leaders (a cascade)."""
    first, second = _people()
    persons = PersonService(_session())
    row = persons.get(first)
    persons.save(
        PersonForm("dni", DNI, "Juana Rosa", SURNAME, "Mamani", sex="F", phone="951000111", version=row.version), first
    )
    desk = AttentionService(_session())
    ids = desk.record(second, [Service.select().first().id], "inside")
    desk.void(ids[0], "registrada por error")
    persons.merge(first, second)
    persons.anonymize(first)
    with pytest.raises(AuthenticationError):
        authenticate("admin", "no-es-la-clave")  # failed_logins written by an UPDATE of the account
    community = Community.select().join(Leader).first()
    CommunityService(_session()).delete(community.id)
    found = seals.verify(current_database().connection())
    assert found is not None and all(t.ok for t in found), found
    assert {t.table for t in found} == set(seals.TABLES)
    check = _checks()["Datos de personas"]
    assert check.ok, check.detail
    assert Person.select().count() >= 1 and User.select().count() >= 1


def test_a_person_edited_with_sqlite3_fails_check_naming_the_table_not_the_values(home):
    first, _second = _people()
    assert _checks()["Datos de personas"].ok
    _raw(("UPDATE person SET phone = ?, last_name_1 = ? WHERE id = ?", ("999888777", "Falsificado", first)))
    check = _checks()["Datos de personas"]
    assert not check.ok
    assert "person" in check.detail and "1 fila cambiada" in check.detail
    for value in ("999888777", "Falsificado", SURNAME, DNI, "951234567"):
        assert value not in check.detail


def test_check_fails_on_a_changed_row_of_each_table_holding_people_s_data(home):
    _people()
    _raw(
        ("UPDATE attention SET service_id = (SELECT MAX(id) FROM service)", ()),
        ('UPDATE "user" SET role = ? WHERE username = ?', ("admin", "oficina")),
        ("UPDATE leader SET phone = ? WHERE id = (SELECT MIN(id) FROM leader)", ("900000000",)),
    )
    detail = _checks()["Datos de personas"].detail
    assert "attention" in detail and "2 filas cambiadas" in detail
    assert "(user): 1 fila cambiada" in detail
    assert "(leader): 1 fila cambiada" in detail
    assert "(person)" not in detail


def test_a_row_deleted_behind_the_back_is_seen_even_with_its_seal_and_the_count(home):
    first, second = _people()
    _raw(("DELETE FROM person WHERE id = ?", (second,)))
    check = _checks()["Datos de personas"]
    assert not check.ok and "1 fila borrada fuera de la aplicación" in check.detail
    # whoever read db/seals.py deletes the seal too, and lowers the total's count: the keyed sum still disagrees
    _raw(
        ("DELETE FROM person WHERE id = ?", (first,)),
        ("DELETE FROM attention WHERE person_id = ?", (first,)),
        ("DELETE FROM row_seal WHERE tbl = 'person'", ()),
        ("DELETE FROM row_seal WHERE tbl = 'attention'", ()),
        ("UPDATE seal_total SET n = 0 WHERE tbl IN ('person', 'attention')", ()),
    )
    check = _checks()["Datos de personas"]
    assert not check.ok
    assert "(person): su total con clave no coincide" in check.detail
    assert "(attention): su total con clave no coincide" in check.detail
    _raw(("UPDATE seal_total SET n = 2 WHERE tbl = 'person'", ()))  # the count left alone: the rows missing are counted
    assert "(person): faltan 2 filas que su total con clave contaba" in _checks()["Datos de personas"].detail


def test_a_row_inserted_behind_the_back_has_no_seal(home):
    _people()
    _raw(
        (
            "INSERT INTO person (uuid, tambo_code, created_at, created_by, updated_at, updated_by, version, "
            "document_type, document_number, first_names, last_name_1, last_name_2, name_key, sex, first_language, "
            "phone, notes, anonymized, opposition) SELECT uuid || 'x', tambo_code, created_at, created_by, updated_at, "
            "updated_by, 1, 'dni', '40000001', 'Ana', 'Puma', '', 'puma ana', 'F', '', '', '', 0, 0 FROM person LIMIT 1",
            (),
        )
    )
    check = _checks()["Datos de personas"]
    assert not check.ok and "1 fila sin sello (agregada fuera de la aplicación)" in check.detail


def test_the_cli_check_names_the_table(home, tmp_path):
    _people()
    close_database()
    conn = sqlite3.connect(home / "tambo.db")
    conn.execute("UPDATE person SET notes = 'editado a mano' WHERE id = (SELECT MIN(id) FROM person)")
    conn.commit()
    conn.close()
    result = _cli(home, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if "Datos de personas" in line)
    assert line.startswith("[FALLA]") and "(person): 1 fila cambiada" in line and "editado" not in line
    assert "Traceback" not in result.stderr


def test_migration_22_seals_the_rows_already_there(home):
    """A database of before 22 (the seals' tables gone, as at schema 20/21) gets every row sealed."""
    _people()
    _raw(
        ("DROP TABLE row_seal", ()),
        ("DROP TABLE seal_total", ()),
        ("DELETE FROM schema_version WHERE version = 22", ()),
    )
    close_database()
    open_database(paths.default_database_url())  # no seals: the connection has no triggers
    db = current_database()
    assert [m.version for m in migrations.pending(db)] == [22]
    assert _checks()["Datos de personas"].detail == "todavía sin sellos"
    assert migrations.migrate(db) == [22]
    found = {t.table: t for t in seals.verify(db.connection()) or []}
    assert found["person"].rows == Person.select().count() == 2 and all(t.ok for t in found.values())
    PersonService(_session()).save(PersonForm("dni", "41726356", "Luis", "Condori", sex="M"))  # the triggers are on
    assert _checks()["Datos de personas"].ok


def test_migrations_21_and_22_run_in_either_order():
    """Another branch numbers its migration 21: a database made at 22 without 21 gets 21 late."""
    assert 21 in migrations.LATE_MIGRATIONS and 22 in migrations.LATE_MIGRATIONS


# -- the chain against the backups' manifests --------------------------------------------------------


def _work(n: int) -> None:
    for _i in range(n):
        number = 43000000 + Person.select().count()
        PersonService(_session()).save(PersonForm("dni", f"{number:08d}", "Rosa", "Quispe", sex="F"))


def test_a_cut_tail_that_a_backup_recorded_fails_check_even_with_an_old_anchor(home):
    """The data folder's anchor put back from an older copy (so it sees no cut): the backup's manifest still does."""
    _work(2)
    old_anchor = audit.anchor_file().read_bytes()
    kept = AuditEntry.select().order_by(AuditEntry.id.desc()).first().id
    _work(3)
    info = BackupService(_session()).create()
    manifest = backups._read_manifest(info.path)
    assert manifest is not None and manifest["audit_first_hash"] and manifest["audit_max_id"] > kept
    _work(1)
    assert _checks()["Auditoría y copias de seguridad"].ok
    _raw(("DELETE FROM audit_entry WHERE id > ?", (kept,)))
    audit.anchor_file().write_bytes(old_anchor)
    checks = _checks()
    assert checks["Cadena de auditoría"].ok and checks["Final de la auditoría"].ok  # what is left chains
    found = checks["Auditoría y copias de seguridad"]
    assert not found.ok and info.path.name in found.detail and "se cortó su final" in found.detail


def test_backups_made_before_a_restore_and_of_another_chain_are_not_compared(home, tmp_path):
    _work(1)
    service = BackupService(_session())
    older = service.create(now=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=1))
    _work(2)
    service.create()
    _work(1)
    assert _checks()["Auditoría y copias de seguridad"].detail == "coincide con 2 copias de seguridad"
    service.restore(older.path)  # undoes what the newer backup saw: not a cut
    after = _checks()["Auditoría y copias de seguridad"]
    assert after.ok, after.detail
    # a backup of another database's chain copied into the folder is not compared either
    other = tmp_path / "other"
    shutil.copytree(home, other, ignore=shutil.ignore_patterns("backups"))
    close_database()
    conn = sqlite3.connect(other / "tambo.db")
    conn.execute("UPDATE audit_entry SET hash = 'f' || substr(hash, 2) WHERE id = (SELECT MIN(id) FROM audit_entry)")
    conn.commit()
    conn.close()
    stranger = backups.snapshot_sqlite(other / "tambo.db", home / "backups", "manual")
    open_database(paths.default_database_url())
    assert backups._read_manifest(stranger.path)["audit_first_hash"] != AuditEntry.select().first().hash
    assert _checks()["Auditoría y copias de seguridad"].ok


def test_check_and_self_test_agree_on_a_person_edited_behind_the_back(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "demo", "--size", "small").returncode == 0
    conn = sqlite3.connect(home / "tambo.db")
    conn.execute("UPDATE person SET first_names = 'Otro' WHERE id = (SELECT MIN(id) FROM person)")
    conn.commit()
    conn.close()
    check = _cli(home, "check")
    assert check.returncode == 1 and "(person): 1 fila cambiada" in check.stdout
    selftest = _cli(home, "--self-test")
    assert selftest.returncode == 1, selftest.stdout + selftest.stderr
    assert "(person): 1 fila cambiada" in selftest.stderr and "self-test ok" not in selftest.stdout
    assert "Traceback" not in selftest.stderr


def test_a_row_changed_behind_the_back_stays_reported_after_the_application_saves_it(home):
    """The application's next save of a tampered row does not seal it anew (no laundering)."""
    first, _second = _people()
    _raw(("UPDATE person SET phone = ? WHERE id = ?", ("999888777", first)))
    persons = PersonService(_session())
    row = persons.get(first)
    persons.save(
        PersonForm("dni", DNI, "Juana Rosa", SURNAME, "Mamani", sex="F", phone="951000222", version=row.version), first
    )
    check = _checks()["Datos de personas"]
    assert not check.ok and "(person): 1 fila cambiada" in check.detail
    PersonService(_session()).save(PersonForm("dni", "41726357", "Eva", "Mamani", sex="F"))  # others still sealed
    assert "(person): 1 fila cambiada" in _checks()["Datos de personas"].detail


def test_an_administrator_reseals_from_the_cli_and_it_is_audited(home):
    _people()
    close_database()
    conn = sqlite3.connect(home / "tambo.db")
    conn.execute("UPDATE person SET notes = 'revisado' WHERE id = (SELECT MIN(id) FROM person)")
    conn.commit()
    conn.close()
    staff = _cli(
        home, "--user", "oficina", "check", "--reseal", password=DEMO_PASSWORD
    )  # the demo's clerk: refused, nothing sealed
    assert staff.returncode == 1 and "permiso" in staff.stderr
    assert _cli(home, "check").returncode == 1
    result = _cli(home, "--user", "admin", "check", "--reseal", password=DEMO_PASSWORD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Sellados de nuevo" in result.stdout and "[FALLA]" not in result.stdout
    open_database(paths.default_database_url())
    line = AuditEntry.select().where(AuditEntry.entity == "database").order_by(AuditEntry.id.desc()).first()
    assert line.username == "admin" and "(person): 1 fila cambiada" in line.summary
    assert _checks()["Datos de personas"].ok
