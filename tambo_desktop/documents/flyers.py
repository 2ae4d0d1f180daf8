"""Flyers that announce interventions: an A4 poster, an A5 leaflet (two per A4 sheet) or an A6
handout (four per sheet), in Spanish and the communities' language, printable in black and white.

The layout is a Platypus story drawn into one box per copy. Type starts large and the whole story
shrinks step by step until it fits its box; below the smallest legible size the flyer is refused
with :class:`FlyerTooLong`, which says how much is left over — a text is never cut or run off the
page silently. Fixed phrases come from the catalogs, in each language of the flyer.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from tambo_desktop.dates import capitalized
from tambo_desktop.documents import photos
from tambo_desktop.errors import TamboError
from tambo_desktop.files import atomic_write
from tambo_desktop.i18n import N_, _, format_date, use_language
from tambo_desktop.vocabulary import BRING_ITEMS, SERVICE_CATEGORIES

#: template → (sheet is landscape, columns, rows, size factor against the A4 poster)
TEMPLATES = {"a4": (False, 1, 1, 1.0), "a5": (True, 2, 1, 0.707), "a6": (False, 2, 2, 0.5)}
#: The smallest body type (points) a template may shrink to before the flyer is refused.
MIN_BODY = {"a4": 11.0, "a5": 8.5, "a6": 7.0}
BODY_A4 = 17.0  # body type of the A4 poster at full size
LOCAL_LANGUAGES = ("qu", "ay")
INK, MUTED = "#000000", "#444444"
FONT = "DejaVuSans"  # printing.FONT, registered by printing.register_fonts
PAIS = "Programa Nacional PAIS"  # a proper name, the same in every language


@dataclass(frozen=True)
class FlyerEvent:
    """One intervention the flyer announces."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str  # a space of the tambo or a centro poblado (a name: the same in every language)
    entity: str  # the entity's short name (RENIEC) or the tambo
    services: tuple[tuple[str, str], ...] = ()  # (Spanish name from the catalogue, category)


@dataclass(frozen=True)
class EntityMark:
    code: str
    name: str
    logo: bytes | None = None  # PNG


@dataclass
class FlyerContent:
    tambo_name: str
    title_es: str
    message_es: str = ""
    title_local: str = ""
    message_local: str = ""
    local_language: str = ""  # qu, ay or a phrase file's: the language title_local and message_local are in
    layout: str = "side"  # side or stacked
    events: list[FlyerEvent] = field(default_factory=list)
    bring: tuple[str, ...] = ("dni",)
    entities: list[EntityMark] = field(default_factory=list)
    photo: bytes | None = None
    qr_text: str = ""


@dataclass(frozen=True)
class FlyerResult:
    pages: int
    scale: float  # 1.0: full size; less: the type was reduced to fit

    @property
    def notice(self) -> str:
        """What to tell the user when the type had to be reduced ('' when not)."""
        if self.scale >= 0.999:  # full size or larger
            return ""
        # the sign travels with the number: "% de" would read as a printf directive to the catalog tools
        return _("Los textos se redujeron al {percent} de su tamaño para caber en el volante.").format(
            percent=f"{round(self.scale * 100)} %"
        )


class FlyerTooLong(TamboError):
    """The texts do not fit the template even at the smallest legible size; nothing was written."""

    def __init__(self, template: str, lines: int) -> None:
        self.template, self.lines = template, lines
        from tambo_desktop.vocabulary import FLYER_TEMPLATES, label

        super().__init__(_(
            "Los textos no caben en el {template}, ni con la letra más pequeña que se puede leer: sobran "
            "unas {lines} líneas. Acorte el título o el mensaje, quite la foto o elija un formato más grande."
        ).format(template=label(FLYER_TEMPLATES, template), lines=lines))  # fmt: skip


def check_languages(languages: list[str], content_language: str = "") -> list[str]:
    """Spanish and/or one local language, in the order given: Quechua, Aymara, or a language whose
    phrases a translator added (``phrases.py``)."""
    from tambo_desktop import phrases
    from tambo_desktop.vocabulary import SPOKEN_LANGUAGES, label

    languages = [code.strip() for code in languages if code.strip()]
    local = [code for code in languages if code != "es"]
    if not languages or len(languages) > 2 or len(set(languages)) != len(languages) or len(local) > 1:
        raise TamboError(_("Elija uno o dos idiomas: castellano y quechua o aimara."))
    if local and not phrases.has_phrases(local[0]):
        if local[0] in SPOKEN_LANGUAGES:
            raise TamboError(phrases.why_spanish_only(local[0]))
        raise TamboError(_("Elija uno o dos idiomas: castellano y quechua o aimara."))
    if local and content_language and local[0] != content_language:
        raise TamboError(_("Los textos de la campaña están escritos en {language}.").format(
            language=label(SPOKEN_LANGUAGES, content_language)))  # fmt: skip
    return languages


def date_text(day: dt.date, language: str) -> str:
    """«Martes 10 de marzo», «Martis 10 marsu», «Martisa 10 marsu»: the day as a flyer announces it."""
    return capitalized(format_date(day, "announce", language))


def _dates(day: dt.date, languages: list[str]) -> str:
    """The day in each language, once when they only differ in spelling (same words)."""
    texts: list[str] = []
    for language in languages:
        text = date_text(day, language)
        words = {w for w in text.casefold().split() if w != "de"}
        if not any(words == {w for w in t.casefold().split() if w != "de"} for t in texts):
            texts.append(text)
    return " / ".join(texts)


def _in(language: str, message: str) -> str:
    with use_language(language):
        return _(message)


@lru_cache(maxsize=8)
def _qr_matrix(data: str) -> tuple:
    """The QR modules of ``data``, computed once (the fitting lays the footer out several times)."""
    import segno

    return segno.make(data, error="m").matrix


class _QrCode:
    """A QR code drawn as vector squares: sharp on any printer, a few hundred bytes."""

    def __new__(cls, data: str, size: float):
        from reportlab.platypus import Flowable

        matrix = _qr_matrix(data)

        class QrFlowable(Flowable):
            def wrap(self, available_width, available_height):  # noqa: ARG002 - reportlab's signature
                return size, size

            def draw(self) -> None:
                modules = len(matrix) + 8  # four modules of quiet zone each side
                unit = size / modules
                canvas = self.canv
                canvas.setFillColor("#000000")
                for row, line in enumerate(matrix):
                    y = size - (row + 5) * unit
                    column = 0
                    while column < len(line):
                        if line[column]:
                            start = column
                            while column < len(line) and line[column]:
                                column += 1
                            canvas.rect((start + 4) * unit, y, (column - start) * unit, unit, stroke=0, fill=1)
                        column += 1

        return QrFlowable()


class _Builder:
    """The story of one flyer at one scale."""

    def __init__(self, content: FlyerContent, languages: list[str], width: float, factor: float, scale: float,
                 photo: bytes | None) -> None:  # fmt: skip
        from reportlab.lib.styles import ParagraphStyle

        from tambo_desktop.documents.style import FONT, FONT_BOLD, register_fonts

        register_fonts()
        self.content, self.languages, self.width = content, languages, width
        # a word too wide for its column breaks by the syllables of the flyer's local language (its rules
        # part the Spanish words well too)
        self.breaking = next((code for code in languages if code in LOCAL_LANGUAGES), "es")
        self.scale = factor * scale
        self.photo = photo
        body = BODY_A4 * self.scale

        def style(name: str, size: float, bold: bool = False, colour: str = INK, align: int = 1, lead: float = 1.18):
            return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size, leading=size * lead,
                                  textColor=colour, alignment=align, spaceAfter=size * 0.25)  # fmt: skip

        self.styles = {
            "top": style("top", body * 0.62, colour=MUTED),
            "title": style("title", body * 2.0, bold=True, lead=1.1),
            "title_local": style("title_local", body * 2.0, bold=True, colour=MUTED, lead=1.1),
            "message": style("message", body),
            "message_local": style("message_local", body, colour=MUTED),
            "when": style("when", body * 1.3, bold=True, align=0),
            "detail": style("detail", body * 0.95, align=0),
            "service": style("service", body * 0.85, align=0),
            "free": style("free", body * 1.15, bold=True),
            "small": style("small", body * 0.6, colour=MUTED),
            "mark": style("mark", body * 0.9, bold=True),
        }

    def para(self, text: str, style: str, width: float | None = None):
        """A paragraph; its type made smaller if a word would not fit ``width`` (default: the box's) whole."""
        from reportlab.platypus import Paragraph

        from tambo_desktop.documents.style import fitted

        return fitted(
            Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style]), width or self.width, self.breaking
        )

    def pair(self, texts: list[tuple[str, str]], side: bool):
        """Two texts (style, text) side by side or one above the other; blanks left out."""
        from reportlab.platypus import Table, TableStyle

        texts = [(s, t) for s, t in texts if t.strip()]
        if not texts:
            return []
        if len(texts) == 1 or not side:
            return [self.para(t, s) for s, t in texts]
        gap = 6 * self.scale
        table = Table([[self.para(t, s, self.width / 2 - gap) for s, t in texts]], colWidths=[self.width / 2] * 2)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), gap / 2),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), gap / 2), ("LINEAFTER", (0, 0), (0, 0), 0.6, MUTED),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
        return [table]

    def fixed(self, message: str, separator: str = " · ") -> str:
        """A catalog phrase in every language of the flyer (once when they agree)."""
        texts = []
        for language in self.languages:
            text = _in(language, message)
            if text not in texts:
                texts.append(text)
        return separator.join(texts)

    def story(self) -> list:
        from reportlab.lib.units import mm
        from reportlab.platypus import Image, Spacer

        c, s = self.content, self.scale
        local = c.local_language in self.languages
        side = c.layout == "side"
        first_es = self.languages[0] == "es"
        titles = [("title", c.title_es), ("title_local", c.title_local if local else "")]
        messages = [("message", c.message_es), ("message_local", c.message_local if local else "")]
        if "es" not in self.languages:
            titles, messages = [("title", c.title_local or c.title_es)], [("message", c.message_local)]
        elif not first_es:
            titles, messages = titles[::-1], messages[::-1]
        story = [self.para(f"{c.tambo_name} · " + PAIS, "top")]
        story += self.pair(titles, side)
        if self.photo:
            story.append(Spacer(1, 2 * mm * s))
            story.append(Image(io.BytesIO(self.photo), width=self.width, height=self.width * photo_ratio(s)))
            story.append(Spacer(1, 2 * mm * s))
        story += self.pair(messages, side)
        story += self.events()
        story += self.bring_and_free()
        return story

    def events(self) -> list:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer, Table, TableStyle

        from tambo_desktop.documents.pictograms import Pictogram

        story = []
        for event in self.content.events:
            days = _dates(event.starts_at.date(), self.languages)
            hours = f"{event.starts_at:%H:%M} – {event.ends_at:%H:%M}"
            block = [Spacer(1, 2 * mm * self.scale), self.para(f"{days} · {hours}", "when"),
                     self.para(self.fixed(N_("Lugar"), " / ") + f": {event.place}", "detail")]  # fmt: skip
            by_category: dict[str, list[str]] = {}
            for name, category in event.services:
                names = dict.fromkeys(_in(lang, name) for lang in self.languages)
                by_category.setdefault(category, []).append(" / ".join(names))
            offer = self.fixed(N_("Ofrece"), " / ") + f": {event.entity}"
            block.append(self.para(offer, "detail"))
            icon = 11 * mm * self.scale
            rows = []
            for category, names in by_category.items():
                heading = " / ".join(dict.fromkeys(_in(lang, SERVICE_CATEGORIES.get(category, category))
                                                   for lang in self.languages))  # fmt: skip
                text = f"<b>{escape(heading)}</b><br/>" + "<br/>".join(escape(n) for n in names)
                from reportlab.platypus import Paragraph

                from tambo_desktop.documents.style import fitted

                column = self.width - icon - 3 * mm * self.scale - 6  # less the cell's right padding
                rows.append(
                    [Pictogram(category, icon), fitted(Paragraph(text, self.styles["service"]), column, self.breaking)]
                )
            if rows:
                table = Table(rows, colWidths=[icon + 3 * mm * self.scale, self.width - icon - 3 * mm * self.scale])
                table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("TOPPADDING", (0, 0), (-1, -1), 1.5 * self.scale),
                                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * self.scale)]))  # fmt: skip
                block.append(table)
            story += block
        return story

    def bring_and_free(self) -> list:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer, Table, TableStyle

        items = [BRING_ITEMS[code] for code in self.content.bring if code in BRING_ITEMS]
        story: list = [Spacer(1, 2.5 * mm * self.scale)]
        cells = []
        widths = [self.width * 0.6, self.width * 0.4] if items else [self.width]
        if items:
            lines = [_in(lang, N_("Traiga")) + ": " + ", ".join(_in(lang, i) for i in items) for lang in self.languages]
            cells.append(self.para("\n".join(dict.fromkeys(lines)), "detail", widths[0] - 12))  # 6 pt padding each side
        cells.append(self.para(self.fixed(N_("Atención gratuita"), "\n"), "free", widths[-1] - 12))
        table = Table([cells], colWidths=widths)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("BOX", (-1, 0), (-1, 0), 1.6 * self.scale, INK),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3 * self.scale),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * self.scale)]))  # fmt: skip
        story.append(table)
        return story

    def footer(self) -> list:
        from reportlab.lib.units import mm
        from reportlab.platypus import Image, Spacer, Table, TableStyle

        s = self.scale
        qr_size = 26 * mm * s if self.content.qr_text else 0
        marks = []
        for mark in self.content.entities:
            if mark.logo:
                from reportlab.lib.utils import ImageReader

                reader = ImageReader(io.BytesIO(mark.logo))
                w, h = reader.getSize()
                height = 12 * mm * s
                marks.append(Image(io.BytesIO(mark.logo), width=min(height * w / h, 40 * mm * s), height=height))
            else:
                marks.append(self.para(mark.code, "mark", self.width / max(1, len(self.content.entities)) - 12))
        names = " · ".join(m.name for m in self.content.entities)
        left: list = []
        if marks:
            strip = Table([marks], hAlign="CENTER")
            strip.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
            left.append(strip)
        if names:
            left.append(self.para(names, "small"))
        right: list = []
        if qr_size:
            caption = self.fixed(N_("Guarde la fecha en su celular"), "\n")
            right = [_QrCode(self.content.qr_text, qr_size), self.para(caption, "small", qr_size + 4 * mm * s - 12)]
        if not left and not right:
            return []
        widths = [self.width - qr_size - 4 * mm * s, qr_size + 4 * mm * s] if right else [self.width]
        table = Table([[left, right] if right else [left]], colWidths=widths)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEABOVE", (0, 0), (-1, 0), 0.6, MUTED),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3 * s)]))  # fmt: skip
        return [Spacer(1, 3 * mm * s), table]


def photo_ratio(scale: float) -> float:
    """Height of the photo frame against its width (smaller as the type shrinks)."""
    return 0.42 * max(scale, 0.6)


def _height(story: list, width: float) -> float:
    total = 0.0
    for flowable in story:
        total += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _laid_out(builder: _Builder, width: float, height: float) -> list:
    """The story with the entities and the QR code pushed to the bottom of the box."""
    from reportlab.platypus import Spacer

    story, footer = builder.story(), builder.footer()
    room = height - _height(story, width) - _height(footer, width) - 1
    return story + ([Spacer(1, room)] if room > 0 else []) + footer


def _fit(content: FlyerContent, languages: list[str], template: str, width: float, height: float, factor: float,
         photo: bytes | None) -> float:  # fmt: skip
    """The largest scale (up to 1.3) at which everything fits; :class:`FlyerTooLong` when even
    the smallest legible type does not."""

    def needed(scale: float) -> float:
        builder = _Builder(content, languages, width, factor, scale, photo)
        return _height(builder.story(), width) + _height(builder.footer(), width)

    scale = 1.0
    if needed(scale) <= height:
        while scale < 1.3 and needed(scale * 1.08) <= height:
            scale *= 1.08
        return scale
    while True:
        smaller = scale * 0.94
        if BODY_A4 * factor * smaller < MIN_BODY[template]:
            leading = BODY_A4 * factor * scale * 1.18
            raise FlyerTooLong(template, max(1, round((needed(scale) - height) / leading)))
        scale = smaller
        if needed(scale) <= height:
            return scale


def _sheet(template: str):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm

    is_landscape, columns, rows, factor = TEMPLATES[template]
    page = landscape(A4) if is_landscape else A4
    box_w, box_h = page[0] / columns, page[1] / rows
    margin = 11 * mm * factor
    return page, columns, rows, factor, box_w, box_h, margin


def render(content: FlyerContent, template: str, languages: list[str], path: Path, grey: bool = True) -> FlyerResult:
    """Write the flyer's PDF to ``path`` (atomically); raises :class:`FlyerTooLong` if it can't fit."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame

    from tambo_desktop.documents.style import FONT

    if template not in TEMPLATES:
        raise TamboError(_("Formato de volante desconocido: {template}.").format(template=template))
    languages = check_languages(languages)
    page, columns, rows, factor, box_w, box_h, margin = _sheet(template)
    inner_w, inner_h = box_w - 2 * margin, box_h - 2 * margin
    photo = None
    if content.photo:
        photo = photos.for_frame(content.photo, inner_w / 72 * 25.4, inner_w * photo_ratio(1.0) / 72 * 25.4, grey)
    scale = _fit(content, languages, template, inner_w, inner_h, factor, photo)
    with atomic_write(Path(path)) as tmp:
        canvas = Canvas(str(tmp), pagesize=page, initialFontName=FONT, pageCompression=1, lang=languages[0])
        canvas.setTitle(content.title_es)
        canvas.setAuthor(content.tambo_name)
        canvas.setCreator("TAMBO Desktop")
        for row in range(rows):
            for column in range(columns):
                story = _laid_out(_Builder(content, languages, inner_w, factor, scale, photo), inner_w, inner_h)
                x, y = column * box_w + margin, page[1] - (row + 1) * box_h + margin
                frame = Frame(x, y, inner_w, inner_h, 0, 0, 0, 0, showBoundary=0)
                frame.addFromList(story, canvas)
                if story:  # the measure above said it fits; never drop a piece silently
                    raise FlyerTooLong(template, 1)
        _cut_marks(canvas, page, columns, rows)
        canvas.showPage()
        canvas.save()
    return FlyerResult(1, scale)


def _cut_marks(canvas, page, columns: int, rows: int) -> None:
    """Dashed lines where the sheet is cut into leaflets."""
    if columns == rows == 1:
        return
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.4)
    for column in range(1, columns):
        canvas.line(page[0] * column / columns, 0, page[0] * column / columns, page[1])
    for row in range(1, rows):
        canvas.line(0, page[1] * row / rows, page[0], page[1] * row / rows)
    canvas.restoreState()
