"""The attention desk: one person, one or more services, one transaction.

The desk registers a new person (when the form has one) and their atenciones together, so a
power cut leaves either both or neither. The last entry can be voided or corrected with a
reason; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, Entity, Service
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.session import Session
from tambo_desktop.text import search_key

#: How far back "most used" looks when ordering the services at the desk.
RECENT_DAYS = 90


@dataclass(frozen=True)
class ServiceChoice:
    """A service as the desk offers it: ``RENIEC — Trámite de DNI``."""

    id: int
    entity_code: str
    name: str  # translated
    used_today: int
    used_recently: int
    source_name: str = ""  # the Spanish name, also searchable

    @property
    def label(self) -> str:
        return f"{self.entity_code} — {self.name}"

    @property
    def key(self) -> str:
        return search_key(f"{self.label} {self.source_name}")


@dataclass
class DeskEntry:
    """What the clerk typed: an existing person or a new one, and the services."""

    person_id: int | None
    new_person: PersonForm | None
    service_ids: list[int]
    place: str  # vocabulary.PLACES code
    community_id: int | None = None  # where, when outside the platform
    attended_at: dt.datetime | None = None
    voyage_stop_id: int | None = None  # a PIAS: the stop of the voyage where the ship is


@dataclass(frozen=True)
class DeskResult:
    person_id: int
    person_name: str
    attention_ids: tuple[int, ...]
    service_names: tuple[str, ...]
    created_person: bool


class DeskService:
    """Register, void and correct desk entries through the person and attention services."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.persons = PersonService(session)
        self.attentions = AttentionService(session)

    def service_choices(self, today: dt.date | None = None) -> list[ServiceChoice]:
        """Active services, today's first, then the most used of the last 90 days, then by name."""
        self.session.require("attentions.view")
        today = today or dates.today()
        start = dt.datetime.combine(today, dt.time.min)
        since = start - dt.timedelta(days=RECENT_DAYS)

        def counts(after: dt.datetime) -> dict[int, int]:
            # Grouped by "service + 0", not by the column: grouping by the column leads SQLite (no
            # statistics) to walk the whole table in service order through attention_service_id
            # (2.3 s on the large demo, at every save); the expression leaves it the index on
            # attended_at, which reads only the period (about 15 ms). PostgreSQL plans it alike.
            service = Attention.service + pw.SQL("0")  # a literal, so SELECT and GROUP BY read alike
            query = (
                Attention.select(service, pw.fn.COUNT(Attention.id).alias("n"))
                .where((Attention.attended_at >= after) & (Attention.voided == False))  # noqa: E712
                .group_by(service)
            )
            return {service_id: n for service_id, n in tuples(query)}

        today_counts, recent = counts(start), counts(since)
        services = (
            Service.select(Service, Entity).join(Entity).where((Service.active == True) & (Entity.active == True))  # noqa: E712
        )
        choices = [
            ServiceChoice(s.id, s.entity.code, _(s.name), today_counts.get(s.id, 0), recent.get(s.id, 0), s.name)
            for s in services
        ]
        choices.sort(key=lambda c: (-c.used_today, -c.used_recently, c.key))
        return choices

    def register(self, entry: DeskEntry) -> DeskResult:
        """Create the person if new and record one atención per service, all or nothing."""
        self.session.require("attentions.record")
        if entry.person_id is None and entry.new_person is None:
            raise ValidationError(FieldError("person", _("Busque a la persona o registre sus datos.")))
        with self.session.write():
            created = entry.person_id is None
            person_id = entry.person_id
            if person_id is None:
                assert entry.new_person is not None  # checked above
                person_id = self.persons.save(entry.new_person)
            ids = self.attentions.record(
                person_id,
                entry.service_ids,
                entry.place,
                entry.community_id,
                entry.attended_at,
                voyage_stop_id=entry.voyage_stop_id,
            )
        person = self.persons.get(person_id)
        names = self._names(entry.service_ids)
        return DeskResult(person_id, person.full_name, tuple(ids), names, created)

    def void(self, result: DeskResult, reason: str) -> None:
        """Void every atención of a desk entry, with the reason; all or nothing."""
        self.session.require("attentions.void")
        with self.session.write():
            for attention_id in result.attention_ids:
                self.attentions.void(attention_id, reason)

    def correct(self, result: DeskResult, entry: DeskEntry, reason: str) -> DeskResult:
        """Replace a desk entry: void its atenciones with the reason and record the corrected
        ones, in one transaction."""
        if not reason.strip():
            raise ValidationError(FieldError("reason", _("Escriba el motivo de la corrección.")))
        with self.session.write():
            self.void(result, reason)
            return self.register(entry)

    def last_of_person(self, person_id: int, limit: int = 5):
        """The person's most recent atenciones (for the desk's person card)."""
        self.session.require("attentions.view")
        from tambo_desktop.services.attentions import AttentionFilter

        return self.attentions.list(AttentionFilter(person_id=person_id), limit=limit).rows

    @staticmethod
    def _names(service_ids: list[int]) -> tuple[str, ...]:
        by_id = {s.id: _(s.name) for s in Service.select().where(Service.id.in_(service_ids))}
        return tuple(by_id.get(i, "") for i in service_ids)
