"""Participantes imported from CSV or XLSX, and atenciones exported for the PAIS report.

IMPORT (``persons.import``): a municipality's list, another programme's register.

* Columns (headers matched ignoring accents, case and spaces): ``tipo_documento,
  numero_documento, nombres, apellido_paterno, apellido_materno, sexo, fecha_nacimiento,
  centro_poblado, lengua_materna, telefono, notas``; ``nombres``, ``apellido_paterno`` and
  ``sexo`` are required. A number without a document type is read as a DNI.
* Every row is checked first with the form's own rules (:func:`parse_person`); a file with any
  bad row imports nothing and lists every bad row as ``fila N, columna: motivo``.
* THE DUPLICATE RULE (importing the same file twice creates nobody the second time):
  - with a document, the registered person with the same type and number is the same person;
  - without a document, the registered person without a document whose name (accents and case
    ignored) and birth date are the same is the same person (no birth date on either side also
    matches); two such registered persons make the row an error: the file must give the document;
  - the same person twice in one file (same document, or same name and birth date without one)
    is an error row;
  - a matched person keeps what the register already has: only its empty fields are filled from
    the file (corrections go through the form, with history). A person who exercised opposition
    is matched and left untouched. A row whose document matched a person with another name (other
    names or first surname; a missing second surname is not a difference) is left untouched and
    listed in the summary, for someone to check;
  - a row with a document never matches a registered person without one (nor the reverse): the
    register's similar-name check (:meth:`PersonService.possible_duplicates`) flags such pairs
    for an administrator's merge.
* A date cell of a spreadsheet (``1980-03-15 00:00:00``) is read as the date.
* One transaction for the whole file; one ``import`` audit entry plus the ``create``/``update``
  entries of the persons written.

EXPORT OF ATENCIONES (``attentions.export``): one row per non-voided atención from ``date_from``
to ``date_to`` (both inclusive, by the local date of the atención), oldest first — exactly the
atenciones that :mod:`~tambo_desktop.services.indicators` counts, so a count made from the file
agrees with the indicators: rows are atenciones, distinct ``id_persona`` are usuarios.

* ``centro_poblado``/``ubigeo`` are where the service was delivered: the tambo's own centro
  poblado and district when inside the platform, the community otherwise. ``edad`` and
  ``curso_de_vida`` are at the date of the atención (:func:`indicators.age_group`).
* THE OPPOSITION RULE: a person who exercised their right of opposition keeps their rows (their
  atenciones still count, as in the indicators) but leaves no identifier: ``numero_documento`` is
  blank and ``id_persona`` is a pseudonym valid only inside this one file (``reservado-N``), so
  the file still counts them as one usuario and no two files can be linked. Sex and age stay:
  the breakdowns need them.
* An anonymised person has no document any more: ``numero_documento`` is blank, ``id_persona``
  is the record's random UUID (it identifies nobody).
* Rows are read in chunks by ``(attended_at, id)`` and streamed to the file (the CSV writer and
  openpyxl's write-only workbook keep no table in memory), so five years of atenciones export
  in constant memory. The export is audited (period and row count); if the audit entry cannot be
  written, the file is removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, Community, Entity, Person, Service, Tambo
from tambo_desktop.errors import FieldError, ImportFileError, RowError, TamboError, ValidationError
from tambo_desktop.formats.tabular import (
    FORMATS,
    PROGRESS_EVERY,
    SAVE_PROGRESS_EVERY,
    ImportProgress,
    read_numbered_table,
    reading,
    write_table,
)
from tambo_desktop.i18n import _, use_language
from tambo_desktop.services.indicators import age_at, age_group
from tambo_desktop.services.person_form import PersonForm, name_key, parse_person
from tambo_desktop.services.session import Session
from tambo_desktop.text import search_key
from tambo_desktop.vocabulary import AGE_GROUPS, DOCUMENT_TYPES, GOVERNMENT_LEVELS, SECTORS, label

# -- import -----------------------------------------------------------------------------------------

PERSON_COLUMNS = {
    "document_type": "tipo_documento",
    "document_number": "numero_documento",
    "first_names": "nombres",
    "last_name_1": "apellido_paterno",
    "last_name_2": "apellido_materno",
    "sex": "sexo",
    "birth_date": "fecha_nacimiento",
    "community": "centro_poblado",
    "first_language": "lengua_materna",
    "phone": "telefono",
    "notes": "notas",
}
PERSON_HEADER = list(PERSON_COLUMNS.values())
REQUIRED = ("nombres", "apellido_paterno", "sexo")
#: Other headings that lists made elsewhere use for the same columns.
ALIASES = {
    "dni": "numero_documento",
    "documento": "numero_documento",
    "numero_de_documento": "numero_documento",
    "primer_apellido": "apellido_paterno",
    "segundo_apellido": "apellido_materno",
    "fecha_de_nacimiento": "fecha_nacimiento",
    "celular": "telefono",
}
_MIDNIGHT = re.compile(r"(?<=^\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")
#: Fields a matched person takes from the file when the register has them empty.
FILLABLE = ("last_name_2", "birth_date", "community", "first_language", "phone", "notes")


@dataclass(frozen=True)
class PersonImportSummary:
    rows: int
    created: int
    updated: int  # matched, with empty fields filled from the file
    unchanged: int  # matched, nothing to add (or opposition, or another name)
    other_name_rows: tuple[int, ...] = ()  # rows whose document belongs to a person with another name


@dataclass
class _Item:
    row: int
    values: dict
    key: tuple


def _columns(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = search_key(name).replace(" ", "_").replace("-", "_")
        key = ALIASES.get(key, key)
        if key in PERSON_HEADER and key not in index:
            index[key] = i
    return index


def _identity(values: dict) -> tuple:
    """The duplicate rule's key: the document, or the name and birth date."""
    if values["document_number"]:
        return ("document", values["document_type"], values["document_number"])
    return ("name", name_key(values["first_names"], values["last_name_1"], values["last_name_2"]), values["birth_date"])


def _by_name(key: str, birth: dt.date | None) -> list[Person]:
    """Registered persons without a document with this name key and birth date (None matches None)."""
    query = Person.select().where(
        Person.document_number.is_null() & (Person.name_key == key) & (Person.anonymized == False)  # noqa: E712
    )
    query = query.where(Person.birth_date.is_null() if birth is None else Person.birth_date == birth)
    return list(query.order_by(Person.id).limit(2))


def _match(key: tuple) -> tuple[Person | None, bool]:
    """``(registered person, ambiguous)`` for an identity key."""
    if key[0] == "document":
        return Person.get_or_none((Person.document_type == key[1]) & (Person.document_number == key[2])), False
    found = _by_name(key[1], key[2])
    return (found[0] if found else None), len(found) > 1


def _ambiguous_error(row: int) -> RowError:
    return RowError(
        row,
        "numero_documento",
        _("hay dos o más personas registradas con ese nombre y fecha de nacimiento: escriba su documento"),
    )


def _validate(
    rows: list[tuple[int, list[str]]], index: dict[str, int], today: dt.date, progress: ImportProgress | None = None
) -> tuple[list[_Item], list[RowError]]:
    errors: list[RowError] = []
    items: list[_Item] = []
    seen: dict[tuple, int] = {}
    for done, (number, row) in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(_("Revisando las filas"), done, len(rows))
        cell = {col: (row[i] if i < len(row) else "") for col, i in index.items()}
        form = PersonForm(**{f: cell.get(col, "") for f, col in PERSON_COLUMNS.items()})
        if not form.document_type.strip() and form.document_number.strip():
            form.document_type = "dni"  # a bare number in a Peruvian list is a DNI
        form.birth_date = _MIDNIGHT.sub("", form.birth_date)  # a spreadsheet's date cell
        parsed = parse_person(form, today)
        errors += [RowError(number, PERSON_COLUMNS[e.field], e.message) for e in parsed.errors]
        bad = {e.field for e in parsed.errors}
        values = parsed.values
        if bad & {"document_type", "document_number"} or (
            not values["document_number"] and bad & {"first_names", "last_name_1", "last_name_2", "birth_date"}
        ):
            continue  # no identity to compare
        key = _identity(values)
        if key in seen:
            if key[0] == "document":
                message = _("documento repetido: ya está en la fila {row}").format(row=seen[key])
                errors.append(RowError(number, "numero_documento", message))
            else:
                message = _(
                    "persona repetida (mismo nombre y fecha de nacimiento, sin documento): ya está en la fila {row}"
                )
                errors.append(RowError(number, "nombres", message.format(row=seen[key])))
            continue
        seen[key] = number
        if key[0] == "name" and _match(key)[1]:
            errors.append(_ambiguous_error(number))
            continue
        if not parsed.errors:
            items.append(_Item(number, values, key))
    return items, errors


def _same_name(person: Person, values: dict) -> bool:
    """The same names and first surname (accents and case ignored); a missing second surname agrees."""
    same = all(search_key(getattr(person, f)) == search_key(values[f]) for f in ("first_names", "last_name_1"))
    second = search_key(person.last_name_2), search_key(values["last_name_2"])
    return same and (second[0] == second[1] or not all(second))


def _full_name(values: dict) -> str:
    return " ".join(x for x in (values["first_names"], values["last_name_1"], values["last_name_2"]) if x)


def import_persons(
    service, path: Path, today: dt.date | None = None, progress: ImportProgress | None = None
) -> PersonImportSummary:
    """Validate the whole file, then write every person in one transaction (or nobody).

    ``service`` is a :class:`PersonService` (or anything with a ``session``); ``progress(step,
    done, total)`` hears how far the reading, the checking and the saving are.
    """
    session: Session = service.session
    session.require("persons.import")
    path = Path(path)
    header, rows = read_numbered_table(path, progress=reading(progress))
    index = _columns(header)
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        raise ImportFileError(
            [RowError(1, c, _("falta esta columna")) for c in missing],
            _("El archivo no tiene las columnas necesarias."),
        )
    if not rows:
        raise ImportFileError([], _("El archivo no tiene filas de datos."))
    items, errors = _validate(rows, index, today or dates.today(), progress)
    if errors:
        raise ImportFileError(
            sorted(errors, key=lambda e: e.row), _("No se importó nada: corrija estas filas y vuelva a intentarlo.")
        )
    created = updated = unchanged = 0
    other_names: list[int] = []
    with session.write():
        session.audit("import", "person", summary=_("{n} filas desde {file}").format(n=len(rows), file=path.name))
        for done, item in enumerate(items, start=1):
            if progress is not None and done % SAVE_PROGRESS_EVERY == 0:
                progress(_("Guardando"), done, len(items))
            person, ambiguous = _match(item.key)  # again, inside the transaction: another PC may have written
            if ambiguous:
                raise ImportFileError(
                    [_ambiguous_error(item.row)], _("No se importó nada: corrija estas filas y vuelva a intentarlo.")
                )
            values = item.values
            if person is None:
                person = Person(
                    **values, name_key=name_key(values["first_names"], values["last_name_1"], values["last_name_2"])
                )
                session.save(person, summary=_full_name(values))
                created += 1
                continue
            if person.opposition:
                unchanged += 1
                continue
            if not _same_name(person, values):
                other_names.append(item.row)
                unchanged += 1
                continue
            blanks = [f for f in FILLABLE if getattr(person, f) in (None, "") and values[f] not in (None, "")]
            if not blanks:
                unchanged += 1
                continue
            for name in blanks:
                setattr(person, name, values[name])
            session.save(person, summary=_full_name(values))
            updated += 1
    return PersonImportSummary(len(rows), created, updated, unchanged, tuple(other_names))


# -- export of atenciones ---------------------------------------------------------------------------

ATTENTION_HEADER = [
    "fecha",
    "hora",
    "tambo",
    "entidad",
    "sector",
    "nivel_gobierno",
    "servicio",
    "lugar",
    "centro_poblado",
    "ubigeo",
    "id_persona",
    "tipo_documento",
    "numero_documento",
    "sexo",
    "edad",
    "curso_de_vida",
    "id_atencion",
]
#: Rows read from the database at a time.
CHUNK = 2000
PLACE_WORDS = {"inside": "dentro", "outside": "fuera"}
_PlaceCommunity = Community.alias("place_community")
_COLUMNS = (
    Attention.id,
    Attention.attended_at,
    Attention.uuid,
    Attention.tambo_code,
    Attention.place,
    Entity.code,
    Entity.sector,
    Entity.level,
    Service.name,
    _PlaceCommunity.name,
    _PlaceCommunity.district,
    Person.id,
    Person.uuid,
    Person.document_type,
    Person.document_number,
    Person.sex,
    Person.birth_date,
    Person.anonymized,
    Person.opposition,
)


def _chunks(start: dt.datetime, end: dt.datetime, size: int) -> Iterator[list[tuple]]:
    """The counted atenciones of ``[start, end)``, oldest first, ``size`` rows per query (keyset paging)."""
    base = (
        Attention.select(*_COLUMNS)
        .join(Person, on=Attention.person == Person.id)
        .join_from(Attention, Entity, on=Attention.entity == Entity.id)
        .join_from(Attention, Service, on=Attention.service == Service.id)
        .join_from(Attention, _PlaceCommunity, pw.JOIN.LEFT_OUTER, on=Attention.community == _PlaceCommunity.id)
        .where((Attention.voided == False) & (Attention.attended_at >= start) & (Attention.attended_at < end))  # noqa: E712
        .order_by(Attention.attended_at, Attention.id)
    )
    after: tuple | None = None
    while True:
        query = base if after is None else base.where(pw.Tuple(Attention.attended_at, Attention.id) > pw.Tuple(*after))
        batch = list(query.limit(size).tuples())
        if batch:
            yield batch
        if len(batch) < size:
            return
        after = (batch[-1][1], batch[-1][0])


def _table(start: dt.date, end: dt.date, chunk: int) -> Iterator[list[object]]:
    tambo = Tambo.select().first()
    home = (tambo.centro_poblado, tambo.district_id) if tambo else ("", "")
    with use_language("es"):  # the file is for PAIS: Spanish labels, whatever the screen's language
        sectors = {k: label(SECTORS, k) for k in SECTORS}
        levels = {k: label(GOVERNMENT_LEVELS, k) for k in GOVERNMENT_LEVELS}
        documents = {k: label(DOCUMENT_TYPES, k) for k in DOCUMENT_TYPES}
        groups = {k: label(AGE_GROUPS, k) for k in AGE_GROUPS}
    reserved: dict[int, str] = {}
    lo = dt.datetime.combine(start, dt.time.min)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    for batch in _chunks(lo, hi, chunk):
        for (
            _id, at, attention_uuid, tambo_code, place, entity, sector, level, service, place_name, place_district,
            person_id, person_uuid, doc_type, doc_number, sex, birth, anonymized, opposition,
        ) in batch:  # fmt: skip
            day = at.date()
            where = (place_name, place_district) if place_name is not None else home
            if opposition:
                person_key = reserved.setdefault(person_id, f"reservado-{len(reserved) + 1}")
                number = ""
            else:
                person_key, number = person_uuid, "" if anonymized else (doc_number or "")
            local = dates.to_tambo(at)
            yield [
                day,  # typed: ISO 8601 in a CSV, a date cell in the reader's format in an XLSX
                dt.time(local.hour, local.minute),
                tambo_code,
                entity,
                sectors.get(sector, sector),
                levels.get(level, level),
                service,
                PLACE_WORDS.get(place, place),
                where[0],
                where[1],
                person_key,
                documents.get(doc_type, doc_type),
                number,
                sex,
                age_at(birth, day) if birth else None,
                groups[age_group(birth, day)],
                attention_uuid,
            ]


def export_attentions(
    session, path: Path, date_from: dt.date, date_to: dt.date, fmt: str = "csv", chunk: int = CHUNK
) -> int:
    """Write the atenciones of the period (both dates inclusive) as CSV or XLSX; returns the rows written.

    ``session`` is a :class:`Session` or a service that has one.
    """
    session = getattr(session, "session", session)
    session.require("attentions.export")
    errors = []
    if fmt not in FORMATS:
        errors.append(FieldError("format", _("Formato no admitido: «{value}». Use csv o xlsx.").format(value=fmt)))
    if date_from > date_to:
        errors.append(
            FieldError(
                "date_to",
                _("La fecha inicial {start} es posterior a la final {end}.").format(start=date_from, end=date_to),
            )
        )
    if errors:
        raise ValidationError(errors)
    path = Path(path)
    written = 0

    def counted() -> Iterator[list[object]]:
        nonlocal written
        for row in _table(date_from, date_to, chunk):
            written += 1
            yield row

    try:
        write_table(path, ATTENTION_HEADER, counted(), fmt)
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    try:
        with session.write():
            session.audit(
                "export",
                "attention",
                summary=_("{n} atenciones del {start} al {end} a {file}").format(
                    n=written, start=date_from.isoformat(), end=date_to.isoformat(), file=path.name
                ),
            )
    except BaseException:
        path.unlink(missing_ok=True)  # personal data never leaves without its audit entry
        raise
    return written


__all__ = [
    "ATTENTION_HEADER",
    "PERSON_HEADER",
    "PersonImportSummary",
    "export_attentions",
    "import_persons",
]
