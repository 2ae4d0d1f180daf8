"""The entities and services offered through the tambo, for pickers and filters."""

from __future__ import annotations

from dataclasses import dataclass

from tambo_desktop.db.models import Entity, Service
from tambo_desktop.i18n import _


@dataclass(frozen=True)
class EntityChoice:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class ServiceItem:
    id: int
    entity_id: int
    entity_code: str
    name: str  # translated

    @property
    def label(self) -> str:
        return f"{self.entity_code} — {self.name}"


def entities(active_only: bool = False) -> list[EntityChoice]:
    """Entities by code."""
    query = Entity.select().order_by(Entity.code)
    if active_only:
        query = query.where(Entity.active == True)  # noqa: E712
    return [EntityChoice(e.id, e.code, e.name) for e in query]


def services(entity_id: int | None = None) -> list[ServiceItem]:
    """Services (of one entity, or all) by entity code and translated name."""
    query = Service.select(Service, Entity).join(Entity)
    if entity_id is not None:
        query = query.where(Service.entity == entity_id)
    items = [ServiceItem(s.id, s.entity_id, s.entity.code, _(s.name)) for s in query]
    return sorted(items, key=lambda s: (s.entity_code, s.name.casefold()))
