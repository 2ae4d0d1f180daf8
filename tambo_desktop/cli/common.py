"""What every command-line verb shares: exit codes, options, opening the database, the session."""

from __future__ import annotations

import argparse
import os
import sys

from tambo_desktop import i18n, paths
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _

#: Exit codes: 0 done, 1 the job failed, 2 bad input (usage, a value or an unknown record).
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def configure(args: argparse.Namespace) -> None:
    if args.home:
        paths.set_home(args.home)
    args.lang = args.lang or os.environ.get("TAMBO_LANG")
    i18n.set_language(args.lang or os.environ.get("LANG", "es"))


def database_url(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("TAMBO_DB") or paths.default_database_url()


def open_database(args: argparse.Namespace):
    from tambo_desktop.db.lifecycle import prepare

    return prepare(database_url(args))


def session():
    from tambo_desktop.services import setup
    from tambo_desktop.services.session import system_session

    if not setup.is_initialized():
        raise TamboError(_("El tambo aún no está configurado: use «init» o «demo» primero."))
    return system_session()


def parse_day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_range(first: str, last: str):
    """(start, end) dates of ``--from``/``--to``, or None after saying what is wrong."""
    start, end = parse_day(first), parse_day(last)
    for text, day in ((first, start), (last, end)):
        if day is None:
            print(_("Fecha no válida: «{value}». Escríbala como AAAA-MM-DD, por ejemplo 2025-03-31.").format(value=text), file=sys.stderr)
            return None
    if start > end:
        print(_("La fecha inicial {start} es posterior a la final {end}.").format(start=start, end=end), file=sys.stderr)
        return None
    return start, end

