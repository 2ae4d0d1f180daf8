"""The es, qu and ay catalogs are complete, consistent with the code, and printable."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import build_assets  # noqa: E402

LANGS = ("es", "qu", "ay")
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%\d|%[sd]")
#: Messages that are the same in every language (names, acronyms, symbols).
SAME_EVERYWHERE = {"TAMBO Desktop", "Excel (*.xlsx);;CSV (*.csv)", "—"}


def catalog(lang: str):
    return build_assets.read_catalog(ROOT / "translations" / lang / "LC_MESSAGES" / "tambo_desktop.po")


def messages(lang: str):
    return [m for m in catalog(lang) if m.id]


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_translated_and_not_fuzzy(lang):
    missing = [m.id for m in messages(lang) if not all(s.strip() for s in _strings(m))]
    fuzzy = [m.id for m in messages(lang) if m.fuzzy]
    assert not missing, f"{len(missing)} untranslated in {lang}: {missing[:5]}"
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_the_same(lang):
    bad = []
    for m in messages(lang):
        expected = sorted(PLACEHOLDER.findall(_ids(m)[0]))
        for text in _strings(m):
            if sorted(PLACEHOLDER.findall(text)) != expected:
                bad.append((m.id, text))
    assert not bad, bad[:5]


@pytest.mark.parametrize("lang", LANGS)
def test_headers_language_and_plural_forms(lang):
    text = (ROOT / "translations" / lang / "LC_MESSAGES" / "tambo_desktop.po").read_text(encoding="utf-8")
    head = text.split("\n\n", 1)[0]
    assert f'"Language: {lang}\\n"' in head
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in head
    assert "charset=utf-8" in head.lower()


@pytest.mark.parametrize("lang", LANGS)
def test_accelerators(lang):
    bad = []
    for m in messages(lang):
        source = _ids(m)[0].replace("&&", "")
        for text in _strings(m):
            count = text.replace("&&", "").count("&")
            if count > 1 or ("&" in source) != (count == 1):
                bad.append((m.id, text))
    assert not bad, bad[:5]


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_no_spanish_left_pretending_to_be_translated(lang):
    same = [
        m.id
        for m in messages(lang)
        if not m.context
        and _strings(m)[0] == _ids(m)[0]
        and m.id not in SAME_EVERYWHERE
        and re.search(r"[a-záéíóúñ]{4,}", PLACEHOLDER.sub("", _ids(m)[0]))  # "{who}, {when}" has no words
    ]
    assert not same, f"{len(same)} messages identical to Spanish in {lang}: {same[:8]}"


def test_catalogs_match_the_code():
    """Every string the code, the forms and the service catalogue use is in every catalog."""
    template = build_assets.extract_template()
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    for lang in LANGS:
        have = {(m.context, _ids(m)[0]) for m in messages(lang)}
        missing = wanted - have
        assert not missing, f"{lang} lacks {len(missing)} strings (run installer/build_assets.py update): {sorted(missing)[:5]}"


def test_every_catalog_character_is_in_the_bundled_pdf_font():
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("DejaVuSans", str(ROOT / "resources" / "fonts" / "DejaVuSans.ttf"))
    covered = set(font.face.charToGlyph)
    missing = set()
    for lang in LANGS:
        for m in messages(lang):
            for text in _strings(m) + _ids(m):
                missing |= {ch for ch in text if ord(ch) >= 32 and ord(ch) not in covered}
    assert not missing, sorted(missing)
    for letter in "ñäïüʼáéíóú’":
        assert ord(letter) in covered


def test_font_licence_ships_with_the_font():
    assert (ROOT / "resources" / "fonts" / "LICENSE-DejaVu.txt").read_text().count("Bitstream") > 0
