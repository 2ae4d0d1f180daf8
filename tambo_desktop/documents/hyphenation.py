"""Where a printed word may break at the end of a line: by syllables, with a hyphen.

Spanish
    pyphen's Spanish dictionary (LibreOffice's ``hyph_es``, from the Spanish hyphenation patterns).

Quechua and Aymara
    No hyphenation dictionary exists for them (pyphen, LibreOffice and TeX's hyph-utf8 have none), but
    their syllables follow a short rule set, written here:

    - the syllable is (C)V(C): at most one consonant before the vowel and one after it, never two
      vowels in one syllable (Rodolfo Cerrón-Palomino, *Lingüística quechua*, Cusco: Centro Bartolomé
      de Las Casas, 1987, the chapter on phonology; Cerrón-Palomino, *Lingüística aimara*, Cusco:
      Centro Bartolomé de Las Casas, 2000; M. J. Hardman, Juana Vásquez and Juan de Dios Yapita,
      *Aymara: compendio de estructura fonológica y gramatical*, La Paz: ILCA, 1988);
    - so one consonant between two vowels opens the next syllable (*ma-yu*, *wa-wa*), and of two
      consonants the first closes a syllable and the second opens the next (*p'un-chaw*, *kas-ta*);
    - a consonant is a letter or one of the official alphabets' digraphs and trigraphs (Resolución
      Ministerial 1218-85-ED, 1985): *ch chh ch' kh k' ph p' qh q' th t'*, with *ll ñ sh* and *rr*
      of loans; the apostrophe (' ’ ʼ) belongs to its consonant; Aymara's long vowels *ä ï ü* are
      vowels like *a i u*;
    - loans keep the onsets of Spanish (*pr br tr dr fr gr cr pl bl fl gl cl*: *cen-tro*,
      *pro-gra-ma*), and two vowels side by side (only in loans) are never parted.

    Breaks leave at least two letters on each side of the hyphen; acronyms (RENIEC) and numbers stay whole.

:func:`breaks` gives the places; :mod:`tambo_desktop.documents.style` puts soft hyphens there in the
words too wide for their column, where reportlab then breaks them with a hyphen. (reportlab's own
``hyphenationLang`` hook is not used: it hyphenates at the end of any line, not only the words that
do not fit, and its letter pattern has no apostrophe, so *p'unchaw* would never break.)
"""

from __future__ import annotations

import re
from functools import cache

VOWELS = set("aeiouáéíóúäëïöüàèìòù")
APOSTROPHES = "'’ʼ"
#: consonant units of the official alphabets (and loans), longest first
_UNITS = re.compile(r"chh|ch[’'ʼ]|[ptkq][’'ʼ]|[ptkq]h|ch|ll|sh|rr|.", re.IGNORECASE)
#: onsets of Spanish loans (never split)
SPANISH_ONSETS = {a + b for a in "pbtdfgc" for b in "rl"} - {"tl", "dl"}
MIN_HEAD = MIN_TAIL = 2
_WORD = re.compile(rf"^[^\W\d_][^\W\d_{APOSTROPHES}]*(?:[{APOSTROPHES}][^\W\d_]+)*[{APOSTROPHES}]?$")


def _units(word: str) -> list[str]:
    return _UNITS.findall(word)


def _is_vowel(unit: str) -> bool:
    return unit.lower() in VOWELS


def andean_breaks(word: str) -> list[int]:
    """Positions (in characters) where ``word`` may be hyphenated, by the Quechua and Aymara rules."""
    if not _WORD.match(word) or word.isupper():
        return []  # numbers, acronyms (RENIEC), words with other signs: left whole
    units = _units(word)
    vowels = [i for i, unit in enumerate(units) if _is_vowel(unit)]
    starts: list[int] = []  # index of the unit that opens each new syllable
    for left, right in zip(vowels, vowels[1:], strict=False):
        cluster = units[left + 1 : right]
        if not cluster:
            continue  # two vowels together (a loan): not parted
        opens = len(cluster) - 1  # the last consonant opens the next syllable
        if len(cluster) >= 2 and (cluster[-2] + cluster[-1]).lower() in SPANISH_ONSETS:
            opens = len(cluster) - 2
        starts.append(left + 1 + opens)
    offsets, position = [], 0
    for unit in units:
        offsets.append(position)
        position += len(unit)
    letters = [i for i, ch in enumerate(word) if ch not in APOSTROPHES]
    result = []
    for start in starts:
        at = offsets[start]
        head = sum(1 for i in letters if i < at)
        if head >= MIN_HEAD and len(letters) - head >= MIN_TAIL:
            result.append(at)
    return result


@cache
def _spanish():
    import pyphen

    return pyphen.Pyphen(lang="es", left=MIN_HEAD, right=MIN_TAIL)


def breaks(word: str, language: str) -> list[int]:
    """Where ``word`` may break in ``language`` (es, qu, ay): character positions, in order."""
    if language == "es":
        if not _WORD.match(word) or word.isupper():
            return []
        return list(_spanish().positions(word))
    return andean_breaks(word)


def syllables(word: str, language: str) -> list[str]:
    """``word`` cut at every place it may break (``p'un``, ``chaw``)."""
    cuts = [0, *breaks(word, language), len(word)]
    return [word[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def pieces(word: str, language: str) -> list[str]:
    """The chunks a line may end or start with: every syllable but the last carries its hyphen."""
    parts = syllables(word, language)
    return [p + "-" for p in parts[:-1]] + parts[-1:]


__all__ = ["andean_breaks", "breaks", "pieces", "syllables"]
