"""The citizens' rights over their data (Ley 29733): access and portability of one person's record.

* :meth:`RightsService.person_record` gathers everything the database holds about one person:
  the person's fields, their centro poblado, every atención (voided ones too, marked), and the
  audit history of the person record — when, who, what, which fields changed (old → new) —
  including the records merged into it and earlier exports of their data.
* :meth:`RightsService.export_json` (UTF-8, stable English keys, codes as stored) and
  :meth:`RightsService.export_pdf` (A4, printable, in the user's language) write it; every export
  is itself audited as an ``export`` of the person record, because the data left the system. If
  the audit entry cannot be written the file is removed.
* Who (``persons.export``): administrator, gestor and supervisor — the people who answer a
  citizen's request at the tambo. Office staff register people but do not hand out records.
* Rectification is the person form (each correction is audited, and shows in the history);
  cancellation is :meth:`PersonService.anonymize` (also reachable here); opposition is
  :meth:`PersonService.set_opposition`.
* An anonymised person's history does not give back what anonymisation removed: the values of
  the identifying fields (and the summaries, which held the name) are masked as ``***``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import peewee as pw

from tambo_desktop.db import personal
from tambo_desktop.db.models import (
    Attention,
    AuditEntry,
    Community,
    Department,
    District,
    Entity,
    Person,
    Province,
    Service,
    Tambo,
)
from tambo_desktop.db.sql import tuples
from tambo_desktop.documents import rights as rights_pdf
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.files import write_bytes
from tambo_desktop.i18n import N_, _, current_language, format_date, format_datetime, local_time, use_language
from tambo_desktop.services.audit import ACTIONS, erased_label
from tambo_desktop.services.person_form import FIELD_LABELS
from tambo_desktop.services.persons import Anonymised, PersonService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import DOCUMENT_TYPES, PLACES, SEXES, SPOKEN_LANGUAGES, label

FORMAT_ID = "tambo-desktop/person-record/1"
#: Fields whose values anonymisation removed: masked in the history of an anonymised person.
IDENTIFYING = frozenset(
    {"document_type", "document_number", "first_names", "last_name_1", "last_name_2", "phone", "notes"}
)
MASK = "***"
EXTRA_LABELS = {
    "anonymized": N_("Anonimizada"),
    "opposition": N_("Oposición al uso de sus datos"),
}
DATE_PATTERN = "short"


def _iso(value: dt.datetime | dt.date | None, utc: bool = False) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if utc else "")
    return value.isoformat()


def _get(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise NotFound(_("La persona ya no está registrada."))
    return person


def _community(community_id: int | None) -> dict | None:
    if community_id is None:
        return None
    found = (
        Community.select(Community, District, Province, Department)
        .join(District)
        .join(Province)
        .join(Department)
        .where(Community.id == community_id)
        .first()
    )
    if found is None:
        return None
    district = found.district
    return {
        "uuid": found.uuid,
        "name": found.name,
        "ubigeo": district.code,
        "district": district.name,
        "province": district.province.name,
        "department": district.province.department.name,
    }


def _attentions(person: Person, home: dict) -> list[dict]:
    place_community = Community.alias("place_community")
    query = (
        Attention.select(Attention, Entity, Service, place_community)
        .join_from(Attention, Entity, on=Attention.entity == Entity.id)
        .join_from(Attention, Service, on=Attention.service == Service.id)
        .join_from(Attention, place_community, pw.JOIN.LEFT_OUTER, on=Attention.community == place_community.id)
        .where(Attention.person == person.id)
        .order_by(Attention.attended_at, Attention.id)
    )
    rows = []
    for a in query:
        where = a.community if a.community_id else None
        rows.append(
            {
                "uuid": a.uuid,
                "attended_at": _iso(a.attended_at),
                "place": a.place,
                "place_community": where.name if where else home["centro_poblado"],
                "place_ubigeo": where.district_id if where else home["ubigeo"],
                "entity_code": a.entity.code,
                "entity_name": a.entity.name,
                "sector": a.entity.sector,
                "service_code": a.service.code,
                "service_name": a.service.name,
                "intervention_uuid": a.intervention_uuid,
                "voided": a.voided,
                "void_reason": a.void_reason,
                "recorded_at": _iso(a.created_at, utc=True),
                "recorded_by": a.created_by,
                "tambo_code": a.tambo_code,
            }
        )
    return rows


def _record_uuids(uuid: str) -> list[str]:
    """The person's UUID and those of the records merged into it (and into those), oldest first."""
    found, queue = [uuid], [uuid]
    while queue:
        current = queue.pop()
        merges = AuditEntry.select(AuditEntry.changes).where(
            (AuditEntry.action == "merge") & (AuditEntry.entity == "person") & (AuditEntry.record_uuid == current)
        )
        for (changes,) in tuples(merges):
            removed = (json.loads(changes).get("person") or [None])[0] if changes else None
            if removed and removed not in found:
                found.append(removed)
                queue.append(removed)
    return found


def _history(person: Person) -> list[dict]:
    uuids = _record_uuids(person.uuid)
    query = (
        AuditEntry.select()
        .where((AuditEntry.entity == "person") & AuditEntry.record_uuid.in_(uuids))
        .order_by(AuditEntry.id)
    )
    rows = []
    entries = list(query)
    values = personal.lookup(personal.tokens_in(*(t for e in entries for t in (e.summary, e.changes))))
    for e in entries:
        # the person's own values, kept apart from the trail (db/personal.py), put back in place
        changes = personal.resolve(json.loads(e.changes) if e.changes else {}, values, erased_label())
        summary = str(personal.resolve(e.summary, values, erased_label()))
        assert isinstance(changes, dict)
        if person.anonymized:
            changes = {k: ([MASK, MASK] if k in IDENTIFYING else v) for k, v in changes.items()}
            summary = "" if e.action in ("create", "update", "delete") else summary
        rows.append(
            {
                "at": _iso(e.at, utc=True),
                "username": e.username,
                "action": e.action,
                "record_uuid": e.record_uuid,
                "summary": summary,
                "changes": changes,
            }
        )
    return rows


def _tambo() -> dict:
    tambo = Tambo.select().first()
    if tambo is None:
        return {"code": "", "name": "", "centro_poblado": "", "ubigeo": ""}
    return {"code": tambo.code, "name": tambo.name, "centro_poblado": tambo.centro_poblado, "ubigeo": tambo.district_id}


class RightsService:
    """Access, portability and cancellation of one person's data (``persons.export``, ``persons.anonymize``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def person_record(self, person_id: int, now: dt.datetime | None = None) -> dict:
        """Everything held about the person, as plain JSON values with stable keys."""
        self.session.require("persons.export")
        person = _get(person_id)
        tambo = _tambo()
        return {
            "format": FORMAT_ID,
            "issued_at": _iso((now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0), utc=True),
            "issued_by": self.session.user.username,
            "tambo": tambo,
            "person": {
                "uuid": person.uuid,
                "tambo_code": person.tambo_code,
                "document_type": person.document_type,
                "document_number": person.document_number,
                "first_names": person.first_names,
                "last_name_1": person.last_name_1,
                "last_name_2": person.last_name_2,
                "sex": person.sex,
                "birth_date": _iso(person.birth_date),
                "first_language": person.first_language,
                "phone": person.phone,
                "notes": person.notes,
                "anonymized": person.anonymized,
                "opposition": person.opposition,
                "created_at": _iso(person.created_at, utc=True),
                "created_by": person.created_by,
                "updated_at": _iso(person.updated_at, utc=True),
                "updated_by": person.updated_by,
            },
            "community": _community(person.community_id),
            "attentions": _attentions(person, tambo),
            "history": _history(person),
        }

    def export(self, person_id: int, path: Path) -> Path:
        """JSON or PDF, chosen by the file's extension (``.json`` or ``.pdf``)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".json":
            return self.export_json(person_id, path)
        if suffix == ".pdf":
            self.export_pdf(person_id, path)
            return path
        raise ValidationError(
            FieldError(
                "out", _("Formato no admitido: «{suffix}». Use un archivo .json o .pdf.").format(suffix=path.suffix)
            )
        )

    def export_json(self, person_id: int, path: Path) -> Path:
        record = self.person_record(person_id)
        data = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8") + b"\n"
        self._write_audited(Path(path), lambda p: write_bytes(p, data, private=True), record["person"]["uuid"], "JSON")
        return Path(path)

    def export_pdf(self, person_id: int, path: Path, language: str | None = None) -> int:
        """A printable A4 record in ``language`` (by default the interface's); returns its pages."""
        record = self.person_record(person_id)
        pages: list[int] = []

        def write(target: Path) -> None:
            with use_language(language or current_language()):
                pages.append(rights_pdf.render(_document(record), target))

        self._write_audited(Path(path), write, record["person"]["uuid"], "PDF")
        return pages[0]

    def anonymize(self, person_id: int) -> Anonymised:
        """Cancellation on request: see :meth:`PersonService.anonymize`."""
        self.session.require("persons.anonymize")
        return PersonService(self.session).anonymize(person_id)

    def _write_audited(self, path: Path, write, person_uuid: str, kind: str) -> None:
        try:
            write(path)
        except OSError as exc:
            raise TamboError(
                _("No se puede escribir {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc
        try:
            with self.session.write():
                # the file is often named after the person: its name is kept apart, erased with them
                summary = _("todos los datos de la persona ({kind}) a {file}").format(
                    kind=kind, file=personal.new_value(person_uuid, path.name)
                )
                self.session.audit("export", "person", person_uuid, summary)
        except BaseException:
            path.unlink(missing_ok=True)  # the data never leaves without its audit entry
            raise


# -- the printed record ---------------------------------------------------------------------------


def _none(value: object) -> str:
    return "—" if value in (None, "") else str(value)


def _yes_no(value: bool) -> str:
    return _("Sí") if value else _("No")


def _local(iso_utc: str | None) -> str:
    """A UTC timestamp of the record as the office's local date and time."""
    if not iso_utc:
        return "—"
    return format_datetime(local_time(dt.datetime.fromisoformat(iso_utc.rstrip("Z"))), DATE_PATTERN)


def _day_time(iso: str) -> str:
    return format_datetime(dt.datetime.fromisoformat(iso), DATE_PATTERN)


def _community_names() -> dict[int, str]:
    return {i: name for i, name in tuples(Community.select(Community.id, Community.name))}


def _value(field: str, value: object, communities: dict[int, str]) -> str:
    """A stored value as a person reads it."""
    if value in (None, "") or value == MASK:
        return _none(value)
    if isinstance(value, bool):
        return _yes_no(value)
    if field == "sex":
        return label(SEXES, str(value))
    if field == "document_type":
        return label(DOCUMENT_TYPES, str(value))
    if field == "first_language":
        return label(SPOKEN_LANGUAGES, str(value))
    if field == "community":
        return communities.get(value, f"#{value}") if isinstance(value, int) else str(value)
    if field == "birth_date":
        try:
            return format_date(dt.date.fromisoformat(str(value)), DATE_PATTERN)
        except ValueError:
            return str(value)
    return str(value)


def _field_label(field: str) -> str:
    if field in FIELD_LABELS:
        return _(FIELD_LABELS[field])
    if field in EXTRA_LABELS:
        return _(EXTRA_LABELS[field])
    return field


def _field_order(field: str) -> tuple[int, str]:
    order = [*FIELD_LABELS, *EXTRA_LABELS]
    return (order.index(field) if field in order else len(order), field)


def _changes_text(entry: dict, communities: dict[int, str]) -> str:
    lines = []
    for field in sorted(entry["changes"], key=_field_order):
        if field == "person":
            continue  # a merge's record identifiers: its summary says it in words
        pair = entry["changes"][field]
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if entry["action"] in ("create", "delete"):  # what the record held when it was made, or removed
            value = new if entry["action"] == "create" else old
            if value is not False:  # "opposition: no" says nothing here
                lines.append(f"{_field_label(field)}: {_value(field, value, communities)}")
        else:
            lines.append(
                f"{_field_label(field)}: {_value(field, old, communities)} → {_value(field, new, communities)}"
            )
    if entry["summary"] and entry["action"] not in ("create", "update"):
        lines.append(entry["summary"])
    return "\n".join(lines) or "—"


def _full_name(person: dict) -> str:
    if person["anonymized"]:
        return _("Persona anonimizada")
    return " ".join(x for x in (person["first_names"], person["last_name_1"], person["last_name_2"]) if x)


def _document(record: dict):
    """The person's record as the printed document shows it: every value already in words."""
    from tambo_desktop.documents.rights import RightsDocument

    person, tambo, community = record["person"], record["tambo"], record["community"]
    communities = _community_names()
    issued = local_time(dt.datetime.fromisoformat(record["issued_at"].rstrip("Z")))
    place = "—"
    if community:
        place = f"{community['name']} — {community['district']}, {community['province']}, {community['department']} ({community['ubigeo']})"
    data = [
        (_("Nombre completo"), _full_name(person)),
        (_(FIELD_LABELS["document_type"]), _value("document_type", person["document_type"], communities)),
        (_(FIELD_LABELS["document_number"]), _none(person["document_number"])),
        (_(FIELD_LABELS["first_names"]), _none(person["first_names"])),
        (_(FIELD_LABELS["last_name_1"]), _none(person["last_name_1"])),
        (_(FIELD_LABELS["last_name_2"]), _none(person["last_name_2"])),
        (_(FIELD_LABELS["sex"]), _value("sex", person["sex"], communities)),
        (_(FIELD_LABELS["birth_date"]), _value("birth_date", person["birth_date"], communities)),
        (_(FIELD_LABELS["community"]), place),
        (_(FIELD_LABELS["first_language"]), _value("first_language", person["first_language"], communities)),
        (_(FIELD_LABELS["phone"]), _none(person["phone"])),
        (_(FIELD_LABELS["notes"]), _none(person["notes"])),
        (_(EXTRA_LABELS["opposition"]), _yes_no(person["opposition"])),
        (_(EXTRA_LABELS["anonymized"]), _yes_no(person["anonymized"])),
        (_("Registrada el"), f"{_local(person['created_at'])} ({person['created_by']})"),
        (_("Último cambio"), f"{_local(person['updated_at'])} ({person['updated_by']})"),
        (_("Identificador del registro"), person["uuid"]),
    ]
    attentions = []
    for a in record["attentions"]:
        # at the tambo: the tambo's name says it; outside: the centro poblado where it was delivered
        where = tambo["name"] if a["place"] == "inside" else a["place_community"] or label(PLACES, a["place"])
        state = _("Anulada: {reason}").format(reason=a["void_reason"]) if a["voided"] else _("Válida")
        attentions.append((_day_time(a["attended_at"]), _(a["service_name"]), a["entity_code"], where, state))
    history = []
    for e in record["history"]:
        action = _(ACTIONS[e["action"]]) if e["action"] in ACTIONS else e["action"]
        history.append((_local(e["at"]), e["username"], action, _changes_text(e, communities)))
    return RightsDocument(tambo["name"], tambo["code"], issued.date(), data, attentions, history, current_language())


__all__ = ["RightsService"]
