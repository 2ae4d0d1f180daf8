"""Metas mensuales: the atenciones and usuarios expected in a month, for the tambo or one entity."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass

import peewee as pw

from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Entity, MonthlyGoal
from tambo_desktop.errors import FieldError, NotFound, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services import conflicts
from tambo_desktop.services.session import Session

GOAL_MAX = 1_000_000


@dataclass
class GoalForm:
    """A month's goal as typed: every value is text."""

    month: str = ""  # AAAA-MM
    attentions: str = ""
    users: str = ""
    entity: str = ""  # entity code; empty: the goal of the whole tambo
    #: The version of the goal the form was read with: 0 when there was none (a goal saved since by
    #: another PC is then not overwritten either); None: not read from a form (reference data).
    version: int | None = None
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass(frozen=True)
class GoalRow:
    id: int
    year: int
    month: int
    entity_code: str  # "" for the tambo's goal
    attentions_goal: int
    users_goal: int
    version: int = 1


def parse_month(text: str) -> tuple[int, int] | None:
    """``(year, month)`` from ``AAAA-MM``; None when it is not a month from 2013 to 2100."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return (year, month) if 2013 <= year <= 2100 and 1 <= month <= 12 else None


def _count(errors: list[FieldError], name: str, text: str) -> int | None:
    value = text.strip().replace(" ", "")
    if not value.isdigit() or int(value) > GOAL_MAX:
        errors.append(FieldError(name, _("La meta es un número entero de 0 a 1 000 000.")))
        return None
    return int(value)


class GoalService:
    """Read (``indicators.view``) and set (``goals.edit``) the monthly goals."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def set(self, form: GoalForm) -> int:
        """Create or replace the goal of that month (and entity). A form read before another PC
        saved (or first set) that goal is refused with their values beside these (StaleRecord),
        unless ``on_top``; one read before another PC removed it, with NotFound."""
        self.session.require("goals.edit")
        year, month, attentions, users, entity = self._check(form)
        summary = f"{year:04d}-{month:02d} {entity.code if entity else ''}".strip()
        with self.session.write():
            goal = _find(year, month, entity)
            if goal is None and form.version:
                raise NotFound(_("Otra persona eliminó este registro mientras usted lo tenía abierto: no se guardó."))
            goal = goal or MonthlyGoal(year=year, month=month, entity=entity)
            goal.attentions_goal, goal.users_goal = attentions, users
            if goal.id is not None:
                self.session.save(goal, summary=summary, version=form.version, on_top=form.on_top)
                return goal.id
            try:
                with current_database().atomic():  # a savepoint: another PC may set it at this very moment
                    self.session.save(goal, summary=summary)
            except pw.IntegrityError:
                # the unique index (migration 20 for the tambo's own goal) let one of two PCs in
                current = _find(year, month, entity)
                if current is None:
                    raise
                raise conflicts.stale(current, goal) from None
            return goal.id

    @staticmethod
    def _check(form: GoalForm) -> tuple[int, int, int, int, Entity | None]:
        errors: builtins.list[FieldError] = []
        period = parse_month(form.month)
        if period is None:
            errors.append(
                FieldError(
                    "month", _("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(value=form.month.strip())
                )
            )
        attentions = _count(errors, "attentions", form.attentions)
        users = _count(errors, "users", form.users)
        if attentions is not None and users is not None and users > attentions:
            errors.append(FieldError("users", _("La meta de usuarios no puede ser mayor que la de atenciones.")))
        entity = Entity.get_or_none(Entity.code == form.entity.strip().upper()) if form.entity.strip() else None
        if form.entity.strip() and entity is None:
            errors.append(FieldError("entity", _("Entidad desconocida: «{value}».").format(value=form.entity.strip())))
        if errors:
            raise ValidationError(errors)
        assert period is not None and attentions is not None and users is not None  # else an error was raised
        return period[0], period[1], attentions, users, entity

    def set_month(self, month: str, forms: builtins.list[GoalForm]) -> int:
        """Replace a month's goals in one transaction: the tambo's (``entity`` empty) and each
        entity's; a form with both numbers empty removes that goal. Errors name the entity
        (``"RENIEC.attentions"``) and nothing is saved when any form is wrong."""
        self.session.require("goals.edit")
        errors: builtins.list[FieldError] = []
        for form in forms:
            if not form.attentions.strip() and not form.users.strip():
                continue
            try:
                self._check(GoalForm(month, form.attentions, form.users, form.entity))
            except ValidationError as exc:
                prefix = f"{form.entity.strip().upper()}." if form.entity.strip() else ""
                errors += [
                    FieldError(prefix + e.field if e.field != "month" else "month", e.message) for e in exc.errors
                ]
        if errors:
            raise ValidationError(_unique(errors))
        saved = 0
        with self.session.write():
            for form in forms:
                if form.attentions.strip() or form.users.strip():
                    self.set(GoalForm(month, form.attentions, form.users, form.entity, form.version, form.on_top))
                    saved += 1
                else:
                    saved += self._remove(month, form)
        return saved

    def _remove(self, month: str, form: GoalForm) -> int:
        """Remove the goal the form emptied; refused (StaleRecord) when another PC saved it since
        the form was read, unless ``on_top``."""
        period = parse_month(month)
        entity_code = form.entity
        entity = Entity.get_or_none(Entity.code == entity_code.strip().upper()) if entity_code.strip() else None
        if period is None or (entity_code.strip() and entity is None):
            return 0
        goal = _find(period[0], period[1], entity)
        if goal is None:
            return 0
        if form.version is not None and goal.version != form.version:
            emptied = MonthlyGoal(**{**goal.__data__, "attentions_goal": None, "users_goal": None})
            raise conflicts.stale(goal, emptied)
        summary = f"{period[0]:04d}-{period[1]:02d} {entity.code if entity else ''}".strip()
        if form.on_top and form.version is not None:
            summary = conflicts.on_top_summary(summary, goal)
        self.session.delete(goal, summary=summary)
        return 1

    def list(self, year: int) -> builtins.list[GoalRow]:
        self.session.require("indicators.view")
        query = (
            MonthlyGoal.select(MonthlyGoal, Entity)
            .join(Entity, pw.JOIN.LEFT_OUTER, on=MonthlyGoal.entity == Entity.id)
            .where(MonthlyGoal.year == year)
            .order_by(MonthlyGoal.month, MonthlyGoal.id)
        )
        return [
            GoalRow(
                g.id,
                g.year,
                g.month,
                g.entity.code if g.entity_id and g.entity else "",
                g.attentions_goal,
                g.users_goal,
                g.version,
            )
            for g in query
        ]


def _find(year: int, month: int, entity: Entity | None) -> MonthlyGoal | None:
    """The goal of that month: the tambo's own (``entity`` None) or the entity's."""
    return MonthlyGoal.get_or_none(
        (MonthlyGoal.year == year)
        & (MonthlyGoal.month == month)
        & (MonthlyGoal.entity.is_null() if entity is None else MonthlyGoal.entity == entity.id)
    )


def _unique(errors: list[FieldError]) -> list[FieldError]:
    seen, kept = set(), []
    for error in errors:
        if (error.field, error.message) not in seen:
            seen.add((error.field, error.message))
            kept.append(error)
    return kept
