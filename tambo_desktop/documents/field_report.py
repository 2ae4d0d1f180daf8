"""The month's field report: trips per gestor and the fuel balance. The data comes from
:class:`tambo_desktop.services.field_reports.FieldReportService`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tambo_desktop import dates
from tambo_desktop.i18n import _, format_date, format_number, use_language
from tambo_desktop.vocabulary import TRIP_PURPOSES, label


@dataclass(frozen=True)
class FieldReportDocument:
    year: int
    month: int
    tambo_name: str
    trips: list[Any]  # the service's TripRow
    balance: list[Any]  # the fuel service's balance rows (their warnings already in ``language``)
    language: str = "es"  # the report's language


def render(document: FieldReportDocument, path: Path) -> None:
    """Write the report in its language."""
    with use_language(document.language):
        _render(document, path)


def _render(document: FieldReportDocument, path: Path) -> None:
    from tambo_desktop.documents.style import build_pdf, heading, table, text

    year, month, rows = document.year, document.month, document.trips
    month_name = format_date(dt.date(year, month, 1), "month_year")
    title = _("Informe de campo — {month}").format(month=month_name)
    story = [text(title, "title")]
    if document.tambo_name:
        story.append(text(document.tambo_name, "subtitle"))
    by_gestor: dict[str, list[Any]] = {}
    for t in rows:
        by_gestor.setdefault(t.gestor_name, []).append(t)
    if not rows:
        story.append(text(_("No hay viajes registrados este mes."), "body"))
    for gestor, trips in sorted(by_gestor.items()):
        communities = {c for t in trips for c in t.communities}
        km = sum(t.km or 0 for t in trips)
        gallons = sum((t.fuel_gallons or Decimal(0) for t in trips), Decimal(0))
        story += heading(gestor)
        story.append(text(_("{n} viajes · {c} centros poblados · {km} km · {g} galones").format(
            n=len(trips), c=len(communities), km=format_number(km), g=format_number(gallons, 2)
        ), "body"))  # fmt: skip
        body = [[_("Fecha"), _("Centros poblados"), _("Motivo"), _("Km"), _("Galones"), _("Acuerdos")]]
        for t in trips:
            body.append([format_date(t.departs_at.date(), "day_month"), " → ".join(t.communities),
                         label(TRIP_PURPOSES, t.purpose), "" if t.km is None else format_number(t.km),
                         "" if t.fuel_gallons is None else format_number(t.fuel_gallons, 2), t.agreements])  # fmt: skip
        story.append(table(body, (0.08, 0.27, 0.17, 0.07, 0.09, 0.32)))
    story += heading(_("Balance de combustible"))
    balance = [[_("Vehículo"), _("Asignado (gal)"), _("Comprado (gal)"), _("Queda (gal)"), _("Soles asignados"),
                _("Soles gastados"), _("Km"), _("Km por galón")]]  # fmt: skip
    notes = []
    for b in document.balance:
        balance.append([b.vehicle, format_number(b.assigned_gallons, 2), format_number(b.bought_gallons, 2),
                        format_number(b.left_gallons, 2), format_number(b.assigned_soles, 2),
                        format_number(b.bought_soles, 2), format_number(b.km),
                        "" if b.km_per_gallon is None else format_number(b.km_per_gallon, 1)])  # fmt: skip
        notes += [f"{b.vehicle}: {w}" for w in b.warnings]
    story.append(table(balance, (0.19, 0.12, 0.13, 0.1, 0.12, 0.12, 0.08, 0.14)))
    for note in notes:
        story.append(text("⚠ " + note, "body"))
    footer = _("TAMBO Desktop · impreso el {date}").format(date=format_date(dates.today(), "short"))
    build_pdf(path, story, title=title, footer=footer, author=document.tambo_name)
