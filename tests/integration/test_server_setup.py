"""The scripted server set-up (installer/postgres/setup-server.sh) on the real PostgreSQL server: an
owner role for the schema, an application role that is no superuser and may only add to the audit
trail; the demo tambo moved there with migrate-to as the owner; every PC working as the app role."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest

from tambo_desktop import paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.demo.build import create_demo
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.servers import ServerService
from tambo_desktop.services.session import system_session

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "postgres" / "setup-server.sh"


def _setup(server, step: str, db: str, owner: str, app: str) -> None:
    from tests.conftest import _pg_bin_dir

    env = {**os.environ, "PSQL": str(_pg_bin_dir() / "psql"), "PGHOST": server.host, "PGPORT": str(server.port),
           "PGUSER": server.user, "TAMBO_OWNER_PASSWORD": "clave-del-dueño", "TAMBO_APP_PASSWORD": "clave-de-la-app"}  # fmt: skip
    subprocess.run(["bash", str(SCRIPT), step, db, owner, app], env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture
def server_tambo(home, postgres_server):
    suffix = uuid.uuid4().hex[:8]
    db, owner, app = f"tambo_{suffix}", f"owner_{suffix}", f"app_{suffix}"
    _setup(postgres_server, "create", db, owner, app)
    yield postgres_server, db, owner, app
    close_database()
    with postgres_server.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{app}"')
        conn.execute(f'DROP ROLE IF EXISTS "{owner}"')


def _as(server, role: str, db: str):
    return psycopg.connect(host=server.host, port=server.port, user=role, dbname=db, autocommit=True)


def test_the_app_role_works_and_can_only_add_to_the_audit_trail(server_tambo):
    server, db, owner, app = server_tambo
    prepare(paths.default_database_url())
    create_demo("small", seed=3, until=dt.datetime(2026, 6, 30, 12))
    result = ServerService(system_session()).migrate_to(f"postgresql://{owner}@{server.host}:{server.port}/{db}")
    assert result.report.matches and result.chain_ok
    close_database()
    _setup(server, "grant", db, owner, app)

    prepare(f"postgresql://{app}@{server.host}:{server.port}/{db}")  # what each PC does at start
    person_id = PersonService(system_session()).save(
        PersonForm(document_type="dni", document_number="40998877", first_names="Rosa", last_name_1="Quispe", sex="F")
    )
    assert person_id > 0
    close_database()

    with _as(server, app, db) as conn:
        assert conn.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False, False, False)
        assert conn.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0] > 0
        for statement in ("UPDATE audit_entry SET summary = 'x'", "DELETE FROM audit_entry", "TRUNCATE audit_entry",
                          "CREATE TABLE other (id int)", "DROP TABLE person", "DELETE FROM schema_version"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with _as(server, owner, db) as conn:  # the owner keeps the schema's rights (migrations)
        conn.execute("CREATE TABLE owner_check (id int)")
        conn.execute("DROP TABLE owner_check")


def test_another_role_of_the_server_cannot_even_connect(server_tambo):
    server, db, _owner, _app = server_tambo
    with server.admin() as conn:
        conn.execute("CREATE ROLE stranger_role LOGIN")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            _as(server, "stranger_role", db)
    finally:
        with server.admin() as conn:
            conn.execute("DROP ROLE stranger_role")
