"""The radio announcement: 30 to 60 seconds for the local station in Spanish and Quechua or Aymara,
made from the interventions, editable (the campaign keeps the edited text), printable.

How long it takes to read is estimated from the words: an announcer reads about 150 Spanish
words a minute; Quechua and Aymara words are longer (one word carries what Spanish says in
several), about 110 a minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tambo_desktop.db.models import Campaign, Intervention
from tambo_desktop.documents.flyers import FlyerContent, check_languages
from tambo_desktop.errors import NotFound, TamboError
from tambo_desktop.i18n import _, format_date, use_language
from tambo_desktop.services.campaigns import CampaignService, content_for
from tambo_desktop.services.session import Session
from tambo_desktop.vocabulary import BRING_ITEMS, SPOKEN_LANGUAGES, label

WORDS_PER_MINUTE = {"es": 150, "qu": 110, "ay": 110}
SHORTEST, LONGEST = 30, 60  # seconds


def seconds(script: str, language: str) -> int:
    """About how long ``script`` takes to read aloud."""
    return round(len(script.split()) * 60 / WORDS_PER_MINUTE.get(language, 130))


def timing_note(script: str, language: str) -> str:
    """«About 45 seconds», with a warning when outside 30–60 seconds."""
    length = seconds(script, language)
    note = _("Unos {seconds} segundos de lectura.").format(seconds=length)
    if length > LONGEST:
        note += " " + _("Es largo para un anuncio de radio: acórtelo a 60 segundos.")
    elif length < SHORTEST:
        note += " " + _("Es corto: puede repetir la fecha y el lugar.")
    return note


def generate(content: FlyerContent, communities: list[str], language: str) -> str:
    """The announcement in ``language``, from the interventions."""
    with use_language(language):
        lines = []
        if communities:
            lines.append(_("¡Atención, familias de {communities}!").format(communities=", ".join(communities)))
        else:
            lines.append(_("¡Atención, familias de nuestras comunidades!"))
        lines.append(_("El {tambo} les hace una invitación.").format(tambo=content.tambo_name))
        for event in content.events:
            services = ", ".join(dict.fromkeys(_(name) for name, _category in event.services))
            line = _("El {day}, de {start} a {end}, en {place}, {entity} atenderá con: {services}.") if services else \
                _("El {day}, de {start} a {end}, en {place}, les atenderá {entity}.")  # fmt: skip
            lines.append(line.format(day=format_date(event.starts_at.date(), "spoken"),
                                     start=f"{event.starts_at:%H:%M}", end=f"{event.ends_at:%H:%M}",
                                     place=event.place, entity=event.entity, services=services))  # fmt: skip
        items = [_(BRING_ITEMS[b]) for b in content.bring if b in BRING_ITEMS]
        if items:
            lines.append(_("No se olviden de traer: {items}.").format(items=", ".join(items)))
        lines.append(_("Todos los servicios son gratuitos. ¡Les esperamos!"))
        return "\n".join(_sentence(line) for line in lines)


def _sentence(line: str) -> str:
    """The line with its first letter in capitals: a Quechua or Aymara line that opens with the date
    ("lunisa, 21 risimri phaxsina, …") is read as the start of a sentence."""
    for at, char in enumerate(line):
        if char.isalpha():
            return line[:at] + char.upper() + line[at + 1 :]
    return line


@dataclass(frozen=True)
class RadioScript:
    title: str
    texts: dict[str, str]  # language → text, in the order printed
    first_day: dt.date | None


class RadioService:
    """Radio scripts of a campaign or of a single intervention."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.campaigns = CampaignService(session)

    def for_campaign(self, campaign_id: int, languages: list[str] | None = None) -> RadioScript:
        """The campaign's script: the edited text where there is one, made from the interventions otherwise."""
        self.session.require("campaigns.view")
        detail = self.campaigns.get(campaign_id)
        languages = check_languages(languages or ["es", detail.local_language], detail.local_language)
        campaign = Campaign.get_by_id(campaign_id)
        content = self.campaigns.flyer_content(campaign_id)
        texts = {}
        for language in languages:
            edited = campaign.radio_es if language == "es" else campaign.radio_local
            texts[language] = edited.strip() or generate(content, list(detail.community_names), language)
        first = detail.interventions[0].starts_at.date() if detail.interventions else None
        return RadioScript(detail.title_es, texts, first)

    def for_intervention(self, intervention_id: int, languages: list[str]) -> RadioScript:
        """The script of an intervention: its campaign's if it has one, otherwise made from it alone."""
        self.session.require("campaigns.view")
        campaign_id = self.campaigns.for_intervention(intervention_id)
        if campaign_id is not None:
            return self.for_campaign(campaign_id, languages)
        if Intervention.get_or_none(Intervention.id == intervention_id) is None:
            raise NotFound(_("La intervención ya no existe."))
        languages = check_languages(languages)
        row = self.campaigns.interventions.get(intervention_id)
        content = content_for([row])
        communities = [row.community_name] if row.community_name else []
        texts = {language: generate(content, communities, language) for language in languages}
        return RadioScript(row.title, texts, row.starts_at.date())

    def save(self, campaign_id: int, text_es: str, text_local: str) -> None:
        """Keep the edited script (a blank text goes back to the one made from the interventions)."""
        self.session.require("campaigns.edit")
        for text in (text_es, text_local):
            if len(text) > 4000:
                raise TamboError(_("El guion es demasiado largo para un anuncio de radio."))
        with self.session.write():
            campaign = self.campaigns._campaign(campaign_id)
            campaign.radio_es, campaign.radio_local = text_es.strip(), text_local.strip()
            self.session.save(campaign, summary=campaign.title_es)

    def export_pdf(self, script: RadioScript, path: Path, campaign_id: int | None = None) -> int:
        """The script on A4, in large type to read aloud; returns the number of pages."""
        from tambo_desktop.documents import radio

        self.session.require("campaigns.edit" if campaign_id else "campaigns.view")
        sections = []
        for language, body in script.texts.items():
            with use_language(language):  # each section's heading in its own language
                sections.append((label(SPOKEN_LANGUAGES, language), timing_note(body, language), body))
        document = radio.RadioDocument(
            title=script.title,
            first_day=script.first_day,
            sections=sections,
            author=self.session.user.full_name,
            languages=tuple(script.texts),
        )
        pages = radio.render(document, Path(path))
        if campaign_id:
            self.campaigns.record_document(campaign_id, "radio", {"languages": list(script.texts)}, pages)
        return pages
