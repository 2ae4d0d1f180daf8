"""The monthly (and yearly) report of the tambo: what PAIS asks of a month, gathered in one object.

Every atención and usuario figure comes from :class:`IndicatorService` (the one rule, see
``services/indicators.py``); the other sections come from their own services (interventions,
training, trips and fuel, campaigns, diagnostics, monthly plans), so that the report and the
pages that show the same things can never disagree. The report is a plain frozen value that the
PDF (``documents/monthly_report.py``) and the XLSX (one sheet per section) only format.

* **Coverage of the ámbito**: a centro poblado is *reached* when at least one person living there
  received an atención in the period (the indicators' ``community`` breakdown); the ámbito is every
  centro poblado registered; the population share is the reached ones' population over the
  population of all those that have one recorded. "In the year" runs from 1 January to the end of
  the month.
* **Interventions**: those that start in the period, by entity and by their status now (an
  intervention rescheduled and then executed counts as executed); the reasons are those of the
  rescheduled and suspended ones.
* **Trainings**: courses with a session in the period: its sessions' hours in the period, the
  participants enrolled and the certificates issued.
* **Field visits**: trips that depart in the period; fuel bought against the vehicles' allocations.
* **Campaigns**: campaigns with an intervention in the period; reach is the atenciones recorded
  during those interventions against the participants expected.
* **The map of the ámbito**: every centro poblado at its coordinates (or its distance from the
  tambo), marked by how recently its residents were served: the day of their last atención in the
  year up to the end of the period (:meth:`IndicatorService.served`, the counting rule), the same
  as the Today and month pages' map (:func:`community_places`).
* **Needs**: for each centro poblado, its latest diagnostic made by the end of the period.
* **Notes**: the gestores' monthly plans of the month (needs, potentials, the supervisor's
  comments) and an optional free-text note typed when the report is made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tambo_desktop import dates
from tambo_desktop.db.models import Community, Tambo
from tambo_desktop.db.sql import tuples
from tambo_desktop.documents.monthly_report_charts import YEAR_BACK, Place, recency_of
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.formats.tabular import write_sheets
from tambo_desktop.i18n import N_, _, format_date, use_language
from tambo_desktop.services.campaigns import CampaignService
from tambo_desktop.services.diagnostics import DiagnosticRow, DiagnosticService
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.goals import parse_month
from tambo_desktop.services.indicators import UNKNOWN, Count, Indicators, IndicatorService, month_range
from tambo_desktop.services.interventions import InterventionFilter, InterventionService
from tambo_desktop.services.plans import PlanService
from tambo_desktop.services.session import Session
from tambo_desktop.services.staff import StaffSummary
from tambo_desktop.services.training import TrainingService
from tambo_desktop.services.trips import TripService
from tambo_desktop.vocabulary import INTERVENTION_STATUSES, NEEDS, label

NOTE_MAX = 4000
FIRST_YEAR, LAST_YEAR = 2013, 2100
L_SERVED = N_("{name}: última atención el {date} (hace {days} días)")
L_NOT_SERVED = N_("{name}: ninguna atención en el último año")


def community_places(session: Session, end: dt.date) -> tuple[Place, ...]:
    """Every centro poblado of the ámbito for the map: where it is (coordinates, or the distance
    from the tambo) and how recently its residents were served by ``end``: their last atención in
    the year up to it, by the counting rule (:meth:`IndicatorService.served`; ``indicators.view``).
    The Today and month pages' map and the report's print the same places."""
    session.require("indicators.view")
    served = IndicatorService(session).served(end - dt.timedelta(days=YEAR_BACK), end)
    c = Community
    rows = tuples(c.select(c.id, c.name, c.latitude, c.longitude, c.distance_km).order_by(c.name_key, c.id))
    places = []
    for key, name, latitude, longitude, distance in rows:
        last = served.get(key)
        if last is None:
            tip = _(L_NOT_SERVED).format(name=name)
        else:
            tip = _(L_SERVED).format(name=name, date=format_date(last, "short"), days=(end - last).days)
        places.append(
            Place(key, name, _float(latitude), _float(longitude), _float(distance), recency_of(last, end), tip)
        )
    return tuple(places)


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReportRequest:
    """What to report: a month (``month`` 1–12) or a whole year (``month`` None)."""

    year: int
    month: int | None = None
    language: str = "es"
    note: str = ""  # the gestor's free-text note, printed at the end

    @property
    def period(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def last_day(self) -> dt.date:
        return month_range(self.year, self.month)[1] if self.month else dt.date(self.year, 12, 31)


def parse_request(month: str = "", year: str = "", language: str = "es", note: str = "") -> ReportRequest:
    """The request from the text typed (``AAAA-MM`` or ``AAAA``); a clear error when wrong."""
    if month:
        period = parse_month(month)
        if period is None:
            raise ValidationError(FieldError("month", _("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(
                value=month.strip())))  # fmt: skip
        request = ReportRequest(period[0], period[1], language, note)
    else:
        text = (year or "").strip()
        if not (text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= LAST_YEAR):
            raise ValidationError(
                FieldError("year", _("Año no válido: «{value}». Escríbalo como AAAA.").format(value=text))
            )
        request = ReportRequest(int(text), None, language, note)
    if len(note) > NOTE_MAX:
        raise ValidationError(
            FieldError("note", _("La nota es demasiado larga (máximo {n} caracteres).").format(n=NOTE_MAX))
        )
    return request


@dataclass(frozen=True)
class CommunityReach:
    key: str  # the community's uuid
    name: str
    attentions: int
    users: int
    population: int | None


@dataclass(frozen=True)
class Coverage:
    communities: int  # centros poblados of the ámbito
    population: int  # of those with a population recorded
    reached: tuple[CommunityReach, ...]  # in the period, most atenciones first
    reached_year: int  # from 1 January to the end of the period
    population_reached: int
    population_reached_year: int
    unknown_attentions: int  # atenciones of people without a centro poblado recorded

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None


@dataclass(frozen=True)
class InterventionCounts:
    entity: str  # the entity's code, or the tambo itself
    total: int
    by_status: dict[str, int]  # vocabulary.INTERVENTION_STATUSES → count


@dataclass(frozen=True)
class InterventionReason:
    day: dt.date
    entity: str
    title: str
    status: str
    reason: str


@dataclass(frozen=True)
class TrainingLine:
    title: str
    provider: str
    first_day: dt.date | None
    last_day: dt.date | None
    sessions: int
    hours: float
    participants: int
    certificates: int


@dataclass(frozen=True)
class FieldVisits:
    trips: int
    communities: tuple[str, ...]  # visited, in order of first visit
    km: int
    gallons_bought: Decimal
    gallons_assigned: Decimal
    soles_bought: Decimal
    soles_assigned: Decimal
    vehicles: tuple[tuple[str, Decimal, Decimal, int], ...]  # name, assigned gal, bought gal, km


@dataclass(frozen=True)
class CampaignLine:
    title: str
    interventions: int
    expected: int  # participants expected (those with a figure)
    attentions: int


@dataclass(frozen=True)
class NeedLine:
    code: str
    label: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    author: str
    title: str  # what the note is: the plan's needs, potentials, the supervisor's comments, a free note
    text: str


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the report shows (labels already in ``request.language``)."""

    request: ReportRequest
    tambo_name: str
    tambo_place: str
    indicators: Indicators
    trend: tuple[Count, ...]  # the 12 months ending with the month (the year's months for a year)
    pyramid: dict[tuple[str, str], tuple[int, int]]  # (age group, sex) → (atenciones, usuarios)
    coverage: Coverage
    interventions: tuple[InterventionCounts, ...]
    reasons: tuple[InterventionReason, ...]
    trainings: tuple[TrainingLine, ...]
    field_visits: FieldVisits
    campaigns: tuple[CampaignLine, ...]
    diagnostics_made: int  # in the period
    needs: tuple[NeedLine, ...]
    notes: tuple[Note, ...] = field(default_factory=tuple)
    staff: tuple[StaffSummary, ...] = field(default_factory=tuple)  # the staff's days (those the reader may see)
    places: tuple[Place, ...] = field(default_factory=tuple)  # the map of the ámbito on ``map_day``
    map_day: dt.date | None = None  # the period's last day (today, in the current period)

    @property
    def yearly(self) -> bool:
        return self.request.month is None


class ReportService:
    """Gather, and write as PDF or XLSX, the month's or the year's report (``reports.view``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def build(self, request: ReportRequest) -> MonthlyReport:
        """The report's data, its labels in the request's language."""
        self.session.require("reports.view")
        with use_language(request.language):
            return self._build(request)

    def export(self, request: ReportRequest, path: Path, fmt: str) -> int:
        """Write the report as ``pdf`` or ``xlsx``; returns the PDF's pages (the XLSX's sheets)."""
        self.session.require("reports.view")
        if fmt not in ("pdf", "xlsx"):
            raise ValidationError(FieldError("format", _("Formato desconocido: «{value}».").format(value=fmt)))
        report = self.build(request)
        from tambo_desktop.documents import monthly_report

        with use_language(request.language):
            if fmt == "pdf":
                pages = monthly_report.render(report, Path(path))
            else:
                sheets = monthly_report.sheets(report)
                write_sheets(Path(path), sheets)
                pages = len(sheets)
        with self.session.write():
            self.session.audit("export", "report", summary=_("Informe {period} ({fmt}, {language})").format(
                period=request.period, fmt=fmt, language=request.language))  # fmt: skip
        return pages

    # -- the sections ---------------------------------------------------------------------------

    def _build(self, request: ReportRequest) -> MonthlyReport:
        indicators = IndicatorService(self.session)
        first, last = request.first_day, request.last_day
        if request.month is None:
            result = indicators.year(request.year)
            trend = tuple(result.breakdowns["month"])
        else:
            result = indicators.month(request.year, request.month)
            trend = tuple(indicators.trend(request.year, request.month, 12))
        pyramid = indicators.crossed("age_group", "sex", first, last)
        year_reached = (
            result.breakdowns["community"]
            if request.month is None
            else indicators.breakdown("community", dt.date(request.year, 1, 1), last)
        )
        interventions, reasons = self._interventions(first, last)
        map_day = min(last, dates.today())
        made, needs = self._diagnostics(first, last)
        tambo = Tambo.select().first()
        place = ""
        if tambo is not None:
            place = ", ".join(x for x in (tambo.centro_poblado, tambo.district.name.title()) if x)
        return MonthlyReport(
            request=request,
            tambo_name=tambo.name if tambo else "",
            tambo_place=place,
            indicators=result,
            trend=trend,
            pyramid=pyramid,
            coverage=self._coverage(result.breakdowns["community"], year_reached),
            interventions=interventions,
            reasons=reasons,
            trainings=self._trainings(first, last),
            field_visits=self._field_visits(request),
            campaigns=self._campaigns(first, last),
            diagnostics_made=made,
            needs=needs,
            notes=self._notes(request),
            staff=self._staff(request),
            places=community_places(self.session, map_day),
            map_day=map_day,
        )

    def _staff(self, request: ReportRequest) -> tuple[StaffSummary, ...]:
        """The staff's days at the tambo and in the field, leave, holidays, interventions and
        atenciones, from the staff's daily record (a year: its twelve months added up)."""
        from tambo_desktop.services.staff import StaffService

        service = StaffService(self.session)
        if not self.session.can("staff.view"):
            return ()
        months = [request.month] if request.month is not None else list(range(1, 13))
        totals: dict[int, StaffSummary] = {}
        for month in months:
            for row in service.month_summary(request.year, month):
                seen = totals.get(row.user_id)
                totals[row.user_id] = row if seen is None else dataclasses.replace(
                    seen, days_at_tambo=seen.days_at_tambo + row.days_at_tambo,
                    days_in_field=seen.days_in_field + row.days_in_field, leave_days=seen.leave_days + row.leave_days,
                    holidays=seen.holidays + row.holidays, interventions=seen.interventions + row.interventions,
                    attentions=seen.attentions + row.attentions)  # fmt: skip
        return tuple(sorted(totals.values(), key=lambda r: r.full_name))

    @staticmethod
    def _coverage(period: list[Count], year: list[Count]) -> Coverage:
        population = {u: p for u, p in tuples(Community.select(Community.uuid, Community.population))}
        known = [c for c in period if c.key != UNKNOWN and c.attentions]
        known_year = [c for c in year if c.key != UNKNOWN and c.attentions]
        reached = tuple(CommunityReach(c.key, c.label, c.attentions, c.users, population.get(c.key)) for c in known)
        return Coverage(
            communities=len(population),
            population=sum(p for p in population.values() if p),
            reached=reached,
            reached_year=len(known_year),
            population_reached=sum(population.get(c.key) or 0 for c in known),
            population_reached_year=sum(population.get(c.key) or 0 for c in known_year),
            unknown_attentions=sum(c.attentions for c in period if c.key == UNKNOWN),
        )

    def _interventions(
        self, first: dt.date, last: dt.date
    ) -> tuple[tuple[InterventionCounts, ...], tuple[InterventionReason, ...]]:
        rows = [
            r
            for r in InterventionService(self.session).list(InterventionFilter(first, last))
            if first <= r.starts_at.date() <= last
        ]
        by_entity: dict[str, dict[str, int]] = {}
        for r in rows:
            counts = by_entity.setdefault(r.entity_label, dict.fromkeys(INTERVENTION_STATUSES, 0))
            counts[r.status] = counts.get(r.status, 0) + 1
        table = tuple(
            InterventionCounts(entity, sum(counts.values()), counts)
            for entity, counts in sorted(by_entity.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        )
        reasons = tuple(
            InterventionReason(
                r.starts_at.date(), r.entity_label, r.title, label(INTERVENTION_STATUSES, r.status), r.status_reason
            )
            for r in rows
            if r.status in ("rescheduled", "suspended")
        )
        return table, reasons

    def _trainings(self, first: dt.date, last: dt.date) -> tuple[TrainingLine, ...]:
        training = TrainingService(self.session)
        lines = []
        for course in training.courses(first.year):
            if (
                course.first_day is None
                or course.last_day is None
                or course.last_day < first
                or course.first_day > last
            ):
                continue
            sessions = [s for s in training.sessions(course.id) if first <= s.starts_at.date() <= last]
            if not sessions:
                continue
            participants = training.participants(course.id)
            lines.append(TrainingLine(
                course.title, course.provider, course.first_day, course.last_day, len(sessions),
                round(sum(s.hours for s in sessions), 2), len(participants),
                sum(1 for p in participants if p.certificate_code),
            ))  # fmt: skip
        return tuple(sorted(lines, key=lambda t: (t.first_day or dt.date.max, t.title)))

    def _field_visits(self, request: ReportRequest) -> FieldVisits:
        trips = TripService(self.session).list(request.first_day, request.last_day)
        communities = tuple(dict.fromkeys(c for t in trips for c in t.communities))
        months = [request.month] if request.month else list(range(1, 13))
        vehicles: dict[str, list] = {}
        fuel = FuelService(self.session)
        for month in months:
            for b in fuel.balance(request.year, month):
                row = vehicles.setdefault(b.vehicle, [Decimal(0), Decimal(0), 0, Decimal(0), Decimal(0)])
                row[0] += b.assigned_gallons
                row[1] += b.bought_gallons
                row[2] += b.km
                row[3] += b.assigned_soles
                row[4] += b.bought_soles
        return FieldVisits(
            trips=len(trips),
            communities=communities,
            km=sum(t.km or 0 for t in trips),
            gallons_bought=sum((t.fuel_gallons or Decimal(0) for t in trips), Decimal(0)),
            gallons_assigned=sum((v[0] for v in vehicles.values()), Decimal(0)),
            soles_bought=sum((t.fuel_soles or Decimal(0) for t in trips), Decimal(0)),
            soles_assigned=sum((v[3] for v in vehicles.values()), Decimal(0)),
            vehicles=tuple((name, v[0], v[1], v[2]) for name, v in sorted(vehicles.items())),
        )

    def _campaigns(self, first: dt.date, last: dt.date) -> tuple[CampaignLine, ...]:
        service = CampaignService(self.session)
        lines = []
        for campaign in service.list():
            reach = [r for r in service.reach(campaign.id) if first <= r.intervention.starts_at.date() <= last]
            if reach:
                lines.append(CampaignLine(campaign.title, len(reach), sum(r.expected or 0 for r in reach),
                                          sum(r.attentions for r in reach)))  # fmt: skip
        return tuple(lines)

    def _diagnostics(self, first: dt.date, last: dt.date) -> tuple[int, tuple[NeedLine, ...]]:
        rows = DiagnosticService(self.session).list()  # newest first
        made = sum(1 for d in rows if first <= d.made_on <= last)
        latest: dict[int, DiagnosticRow] = {}
        for d in rows:
            if d.made_on <= last and d.community_id not in latest:
                latest[d.community_id] = d
        needs: dict[str, list[str]] = {}
        for d in latest.values():
            for code in d.needs:
                needs.setdefault(code, []).append(d.community)
        lines = [NeedLine(code, label(NEEDS, code), tuple(sorted(names))) for code, names in needs.items()]
        return made, tuple(sorted(lines, key=lambda n: (-len(n.communities), n.label)))

    def _notes(self, request: ReportRequest) -> tuple[Note, ...]:
        notes: list[Note] = []
        if request.month is not None:
            plans = PlanService(self.session)
            for gestor_id, _name in plans.gestores():
                plan = plans.get(request.year, request.month, gestor_id)
                for title, text in ((_("Necesidades"), plan.needs), (_("Potencialidades"), plan.potentials),
                                    (_("Comentarios del supervisor"), plan.review_comments)):  # fmt: skip
                    if text.strip():
                        notes.append(Note(plan.gestor_name, title, text.strip()))
        if request.note.strip():
            notes.append(Note(self.session.user.full_name, _("Nota"), request.note.strip()))
        return tuple(notes)
