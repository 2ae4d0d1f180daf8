"""A PIAS voyage's itinerary (A4): the route stop by stop, the entities aboard, fuel and supplies,
in the chosen language. The data comes from ``VoyageService.export_itinerary_pdf``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tambo_desktop import dates
from tambo_desktop.dates import capitalized
from tambo_desktop.i18n import _, format_date, format_number, use_language
from tambo_desktop.vocabulary import SHIP_MODULES, STOP_STATUSES, label


@dataclass(frozen=True)
class ItineraryStop:
    position: int
    community: str
    district: str
    arrives_at: dt.datetime
    departs_at: dt.datetime
    distance_km: Decimal | None
    travel_hours: Decimal | None
    expected_people: int | None
    status: str  # vocabulary.STOP_STATUSES
    reason: str
    rescheduled: str = ""  # the reason of its last reschedule


@dataclass(frozen=True)
class ItineraryEntity:
    code: str
    name: str
    staff: str
    services: str


@dataclass(frozen=True)
class ItineraryDocument:
    language: str
    platform_name: str
    ship_name: str
    navy_code: str
    modules: tuple[str, ...]  # vocabulary.SHIP_MODULES codes
    voyage_name: str
    basin: str
    stops: tuple[ItineraryStop, ...]
    entities: tuple[ItineraryEntity, ...]
    fuel_planned: Decimal | None
    supplies: str
    phone: str = ""


def _when(value: dt.datetime) -> str:
    return f"{capitalized(format_date(value.date(), 'weekday_day_month'))} {value:%H:%M}"


def render(document: ItineraryDocument, path: Path) -> int:
    """Write the itinerary; returns the number of pages."""
    from tambo_desktop.documents.style import build_pdf, heading, table, text

    with use_language(document.language):
        title = _("Itinerario: {voyage}").format(voyage=document.voyage_name)
        story = [text(title, "title")]
        ship = document.ship_name + (f" ({document.navy_code})" if document.navy_code else "")
        story.append(text(" · ".join(x for x in (document.platform_name, ship, document.basin) if x), "subtitle"))
        live = [s for s in document.stops if s.status != "skipped"]
        if live:
            span = _("Del {start} al {end}. Paradas: {n}. Personas esperadas: {people}.").format(
                start=format_date(live[0].arrives_at.date(), "long"), end=format_date(live[-1].departs_at.date(), "long"),
                n=len(live), people=format_number(sum(s.expected_people or 0 for s in live)),
            )  # fmt: skip
            story.append(text(span, "body"))
        else:
            story.append(text(_("Esta travesía todavía no tiene paradas."), "body"))
        if document.phone:
            story.append(text(_("Teléfono de la PIAS: {phone}").format(phone=document.phone), "body"))
        header = [
            _("N.º"),
            _("Centro poblado"),
            _("Llegada"),
            _("Salida"),
            _("Desde la anterior"),
            _("Esperadas"),
            _("Estado"),
        ]
        body = []
        for stop in document.stops:
            leg = []
            if stop.distance_km is not None:
                leg.append(_("{km} km").format(km=format_number(stop.distance_km)))
            if stop.travel_hours is not None:
                leg.append(_("{hours} h").format(hours=format_number(stop.travel_hours)))
            status = label(STOP_STATUSES, stop.status)
            if stop.reason:
                status += "\n" + stop.reason
            if stop.rescheduled:
                status += "\n" + _("Reprogramada: {reason}").format(reason=stop.rescheduled)
            place = stop.community + (f"\n{stop.district}" if stop.district else "")
            expected = "" if stop.expected_people is None else format_number(stop.expected_people)
            body.append([str(stop.position), place, _when(stop.arrives_at), _when(stop.departs_at), "\n".join(leg),
                         expected, status])  # fmt: skip
        if body:
            story.append(table([header, *body], (0.05, 0.21, 0.16, 0.16, 0.12, 0.12, 0.18)))
        if document.entities:
            story += heading(_("Entidades a bordo"))
            rows = [[_("Entidad"), _("Servicios"), _("Personal")]]
            rows += [[f"{e.code}\n{e.name}", e.services, e.staff] for e in document.entities]
            story.append(table(rows, (0.3, 0.4, 0.3)))
        if document.modules:
            story += heading(_("Módulos a bordo"))
            story.append(text(", ".join(label(SHIP_MODULES, m) for m in document.modules), "body"))
        if document.fuel_planned is not None or document.supplies:
            story += heading(_("Combustible y abastecimiento"))
            if document.fuel_planned is not None:
                story.append(
                    text(
                        _("Combustible previsto: {gallons} galones").format(
                            gallons=format_number(document.fuel_planned)
                        ),
                        "body",
                    )
                )
            if document.supplies:
                story.append(text(document.supplies, "body"))
        footer = _("TAMBO Desktop · impreso el {date}").format(date=format_date(dates.today(), "short"))
        return build_pdf(path, story, title=title, footer=footer, author=document.platform_name)
