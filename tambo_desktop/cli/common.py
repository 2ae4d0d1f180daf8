"""What every command-line verb shares: exit codes, options, opening the database, the session."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence

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



# -- records named on the command line -------------------------------------------------------

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class BadInput(TamboError):
    """A value typed on the command line is wrong (exit 2, as argparse's own errors)."""


class UnknownRecord(BadInput):
    """No record has the ID or uuid typed on the command line."""


def record_ref(text: str) -> int | str:
    """Argument type of ``--campaign ID`` and the like: the number a list shows, or the record's uuid."""
    value = text.strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if _UUID.fullmatch(value.lower()):
        return value.lower()
    raise argparse.ArgumentTypeError(
        _("«{value}» no es un ID: escriba el número que muestra la lista o el uuid del registro.").format(value=text)
    )


def resolve(key: int | str, find: Callable[[int | str], int | None], unknown: str) -> int:
    """The id of the record ``key`` names, or :class:`UnknownRecord` saying ``unknown`` (a msgid; ``{value}``: the key)."""
    found = find(key)
    if found is None:
        raise UnknownRecord(_(unknown).format(value=key))
    return found


# -- output ----------------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()) -> None:
    """Rows under column headings, each column as wide as its widest cell (the last one not padded)."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        parts = [
            cell.rjust(widths[i]) if i in right else (cell if i == len(row) - 1 else cell.ljust(widths[i]))
            for i, cell in enumerate(row)
        ]
        print("  ".join(parts).rstrip())


def print_json(value: object) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


def output_closed() -> None:
    """The reader of standard output went away (``tambo-cli … | head -1``): say nothing more.

    The recipe of the Python documentation (signal module, "Note on SIGPIPE"): point the
    descriptor at devnull so that the flush at exit cannot fail a second time.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # standard output is not a file (tests capture it)
        pass
