"""A PIAS voyage's report (A4): the route planned and done, atenciones and usuarios per stop by
entity, sex and curso de vida, fuel and the incidents. The data: ``VoyageReportService.figures``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambo_desktop import dates
from tambo_desktop.i18n import _, format_date, format_number, use_language
from tambo_desktop.vocabulary import AGE_GROUPS, SEXES, STOP_STATUSES, VOYAGE_ACTIONS, label


@dataclass(frozen=True)
class VoyageReportDocument:
    language: str
    platform_name: str
    ship_name: str
    figures: Any  # services.voyages_report.VoyageFigures (plain values)


def _day(value: dt.datetime | None) -> str:
    return "" if value is None else f"{format_date(value.date(), 'day_month')} {value:%H:%M}"


def _age_heading(code: str) -> str:
    """``18_29`` → «18–29 años», ``60_plus`` → «60 años o más» (the long labels do not fit a column)."""
    low, _sep, high = code.partition("_")
    if not low.isdigit():
        return label(AGE_GROUPS, code)
    if high.isdigit():
        return _("{low}–{high} años").format(low=low, high=high)
    return _("{low} años o más").format(low=low)


def _pair(attentions: int, users: int) -> str:
    return f"{format_number(attentions)} / {format_number(users)}" if attentions else "–"


def render(document: VoyageReportDocument, path: Path) -> int:
    """Write the report; returns the number of pages."""
    from tambo_desktop.documents.style import build_pdf, heading, table, text

    figures = document.figures
    voyage = figures.voyage
    with use_language(document.language):
        title = _("Informe de la travesía: {voyage}").format(voyage=voyage.name)
        story = [text(title, "title")]
        story.append(
            text(" · ".join(x for x in (document.platform_name, document.ship_name, voyage.basin) if x), "subtitle")
        )
        if voyage.starts_at:
            story.append(text(_("Del {start} al {end} (según la ruta)").format(
                start=format_date(voyage.starts_at.date(), "long"), end=format_date(voyage.ends_at.date(), "long")), "body"))  # fmt: skip
        total = figures.total
        summary = [
            [_("Paradas atendidas"), _("{reached} de {planned} programadas (no se llegó: {skipped})").format(
                reached=figures.reached, planned=figures.planned, skipped=figures.skipped)],
            [_("Atenciones"), format_number(total.attentions)],
            [_("Usuarios (personas distintas)"), format_number(total.users)],
            [_("Personas esperadas"), format_number(voyage.expected_people)],
        ]  # fmt: skip
        if voyage.fuel_used is not None:
            fuel = _("{used} galones usados de {planned} previstos").format(
                used=format_number(voyage.fuel_used),
                planned=format_number(voyage.fuel_planned) if voyage.fuel_planned is not None else "–")  # fmt: skip
            summary.append([_("Combustible"), fuel])
        elif voyage.fuel_planned is not None:
            fuel = _("{planned} galones previstos (el consumo aún no se registró)").format(
                planned=format_number(voyage.fuel_planned)
            )
            summary.append([_("Combustible"), fuel])
        story.append(table(summary, (0.35, 0.65), header=False))

        story += heading(_("La ruta: lo programado y lo realizado"))
        rows = [[_("N.º"), _("Centro poblado"), _("Programada"), _("Primera y última atención"), _("Estado"),
                 _("Esperadas"), _("Atenciones / usuarios")]]  # fmt: skip
        for item in figures.stops:
            s = item.stop
            done = f"{_day(item.first_at)}\n{_day(item.last_at)}" if item.first_at else ""
            status = label(STOP_STATUSES, s.status) + (f"\n{s.reason}" if s.reason else "")
            expected = "" if s.expected_people is None else format_number(s.expected_people)
            rows.append([str(s.position), s.community_name, f"{_day(s.arrives_at)}\n{_day(s.departs_at)}", done, status,
                         expected, _pair(item.indicators.attentions, item.indicators.users)])  # fmt: skip
        story.append(table(rows, (0.05, 0.19, 0.15, 0.16, 0.17, 0.13, 0.15)))

        entities = [c.key for c in total.breakdowns["entity"]]
        if entities:
            story += heading(_("Atenciones / usuarios por entidad"))
            rows = [[_("Parada"), *entities]]
            for item in figures.stops:
                by = {c.key: c for c in item.indicators.breakdowns["entity"]}
                rows.append([f"{item.stop.position}. {item.stop.community_name}",
                             *(_pair(by[k].attentions, by[k].users) if k in by else "–" for k in entities)])  # fmt: skip
            by = {c.key: c for c in total.breakdowns["entity"]}
            rows.append([_("Toda la travesía"), *(_pair(by[k].attentions, by[k].users) for k in entities)])
            width = 0.76 / len(entities)
            story.append(table(rows, (0.24, *(width for _k in entities))))

        story += heading(_("Atenciones / usuarios por sexo y curso de vida"))
        groups = [("sex", k) for k in SEXES] + [("age_group", k) for k in AGE_GROUPS]
        names = [label(SEXES, k) if d == "sex" else _age_heading(k) for d, k in groups]
        rows = [[_("Parada"), *names]]

        def cells(indicators) -> list[str]:
            found = {(d, c.key): c for d in ("sex", "age_group") for c in indicators.breakdowns[d]}
            return [_pair(found[g].attentions, found[g].users) if g in found else "–" for g in groups]

        for item in figures.stops:
            rows.append([f"{item.stop.position}. {item.stop.community_name}", *cells(item.indicators)])
        rows.append([_("Toda la travesía"), *cells(total)])
        width = 0.8 / len(groups)
        story.append(table(rows, (0.2, *(width for _g in groups))))

        incidents = [e for e in figures.history if e.action in ("rescheduled", "skipped")]
        story += heading(_("Incidencias de la ruta"))
        if not incidents:
            story.append(text(_("Ninguna: la ruta se cumplió como se programó."), "body"))
        else:
            rows = [[_("Parada"), _("Qué pasó"), _("Motivo")]]
            for e in incidents:
                what = label(VOYAGE_ACTIONS, e.action)
                if e.action == "rescheduled" and e.new_arrives_at:
                    what += "\n" + _("de {old} a {new}").format(old=_day(e.old_arrives_at), new=_day(e.new_arrives_at))
                    if e.shifted:
                        what += "\n" + _("paradas siguientes corridas con ella: {n}").format(n=e.shifted)
                rows.append([f"{e.stop_position}. {e.community_name}", what, e.reason])
            story.append(table(rows, (0.25, 0.35, 0.4)))
        story.append(text(_("Atenciones: servicios brindados, sin las anuladas. Usuarios: personas distintas; "
                            "quien fue atendido en dos paradas cuenta una vez en la travesía."), "small"))  # fmt: skip
        footer = _("TAMBO Desktop · impreso el {date}").format(date=format_date(dates.today(), "short"))
        return build_pdf(path, story, title=title, footer=footer, author=document.platform_name)
