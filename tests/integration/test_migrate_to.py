"""``migrate-to``: a tambo's SQLite database copied to an empty PostgreSQL database on a real server,
every table and value, the audit chain verified there; refused (and nothing written) when the target
is not empty; the CLI prints what to do next."""

from __future__ import annotations

import datetime as dt
import sqlite3

import peewee as pw
import pytest

from tambo_desktop import paths
from tambo_desktop.db.connection import close_database, open_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import ALL_MODELS, Attention, Person
from tambo_desktop.db.transfer import TransferFailed
from tambo_desktop.demo.build import create_demo
from tambo_desktop.services import audit
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.servers import ServerService
from tambo_desktop.services.session import system_session


@pytest.fixture
def demo_tambo(home):
    prepare(paths.default_database_url())
    create_demo("small", seed=7, until=dt.datetime(2026, 6, 30, 12))
    yield paths.database_file()
    close_database()


def _sqlite_counts(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            m._meta.table_name: conn.execute(f'SELECT COUNT(*) FROM "{m._meta.table_name}"').fetchone()[0]
            for m in ALL_MODELS
        }
    finally:
        conn.close()


def test_the_whole_tambo_arrives_on_the_server_and_verifies(demo_tambo, postgres_url):
    before = _sqlite_counts(demo_tambo)
    month = IndicatorService(system_session()).month(2026, 5)
    last_person = Person.select().order_by(Person.id.desc()).get()
    result = ServerService(system_session()).migrate_to(postgres_url)
    assert result.report.matches and result.chain_ok
    assert result.report.source["attention"] == before["attention"] > 1000
    assert result.chain_entries == before["audit_entry"]  # every line of the trail, verified on the server

    db = open_database(postgres_url)
    try:
        assert isinstance(db, pw.PostgresqlDatabase)
        assert audit.verify_chain().ok  # with the "import" line written on the server
        copied = Person.get_by_id(last_person.id)
        assert (copied.uuid, copied.first_names, copied.birth_date, copied.anonymized) == (
            last_person.uuid,
            last_person.first_names,
            last_person.birth_date,
            last_person.anonymized,
        )
        assert Attention.select().where(Attention.voided == True).count() == before_voided(demo_tambo)  # noqa: E712
        assert IndicatorService(system_session()).month(2026, 5) == month  # the same numbers on the server
        # the id sequences continue after the copied keys: a new record gets a fresh id
        fresh = Person.create(
            uuid="00000000-0000-4000-8000-00000000abcd",
            tambo_code="X",
            created_by="t",
            updated_by="t",
            first_names="Nueva",
            last_name_1="Persona",
            name_key="persona nueva",
            document_type="none",
            sex="F",
        )
        assert fresh.id > last_person.id
    finally:
        close_database()


def before_voided(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM attention WHERE voided = 1").fetchone()[0]
    finally:
        conn.close()


def test_a_target_that_is_not_empty_is_refused_and_left_alone(demo_tambo, postgres_url):
    other = pw.PostgresqlDatabase(None)
    other.init(postgres_url.rsplit("/", 1)[1], **_params(postgres_url))
    other.execute_sql("CREATE TABLE notes (id serial primary key, text varchar(20))")
    other.execute_sql("INSERT INTO notes (text) VALUES ('ours')")
    other.close()
    with pytest.raises(TransferFailed, match="no está vacía"):
        ServerService(system_session()).migrate_to(postgres_url)
    check = pw.PostgresqlDatabase(None)
    check.init(postgres_url.rsplit("/", 1)[1], **_params(postgres_url))
    assert check.get_tables() == ["notes"]
    check.close()


def _params(url: str) -> dict:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return {"host": parsed.hostname, "port": parsed.port, "user": parsed.username or "postgres"}


def test_the_cli_says_what_to_do_next(demo_tambo, postgres_url, capsys):
    from tests.cli_signin import main_as

    close_database()
    assert main_as(["migrate-to", postgres_url]) == 0
    out = capsys.readouterr().out
    assert "attention" in out and "--db" in out
