"""The tambo's ámbito de influencia: communities (centros poblados) and their leaders."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import peewee as pw

from tambo_desktop.db.models import Attention, Community, District, Leader, Letter, Person
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import FieldError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.limits import within
from tambo_desktop.services.session import Session
from tambo_desktop.text import PHONE_RE, clean, search_key
from tambo_desktop.vocabulary import COMMUNITY_KINDS, LEADER_ROLES, SEXES, SPOKEN_LANGUAGES, TRAVEL_MEANS, parse

# Peru lies roughly between these coordinates; a point outside is a typing mistake.
LAT_RANGE = (Decimal("-18.5"), Decimal("0.1"))
LON_RANGE = (Decimal("-81.5"), Decimal("-68.5"))


@dataclass
class CommunityForm:
    """A community as typed by a user or read from a file: every value is text."""

    name: str = ""
    district: str = ""
    kind: str = ""
    population: str = ""
    households: str = ""
    languages: str = ""  # codes or names separated by ; or ,
    distance_km: str = ""
    travel_minutes: str = ""
    travel_means: str = ""
    latitude: str = ""
    longitude: str = ""
    notes: str = ""
    version: int | None = None  # the version the form was read with (None: new, or no check)
    on_top: bool = False  # the user saw another user's save and applies theirs on top


@dataclass
class LeaderForm:
    name: str = ""
    role: str = ""
    phone: str = ""
    language: str = ""
    notes: str = ""
    version: int | None = None
    on_top: bool = False
    sex: str = ""  # F, M or '' (not said)


@dataclass(frozen=True)
class CommunityRow:
    id: int
    uuid: str
    name: str
    district_code: str
    district_name: str
    kind: str
    population: int | None
    households: int | None
    languages: list[str]
    distance_km: Decimal | None
    travel_minutes: int | None
    travel_means: str
    latitude: Decimal | None
    longitude: Decimal | None
    notes: str
    leader_count: int = 0
    version: int = 1


@dataclass(frozen=True)
class LeaderRow:
    id: int
    community_id: int
    name: str
    role: str
    phone: str
    language: str
    notes: str
    version: int = 1
    sex: str = ""


@dataclass
class CommunityFilter:
    text: str = ""
    district: str = ""
    kind: str = ""
    travel_means: str = ""


@dataclass
class _Parsed:
    values: dict = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def _int(parsed: _Parsed, name: str, text: str, low: int, high: int, message: str) -> None:
    text = text.strip().replace(" ", "")
    if not text:
        parsed.values[name] = None
        return
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        parsed.errors.append(FieldError(name, message))
    else:
        parsed.values[name] = value


def _decimal(parsed: _Parsed, name: str, text: str, low: Decimal, high: Decimal, message: str) -> None:
    text = text.strip().replace(" ", "")
    if not text:
        parsed.values[name] = None
        return
    try:
        value = Decimal(text.replace(",", ".")) if text.count(",") <= 1 else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not low <= value <= high:
        parsed.errors.append(FieldError(name, message))
    else:
        parsed.values[name] = value


def split_languages(text: str) -> tuple[list[str], list[str]]:
    """Codes of the spoken languages in ``text`` and the parts that were not understood."""
    codes, unknown = [], []
    for part in re.split(r"[;,/]", text):
        if not part.strip():
            continue
        code = parse(SPOKEN_LANGUAGES, part)
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def parse_community(form: CommunityForm) -> _Parsed:
    """Validate a community form; the messages name the field and say why."""
    p = _Parsed()
    name = clean(form.name)
    if not name:
        p.errors.append(FieldError("name", _("Escriba el nombre del centro poblado.")))
    elif len(name) > 120:
        p.errors.append(FieldError("name", _("El nombre es demasiado largo (máximo 120 caracteres).")))
    p.values["name"] = name
    district = form.district.strip()
    if not district:
        p.errors.append(FieldError("district", _("Elija el distrito (ubigeo).")))
    elif not re.fullmatch(r"\d{6}", district) or not District.select().where(District.code == district).exists():
        p.errors.append(
            FieldError("district", _("«{value}» no es un ubigeo de distrito del Perú.").format(value=district))
        )
    p.values["district"] = district
    kind = parse(COMMUNITY_KINDS, form.kind)
    if not form.kind.strip():
        p.errors.append(FieldError("kind", _("Elija el tipo de centro poblado.")))
    elif kind is None:
        p.errors.append(FieldError("kind", _("Tipo desconocido: «{value}».").format(value=form.kind.strip())))
    p.values["kind"] = kind
    _int(p, "population", form.population, 0, 1_000_000, _("La población es un número entero de 0 a 1 000 000."))
    _int(p, "households", form.households, 0, 500_000, _("Los hogares son un número entero de 0 a 500 000."))
    if (
        p.values.get("population") is not None
        and p.values.get("households") is not None
        and p.values["households"] > p.values["population"]
    ):
        p.errors.append(FieldError("households", _("No puede haber más hogares que habitantes.")))
    codes, unknown = split_languages(form.languages)
    if unknown:
        p.errors.append(FieldError("languages", _("Lengua desconocida: «{value}».").format(value=", ".join(unknown))))
    p.values["languages"] = ";".join(codes)
    _decimal(
        p, "distance_km", form.distance_km, Decimal(0), Decimal(1000), _("La distancia es un número de 0 a 1000 km.")
    )
    _int(
        p,
        "travel_minutes",
        form.travel_minutes,
        0,
        10_080,
        _("El tiempo de viaje es un número entero de minutos (hasta 10 080, una semana)."),
    )
    means = parse(TRAVEL_MEANS, form.travel_means) if form.travel_means.strip() else ""
    if means is None:
        p.errors.append(
            FieldError(
                "travel_means", _("Medio de transporte desconocido: «{value}».").format(value=form.travel_means.strip())
            )
        )
    p.values["travel_means"] = means or ""
    _decimal(p, "latitude", form.latitude, *LAT_RANGE, _("La latitud debe estar dentro del Perú (entre -18,5 y 0,1)."))
    _decimal(
        p, "longitude", form.longitude, *LON_RANGE, _("La longitud debe estar dentro del Perú (entre -81,5 y -68,5).")
    )
    has_lat = p.values.get("latitude") is not None
    has_lon = p.values.get("longitude") is not None
    if has_lat != has_lon and not any(e.field in ("latitude", "longitude") for e in p.errors):
        p.errors.append(
            FieldError("latitude" if not has_lat else "longitude", _("Escriba la latitud y la longitud, o ninguna."))
        )
    notes = (form.notes or "").strip()
    if len(notes) > 2000:
        p.errors.append(FieldError("notes", _("Las notas son demasiado largas (máximo 2000 caracteres).")))
    p.values["notes"] = notes
    return p


def parse_leader(form: LeaderForm) -> _Parsed:
    p = _Parsed()
    name = clean(form.name)
    if not name:
        p.errors.append(FieldError("name", _("Escriba el nombre del dirigente.")))
    elif len(name) > 120:
        p.errors.append(FieldError("name", _("El nombre es demasiado largo (máximo 120 caracteres).")))
    p.values["name"] = name
    role = parse(LEADER_ROLES, form.role)
    if not form.role.strip():
        p.errors.append(FieldError("role", _("Elija el cargo del dirigente.")))
    elif role is None:
        p.errors.append(FieldError("role", _("Cargo desconocido: «{value}».").format(value=form.role.strip())))
    p.values["role"] = role
    phone = re.sub(r"[\s()-]", "", form.phone or "")
    if phone and not PHONE_RE.match(phone):
        p.errors.append(FieldError("phone", _("El teléfono solo lleva números (de 6 a 15).")))
    p.values["phone"] = phone
    language = parse(SPOKEN_LANGUAGES, form.language) if form.language.strip() else ""
    if language is None:
        p.errors.append(FieldError("language", _("Lengua desconocida: «{value}».").format(value=form.language.strip())))
    p.values["language"] = language or ""
    p.values["notes"] = within((form.notes or "").strip(), 2000, "notes")
    sex = parse(SEXES, form.sex) if form.sex.strip() else ""
    if sex is None:
        p.errors.append(FieldError("sex", _("Elija el sexo: mujer u hombre.")))
    p.values["sex"] = sex or ""
    return p


def _row(c: Community, leader_count: int = 0) -> CommunityRow:
    return CommunityRow(
        c.id,
        c.uuid,
        c.name,
        c.district_id,
        c.district.name,
        c.kind,
        c.population,
        c.households,
        [code for code in c.languages.split(";") if code],
        c.distance_km,
        c.travel_minutes,
        c.travel_means,
        c.latitude,
        c.longitude,
        c.notes,
        leader_count,
        c.version,
    )


def _leader_row(leader: Leader) -> LeaderRow:
    return LeaderRow(leader.id, leader.community_id, leader.name, leader.role, leader.phone, leader.language, leader.notes,
                     leader.version, leader.sex)  # fmt: skip


def _in_use(community_id: int) -> bool:
    """Whether participantes live in, or atenciones, interventions, trips, diagnostics or campaigns
    were held in, the community."""
    from tambo_desktop.db.models import CampaignCommunity, Diagnostic, Intervention, TripStop

    return any(
        model.select().where(model.community == community_id).exists()
        for model in (Person, Attention, Intervention, TripStop, Diagnostic, CampaignCommunity)
    )


class CommunityService:
    """Create, change, list, import and export the communities and their leaders."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading --------------------------------------------------------------------------------

    def list(self, flt: CommunityFilter | None = None) -> builtins.list[CommunityRow]:
        self.session.require("communities.view")
        flt = flt or CommunityFilter()
        leaders = Leader.select(Leader.community, pw.fn.COUNT(Leader.id).alias("n")).group_by(Leader.community)
        counts = {cid: n for cid, n in tuples(leaders)}
        query = Community.select(Community, District).join(District).order_by(Community.name_key)
        for word in search_key(flt.text).split():
            leader_match = Leader.select(Leader.community).where(Leader.name_key.contains(word))
            query = query.where(
                Community.name_key.contains(word) | District.search_key.contains(word) | Community.id.in_(leader_match)
            )
        if flt.district:
            query = query.where(Community.district == flt.district)
        if flt.kind:
            query = query.where(Community.kind == flt.kind)
        if flt.travel_means:
            query = query.where(Community.travel_means == flt.travel_means)
        return [_row(c, counts.get(c.id, 0)) for c in query]

    def get(self, community_id: int) -> CommunityRow:
        self.session.require("communities.view")
        community = Community.get_or_none(Community.id == community_id)
        if community is None:
            raise NotFound(_("El centro poblado ya no existe."))
        return _row(community, community.leaders.count())

    def leaders(self, community_id: int) -> builtins.list[LeaderRow]:
        self.session.require("communities.view")
        query = Leader.select().where(Leader.community == community_id).order_by(Leader.name_key)
        return [_leader_row(x) for x in query]

    def count(self) -> int:
        self.session.require("communities.view")
        return Community.select().count()

    # -- writing --------------------------------------------------------------------------------

    def save(self, form: CommunityForm, community_id: int | None = None) -> int:
        """Create (no id) or update a community; raises ValidationError with every bad field."""
        self.session.require("communities.edit")
        parsed = parse_community(form)
        if not parsed.errors:
            self._check_duplicate(parsed.values, community_id)
        if parsed.errors:
            raise ValidationError(parsed.errors)
        with self.session.write():
            return self._store(parsed.values, community_id, form.version, form.on_top)

    def _check_duplicate(self, values: dict, community_id: int | None) -> None:
        exists = Community.select().where(
            (Community.name_key == search_key(values["name"]))
            & (Community.district == values["district"])
            & (Community.id != (community_id or 0))
        )
        if exists.exists():
            raise ValidationError(FieldError("name", _("Ya existe un centro poblado con ese nombre en ese distrito.")))

    def _store(self, values: dict, community_id: int | None, version: int | None = None, on_top: bool = False) -> int:
        found = Community() if community_id is None else Community.get_or_none(Community.id == community_id)
        if found is None:
            raise NotFound(_("El centro poblado ya no existe."))
        community = found
        for key, value in values.items():
            setattr(community, key, value)
        community.name_key = search_key(values["name"])
        self.session.save(community, summary=community.name, version=version, on_top=on_top)
        return community.id

    def delete(self, community_id: int) -> None:
        self.session.require("communities.delete")
        with self.session.write():
            community = Community.get_or_none(Community.id == community_id)
            if community is None:
                raise NotFound(_("El centro poblado ya no existe."))
            if _in_use(community_id):
                raise TamboError(
                    _(
                        "No se puede eliminar: este centro poblado tiene participantes, atenciones, "
                        "intervenciones, viajes o campañas."
                    )
                )
            for leader in community.leaders:
                self.session.delete(leader, summary=f"{leader.name} ({community.name})")
            self.session.delete(community, summary=community.name)

    def save_leader(self, community_id: int, form: LeaderForm, leader_id: int | None = None) -> int:
        self.session.require("communities.edit")
        parsed = parse_leader(form)
        if parsed.errors:
            raise ValidationError(parsed.errors)
        with self.session.write():
            return self._store_leader(community_id, parsed.values, leader_id, form.version, form.on_top)

    def _store_leader(self, community_id: int, values: dict, leader_id: int | None, version: int | None = None,
                      on_top: bool = False) -> int:  # fmt: skip
        if not Community.select().where(Community.id == community_id).exists():
            raise NotFound(_("El centro poblado ya no existe."))
        found = (Leader(community=community_id) if leader_id is None
                 else Leader.get_or_none((Leader.id == leader_id) & (Leader.community == community_id)))  # fmt: skip
        if found is None:
            raise NotFound(_("El dirigente ya no existe."))
        leader = found
        for key, value in values.items():
            setattr(leader, key, value)
        leader.name_key = search_key(values["name"])
        self.session.save(leader, summary=leader.name, version=version, on_top=on_top)
        return leader.id

    def delete_leader(self, leader_id: int) -> None:
        self.session.require("communities.edit")
        with self.session.write():
            leader = Leader.get_or_none(Leader.id == leader_id)
            if leader is None:
                raise NotFound(_("El dirigente ya no existe."))
            if Letter.select().where(Letter.leader == leader_id).exists():
                raise TamboError(_("No se puede eliminar: este dirigente recibió oficios. Corrija sus datos."))
            self.session.delete(leader, summary=leader.name)
