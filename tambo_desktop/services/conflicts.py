"""A save from a stale copy (issue 17, part 1): who saved the record meanwhile, when, and their
values beside this user's, as the user knows the fields (labels in their language, not keys)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import peewee as pw

from tambo_desktop import i18n, vocabulary
from tambo_desktop.db.models import BusinessModel, User
from tambo_desktop.errors import Difference, StaleRecord
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import person_form

#: The fields of the records two PCs edit, as their forms name them (a form's own label, "&X:", is
#: shown as "X": the same words, translated once).
FIELD_LABELS: dict[str, dict[str, str]] = {
    "person": {**person_form.FIELD_LABELS, "opposition": N_("Oposición al uso de sus datos")},
    "community": {
        "name": N_("Nombre"),
        "district": N_("Distrito"),
        "kind": N_("Tipo"),
        "population": N_("Población"),
        "households": N_("Hogares"),
        "languages": N_("Lenguas"),
        "distance_km": N_("Distancia (km)"),
        "travel_minutes": N_("Tiempo (min)"),
        "travel_means": N_("Medio de transporte"),
        "latitude": N_("L&atitud:"),
        "longitude": N_("Lon&gitud:"),
        "notes": N_("Notas"),
    },
    "leader": {
        "name": N_("Nombre"),
        "role": N_("Cargo"),
        "phone": N_("Teléfono"),
        "language": N_("Lengua"),
        "notes": N_("Notas"),
        "sex": N_("Sexo"),
    },
    "intervention": {
        "title": N_("&Título:"),
        "entity": N_("Entidad"),
        "kind": N_("Tipo"),
        "place": N_("Lugar"),
        "space": N_("Espacio"),
        "community": N_("Centro poblado"),
        "travel_minutes": N_("Tiempo (min)"),
        "starts_at": N_("Inicio"),
        "ends_at": N_("Fin"),
        "gestor": N_("Gestor"),
        "expected_participants": N_("Participantes esperados:"),
        "contact_name": N_("Contacto de la entidad:"),
        "contact_phone": N_("Teléfono del contacto:"),
        "notes": N_("Notas"),
        "status": N_("Estado"),
    },
    "trip": {
        "gestor": N_("Gestor"),
        "departs_at": N_("&Salida:"),
        "returns_at": N_("&Regreso:"),
        "purpose": N_("&Motivo:"),
        "means": N_("Medio de transporte:"),
        "vehicle": N_("&Vehículo:"),
        "odometer_start": N_("Odómetro (km), salida → regreso:"),
        "fuel_gallons": N_("Combustible comprado (galones):"),
        "fuel_soles": N_("soles:"),
        "receipt": N_("comprobante:"),
        "people_met": N_("Personas con quienes se reunió:"),
        "activities": N_("Actividades:"),
        "agreements": N_("Acuerdos:"),
        "intervention_uuid": N_("Intervención:"),
    },
    "course": {
        "title": N_("&Nombre:"),
        "topic": N_("&Tema:"),
        "audience": N_("&Dirigida a:"),
        "entity": N_("&Entidad:"),
        "provider": N_("Quién la da:"),
        "trainer": N_("Capacitador:"),
        "language": N_("&Lengua en que se dicta:"),
        "certification": N_("Certificación que otorga:"),
        "validity_months": N_("Vigencia (meses):"),
        "notes": N_("Notas:"),
    },
    "course_session": {
        "starts_at": N_("Inicio"),
        "ends_at": N_("Fin"),
        "place": N_("Lugar"),
        "space": N_("Espacio"),
        "community": N_("Centro poblado"),
    },
    "space": {
        "name": N_("&Nombre:"),
        "kind": N_("&Tipo:"),
        "capacity": N_("&Capacidad (personas):"),
        "active": N_("En uso (se puede reservar)"),
        "notes": N_("Notas:"),
    },
    "resource": {
        "name": N_("&Nombre:"),
        "kind": N_("&Tipo:"),
        "active": N_("En uso (se puede reservar)"),
        "notes": N_("Notas:"),
    },
    "user": {
        "username": N_("&Usuario:"),
        "full_name": N_("&Nombre completo:"),
        "role": N_("&Rol:"),
        "language": N_("&Idioma:"),
        "active": N_("Cuenta &activa:"),
    },
    "monthly_goal": {"entity": N_("Entidad"), "attentions_goal": N_("Atenciones"), "users_goal": N_("Usuarios")},
    "fuel_allocation": {"vehicle": N_("Vehículo"), "gallons": N_("Asignado (gal)"), "soles": N_("Soles asignados")},
    "vehicle": {
        "name": N_("Nombre:"),
        "kind": N_("Tipo:"),
        "plate": N_("Placa:"),
        "km_per_gallon": N_("Km por galón (lo usual):"),
        "resource": N_("Recurso"),
        "active": N_("En uso"),
    },  # fmt: skip
    "campaign": {
        "title_es": N_("Título en castellano:"),
        "title_local": N_("Título en la lengua:"),
        "local_language": N_("Lengua de las comunidades:"),
        "layout": N_("Los dos idiomas:"),
        "message_es": N_("Mensaje en castellano:"),
        "message_local": N_("Mensaje en la lengua:"),
        "starts_on": N_("Empieza:"),
        "channels": N_("Canales:"),
        "bring": N_("Qué traer:"),
        "photo": N_("Foto:"),
        "radio_es": N_("Guion de radio en castellano"),
        "radio_local": N_("Guion de radio en la lengua"),
        "notes": N_("Notas:"),
    },
}

#: Coded fields shown by their labels.
_CODES: dict[str, dict[str, dict[str, str]]] = {
    "person": {"sex": vocabulary.SEXES, "document_type": vocabulary.DOCUMENT_TYPES,
               "first_language": vocabulary.SPOKEN_LANGUAGES},
    "community": {"kind": vocabulary.COMMUNITY_KINDS, "travel_means": vocabulary.TRAVEL_MEANS,
                  "languages": vocabulary.SPOKEN_LANGUAGES},
    "leader": {"role": vocabulary.LEADER_ROLES, "language": vocabulary.SPOKEN_LANGUAGES, "sex": vocabulary.SEXES},
    "intervention": {"kind": vocabulary.INTERVENTION_KINDS, "place": vocabulary.PLACES,
                     "status": vocabulary.INTERVENTION_STATUSES},
    "trip": {"purpose": vocabulary.TRIP_PURPOSES, "means": vocabulary.TRAVEL_MEANS},
    "course": {"topic": vocabulary.TRAINING_TOPICS, "audience": vocabulary.TRAINING_AUDIENCES,
               "language": vocabulary.SPOKEN_LANGUAGES},
    "course_session": {"place": vocabulary.SESSION_PLACES},
    "space": {"kind": vocabulary.SPACE_KINDS},
    "user": {"role": vocabulary.ROLES},
    "resource": {"kind": vocabulary.RESOURCE_KINDS},
    "vehicle": {"kind": vocabulary.VEHICLE_KINDS},
    "campaign": {"local_language": vocabulary.CAMPAIGN_LANGUAGES, "layout": vocabulary.CAMPAIGN_LAYOUTS,
                 "channels": vocabulary.CAMPAIGN_CHANNELS, "bring": vocabulary.BRING_ITEMS},
}  # fmt: skip
#: Bookkeeping that differs between any two saves and is no one's typing.
_IGNORED = {"id", "uuid", "tambo_code", "created_at", "created_by", "updated_at", "updated_by", "version",
            "name_key", "search_key", "password_hash", "failed_logins", "last_login_at", "locked_until"}  # fmt: skip


def who(username: str) -> str:
    """The full name of the account ``username`` (the user name when it is not an account)."""
    account = User.get_or_none(User.username == username)
    return account.full_name if account is not None and account.full_name else username


def _related(field: pw.ForeignKeyField, key: object) -> str:
    target = field.rel_model.get_or_none(field.rel_field == key)
    if target is None:
        return str(key)
    for name in ("name", "title", "full_name"):
        if isinstance(getattr(target, name, None), str):
            return getattr(target, name)
    return str(key)


def show(entity: str, record: BusinessModel, name: str) -> str:
    """A field's value of ``record`` as the user reads it."""
    field = record._meta.fields[name]
    value = record.__data__.get(name)
    if value is None or value == "":
        return "—"
    codes = _CODES.get(entity, {}).get(name)
    if codes is not None:
        parts = [p for p in re.split(r"[;,]", str(value)) if p]
        return ", ".join(vocabulary.label(codes, p) for p in parts)
    if isinstance(field, pw.ForeignKeyField):
        return _related(field, value)
    if isinstance(value, bytes | memoryview):
        return _("Con foto")  # the only binary field two PCs edit: a campaign's photo
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, dt.datetime):
        return i18n.format_datetime(value, "short")
    if isinstance(value, dt.date):
        return i18n.format_date(value)
    if isinstance(value, Decimal | float | int):
        return i18n.format_number(value)
    return str(value)


def differences(current: BusinessModel, mine: BusinessModel) -> list[Difference]:
    """The fields where the saved row and this user's copy differ (the form's order)."""
    entity = current._meta.table_name
    labels = FIELD_LABELS.get(entity, {})
    names = [*labels, *(n for n in current._meta.fields if n not in labels)]
    found = []
    for name in names:
        if name in _IGNORED or name not in current._meta.fields:
            continue
        theirs, yours = current.__data__.get(name), mine.__data__.get(name)
        if theirs == yours or (theirs in (None, "") and yours in (None, "")):
            continue
        label = _(labels[name]).replace("&", "").rstrip(":") if name in labels else name.replace("_", " ")
        found.append(Difference(name, label, show(entity, current, name), show(entity, mine, name)))
    return found


def changed_at(current: BusinessModel) -> str:
    return i18n.format_datetime(i18n.local_time(current.updated_at), "short")


def stale(current: BusinessModel, mine: BusinessModel) -> StaleRecord:
    """The refusal of ``mine``, read before ``current`` was saved."""
    name, when = who(current.updated_by), changed_at(current)
    found = differences(current, mine)
    lines = [_("{who} guardó este registro el {when}, mientras usted lo tenía abierto: sus cambios no se guardaron, "
               "para no borrar los de {who}.").format(who=name, when=when)]  # fmt: skip
    lines += [_("{field}: «{theirs}» según {who}; «{yours}» según usted.").format(
        field=d.label, theirs=d.theirs, yours=d.yours, who=name) for d in found]  # fmt: skip
    lines.append(_("Vuelva a cargar los datos, o aplique los suyos encima de los de {who}.").format(who=name))
    return StaleRecord("\n".join(lines), name, when, found, current.version)


def on_top_summary(summary: str, current: BusinessModel) -> str:
    """The audit summary of a save applied on top of another user's."""
    note = _("aplicado encima del cambio de {who} del {when}").format(
        who=who(current.updated_by), when=changed_at(current)
    )
    return f"{summary} · {note}" if summary else note
