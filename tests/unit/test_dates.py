"""The one formatting module: month and weekday names from glibc's locale data, the named forms in
es/qu/ay, the tambo's clock (America/Lima whatever the computer's zone), and no date formatting
anywhere else in the sources."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tambo_desktop import dates, i18n

SOURCES = Path(__file__).resolve().parents[2] / "tambo_desktop"
GLIBC = Path("/usr/share/i18n/locales")


def _glibc_names(locale: str) -> dict[str, list[str]]:
    """``mon``, ``abmon``, ``day``, ``abday`` of a glibc locale source file (``<U00EF>`` decoded)."""
    text = (GLIBC / locale).read_text(encoding="utf-8")
    block = text[text.index("\nLC_TIME") : text.index("\nEND LC_TIME")]
    block = re.sub(r"^%.*$", "", block, flags=re.M).replace("/\n", "\n")
    names = {}
    for key in ("mon", "abmon", "day", "abday"):
        match = re.search(rf"^{key}\s+((?:\s*\"[^\"]*\";?)+)", block, re.M)
        values = re.findall(r"\"([^\"]*)\"", match.group(1))
        names[key] = [re.sub(r"<U([0-9A-F]{4})>", lambda m: chr(int(m.group(1), 16)), v) for v in values]
    return names


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold().strip(".")) if not unicodedata.combining(c))


@pytest.mark.skipif(not (GLIBC / "quz_PE").exists(), reason="glibc's locale sources are not installed")
@pytest.mark.parametrize(("language", "locale"), [("qu", "quz_PE"), ("ay", "ayc_PE")])
def test_names_are_glibcs(language, locale):
    names = _glibc_names(locale)
    sunday_first = lambda week: (week[-1], *week[:-1])  # noqa: E731 - glibc starts on Sunday
    assert list(dates.month_names(language)) == names["mon"]
    assert list(dates.month_names(language, abbreviated=True)) == names["abmon"]
    assert list(sunday_first(dates.weekday_names(language))) == names["day"]
    assert list(sunday_first(dates.weekday_names(language, abbreviated=True))) == names["abday"]


@pytest.mark.parametrize("language", ["qu", "ay"])
def test_no_full_name_is_the_spanish_word(language):
    spanish = {_fold(n) for n in (*dates.month_names("es"), *dates.weekday_names("es"))}
    own = [_fold(n) for n in (*dates.month_names(language), *dates.weekday_names(language))]
    assert len(set(own)) == 19 and not spanish & set(own)


DAY = dt.date(2026, 12, 8)  # a Tuesday


@pytest.mark.parametrize(
    ("language", "form", "expected"),
    [
        ("es", "full", "martes, 8 de diciembre de 2026"),
        ("qu", "full", "martis, 8 tisiyimri 2026"),
        ("ay", "full", "martisa, 8 risimri 2026"),
        ("es", "long", "8 de diciembre de 2026"),
        ("qu", "long", "8 tisiyimri 2026"),
        ("es", "medium", "8 dic. 2026"),
        ("ay", "medium", "8 ris 2026"),
        ("es", "short", "08/12/2026"),
        ("qu", "short", "08/12/2026"),
        ("es", "month_year", "diciembre de 2026"),
        ("qu", "month_year", "tisiyimri 2026"),
        ("ay", "month_year", "risimri 2026"),
        ("qu", "weekday", "martis"),
        ("ay", "weekday_short", "mar"),
        ("ay", "weekday_day", "martisa 8"),
        ("es", "announce", "martes 8 de diciembre"),
        ("qu", "announce", "martis 8 tisiyimri"),
        ("qu", "spoken", "martis, 8 tisiyimri killapi"),
        ("ay", "spoken", "martisa, 8 risimri phaxsina"),
        ("qu", "EEE d MMM", "mar 8 tis"),  # a pattern takes the language's names too
    ],
)
def test_named_forms(language, form, expected):
    assert dates.format_date(DAY, form, language) == expected


def test_times_are_24_hours_and_datetimes_join_date_and_time():
    moment = dt.datetime(2026, 12, 8, 7, 5)
    assert dates.format_time(moment) == "07:05"
    assert dates.format_datetime(moment, "short", "qu") == "08/12/2026 07:05"
    assert dates.format_datetime(moment, "medium", "ay") == "8 ris 2026 07:05"
    assert dates.format_datetime(moment, "time") == "07:05"
    with i18n.use_language("qu"):
        assert i18n.format_datetime(moment, "weekday_day_month") == "mar 8 tis 07:05"


def test_an_aware_time_is_shown_on_the_tambos_clock():
    noon_utc = dt.datetime(2026, 12, 8, 3, 0, tzinfo=dt.UTC)  # 22:00 of the day before in Lima
    assert dates.format_datetime(noon_utc, "short") == "07/12/2026 22:00"
    assert dates.format_date(noon_utc, "short") == "07/12/2026"
    assert i18n.local_time(dt.datetime(2026, 12, 8, 3, 0)) == dt.datetime(2026, 12, 7, 22, 0)


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC", "America/New_York"])
def test_the_tambos_clock_whatever_the_computers_zone(zone):
    """A fresh interpreter with another TZ: now() and today() are Lima's (UTC-5, no daylight saving)."""
    code = (
        "import datetime as dt, time; from tambo_desktop import dates, i18n\n"
        "utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)\n"
        "print(time.strftime('%z'), (utc - dt.timedelta(hours=5) - dates.now()).total_seconds(),"
        " dates.today() == (utc - dt.timedelta(hours=5)).date() or dates.now().hour == 0,"
        " i18n.local_time(dt.datetime(2026, 7, 1, 12)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "TZ": zone}).stdout.split()  # fmt: skip
    assert abs(float(out[1])) < 2 and out[2] == "True"
    assert out[3:] == ["2026-07-01", "07:00:00"]
    if zone == "Asia/Tokyo":
        assert out[0] == "+0900"  # the computer's zone really was another


def test_numbers_are_the_same_in_the_three_languages():
    for language in ("es", "qu", "ay"):
        with i18n.use_language(language):
            assert i18n.format_number(12345.5, 2) == "12,345.50"
            assert i18n.format_number(3850) == "3,850"
            assert i18n.format_percent(0.45) == "45%"


#: human-readable date formatting outside the one module (machine stamps %Y%m%d, ISO, SQL are fine)
FORBIDDEN = [
    (re.compile(r"babel\s+import\s+dates|babel\.dates|format_skeleton|format_percent\(.*locale"), "babel's date API"),
    (re.compile(r"strftime\(\"[^\"]*%[dbBaAeHIp][^\"]*\"\)"), "strftime"),
    (re.compile(r"\{[^{}]+:%[dbBaA][^}]*\}"), "an f-string date format"),
    (
        re.compile(r"format_date\([^)]*['\"][^'\"]*(?:dd|MM|yy|EEE|LLL)[^'\"]*['\"]"),
        "a pattern instead of a named form",
    ),
]
MACHINE = re.compile(r"%Y-?%m-?%d|%Y%m%d|%Y-%m\b")


def test_no_date_formatting_outside_the_dates_module():
    found = []
    for path in SOURCES.rglob("*.py"):
        if path.name == "dates.py" or "forms" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, what in FORBIDDEN:
                if pattern.search(line) and not MACHINE.search(line):
                    found.append(f"{path.relative_to(SOURCES)}:{number}: {what}: {line.strip()}")
    assert not found, "\n".join(found)


def test_a_tambo_day_begins_at_five_in_the_morning_utc():
    """The audit trail keeps UTC: the day 7 December in Lima runs from 05:00 UTC on the 7th to
    05:00 UTC on the 8th (seen: an export «--to today» at 19:30 in Lima left out the evening)."""
    assert dates.utc_start(dt.date(2026, 12, 7)) == dt.datetime(2026, 12, 7, 5, 0)
    assert dates.utc_start(dt.date(2026, 12, 8)) == dt.datetime(2026, 12, 8, 5, 0)
