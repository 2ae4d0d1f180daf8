"""Database health: settings, integrity, schema version (``tambo-desktop check``)."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from tambo_desktop.db import migrations, seals
from tambo_desktop.db.connection import sqlite_settings
from tambo_desktop.db.models import Community, District, Entity, Service, User
from tambo_desktop.i18n import _, ngettext
from tambo_desktop.services import setup


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(db: pw.Database) -> list[Check]:
    checks: list[Check] = []
    version = migrations.current_version(db)
    checks.append(
        Check(
            _("Versión del esquema"),
            version == migrations.LATEST_VERSION,
            f"{version} / {migrations.LATEST_VERSION}",
        )
    )
    if isinstance(db, pw.SqliteDatabase):
        settings = sqlite_settings(db)
        ok = (
            str(settings["journal_mode"]).lower() == "wal"
            and int(settings["synchronous"]) == 2
            and int(settings["foreign_keys"]) == 1
            and int(settings["busy_timeout"]) >= 5000
        )
        checks.append(Check(_("Ajustes de SQLite"), ok, ", ".join(f"{k}={v}" for k, v in settings.items())))
        try:
            integrity = [str(r[0]) for r in db.execute_sql("PRAGMA integrity_check(20)").fetchall()]
        except UnicodeDecodeError as exc:  # a report holding bytes of a damaged page
            integrity = [bytes(exc.object).decode("utf-8", "replace")]
        except pw.DatabaseError as exc:
            integrity = [str(exc)]
        checks.append(Check(_("Integridad"), integrity == ["ok"], "; ".join(integrity[:5])))
        fk = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        checks.append(Check(_("Claves foráneas"), not fk, str(len(fk))))
    else:
        checks.append(Check(_("Servidor"), True, str(getattr(db, "server_version", ""))))
    from tambo_desktop.services.audit import check_anchor, verify_chain

    chain = verify_chain()
    checks.append(
        Check(
            _("Cadena de auditoría"),
            chain.ok,
            _("{n} líneas íntegras").format(n=chain.entries)
            if chain.ok
            else _("alterada en la línea {id}").format(id=chain.first_bad_id),
        )
    )
    anchor = check_anchor()
    checks.append(Check(_("Final de la auditoría"), anchor.ok, anchor.detail))
    checks.append(backups_check())
    checks.append(seals_check(db))
    checks.append(
        Check(
            _("Datos de referencia"),
            bool(District.select().exists() and Entity.select().exists() and Service.select().exists()),
            _("{districts} distritos, {entities} entidades, {services} servicios").format(
                districts=District.select().count(), entities=Entity.select().count(), services=Service.select().count()
            ),
        )
    )
    initialized = setup.is_initialized()
    checks.append(
        Check(
            _("Tambo configurado"),
            True,  # informational: an empty database is healthy, only not set up yet
            _("{accounts} cuentas, {communities} centros poblados").format(
                accounts=User.select().count(), communities=Community.select().count()
            )
            if initialized
            else _("todavía no: use «init» o «demo»"),
        )
    )
    return checks


def _table_label(table: str) -> str:
    from tambo_desktop.services.audit import record_label

    return f"{record_label(table)} ({table})"


def seal_problems(found: list[seals.TableCheck]) -> list[str]:
    """One sentence per problem, naming the table and how many rows (never their values)."""
    problems: list[str] = []
    for t in found:
        label = _table_label(t.table)
        if t.changed:
            problems.append(
                ngettext(
                    "{table}: {n} fila cambiada fuera de la aplicación",
                    "{table}: {n} filas cambiadas fuera de la aplicación",
                    t.changed,
                ).format(table=label, n=t.changed)
            )
        if t.unsealed:
            problems.append(
                ngettext(
                    "{table}: {n} fila sin sello (agregada fuera de la aplicación)",
                    "{table}: {n} filas sin sello (agregadas fuera de la aplicación)",
                    t.unsealed,
                ).format(table=label, n=t.unsealed)
            )
        if t.orphaned:
            problems.append(
                ngettext(
                    "{table}: {n} fila borrada fuera de la aplicación",
                    "{table}: {n} filas borradas fuera de la aplicación",
                    t.orphaned,
                ).format(table=label, n=t.orphaned)
            )
        if not t.total_ok:
            if t.missing_seals > 0:
                problems.append(
                    ngettext(
                        "{table}: falta {n} fila que su total con clave contaba (borrada con su sello fuera de la aplicación)",
                        "{table}: faltan {n} filas que su total con clave contaba (borradas con sus sellos fuera de la aplicación)",
                        t.missing_seals,
                    ).format(table=label, n=t.missing_seals)
                )
            else:
                problems.append(
                    _("{table}: su total con clave no coincide (se cambiaron sellos fuera de la aplicación)").format(
                        table=label
                    )
                )
    return problems


def seals_check(db: pw.Database) -> Check:
    """The keyed seals of the rows holding people's data (``db/seals.py``)."""
    name = _("Datos de personas")
    if not isinstance(db, pw.SqliteDatabase):
        return Check(name, True, _("en un servidor PostgreSQL los protegen las cuentas y permisos del servidor"))
    found = seals.verify(db.connection())
    if found is None:
        return Check(name, True, _("todavía sin sellos"))
    problems = seal_problems(found)
    if problems:
        return Check(name, False, "; ".join(problems))
    return Check(
        name,
        True,
        _("las {rows} filas de {tables} tablas coinciden con sus sellos").format(
            rows=sum(t.rows for t in found), tables=len(found)
        ),
    )


def backups_check() -> Check:
    """The live audit chain against the head and count each of this installation's backups recorded."""
    from tambo_desktop.services.audit import check_backup_anchors

    result = check_backup_anchors()
    return Check(_("Auditoría y copias de seguridad"), result.ok, result.detail)


def reseal(session) -> dict[str, int]:
    """An administrator accepts the people's rows as they are now (after looking into what ``check``
    reported, or after moving to a PC with another installation key): every row sealed anew and the
    totals set, audited with what ``check`` had found. The rows sealed per table."""
    from tambo_desktop.db.connection import current_database

    session.require("backup.restore")  # as strong as putting a backup in place of the data
    db = current_database()
    if not isinstance(db, pw.SqliteDatabase):
        return {}
    with session.write():
        conn = db.connection()
        found = seals.verify(conn)
        if found is None:
            return {}
        before = seal_problems(found)
        counts = seals.seal_all(conn)
        total = sum(counts.values())
        if before:
            summary = _("Sellos de los datos de personas renovados: {n} filas (antes: {problems})").format(
                n=total, problems="; ".join(before)
            )
        else:
            summary = _("Sellos de los datos de personas renovados: {n} filas").format(n=total)
        session.audit("update", "database", summary=summary[:300])
    return counts
