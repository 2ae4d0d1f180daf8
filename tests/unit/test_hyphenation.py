"""Syllables where printed words may break (issue 16.9): Quechua and Aymara by the (C)V(C) rules of
tambo_desktop.documents.hyphenation, Spanish by pyphen's dictionary; and a table cell that breaks a
word too wide for it at a syllable, with a hyphen, or shrinks its type."""

from __future__ import annotations

import re

import pytest

from tambo_desktop.documents import hyphenation, style
from tambo_desktop.i18n import use_language

QUECHUA = {
    "P'unchaw": "P'un-chaw",  # ejective p' is one consonant; n-ch: the first closes, the second opens
    "wawakunaq": "wa-wa-ku-naq",
    "yatiyawinakapa": "ya-ti-ya-wi-na-ka-pa",  # y and w are consonants
    "Chhullunku": "Chhu-llun-ku",  # chh and ll are single consonants
    "qhichwa": "qhich-wa",
    "Kastilla": "Kas-ti-lla",
    "chakra": "chak-ra",  # k-r is no onset of Quechua: parted
    "celularniykipi": "ce-lu-lar-niy-ki-pi",
    "Maypi": "May-pi",
    "Hayk'a": "Hay-k'a",
}
AYMARA = {
    "sawäru": "sa-wä-ru",  # a long vowel is one vowel
    "Galonanaka": "Ga-lo-na-na-ka",
    "iwxt'awi": "iwx-t'a-wi",  # three consonants: the last opens the syllable
    "uñakipaña": "uña-ki-pa-ña",  # at least two letters before the first hyphen
    "Jach'a": "Ja-ch'a",
    "phaxsina": "phax-si-na",
}
LOANS = {"centro": "cen-tro", "Coordinación": "Coor-di-na-ción", "programa": "pro-gra-ma"}  # Spanish onsets kept


@pytest.mark.parametrize(("language", "cases"), [("qu", QUECHUA), ("ay", AYMARA), ("qu", LOANS), ("ay", LOANS)])
def test_andean_syllables(language, cases):
    for word, expected in cases.items():
        assert "-".join(hyphenation.syllables(word, language)) == expected, word


@pytest.mark.parametrize("word", ["RENIEC", "DNI", "2026", "001-2026", "k'", "ama", "Ayllu1"])
def test_codes_numbers_and_short_words_stay_whole(word):
    assert hyphenation.breaks(word, "qu") == hyphenation.breaks(word, "ay") == []


def test_no_break_inside_a_consonant_unit_or_between_vowels():
    words = [*QUECHUA, *AYMARA, "Chhullunkukunapaq", "q'illqakunata", "kawsay", "familiaman", "t'ikakuna"]
    for word in words:
        for at in hyphenation.andean_breaks(word):
            head, tail = word[:at].lower(), word[at:].lower()
            assert not (head[-1] in hyphenation.VOWELS and tail[0] in hyphenation.VOWELS), word
            assert tail[0] not in hyphenation.APOSTROPHES and not (head[-1] == "c" and tail[0] == "h"), word
            assert not (head.endswith(("p", "t", "k", "q")) and tail.startswith("h")), word
            assert not (head.endswith("l") and tail.startswith("l")), word
            assert len(re.sub("[^a-zäïüñ]", "", head)) >= 2 and len(tail) >= 2, word


def test_spanish_uses_pyphens_dictionary():
    assert "-".join(hyphenation.syllables("planificación", "es")) == "pla-ni-fi-ca-ción"
    assert "-".join(hyphenation.syllables("Responsable", "es")) == "Res-pon-sa-ble"
    assert hyphenation.pieces("Galones", "es") == ["Ga-", "lo-", "nes"]


def test_a_cell_breaks_a_long_word_at_a_syllable_and_shrinks_an_unbreakable_one():
    from reportlab.platypus import Paragraph

    with use_language("ay"):
        cell = style.fitted(style.text("Galonanaka", "cell_bold"), 30)
        cell.wrap(30, 1000)
        lines = ["".join(word for word in line[1]) for line in cell.blPara.lines]
        assert lines[0].endswith("-") and "".join(lines).replace("-", "") == "Galonanaka", lines
        assert cell._splitLongWordCount == 0
        code = style.fitted(Paragraph("001-2026-TB-210102", style.styles()["cell"]), 70)
        assert code.style.fontSize < style.styles()["cell"].fontSize
        assert code.wrap(70, 1000)[0] <= 70 and len(code.blPara.lines) == 1
        short = style.fitted(style.text("Uru", "cell"), 30)
        assert short.style.fontSize == style.styles()["cell"].fontSize and "\u00ad" not in short.text
