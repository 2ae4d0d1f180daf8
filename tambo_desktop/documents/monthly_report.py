"""The monthly (or yearly) report as an A4 PDF and as the sheets of an XLSX workbook.

The data is a ``MonthlyReport`` of :mod:`tambo_desktop.services.reports` (given, never read
here). Rendered inside ``use_language(code)``: titles, headings and column headers are printed in
that language with the Spanish under them (once when both read the same); the names of groups
(entities, sexes, cursos de vida…) come already in the report's language. Long tables split
across pages and repeat their header row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tambo_desktop import dates
from tambo_desktop.i18n import N_, _, current_language, format_date, format_number, format_percent, use_language
from tambo_desktop.vocabulary import AGE_GROUPS, INTERVENTION_STATUSES, SEXES, label

UNKNOWN = "unknown"  # the age group of people without a birth date (services.indicators.UNKNOWN)

# Headings and column headers (translated when printed, in the report's language and in Spanish).
MONTHLY_TITLE = N_("Informe mensual del tambo")
YEARLY_TITLE = N_("Informe anual del tambo")
H_SUMMARY = N_("Resumen del periodo")
H_TREND = N_("Atenciones de los últimos 12 meses y metas")
H_YEAR_TREND = N_("Atenciones de cada mes del año y metas")
H_ENTITY = N_("Atenciones y usuarios por entidad")
H_SECTOR = N_("Por sector")
H_SERVICE = N_("Por servicio")
H_SEX = N_("Por sexo")
H_AGE = N_("Por curso de vida (edad a la fecha de la atención)")
H_PYRAMID = N_("Usuarios por curso de vida y sexo")
H_COMMUNITY = N_("Por centro poblado de residencia")
H_PLACE_COMMUNITY = N_("Por lugar de atención")
H_PLACE = N_("Dentro o fuera de la plataforma")
H_MONTHS = N_("Por mes")
H_COVERAGE = N_("Cobertura del ámbito")
H_MAP = N_("Mapa del ámbito: última atención de cada centro poblado")
L_MAP = N_(
    "Cada centro poblado en sus coordenadas (o a su distancia del tambo). La forma y el tono de su marca dicen "
    "hace cuánto recibieron sus residentes la última atención, contando hasta el {date}."
)
H_INTERVENTIONS = N_("Intervenciones por entidad")
H_REASONS = N_("Intervenciones reprogramadas y suspendidas: motivos")
H_TRAININGS = N_("Capacitaciones")
H_FIELD = N_("Visitas de campo")
H_CAMPAIGNS = N_("Campañas de difusión y su alcance")
H_NEEDS = N_("Necesidades encontradas en los diagnósticos")
H_NOTES = N_("Notas del gestor")
H_STAFF = N_("Asistencia del personal")
C_PERSON = N_("Persona")
C_AT_TAMBO = N_("En el tambo")
C_IN_FIELD = N_("En campo")
C_LEAVE = N_("Días de licencia")
C_HOLIDAYS = N_("Feriados")
L_STAFF_DAYS = N_("Días de cada persona: en el tambo, en campo, de licencia y feriados.")
C_GROUP = N_("Grupo")
C_ATTENTIONS = N_("Atenciones")
C_USERS = N_("Usuarios")
C_GOAL_A = N_("Meta de atenciones")
C_GOAL_U = N_("Meta de usuarios")
C_PROGRESS = N_("Avance")
C_ENTITY = N_("Entidad")
C_TOTAL = N_("Total")
C_COMMUNITY = N_("Centro poblado")
C_POPULATION = N_("Población")
C_DATE = N_("Fecha")
C_TITLE = N_("Intervención")
C_STATUS = N_("Estado")
C_REASON = N_("Motivo")
C_COURSE = N_("Capacitación")
C_PROVIDER = N_("Entidad o proveedor")
C_SESSIONS = N_("Sesiones")
C_HOURS = N_("Horas")
C_PARTICIPANTS = N_("Participantes")
C_CERTIFICATES = N_("Certificados emitidos")
C_VEHICLE = N_("Vehículo")
C_ASSIGNED = N_("Asignado (gal)")
C_BOUGHT = N_("Comprado (gal)")
C_KM = N_("Km")
C_CAMPAIGN = N_("Campaña")
C_INTERVENTIONS = N_("Intervenciones")
C_EXPECTED = N_("Participantes esperados")
C_NEED = N_("Necesidad")
C_COMMUNITIES = N_("Centros poblados")
C_AUTHOR = N_("Autor")
C_WHAT = N_("Asunto")
C_TEXT = N_("Texto")
C_INDICATOR = N_("Indicador")
C_VALUE = N_("Valor")
L_GOAL = N_("Meta")
L_PERIOD = N_("Periodo")
L_MEN, L_WOMEN = SEXES["M"], SEXES["F"]
L_NONE = N_("Nada registrado en el periodo.")
L_YEAR_TO_DATE = N_("En el año")
L_PERIOD_NOW = N_("En el periodo")
L_REACHED = N_("Centros poblados alcanzados: {n} de {total}")
L_POPULATION = N_("Población de los centros poblados alcanzados: {n} de {total}")
L_UNKNOWN = N_("Atenciones a personas sin centro poblado registrado: {n}")
L_TRIPS = N_("Viajes")
L_VISITED = N_("Centros poblados visitados")
L_GALLONS = N_("Combustible comprado (gal)")
L_GALLONS_ASSIGNED = N_("Combustible asignado (gal)")
L_SOLES = N_("Soles gastados")
L_SOLES_ASSIGNED = N_("Soles asignados")
L_DIAGNOSTICS = N_(
    "Diagnósticos hechos en el periodo: {n}. Necesidades según el último diagnóstico de cada centro poblado:"
)
L_TOP_ENTITIES = N_("El gráfico muestra las {n} entidades con más atenciones; la tabla, las {total}.")
#: The most entities the chart draws (the table lists them all).
CHART_ENTITIES = 12
L_PRINTED = N_("TAMBO Desktop · impreso el {date}")
L_RULE = N_(
    "Una atención es un servicio dado a una persona; un usuario es una persona distinta atendida en el periodo. "
    "Las atenciones anuladas no cuentan."
)
S_SUMMARY = N_("Resumen")


def _in_spanish(message: str) -> str:
    with use_language("es"):
        return _(message)


def both(message: str, **fmt: object) -> tuple[str, str | None]:
    """``message`` in the report's language and in Spanish (None when they read the same)."""
    own = _(message).format(**fmt) if fmt else _(message)
    es = _in_spanish(message).format(**fmt) if fmt else _in_spanish(message)
    return own, (None if es == own else es)


def joined(message: str) -> str:
    """``message`` in the report's language and, when it reads otherwise, in Spanish: «Warmi · Mujer»."""
    return " · ".join(x for x in both(message) if x)


def _markup(message: str, small_size: float = 7) -> str:
    own, es = both(message)
    text = escape(own)
    if es:
        text += f'<br/><font size="{small_size}" color="#52606d">{escape(es)}</font>'
    return text


def header_cell(message: str):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from tambo_desktop.documents.style import styles

    style = ParagraphStyle("report_header", parent=styles()["cell_bold"], fontSize=7, leading=8.5)
    return Paragraph(_markup(message, 6.5), style)


def _heading(message: str, room_mm: float = 40, drawing=None) -> list:
    """A heading kept with what follows: ``room_mm`` left on the page, or the drawing's height and more."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph

    from tambo_desktop.documents.style import styles

    room = room_mm * mm if drawing is None else drawing.height + 20 * mm
    return [CondPageBreak(room), Paragraph(_markup(message, 8.5), styles()["heading"])]


def _progress(value: int, goal: int | None) -> str:
    return "" if not goal else format_percent(value / goal)


def _n(value: int | None) -> str:
    return "" if value is None else format_number(value)


def _month_label(key: str, language: str, abbreviated: bool = True) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return f"{dates.month_names(language, abbreviated)[month - 1]} {year % 100:02d}"


def period_text(report: Any, language: str | None = None) -> str:
    """«marzo de 2026», «marsu 2026» or «2026»."""
    request = report.request
    if request.month is None:
        return str(request.year)
    return format_date(dt.date(request.year, request.month, 1), "month_year", language)


def title_of(report: Any) -> tuple[str, str | None]:
    own, es = both(YEARLY_TITLE if report.yearly else MONTHLY_TITLE)
    period = period_text(report)
    es_period = period_text(report, "es")
    return f"{own} — {period}", (None if es is None and es_period == period else f"{es or own} — {es_period}")


def _count_rows(counts: Sequence[Any], goals: bool = False) -> list[list[object]]:
    rows = []
    for c in counts:
        row: list[object] = [c.label, _n(c.attentions), _n(c.users)]
        if goals:
            row += [_n(c.goal_attentions), _progress(c.attentions, c.goal_attentions), _n(c.goal_users)]
        rows.append(row)
    return rows


def _counts_table(counts: Sequence[Any], goals: bool = False, first: str = C_GROUP):
    from tambo_desktop.documents.style import table

    header = [header_cell(first), header_cell(C_ATTENTIONS), header_cell(C_USERS)]
    widths: tuple[float, ...] = (0.6, 0.2, 0.2)
    if goals:
        header += [header_cell(C_GOAL_A), header_cell(C_PROGRESS), header_cell(C_GOAL_U)]
        widths = (0.31, 0.13, 0.13, 0.15, 0.13, 0.15)
    return _numeric(table([header, *_count_rows(counts, goals)], widths), len(header))


def _numeric(result, columns: int, first: int = 1):
    """Right-align the numeric columns (``first`` onwards) of a house table."""
    from reportlab.platypus import TableStyle

    if columns > first:
        result.setStyle(TableStyle([("ALIGN", (first, 1), (-1, -1), "RIGHT")]))
    return result


def _plain(rows: Sequence[Sequence[object]], widths: Sequence[float], numeric_from: int | None = None):
    from tambo_desktop.documents.style import table

    header = [header_cell(h) for h in rows[0]]
    result = table([header, *rows[1:]], widths)
    if numeric_from is not None:
        _numeric(result, len(header), numeric_from)
    return result


def _nothing() -> list:
    from tambo_desktop.documents.style import text

    return [text(_(L_NONE), "body")]


def render(report: Any, path: Path) -> int:
    """Write the report's PDF (inside ``use_language``); returns the number of pages."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from tambo_desktop.documents import monthly_report_charts as charts
    from tambo_desktop.documents.style import build_pdf, frame_width, styles, text

    language = current_language()
    width = frame_width()
    result = report.indicators
    breakdowns = result.breakdowns
    own_title, es_title = title_of(report)
    story: list = [text(own_title, "title")]
    if es_title:
        story.append(text(es_title, "subtitle"))
    place = " · ".join(x for x in (report.tambo_name, report.tambo_place) if x)
    if place:
        story.append(text(place, "subtitle"))
    story.append(Paragraph(_markup(L_RULE, 7), styles()["small"]))

    # -- summary and trend --
    story += _heading(H_SUMMARY)
    summary = [
        [C_INDICATOR, C_VALUE, L_GOAL, C_PROGRESS],
        [_(C_ATTENTIONS), _n(result.attentions), _n(result.goal_attentions), _progress(result.attentions, result.goal_attentions)],
        [_(C_USERS), _n(result.users), _n(result.goal_users), _progress(result.users, result.goal_users)],
        [_(L_REACHED).format(n=len(report.coverage.reached), total=report.coverage.communities), "", "", ""],
    ]  # fmt: skip
    story.append(_plain(summary, (0.49, 0.17, 0.17, 0.17), 1))
    trend = report.trend
    own_legend = [joined(C_ATTENTIONS), joined(L_GOAL)]  # the charts' words with the Spanish, as the headings
    chart = charts.column_chart([_month_label(c.key, language) for c in trend], [c.attentions for c in trend],
                                [c.goal_attentions for c in trend], width, 62 * mm, own_legend)  # fmt: skip
    story += _heading(H_YEAR_TREND if report.yearly else H_TREND, drawing=chart)
    story.append(chart)
    if report.yearly:
        story.append(Spacer(1, 3 * mm))
        story.append(_counts_table([_relabel(c, _month_label(c.key, language, False)) for c in trend], goals=True,
                                   first=H_MONTHS))  # fmt: skip

    # -- by entity --
    entities = breakdowns["entity"]
    if entities:
        top = entities[:CHART_ENTITIES]
        chart = charts.bar_chart([c.key for c in top], [c.attentions for c in top], [c.goal_attentions for c in top], width,
                                 own_legend)  # fmt: skip
        story += _heading(H_ENTITY, drawing=chart)
        story.append(chart)
        if len(entities) > len(top):
            story.append(text(_(L_TOP_ENTITIES).format(n=len(top), total=len(entities)), "small"))
        story.append(Spacer(1, 2 * mm))
        story.append(_counts_table([_relabel(c, f"{c.key} — {c.label}") for c in entities], goals=True, first=C_ENTITY))
    else:
        story += _heading(H_ENTITY) + _nothing()
    for heading_text, name in ((H_SECTOR, "sector"), (H_SERVICE, "service")):
        story += _heading(heading_text)
        story.append(_counts_table(breakdowns[name]) if breakdowns[name] else _nothing()[0])

    # -- people: sex, curso de vida, pyramid --
    story += _heading(H_SEX)
    story.append(_counts_table(breakdowns["sex"]))
    story += _heading(H_AGE)
    story.append(_counts_table(breakdowns["age_group"]))
    pyramid = report.pyramid
    groups = [g for g in AGE_GROUPS if g != UNKNOWN or any(pyramid.get((g, s)) for s in SEXES)]
    chart = charts.pyramid(
        [label(AGE_GROUPS, g) for g in groups], [pyramid.get((g, "M"), (0, 0))[1] for g in groups],
        [pyramid.get((g, "F"), (0, 0))[1] for g in groups], width, [joined(L_MEN), joined(L_WOMEN)],
    )  # fmt: skip
    story += _heading(H_PYRAMID, drawing=chart)
    story.append(chart)

    # -- places --
    for heading_text, name in ((H_COMMUNITY, "community"), (H_PLACE_COMMUNITY, "place_community"), (H_PLACE, "place")):
        story += _heading(heading_text)
        story.append(_counts_table(breakdowns[name]) if breakdowns[name] else _nothing()[0])

    # -- coverage --
    coverage = report.coverage
    story += _heading(H_COVERAGE, 75)
    year_caption = _(L_YEAR_TO_DATE)
    period_caption = _(L_PERIOD_NOW)
    share = coverage.share
    reached_text = _(L_REACHED).format(n=len(coverage.reached), total=coverage.communities)
    reached_year_text = _(L_REACHED).format(n=coverage.reached_year, total=coverage.communities)
    people = _(L_POPULATION).format(
        n=format_number(coverage.population_reached), total=format_number(coverage.population)
    )
    people_year = _(L_POPULATION).format(
        n=format_number(coverage.population_reached_year), total=format_number(coverage.population)
    )
    bars = [(f"{period_caption}: {reached_text}", share(len(coverage.reached), coverage.communities)),
            (f"{period_caption}: {people}", share(coverage.population_reached, coverage.population))]  # fmt: skip
    if not report.yearly:
        bars += [(f"{year_caption}: {reached_year_text}", share(coverage.reached_year, coverage.communities)),
                 (f"{year_caption}: {people_year}", share(coverage.population_reached_year, coverage.population))]  # fmt: skip
    story.append(charts.share_bars(bars, width))
    if coverage.unknown_attentions:
        story.append(text(_(L_UNKNOWN).format(n=format_number(coverage.unknown_attentions)), "small"))
    if report.places:  # the pages' map of the ámbito, from the same definition; its legend with the Spanish
        legend = [joined(t) for t in charts.RECENCY_LEGEND]
        chart = charts.drawing(charts.map_of(report.places, width, 100 * mm, legend))
        story += _heading(H_MAP, drawing=chart)
        story.append(chart)
        own, es = both(L_MAP, date=format_date(report.map_day, "short"))
        caption = escape(own) + (f'<br/><font color="#52606d">{escape(es)}</font>' if es else "")
        story.append(Paragraph(caption, styles()["small"]))
    if coverage.reached:
        rows = [[C_COMMUNITY, C_ATTENTIONS, C_USERS, C_POPULATION]]
        rows += [[c.name, _n(c.attentions), _n(c.users), _n(c.population)] for c in coverage.reached]
        story.append(Spacer(1, 2 * mm))
        story.append(_plain(rows, (0.49, 0.17, 0.17, 0.17), 1))

    # -- interventions --
    story += _heading(H_INTERVENTIONS)
    if report.interventions:
        statuses = list(INTERVENTION_STATUSES)
        rows = [[C_ENTITY, C_TOTAL, *(INTERVENTION_STATUSES[s] for s in statuses)]]
        rows += [[i.entity, _n(i.total), *(_n(i.by_status.get(s, 0)) for s in statuses)] for i in report.interventions]
        story.append(_plain(rows, (0.22, 0.1, 0.136, 0.136, 0.136, 0.136, 0.136), 1))
    else:
        story += _nothing()
    if report.reasons:
        story += _heading(H_REASONS)
        rows = [[C_DATE, C_ENTITY, C_TITLE, C_STATUS, C_REASON]]
        rows += [[format_date(r.day, "short"), r.entity, r.title, r.status, r.reason] for r in report.reasons]
        story.append(_plain(rows, (0.13, 0.12, 0.3, 0.13, 0.32)))

    # -- trainings --
    story += _heading(H_TRAININGS)
    if report.trainings:
        rows = [[C_COURSE, C_PROVIDER, C_SESSIONS, C_HOURS, C_PARTICIPANTS, C_CERTIFICATES]]
        rows += [[t.title, t.provider, _n(t.sessions), format_number(t.hours, 0 if float(t.hours).is_integer() else 1),
                  _n(t.participants), _n(t.certificates)] for t in report.trainings]  # fmt: skip
        totals = [_(C_TOTAL), "", _n(sum(t.sessions for t in report.trainings)),
                  format_number(sum(t.hours for t in report.trainings), 1), _n(sum(t.participants for t in report.trainings)),
                  _n(sum(t.certificates for t in report.trainings))]  # fmt: skip
        story.append(_plain([*rows, totals], (0.28, 0.14, 0.14, 0.1, 0.14, 0.2), 2))
    else:
        story += _nothing()

    # -- field visits --
    visits = report.field_visits
    story += _heading(H_FIELD)
    rows = [[C_INDICATOR, C_VALUE], [_(L_TRIPS), _n(visits.trips)], [_(L_VISITED), _n(len(visits.communities))],
            [_(C_KM), _n(visits.km)], [_(L_GALLONS), format_number(visits.gallons_bought, 2)],
            [_(L_GALLONS_ASSIGNED), format_number(visits.gallons_assigned, 2)],
            [_(L_SOLES), format_number(visits.soles_bought, 2)], [_(L_SOLES_ASSIGNED), format_number(visits.soles_assigned, 2)]]  # fmt: skip
    story.append(_plain(rows, (0.7, 0.3), 1))
    if visits.communities:
        story.append(text(f"{_(L_VISITED)}: " + ", ".join(visits.communities), "small"))
    if visits.vehicles:
        rows = [[C_VEHICLE, C_ASSIGNED, C_BOUGHT, C_KM]]
        rows += [[name, format_number(a, 2), format_number(b, 2), _n(km)] for name, a, b, km in visits.vehicles]
        story.append(Spacer(1, 2 * mm))
        story.append(_plain(rows, (0.46, 0.18, 0.18, 0.18), 1))

    # -- campaigns --
    story += _heading(H_CAMPAIGNS)
    if report.campaigns:
        rows = [[C_CAMPAIGN, C_INTERVENTIONS, C_EXPECTED, C_ATTENTIONS]]
        rows += [[c.title, _n(c.interventions), _n(c.expected), _n(c.attentions)] for c in report.campaigns]
        story.append(_plain(rows, (0.46, 0.18, 0.18, 0.18), 1))
    else:
        story += _nothing()

    # -- needs --
    story += _heading(H_NEEDS)
    story.append(text(_(L_DIAGNOSTICS).format(n=report.diagnostics_made), "body"))
    if report.needs:
        rows = [[C_NEED, C_COMMUNITIES, C_TOTAL]]
        rows += [[n.label, ", ".join(n.communities), _n(len(n.communities))] for n in report.needs]
        story.append(_plain(rows, (0.28, 0.6, 0.12), 2))

    # -- the staff's days --
    if report.staff:
        story += _heading(H_STAFF)
        story.append(text(_(L_STAFF_DAYS), "small"))
        rows = [[C_PERSON, C_AT_TAMBO, C_IN_FIELD, C_LEAVE, C_HOLIDAYS, C_INTERVENTIONS, C_ATTENTIONS]]
        rows += [[s.full_name, _n(s.days_at_tambo), _n(s.days_in_field), _n(s.leave_days), _n(s.holidays),
                  _n(s.interventions), _n(s.attentions)] for s in report.staff]  # fmt: skip
        story.append(_plain(rows, (0.28, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12), 1))

    # -- notes --
    if report.notes:
        story += _heading(H_NOTES)
        rows = [[C_AUTHOR, C_WHAT, C_TEXT]]
        rows += [[n.author, n.title, n.text] for n in report.notes]
        story.append(_plain(rows, (0.2, 0.18, 0.62)))

    footer = _(L_PRINTED).format(date=format_date(dates.today(), "short"))
    if report.tambo_name:
        footer = f"{report.tambo_name} · {footer}"
    return build_pdf(path, story, title=own_title, footer=footer, author=report.tambo_name)


def _relabel(count: Any, text: str) -> Any:
    from dataclasses import replace

    return replace(count, label=text)


def sheets(report: Any) -> list[tuple[str, list[str], list[list[object]]]]:
    """The report as the sheets of a workbook, one per section: ``(title, header, rows)``,
    numbers as numbers; in the current language."""
    result = report.indicators
    language = current_language()

    def counts(rows: Sequence[Any], goals: bool = False, key: bool = False) -> tuple[list[str], list[list[object]]]:
        header = ([_("Código")] if key else []) + [_(C_GROUP), _(C_ATTENTIONS), _(C_USERS)]
        if goals:
            header += [_(C_GOAL_A), _(C_GOAL_U)]
        out = []
        for c in rows:
            line: list[object] = ([c.key] if key else []) + [c.label, c.attentions, c.users]
            if goals:
                line += [c.goal_attentions, c.goal_users]
            out.append(line)
        return header, out

    own_title, _es = title_of(report)
    book: list[tuple[str, list[str], list[list[object]]]] = []
    summary = [[own_title, None, None], [_(L_PERIOD), report.request.period, None],
               [_(C_ATTENTIONS), result.attentions, result.goal_attentions],
               [_(C_USERS), result.users, result.goal_users],
               [_(L_REACHED).format(n=len(report.coverage.reached), total=report.coverage.communities),
                len(report.coverage.reached), report.coverage.communities]]  # fmt: skip
    book.append((_(S_SUMMARY), [_(C_INDICATOR), _(C_VALUE), _(L_GOAL)], summary))
    trend_rows = [[c.key, _month_label(c.key, language, False), c.attentions, c.users, c.goal_attentions, c.goal_users]
                  for c in report.trend]  # fmt: skip
    book.append(
        (_(H_MONTHS), [_(L_PERIOD), _("Mes"), _(C_ATTENTIONS), _(C_USERS), _(C_GOAL_A), _(C_GOAL_U)], trend_rows)
    )
    for title, name, goals, key in ((C_ENTITY, "entity", True, True), (H_SECTOR, "sector", False, False),
                                    (H_SERVICE, "service", False, True), (H_SEX, "sex", False, False),
                                    (H_AGE, "age_group", False, False), (H_COMMUNITY, "community", False, False),
                                    (H_PLACE_COMMUNITY, "place_community", False, False), (H_PLACE, "place", False, False)):  # fmt: skip
        header, rows = counts(result.breakdowns[name], goals, key)
        book.append((_(title), header, rows))
    pyramid_rows = [[label(AGE_GROUPS, g), *report.pyramid.get((g, "M"), (0, 0)), *report.pyramid.get((g, "F"), (0, 0))]
                    for g in AGE_GROUPS]  # fmt: skip
    men, women = _(L_MEN), _(L_WOMEN)
    book.append((_(H_PYRAMID), [_(C_GROUP), f"{men}: {_(C_ATTENTIONS)}", f"{men}: {_(C_USERS)}",
                                f"{women}: {_(C_ATTENTIONS)}", f"{women}: {_(C_USERS)}"], pyramid_rows))  # fmt: skip
    coverage = report.coverage
    cover = [[c.name, c.attentions, c.users, c.population] for c in coverage.reached]
    cover.append(
        [
            _(L_REACHED).format(n=len(coverage.reached), total=coverage.communities),
            None,
            None,
            coverage.population_reached,
        ]
    )
    cover.append([_(L_YEAR_TO_DATE) + ": " + _(L_REACHED).format(n=coverage.reached_year, total=coverage.communities), None,
                  None, coverage.population_reached_year])  # fmt: skip
    cover.append([_(C_TOTAL), None, None, coverage.population])
    book.append((_(H_COVERAGE), [_(C_COMMUNITY), _(C_ATTENTIONS), _(C_USERS), _(C_POPULATION)], cover))
    statuses = list(INTERVENTION_STATUSES)
    book.append((_(C_INTERVENTIONS), [_(C_ENTITY), _(C_TOTAL), *(label(INTERVENTION_STATUSES, s) for s in statuses)],
                 [[i.entity, i.total, *(i.by_status.get(s, 0) for s in statuses)] for i in report.interventions]))  # fmt: skip
    book.append((_(C_REASON), [_(C_DATE), _(C_ENTITY), _(C_TITLE), _(C_STATUS), _(C_REASON)],
                 [[r.day, r.entity, r.title, r.status, r.reason] for r in report.reasons]))  # fmt: skip
    book.append((_(H_TRAININGS), [_(C_COURSE), _(C_PROVIDER), _(C_SESSIONS), _(C_HOURS), _(C_PARTICIPANTS), _(C_CERTIFICATES)],
                 [[t.title, t.provider, t.sessions, t.hours, t.participants, t.certificates] for t in report.trainings]))  # fmt: skip
    visits = report.field_visits
    field_rows: list[list[object]] = [[_(L_TRIPS), visits.trips], [_(L_VISITED), len(visits.communities)], [_(C_KM), visits.km],
                                      [_(L_GALLONS), visits.gallons_bought], [_(L_GALLONS_ASSIGNED), visits.gallons_assigned],
                                      [_(L_SOLES), visits.soles_bought], [_(L_SOLES_ASSIGNED), visits.soles_assigned]]  # fmt: skip
    field_rows += [[f"{_(C_VEHICLE)}: {name}", km, a, b] for name, a, b, km in visits.vehicles]
    field_rows += [[_(C_COMMUNITY), name] for name in visits.communities]
    book.append((_(H_FIELD), [_(C_INDICATOR), _(C_VALUE), _(C_ASSIGNED), _(C_BOUGHT)], field_rows))
    book.append((_(C_CAMPAIGN), [_(C_CAMPAIGN), _(C_INTERVENTIONS), _(C_EXPECTED), _(C_ATTENTIONS)],
                 [[c.title, c.interventions, c.expected, c.attentions] for c in report.campaigns]))  # fmt: skip
    book.append((_(C_NEED), [_(C_NEED), _(C_COMMUNITIES), _(C_TOTAL)],
                 [[n.label, ", ".join(n.communities), len(n.communities)] for n in report.needs]))  # fmt: skip
    book.append((_(H_NOTES), [_(C_AUTHOR), _(C_WHAT), _(C_TEXT)], [[n.author, n.title, n.text] for n in report.notes]))
    book.append((_(H_STAFF), [_(C_PERSON), _(C_AT_TAMBO), _(C_IN_FIELD), _(C_LEAVE), _(C_HOLIDAYS), _(C_INTERVENTIONS),
                              _(C_ATTENTIONS)],
                 [[s.full_name, s.days_at_tambo, s.days_in_field, s.leave_days, s.holidays, s.interventions, s.attentions]
                  for s in report.staff]))  # fmt: skip
    return book
