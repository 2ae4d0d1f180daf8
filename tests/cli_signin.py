"""Signing in on the command line, as the tests' users do it: ``--user NAME`` before the verb and
the password on the first line of standard input (issue 15.6). Verbs that need no account
(``init``, ``demo``, ``check``, ``--version``) and ``central`` (its own accounts) are left as given."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence

from tambo_desktop.cli.common import OPEN_VERBS, OWN_SIGN_IN
from tambo_desktop.demo.build import DEMO_PASSWORD

#: The administrator's password of tests/conftest.py's initialize_tambo (the admin_session fixture).
ADMIN_PASSWORD = "clave-segura-1"

#: Options before the verb that take a value.
_GLOBAL_WITH_VALUE = {"--home", "--db", "--lang", "--user"}


def verb_of(args: Sequence[str]) -> str | None:
    """The verb of a command line (the first word after the global options), None for none."""
    words = iter(args)
    for word in words:
        if word in _GLOBAL_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def needs_account(args: Sequence[str]) -> bool:
    verb = verb_of(args)
    return (
        verb is not None and verb not in OPEN_VERBS | OWN_SIGN_IN and "--user" not in args and "--service" not in args
    )


def signed(
    args: Sequence[str], stdin: str = "", user: str = "admin", password: str = DEMO_PASSWORD
) -> tuple[list[str], str]:
    """The command line and standard input of ``args`` run by ``user`` (as given when no account is needed)."""
    if not needs_account(args):
        return list(args), stdin
    return ["--user", user, *args], password + "\n" + stdin


def main_as(args: Sequence[str], user: str = "admin", password: str = DEMO_PASSWORD) -> int:
    """``tambo_desktop.cli.main(args)`` in this process, signed in as ``user``."""
    from tambo_desktop.cli import main

    argv, stdin = signed(args, "", user, password)
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(argv)
    finally:
        sys.stdin = saved
