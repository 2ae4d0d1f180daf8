"""Training certificates: a unique verification code with a check character, a QR code that
encodes it (segno), an A4 landscape page in the participant's language with Spanish, and the
verification that tells a genuine code from a mistyped or forged one.

A code looks like ``K7QM-4TZP-9XWC``: eleven random characters of an alphabet without look-alikes
(no 0/O, 1/I/L) and one check character, so most typing mistakes are caught before the database is
asked; a well-formed code that is not in the database is not genuine.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from tambo_desktop import dates
from tambo_desktop.db.models import Course, Enrollment, Entity, Tambo
from tambo_desktop.documents import certificates
from tambo_desktop.documents.certificates import hours_text
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _, format_date
from tambo_desktop.services.session import Session
from tambo_desktop.services.training import CERTIFIED, ParticipantRow, TrainingService, valid_until

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters: a prime, so the check catches swaps
BODY = 11


def _check(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


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
            return Verification(
                False,
                _("«{code}» no es un código de certificado: está mal escrito o es falso.").format(code=text.strip()),
            )
        enrollment = Enrollment.get_or_none(Enrollment.certificate_code == code)
        if enrollment is None:
            return Verification(
                False, _("No existe ningún certificado con el código {code}: no es auténtico.").format(code=code), code
            )
        course = self.training.course(enrollment.course_id)
        participant = next(p for p in self.training.participants(course.id) if p.id == enrollment.id)
        until = valid_until(course.last_day, course.validity_months)
        today = today or dates.today()
        message = _("Certificado auténtico: {name}, «{course}», {hours} horas, {date}.").format(
            name=participant.name, course=course.title, hours=hours_text(participant.hours),
            date=format_date(course.last_day, "short"),
        )  # fmt: skip
        if until is not None:
            state = _("vigente hasta el {date}") if until >= today else _("venció el {date}")
            message += " " + state.format(date=format_date(until, "short")).capitalize() + "."
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
                    enrollment.certificate_issued_at = dates.now().replace(microsecond=0)
                    self.session.save(enrollment, summary=_("Certificado {code}").format(code=code))
                    codes[p.id] = code
        return codes

    def export_pdf(self, course_id: int, path: Path, enrollment_ids: list[int] | None = None) -> int:
        """One PDF with a certificate per participant who attended or passed (or the ones given);
        returns the number of certificates."""
        self.session.require("training.export")
        course = self.training.course(course_id)
        if not course.certification:
            raise TamboError(_("Esta capacitación no otorga certificado: escriba la certificación en sus datos."))
        if course.last_day is None:
            raise TamboError(_("La capacitación aún no tiene sesiones."))
        participants = [
            p for p in self.training.participants(course_id) if p.result in CERTIFIED and p.sessions_attended
        ]
        if enrollment_ids is not None:
            participants = [p for p in participants if p.id in enrollment_ids]
        if not participants:
            raise TamboError(_("Nadie tiene aún derecho a certificado: tome la asistencia y registre los resultados."))
        codes = self._issue(participants)
        tambo = Tambo.select().first()
        document = certificates.CertificatesDocument(
            course=course,
            pages=[(p, codes[p.id]) for p in participants],
            tambo_name=tambo.name if tambo else "Tambo",
            trainer=Course.get_by_id(course_id).trainer or course.provider,
            valid_until=valid_until(course.last_day, course.validity_months),
            provider=Entity.select(Entity.name).where(Entity.id == course.entity_id).scalar() or "",
        )
        certificates.render(document, Path(path))
        return len(document.pages)
