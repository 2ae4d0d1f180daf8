"""The voyage report of a PIAS: per stop the planned and actual dates, atenciones and usuarios by
entity, sex and curso de vida; stops reached against planned; fuel; the incidents of the route.

Every figure comes from :class:`IndicatorService` with its stops filter (one rule for a tambo
and a PIAS): a stop's numbers are the indicators of that stop, the voyage's those of all its stops.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop.db.models import Attention, Tambo
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.indicators import Indicators, IndicatorService
from tambo_desktop.services.session import Session
from tambo_desktop.services.voyages import EventRow, StopRow, VoyageDetail, VoyageService

#: The breakdowns the report shows for each stop.
REPORTED = ("entity", "sex", "age_group")


@dataclass(frozen=True)
class StopFigures:
    stop: StopRow
    first_at: dt.datetime | None  # the first and last atención recorded there
    last_at: dt.datetime | None
    indicators: Indicators


@dataclass(frozen=True)
class VoyageFigures:
    voyage: VoyageDetail
    stops: list[StopFigures]
    total: Indicators  # the whole voyage (a person served at two stops is one usuario)
    history: list[EventRow]

    @property
    def planned(self) -> int:
        return len(self.voyage.stops)

    @property
    def reached(self) -> int:
        return sum(1 for s in self.voyage.stops if s.status == "reached")

    @property
    def skipped(self) -> int:
        return sum(1 for s in self.voyage.stops if s.status == "skipped")


def _when(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


class VoyageReportService:
    """Gather and write the voyage report (``voyages.view`` and ``indicators.view``)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.voyages = VoyageService(session)
        self.indicators = IndicatorService(session)

    def figures(self, voyage_id: int) -> VoyageFigures:
        self.session.require("voyages.view")
        voyage = self.voyages.get(voyage_id)
        ids = [s.id for s in voyage.stops]
        spans = {
            s: (_when(a), _when(b))
            for s, a, b in tuples(
                Attention.select(Attention.voyage_stop, pw.fn.MIN(Attention.attended_at), pw.fn.MAX(Attention.attended_at))
                .where(Attention.voyage_stop.in_(ids) & (Attention.voided == False))  # noqa: E712
                .group_by(Attention.voyage_stop)
            )
        }  # fmt: skip
        stops = [
            StopFigures(s, *spans.get(s.id, (None, None)), self.indicators.stops([s.id], f"{s.position}"))
            for s in voyage.stops
        ]
        total = self.indicators.stops(ids, voyage.name)
        return VoyageFigures(voyage, stops, total, self.voyages.history(voyage_id))

    def export(self, voyage_id: int, path: Path, fmt: str, language: str | None = None) -> int:
        """Write the report as ``pdf`` (returns the pages) or ``xlsx`` (returns the rows)."""
        self.session.require("voyages.view")
        if fmt not in ("pdf", "xlsx"):
            raise ValidationError(
                FieldError("format", _("Formato no admitido: «{suffix}». Use PDF o XLSX.").format(suffix=fmt))
            )
        figures = self.figures(voyage_id)
        if fmt == "xlsx":
            return self._xlsx(figures, Path(path))
        from tambo_desktop.documents import pias_report
        from tambo_desktop.services.pias import ship_info

        tambo, ship = Tambo.select().first(), ship_info()
        document = pias_report.VoyageReportDocument(
            language=language or self.session.user.language,
            platform_name=tambo.name if tambo else "",
            ship_name=ship.name if ship else "",
            figures=figures,
        )
        return pias_report.render(document, Path(path))

    @staticmethod
    def _xlsx(figures: VoyageFigures, path: Path) -> int:
        """The stops sheet, one row per stop and group (easy to filter and to add up in a spreadsheet),
        then the fuel and the incidents of the route (stops rescheduled or skipped, with their reasons)."""
        from tambo_desktop.formats.tabular import write_sheets
        from tambo_desktop.services.indicators import BREAKDOWN_TITLES
        from tambo_desktop.vocabulary import STOP_STATUSES, VOYAGE_ACTIONS, label

        header = [_("N.º"), _("Centro poblado"), _("Llegada prevista"), _("Salida prevista"), _("Primera atención"),
                  _("Última atención"), _("Estado"), _("Personas esperadas"), _("Desglose"), _("Grupo"),
                  _("Atenciones"), _("Usuarios")]  # fmt: skip
        rows: list[list[object]] = []

        def stamp(value: dt.datetime | None) -> str:
            return f"{value:%Y-%m-%d %H:%M}" if value else ""

        for item in figures.stops:
            s = item.stop
            head = [s.position, s.community_name, stamp(s.arrives_at), stamp(s.departs_at), stamp(item.first_at),
                    stamp(item.last_at), label(STOP_STATUSES, s.status), s.expected_people]  # fmt: skip
            rows.append([*head, _("Total"), "", item.indicators.attentions, item.indicators.users])
            for name in REPORTED:
                for count in item.indicators.breakdowns[name]:
                    if count.attentions:
                        rows.append([*head, _(BREAKDOWN_TITLES[name]), count.label, count.attentions, count.users])
        total = figures.total
        rows.append(["", _("Toda la travesía"), stamp(figures.voyage.starts_at), stamp(figures.voyage.ends_at), "", "",
                     _("{reached} de {planned} paradas atendidas").format(reached=figures.reached, planned=figures.planned),
                     figures.voyage.expected_people, _("Total"), "", total.attentions, total.users])  # fmt: skip
        voyage = figures.voyage
        fuel = [
            [_("Combustible previsto (galones)"), voyage.fuel_planned],
            [_("Combustible usado (galones)"), voyage.fuel_used],
        ]
        incidents = [
            [e.stop_position, e.community_name, label(VOYAGE_ACTIONS, e.action), stamp(e.old_arrives_at),
             stamp(e.new_arrives_at), e.shifted, e.reason]
            for e in figures.history if e.action in ("rescheduled", "skipped")
        ]  # fmt: skip
        write_sheets(path, [
            (_("Paradas"), header, rows),
            (_("Combustible"), [_("Combustible"), _("Galones")], fuel),
            (_("Incidencias de la ruta"), [_("N.º"), _("Centro poblado"), _("Qué pasó"), _("Llegada prevista"),
                                           _("Nueva llegada"), _("Paradas corridas"), _("Motivo")], incidents),
        ])  # fmt: skip
        return len(rows)
