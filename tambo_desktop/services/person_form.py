"""The participante's form: text as typed (or read from a file) → checked values or FieldErrors.

A DNI is 8 digits kept as text (leading zeros are real). A 9th character is the check digit
printed on the card; it is verified (python-stdnum, ``stdnum.pe.cui``) and not stored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from stdnum.exceptions import InvalidChecksum
from stdnum.pe import cui

from tambo_desktop import dates
from tambo_desktop.db.models import Community
from tambo_desktop.errors import FieldError
from tambo_desktop.i18n import N_, _
from tambo_desktop.text import PHONE_RE, clean, name_search_key, search_key
from tambo_desktop.vocabulary import DOCUMENT_TYPES, SEXES, SPOKEN_LANGUAGES, parse

EARLIEST_BIRTH = dt.date(1900, 1, 1)
NAME_MAX = 80
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_SEX_WORDS = {"f": "F", "mujer": "F", "femenino": "F", "m": "M", "hombre": "M", "varon": "M", "masculino": "M"}
_NAME_CHARS = re.compile(r"^[^\d@#$%&*+=<>{}\[\]|\\/_~^]+$")


#: The form's fields as a user knows them (for messages and column headings).
FIELD_LABELS = {
    "document_type": N_("Tipo de documento"),
    "document_number": N_("Número de documento"),
    "first_names": N_("Nombres"),
    "last_name_1": N_("Primer apellido"),
    "last_name_2": N_("Segundo apellido"),
    "sex": N_("Sexo"),
    "birth_date": N_("Fecha de nacimiento"),
    "community": N_("Centro poblado"),
    "first_language": N_("Lengua materna"),
    "phone": N_("Teléfono"),
    "notes": N_("Notas"),
}


@dataclass
class PersonForm:
    """A participante as typed: every value is text."""

    document_type: str = ""  # dni, ce, other, none (or their labels)
    document_number: str = ""
    first_names: str = ""
    last_name_1: str = ""
    last_name_2: str = ""
    sex: str = ""  # F or M (mujer, hombre)
    birth_date: str = ""  # AAAA-MM-DD or DD/MM/AAAA
    community: str = ""  # id, or the name of a centro poblado of the ámbito
    first_language: str = ""
    phone: str = ""
    notes: str = ""
    version: int | None = None  # the version the form was read with (None: a new person, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass
class Parsed:
    values: dict = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message))


def name_key(first_names: str, last_name_1: str, last_name_2: str = "") -> str:
    """Search key of a person's name, surnames first (the list's order)."""
    return name_search_key(f"{last_name_1} {last_name_2} {first_names}")


def parse_date(text: str) -> dt.date | None:
    """A date typed as AAAA-MM-DD or DD/MM/AAAA (also with - or .); None if not a date."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_dni(text: str) -> tuple[str | None, str | None]:
    """``(8 digits, None)`` or ``(None, message)``; a 9th character must be the right check digit."""
    compact = re.sub(r"[\s.\-]", "", text).upper()
    if not compact:
        return None, _("Escriba el número de DNI.")
    if len(compact) == 9 and re.fullmatch(r"[0-9]{8}[0-9A-K]", compact):
        try:
            cui.validate(compact)
        except InvalidChecksum:
            return None, _("El dígito de verificación «{digit}» no corresponde a ese DNI: revise el número.").format(
                digit=compact[8]
            )
        return compact[:8], None
    if not re.fullmatch(r"[0-9]+", compact):
        return None, _("El DNI solo lleva números: 8 dígitos (y, si lo escribe, el dígito de verificación).")
    if len(compact) != 8:
        return None, _("El DNI tiene 8 dígitos; se escribieron {n}.").format(n=len(compact))
    return compact, None


def parse_document(type_text: str, number_text: str) -> tuple[str | None, str | None, list[FieldError]]:
    """``(document_type, document_number or None, errors)``."""
    number = number_text.strip()
    if not type_text.strip():
        if number:
            return None, None, [FieldError("document_type", _("Elija el tipo de documento."))]
        return "none", None, []
    kind = parse(DOCUMENT_TYPES, type_text)
    if kind is None:
        return (
            None,
            None,
            [
                FieldError(
                    "document_type", _("Tipo de documento desconocido: «{value}».").format(value=type_text.strip())
                )
            ],
        )
    if kind == "none":
        if number:
            return kind, None, [FieldError("document_number", _("Sin documento: deje vacío el número."))]
        return kind, None, []
    if kind == "dni":
        dni, message = parse_dni(number)
        return kind, dni, [FieldError("document_number", message)] if message else []
    compact = re.sub(r"[\s.]", "", number).upper()
    if not compact:
        return kind, None, [FieldError("document_number", _("Escriba el número del documento."))]
    if kind == "ce" and not re.fullmatch(r"[A-Z0-9]{8,12}", compact):
        return (
            kind,
            None,
            [FieldError("document_number", _("El carné de extranjería tiene de 8 a 12 letras o números."))],
        )
    if kind == "other" and not re.fullmatch(r"[A-Z0-9\-]{3,20}", compact):
        return (
            kind,
            None,
            [FieldError("document_number", _("El número de documento tiene de 3 a 20 letras, números o guiones."))],
        )
    return kind, compact, []


def _name(p: Parsed, name: str, text: str, missing: str | None) -> None:
    value = clean(text)
    if not value and missing:
        p.error(name, missing)
    elif len(value) > NAME_MAX:
        p.error(name, _("Es demasiado largo (máximo {n} caracteres).").format(n=NAME_MAX))
    elif value and not _NAME_CHARS.match(value):
        p.error(name, _("Solo lleva letras, espacios, apóstrofos y guiones."))
    p.values[name] = value


def _birth_date(p: Parsed, text: str, today: dt.date) -> None:
    p.values["birth_date"] = None
    if not text.strip():
        return
    day = parse_date(text)
    if day is None:
        p.error(
            "birth_date",
            _("Fecha de nacimiento no válida: «{value}». Escríbala como DD/MM/AAAA.").format(value=text.strip()),
        )
    elif day > today:
        p.error("birth_date", _("La fecha de nacimiento no puede ser posterior a hoy."))
    elif day < EARLIEST_BIRTH:
        p.error("birth_date", _("La fecha de nacimiento no puede ser anterior a 1900."))
    else:
        p.values["birth_date"] = day


def resolve_community(text: str) -> tuple[int | None, str | None]:
    """``(community id, None)`` for an id or a unique name; ``(None, message)`` otherwise."""
    text = text.strip()
    if not text:
        return None, None
    if text.isdigit():
        found = Community.select(Community.id).where(Community.id == int(text)).first()
        return (found.id, None) if found else (None, _("El centro poblado ya no existe."))
    ids = [c.id for c in Community.select(Community.id).where(Community.name_key == search_key(text)).limit(2)]
    if len(ids) == 1:
        return ids[0], None
    if ids:
        return None, _("Hay varios centros poblados «{value}»: elíjalo de la lista.").format(value=text)
    return None, _("Centro poblado desconocido: «{value}».").format(value=text)


def parse_person(form: PersonForm, today: dt.date | None = None) -> Parsed:
    """Validate a participante's form; each message names the field's problem in the user's language."""
    p = Parsed()
    kind, number, errors = parse_document(form.document_type, form.document_number)
    p.errors += errors
    p.values.update(document_type=kind, document_number=number)
    _name(p, "first_names", form.first_names, _("Escriba los nombres."))
    _name(p, "last_name_1", form.last_name_1, _("Escriba el primer apellido."))
    _name(p, "last_name_2", form.last_name_2, None)
    sex = _SEX_WORDS.get(search_key(form.sex)) or parse(SEXES, form.sex)
    if sex is None:
        p.error("sex", _("Elija el sexo: mujer u hombre."))
    p.values["sex"] = sex
    _birth_date(p, form.birth_date, today or dates.today())
    community, message = resolve_community(form.community)
    if message:
        p.error("community", message)
    p.values["community"] = community
    language = parse(SPOKEN_LANGUAGES, form.first_language) if form.first_language.strip() else ""
    if language is None:
        p.error("first_language", _("Lengua desconocida: «{value}».").format(value=form.first_language.strip()))
    p.values["first_language"] = language or ""
    phone = re.sub(r"[\s()-]", "", form.phone or "")
    if phone and not PHONE_RE.match(phone):
        p.error("phone", _("El teléfono solo lleva números (de 6 a 15)."))
    p.values["phone"] = phone
    notes = (form.notes or "").strip()
    if len(notes) > 2000:
        p.error("notes", _("Las notas son demasiado largas (máximo 2000 caracteres)."))
    p.values["notes"] = notes
    return p
