"""Translations (gettext catalogs) and locale formatting (babel), without Qt.

Source strings are Spanish; the ``es``, ``qu`` and ``ay`` catalogs are kept complete.
Mark strings with :func:`_`, :func:`ngettext`, :func:`pgettext`; mark a string for
extraction without translating it yet with :func:`N_`.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import threading
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError

from tambo_desktop import assets, dates

DOMAIN = "tambo_desktop"


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    babel_locale: str  # locale used for dates and numbers (babel has no Aymara)
    fallbacks: tuple[str, ...] = ()


#: The one language list of the application, in menu order.
LANGUAGES: tuple[Language, ...] = (
    Language("es", "Español", "es_PE"),
    Language("qu", "Runasimi", "qu_PE", ("es",)),
    Language("ay", "Aymar aru", "es_PE", ("es",)),
)
#: Regional variants that fall back to a reviewed catalog.
VARIANTS: dict[str, tuple[str, ...]] = {"quz": ("qu", "es"), "quy": ("qu", "es"), "ayc": ("ay", "es")}
DEFAULT_LANGUAGE = "es"

_state = threading.local()
_catalogs: dict[str, _gettext.NullTranslations] = {}
#: Catalogs of languages the interface does not have, for printed texts only (``phrases.py`` adds the
#: translators' phrase files): each takes a code and gives its catalog or None.
_printed_sources: list = []
_current = DEFAULT_LANGUAGE
_listeners: list = []


def language_codes() -> list[str]:
    return [lang.code for lang in LANGUAGES]


def language(code: str) -> Language:
    for lang in LANGUAGES:
        if lang.code == code:
            return lang
    raise KeyError(code)


def normalize(code: str | None) -> str:
    """Map any language tag (``qu_PE``, ``quz``, ``AY``) to one of :data:`LANGUAGES`."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("-", "_").split("_")[0].split(".")[0].lower()
    if base in language_codes():
        return base
    for candidate in VARIANTS.get(base, ()):
        if candidate in language_codes():
            return candidate
    return DEFAULT_LANGUAGE


def add_printed_source(source) -> None:
    """Let ``use_language`` reach languages outside :data:`LANGUAGES` (never the interface's)."""
    if source not in _printed_sources:
        _printed_sources.append(source)


def _printed(code: str) -> _gettext.NullTranslations | None:
    for source in _printed_sources:
        found = source(code)
        if found is not None:
            return found
    return None


def _load(code: str) -> _gettext.NullTranslations:
    if code in _catalogs:
        return _catalogs[code]
    if code not in language_codes() and code not in VARIANTS:
        printed = _printed(code)
        if printed is not None:  # a phrase file: what it lacks is said in Spanish
            printed.add_fallback(_load(DEFAULT_LANGUAGE))
            _catalogs[code] = printed
            return printed
    chain = [code, *VARIANTS.get(code, ()), *_fallbacks(code)]
    translations: _gettext.NullTranslations | None = None
    for lang in dict.fromkeys(chain):
        try:
            catalog = _gettext.translation(DOMAIN, assets.locale_dir(), languages=[lang])
        except OSError:
            continue
        if translations is None:
            translations = catalog
        else:
            translations.add_fallback(catalog)
    _catalogs[code] = translations or _gettext.NullTranslations()
    return _catalogs[code]


def _fallbacks(code: str) -> tuple[str, ...]:
    try:
        return language(code).fallbacks
    except KeyError:
        return (DEFAULT_LANGUAGE,)


def reload_catalogs() -> None:
    """Forget loaded catalogs (after they were recompiled)."""
    _catalogs.clear()


def set_language(code: str | None) -> str:
    """Make ``code`` the interface language; returns the normalised code."""
    global _current
    _current = normalize(code)
    _load(_current)
    for listener in list(_listeners):
        listener(_current)
    return _current


def current_language() -> str:
    return getattr(_state, "language", None) or _current


class use_language:
    """Context manager: translate in another language on this thread (e.g. a printed letter), also one
    the interface does not have whose printed phrases a translator added (``phrases.py``)."""

    def __init__(self, code: str) -> None:
        known = code in language_codes() or not code or _printed(code) is None
        self.code = normalize(code) if known else code

    def __enter__(self) -> str:
        self._previous = getattr(_state, "language", None)
        _state.language = self.code
        return self.code

    def __exit__(self, *exc: object) -> None:
        _state.language = self._previous


def on_language_changed(listener) -> None:
    """Call ``listener(code)`` whenever :func:`set_language` runs."""
    _listeners.append(listener)


def translations() -> _gettext.NullTranslations:
    return _load(current_language())


def _(message: str) -> str:
    return translations().gettext(message)


def NP_(context: str, message: str) -> str:
    """Mark ``message`` with ``context`` for extraction; translate later with :func:`pgettext`."""
    return message


def N_(message: str) -> str:
    """Mark for extraction; translate later with :func:`_`."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations().pgettext(context, message)


def translate_qt(context: str, source: str) -> str | None:
    """Lookup used by the Qt translator bridge: context first, then the plain string."""
    catalog = translations()
    result = catalog.pgettext(context, source) if context else source
    if result != source:
        return result
    result = catalog.gettext(source)
    return result if result != source else None


# -- formatting -------------------------------------------------------------------------------


def babel_locale(code: str | None = None) -> Locale:
    name = language(normalize(code or current_language())).babel_locale
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("es_PE")


def local_time(moment: dt.datetime) -> dt.datetime:
    """A time stored in UTC (audit, history, backups) on the tambo's clock (America/Lima), to show it."""
    return dates.from_utc(moment)


def format_date(value: dt.date | None, form: str = "medium", language: str | None = None) -> str:
    """A date in the current language (or ``language``): see :mod:`tambo_desktop.dates` for the forms."""
    return dates.format_date(value, form, normalize(language or current_language()))


def format_datetime(value: dt.datetime | None, form: str = "short", language: str | None = None) -> str:
    return dates.format_datetime(value, form, normalize(language or current_language()))


def format_time(value: dt.datetime | dt.time | None) -> str:
    return dates.format_time(value)


def format_number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    return dates.format_number(value, decimals)


def month_names(abbreviated: bool = False) -> tuple[str, ...]:
    """The twelve month names in the current language (January first)."""
    return dates.month_names(current_language(), abbreviated)


def weekday_names(abbreviated: bool = False) -> tuple[str, ...]:
    """The seven weekday names in the current language (Monday first)."""
    return dates.weekday_names(current_language(), abbreviated)


def today() -> dt.date:
    """The tambo's date (America/Lima), whatever the computer's time zone."""
    return dates.today()


def now() -> dt.datetime:
    """The tambo's wall-clock time (America/Lima, naive), whatever the computer's time zone."""
    return dates.now()


def format_percent(fraction: float) -> str:
    return dates.format_percent(fraction)


def parse_decimal(text: str) -> Decimal:
    """Parse a number typed by a user: both ``12,5`` and ``12.5`` are accepted."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "")
    return Decimal(cleaned)
