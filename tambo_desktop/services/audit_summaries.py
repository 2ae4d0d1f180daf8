"""The audit trail's summaries in the reader's language (issue 14, part 7).

A summary is stored as it was written, in the language of whoever wrote it (the hash chain keeps it
untouched). It is read through this module: a summary made from one of :data:`TEMPLATE_LABELS` is
recognised in Spanish, Quechua or Aymara and written again in the reader's language, its dates and
months in the language's format, its codes as labels; the few summaries that services write without a
template (a setting's key, «2026-03», «vacaciones 2026-01-05 – 2026-01-09», a voyage's action code)
read in words too. A summary that matches nothing (a person's or a community's name) is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from tambo_desktop import dates, i18n, vocabulary
from tambo_desktop.i18n import N_, _

#: Every template a summary is written from (the services' own msgids, so the catalogs translate them
#: once); a plural template is a pair. tests/unit/test_audit_summaries.py checks that every
#: ``summary=_(…)`` in the code is here.
TEMPLATE_LABELS: tuple[str | tuple[str, str], ...] = (
    N_("Base de datos recuperada desde la copia {file}"),
    N_("Certificado {code}"),
    N_("Clave de la oficina central: {key}"),
    N_("Confirmado por el administrador: {reasons}"),
    N_("Copia al servidor {target}"),
    N_("Copiada desde {source}: {rows} filas"),
    N_("Corrección de asistencia de {name}, {day}: {reason}"),
    N_("Datos de referencia de la oficina central, versión {version}"),
    N_("Informe de campo {month}: {n} viajes"),
    N_("Informe {period} ({fmt}, {language})"),
    N_("Paquete {n} para la oficina central: {records} registros, {audit} líneas de auditoría, a {file}"),
    N_("Restaurada la copia {file}; el estado anterior quedó en {previous}"),
    N_("Sellos de los datos de personas renovados: {n} filas"),
    N_("Sellos de los datos de personas renovados: {n} filas (antes: {problems})"),
    N_("Resumen de capacitaciones {year}: {n} cursos"),
    N_("anulada: {reason}"),
    N_("atención pasada a {name}"),
    N_("fusionada con {name}"),
    N_("omitida: {reason}"),
    N_("reprogramada: {reason}"),
    N_("ruta corrida tras {stop}: {reason}"),
    N_("todos los datos de la persona ({kind}) a {file}"),
    N_("{n} atenciones del {start} al {end} a {file}"),
    N_("{n} filas a {file}"),
    N_("{n} filas desde {file}"),
    N_("{n} líneas de auditoría a {file}"),
    N_("{removed} fusionada en {kept}; {n} atenciones movidas"),
    N_("{what}: {n} atenciones ({voided} anuladas)"),
    N_("{what}: {n} intervenciones"),
    N_("{what}: {n} metas mensuales"),
    N_("{what}: {n} personas"),
    N_("datos de demostración «{size}», semilla {seed}"),
    N_("Asistencia: {user}, {day}: {what}"),
    N_("Demostración: {days} días del personal, {leave} licencias"),
    N_("Demostración: {n} viajes de campo"),
    N_("{n} valores borrados de la auditoría"),
    (
        "Asistencia del personal {month}: {n} persona",
        "Asistencia del personal {month}: {n} personas",
    ),  # staff.py's ngettext
)

#: Summaries that older versions wrote in English or without a template, and the template they read as.
_LEGACY_LABELS = (
    (re.compile(r"demo: (?P<days>\d+) staff days, (?P<leave>\d+) leave"),
     N_("Demostración: {days} días del personal, {leave} licencias")),
    (re.compile(r"demo: (?P<n>\d+) trips"), N_("Demostración: {n} viajes de campo")),
)  # fmt: skip
#: A setting's key as the summary of its change: the setting's caption.
_SETTING_LABELS = {
    "idle_lock_minutes": N_("&Bloquear la sesión tras (minutos sin uso):"),
    "communities.stale_days": N_("&Resaltar centros poblados sin visita desde hace (días):"),
}
#: Fixed phrases a service writes translated (inside a template or alone).
_PHRASE_LABELS = (N_("Llegada: inicio de sesión"), N_("Salida: cierre de sesión"))
_FIELD = re.compile(r"\{(\w+)\}")
_YEAR = re.compile(r"\d{4}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_MONTH_AND_CODE = re.compile(r"(\d{4})-(\d{2}) (\S+)")
_LEAVE = re.compile(r"(?P<kind>\w+) (?P<first>\d{4}-\d{2}-\d{2}) – (?P<last>\d{4}-\d{2}-\d{2})")
_STAFF_DAY = re.compile(r"(?P<user>\S+) (?P<day>\d{4}-\d{2}-\d{2}): (?P<what>.*)", re.DOTALL)
_NEED_RULE = re.compile(r"(?P<need>\w+)/(?P<activity>[\w*]+) → (?P<code>\S+)")


@dataclass(frozen=True)
class _Template:
    """One template's text in one language, with the fixed texts that rule it out cheaply: a summary
    that does not start with ``prefix`` or lacks ``needle`` cannot match, so its pattern is compiled
    only when a summary might (compiling all ~100 patterns took ~80 ms at the audit page's first show)."""

    text: str
    template: str | tuple[str, str]
    prefix: str
    needle: str


def _pattern(template: str) -> re.Pattern:
    """A template's text (in one language) as a pattern: each ``{field}`` takes any text."""
    parts, seen, last = [], set(), 0
    for match in _FIELD.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


_compiled = lru_cache(maxsize=None)(_pattern)


@cache
def _templates() -> tuple[_Template, ...]:
    """Every template in every language, the most specific (longest fixed text) first."""
    found: dict[str, tuple[_Template, int]] = {}
    for template in TEMPLATE_LABELS:
        forms = template if isinstance(template, tuple) else (template,)
        for code in i18n.language_codes():
            with i18n.use_language(code):
                texts = [i18n.ngettext(forms[0], forms[1], n) for n in (1, 2)] if len(forms) == 2 else [_(forms[0])]
            for text in texts:
                if text not in found:
                    literals = _FIELD.split(text)[::2]  # the fixed texts between the fields
                    entry = _Template(text, template, literals[0], max(literals, key=len))
                    found[text] = (entry, sum(map(len, literals)))
    ordered = sorted(found.values(), key=lambda item: -item[1])
    return tuple(entry for entry, _length in ordered)


def warm() -> None:
    """Read the catalogs and month names the summaries need (for a worker thread, before a page
    shows summaries, so the GUI thread does not pay for it)."""
    _templates()
    _month_names()
    _labels_in_any_language(tuple(enumerate(_PHRASE_LABELS)))


@cache
def _labels_in_any_language(vocabulary_items: tuple[tuple[object, str], ...]) -> dict[str, str]:
    """Label (in es, qu or ay) → msgid, for labels a service wrote already translated."""
    found: dict[str, str] = {}
    for _code, msgid in vocabulary_items:
        for code in i18n.language_codes():
            with i18n.use_language(code):
                found.setdefault(_(msgid), msgid)
    return found


def _month(year: str, month: str, capital: bool = True) -> str:
    """A month and year as the language writes it; capitalised where it begins the text (in
    Spanish «Asistencia del personal noviembre de 2026», not «… Noviembre de 2026»)."""
    text = i18n.format_date(dt.date(int(year), int(month), 1), "month_year")
    return dates.capitalized(text) if capital else text


@cache
def _month_names() -> tuple[tuple[re.Pattern, dict[str, int]], ...]:
    """«marzo de 2026», «marsu 2026», «marsu 2026»: a month and year as any language writes it."""
    found = []
    for code in i18n.language_codes():
        names = {name: number for number, name in enumerate(dates.month_names(code), start=1)}
        names.update({dates.capitalized(n): m for n, m in names.items()})
        form = dates.pattern("month_year", code).replace("'", "")
        alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        text = "".join(
            f"(?P<month>{alternatives})" if part == "MMMM" else r"(?P<year>\d{4})" if part == "y" else re.escape(part)
            for part in re.split(r"(MMMM|y)", form)
        )
        found.append((re.compile(text), names))
    return tuple(found)


def _value(field: str, value: str, depth: int, first: bool = False) -> str:
    """One field of a template in the reader's language: dates and months in its format, numbers in
    the one number format, a nested summary (the demo's «what») read again."""
    text = value.strip()
    if _ISO_DAY.fullmatch(text):
        return i18n.format_date(dt.date.fromisoformat(text), "short")
    if match := _ISO_MONTH.fullmatch(text):
        return _month(match.group(1), match.group(2), capital=first)
    if _YEAR.search(text):  # «marzo de 2026» written out: only then are the month names needed
        for pattern, names in _month_names():
            if match := pattern.fullmatch(text):
                return _month(match.group("year"), f"{names[match.group('month')]:02d}", capital=first)
    if text.isdigit() and field not in ("code", "key", "version", "seed", "year") and len(text) > 3:
        return i18n.format_number(int(text))
    if field == "language" and text in i18n.language_codes():
        return i18n.language(text).native_name
    phrase = _labels_in_any_language(tuple(enumerate(_PHRASE_LABELS))).get(text)
    if phrase:
        return _(phrase)
    return readable(text, depth + 1) if depth < 2 else value


def _fill(template: str | tuple[str, str], values: dict[str, str], depth: int) -> str:
    if isinstance(template, tuple):
        count = values.get("n", "").replace(",", "").replace(" ", "")
        text = i18n.ngettext(template[0], template[1], int(count) if count.isdigit() else 2)
    else:
        text = _(template)
    shown = {field: _value(field, value, depth, text.startswith("{" + field + "}")) for field, value in values.items()}
    return _FIELD.sub(lambda m: shown.get(m.group(1), m.group(0)), text)


def readable(summary: str, depth: int = 0) -> str:
    """``summary`` (as stored, in any of the three languages) in the reader's language."""
    if not summary:
        return summary
    if depth == 0:  # a table asks again at every repaint: remembered per language
        return _readable(i18n.current_language(), summary)
    return _read(summary, depth)


@lru_cache(maxsize=8192)
def _readable(_language: str, summary: str) -> str:
    return _read(summary, 0)


def _read(summary: str, depth: int) -> str:
    for entry in _templates():
        if not summary.startswith(entry.prefix) or entry.needle not in summary:
            continue
        if match := _compiled(entry.text).fullmatch(summary):
            return _fill(entry.template, match.groupdict(), depth)
    if depth:  # a field of a template: only whole templates are read again
        return summary
    for pattern, legacy in _LEGACY_LABELS:
        if match := pattern.fullmatch(summary):
            return _fill(legacy, match.groupdict(), depth)
    return _free_form(summary)


def _free_form(summary: str) -> str:
    """The summaries services write without a template."""
    if summary in _SETTING_LABELS:
        return _(_SETTING_LABELS[summary]).replace("&", "").rstrip(":").strip()
    if summary in vocabulary.VOYAGE_ACTIONS:
        return vocabulary.label(vocabulary.VOYAGE_ACTIONS, summary)
    if _ISO_DAY.fullmatch(summary):
        return i18n.format_date(dt.date.fromisoformat(summary), "short")
    if match := _ISO_MONTH.fullmatch(summary):
        return _month(match.group(1), match.group(2))
    if match := _MONTH_AND_CODE.fullmatch(summary):
        return f"{_month(match.group(1), match.group(2))} {match.group(3)}"
    if (match := _LEAVE.fullmatch(summary)) and match.group("kind") in vocabulary.LEAVE_KINDS:
        return "{kind} {first} – {last}".format(
            kind=vocabulary.label(vocabulary.LEAVE_KINDS, match.group("kind")),
            first=i18n.format_date(dt.date.fromisoformat(match.group("first")), "short"),
            last=i18n.format_date(dt.date.fromisoformat(match.group("last")), "short"),
        )
    if match := _STAFF_DAY.fullmatch(summary):
        return _fill(N_("Asistencia: {user}, {day}: {what}"), match.groupdict(), 0)
    if (match := _NEED_RULE.fullmatch(summary)) and match.group("need") in vocabulary.NEEDS:
        activity = match.group("activity")
        return "{need} / {activity} → {code}".format(
            need=vocabulary.label(vocabulary.NEEDS, match.group("need")),
            activity="*" if activity == "*" else vocabulary.label(vocabulary.ECONOMIC_ACTIVITIES, activity),
            code=match.group("code"),
        )
    from tambo_desktop.services.audit_words import DOCUMENT_KINDS  # a document's kind, written translated

    msgid = _labels_in_any_language(tuple(DOCUMENT_KINDS.items())).get(summary)
    return _(msgid) if msgid else summary
