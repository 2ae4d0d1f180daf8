"""The month's schedule, printed and shared: an A4 PDF to post at the door and send to the
municipality (in the chosen language), and an ``.ics`` file that calendar programs import.

The PDF lists what will happen (programmed, rescheduled and executed interventions); the
``.ics`` file also carries suspended ones, as cancelled, so a calendar that imported the month
before learns of the change (same UID, higher SEQUENCE).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from tambo_desktop.db.models import District, InterventionEvent, Tambo
from tambo_desktop.files import write_bytes
from tambo_desktop.i18n import _, format_datetime, format_time, use_language
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.interventions import InterventionFilter, InterventionRow, InterventionService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import INTERVENTION_STATUSES, label

ZONE = "America/Lima"
#: What the door schedule shows.
PUBLIC = ("programmed", "rescheduled", "executed")
ICS_STATUS = {"requested": "TENTATIVE", "programmed": "CONFIRMED", "rescheduled": "CONFIRMED",
              "executed": "CONFIRMED", "suspended": "CANCELLED"}  # fmt: skip


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def event_text(rows: list[InterventionRow], tambo_name: str) -> str:
    """A short VEVENT for a QR code (a phone's camera offers to add it to the calendar): the first
    intervention's day, the others named in the description."""
    if not rows:
        return ""
    first = rows[0]
    same_day = [r for r in rows if r.starts_at.date() == first.starts_at.date()]
    summary = ", ".join(dict.fromkeys(r.entity_label for r in rows)) + f" - {tambo_name}"
    where = first.community_name if first.place == "outside" else (first.space_name or tambo_name)
    description = "; ".join(
        f"{r.entity_label} {format_datetime(r.starts_at, 'day_month')}-{format_time(r.ends_at)}" for r in rows
    )
    return "\n".join([
        "BEGIN:VEVENT", f"SUMMARY:{_ics_text(summary)}", f"DTSTART:{first.starts_at:%Y%m%dT%H%M%S}",
        f"DTEND:{max(r.ends_at for r in same_day):%Y%m%dT%H%M%S}", f"LOCATION:{_ics_text(where)}",
        f"DESCRIPTION:{_ics_text(description)}", "END:VEVENT",
    ])  # fmt: skip


class ScheduleService:
    """Export one month of interventions, for all entities or one."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.interventions = InterventionService(session)

    def month(self, year: int, month: int, entity_id: int | None = None) -> list[InterventionRow]:
        self.session.require("interventions.view")
        first, last = month_range(year, month)
        return self.interventions.list(InterventionFilter(first, last, entity_id=entity_id))

    # -- PDF ------------------------------------------------------------------------------------

    def export_pdf(self, year: int, month: int, path: Path, language: str | None = None,
                   entity_id: int | None = None) -> int:  # fmt: skip
        """Write the door schedule in ``language`` (by default the user's); returns the number of pages."""
        from tambo_desktop.documents import schedule

        self.session.require("interventions.view")
        language = language or self.session.user.language
        with use_language(language):  # the rows' service and entity names in the schedule's language
            rows = [r for r in self.month(year, month, entity_id) if r.status in PUBLIC]
        tambo = Tambo.select().first()
        district = District.get_or_none(District.code == tambo.district_id) if tambo else None
        place = ", ".join(x for x in (tambo.centro_poblado, district.name if district else "") if x) if tambo else ""
        document = schedule.ScheduleDocument(
            year=year,
            month=month,
            rows=rows,
            language=language,
            tambo_name=tambo.name if tambo else "",
            place=place,
            phone=(tambo.phone or "") if tambo else "",
        )
        return schedule.render(document, Path(path))

    # -- iCalendar ------------------------------------------------------------------------------

    def export_ics(self, year: int, month: int, path: Path, entity_id: int | None = None) -> int:
        """Write an iCalendar file with the month's interventions; returns the number of events."""
        from icalendar import Calendar, Event

        self.session.require("interventions.view")
        rows = [r for r in self.month(year, month, entity_id) if r.status != "requested"]
        zone = ZoneInfo(ZONE)
        tambo = Tambo.select().first()
        sequences = self._sequences([r.id for r in rows])
        calendar = Calendar()
        calendar.add("prodid", "-//TAMBO Desktop//Programacion//ES")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", tambo.name if tambo else "TAMBO")
        calendar.add("x-wr-timezone", ZONE)
        stamp = dt.datetime.now(dt.UTC)
        for row in rows:
            event = Event()
            event.add("uid", f"{row.uuid}@tambo-{tambo.code if tambo else 'local'}")
            event.add("dtstamp", stamp)
            event.add("dtstart", row.starts_at.replace(tzinfo=zone))
            event.add("dtend", row.ends_at.replace(tzinfo=zone))
            event.add("summary", f"{row.entity_label} — {row.title}")
            event.add("location", row.where)
            lines = list(row.service_names)
            if row.contact_name or row.contact_phone:
                lines.append(
                    _("Contacto: {name} {phone}").format(name=row.contact_name, phone=row.contact_phone).strip()
                )
            if row.gestor_name:
                lines.append(_("Responsable: {name}").format(name=row.gestor_name))
            if row.status_reason:
                lines.append(f"{label(INTERVENTION_STATUSES, row.status)}: {row.status_reason}")
            event.add("description", "\n".join(lines))
            event.add("status", ICS_STATUS[row.status])
            event.add("sequence", sequences.get(row.id, 0))
            if row.entity_code:
                event.add("categories", [row.entity_code])
            calendar.add_component(event)
        calendar.add_missing_timezones()
        write_bytes(Path(path), calendar.to_ical())
        return len(rows)

    @staticmethod
    def _sequences(ids: list[int]) -> dict[int, int]:
        """How many times each intervention was rescheduled or suspended (iCalendar SEQUENCE)."""
        out: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            query = InterventionEvent.select(InterventionEvent.intervention).where(
                InterventionEvent.intervention.in_(ids[start : start + 500])
                & InterventionEvent.action.in_(("rescheduled", "suspended"))
            )
            for event in query:
                out[event.intervention_id] = out.get(event.intervention_id, 0) + 1
        return out
