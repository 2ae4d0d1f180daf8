"""What every command-line verb shares: exit codes, options, opening the database, signing in."""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tambo_desktop import i18n, paths
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import N_, _

#: Exit codes: 0 done, 1 the job failed, 2 bad input (usage, a value or an unknown record).
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: Verbs that run without signing in: they read or change no one's data (``init`` makes the first
#: administrator, ``demo`` only fills an empty or demo database, ``check`` says ok or not).
OPEN_VERBS = frozenset({"init", "demo", "check"})
#: Verbs that sign in to another database, with its own accounts (the central office's).
OWN_SIGN_IN = frozenset({"central"})

#: This run's command line and, once signed in, its session (one verb per run).
_state: dict[str, object] = {}


def configure(args: argparse.Namespace) -> None:
    _state.clear()
    _state["args"] = args
    if args.home:
        paths.set_home(args.home)
    args.lang = args.lang or os.environ.get("TAMBO_LANG")
    i18n.set_language(args.lang or os.environ.get("LANG", "es"))


def database_url(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("TAMBO_DB") or paths.default_database_url()


def open_database(args: argparse.Namespace, thorough: bool | None = None):
    from tambo_desktop.db.lifecycle import prepare

    return prepare(database_url(args), thorough=thorough)


def session():
    """The session of the user who runs this verb: signs in the first time it is asked for.

    ``--user NAME`` and the password (asked without echo on a terminal, else the first line of
    standard input), checked by the same sign-in as the window's (audited, the same wait after
    failures); the account's role then applies to everything the verb does, and its name is
    written in the audit trail. ``backup --service``: the service mode of scheduled backups, see
    :func:`service_session`."""
    from tambo_desktop.services import setup

    if not setup.is_initialized():
        raise TamboError(_("El tambo aún no está configurado: use «init» o «demo» primero."))
    signed = _state.get("session")
    if signed is None:
        signed = _state["session"] = _sign_in(_state.get("args"))
    return signed


def _sign_in(args: argparse.Namespace | None):
    from tambo_desktop.services.accounts import authenticate
    from tambo_desktop.services.session import session_for

    if args is not None and getattr(args, "service", False):
        return service_session()
    name = (getattr(args, "user", None) or "").strip()
    if not name:
        raise SignInNeeded(
            _("Esta orden necesita su cuenta: añada --user NOMBRE; la contraseña se pide después (o se lee de la primera línea de la entrada estándar).")
        )  # fmt: skip
    return session_for(authenticate(name, read_password(name)))


def read_password(username: str) -> str:
    """The password: asked without echo on a terminal, else the first line of standard input."""
    stream = sys.stdin
    if stream is None:
        return ""
    if stream.isatty():
        import getpass

        try:
            return getpass.getpass(_("Contraseña de {user}: ").format(user=username))
        except EOFError:
            return ""
    return stream.readline().rstrip("\r\n")


def require_service_key() -> None:
    """The service mode runs only where this data folder's installation key already is, readable:
    as the PC's account that holds the data (before the database is opened, which would make a
    missing key anew)."""
    from tambo_desktop.db import keys

    path = keys.key_file()
    if not path.is_file():
        raise TamboError(
            _("El modo de servicio necesita la clave de esta instalación ({path}) y no se encuentra: ejecútelo con la cuenta del PC que usa TAMBO Desktop, sobre su carpeta de datos.").format(path=path)
        )  # fmt: skip
    keys.installation_key()  # readable and sound, or a clear message


def service_session():
    """The service mode of scheduled backups (``backup --service``): no account, no password (a
    cron job or the Task Scheduler has no one to type it, and a password kept in a file for it would
    be a password for anyone who reads the file); its role may make a backup and nothing else — it
    reads no personal data, exports nothing, changes nothing. Audited as ``(servicio)``, a name no
    account can have. It trusts the PC's account that holds the data folder, which can copy the
    database file anyway: the mode gives it nothing more (docs/SECURITY.md)."""
    from tambo_desktop.services.session import SERVICE_USER, session_for

    require_service_key()
    return session_for(SERVICE_USER)


def add_sign_in_options(parser: argparse.ArgumentParser, verbs: argparse._SubParsersAction) -> None:
    """``--user NAME`` on the command line (before the verb) and on every verb that signs in."""
    text = _("su cuenta (la contraseña se pide sin mostrarla, o se lee de la primera línea de la entrada estándar)")
    parser.add_argument("--user", metavar="NOMBRE", help=text)

    def add(sub: argparse.ArgumentParser) -> None:
        nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for child in nested[0].choices.values():
                add(child)
        elif not any("--user" in a.option_strings for a in sub._actions):
            # SUPPRESS: a --user given before the verb is not reset by the verb's own default
            sub.add_argument("--user", metavar="NOMBRE", default=argparse.SUPPRESS, help=text)

    for name, sub in verbs.choices.items():
        if name not in OPEN_VERBS | OWN_SIGN_IN:
            add(sub)


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
            print(
                _("Fecha no válida: «{value}». Escríbala como AAAA-MM-DD, por ejemplo 2025-03-31.").format(value=text),
                file=sys.stderr,
            )
            return None
    if start > end:
        print(
            _("La fecha inicial {start} es posterior a la final {end}.").format(start=start, end=end), file=sys.stderr
        )
        return None
    return start, end


# -- records named on the command line -------------------------------------------------------

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class BadInput(TamboError):
    """A value typed on the command line is wrong (exit 2, as argparse's own errors)."""


class SignInNeeded(BadInput):
    """The verb needs an account and none was named (exit 2, a usage error)."""


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


def output_file(text: str) -> Path:
    """``--out FILE``: the file may be new, its folder must exist (a mistyped folder was created
    silently, and the report went somewhere nobody looks)."""
    path = Path(text).expanduser()
    folder = path.parent
    if not folder.exists():  # a file in the folder's place: the write says it cannot write there
        raise argparse.ArgumentTypeError(
            _("La carpeta {folder} no existe: elija una carpeta que exista o créela primero.").format(folder=folder)
        )
    return path


def whole_number(text: str) -> int:
    """Argument type of ``--year`` and ``--seed``: a whole number (argparse would say "invalid int value")."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    raise argparse.ArgumentTypeError(_("«{value}» no es un número entero.").format(value=text))


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


# -- operating-system errors -----------------------------------------------------------------

#: errno → the reason in the user's language (the system's own text is English).
OS_REASONS = {
    errno.ENOENT: N_("el archivo o la carpeta no existe"),
    errno.EACCES: N_("no tiene permiso para usarlo"),
    errno.EPERM: N_("no tiene permiso para usarlo"),
    errno.ENOSPC: N_("el disco está lleno"),
    errno.EDQUOT: N_("el disco está lleno"),
    errno.EROFS: N_("el disco o la memoria USB es de solo lectura"),
    errno.EISDIR: N_("es una carpeta, no un archivo"),
    errno.ENOTDIR: N_("una parte del camino no es una carpeta"),
    errno.EEXIST: N_("ya existe"),
    errno.EIO: N_("el disco no responde (error de lectura o escritura)"),
    errno.ENAMETOOLONG: N_("el nombre es demasiado largo"),
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in the user's language."""
    reason = OS_REASONS.get(exc.errno or 0)
    if reason is not None:
        return _(reason)
    return _("error del sistema número {code}").format(code=exc.errno) if exc.errno else _("error del sistema")


def os_error_message(exc: OSError, path: object = None) -> str:
    """«No se puede usar FILE: reason» for an operating-system error about a file."""
    name = path if path is not None else (exc.filename or "")
    return _("No se puede usar {path}: {reason}.").format(path=name, reason=os_reason(exc))


#: A field of a form → its label, to name it in an error (never the key ``document_number``).
FIELD_LABELS = {
    "password": N_("Contraseña"), "username": N_("Usuario"), "full_name": N_("Nombre completo"), "role": N_("Rol"),
    "document_number": N_("Número de documento"), "document_type": N_("Tipo de documento"), "code": N_("Código"),
    "name": N_("Nombre"), "phone": N_("Teléfono"), "language": N_("Idioma"), "default_language": N_("Idioma"),
    "district": N_("Distrito"), "centro_poblado": N_("Centro poblado"), "altitude_m": N_("Altitud"),
}  # fmt: skip


def field_error_line(field: str, message: str) -> str:
    """«Label: message», or the message alone when the field has no label here."""
    label = FIELD_LABELS.get(field)
    return f"{_(label)}: {message}" if label else message


def translated_os_reason(exc: BaseException) -> str:
    """The message of an error caused by an operating-system error, its English reason translated."""
    text, cause = str(exc), exc.__cause__
    if isinstance(cause, OSError) and cause.strerror and cause.strerror in text:
        text = text.replace(cause.strerror, os_reason(cause))
    return text


def print_indicators(result) -> None:
    from tambo_desktop.services.indicators import BREAKDOWN_TITLES

    def goal(value) -> str:
        return "" if value is None else " " + _("(meta {n})").format(n=value)

    print(
        _("Indicadores de {period} ({start} a {end})").format(
            period=result.period, start=result.date_from, end=result.date_to
        )
    )
    print(_("Atenciones: {n}").format(n=result.attentions) + goal(result.goal_attentions))
    print(_("Usuarios: {n}").format(n=result.users) + goal(result.goal_users))
    for name, rows in result.breakdowns.items():
        print()
        print(_(BREAKDOWN_TITLES[name]))
        for row in rows:
            line = _("{label}: {attentions} atenciones, {users} usuarios").format(
                label=row.label, attentions=row.attentions, users=row.users
            )
            print("  " + line + goal(row.goal_attentions))
