"""The month's field report: trips per gestor (communities reached, km, fuel) and the fuel balance,
as CSV/XLSX (one row per trip, the figures a hand count checks) or an A4 PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from tambo_desktop.formats.tabular import write_table
from tambo_desktop.i18n import _, format_date, format_number
from tambo_desktop.services.fuel import FuelService
from tambo_desktop.services.indicators import month_range
from tambo_desktop.services.session import Session
from tambo_desktop.services.trips import TripRow, TripService
from tambo_desktop.vocabulary import TRAVEL_MEANS, TRIP_PURPOSES, label


def _header() -> list[str]:
    return [_("Salida"), _("Regreso"), _("Gestor"), _("Centros poblados"), _("Motivo"), _("Medio de transporte"),
            _("Vehículo"), _("Odómetro salida"), _("Odómetro regreso"), _("Km"), _("Galones"), _("Soles"),
            _("Comprobante"), _("Acuerdos")]  # fmt: skip


def _row(t: TripRow) -> list[object]:
    return [t.departs_at.strftime("%Y-%m-%d %H:%M"), t.returns_at.strftime("%Y-%m-%d %H:%M"), t.gestor_name,
            " → ".join(t.communities), label(TRIP_PURPOSES, t.purpose), label(TRAVEL_MEANS, t.means), t.vehicle_name,
            t.odometer_start, t.odometer_end, t.km, t.fuel_gallons, t.fuel_soles, t.receipt, t.agreements]  # fmt: skip


class FieldReportService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.trips = TripService(session)
        self.fuel = FuelService(session)

    def export(self, year: int, month: int, path: Path, fmt: str, gestor_id: int | None = None) -> int:
        """Write the month's trips (csv, xlsx) or the whole report (pdf); returns the number of trips."""
        self.session.require("trips.view")
        rows = self.trips.list(*month_range(year, month), gestor_id=gestor_id)
        if fmt == "pdf":
            self._pdf(year, month, rows, Path(path))
        else:
            write_table(Path(path), _header(), [_row(t) for t in rows], fmt)
        with self.session.write():
            self.session.audit("export", "trip", summary=_("Informe de campo {month}: {n} viajes").format(
                month=f"{year}-{month:02d}", n=len(rows)
            ))
        return len(rows)

    def _pdf(self, year: int, month: int, rows: list[TripRow], path: Path) -> None:
        from tambo_desktop.db.models import Tambo
        from tambo_desktop.documents.style import build_pdf, heading, table, text

        tambo = Tambo.select().first()
        month_name = format_date(dt.date(year, month, 1), "LLLL yyyy")
        title = _("Informe de campo — {month}").format(month=month_name)
        story = [text(title, "title")]
        if tambo:
            story.append(text(tambo.name, "subtitle"))
        by_gestor: dict[str, list[TripRow]] = {}
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
                body.append([format_date(t.departs_at.date(), "dd/MM"), " → ".join(t.communities),
                             label(TRIP_PURPOSES, t.purpose), "" if t.km is None else format_number(t.km),
                             "" if t.fuel_gallons is None else format_number(t.fuel_gallons, 2), t.agreements])  # fmt: skip
            story.append(table(body, (0.08, 0.27, 0.17, 0.07, 0.09, 0.32)))
        story += heading(_("Balance de combustible"))
        balance = [[_("Vehículo"), _("Asignado (gal)"), _("Comprado (gal)"), _("Queda (gal)"), _("Soles asignados"),
                    _("Soles gastados"), _("Km"), _("Km por galón")]]  # fmt: skip
        notes = []
        for b in self.fuel.balance(year, month):
            balance.append([b.vehicle, format_number(b.assigned_gallons, 2), format_number(b.bought_gallons, 2),
                            format_number(b.left_gallons, 2), format_number(b.assigned_soles, 2),
                            format_number(b.bought_soles, 2), format_number(b.km),
                            "" if b.km_per_gallon is None else format_number(b.km_per_gallon, 1)])  # fmt: skip
            notes += [f"{b.vehicle}: {w}" for w in b.warnings]
        story.append(table(balance, (0.19, 0.12, 0.13, 0.1, 0.12, 0.12, 0.08, 0.14)))
        for note in notes:
            story.append(text("⚠ " + note, "body"))
        footer = _("TAMBO Desktop · impreso el {date}").format(date=format_date(dt.date.today(), "dd/MM/yyyy"))
        build_pdf(path, story, title=title, footer=footer, author=tambo.name if tambo else "")
