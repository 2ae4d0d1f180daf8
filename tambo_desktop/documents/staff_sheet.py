"""The staff's month sheet: one A4 page per person (a row per day: arrival, departure, at the tambo,
in the field, on leave or a holiday, interventions, atenciones; the totals; signature lines for the
person and the supervisor). The XLSX (one sheet per person, ``services/staff.py``) uses the same
cells. Drawn from the plain values of
:class:`tambo_desktop.services.staff.StaffService` (its ``StaffMonth`` rows). In Quechua or Aymara the
PDF's title, column headers, totals and signature captions carry the Spanish too (the supervisor
signs it and the Unidad Territorial reads it), as the monthly report does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambo_desktop import dates
from tambo_desktop.i18n import N_, _, current_language, format_date, format_time, use_language
from tambo_desktop.vocabulary import LEAVE_KINDS, ROLES, label

#: Marks a day an administrator corrected (explained under the table).
CORRECTED = "*"
L_SUPERVISOR = N_("Supervisor (JUT)")
L_SIGN_PERSON = N_("Firma del trabajador")
L_SIGN_SUPERVISOR = N_("Firma y sello del supervisor")
#: The height of a page's frame in points (A4 less the house style's margins and the footer, and the
#: frame's own padding).
PAGE_HEIGHT = 842 - (2 * 18 + 6) * 72 / 25.4 - 12


@dataclass(frozen=True)
class StaffSheetDocument:
    tambo_name: str
    year: int
    month: int
    months: tuple[Any, ...]  # the service's StaffMonth, one per person


def situation(day: Any) -> str:
    """Where the person was that day, in words: at the tambo, in the field, on leave, a holiday."""
    parts = []
    if day.leave:
        parts.append(label(LEAVE_KINDS, day.leave))
    if day.holiday:
        parts.append(label(LEAVE_KINDS, "feriado"))
    if day.at_tambo:
        parts.append(_("En el tambo"))
    if day.in_field:
        parts.append(_("En campo"))
    return " · ".join(parts)


def header() -> list[str]:
    return [_("Día"), _("Llegada"), _("Salida"), _("Situación"), _("Intervenciones"), _("Atenciones")]


def _with_spanish(own: str, spanish, style: str, size: float = 6.5):
    """A paragraph of ``own`` and, under it in grey, ``spanish()`` (the same words in Spanish)
    when the sheet is in another language and they read otherwise."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    from tambo_desktop.documents.style import styles

    markup = escape(own)
    if current_language() != "es":
        with use_language("es"):
            es = spanish()
        if es != own:
            markup += f'<br/><font size="{size}" color="#52606d">{escape(es)}</font>'
    return Paragraph(markup, styles()[style])


def _time(value: dt.datetime | None, corrected: bool) -> str:
    if value is None:
        return ""
    return format_time(value) + (f" {CORRECTED}" if corrected else "")


def day_cells(day: Any) -> list[object]:
    return [
        format_date(day.day, "weekday_day_month"),
        _time(day.arrival, day.corrected),
        _time(day.departure, day.corrected),
        situation(day),
        day.interventions or "",
        day.attentions or "",
    ]


def totals_text(m: Any) -> str:
    return _("Días en el tambo: {tambo} · Días en campo: {field} · Días de licencia: {leave} · Feriados: {holidays} · "
             "Intervenciones: {interventions} · Atenciones: {attentions}").format(
        tambo=m.days_at_tambo, field=m.days_in_field, leave=m.leave_days, holidays=m.holidays,
        interventions=m.interventions, attentions=m.attentions,
    )  # fmt: skip


def title(year: int, month: int) -> str:
    return _("Asistencia del personal — {month}").format(month=format_date(dt.date(year, month, 1), "month_year"))


def render(document: StaffSheetDocument, path: Path) -> int:
    """Write the PDF, one page per person; returns the number of pages."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table, TableStyle

    from tambo_desktop.documents.style import FONT, HEADER_FILL, RULE, STRIPE_FILL, build_pdf, frame_width, text

    heading = title(document.year, document.month)
    story: list = []
    full = frame_width()
    widths = [w * full for w in (0.14, 0.12, 0.11, 0.26, 0.2, 0.17)]
    for n, m in enumerate(document.months):
        if n:
            story.append(PageBreak())
        page: list = []  # one person's page, shrunk to fit should a long month with the Spanish overflow it
        page.append(text(heading, "title"))
        if current_language() != "es":
            with use_language("es"):
                spanish = title(document.year, document.month)
            if spanish != heading:
                page.append(text(spanish, "subtitle"))
        person = m.person
        page.append(text(f"{person.full_name} · {label(ROLES, person.role)}"
                          + (f" · {document.tambo_name}" if document.tambo_name else ""), "subtitle"))  # fmt: skip
        rows = [[_with_spanish(h, lambda i=i: header()[i], "cell_bold") for i, h in enumerate(header())]]
        weekend = []
        for i, day in enumerate(m.days, start=1):
            rows.append([text(c) for c in day_cells(day)])
            if day.day.weekday() >= 5 or day.holiday:
                weekend.append(i)
        rows.append([text(_("Total"), "cell_bold"), "", "", text(_("{tambo} en el tambo · {field} en campo").format(
            tambo=m.days_at_tambo, field=m.days_in_field), "cell_bold"),
            text(str(m.interventions), "cell_bold"), text(str(m.attentions), "cell_bold")])  # fmt: skip
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 2.4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(RULE)),
        ]
        commands += [("BACKGROUND", (0, i), (-1, i), colors.HexColor(STRIPE_FILL)) for i in weekend]
        table.setStyle(TableStyle(commands))
        page.append(table)
        page.append(Spacer(1, 2 * mm))
        page.append(_with_spanish(totals_text(m), lambda m=m: totals_text(m), "body", 7.5))
        if any(d.corrected for d in m.days):
            page.append(text(_("{mark} Hora corregida por el administrador; el motivo queda en la auditoría.").format(
                mark=CORRECTED), "small"))  # fmt: skip
        page.append(Spacer(1, 14 * mm))  # room to sign above the lines
        line = "_" * 34
        signatures = Table(
            [[text(line, "body"), text(line, "body")],
             [text(person.full_name, "cell_bold"), _with_spanish(_(L_SUPERVISOR), lambda: _(L_SUPERVISOR), "cell_bold")],
             [_with_spanish(_(L_SIGN_PERSON), lambda: _(L_SIGN_PERSON), "small"),
              _with_spanish(_(L_SIGN_SUPERVISOR), lambda: _(L_SIGN_SUPERVISOR), "small")]],
            colWidths=[full / 2, full / 2], hAlign="LEFT",
        )  # fmt: skip
        signatures.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
        page.append(signatures)
        story.append(KeepInFrame(full, PAGE_HEIGHT, page, mode="shrink"))
    footer = _("TAMBO Desktop · impreso el {date}").format(date=format_date(dates.today(), "short"))
    return build_pdf(path, story, title=heading, footer=footer, author=document.tambo_name)
