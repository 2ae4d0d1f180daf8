"""Interventions on a real database: clashes refused with names, warnings confirmed, series all or
nothing, rescheduling and suspension kept in the history, atenciones linked, plans reviewed."""

from __future__ import annotations

import datetime as dt

import pytest

from tambo_desktop.db.models import AuditEntry, Entity, Intervention, InterventionEvent, Service
from tambo_desktop.errors import PermissionDenied, TamboError, ValidationError
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.booking_rules import Recurrence
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.facilities import FacilityForm, FacilityService
from tambo_desktop.services.interventions import (
    ClashError,
    InterventionFilter,
    InterventionForm,
    InterventionService,
    NeedsConfirmation,
)
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.plans import PlanService
from tambo_desktop.services.session import CurrentUser, Session

D = dt.datetime


def entity(code: str) -> int:
    return Entity.get(Entity.code == code).id


def service(code: str) -> int:
    return Service.get(Service.code == code).id


@pytest.fixture
def place(admin_session):
    """Spaces, resources, a community two hours away and a gestor."""
    facilities = FacilityService(admin_session)
    ids = {
        "auditorio": facilities.save_space(FacilityForm("Auditorio", "auditorium", "60")),
        "consultorio": facilities.save_space(FacilityForm("Consultorio", "consulting", "4")),
        "moto": facilities.save_resource(FacilityForm("Motocicleta Honda", "motorcycle")),
        "proyector": facilities.save_resource(FacilityForm("Proyector", "projector")),
        "jiscullaya": CommunityService(admin_session).save(
            CommunityForm(
                name="Jiscullaya", district="210102", kind="anexo", travel_minutes="120", travel_means="motocicleta"
            )
        ),
        "gestor": AccountService(admin_session).create(
            AccountForm("jmamani", "Juan Mamani", "gestor", "clave-segura-2")
        ),
    }
    return ids


@pytest.fixture
def calendar(admin_session) -> InterventionService:
    return InterventionService(admin_session)


def form(ids, **kw) -> InterventionForm:
    values = dict(
        title="Campaña de vacunación", entity_id=entity("MINSA"), kind="support", place="inside",
        space_id=ids["auditorio"], starts_at=D(2026, 3, 3, 9), ends_at=D(2026, 3, 3, 13),
        gestor_id=ids["gestor"], service_ids=[service("minsa_vaccination_influenza")],
    )  # fmt: skip
    values.update(kw)
    return InterventionForm(**values)


def test_a_hard_clash_is_refused_naming_the_other_booking(calendar, place):
    calendar.save(form(place))
    with pytest.raises(ClashError) as info:
        calendar.save(form(place, title="Entrega de DNI", entity_id=entity("RENIEC"), gestor_id=None,
                           starts_at=D(2026, 3, 3, 12), ends_at=D(2026, 3, 3, 14)))  # fmt: skip
    message = str(info.value)
    assert "Auditorio" in message and "Campaña de vacunación" in message and "MINSA" in message and "09:00" in message
    assert Intervention.select().count() == 1
    # touching the end is free
    calendar.save(form(place, title="Entrega de DNI", entity_id=entity("RENIEC"), gestor_id=None,
                       starts_at=D(2026, 3, 3, 13), ends_at=D(2026, 3, 3, 15)))  # fmt: skip


def test_gestor_and_resource_clash_includes_travel(calendar, place):
    calendar.save(form(place, place="outside", space_id=None, community_id=place["jiscullaya"],
                       resource_ids=[place["moto"]], starts_at=D(2026, 3, 5, 10), ends_at=D(2026, 3, 5, 12)))  # fmt: skip
    with pytest.raises(ClashError) as info:
        calendar.save(form(place, title="Reunión", entity_id=None, kind="coordination", space_id=place["consultorio"],
                           resource_ids=[place["moto"]], starts_at=D(2026, 3, 5, 13), ends_at=D(2026, 3, 5, 14)))  # fmt: skip
    text = str(info.value)
    assert "Juan Mamani" in text and "Motocicleta Honda" in text
    calendar.save(form(place, title="Reunión", entity_id=None, kind="coordination", space_id=place["consultorio"],
                       resource_ids=[place["moto"]], starts_at=D(2026, 3, 5, 14), ends_at=D(2026, 3, 5, 15)))  # fmt: skip


def test_soft_clashes_need_confirmation(calendar, place):
    calendar.save(form(place, place="outside", space_id=None, community_id=place["jiscullaya"], gestor_id=None,
                       starts_at=D(2026, 3, 2, 9), ends_at=D(2026, 3, 2, 12)))  # fmt: skip
    second = form(place, title="Pago Pensión 65", entity_id=entity("BN"), place="outside", space_id=None,
                  community_id=place["jiscullaya"], gestor_id=None, starts_at=D(2026, 3, 6, 9), ends_at=D(2026, 3, 6, 12))  # fmt: skip
    with pytest.raises(NeedsConfirmation) as info:
        calendar.save(second)
    assert "semana" in str(info.value) and "Campaña de vacunación" in str(info.value)
    assert Intervention.select().count() == 1
    result = calendar.save(second, confirm=True)
    assert len(result.ids) == 1 and result.warnings
    crowded = form(place, space_id=place["consultorio"], gestor_id=None, expected_participants="12",
                   starts_at=D(2026, 3, 10, 9), ends_at=D(2026, 3, 10, 10))  # fmt: skip
    with pytest.raises(NeedsConfirmation) as info:
        calendar.save(crowded)
    assert "4" in str(info.value)


def test_recurring_series_all_or_nothing(calendar, place):
    bn = form(place, title="Banco de la Nación: pagos", entity_id=entity("BN"), gestor_id=None,
              space_id=place["consultorio"], starts_at=D(2026, 1, 13, 8), ends_at=D(2026, 1, 13, 14))  # fmt: skip
    # a booking on the fourth occurrence blocks the whole series
    blocker = calendar.save(form(place, space_id=place["consultorio"], gestor_id=None,
                                 starts_at=D(2026, 4, 14, 13), ends_at=D(2026, 4, 14, 15))).ids[0]  # fmt: skip
    with pytest.raises(ClashError) as info:
        calendar.save(bn, recurrence=Recurrence("monthly", dt.date(2026, 6, 30)))
    assert "14/04/2026" in str(info.value)
    assert Intervention.select().count() == 1
    calendar.suspend(blocker, "La posta no tiene vacunas")
    ids = calendar.save(bn, recurrence=Recurrence("monthly", dt.date(2026, 6, 30))).ids
    rows = calendar.list(InterventionFilter(dt.date(2026, 1, 1), dt.date(2026, 6, 30), entity_id=entity("BN")))
    assert [r.starts_at.date() for r in rows] == [dt.date(2026, 1, 13), dt.date(2026, 2, 10), dt.date(2026, 3, 10),
                                                 dt.date(2026, 4, 14), dt.date(2026, 5, 12), dt.date(2026, 6, 9)]  # fmt: skip
    assert len(ids) == 6 and len({r.series_uuid for r in rows}) == 1


def test_reschedule_and_suspend_keep_their_reasons(calendar, place, admin_session):
    [first] = calendar.save(form(place)).ids
    [other] = calendar.save(form(place, title="Taller de cuyes", entity_id=entity("PRODUCE"), gestor_id=None,
                                 starts_at=D(2026, 3, 4, 9), ends_at=D(2026, 3, 4, 12))).ids  # fmt: skip
    with pytest.raises(ValidationError):
        calendar.reschedule(first, D(2026, 3, 5, 9), D(2026, 3, 5, 13), "  ")
    with pytest.raises(ClashError):  # onto the other booking of the auditorium
        calendar.reschedule(first, D(2026, 3, 4, 10), D(2026, 3, 4, 11), "Lluvias")
    calendar.reschedule(first, D(2026, 3, 3, 10), D(2026, 3, 3, 14), "Llegan tarde las vacunas")  # overlaps only itself
    calendar.suspend(other, "El especialista está enfermo")
    with pytest.raises(ValidationError):
        calendar.suspend(first, "")
    with pytest.raises(ValidationError):  # a programmed date moves only by rescheduling
        calendar.save(form(place, starts_at=D(2026, 3, 9, 9), ends_at=D(2026, 3, 9, 13)), first)
    history = calendar.history(first)
    assert [h.action for h in history] == ["created", "rescheduled"]
    assert history[1].reason == "Llegan tarde las vacunas" and history[1].old_starts_at == D(2026, 3, 3, 9)
    assert history[1].from_status == "programmed" and history[1].to_status == "rescheduled"
    assert [(h.action, h.reason) for h in calendar.history(other)][-1] == ("suspended", "El especialista está enfermo")
    row = calendar.get(other)
    assert (row.status, row.status_reason) == ("suspended", "El especialista está enfermo")
    with pytest.raises(TamboError):
        calendar.execute(other, now=D(2026, 3, 20))
    with pytest.raises(TamboError):  # not started yet
        calendar.execute(first, now=D(2026, 3, 1))
    calendar.execute(first, now=D(2026, 3, 3, 15))
    assert calendar.get(first).status == "executed"
    assert AuditEntry.select().where(AuditEntry.entity == "intervention").count() >= 5


def test_atenciones_at_the_desk_are_linked_and_counted(calendar, place, admin_session):
    [vac] = calendar.save(form(place, starts_at=D(2025, 3, 3, 9), ends_at=D(2025, 3, 3, 13))).ids
    rosa = PersonService(admin_session).save(
        PersonForm("dni", "01234567", "Rosa", "Quispe", "Mamani", "F", "10/05/1990")
    )
    luis = PersonService(admin_session).save(
        PersonForm("dni", "44556677", "Luis", "Condori", "Apaza", "M", "01/02/1980")
    )
    desk = AttentionService(admin_session)
    desk.record(rosa, [service("minsa_vaccination_influenza"), service("reniec_dni_renewal")], "inside",
                attended_at=D(2025, 3, 3, 9, 30))  # fmt: skip
    desk.record(luis, [service("minsa_vaccination_influenza")], "inside", attended_at=D(2025, 3, 3, 13, 40))
    desk.record(luis, [service("minsa_vaccination_influenza")], "inside", attended_at=D(2025, 3, 3, 15, 0))  # too late
    uuid = calendar.get(vac).uuid
    assert calendar.results([uuid]) == {uuid: (2, 2)}  # the RENIEC one is not MINSA's


def test_plan_is_submitted_returned_and_approved(admin_session, calendar, place):
    gestor = CurrentUser(place["gestor"], "jmamani", "Juan Mamani", "gestor", "es")
    plans = PlanService(Session(gestor, admin_session.tambo_code))
    with pytest.raises(TamboError):
        plans.submit(2026, 3, place["gestor"])
    plans.save(2026, 3, place["gestor"], "Anemia en niños; DNI vencidos", "Crianza de cuyes")
    with pytest.raises(TamboError):  # no interventions in the month yet
        plans.submit(2026, 3, place["gestor"])
    calendar.save(form(place))
    plans.submit(2026, 3, place["gestor"])
    with pytest.raises(TamboError):
        plans.save(2026, 3, place["gestor"], "cambio", "")
    with pytest.raises(PermissionDenied):
        plans.approve(plans.get(2026, 3, place["gestor"]).id)
    supervisor = PlanService(admin_session)
    plan_id = plans.get(2026, 3, place["gestor"]).id
    with pytest.raises(ValidationError):
        supervisor.return_(plan_id, " ")
    supervisor.return_(plan_id, "Falta la visita a Jiscullaya")
    assert plans.get(2026, 3, place["gestor"]).status == "returned"
    plans.save(2026, 3, place["gestor"], "Anemia en niños; DNI vencidos; Jiscullaya", "Crianza de cuyes")
    plans.submit(2026, 3, place["gestor"])
    supervisor.approve(plan_id, "Conforme")
    assert [(e.action, e.comment) for e in plans.history(plan_id)] == [
        ("submitted", ""),
        ("returned", "Falta la visita a Jiscullaya"),
        ("submitted", ""),
        ("approved", "Conforme"),
    ]
    assert InterventionEvent.select().count() == 1
