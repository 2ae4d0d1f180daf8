"""argparse in the user's language: its own words ("usage:", "options", its error messages) from our catalogs.

argparse looks up every string it shows through two names of its module, ``argparse._`` and
``argparse.ngettext`` (``from gettext import gettext as _, ngettext``), on each call: the usage
prefix, the group titles and the help line, but also the errors raised deep inside
``parse_known_args`` ("the following arguments are required: %s", "invalid choice: …"), which no
subclass of ``ArgumentParser`` or ``HelpFormatter`` can reach without rewriting private methods.
The gettext route (a ``messages`` domain bound process-wide, the language taken from ``LANGUAGE``)
would change every library's gettext and follow the environment instead of ``--lang``. So
:func:`install` points those two names at our catalog: argparse's English strings are msgids
under the context ``argparse`` (listed below so that extraction keeps them), looked up in the
current interface language; a string a future Python adds falls back to English, and
``tests/unit/test_cli_language.py`` lists what the running argparse uses that is not here.
"""

from __future__ import annotations

import argparse

from tambo_desktop import i18n
from tambo_desktop.i18n import N_, NP_, _

CONTEXT = "argparse"

#: argparse's own strings that a user of tambo-cli can see (Python 3.11 to 3.13).
ARGPARSE_STRINGS = (
    NP_("argparse", "usage: "),
    NP_("argparse", "positional arguments"),
    NP_("argparse", "options"),
    NP_("argparse", "show this help message and exit"),
    NP_("argparse", "show program's version number and exit"),
    NP_("argparse", "%(prog)s: error: %(message)s\n"),
    NP_("argparse", "argument %(argument_name)s: %(message)s"),
    NP_("argparse", "the following arguments are required: %s"),
    NP_("argparse", "one of the arguments %s is required"),
    NP_("argparse", "unrecognized arguments: %s"),
    NP_("argparse", "not allowed with argument %s"),
    NP_("argparse", "ignored explicit argument %r"),
    NP_("argparse", "expected one argument"),
    NP_("argparse", "expected at most one argument"),
    NP_("argparse", "expected at least one argument"),
    # ngettext: looked up as the singular or the plural msgid (Quechua and Aymara have one form)
    NP_("argparse", "expected %s argument"),
    NP_("argparse", "expected %s arguments"),
    NP_("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    NP_("argparse", "unexpected option string: %s"),
    NP_("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    NP_("argparse", "invalid %(type)s value: %(value)r"),
    NP_("argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    NP_("argparse", "can't open '%(filename)s': %(error)s"),
)


def gettext(message: str) -> str:
    return i18n.pgettext(CONTEXT, message) if message else message  # argparse asks for None too


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak the current interface language (follows later :func:`i18n.set_language` calls)."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


#: Placeholders of option values (metavars), by the metavar written in the code or the option's dest.
METAVARS = {
    "AAAA": N_("AAAA"),
    "AAAA-MM": N_("AAAA-MM"),
    "AAAA-MM-DD": N_("AAAA-MM-DD"),
    "CÓDIGO": N_("CÓDIGO"),
    "CARPETA": N_("CARPETA"),
    "FOTO": N_("FOTO"),
    "N": N_("N"),
    "NÚMERO": N_("NÚMERO"),
    "TIPO": N_("TIPO"),
    "UBIGEO": N_("UBIGEO"),
    "URL": N_("URL"),
    "ORDEN": N_("ORDEN"),
    "ARCHIVO": N_("ARCHIVO"),
    "NOMBRE": N_("NOMBRE"),
    "DIRECCIÓN": N_("DIRECCIÓN"),
    "CUENTA": N_("CUENTA"),
    "IDIOMA": N_("IDIOMA"),
    "postgresql://USUARIO@SERVIDOR/BASE": N_("postgresql://USUARIO@SERVIDOR/BASE"),
}
#: An option without a metavar of its own → the placeholder it shows (instead of argparse's ``DEST``).
DEST_METAVARS = {
    "out": "ARCHIVO", "file": "ARCHIVO", "tambo_name": "NOMBRE", "tambo_code": "CÓDIGO", "centro_poblado": "NOMBRE",
    "altitude": "NÚMERO", "address": "DIRECCIÓN", "phone": "NÚMERO", "admin_user": "CUENTA", "admin_name": "NOMBRE",
}  # fmt: skip


def translate_metavars(parser: argparse.ArgumentParser) -> None:
    """Give every option value a placeholder in the user's language, in this parser and its verbs."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = _(METAVARS["ORDEN"])
            for sub in dict.fromkeys(action.choices.values()):
                translate_metavars(sub)
            continue
        if action.choices is not None and action.metavar is None and not action.option_strings:
            # a positional shown as its choices: named so in errors too, not by its dest ("what")
            action.metavar = "{" + ",".join(str(choice) for choice in action.choices) + "}"
            continue
        if action.nargs == 0 or (action.choices is not None and action.metavar is None):
            continue  # a flag, or shown as its choices {csv,xlsx}
        key = action.metavar if isinstance(action.metavar, str) else DEST_METAVARS.get(action.dest)
        if key in METAVARS:
            action.metavar = _(METAVARS[key])
