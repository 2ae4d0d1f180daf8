"""One date format and one number format per language (issue 14, part 6): the window, the printed
documents and the command line format dates through tambo_desktop/dates.py (via i18n), never with
their own strftime, isoformat, Qt display formats or QDate.toString — a scan of the sources."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "tambo_desktop"
#: What formats a date or a number for people by itself.
STRAY = {
    "strftime": re.compile(r"\.strftime\("),
    "isoformat": re.compile(r"\.isoformat\(\)"),
    "Qt display format": re.compile(r"setDisplayFormat\(\s*['\"]|displayFormat=['\"]"),
    "QDate.toString": re.compile(r"\.toString\(\s*['\"]"),
    # a date with strftime codes in an f-string (a time «{t:%H:%M}» is the one time format already)
    "strftime in an f-string": re.compile(r"\{[^{}'\"]+:[^{}]*%[dmYyBbAa][^{}]*\}(?![^\"]*\.\w{3,4}\")"),
    "number format": re.compile(
        r"\{[^{}:'\"]+:[<>^=+ 0-9]*(,|\.\d+)[dfeg%]?\}"
    ),  # «{n:,}», «{x:.1f}»: not Peru's format
}
ALLOWED = "not shown"  # a comment saying so: a form's value, an internal name
SHOWN = ("gui", "documents", "cli")  # what people read on screen, on paper and in a terminal
#: cli verbs that print JSON for programs (--json) keep ISO dates: data, not display.
JSON_OUTPUT = re.compile(r"\"\w+\": .*isoformat\(\)")


def _sources():
    for part in SHOWN:
        for path in sorted((ROOT / part).rglob("*.py")):
            if "forms" in path.parts:  # generated from ui/*.ui
                continue
            yield path


def test_nothing_formats_dates_or_numbers_by_itself():
    found = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0] if ALLOWED not in line else ""
            for what, pattern in STRAY.items():
                if not pattern.search(code):
                    continue
                if what == "isoformat" and path.parent.name == "cli" and JSON_OUTPUT.search(code):
                    continue
                if what == "number format" and ("font-size" in code or "pt;" in code):
                    continue  # a style sheet's point size, not a number for people
                found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert not found, "\n".join(found)


def test_messages_of_the_services_show_dates_in_the_one_format():
    """A message for people (``_(…).format(when=…)``) never formats its date with strftime codes."""
    found = []
    for path in sorted((ROOT / "services").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\w+=f\"\{[^{}]+:%Y-%m-%d", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_scan_sees_a_stray_format(tmp_path):
    """The patterns catch what they are meant to (the scan is not vacuous)."""
    samples = ['day.strftime("%d/%m")', "edit.setDisplayFormat('d/M/yy')", 'DateEdit(displayFormat="short")', "x.isoformat()",
               'QDate.currentDate().toString("dd.MM")', 'f"{total:,}"', 'f"{ratio:.1f}"', 'f"{when:%d/%m}"']  # fmt: skip
    for sample in samples:
        assert any(p.search(sample) for p in STRAY.values()), sample
