"""The central office's own accounts (not the tambos'): ``admin`` imports packages, makes
accounts and the reference-data packages; ``analyst`` reads indicators and exports. Deny by default."""

from __future__ import annotations

from dataclasses import dataclass

from tambo_desktop.central.models import CentralUser
from tambo_desktop.errors import AuthenticationError, PermissionDenied, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.accounts import _password_errors, _verify, hash_password

ROLES = ("admin", "analyst")
PERMISSIONS: dict[str, frozenset[str]] = {
    "central.import": frozenset({"admin"}),
    "central.accounts": frozenset({"admin"}),
    "central.reference": frozenset({"admin"}),
    "central.tambos": frozenset({"admin"}),
    "central.review": frozenset({"admin"}),  # resolve a conflict (audited in central_action)
    "central.view": frozenset({"admin", "analyst"}),
    "central.export": frozenset({"admin", "analyst"}),
}


@dataclass(frozen=True)
class CentralSession:
    username: str
    role: str

    def require(self, action: str) -> None:
        if self.role not in PERMISSIONS.get(action, frozenset()):
            raise PermissionDenied(_("Su cuenta no tiene permiso para esta acción."))


def create_user(username: str, password: str, role: str = "admin", full_name: str = "") -> CentralUser:
    errors = _password_errors(password)
    name = username.strip().lower()
    if not name or len(name) > 40:
        raise ValidationError(_field("username", _("Escriba un nombre de usuario de hasta 40 caracteres.")))
    if errors:
        raise ValidationError(errors)
    if role not in ROLES:
        raise ValidationError(_field("role", _("Rol desconocido: «{role}».").format(role=role)))
    if CentralUser.select().where(CentralUser.username == name).exists():
        raise ValidationError(_field("username", _("Ya existe la cuenta «{name}».").format(name=name)))
    return CentralUser.create(username=name, full_name=full_name, role=role, password_hash=hash_password(password))


def _field(name: str, message: str):
    from tambo_desktop.errors import FieldError

    return FieldError(name, message)


def sign_in(username: str, password: str) -> CentralSession:
    user = CentralUser.get_or_none((CentralUser.username == username.strip().lower()) & (CentralUser.active == True))  # noqa: E712
    if user is None or not _verify(user.password_hash, password):
        raise AuthenticationError(_("Usuario o contraseña incorrectos."))
    return CentralSession(user.username, user.role)
