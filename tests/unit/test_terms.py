"""One term per concept, driven by translations/TERMS.md.

For each decided concept, every message whose Spanish names it uses the decided Quechua and
Aymara term (a concept translated two ways fails); a reserved (bold) term appears only where
the Spanish names its concept (one word for two concepts fails); two concepts never share a term.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_assets  # noqa: E402

TERMS = ROOT / "translations" / "TERMS.md"
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%\d|%[sd]")


def fold(text: str) -> str:
    text = PLACEHOLDER.sub(" ", text.replace("&&", "").replace("&", "")).lower().replace("’", "'")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


@dataclass(frozen=True)
class Term:
    text: str  # as written in the table
    stem: str  # folded; what every translation of the concept contains
    reserved: bool


@dataclass(frozen=True)
class Concept:
    name: str
    spanish: tuple[str, ...]
    terms: dict[str, Term | None]

    def named_in(self, msgid: str) -> bool:
        folded = fold(msgid)
        if any(form.startswith("!") and fold(form[1:]) in folded for form in self.spanish):
            return False  # a homonym: the same Spanish word for another concept
        for form in self.spanish:
            if form.startswith("!"):
                continue
            if form.startswith("="):
                if msgid == form[1:]:
                    return True
            elif form.endswith("-"):
                if re.search(r"\b" + re.escape(fold(form[:-1])), folded):
                    return True
            elif re.search(r"\b" + re.escape(fold(form)) + r"\b", folded):
                return True
        return False


def _term(cell: str) -> Term | None:
    cell = cell.strip()
    if cell in {"—", "-", ""}:
        return None
    reserved = cell.startswith("**") and cell.endswith("**")
    text = cell.strip("*")
    stem = text.rsplit("-", 1)[0] if "-" in text else text
    return Term(text, fold(stem), reserved)


def _table(header_start: str) -> list[str]:
    """The rows of the TERMS.md table whose header starts with header_start (separator left out)."""
    rows: list[str] = []
    for line in TERMS.read_text(encoding="utf-8").splitlines():
        if rows and not line.startswith("|"):
            break
        if rows or line.startswith(header_start):
            rows.append(line)
    return [row for row in rows if not row.startswith("|---")]


def concepts() -> list[Concept]:
    rows = _table("| concept |")
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header == ["concept", "es", "qu", "ay", "source", "status"], header
    out = []
    for row in rows[1:]:
        cells = dict(zip(header, (c.strip() for c in row.strip("|").split("|")), strict=True))
        assert cells["source"] and cells["status"], row
        out.append(
            Concept(
                cells["concept"],
                tuple(f.strip() for f in cells["es"].split(" / ")),
                {lang: _term(cells[lang]) for lang in ("qu", "ay")},
            )
        )
    return out


def _read(lang: str):
    return build_assets.read_catalog(ROOT / "translations" / lang / "LC_MESSAGES" / "tambo_desktop.po")


def translations(lang: str) -> list[tuple[str, list[str]]]:
    """(the Spanish, the translations) of each message; Qt's own strings are English in the
    msgid, so their Spanish is the es catalog's translation."""
    spanish = {(m.context, m.id): m.string for m in _read("es") if m.id and m.context and m.context.startswith("Q")}
    out = []
    for m in _read(lang):
        if not m.id:
            continue
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        if (m.context, m.id) in spanish:
            msgid = spanish[(m.context, m.id)]
        strings = list(m.string) if isinstance(m.string, tuple | list) else [m.string]
        out.append((msgid, strings))
    return out


def test_terms_table_is_read():
    table = concepts()
    assert len(table) >= 25
    by_name = {c.name: c for c in table}
    assert by_name["authority (of a community or district)"].terms["qu"] == Term("kamachiq", "kamachiq", True)
    assert (
        by_name["check that something is sound (a backup, a DNI digit, a certificate)"].terms["qu"].stem == "chiqaqcha"
    )
    assert by_name["print"].named_in("Imprimir…") and not by_name["print"].named_in("Copias (*.db)")
    assert by_name["capacity of a space (people)"].named_in("Capacidad") and not by_name[
        "capacity of a space (people)"
    ].named_in("Capacidades productivas")
    month = by_name["month in a date mask"]
    assert month.named_in("Escríbalo como AAAA-MM.") and not month.named_in("Escriba la hora como HH:MM.")
    assert by_name["odometer (of a vehicle)"].terms["ay"] == Term("jaya jakhuri", "jaya jakhuri", True)


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_each_concept_is_translated_one_way(lang):
    messages = translations(lang)
    wrong = []
    for concept in concepts():
        term = concept.terms[lang]
        if term is None:
            continue
        for msgid, strings in messages:
            if concept.named_in(msgid) and not all(term.stem in fold(s) for s in strings):
                wrong.append((concept.name, term.text, msgid, strings[0]))
    assert not wrong, f"{len(wrong)} messages without the decided term in {lang}: {wrong[:6]}"


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_a_reserved_term_serves_one_concept(lang):
    messages = translations(lang)
    wrong = []
    for concept in concepts():
        term = concept.terms[lang]
        if term is None or not term.reserved:
            continue
        for msgid, strings in messages:
            if any(term.stem in fold(s) for s in strings) and not concept.named_in(msgid):
                wrong.append((term.text, msgid, strings[0]))
    assert not wrong, f"{len(wrong)} messages use a reserved term for another concept in {lang}: {wrong[:6]}"


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_two_concepts_never_share_a_term(lang):
    seen: dict[str, str] = {}
    shared = []
    for concept in concepts():
        term = concept.terms[lang]
        if term is None:
            continue
        if term.stem in seen:
            shared.append((term.text, seen[term.stem], concept.name))
        seen[term.stem] = concept.name
    assert not shared, shared


#: Label variants whose translations legitimately differ (reviewed).
VARIANTS_APART = {
    "archivo": "the Archivo menu is Khipu (glossary), a file is willañiqi / wayaqa",
    "aprobo": "«Aprobó» on a certificate (present) and «aprobó» in a list of results (past)",
    "hasta": "a date field (until which day) and a range in the CLI help (up to)",
}


def _label(text: str) -> str:
    return re.sub(r"[\s:.…]+$", "", fold(text)).strip()


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_a_label_reads_the_same_in_all_its_variants(lang):
    """«Placa» and «Placa:», «Motivo» and «&Motivo:»: one label, one translation."""
    groups: dict[str, dict[str, list[str]]] = {}
    for m in _read(lang):
        if not m.id or not isinstance(m.id, str) or (m.context or "").startswith("Q") or PLACEHOLDER.search(m.id):
            continue
        groups.setdefault(_label(m.id), {}).setdefault(_label(m.string), []).append(m.id)
    apart = {label: found for label, found in groups.items() if len(found) > 1 and label not in VARIANTS_APART}
    assert not apart, f"{len(apart)} labels translated two ways in {lang}: {apart}"
    assert set(VARIANTS_APART) <= set(groups)


def _plain(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if ch not in "\u0308")  # drop the diaeresis only


#: Aymara words that differ only by vowel length and are different words (reviewed).
LENGTH_PAIRS = {
    "luräna": "luräna 'did' (past) beside luraña 'to do'",
    "nayrïr": "nayrïr(i) 'first' beside nayrir(i) 'previous'",
    "pä": "pä 'two' beside the suffix -pa (DNI-pa)",
}


def test_aymara_long_vowels_are_written_one_way():
    """apsutaxi/apsutäxi, lurawi/luräwi: one word, one spelling of its long vowels."""
    spellings: dict[str, set[str]] = {}
    for _msgid, strings in translations("ay"):
        for text in strings:
            for word in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*", text.lower()):
                spellings.setdefault(_plain(word), set()).add(word)
    mixed = {
        plain: sorted(found)
        for plain, found in spellings.items()
        if len(found) > 1 and not set(found) & set(LENGTH_PAIRS)
    }
    assert not mixed, f"{len(mixed)} Aymara words with two spellings of a long vowel: {mixed}"


def date_masks() -> dict[str, dict[str, str]]:
    """TERMS.md's "Date masks" table: {Spanish mask: {"qu": mask, "ay": mask}}."""
    rows = _table("| es | qu | ay |")
    assert rows, "TERMS.md has no date-mask table"
    out = {}
    for row in rows[1:]:
        es, qu, ay = (cell.strip() for cell in row.strip("|").split("|"))
        out[es] = {"qu": qu, "ay": ay}
    return out


MASK = re.compile(r"(?<![\w/])[A-Z']{2,}(?:[-/][A-Z']{2,})*(?![\w/])")


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_date_masks_are_the_languages_own(lang):
    """ "AAAA-MM" in the Spanish is "WWWW-KK" in Quechua and "MMMM-PP" in Aymara, in the CLI's
    metavars (`--month WWWW-KK` in --help) and in every message that asks for a date; no Spanish
    mask and no spelled-out metavar (WATA-KILLA) is left."""
    masks = date_masks()
    assert masks["AAAA-MM"] == {"qu": "WWWW-KK", "ay": "MMMM-PP"}
    own = {local[lang] for local in masks.values()}
    old_metavars = {"WATA", "WATA-KILLA", "WATA-KILLA-P'UNCHAW", "MARA", "MARA-PHAXSI", "MARA-PHAXSI-URU"}
    checked, wrong = 0, []
    for msgid, strings in translations(lang):
        wanted = sorted(masks[m][lang] for m in MASK.findall(msgid) if m in masks)
        for text in strings:
            found = MASK.findall(text)
            if wanted:
                checked += 1
            if sorted(m for m in found if m in own) != wanted or set(found) & (set(masks) | old_metavars):
                wrong.append((msgid, text))
    assert checked >= 8, checked  # the CLI metavars, its date errors and the birth-date hint
    assert not wrong, f"{len(wrong)} messages in {lang} with a date mask not in {lang}'s letters: {wrong[:6]}"
