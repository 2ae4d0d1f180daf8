"""The radio script on A4, in large type to read aloud, one section per language.
The data comes from :class:`tambo_desktop.services.radio.RadioService`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tambo_desktop.i18n import N_, _, format_date, use_language


@dataclass(frozen=True)
class RadioDocument:
    """``sections``: (language name, reading-time note, text) in reading order, each in its own language;
    ``languages``: the script's languages (its headings are printed in each)."""

    title: str
    first_day: dt.date | None
    sections: list[tuple[str, str, str]]
    author: str
    languages: tuple[str, ...] = ("es",)


def render(document: RadioDocument, path: Path) -> int:
    """Write the script; returns the number of pages."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from tambo_desktop.documents.style import build_pdf, in_languages, styles, text

    languages = list(document.languages)
    read = ParagraphStyle("read", parent=styles()["body"], fontSize=14, leading=22, spaceAfter=8)
    title = in_languages(languages, N_("Guion de radio"))
    story = [text(title, "title"), text(document.title, "subtitle")]
    until, blanks = [], []
    for language in languages:
        with use_language(language):
            if document.first_day:
                until.append(_("Emitir hasta el {day}.").format(day=format_date(document.first_day, "short")))
            blanks.append(_("Emisora: ______________________   Horario: ______________"))
    story += [text(line, "subtitle") for line in dict.fromkeys(until)]
    story.append(text("\n".join(dict.fromkeys(blanks)), "body"))
    for name, note, body in document.sections:
        story.append(text(f"{name} — {note}", "heading"))
        for line in body.splitlines():
            if line.strip():
                story.append(Paragraph(escape(line), read))
    return build_pdf(path, story, title, document.title, document.author, languages=languages)
