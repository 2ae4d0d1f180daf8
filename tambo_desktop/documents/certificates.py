"""Training certificates: an A4 landscape page per participant, in their language with Spanish, with
the verification code and its QR. The data comes from :class:`tambo_desktop.services.certificates.CertificateService`."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tambo_desktop.i18n import _, format_date, format_number, use_language


@dataclass(frozen=True)
class CertificatesDocument:
    """The certificates of one course: ``pages`` pairs a participant row with its code."""

    course: Any  # the course's detail: title, provider, first_day, last_day, certification
    pages: list[tuple[Any, str]]
    tambo_name: str
    trainer: str
    valid_until: dt.date | None
    provider: str = ""  # the provider's name in Spanish (an entity's name: the catalogs translate it)


def hours_text(hours: float) -> str:
    """``8`` for whole hours, ``7,5`` otherwise (in the user's number format)."""
    return format_number(hours, 0 if float(hours).is_integer() else 1)


def _qr_image(code: str, size_mm: float):
    import segno
    from reportlab.lib.units import mm
    from reportlab.platypus import Image

    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return Image(buffer, width=size_mm * mm, height=size_mm * mm)


def _texts(lang: str, participant: Any, course: Any, tambo_name: str, provider: str = "") -> dict[str, str]:
    with use_language(lang):
        verb = _("aprobó") if participant.result == "passed" else _("participó en")
        return {
            "title": _("CERTIFICADO"),
            "intro": _("El {tambo} certifica que").format(tambo=tambo_name),
            "body": _(
                "{verb} la capacitación «{course}», dada por {provider}, del {start} al {end}, con {hours} horas."
            ).format(
                verb=verb,
                course=course.title,
                provider=_(provider) if provider else course.provider_name or course.provider,
                start=format_date(course.first_day, "long"),
                end=format_date(course.last_day, "long"),
                hours=hours_text(participant.hours),
            ),  # fmt: skip
            "certification": _("Certificación: {name}").format(name=course.certification),
            "valid": _("Vigente hasta el {date}"),
            "trainer": _("Capacitador"),
            "head": _("Gestor del tambo"),
            "verify": _("Verifique este certificado con el código"),
            "footer": _("{tambo} · certificados de «{course}»").format(tambo=tambo_name, course=course.title),
        }


def render(document: CertificatesDocument, path: Path) -> int:
    """One A4 landscape page per certificate; returns the number of pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

    from tambo_desktop.documents import style as house

    course, pages, tambo_name = document.course, document.pages, document.tambo_name
    house.register_fonts()
    base = house.styles()["body"]
    centred = {"alignment": 1}
    style = {
        "title": ParagraphStyle("ct", parent=base, fontName=house.FONT_BOLD, fontSize=30, leading=36, **centred),
        "title_es": ParagraphStyle("cte", parent=base, fontSize=13, leading=16, textColor=colors.HexColor(house.MUTED), **centred),
        "intro": ParagraphStyle("ci", parent=base, fontSize=13, leading=17, **centred),
        "name": ParagraphStyle("cn", parent=base, fontName=house.FONT_BOLD, fontSize=22, leading=28, spaceBefore=6, spaceAfter=2, **centred),
        "doc": ParagraphStyle("cd", parent=base, fontSize=10.5, leading=13, textColor=colors.HexColor(house.MUTED), **centred),
        "body": ParagraphStyle("cb", parent=base, fontSize=13, leading=18, spaceBefore=8, **centred),
        "es": ParagraphStyle("ce", parent=base, fontSize=10, leading=13, textColor=colors.HexColor(house.MUTED), **centred),
        "small": ParagraphStyle("cs", parent=base, fontSize=8.5, leading=11, **centred),
    }  # fmt: skip
    story = []
    until = document.valid_until
    footers, languages = [], []  # page by page, in the participant's language, whatever the interface's
    for index, (participant, code) in enumerate(pages):
        own = _texts(participant.language, participant, course, tambo_name, document.provider)
        spanish = (
            _texts("es", participant, course, tambo_name, document.provider) if participant.language != "es" else None
        )
        footers.append(own["footer"])
        languages.append([participant.language])

        def both(key: str, main: str, fmt: dict | None = None, own=own, spanish=spanish) -> list:
            """The text in the participant's language, with the Spanish under it."""
            text = own[key].format(**fmt) if fmt else own[key]
            items = [Paragraph(escape(text), style[main])]
            if spanish is not None:
                es = spanish[key].format(**fmt) if fmt else spanish[key]
                if es != text:  # a loan word (CERTIFICADO) is not printed twice
                    items.append(Paragraph(escape(es), style["title_es" if main == "title" else "es"]))
            return items

        story += both("title", "title")
        story.append(Spacer(1, 6 * mm))
        story += both("intro", "intro")
        story.append(Paragraph(escape(participant.name), style["name"]))
        if participant.document:
            story.append(Paragraph(escape(participant.document), style["doc"]))
        story += both("body", "body")
        story += both("certification", "body")
        if until is not None:
            story += both("valid", "es", {"date": format_date(until, "short")})
        story.append(Spacer(1, 14 * mm))
        line = "_" * 34
        signatures = Table(
            [
                [Paragraph(line, style["small"]), Paragraph(line, style["small"]), _qr_image(code, 30)],
                [Paragraph(escape(document.trainer), style["small"]),
                 Paragraph(escape(own["head"]), style["small"]),
                 Paragraph(escape(f"{own['verify']}: {code}"), style["small"])],
            ],
            colWidths=[85 * mm, 85 * mm, 70 * mm],
        )  # fmt: skip
        signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        story.append(signatures)
        if index < len(pages) - 1:
            story.append(PageBreak())
    return house.build_pdf(path, story, title=course.title, footer=lambda page: footers[min(page, len(footers)) - 1],
                           author=tambo_name, pagesize=landscape(A4), decorate=_border,
                           languages=languages[0] if languages else None, page_languages=languages)  # fmt: skip


def _border(canvas) -> None:
    """A double frame around the certificate."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#1b5e20"))
    canvas.setLineWidth(2.2)
    canvas.rect(9 * mm, 13 * mm, width - 18 * mm, height - 22 * mm)
    canvas.setStrokeColor(colors.HexColor("#c8a13a"))
    canvas.setLineWidth(0.8)
    canvas.rect(11.5 * mm, 15.5 * mm, width - 23 * mm, height - 27 * mm)
    canvas.restoreState()
