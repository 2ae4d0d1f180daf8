"""Oficios to the leaders of a campaign's communities: one personalised letter per leader, in the
leader's language (Quechua or Aymara) with the Spanish below, on the tambo's letterhead, with a
reference number given once and kept when printed again; and the delivery list to tick who got theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop import dates
from tambo_desktop.db.models import CampaignCommunity, Community, District, Leader, Letter, Tambo
from tambo_desktop.errors import NotFound, TamboError
from tambo_desktop.i18n import _, current_language
from tambo_desktop.services.campaigns import CampaignDetail, CampaignService
from tambo_desktop.services.session import Session


@dataclass(frozen=True)
class LetterRow:
    id: int
    reference: str
    leader_id: int
    leader_name: str
    role: str
    community: str
    language: str  # the language the letter is written in besides Spanish ('' for Spanish only)
    delivered_on: dt.date | None
    leader_sex: str = ""  # F, M or '' (not said): the salutation agrees


def reference(number: int, year: int, tambo_code: str) -> str:
    """The oficio's number as it is written in Peru's public administration (always in Spanish)."""
    return f"OFICIO N.° {number:03d}-{year}-TAMBO-{tambo_code}"


class LetterService:
    """Letters to leaders and their delivery (``campaigns.view`` / ``campaigns.edit``)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.campaigns = CampaignService(session)

    def _language(self, leader: Leader, detail: CampaignDetail) -> str:
        from tambo_desktop import phrases

        if leader.language and leader.language != "es" and phrases.has_phrases(leader.language):
            return leader.language
        return "" if leader.language else detail.local_language

    def letters(self, campaign_id: int, today: dt.date | None = None) -> list[LetterRow]:
        """A letter for every leader of the campaign's communities; leaders added since get a new
        number, the others keep theirs."""
        self.session.require("campaigns.edit")
        detail = self.campaigns.get(campaign_id)
        year = (today or dates.today()).year
        leaders = list(Leader.select(Leader, Community).join(Community).join(CampaignCommunity, on=(
            CampaignCommunity.community == Community.id)).where(CampaignCommunity.campaign == campaign_id)
            .order_by(Community.name, Leader.name_key))  # fmt: skip
        if not leaders:
            raise TamboError(_("Los centros poblados de la campaña no tienen dirigentes registrados."))
        with self.session.write():
            have = {x.leader_id for x in Letter.select(Letter.leader).where(Letter.campaign == campaign_id)}
            last = Letter.select(pw.fn.MAX(Letter.number)).where(Letter.year == year).scalar() or 0
            for leader in leaders:
                if leader.id not in have:
                    last += 1
                    self.session.save(Letter(campaign=campaign_id, leader=leader.id, year=year, number=last),
                                      summary=f"{reference(last, year, self.session.tambo_code)} {leader.name}")  # fmt: skip
        return self._rows(campaign_id, detail)

    def rows(self, campaign_id: int) -> list[LetterRow]:
        """The letters already given a number."""
        self.session.require("campaigns.view")
        return self._rows(campaign_id, self.campaigns.get(campaign_id))

    def _rows(self, campaign_id: int, detail: CampaignDetail) -> list[LetterRow]:
        query = (Letter.select(Letter, Leader, Community).join(Leader).join(Community)
                 .where(Letter.campaign == campaign_id).order_by(Letter.year, Letter.number))  # fmt: skip
        return [LetterRow(x.id, reference(x.number, x.year, x.tambo_code), x.leader_id, x.leader.name,
                          x.leader.role, x.leader.community.name, self._language(x.leader, detail), x.delivered_on,
                          x.leader.sex)
                for x in query]  # fmt: skip

    def set_delivered(self, letter_id: int, day: dt.date | None) -> None:
        """Tick (with the day) or untick a letter on the delivery list."""
        self.session.require("campaigns.edit")
        with self.session.write():
            letter = Letter.get_or_none(Letter.id == letter_id)
            if letter is None:
                raise NotFound(_("El oficio ya no existe."))
            letter.delivered_on = day
            self.session.save(letter, summary=reference(letter.number, letter.year, letter.tambo_code))

    # -- printing -------------------------------------------------------------------------------

    def export_pdf(self, campaign_id: int, path: Path, signer: str = "", today: dt.date | None = None) -> int:
        """All the letters in one PDF (a page each); returns the number of letters."""
        from tambo_desktop.documents import letters

        rows = self.letters(campaign_id, today)
        signer = signer or self.session.user.full_name
        document = letters.LettersDocument(
            rows=rows,
            campaign=self.campaigns.get(campaign_id),
            content=self.campaigns.flyer_content(campaign_id),
            letterhead=_letterhead(),
            signer=signer,
            author=self.session.user.full_name,
            today=today or dates.today(),
        )
        letters.render(document, Path(path))
        self.campaigns.record_document(campaign_id, "letters", {"signer": signer}, len(rows))
        return len(rows)

    def export_delivery_pdf(self, campaign_id: int, path: Path, language: str | None = None) -> int:
        """The delivery list in ``language`` (by default the interface's): one line per letter, to sign on
        receipt; returns the number of pages."""
        from tambo_desktop.documents import letters

        rows = self.rows(campaign_id)
        if not rows:
            raise TamboError(_("Imprima primero los oficios: la lista sale de ellos."))
        detail = self.campaigns.get(campaign_id)
        language = language or current_language()
        title = detail.title_local if language == detail.local_language and detail.title_local else detail.title_es
        pages = letters.render_delivery(rows, title, _letterhead().name, Path(path), language)
        self.campaigns.record_document(campaign_id, "delivery", {}, pages)
        return pages


def _letterhead():
    """The tambo's letterhead as plain values."""
    from tambo_desktop.documents.letters import Letterhead

    tambo = Tambo.select().first()
    if tambo is None:
        return Letterhead()
    district = District.get_or_none(District.code == tambo.district_id)
    return Letterhead(tambo.name, tambo.centro_poblado or "", district.name if district else "", tambo.address or "",
                      tambo.phone or "")  # fmt: skip
