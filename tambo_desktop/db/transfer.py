"""Moving a tambo's SQLite database to a PostgreSQL server (several PCs, one database).

The target must be an empty database. Its schema is made by the same migrations as any database,
then every table is copied in the models' dependency order inside ONE transaction on the server
(all or nothing), values converted by the models' own fields (booleans, dates, decimals, blobs),
the id sequences set past the copied keys, and the row counts of every table compared.
The audit chain is verified on the target by the caller (``services.servers``), which also audits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from tambo_desktop.db import migrations, seals
from tambo_desktop.db.connection import open_database
from tambo_desktop.db.models import ALL_MODELS, BaseModel, SchemaVersion
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _

log = logging.getLogger(__name__)

#: Rows read from the source and written to the server at a time.
CHUNK = 5000


class TransferFailed(TamboError):
    """The copy could not be made; the target database was left as it was (empty)."""


@dataclass
class TransferReport:
    """What was copied: rows per table, on the source and on the target."""

    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.target.values())

    @property
    def matches(self) -> bool:
        return self.source == self.target


def _count(db: pw.Database, table: str) -> int:
    return int(db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def _copy_table(
    model: type[BaseModel], source: pw.Database, target: pw.Database, progress: Callable[[str, int], None] | None
) -> None:
    fields = model._meta.sorted_fields
    pk = model._meta.primary_key
    last = None
    copied = 0
    while True:
        with source.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            query = model.select(*fields).order_by(pk).limit(CHUNK)
            if last is not None:
                query = query.where(pk > last)
            rows = list(tuples(query))
        if not rows:
            return
        with target.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            model.insert_many(rows, fields=fields).execute()
        last = rows[-1][fields.index(pk)]
        copied += len(rows)
        if progress is not None:
            progress(model._meta.table_name, copied)


def _reset_sequences(target: pw.Database) -> None:
    for model in ALL_MODELS:
        pk = model._meta.primary_key
        if isinstance(pk, pw.AutoField):
            table = model._meta.table_name
            target.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk.column_name}'), "
                f'COALESCE(MAX("{pk.column_name}"), 1), MAX("{pk.column_name}") IS NOT NULL) FROM "{table}"'
            )


def copy_to_postgres(
    source_file: Path, target_url: str, progress: Callable[[str, int], None] | None = None
) -> TransferReport:
    """Copy the SQLite database ``source_file`` into the empty PostgreSQL database at ``target_url``."""
    if not target_url.startswith(("postgresql://", "postgres://")):
        raise TransferFailed(
            _("El destino debe ser una base de datos PostgreSQL (postgresql://usuario@servidor/base).")
        )
    if not Path(source_file).is_file():
        raise TransferFailed(_("No existe la base de datos {path}.").format(path=source_file))
    source = open_database(f"sqlite:///{source_file}", bind=False)
    target = open_database(target_url, bind=False)
    try:
        version = migrations.current_version(source)
        if version != migrations.LATEST_VERSION:
            raise TransferFailed(
                _(
                    "La base de datos {path} tiene el esquema {found}; ábrala antes con esta versión (esquema {known})."
                ).format(path=source_file, found=version, known=migrations.LATEST_VERSION)
            )
        if target.get_tables():
            raise TransferFailed(
                _("La base de datos de destino no está vacía: cree una nueva, vacía, para este tambo.")
            )
        known = {m._meta.table_name for m in ALL_MODELS} | set(seals.SQLITE_ONLY)  # the seals stay behind
        unknown = sorted(t for t in set(source.get_tables()) - known if not t.startswith("sqlite_"))
        if unknown:
            raise TransferFailed(
                _("La base de datos tiene tablas que esta versión no conoce: {tables}.").format(
                    tables=", ".join(unknown)
                )
            )
        report = TransferReport()
        try:
            with target.atomic():
                migrations.migrate(target)
                for model in ALL_MODELS:
                    if model is SchemaVersion:  # written by the migrations above, the same versions
                        continue
                    _copy_table(model, source, target, progress)
                _reset_sequences(target)
        except pw.DatabaseError as exc:
            raise TransferFailed(
                _("No se pudo copiar la base de datos al servidor ({reason}); el destino quedó vacío.").format(
                    reason=exc
                )
            ) from exc
        for model in ALL_MODELS:
            table = model._meta.table_name
            report.source[table] = _count(source, table)
            report.target[table] = _count(target, table)
        log.info("copied %s rows from %s to %s", report.rows, source_file, target.database)
        return report
    finally:
        source.close()
        target.close()
