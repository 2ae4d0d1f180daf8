"""Staff accounts: Argon2id hashes, one message for every failed sign-in, lockout in the database."""

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


@pytest.fixture
def staff(admin_session):
    """An office account ``nelly`` next to the administrator."""
    AccountService(admin_session).create(AccountForm("nelly", "Nelly Ticona Choque", "staff", "wiphala-2025", "qu"))
    return admin_session


def _failure(username: str, password: str, now: dt.datetime | None = None) -> str:
    with pytest.raises(AuthenticationError) as info:
        authenticate(username, password, now=now)
    return str(info.value)


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
    assert wrong_password == unknown_user == empty == "Usuario o contraseña incorrectos."


def test_inactive_account_says_the_same(staff):
    nelly = User.get(User.username == "nelly")
    AccountService(staff).update(nelly.id, AccountForm("nelly", "Nelly Ticona Choque", "staff", "", "qu", active=False))
    assert _failure("nelly", "wiphala-2025") == "Usuario o contraseña incorrectos."


def test_failures_are_counted_and_a_success_resets_them(admin_session):
    for _ in range(3):
        _failure("admin", "mal")
    assert User.get(User.username == "admin").failed_logins == 3
    authenticate("admin", PASSWORD)
    assert User.get(User.username == "admin").failed_logins == 0


def test_five_failures_lock_for_fifteen_minutes_even_after_reopening(admin_session, db_url):
    start = utcnow()
    for i in range(accounts.MAX_FAILED_LOGINS):
        assert _failure("admin", "mal", now=start + dt.timedelta(seconds=i)) == "Usuario o contraseña incorrectos."
    locked_until = User.get(User.username == "admin").locked_until
    assert locked_until == start + dt.timedelta(seconds=4) + accounts.LOCKOUT
    assert dt.timedelta(minutes=15) == accounts.LOCKOUT

    # a restart of the application does not reset the lock: it lives in the database
    close_database()
    lifecycle.prepare(db_url)
    message = _failure("admin", PASSWORD, now=start + dt.timedelta(minutes=1))
    assert "bloqueada" in message
    assert "15 minutos" in message
    assert _failure("admin", PASSWORD, now=locked_until - dt.timedelta(seconds=30)).endswith("1 minuto.")

    # once `now` passes locked_until the right password opens again
    user = authenticate("admin", PASSWORD, now=locked_until + dt.timedelta(seconds=1))
    assert user.username == "admin"
    row = User.get(User.username == "admin")
    assert row.locked_until is None and row.failed_logins == 0


def test_lock_of_one_account_leaves_the_others_alone(staff):
    now = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        _failure("nelly", "mal", now=now)
    assert "bloqueada" in _failure("nelly", "wiphala-2025", now=now)
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
        service.create(AccountForm("gestor", "Wilber Condori Apaza", "gestor", "corta", "ay"))
    assert info.value.for_field("password") == ["La contraseña debe tener al menos 8 caracteres."]
    assert not User.select().where(User.username == "gestor").exists()


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
    assert not AuditEntry.select().where(
        AuditEntry.username.contains("miclave") | AuditEntry.summary.contains("miclave") | AuditEntry.changes.contains("miclave")
    ).exists()


def test_right_after_locking_the_message_says_fifteen_minutes(admin_session):
    """Issue 15.7: the lock of 15 minutes read "16 minutos" right after it began."""
    start = utcnow()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        _failure("admin", "mal", now=start)
    assert "15 minutos" in _failure("admin", PASSWORD, now=start)
    assert "1 minuto." in _failure("admin", PASSWORD, now=start + accounts.LOCKOUT - dt.timedelta(seconds=1))
