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
    "database.migrate": frozenset({ADMIN}),  # the PC's SQLite database copied to a PostgreSQL server
    "settings.edit": frozenset({ADMIN}),
    "tambo.edit": frozenset({ADMIN}),
    "persons.view": ALL_ROLES,
    "persons.edit": frozenset({ADMIN, GESTOR, STAFF}),
    "persons.merge": frozenset({ADMIN}),
    "persons.anonymize": frozenset({ADMIN}),
    "persons.import": frozenset({ADMIN, GESTOR}),  # a municipality's list: all rows or none
    # the citizens' right of access: everything held about one person, as JSON or PDF
    "persons.export": frozenset({ADMIN, GESTOR, SUPERVISOR}),
    "attentions.view": ALL_ROLES,
    "attentions.record": frozenset({ADMIN, GESTOR, STAFF}),
    "attentions.void": frozenset({ADMIN, GESTOR, STAFF}),  # the desk clerk voids a mistaken entry, with a reason
    "attentions.export": frozenset({ADMIN, GESTOR, SUPERVISOR}),  # one row per atención, with documents
    "indicators.view": ALL_ROLES,
    "goals.edit": frozenset({ADMIN}),
    "interventions.view": ALL_ROLES,
    "interventions.edit": frozenset({ADMIN, GESTOR, STAFF}),  # the clerk takes an entity's booking by phone
    "facilities.manage": frozenset({ADMIN}),
    "plans.edit": frozenset({ADMIN, GESTOR}),  # the gestor writes and submits the monthly plan
    "plans.review": frozenset({ADMIN, SUPERVISOR}),  # the supervisor (JUT) approves or returns it
    "training.view": ALL_ROLES,
    "training.edit": frozenset({ADMIN, GESTOR, STAFF}),  # courses, participants, attendance, results
    "training.export": ALL_ROLES,  # certificates and the year's summary
    "trips.view": ALL_ROLES,
    "trips.edit": frozenset({ADMIN, GESTOR}),  # a gestor logs their own trips; an administrator anyone's
    "fuel.manage": frozenset({ADMIN}),  # vehicles and monthly allocations
    "diagnostics.edit": frozenset({ADMIN, GESTOR}),
    "rules.edit": frozenset({ADMIN}),  # which services answer which needs
    "campaigns.view": ALL_ROLES,
    "campaigns.edit": frozenset({ADMIN, GESTOR, STAFF}),  # campaigns, checklist, flyers, letters, radio scripts
    "logos.manage": frozenset({ADMIN}),  # the entities' logos printed on flyers
}


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())
