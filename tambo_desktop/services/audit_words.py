"""The audit trail's changes in words for people (issue 14, part 7): field labels instead of column
names, names instead of ids, labels instead of codes, dates in the language's format, "—" for
nothing, no JSON. The stored trail is not touched: this is how a line is read."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import peewee as pw

from tambo_desktop import i18n, vocabulary
from tambo_desktop.db import models
from tambo_desktop.i18n import N_, _
from tambo_desktop.services import ubigeo

#: A field's label by its column name: mostly the forms' own captions (shown without "&" and ":").
FIELD_LABELS = {
    "name": N_("Nombre"), "full_name": N_("Nombre completo"), "first_names": N_("Nombres"),
    "last_name_1": N_("Primer apellido"), "last_name_2": N_("Segundo apellido"), "notes": N_("Notas"),
    "active": N_("Activo"), "kind": N_("Tipo"), "role": N_("Cargo"), "language": N_("Lengua"),
    "languages": N_("Lenguas"), "first_language": N_("Lengua materna"), "default_language": N_("Idioma"),
    "phone": N_("Teléfono"), "community": N_("Centro poblado"), "centro_poblado": N_("Centro poblado"),
    "district": N_("Distrito"), "population": N_("Población"), "households": N_("Hogares"),
    "distance_km": N_("Distancia (km)"), "travel_minutes": N_("Viaje (minutos, ida):"),
    "travel_means": N_("Medio de transporte"), "latitude": N_("L&atitud:"), "longitude": N_("Lon&gitud:"),
    "capacity": N_("Capacidad"), "address": N_("Di&rección:"), "altitude_m": N_("&Altitud (m s. n. m.):"), "code": N_("Código"),
    "username": N_("Usuario"), "password_hash": N_("Contraseña"), "title": N_("&Título:"), "status": N_("Estado"),
    "starts_at": N_("Inicio"), "ends_at": N_("Fin"), "entity": N_("Entidad"), "reason": N_("Motivo"),
    "status_reason": N_("Motivo"), "sex": N_("Sexo"), "birth_date": N_("Fecha de nacimiento"),
    "document_type": N_("Documento"), "document_number": N_("Número"), "service": N_("Servicio"),
    "attended_at": N_("Fecha y hora"), "place": N_("Lugar"), "gestor": N_("Responsable"), "space": N_("Espacio"),
    "campaign": N_("Campaña"), "topic": N_("Tema"), "plate": N_("Placa"), "vehicle": N_("Vehículo"),
    "receipt": N_("Comprobante"), "agreements": N_("Acuerdos"), "activities": N_("Actividades"),
    "departs_at": N_("Salida"), "returns_at": N_("Regreso"), "trainer": N_("Capacitador"),
    "certification": N_("Certificación"), "is_demo": N_("Tambo de demostración"),
    "idle_lock_minutes": N_("&Bloquear la sesión tras (minutos sin uso):"), "voided": N_("Anulada"),
    "pages": N_("Páginas"), "options": N_("Opciones"),
}  # fmt: skip

#: Coded values: the vocabulary a field's codes come from, by record type (None: any record type).
_CODES: dict[tuple[str | None, str], dict[str, str]] = {
    ("community", "kind"): vocabulary.COMMUNITY_KINDS, ("space", "kind"): vocabulary.SPACE_KINDS,
    ("resource", "kind"): vocabulary.RESOURCE_KINDS, ("intervention", "kind"): vocabulary.INTERVENTION_KINDS,
    ("vehicle", "kind"): vocabulary.VEHICLE_KINDS, ("user", "role"): vocabulary.ROLES,
    ("leader", "role"): vocabulary.LEADER_ROLES, ("intervention", "status"): vocabulary.INTERVENTION_STATUSES,
    ("monthly_plan", "status"): vocabulary.PLAN_STATUSES, (None, "language"): vocabulary.SPOKEN_LANGUAGES,
    (None, "first_language"): vocabulary.SPOKEN_LANGUAGES, (None, "default_language"): vocabulary.SPOKEN_LANGUAGES,
    (None, "languages"): vocabulary.SPOKEN_LANGUAGES, (None, "travel_means"): vocabulary.TRAVEL_MEANS,
    (None, "means"): vocabulary.TRAVEL_MEANS, (None, "sex"): vocabulary.SEXES,
    (None, "document_type"): vocabulary.DOCUMENT_TYPES, (None, "place"): vocabulary.PLACES,
    (None, "topic"): vocabulary.TRAINING_TOPICS, (None, "audience"): vocabulary.TRAINING_AUDIENCES,
    (None, "purpose"): vocabulary.TRIP_PURPOSES,
}  # fmt: skip
#: A campaign document's kinds, as services/campaigns.py names them (the same msgids; not imported
#: from there: campaigns → session → audit → this module would be a cycle).
DOCUMENT_KINDS = {"flyer": N_("Volante"), "letters": N_("Oficios a los dirigentes"),
                  "delivery": N_("Lista de entrega de oficios"), "radio": N_("Guion de radio")}  # fmt: skip
_NAME_FIELDS = ("full_name", "name", "title", "title_es", "reference", "code", "username")


@dataclass(frozen=True)
class ChangeLine:
    field: str  # the field's label
    old: str
    new: str


def _models() -> dict[str, type[pw.Model]]:
    found: dict[str, type[pw.Model]] = {}
    for value in vars(models).values():
        if isinstance(value, type) and issubclass(value, pw.Model) and value is not pw.Model:
            found.setdefault(value._meta.table_name, value)  # type: ignore[attr-defined, unused-ignore]
    return found


def field_label(entity: str, field: str) -> str:
    if field in FIELD_LABELS:
        return _(FIELD_LABELS[field]).replace("&", "").rstrip(":")
    return field.replace("_", " ").capitalize()


def _name_of(model: type[pw.Model], record_id: object) -> str | None:
    record = model.get_or_none(model._meta.primary_key == record_id)  # type: ignore[attr-defined, unused-ignore]
    if record is None:
        return None
    if hasattr(record, "first_names") and hasattr(record, "last_name_1"):
        return " ".join(x for x in (record.first_names, record.last_name_1, getattr(record, "last_name_2", "")) if x)
    for name in _NAME_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def value_text(entity: str, field: str, value: object, table: dict[str, type[pw.Model]] | None = None) -> str:
    """One value as a person reads it."""
    if value is None or value == "":
        return "—"
    if value == "***":  # a secret: the trail only says it changed
        return _("(cambiada)")
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    codes = _CODES.get((entity, field)) or _CODES.get((None, field))
    if codes is None and (entity, field) == ("campaign_document", "kind"):
        codes = DOCUMENT_KINDS
    if codes is not None and isinstance(value, str):
        return ", ".join(vocabulary.label(codes, code) for code in value.split(";") if code)
    if field == "district" and isinstance(value, str):
        district = ubigeo.get(value)
        return district.label if district is not None else value
    model = (table or _models()).get(entity)
    column = model._meta.fields.get(field) if model is not None else None  # type: ignore[attr-defined, unused-ignore]
    if isinstance(column, pw.ForeignKeyField) and isinstance(value, int):
        name = _name_of(column.rel_model, value)
        return name if name else _("n.º {id}").format(id=value)
    if isinstance(value, str) and value[:1] in "{[" and value[-1:] in "}]":  # a stored JSON text
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict | list):
            return value_text(entity, field, parsed, table)
    if isinstance(value, str):
        for parse, form in ((dt.datetime.fromisoformat, "datetime"), (dt.date.fromisoformat, "date")):
            if len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
                try:
                    moment = parse(value)
                except ValueError:
                    continue
                if form == "datetime" and isinstance(moment, dt.datetime) and len(value) > 10:
                    return i18n.format_datetime(moment, "short")
                return i18n.format_date(moment if isinstance(moment, dt.date) else moment.date(), "short")
        return value
    if isinstance(value, int | float):
        return i18n.format_number(value) if isinstance(value, int) else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(entity, field, v, table) for v in value)
    if isinstance(value, dict):  # no JSON: «key: value; …»
        return "; ".join(f"{field_label(entity, str(key))}: {value_text(entity, str(key), v, table)}"
                         for key, v in value.items())  # fmt: skip
    return str(value)


def describe(entity: str, changes: dict) -> list[ChangeLine]:
    """Every change of one audit line, in words."""
    table = _models()
    lines = []
    for field, pair in changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        lines.append(ChangeLine(field_label(entity, field), value_text(entity, field, old, table),
                                value_text(entity, field, new, table)))  # fmt: skip
    return lines
