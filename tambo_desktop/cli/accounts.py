"""``tambo-cli accounts``: the recovery path of the sign-in (issue 15.7).

``accounts unlock NAME --user ADMIN`` clears an account's wait after failed sign-ins, as the
accounts page does, for an administrator at a shell (the wait itself is at most 15 minutes)."""

from __future__ import annotations

import argparse

from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK
from tambo_desktop.i18n import _


def add_parsers(verbs) -> None:
    acc = verbs.add_parser("accounts", help=_("las cuentas del personal"))
    acc_verbs = acc.add_subparsers(dest="accounts_verb", required=True)
    unlock = acc_verbs.add_parser(
        "unlock", help=_("quita la espera de una cuenta tras varios intentos fallidos de iniciar sesión")
    )
    unlock.add_argument("username", metavar="NOMBRE")


def cmd_accounts(args: argparse.Namespace) -> int:
    from tambo_desktop.services.accounts import AccountService

    common.open_database(args)
    AccountService(common.session()).unlock_named(args.username)
    print(_("La cuenta «{user}» puede iniciar sesión de nuevo.").format(user=args.username.strip().lower()))
    return EXIT_OK


VERBS = {"accounts": cmd_accounts}
