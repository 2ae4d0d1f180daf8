"""The command line in the user's language (issue 16, part 7): argparse's own words, the metavars,
field labels and the operating system's reasons come from the catalogs; ``tambo-cli --lang qu --help``
and its errors hold no English (every word of the output is checked against the catalog)."""

from __future__ import annotations

import argparse
import ast
import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import i18n
from tambo_desktop.cli import build_parser, common, parsing

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))  # build_assets lives in tools/ (it left installer/)
import build_assets  # noqa: E402

#: argparse strings only a programmer can cause (a wrong add_argument), never a user.
PROGRAMMER_ERRORS = {
    "%r is not callable", "'required' is an invalid argument for positionals", ".__call__() not defined",
    'argument "-" with mode %r', "cannot have multiple subparser arguments", "cannot merge actions - two groups are named %r",
    "conflicting option string: %s", "conflicting option strings: %s", "conflicting subparser alias: %s",
    "conflicting subparser: %s", "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional", "deprecated", "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated", "argument '%(argument_name)s' is deprecated",
}  # fmt: skip
PERCENT = re.compile(r"%(?:\([a-z_]+\))?[rsd]")


def argparse_strings() -> set[str]:
    """The literal strings the running Python's argparse hands to ``_()`` and ``ngettext()``."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def catalog(lang: str):
    return build_assets.read_catalog(ROOT / "translations" / lang / "LC_MESSAGES" / "tambo_desktop.po")


def test_every_string_argparse_shows_is_in_the_catalog_table():
    missing = argparse_strings() - PROGRAMMER_ERRORS - set(parsing.ARGPARSE_STRINGS)
    assert not missing, (
        f"argparse of Python {sys.version_info[:2]} shows strings not in parsing.ARGPARSE_STRINGS: {missing}"
    )


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_argparse_strings_are_translated_with_their_placeholders(lang):
    cat = catalog(lang)
    for msgid in parsing.ARGPARSE_STRINGS:
        message = cat.get(msgid, context=parsing.CONTEXT)
        assert message is not None and message.string, (lang, msgid)
        english = PERCENT.sub(" ", msgid)
        if lang != "es" or msgid != "%(prog)s: error: %(message)s\n":  # "error" is Spanish as well
            assert message.string != msgid or not re.search(r"[a-z]{3,}", english), (lang, msgid)  # not English
        assert sorted(PERCENT.findall(message.string)) == sorted(PERCENT.findall(msgid)), (lang, msgid, message.string)
        assert message.string.endswith("\n") == msgid.endswith("\n"), (lang, msgid)


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB", "TAMBO_LANG")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    return subprocess.run([sys.executable, "-m", "tambo_desktop", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)  # fmt: skip


def _catalog_words(lang: str) -> set[str]:
    words: set[str] = set()
    for message in catalog(lang):
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for text in strings:
            words |= {w.lower() for w in re.findall(r"[^\W\d_][\w'’]*", text or "")}
    return words


def _verbs(parser: argparse.ArgumentParser) -> set[str]:
    names = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                names |= {name, *_verbs(sub)}
    return names


def _english_words() -> set[str]:
    return {w.lower() for s in argparse_strings() for w in re.findall(r"[a-zA-Z]{3,}", PERCENT.sub(" ", s))}


def _words_shown(text: str, verbs: set[str]) -> list[str]:
    """The words a reader sees, without option names, choices, quoted values and verb names."""
    for verb in sorted((v for v in verbs if "-" in v), key=len, reverse=True):
        text = text.replace(verb, " ")
    text = re.sub(
        r"(?<![\w'])--?[\w-]+|\{[^}]*\}|(?<!\w)'[^'\s]*'(?!\w)|«[^»]*»|tambo-desktop|postgresql://\S+|\.json|\.pdf|sqlite:///\S+",
        " ",
        text,
    )
    return [w for w in re.findall(r"[^\W\d_][\w'’]*", text) if w not in verbs]


CASES = [
    ["--help"],
    ["flyer", "--help"],
    ["training", "export", "--help"],
    ["flyer"],  # a required option missing
    ["flyer", "--out", "x.pdf"],  # one of a required group missing
    ["export", "communities", "--format", "doc", "--out", "x"],  # invalid choice
    ["nada"],  # an unknown verb
    ["training", "export", "--year", "xx", "--format", "csv", "--out", "x"],  # not a number
    ["letters", "--campaign", "abc", "--out", "x"],  # not an ID
    ["check", "--sobra"],  # unrecognized arguments
    ["flyer", "--campaign", "1", "--intervention", "2", "--out", "x"],  # not allowed together
]


@pytest.mark.parametrize("lang", ["qu", "ay"])
def test_help_and_errors_hold_no_english(lang):
    english = _english_words()
    known = _catalog_words(lang)
    verbs = _verbs(build_parser())
    for case in CASES:
        result = run("--lang", lang, *case)
        assert result.returncode == (0 if "--help" in case else 2), (case, result.stderr)
        shown = result.stdout + result.stderr
        assert "Traceback" not in shown
        words = _words_shown(shown, verbs)
        assert words, case
        leaked = sorted({w for w in words if w.lower() in english and w.lower() not in known})
        assert not leaked, (lang, case, leaked, shown)
        unknown = sorted({w for w in words if w.lower() not in known})
        assert not unknown, (lang, case, unknown, shown)


def test_spanish_help_is_spanish_too():
    result = run("--lang", "es", "--help")
    assert result.stdout.startswith("uso: tambo-desktop")
    assert "opciones:" in result.stdout and "muestra esta ayuda y sale" in result.stdout
    assert "usage" not in result.stdout and "show this help" not in result.stdout
    error = run("--lang", "es", "flyer")
    assert "error: faltan estos datos obligatorios: --out" in error.stderr


@pytest.mark.parametrize("lang", ["qu", "ay"])
def test_a_positional_with_choices_is_named_by_its_choices_in_errors(lang):
    """argparse names a positional by its dest in an error ("argument what: invalid choice"): the dest
    is the code's English, so the error names the choices instead, as the usage line does."""
    result = run("--lang", lang, "export", "bogus", "--format", "csv", "--out", "x")
    assert result.returncode == 2
    assert "{communities,attentions}" in result.stderr and "'bogus'" in result.stderr
    assert not re.search(r"\bwhat\b", result.stderr), result.stderr


def test_metavars_are_translated():
    shown = run("--lang", "qu", "export", "--help").stdout
    assert "WWWW-KK-PP" in shown and "WILLAÑIQI" in shown and "AAAA" not in shown and "OUT" not in shown
    shown = run("--lang", "ay", "--help").stdout
    assert "--home IMAWI" in shown and "DIR" not in shown and "VERB" not in shown


@pytest.mark.parametrize(
    ("code", "qu"),
    [(errno.ENOENT, "manam kanchu"), (errno.EACCES, "saqillasqachu"), (errno.ENOSPC, "hunt'añam")],
)
def test_operating_system_errors_are_explained_in_the_language(code, qu):
    exc = OSError(code, os.strerror(code), "/media/usb/padron.csv")
    with i18n.use_language("qu"):
        message = common.os_error_message(exc)
    assert "/media/usb/padron.csv" in message and qu in message
    assert os.strerror(code) not in message


def test_field_labels_not_keys():
    with i18n.use_language("es"):
        assert common.field_error_line("document_number", "El DNI tiene 8 dígitos.") == (
            "Número de documento: El DNI tiene 8 dígitos."
        )
        assert common.field_error_line("no_label_here", "Algo.") == "Algo."
