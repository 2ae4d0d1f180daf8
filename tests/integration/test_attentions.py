"""AttentionService: record in one transaction, void (never delete), list with filters and pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, AuditEntry, Service
from tambo_desktop.errors import NotFound, TamboError, ValidationError
from tambo_desktop.services.attentions import AttentionFilter, AttentionService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.persons import PersonForm, PersonService

MARCH_3 = dt.datetime(2025, 3, 3, 9, 30)


@pytest.fixture
def desk(admin_session) -> AttentionService:
    return AttentionService(admin_session)


@pytest.fixture
def community(admin_session) -> int:
    return CommunityService(admin_session).save(CommunityForm(name="Jiscullaya", district="210102", kind="anexo"))


@pytest.fixture
def rosa(admin_session, community) -> int:
    form = PersonForm("dni", "01234567", "Rosa", "Quispe", "Mamani", "F", "10/05/1990", str(community))
    return PersonService(admin_session).save(form)


def services(*codes: str) -> list[int]:
    return [Service.get(Service.code == code).id for code in codes]


def test_record_one_attention_per_service_each_audited(desk, rosa):
    ids = desk.record(
        rosa, services("reniec_dni_renewal", "minsa_vaccination_influenza"), "inside", attended_at=MARCH_3
    )
    assert len(ids) == 2
    rows = {a.service.code: a for a in Attention.select()}
    assert set(rows) == {"reniec_dni_renewal", "minsa_vaccination_influenza"}
    renewal = rows["reniec_dni_renewal"]
    assert (renewal.entity.code, renewal.place, renewal.community_id, renewal.attended_at) == (
        "RENIEC",
        "inside",
        None,
        MARCH_3,
    )
    assert (renewal.voided, renewal.void_reason, renewal.tambo_code, renewal.created_by) == (
        False,
        "",
        "TB-210102",
        "admin",
    )
    created = AuditEntry.select().where((AuditEntry.entity == "attention") & (AuditEntry.action == "create"))
    assert {e.record_uuid for e in created} == {a.uuid for a in rows.values()}


def test_outside_needs_the_community(desk, rosa, community):
    with pytest.raises(ValidationError) as info:
        desk.record(rosa, services("reniec_dni_renewal"), "outside", attended_at=MARCH_3)
    assert info.value.for_field("community")
    with pytest.raises(ValidationError) as info:
        desk.record(rosa, services("reniec_dni_renewal"), "inside", community, attended_at=MARCH_3)
    assert info.value.for_field("community")
    [attention_id] = desk.record(
        rosa, services("reniec_dni_renewal"), "Fuera de la plataforma", community, attended_at=MARCH_3
    )
    assert Attention.get_by_id(attention_id).community_id == community


def test_a_bad_service_records_nothing(desk, rosa):
    audit_before = AuditEntry.select().count()
    good = services("reniec_dni_renewal", "minsa_vaccination_influenza")
    with pytest.raises(ValidationError) as info:
        desk.record(rosa, [*good, 999_999], "inside", attended_at=MARCH_3)
    assert "999999" in info.value.for_field("services")[0]
    with pytest.raises(ValidationError):
        desk.record(rosa, [good[0], good[0]], "inside", attended_at=MARCH_3)
    with pytest.raises(ValidationError):
        desk.record(rosa, [], "inside", attended_at=MARCH_3)
    Service.update(active=False).where(Service.id == good[1]).execute()
    with pytest.raises(ValidationError):
        desk.record(rosa, good, "inside", attended_at=MARCH_3)
    with pytest.raises(NotFound):
        desk.record(999_999, good[:1], "inside", attended_at=MARCH_3)
    assert Attention.select().count() == 0
    assert AuditEntry.select().count() == audit_before


def test_a_failure_midway_rolls_back_every_attention(desk, rosa, monkeypatch):
    calls = []
    real_save = desk.session.save

    def failing_save(record, summary=""):
        calls.append(record)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        real_save(record, summary)

    monkeypatch.setattr(desk.session, "save", failing_save)
    with pytest.raises(RuntimeError):
        desk.record(rosa, services("reniec_dni_renewal", "minsa_vaccination_influenza"), "inside", attended_at=MARCH_3)
    assert Attention.select().count() == 0
    assert not AuditEntry.select().where(AuditEntry.entity == "attention").exists()


def test_dates_in_range(desk, rosa):
    for when in (dates.now() + dt.timedelta(days=1), dt.datetime(2012, 12, 31, 23, 59)):
        with pytest.raises(ValidationError) as info:
            desk.record(rosa, services("reniec_dni_renewal"), "inside", attended_at=when)
        assert info.value.for_field("attended_at")
    [attention_id] = desk.record(rosa, services("reniec_dni_renewal"), "inside")  # now, by default
    # now at the tambo (America/Lima), whatever the machine's zone
    assert abs(Attention.get_by_id(attention_id).attended_at - dates.now()) < dt.timedelta(minutes=1)


def test_void_needs_a_reason_and_keeps_the_row(desk, rosa):
    [attention_id] = desk.record(rosa, services("reniec_dni_renewal"), "inside", attended_at=MARCH_3)
    with pytest.raises(ValidationError) as info:
        desk.void(attention_id, "   ")
    assert info.value.for_field("reason") == ["Escriba el motivo de la anulación."]
    desk.void(attention_id, "  servicio equivocado ")
    stored = Attention.get_by_id(attention_id)
    assert (stored.voided, stored.void_reason) == (True, "servicio equivocado")
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity, entry.record_uuid) == ("update", "attention", stored.uuid)
    assert json.loads(entry.changes) == {"void_reason": ["", "servicio equivocado"], "voided": [False, True]}
    with pytest.raises(TamboError):
        desk.void(attention_id, "otra vez")
    with pytest.raises(NotFound):
        desk.void(999_999, "no existe")


def test_list_filters_and_keyset_pages(admin_session, desk, rosa, community):
    people = PersonService(admin_session)
    juan = people.save(PersonForm("dni", "45678912", "Juan", "Ñahui", "", "M", "20/03/2015"))
    for day in range(1, 11):
        desk.record(rosa, services("reniec_dni_renewal"), "inside", attended_at=dt.datetime(2025, 3, day, 9))
    desk.record(
        juan, services("minsa_vaccination_influenza"), "outside", community, attended_at=dt.datetime(2025, 3, 5, 9)
    )
    voided = desk.record(juan, services("diresa_tb_screening"), "inside", attended_at=dt.datetime(2025, 3, 6, 9))[0]
    desk.void(voided, "duplicada")
    # pages of 4, newest first, ties on the same minute broken by id
    seen, after = [], None
    while True:
        page = desk.list(AttentionFilter(), limit=4, after=after)
        seen += page.rows
        if page.next is None:
            break
        after = page.next
    assert len(seen) == 12 == desk.count()
    assert [r.attended_at for r in seen] == sorted((r.attended_at for r in seen), reverse=True)
    assert len({r.id for r in seen}) == 12
    same_minute = [r.id for r in seen if r.attended_at == dt.datetime(2025, 3, 5, 9)]
    assert same_minute == sorted(same_minute, reverse=True)

    def ids(**filters) -> set[int]:
        return {r.id for r in desk.list(AttentionFilter(**filters), limit=100).rows}

    juans = {r.id for r in seen if r.person_id == juan}
    assert ids(text="ñahui") == ids(text="NAHUI") == ids(text="4567") == ids(sex="M") == ids(person_id=juan) == juans
    assert ids(age_group="0_11") == juans and ids(age_group="30_59") == {r.id for r in seen if r.person_id == rosa}
    assert len(ids(date_from=dt.date(2025, 3, 3), date_to=dt.date(2025, 3, 4))) == 2
    assert ids(entity_id=Service.get(Service.code == "minsa_vaccination_influenza").entity_id) == ids(
        place_community_id=community
    )
    assert len(ids(service_id=services("reniec_dni_renewal")[0])) == 10
    assert len(ids(community_id=community)) == 10  # Rosa lives there; Juan was only served there
    assert ids(include_voided=False) == {r.id for r in seen} - {voided}
    row = next(r for r in seen if r.id == voided)
    assert (row.voided, row.void_reason, row.person_name, row.age, row.entity_code) == (
        True,
        "duplicada",
        "Juan Ñahui",
        9,
        "DIRESA",
    )
    outside = next(r for r in seen if r.place == "outside")
    assert outside.place_community == "Jiscullaya"
    assert desk.count(AttentionFilter(text="4567", include_voided=False)) == 1


def test_a_community_with_people_or_attentions_is_not_deleted(admin_session, desk, rosa, community):
    communities = CommunityService(admin_session)
    with pytest.raises(TamboError):
        communities.delete(community)  # Rosa lives there
    other = communities.save(CommunityForm(name="Ccopamaya", district="210102", kind="anexo"))
    desk.record(rosa, services("reniec_dni_renewal"), "outside", other, attended_at=MARCH_3)
    with pytest.raises(TamboError):
        communities.delete(other)  # served there
    assert communities.count() == 2
