"""Training records: courses for the staff or the community, their sessions, participants,
attendance, results and hours; certifications that expire; the year's summary.

Hours are never typed: they are the length of the sessions a participant attended. Attendance for a
session is saved in one transaction (the ticks of the whole list, or nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import (
    Attendance,
    Community,
    Course,
    CourseSession,
    Enrollment,
    Entity,
    Person,
    Space,
    User,
)
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.indicators import age_group
from tambo_desktop.services.limits import within
from tambo_desktop.services.session import Session
from tambo_desktop.text import clean
from tambo_desktop.vocabulary import (
    AGE_GROUPS,
    DOCUMENT_TYPES,
    SESSION_PLACES,
    SEXES,
    SPOKEN_LANGUAGES,
    TRAINING_AUDIENCES,
    TRAINING_RESULTS,
    TRAINING_TOPICS,
    label,
)

#: Certifications that expire within this many days are shown on the Today page.
EXPIRY_WARNING_DAYS = 60
#: Results that earn a certificate (of participation or of approval).
CERTIFIED = ("attended", "passed")


@dataclass
class CourseForm:
    title: str = ""
    topic: str = ""
    audience: str = "community"
    entity_id: int | None = None
    provider: str = ""
    trainer: str = ""
    language: str = "es"
    certification: str = ""
    validity_months: str = ""
    notes: str = ""
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass
class SessionForm:
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    place: str = "inside"
    space_id: int | None = None
    community_id: int | None = None
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass(frozen=True)
class CourseRow:
    id: int
    title: str
    topic: str
    audience: str
    entity_id: int | None
    provider: str  # the entity's code, or the provider typed
    provider_name: str  # the entity's full name, or the provider typed
    trainer: str
    language: str
    certification: str
    validity_months: int | None
    notes: str
    first_day: dt.date | None
    last_day: dt.date | None
    sessions: int
    participants: int
    hours: float  # of all its sessions
    uuid: str = ""
    version: int = 1


@dataclass(frozen=True)
class SessionRow:
    id: int
    course_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    space_id: int | None
    community_id: int | None
    where: str
    version: int = 1

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


@dataclass(frozen=True)
class ParticipantRow:
    id: int  # the enrollment
    course_id: int
    person_id: int | None
    user_id: int | None
    name: str
    document: str
    sex: str
    birth_date: dt.date | None
    language: str  # the participant's language, for the certificate
    result: str
    hours: float
    sessions_attended: int
    certificate_code: str | None


@dataclass(frozen=True)
class HistoryRow:
    course_id: int
    title: str
    topic: str
    provider: str
    last_day: dt.date | None
    hours: float
    result: str
    certification: str
    valid_until: dt.date | None
    certificate_code: str | None


@dataclass(frozen=True)
class ExpiringRow:
    name: str
    user_id: int | None
    person_id: int | None
    course_id: int
    certification: str
    valid_until: dt.date
    days_left: int


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def _enrollments() -> pw.ModelSelect[Enrollment]:
    """Enrollments with their person or account read in the same query."""
    return (
        Enrollment.select(Enrollment, Person, User)
        .join(Person, pw.JOIN.LEFT_OUTER, on=(Enrollment.person == Person.id))
        .switch(Enrollment)
        .join(User, pw.JOIN.LEFT_OUTER, on=(Enrollment.user == User.id))
    )


def _attended(enrollment_ids: list[int]) -> dict[int, tuple[float, int]]:
    """``{enrollment: (hours, sessions)}`` of the sessions each one was present at."""
    out: dict[int, tuple[float, int]] = {}
    for start in range(0, len(enrollment_ids), 500):
        query = (
            Attendance.select(Attendance.enrollment, CourseSession.starts_at, CourseSession.ends_at)
            .join(CourseSession)
            .where(Attendance.enrollment.in_(enrollment_ids[start : start + 500]) & (Attendance.present == True))  # noqa: E712
        )
        for enrollment_id, starts_at, ends_at in tuples(query):
            hours, sessions = out.get(enrollment_id, (0.0, 0))
            out[enrollment_id] = (hours + _hours(starts_at, ends_at), sessions + 1)
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def valid_until(last_day: dt.date | None, validity_months: int | None) -> dt.date | None:
    """The day a certification stops being valid (None when it does not expire)."""
    if last_day is None or not validity_months:
        return None
    return add_months(last_day, validity_months)


class TrainingService:
    """Courses, sessions, participants, attendance, results, history and the year's summary."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- courses --------------------------------------------------------------------------------

    def courses(self, year: int | None = None, audience: str = "", text: str = "") -> list[CourseRow]:
        """Courses (of a year: a session in it, or none yet), newest first."""
        self.session.require("training.view")
        query = Course.select().order_by(Course.id.desc())
        if audience:
            query = query.where(Course.audience == audience)
        rows = self._course_rows(list(query))
        if year is not None:
            rows = [
                r
                for r in rows
                if r.first_day is None or r.last_day is None or r.first_day.year <= year <= r.last_day.year
            ]
        words = [w for w in clean(text).casefold().split() if w]
        if words:
            rows = [r for r in rows if all(w in f"{r.title} {r.provider} {r.trainer}".casefold() for w in words)]
        return sorted(rows, key=lambda r: r.first_day or dt.date.max, reverse=True)

    def course(self, course_id: int) -> CourseRow:
        self.session.require("training.view")
        return self._course_rows([self._course(course_id)])[0]

    def find_id(self, key: int | str) -> int | None:
        """The id of the course whose id (a number) or uuid (text) is ``key``, or None."""
        self.session.require("training.view")
        match = Course.uuid == key if isinstance(key, str) else Course.id == key
        found = Course.select(Course.id).where(match).first()
        return found.id if found else None

    def _course(self, course_id: int) -> Course:
        course = Course.get_or_none(Course.id == course_id)
        if course is None:
            raise NotFound(_("La capacitación ya no existe."))
        return course

    def _course_rows(self, courses: list[Course]) -> list[CourseRow]:
        if not courses:
            return []
        ids = [c.id for c in courses]
        sessions: dict[int, list[CourseSession]] = {}
        for s in CourseSession.select().where(CourseSession.course.in_(ids)):
            sessions.setdefault(s.course_id, []).append(s)
        counts: dict[int, int] = dict(tuples(
            Enrollment.select(Enrollment.course, pw.fn.COUNT(Enrollment.id)).where(Enrollment.course.in_(ids))
            .group_by(Enrollment.course)
        ))  # fmt: skip
        entities: dict[int | None, Entity] = {e.id: e for e in Entity.select()}
        rows = []
        for c in courses:
            own = sorted(sessions.get(c.id, []), key=lambda s: s.starts_at)
            entity = entities.get(c.entity_id)
            rows.append(CourseRow(
                c.id, c.title, c.topic, c.audience, c.entity_id, entity.code if entity else c.provider,
                _(entity.name) if entity else c.provider, c.trainer, c.language, c.certification, c.validity_months,
                c.notes, own[0].starts_at.date() if own else None, own[-1].ends_at.date() if own else None, len(own),
                counts.get(c.id, 0), sum(_hours(s.starts_at, s.ends_at) for s in own), c.uuid, c.version,
            ))  # fmt: skip
        return rows

    def save_course(self, form: CourseForm, course_id: int | None = None) -> int:
        self.session.require("training.edit")
        errors = []
        title = clean(form.title)
        if not title:
            errors.append(FieldError("title", _("Escriba el nombre de la capacitación.")))
        elif len(title) > 150:
            errors.append(FieldError("title", _("El nombre es demasiado largo (máximo 150 caracteres).")))
        if form.topic not in TRAINING_TOPICS:
            errors.append(FieldError("topic", _("Elija el tema.")))
        if form.audience not in TRAINING_AUDIENCES:
            errors.append(FieldError("audience", _("Elija para quién es: el personal o la comunidad.")))
        if form.entity_id is None and not clean(form.provider):
            errors.append(FieldError("provider", _("Elija la entidad que la da, o escriba quién la da.")))
        elif form.entity_id is not None and not Entity.select().where(Entity.id == form.entity_id).exists():
            errors.append(FieldError("provider", _("La entidad ya no existe.")))
        if form.language not in SPOKEN_LANGUAGES:
            errors.append(FieldError("language", _("Elija la lengua en que se dicta.")))
        months = None
        if form.validity_months.strip():
            try:
                months = int(form.validity_months.strip())
            except ValueError:
                months = -1
            if not 1 <= months <= 120:
                errors.append(FieldError("validity_months", _("La vigencia es un número de meses, de 1 a 120.")))
            elif not clean(form.certification):
                errors.append(FieldError("certification", _("Una vigencia necesita la certificación que se otorga.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            course = Course() if course_id is None else self._course(course_id)
            if course_id is not None and course.audience != form.audience and course.enrollments.count():
                raise ValidationError(FieldError("audience", _("Ya tiene participantes: no se cambia para quién es.")))
            course.title, course.topic, course.audience = title, form.topic, form.audience
            course.entity_id = form.entity_id
            course.provider = "" if form.entity_id else within(clean(form.provider), 120, "provider")
            course.trainer, course.language = within(clean(form.trainer), 120, "trainer"), form.language
            course.certification, course.validity_months = (
                within(clean(form.certification), 150, "certification"),
                months,
            )
            course.notes = within((form.notes or "").strip(), 2000, "notes")
            self.session.save(course, summary=title, version=form.version, on_top=form.on_top)
            return course.id

    def delete_course(self, course_id: int) -> None:
        self.session.require("training.edit")
        with self.session.write():
            course = self._course(course_id)
            issued = Enrollment.select().where(
                (Enrollment.course == course_id) & Enrollment.certificate_code.is_null(False)
            )
            if issued.exists():
                raise TamboError(_("No se puede eliminar: ya se emitieron certificados de esta capacitación."))
            for enrollment in course.enrollments:
                self.session.delete(enrollment, summary=course.title)
            for row in course.sessions:
                self.session.delete(row, summary=course.title)
            self.session.delete(course, summary=course.title)

    # -- sessions -------------------------------------------------------------------------------

    def sessions(self, course_id: int) -> list[SessionRow]:
        self.session.require("training.view")
        query = CourseSession.select().where(CourseSession.course == course_id).order_by(CourseSession.starts_at)
        spaces: dict[int | None, str] = {s.id: s.name for s in Space.select(Space.id, Space.name)}
        communities: dict[int | None, str] = {c.id: c.name for c in Community.select(Community.id, Community.name)}
        rows = []
        for s in query:
            where = spaces.get(s.space_id) or communities.get(s.community_id) or label(SESSION_PLACES, s.place)
            rows.append(
                SessionRow(
                    s.id, s.course_id, s.starts_at, s.ends_at, s.place, s.space_id, s.community_id, where, s.version
                )
            )
        return rows

    def save_session(self, course_id: int, form: SessionForm, session_id: int | None = None) -> int:
        self.session.require("training.edit")
        errors = []
        if form.starts_at is None or form.ends_at is None:
            errors.append(FieldError("starts_at", _("Escriba la fecha y las horas de inicio y de fin.")))
        elif form.ends_at <= form.starts_at:
            errors.append(FieldError("ends_at", _("La hora de fin debe ser posterior a la de inicio.")))
        elif form.ends_at - form.starts_at > dt.timedelta(hours=12):
            errors.append(
                FieldError("ends_at", _("Una sesión dura como máximo 12 horas; registre cada día como otra sesión."))
            )
        if form.place not in SESSION_PLACES:
            errors.append(FieldError("place", _("Elija dónde es la sesión.")))
        elif (
            form.place == "outside" and not Community.select().where(Community.id == (form.community_id or 0)).exists()
        ):
            errors.append(FieldError("community", _("Elija el centro poblado de la sesión.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            course = self._course(course_id)
            row = CourseSession(course=course.id) if session_id is None else CourseSession.get_or_none(
                (CourseSession.id == session_id) & (CourseSession.course == course_id)
            )  # fmt: skip
            if row is None:
                raise NotFound(_("La sesión ya no existe."))
            assert form.starts_at is not None and form.ends_at is not None  # checked above
            row.starts_at = form.starts_at.replace(second=0, microsecond=0)
            row.ends_at = form.ends_at.replace(second=0, microsecond=0)
            row.place = form.place
            row.space_id = form.space_id if form.place == "inside" else None
            row.community_id = form.community_id if form.place == "outside" else None
            self.session.save(row, summary=course.title, version=form.version, on_top=form.on_top)
            return row.id

    def delete_session(self, session_id: int) -> None:
        self.session.require("training.edit")
        with self.session.write():
            row = CourseSession.get_or_none(CourseSession.id == session_id)
            if row is None:
                raise NotFound(_("La sesión ya no existe."))
            if Attendance.select().where((Attendance.session == session_id) & (Attendance.present == True)).exists():  # noqa: E712
                raise TamboError(_("No se puede eliminar: ya se tomó asistencia en esta sesión."))
            self.session.delete(row, summary=row.course.title)

    # -- participants ---------------------------------------------------------------------------

    def participants(self, course_id: int) -> list[ParticipantRow]:
        self.session.require("training.view")
        enrollments = list(_enrollments().where(Enrollment.course == course_id))
        attended = _attended([e.id for e in enrollments])
        rows = [self._participant(e, *attended.get(e.id, (0.0, 0))) for e in enrollments]
        return sorted(rows, key=lambda r: r.name.casefold())

    @staticmethod
    def _participant(e: Enrollment, hours: float, attended: int) -> ParticipantRow:
        if e.person_id:
            p = e.person
            assert p is not None  # the foreign key is set
            name = (
                _("Persona anonimizada")
                if p.anonymized
                else " ".join(x for x in (p.first_names, p.last_name_1, p.last_name_2) if x)
            )
            document = f"{label(DOCUMENT_TYPES, p.document_type)} {p.document_number}" if p.document_number else ""
            language = p.first_language if p.first_language in ("qu", "ay") else "es"
            return ParticipantRow(e.id, e.course_id, p.id, None, name, document, p.sex, p.birth_date, language, e.result,
                                  hours, attended, e.certificate_code)  # fmt: skip
        u = e.user
        assert u is not None  # an enrollment is of a person or of a staff account
        return ParticipantRow(e.id, e.course_id, None, u.id, u.full_name, "", "", None, u.language or "es", e.result, hours,
                              attended, e.certificate_code)  # fmt: skip

    def enroll(self, course_id: int, person_id: int | None = None, user_id: int | None = None) -> int:
        """Add a person (community courses) or a staff account (staff courses) to a course."""
        self.session.require("training.edit")
        with self.session.write():
            course = self._course(course_id)
            if course.audience == "community" and person_id is None:
                raise ValidationError(
                    FieldError("participant", _("Esta capacitación es para la comunidad: busque a la persona."))
                )
            if course.audience == "staff" and user_id is None:
                raise ValidationError(
                    FieldError("participant", _("Esta capacitación es para el personal: elija la cuenta."))
                )
            if person_id is not None:
                person = Person.get_or_none(Person.id == person_id)
                if person is None or person.anonymized:
                    raise NotFound(_("La persona ya no está registrada."))
                taken = Enrollment.select().where((Enrollment.course == course_id) & (Enrollment.person == person_id))
            else:
                if not User.select().where(User.id == user_id).exists():
                    raise NotFound(_("La cuenta ya no existe."))
                taken = Enrollment.select().where((Enrollment.course == course_id) & (Enrollment.user == user_id))
            if taken.exists():
                raise TamboError(_("Ya está inscrita en esta capacitación."))
            enrollment = Enrollment(course=course_id, person=person_id, user=user_id if person_id is None else None)
            self.session.save(enrollment, summary=course.title)
            return enrollment.id

    def remove(self, enrollment_id: int) -> None:
        self.session.require("training.edit")
        with self.session.write():
            enrollment = Enrollment.get_or_none(Enrollment.id == enrollment_id)
            if enrollment is None:
                raise NotFound(_("El participante ya no está inscrito."))
            if enrollment.certificate_code:
                raise TamboError(_("Ya tiene un certificado emitido: no se le quita de la capacitación."))
            Attendance.delete().where(Attendance.enrollment == enrollment_id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
            self.session.delete(enrollment, summary=enrollment.course.title)

    def attendance(self, session_id: int) -> set[int]:
        """The enrollments present at a session."""
        self.session.require("training.view")
        query = Attendance.select(Attendance.enrollment).where(
            (Attendance.session == session_id) & (Attendance.present == True)  # noqa: E712
        )
        return {a.enrollment_id for a in query}

    def set_attendance(self, session_id: int, present: set[int]) -> None:
        """Save the whole list of a session at once: the ticked are present, the others absent.
        A participant marked present who was only enrolled becomes «attended»."""
        self.session.require("training.edit")
        with self.session.write():
            row = CourseSession.get_or_none(CourseSession.id == session_id)
            if row is None:
                raise NotFound(_("La sesión ya no existe."))
            if row.starts_at.date() > dates.today():
                raise TamboError(_("La sesión aún no ocurre: la asistencia se toma el mismo día o después."))
            enrolled = {e.id: e for e in Enrollment.select().where(Enrollment.course == row.course_id)}
            unknown = present - set(enrolled)
            if unknown:
                raise TamboError(_("Alguien de la lista ya no está inscrito; vuelva a abrir la asistencia."))
            before = self.attendance(session_id)
            Attendance.delete().where(Attendance.session == session_id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
            for enrollment_id in enrolled:
                Attendance.create(enrollment=enrollment_id, session=session_id, present=enrollment_id in present)
            for enrollment_id in present:
                e = enrolled[enrollment_id]
                if e.result == "enrolled":
                    e.result = "attended"
                    self.session.save(e, summary=row.course.title)
            changes = {"present": [len(before), len(present)]}
            self.session.audit(
                "update", "course_session", row.uuid, _("Asistencia: {n} presentes").format(n=len(present)), changes
            )

    def set_result(self, enrollment_ids: list[int], result: str) -> None:
        self.session.require("training.edit")
        if result not in TRAINING_RESULTS:
            raise ValidationError(FieldError("result", _("Resultado desconocido.")))
        with self.session.write():
            for enrollment_id in enrollment_ids:
                e = Enrollment.get_or_none(Enrollment.id == enrollment_id)
                if e is None:
                    raise NotFound(_("El participante ya no está inscrito."))
                if e.certificate_code and result not in CERTIFIED:
                    raise TamboError(_("Ya tiene un certificado emitido: su resultado no puede quedar sin certificar."))
                e.result = result
                self.session.save(e, summary=e.course.title)

    # -- follow-up ------------------------------------------------------------------------------

    def history(self, person_id: int | None = None, user_id: int | None = None) -> list[HistoryRow]:
        """A person's or a staff member's courses, newest first, with hours and validity."""
        self.session.require("training.view")
        enrollments = list(Enrollment.select().where(
            (Enrollment.person == person_id) if person_id is not None else (Enrollment.user == user_id)
        ))  # fmt: skip
        attended = _attended([e.id for e in enrollments])
        ids = [e.course_id for e in enrollments]
        courses = {c.id: c for c in self._course_rows(list(Course.select().where(Course.id.in_(ids))))} if ids else {}
        rows = []
        for e in enrollments:
            course = courses[e.course_id]
            hours = attended.get(e.id, (0.0, 0))[0]
            certified = e.result in CERTIFIED and bool(course.certification)
            until = valid_until(course.last_day, course.validity_months) if certified else None
            rows.append(HistoryRow(course.id, course.title, course.topic, course.provider, course.last_day, hours, e.result,
                                   course.certification if certified else "", until, e.certificate_code))  # fmt: skip
        return sorted(rows, key=lambda r: r.last_day or dt.date.min, reverse=True)

    def expiring(self, today: dt.date | None = None, days: int = EXPIRY_WARNING_DAYS) -> list[ExpiringRow]:
        """Certifications that expire within ``days`` (or expired in the last ``days``), soonest first.
        A newer course of the same certification that the person passed replaces the old one."""
        self.session.require("training.view")
        today = today or dates.today()
        courses = {
            c.id: c for c in self._course_rows(list(Course.select().where(Course.validity_months.is_null(False))))
        }
        latest: dict[tuple, tuple[dt.date, ExpiringRow | None]] = {}
        query = (
            _enrollments().where(Enrollment.course.in_(list(courses)) & Enrollment.result.in_(CERTIFIED))
            if courses
            else []
        )
        for e in query:
            course = courses[e.course_id]
            until = valid_until(course.last_day, course.validity_months)
            if until is None:
                continue
            key = (e.person_id, e.user_id, course.certification.casefold())
            name = self._participant(e, 0.0, 0).name
            row = ExpiringRow(
                name, e.user_id, e.person_id, course.id, course.certification, until, (until - today).days
            )
            if key not in latest or latest[key][0] < until:
                latest[key] = (until, row)
        rows = [row for _until, row in latest.values() if row is not None and -days <= row.days_left <= days]
        return sorted(rows, key=lambda r: r.valid_until)

    def year_summary(self, year: int) -> list[list[object]]:
        """One row per course of the year: participants by sex and age group, hours, certificates."""
        self.session.require("training.export")
        out = []
        for course in sorted(self.courses(year), key=lambda c: c.first_day or dt.date.max):
            if course.first_day is None or course.last_day is None:
                continue
            participants = self.participants(course.id)
            by_sex = {code: sum(1 for p in participants if p.sex == code) for code in SEXES}
            groups = {code: 0 for code in AGE_GROUPS}
            for p in participants:
                if p.person_id is not None:
                    groups[age_group(p.birth_date, course.first_day)] += 1
            out.append([
                course.first_day.isoformat(), course.last_day.isoformat(), course.title,
                label(TRAINING_TOPICS, course.topic), label(TRAINING_AUDIENCES, course.audience), course.provider,
                course.sessions, round(course.hours, 2), len(participants), *by_sex.values(),
                sum(1 for p in participants if p.user_id), *groups.values(),
                sum(1 for p in participants if p.result in CERTIFIED), round(sum(p.hours for p in participants), 2),
                sum(1 for p in participants if p.certificate_code),
            ])  # fmt: skip
        return out

    @staticmethod
    def summary_header() -> list[str]:
        return [
            _("Inicio"), _("Fin"), _("Capacitación"), _("Tema"), _("Dirigida a"), _("Entidad o proveedor"), _("Sesiones"),
            _("Horas del curso"), _("Participantes"), *(label(SEXES, s) for s in SEXES), _("Personal del tambo"),
            *(label(AGE_GROUPS, g) for g in AGE_GROUPS), _("Asistieron o aprobaron"), _("Horas-participante"),
            _("Certificados emitidos"),
        ]  # fmt: skip

    def export_year(self, year: int, path: Path, fmt: str) -> int:
        """Write the year's summary as CSV or XLSX; returns the number of courses."""
        from tambo_desktop.formats.tabular import write_table

        rows = self.year_summary(year)
        write_table(Path(path), self.summary_header(), rows, fmt)
        with self.session.write():
            summary = _("Resumen de capacitaciones {year}: {n} cursos").format(year=year, n=len(rows))
            self.session.audit("export", "course", summary=summary)
        return len(rows)
