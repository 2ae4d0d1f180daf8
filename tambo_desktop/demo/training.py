"""The demo tambo's trainings: the staff's (ISO 9001 quality management, intercultural approach,
Aymara, a service protocol) and the community's (guinea-pig husbandry with PRODUCE, finance with the
Banco de la Nación, digital literacy), with sessions, attendance, results and certificates.

Written through :class:`TrainingService`, so every row is validated and audited like a user's. The
staff's ISO 9001 certification, valid for a year, was earned eleven months before ``until``: it shows
as expiring on the Today page.
"""

from __future__ import annotations

import datetime as dt
import random

from tambo_desktop.db.models import Entity, Person, Space, User
from tambo_desktop.services.certificates import CertificateService
from tambo_desktop.services.session import Session
from tambo_desktop.services.training import CourseForm, SessionForm, TrainingService

STAFF = (
    # title, topic, entity, trainer, language, certification, months, days before until, sessions (hours)
    ("ISO 9001:2015: gestión de la calidad en el tambo", "quality", "PAIS", "Ing. Carmen Salas", "es",
     "Auditor interno ISO 9001:2015", 12, 335, (8, 8)),
    ("Enfoque intercultural en la atención", "intercultural", "MINCUL", "Lic. Félix Ccahuana", "es",
     "Atención con enfoque intercultural", None, 70, (4,)),
    ("Aymara básico para el personal", "language", "MINCUL", "Prof. Basilia Mamani", "ay", "", None, 40, (3, 3, 3)),
    ("Protocolo de atención de Pensión 65", "protocol", "PENSION65", "Lic. Rocío Vilca", "es", "", None, 20, (4,)),
)  # fmt: skip
COMMUNITY = (
    ("Crianza y sanidad de cuyes", "productive", "PRODUCE", "Téc. Edwin Calla", "ay",
     "Criador de cuyes", None, 50, (4, 4), 25),
    ("Educación financiera: ahorro y uso de la tarjeta", "finance", "BN", "Lic. Sonia Ccama", "es",
     "Educación financiera básica", None, 25, (3,), 18),
    ("Alfabetización digital para jóvenes", "digital", "PAIS", "Ing. Rubén Mendoza", "es", "", None, 12, (2, 2, 2), 12),
)  # fmt: skip


def load(session: Session, until: dt.datetime, seed: int | str) -> int:
    """Create the demo's courses (only those whose sessions are before ``until``); returns how many."""
    rng = random.Random(f"tambo-demo-training-{seed}")
    training = TrainingService(session)
    certificates = CertificateService(session)
    entities = dict(Entity.select(Entity.code, Entity.id).tuples())
    room = Space.select(Space.id).where(Space.name == "Sala de reuniones").scalar()
    staff = [u.id for u in User.select().where((User.active == True) & (User.role != "supervisor"))]  # noqa: E712
    adults = [p.id for p in Person.select(Person.id).where(
        (Person.anonymized == False) & Person.birth_date.is_null(False)  # noqa: E712
        & (Person.birth_date <= until.date() - dt.timedelta(days=16 * 365))
        & (Person.birth_date >= until.date() - dt.timedelta(days=70 * 365))
    ).order_by(Person.id)]  # fmt: skip
    made = 0
    for spec in STAFF + COMMUNITY:
        title, topic, entity, trainer, language, certification, months, before, hours = spec[:9]
        audience = "staff" if spec in STAFF else "community"
        if audience == "community" and len(adults) < spec[9]:
            continue
        first = (until - dt.timedelta(days=before)).date()
        form = CourseForm(title, topic, audience, entities.get(entity), "", trainer, language, certification,
                          str(months) if months else "")  # fmt: skip
        course = training.save_course(form)
        sessions, held = [], []
        for index, length in enumerate(hours):
            start = dt.datetime.combine(first + dt.timedelta(days=7 * index), dt.time(9))
            sessions.append(
                training.save_session(course, SessionForm(start, start + dt.timedelta(hours=length), "inside", room))
            )
            if start + dt.timedelta(hours=length) <= until:
                held.append(sessions[-1])
        people = staff if audience == "staff" else rng.sample(adults, spec[9])
        enrolled = [training.enroll(course, user_id=p) if audience == "staff" else training.enroll(course, person_id=p)
                    for p in people]  # fmt: skip
        for session_id in held:  # a course still going on has its later sessions programmed
            present = {e for e in enrolled if rng.random() < 0.92}
            training.set_attendance(session_id, present)
        made += 1
        if len(held) < len(sessions):
            continue
        participants = training.participants(course)
        passed = [p.id for p in participants if p.sessions_attended == len(sessions) and rng.random() < 0.9]
        failed = [p.id for p in participants if p.sessions_attended and p.id not in passed and rng.random() < 0.5]
        if certification:
            training.set_result(passed, "passed")
            if failed:
                training.set_result(failed, "failed")
            if before > 30:  # certificates of older courses were printed already
                certificates._issue([p for p in training.participants(course) if p.result in ("attended", "passed")])
    return made
