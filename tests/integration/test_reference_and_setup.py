"""Reference data (ubigeo, entities, services) and the first-run set-up of the tambo."""

from __future__ import annotations

import pytest

from tambo_desktop.db import reference
from tambo_desktop.db.models import Department, District, Entity, Province, Service, Tambo, User
from tambo_desktop.errors import ValidationError
from tambo_desktop.services import setup, ubigeo
from tambo_desktop.services.accounts import AccountForm, authenticate
from tambo_desktop.vocabulary import GOVERNMENT_LEVELS, SECTORS, SERVICE_CATEGORIES

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


def _counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Department, Province, District, Entity, Service))


def test_ubigeo_is_loaded(db):
    assert District.select().count() >= 1800
    assert Department.select().count() == 25
    acora = District.get_by_id("210102")
    assert acora.name == "Acora"
    assert acora.province.name == "Puno"
    assert acora.province.department.name == "Puno"
    assert District.get_by_id("150101").name == "Lima"
    assert all(len(code) == 6 and code.isdigit() for (code,) in District.select(District.code).tuples())
    assert all(len(code) == 2 and code.isdigit() for (code,) in Department.select(Department.code).tuples())


def test_district_search_ignores_accents_and_case(db):
    found = ubigeo.search("acora puno")
    assert "210102" in [d.code for d in found]
    assert ubigeo.get("210102").label == "Acora — Puno, Puno (210102)"
    assert [d.code for d in ubigeo.search("210102")] == ["210102"]


def test_entities_and_services(db):
    codes = {code for (code,) in Entity.select(Entity.code).tuples()}
    assert len(codes) >= 23
    assert {"MINSA", "RENIEC", "BN", "JUNTOS", "PENSION65", "CUNAMAS", "CONTIGO"} <= codes
    assert Service.select().count() >= 40
    for entity in Entity.select():
        assert entity.sector in SECTORS, entity.code
        assert entity.level in GOVERNMENT_LEVELS, entity.code
    for service in Service.select():
        assert service.category in SERVICE_CATEGORIES, service.code
    assert Service.select().join(Entity).where(Entity.code == "RENIEC").count() >= 1


def test_loading_reference_data_twice_is_idempotent(db):
    before = _counts()
    acora_uuid = Entity.get(Entity.code == "MINSA").uuid
    assert reference.load_reference_data(db) is False  # unchanged files: nothing to do
    assert reference.load_reference_data(db, force=True) is True
    assert reference.load_reference_data(db, force=True) is True
    assert _counts() == before
    assert Entity.get(Entity.code == "MINSA").uuid == acora_uuid  # upsert, not delete + insert


# -- set-up -----------------------------------------------------------------------------------------------

GOOD = setup.TamboProfile(name="Tambo Ccopamaya", code="tb-210102", district_code="210102", centro_poblado="Ccopamaya")
ADMIN = AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1", "es")


def test_initialize_creates_the_tambo_and_its_administrator(db):
    assert not setup.is_initialized()
    user = setup.initialize(GOOD, ADMIN)
    assert setup.is_initialized()
    assert (user.username, user.role) == ("admin", "admin")
    tambo = Tambo.get()
    assert tambo.code == "TB-210102"  # codes are written in capitals
    assert tambo.tambo_code == "TB-210102"
    assert tambo.is_demo is False
    assert len(tambo.uuid) == 36
    info = setup.tambo_info()
    assert (info.district_name, info.province_name, info.department_name) == ("Acora", "Puno", "Puno")
    assert authenticate("admin", "clave-segura-1").id == user.id


@SQLITE_ONLY  # pure validation: one engine is enough
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "   "}, "name"),
        ({"code": "tambo #1"}, "code"),
        ({"code": ""}, "code"),
        ({"district_code": "999999"}, "district"),
        ({"district_code": ""}, "district"),
        ({"centro_poblado": ""}, "centro_poblado"),
        ({"altitude_m": "9000"}, "altitude_m"),
        ({"altitude_m": "alto"}, "altitude_m"),
        ({"phone": "llamar"}, "phone"),
        ({"default_language": "en"}, "default_language"),
    ],
)
def test_each_bad_profile_field_is_named(db, change, field):
    profile = setup.TamboProfile(**{**GOOD.__dict__, **change})
    with pytest.raises(ValidationError) as info:
        setup.initialize(profile, ADMIN)
    assert [e.field for e in info.value.errors] == [field]
    assert info.value.for_field(field)[0]  # a message the user can read
    assert Tambo.select().count() == 0 and User.select().count() == 0


def test_every_bad_field_is_reported_at_once(db):
    profile = setup.TamboProfile(
        name="", code="x", district_code="000000", centro_poblado="Ccopamaya", altitude_m="9000"
    )
    admin = AccountForm("admin", "Rosa", "admin", "abc")
    with pytest.raises(ValidationError) as info:
        setup.initialize(profile, admin)
    assert {e.field for e in info.value.errors} == {"name", "code", "district", "altitude_m", "password"}
    assert info.value.for_field("password") == ["La contraseña debe tener al menos 10 caracteres."]
    assert info.value.for_field("altitude_m") == ["La altitud es un número entero de metros entre 0 y 6800."]
    assert Tambo.select().count() == 0


def test_a_second_initialize_is_refused(db):
    setup.initialize(GOOD, ADMIN)
    with pytest.raises(ValidationError, match="ya está configurado"):
        setup.initialize(
            setup.TamboProfile("Otro tambo", "TB-OTRO", "210102", "Otro"),
            AccountForm("otro", "Otra persona", "admin", "otra-clave-1"),
        )
    assert Tambo.select().count() == 1
    assert [u.username for u in User.select()] == ["admin"]


def test_the_administrator_can_edit_the_profile(admin_session):
    setup.update_profile(admin_session, setup.TamboProfile("Tambo Nuevo", "IGNORED", "210101", "Puno", "3827"))
    info = setup.tambo_info()
    assert (info.code, info.name, info.district_code, info.altitude_m) == ("TB-210102", "Tambo Nuevo", "210101", 3827)
