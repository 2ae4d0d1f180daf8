"""A realistic demo PIAS on Lake Titicaca: its ship, Aymara and Quechua communities of the lake's
shores and islands, a past voyage of 20 stops with its atenciones, and the next voyage planned.

The communities (``resources/demo/pias_communities.csv``) lie in real districts of Puno, by their
ubigeo: Puno, Amantaní, Capachica, Coata, Chucuito, Platería, Acora, Pilcuyo, Juli, Pomata, Anapia,
Tinicachi, Unicachi, Conima and Tilali (codes from the *Concordancia de los códigos de UBIGEO*,
© 2016 CONCYTEC, CC BY 4.0: ``resources/data/ubigeo/SOURCE.md``). Their figures, leaders and the
ship are made up for the demonstration. Quechua is spoken on the islands and the Capachica and Coata
shores, Aymara on the southern shore and the Lago Menor, both on the north-eastern shore.

Everything is written through the services as a user would (the setup, the voyages and their
changes, with their history); the people and atenciones of the past voyage are generated from the
seed and written in bulk with one audit line per kind, as the tambo's demo data are.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tambo_desktop import assets, dates
from tambo_desktop.db.models import Attention, Community, Entity, Person, Service, Tambo, Voyage, VoyageStop
from tambo_desktop.demo.calendar import UTC_OFFSET, seeded_uuid
from tambo_desktop.demo.data import FIRST_NAMES, PYRAMID, SURNAMES
from tambo_desktop.errors import TamboError
from tambo_desktop.formats import communities as community_io
from tambo_desktop.i18n import _, format_number
from tambo_desktop.services import setup
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.person_form import name_key
from tambo_desktop.services.pias import ShipForm
from tambo_desktop.services.session import Session
from tambo_desktop.services.voyages import StopForm, VoyageForm, VoyageService

DEMO_PASSWORD = "tambo-demo"
PIAS_PROFILE = setup.TamboProfile(
    name="PIAS Lago Titicaca",
    code="DEMO-PIAS-2101",
    district_code="210101",
    centro_poblado="Muelle del puerto de Puno",
    altitude_m="3812",
    address="Muelle Puerto Puno s/n",
    phone="051 364 120",
    default_language="es",
    platform="pias",
)
PIAS_SHIP = ShipForm(
    "BAP Lago Titicaca I (demostración)", "DEMO-ABH-01", "80",
    ("consulting", "dental", "lab", "pharmacy", "reniec", "bank", "social"),
    "Plataforma itinerante de demostración; base en el puerto de Puno.",
)  # fmt: skip
PIAS_ACCOUNTS = (
    AccountForm("admin", "Rosa Quispe Mamani", "admin", DEMO_PASSWORD, "es"),
    AccountForm("gestor", "Wilber Condori Apaza", "gestor", DEMO_PASSWORD, "ay"),
    AccountForm("oficina", "Nelly Ticona Choque", "staff", DEMO_PASSWORD, "qu"),
    AccountForm("supervisor", "Javier Huanca Cutipa", "supervisor", DEMO_PASSWORD, "es"),
)
#: The entities aboard, their staff and the services they bring (codes of the catalogue, with weights).
ABOARD: tuple[tuple[str, str, str, tuple[tuple[str, float], ...]], ...] = (
    ("MINSA", "Dra. Gladys Huaquisto Coila\nLic. Enf. Marleni Cutipa Ramos\nC.D. Edgar Pari Luque",
     "Medicina general, vacunas, CRED, control prenatal, odontología, tamizaje de anemia",
     (("minsa_general_consult", 6), ("minsa_vaccination_regular", 3), ("minsa_cred", 3), ("minsa_hemoglobin", 3),
      ("minsa_dental", 3), ("minsa_prenatal_check", 1.5), ("minsa_vaccination_influenza", 2), ("minsa_cancer_screening", 1))),
    ("RENIEC", "Reg. Yolanda Mayta Charca", "DNI por primera vez, renovación, duplicado, actas",
     (("reniec_dni_renewal", 3), ("reniec_dni_first", 1.5), ("reniec_dni_minor", 2), ("reniec_dni_duplicate", 1.5),
      ("reniec_record_copy", 1))),
    ("BN", "Agente Rubén Calisaya Tarqui", "Pagos de Pensión 65 y Juntos, cuentas de ahorro",
     (("bn_pension65_payment", 3), ("bn_juntos_payment", 3), ("bn_account_opening", 1), ("bn_card_delivery", 1))),
    ("SIS", "Téc. Freddy Ccama Yupanqui", "Afiliación y actualización", (("sis_enrolment", 2), ("sis_update", 3))),
    ("PENSION65", "Prom. Teresa Chipana Nina", "Afiliación, salud del adulto mayor",
     (("pension65_enrolment", 1), ("pension65_health_check", 2))),
    ("MIMP", "Psic. Lidia Aro Zapana", "Prevención de la violencia familiar", (("mimp_violence_prevention", 1.5),)),
)  # fmt: skip
#: The past voyage's route (20 stops), and the reschedule and skip it had.
PAST_ROUTE = (
    "Uros Chulluni",
    "Luquina Chico",
    "Karina",
    "Camicachi",
    "Caritamaya",
    "Sacari",
    "Chatuma",
    "Challapampa",
    "Unicachi",
    "Tinicachi",
    "Isla Anapia",
    "Isla Taquile",
    "Isla Amantaní",
    "Occosuyo",
    "Llachón",
    "Ccotos",
    "Siale",
    "Escallani",
    "Carata",
    "Almozanche",
)
NEXT_ROUTE = (
    "Uros Chulluni",
    "Almozanche",
    "Carata",
    "Escallani",
    "Siale",
    "Ccotos",
    "Llachón",
    "Conima",
    "Tilali",
    "Isla Amantaní",
    "Occosuyo",
    "Isla Taquile",
    "Luquina Chico",
    "Karina",
    "Camicachi",
    "Caritamaya",
    "Sacari",
    "Chatuma",
    "Challapampa",
    "Isla Anapia",
)
TWO_DAYS = {"Isla Amantaní", "Isla Taquile", "Chatuma", "Conima"}
RESCHEDULED = ("Sacari", "Pedido de la comunidad: asamblea comunal el día previsto")
SKIPPED = ("Isla Anapia", "Oleaje fuerte en el Lago Menor: la Capitanía no autorizó el zarpe")
VOID_REASONS = ("Registrada por error", "Servicio registrado dos veces")


@dataclass(frozen=True)
class PiasSummary:
    created: bool
    communities: int
    accounts: int
    voyages: int
    stops: int
    persons: int
    attentions: int


def create_pias_demo(seed: int = 1, until: dt.datetime | None = None) -> PiasSummary:
    """Fill an empty database with the demo PIAS (once: a second run only reports what is there)."""
    tambo = Tambo.select().first()
    if tambo is not None and not tambo.is_demo:
        raise TamboError(_("Esta base de datos es de un tambo real; los datos de demostración no se cargan en ella."))
    if tambo is not None and tambo.platform != "pias":
        raise TamboError(
            _(
                "Esta base de demostración es de un tambo, no de una PIAS: use una base de datos nueva (por ejemplo otra carpeta con --home)."
            )
        )
    created = tambo is None
    if created:
        admin = setup.initialize(PIAS_PROFILE, PIAS_ACCOUNTS[0], is_demo=True, ship=PIAS_SHIP)
        session = Session(admin, PIAS_PROFILE.code)
        for form in PIAS_ACCOUNTS[1:]:
            AccountService(session).create(form)
        community_io.import_file(CommunityService(session), assets.path("demo/pias_communities.csv"))
    else:
        from tambo_desktop.services.session import system_session

        session = system_session()
    persons = attentions = 0
    if not Voyage.select().exists():
        now = (until or dates.now()).replace(tzinfo=None, second=0, microsecond=0)
        persons, attentions = _voyages(session, seed, now)
    return PiasSummary(created, Community.select().count(), len(PIAS_ACCOUNTS), Voyage.select().count(),
                       VoyageStop.select().count(), Person.select().count(), Attention.select().count())  # fmt: skip


def _plan(voyages: VoyageService, name: str, route: tuple[str, ...], first_day: dt.date, rng: random.Random,
          fuel_used: str = "") -> tuple[int, list[int]]:  # fmt: skip
    communities = {c.name: c for c in Community.select()}
    voyage = voyages.create(VoyageForm(
        name, "Lago Titicaca (lagos Mayor y Menor)", fuel_planned="2400", fuel_used=fuel_used,
        supplies="Agua potable 6000 L; víveres para 24 días; vacunas en cadena de frío; 400 formularios de DNI",
    ))  # fmt: skip
    entities = {e.code: e.id for e in Entity.select()}
    voyages.set_entities(voyage, [(entities[code], staff, services) for code, staff, services, _w in ABOARD])
    stops, day, previous = [], first_day, None
    for name_ in route:
        community = communities[name_]
        days = 2 if name_ in TWO_DAYS else 1
        arrive = dt.datetime.combine(day, dt.time(8, 30))
        depart = dt.datetime.combine(day + dt.timedelta(days=days - 1), dt.time(16, 30))
        leg = (
            abs(float(community.distance_km or 0) - float(previous.distance_km or 0))
            if previous
            else float(community.distance_km or 0)
        )
        leg = max(leg, 6.0)
        hours = leg / 14  # about 14 km an hour on the lake
        expected = int(int(community.population or 600) * rng.uniform(0.06, 0.09))
        stops.append(
            voyages.add_stop(
                voyage, StopForm(community.id, arrive, depart, f"{leg:.1f}", f"{hours:.1f}", str(expected))
            )
        )
        day += dt.timedelta(days=days)
        previous = community
    return voyage, stops


def _voyages(session: Session, seed: int, now: dt.datetime) -> tuple[int, int]:
    rng = random.Random(seed * 7919 + 19)
    voyages = VoyageService(session)
    past_start = now.date() - dt.timedelta(days=52)
    year = past_start.year
    past, stops = _plan(
        voyages, f"Travesía {year}-III: orillas sur y norte", PAST_ROUTE, past_start, rng, fuel_used="2215"
    )
    route = {voyages.stop(s).community_name: s for s in stops}
    moved = voyages.stop(route[RESCHEDULED[0]])
    voyages.reschedule(moved.id, moved.arrives_at + dt.timedelta(days=1), moved.departs_at + dt.timedelta(days=1),
                       RESCHEDULED[1], shift_rest=True)  # fmt: skip
    voyages.skip(route[SKIPPED[0]], SKIPPED[1])
    persons, attentions = _attentions(session, voyages, [s for s in stops if s != route[SKIPPED[0]]], rng)
    next_start = now.date() + dt.timedelta(days=9)
    _plan(voyages, f"Travesía {next_start.year}-IV: islas y orilla norte",
          NEXT_ROUTE, next_start, rng)  # fmt: skip
    return persons, attentions


def _services() -> list[tuple[Service, float]]:
    by_code = {s.code: s for s in Service.select()}
    return [(by_code[code], weight) for _e, _s, _t, weights in ABOARD for code, weight in weights if code in by_code]


def _fits(code: str, sex: str, age: int) -> bool:
    """Services a person of that sex and age may receive (vaccines and CRED for children, and so on)."""
    if code in ("minsa_cred", "reniec_dni_minor", "minsa_vaccination_regular"):
        return age < 12
    if code == "minsa_prenatal_check":
        return sex == "F" and 16 <= age <= 44
    if code == "minsa_cancer_screening":
        return sex == "F" and 25 <= age <= 64
    if code in ("bn_pension65_payment", "pension65_enrolment", "pension65_health_check"):
        return age >= 65
    if code in (
        "bn_juntos_payment",
        "bn_account_opening",
        "bn_card_delivery",
        "reniec_dni_renewal",
        "reniec_dni_first",
    ):
        return age >= 18
    return True


def _age(rng: random.Random) -> int:
    band = rng.choices(range(len(PYRAMID)), weights=PYRAMID)[0]
    return band * 5 + rng.randrange(5)


def _attentions(session: Session, voyages: VoyageService, stops: list[int], rng: random.Random) -> tuple[int, int]:
    """The people served at each reached stop (residents, a few neighbours) and their atenciones."""
    services = _services()
    surnames = [s for s, _w in SURNAMES]
    weights = [w for _s, w in SURNAMES]
    documents = {
        d for (d,) in Person.select(Person.document_number).where(Person.document_number.is_null(False)).tuples()
    }
    person_rows, attention_rows, registry = [], [], []  # registry: (uuid, sex, birth) of people already served
    user = "oficina"
    with session.write():
        for stop_id in stops:
            stop = voyages.stop(stop_id)
            community = Community.get_by_id(stop.community_id)
            first_language = (community.languages.split(";") or ["es"])[0]
            served = int((stop.expected_people or 60) * rng.uniform(0.8, 1.15))
            for _n in range(served):
                if registry and rng.random() < 0.08:  # registered at an earlier stop, found here
                    person_uuid, sex, birth = rng.choice(registry)
                else:
                    sex = rng.choice("FM")
                    age = _age(rng)
                    birth = stop.arrives_at.date() - dt.timedelta(days=age * 365 + rng.randrange(365))
                    generation = 0 if birth.year < 1960 else 1 if birth.year < 1985 else 2 if birth.year < 2005 else 3
                    first = rng.choice(FIRST_NAMES[sex][generation])
                    last1, last2 = rng.choices(surnames, weights=weights, k=2)
                    document = None
                    while age >= 1 and (document is None or document in documents):
                        document = f"{rng.randrange(1_000_000, 80_000_000):08d}"
                    if document:
                        documents.add(document)
                    person_uuid = seeded_uuid(rng)
                    language = first_language if age >= 8 and rng.random() < 0.8 else "es"
                    stamp = stop.arrives_at + UTC_OFFSET
                    person_rows.append(dict(
                        uuid=person_uuid, tambo_code=session.tambo_code, created_at=stamp, created_by=user,
                        updated_at=stamp, updated_by=user, document_type="dni" if document else "none",
                        document_number=document, first_names=first, last_name_1=last1, last_name_2=last2,
                        name_key=name_key(first, last1, last2), sex=sex, birth_date=birth, community=community.id,
                        first_language=language,
                    ))  # fmt: skip
                    registry.append((person_uuid, sex, birth))
                age = (stop.arrives_at.date() - birth).days // 365
                fitting = [(s, w) for s, w in services if _fits(s.code, sex, age)]
                chosen = []
                for _k in range(rng.choices((1, 2, 3), weights=(5, 3, 1))[0]):
                    service = rng.choices([s for s, _w in fitting], weights=[w for _s, w in fitting])[0]
                    if service not in chosen:
                        chosen.append(service)
                day = stop.arrives_at.date() + dt.timedelta(
                    days=rng.randrange((stop.departs_at.date() - stop.arrives_at.date()).days + 1)
                )
                at = dt.datetime.combine(day, dt.time(8, 45)) + dt.timedelta(
                    minutes=rng.randrange(7 * 60)
                )  # 08:45 to 15:45
                at = min(
                    max(at, stop.arrives_at + dt.timedelta(minutes=15)), stop.departs_at - dt.timedelta(minutes=15)
                )
                for service in chosen:
                    voided = rng.random() < 0.01
                    attention_rows.append(dict(
                        uuid=seeded_uuid(rng), tambo_code=session.tambo_code, created_at=at + UTC_OFFSET, created_by=user,
                        updated_at=at + UTC_OFFSET, updated_by=user, attended_at=at, place="inside", community=None,
                        entity=service.entity_id, service=service.id, person=person_uuid, voided=voided,
                        void_reason=rng.choice(VOID_REASONS) if voided else "", voyage_stop=stop_id,
                    ))  # fmt: skip
            voyages.mark_reached(stop_id)
        for start in range(0, len(person_rows), 500):
            Person.insert_many(person_rows[start : start + 500]).execute()
        ids = dict(Person.select(Person.uuid, Person.id).tuples())
        for row in attention_rows:
            row["person"] = ids[row["person"]]
        for start in range(0, len(attention_rows), 500):
            Attention.insert_many(attention_rows[start : start + 500]).execute()
        what = _("datos de demostración de la PIAS")
        session.audit(
            "import", "person", summary=_("{what}: {n} personas").format(what=what, n=format_number(len(person_rows)))
        )
        session.audit("import", "attention", summary=_("{what}: {n} atenciones ({voided} anuladas)").format(
            what=what, n=format_number(len(attention_rows)), voided=format_number(sum(r["voided"] for r in attention_rows))))  # fmt: skip
    return len(person_rows), len(attention_rows)
