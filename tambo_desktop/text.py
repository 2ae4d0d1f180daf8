"""Small text helpers for names in Spanish, Quechua and Aymara."""

from __future__ import annotations

import re
import unicodedata

#: A phone number as the forms accept it: digits, an optional leading +, 6 to 15 digits.
PHONE_RE = re.compile(r"^\+?[0-9]{6,15}$")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u00b4": "'", "\u2018": "'", "`": "'"})


def fold_apostrophes(text: str) -> str:
    """Write every apostrophe-like mark (’ ʼ ´ ‘) as the ASCII apostrophe."""
    return text.translate(_APOSTROPHES)


def clean(text: str | None) -> str:
    """Trim, collapse inner white space and fold apostrophes."""
    if text is None:
        return ""
    return " ".join(fold_apostrophes(str(text)).split())


def search_key(text: str | None) -> str:
    """Accent- and case-insensitive key for matching (keeps ñ distinct from n? no: folds it)."""
    folded = unicodedata.normalize("NFKD", clean(text).casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


_NAME_MARKS = str.maketrans({"'": None, "\u2019": None, "`": None, "\u00b4": None, "-": " "})


def name_search_key(text: str | None) -> str:
    """:func:`search_key` for people's names: apostrophes and hyphens do not count, so
    «chuqi» finds Ch'uqi and «quispe mamani» finds Quispe-Mamani."""
    return " ".join(search_key(text).translate(_NAME_MARKS).split())
