"""Staff accounts: passwords (Argon2id), sign-in with a growing wait after failures, and account management."""

from __future__ import annotations

import builtins
import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import cache

import peewee as pw
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tambo_desktop import assets, i18n
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Tambo, User, utcnow
from tambo_desktop.errors import AuthenticationError, FieldError, NotFound, ValidationError
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import audit
from tambo_desktop.services.session import CurrentUser, Session
from tambo_desktop.vocabulary import ROLES

#: Length is what makes a password strong (NIST SP 800-63B, OWASP): at least 10 characters, any
#: characters, no composition rules; the common passwords are refused (resources/data/common_passwords.txt).
MIN_PASSWORD_LENGTH = 10
#: Wrong passwords allowed before each new attempt has to wait; the wait doubles from FIRST_WAIT at each
#: further failure, up to MAX_WAIT. It is a wait, not a lock: someone at the sign-in screen can delay an
#: account, never keep it out (and an administrator clears the wait: the accounts page, or
#: ``tambo-cli accounts unlock`` from the PC's account).
MAX_FAILED_LOGINS = 5
FIRST_WAIT = dt.timedelta(seconds=30)
MAX_WAIT = dt.timedelta(minutes=15)
#: The one message of every failed sign-in: unknown user, wrong password, inactive account, or an
#: attempt during the wait (a different message would tell which names exist).
SIGN_IN_FAILED = N_(
    "Usuario o contraseña incorrectos. Tras varios intentos fallidos, espere unos minutos antes de volver a intentarlo."
)
USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,40}$")

#: The project's test runs only (tests/conftest.py sets it, and pytest's own PYTEST_VERSION must be set
#: too, so neither a stray variable nor a user's shell turns it on): Argon2id with the smallest
#: parameters, because a hash or a check costs 0.1-0.4 s and the suite makes thousands of them.
TEST_HASHING_ENV = "TAMBO_TEST_CHEAP_PASSWORD_HASHING"


def _in_test_run() -> bool:
    return os.environ.get(TEST_HASHING_ENV) == "1" and "PYTEST_VERSION" in os.environ


if _in_test_run():
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _DUMMY_HASH = _hasher.hash("not-an-account")
else:
    _hasher = PasswordHasher()  # Argon2id with the library's recommended parameters
    # Unknown users are checked against this (about the same time as a real check). Written out, not
    # hashed at import: hashing takes 0.1-0.4 s, which every start paid before its sign-in window.
    _DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$2fWAzyt8x18quej3LByhMg$8MMoWvq73rLUj8UxVbXKyJ+zy+CHtnLkuGEigU/M8pk"


@dataclass(frozen=True)
class AccountForm:
    username: str
    full_name: str
    role: str
    password: str = ""
    language: str = "es"
    active: bool = True
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the administrator saw another's save and applies theirs on top


@dataclass(frozen=True)
class AccountRow:
    id: int
    username: str
    full_name: str
    role: str
    language: str
    active: bool
    locked: bool
    last_login_at: dt.datetime | None
    version: int = 1


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, lower case (shipped with the application, never downloaded)."""
    text = assets.path("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_common_password(password: str, username: str = "") -> bool:
    """A password that is guessed in seconds: in the list of common passwords (whatever its capitals
    or the spaces around it), the user's own name, or nearly one character repeated."""
    folded = password.strip().casefold()
    return (
        folded in common_passwords()
        or len(set(folded)) < 3  # "aaaaaaaaaa", "          ", "ababababab"
        or (bool(username) and folded == username.strip().casefold())
    )


def _password_errors(password: str, username: str = "") -> list[FieldError]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            FieldError(
                "password",
                _("La contraseña debe tener al menos {n} caracteres.").format(n=MIN_PASSWORD_LENGTH),
            )
        ]
    if is_common_password(password, username):
        return [
            FieldError(
                "password",
                _("Esa contraseña es de las más usadas y se adivina en segundos. Elija otra: por ejemplo, tres o cuatro palabras que usted recuerde."),
            )
        ]  # fmt: skip
    return []


def validate_account(form: AccountForm, new: bool, existing_id: int | None = None) -> list[FieldError]:
    errors: list[FieldError] = []
    username = form.username.strip().lower()
    if not USERNAME_RE.match(username):
        errors.append(
            FieldError(
                "username",
                _("El usuario debe tener de 3 a 40 letras minúsculas, números, puntos o guiones, sin espacios."),
            )
        )
    elif User.select().where((User.username == username) & (User.id != (existing_id or 0))).exists():
        errors.append(FieldError("username", _("Ya existe una cuenta con ese usuario.")))
    if not form.full_name.strip():
        errors.append(FieldError("full_name", _("Escriba el nombre completo.")))
    if form.role not in ROLES:
        errors.append(FieldError("role", _("Elija un rol.")))
    if new or form.password:
        errors += _password_errors(form.password, username)
    if i18n.normalize(form.language) != form.language:
        errors.append(FieldError("language", _("Elija un idioma.")))
    return errors


def to_current(user: User) -> CurrentUser:
    return CurrentUser(user.id, user.username, user.full_name, user.role, user.language or "es")


def wait_after(failed: int) -> dt.timedelta | None:
    """How long the next attempt has to wait after ``failed`` wrong passwords in a row (None: no wait)."""
    if failed < MAX_FAILED_LOGINS:
        return None
    return min(MAX_WAIT, FIRST_WAIT * 2 ** min(failed - MAX_FAILED_LOGINS, 16))


def authenticate(username: str, password: str, now: dt.datetime | None = None) -> CurrentUser:
    """Check a sign-in; one message for an unknown user, a wrong password and an attempt during the wait.

    Wrong passwords in a row are counted in the database (they survive a restart); from the fifth
    on, the next attempt has to wait (30 s, then twice as long after each further failure, at most
    15 minutes). An attempt during the wait is refused without looking at the password and does
    not make the wait longer.
    """
    now = now or utcnow()
    wrong = AuthenticationError(_(SIGN_IN_FAILED))
    name = username.strip().lower()
    user = User.get_or_none(User.username == name)
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)  # about the same time as a real check
        # what was typed is not kept when no such account exists: it may be a password typed in the
        # wrong field, and the audit trail keeps it for ever (issue 15.5)
        _log_sign_in("login_failed", name if user is not None else "?", user.uuid if user is not None else "")
        raise wrong
    if user.locked_until and user.locked_until > now:
        _verify(_DUMMY_HASH, password)
        _log_sign_in("login_failed", user.username, user.uuid, "locked")
        raise wrong
    if not _verify(user.password_hash, password):
        with current_database().write():
            failed = User.get_by_id(user.id).failed_logins + 1
            wait = wait_after(failed)
            User.update(failed_logins=failed, locked_until=now + wait if wait else None).where(
                User.id == user.id
            ).execute()
            _log_sign_in("login_failed", user.username, user.uuid)
            if failed == MAX_FAILED_LOGINS:
                _log_sign_in("lockout", user.username, user.uuid, f"{MAX_FAILED_LOGINS}")
        raise wrong
    update: dict[pw.Field, object] = {User.failed_logins: 0, User.locked_until: None, User.last_login_at: now}
    if _hasher.check_needs_rehash(user.password_hash):
        update[User.password_hash] = hash_password(password)
    with current_database().write():
        User.update(update).where(User.id == user.id).execute()
        _log_sign_in("login", user.username, user.uuid)
    return to_current(user)


def _log_sign_in(action: str, username: str, user_uuid: str, summary: str = "") -> None:
    tambo = Tambo.select(Tambo.code).first()
    with current_database().write():
        audit.append(tambo.code if tambo else "", username[:40] or "?", action, "user", user_uuid, summary)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


class AccountService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> builtins.list[AccountRow]:
        self.session.require("accounts.manage")
        now = utcnow()
        return [
            AccountRow(
                u.id,
                u.username,
                u.full_name,
                u.role,
                u.language,
                u.active,
                bool(u.locked_until and u.locked_until > now),
                u.last_login_at,
                u.version,
            )
            for u in User.select().order_by(User.username)
        ]

    def create(self, form: AccountForm) -> int:
        self.session.require("accounts.manage")
        errors = validate_account(form, new=True)
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            user = User(
                username=form.username.strip().lower(),
                full_name=form.full_name.strip(),
                role=form.role,
                password_hash=hash_password(form.password),
                language=form.language,
                active=form.active,
            )
            self.session.save(user, summary=user.username)
        return user.id

    def update(self, user_id: int, form: AccountForm) -> None:
        self.session.require("accounts.manage")
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(_("La cuenta ya no existe."))
        errors = validate_account(form, new=False, existing_id=user_id)
        if user.id == self.session.user.id and (form.role != "admin" or not form.active):
            errors.append(FieldError("role", _("No puede quitarse a sí mismo el rol de administrador.")))
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            user.username = form.username.strip().lower()
            user.full_name = form.full_name.strip()
            user.role = form.role
            user.language = form.language
            user.active = form.active
            if form.password:
                user.password_hash = hash_password(form.password)
            self.session.save(user, summary=user.username, version=form.version, on_top=form.on_top)

    def unlock(self, user_id: int) -> None:
        """Clear an account's wait after failed sign-ins (its count of failures too)."""
        self.session.require("accounts.unlock")
        with self.session.write():
            user = User.get_or_none(User.id == user_id)
            if user is None:
                raise NotFound(_("La cuenta ya no existe."))
            User.update(failed_logins=0, locked_until=None).where(User.id == user_id).execute()
            self.session.audit("unlock", "user", user.uuid, user.username)

    def unlock_named(self, username: str) -> None:
        """:meth:`unlock` by user name (the command line's recovery path)."""
        self.session.require("accounts.unlock")
        user = User.get_or_none(User.username == username.strip().lower())
        if user is None:
            raise NotFound(_("No hay ninguna cuenta con el usuario «{user}».").format(user=username.strip()))
        self.unlock(user.id)

    def set_own_language(self, language: str) -> None:
        """Any signed-in user may remember their own interface language."""
        code = i18n.normalize(language)
        with self.session.write():
            User.update(language=code, updated_at=utcnow()).where(User.id == self.session.user.id).execute()
