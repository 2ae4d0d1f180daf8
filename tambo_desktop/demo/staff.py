"""The demo tambo's staff days, consistent with the rest of the demo: the office clerk, the
administrator and the gestor sign in between 7:30 and 8:15 and out after 16:45 on the days the tambo
is open (and on any day they registered atenciones); the gestor on a field day signs in only when the
trip leaves late enough, and out after coming back; the national holidays are entered for everyone;
two weeks of vacaciones a year each (on days without the person's trips, interventions or field
atenciones; their desk atenciones of those days pass to a colleague), now and then a descanso médico
or a licencia; a few days without a sign-out (a power cut at the end of the day) and a few the
administrator corrected, with the reason.
"""

from __future__ import annotations

import datetime as dt
import random

import peewee as pw

from tambo_desktop.db.models import Attention, Intervention, StaffDay, StaffLeave, Trip, User
from tambo_desktop.demo.calendar import UTC_OFFSET, seeded_uuid
from tambo_desktop.i18n import _
from tambo_desktop.services.session import Session

ACCOUNTS = ("oficina", "admin", "gestor")
CORRECTIONS = (
    "Olvidó iniciar sesión: llegó a la hora, lo vio la señora de limpieza",
    "La PC no encendía en la mañana; firmó el cuaderno de asistencia",
    "Corte de luz: registró su salida en el cuaderno",
)
LEAVE_NOTES = {
    "vacaciones": "Vacaciones del año",
    "descanso_medico": "Certificado médico del puesto de salud",
    "licencia": "Licencia por asunto familiar",
}


def _minutes(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)


def _busy_days(username: str, user_id: int, first: dt.date, last: dt.date) -> tuple[set[dt.date], set[dt.date]]:
    """The days ``username`` registered atenciones on, and the days they cannot be away (their trips,
    interventions, atenciones outside the tambo)."""
    start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    day = pw.fn.DATE(Attention.attended_at)
    registered: set[dt.date] = set()
    fixed: set[dt.date] = set()
    query = (Attention.select(day, Attention.place).where((Attention.created_by == username)
             & (Attention.attended_at >= start) & (Attention.attended_at < end))
             .group_by(day, Attention.place).tuples())  # fmt: skip
    for value, place in query:
        if isinstance(value, dt.datetime):  # peewee reads DATE() back through the column's type
            date = value.date()
        else:
            date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        registered.add(date)
        if place != "inside":
            fixed.add(date)
    for departs, returns in Trip.select(Trip.departs_at, Trip.returns_at).where(Trip.gestor == user_id).tuples():
        d = departs.date()
        while d <= returns.date():
            fixed.add(d)
            d += dt.timedelta(days=1)
    for (starts,) in Intervention.select(Intervention.starts_at).where(Intervention.gestor == user_id).tuples():
        fixed.add(starts.date())
    return registered, fixed


def load(session: Session, open_days: dict[dt.date, bool], until: dt.datetime, seed: int | str) -> int:
    """Write the staff days and leave from the first of ``open_days`` (day → the tambo opens) to
    ``until``; returns the number of days written. ``seed`` is the demo's key, salted with a demo
    tambo's own code (``demo.data.load``): each demo tambo's staff days get their own uuids, which
    the central database tells apart (the same uuid from two tambos is a conflict)."""
    rng = random.Random(f"tambo-demo-staff-{seed}")
    if not open_days:
        return 0
    first, last = min(open_days), until.date()
    users = dict(User.select(User.username, User.id).where(User.username.in_(ACCOUNTS)).tuples())
    trips: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}
    for departs, returns in (Trip.select(Trip.departs_at, Trip.returns_at)
                             .where(Trip.gestor == users.get("gestor", 0)).tuples()):  # fmt: skip
        trips.setdefault(departs.date(), (departs, returns))
        trips[departs.date()] = (min(departs, trips[departs.date()][0]), max(returns, trips[departs.date()][1]))
    leave_rows: list[dict] = []
    day_rows: list[dict] = []
    stamp = dict(tambo_code=session.tambo_code)

    def leave(user: int | None, kind: str, start: dt.date, end: dt.date, note: str) -> None:
        at = dt.datetime.combine(start - dt.timedelta(days=7), dt.time(15)) + UTC_OFFSET
        leave_rows.append(dict(uuid=seeded_uuid(rng), **stamp, created_at=at, created_by="admin", updated_at=at,
                               updated_by="admin", user=user, kind=kind, first_day=start, last_day=end, note=note))  # fmt: skip

    holidays = sorted(d for d, opens in open_days.items() if not opens and d.weekday() < 6 and first <= d <= last)
    for d in holidays:
        leave(None, "feriado", d, d, "Feriado nacional")
    away: dict[str, set[dt.date]] = {name: set() for name in users}
    handed: list[tuple[str, dt.date, dt.date]] = []
    for name, user_id in users.items():
        registered, fixed = _busy_days(name, user_id, first, last)
        busy = fixed if name != "oficina" else set()
        for year in range(first.year, last.year + 1):
            # two weeks of vacaciones, in the quiet months (January to March) or in December
            candidates = [dt.date(year, m, d) for m in (1, 2, 3, 12) for d in (2, 9, 16)]
            rng.shuffle(candidates)
            for start in candidates:
                start = start + dt.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
                end = start + dt.timedelta(days=13)
                span = {start + dt.timedelta(days=i) for i in range(14)}
                if start < first or end > last or span & busy or any(span & away[o] for o in away if o != name):
                    continue
                leave(user_id, "vacaciones", start, end, LEAVE_NOTES["vacaciones"])
                away[name] |= span
                handed.append((name, start, end))
                break
            for kind in ("descanso_medico", "licencia"):
                if rng.random() < (0.6 if kind == "descanso_medico" else 0.3):
                    start = dt.date(year, rng.randint(4, 11), rng.randint(1, 28))
                    length = rng.randint(1, 3 if kind == "descanso_medico" else 2)
                    span = {start + dt.timedelta(days=i) for i in range(length)}
                    if start >= first and start + dt.timedelta(days=length) <= last and not span & busy \
                            and not any(span & away[o] for o in away if o != name):  # fmt: skip
                        leave(user_id, kind, start, start + dt.timedelta(days=length - 1), LEAVE_NOTES[kind])
                        away[name] |= span
                        handed.append((name, start, start + dt.timedelta(days=length - 1)))
        day = first
        while day <= last:
            opens = open_days.get(day, False)
            if day in away[name] or not (day in registered or (opens and day.weekday() < 5)):
                day += dt.timedelta(days=1)
                continue
            trip = trips.get(day) if name == "gestor" else None
            arrival = _minutes(day, rng.randint(450, 495))  # 7:30 to 8:15
            departure: dt.datetime | None = _minutes(day, rng.randint(1005, 1090))  # 16:45 to 18:10
            if trip is not None:
                if trip[0] <= arrival + dt.timedelta(minutes=15) and day not in registered:
                    day += dt.timedelta(days=1)
                    continue  # straight to the community
                arrival = min(arrival, trip[0] - dt.timedelta(minutes=20))
                departure = max(departure, trip[1] + dt.timedelta(minutes=25)) if trip[1].date() == day else None
            if until < arrival:
                break
            auto_arrival, auto_departure = arrival, departure
            if departure is not None and (departure > until or rng.random() < 0.03):
                auto_departure = departure = None  # still at work now, or a power cut at the end of the day
            corrected, reason = False, ""
            if rng.random() < 0.012:
                corrected, reason = True, rng.choice(CORRECTIONS)
                arrival = _minutes(day, 480)
                departure = departure or _minutes(day, 1020)
                auto_arrival = None if "iniciar" in reason else auto_arrival
            at = arrival + UTC_OFFSET
            day_rows.append(dict(
                uuid=seeded_uuid(rng), **stamp, created_at=at, created_by=name,
                updated_at=(departure or arrival) + UTC_OFFSET, updated_by="admin" if corrected else name,
                user=users[name], day=day, auto_arrival=auto_arrival, auto_departure=auto_departure,
                arrival=arrival, departure=departure, corrected=corrected, reason=reason,
            ))  # fmt: skip
            day += dt.timedelta(days=1)
    for start in range(0, len(leave_rows), 300):
        StaffLeave.insert_many(leave_rows[start : start + 300]).execute()
    for start in range(0, len(day_rows), 300):
        StaffDay.insert_many(day_rows[start : start + 300]).execute()
    # the desk atenciones of one's days away were registered by a colleague who was there
    for name, start, end in handed:
        colleague = next(o for o in ("oficina", "admin") if o != name and not (away.get(o, set()) & {start, end}))
        Attention.update(created_by=colleague, updated_by=colleague).where(
            (Attention.created_by == name) & (Attention.place == "inside")
            & (Attention.attended_at >= dt.datetime.combine(start, dt.time()))
            & (Attention.attended_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
        ).execute()  # fmt: skip
    session.audit(
        "import",
        "staff_day",
        summary=_("Demostración: {days} días del personal, {leave} licencias").format(
            days=len(day_rows), leave=len(leave_rows)
        ),
    )
    return len(day_rows)
