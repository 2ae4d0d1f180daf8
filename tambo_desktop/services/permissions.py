"""Which role may do which action: one table, deny by default.

Records that belong to a user (a gestor's trips and monthly plan) have two actions: ``X.edit`` lets
a user change their own, ``X.edit_any`` anyone's; :meth:`Session.require_owner` checks the pair.
A role with neither cannot change the record at all."""

from __future__ import annotations

ADMIN, GESTOR, STAFF, SUPERVISOR = "admin", "gestor", "staff", "supervisor"
ALL_ROLES = frozenset({ADMIN, GESTOR, STAFF, SUPERVISOR})
#: The command line's service mode (``backup --service``): no account has this role; it makes
#: backups for a scheduled job and reads nothing (docs/SECURITY.md).
SERVICE = "service"

PERMISSIONS: dict[str, frozenset[str]] = {
    "communities.view": ALL_ROLES,
    "communities.edit": frozenset({ADMIN, GESTOR, STAFF}),
    "communities.delete": frozenset({ADMIN, GESTOR}),
    "communities.import": frozenset({ADMIN, GESTOR}),
    "communities.export": ALL_ROLES,
    "accounts.manage": frozenset({ADMIN}),
    "accounts.unlock": frozenset({ADMIN}),  # clear the wait after failed sign-ins
    "audit.view": frozenset({ADMIN, SUPERVISOR}),
    "audit.export": frozenset({ADMIN, SUPERVISOR}),
    "backup.create": frozenset({ADMIN, GESTOR, STAFF, SERVICE}),
    "backup.list": frozenset({ADMIN, GESTOR, STAFF, SUPERVISOR}),
    "backup.restore": frozenset({ADMIN}),
    "backup.purge": frozenset({ADMIN}),  # delete the backups that still hold an anonymised person
    "database.migrate": frozenset({ADMIN}),  # the PC's SQLite database copied to a PostgreSQL server
    "packages.export": frozenset({ADMIN, SUPERVISOR}),  # the package for the central office (issue 20)
    "packages.central_key": frozenset({ADMIN}),
    "packages.reference": frozenset(
        {ADMIN}
    ),  # the catalogue, metas and notices from the central office  # installs the central office's public key
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
    # the monthly and yearly report (informe mensual) sent to the Unidad Territorial
    "reports.view": frozenset({ADMIN, GESTOR, SUPERVISOR}),
    "interventions.view": ALL_ROLES,
    "interventions.edit": frozenset({ADMIN, GESTOR, STAFF}),  # the clerk takes an entity's booking by phone
    "facilities.manage": frozenset({ADMIN}),
    "plans.edit": frozenset({ADMIN, GESTOR}),  # the gestor writes and submits their own monthly plan
    "plans.edit_any": frozenset({ADMIN}),  # an administrator writes any gestor's plan
    "plans.review": frozenset({ADMIN, SUPERVISOR}),  # the supervisor (JUT) approves or returns it
    "training.view": ALL_ROLES,
    "training.edit": frozenset({ADMIN, GESTOR, STAFF}),  # courses, participants, attendance, results
    "training.export": ALL_ROLES,  # certificates and the year's summary
    "trips.view": ALL_ROLES,
    "trips.edit": frozenset({ADMIN, GESTOR}),  # a gestor logs and corrects their own trips
    "trips.edit_any": frozenset({ADMIN}),  # an administrator logs or corrects anyone's trips
    "fuel.manage": frozenset({ADMIN}),  # vehicles and monthly allocations
    # the staff's daily record: arrival and departure, days in the field, leave and holidays
    # signing in and out at the PC records one's own arrival and departure (the supervisor works at the UT)
    "staff.record": frozenset({ADMIN, GESTOR, STAFF}),
    "staff.view": ALL_ROLES,  # one's own month
    "staff.view_any": frozenset({ADMIN, SUPERVISOR}),  # everyone's month
    "staff.edit": frozenset({ADMIN}),  # correct a day (with a reason), enter leave and holidays
    "diagnostics.edit": frozenset({ADMIN, GESTOR}),
    "rules.edit": frozenset({ADMIN}),  # which services answer which needs
    "campaigns.view": ALL_ROLES,
    "campaigns.edit": frozenset({ADMIN, GESTOR, STAFF}),  # campaigns, checklist, flyers, letters, radio scripts
    "logos.manage": frozenset({ADMIN}),  # the entities' logos printed on flyers
    "voyages.view": ALL_ROLES,  # a PIAS's voyages, their route, itinerary and report
    "voyages.edit": frozenset({ADMIN, GESTOR}),  # plan the route, reschedule or skip a stop
}


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())


def allowed_for(role: str, action: str, own: bool) -> bool:
    """``action`` on a record that belongs to the user (``own``) or to someone else."""
    return allowed(role, f"{action}_any") or (own and allowed(role, action))
