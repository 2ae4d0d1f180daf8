"""Oficios to leaders (one page each, in the leader's language with the Spanish below) and their
delivery list. The data comes from :class:`tambo_desktop.services.letters.LetterService`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tambo_desktop.documents.flyers import date_text
from tambo_desktop.i18n import _, format_date, use_language
from tambo_desktop.vocabulary import BRING_ITEMS, LEADER_ROLES, label


@dataclass(frozen=True)
class Letterhead:
    """The tambo as its letters show it."""

    name: str = ""
    centro_poblado: str = ""
    district: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class LettersDocument:
    """Everything the letters of one campaign show (rows: the service's ``LetterRow``s)."""

    rows: list[Any]
    campaign: Any  # the campaign's detail: title_es…
    content: Any  # its flyer content: events, what to bring
    letterhead: Letterhead
    signer: str
    author: str
    today: dt.date


def render(document: LettersDocument, path: Path) -> int:
    """All the letters in one PDF (a page each); returns the number of pages."""
    from reportlab.platypus import PageBreak

    from tambo_desktop.documents.style import build_pdf

    story: list = []
    for row in document.rows:
        if story:
            story.append(PageBreak())
        story += _letter(row, document)
    head = document.letterhead
    footer = " · ".join(x for x in (head.name, head.address, head.phone) if x)
    language = next((row.language for row in document.rows if row.language), "es")  # the file's language tag
    return build_pdf(path, story, document.campaign.title_es, footer, document.author, numbered=False,
                     languages=[language])  # fmt: skip


def render_delivery(rows: list[Any], title: str, tambo_name: str, path: Path, language: str = "es") -> int:
    """The delivery list in ``language``: one line per letter, to sign on receipt; returns the number of pages."""
    with use_language(language):
        return _render_delivery(rows, title, tambo_name, path)


def _render_delivery(rows: list[Any], title: str, tambo_name: str, path: Path) -> int:
    from tambo_desktop.documents.style import build_pdf, table, text

    story = [text(_("Lista de entrega de oficios"), "title"), text(title, "subtitle")]
    body = [[_("Oficio"), _("Dirigente"), _("Cargo"), _("Centro poblado"), _("Entregado"), _("Firma")]]
    for row in rows:
        body.append([row.reference, row.leader_name, label(LEADER_ROLES, row.role), row.community,
                     format_date(row.delivered_on, "short") if row.delivered_on else "", "\n\n"])  # fmt: skip
    story.append(table(body, [0.2, 0.2, 0.16, 0.16, 0.12, 0.16]))  # 0.12: a dd/MM/yyyy date and «Entregado» unbroken
    return build_pdf(path, story, _("Lista de entrega de oficios"), tambo_name)


MINISTRY = "Ministerio de Desarrollo e Inclusión Social — Programa Nacional PAIS"  # proper names


def _letter(row: Any, document: LettersDocument) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, KeepTogether, Spacer

    from tambo_desktop.documents.style import text

    head, detail, content, signer, today = (document.letterhead, document.campaign, document.content, document.signer,
                                            document.today)  # fmt: skip
    tambo_name = head.name
    story = [text(MINISTRY, "small"), text(tambo_name, "title")]
    if head.district:
        story.append(text(f"{head.centro_poblado} · {head.district}", "subtitle"))
    story.append(HRFlowable(width="100%", thickness=0.8, spaceBefore=2, spaceAfter=8))
    languages = [row.language, "es"] if row.language else ["es"]
    place = head.district.title()
    for index, language in enumerate(languages):
        with use_language(language):
            if index:
                story.append(HRFlowable(width="100%", thickness=0.4, dash=(2, 2), spaceBefore=6, spaceAfter=6))
                story.append(text(_("En castellano:"), "small"))
            else:
                # the date in the letter's language and in Spanish: «Acora, 6 tisiyimri 2026 / 6 de diciembre de 2026»
                day = " / ".join(dict.fromkeys(format_date(today, "long", code) for code in languages))
                story.append(text(f"{place}, {day}".strip(", "), "body"))
                story.append(text(row.reference, "heading"))
                story.append(text(salutation(getattr(row, "leader_sex", "")), "body"))
                story.append(text(row.leader_name, "heading"))
                story.append(text(label(LEADER_ROLES, row.role) + " — " + _("Centro poblado {name}").format(
                    name=row.community), "body"))  # fmt: skip
                story.append(Spacer(1, 3 * mm))
            story += _body(row, detail, content, tambo_name, language)
    story.append(Spacer(1, 16 * mm))
    captions = []  # the signer's title in the letter's languages, whatever the interface's
    for language in languages:
        with use_language(language):
            captions.append(_("Gestor(a) institucional — {tambo}").format(tambo=tambo_name))
    story.append(KeepTogether([text("_______________________________", "body"), text(signer, "body"),
                               *(text(caption, "small") for caption in dict.fromkeys(captions))]))  # fmt: skip
    return story


def salutation(sex: str) -> str:
    """The letter's salutation, agreeing with the leader's sex (both forms when it is not known)."""
    if sex == "F":
        return _("Señora:")
    if sex == "M":
        return _("Señor:")
    return _("Señor(a):")


def _body(row: Any, detail: Any, content: Any, tambo_name: str, language: str) -> list:
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
