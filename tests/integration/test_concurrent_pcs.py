"""Two PCs at the same moment on one database (real processes; SQLite file and the real PostgreSQL
server): the same space booked twice gives one booking and a clash naming it; the same DNI
registered twice gives one person and a clear message. Each process is held between its check and
its write (the window where, without locks, both would pass), so the race really happens."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import time

import pytest

from tambo_desktop.db.connection import close_database, open_database
from tambo_desktop.db.models import Entity, Intervention, Person
from tambo_desktop.services.facilities import FacilityForm, FacilityService
from tambo_desktop.services.person_form import PersonForm

HOLD = 0.6  # seconds each process waits inside its write, after checking


def _book(url: str, space_id: int, entity_id: int, barrier, results) -> None:
    from tambo_desktop.errors import TamboError
    from tambo_desktop.services import interventions
    from tambo_desktop.services.interventions import InterventionForm, InterventionService
    from tambo_desktop.services.session import system_session

    real_check = interventions.InterventionService.check

    def slow_check(self, booking):
        found = real_check(self, booking)
        time.sleep(HOLD)
        return found

    interventions.InterventionService.check = slow_check
    open_database(url)
    form = InterventionForm(title="Campaña", entity_id=entity_id, place="inside", space_id=space_id,
                            starts_at=dt.datetime(2026, 3, 3, 9), ends_at=dt.datetime(2026, 3, 3, 13))  # fmt: skip
    barrier.wait()
    try:
        InterventionService(system_session()).save(form)
        results.put("saved")
    except TamboError as exc:
        results.put(f"refused: {exc}")
    finally:
        close_database()


def _register(url: str, barrier, results) -> None:
    from tambo_desktop.errors import TamboError
    from tambo_desktop.services import persons
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.session import system_session

    real_check = persons.PersonService._check_document

    def slow_check(values, person_id):
        real_check(values, person_id)
        time.sleep(HOLD)

    persons.PersonService._check_document = staticmethod(slow_check)
    open_database(url)
    barrier.wait()
    try:
        PersonService(system_session()).save(
            PersonForm(
                document_type="dni", document_number="40112233", first_names="Rosa", last_name_1="Quispe", sex="F"
            )
        )
        results.put("saved")
    except TamboError as exc:
        results.put(f"refused: {exc}")
    finally:
        close_database()


def _race(target, *args) -> list[str]:
    context = mp.get_context("spawn")  # fresh interpreters, like two PCs
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=target, args=(*args, barrier, results)) for _ in range(2)]
    for w in workers:
        w.start()
    outcome = sorted(results.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    return outcome


def test_the_same_space_at_the_same_moment_is_booked_once(admin_session, db_url):
    space = FacilityService(admin_session).save_space(FacilityForm("Auditorio", "auditorium", "60"))
    minsa = Entity.get(Entity.code == "MINSA").id
    close_database()
    outcome = _race(_book, db_url, space, minsa)
    open_database(db_url)
    assert outcome[0].startswith("refused") and "Auditorio" in outcome[0] and outcome[1] == "saved", outcome
    assert Intervention.select().where(Intervention.space == space).count() == 1


def test_the_same_dni_at_the_same_moment_gives_one_person(admin_session, db_url):
    close_database()
    outcome = _race(_register, db_url)
    open_database(db_url)
    assert outcome[0].startswith("refused") and "ya está registrado" in outcome[0] and outcome[1] == "saved", outcome
    assert Person.select().where(Person.document_number == "40112233").count() == 1


@pytest.fixture(autouse=True)
def _spanish(monkeypatch):
    monkeypatch.setenv("TAMBO_LANG", "es")
