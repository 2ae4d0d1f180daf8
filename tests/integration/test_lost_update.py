"""No lost update (issue 17, part 1): a record edited on two PCs at once. The second save, made
from a copy read before the first was saved, is refused with who saved it and when and their
values beside its own; nothing of it is written; the user may apply theirs on top, audited so.
Two sessions in one process, and two real processes (SQLite file and the real PostgreSQL server)
held between their version check and their write, so that the race really happens."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing as mp
import time

import pytest

from tambo_desktop.db.connection import close_database, open_database
from tambo_desktop.db.models import AuditEntry, Community, Entity, Intervention, Person
from tambo_desktop.errors import StaleRecord
from tambo_desktop.services import audit
from tambo_desktop.services.accounts import AccountForm, AccountService, to_current
from tambo_desktop.services.communities import CommunityForm, CommunityService, LeaderForm
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonRow, PersonService
from tambo_desktop.services.session import Session

HOLD = 0.6  # seconds each process waits after its version check, before its write


def _form(row: PersonRow, **changes) -> PersonForm:
    form = PersonForm(row.document_type, row.document_number or "", row.first_names, row.last_name_1, row.last_name_2,
                      row.sex, row.birth_date.isoformat() if row.birth_date else "", str(row.community_id or ""),
                      row.first_language, row.phone, row.notes, version=row.version)  # fmt: skip
    return dataclasses.replace(form, **changes)


@pytest.fixture
def two_pcs(admin_session):
    """The desk clerk's and the gestor's sessions, and a person both will edit."""
    accounts = AccountService(admin_session)
    for username, name, role in (("mesa", "Juana Mamani Ccori", "staff"), ("gestor", "Pedro Huanca Apaza", "gestor")):
        accounts.create(AccountForm(username, name, role, "clave-segura-2"))
    from tambo_desktop.db.models import User

    desk, gestor = (
        Session(to_current(User.get(User.username == u)), admin_session.tambo_code) for u in ("mesa", "gestor")
    )
    person_id = PersonService(admin_session).save(
        PersonForm(
            document_type="dni",
            document_number="41223344",
            first_names="Rosa",
            last_name_1="Quispe",
            sex="F",
            phone="951111111",
        )  # fmt: skip
    )
    return desk, gestor, person_id


def test_the_second_save_from_a_stale_copy_is_refused_with_who_when_and_their_values(two_pcs):
    desk, gestor, person_id = two_pcs
    on_desk = PersonService(desk).get(person_id)  # both PCs open the person
    on_gestor = PersonService(gestor).get(person_id)
    PersonService(gestor).save(_form(on_gestor, phone="952222222"), person_id)
    entries = AuditEntry.select().count()

    with pytest.raises(StaleRecord) as refused:
        PersonService(desk).save(_form(on_desk, phone="953333333", last_name_2="Ccori"), person_id)

    message = str(refused.value)
    assert "Pedro Huanca Apaza" in message and "mientras usted lo tenía abierto" in message, message
    assert refused.value.changed_by == "Pedro Huanca Apaza"
    theirs = {d.label: (d.theirs, d.yours) for d in refused.value.differences}
    assert theirs == {"Teléfono": ("952222222", "953333333"), "Segundo apellido": ("—", "Ccori")}, theirs
    assert "Teléfono: «952222222» según Pedro Huanca Apaza; «953333333» según usted." in message
    person = Person.get_by_id(person_id)
    assert (person.phone, person.last_name_2, person.version) == ("952222222", "", 2)  # created 1, the gestor 2
    assert AuditEntry.select().count() == entries  # nothing written, not even the audit line


def test_apply_mine_on_top_saves_and_says_so_in_the_audit(two_pcs):
    desk, gestor, person_id = two_pcs
    on_desk = PersonService(desk).get(person_id)
    PersonService(gestor).save(_form(PersonService(gestor).get(person_id), phone="952222222"), person_id)
    with pytest.raises(StaleRecord) as refused:
        PersonService(desk).save(_form(on_desk, phone="953333333"), person_id)

    mine = _form(on_desk, phone="953333333", version=refused.value.current_version, on_top=True)
    PersonService(desk).save(mine, person_id)

    assert Person.get_by_id(person_id).phone == "953333333"
    last = PersonService(desk).history(person_id)[0]
    assert last.username == "mesa" and "aplicado encima del cambio de Pedro Huanca Apaza" in last.summary, last
    assert last.changes["phone"] == ["952222222", "953333333"]
    assert audit.verify_chain().ok


def test_a_save_from_the_current_copy_goes_through_and_bumps_the_version(two_pcs):
    desk, _gestor, person_id = two_pcs
    row = PersonService(desk).get(person_id)
    PersonService(desk).save(_form(row, phone="954444444"), person_id)
    again = PersonService(desk).get(person_id)
    assert again.version == row.version + 1
    PersonService(desk).save(_form(again, phone="955555555"), person_id)  # the same PC, saving twice
    assert Person.get_by_id(person_id).phone == "955555555"


def test_community_leader_and_intervention_refuse_a_stale_copy(two_pcs, admin_session):
    desk, gestor, _person = two_pcs
    communities = CommunityService(admin_session)
    cid = communities.save(CommunityForm(name="Ccopamaya Alta", district="210102", kind="anexo", population="120"))
    row = communities.get(cid)
    base = CommunityForm(
        name=row.name, district=row.district_code, kind=row.kind, population="120", version=row.version
    )
    CommunityService(gestor).save(dataclasses.replace(base, population="150"), cid)
    with pytest.raises(StaleRecord) as refused:
        CommunityService(desk).save(dataclasses.replace(base, population="130"), cid)
    assert [(d.label, d.theirs, d.yours) for d in refused.value.differences] == [("Población", "150", "130")]
    assert Community.get_by_id(cid).population == 150

    lid = communities.save_leader(cid, LeaderForm(name="Juan Condori", role="teniente_gobernador"))
    leader = communities.leaders(cid)[0]
    lform = LeaderForm(name=leader.name, role=leader.role, version=leader.version)
    CommunityService(gestor).save_leader(cid, dataclasses.replace(lform, phone="951000000"), lid)
    with pytest.raises(StaleRecord, match="Teléfono"):
        CommunityService(desk).save_leader(cid, dataclasses.replace(lform, phone="951999999"), lid)

    service = InterventionService(admin_session)
    minsa = Entity.get(Entity.code == "MINSA").id
    form = InterventionForm(title="Campaña de salud", entity_id=minsa, place="outside", community_id=cid,
                            starts_at=dt.datetime(2026, 3, 3, 9), ends_at=dt.datetime(2026, 3, 3, 13))  # fmt: skip
    iid = service.save(form).ids[0]
    loaded = dataclasses.replace(form, version=service.get(iid).version)
    InterventionService(gestor).save(dataclasses.replace(loaded, expected_participants="40"), iid)
    with pytest.raises(StaleRecord) as refused:
        InterventionService(desk).save(dataclasses.replace(loaded, notes="Traer balanza"), iid)
    labels = {d.label for d in refused.value.differences}
    assert labels == {"Participantes esperados", "Notas"}, labels
    assert Intervention.get_by_id(iid).notes == ""


# -- two real processes ---------------------------------------------------------------------------


def _edit(url: str, username: str, person_id: int, phone: str, barrier, results) -> None:
    from tambo_desktop.db.models import User
    from tambo_desktop.errors import StaleRecord, TamboError
    from tambo_desktop.services import accounts
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.session import Session

    real_stamp = Session.stamp

    def slow_stamp(self, record, created):  # after the version check, before the write
        real_stamp(self, record, created)
        time.sleep(HOLD)

    Session.stamp = slow_stamp  # type: ignore[method-assign]
    open_database(url)
    session = Session(accounts.to_current(User.get(User.username == username)), "TB-210102")
    service = PersonService(session)
    row = service.get(person_id)  # each PC reads the person before either saves
    barrier.wait()
    try:
        service.save(_form(row, phone=phone), person_id)
        results.put(f"saved {phone}")
    except StaleRecord as exc:
        results.put(f"refused {exc.changed_by}")
    except TamboError as exc:
        results.put(f"error: {exc}")
    finally:
        close_database()


def test_two_pcs_saving_the_same_person_at_the_same_moment_lose_nothing(two_pcs, db_url):
    _desk, _gestor, person_id = two_pcs
    close_database()
    context = mp.get_context("spawn")  # fresh interpreters, like two PCs
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_edit, args=(db_url, user, person_id, phone, barrier, results))
               for user, phone in (("mesa", "953333333"), ("gestor", "952222222"))]  # fmt: skip
    for w in workers:
        w.start()
    outcome = sorted(results.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    open_database(db_url)
    saved = [o for o in outcome if o.startswith("saved")]
    refused = [o for o in outcome if o.startswith("refused")]
    assert len(saved) == 1 and len(refused) == 1, outcome
    winner = {"953333333": "Juana Mamani Ccori", "952222222": "Pedro Huanca Apaza"}[saved[0].split()[1]]
    assert refused[0] == f"refused {winner}", outcome  # the loser is told who won
    assert Person.get_by_id(person_id).phone == saved[0].split()[1]
    updates = AuditEntry.select().where((AuditEntry.action == "update") & (AuditEntry.entity == "person")).count()
    assert updates == 1 and audit.verify_chain().ok


@pytest.fixture(autouse=True)
def _spanish(monkeypatch):
    monkeypatch.setenv("TAMBO_LANG", "es")
