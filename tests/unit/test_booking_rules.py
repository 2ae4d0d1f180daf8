"""The clash rules and recurring dates, on their edges (no database)."""

from __future__ import annotations

import datetime as dt

from tambo_desktop.services.booking_rules import (
    MAX_OCCURRENCES,
    Booking,
    Recurrence,
    clashes,
    nth_weekday,
    occurrence_dates,
    overlaps,
)

D = dt.datetime


def booking(id_, start, end, **kw) -> Booking:
    return Booking(id_, f"b{id_}", "MINSA", start, end, kw.pop("place", "inside"), **kw)


def test_touching_intervals_do_not_overlap():
    assert not overlaps((D(2026, 3, 3, 8), D(2026, 3, 3, 10)), (D(2026, 3, 3, 10), D(2026, 3, 3, 12)))
    assert overlaps((D(2026, 3, 3, 8), D(2026, 3, 3, 10, 1)), (D(2026, 3, 3, 10), D(2026, 3, 3, 12)))


def test_same_space_clashes_across_midnight():
    night = booking(1, D(2026, 3, 3, 20), D(2026, 3, 4, 2), space_id=7)
    early = booking(2, D(2026, 3, 4, 1), D(2026, 3, 4, 3), space_id=7)
    morning = booking(3, D(2026, 3, 4, 2), D(2026, 3, 4, 5), space_id=7)
    assert [c.kind for c in clashes(early, [night])] == ["space"]
    assert clashes(morning, [night]) == []


def test_travel_holds_the_gestor_and_the_resource():
    trip = booking(1, D(2026, 3, 3, 10), D(2026, 3, 3, 12), place="outside", community_id=4, travel_minutes=120,
                   gestor_id=5, resource_ids=frozenset({9}))  # fmt: skip
    at_tambo = booking(2, D(2026, 3, 3, 13), D(2026, 3, 3, 15), gestor_id=5, resource_ids=frozenset({9}))
    kinds = sorted(c.kind for c in clashes(at_tambo, [trip]))
    assert kinds == ["gestor", "resource"]
    later = booking(3, D(2026, 3, 3, 14), D(2026, 3, 3, 15), gestor_id=5, resource_ids=frozenset({9}))
    assert clashes(later, [trip]) == []


def test_suspended_and_self_hold_nothing():
    old = booking(1, D(2026, 3, 3, 8), D(2026, 3, 3, 10), space_id=1, status="suspended")
    new = booking(2, D(2026, 3, 3, 8), D(2026, 3, 3, 10), space_id=1)
    assert clashes(new, [old]) == []
    assert clashes(new, [new]) == []


def test_soft_clashes_warn_only():
    a = booking(1, D(2026, 3, 2, 9), D(2026, 3, 2, 12), place="outside", community_id=4)
    same_week = booking(2, D(2026, 3, 8, 9), D(2026, 3, 8, 12), place="outside", community_id=4, expected=90)
    next_week = booking(3, D(2026, 3, 9, 9), D(2026, 3, 9, 12), place="outside", community_id=4)
    [c] = clashes(same_week, [a])
    assert (c.kind, c.hard) == ("community_week", False)
    assert clashes(next_week, [a]) == []
    crowded = booking(4, D(2026, 3, 2, 9), D(2026, 3, 2, 12), space_id=1, expected=90)
    [c] = clashes(crowded, [], capacity=60)
    assert (c.kind, c.hard, c.detail) == ("capacity", False, 60)


def test_second_tuesday_every_month():
    first = dt.date(2026, 1, 13)
    assert nth_weekday(2026, 1, 1, 2) == first
    dates = occurrence_dates(first, Recurrence("monthly", dt.date(2026, 6, 30)))
    assert dates == [dt.date(2026, 1, 13), dt.date(2026, 2, 10), dt.date(2026, 3, 10), dt.date(2026, 4, 14),
                     dt.date(2026, 5, 12), dt.date(2026, 6, 9)]  # fmt: skip


def test_fifth_weekday_skips_short_months_and_weekly_stops():
    dates = occurrence_dates(dt.date(2026, 1, 29), Recurrence("monthly", dt.date(2026, 5, 31)))  # 5th Thursday
    assert dates == [dt.date(2026, 1, 29), dt.date(2026, 4, 30)]
    every_two = occurrence_dates(dt.date(2026, 3, 3), Recurrence("weekly", dt.date(2026, 3, 31), 2))
    assert every_two == [dt.date(2026, 3, 3), dt.date(2026, 3, 17), dt.date(2026, 3, 31)]
    endless = occurrence_dates(dt.date(2026, 1, 1), Recurrence("weekly", dt.date(2040, 1, 1)))
    assert len(endless) == MAX_OCCURRENCES + 1
