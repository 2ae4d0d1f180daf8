"""CommunityService: the ámbito de influencia, its leaders, validation and permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tambo_desktop.db.models import Community, Leader
from tambo_desktop.errors import NotFound, PermissionDenied, ValidationError
from tambo_desktop.services.accounts import AccountForm, AccountService, authenticate
from tambo_desktop.services.communities import CommunityFilter, CommunityForm, CommunityService, LeaderForm
from tambo_desktop.services.session import Session

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])

JISCULLAYA = CommunityForm(
    name="  Jiscullaya ",
    district="210102",
    kind="Centro poblado",
    population="1240",
    households="318",
    languages="Aimara; castellano",
    distance_km="8,4",
    travel_minutes="22",
    travel_means="Motocicleta",
    latitude="-16.021437",
    longitude="-69.758912",
    notes="Feria semanal los sábados",
)
CHUQI = CommunityForm(name="Ch’uqi Pampa", district="210102", kind="anexo", travel_means="a_pie")
PUNO = CommunityForm(name="Uros Chulluni", district="210101", kind="comunidad_campesina", languages="ay")


@pytest.fixture
def service(admin_session) -> CommunityService:
    return CommunityService(admin_session)


def _session_for(admin_session: Session, username: str, role: str) -> Session:
    AccountService(admin_session).create(AccountForm(username, f"Cuenta {role}", role, "clave-segura-2"))
    return Session(authenticate(username, "clave-segura-2"), admin_session.tambo_code)


def test_save_and_get(service):
    community_id = service.save(JISCULLAYA)
    row = service.get(community_id)
    assert row.name == "Jiscullaya"
    assert (row.district_code, row.district_name) == ("210102", "Acora")
    assert row.kind == "centro_poblado"
    assert (row.population, row.households) == (1240, 318)
    assert row.languages == ["ay", "es"]
    assert row.distance_km == Decimal("8.4")
    assert row.travel_minutes == 22
    assert row.travel_means == "motocicleta"
    assert row.latitude == Decimal("-16.021437")
    assert row.longitude == Decimal("-69.758912")
    assert row.notes == "Feria semanal los sábados"
    assert row.leader_count == 0


def test_every_record_carries_uuid_tambo_code_and_who(service, admin_session):
    community_id = service.save(JISCULLAYA)
    leader_id = service.save_leader(
        community_id, LeaderForm("Fortunato Mamani Quispe", "alcalde_cp", "951 423 870", "ay")
    )
    for record in (Community.get_by_id(community_id), Leader.get_by_id(leader_id)):
        assert len(record.uuid) == 36
        assert record.tambo_code == admin_session.tambo_code == "TB-210102"
        assert record.created_by == record.updated_by == "admin"
        assert record.created_at is not None and record.updated_at is not None
    uuids = {c.uuid for c in Community.select()} | {leader.uuid for leader in Leader.select()}
    service.save(CHUQI)
    assert len({c.uuid for c in Community.select()} | {leader.uuid for leader in Leader.select()}) == len(uuids) + 1


def test_update_keeps_creator_and_changes_updater(service, admin_session):
    community_id = service.save(JISCULLAYA)
    gestor = _session_for(admin_session, "wilber", "gestor")
    before = Community.get_by_id(community_id)
    CommunityService(gestor).save(CommunityForm(**{**JISCULLAYA.__dict__, "population": "1300"}), community_id)
    after = Community.get_by_id(community_id)
    assert after.population == 1300
    assert (after.uuid, after.created_by, after.updated_by) == (before.uuid, "admin", "wilber")
    assert Community.select().count() == 1


def test_list_and_filters(service):
    jiscullaya = service.save(JISCULLAYA)
    service.save(CHUQI)
    service.save(PUNO)
    service.save_leader(jiscullaya, LeaderForm("Hilaria Condori Ticona", "Presidenta del Vaso de Leche"))
    assert [r.name for r in service.list()] == ["Ch'uqi Pampa", "Jiscullaya", "Uros Chulluni"]
    assert [r.name for r in service.list(CommunityFilter(district="210101"))] == ["Uros Chulluni"]
    assert [r.name for r in service.list(CommunityFilter(kind="anexo"))] == ["Ch'uqi Pampa"]
    assert [r.name for r in service.list(CommunityFilter(travel_means="motocicleta"))] == ["Jiscullaya"]
    assert [r.name for r in service.list(CommunityFilter(text="CH'UQI"))] == ["Ch'uqi Pampa"]
    assert [r.name for r in service.list(CommunityFilter(text="chʼuqi"))] == ["Ch'uqi Pampa"]
    assert [r.name for r in service.list(CommunityFilter(text="hilaria"))] == ["Jiscullaya"]  # by leader
    assert [r.name for r in service.list(CommunityFilter(text="acora jis"))] == ["Jiscullaya"]
    assert service.list(CommunityFilter(text="nada parecido")) == []
    counts = {r.name: r.leader_count for r in service.list()}
    assert counts == {"Ch'uqi Pampa": 0, "Jiscullaya": 1, "Uros Chulluni": 0}


def test_leaders_save_list_update_delete(service):
    community_id = service.save(JISCULLAYA)
    first = service.save_leader(community_id, LeaderForm("Julián Apaza Chambilla", "Teniente gobernador", "", "aimara"))
    service.save_leader(community_id, LeaderForm("Fortunato Mamani Quispe", "alcalde_cp", "(051) 951-423", "ay"))
    leaders = service.leaders(community_id)
    assert [(x.name, x.role, x.language) for x in leaders] == [
        ("Fortunato Mamani Quispe", "alcalde_cp", "ay"),
        ("Julián Apaza Chambilla", "teniente_gobernador", "ay"),
    ]
    assert leaders[0].phone == "051951423"
    service.save_leader(community_id, LeaderForm("Julián Apaza Chambilla", "juez_de_paz"), first)
    assert Leader.get_by_id(first).role == "juez_de_paz"
    service.delete_leader(first)
    assert [x.name for x in service.leaders(community_id)] == ["Fortunato Mamani Quispe"]
    with pytest.raises(NotFound):
        service.delete_leader(first)
    with pytest.raises(ValidationError) as info:
        service.save_leader(community_id, LeaderForm("", "rey", "12ab", "latín"))
    assert {e.field for e in info.value.errors} == {"name", "role", "phone", "language"}
    with pytest.raises(NotFound):
        service.save_leader(999_999, LeaderForm("Nadie", "apu"))


def test_delete_removes_the_community_and_its_leaders(service):
    community_id = service.save(JISCULLAYA)
    service.save_leader(community_id, LeaderForm("Fortunato Mamani Quispe", "alcalde_cp"))
    other = service.save(CHUQI)
    service.delete(community_id)
    assert [c.id for c in Community.select()] == [other]
    assert Leader.select().count() == 0
    with pytest.raises(NotFound):
        service.get(community_id)
    with pytest.raises(NotFound):
        service.delete(community_id)


def test_duplicate_name_in_the_same_district_is_refused(service):
    service.save(JISCULLAYA)
    for name in ("Jiscullaya", "JISCULLAYA", " jiscullaya  "):
        with pytest.raises(ValidationError) as info:
            service.save(CommunityForm(name=name, district="210102", kind="anexo"))
        assert info.value.for_field("name") == ["Ya existe un centro poblado con ese nombre en ese distrito."]
    # the same name in another district is another place
    service.save(CommunityForm(name="Jiscullaya", district="210101", kind="anexo"))
    assert Community.select().count() == 2


def test_renaming_onto_another_community_is_refused(service):
    service.save(JISCULLAYA)
    chuqi = service.save(CHUQI)
    with pytest.raises(ValidationError):
        service.save(CommunityForm(name="Jiscullaya", district="210102", kind="anexo"), chuqi)
    service.save(CommunityForm(name="Ch'uqi Pampa", district="210102", kind="caserio"), chuqi)  # itself: fine
    assert Community.get_by_id(chuqi).kind == "caserio"


@SQLITE_ONLY  # pure validation: one engine is enough
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"households": "2000"}, "households", "No puede haber más hogares que habitantes."),
        ({"longitude": ""}, "longitude", "Escriba la latitud y la longitud, o ninguna."),
        ({"latitude": ""}, "latitude", "Escriba la latitud y la longitud, o ninguna."),
        ({"latitude": "12.5"}, "latitude", None),
        ({"longitude": "-60"}, "longitude", None),
        ({"name": ""}, "name", "Escriba el nombre del centro poblado."),
        ({"name": "x" * 121}, "name", None),
        ({"district": "999999"}, "district", "«999999» no es un ubigeo de distrito del Perú."),
        ({"district": "21010"}, "district", None),
        ({"kind": ""}, "kind", "Elija el tipo de centro poblado."),
        ({"kind": "ciudad"}, "kind", "Tipo desconocido: «ciudad»."),
        ({"population": "-1"}, "population", None),
        ({"population": "mil"}, "population", None),
        ({"languages": "ay; klingon"}, "languages", "Lengua desconocida: «klingon»."),
        ({"distance_km": "8,4,2"}, "distance_km", None),
        ({"distance_km": "NaN"}, "distance_km", None),
        ({"travel_minutes": "99999"}, "travel_minutes", None),
        ({"travel_means": "avión"}, "travel_means", "Medio de transporte desconocido: «avión»."),
        ({"notes": "n" * 2001}, "notes", None),
    ],
)
def test_bad_community_fields_are_refused(service, change, field, message):
    with pytest.raises(ValidationError) as info:
        service.save(CommunityForm(**{**JISCULLAYA.__dict__, **change}))
    assert [e.field for e in info.value.errors] == [field]
    if message:
        assert info.value.for_field(field) == [message]
    assert Community.select().count() == 0


def test_supervisor_reads_but_cannot_write(service, admin_session):
    community_id = service.save(JISCULLAYA)
    supervisor = CommunityService(_session_for(admin_session, "javier", "supervisor"))
    assert [r.name for r in supervisor.list()] == ["Jiscullaya"]
    assert supervisor.get(community_id).name == "Jiscullaya"
    with pytest.raises(PermissionDenied):
        supervisor.save(CHUQI)
    with pytest.raises(PermissionDenied):
        supervisor.save(CHUQI, community_id)
    with pytest.raises(PermissionDenied):
        supervisor.delete(community_id)
    with pytest.raises(PermissionDenied):
        supervisor.save_leader(community_id, LeaderForm("Nadie", "apu"))
    assert Community.select().count() == 1


def test_staff_edits_but_cannot_delete(service, admin_session):
    community_id = service.save(JISCULLAYA)
    staff = CommunityService(_session_for(admin_session, "nelly", "staff"))
    staff.save(CHUQI)
    with pytest.raises(PermissionDenied):
        staff.delete(community_id)
    assert Community.select().count() == 2
