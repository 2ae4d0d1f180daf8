"""Participantes: register, find, flag possible duplicates, merge, opposition and anonymisation."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass

import peewee as pw
from rapidfuzz import fuzz

from tambo_desktop import dates
from tambo_desktop.db import personal
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Attention, Community, Person
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.indicators import age_at
from tambo_desktop.services.person_form import PersonForm, name_key, parse_document, parse_person
from tambo_desktop.services.session import Session
from tambo_desktop.text import name_search_key, search_key

#: rapidfuzz ratios from which the surnames, and the first names (short: "Roza" for "Rosa"
#: is 75), look like the same person's (see :func:`name_similarity`).
SIMILAR_NAME = 88
SIMILAR_FIRST_NAME = 75
#: Fields a merge copies from the removed person when the kept one has them empty.
_FILLABLE = ("last_name_2", "birth_date", "community", "first_language", "phone")
#: What anonymisation clears (the audit trail records only that they changed).
_IDENTIFYING = ("document_type", "document_number", "first_names", "last_name_1", "last_name_2", "phone", "notes")


@dataclass(frozen=True)
class PersonRow:
    id: int
    uuid: str
    document_type: str
    document_number: str | None
    first_names: str
    last_name_1: str
    last_name_2: str
    sex: str
    birth_date: dt.date | None
    community_id: int | None
    community_name: str
    first_language: str
    phone: str
    notes: str
    anonymized: bool
    opposition: bool
    version: int = 1

    @property
    def full_name(self) -> str:
        if self.anonymized:
            return _("Persona anonimizada")
        return " ".join(x for x in (self.first_names, self.last_name_1, self.last_name_2) if x)

    def age(self, day: dt.date | None = None) -> int | None:
        """Age in whole years at ``day`` (today by default)."""
        return age_at(self.birth_date, day or dates.today()) if self.birth_date else None


@dataclass(frozen=True)
class Anonymised:
    """What an anonymisation removed: the values kept for the audit trail, and whether the
    database file was scrubbed at once (False: another connection's read kept the old pages in
    the WAL a moment longer; the next checkpoint folds them)."""

    erased_values: int
    scrubbed: bool


@dataclass(frozen=True)
class Duplicate:
    """A registered person who may be the one on the form, and why."""

    person: PersonRow
    score: int  # 0–100
    same_document: bool
    same_birth_date: bool
    same_community: bool


def _row(p: Person) -> PersonRow:
    community = p.community.name if p.community_id and p.community else ""
    return PersonRow(
        p.id, p.uuid, p.document_type, p.document_number, p.first_names, p.last_name_1, p.last_name_2, p.sex,
        p.birth_date, p.community_id, community, p.first_language, p.phone, p.notes, p.anonymized, p.opposition,
        p.version,
    )  # fmt: skip


def name_similarity(values: dict, person: Person) -> int:
    """0–100, from SIMILAR_NAME up when the names look like the same person's. First names and
    surnames are compared apart, so relatives sharing both surnames (common in a community)
    are not flagged."""
    first = fuzz.token_set_ratio(search_key(values["first_names"]), search_key(person.first_names))
    surnames = fuzz.token_set_ratio(
        search_key(f"{values['last_name_1']} {values['last_name_2']}"),
        search_key(f"{person.last_name_1} {person.last_name_2}"),
    )
    score = round((first + surnames) / 2)
    if first < SIMILAR_FIRST_NAME or surnames < SIMILAR_NAME:
        return min(score, SIMILAR_NAME - 1)  # below the flag
    return max(score, SIMILAR_NAME)


def _select() -> pw.ModelSelect[Person]:
    return Person.select(Person, Community).join(Community, pw.JOIN.LEFT_OUTER).switch(Person)


def matching(text: str) -> pw.Expression | None:
    """Condition on Person: every word is in the name (accents and case ignored), or a word of
    digits starts the document number (a range, so the index serves it). None without words."""
    condition = None
    for word in name_search_key(text).split():
        match = Person.name_key.contains(word)
        if word.isdigit():
            upper = word[:-1] + chr(ord(word[-1]) + 1)
            match |= (Person.document_number >= word) & (Person.document_number < upper)
        condition = match if condition is None else condition & match
    return condition


def _get(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise NotFound(_("La persona ya no está registrada."))
    return person


class PersonService:
    """The participantes (``persons.view`` / ``persons.edit`` / ``persons.merge`` / ``persons.anonymize``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading --------------------------------------------------------------------------------

    def get(self, person_id: int) -> PersonRow:
        self.session.require("persons.view")
        found = _select().where(Person.id == person_id).first()
        if found is None:
            raise NotFound(_("La persona ya no está registrada."))
        return _row(found)

    def find_by_document(self, document_type: str, number: str) -> PersonRow | None:
        """The person with this document (a DNI may carry its check digit); ValidationError if malformed."""
        self.session.require("persons.view")
        kind, value, errors = parse_document(document_type, number)
        if errors:
            raise ValidationError(errors)
        if value is None:
            return None
        found = _select().where((Person.document_type == kind) & (Person.document_number == value)).first()
        return _row(found) if found else None

    def search(self, text: str, limit: int = 50, offset: int = 0, community_id: int | None = None) -> list[PersonRow]:
        """Persons whose name holds every word (accents and case ignored) or whose document starts
        so, optionally of one centro poblado; by surname."""
        self.session.require("persons.view")
        query = _select().where(Person.anonymized == False).order_by(Person.name_key, Person.id)  # noqa: E712
        if community_id is not None:
            query = query.where(Person.community == community_id)
        condition = matching(text)
        if condition is not None:
            query = query.where(condition)
        return [_row(p) for p in query.limit(limit).offset(offset)]

    def possible_duplicates(self, form: PersonForm, person_id: int | None = None) -> list[Duplicate]:
        """Registered persons like the form's: the same document, or a similar name with the same
        birth date or the same community. Best first; the person being edited is left out."""
        self.session.require("persons.view")
        values = parse_person(form).values
        key = name_key(values["first_names"], values["last_name_1"], values["last_name_2"])
        conditions = []
        if values.get("document_number"):
            conditions.append(
                (Person.document_type == values["document_type"])
                & (Person.document_number == values["document_number"])
            )
        if values.get("birth_date"):
            conditions.append(Person.birth_date == values["birth_date"])
        if values.get("community"):
            conditions.append(Person.community == values["community"])
        if not conditions or not key:
            return []
        query = _select().where(
            functools.reduce(operator.or_, conditions) & (Person.anonymized == False) & (Person.id != (person_id or 0))  # noqa: E712
        )
        found = []
        candidates = {p.id: p for p in query}
        scores = {pid: name_similarity(values, p) for pid, p in candidates.items()}
        for pid, p in candidates.items():
            same_doc = (
                bool(values.get("document_number"))
                and p.document_number == values["document_number"]
                and (p.document_type == values["document_type"])
            )
            score = round(scores.get(pid, 0))
            if same_doc or score >= SIMILAR_NAME:
                found.append(
                    Duplicate(
                        _row(p),
                        score,
                        same_doc,
                        p.birth_date == values.get("birth_date"),
                        p.community_id == values.get("community"),
                    )
                )
        return sorted(found, key=lambda d: (not d.same_document, -d.score, d.person.id))

    def history(self, person_id: int) -> list:
        """The audit trail of the person's record: who changed what and when (newest first)."""
        self.session.require("persons.view")
        from tambo_desktop.services.audit import record_history

        return record_history(_get(person_id).uuid)

    # -- writing --------------------------------------------------------------------------------

    def save(self, form: PersonForm, person_id: int | None = None, today: dt.date | None = None) -> int:
        """Create (no id) or correct a person; ValidationError lists every bad field."""
        self.session.require("persons.edit")
        parsed = parse_person(form, today)
        if parsed.errors:
            raise ValidationError(parsed.errors)
        values = parsed.values
        with self.session.write():
            person = Person() if person_id is None else _get(person_id)
            if person.anonymized:
                raise TamboError(_("Esta persona fue anonimizada: sus datos ya no se pueden cambiar."))
            self._check_document(values, person_id)
            for name, value in values.items():
                setattr(person, name, value)
            person.name_key = name_key(values["first_names"], values["last_name_1"], values["last_name_2"])
            try:
                with current_database().atomic():  # a savepoint: the transaction stays usable after a refusal
                    self.session.save(person, summary=_row(person).full_name, version=form.version, on_top=form.on_top)
            except pw.IntegrityError:
                # another PC registered the same document between the check and this save
                self._check_document(values, person_id)
                raise
            return person.id

    @staticmethod
    def _check_document(values: dict, person_id: int | None) -> None:
        if not values["document_number"]:
            return
        other = Person.get_or_none(
            (Person.document_type == values["document_type"])
            & (Person.document_number == values["document_number"])
            & (Person.id != (person_id or 0))
        )
        if other is not None:
            raise ValidationError(
                FieldError(
                    "document_number",
                    _("Ese documento ya está registrado a nombre de {name}.").format(name=_row(other).full_name),
                )
            )

    def set_opposition(self, person_id: int, opposed: bool) -> None:
        """Record the person's opposition (kept out of exports) or its withdrawal."""
        self.session.require("persons.edit")
        with self.session.write():
            person = _get(person_id)
            person.opposition = opposed
            self.session.save(person, summary=_row(person).full_name)

    def anonymize(self, person_id: int) -> Anonymised:
        """Cancellation: remove name, document, phone and notes; atenciones and aggregates stay.

        The audit entry says which fields were cleared without repeating their values. The
        person's values in the audit trail (kept apart, db/personal.py) are erased too, the chain
        still verifies; the transaction runs with SQLite's secure delete and is followed by a
        checkpoint that truncates the WAL, so the values are not left in the file's free space.
        Older backups still hold them: see BackupService.holding.
        """
        self.session.require("persons.anonymize")
        db = current_database()
        with personal.secure_delete(db), self.session.write():
            person = _get(person_id)
            if person.anonymized:
                return Anonymised(0, True)
            cleared = [f for f in _IDENTIFYING if getattr(person, f) not in (None, "", "none")]
            person.document_type, person.document_number = "none", None
            person.first_names = person.last_name_1 = person.last_name_2 = person.phone = person.notes = ""
            person.name_key, person.anonymized = "", True
            self.session.stamp(person, created=False)
            if not person.save():  # another PC saved the person between the read and this write
                from tambo_desktop.services.conflicts import stale

                raise stale(_get(person_id), person)
            erased = personal.erase(person.uuid)
            changes = {f: ["***", ""] for f in cleared} | {"anonymized": [False, True]}
            summary = _("{n} valores borrados de la auditoría").format(n=erased)
            self.session.audit("anonymize", "person", person.uuid, summary, changes)
        return Anonymised(erased, personal.checkpoint(db))

    def merge(self, keep_id: int, remove_id: int) -> int:
        """Move every atención of ``remove_id`` to ``keep_id``, fill the kept person's empty fields
        from the removed one, delete it; all audited in one transaction. Returns atenciones moved."""
        self.session.require("persons.merge")
        if keep_id == remove_id:
            raise TamboError(_("Elija dos personas distintas para fusionar."))
        with self.session.write():
            keep, remove = _get(keep_id), _get(remove_id)
            if keep.anonymized or remove.anonymized:
                raise TamboError(_("No se puede fusionar a una persona anonimizada."))
            moved = 0
            # the names in the summaries are tokens: kept apart, erased with the person (db/personal.py)
            kept_name = personal.new_value(keep.uuid, _row(keep).full_name)
            for attention in Attention.select().where(Attention.person == remove.id).order_by(Attention.id):
                attention.person_id = keep.id
                self.session.save(attention, summary=_("atención pasada a {name}").format(name=kept_name))
                moved += 1
            removed = {
                name: getattr(remove, name) for name in (*_FILLABLE, "document_type", "document_number", "notes")
            }
            removed_uuid, removed_name = remove.uuid, personal.new_value(keep.uuid, _row(remove).full_name)
            self.session.delete(remove, summary=_("fusionada con {name}").format(name=kept_name))
            personal.reassign(removed_uuid, keep.uuid)  # the removed person's values go with the kept one
            for name in _FILLABLE:
                if getattr(keep, name) in (None, "") and removed[name] not in (None, ""):
                    setattr(keep, name, removed[name])
            if keep.document_number is None and removed["document_number"]:
                keep.document_type, keep.document_number = removed["document_type"], removed["document_number"]
            if removed["notes"] and removed["notes"] not in keep.notes:
                keep.notes = "\n".join(x for x in (keep.notes, removed["notes"]) if x)[:2000]
            keep.opposition = keep.opposition or remove.opposition
            keep.name_key = name_key(keep.first_names, keep.last_name_1, keep.last_name_2)
            self.session.save(keep, summary=_row(keep).full_name)
            summary = _("{removed} fusionada en {kept}; {n} atenciones movidas").format(
                removed=removed_name, kept=kept_name, n=moved
            )
            self.session.audit("merge", "person", keep.uuid, summary, {"person": [removed_uuid, keep.uuid]})
            return moved
