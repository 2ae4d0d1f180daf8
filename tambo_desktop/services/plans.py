"""The gestor's plan de trabajo mensual: the needs it answers, the communities' potentials and the
month's interventions; submitted to the supervisor (JUT), who approves it or returns it with
comments. Every step is a line of the plan's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tambo_desktop.db.models import MonthlyPlan, PlanEvent, User
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _, local_time
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.interventions import InterventionFilter, InterventionRow, InterventionService
from tambo_desktop.services.session import Session

#: Who may move a plan from which status: the gestor submits, the supervisor decides.
EDITABLE = ("draft", "returned")


@dataclass(frozen=True)
class PlanRow:
    id: int | None  # None: not written yet
    year: int
    month: int
    gestor_id: int
    gestor_name: str
    needs: str
    potentials: str
    status: str
    review_comments: str


@dataclass(frozen=True)
class PlanEventRow:
    at: dt.datetime
    username: str
    action: str
    comment: str


class PlanService:
    """Read, write, submit, approve and return monthly plans."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def gestores(self) -> list[tuple[int, str]]:
        """Active accounts that can write plans (gestores and administrators)."""
        self.session.require("interventions.view")
        query = User.select().where((User.active == True) & User.role.in_(("gestor", "admin")))  # noqa: E712
        return [(u.id, u.full_name) for u in sorted(query, key=lambda u: (u.role != "gestor", u.full_name))]

    def get(self, year: int, month: int, gestor_id: int) -> PlanRow:
        """The plan of a gestor's month (an empty draft when none was written)."""
        self.session.require("interventions.view")
        gestor = User.get_or_none(User.id == gestor_id)
        if gestor is None:
            raise NotFound(_("La cuenta ya no existe."))
        plan = MonthlyPlan.get_or_none(
            (MonthlyPlan.year == year) & (MonthlyPlan.month == month) & (MonthlyPlan.gestor == gestor_id)
        )
        if plan is None:
            return PlanRow(None, year, month, gestor_id, gestor.full_name, "", "", "draft", "")
        return PlanRow(plan.id, year, month, gestor_id, gestor.full_name, plan.needs, plan.potentials, plan.status,
                       plan.review_comments)  # fmt: skip

    def interventions(self, year: int, month: int, gestor_id: int) -> list[InterventionRow]:
        self.session.require("interventions.view")
        first, last = month_range(year, month)
        return InterventionService(self.session).list(InterventionFilter(first, last, gestor_id=gestor_id))

    def history(self, plan_id: int | None) -> list[PlanEventRow]:
        self.session.require("interventions.view")
        if plan_id is None:
            return []
        query = PlanEvent.select().where(PlanEvent.plan == plan_id).order_by(PlanEvent.at, PlanEvent.id)
        return [PlanEventRow(local_time(e.at), e.created_by, e.action, e.comment) for e in query]

    def save(self, year: int, month: int, gestor_id: int, needs: str, potentials: str) -> int:
        """Write the draft (or the returned plan being corrected)."""
        self.session.require("plans.edit")
        self._own(gestor_id)
        needs, potentials = needs.strip(), potentials.strip()
        errors = []
        for name, value in (("needs", needs), ("potentials", potentials)):
            if len(value) > 8000:
                errors.append(FieldError(name, _("El texto es demasiado largo (máximo 8000 caracteres).")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            plan = self._plan(year, month, gestor_id, create=True)
            assert plan is not None  # create=True always gives one
            if plan.status not in EDITABLE:
                raise TamboError(_("El plan ya fue enviado: espere la revisión del supervisor."))
            plan.needs, plan.potentials = needs, potentials
            self.session.save(plan, summary=f"{year}-{month:02d}")
            return plan.id

    def submit(self, year: int, month: int, gestor_id: int) -> None:
        self.session.require("plans.edit")
        self._own(gestor_id)
        with self.session.write():
            plan = self._plan(year, month, gestor_id)
            if plan is None or plan.status not in EDITABLE:
                raise TamboError(_("Solo se envía un plan en borrador o devuelto."))
            if not plan.needs.strip():
                raise ValidationError(
                    FieldError("needs", _("Escriba las necesidades que atiende el plan antes de enviarlo."))
                )
            if not self.interventions(year, month, gestor_id):
                raise TamboError(_("El plan no tiene intervenciones en el mes: prográmelas en el calendario."))
            self._move(plan, "submitted", "")

    def approve(self, plan_id: int, comment: str = "") -> None:
        self._decide(plan_id, "approved", comment)

    def return_(self, plan_id: int, comment: str) -> None:
        """Send the plan back to the gestor; the comments say what to correct."""
        if not comment.strip():
            raise ValidationError(FieldError("comment", _("Escriba las observaciones para el gestor.")))
        self._decide(plan_id, "returned", comment)

    def _decide(self, plan_id: int, status: str, comment: str) -> None:
        self.session.require("plans.review")
        with self.session.write():
            plan = MonthlyPlan.get_or_none(MonthlyPlan.id == plan_id)
            if plan is None:
                raise NotFound(_("El plan ya no existe."))
            if plan.status != "submitted":
                raise TamboError(_("Solo se revisa un plan enviado."))
            plan.review_comments = comment.strip()
            self._move(plan, status, comment.strip())

    def _move(self, plan: MonthlyPlan, status: str, comment: str) -> None:
        plan.status = status
        self.session.save(plan, summary=f"{plan.year}-{plan.month:02d}")
        event = PlanEvent(plan=plan.id, action=status, comment=comment)
        self.session.stamp(event, True)
        event.save(force_insert=True)

    def _own(self, gestor_id: int) -> None:
        """A gestor writes only their own plan; an administrator may write anyone's."""
        self.session.require_for("plans.edit", gestor_id, _("Cada gestor escribe su propio plan."))

    @staticmethod
    def _plan(year: int, month: int, gestor_id: int, create: bool = False) -> MonthlyPlan | None:
        plan = MonthlyPlan.get_or_none(
            (MonthlyPlan.year == year) & (MonthlyPlan.month == month) & (MonthlyPlan.gestor == gestor_id)
        )
        if plan is None and create:
            plan = MonthlyPlan(year=year, month=month, gestor=gestor_id, status="draft")
        return plan
