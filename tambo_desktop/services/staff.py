"""The staff's daily record: each account's arrival and departure at the tambo, days in the field,
interventions and atenciones, leave and holidays; the month's sheet per person (PDF/XLSX).

Arrival and departure are recorded by signing in and out at the PC (:meth:`StaffService.record_sign_in`
and :meth:`StaffService.record_sign_out`): the first sign-in of the day is the arrival — a sign-in
after a power cut or a crash finds the day's row and keeps it — and the last sign-out, or closing the
window, the departure. An administrator may correct a day with a reason; the automatic values stay
beside the correction and every change is in the audit trail. Days in the field come from the trips
(a trip over two days counts both), interventions from the executed interventions the account ran,
atenciones from those the account registered. Times are the tambo's wall clock (naive), like the
atenciones'.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop import dates, i18n
from tambo_desktop.db.models import Attention, Intervention, StaffDay, StaffLeave, Tambo, Trip, User
from tambo_desktop.documents import staff_sheet
from tambo_desktop.errors import FieldError, NotFound, ValidationError
from tambo_desktop.files import atomic_write
from tambo_desktop.formats.tabular import neutralise
from tambo_desktop.i18n import _
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import LEAVE_KINDS, ROLES, label

#: Roles whose accounts keep a daily record (the supervisor works at the Unidad Territorial).
STAFF_ROLES = ("admin", "gestor", "staff")
MAX_LEAVE_DAYS = 366
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


@dataclass(frozen=True)
class StaffPerson:
    id: int
    username: str
    full_name: str
    role: str


@dataclass(frozen=True)
class StaffDayRow:
    """One person's day as the month's sheet shows it."""

    day: dt.date
    arrival: dt.datetime | None
    departure: dt.datetime | None
    auto_arrival: dt.datetime | None
    auto_departure: dt.datetime | None
    corrected: bool
    reason: str
    in_field: bool
    leave: str  # a LEAVE_KINDS code other than feriado, or ""
    holiday: bool
    interventions: int
    attentions: int

    @property
    def at_tambo(self) -> bool:
        return self.arrival is not None


@dataclass(frozen=True)
class StaffMonth:
    person: StaffPerson
    year: int
    month: int
    days: tuple[StaffDayRow, ...]

    @property
    def days_at_tambo(self) -> int:
        return sum(d.at_tambo for d in self.days)

    @property
    def days_in_field(self) -> int:
        return sum(d.in_field for d in self.days)

    @property
    def leave_days(self) -> int:
        return sum(bool(d.leave) for d in self.days)

    @property
    def holidays(self) -> int:
        return sum(d.holiday for d in self.days)

    @property
    def interventions(self) -> int:
        return sum(d.interventions for d in self.days)

    @property
    def attentions(self) -> int:
        return sum(d.attentions for d in self.days)


@dataclass(frozen=True)
class StaffSummary:
    """One person's month in numbers, for the monthly report."""

    user_id: int
    full_name: str
    role: str
    days_at_tambo: int
    days_in_field: int
    leave_days: int
    holidays: int
    interventions: int
    attentions: int


@dataclass(frozen=True)
class DayCorrection:
    """An administrator's arrival and departure for one day (``HH:MM``; blank: none), with the reason."""

    user_id: int
    day: dt.date
    arrival: str
    departure: str
    reason: str


@dataclass(frozen=True)
class LeaveForm:
    user_id: int | None  # None: a holiday for everyone
    kind: str
    first_day: dt.date | None
    last_day: dt.date | None
    note: str = ""


@dataclass(frozen=True)
class LeaveRow:
    id: int
    user_id: int | None
    full_name: str
    kind: str
    first_day: dt.date
    last_day: dt.date
    note: str


def parse_time(text: str) -> dt.time | None:
    """``HH:MM`` (also ``H.MM`` or ``HhMM``) as a time; None when it is not one."""
    found = _TIME_RE.match(text or "")
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


class StaffService:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- recorded from signing in and out -------------------------------------------------------

    def record_sign_in(self, at: dt.datetime | None = None) -> None:
        """The signed-in user's arrival, if this is their first sign-in of the day; a later sign-in
        (after a power cut, a crash or a sign-out) keeps the first one."""
        self.session.require("staff.record")
        if not self._is_account():
            return
        at = (at or dates.now()).replace(microsecond=0)

        def change(row: StaffDay) -> None:
            if row.auto_arrival is None or at < row.auto_arrival:
                row.auto_arrival = at
            if not row.corrected and (row.arrival is None or at < row.arrival):
                row.arrival = at

        self._upsert(at.date(), change, _("Llegada: inicio de sesión"))

    def record_sign_out(self, at: dt.datetime | None = None) -> None:
        """The signed-in user's departure: the last sign-out (or close) of the day counts."""
        self.session.require("staff.record")
        if not self._is_account():
            return
        at = (at or dates.now()).replace(microsecond=0)

        def change(row: StaffDay) -> None:
            if row.auto_departure is None or at > row.auto_departure:
                row.auto_departure = at
            if not row.corrected and (row.departure is None or at > row.departure):
                row.departure = at

        self._upsert(at.date(), change, _("Salida: cierre de sesión"))

    def _is_account(self) -> bool:
        return User.select().where(User.id == self.session.user.id).exists()

    def _upsert(self, day: dt.date, change, summary: str) -> None:
        """Create or change the user's row of ``day`` in one transaction; two PCs signing the same
        account in at the same moment meet on the unique (user, day) index: the second one retries."""
        for attempt in range(2):
            try:
                with self.session.write():
                    row = StaffDay.get_or_none((StaffDay.user == self.session.user.id) & (StaffDay.day == day))
                    if row is None:
                        row = StaffDay(user=self.session.user.id, day=day)
                    before = (row.auto_arrival, row.auto_departure, row.arrival, row.departure)
                    change(row)
                    if row.id is None or before != (row.auto_arrival, row.auto_departure, row.arrival, row.departure):
                        self.session.save(row, summary=f"{self.session.user.username} {day.isoformat()}: {summary}")
                return
            except pw.IntegrityError:
                if attempt:
                    raise

    # -- who may be seen ----------------------------------------------------------------------------

    def people(self) -> builtins.list[StaffPerson]:
        """The accounts whose record the user may see: everyone's for administrators and supervisors,
        otherwise one's own."""
        self.session.require("staff.view")
        query = User.select().where(User.active & User.role.in_(STAFF_ROLES))
        if not self.session.can_for("staff.view", -1):
            query = User.select().where(User.id == self.session.user.id)
        return [StaffPerson(u.id, u.username, u.full_name, u.role) for u in query.order_by(User.full_name, User.id)]

    def _person(self, user_id: int) -> StaffPerson:
        self.session.require_for("staff.view", user_id, _("Su cuenta solo puede ver su propio registro de asistencia."))
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(_("La cuenta ya no existe."))
        return StaffPerson(user.id, user.username, user.full_name, user.role)

    # -- the month ----------------------------------------------------------------------------------

    def month(self, user_id: int, year: int, month: int) -> StaffMonth:
        """One person's days of the month."""
        person = self._person(user_id)
        return self._months([person], year, month)[0]

    def months(self, year: int, month: int) -> builtins.list[StaffMonth]:
        """The month of every person the user may see (one query per kind of record for all); an
        account deactivated since keeps the month it worked."""
        people = self.people()
        if self.session.can_for("staff.view", -1):
            first, last = month_range(year, month)
            worked = StaffDay.select(StaffDay.user).where(StaffDay.day.between(first, last))
            known = [p.id for p in people]
            gone = User.select().where(User.id.in_(worked) & User.id.not_in(known)).order_by(User.full_name)
            people += [StaffPerson(u.id, u.username, u.full_name, u.role) for u in gone]
        return self._months(people, year, month)

    def month_summary(self, year: int, month: int) -> builtins.list[StaffSummary]:
        """Per person the user may see: days at the tambo, in the field, on leave, holidays,
        interventions run and atenciones registered (the monthly report's staff section)."""
        return [
            StaffSummary(
                m.person.id,
                m.person.full_name,
                m.person.role,
                m.days_at_tambo,
                m.days_in_field,
                m.leave_days,
                m.holidays,
                m.interventions,
                m.attentions,
            )  # fmt: skip
            for m in self.months(year, month)
        ]

    def _months(self, people: builtins.list[StaffPerson], year: int, month: int) -> builtins.list[StaffMonth]:
        first, last = month_range(year, month)
        ids = [p.id for p in people]
        names = {p.username: p.id for p in people}
        start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        rows = {
            (r.user_id, r.day): r
            for r in StaffDay.select().where(StaffDay.user.in_(ids) & StaffDay.day.between(first, last))
        }
        field: set[tuple[int, dt.date]] = set()
        trips = Trip.select(Trip.gestor, Trip.departs_at, Trip.returns_at).where(
            Trip.gestor.in_(ids) & (Trip.departs_at < end) & (Trip.returns_at >= start)
        )
        for t in trips:
            for day in _days(max(t.departs_at.date(), first), min(max(t.returns_at, t.departs_at).date(), last)):
                field.add((t.gestor_id, day))
        run: dict[tuple[int | None, dt.date], int] = {}
        executed = Intervention.select(Intervention.gestor, Intervention.starts_at).where(
            Intervention.gestor.in_(ids) & (Intervention.status == "executed")
            & (Intervention.starts_at >= start) & (Intervention.starts_at < end)
        )  # fmt: skip
        for i in executed:
            key = (i.gestor_id, i.starts_at.date())
            run[key] = run.get(key, 0) + 1
        registered: dict[tuple[int, dt.date], int] = {}
        attentions = Attention.select(Attention.created_by, Attention.attended_at).where(
            (Attention.attended_at >= start) & (Attention.attended_at < end) & ~Attention.voided
            & Attention.created_by.in_(builtins.list(names))
        )  # fmt: skip
        for a in attentions:
            key = (names[a.created_by], a.attended_at.date())
            registered[key] = registered.get(key, 0) + 1
        leave: dict[tuple[int | None, dt.date], str] = {}
        leaves = StaffLeave.select().where(
            (StaffLeave.user.in_(ids) | StaffLeave.user.is_null())
            & (StaffLeave.first_day <= last) & (StaffLeave.last_day >= first)
        )  # fmt: skip
        for lv in leaves:
            for day in _days(max(lv.first_day, first), min(lv.last_day, last)):
                leave[(lv.user_id, day)] = lv.kind
        result = []
        for p in people:
            days = []
            for day in _days(first, last):
                row = rows.get((p.id, day))
                own = leave.get((p.id, day), "")
                holiday = own == "feriado" or leave.get((None, day)) == "feriado"
                days.append(StaffDayRow(
                    day, row.arrival if row else None, row.departure if row else None,
                    row.auto_arrival if row else None, row.auto_departure if row else None,
                    bool(row and row.corrected), row.reason if row else "", (p.id, day) in field,
                    "" if own == "feriado" else own, holiday, run.get((p.id, day), 0), registered.get((p.id, day), 0),
                ))  # fmt: skip
            result.append(StaffMonth(p, year, month, tuple(days)))
        return result

    # -- an administrator's corrections, leave and holidays --------------------------------------

    def correct_day(self, form: DayCorrection) -> None:
        """Set a day's arrival and departure by hand, with a mandatory reason (audited; the automatic
        values are kept beside them)."""
        self.session.require("staff.edit")
        errors: list[FieldError] = []
        user = User.get_or_none(User.id == form.user_id)
        if user is None:
            raise NotFound(_("La cuenta ya no existe."))
        arrival = departure = None
        if form.arrival.strip():
            arrival = parse_time(form.arrival)
            if arrival is None:
                errors.append(FieldError("arrival", _("Escriba la hora de llegada como HH:MM, por ejemplo 08:15.")))
        if form.departure.strip():
            departure = parse_time(form.departure)
            if departure is None:
                errors.append(FieldError("departure", _("Escriba la hora de salida como HH:MM, por ejemplo 17:30.")))
        if arrival and departure and departure <= arrival:
            errors.append(FieldError("departure", _("La salida debe ser después de la llegada.")))
        if departure and not arrival:
            errors.append(FieldError("arrival", _("Escriba también la hora de llegada.")))
        if form.day > dates.today():
            errors.append(FieldError("day", _("No se puede registrar la asistencia de un día que aún no llega.")))
        reason = " ".join(form.reason.split())
        if len(reason) < 5:
            errors.append(FieldError("reason", _("Escriba el motivo de la corrección (al menos 5 letras).")))
        elif len(reason) > 300:
            errors.append(FieldError("reason", _("El motivo puede tener hasta 300 letras.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            row = StaffDay.get_or_none((StaffDay.user == user.id) & (StaffDay.day == form.day))
            if row is None:
                row = StaffDay(user=user.id, day=form.day)
            row.arrival = dt.datetime.combine(form.day, arrival) if arrival else None
            row.departure = dt.datetime.combine(form.day, departure) if departure else None
            row.corrected = True
            row.reason = reason
            self.session.save(row, summary=_("Corrección de asistencia de {name}, {day}: {reason}").format(
                name=user.username, day=form.day.isoformat(), reason=reason
            ))  # fmt: skip

    def leaves(self, year: int, month: int, user_id: int | None = None) -> builtins.list[LeaveRow]:
        """Leave and holidays that touch the month (one person's and everyone's holidays, or all
        that the user may see)."""
        first, last = month_range(year, month)
        ids = [p.id for p in self.people()] if user_id is None else [self._person(user_id).id]
        query = (
            StaffLeave.select(StaffLeave, User.full_name)
            .join(User, pw.JOIN.LEFT_OUTER, on=(StaffLeave.user == User.id))
            .where(
                (StaffLeave.user.in_(ids) | StaffLeave.user.is_null())
                & (StaffLeave.first_day <= last)
                & (StaffLeave.last_day >= first)
            )  # fmt: skip
            .order_by(StaffLeave.first_day, StaffLeave.id)
        )
        return [
            LeaveRow(
                lv.id,
                lv.user_id,
                lv.user.full_name if lv.user_id and lv.user else "",
                lv.kind,
                lv.first_day,
                lv.last_day,
                lv.note,
            )  # fmt: skip
            for lv in query
        ]

    def add_leave(self, form: LeaveForm) -> int:
        """Enter leave (vacaciones, licencia, descanso médico) for one account or a holiday for one or
        everyone."""
        self.session.require("staff.edit")
        errors: list[FieldError] = []
        if form.kind not in LEAVE_KINDS:
            errors.append(FieldError("kind", _("Elija el tipo: vacaciones, licencia, descanso médico o feriado.")))
        elif form.user_id is None and form.kind != "feriado":
            errors.append(FieldError("user", _("Elija la persona: solo un feriado puede ser de todos.")))
        if form.user_id is not None and not User.select().where(User.id == form.user_id).exists():
            errors.append(FieldError("user", _("La cuenta ya no existe.")))
        if form.first_day is None:
            errors.append(FieldError("first_day", _("Escriba el primer día.")))
        if form.last_day is None:
            errors.append(FieldError("last_day", _("Escriba el último día.")))
        if form.first_day and form.last_day:
            if form.last_day < form.first_day:
                errors.append(FieldError("last_day", _("El último día no puede ser antes del primero.")))
            elif (form.last_day - form.first_day).days >= MAX_LEAVE_DAYS:
                errors.append(
                    FieldError("last_day", _("Un periodo puede tener hasta {n} días.").format(n=MAX_LEAVE_DAYS))
                )
        note = " ".join(form.note.split())
        if len(note) > 300:
            errors.append(FieldError("note", _("La nota puede tener hasta 300 letras.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            row = StaffLeave(user=form.user_id, kind=form.kind, first_day=form.first_day, last_day=form.last_day,
                             note=note)  # fmt: skip
            self.session.save(row, summary=f"{form.kind} {form.first_day} – {form.last_day}")
        return row.id

    def remove_leave(self, leave_id: int) -> None:
        self.session.require("staff.edit")
        with self.session.write():
            row = StaffLeave.get_or_none(StaffLeave.id == leave_id)
            if row is None:
                raise NotFound(_("Ese periodo ya no existe."))
            self.session.delete(row, summary=f"{row.kind} {row.first_day} – {row.last_day}")

    # -- the month's sheet --------------------------------------------------------------------------

    def export_month(
        self, year: int, month: int, path: Path, fmt: str, user_ids: builtins.list[int] | None = None
    ) -> int:
        """Write the month's sheet of every person the user may see (or of ``user_ids``): a PDF with
        one A4 page per person, or an XLSX with one sheet per person; returns the number of persons."""
        if fmt not in ("pdf", "xlsx"):
            raise ValidationError(FieldError("format", _("Elija el formato: pdf o xlsx.")))
        if user_ids is None:
            months = self.months(year, month)
        else:
            months = self._months([self._person(i) for i in user_ids], year, month)
        if not months:
            raise ValidationError(FieldError("user", _("No hay personal que mostrar.")))
        tambo = Tambo.select().first()
        document = staff_sheet.StaffSheetDocument(tambo.name if tambo else "", year, month, tuple(months))
        if fmt == "pdf":
            staff_sheet.render(document, Path(path))
        else:
            _write_xlsx(document, Path(path))
        with self.session.write():
            self.session.audit("export", "staff_day", summary=i18n.ngettext("Asistencia del personal {month}: {n} persona", "Asistencia del personal {month}: {n} personas", len(months)).format(
                month=f"{year}-{month:02d}", n=len(months)
            ))  # fmt: skip
        return len(months)


def _sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, different from the others."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "?"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _write_xlsx(document: staff_sheet.StaffSheetDocument, path: Path) -> None:
    """One sheet per person: the heading, a row per day, the totals; written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    for blank in workbook.worksheets:
        workbook.remove(blank)
    taken: set[str] = set()
    bold = Font(bold=True)
    heading = staff_sheet.title(document.year, document.month)
    for m in document.months:
        sheet = workbook.create_sheet(_sheet_title(m.person.full_name, taken))
        sheet.append([neutralise(heading)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([neutralise(f"{m.person.full_name} · {label(ROLES, m.person.role)}"), "", "",
                      neutralise(document.tambo_name)])  # fmt: skip
        sheet.append([])
        sheet.append(staff_sheet.header() + [_("Motivo de la corrección")])
        for cell in sheet[4]:
            cell.font = bold
        for day in m.days:
            cells = staff_sheet.day_cells(day)
            cells[4:6] = [day.interventions, day.attentions]
            sheet.append([neutralise(c) if isinstance(c, str) else c for c in cells]
                         + [neutralise(day.reason) if day.corrected else ""])  # fmt: skip
        sheet.append([_("Total"), "", "", _("{tambo} en el tambo · {field} en campo").format(
            tambo=m.days_at_tambo, field=m.days_in_field), m.interventions, m.attentions])  # fmt: skip
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        sheet.append([])
        sheet.append([neutralise(staff_sheet.totals_text(m))])
        for column, width in zip("ABCDEFG", (18, 10, 10, 34, 15, 12, 40), strict=True):
            sheet.column_dimensions[column].width = width
    with atomic_write(path) as tmp:
        workbook.save(tmp)
