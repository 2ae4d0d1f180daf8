"""Command-line verbs for a tambo on a PostgreSQL server: ``migrate-to``."""

from __future__ import annotations

import argparse
import sys

from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _


def add_parsers(verbs) -> None:
    mig = verbs.add_parser(
        "migrate-to", help=_("copia la base de datos SQLite de esta PC a una base PostgreSQL vacía, y la verifica allí")
    )
    mig.add_argument("url", metavar="postgresql://USUARIO@SERVIDOR/BASE")


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from tambo_desktop.db.transfer import TransferFailed
    from tambo_desktop.services.servers import ServerService

    common.open_database(args)

    def progress(table: str, rows: int) -> None:
        print(_("  {table}: {rows} filas copiadas").format(table=table, rows=rows), file=sys.stderr, flush=True)

    try:
        result = ServerService(common.session()).migrate_to(args.url, progress)
    except TransferFailed as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except TamboError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    table, here, server = _("Tabla"), _("Esta PC"), _("Servidor")
    print(f"{table:<28} {here:>10} {server:>10}")
    for table, n in result.report.source.items():
        print(f"{table:<28} {n:>10} {result.report.target.get(table, 0):>10}")
    if not result.report.matches or not result.chain_ok:
        print(
            _("El servidor no tiene los mismos datos que esta PC: no lo use y pida ayuda al soporte técnico."),
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(
        _(
            "Listo: {rows} filas copiadas a {target}; la cadena de auditoría ({entries} registros) se verificó en el "
            "servidor. Ahora abra TAMBO Desktop en cada PC con «--db {url}» y guarde "
            "esta base SQLite como copia: ya no se usa."
        ).format(rows=result.report.rows, target=result.target, entries=result.chain_entries, url=_masked(args.url))
    )
    return EXIT_OK


def _masked(url: str) -> str:
    """The URL without its password, to print."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@", 1)
    return url


VERBS = {"migrate-to": cmd_migrate_to}
