"""The rules of booking the tambo: when two interventions clash, and the dates of a recurring series.

Times are half-open intervals ``[start, end)``: an intervention that ends at 10:00 does not clash
with one that starts at 10:00. A gestor or a resource that travels to a community is busy for the
travel too (each way), so a visit to a community two hours away from 10:00 to 12:00 holds the
motorcycle from 08:00 to 14:00. Suspended interventions hold nothing.

*Hard* clashes refuse the save: the same space, the same gestor or the same resource at
overlapping times. *Soft* clashes warn and allow: two interventions in the same centro poblado in
the same week, or more expected participants than the space holds.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

#: Interventions in these states hold their space, gestor and resources.
HOLDING = ("requested", "programmed", "rescheduled", "executed")
#: The longest travel (each way) the form accepts, in minutes; bounds the search for clashes.
MAX_TRAVEL_MINUTES = 24 * 60
#: The most occurrences one recurring series may create.
MAX_OCCURRENCES = 60


@dataclass(frozen=True)
class Booking:
    """What an intervention holds, for the clash rules (the database row or the form being saved)."""

    id: int | None
    title: str
    entity: str  # code or "" for the tambo itself
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    space_id: int | None = None
    community_id: int | None = None
    travel_minutes: int = 0
    gestor_id: int | None = None
    resource_ids: frozenset[int] = field(default_factory=frozenset)
    expected: int | None = None
    status: str = "programmed"

    def busy(self) -> tuple[dt.datetime, dt.datetime]:
        """The time the gestor and the resources are taken, travel included."""
        travel = dt.timedelta(minutes=self.travel_minutes if self.place == "outside" else 0)
        return self.starts_at - travel, self.ends_at + travel


@dataclass(frozen=True)
class Clash:
    """One conflict between the booking being saved and another one."""

    kind: str  # space | gestor | resource | community_week | capacity
    hard: bool
    other: Booking | None
    detail: int | None = None  # the resource id, or the capacity


def overlaps(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> bool:
    """Whether two half-open intervals share time (touching ends do not)."""
    return a[0] < b[1] and b[0] < a[1]


def clashes(new: Booking, others: list[Booking], capacity: int | None = None) -> list[Clash]:
    """Every clash of ``new`` with ``others`` (the hard ones first)."""
    hard: list[Clash] = []
    soft: list[Clash] = []
    week = new.starts_at.isocalendar()[:2]
    for other in others:
        if other.id is not None and other.id == new.id or other.status not in HOLDING:
            continue
        same_space = (
            new.space_id and new.place == "inside" and other.place == "inside" and other.space_id == new.space_id
        )
        if same_space and overlaps((new.starts_at, new.ends_at), (other.starts_at, other.ends_at)):
            hard.append(Clash("space", True, other))
        if overlaps(new.busy(), other.busy()):
            if new.gestor_id and other.gestor_id == new.gestor_id:
                hard.append(Clash("gestor", True, other))
            for resource_id in sorted(new.resource_ids & other.resource_ids):
                hard.append(Clash("resource", True, other, resource_id))
        if (
            new.place == "outside"
            and other.place == "outside"
            and new.community_id
            and other.community_id == new.community_id
            and other.starts_at.isocalendar()[:2] == week
        ):
            soft.append(Clash("community_week", False, other))
    if capacity is not None and new.place == "inside" and new.expected and new.expected > capacity:
        soft.append(Clash("capacity", False, None, capacity))
    return hard + soft


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The ``nth`` (1-5) ``weekday`` (0 = Monday) of a month, or None when the month has no such day."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[nth - 1] if nth <= len(days) else None


@dataclass(frozen=True)
class Recurrence:
    """Repeat an intervention: every ``interval`` weeks, or on the same nth weekday of every month
    (the Banco de la Nación on the second Tuesday), up to ``until`` (included)."""

    rule: str  # "weekly" | "monthly"
    until: dt.date
    interval: int = 1


def occurrence_dates(first: dt.date, recurrence: Recurrence) -> list[dt.date]:
    """The dates of a series that starts on ``first`` (stops one past MAX_OCCURRENCES, which the
    service refuses)."""
    dates: list[dt.date] = []
    if recurrence.rule == "weekly":
        step = dt.timedelta(weeks=max(1, recurrence.interval))
        day = first
        while day <= recurrence.until and len(dates) <= MAX_OCCURRENCES:
            dates.append(day)
            day += step
    else:
        nth = (first.day - 1) // 7 + 1
        year, month = first.year, first.month
        while True:
            found = nth_weekday(year, month, first.weekday(), nth)
            if found is not None:
                day = found
                if day > recurrence.until:
                    break
                dates.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            if dt.date(year, month, 1) > recurrence.until or len(dates) > MAX_OCCURRENCES:
                break
    return dates
