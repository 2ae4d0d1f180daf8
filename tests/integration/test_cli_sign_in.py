"""The command line signs in (issue 15.6): ``--user NAME`` and the password, the account's role, the
audit under its name; one message for every failed sign-in; the service mode of scheduled backups.

Each run is a real subprocess on a real demo database, as someone with a shell on the PC would type it."""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tambo_desktop import i18n
from tambo_desktop.cli import build_parser
from tambo_desktop.cli.common import OPEN_VERBS, OWN_SIGN_IN
from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.services.accounts import SIGN_IN_FAILED

ROOT = Path(__file__).resolve().parents[2]


def _env(lang: str = "es") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", TAMBO_LANG=lang, PYTHONPATH=str(ROOT))
    return env


def cli(home: Path, *args: str, stdin: str = "", lang: str = "es") -> subprocess.CompletedProcess:
    """Exactly the command line given (no helper signs in for it)."""
    command = [sys.executable, "-m", "tambo_desktop", "--home", str(home), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=_env(lang), cwd=ROOT, timeout=180)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("cli-sign-in") / "home"
    assert cli(home, "demo").returncode == 0
    return home


@pytest.fixture
def home(demo_files, tmp_path) -> Path:
    """A copy of the demo's data folder (database, installation key) for one test."""
    copy = tmp_path / "home"
    copy.mkdir()
    for name in ("tambo.db", "installation.key"):
        shutil.copy2(demo_files / name, copy / name)
    for extra in demo_files.glob(".tambo.db.*"):  # the marker and the audit anchor
        shutil.copy2(extra, copy / extra.name)
    return copy


def _audit(home: Path, since: int = 0) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(home / "tambo.db")
    try:
        rows = conn.execute(
            "SELECT username, action, entity FROM audit_entry WHERE id > ? ORDER BY id", (since,)
        ).fetchall()
    finally:
        conn.close()
    return rows


def _last_audit_id(home: Path) -> int:
    conn = sqlite3.connect(home / "tambo.db")
    try:
        return conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entry").fetchone()[0]
    finally:
        conn.close()


def _a_document(home: Path) -> str:
    conn = sqlite3.connect(home / "tambo.db")
    try:
        return conn.execute(
            "SELECT document_number FROM person WHERE document_type = 'dni' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    finally:
        conn.close()


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every verb's own parser: (words, parser), sub-verbs included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                if nested:
                    yield from _leaves(sub, (*path, name))
                else:
                    yield (*path, name), sub


def test_every_verb_but_init_demo_and_check_takes_user():
    leaves = list(_leaves(build_parser()))
    assert len(leaves) > 30
    for words, sub in leaves:
        options = {o for a in sub._actions for o in a.option_strings}
        if words[0] in OPEN_VERBS:
            assert "--user" not in options, words
        else:  # central's verbs sign in to the central database with its own accounts
            assert "--user" in options or (words[0] in OWN_SIGN_IN and words[1] in ("init", "public-key")), words


def test_without_an_account_nothing_is_read(home, tmp_path):
    """Before: every verb ran as an administrator with no sign-in (anyone with a shell exported everyone)."""
    out = tmp_path / "todas.csv"
    result = cli(
        home, "export", "attentions", "--from", "2020-01-01", "--to", "2030-12-31", "--format", "csv", "--out", str(out)
    )
    assert result.returncode == 2
    assert "--user" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    person = cli(home, "person", "anonymize", "--document", "41234567")
    assert person.returncode == 2 and "--user" in person.stderr


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_wrong_password_and_unknown_user_say_one_thing_in_the_users_language(home, tmp_path, lang):
    out = tmp_path / "a.csv"
    since = _last_audit_id(home)
    export = [
        "export",
        "attentions",
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
        "--format",
        "csv",
        "--out",
        str(out),
    ]
    wrong = cli(home, "--user", "admin", *export, stdin="no-es-la-clave\n", lang=lang)
    unknown = cli(home, "--user", "MiClave-Secreta-77", *export, stdin=DEMO_PASSWORD + "\n", lang=lang)
    with i18n.use_language(lang):
        expected = i18n._(SIGN_IN_FAILED)
    for result in (wrong, unknown):
        assert result.returncode == 1
        assert result.stderr.strip() == expected
    assert not out.exists()
    # audited as at the window's sign-in; a name with no account is not kept (it may be a password)
    assert _audit(home, since) == [("admin", "login_failed", "user"), ("?", "login_failed", "user")]
    assert "miclave-secreta-77" not in (home / "logs" / "tambo.log").read_text(encoding="utf-8").lower()


def test_the_accounts_role_applies_and_the_audit_has_its_name(home, tmp_path):
    out = tmp_path / "auditoria.csv"
    since = _last_audit_id(home)
    period = ["--from", "2020-01-01", "--to", "2030-12-31", "--out", str(out)]
    clerk = cli(home, "audit", "export", *period, "--user", "oficina", stdin=DEMO_PASSWORD + "\n")
    assert clerk.returncode == 1 and "permiso" in clerk.stderr
    assert not out.exists()
    dni = _a_document(home)
    anonymize = cli(home, "person", "anonymize", "--document", dni, "--user", "gestor", stdin=DEMO_PASSWORD + "\n")
    assert anonymize.returncode == 1 and "permiso" in anonymize.stderr
    assert _a_document(home) == dni  # still there
    supervisor = cli(home, "audit", "export", *period, "--user", "supervisor", stdin=DEMO_PASSWORD + "\n")
    assert supervisor.returncode == 0, supervisor.stderr
    assert out.is_file()
    rows = _audit(home, since)
    assert ("oficina", "login", "user") in rows and ("supervisor", "login", "user") in rows
    assert ("supervisor", "export", "audit_entry") in rows
    assert not any(user in ("system", "admin") for user, _, _ in rows)


def test_the_password_is_asked_without_echo_on_a_terminal(home, tmp_path):
    out = tmp_path / "c.csv"
    command = [sys.executable, "-m", "tambo_desktop", "--home", str(home), "--user", "admin",
               "export", "communities", "--format", "csv", "--out", str(out)]  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty (getpass opens /dev/tty)
        os.chdir(ROOT)
        os.execve(sys.executable, command, _env())
    seen = b""
    answered = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not answered and "Contraseña de admin:".encode() in seen:
            os.write(fd, (DEMO_PASSWORD + "\n").encode())
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert answered, seen
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert DEMO_PASSWORD.encode() not in seen  # not echoed
    assert out.is_file()


def test_the_service_mode_makes_backups_and_reads_nothing(home, tmp_path):
    since = _last_audit_id(home)
    made = cli(home, "backup", "--service")
    assert made.returncode == 0, made.stderr
    assert "Copia de seguridad verificada" in made.stdout
    assert _audit(home, since) == [("(servicio)", "backup", "database")]  # no sign-in: no password to keep for cron
    # the mode exists for the backup only: no other verb knows it
    refused = cli(home, "export", "communities", "--format", "csv", "--out", str(tmp_path / "c.csv"), "--service")
    assert refused.returncode == 2 and not (tmp_path / "c.csv").exists()
    # it needs the installation key: the account that holds the data folder
    (home / "installation.key").unlink()
    without_key = cli(home, "backup", "--service")
    assert without_key.returncode == 1
    assert "installation.key" in without_key.stderr and "Traceback" not in without_key.stderr
    assert not (home / "installation.key").exists()  # not made anew by the attempt


def test_five_wrong_passwords_make_the_administrator_wait_and_another_administrator_clears_it(
    home, tmp_path, monkeypatch
):
    out = tmp_path / "c.csv"
    export = ["export", "communities", "--format", "csv", "--out", str(out), "--user", "admin"]
    for _ in range(5):
        assert cli(home, *export, stdin="mal-mal-mal\n").returncode == 1
    waiting = cli(home, *export, stdin=DEMO_PASSWORD + "\n")
    assert waiting.returncode == 1 and not out.exists()  # the right password, during the wait
    assert waiting.stderr.strip() == SIGN_IN_FAILED
    since = _last_audit_id(home)
    assert cli(home, "accounts", "unlock", "admin", "--service").returncode == 2  # not for the service mode
    # a second administrator (made by the first one at the accounts page)
    from tambo_desktop import paths
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.services.accounts import AccountForm, AccountService
    from tambo_desktop.services.session import SYSTEM_USER, session_for

    monkeypatch.setenv(paths.HOME_ENV, str(home))
    try:
        prepare(paths.default_database_url())
        AccountService(session_for(SYSTEM_USER)).create(AccountForm("jefa", "Ana Jefa", "admin", "segunda-clave-1"))
    finally:
        close_database()
    since = _last_audit_id(home)
    unlocked = cli(home, "accounts", "unlock", "admin", "--user", "jefa", stdin="segunda-clave-1\n")
    assert unlocked.returncode == 0, unlocked.stderr
    assert ("jefa", "unlock", "user") in _audit(home, since)
    assert cli(home, *export, stdin=DEMO_PASSWORD + "\n").returncode == 0
    assert out.is_file()
    unknown = cli(home, "accounts", "unlock", "nadie", "--user", "admin", stdin=DEMO_PASSWORD + "\n")
    assert unknown.returncode == 2 and "nadie" in unknown.stderr
    clerk = cli(home, "accounts", "unlock", "admin", "--user", "oficina", stdin=DEMO_PASSWORD + "\n")
    assert clerk.returncode == 1 and "permiso" in clerk.stderr


def test_no_verb_builds_a_session_of_its_own():
    """Every verb's session comes from common.session() (the sign-in): none makes an administrator up."""
    for source in (ROOT / "tambo_desktop" / "cli").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for forbidden in ("system_session", "SYSTEM_USER", "Session("):
            assert forbidden not in text, f"{source.name}: {forbidden}"
