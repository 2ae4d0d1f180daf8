"""Who is working: the signed-in user and the tambo, known to every service."""

from __future__ import annotations

from dataclasses import dataclass

from tambo_desktop.db import changes as changes_feed
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import BusinessModel, Tambo, utcnow
from tambo_desktop.errors import NotFound, PermissionDenied
from tambo_desktop.i18n import _
from tambo_desktop.services import permissions


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    full_name: str
    role: str
    language: str


#: The account of the application's own jobs (the demo, a recovery before anyone can sign in).
SYSTEM_USER = CurrentUser(id=0, username="system", full_name="TAMBO Desktop", role="admin", language="es")
#: The command line's service mode (scheduled backups): a role that reads nothing, and a name no
#: account can have (user names are lower-case letters, digits, dots and dashes).
SERVICE_USER = CurrentUser(
    id=0, username="(servicio)", full_name="TAMBO Desktop", role=permissions.SERVICE, language="es"
)


@dataclass
class Session:
    """The context of every service call."""

    user: CurrentUser
    tambo_code: str

    def can(self, action: str) -> bool:
        return permissions.allowed(self.user.role, action)

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PermissionDenied(_("Su cuenta no tiene permiso para esta acción."))

    def can_for(self, action: str, owner_id: int | None) -> bool:
        """May this user do ``action`` on a record that belongs to ``owner_id`` (None: a new record
        of their own)? Their own record needs ``action``, anyone else's ``action_any``."""
        own = owner_id is None or owner_id == self.user.id
        return permissions.allowed_for(self.user.role, action, own)

    def require_for(self, action: str, owner_id: int | None, message: str = "") -> None:
        """Refuse ``action`` on someone else's record unless the role may do it to anyone's."""
        if not self.can_for(action, owner_id):
            raise PermissionDenied(message or _("Su cuenta no tiene permiso para esta acción."))

    def write(self):
        """A write transaction (IMMEDIATE on SQLite)."""
        return current_database().write()

    def save(self, record: BusinessModel, summary: str = "", version: int | None = None, on_top: bool = False) -> None:
        """Save a business record and write its audit entry, in the caller's write transaction.

        An existing record is written only if its row still has ``version`` (the version the user's
        form was read with; by default the record's own): otherwise StaleRecord says who saved it
        meanwhile and shows their values beside these, and nothing is written. ``on_top``: the user
        saw theirs and chose to apply theirs on top (the audit summary says so)."""
        from tambo_desktop.services import audit, conflicts

        model = type(record)
        created = record.get_id() is None
        old: dict[str, object] = {}
        if not created:
            current = model.get_or_none(model.id == record.get_id())
            if current is None:
                raise NotFound(_("Otra persona eliminó este registro mientras usted lo tenía abierto: no se guardó."))
            if version is not None:
                record.version = version
            if current.version != record.version:
                raise conflicts.stale(current, record)
            if on_top:
                summary = conflicts.on_top_summary(summary, current)
            old = audit.snapshot(current)
        self.stamp(record, created)
        if not record.save(force_insert=created) and not created:
            # another PC's save came between the read above and this write (PostgreSQL)
            raise conflicts.stale(model.get_by_id(record.get_id()), record)
        changes = audit.diff(old, audit.snapshot(record))
        if created or changes:
            self.audit("create" if created else "update", record._meta.table_name, record.uuid, summary, changes)
            changes_feed.notify(current_database(), record._meta.table_name)  # other PCs refresh

    def delete(self, record: BusinessModel, summary: str = "") -> None:
        """Delete a business record, keeping its last values in the audit trail."""
        from tambo_desktop.services import audit

        changes = audit.diff(audit.snapshot(record), {})
        self.audit("delete", record._meta.table_name, record.uuid, summary, changes)
        record.delete_instance()
        changes_feed.notify(current_database(), record._meta.table_name)

    def audit(
        self, action: str, entity: str, record_uuid: str = "", summary: str = "", changes: dict | None = None
    ) -> None:
        """Append an audit entry for something this user did (inside a write transaction)."""
        from tambo_desktop.services import audit

        audit.append(self.tambo_code, self.user.username, action, entity, record_uuid, summary, changes)

    def stamp(self, record: BusinessModel, created: bool) -> None:
        """Fill the tracking fields of a business record before it is saved."""
        now = utcnow()
        if created:
            record.tambo_code = self.tambo_code
            record.created_at = now
            record.created_by = self.user.username
        record.updated_at = now
        record.updated_by = self.user.username


def system_session() -> Session:
    return session_for(SYSTEM_USER)


def session_for(user: CurrentUser) -> Session:
    """The session of a user who signed in (or of the service mode), in this database's tambo."""
    tambo = Tambo.select().first()
    return Session(user, tambo.code if tambo else "")


def end_of_thread() -> None:
    """Close the calling thread's own database connection (peewee keeps one per thread): a worker
    thread calls it when its job is done, so no connection outlives the job."""
    from tambo_desktop.db.connection import close_database

    close_database()
