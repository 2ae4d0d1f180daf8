"""The month's door schedule (A4): what will happen, day by day, in the chosen language.
The data comes from :class:`tambo_desktop.services.schedule.ScheduleService`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambo_desktop import dates
from tambo_desktop.dates import capitalized
from tambo_desktop.i18n import _, format_date, use_language
from tambo_desktop.vocabulary import INTERVENTION_STATUSES, label


@dataclass(frozen=True)
class ScheduleDocument:
    """One month of public interventions (rows: the service's ``InterventionRow``s)."""

    year: int
    month: int
    rows: list[Any]
    language: str
    tambo_name: str
    place: str
    phone: str


def render(document: ScheduleDocument, path: Path) -> int:
    """Write the door schedule; returns the number of pages."""
    from tambo_desktop.documents.style import build_pdf, table, text

    rows, year, month = document.rows, document.year, document.month
    with use_language(document.language):
        month_name = format_date(dt.date(year, month, 1), "month_year")
        title = _("Programación de intervenciones — {month}").format(month=month_name)
        story = [text(title, "title")]
        if document.tambo_name:
            story.append(text(f"{document.tambo_name} · {document.place}", "subtitle"))
            if document.phone:
                story.append(text(_("Teléfono del tambo: {phone}").format(phone=document.phone), "subtitle"))
        story.append(text(_("Los servicios son gratuitos. Lleve su DNI."), "body"))
        if not rows:
            story.append(text(_("No hay intervenciones programadas este mes."), "body"))
        header = [_("Día"), _("Hora"), _("Intervención y servicios"), _("Entidad"), _("Lugar"), _("Responsable")]
        body, day = [], None
        for row in rows:
            first = row.starts_at.date() != day
            day = row.starts_at.date()
            what = row.title
            if row.service_names:
                what += "\n" + "; ".join(row.service_names)
            if row.status == "rescheduled":
                what += "\n" + _("Reprogramada: {reason}").format(reason=row.status_reason)
            elif row.status == "executed":
                what += "\n" + label(INTERVENTION_STATUSES, "executed")
            when = f"{row.starts_at:%H:%M}–{row.ends_at:%H:%M}"
            if row.ends_at.date() != row.starts_at.date():
                when = f"{row.starts_at:%H:%M}–{format_date(row.ends_at.date(), 'day_month')} {row.ends_at:%H:%M}"
            shown_day = capitalized(format_date(day, "weekday_day")) if first else ""
            body.append([text(shown_day, "cell_bold"), when, what, row.entity_label, row.where, row.gestor_name])
        if body:
            story.append(table([header, *body], (0.14, 0.125, 0.295, 0.12, 0.16, 0.16)))  # «Miyirkulis 30» on one line
        footer = _("TAMBO Desktop · impreso el {date}").format(date=format_date(dates.today(), "short"))
        return build_pdf(path, story, title=title, footer=footer, author=document.tambo_name)
