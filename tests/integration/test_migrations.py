"""Schema migrations and durability settings, on SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import sqlite3

import pytest

from tambo_desktop import paths
from tambo_desktop.db import lifecycle, migrations
from tambo_desktop.db.connection import (
    BUSY_TIMEOUT_MS,
    close_database,
    describe,
    open_database,
    sqlite_settings,
)
from tambo_desktop.db.models import ALL_MODELS, District, Tambo, User, utcnow
from tambo_desktop.errors import DatabaseError


def _columns(db, model) -> set[str]:
    return {c.name for c in db.get_columns(model._meta.table_name)}


def test_fresh_database_reaches_the_latest_version(db):
    assert migrations.current_version(db) == migrations.LATEST_VERSION
    assert migrations.pending(db) == []
    versions = [v for (v,) in db.execute_sql("SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert versions == [m.version for m in migrations.MIGRATIONS]


def test_prepare_migrates_an_empty_database(empty_url):
    db = lifecycle.prepare(empty_url)
    assert migrations.current_version(db) == migrations.LATEST_VERSION
    assert District.select().count() > 1800
    for model in ALL_MODELS:
        assert _columns(db, model) == {f.column_name for f in model._meta.sorted_fields}, model.__name__


def test_frozen_migrations_build_exactly_the_models(db):
    """Every table the migrations made has the columns of its model in models.py, no more, no less."""
    tables = set(db.get_tables())
    for model in ALL_MODELS:
        assert model._meta.table_name in tables, model.__name__
        expected = {f.column_name for f in model._meta.sorted_fields}
        assert _columns(db, model) == expected, model.__name__
    for model in ALL_MODELS:  # and peewee can read every table through its model
        list(model.select().limit(1))


def test_unique_community_name_per_district_is_in_the_schema(db):
    indexes = {tuple(i.columns): i.unique for i in db.get_indexes("community")}
    assert indexes.get(("name_key", "district_id")) is True


def test_attention_desk_indexes_are_in_the_schema(db):
    """The atenciones list and indicators stay fast on 500 000 rows: their columns are indexed."""
    attention = {tuple(i.columns): i.unique for i in db.get_indexes("attention")}
    for columns in (("attended_at", "id"), ("person_id",), ("service_id",), ("entity_id",), ("community_id",)):
        assert attention.get(columns) is False, columns
    person = {tuple(i.columns): i.unique for i in db.get_indexes("person")}
    assert person.get(("document_type", "document_number")) is True
    assert person.get(("name_key",)) is False and person.get(("document_number",)) is False
    goal = {tuple(i.columns): i.unique for i in db.get_indexes("monthly_goal")}
    assert goal.get(("year", "month", "entity_id")) is True


def test_preparing_twice_changes_nothing(db_url, db):
    before = migrations.current_version(db)
    close_database()
    db = lifecycle.prepare(db_url)
    assert migrations.current_version(db) == before
    assert migrations.migrate(db) == []


def _insert(db, table: str, row: dict) -> None:
    columns = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join([db.param] * len(row))
    db.execute_sql(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(row.values()))


def test_upgrade_from_version_1_keeps_the_data(empty_url, backend, home):
    """A database made by the first release (schema v1) is migrated in place, after a backup."""
    db = open_database(empty_url)
    assert migrations.migrate(db, target=1) == [1]
    assert migrations.current_version(db) == 1
    assert "community" not in db.get_tables()
    assert "language" not in {c.name for c in db.get_columns("user")}
    now = utcnow()
    business = {
        "tambo_code": "TB-OLD",
        "created_at": now,
        "created_by": "rosa",
        "updated_at": now,
        "updated_by": "rosa",
    }
    with db.atomic():
        _insert(db, "department", {"code": "21", "name": "PUNO (v1)"})
        _insert(db, "province", {"code": "2101", "name": "Puno", "department_id": "21"})
        _insert(db, "district", {"code": "210102", "name": "ACORA (v1)", "province_id": "2101", "search_key": "acora"})
        _insert(
            db,
            "tambo",
            {
                "uuid": "6f1c1d6e-0000-4000-8000-000000000001",
                **business,
                "code": "TB-OLD",
                "name": "Tambo de antes",
                "district_id": "210102",
                "centro_poblado": "Jiscullaya",
                "altitude_m": 3850,
                "address": "",
                "phone": "",
                "default_language": "ay",
                "is_demo": False,
            },
        )
        _insert(
            db,
            "user",
            {
                "uuid": "6f1c1d6e-0000-4000-8000-000000000002",
                **business,
                "username": "rosa",
                "full_name": "Rosa Quispe Mamani",
                "role": "admin",
                "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$old$hash",
                "active": True,
                "failed_logins": 2,
            },
        )
    close_database()

    db = lifecycle.prepare(empty_url)
    assert migrations.current_version(db) == migrations.LATEST_VERSION
    rosa = User.get(User.username == "rosa")
    assert rosa.language == "es"  # the column added by the upgrade takes its default
    assert (rosa.full_name, rosa.role, rosa.failed_logins, rosa.uuid) == (
        "Rosa Quispe Mamani",
        "admin",
        2,
        "6f1c1d6e-0000-4000-8000-000000000002",
    )
    tambo = Tambo.get()
    assert (tambo.code, tambo.name, tambo.altitude_m, tambo.default_language) == (
        "TB-OLD",
        "Tambo de antes",
        3850,
        "ay",
    )
    assert District.get_by_id("210102").name == "Acora"  # reference data refreshed
    assert District.select().count() > 1800
    for model in ALL_MODELS:
        assert _columns(db, model) == {f.column_name for f in model._meta.sorted_fields}, model.__name__

    backups = sorted(paths.backups_dir().glob("*pre-migration*.db"))
    if backend == "sqlite":
        assert len(backups) == 1
        copy = sqlite3.connect(backups[0])
        try:
            assert copy.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
            assert copy.execute('SELECT username FROM "user"').fetchall() == [("rosa",)]
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            copy.close()
    else:
        assert backups == []


def test_fresh_database_needs_no_backup(db_url):
    assert list(paths.backups_dir().glob("*pre-migration*")) == []


def test_sqlite_settings_are_read_back(home, tmp_path):
    db = lifecycle.prepare(f"sqlite:///{tmp_path / 'tambo.db'}")
    settings = sqlite_settings(db)
    assert str(settings["journal_mode"]).lower() == "wal"
    assert settings["synchronous"] == 2
    assert settings["foreign_keys"] == 1
    assert settings["busy_timeout"] >= 5000
    assert BUSY_TIMEOUT_MS >= 5000
    assert (tmp_path / "tambo.db-wal").exists()
    # a second, independent connection sees the same persistent journal mode
    other = sqlite3.connect(tmp_path / "tambo.db")
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_sqlite_foreign_keys_are_enforced(home, tmp_path):
    import peewee

    db = lifecycle.prepare(f"sqlite:///{tmp_path / 'tambo.db'}")
    with pytest.raises(peewee.IntegrityError), db.atomic():
        db.execute_sql("INSERT INTO province (code, name, department_id) VALUES ('9999', 'Nada', '99')")


@pytest.mark.parametrize("url", ["mysql://x", "oracle://scott@tiger/db", "sqlite://relative.db"])
def test_unsupported_urls_are_refused(url):
    with pytest.raises(DatabaseError):
        open_database(url, bind=False)


def test_describe_never_shows_a_password():
    info = describe("postgresql://tambo:s3cr3t@192.168.1.10:5433/tambo")
    assert info.engine == "postgresql"
    assert info.location == "192.168.1.10:5433/tambo"
    assert "s3cr3t" not in info.location


def test_upgrade_from_version_5_adds_the_place_index(empty_url, backend, home):
    """v6 indexes the atenciones by place and date (the list filtered by centro poblado)."""
    db = open_database(empty_url)
    assert migrations.migrate(db, target=5) == [1, 2, 3, 4, 5]
    assert ("community_id", "attended_at", "id") not in {tuple(i.columns) for i in db.get_indexes("attention")}
    close_database()
    db = lifecycle.prepare(empty_url)
    assert migrations.current_version(db) == migrations.LATEST_VERSION >= 6
    indexes = {tuple(i.columns): i.unique for i in db.get_indexes("attention")}
    assert indexes.get(("community_id", "attended_at", "id")) is False
    assert indexes.get(("attended_at", "id")) is False


def test_upgrade_to_version_19_writes_the_languages_by_their_iso_639_3_codes(empty_url, backend, home):
    """v19: the four Amazonian languages kept by name become their ISO 639-3 codes, in every record."""
    from tambo_desktop.db.models import Community, Leader, Person

    db = open_database(empty_url)
    migrations.migrate(db, target=17)
    from tambo_desktop.db.models import Department, Province

    Department.create(code="16", name="Loreto")
    Province.create(code="1601", name="Maynas", department="16")
    District.create(code="160101", name="Iquitos", province="1601", search_key="iquitos")
    kept = Community.create(name="Nuevo Sucre", name_key="nuevo sucre", district="160101", kind="comunidad_nativa",
                            languages="shipibo;es", tambo_code="T1", created_by="admin", updated_by="admin")  # fmt: skip
    Community.create(name="Puerto Arica", name_key="puerto arica", district="160101", kind="comunidad_nativa",
                     languages="qu;kukama;awajun", tambo_code="T1", created_by="admin", updated_by="admin")  # fmt: skip
    # a leader's language is VARCHAR(5): PostgreSQL never took the old names (the new codes fit)
    Leader.create(
        community=kept,
        name="Apu",
        name_key="apu",
        role="apu",
        language="ashaninka" if backend == "sqlite" else "cni",
        tambo_code="T1",
        created_by="admin",
        updated_by="admin",
    )
    Person.create(first_names="Rosa", last_name_1="Pérez", name_key="perez rosa", sex="F", first_language="shipibo",
                  tambo_code="T1", created_by="admin", updated_by="admin")  # fmt: skip
    close_database()
    db = lifecycle.prepare(empty_url)
    assert migrations.current_version(db) == migrations.LATEST_VERSION >= 19
    assert [c.languages for c in Community.select().order_by(Community.name)] == ["shp;es", "qu;cod;agr"]
    assert Leader.get().language == "cni" and Person.get().first_language == "shp"
