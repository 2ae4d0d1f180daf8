"""Many readers (issue 20, part 6): a read-only PostgreSQL role for analysts and their BI tools
(Metabase, Superset: docs/CENTRAL.md), and the view they count with.

``bi_counted_attention`` is generated from the indicators' rule itself (``services.indicators
.counted`` on the central tables, rendered to SQL by peewee), not written a second time: an analyst
who counts its rows counts what the tambos and the central indicators count.
"""

from __future__ import annotations

import datetime as dt
import re

from psycopg import ClientCursor
from psycopg import sql as pgsql

from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.models import CentralAttention, CentralPerson, CentralTambo
from tambo_desktop.central.schema import READABLE, CentralError
from tambo_desktop.central.tables import CENTRAL
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Entity, Service
from tambo_desktop.i18n import _
from tambo_desktop.services import indicators as rule

VIEW = "bi_counted_attention"
ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{2,40}$")


def view_sql() -> str:
    """The view's SELECT: the rule's counted atenciones, with the columns a BI tool groups by."""
    a, p = CentralAttention, CentralPerson
    query = (
        rule.counted(dt.datetime(1900, 1, 1), dt.datetime(9999, 1, 1), ("person", "entity"), CENTRAL)
        .join_from(a, Service, on=(a.service == Service.id))
        .join_from(a, CentralTambo, on=(a.tambo_code == CentralTambo.code))
        .select(
            a.id.alias("attention_id"), a.uuid, a.tambo_code, CentralTambo.name.alias("tambo_name"), a.department_code,
            CentralTambo.unit, a.attended_at, a.place, Entity.code.alias("entity_code"), Entity.sector, Entity.level,
            Service.code.alias("service_code"), a.person.alias("person_id"), p.national.alias("national_person_id"), p.sex,
            rule.age_group_sql(CENTRAL).alias("age_group"),
        )
    )  # fmt: skip
    text, params = query.sql()
    db = current_database()
    with ClientCursor(db.connection()) as cursor:  # parameters inlined by the driver itself (psycopg)
        return cursor.mogrify(text, params)


def create_view() -> None:
    current_database().execute_sql(f"CREATE OR REPLACE VIEW {VIEW} AS {view_sql()}")


def create_reader(session: CentralSession, role: str, password: str) -> list[str]:
    """A login role that may only read (every session read-only; SELECT on the readable tables and
    the view, nothing on accounts or raw packages); returns what it may read."""
    session.require("central.accounts")
    if not ROLE_RE.match(role):
        raise CentralError(
            _("Nombre de rol no válido: «{role}» (minúsculas, números y _; de 3 a 41).").format(role=role)
        )
    if len(password) < 10:
        raise CentralError(_("La contraseña debe tener al menos {n} caracteres.").format(n=10))
    db = current_database()
    name = db.execute_sql("SELECT current_database()").fetchone()[0]
    tables = [*READABLE, VIEW]
    with db.atomic():
        create_view()
        exists = db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn = db.connection()
        statements = [
            pgsql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD {}").format(
                pgsql.Identifier(role), pgsql.Literal(password)),
            pgsql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(pgsql.Identifier(role)),
            pgsql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(pgsql.Identifier(name), pgsql.Identifier(role)),
            pgsql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(pgsql.Identifier(role)),
            pgsql.SQL("GRANT SELECT ON {} TO {}").format(pgsql.SQL(", ").join(pgsql.Identifier(t) for t in tables), pgsql.Identifier(role)),
        ]  # fmt: skip
        for statement in statements:
            db.execute_sql(statement.as_string(conn))
    return tables
