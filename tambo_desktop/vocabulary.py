"""Coded values of the domain and their translated labels (one place for each list).

Codes are stored in the database and in files; labels are shown in the user's language.
"""

from __future__ import annotations

from tambo_desktop.i18n import N_, _
from tambo_desktop.text import search_key

ROLES = {
    "admin": N_("Administrador"),
    "gestor": N_("Gestor"),
    "staff": N_("Personal de oficina"),
    "supervisor": N_("Supervisor (solo lectura)"),
}

COMMUNITY_KINDS = {
    "comunidad_campesina": N_("Comunidad campesina"),
    "comunidad_nativa": N_("Comunidad nativa"),
    "centro_poblado": N_("Centro poblado"),
    "anexo": N_("Anexo"),
    "caserio": N_("Caserío"),
    "parcialidad": N_("Parcialidad"),
    "barrio": N_("Barrio"),
}

TRAVEL_MEANS = {
    "a_pie": N_("A pie"),
    "motocicleta": N_("Motocicleta"),
    "camioneta": N_("Camioneta"),
    "bote": N_("Bote"),
    "acemila": N_("Acémila"),
}

LEADER_ROLES = {
    "alcalde_cp": N_("Alcalde de centro poblado"),
    "teniente_gobernador": N_("Teniente gobernador"),
    "presidente_comunal": N_("Presidente comunal"),
    "apu": N_("Apu"),
    "agente_municipal": N_("Agente municipal"),
    "juez_de_paz": N_("Juez de paz"),
    "presidenta_vaso_de_leche": N_("Presidenta del Vaso de Leche"),
    "otro": N_("Otro cargo"),
}

#: The languages a community, a leader or a person speaks. The interface's three keep their short codes
#: (es, qu, ay: ISO 639-1); every other one is keyed by its ISO 639-3 code. The list is the one of the
#: lenguas indígenas u originarias of Peru in the Ministry of Culture's Base de Datos de Pueblos
#: Indígenas u Originarios (BDPI, bdpi.cultura.gob.pe, «Lenguas indígenas u originarias»), with the
#: names it gives, and each one's code from the ISO 639-3 registry (SIL International, the registration
#: authority); docs/LANGUAGES.md explains the choices (Kichwa, Ashéninka, Harakbut, Kawki).
SPOKEN_LANGUAGES = {
    "es": N_("Castellano"),
    "qu": N_("Quechua"),
    "ay": N_("Aimara"),
    "acu": N_("Achuar"),
    "amc": N_("Amahuaca"),
    "arl": N_("Arabela"),
    "cni": N_("Asháninka"),
    "prq": N_("Ashéninka del Perené"),
    "cpu": N_("Ashéninka del Pichis"),
    "cjo": N_("Ashéninka del Gran Pajonal"),
    "cpc": N_("Ashéninka del Apurucayali"),
    "cpb": N_("Ashéninka del Ucayali-Yurúa"),
    "agr": N_("Awajún"),
    "boa": N_("Bora"),
    "cbs": N_("Cashinahua"),
    "ccc": N_("Chamikuro"),
    "ese": N_("Ese Eja"),
    "amr": N_("Harakbut (amarakaeri)"),
    "hug": N_("Harakbut (wachipaeri)"),
    "inp": N_("Iñapari"),
    "iqu": N_("Iquitu"),
    "isc": N_("Iskonawa"),
    "jqr": N_("Jaqaru"),
    "cbr": N_("Kakataibo"),
    "cot": N_("Kakinte"),
    "cbu": N_("Kandozi-Chapra"),
    "kaq": N_("Kapanawa"),
    "qvo": N_("Kichwa del Napo"),
    "qup": N_("Kichwa del Pastaza"),
    "qvs": N_("Kichwa de Lamas"),
    "cod": N_("Kukama"),
    "cul": N_("Madija"),
    "ore": N_("Maijuna"),
    "mcf": N_("Matsés"),
    "mcb": N_("Matsigenka"),
    "myr": N_("Muniche"),
    "huu": N_("Murui-Muinanɨ"),
    "cox": N_("Nanti"),
    "not": N_("Nomatsigenga"),
    "oca": N_("Ocaina"),
    "omg": N_("Omagua"),
    "rgr": N_("Resígaro"),
    "sey": N_("Secoya"),
    "mcd": N_("Sharanahua"),
    "cbt": N_("Shawi"),
    "shp": N_("Shipibo-konibo"),
    "jeb": N_("Shiwilu"),
    "trr": N_("Taushiro"),
    "tca": N_("Tikuna"),
    "ura": N_("Urarina"),
    "hub": N_("Wampis"),
    "yad": N_("Yagua"),
    "yaa": N_("Yaminahua"),
    "ame": N_("Yanesha"),
    "pib": N_("Yine"),
    "mts": N_("Yora"),
    "otro": N_("Otra lengua"),
}
#: The ISO 639-3 code of each spoken language (the interface's three have macrolanguage codes).
ISO_639_3 = {code: {"es": "spa", "qu": "que", "ay": "aym", "otro": ""}.get(code, code) for code in SPOKEN_LANGUAGES}
#: The codes this list used before ISO 639-3 (migration 19 rewrote them; imports still take them).
OLD_LANGUAGE_CODES = {"ashaninka": "cni", "awajun": "agr", "kukama": "cod", "shipibo": "shp"}

DOCUMENT_TYPES = {
    "dni": N_("DNI"),
    "ce": N_("Carné de extranjería"),
    "other": N_("Otro documento"),
    "none": N_("Sin documento"),
}

SEXES = {
    "F": N_("Mujer"),
    "M": N_("Hombre"),
}

#: Where an atención was delivered: at the tambo or in a community.
PLACES = {
    "inside": N_("Dentro de la plataforma"),
    "outside": N_("Fuera de la plataforma"),
}

#: The same two places named as a PIAS's staff say them: aboard the ship, or ashore at the stop.
PIAS_PLACES = {
    "inside": N_("A bordo de la PIAS"),
    "outside": N_("En tierra, fuera de la PIAS"),
}

#: Curso de vida: age at the date of the atención (see services/indicators.py).
AGE_GROUPS = {
    "0_11": N_("Niñez (0 a 11 años)"),
    "12_17": N_("Adolescencia (12 a 17 años)"),
    "18_29": N_("Juventud (18 a 29 años)"),
    "30_59": N_("Adultez (30 a 59 años)"),
    "60_plus": N_("Adulto mayor (60 años y más)"),
    "unknown": N_("Sin dato"),
}

SECTORS = {
    "health": N_("Salud"),
    "education": N_("Educación"),
    "social_inclusion": N_("Desarrollo e inclusión social"),
    "women": N_("Mujer y poblaciones vulnerables"),
    "agriculture": N_("Desarrollo agrario y riego"),
    "production": N_("Producción"),
    "culture": N_("Cultura"),
    "economy": N_("Economía y finanzas"),
    "transport": N_("Transportes y comunicaciones"),
    "housing": N_("Vivienda, construcción y saneamiento"),
    "environment": N_("Ambiente"),
    "energy": N_("Energía y minas"),
    "defense": N_("Defensa"),
    "presidency": N_("Presidencia del Consejo de Ministros"),
    "identity": N_("Identidad y registro civil"),
    "regional_government": N_("Gobierno regional"),
    "local_government": N_("Gobierno local"),
}

GOVERNMENT_LEVELS = {
    "national": N_("Nacional"),
    "regional": N_("Regional"),
    "local": N_("Local"),
}

SERVICE_CATEGORIES = {
    "health": N_("Salud"),
    "identity": N_("Identidad"),
    "banking": N_("Servicios financieros"),
    "social": N_("Programas sociales"),
    "education": N_("Educación"),
    "production": N_("Producción"),
    "protection": N_("Protección"),
    "culture": N_("Cultura"),
    "housing": N_("Vivienda y saneamiento"),
    "environment": N_("Ambiente"),
    "energy": N_("Energía"),
    "connectivity": N_("Conectividad"),
    "risk": N_("Gestión de riesgos"),
    "governance": N_("Gobernanza"),
}

SPACE_KINDS = {
    "auditorium": N_("Auditorio"),
    "consulting": N_("Consultorio"),
    "computer_room": N_("Sala de cómputo"),
    "meeting_room": N_("Sala de reuniones"),
    "yard": N_("Patio"),
    "lodging": N_("Alojamiento"),
    "other": N_("Otro espacio"),
}

RESOURCE_KINDS = {
    "motorcycle": N_("Motocicleta del tambo"),  # not "Motocicleta": that label means "by motorcycle" (TRAVEL_MEANS)
    "pickup": N_("Camioneta del tambo"),
    "boat": N_("Bote del tambo"),
    "projector": N_("Proyector"),
    "generator": N_("Grupo electrógeno"),
    "sound": N_("Equipo de sonido"),
    "other": N_("Otro recurso"),
}

#: Types of intervention used by PAIS.
INTERVENTION_KINDS = {
    "direct": N_("Ámbito directo"),
    "support": N_("Soporte a entidades"),
    "coordination": N_("Coordinación"),
}

#: requested → programmed → executed, or rescheduled / suspended with a reason.
INTERVENTION_STATUSES = {
    "requested": N_("Solicitada"),
    "programmed": N_("Programada"),
    "rescheduled": N_("Reprogramada"),
    "executed": N_("Ejecutada"),
    "suspended": N_("Suspendida"),
}

PLAN_STATUSES = {
    "draft": N_("Borrador"),
    "submitted": N_("Enviado al supervisor"),
    "approved": N_("Aprobado"),
    "returned": N_("Devuelto con observaciones"),
}

TRAINING_TOPICS = {
    "quality": N_("Gestión de la calidad (ISO 9001)"),
    "intercultural": N_("Enfoque intercultural"),
    "language": N_("Lengua originaria"),
    "protocol": N_("Protocolo de un servicio"),
    "productive": N_("Capacidades productivas"),
    "finance": N_("Educación financiera"),
    "digital": N_("Alfabetización digital"),
    "health": N_("Salud y nutrición"),
    "other": N_("Otro tema"),
}

TRAINING_AUDIENCES = {
    "staff": N_("Personal del tambo"),
    "community": N_("Comunidad"),
}

#: Where a session takes place.
SESSION_PLACES = {
    "inside": N_("En el tambo"),
    "outside": N_("En un centro poblado"),
    "online": N_("En línea"),
}

TRAINING_RESULTS = {
    "enrolled": N_("Inscrito"),
    "attended": N_("Asistió"),
    "passed": N_("Aprobó"),
    "failed": N_("Desaprobó"),
}

VEHICLE_KINDS = {
    "motorcycle": N_("Motocicleta del tambo"),
    "pickup": N_("Camioneta del tambo"),
    "boat": N_("Bote del tambo"),
}

TRIP_PURPOSES = {
    "diagnostic": N_("Diagnóstico de necesidades"),
    "coordination": N_("Coordinación con autoridades"),
    "intervention": N_("Acompañar una intervención"),
    "follow_up": N_("Seguimiento"),
    "campaign": N_("Campaña de difusión"),
}

#: A staff account's days away from the tambo, entered by an administrator; a feriado may be everyone's.
LEAVE_KINDS = {
    "vacaciones": N_("Vacaciones"),
    "licencia": N_("Licencia"),
    "descanso_medico": N_("Descanso médico"),
    "feriado": N_("Feriado"),
}

ECONOMIC_ACTIVITIES = {
    "guinea_pig": N_("Crianza de cuyes"),
    "alpaca": N_("Crianza de alpacas"),
    "sheep": N_("Crianza de ovinos"),
    "cattle": N_("Ganado vacuno"),
    "potato": N_("Cultivo de papa"),
    "quinoa": N_("Cultivo de quinua"),
    "trout": N_("Crianza de truchas"),
    "fishing": N_("Pesca"),
    "crafts": N_("Artesanía y tejido"),
    "commerce": N_("Comercio y feria"),
}

NEEDS = {
    "health": N_("Salud"),
    "anemia": N_("Anemia infantil"),
    "identity": N_("Documentos de identidad"),
    "water": N_("Agua y saneamiento"),
    "education": N_("Educación"),
    "production": N_("Producción"),
    "protection": N_("Protección (violencia, adultos mayores)"),
    "social_programs": N_("Programas sociales"),
    "banking": N_("Servicios financieros"),
    "frost": N_("Heladas y friaje"),
    "connectivity": N_("Conectividad"),
    "housing": N_("Vivienda"),
}


CAMPAIGN_CHANNELS = {
    "radio": N_("Radio"),
    "tv": N_("Televisión"),
    "loudspeaker": N_("Altoparlante"),
    "leaders": N_("Boca a boca con los dirigentes"),
    "flyers": N_("Volantes"),
    "posters": N_("Afiches"),
}

#: What to bring, printed on flyers and read on the radio.
BRING_ITEMS = {
    "dni": N_("DNI"),
    "minor_dni": N_("DNI o partida de nacimiento de los niños"),
    "vaccination_card": N_("Carné de vacunación"),
    "health_card": N_("Carné del SIS"),
    "bank_card": N_("Tarjeta del Banco de la Nación"),
    "receipt": N_("Recibo de luz o de agua"),
}

CAMPAIGN_LAYOUTS = {
    "side": N_("Lado a lado"),
    "stacked": N_("Uno sobre otro"),
}

FLYER_TEMPLATES = {
    "a4": N_("Afiche A4"),
    "a5": N_("Volante A5 (dos por hoja)"),
    "a6": N_("Volante A6 (cuatro por hoja)"),
}

#: The languages a campaign's material is written in besides Spanish.
CAMPAIGN_LANGUAGES = {
    "qu": N_("Quechua"),
    "ay": N_("Aimara"),
}

#: A fixed tambo or a PIAS (plataforma itinerante de acción social: a ship on the rivers or the lake).
PLATFORM_KINDS = {
    "tambo": N_("Tambo (plataforma fija)"),
    "pias": N_("PIAS (plataforma itinerante, un barco)"),
}

#: The modules aboard a PIAS's ship (they take the place of a building's spaces).
SHIP_MODULES = {
    "consulting": N_("Consultorio médico"),
    "dental": N_("Consultorio dental"),
    "lab": N_("Laboratorio"),
    "pharmacy": N_("Farmacia"),
    "reniec": N_("Oficina de RENIEC"),
    "bank": N_("Ventanilla del Banco de la Nación"),
    "social": N_("Módulo de programas sociales"),
    "auditorium": N_("Sala de usos múltiples"),
}

#: What became of a stop of a voyage's route.
STOP_STATUSES = {
    "planned": N_("Programada"),
    "reached": N_("Atendida"),
    "skipped": N_("No se llegó"),
}

#: The lines of a voyage's history.
VOYAGE_ACTIONS = {
    "planned": N_("Travesía programada"),
    "stop_added": N_("Parada añadida"),
    "rescheduled": N_("Parada reprogramada"),
    "skipped": N_("Parada omitida"),
    "reached": N_("Llegada a la parada"),
    "entities": N_("Entidades a bordo cambiadas"),
    "changed": N_("Datos de la travesía cambiados"),
}


def label(vocabulary: dict[str, str], code: str | None) -> str:
    """The translated label of ``code`` (the code itself when unknown)."""
    if not code:
        return ""
    return _(vocabulary[code]) if code in vocabulary else code


def parse(vocabulary: dict[str, str], text: str) -> str | None:
    """Find the code for ``text``: a code, or a label in Spanish, Quechua or Aymara."""
    from tambo_desktop.i18n import language_codes, use_language

    key = search_key(text).replace(" ", "_")
    if not key:
        return None
    if vocabulary is SPOKEN_LANGUAGES:  # the ISO 639-3 code of es/qu/ay, or a code used before it
        key = {iso: code for code, iso in ISO_639_3.items() if iso}.get(key, OLD_LANGUAGE_CODES.get(key, key))
    for code in vocabulary:
        if search_key(code) == key:
            return code
    for lang in language_codes():
        with use_language(lang):
            for code, msg in vocabulary.items():
                if search_key(_(msg)).replace(" ", "_") == key or search_key(msg).replace(" ", "_") == key:
                    return code
    return None
