"""The month's field report: trips per gestor (communities reached, km, fuel) and the fuel balance,
as CSV/XLSX (one row per trip, the figures a hand count checks) or an A4 PDF."""

from __future__ import annotations

from pathlib import Path

from tambo_desktop.formats.tabular import write_table
from tambo_desktop.i18n import _, current_language, use_language
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

    def export(self, year: int, month: int, path: Path, fmt: str, gestor_id: int | None = None,
               language: str | None = None) -> int:  # fmt: skip
        """Write the month's trips (csv, xlsx) or the whole report (pdf, in ``language``, by default the
        interface's); returns the number of trips."""
        self.session.require("trips.view")
        rows = self.trips.list(*month_range(year, month), gestor_id=gestor_id)
        if fmt == "pdf":
            with use_language(language or current_language()):
                self._pdf(year, month, rows, Path(path))
        else:
            write_table(Path(path), _header(), [_row(t) for t in rows], fmt)
        with self.session.write():
            self.session.audit(
                "export",
                "trip",
                summary=_("Informe de campo {month}: {n} viajes").format(month=f"{year}-{month:02d}", n=len(rows)),
            )
        return len(rows)

    def _pdf(self, year: int, month: int, rows: list[TripRow], path: Path) -> None:
        from tambo_desktop.db.models import Tambo
        from tambo_desktop.documents import field_report

        tambo = Tambo.select().first()
        balance = self.fuel.balance(year, month)
        field_report.render(field_report.FieldReportDocument(year, month, tambo.name if tambo else "", rows, balance,
                                                             current_language()), path)  # fmt: skip
