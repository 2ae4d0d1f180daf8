"""Printed documents: the bundled DejaVu fonts and one A4 page frame for every reportlab document.

reportlab's own Vera font lacks letters of the three alphabets (ʼ), so every document uses
DejaVu Sans. :func:`build_pdf` lays out a Platypus story on A4 with a footer that reads
``<footer> · Página N de M`` on each page (in the document's languages, not the interface's), and
writes the file atomically. reportlab is imported here, when the first document is made, never at
start-up.

Words wrap at spaces. A word wider than its table cell (or flyer column) breaks at one of its
syllables, with a hyphen (:func:`fitted`, rules in :mod:`tambo_desktop.documents.hyphenation`), and
when even a syllable or a code does not fit, the cell's type is made smaller: no word is cut
without a hyphen (reportlab's own splitting of long words is then never reached).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from tambo_desktop import assets
from tambo_desktop.documents import hyphenation
from tambo_desktop.files import atomic_write
from tambo_desktop.i18n import _, current_language, use_language

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN_MM = 18
#: Colours of the house style (hex, as reportlab takes them).
INK = "#1f2933"
MUTED = "#52606d"
RULE = "#9aa5b1"
HEADER_FILL = "#e4e7eb"
STRIPE_FILL = "#f5f7fa"
CELL_PADDING = 3  # points, left and right of a table cell
#: the smallest type a word is shrunk to, to fit its cell whole (points)
MIN_FONT_SIZE = 5.5


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) once, as one family, so ``<b>`` works in paragraphs."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(assets.path("fonts/DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(assets.path("fonts/DejaVuSans-Bold.ttf"))))
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
        addMapping(FONT, bold, italic, name)


@cache
def styles() -> dict:
    """Paragraph styles of the house: title, subtitle, heading, body, small, cell, cell_bold."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    ink, muted = colors.HexColor(INK), colors.HexColor(MUTED)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=ink, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=14, textColor=muted, spaceAfter=2),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=muted),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
        ),
    }


def text(value: object, style: str = "cell"):
    """A paragraph of plain text (escaped: names may hold ``<`` or ``&``), line breaks kept."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    return Paragraph(escape("" if value is None else str(value)).replace("\n", "<br/>"), styles()[style])


SOFT_HYPHEN = "\u00ad"
_TAG = re.compile(r"(<[^>]*>)")
_TOKEN = re.compile(r"[^\s<>]+")
_EDGE = re.compile(r"^([«\"(\[¿¡]*)(.*?)([»\"')\]?!.,;:]*)$")


def _font(paragraph) -> str:
    """The widest type of ``paragraph``: its bold when it has any."""
    return FONT_BOLD if "<b>" in paragraph.text else paragraph.style.fontName


def _plain_words(markup: str) -> list[str]:
    from html import unescape

    return unescape(_TAG.sub(" ", markup)).split()


def mark_syllables(markup: str, font: str, size: float, width: float, language: str) -> str:
    """``markup`` with soft hyphens at the syllables (in ``language``) of each word wider than ``width``
    in ``font`` at ``size`` points; the other words untouched."""
    from html import unescape

    from reportlab.pdfbase.pdfmetrics import stringWidth

    def mark(match: re.Match) -> str:
        lead, word, tail = _EDGE.match(match.group(0)).groups()  # type: ignore[union-attr]
        if not word or "&" in word or stringWidth(unescape(match.group(0)), font, size) <= width:
            return match.group(0)
        parts = []
        for part in word.split("-"):  # a hyphenated word (DNI-ykita) breaks at its syllables too
            cuts = [0, *hyphenation.breaks(part, language), len(part)]
            parts.append(SOFT_HYPHEN.join(part[a:b] for a, b in zip(cuts, cuts[1:], strict=False)))
        return lead + "-".join(parts) + tail

    marked = "".join(piece if piece.startswith("<") else _TOKEN.sub(mark, piece) for piece in _TAG.split(markup))
    # reportlab (5.1) ignores the soft hyphens of a word that a <br/> follows with no space between
    return markup if marked == markup else re.sub(r"(?<!\s)<br\s*/?>", " <br/>", marked)


def widest_piece(markup: str, font: str, size: float) -> float:
    """The width of the widest piece of ``markup`` that cannot be broken: a syllable (soft hyphens mark
    them) with its hyphen, or a whole word — a code with hyphens of its own (001-2026-TB-210102) too:
    reportlab does not break at them (points, in ``font`` at ``size``)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = 0.0
    for word in _plain_words(markup):
        parts = word.split(SOFT_HYPHEN)
        for index, part in enumerate(parts):
            widest = max(widest, stringWidth(part + ("-" if index < len(parts) - 1 else ""), font, size))
    return widest


@lru_cache(maxsize=4096)
def _fit_markup(markup: str, font: str, size: float, width: float, language: str) -> tuple[str, float]:
    """(markup with soft hyphens, type size) so that every piece of ``markup`` fits ``width``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if max((stringWidth(w, font, size) for w in _plain_words(markup)), default=0.0) <= width:
        return markup, size  # every word fits whole: the usual case, nothing to do
    marked = mark_syllables(markup, font, size, width, language)
    widest = widest_piece(marked, font, size)
    if widest <= width:
        return marked, size
    return marked, max(MIN_FONT_SIZE, size * width / widest * 0.98)


def fitted(paragraph, width: float, language: str | None = None):
    """``paragraph`` for a column ``width`` wide: a word wider than the column gets soft hyphens at its
    syllables in ``language`` (default: the language in use), where reportlab breaks it, with a hyphen
    (the other words wrap at spaces as before); when a syllable still does not fit, the type is made
    smaller. No word is cut without a hyphen nor runs out of its cell."""
    from reportlab.platypus import Paragraph

    if not isinstance(paragraph, Paragraph) or width <= 0:
        return paragraph
    style = paragraph.style
    markup, size = _fit_markup(paragraph.text, _font(paragraph), style.fontSize, round(width, 2),
                               language or current_language())  # fmt: skip
    if markup == paragraph.text and size == style.fontSize:
        return paragraph
    if size != style.fontSize:
        internal_name = f"{style.name}-{size:.1f}"  # an internal name, not shown
        style = style.clone(internal_name, fontSize=size, leading=style.leading * size / style.fontSize)
    return Paragraph(markup, style)


def heading(title: str, room_mm: float = 35) -> list:
    """A section heading that starts a new page when less than ``room_mm`` is left (never orphaned)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak

    return [CondPageBreak(room_mm * mm), text(title, "heading")]


def frame_width() -> float:
    """The usable width of an A4 page between the margins, in points."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    return A4[0] - 2 * MARGIN_MM * mm


def table(rows: Sequence[Sequence[object]], widths: Sequence[float], header: bool = True):
    """A table whose cells wrap; with ``header`` the first row is shaded and repeated on every page.

    ``widths`` are fractions of :func:`frame_width`. Cells that are not flowables become paragraphs.
    """
    from reportlab.lib import colors
    from reportlab.platypus import Flowable, Table, TableStyle

    full = frame_width()
    cells = [
        [fitted(c if isinstance(c, Flowable) else text(c, "cell_bold" if header and i == 0 else "cell"),
                widths[j] * full - 2 * CELL_PADDING) for j, c in enumerate(row)]
        for i, row in enumerate(rows)
    ]  # fmt: skip
    result = Table(cells, colWidths=[w * full for w in widths], repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cells are paragraphs; this keeps Helvetica out of the file
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)))
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(STRIPE_FILL)]))
    result.setStyle(TableStyle(commands))
    return result


def in_languages(languages: Sequence[str], message: str, separator: str = " / ") -> str:
    """A catalog message in each of ``languages``, joined by ``separator`` (once when they agree)."""
    texts: list[str] = []
    for language in languages:
        with use_language(language):
            texts.append(_(message))
    return separator.join(dict.fromkeys(texts))


def page_number(page: int, pages: int, languages: Sequence[str]) -> str:
    """«Página 2 de 5» in the document's language(s)."""
    texts = []
    for language in languages:
        with use_language(language):
            texts.append(_("Página {page} de {pages}").format(page=page, pages=pages))
    return " / ".join(dict.fromkeys(texts))


def _canvas_class(footer, pages: list[int], decorate=None, numbered: bool = True, languages=None, page_languages=None):
    """A canvas that holds its pages until the end, to print ``Página N de M`` on each.

    ``footer`` is a text, or a function of the page number that gives it; the page number is written
    in ``page_languages[page - 1]`` when given, else in ``languages``."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            pages.append(total)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            if decorate is not None:
                decorate(self)
            width = self._pagesize[0]
            y = MARGIN_MM * mm / 2
            self.saveState()
            self.setStrokeColor(colors.HexColor(RULE))
            self.setLineWidth(0.4)
            self.line(MARGIN_MM * mm, y + 10, width - MARGIN_MM * mm, y + 10)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor(MUTED))
            page = self._pageNumber
            self.drawString(MARGIN_MM * mm, y, footer(page) if callable(footer) else footer)
            if numbered:
                own = page_languages[page - 1] if page_languages and page <= len(page_languages) else None
                self.drawRightString(width - MARGIN_MM * mm, y, page_number(page, total, own or languages))
            self.restoreState()

    return NumberedCanvas


def build_pdf(path: Path, story: list, title: str, footer, author: str = "", pagesize=None, decorate=None,
              numbered: bool = True, languages: Sequence[str] | None = None,
              page_languages: Sequence[Sequence[str]] | None = None) -> int:  # fmt: skip
    """Lay out ``story`` on A4 pages and write ``path`` atomically; returns the number of pages.

    ``languages``: the document's languages, for «Página N de M» (default: the language in use —
    build it inside ``use_language(code)`` to print it in another); ``page_languages`` gives them page
    by page instead (certificates, each in its participant's language). ``footer`` is a text or a
    function of the page number. ``decorate(canvas)`` draws on every page before the footer (a
    certificate's border); ``numbered=False`` leaves out «Página N de M» (letters, each its own document).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    path = Path(path)
    pages: list[int] = []
    languages = list(languages or [current_language()])
    with atomic_write(path) as tmp:
        document = SimpleDocTemplate(
            str(tmp),
            pagesize=pagesize or A4,
            leftMargin=MARGIN_MM * mm,
            rightMargin=MARGIN_MM * mm,
            topMargin=MARGIN_MM * mm,
            bottomMargin=MARGIN_MM * mm + 6 * mm,
            title=title,
            author=author,
            creator="TAMBO Desktop",
            initialFontName=FONT,  # no stray reference to the unembedded Helvetica
            lang=languages[0],
        )
        canvas = _canvas_class(footer, pages, decorate, numbered, languages, page_languages)
        document.build(story, canvasmaker=canvas)
    return pages[-1] if pages else 0


__all__ = ["FONT", "FONT_BOLD", "build_pdf", "fitted", "frame_width", "heading", "in_languages", "mark_syllables", "page_number",
           "register_fonts", "styles", "table", "text", "widest_piece"]  # fmt: skip
