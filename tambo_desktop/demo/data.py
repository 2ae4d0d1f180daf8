"""Generated demo data: the participantes, atenciones and monthly goals of the demo tambo.

Three sizes (:data:`SIZES`): ``small`` (the three months before this one and this month so far:
enough for every page to look alive), ``year`` (twelve months: about 3,000 people and 20,000
atenciones) and ``large`` (five years: 20,000 people and 500,000 atenciones, the benchmarks' database).

What makes it look like a tambo of the Puno altiplano (Acora):

* people: Aymara and Quechua surnames of the altiplano with Spanish first names (older names for the
  elders, newer ones for the young), an age pyramid of a rural district with young adults gone to
  the cities, residents of the demo communities (more from the big and near ones), first language
  by community and age, DNIs of 8 digits (kept as text, leading zeros included) whose range follows
  the birth year; some babies, children and very old people have none (a few bring a certificate of
  live birth), a few Bolivian neighbours a carné de extranjería;
* atenciones: busier Monday to Thursday, a quiet Saturday, almost nothing on Sunday and none on
  public holidays; the Candelaria fortnight and December are quiet, the frost months busy;
  two or three campaign days a month (vaccination, DNI, Banco de la Nación payment day, SIS,
  frost kits in May–July, alpaca health, women's and elders' health) with their crowds; services
  chosen by the person's age and sex at the date (CRED and vaccines for small children, HPV for
  girls, prenatal checks, Pensión 65 payments from 65...); one to three services per visit; most
  at the tambo, some outside on trip days to a community, mostly its residents; a few voided with
  a reason; the registry grows: many people registered in the first weeks, then a steady trickle;
* monthly goals (metas) of the tambo and of its main entities, near what was reached.

Deterministic: the same size, ``seed`` and day of ``until`` give the same rows, uuids included
(they come from the seeded generator). Dates count back from ``until``, and the atenciones of
its day stop at its time of day.

Rows are written in chunks inside one write transaction (all or nothing), by the statement peewee's
``insert_many`` writes and the driver's ``executemany``; the audit trail gets one entry per kind of
record (people, atenciones, goals), not one per row. Loading is idempotent for the same size and
seed, and refused on a database that already holds other people, atenciones or goals.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, Community, Entity, MonthlyGoal, Person, Service, Setting
from tambo_desktop.demo import campaigns as demo_campaigns
from tambo_desktop.demo import staff as demo_staff
from tambo_desktop.demo import training as demo_training
from tambo_desktop.demo import trips
from tambo_desktop.demo.calendar import UTC_OFFSET, DemoCalendar, seeded_uuid
from tambo_desktop.demo.calendar import write as write_calendar
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _, format_number
from tambo_desktop.services.indicators import age_at
from tambo_desktop.services.person_form import name_key
from tambo_desktop.services.session import Session

DEFAULT_SEED = 1
#: The Setting that remembers which generated data a demo database holds (for idempotence).
SETTING_KEY = "demo_data"
#: Rows per chunk (a multi-row INSERT stays under SQLite's 32,766 bound parameters).
CHUNK = 1000
#: Staff usernames of the demo tambo who record the rows.
DESK, GESTOR, ADMIN = "oficina", "gestor", "admin"


@dataclass(frozen=True)
class DemoSize:
    name: str
    months: int  # whole months before the month of ``until``
    persons: int
    attentions: int  # about; the exact number depends on the seed


SIZES: dict[str, DemoSize] = {
    "small": DemoSize("small", 3, 250, 1_500),
    "year": DemoSize("year", 12, 3_000, 20_000),
    "large": DemoSize("large", 60, 20_000, 500_000),
}


@dataclass(frozen=True)
class DataSummary:
    size: str
    seed: int
    loaded: bool  # False: the same data was already there (nothing written)
    persons: int
    attentions: int
    voided: int
    goals: int


# -- names ------------------------------------------------------------------------------------------

#: Surnames of the Puno altiplano (Aymara, Quechua and Spanish), with rough frequencies.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("Mamani", 18), ("Quispe", 14), ("Condori", 10), ("Huanca", 6), ("Apaza", 6), ("Choque", 6),
    ("Flores", 4), ("Ticona", 4), ("Cutipa", 3), ("Chambi", 3), ("Coaquira", 3), ("Ccama", 3), ("Pari", 3),
    ("Calisaya", 2.5), ("Chura", 2.5), ("Larico", 2), ("Limachi", 2), ("Layme", 2), ("Cruz", 2), ("Ramos", 2),
    ("Machaca", 2), ("Colque", 2), ("Vilca", 2), ("Huaquisto", 1.5), ("Chambilla", 1.5), ("Huarachi", 1.5),
    ("Maquera", 1.5), ("Tito", 1.5), ("Chipana", 1.5), ("Nina", 1.5), ("Luque", 1.5), ("Gutiérrez", 1.5),
    ("Pacompia", 1), ("Ccallo", 1), ("Cahui", 1), ("Aro", 1), ("Ccori", 1), ("Yupanqui", 1), ("Ancco", 1),
    ("Mayta", 1), ("Charca", 1), ("Tarqui", 1), ("Zapana", 1), ("Catacora", 1), ("Coila", 1),
    ("Choquehuanca", 1), ("Velásquez", 1), ("Pérez", 1), ("Torres", 1), ("Rojas", 1), ("Lupaca", 0.8),
    ("Illaquita", 0.5), ("Anahua", 0.5), ("Sucasaire", 0.5), ("Ayamamani", 0.5), ("Huanacuni", 0.5),
)  # fmt: skip

#: First names by sex and generation (born before 1960, 1960-84, 1985-2004, from 2005).
FIRST_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "F": (
        ("Hilaria", "Rufina", "Eulogia", "Paulina", "Florentina", "Justina", "Marcelina", "Dionisia", "Juana",
         "Francisca", "Gregoria", "Valentina", "Asunta", "Martina", "Candelaria", "Bernardina", "Celestina",
         "Damiana", "Teodora", "Leonarda", "Simona", "Petronila", "Apolonia", "Eusebia", "Felícitas", "Modesta",
         "Agustina", "Santusa", "Nicolasa", "Victoria"),
        ("María", "Rosa", "Lucía", "Carmen", "Juana", "Nelly", "Elena", "Isabel", "Julia", "Marisol", "Yolanda",
         "Gladys", "Sonia", "Rocío", "Norma", "Teresa", "Elsa", "Betty", "Ruth", "Marleni", "Lidia", "Hilda",
         "Celia", "Delia", "Nancy", "Maribel", "Irma", "Vilma", "Hortencia", "Sabina"),
        ("Yesenia", "Milagros", "Luz Marina", "Roxana", "Yaneth", "Wendy", "Lizbeth", "Karina", "Yeny",
         "Katherine", "Judith", "Rosmery", "Deysi", "Nayda", "Elizabeth", "Miriam", "Diana", "Flor", "Sheyla",
         "Madeleyne", "Erika", "Maritza", "Soledad", "Ruth Mery"),
        ("Nayeli", "Dayana", "Kiara", "Mayra", "Ariana", "Camila", "Valeria", "Luana", "Danna", "Fiorela",
         "Jhoselyn", "Brigitte", "Xiomara", "Killa", "Sumaq", "Ch'aska", "Nayra", "Alessia", "Kimberly", "Angie",
         "Naysha", "Zoe", "Wara", "Thalía"),
    ),
    "M": (
        ("Fortunato", "Eusebio", "Saturnino", "Anacleto", "Celestino", "Teodoro", "Severino", "Benedicto",
         "Demetrio", "Isidro", "Gregorio", "Valentín", "Leoncio", "Marcelino", "Julián", "Cipriano", "Mariano",
         "Hipólito", "Faustino", "Bonifacio", "Sebastián", "Gumercindo", "Florencio", "Crisóstomo", "Epifanio",
         "Pascual", "Nazario", "Dionisio"),
        ("Juan", "José", "Pedro", "Wilber", "Néstor", "Marcos", "Alejandro", "Javier", "Mario", "Víctor", "Luis",
         "Carlos", "Jorge", "Felipe", "Edgar", "Rubén", "Hugo", "Walter", "Germán", "Freddy", "Efraín", "Fidel",
         "Alberto", "Raúl", "Rolando", "Percy", "Teófilo", "Hernán"),
        ("Wilson", "Edwin", "Elvis", "Henry", "Yony", "Rony", "Roger", "Fredy", "Wilfredo", "Rudy", "Jhon", "Yimi",
         "Edson", "Franklin", "Ronald", "Richard", "Clever", "Nilton", "Alex", "Eber", "Jhonatan", "Deyvis",
         "Yuri", "Elmer"),
        ("Brayan", "Yeferson", "Thiago", "Mateo", "Jhon", "Kevin", "Jhordan", "Dylan", "Santiago", "Anthony",
         "Liam", "Gael", "Jhair", "Inti", "Amaru", "Wayra", "Luan", "Sebastián", "Joaquín", "Mayta", "Fabricio",
         "Adriel"),
    ),
}  # fmt: skip
_SECOND_NAMES = {
    "F": ("Luz", "Rosa", "María", "Isabel", "Elena", "Marina"),
    "M": ("Carlos", "José", "Luis", "Alberto", "Antonio", "David"),
}

#: Share of people by age in 5-year bands (0-4 ... 95-99): a rural Puno district, young adults gone.
PYRAMID = (8.5, 9.0, 9.0, 8.0, 6.0, 5.5, 5.8, 6.0, 5.8, 5.5, 5.2, 4.8, 4.5, 4.2, 3.8, 3.2, 2.4, 1.5, 0.7, 0.2)

NOTES_ANY = (
    "Requiere intérprete en aimara",
    "Persona con discapacidad visual",
    "Perdió su DNI en la feria de Acora",
    "Prefiere que la llamen por la tarde",
    "Dirigente de su comunidad",
    "Vive lejos de la carretera; avisar por el teniente gobernador",
)
NOTES_ELDER = (
    "Vive sola; visita domiciliaria en época de heladas",
    "Viene acompañada de su hija",
    "Usa bastón; atender sentada",
)
NOTES_PREGNANT = ("Gestante; control en el puesto de salud de Socca",)
VOID_REASONS = (
    "Registrada por error",
    "Servicio registrado dos veces",
    "Se eligió a otra persona",
    "El servicio no se llegó a brindar",
    "Fecha equivocada; se registró de nuevo",
    "Servicio equivocado",
)

# -- services -----------------------------------------------------------------------------------------


def _months(spec: str, factor: float, other: float = 1.0) -> tuple[float, ...]:
    """Month factors (index 1..12): ``factor`` in the months of ``spec`` ("5-7", "2,3", "12-3"), else ``other``."""
    chosen: set[int] = set()
    for part in spec.split(","):
        lo, _sep, hi = part.partition("-")
        a, b = int(lo), int(hi or lo)
        m = a
        while True:
            chosen.add(m)
            if m == b:
                break
            m = m % 12 + 1
    return (0.0,) + tuple(factor if m in chosen else other for m in range(1, 13))


ALL_YEAR = (0.0,) + (1.0,) * 12
FROST = _months("5-7", 4.0, 0.15)  # heladas y friaje
INFLUENZA = _months("4-6", 4.0, 0.5)
SCHOOL = _months("2-3", 4.0, 0.6)
SOWING = _months("8-11", 2.0, 0.6)
RAINY = _months("12-3", 2.0, 0.7)
ALPACA = _months("1-4", 2.0, 0.8)
ELDERS_MONTH = _months("8", 2.0)

#: Who receives each service: (code, weight, age from, age to, sex or "", month factors).
#: A code may appear twice (e.g. for children and for elders); the weights add up.
SERVICE_RULES: tuple[tuple[str, float, int, int, str, tuple[float, ...]], ...] = (
    ("reniec_dni_first", 2.0, 17, 19, "", ALL_YEAR),
    ("reniec_dni_first", 0.1, 20, 120, "", ALL_YEAR),
    ("reniec_dni_minor", 4.0, 0, 16, "", ALL_YEAR),
    ("reniec_dni_renewal", 3.0, 18, 120, "", ALL_YEAR),
    ("reniec_dni_duplicate", 1.5, 18, 120, "", ALL_YEAR),
    ("reniec_dni_update", 1.2, 18, 120, "", ALL_YEAR),
    ("reniec_dni_delivery", 2.0, 0, 120, "", ALL_YEAR),
    ("reniec_birth_late", 0.2, 0, 120, "", ALL_YEAR),
    ("reniec_record_rectification", 0.4, 0, 120, "", ALL_YEAR),
    ("reniec_record_copy", 0.8, 0, 120, "", ALL_YEAR),
    ("minsa_vaccination_regular", 8.0, 0, 5, "", ALL_YEAR),
    ("minsa_vaccination_influenza", 3.0, 0, 5, "", INFLUENZA),
    ("minsa_vaccination_influenza", 3.0, 60, 120, "", INFLUENZA),
    ("minsa_vaccination_influenza", 0.5, 6, 59, "", INFLUENZA),
    ("minsa_vaccination_covid", 0.4, 5, 120, "", ALL_YEAR),
    ("minsa_vaccination_hpv", 5.0, 9, 13, "F", SCHOOL),
    ("minsa_prenatal_check", 3.0, 15, 44, "F", ALL_YEAR),
    ("minsa_hemoglobin", 4.0, 0, 11, "", ALL_YEAR),
    ("minsa_hemoglobin", 1.0, 12, 44, "F", ALL_YEAR),
    ("minsa_iron_supplement", 4.0, 0, 3, "", ALL_YEAR),
    ("minsa_iron_supplement", 1.0, 12, 44, "F", ALL_YEAR),
    ("minsa_cred", 6.0, 0, 11, "", ALL_YEAR),
    ("minsa_dental", 1.2, 3, 120, "", ALL_YEAR),
    ("minsa_general_consult", 2.5, 0, 120, "", ALL_YEAR),
    ("minsa_general_consult", 3.0, 60, 120, "", ALL_YEAR),
    ("minsa_family_planning", 1.5, 15, 49, "F", ALL_YEAR),
    ("minsa_family_planning", 0.3, 18, 59, "M", ALL_YEAR),
    ("minsa_cancer_screening", 1.2, 25, 64, "F", ALL_YEAR),
    ("minsa_mental_health", 0.6, 12, 120, "", ALL_YEAR),
    ("diresa_tb_screening", 0.8, 10, 120, "", ALL_YEAR),
    ("diresa_ophthalmology", 0.8, 40, 120, "", ALL_YEAR),
    ("diresa_ophthalmology", 0.3, 6, 17, "", ALL_YEAR),
    ("sis_enrolment", 2.5, 0, 120, "", ALL_YEAR),
    ("sis_update", 2.0, 0, 120, "", ALL_YEAR),
    ("sis_consult", 1.5, 18, 120, "", ALL_YEAR),
    ("bn_pension65_payment", 14.0, 65, 120, "", ALL_YEAR),
    ("bn_juntos_payment", 6.0, 18, 49, "F", ALL_YEAR),
    ("bn_contigo_payment", 0.3, 18, 120, "", ALL_YEAR),
    ("bn_account_opening", 0.8, 18, 120, "", ALL_YEAR),
    ("bn_card_delivery", 0.8, 18, 120, "", ALL_YEAR),
    ("bn_card_delivery", 1.0, 65, 120, "", ALL_YEAR),
    ("bn_financial_education", 0.8, 18, 120, "", ALL_YEAR),
    ("mef_public_investment", 0.1, 25, 120, "", ALL_YEAR),
    ("midis_household_classification", 1.0, 18, 120, "", ALL_YEAR),
    ("pais_citizen_orientation", 4.0, 15, 120, "", ALL_YEAR),
    ("pais_community_assembly", 1.5, 18, 120, "", ALL_YEAR),
    ("pais_internet_access", 3.0, 10, 40, "", ALL_YEAR),
    ("pais_digital_literacy", 1.0, 10, 59, "", ALL_YEAR),
    ("juntos_enrolment", 1.0, 15, 49, "F", ALL_YEAR),
    ("juntos_coresponsibility", 2.0, 15, 49, "F", ALL_YEAR),
    ("juntos_coresponsibility", 0.8, 0, 17, "", ALL_YEAR),
    ("pension65_enrolment", 1.5, 65, 120, "", ALL_YEAR),
    ("pension65_saberes", 2.0, 65, 120, "", ELDERS_MONTH),
    ("pension65_health_check", 3.0, 65, 120, "", ELDERS_MONTH),
    ("cunamas_home_visit", 2.0, 0, 3, "", ALL_YEAR),
    ("cunamas_family_session", 1.2, 15, 40, "F", ALL_YEAR),
    ("contigo_enrolment", 0.15, 0, 120, "", ALL_YEAR),
    ("foncodes_haku_winay", 1.0, 20, 70, "", ALL_YEAR),
    ("foncodes_improved_kitchen", 0.6, 20, 80, "", ALL_YEAR),
    ("wasimikuna_committee", 0.6, 20, 60, "F", SCHOOL),
    ("minedu_adult_literacy", 0.4, 15, 120, "", ALL_YEAR),
    ("minedu_adult_literacy", 0.6, 40, 120, "F", ALL_YEAR),
    ("minedu_school_supplies", 1.5, 6, 17, "", SCHOOL),
    ("minedu_eib", 0.6, 3, 17, "", ALL_YEAR),
    ("ugel_school_enrolment", 1.0, 3, 17, "", SCHOOL),
    ("pronabec_beca18", 1.0, 15, 22, "", ALL_YEAR),
    ("mimp_violence_prevention", 0.6, 15, 120, "", ALL_YEAR),
    ("mimp_elderly_rights", 0.8, 60, 120, "", ELDERS_MONTH),
    ("aurora_cem_legal", 0.5, 18, 120, "F", ALL_YEAR),
    ("aurora_cem_legal", 0.1, 18, 120, "M", ALL_YEAR),
    ("aurora_cem_psychology", 0.5, 12, 120, "F", ALL_YEAR),
    ("conadis_certificate", 0.2, 0, 120, "", ALL_YEAR),
    ("midagri_irrigation_ta", 0.8, 20, 80, "", SOWING),
    ("midagri_frost_kits", 0.8, 20, 80, "", FROST),
    ("agrorural_seed_delivery", 0.8, 20, 80, "", SOWING),
    ("agrorural_cobertizos", 0.4, 20, 80, "", ALL_YEAR),
    ("agrorural_water_harvest", 0.4, 20, 80, "", RAINY),
    ("senasa_alpaca_health", 1.2, 18, 85, "", ALPACA),
    ("senasa_livestock_deworming", 1.2, 18, 85, "", ALL_YEAR),
    ("serfor_reforestation", 0.3, 12, 80, "", RAINY),
    ("dra_guinea_pig_course", 0.7, 18, 70, "", ALL_YEAR),
    ("dra_forage_pasture", 0.5, 20, 80, "", RAINY),
    ("produce_guinea_pig_marketing", 0.4, 18, 70, "", ALL_YEAR),
    ("produce_trout_farming", 0.5, 18, 70, "", ALL_YEAR),
    ("produce_textile_workshop", 0.8, 15, 80, "F", ALL_YEAR),
    ("mincul_intercultural_activity", 0.4, 5, 120, "", ALL_YEAR),
    ("mincul_language_interpreter", 0.3, 40, 120, "", ALL_YEAR),
    ("mincul_heritage_talk", 0.2, 10, 120, "", ALL_YEAR),
    ("mtc_road_info", 0.2, 18, 120, "", ALL_YEAR),
    ("mtc_driver_license", 0.4, 18, 50, "M", ALL_YEAR),
    ("pronatel_broadband_info", 0.2, 18, 70, "", ALL_YEAR),
    ("mvcs_housing_bonus", 0.5, 25, 80, "", ALL_YEAR),
    ("mvcs_warm_house", 0.4, 25, 80, "", FROST),
    ("pnsr_water_chlorination", 0.4, 18, 80, "", ALL_YEAR),
    ("pnsr_jass_training", 0.4, 18, 80, "", ALL_YEAR),
    ("minam_solid_waste", 0.3, 10, 80, "", ALL_YEAR),
    ("senamhi_frost_alert", 0.4, 18, 90, "", FROST),
    ("minem_solar_panel", 0.3, 25, 80, "", ALL_YEAR),
    ("minem_fise_glp", 1.0, 18, 120, "", ALL_YEAR),
    ("mindef_military_registration", 4.0, 17, 18, "M", ALL_YEAR),
    ("mindef_civic_action", 0.5, 0, 120, "", ALL_YEAR),
    ("indeci_risk_talk", 0.5, 10, 90, "", ALL_YEAR),
    ("indeci_frost_kits", 2.0, 0, 5, "", FROST),
    ("indeci_frost_kits", 2.0, 60, 120, "", FROST),
    ("indeci_evacuation_drill", 0.3, 6, 60, "", ALL_YEAR),
    ("pcm_social_dialogue", 0.15, 25, 80, "", ALL_YEAR),
    ("devida_drug_prevention", 0.4, 12, 29, "", ALL_YEAR),
    ("gore_productive_project", 0.3, 20, 70, "", ALL_YEAR),
    ("gore_frost_assistance", 0.8, 60, 120, "", FROST),
    ("muniprov_civil_registry", 0.15, 20, 70, "", ALL_YEAR),
    ("muni_civil_registry", 0.8, 0, 120, "", ALL_YEAR),
    ("muni_vaso_de_leche", 2.0, 0, 6, "", ALL_YEAR),
    ("muni_vaso_de_leche", 1.0, 60, 120, "", ALL_YEAR),
    ("muni_ulf_household", 1.2, 18, 120, "", ALL_YEAR),
    ("muni_demuna", 0.4, 18, 60, "F", ALL_YEAR),
    ("muni_omaped", 0.15, 0, 120, "", ALL_YEAR),
)


@dataclass(frozen=True)
class CampaignKind:
    """A campaign day: an entity (or several) comes with a crowd; ``target`` says who comes."""

    key: str
    services: tuple[str, ...]
    target: str  # key of a person pool: all, children, elders, payees, women, adults
    weight: float
    months: tuple[float, ...] = ALL_YEAR


CAMPAIGNS: tuple[CampaignKind, ...] = (
    CampaignKind("vaccination", ("minsa_vaccination_regular", "minsa_cred", "minsa_hemoglobin", "minsa_iron_supplement"), "children", 3.0),
    CampaignKind("influenza", ("minsa_vaccination_influenza",), "all", 3.0, _months("4-6", 1.0, 0.0)),
    CampaignKind("dni", ("reniec_dni_minor", "reniec_dni_renewal", "reniec_dni_first", "reniec_dni_duplicate",
                         "reniec_dni_update", "reniec_dni_delivery"), "all", 3.0),
    CampaignKind("payment", ("bn_pension65_payment", "bn_juntos_payment", "bn_card_delivery"), "payees", 4.0),
    CampaignKind("sis", ("sis_enrolment", "sis_update"), "all", 1.5),
    CampaignKind("frost", ("indeci_frost_kits", "midagri_frost_kits", "gore_frost_assistance", "senamhi_frost_alert"),
                 "elders", 4.0, _months("5-7", 1.0, 0.0)),
    CampaignKind("alpaca", ("senasa_alpaca_health", "senasa_livestock_deworming"), "adults", 1.5, _months("1-4,9-11", 1.0, 0.0)),
    CampaignKind("women", ("minsa_cancer_screening", "minsa_family_planning", "aurora_cem_legal", "mimp_violence_prevention"),
                 "women", 1.0),
    CampaignKind("elders", ("pension65_health_check", "pension65_saberes", "mimp_elderly_rights", "minsa_general_consult"),
                 "elders", 1.5, _months("8", 3.0)),
)  # fmt: skip

#: The entities that get their own monthly goal (besides the tambo's).
GOAL_ENTITIES = ("MINSA", "RENIEC", "SIS", "BN", "PENSION65", "JUNTOS", "PAIS")

# -- the calendar ---------------------------------------------------------------------------------

WEEKDAY_WEIGHT = (1.0, 1.05, 1.05, 1.0, 0.9, 0.3, 0.08)  # Monday .. Sunday
MONTH_WEIGHT = (
    0.0,
    0.9,
    0.7,
    1.0,
    1.05,
    1.15,
    1.2,
    1.1,
    1.05,
    1.0,
    1.05,
    1.0,
    0.8,
)  # rains, Candelaria, frost, December
#: Peru's fixed public holidays (month, day): the tambo is closed.
HOLIDAYS = {
    (1, 1),
    (5, 1),
    (6, 7),
    (6, 29),
    (7, 23),
    (7, 28),
    (7, 29),
    (8, 6),
    (8, 30),
    (10, 8),
    (11, 1),
    (12, 8),
    (12, 9),
    (12, 25),
}
HOURS_INSIDE = ((8, 1.0), (9, 1.6), (10, 1.8), (11, 1.6), (12, 0.9), (13, 0.6), (14, 1.0), (15, 1.0), (16, 0.7))
HOURS_OUTSIDE = ((9, 1.0), (10, 1.5), (11, 1.5), (12, 1.0), (13, 0.8), (14, 0.5))
SERVICES_PER_VISIT = ((1, 0.58), (2, 0.28), (3, 0.14))
MEAN_SERVICES = sum(n * w for n, w in SERVICES_PER_VISIT)


def easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    t = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * t) // 451
    month = (h + t - 7 * m + 114) // 31
    day = (h + t - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def day_weight(day: dt.date) -> float:
    """How busy the tambo is on ``day`` (0: closed), before campaigns and chance."""
    if (day.month, day.day) in HOLIDAYS:
        return 0.0
    sunday = easter(day.year)
    if day in (sunday - dt.timedelta(days=3), sunday - dt.timedelta(days=2)):  # Jueves y Viernes Santo
        return 0.0
    weight = WEEKDAY_WEIGHT[day.weekday()] * MONTH_WEIGHT[day.month]
    if day.month == 2 and 2 <= day.day <= 12:  # Fiesta de la Candelaria
        weight *= 0.6
    return weight


def _first_of_month(day: dt.date, months_back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


# -- random helpers -------------------------------------------------------------------------------------


class Weighted:
    """Draw from fixed weights in O(log n) (cumulative sums and bisect)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs) -> None:
        pairs = [(item, w) for item, w in pairs if w > 0]
        self.items = [item for item, _w in pairs]
        self.cum = list(itertools.accumulate(w for _item, w in pairs))
        self.total = self.cum[-1] if self.cum else 0.0

    def __bool__(self) -> bool:
        return bool(self.items)

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


class Pool:
    """People in registration order with their weights; draws among those registered by a day."""

    __slots__ = ("people", "days", "cum")

    def __init__(self, people: list[DemoPerson]) -> None:
        self.people = people
        self.days = [p.reg_day for p in people]
        self.cum = list(itertools.accumulate(p.weight for p in people))

    def draw(self, rng: random.Random, day: int) -> DemoPerson | None:
        k = bisect.bisect_right(self.days, day)
        if k == 0:
            return None
        i = bisect.bisect_right(self.cum, rng.random() * self.cum[k - 1], 0, k - 1)
        return self.people[i]


# -- the plan ---------------------------------------------------------------------------------------------


@dataclass
class DayPlan:
    index: int
    date: dt.date
    weight: float
    attentions: float = 0.0  # planned (expected) atenciones
    campaign: CampaignKind | None = None
    campaign_services: tuple[int, ...] = ()
    trip: int | None = None  # community visited (atenciones outside the platform)
    outside_share: float = 0.0
    campaign_uuid: str | None = None  # the entity's intervention of a campaign day
    trip_uuid: str | None = None  # the gestor's visit to the community of a trip day


@dataclass
class DemoPerson:
    key: int  # position in registration order
    uuid: str
    sex: str
    birth: dt.date
    community: int | None
    weight: float
    reg_day: int  # index of the day of the first visit
    reg_time: dt.time
    row: tuple = ()
    id: int = 0
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommunityInfo:
    id: int
    population: int
    distance: float
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    services: dict[str, tuple[int, int, str]]  # code → (service id, entity id, entity code)
    communities: tuple[CommunityInfo, ...]

    @staticmethod
    def load() -> Catalog:
        services = {
            code: (sid, eid, ecode)
            for sid, code, eid, ecode in Service.select(Service.id, Service.code, Entity.id, Entity.code)
            .join(Entity, on=Service.entity == Entity.id)
            .where(Service.active == True)  # noqa: E712
            .order_by(Service.code)
            .tuples()
        }
        communities = tuple(
            CommunityInfo(cid, pop or 100, float(dist) if dist is not None else 20.0, tuple((langs or "ay").split(";")))
            for cid, pop, dist, langs in Community.select(
                Community.id, Community.population, Community.distance_km, Community.languages
            )
            .order_by(Community.id)
            .tuples()
        )
        return Catalog(services, communities)


@dataclass
class Tally:
    """What was generated, for the goals and the summary."""

    attentions: int = 0
    voided: int = 0
    month: dict = field(default_factory=dict)  # (y, m) → [count, set of person keys]
    entity: dict = field(default_factory=dict)  # (y, m, entity code) → [count, set]

    def add(self, day: dt.date, person: int, entity: str) -> None:
        for key, table in (((day.year, day.month), self.month), ((day.year, day.month, entity), self.entity)):
            slot = table.get(key)
            if slot is None:
                slot = table[key] = [0, set()]
            slot[0] += 1
            slot[1].add(person)


class Generator:
    """Builds the rows of one demo size from its seed (nothing is written here)."""

    def __init__(self, size: DemoSize, seed: int | str, until: dt.datetime, catalog: Catalog, tambo_code: str) -> None:
        self.size, self.seed, self.until, self.catalog, self.tambo = (
            size,
            seed,
            until.replace(microsecond=0),
            catalog,
            tambo_code,
        )
        self.rng = random.Random(f"tambo-demo-{size.name}-{seed}")
        self.uuids = random.Random(f"tambo-demo-uuid-{size.name}-{seed}")
        self.start = _first_of_month(self.until.date(), size.months)
        self.days: list[DayPlan] = []
        self.month_plan: dict[tuple[int, int], float] = {}
        self.persons: list[DemoPerson] = []
        self.tally = Tally()
        self._tables: dict[tuple[int, str, int], Weighted] = {}
        self._rules = [r for r in SERVICE_RULES if r[0] in catalog.services]
        self._plan_days()
        self._make_persons()

    # -- calendar ----------------------------------------------------------------------------------------

    def _plan_days(self) -> None:
        rng, end = self.rng, self.until.date()
        month_end = _first_of_month(end, -1) - dt.timedelta(days=1)
        day, index = self.start, 0
        plans: list[DayPlan] = []
        while day <= month_end:  # the whole current month, for its goals
            plans.append(DayPlan(index, day, day_weight(day)))
            day += dt.timedelta(days=1)
            index += 1
        community_pick = Weighted((c.id, c.population / (1 + c.distance / 25)) for c in self.catalog.communities)
        for (_y, _m), group in itertools.groupby(plans, key=lambda p: (p.date.year, p.date.month)):
            month = list(group)
            open_days = [p for p in month if p.weight >= 0.8]
            kinds = Weighted((k, k.weight * k.months[month[0].date.month]) for k in CAMPAIGNS)
            for plan in rng.sample(open_days, min(len(open_days), rng.choice((2, 3, 3)))):
                plan.campaign = kinds.draw(rng)
                plan.campaign_services = tuple(
                    self.catalog.services[c][0] for c in plan.campaign.services if c in self.catalog.services
                )
                plan.weight *= 2.5
                if community_pick and rng.random() < 0.4:
                    plan.trip, plan.outside_share = community_pick.draw(rng), 0.75
            for plan in open_days:
                if plan.campaign is None:
                    if rng.random() < 0.02:  # closed for training, a power cut, a strike
                        plan.weight *= 0.15
                    elif community_pick and rng.random() < 0.3:
                        plan.trip, plan.outside_share = community_pick.draw(rng), 0.55
        total = sum(p.weight for p in plans if p.date <= end)
        for plan in plans:
            if plan.weight > 0:
                plan.attentions = self.size.attentions * plan.weight / total * rng.lognormvariate(-0.01125, 0.15)
            key = (plan.date.year, plan.date.month)
            self.month_plan[key] = self.month_plan.get(key, 0.0) + plan.attentions
        self.all_days = plans  # the rest of this month too: its interventions are programmed
        self.days = [p for p in plans if p.date <= end]

    # -- people ---------------------------------------------------------------------------------------

    def _registration_days(self) -> Weighted:
        """Days of first visits: a wave in the first weeks of the registry, then a steady trickle."""
        days = self.days[:-1] or self.days  # nobody new today: their first visit could be after now
        visits = [d.attentions / MEAN_SERVICES for d in days]
        total_visits = sum(visits) or 1.0
        n = self.size.persons
        steady = min(0.5, 0.4 * n / total_visits)
        wave = 0.85 - steady
        need = (n - steady * total_visits) / wave

        def early(tau: float) -> float:
            return sum(v * math.exp(-i / tau) for i, v in enumerate(visits))

        lo, hi = 0.5, 50.0 * len(days)
        for _step in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if early(mid) < need else (lo, mid)
        tau = (lo + hi) / 2
        return Weighted(
            (d.index, v * (wave * math.exp(-i / tau) + steady))
            for i, (d, v) in enumerate(zip(days, visits, strict=True))
        )

    def _make_persons(self) -> None:
        rng, end = self.rng, self.until.date()
        reg_days = self._registration_days()
        open_days = [d.index for d in self.days[:-1] if d.weight > 0] or [self.days[0].index]
        ages = Weighted(enumerate(PYRAMID))
        communities = Weighted((c.id, c.population / (1 + c.distance / 25)) for c in self.catalog.communities)
        people = []
        for _n in range(self.size.persons):
            sex = "F" if rng.random() < 0.52 else "M"
            band = ages.draw(rng)
            age = band * 5 + rng.randrange(5)
            birth = end - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
            reg = reg_days.draw(rng)
            reg_date = self.days[reg].date
            if reg_date < birth + dt.timedelta(days=15):  # a baby comes after being born
                later = birth + dt.timedelta(days=15 + rng.randrange(60))
                i = bisect.bisect_left(open_days, (later - self.start).days)
                if i < len(open_days):
                    reg = open_days[i]
                else:
                    reg = open_days[-1]
                    birth = self.days[reg].date - dt.timedelta(days=15 + rng.randrange(200))
            community = communities.draw(rng) if communities and rng.random() > 0.02 else None
            weight = min(rng.lognormvariate(0, 0.6), 3.0) * _activity(sex, age)
            hour = Weighted(HOURS_INSIDE).draw(rng)
            person = DemoPerson(0, seeded_uuid(self.uuids), sex, birth, community, weight, reg,
                                dt.time(hour, rng.randrange(60), rng.randrange(60)))  # fmt: skip
            person.targets = _targets(sex, age)
            people.append(person)
        people.sort(key=lambda p: (p.reg_day, p.reg_time))
        for key, person in enumerate(people):
            person.key = key
        self.persons = people
        self._documents = set()
        language = {c.id: c.languages for c in self.catalog.communities}
        anonymized = set(rng.sample(range(len(people)), max(1, len(people) // 5000))) if people else set()
        for person in people:
            person.row = self._person_row(
                person, language.get(person.community, ("ay", "es")), person.key in anonymized
            )
        self.pool = Pool(people)
        self.community_pools = {
            c.id: Pool([p for p in people if p.community == c.id]) for c in self.catalog.communities
        }
        self.target_pools = {
            t: Pool([p for p in people if t in p.targets]) for t in ("children", "elders", "payees", "women", "adults")
        }
        self.target_pools["all"] = self.pool

    def _person_row(self, p: DemoPerson, languages: tuple[str, ...], anonymized: bool) -> tuple:
        rng, end = self.rng, self.until.date()
        age = age_at(p.birth, end)
        generation = 0 if p.birth.year < 1960 else 1 if p.birth.year < 1985 else 2 if p.birth.year < 2005 else 3
        names = FIRST_NAMES[p.sex][generation]
        first = rng.choice(names)
        if " " not in first and rng.random() < 0.35:
            second = rng.choice(_SECOND_NAMES[p.sex] if rng.random() < 0.5 else names)
            if second != first:
                first = f"{first} {second}"
        surname = _SURNAMES.draw(rng)
        surname_2 = _SURNAMES.draw(rng) if rng.random() > 0.03 else ""
        doc_type, doc_number = self._document(p, age)
        first_language = _first_language(rng, languages, age)
        phone = ""
        if age >= 15 and rng.random() < (0.3 if age >= 65 else 0.62):
            phone = f"9{rng.choice('5678')}{rng.randrange(10**7):07d}"
        notes = ""
        if rng.random() < 0.02:
            choices = (
                NOTES_ANY
                + (NOTES_ELDER if age >= 65 else ())
                + (NOTES_PREGNANT if p.sex == "F" and 18 <= age <= 40 else ())
            )
            notes = rng.choice(choices)
        opposition = rng.random() < 0.002
        outside = self._first_visit_outside(p)
        created = (
            dt.datetime.combine(self.days[p.reg_day].date, dt.time(17, 25) if outside else p.reg_time) + UTC_OFFSET
        )
        updated, by = created, (GESTOR if outside else DESK)
        key = name_key(first, surname, surname_2)
        if anonymized:
            doc_type, doc_number, first, surname, surname_2, key, phone, notes = "none", None, "", "", "", "", "", ""
            updated = min(self.until - dt.timedelta(days=2), created + dt.timedelta(days=200)) + UTC_OFFSET
            updated = max(updated, created)
        return (
            p.uuid, self.tambo, created, by, updated, ADMIN if anonymized else by,
            doc_type, doc_number, first, surname, surname_2, key, p.sex, p.birth, p.community, first_language,
            phone, notes, anonymized, opposition,
        )  # fmt: skip

    def _document(self, p: DemoPerson, age: int) -> tuple[str, str | None]:
        rng = self.rng
        without = 0.35 if age <= 2 else 0.12 if age <= 11 else 0.06 if age <= 17 else 0.10 if age >= 80 else 0.01
        if rng.random() < without:
            if age <= 2 and rng.random() < 0.4:  # certificado de nacido vivo
                return "other", self._unique("other", lambda: f"CNV{rng.randrange(10**10):010d}")
            return "none", None
        if age >= 18 and rng.random() < 0.004:  # a Bolivian neighbour
            return "ce", self._unique("ce", lambda: f"00{rng.randrange(10**7):07d}")
        year = p.birth.year
        if year < 1950:
            ranges = ((1_000_000, 2_000_000),)
        elif year < 1980:
            ranges = ((1_000_000, 3_000_000),) * 7 + ((40_000_000, 43_000_000),) * 3
        elif year < 1995:
            ranges = ((40_000_000, 48_000_000),)
        elif year < 2005:
            ranges = ((70_000_000, 77_000_000),)
        elif year < 2015:
            ranges = ((60_000_000, 63_000_000),) * 7 + ((70_000_000, 80_000_000),) * 3
        else:
            ranges = ((78_000_000, 82_000_000),)
        return "dni", self._unique("dni", lambda: f"{rng.randrange(*rng.choice(ranges)):08d}")

    def _unique(self, kind: str, make) -> str:
        while True:
            value = make()
            if (kind, value) not in self._documents:
                self._documents.add((kind, value))
                return value

    def _first_visit_outside(self, p: DemoPerson) -> bool:
        plan = self.days[p.reg_day]
        return plan.trip is not None and plan.trip == p.community

    # -- services -------------------------------------------------------------------------------------

    def _table(self, age: int, sex: str, month: int) -> Weighted:
        key = (min(age, 100), sex, month)
        table = self._tables.get(key)
        if table is None:
            weights: dict[str, float] = {}
            for code, w, lo, hi, who, months in self._rules:
                if lo <= age <= hi and who in ("", sex):
                    weights[code] = weights.get(code, 0.0) + w * months[month]
            services = self.catalog.services
            table = self._tables[key] = Weighted((services[c][0], w) for c, w in weights.items())
        return table

    def _eligible(self, age: int, sex: str, month: int) -> set[int]:
        return set(self._table(age, sex, month).items)

    # -- atenciones -------------------------------------------------------------------------------------

    def attention_rows(self) -> Iterator[tuple]:
        """The atenciones, day by day in time order (the person ids must be set)."""
        rng = self.rng
        entity_of = {sid: (eid, ecode) for sid, eid, ecode in self.catalog.services.values()}
        new_by_day: dict[int, list[DemoPerson]] = {}
        for p in self.persons:
            new_by_day.setdefault(p.reg_day, []).append(p)
        sizes = Weighted(SERVICES_PER_VISIT)
        hours_in, hours_out = Weighted(HOURS_INSIDE), Weighted(HOURS_OUTSIDE)
        for plan in self.days:
            planned = round(plan.attentions)
            visits: list[tuple[dt.datetime, DemoPerson, bool, list[int]]] = []
            served: set[int] = set()
            count = 0
            for p in new_by_day.get(plan.index, ()):
                outside = plan.trip is not None and p.community == plan.trip
                at = dt.datetime.combine(plan.date, p.reg_time if not outside else _time(rng, hours_out))
                services = self._services(rng, p, plan, sizes.draw(rng))
                visits.append((at, p, outside, services))
                served.add(p.key)
                count += len(services)
            failures = 0
            while count < planned - 0.75 and failures < 30 + planned // 4:
                outside = plan.trip is not None and rng.random() < plan.outside_share
                if outside and rng.random() < 0.75:
                    pool = self.community_pools[plan.trip]
                elif plan.campaign is not None and rng.random() < 0.5:
                    pool = self.target_pools[plan.campaign.target]
                else:
                    pool = self.pool
                p = pool.draw(rng, plan.index)
                if p is None or p.key in served:
                    failures += 1
                    continue
                served.add(p.key)
                at = dt.datetime.combine(plan.date, _time(rng, hours_out if outside else hours_in))
                services = self._services(rng, p, plan, sizes.draw(rng))
                visits.append((at, p, outside, services))
                count += len(services)
            visits.sort(key=lambda v: (v[0], v[1].key))
            for at, p, outside, services in visits:
                if at > self.until:
                    continue
                yield from self._rows(rng, at, p, outside, plan, services, entity_of)

    def _services(self, rng: random.Random, p: DemoPerson, plan: DayPlan, n: int) -> list[int]:
        age, month = age_at(p.birth, plan.date), plan.date.month
        table = self._table(age, p.sex, month)
        chosen: list[int] = []
        if plan.campaign_services and rng.random() < 0.65:
            eligible = self._eligible(age, p.sex, month)
            options = [s for s in plan.campaign_services if s in eligible]
            if options:
                chosen.append(rng.choice(options))
        tries = 0
        while len(chosen) < n and tries < 10:
            service = table.draw(rng)
            if service not in chosen:
                chosen.append(service)
            tries += 1
        return chosen

    def _rows(
        self, rng, at, p: DemoPerson, outside: bool, plan: DayPlan, services: list[int], entity_of
    ) -> Iterator[tuple]:
        if outside:
            by = GESTOR
            created = (
                dt.datetime.combine(plan.date, dt.time(17, 30)) + dt.timedelta(minutes=rng.randrange(90)) + UTC_OFFSET
            )
            place, community = "outside", plan.trip
        else:
            by = DESK if rng.random() < 0.75 else rng.choice((ADMIN, GESTOR))
            created = at + dt.timedelta(seconds=20 + rng.randrange(100)) + UTC_OFFSET
            place, community = "inside", None
        for service in services:
            entity_id, entity_code = entity_of[service]
            link = (
                plan.trip_uuid
                if outside
                else plan.campaign_uuid
                if service in plan.campaign_services and not plan.trip
                else None
            )
            voided, reason, updated, updated_by = False, "", created, by
            if rng.random() < 0.004:
                voided, reason = True, rng.choice(VOID_REASONS)
                updated = created + dt.timedelta(minutes=2 + rng.randrange(90))
                self.tally.voided += 1
            else:
                self.tally.add(plan.date, p.key, entity_code)
            self.tally.attentions += 1
            yield (
                seeded_uuid(self.uuids), self.tambo, created, by, updated, updated_by, at, place, community, entity_id,
                service, p.id, link, voided, reason,
            )  # fmt: skip

    # -- goals ------------------------------------------------------------------------------------------

    def goal_rows(self, entity_ids: dict[str, int]) -> list[tuple]:
        """Metas of every month of the period, for the tambo and its main entities (after the atenciones)."""
        rng = self.rng
        done = {k: v for k, v in self.tally.month.items() if v[0]}
        ratio = (sum(len(v[1]) for v in done.values()) / sum(v[0] for v in done.values())) if done else 0.6
        total = sum(v[0] for v in done.values()) or 1
        shares = {}
        for (_y, _m, code), (n, people) in self.tally.entity.items():
            a, u = shares.get(code, (0, 0))
            shares[code] = (a + n, u + len(people))
        rows = []
        for (year, month), planned in self.month_plan.items():
            created = dt.datetime(year, month, 1, 8, 30) + UTC_OFFSET
            for code in (None, *GOAL_ENTITIES):
                if code is not None and (code not in entity_ids or code not in shares):
                    continue
                if code is None:
                    attentions, users_ratio = planned, ratio
                else:
                    a, u = shares[code]
                    attentions, users_ratio = planned * a / total, u / a
                goal_a = _round_goal(attentions * rng.uniform(0.9, 1.12))
                goal_u = min(goal_a, _round_goal(goal_a * users_ratio * rng.uniform(0.95, 1.05)))
                if goal_a == 0:
                    continue
                rows.append((
                    seeded_uuid(self.uuids), self.tambo, created, ADMIN, created, ADMIN, year, month,
                    entity_ids[code] if code else None, goal_a, goal_u,
                ))  # fmt: skip
        return rows


_SURNAMES = Weighted(SURNAMES)


def _activity(sex: str, age: int) -> float:
    """How often a person comes: elders cash Pensión 65, mothers Juntos, small children CRED."""
    if age >= 65:
        return 1.8
    if age <= 5:
        return 1.5
    if sex == "F" and 18 <= age <= 45:
        return 1.4
    if sex == "M" and 18 <= age <= 59:
        return 0.7
    return 1.0


def _targets(sex: str, age: int) -> tuple[str, ...]:
    targets = []
    if age <= 11:
        targets.append("children")
    if age >= 60:
        targets.append("elders")
    if age >= 64 or (sex == "F" and 18 <= age <= 49):
        targets.append("payees")
    if sex == "F" and 15 <= age <= 64:
        targets.append("women")
    if 18 <= age <= 70:
        targets.append("adults")
    return tuple(targets)


def _first_language(rng: random.Random, languages: tuple[str, ...], age: int) -> str:
    if rng.random() < 0.04:
        return ""
    native = languages[0] if languages[0] in ("ay", "qu") else "ay"
    other = "qu" if native == "ay" else "ay"
    spanish = 0.55 if age < 25 else 0.2 if age < 60 else 0.06
    r = rng.random()
    if r < spanish:
        return "es"
    return other if r < spanish + 0.04 else native


def _time(rng: random.Random, hours: Weighted) -> dt.time:
    return dt.time(hours.draw(rng), rng.randrange(60), rng.randrange(60))


def _round_goal(value: float) -> int:
    step = 50 if value >= 2000 else 10 if value >= 200 else 5
    return int(round(value / step) * step)


# -- writing ------------------------------------------------------------------------------------------

PERSON_FIELDS = (
    Person.uuid, Person.tambo_code, Person.created_at, Person.created_by, Person.updated_at, Person.updated_by,
    Person.document_type, Person.document_number, Person.first_names, Person.last_name_1, Person.last_name_2,
    Person.name_key, Person.sex, Person.birth_date, Person.community, Person.first_language, Person.phone,
    Person.notes, Person.anonymized, Person.opposition,
)  # fmt: skip
ATTENTION_FIELDS = (
    Attention.uuid, Attention.tambo_code, Attention.created_at, Attention.created_by, Attention.updated_at,
    Attention.updated_by, Attention.attended_at, Attention.place, Attention.community, Attention.entity,
    Attention.service, Attention.person, Attention.intervention_uuid, Attention.voided, Attention.void_reason,
)  # fmt: skip
GOAL_FIELDS = (
    MonthlyGoal.uuid, MonthlyGoal.tambo_code, MonthlyGoal.created_at, MonthlyGoal.created_by, MonthlyGoal.updated_at,
    MonthlyGoal.updated_by, MonthlyGoal.year, MonthlyGoal.month, MonthlyGoal.entity, MonthlyGoal.attentions_goal,
    MonthlyGoal.users_goal,
)  # fmt: skip


def _insert(model: type[pw.Model], fields: tuple, rows) -> int:
    """Insert ``rows`` (tuples in ``fields`` order) in chunks; returns how many.

    peewee's ``insert_many`` writes the statement (the engine's quoting and placeholders) and the
    driver's ``executemany`` runs it for every row of a chunk: building one multi-row ``VALUES`` per
    chunk in peewee costs about 70 µs a row (35 s of the 500,000 atenciones), ``executemany`` 20 µs.
    When peewee would convert a value itself, its own multi-row insert is used instead.
    """
    db = model._meta.database
    statement, direct, n = None, False, 0
    for chunk in _chunks(rows, CHUNK):
        if statement is None:
            statement, params = model.insert_many(chunk[:1], fields=list(fields)).as_rowcount().sql()
            direct = list(params) == list(chunk[0])
        if direct:
            db.cursor().executemany(statement, chunk)
        else:
            model.insert_many(chunk, fields=list(fields)).as_rowcount().execute()
        n += len(chunk)
    return n


def _chunks(rows, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def loaded_data() -> dict | None:
    """``{"size": ..., "seed": ...}`` of the generated data this database holds, or None."""
    row = Setting.get_or_none(Setting.key == SETTING_KEY)
    if row is None:
        return None
    try:
        return json.loads(row.value)
    except ValueError:
        return None


def load(
    session: Session, size: str, seed: int = DEFAULT_SEED, until: dt.datetime | None = None, salt: str = ""
) -> DataSummary:
    """Generate and write the people, atenciones and goals of ``size`` into the demo tambo.

    Idempotent for the same size and seed (nothing is written twice); refused when the database
    already holds other people or atenciones (another size or seed, or people registered by hand).
    ``salt`` (a demo tambo's own code) is mixed into every seeded generator, so that demo tambos
    of other codes get other people, atenciones and uuids from the same seed.
    """
    key = f"{seed}-{salt}" if salt else seed
    if size not in SIZES:
        raise TamboError(_("Tamaño de demostración desconocido: «{size}». Use small, year o large.").format(size=size))
    with session.write():
        existing = loaded_data()
        if existing is not None:
            if existing.get("size") == size and existing.get("seed") == seed:
                return DataSummary(
                    size, seed, False, Person.select().count(), Attention.select().count(),
                    Attention.select().where(Attention.voided == True).count(), MonthlyGoal.select().count(),  # noqa: E712
                )  # fmt: skip
            raise TamboError(
                _(
                    "Esta base de demostración ya tiene los datos «{size}» (semilla {seed}). Para cargar otros, "
                    "use una base de datos nueva (por ejemplo otra carpeta con --home)."
                ).format(size=existing.get("size"), seed=existing.get("seed"))
            )
        if Person.select().exists() or Attention.select().exists() or MonthlyGoal.select().exists():
            raise TamboError(
                _(
                    "Esta base de demostración ya tiene personas, atenciones o metas registradas: los datos generados "
                    "se cargan solo en una base sin ellas. Use una base de datos nueva (por ejemplo otra carpeta con --home)."
                )
            )
        generator = Generator(SIZES[size], key, until or dates.now(), Catalog.load(), session.tambo_code)
        persons = _insert(Person, PERSON_FIELDS, (p.row for p in generator.persons))
        ids = dict(Person.select(Person.uuid, Person.id).tuples())
        for p in generator.persons:
            p.id = ids[p.uuid]
        calendar = DemoCalendar(generator, key, size)
        info = {c.id: (c.name, c.travel_minutes or 30, float(c.distance_km or 10)) for c in Community.select()}
        planned = calendar.assign(generator.catalog, info)
        attentions = _insert(Attention, ATTENTION_FIELDS, generator.attention_rows())
        interventions = write_calendar(planned, session.tambo_code, salt)
        entity_ids = dict(Entity.select(Entity.code, Entity.id).tuples())
        goals = _insert(MonthlyGoal, GOAL_FIELDS, generator.goal_rows(entity_ids))
        voided = generator.tally.voided
        Setting.insert(key=SETTING_KEY, value=json.dumps({"size": size, "seed": seed})).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: json.dumps({"size": size, "seed": seed})}
        ).execute()
        what = _("datos de demostración «{size}», semilla {seed}").format(size=size, seed=seed)
        session.audit("import", "person", summary=_("{what}: {n} personas").format(what=what, n=format_number(persons)))
        session.audit(
            "import",
            "attention",
            summary=_("{what}: {n} atenciones ({voided} anuladas)").format(
                what=what, n=format_number(attentions), voided=format_number(voided)
            ),
        )
        session.audit(
            "import", "monthly_goal", summary=_("{what}: {n} metas mensuales").format(what=what, n=format_number(goals))
        )
        session.audit(
            "import",
            "intervention",
            summary=_("{what}: {n} intervenciones").format(what=what, n=format_number(interventions)),
        )
        demo_training.load(session, generator.until, key)
        trips.load(session, generator.until, key)
        demo_campaigns.load(session, generator.until)
        demo_staff.load(
            session, {p.date: p.weight > 0 for p in generator.days}, generator.until, key
        )  # salted: other uuids
    return DataSummary(size, seed, True, persons, attentions, voided, goals)
