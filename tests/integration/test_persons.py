"""PersonService: participantes registered, found, flagged as duplicates, merged, anonymised."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tambo_desktop.db.models import Attention, AuditEntry, Person, Service
from tambo_desktop.errors import NotFound, TamboError, ValidationError
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.persons import PersonForm, PersonService

TODAY = dt.date(2025, 3, 31)


@pytest.fixture
def persons(admin_session) -> PersonService:
    return PersonService(admin_session)


@pytest.fixture
def jiscullaya(admin_session) -> int:
    return CommunityService(admin_session).save(CommunityForm(name="Jiscullaya", district="210102", kind="anexo"))


def rosa(**changes) -> PersonForm:
    values = dict(
        document_type="DNI",
        document_number="01234567",
        first_names="Rosa",
        last_name_1="Quispe",
        last_name_2="Mamani",
        sex="mujer",
        birth_date="15/03/1980",
        first_language="aimara",
        phone="951 423 870",
    )
    return PersonForm(**{**values, **changes})


def _service_ids(*codes: str) -> list[int]:
    return [Service.get(Service.code == code).id for code in codes]


def test_save_keeps_the_dni_as_text_with_its_leading_zero(persons, jiscullaya):
    person_id = persons.save(rosa(community=str(jiscullaya)), today=TODAY)
    row = persons.get(person_id)
    assert (row.document_type, row.document_number) == ("dni", "01234567")
    assert (row.first_names, row.last_name_1, row.last_name_2, row.full_name) == (
        "Rosa",
        "Quispe",
        "Mamani",
        "Rosa Quispe Mamani",
    )
    assert (row.sex, row.birth_date, row.first_language, row.phone) == ("F", dt.date(1980, 3, 15), "ay", "951423870")
    assert (row.community_id, row.community_name) == (jiscullaya, "Jiscullaya")
    assert row.age(dt.date(2025, 3, 14)) == 44 and row.age(dt.date(2025, 3, 15)) == 45
    stored = Person.get_by_id(person_id)
    assert stored.document_number == "01234567" and stored.tambo_code == "TB-210102" and len(stored.uuid) == 36


def test_dni_check_digit_is_verified_and_not_stored(persons):
    with pytest.raises(ValidationError) as info:
        persons.save(rosa(document_number="01234567-9"), today=TODAY)
    assert info.value.for_field("document_number")[0].startswith("El dígito de verificación «9»")
    assert Person.select().count() == 0
    person_id = persons.save(rosa(document_number="01234567-0"), today=TODAY)
    assert Person.get_by_id(person_id).document_number == "01234567"
    assert persons.find_by_document("dni", "01234567D").id == person_id
    assert persons.find_by_document("dni", "01234567").id == person_id
    assert persons.find_by_document("dni", "11234567") is None
    with pytest.raises(ValidationError):
        persons.find_by_document("dni", "1234567")


def test_one_person_per_document(persons):
    persons.save(rosa(), today=TODAY)
    with pytest.raises(ValidationError) as info:
        persons.save(rosa(first_names="Rosalía"), today=TODAY)
    assert "Rosa Quispe Mamani" in info.value.for_field("document_number")[0]
    # the same number under another document type, and people without documents, are fine
    persons.save(rosa(document_type="ce", document_number="01234567"), today=TODAY)
    persons.save(rosa(document_type="none", document_number="", first_names="Ana"), today=TODAY)
    persons.save(rosa(document_type="none", document_number="", first_names="Eva"), today=TODAY)
    assert Person.select().count() == 4


def test_every_bad_field_is_named(persons):
    form = PersonForm(
        document_type="dni",
        document_number="0123456",
        first_names="",
        last_name_1="Quispe2",
        sex="x",
        birth_date="2025-04-01",
        community="Ninguna Parte",
        first_language="latín",
        phone="12ab",
    )
    with pytest.raises(ValidationError) as info:
        persons.save(form, today=TODAY)
    fields = {e.field: e.message for e in info.value.errors}
    assert set(fields) == {
        "document_number", "first_names", "last_name_1", "sex", "birth_date", "community", "first_language", "phone",
    }  # fmt: skip
    assert fields["document_number"] == "El DNI tiene 8 dígitos; se escribieron 7."
    assert fields["first_names"] == "Escriba los nombres."
    assert fields["last_name_1"] == "Solo lleva letras, espacios, apóstrofos y guiones."
    assert fields["birth_date"] == "La fecha de nacimiento no puede ser posterior a hoy."
    assert fields["community"] == "Centro poblado desconocido: «Ninguna Parte»."
    with pytest.raises(ValidationError) as info:
        persons.save(rosa(birth_date="31/12/1899"), today=TODAY)
    assert info.value.for_field("birth_date") == ["La fecha de nacimiento no puede ser anterior a 1900."]
    with pytest.raises(ValidationError) as info:
        persons.save(rosa(birth_date="30/02/1980"), today=TODAY)
    assert "DD/MM/AAAA" in info.value.for_field("birth_date")[0]
    assert Person.select().count() == 0


def test_search_ignores_accents_case_and_order(persons):
    first = persons.save(rosa(first_names="María Úrsula", last_name_1="Ñahui"), today=TODAY)
    second = persons.save(
        rosa(document_number="45678912", first_names="Julián", last_name_1="Apaza", last_name_2="Chambilla"),
        today=TODAY,
    )
    assert [r.id for r in persons.search("ursula NAHUI")] == [first]
    assert [r.id for r in persons.search("julian")] == [second]
    assert [r.id for r in persons.search("4567")] == [second]  # the start of a document number
    assert [r.id for r in persons.search("")] == [second, first]  # surnames first: Apaza, Ñahui
    assert persons.search("pedro") == []


def test_possible_duplicates(persons, jiscullaya):
    same_birth = persons.save(rosa(document_type="none", document_number=""), today=TODAY)
    same_place = persons.save(
        rosa(
            document_type="none",
            document_number="",
            first_names="Roza",
            last_name_2="",
            birth_date="",
            community=str(jiscullaya),
        ),
        today=TODAY,
    )
    persons.save(
        rosa(document_number="45678912", first_names="Lucía", last_name_1="Apaza", last_name_2=""), today=TODAY
    )
    persons.save(
        rosa(document_type="none", document_number="", first_names="Rosa", birth_date="16/03/1980"), today=TODAY
    )

    # a typo in the name with the same birth date; a missing second surname in the same community
    typed = rosa(document_number="", document_type="", first_names="Roza", community=str(jiscullaya))
    found = persons.possible_duplicates(typed)
    assert {d.person.id for d in found} == {same_birth, same_place}
    by_id = {d.person.id: d for d in found}
    assert by_id[same_birth].same_birth_date and not by_id[same_birth].same_community
    assert by_id[same_place].same_community and not by_id[same_place].same_birth_date
    assert all(d.score >= 88 for d in found)
    # a different name on the same day is not a duplicate; nor is the person being edited
    assert (
        persons.possible_duplicates(
            rosa(document_type="", document_number="", first_names="Pedro", last_name_1="Condori")
        )
        == []
    )
    assert [
        d.person.id
        for d in persons.possible_duplicates(rosa(document_type="", document_number="", community=""), same_birth)
    ] == []
    # the same document is always reported, first
    doc = persons.save(
        rosa(document_number="70000001", first_names="Elena", last_name_1="Ticona", birth_date=""), today=TODAY
    )
    found = persons.possible_duplicates(PersonForm("dni", "70000001", "Otro", "Nombre", sex="F"))
    assert [(d.person.id, d.same_document) for d in found] == [(doc, True)]


def test_merge_moves_attentions_fills_blanks_and_is_audited(admin_session, persons, jiscullaya):
    keep = persons.save(rosa(birth_date="", phone=""), today=TODAY)
    remove = persons.save(
        rosa(
            document_type="none",
            document_number="",
            first_names="Roza",
            community=str(jiscullaya),
            notes="vino con su hija",
        ),
        today=TODAY,
    )
    attentions = AttentionService(admin_session)
    services = _service_ids("reniec_dni_renewal", "minsa_vaccination_influenza")
    attentions.record(keep, services[:1], "inside", attended_at=dt.datetime(2025, 3, 3, 9))
    moved_ids = attentions.record(remove, services, "inside", attended_at=dt.datetime(2025, 3, 4, 9))
    assert IndicatorService(admin_session).month(2025, 3).users == 2
    audit_before = AuditEntry.select().count()

    assert persons.merge(keep, remove) == 2

    assert Person.get_or_none(Person.id == remove) is None
    assert {a.person_id for a in Attention.select()} == {keep}
    kept = persons.get(keep)
    assert kept.birth_date == dt.date(1980, 3, 15) and kept.community_id == jiscullaya  # filled from the removed one
    assert kept.first_names == "Rosa" and kept.document_number == "01234567"  # the kept values win
    assert kept.notes == "vino con su hija"
    month = IndicatorService(admin_session).month(2025, 3)
    assert (month.attentions, month.users) == (3, 1)
    entries = list(AuditEntry.select().where(AuditEntry.id > audit_before).order_by(AuditEntry.id))
    assert [(e.action, e.entity) for e in entries] == [
        ("update", "attention"), ("update", "attention"), ("delete", "person"), ("update", "person"), ("merge", "person"),
    ]  # fmt: skip
    moved = {e.record_uuid for e in entries[:2]}
    assert moved == {Attention.get_by_id(i).uuid for i in moved_ids}
    assert json.loads(entries[0].changes) == {"person": [remove, keep]}
    assert entries[-1].record_uuid == Person.get_by_id(keep).uuid
    assert "2 atenciones movidas" in entries[-1].summary


def test_merge_refusals(admin_session, persons):
    first = persons.save(rosa(), today=TODAY)
    second = persons.save(rosa(document_number="45678912", first_names="Ana"), today=TODAY)
    with pytest.raises(TamboError):
        persons.merge(first, first)
    with pytest.raises(NotFound):
        persons.merge(first, 999_999)
    persons.anonymize(second)
    with pytest.raises(TamboError):
        persons.merge(first, second)
    assert Person.select().count() == 2


def test_anonymize_keeps_the_counts_and_not_the_identity(admin_session, persons, jiscullaya):
    person_id = persons.save(rosa(community=str(jiscullaya), notes="madre de tres"), today=TODAY)
    AttentionService(admin_session).record(
        person_id, _service_ids("reniec_dni_renewal"), "inside", attended_at=dt.datetime(2025, 3, 3, 9)
    )
    before = IndicatorService(admin_session).month(2025, 3).as_dict()
    persons.anonymize(person_id)
    stored = Person.get_by_id(person_id)
    assert (stored.first_names, stored.last_name_1, stored.last_name_2, stored.phone, stored.notes) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert (stored.document_type, stored.document_number, stored.anonymized) == ("none", None, True)
    assert (stored.sex, stored.birth_date, stored.community_id) == ("F", dt.date(1980, 3, 15), jiscullaya)
    assert persons.get(person_id).full_name == "Persona anonimizada"
    assert persons.search("rosa") == [] and persons.find_by_document("dni", "01234567") is None
    assert IndicatorService(admin_session).month(2025, 3).as_dict() == before
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity) == ("anonymize", "person")
    assert "Rosa" not in entry.changes and "01234567" not in entry.changes and "951423870" not in entry.changes
    with pytest.raises(TamboError):
        persons.save(rosa(), person_id, today=TODAY)


def test_opposition_is_recorded(persons):
    person_id = persons.save(rosa(), today=TODAY)
    persons.set_opposition(person_id, True)
    assert persons.get(person_id).opposition is True
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert json.loads(entry.changes) == {"opposition": [False, True]}
