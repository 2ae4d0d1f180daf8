"""A tambo's database on a PostgreSQL server: moving the PC's SQLite database there (``migrate-to``).

The copy itself is :func:`tambo_desktop.db.transfer.copy_to_postgres`; this use case checks the
permission, verifies the audit chain on the server, and writes the audit line on both databases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop.db import transfer
from tambo_desktop.db.connection import current_database, describe, open_database
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _
from tambo_desktop.services import audit
from tambo_desktop.services.session import Session


@dataclass(frozen=True)
class MigrationResult:
    report: transfer.TransferReport
    chain_ok: bool
    chain_entries: int
    target: str  # host:port/database, without the password


class ServerService:
    """Moving the tambo to a server (administrators only: ``database.migrate``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def migrate_to(self, target_url: str, progress: Callable[[str, int], None] | None = None) -> MigrationResult:
        """Copy the open SQLite database to the empty PostgreSQL database ``target_url``, verify it there."""
        self.session.require("database.migrate")
        db = current_database()
        if not isinstance(db, pw.SqliteDatabase) or db.database == ":memory:":
            raise TamboError(_("Solo la base de datos SQLite de esta PC se copia a un servidor."))
        source = Path(db.database)
        report = transfer.copy_to_postgres(source, target_url, progress)
        source_url = f"sqlite:///{source}"
        open_database(target_url)  # the server's copy, checked as the application will read it
        try:
            check = audit.verify_chain()
            with self.session.write():
                self.session.audit("import", "database", summary=_("Copiada desde {source}: {rows} filas").format(
                    source=source.name, rows=report.rows))  # fmt: skip
        finally:
            open_database(source_url)
        with self.session.write():
            self.session.audit("export", "database", summary=_("Copia al servidor {target}").format(
                target=describe(target_url).location))  # fmt: skip
        return MigrationResult(report, check.ok, check.entries, describe(target_url).location)
