"""Announcing a PIAS's stop with the existing campaigns (issue 19, part 4): the stop becomes an
intervention outside the platform, in its community, on its dates, with the services of the entities
aboard; a campaign for it starts two weeks before, in Spanish and the community's language where the
project has its phrases (Quechua, Aymara, or a translator's phrase file: ``phrases.py``), so flyers, letters to the leaders and radio scripts come from the campaigns as for a tambo."""

from __future__ import annotations

import datetime as dt

from tambo_desktop import phrases
from tambo_desktop.db.models import Intervention, Service
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _
from tambo_desktop.services.campaigns import CampaignForm, CampaignService
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.session import Session
from tambo_desktop.services.voyages import VoyageService

#: The campaign starts this many days before the ship arrives (PAIS: one to two weeks).
DAYS_BEFORE = 14
#: Services of each entity aboard that the flyer names (the first of its catalogue).
SERVICES_PER_ENTITY = 2


def announcement_language(languages: str) -> tuple[str, str]:
    """The language a stop's announcement is printed in besides Spanish, from the community's languages
    (``qu;es``, in the order recorded): the first one the project has the phrases of (Quechua, Aymara or
    a translator's phrase file); '' for Spanish only, with what to tell the user why ('' when not)."""
    recorded = [code for code in languages.split(";") if code]
    codes = [code for code in recorded if code != "es"]
    for code in codes:
        if phrases.has_phrases(code):
            return code, ""
    if not recorded:
        return "", _("El centro poblado no tiene registrada su lengua: el anuncio sale solo en castellano.")
    return "", phrases.why_spanish_only(codes[0]) if codes else ""


class StopAnnouncementService:
    """Make (once) the intervention and the campaign that announce a stop (``voyages.edit`` and the
    permissions of interventions and campaigns)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.voyages = VoyageService(session)
        self.campaigns = CampaignService(session)

    def language(self, stop_id: int) -> tuple[str, str]:
        """The stop's announcement language besides Spanish and, when it is Spanish only, why."""
        self.session.require("voyages.view")
        return announcement_language(self.voyages.stop(stop_id).languages)

    def announce(self, stop_id: int) -> int:
        """The campaign announcing the stop (made the first time); returns its id."""
        self.session.require("voyages.edit")
        stop = self.voyages.stop(stop_id)
        if stop.status == "skipped":
            raise TamboError(_("Esta parada fue omitida: no se anuncia."))
        voyage = self.voyages.get(stop.voyage_id)
        with self.session.write():
            existing = Intervention.get_or_none(
                (Intervention.community == stop.community_id) & (Intervention.starts_at == stop.arrives_at)
                & (Intervention.place == "outside")
            )  # fmt: skip
            if existing is not None:
                found = self.campaigns.for_intervention(existing.id)
                if found is not None:
                    return found
                intervention_id = existing.id
            else:
                services: list[int] = []
                for entity in voyage.entities:
                    query = (Service.select(Service.id).where((Service.entity == entity.entity_id) & (Service.active == True))  # noqa: E712
                             .order_by(Service.id).limit(SERVICES_PER_ENTITY))  # fmt: skip
                    services += [s.id for s in query]
                form = InterventionForm(
                    title=f"{voyage.name}: {stop.community_name}"[:150], entity_id=None, kind="direct",
                    service_ids=services, place="outside", community_id=stop.community_id, travel_minutes="0",
                    starts_at=stop.arrives_at, ends_at=stop.departs_at,
                    expected_participants="" if stop.expected_people is None else str(stop.expected_people),
                    notes=_("Parada {n} de la travesía «{voyage}»").format(n=stop.position, voyage=voyage.name),
                )  # fmt: skip
                intervention_id = InterventionService(self.session).save(form, confirm=True).ids[0]
            local, _notice = announcement_language(stop.languages)
            campaign = CampaignForm(
                title_es=_("La PIAS llega a {community}").format(community=stop.community_name)[:120],
                local_language=local, channels=["radio", "leaders", "flyers"], bring=["dni"],
                starts_on=stop.arrives_at.date() - dt.timedelta(days=DAYS_BEFORE),
                intervention_ids=[intervention_id], community_ids=[stop.community_id],
            )  # fmt: skip
            return self.campaigns.save(campaign)
