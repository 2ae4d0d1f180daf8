"""Which role may do which action: one table, deny by default."""

from __future__ import annotations

ADMIN, GESTOR, STAFF, SUPERVISOR = "admin", "gestor", "staff", "supervisor"
ALL_ROLES = frozenset({ADMIN, GESTOR, STAFF, SUPERVISOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    "communities.view": ALL_ROLES,
    "communities.edit": frozenset({ADMIN, GESTOR, STAFF}),
    "communities.delete": frozenset({ADMIN, GESTOR}),
    "communities.import": frozenset({ADMIN, GESTOR}),
    "communities.export": ALL_ROLES,
    "accounts.manage": frozenset({ADMIN}),
    "audit.view": frozenset({ADMIN, SUPERVISOR}),
    "audit.export": frozenset({ADMIN, SUPERVISOR}),
    "backup.create": frozenset({ADMIN, GESTOR, STAFF}),
    "backup.list": frozenset({ADMIN, GESTOR, STAFF, SUPERVISOR}),
    "backup.restore": frozenset({ADMIN}),
    "settings.edit": frozenset({ADMIN}),
    "tambo.edit": frozenset({ADMIN}),
}


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())
