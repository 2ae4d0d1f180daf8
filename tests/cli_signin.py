"""Signing in on the command line, as the tests' users do it: ``--user NAME`` before the verb and
the password on the first line of standard input (issue 15.6). Verbs that need no account
(``init``, ``demo``, ``check``, ``--version``) and ``central`` (its own accounts) are left as given."""

from __future__ import annotations

import io
import logging
import os
import subprocess
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


def run_in_process(
    argv: Sequence[str], stdin: str = "", env: dict[str, str] | None = None, cwd: str | None = None
) -> subprocess.CompletedProcess:
    """``python -m tambo_desktop ARGV`` run in this process instead of a subprocess (the interpreter's
    start-up and imports took most of a CLI test's time): ``main(argv)`` with ``stdin`` on standard
    input, standard output and error captured, exit code as the process would give it (argparse's
    ``SystemExit`` included). The environment becomes ``env`` for the call; the process's global state
    the CLI touches (environment, working folder, language, database, log handlers) is put back after.
    An exception that escapes ``main`` escapes here too (it would have been a traceback)."""
    from tambo_desktop import i18n
    from tambo_desktop.cli import main
    from tambo_desktop.db.connection import close_database

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_language = i18n.current_language()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    err_text = io.TextIOWrapper(err, encoding="utf-8", newline="", write_through=True)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.StringIO(stdin)
        sys.stdout, sys.stderr = out_text, err_text
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if exc.code is not None and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)
        out_text.flush()
        err_text.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        close_database()
        for handler in root.handlers[:]:
            if handler not in saved_handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(saved_level)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        i18n.set_language(saved_language)
    return subprocess.CompletedProcess(list(argv), code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
