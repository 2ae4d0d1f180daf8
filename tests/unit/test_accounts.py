"""Staff accounts: Argon2id hashes, one message for every failed sign-in, a growing wait kept in the database,
passwords of 10 characters or more that are not common ones."""

from __future__ import annotations

import datetime as dt

import pytest

from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.models import User, utcnow
from tambo_desktop.errors import AuthenticationError, PermissionDenied, ValidationError
from tambo_desktop.services import accounts
from tambo_desktop.services.accounts import AccountForm, AccountService, authenticate, hash_password
from tambo_desktop.services.session import CurrentUser, Session

PASSWORD = "clave-segura-1"
FAILED = (
    "Usuario o contraseña incorrectos. Tras varios intentos fallidos, espere unos minutos antes de volver a intentarlo."
)


@pytest.fixture
def staff(admin_session):
    """An office account ``nelly`` next to the administrator."""
    AccountService(admin_session).create(AccountForm("nelly", "Nelly Ticona Choque", "staff", "wiphala-2025", "qu"))
    return admin_session


def _failure(username: str, password: str, now: dt.datetime | None = None) -> str:
    with pytest.raises(AuthenticationError) as info:
        authenticate(username, password, now=now)
    return str(info.value)


_PARAMETERS = """
import json
from tambo_desktop.services import accounts
print(json.dumps([accounts._hasher.time_cost, accounts._hasher.memory_cost, accounts._hasher.parallelism,
                  accounts.hash_password("clave-segura-1").split("$")[3], accounts._DUMMY_HASH.split("$")[3]]))
"""


@pytest.mark.parametrize("switch", ["absent", "without pytest"])
def test_outside_the_tests_passwords_get_the_real_argon2_parameters(switch):
    """The suite hashes cheaply (tests/conftest.py); the application, and anything that sets the switch
    without running under pytest, hashes with argon2-cffi's recommended parameters (RFC 9106)."""
    import json
    import os
    import subprocess
    import sys

    from argon2 import PasswordHasher

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTEST_VERSION", accounts.TEST_HASHING_ENV, "PYTEST_CURRENT_TEST")
    }
    if switch == "without pytest":
        env[accounts.TEST_HASHING_ENV] = "1"
    run = subprocess.run(
        [sys.executable, "-c", _PARAMETERS], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    real = PasswordHasher()
    expected = f"m={real.memory_cost},t={real.time_cost},p={real.parallelism}"
    assert json.loads(run.stdout) == [real.time_cost, real.memory_cost, real.parallelism, expected, expected]
    assert (real.time_cost, real.memory_cost, real.parallelism) == (3, 65536, 4)
    # and this run (and the processes it starts) hashes cheaply: the switch works
    assert (accounts._hasher.time_cost, accounts._hasher.memory_cost) == (1, 8)


def test_passwords_are_hashed_with_argon2id(admin_session):
    assert hash_password(PASSWORD).startswith("$argon2id$")
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # salted
    stored = User.get(User.username == "admin").password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_authenticate_returns_the_user(admin_session):
    user = authenticate("  Admin ", PASSWORD)
    assert isinstance(user, CurrentUser)
    assert (user.username, user.role, user.language) == ("admin", "admin", "es")
    assert User.get(User.username == "admin").last_login_at is not None


def test_wrong_password_and_unknown_user_say_the_same(admin_session):
    wrong_password = _failure("admin", "clave-equivocada")
    unknown_user = _failure("nadie", PASSWORD)
    empty = _failure("", "")
    assert wrong_password == unknown_user == empty == FAILED


def test_inactive_account_says_the_same(staff):
    nelly = User.get(User.username == "nelly")
    AccountService(staff).update(nelly.id, AccountForm("nelly", "Nelly Ticona Choque", "staff", "", "qu", active=False))
    assert _failure("nelly", "wiphala-2025") == FAILED


def test_failures_are_counted_and_a_success_resets_them(admin_session):
    for _ in range(3):
        _failure("admin", "mal")
    assert User.get(User.username == "admin").failed_logins == 3
    authenticate("admin", PASSWORD)
    assert User.get(User.username == "admin").failed_logins == 0


def test_five_failures_make_the_next_attempt_wait_even_after_reopening(admin_session, db_url):
    start = utcnow()
    for i in range(accounts.MAX_FAILED_LOGINS):
        assert _failure("admin", "mal", now=start + dt.timedelta(seconds=i)) == FAILED
    wait_until = User.get(User.username == "admin").locked_until
    assert wait_until == start + dt.timedelta(seconds=4) + accounts.FIRST_WAIT

    # a restart of the application does not forget the wait: it lives in the database
    close_database()
    lifecycle.prepare(db_url)
    assert _failure("admin", PASSWORD, now=wait_until - dt.timedelta(seconds=1)) == FAILED  # the right one, too early

    # once `now` passes the wait the right password opens again, and the count starts again
    user = authenticate("admin", PASSWORD, now=wait_until + dt.timedelta(seconds=1))
    assert user.username == "admin"
    row = User.get(User.username == "admin")
    assert row.locked_until is None and row.failed_logins == 0


def test_a_waiting_account_gets_the_same_message_as_an_unknown_name(admin_session):
    """Issue 15.7: "the account is locked" told that the name exists, when unknown names got "wrong user"."""
    now = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        _failure("admin", "mal", now=now)
    assert User.get(User.username == "admin").locked_until > now
    waiting = _failure("admin", PASSWORD, now=now)
    assert waiting == _failure("nadie", PASSWORD, now=now) == _failure("admin", "mal", now=now) == FAILED
    assert "bloqueada" not in waiting and "minuto" not in waiting.split(".")[0]


def test_the_wait_grows_but_never_keeps_the_account_out(admin_session):
    """Issue 15.7: someone at the sign-in screen kept the administrator out by typing five wrong
    passwords every 15 minutes. Now each failure after the fifth doubles a wait of at most 15 minutes,
    attempts during the wait do not make it longer, and the right password works once it is over."""
    now = utcnow()
    waits = []
    for _ in range(12):
        row = User.get(User.username == "admin")
        if row.locked_until and row.locked_until > now:
            now = row.locked_until + dt.timedelta(seconds=1)
        _failure("admin", "mal", now=now)
        row = User.get(User.username == "admin")
        waits.append(round((row.locked_until - now).total_seconds()) if row.locked_until else 0)
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]
    until = User.get(User.username == "admin").locked_until
    for seconds in (1, 60, 600):  # hammering during the wait does not lengthen it
        _failure("admin", "mal", now=until - dt.timedelta(seconds=seconds))
    assert User.get(User.username == "admin").locked_until == until
    assert authenticate("admin", PASSWORD, now=until + dt.timedelta(seconds=1)).username == "admin"


def test_the_first_wait_is_audited_once(admin_session):
    from tambo_desktop.db.models import AuditEntry

    now = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        _failure("admin", "mal", now=now)
    _failure("admin", "mal", now=now + dt.timedelta(minutes=1))
    assert AuditEntry.select().where(AuditEntry.action == "lockout").count() == 1


def test_lock_of_one_account_leaves_the_others_alone(staff):
    now = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        _failure("nelly", "mal", now=now)
    assert _failure("nelly", "wiphala-2025", now=now) == FAILED
    assert authenticate("admin", PASSWORD, now=now).username == "admin"


def test_administrator_can_unlock(staff):
    now = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        _failure("nelly", "mal", now=now)
    nelly = User.get(User.username == "nelly")
    assert [row.locked for row in AccountService(staff).list() if row.username == "nelly"] == [True]
    AccountService(staff).unlock(nelly.id)
    assert authenticate("nelly", "wiphala-2025", now=now).role == "staff"


def test_short_password_is_refused_with_the_minimum_length(admin_session):
    service = AccountService(admin_session)
    with pytest.raises(ValidationError) as info:
        service.create(AccountForm("gestor", "Wilber Condori Apaza", "gestor", "wiphala-9", "ay"))  # 9 characters
    assert info.value.for_field("password") == ["La contraseña debe tener al menos 10 caracteres."]
    assert not User.select().where(User.username == "gestor").exists()


COMMON = "Esa contraseña es de las más usadas y se adivina en segundos. Elija otra: por ejemplo, tres o cuatro palabras que usted recuerde."


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "password123",
        "Password123",
        "  qwertyuiop ",
        "          ",
        "aaaaaaaaaaaa",
        "abababababab",
        "gestor.puno",
    ],
)
def test_common_passwords_are_refused(admin_session, password):
    """Issue 15.7: "12345678", "password" and eight spaces were accepted. Now: the list shipped in
    resources/data (any capitals, spaces around), nearly one character repeated, the user's own name."""
    with pytest.raises(ValidationError) as info:
        AccountService(admin_session).create(
            AccountForm("gestor.puno", "Wilber Condori Apaza", "gestor", password, "ay")
        )
    assert info.value.for_field("password") == [COMMON]
    assert not User.select().where(User.username == "gestor.puno").exists()


def test_no_composition_rules_and_the_demo_password_stays_valid(admin_session):
    service = AccountService(admin_session)
    for n, password in enumerate(["tambo-demo", "wiphala pampa qucha", "llamaalpaca", "ÑAWPA-PACHA-2"]):
        service.create(AccountForm(f"cuenta{n}", "Prueba", "staff", password))
        assert authenticate(f"cuenta{n}", password).username == f"cuenta{n}"


def test_the_common_password_list_is_shipped_with_its_licence():
    from tambo_desktop import assets

    common = accounts.common_passwords()
    assert len(common) == 30_000
    assert {"password", "12345678", "qwertyuiop", "password123", "1234567890"} <= common
    assert sum(len(p) >= accounts.MIN_PASSWORD_LENGTH for p in common) > 1000
    assert "MIT License" in assets.path("data/LICENSE-common-passwords.txt").read_text(encoding="utf-8")


def test_account_form_validation_names_each_field(admin_session):
    with pytest.raises(ValidationError) as info:
        AccountService(admin_session).create(AccountForm("Con Espacio", " ", "jefe", "x", "fr"))
    assert {e.field for e in info.value.errors} == {"username", "full_name", "role", "password", "language"}


def test_duplicate_username_is_refused(admin_session):
    with pytest.raises(ValidationError) as info:
        AccountService(admin_session).create(AccountForm("ADMIN", "Otra persona", "staff", "otra-clave-1"))
    assert info.value.for_field("username") == ["Ya existe una cuenta con ese usuario."]


def test_only_administrators_manage_accounts(staff):
    nelly = authenticate("nelly", "wiphala-2025")
    service = AccountService(Session(nelly, staff.tambo_code))
    with pytest.raises(PermissionDenied):
        service.list()
    with pytest.raises(PermissionDenied):
        service.create(AccountForm("otro", "Otro", "admin", "clave-larga-1"))


def test_own_language_is_remembered(staff):
    nelly = authenticate("nelly", "wiphala-2025")
    assert nelly.language == "qu"
    AccountService(Session(nelly, staff.tambo_code)).set_own_language("ay_BO")
    assert authenticate("nelly", "wiphala-2025").language == "ay"


def test_an_unknown_name_is_not_kept_in_the_audit_trail(admin_session):
    """Issue 15.5 (case 4): a password typed in the user field must not stay in the chain for ever."""
    from tambo_desktop.db.models import AuditEntry

    _failure("MiClaveSecreta-2025", "x")
    _failure("admin", "mal")
    failed = list(AuditEntry.select().where(AuditEntry.action == "login_failed").order_by(AuditEntry.id))
    assert [e.username for e in failed[-2:]] == ["?", "admin"]
    assert (
        not AuditEntry.select()
        .where(
            AuditEntry.username.contains("miclave")
            | AuditEntry.summary.contains("miclave")
            | AuditEntry.changes.contains("miclave")
        )
        .exists()
    )
