"""The fixed phrases of printed announcements in the languages the interface does not have.

The communities of a PIAS's route may speak Shipibo-konibo, Awajún, Kukama, Asháninka, Kichwa...
Flyers, letters to the leaders and radio scripts print Spanish plus the community's language where the
project has that language's phrases: Quechua and Aymara are in the interface's catalogs; any other
language is ONE file a translator writes, ``<code>.po`` (its ISO 639-3 code, as in
``vocabulary.SPOKEN_LANGUAGES``), with the phrases of :data:`PHRASES` — the template is
``resources/phrases/phrases.pot`` (``tools/build_assets.py phrases`` writes it). The file is read at
run time from the application's folder (``<home>/phrases/``) or the bundled ``resources/phrases/``;
no code changes. It must say where its translations come from (a published source): the header
``X-Source``. A broken file is refused with a message naming the file and the line; an incomplete one
is not used (the announcements are in Spanish only) and the app says which phrases are missing.

docs/LANGUAGES.md is the translator's guide.
"""

from __future__ import annotations

import gettext as _gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from tambo_desktop import assets, i18n, paths
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _
from tambo_desktop.vocabulary import BRING_ITEMS, LEADER_ROLES, SERVICE_CATEGORIES, SPOKEN_LANGUAGES

#: The languages whose phrases are the interface's own catalogs.
INTERFACE = ("es", "qu", "ay")

#: Every fixed phrase a printed announcement uses: the flyer's, the radio script's, the letter's.
#: (Names typed by the user — titles, places, services of the catalogue — are printed as typed.)
PHRASES: tuple[str, ...] = (
    # the flyer (documents/flyers.py)
    "Lugar",
    "Ofrece",
    "Traiga",
    "Atención gratuita",
    "Guarde la fecha en su celular",
    *BRING_ITEMS.values(),
    *SERVICE_CATEGORIES.values(),
    # the radio script (services/radio.py)
    "¡Atención, familias de {communities}!",
    "¡Atención, familias de nuestras comunidades!",
    "El {tambo} les hace una invitación.",
    "El {day}, de {start} a {end}, en {place}, {entity} atenderá con: {services}.",
    "El {day}, de {start} a {end}, en {place}, les atenderá {entity}.",
    "No se olviden de traer: {items}.",
    "Todos los servicios son gratuitos. ¡Les esperamos!",
    # the letter to a leader (documents/letters.py)
    "En castellano:",
    "Señora:",
    "Señor:",
    "Señor(a):",
    "Centro poblado {name}",
    *LEADER_ROLES.values(),
    "Asunto: {entities} en beneficio de su comunidad",
    "Reciba un cordial saludo del {tambo}. Le comunicamos que se brindarán estos servicios "
    "gratuitos a las familias de su comunidad:",
    "{day}, de {start} a {end}, en {place}: {entity}",
    "Las personas deben traer: {items}.",
    "Le pedimos, como autoridad de {community}, difundir esta invitación entre las familias de "
    "su comunidad. Agradecemos su apoyo.",
    "Atentamente,",
    "Gestor(a) institucional — {tambo}",
)

_FIELD = re.compile(r"\{(\w*)[^{}]*\}")


class PhraseFileError(TamboError):
    """A phrase file that cannot be read: the message names the file and the line."""


@dataclass(frozen=True)
class PhraseBook:
    """One language's phrases, read from its file."""

    code: str
    path: Path
    source: str  # the published source the translations come from (X-Source)
    translator: str  # Last-Translator
    phrases: dict[str, str] = field(default_factory=dict)  # msgid → msgstr (translated ones only)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p for p in PHRASES if p not in self.phrases)

    @property
    def complete(self) -> bool:
        return not self.missing


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise PhraseFileError(_("{file}, línea {line}: el texto debe ir entre comillas.").format(
            file=path.name, line=number))  # fmt: skip
    body = text[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    out, k = [], 0
    while k < len(body):
        char = body[k]
        if char == "\\":
            if k + 1 >= len(body) or body[k + 1] not in escapes:
                raise PhraseFileError(_("{file}, línea {line}: barra invertida desconocida.").format(
                    file=path.name, line=number))  # fmt: skip
            out.append(escapes[body[k + 1]])
            k += 2
            continue
        if char == '"':
            raise PhraseFileError(_("{file}, línea {line}: una comilla dentro del texto va precedida de una barra invertida.").format(
                file=path.name, line=number))  # fmt: skip
        out.append(char)
        k += 1
    return "".join(out)


def _entries(path: Path) -> list[tuple[int, str, str]]:
    """The (line, msgid, msgstr) of a .po file; a syntax error names the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        bad = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise PhraseFileError(_("{file}, línea {line}: el archivo no está guardado en UTF-8.").format(
            file=path.name, line=bad)) from exc  # fmt: skip
    except OSError as exc:
        raise PhraseFileError(
            _("No se puede leer {file}: {reason}").format(file=path, reason=exc.strerror or exc)
        ) from exc
    entries: list[tuple[int, str, str]] = []
    current: dict[str, str] = {}
    start, key = 0, ""

    def close() -> None:
        if not current:
            return
        if "msgid" not in current or "msgstr" not in current:
            raise PhraseFileError(_("{file}, línea {line}: cada frase tiene su msgid y su msgstr.").format(
                file=path.name, line=start))  # fmt: skip
        entries.append((start, current["msgid"], current["msgstr"]))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _space, rest = line.partition(" ")
        if word in ("msgid", "msgstr"):
            if word == "msgid":
                close()
                current, start = {}, number
            elif not current:
                raise PhraseFileError(
                    _("{file}, línea {line}: msgstr sin su msgid.").format(file=path.name, line=number)
                )
            if word in current:
                raise PhraseFileError(
                    _("{file}, línea {line}: {word} repetido.").format(file=path.name, line=number, word=word)
                )
            current[word], key = _unquote(rest, path, number), word
        elif line.startswith('"') and key:
            current[key] += _unquote(line, path, number)
        else:
            raise PhraseFileError(_("{file}, línea {line}: se esperaba msgid, msgstr, un texto entre comillas o un comentario (#).").format(
                file=path.name, line=number))  # fmt: skip
    close()
    return entries


def _fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def read(path: Path) -> PhraseBook:
    """Read and check one phrase file (:class:`PhraseFileError` says what and where)."""
    path = Path(path)
    code = path.stem
    if code not in SPOKEN_LANGUAGES or code in (*INTERFACE, "otro"):
        raise PhraseFileError(_(
            "{file}: el nombre del archivo es el código ISO 639-3 de una lengua de la lista (por ejemplo shp.po); "
            "«{code}» no lo es."
        ).format(file=path.name, code=code))  # fmt: skip
    entries = _entries(path)
    header = next((msgstr for line, msgid, msgstr in entries if msgid == ""), None)
    if header is None:
        raise PhraseFileError(_("{file}: falta la cabecera con Language y X-Source.").format(file=path.name))
    values = dict(
        (name.strip().lower(), value.strip())
        for name, _colon, value in (line.partition(":") for line in header.splitlines() if ":" in line)
    )
    header_line = next(line for line, msgid, _msgstr in entries if msgid == "")
    if values.get("language", "") != code:
        raise PhraseFileError(_("{file}, línea {line}: la cabecera dice Language: {found}; debe decir Language: {code}.").format(
            file=path.name, line=header_line, found=values.get("language", "") or "—", code=code))  # fmt: skip
    if not values.get("x-source"):
        raise PhraseFileError(_(
            "{file}, línea {line}: falta X-Source en la cabecera: de qué fuente publicada vienen las traducciones."
        ).format(file=path.name, line=header_line))  # fmt: skip
    known = set(PHRASES)
    phrases: dict[str, str] = {}
    for line, msgid, msgstr in entries:
        if msgid == "":
            continue
        if msgid not in known:
            raise PhraseFileError(_("{file}, línea {line}: «{phrase}» no es una de las frases de los anuncios (vea phrases.pot).").format(
                file=path.name, line=line, phrase=msgid))  # fmt: skip
        if msgid in phrases:
            raise PhraseFileError(_("{file}, línea {line}: la frase «{phrase}» ya estaba traducida.").format(
                file=path.name, line=line, phrase=msgid))  # fmt: skip
        if not msgstr.strip():
            continue
        if _fields(msgstr) != _fields(msgid):
            raise PhraseFileError(_("{file}, línea {line}: la traducción debe tener los mismos campos entre llaves que «{phrase}».").format(
                file=path.name, line=line, phrase=msgid))  # fmt: skip
        phrases[msgid] = msgstr
    return PhraseBook(code, path, values["x-source"], values.get("last-translator", ""), phrases)


def folders() -> list[Path]:
    """Where phrase files are looked for, first found wins: the application's folder, then the bundle."""
    found = [paths.home() / "phrases"]
    try:
        found.append(assets.path("phrases"))
    except FileNotFoundError:
        pass
    return found


_books: dict[str, PhraseBook] | None = None
_problems: dict[str, str] = {}


def reload() -> None:
    """Forget the files read (a translator added or changed one)."""
    global _books
    _books = None
    _problems.clear()
    i18n.reload_catalogs()


def books() -> dict[str, PhraseBook]:
    """Every readable phrase file by language code (complete or not); broken ones are in :func:`problem`."""
    global _books
    if _books is None:
        found: dict[str, PhraseBook] = {}
        for folder in folders():
            for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
                if path.stem in found or path.stem in _problems:
                    continue
                try:
                    found[path.stem] = read(path)
                except PhraseFileError as exc:
                    _problems[path.stem] = str(exc)
        _books = found
    return _books


def problem(code: str) -> str:
    """Why ``code``'s phrase file was refused ('' when it was not, or there is none)."""
    books()
    return _problems.get(code, "")


def has_phrases(code: str) -> bool:
    """Can an announcement be printed in ``code`` (the interface's three, or a complete phrase file)?"""
    if code in INTERFACE:
        return True
    book = books().get(code)
    return book is not None and book.complete


def printable_languages() -> list[str]:
    """The languages an announcement can be printed in besides Spanish."""
    return ["qu", "ay", *sorted(code for code in books() if has_phrases(code))]


def why_spanish_only(code: str) -> str:
    """What to tell the user when an announcement for a community that speaks ``code`` is in Spanish only."""
    from tambo_desktop.vocabulary import label

    name = label(SPOKEN_LANGUAGES, code)
    if code == "otro" or code not in SPOKEN_LANGUAGES:
        return _("La comunidad habla otra lengua: el anuncio sale solo en castellano.")
    refused = problem(code)
    if refused:
        return _("El archivo de frases de {language} tiene un error, el anuncio sale solo en castellano: {error}").format(
            language=name, error=refused)  # fmt: skip
    book = books().get(code)
    if book is not None:
        return _("Al archivo de frases de {language} le faltan {n} frases (la primera: «{phrase}»): el anuncio sale solo en castellano.").format(
            language=name, n=len(book.missing), phrase=book.missing[0])  # fmt: skip
    return _(
        "Todavía no hay frases en {language} ({code}): el anuncio sale solo en castellano. Un traductor puede añadirlas "
        "con un archivo {code}.po (vea docs/LANGUAGES.md)."
    ).format(language=name, code=code)  # fmt: skip


class PhraseTranslations(_gettext.NullTranslations):
    """A phrase file as a gettext catalog (the phrases it lacks fall back to Spanish)."""

    def __init__(self, book: PhraseBook) -> None:
        super().__init__()
        self.book = book

    def gettext(self, message: str) -> str:
        found = self.book.phrases.get(message)
        if found is not None:
            return found
        return super().gettext(message)


def _printed_catalog(code: str) -> _gettext.NullTranslations | None:
    return PhraseTranslations(books()[code]) if has_phrases(code) and code not in INTERFACE else None


i18n.add_printed_source(_printed_catalog)


def template() -> str:
    """The text of ``phrases.pot``: every phrase, for a translator to copy as ``<code>.po``."""

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = [
        "# The fixed phrases of TAMBO Desktop's printed announcements (flyers, radio scripts, letters).",
        "# Copy this file as <code>.po (the language's ISO 639-3 code, e.g. shp.po), write each msgstr,",
        "# fill Language and X-Source (the published source of the translations) and put it in the",
        "# application's phrases/ folder. See docs/LANGUAGES.md. Keep the words between braces as they are.",
        'msgid ""',
        'msgstr ""',
        '"Language: xxx\\n"',
        '"X-Source: \\n"',
        '"Last-Translator: \\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        "",
    ]
    for phrase in PHRASES:
        lines += [f"msgid {quote(phrase)}", 'msgstr ""', ""]
    return "\n".join(lines)
