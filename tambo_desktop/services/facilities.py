"""The tambo's spaces (auditorium, consulting room, yard...) and shared resources (motorcycle,
pick-up, projector, generator) that interventions book. Administrators manage them; a space or
resource that was ever booked is deactivated, never deleted, so old bookings keep their names."""

from __future__ import annotations

from dataclasses import dataclass

from tambo_desktop.db.models import Intervention, InterventionResource, Resource, Space
from tambo_desktop.errors import FieldError, NotFound, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.limits import within
from tambo_desktop.services.session import Session
from tambo_desktop.text import clean, search_key
from tambo_desktop.vocabulary import RESOURCE_KINDS, SPACE_KINDS, parse


@dataclass(frozen=True)
class FacilityRow:
    """A space (with capacity) or a resource (capacity None)."""

    id: int
    name: str
    kind: str
    capacity: int | None
    active: bool
    notes: str
    version: int = 1


@dataclass
class FacilityForm:
    name: str = ""
    kind: str = ""
    capacity: str = ""  # spaces only
    active: bool = True
    notes: str = ""
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


def _row(record: Space | Resource) -> FacilityRow:
    return FacilityRow(
        record.id,
        record.name,
        record.kind,
        getattr(record, "capacity", None),
        record.active,
        record.notes,
        record.version,
    )


class FacilityService:
    """List, create, change and deactivate spaces and resources."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def spaces(self, active_only: bool = False) -> list[FacilityRow]:
        self.session.require("interventions.view")
        query = Space.select().order_by(Space.name_key)
        if active_only:
            query = query.where(Space.active == True)  # noqa: E712
        return [_row(s) for s in query]

    def resources(self, active_only: bool = False) -> list[FacilityRow]:
        self.session.require("interventions.view")
        query = Resource.select().order_by(Resource.name_key)
        if active_only:
            query = query.where(Resource.active == True)  # noqa: E712
        return [_row(r) for r in query]

    def save_space(self, form: FacilityForm, space_id: int | None = None) -> int:
        return self._save(Space, SPACE_KINDS, form, space_id)

    def save_resource(self, form: FacilityForm, resource_id: int | None = None) -> int:
        return self._save(Resource, RESOURCE_KINDS, form, resource_id)

    def delete_space(self, space_id: int) -> None:
        """Delete a space never booked; one with bookings is deactivated instead."""
        self._delete(Space, space_id, Intervention.select().where(Intervention.space == space_id).exists())

    def delete_resource(self, resource_id: int) -> None:
        used = InterventionResource.select().where(InterventionResource.resource == resource_id).exists()
        self._delete(Resource, resource_id, used)

    def _delete(self, model, record_id: int, used: bool) -> None:
        self.session.require("facilities.manage")
        with self.session.write():
            record = model.get_or_none(model.id == record_id)
            if record is None:
                raise NotFound(_("El espacio o recurso ya no existe."))
            if used:
                record.active = False
                self.session.save(record, summary=record.name)
            else:
                self.session.delete(record, summary=record.name)

    def _save(self, model, kinds: dict[str, str], form: FacilityForm, record_id: int | None) -> int:
        self.session.require("facilities.manage")
        errors = []
        name = clean(form.name)
        if not name:
            errors.append(FieldError("name", _("Escriba el nombre.")))
        elif len(name) > 80:
            errors.append(FieldError("name", _("El nombre es demasiado largo (máximo 80 caracteres).")))
        kind = parse(kinds, form.kind) if form.kind.strip() else None
        if kind is None:
            errors.append(FieldError("kind", _("Elija el tipo.")))
        capacity = None
        if model is Space and form.capacity.strip():
            try:
                capacity = int(form.capacity.strip())
            except ValueError:
                capacity = -1
            if not 1 <= capacity <= 2000:
                errors.append(FieldError("capacity", _("La capacidad es un número entero de personas, de 1 a 2000.")))
        if not errors:
            clash = model.select().where((model.name_key == search_key(name)) & (model.id != (record_id or 0)))
            if clash.exists():
                errors.append(FieldError("name", _("Ya existe uno con ese nombre.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            record = model() if record_id is None else model.get_or_none(model.id == record_id)
            if record is None:
                raise NotFound(_("El espacio o recurso ya no existe."))
            record.name, record.name_key, record.kind = name, search_key(name), kind
            record.active, record.notes = bool(form.active), within((form.notes or "").strip(), 2000, "notes")
            if model is Space:
                record.capacity = capacity
            self.session.save(record, summary=name, version=form.version, on_top=form.on_top)
            return record.id
