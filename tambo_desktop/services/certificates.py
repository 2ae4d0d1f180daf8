"""Training certificates: a unique verification code with a check character, a QR code that
encodes it (segno), an A4 landscape page in the participant's language with Spanish, and the
verification that tells a genuine code from a mistyped or forged one.

A code looks like ``K7QM-4TZP-9XWC``: eleven random characters of an alphabet without look-alikes
(no 0/O, 1/I/L) and one check character, so most typing mistakes are caught before the database is
asked; a well-formed code that is not in the database is not genuine.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tambo_desktop.db.models import Course, Enrollment, Tambo
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _, format_date, format_number, use_language
from tambo_desktop.services.session import Session
from tambo_desktop.services.training import CERTIFIED, ParticipantRow, TrainingService, valid_until

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters: a prime, so the check catches swaps
BODY = 11


def _check(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def hours_text(hours: float) -> str:
    """``8`` for whole hours, ``7,5`` otherwise (in the user's number format)."""
    return format_number(hours, 0 if float(hours).is_integer() else 1)


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY))
    raw = body + _check(body)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize(text: str) -> str | None:
    """``k7qm 4tzp 9xwc`` → ``K7QM-4TZP-9XWC``; None when it cannot be a code (wrong length,
    letters outside the alphabet, or the check character does not match)."""
    raw = "".join(c for c in text.upper() if c.isalnum())
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(raw) != BODY + 1 or any(c not in ALPHABET for c in raw) or _check(raw[:BODY]) != raw[BODY]:
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@dataclass(frozen=True)
class Verification:
    genuine: bool
    message: str  # in the user's language
    code: str = ""
    name: str = ""
    course: str = ""
    last_day: dt.date | None = None
    hours: float = 0.0
    result: str = ""
    valid_until: dt.date | None = None


class CertificateService:
    """Issue, print and verify certificates."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.training = TrainingService(session)

    def verify(self, text: str, today: dt.date | None = None) -> Verification:
        """Whether ``text`` is the code of a certificate this tambo issued, and whose it is."""
        self.session.require("training.view")
        code = normalize(text)
        if code is None:
            return Verification(False, _("«{code}» no es un código de certificado: está mal escrito o es falso.").format(
                code=text.strip()
            ))
        enrollment = Enrollment.get_or_none(Enrollment.certificate_code == code)
        if enrollment is None:
            return Verification(False, _("No existe ningún certificado con el código {code}: no es auténtico.").format(code=code), code)
        course = self.training.course(enrollment.course_id)
        participant = next(p for p in self.training.participants(course.id) if p.id == enrollment.id)
        until = valid_until(course.last_day, course.validity_months)
        today = today or dt.date.today()
        message = _("Certificado auténtico: {name}, «{course}», {hours} horas, {date}.").format(
            name=participant.name, course=course.title, hours=hours_text(participant.hours),
            date=format_date(course.last_day, "dd/MM/yyyy"),
        )  # fmt: skip
        if until is not None:
            state = _("vigente hasta el {date}") if until >= today else _("venció el {date}")
            message += " " + state.format(date=format_date(until, "dd/MM/yyyy")).capitalize() + "."
        return Verification(True, message, code, participant.name, course.title, course.last_day, participant.hours,
                            participant.result, until)  # fmt: skip

    def _issue(self, participants: list[ParticipantRow]) -> dict[int, str]:
        """Give a code to every participant who has none yet (one transaction)."""
        codes = {p.id: p.certificate_code for p in participants if p.certificate_code}
        missing = [p for p in participants if not p.certificate_code]
        if missing:
            with self.session.write():
                for p in missing:
                    enrollment = Enrollment.get_by_id(p.id)
                    code = new_code()
                    while Enrollment.select().where(Enrollment.certificate_code == code).exists():
                        code = new_code()
                    enrollment.certificate_code = code
                    enrollment.certificate_issued_at = dt.datetime.now().replace(microsecond=0)
                    self.session.save(enrollment, summary=_("Certificado {code}").format(code=code))
                    codes[p.id] = code
        return codes

    def print_course(self, course_id: int, path: Path, enrollment_ids: list[int] | None = None) -> int:
        """One PDF with a certificate per participant who attended or passed (or the ones given);
        returns the number of certificates."""
        self.session.require("training.export")
        course = self.training.course(course_id)
        if not course.certification:
            raise TamboError(_("Esta capacitación no otorga certificado: escriba la certificación en sus datos."))
        if course.last_day is None:
            raise TamboError(_("La capacitación aún no tiene sesiones."))
        participants = [p for p in self.training.participants(course_id) if p.result in CERTIFIED and p.sessions_attended]
        if enrollment_ids is not None:
            participants = [p for p in participants if p.id in enrollment_ids]
        if not participants:
            raise TamboError(_("Nadie tiene aún derecho a certificado: tome la asistencia y registre los resultados."))
        codes = self._issue(participants)
        tambo = Tambo.select().first()
        pages = [(p, codes[p.id]) for p in participants]
        _build(Path(path), course, pages, tambo, Course.get_by_id(course_id))
        return len(pages)


def _qr_image(code: str, size_mm: float):
    import segno
    from reportlab.lib.units import mm
    from reportlab.platypus import Image

    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return Image(buffer, width=size_mm * mm, height=size_mm * mm)


def _texts(lang: str, participant: ParticipantRow, course, tambo_name: str) -> dict[str, str]:
    with use_language(lang):
        verb = _("aprobó") if participant.result == "passed" else _("participó en")
        return {
            "title": _("CERTIFICADO"),
            "intro": _("El {tambo} certifica que").format(tambo=tambo_name),
            "body": _("{verb} la capacitación «{course}», dada por {provider}, del {start} al {end}, con {hours} horas.").format(
                verb=verb, course=course.title, provider=course.provider_name or course.provider,
                start=format_date(course.first_day, "d MMM yyyy"), end=format_date(course.last_day, "d MMM yyyy"),
                hours=hours_text(participant.hours),
            ),  # fmt: skip
            "certification": _("Certificación: {name}").format(name=course.certification),
            "valid": _("Vigente hasta el {date}"),
            "trainer": _("Capacitador"),
            "head": _("Gestor del tambo"),
            "verify": _("Verifique este certificado con el código"),
        }


def _build(path: Path, course, pages, tambo, record: Course) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

    from tambo_desktop.documents import style

    style.register_fonts()
    base = style.styles()["body"]
    centred = {"alignment": 1}
    style = {
        "title": ParagraphStyle("ct", parent=base, fontName=style.FONT_BOLD, fontSize=30, leading=36, **centred),
        "title_es": ParagraphStyle("cte", parent=base, fontSize=13, leading=16, textColor=colors.HexColor(style.MUTED), **centred),
        "intro": ParagraphStyle("ci", parent=base, fontSize=13, leading=17, **centred),
        "name": ParagraphStyle("cn", parent=base, fontName=style.FONT_BOLD, fontSize=22, leading=28, spaceBefore=6, spaceAfter=2, **centred),
        "doc": ParagraphStyle("cd", parent=base, fontSize=10.5, leading=13, textColor=colors.HexColor(style.MUTED), **centred),
        "body": ParagraphStyle("cb", parent=base, fontSize=13, leading=18, spaceBefore=8, **centred),
        "es": ParagraphStyle("ce", parent=base, fontSize=10, leading=13, textColor=colors.HexColor(style.MUTED), **centred),
        "small": ParagraphStyle("cs", parent=base, fontSize=8.5, leading=11, **centred),
    }  # fmt: skip
    story = []
    until = valid_until(course.last_day, course.validity_months)
    tambo_name = tambo.name if tambo else "Tambo"
    for index, (participant, code) in enumerate(pages):
        own = _texts(participant.language, participant, course, tambo_name)
        spanish = _texts("es", participant, course, tambo_name) if participant.language != "es" else None

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
            story += both("valid", "es", {"date": format_date(until, "dd/MM/yyyy")})
        story.append(Spacer(1, 14 * mm))
        line = "_" * 34
        signatures = Table(
            [
                [Paragraph(line, style["small"]), Paragraph(line, style["small"]), _qr_image(code, 30)],
                [Paragraph(escape(f"{record.trainer or course.provider}"), style["small"]),
                 Paragraph(escape(own["head"]), style["small"]),
                 Paragraph(escape(f"{own['verify']}: {code}"), style["small"])],
            ],
            colWidths=[85 * mm, 85 * mm, 70 * mm],
        )  # fmt: skip
        signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        story.append(signatures)
        if index < len(pages) - 1:
            story.append(PageBreak())
    footer = _("{tambo} · certificados de «{course}»").format(tambo=tambo_name, course=course.title)
    style.build_pdf(path, story, title=course.title, footer=footer, author=tambo_name, pagesize=landscape(A4),
                       decorate=_border)  # fmt: skip


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
