"""DeskService where it lives, on SQLite and on PostgreSQL: a new person and their atenciones in one
transaction (all or nothing), corrected and voided with a reason, never deleted."""

from __future__ import annotations

import datetime as dt

import peewee as pw
import pytest

from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Attention, AuditEntry, Person, Service
from tambo_desktop.errors import PermissionDenied, TamboError, ValidationError
from tambo_desktop.services.desk import DeskEntry, DeskService
from tambo_desktop.services.persons import PersonForm

MARCH_3 = dt.datetime(2025, 3, 3, 9, 30)
THREE = ("reniec_dni_renewal", "minsa_vaccination_influenza", "sis_update")


def services(*codes: str) -> list[int]:
    return [Service.get(Service.code == code).id for code in codes]


def new_person_entry(codes=THREE) -> DeskEntry:
    form = PersonForm("dni", "41234567", "Juana", "Condori", "Apaza", "F", "12/08/1961")
    return DeskEntry(None, form, services(*codes), "inside", attended_at=MARCH_3)


def counts() -> tuple[int, int, int]:
    return Person.select().count(), Attention.select().count(), AuditEntry.select().count()


@pytest.fixture
def desk(admin_session) -> DeskService:
    return DeskService(admin_session)


def test_a_new_person_with_three_atenciones(desk):
    before = counts()
    result = desk.register(new_person_entry())
    assert result.created_person and result.person_name == "Juana Condori Apaza"
    person = Person.get_by_id(result.person_id)
    assert (person.document_type, person.document_number) == ("dni", "41234567")
    rows = list(Attention.select().where(Attention.id.in_(result.attention_ids)).order_by(Attention.id))
    assert [a.service.code for a in rows] == list(THREE)
    assert {(a.person_id, a.attended_at, a.place, a.voided) for a in rows} == {(person.id, MARCH_3, "inside", False)}
    assert len(result.service_names) == 3 and all(result.service_names)
    # one person, three atenciones, and an audit row for each of the four records
    assert counts() == (before[0] + 1, before[1] + 3, before[2] + 4)
    created = AuditEntry.select().where(AuditEntry.action == "create").order_by(AuditEntry.id.desc()).limit(4)
    assert sorted(e.record_uuid for e in created) == sorted([person.uuid, *(a.uuid for a in rows)])


def _fail_on_insert_of(service_id: int) -> None:
    """A real database error on inserting one service's atención (a trigger), on either engine."""
    db = current_database()
    if isinstance(db, pw.SqliteDatabase):
        db.execute_sql(
            "CREATE TRIGGER third_fails BEFORE INSERT ON attention "
            f"WHEN NEW.service_id = {int(service_id)} BEGIN SELECT RAISE(ABORT, 'the third atención fails'); END"
        )
    else:
        db.execute_sql(
            "CREATE FUNCTION third_fails() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.service_id = {int(service_id)} THEN RAISE EXCEPTION 'the third atención fails'; END IF; "
            "RETURN NEW; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER third_fails BEFORE INSERT ON attention FOR EACH ROW EXECUTE FUNCTION third_fails()"
        )


def test_a_failure_in_the_third_atencion_leaves_nothing(desk, backend):
    entry = new_person_entry()
    _fail_on_insert_of(entry.service_ids[2])
    before = counts()
    with pytest.raises(Exception, match="the third atención fails"):
        desk.register(entry)
    # no person, no atención and no audit row: the person and the first two atenciones were rolled back
    assert counts() == before
    assert not Person.select().where(Person.document_number == "41234567").exists()
    # and the desk works again for the same entry once the cause is gone
    current_database().execute_sql("DROP TRIGGER third_fails" + ("" if backend == "sqlite" else " ON attention"))
    result = desk.register(entry)
    assert result.created_person and len(result.attention_ids) == 3


def test_correct_voids_the_entry_with_the_reason_and_records_the_new_one(desk):
    first = desk.register(new_person_entry())
    entry = DeskEntry(
        first.person_id, None, services("reniec_dni_renewal", "bn_account_opening"), "inside", attended_at=MARCH_3
    )
    before = counts()
    second = desk.correct(first, entry, "eligió el servicio equivocado")
    assert not second.created_person and second.person_id == first.person_id
    old = list(Attention.select().where(Attention.id.in_(first.attention_ids)))
    assert len(old) == 3  # still there, voided, with the reason
    assert {(a.voided, a.void_reason) for a in old} == {(True, "eligió el servicio equivocado")}
    new = list(Attention.select().where(Attention.id.in_(second.attention_ids)).order_by(Attention.id))
    assert [a.service.code for a in new] == ["reniec_dni_renewal", "bn_account_opening"]
    assert not any(a.voided for a in new)
    # no new person; two new atenciones; three "update" (void) rows and two "create" rows in the audit trail
    assert counts() == (before[0], before[1] + 2, before[2] + 5)
    voids = AuditEntry.select().where((AuditEntry.action == "update") & (AuditEntry.entity == "attention"))
    assert {e.record_uuid for e in voids} == {a.uuid for a in old}
    assert all("eligió el servicio equivocado" in e.summary for e in voids)


def test_correct_needs_a_reason_and_changes_nothing_without_one(desk):
    first = desk.register(new_person_entry())
    before = counts()
    entry = DeskEntry(first.person_id, None, services("bn_account_opening"), "inside", attended_at=MARCH_3)
    with pytest.raises(ValidationError) as info:
        desk.correct(first, entry, "   ")
    assert info.value.for_field("reason")
    assert counts() == before
    assert not Attention.select().where(Attention.voided == True).exists()  # noqa: E712


def test_a_failure_while_correcting_keeps_the_old_entry(desk, backend):
    first = desk.register(new_person_entry())
    entry = DeskEntry(
        first.person_id, None, services("reniec_dni_renewal", "bn_account_opening"), "inside", attended_at=MARCH_3
    )
    _fail_on_insert_of(entry.service_ids[1])
    before = counts()
    with pytest.raises(Exception, match="the third atención fails"):
        desk.correct(first, entry, "eligió el servicio equivocado")
    assert counts() == before  # the voids of the old atenciones were rolled back with the failed insert
    assert not Attention.select().where(Attention.voided == True).exists()  # noqa: E712


def test_void_marks_every_atencion_with_the_reason_and_deletes_nothing(desk):
    result = desk.register(new_person_entry())
    before = counts()
    desk.void(result, "la persona se fue sin ser atendida")
    rows = list(Attention.select().where(Attention.id.in_(result.attention_ids)))
    assert len(rows) == 3
    assert {(a.voided, a.void_reason) for a in rows} == {(True, "la persona se fue sin ser atendida")}
    assert counts() == (before[0], before[1], before[2] + 3)  # nothing deleted; one audit row per void
    assert Person.get_by_id(result.person_id).first_names == "Juana"  # the person stays
    assert not AuditEntry.select().where(AuditEntry.action == "delete").exists()


def test_void_needs_a_reason_and_voids_only_once(desk):
    result = desk.register(new_person_entry())
    before = counts()
    with pytest.raises(ValidationError) as info:
        desk.void(result, "")
    assert info.value.for_field("reason")
    assert counts() == before and not Attention.select().where(Attention.voided == True).exists()  # noqa: E712
    desk.void(result, "duplicada")
    with pytest.raises(TamboError, match="ya estaba anulada"):
        desk.void(result, "otra vez")
    assert {a.void_reason for a in Attention.select().where(Attention.id.in_(result.attention_ids))} == {"duplicada"}


def test_a_clerk_without_the_permission_to_void_cannot(admin_session, desk):
    from tambo_desktop.services.accounts import AccountForm, AccountService, authenticate
    from tambo_desktop.services.session import Session

    AccountService(admin_session).create(AccountForm("lucia", "Lucía Mamani", "supervisor", "clave-segura-2", "es"))
    result = desk.register(new_person_entry())
    reader = DeskService(Session(authenticate("lucia", "clave-segura-2"), admin_session.tambo_code))
    before = counts()
    with pytest.raises(PermissionDenied):
        reader.void(result, "no debería poder")
    with pytest.raises(PermissionDenied):
        reader.register(
            DeskEntry(result.person_id, None, services("bn_account_opening"), "inside", attended_at=MARCH_3)
        )
    assert counts() == before
    assert len(reader.service_choices()) == len(desk.service_choices())  # reading the choices is allowed


def test_the_refresh_of_the_choices_reads_only_the_period_on_sqlite(desk, backend):
    """The choices' counts use the index on attended_at; before, SQLite scanned every atención in
    service order (2.3 s on the large demo after every save; see tests/benchmarks/bench_desk.py)."""
    if backend != "sqlite":
        pytest.skip("the query plan checked is SQLite's; PostgreSQL plans with its own statistics")
    desk.register(new_person_entry())
    db = current_database()
    seen: list[str] = []
    db.connection().set_trace_callback(seen.append)
    try:
        choices = desk.service_choices(dt.date(2025, 3, 3))
    finally:
        db.connection().set_trace_callback(None)
    assert {c.id: c.used_today for c in choices if c.used_today} == {i: 1 for i in services(*THREE)}
    counting = [sql for sql in seen if sql.lstrip().upper().startswith("SELECT") and "COUNT" in sql.upper()]
    assert len(counting) == 2
    for sql in counting:
        plan = " | ".join(row[3] for row in db.connection().execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN" not in plan and "attended_at" in plan, plan
