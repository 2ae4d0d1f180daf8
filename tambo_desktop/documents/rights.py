"""The printed record of a person's data (Ley 29733): their data, their atenciones and the history of
their record. The values come already in words from :class:`tambo_desktop.services.rights.RightsService`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tambo_desktop.i18n import _, format_date, use_language


@dataclass(frozen=True)
class RightsDocument:
    tambo_name: str
    tambo_code: str
    issued_on: dt.date
    data: list[tuple[str, str]]  # (label, value)
    attentions: list[tuple[str, str, str, str, str]]  # when, service, entity, where, state
    history: list[tuple[str, str, str, str]]  # when, user, action, changes
    language: str = "es"  # the language the values were put in words in, and the document's


def render(document: RightsDocument, path: Path) -> int:
    """Write the record in its language; returns the number of pages."""
    with use_language(document.language):
        return _render(document, path)


def _render(document: RightsDocument, path: Path) -> int:
    from reportlab.platypus import KeepTogether, Spacer

    from tambo_desktop.documents.style import build_pdf, heading, table, text

    title = _("Datos personales registrados")
    story = [
        text(title, "title"),
        text(f"{document.tambo_name} ({document.tambo_code})", "subtitle"),
        text(_("Emitido el {date}").format(date=format_date(document.issued_on, "long")), "subtitle"),
        Spacer(1, 6),
        text(
            _(
                "Este documento reúne todos los datos que el tambo guarda sobre esta persona, las atenciones que "
                "recibió y el historial de cambios de su registro (Ley 29733, de protección de datos personales)."
            ),
            "body",
        ),
    ]
    story += [
        *heading(_("Datos de la persona")),
        table([(text(k, "cell_bold"), v) for k, v in document.data], (0.3, 0.7), header=False),
    ]
    story += heading(_("Atenciones recibidas ({n})").format(n=len(document.attentions)))
    if document.attentions:
        rows = [(_("Fecha y hora"), _("Servicio"), _("Entidad"), _("Lugar"), _("Estado")), *document.attentions]
        story.append(table(rows, (0.17, 0.38, 0.12, 0.19, 0.14)))
    else:
        story.append(text(_("No tiene atenciones registradas."), "body"))
    story += heading(_("Historial del registro ({n})").format(n=len(document.history)))
    rows = [(_("Fecha y hora"), _("Usuario"), _("Acción"), _("Datos cambiados (antes → después)")), *document.history]
    story.append(table(rows, (0.17, 0.13, 0.15, 0.55)))
    story.append(Spacer(1, 10))
    story.append(
        KeepTogether(
            [
                text(_("Sus derechos"), "heading"),
                text(
                    _(
                        "Puede pedir en el tambo que se corrija un dato equivocado, oponerse a que sus datos se usen "
                        "en reportes o pedir que se borren su nombre, documento y teléfono (anonimización). Sus "
                        "atenciones seguirán contando en las cifras del tambo, sin su nombre."
                    ),
                    "body",
                ),
            ]
        )
    )
    footer = f"{document.tambo_name} · {title}"
    return build_pdf(path, story, title=title, footer=footer, author=document.tambo_name)
