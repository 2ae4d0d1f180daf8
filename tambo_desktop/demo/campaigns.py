"""The demo tambo's next campaign: RENIEC in the auditorium and MINSA in a community on the same
day, twelve days after ``until``, announced by radio, through the leaders and with flyers; the
first tasks of its checklist already done, so the Today page and the Campaigns page have something
real to show.
"""

from __future__ import annotations

import datetime as dt

from tambo_desktop.db.models import Community, Entity, Intervention, Service, Space
from tambo_desktop.services.campaigns import CampaignForm, CampaignService
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.session import Session

DAYS_AHEAD = 12
TITLE_ES = "Tu DNI y tu salud, en tu tambo"
TITLE_AY = "DNI ukhamaraki qullañ uñjawi, tambon"
MESSAGE_ES = (
    "RENIEC tramita el DNI de niños y adultos; MINSA vacuna y controla a las familias. Venga con toda su familia."
)
MESSAGE_AY = "RENIEC wawanakan jach'a jaqinakan DNI lurani; MINSA familianakaruw qullani. Taqi familiamampi jutma."


def _day(until: dt.datetime, space: int | None = None) -> dt.date:
    day = until.date() + dt.timedelta(days=DAYS_AHEAD)
    while day.weekday() >= 5 or _taken(space, day):  # entities come on weekdays, to a free auditorium
        day += dt.timedelta(days=1)
    return day


def _taken(space: int | None, day: dt.date) -> bool:
    """Whether the demo calendar already put an intervention in ``space`` on ``day``."""
    start = dt.datetime.combine(day, dt.time.min)
    return (
        space is not None
        and Intervention.select()
        .where(
            (Intervention.space == space)
            & (Intervention.starts_at < start + dt.timedelta(days=1))
            & (Intervention.ends_at > start)
        )
        .exists()
    )


def load(session: Session, until: dt.datetime) -> int | None:
    """Write the two interventions and their campaign; returns the campaign's id (None without RENIEC or MINSA)."""
    reniec = Entity.get_or_none(Entity.code == "RENIEC")
    minsa = Entity.get_or_none(Entity.code == "MINSA")
    community = Community.select().order_by(Community.name).first()
    if reniec is None or minsa is None or community is None:
        return None
    space = Space.select(Space.id).where(Space.kind == "auditorium").scalar()
    day = _day(until, space)
    interventions = InterventionService(session)
    ids = []
    for entity, place, start, end in ((reniec, "inside", 9, 13), (minsa, "outside", 9, 15)):
        services = [s.id for s in Service.select().where(Service.entity == entity).order_by(Service.id).limit(3)]
        form = InterventionForm(
            title=f"Campaña {entity.code}", entity_id=entity.id, kind="support", service_ids=services, place=place,
            space_id=space if place == "inside" else None, community_id=community.id if place == "outside" else None,
            starts_at=dt.datetime.combine(day, dt.time(start)), ends_at=dt.datetime.combine(day, dt.time(end)),
            expected_participants="60", status="programmed",
        )  # fmt: skip
        result = interventions.save(form, confirm=True)
        ids.append(result.ids[0])
    campaigns = CampaignService(session)
    others = [c.id for c in Community.select(Community.id).order_by(Community.name).limit(4)]
    campaign_id = campaigns.save(CampaignForm(
        TITLE_ES, TITLE_AY, MESSAGE_ES, MESSAGE_AY, "ay", "side", ["radio", "leaders", "flyers"], ["dni", "minor_dni", "vaccination_card"],
        None, ids, others,
    ))  # fmt: skip
    for task in campaigns.tasks(campaign_id)[:2]:
        campaigns.tick(task.id, True, at=until - dt.timedelta(days=1))
    return campaign_id
