"""The radio script on A4, in large type to read aloud, one section per language.
The data comes from :class:`tambo_desktop.services.radio.RadioService`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tambo_desktop.i18n import _, format_date


@dataclass(frozen=True)
class RadioDocument:
    """``sections``: (language name, reading-time note, text) in reading order."""

    title: str
    first_day: dt.date | None
    sections: list[tuple[str, str, str]]
    author: str


def render(document: RadioDocument, path: Path) -> int:
    """Write the script; returns the number of pages."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from tambo_desktop.documents.style import build_pdf, styles, text

    read = ParagraphStyle("read", parent=styles()["body"], fontSize=14, leading=22, spaceAfter=8)
    story = [text(_("Guion de radio"), "title"), text(document.title, "subtitle")]
    if document.first_day:
        story.append(text(_("Emitir hasta el {day}.").format(day=format_date(document.first_day, "short")),
                          "subtitle"))  # fmt: skip
    story.append(text(_("Emisora: ______________________   Horario: ______________"), "body"))
    for name, note, body in document.sections:
        story.append(text(f"{name} — {note}", "heading"))
        for line in body.splitlines():
            if line.strip():
                story.append(Paragraph(escape(line), read))
    return build_pdf(path, story, _("Guion de radio"), document.title, document.author)
