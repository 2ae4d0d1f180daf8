"""Entities' logos for printed material: an administrator gives a PNG or JPEG, kept small in the
database (so every PC of a shared database prints the same)."""

from __future__ import annotations

import io
from pathlib import Path

from tambo_desktop.db.models import Entity, EntityLogo
from tambo_desktop.documents import photos
from tambo_desktop.errors import NotFound
from tambo_desktop.i18n import _
from tambo_desktop.services.session import Session

LOGO_SIDE = 600  # pixels: 12 mm high at 300 dpi is 142


class LogoService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def entities_with_logo(self) -> set[int]:
        self.session.require("campaigns.view")
        return {x.entity_id for x in EntityLogo.select(EntityLogo.entity)}

    def set_logo(self, entity_id: int, source: Path | bytes | None) -> None:
        """Keep the entity's logo (downscaled PNG, transparency on white) or remove it (None)."""
        self.session.require("logos.manage")
        entity = Entity.get_or_none(Entity.id == entity_id)
        if entity is None:
            raise NotFound(_("La entidad ya no existe."))
        data = None
        if source is not None:
            image = photos.open_image(source)
            image.thumbnail((LOGO_SIDE, LOGO_SIDE))
            out = io.BytesIO()
            image.save(out, "PNG", optimize=True)
            data = out.getvalue()
        with self.session.write():
            EntityLogo.delete().where(EntityLogo.entity == entity_id).execute()  # type: ignore[misc, unused-ignore]  # Model.delete: builds of types-peewee differ
            if data is not None:
                EntityLogo.create(entity=entity_id, data=data)
            self.session.audit("update" if data else "delete", "entity_logo", entity.uuid, entity.code)
