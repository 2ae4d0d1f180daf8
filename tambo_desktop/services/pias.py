"""A PIAS's ship: the Navy vessel that carries the platform, its capacity and the modules aboard.

A PIAS (plataforma itinerante de acción social) is set up like a tambo (``services/setup.py``)
with ``platform="pias"`` and its ship; the modules aboard take the place of a building's spaces: each
one is a bookable space (``module_spaces``), so an intervention books the consulting room, the RENIEC
office or the bank counter aboard with the same clash checks as a tambo's spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tambo_desktop.db.models import Ship, Space, Tambo
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.session import Session
from tambo_desktop.text import clean, search_key
from tambo_desktop.vocabulary import SHIP_MODULES

NAVY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9 .-]{0,29}$")
CAPACITY_MAX = 2000


@dataclass(frozen=True)
class ShipForm:
    """The ship as typed: numbers as text (the form's fields), modules as codes."""

    name: str
    navy_code: str = ""
    capacity: str = ""
    modules: tuple[str, ...] = ()
    notes: str = ""
    version: int | None = None  # the version the form was read with (None: no check)
    on_top: bool = False


@dataclass(frozen=True)
class ShipInfo:
    name: str
    navy_code: str
    capacity: int | None
    modules: tuple[str, ...]
    notes: str
    version: int = 1


def validate_ship(form: ShipForm) -> list[FieldError]:
    errors: list[FieldError] = []
    if not clean(form.name):
        errors.append(FieldError("ship_name", _("Escriba el nombre del barco.")))
    code = form.navy_code.strip().upper()
    if code and not NAVY_CODE_RE.match(code):
        errors.append(
            FieldError("navy_code", _("El código de la Marina tiene hasta 30 letras, números, espacios o guiones."))
        )
    if form.capacity.strip():
        try:
            capacity = int(form.capacity.strip())
            if not 1 <= capacity <= CAPACITY_MAX:
                raise ValueError
        except ValueError:
            errors.append(
                FieldError(
                    "capacity", _("La capacidad es un número entero de personas entre 1 y {n}.").format(n=CAPACITY_MAX)
                )
            )
    unknown = [m for m in form.modules if m not in SHIP_MODULES]
    if unknown:
        errors.append(FieldError("modules", _("Módulo desconocido: {codes}.").format(codes=", ".join(unknown))))
    return errors


def parse_modules(text: str) -> tuple[str, ...]:
    """``consulting,reniec`` → the codes (the command line's form)."""
    return tuple(dict.fromkeys(x.strip().lower() for x in text.split(",") if x.strip()))


def new_ship(form: ShipForm) -> Ship:
    """A ship record from a checked form (the caller stamps and saves it)."""
    return Ship(
        name=clean(form.name),
        navy_code=form.navy_code.strip().upper(),
        capacity=int(form.capacity.strip()) if form.capacity.strip() else None,
        modules=",".join(form.modules),
        notes=form.notes.strip(),
    )


def ship_info() -> ShipInfo | None:
    """This PIAS's ship (None in a tambo)."""
    ship = Ship.select().first()
    if ship is None:
        return None
    modules = tuple(m for m in ship.modules.split(",") if m)
    return ShipInfo(ship.name, ship.navy_code, ship.capacity, modules, ship.notes, ship.version)


def platform_kind() -> str:
    """``tambo`` or ``pias``: what this installation is (a tambo when not set up yet)."""
    tambo = Tambo.select(Tambo.platform).first()
    return tambo.platform if tambo is not None else "tambo"


def is_pias() -> bool:
    return platform_kind() == "pias"


def place_names() -> dict[str, str]:
    """The atención's places as this platform names them: inside or outside the tambo, aboard or
    ashore on a PIAS (the codes are the same)."""
    from tambo_desktop.vocabulary import PIAS_PLACES, PLACES

    return PIAS_PLACES if is_pias() else PLACES


#: The kind of space each module aboard is booked as (``vocabulary.SPACE_KINDS``).
MODULE_SPACE_KINDS = {"consulting": "consulting", "dental": "consulting", "auditorium": "auditorium"}


def module_space_name(code: str) -> str:
    """The bookable space of a module aboard: its name, in Spanish as the records are."""
    return f"{SHIP_MODULES[code]} (a bordo)"


def module_spaces(modules: tuple[str, ...]) -> list[Space]:
    """The spaces the modules aboard take the place of: one per module, made when missing, in use
    while the module is aboard; a module taken off leaves its space out of use (its bookings stay).
    Returns the records changed, for the caller to stamp and save."""
    changed = []
    wanted = {search_key(module_space_name(code)): code for code in modules}
    every = {search_key(module_space_name(code)): code for code in SHIP_MODULES}
    existing = {space.name_key: space for space in Space.select().where(Space.name_key.in_(list(every)))}
    for key, code in wanted.items():
        space = existing.get(key)
        if space is None:
            name = module_space_name(code)
            changed.append(Space(name=name, name_key=key, kind=MODULE_SPACE_KINDS.get(code, "other"), active=True))
        elif not space.active:
            space.active = True
            changed.append(space)
    for key, space in existing.items():
        if key not in wanted and space.active:
            space.active = False
            changed.append(space)
    return changed


class ShipService:
    """Change the ship's data (``tambo.edit``, as the rest of the profile)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def update(self, form: ShipForm) -> None:
        self.session.require("tambo.edit")
        errors = validate_ship(form)
        if errors:
            raise ValidationError(errors)
        with self.session.write():
            ship = Ship.select().first() or Ship()
            fresh = new_ship(form)
            for name in ("name", "navy_code", "capacity", "modules", "notes"):
                setattr(ship, name, getattr(fresh, name))
            self.session.save(ship, summary=ship.name, version=form.version, on_top=form.on_top)
            for space in module_spaces(form.modules):
                self.session.save(space, summary=space.name)
