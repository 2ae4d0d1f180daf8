"""Oficios to the leaders of a campaign's communities: one personalised letter per leader, in the
leader's language (Quechua or Aymara) with the Spanish below, on the tambo's letterhead, with a
reference number given once and kept when printed again; and the delivery list to tick who got theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from tambo_desktop.db.models import CampaignCommunity, Community, District, Leader, Letter, Tambo
from tambo_desktop.documents.flyers import date_text
from tambo_desktop.errors import NotFound, TamboError
from tambo_desktop.i18n import _, format_date, use_language
from tambo_desktop.services.campaigns import CampaignDetail, CampaignService
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import BRING_ITEMS, LEADER_ROLES, label

MINISTRY = "Ministerio de Desarrollo e Inclusión Social — Programa Nacional PAIS"  # proper names


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


def reference(number: int, year: int, tambo_code: str) -> str:
    """The oficio's number as it is written in Peru's public administration (always in Spanish)."""
    return f"OFICIO N.° {number:03d}-{year}-TAMBO-{tambo_code}"


class LetterService:
    """Letters to leaders and their delivery (``campaigns.view`` / ``campaigns.edit``)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.campaigns = CampaignService(session)

    def _language(self, leader: Leader, detail: CampaignDetail) -> str:
        if leader.language in ("qu", "ay"):
            return leader.language
        return "" if leader.language else detail.local_language

    def letters(self, campaign_id: int, today: dt.date | None = None) -> list[LetterRow]:
        """A letter for every leader of the campaign's communities; leaders added since get a new
        number, the others keep theirs."""
        self.session.require("campaigns.edit")
        detail = self.campaigns.get(campaign_id)
        year = (today or dt.date.today()).year
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
                          x.leader.role, x.leader.community.name, self._language(x.leader, detail), x.delivered_on)
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

    def print_letters(self, campaign_id: int, path: Path, signer: str = "", today: dt.date | None = None) -> int:
        """All the letters in one PDF (a page each); returns the number of letters."""
        from reportlab.platypus import PageBreak

        from tambo_desktop.documents.style import build_pdf

        rows = self.letters(campaign_id, today)
        detail = self.campaigns.get(campaign_id)
        content = self.campaigns.flyer_content(campaign_id)
        today = today or dt.date.today()
        tambo = Tambo.select().first()
        district = District.get_or_none(District.code == tambo.district_id) if tambo else None
        signer = signer or self.session.user.full_name
        story: list = []
        for row in rows:
            if story:
                story.append(PageBreak())
            story += _letter(row, detail, content, tambo, district, signer, today)
        footer = " · ".join(x for x in (tambo.name if tambo else "", tambo.address if tambo else "",
                                        tambo.phone if tambo else "") if x)  # fmt: skip
        build_pdf(path, story, detail.title_es, footer, self.session.user.full_name, numbered=False)
        self.campaigns.record_document(campaign_id, "letters", {"signer": signer}, len(rows))
        return len(rows)

    def print_delivery(self, campaign_id: int, path: Path) -> int:
        """The delivery list: one line per letter, to sign on receipt; returns the number of pages."""
        from tambo_desktop.documents.style import build_pdf, table, text

        rows = self.rows(campaign_id)
        if not rows:
            raise TamboError(_("Imprima primero los oficios: la lista sale de ellos."))
        detail = self.campaigns.get(campaign_id)
        story = [text(_("Lista de entrega de oficios"), "title"), text(detail.title_es, "subtitle")]
        body = [[_("Oficio"), _("Dirigente"), _("Cargo"), _("Centro poblado"), _("Entregado"), _("Firma")]]
        for row in rows:
            body.append([row.reference, row.leader_name, label(LEADER_ROLES, row.role), row.community,
                         format_date(row.delivered_on, "dd/MM/yyyy") if row.delivered_on else "", "\n\n"])  # fmt: skip
        story.append(table(body, [0.2, 0.2, 0.16, 0.16, 0.12, 0.16]))  # 0.12: a dd/MM/yyyy date and «Entregado» unbroken
        tambo = Tambo.select().first()
        pages = build_pdf(path, story, _("Lista de entrega de oficios"), tambo.name if tambo else "")
        self.campaigns.record_document(campaign_id, "delivery", {}, pages)
        return pages


def _letter(row: LetterRow, detail: CampaignDetail, content, tambo, district, signer: str, today: dt.date) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, KeepTogether, Spacer

    from tambo_desktop.documents.style import text

    tambo_name = tambo.name if tambo else ""
    story = [text(MINISTRY, "small"), text(tambo_name, "title")]
    if district is not None:
        story.append(text(f"{tambo.centro_poblado} · {district.name}", "subtitle"))
    story.append(HRFlowable(width="100%", thickness=0.8, spaceBefore=2, spaceAfter=8))
    languages = [row.language, "es"] if row.language else ["es"]
    place = district.name.title() if district is not None else ""
    for index, language in enumerate(languages):
        with use_language(language):
            if index:
                story.append(HRFlowable(width="100%", thickness=0.4, dash=(2, 2), spaceBefore=6, spaceAfter=6))
                story.append(text(_("En castellano:"), "small"))
            else:
                day = format_date(today, "d 'de' MMMM 'de' yyyy" if language == "es" else "long")
                story.append(text(f"{place}, {day}".strip(", "), "body"))
                story.append(text(row.reference, "heading"))
                story.append(text(_("Señor(a):"), "body"))
                story.append(text(row.leader_name, "heading"))
                story.append(text(label(LEADER_ROLES, row.role) + " — " + _("Centro poblado {name}").format(
                    name=row.community), "body"))  # fmt: skip
                story.append(Spacer(1, 3 * mm))
            story += _body(row, detail, content, tambo_name, language)
    story.append(Spacer(1, 16 * mm))
    story.append(KeepTogether([text("_______________________________", "body"), text(signer, "body"),
                               text(_("Gestor(a) institucional — {tambo}").format(tambo=tambo_name), "small")]))  # fmt: skip
    return story


def _body(row: LetterRow, detail: CampaignDetail, content, tambo_name: str, language: str) -> list:
    from tambo_desktop.documents.style import text

    entities = ", ".join(dict.fromkeys(e.entity for e in content.events))
    story = [text(_("Asunto: {entities} en beneficio de su comunidad").format(entities=entities), "cell_bold"),
             text(_("Reciba un cordial saludo del {tambo}. Le comunicamos que se brindarán estos servicios "
                    "gratuitos a las familias de su comunidad:").format(tambo=tambo_name), "body")]  # fmt: skip
    for event in content.events:
        services = "; ".join(dict.fromkeys(_(name) for name, _category in event.services))
        line = _("{day}, de {start} a {end}, en {place}: {entity}").format(
            day=date_text(event.starts_at.date(), language), start=f"{event.starts_at:%H:%M}",
            end=f"{event.ends_at:%H:%M}", place=event.place, entity=event.entity)  # fmt: skip
        story.append(text(f"• {line}" + (f" — {services}" if services else ""), "body"))
    items = [_(BRING_ITEMS[b]) for b in content.bring if b in BRING_ITEMS]
    if items:
        story.append(text(_("Las personas deben traer: {items}.").format(items=", ".join(items)), "body"))
    story.append(text(_("Le pedimos, como autoridad de {community}, difundir esta invitación entre las familias de "
                        "su comunidad. Agradecemos su apoyo.").format(community=row.community), "body"))  # fmt: skip
    story.append(text(_("Atentamente,"), "body"))
    return story
