"""First run: the tambo's profile and the first administrator account."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tambo_desktop import i18n
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import District, Tambo, User
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services import audit
from tambo_desktop.services.accounts import AccountForm, hash_password, validate_account
from tambo_desktop.services.pias import ShipForm, module_spaces, new_ship, validate_ship
from tambo_desktop.services.session import CurrentUser, Session
from tambo_desktop.text import clean
from tambo_desktop.vocabulary import PLATFORM_KINDS

TAMBO_CODE_RE = re.compile(r"^[A-Z0-9-]{2,20}$")
PHONE_RE = re.compile(r"^\+?[0-9 ]{6,15}$")


@dataclass(frozen=True)
class TamboProfile:
    name: str
    code: str
    district_code: str
    centro_poblado: str
    altitude_m: str = ""
    address: str = ""
    phone: str = ""
    default_language: str = "es"
    platform: str = "tambo"  # vocabulary.PLATFORM_KINDS


@dataclass(frozen=True)
class TamboInfo:
    code: str
    name: str
    district_code: str
    district_name: str
    province_name: str
    department_name: str
    centro_poblado: str
    altitude_m: int | None
    address: str
    phone: str
    default_language: str
    is_demo: bool
    platform: str = "tambo"


def is_initialized() -> bool:
    return Tambo.select().exists() and User.select().where(User.role == "admin").exists()


def validate_profile(profile: TamboProfile) -> list[FieldError]:
    errors: list[FieldError] = []
    pias = profile.platform == "pias"  # a PIAS: the same fields, in the ship's words
    if not clean(profile.name):
        errors.append(
            FieldError("name", _("Escriba el nombre de la PIAS.") if pias else _("Escriba el nombre del tambo."))
        )
    if not TAMBO_CODE_RE.match(profile.code.strip().upper()):
        code_rule = (
            _("El código de la PIAS tiene de 2 a 20 letras, números o guiones.")
            if pias
            else _("El código del tambo tiene de 2 a 20 letras, números o guiones.")
        )
        errors.append(FieldError("code", code_rule))
    if not District.select().where(District.code == profile.district_code).exists():
        errors.append(FieldError("district", _("Elija el distrito de la lista.")))
    if not clean(profile.centro_poblado):
        where = _("Escriba el puerto base de la PIAS.") if pias else _("Escriba el centro poblado donde está el tambo.")
        errors.append(FieldError("centro_poblado", where))
    if profile.altitude_m.strip():
        try:
            altitude = int(profile.altitude_m.strip())
            if not 0 <= altitude <= 6800:
                raise ValueError
        except ValueError:
            errors.append(FieldError("altitude_m", _("La altitud es un número entero de metros entre 0 y 6800.")))
    if profile.phone.strip() and not PHONE_RE.match(profile.phone.strip()):
        errors.append(FieldError("phone", _("El teléfono solo lleva números (de 6 a 15).")))
    if profile.default_language not in i18n.language_codes():
        errors.append(FieldError("default_language", _("Elija un idioma.")))
    if profile.platform not in PLATFORM_KINDS:
        errors.append(FieldError("platform", _("Elija si es un tambo o una PIAS.")))
    return errors


def initialize(
    profile: TamboProfile, admin: AccountForm, is_demo: bool = False, ship: ShipForm | None = None
) -> CurrentUser:
    """Create the tambo's profile and its first administrator in one transaction (a PIAS: and its ship)."""
    if is_initialized():
        raise ValidationError(FieldError("code", _("Este tambo ya está configurado.")))
    admin = AccountForm(admin.username, admin.full_name, "admin", admin.password, admin.language or "es")
    errors = validate_profile(profile) + validate_account(admin, new=True)
    if profile.platform == "pias":
        errors += (
            validate_ship(ship) if ship is not None else [FieldError("ship_name", _("Escriba el nombre del barco."))]
        )
    if errors:
        raise ValidationError(errors)
    code = profile.code.strip().upper()
    username = admin.username.strip().lower()
    with current_database().write():
        tambo = Tambo(
            code=code,
            name=clean(profile.name),
            district=profile.district_code,
            centro_poblado=clean(profile.centro_poblado),
            altitude_m=int(profile.altitude_m) if profile.altitude_m.strip() else None,
            address=clean(profile.address),
            phone=profile.phone.strip(),
            default_language=profile.default_language,
            is_demo=is_demo,
            platform=profile.platform,
            tambo_code=code,
            created_by=username,
            updated_by=username,
        )
        tambo.save()
        user = User.create(
            username=username,
            full_name=clean(admin.full_name),
            role="admin",
            password_hash=hash_password(admin.password),
            language=admin.language,
            tambo_code=code,
            created_by=username,
            updated_by=username,
        )
        audit.append(code, username, "create", "tambo", tambo.uuid, tambo.name, audit.diff({}, audit.snapshot(tambo)))
        audit.append(code, username, "create", "user", user.uuid, user.username, audit.diff({}, audit.snapshot(user)))
        if profile.platform == "pias" and ship is not None:
            boat = new_ship(ship)
            boat.tambo_code, boat.created_by, boat.updated_by = code, username, username
            boat.save()
            audit.append(code, username, "create", "ship", boat.uuid, boat.name, audit.diff({}, audit.snapshot(boat)))
            for space in module_spaces(ship.modules):  # the modules aboard are its bookable spaces
                space.tambo_code, space.created_by, space.updated_by = code, username, username
                space.save()
                audit.append(
                    code, username, "create", "space", space.uuid, space.name, audit.diff({}, audit.snapshot(space))
                )
    return CurrentUser(user.id, user.username, user.full_name, user.role, user.language)


def tambo_info() -> TamboInfo | None:
    tambo = Tambo.select().first()
    if tambo is None:
        return None
    district = tambo.district
    return TamboInfo(
        tambo.code,
        tambo.name,
        district.code,
        district.name,
        district.province.name,
        district.province.department.name,
        tambo.centro_poblado,
        tambo.altitude_m,
        tambo.address,
        tambo.phone,
        tambo.default_language,
        tambo.is_demo,
        tambo.platform,
    )


def update_profile(session: Session, profile: TamboProfile) -> None:
    session.require("tambo.edit")
    errors = [e for e in validate_profile(profile) if e.field != "code"]
    if errors:
        raise ValidationError(errors)
    with session.write():
        tambo = Tambo.get()
        tambo.name = clean(profile.name)
        tambo.district_id = profile.district_code
        tambo.centro_poblado = clean(profile.centro_poblado)
        tambo.altitude_m = int(profile.altitude_m) if profile.altitude_m.strip() else None
        tambo.address = clean(profile.address)
        tambo.phone = profile.phone.strip()
        tambo.default_language = profile.default_language
        session.save(tambo, summary=tambo.name)
