"""Dates, times and numbers as people read them, in Spanish, Quechua and Aymara.

The one formatting module of the application: the screens, the CLI and every printed document
format through it (:mod:`tambo_desktop.i18n` passes the current language; a document passes its own).

Month and weekday names
    Spanish comes from CLDR (babel, ``es_PE``). CLDR has no Aymara and its Quechua months are the
    Spanish words, so Quechua and Aymara take the names of the GNU C Library's locale data:

    - Quechua: glibc ``localedata/locales/quz_PE`` ("Cusco Quechua locale for Peru", source
      "Sugar Labs // OLPC", revision 1.0, 2013-08-24), ``LC_TIME`` ``mon``, ``abmon``, ``day``, ``abday``;
    - Aymara: glibc ``localedata/locales/ayc_PE`` ("Aymara (ayc) locale for Peru", source
      "runasimipi.org", revision 1.1, 2011-11-13), the same keys.

    The names are copied here as data (glibc is not needed at run time); the citation is repeated in
    ``translations/TERMS.md``. glibc's abbreviations *mar* and *may* coincide with Spanish ones, so the
    printed documents use the full names (``weekday_day``, ``day_month`` …) and keep abbreviations for
    the narrow calendar headers on screen.

Forms
    One set of named forms, the same in every language: ``full`` (weekday, day, month, year),
    ``long``, ``medium``, ``short`` (``dd/MM/yyyy``), ``day_month`` (``dd/MM``), ``month_year``,
    ``weekday``, ``weekday_short``, ``weekday_day``, ``weekday_date``, ``weekday_day_month``,
    ``day_month_name``,
    ``day_month_short``, ``announce`` (a day as a flyer or letter announces it), ``spoken`` (as a radio
    announcer reads it inside a sentence) and ``time`` (24 hours, ``HH:mm``). A CLDR-style pattern
    (``"EEE d MMM"``) is accepted too, with the language's own names.

Time zone
    Times are shown in the tambo's zone, America/Lima, whatever the computer's zone. Python's
    ``zoneinfo`` reads it from the system or from the ``tzdata`` package (Windows); without either,
    Peru's fixed offset (UTC-5, no daylight saving since 1994) is used.

Numbers
    One number format for the three languages, Peru's (``es_PE``: ``12,345.5``): Quechua and Aymara
    texts in Peru write numbers as Spanish ones do, and CLDR's ``qu_PE`` agrees.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache

TIME_ZONE = "America/Lima"

#: glibc localedata quz_PE, LC_TIME (see the module's docstring).
QU_MONTHS = ("iniru", "phiwriru", "marsu", "awril", "mayu", "huniyu", "huliyu", "agustu", "siptiyimri",
             "uktuwri", "nuwiyimri", "tisiyimri")  # fmt: skip
QU_MONTHS_ABBR = ("ini", "phi", "mar", "awr", "may", "hun", "hul", "agu", "sip", "ukt", "nuw", "tis")
QU_WEEKDAYS = ("lunis", "martis", "miyirkulis", "juywis", "wiyirnis", "sawatu", "tuminku")  # Monday first
QU_WEEKDAYS_ABBR = ("lun", "mar", "miy", "juy", "wiy", "saw", "tum")
#: glibc localedata ayc_PE, LC_TIME.
AY_MONTHS = ("inïru", "phiwriru", "marsu", "awrila", "mayu", "junyu", "julyu", "awustu", "sitimri", "uktuwri",
             "nuwimri", "risimri")  # fmt: skip
AY_MONTHS_ABBR = ("ini", "phi", "mar", "awr", "may", "jun", "jul", "awu", "sit", "ukt", "nuw", "ris")
AY_WEEKDAYS = ("lunisa", "martisa", "mirkulisa", "juywisa", "wirnisa", "sawäru", "tuminku")
AY_WEEKDAYS_ABBR = ("lun", "mar", "mir", "juy", "wir", "saw", "tum")

#: The named forms, per language, as CLDR-style patterns (quoted text is literal).
FORMS: dict[str, dict[str, str]] = {
    "es": {
        "full": "EEEE, d 'de' MMMM 'de' y",
        "long": "d 'de' MMMM 'de' y",
        "medium": "d MMM y",
        "month_year": "MMMM 'de' y",
        "day_month_name": "d 'de' MMMM",
        "announce": "EEEE d 'de' MMMM",
        "spoken": "EEEE d 'de' MMMM",
    },
    # Quechua: "sawatu, 28 nuwiyimri 2026"; read aloud "sawatu, 28 nuwiyimri killapi" (in the month of …)
    "qu": {
        "full": "EEEE, d MMMM y",
        "long": "d MMMM y",
        "medium": "d MMM y",
        "month_year": "MMMM y",
        "day_month_name": "d MMMM",
        "announce": "EEEE d MMMM",
        "spoken": "EEEE, d MMMM 'killapi'",
    },
    # Aymara: "sawäru, 28 nuwimri 2026"; read aloud "sawäru, 28 nuwimri phaxsina" (in the month of …)
    "ay": {
        "full": "EEEE, d MMMM y",
        "long": "d MMMM y",
        "medium": "d MMM y",
        "month_year": "MMMM y",
        "day_month_name": "d MMMM",
        "announce": "EEEE d MMMM",
        "spoken": "EEEE, d MMMM 'phaxsina'",
    },
}
#: Forms written the same way in every language (numbers and the language's names).
COMMON_FORMS = {
    "short": "dd/MM/y",
    "day_month": "dd/MM",
    "day_month_short": "d MMM",
    "weekday": "EEEE",
    "weekday_short": "EEE",
    "weekday_day": "EEEE d",
    "weekday_date": "EEE dd/MM/y",
    "weekday_day_month": "EEE d MMM",
    "time": "HH:mm",
}
LANGUAGES = tuple(FORMS)


@cache
def _spanish_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    from babel import Locale

    locale = Locale.parse("es_PE")
    months, days = locale.months["format"], locale.days["format"]
    return (tuple(months["wide"][m] for m in range(1, 13)), tuple(months["abbreviated"][m] for m in range(1, 13)),
            tuple(days["wide"][d] for d in range(7)), tuple(days["abbreviated"][d] for d in range(7)))  # fmt: skip


def _language(language: str) -> str:
    return language if language in FORMS else "es"


def month_names(language: str, abbreviated: bool = False) -> tuple[str, ...]:
    """The twelve month names (January first)."""
    language = _language(language)
    if language == "qu":
        return QU_MONTHS_ABBR if abbreviated else QU_MONTHS
    if language == "ay":
        return AY_MONTHS_ABBR if abbreviated else AY_MONTHS
    names = _spanish_names()
    return names[1] if abbreviated else names[0]


def weekday_names(language: str, abbreviated: bool = False) -> tuple[str, ...]:
    """The seven weekday names, Monday first (``date.weekday()`` indexes them)."""
    language = _language(language)
    if language == "qu":
        return QU_WEEKDAYS_ABBR if abbreviated else QU_WEEKDAYS
    if language == "ay":
        return AY_WEEKDAYS_ABBR if abbreviated else AY_WEEKDAYS
    names = _spanish_names()
    return names[3] if abbreviated else names[2]


def pattern(form: str, language: str) -> str:
    """The pattern of a named form in ``language`` (a pattern given instead is returned as it is)."""
    language = _language(language)
    return FORMS[language].get(form) or COMMON_FORMS.get(form) or form


_FIELD = re.compile(r"'([^']*)'|(E{1,5}|M{1,5}|L{1,5}|d{1,2}|y+|H{1,2}|m{1,2}|s{1,2})")


def _render(value: dt.date | dt.datetime, text: str, language: str) -> str:
    def field(match: re.Match) -> str:
        if match.group(1) is not None:
            return match.group(1) or "'"
        token = match.group(2)
        kind, width = token[0], len(token)
        if kind == "E":
            return weekday_names(language, abbreviated=width <= 3)[value.weekday()]
        if kind in "ML":
            if width <= 2:
                return f"{value.month:0{width}d}"
            return month_names(language, abbreviated=width == 3)[value.month - 1]
        if kind == "d":
            return f"{value.day:0{width}d}"
        if kind == "y":
            return f"{value.year % 100:02d}" if width == 2 else f"{value.year:0{width}d}"
        if not isinstance(value, dt.datetime):
            raise ValueError(f"a date has no {token}: {text!r}")
        number = {"H": value.hour, "m": value.minute, "s": value.second}[kind]
        return f"{number:0{width}d}"

    return _FIELD.sub(field, text)


# -- the tambo's clock --------------------------------------------------------------------------------


@cache
def tambo_zone() -> dt.tzinfo:
    """America/Lima (system zone data or the tzdata package), else Peru's fixed UTC-5."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(TIME_ZONE)
    except (ImportError, LookupError, OSError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return dt.timezone(dt.timedelta(hours=-5), "PET")


def to_tambo(moment: dt.datetime) -> dt.datetime:
    """An aware time as the tambo's wall clock shows it (naive). A naive time is returned as it is."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(tambo_zone()).replace(tzinfo=None)


def from_utc(moment: dt.datetime) -> dt.datetime:
    """A naive UTC time (the audit trail, histories, backups) on the tambo's wall clock (naive)."""
    return to_tambo(moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment)


def utc_start(day: dt.date) -> dt.datetime:
    """The tambo's midnight at the start of ``day`` as a naive UTC time: where a day of the tambo
    begins in the tables kept in UTC (the audit trail). From 19:00 in Lima it is already the next
    day in UTC: a filter on UTC dates lost the evening's lines."""
    local = dt.datetime.combine(day, dt.time.min, tambo_zone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def now() -> dt.datetime:
    """The tambo's wall-clock time now (naive, to the second), whatever the computer's zone."""
    return dt.datetime.now(tambo_zone()).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """The tambo's date today."""
    return now().date()


# -- formatting ---------------------------------------------------------------------------------------


def format_date(value: dt.date | dt.datetime | None, form: str = "medium", language: str = "es") -> str:
    """``value`` (a date, or a datetime's date) in ``language``, in a named form or a pattern."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_tambo(value).date()
    return _render(value, pattern(form, language), _language(language))


def format_time(value: dt.datetime | dt.time | None, language: str = "es") -> str:  # noqa: ARG001 - one form
    """``09:30``: 24 hours in every language."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_tambo(value)
    return f"{value.hour:02d}:{value.minute:02d}"


def format_datetime(value: dt.datetime | None, form: str = "short", language: str = "es") -> str:
    """A date and its time: the date in ``form`` (``short`` → ``28/11/2026 09:30``), then the time.

    ``form="time"`` gives the time alone. An aware value is shown on the tambo's clock.
    """
    if value is None:
        return ""
    value = to_tambo(value)
    if form in ("time", "HH:mm"):
        return format_time(value, language)
    text = pattern(form, language)
    if re.search(r"[Hms]", re.sub(r"'[^']*'", "", text)):  # a pattern with its own time
        return _render(value, text, _language(language))
    return f"{format_date(value.date(), form, language)} {format_time(value, language)}"


@cache
def _number_locale():
    from babel import Locale

    return Locale.parse("es_PE")


def format_number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """``12,345.5`` — Peru's number format, the same in the three languages."""
    if value is None:
        return ""
    from babel import numbers

    if decimals is None:
        return numbers.format_decimal(value, locale=_number_locale())
    form = "#,##0." + "0" * decimals if decimals else "#,##0"
    return numbers.format_decimal(value, format=form, locale=_number_locale())


def format_percent(fraction: float) -> str:
    """``45 %`` — a fraction (0.45) as a percentage, in the same format in the three languages."""
    from babel import numbers

    return numbers.format_percent(fraction, locale=_number_locale())


def capitalized(text: str) -> str:
    """The first letter in upper case, the rest untouched (``str.capitalize`` lowers the rest)."""
    return text[:1].upper() + text[1:]


__all__ = [
    "FORMS", "TIME_ZONE", "capitalized", "format_date", "format_datetime", "format_number", "format_percent", "format_time",
    "from_utc", "month_names", "now", "pattern", "tambo_zone", "to_tambo", "today", "utc_start", "weekday_names",
]  # fmt: skip
