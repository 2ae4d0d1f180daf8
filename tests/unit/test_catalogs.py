"""The es, qu and ay catalogs are complete, consistent with the code, and printable."""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_assets  # noqa: E402

LANGS = ("es", "qu", "ay")
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%\d|%[sd]")
#: Messages that are the same in every language (names, acronyms, symbols).
SAME_EVERYWHERE = {"TAMBO Desktop", "Excel (*.xlsx);;CSV (*.csv)", "—"}
#: The entries of a language that legitimately stay Spanish (loans, proper names, codes), with a reason.
SAME_LIST = ROOT / "translations" / "same_as_spanish.csv"


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


#: What each language does with a noun after a numeral: Spanish has two forms; Quechua and
#: Aymara keep the noun singular after any numeral ("{n} runa", "{n} jaqi"), so one form.
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);", "qu": "nplurals=1; plural=0;", "ay": "nplurals=1; plural=0;"}


@pytest.mark.parametrize("lang", LANGS)
def test_headers_language_and_plural_forms(lang):
    text = (ROOT / "translations" / lang / "LC_MESSAGES" / "tambo_desktop.po").read_text(encoding="utf-8")
    head = text.split("\n\n", 1)[0]
    assert f'"Language: {lang}\\n"' in head
    assert f'"Plural-Forms: {PLURAL_FORMS[lang]}\\n"' in head
    assert build_assets.PLURAL_FORMS[lang] == PLURAL_FORMS[lang]  # what a new or updated catalog gets
    assert "charset=utf-8" in head.lower()
    nplurals = int(PLURAL_FORMS[lang].split("nplurals=")[1].split(";")[0])
    wrong = [m.id for m in messages(lang) if m.pluralizable and len(_strings(m)) != nplurals]
    assert not wrong, wrong[:3]


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


def fold(text: str) -> str:
    """Lower case, without accents, accelerators or placeholders: what a reader compares."""
    text = PLACEHOLDER.sub(" ", text.replace("&&", "").replace("&", "")).lower()
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", fold(text))


def same_as_spanish() -> dict[tuple[str, str | None, str], dict[str, str]]:
    """translations/same_as_spanish.csv: the entries whose text legitimately stays Spanish."""
    with open(SAME_LIST, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["lang"], r["msgctxt"] or None, r["msgid"]): r for r in rows}


def _listed_translation(entry: dict[str, str]) -> str:
    return entry["translation"] or entry["msgid"]


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_no_spanish_left_pretending_to_be_translated(lang):
    """Identical to the Spanish, whatever the case or accents ("CERTIFICADO", "DD/MM/AAAA")."""
    listed = same_as_spanish()
    same = [
        (m.context, _ids(m)[0])
        for m in messages(lang)
        if fold(_strings(m)[0]) == fold(_ids(m)[0])
        and _ids(m)[0] not in SAME_EVERYWHERE
        and (lang, m.context, _ids(m)[0]) not in listed
        and re.search(r"[a-zñ]{3,}", fold(_ids(m)[0]))  # "{who}, {when}" and "-16.02" have no words
    ]
    assert not same, (
        f"{len(same)} messages identical to Spanish in {lang} (translate, or list in {SAME_LIST.name}): {same[:8]}"
    )


#: Spanish words the walk of issue 16 found inside Quechua or Aymara translations, on screen and on paper,
#: with the term that replaced them (translations/TERMS.md, GLOSSARY: Hora = Ura). A stem matches the
#: word with any suffix ("reportepa", "horanaka", "apellidonakapa", "listat", "segundot").
SPANISH_WORDS_REPLACED = {
    "qu": {
        "hora": "ura",
        "segundo": "sikundu",
        "lista": "sutisuyu",
        "partida de nacimiento": "paqarisqa qillqa",
        # the second walk of 7 December (TERMS.md)
        "odometro": "karu yupana",
        "carpeta": "churana",
        "usb memoria": "USB waqaychana",
        "usb yuyaq": "USB waqaychana",
        "entrada estandar": "stdin",
        "aaaa": "WWWW",
        "mesa": "yanapana k'uchu",
        "taller": "llamk'aspa yachay",
        "disco": "waqaychana",
    },
    "ay": {
        "odometro": "jaya jakhuri",
        "carpeta": "imawi",
        "usb memoria": "USB imañ chiqa",
        "usb amtiri": "USB imañ chiqa",
        "entrada estandar": "stdin",
        "aaaa": "MMMM",
        "mesa": "uñjäwi k'uchu",
        "taller": "lurasa yatiqaña",
        "disco": "imañ chiqa",
        "reporte": "qhanañchäwi",
        "ventana": "wintana",
        "hora": "ura",
        "apellido": "ayllu suti",
        "segundo": "sikundu",
        "lista": "siqi",
        "partida de nacimiento": "yurïwi qillqata",
    },
}


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_no_spanish_word_found_in_the_walk_comes_back(lang):
    """The Spanish words of the issue-16 walk ("Sarañanak reporte", "Horanaka", "Nayrïr apellido",
    "Katuyañ lista") stay replaced by the decided term in every translation of the project's own
    messages (Qt's own strings, with a msgctxt naming a Qt class, are left to their own check)."""
    found = []
    for m in messages(lang):
        if m.context and m.context.startswith("Q"):
            continue
        for text in _strings(m):
            for word, term in SPANISH_WORDS_REPLACED[lang].items():
                if re.search(rf"\b{word}", fold(text)):
                    found.append((word, term, _ids(m)[0], text))
    assert not found, f"{len(found)} translations in {lang} with a Spanish word (use the term given): {found[:6]}"


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_no_spanish_word_padded_to_look_translated(lang):
    """ "Simana", "Combustiblekuna", "Placa chimpu": the whole Spanish text kept with a filler added.

    A short message whose whole Spanish text reappears inside a longer translation is padding,
    unless the list gives exactly that translation with a reason (a language name + "simi").
    """
    listed = same_as_spanish()
    padded = []
    for m in messages(lang):
        source, text = " ".join(_words(_ids(m)[0])), " ".join(_words(_strings(m)[0]))
        if not re.search(r"[a-zñ]{4,}", source) or source == text:
            continue
        if source in text and len(text.strip()) > len(source):
            entry = listed.get((lang, m.context, _ids(m)[0]))
            if entry is None or fold(_strings(m)[0]) != fold(_listed_translation(entry)):
                padded.append((_ids(m)[0], _strings(m)[0]))
    assert not padded, f"{len(padded)} padded in {lang}: {padded[:8]}"


#: The msgctxt of a row that lists a Spanish word kept as a loan inside the translations (not one message).
LOAN_WORD = "(loan word)"


def test_same_as_spanish_list_is_current_and_explained():
    """Every listed entry exists, holds the listed text, and says why it stays Spanish."""
    indexes = {lang: {(m.context, _ids(m)[0]): m for m in messages(lang)} for lang in ("qu", "ay")}
    problems = []
    for (lang, context, msgid), entry in same_as_spanish().items():
        if context == LOAN_WORD:
            continue  # test_loan_words_are_listed_with_their_term
        message = indexes[lang].get((context, msgid))
        if message is None:
            problems.append(("not in the catalog", lang, msgid))
        elif fold(_strings(message)[0]) != fold(_listed_translation(entry)):
            problems.append(("catalog differs", lang, msgid, _strings(message)[0]))
        elif entry["translation"] and sorted(set(_words(entry["translation"])) - set(_words(msgid))) == []:
            problems.append(("translation column only needed when words are added", lang, msgid))
        if len(entry["reason"].split()) < 2:
            problems.append(("no reason", lang, msgid))
    assert not problems, problems[:5]


@pytest.mark.parametrize("lang", ("qu", "ay"))
def test_noun_stays_singular_after_a_numeral(lang):
    """Quechua and Aymara do not mark the plural after a numeral: "{n} runa", not "{n} runakuna"."""
    number_words = {
        "qu": "iskay|kimsa|tawa|pichqa|suqta|qanchis|pusaq|isqun|chunka|pachak|waranqa",
        "ay": "paya|pä|kimsa|pusi|phisqa|suxta|paqallqu|kimsaqallqu|llätunka|tunka|patak|waranqa",
    }[lang]
    plural = re.compile(rf"(?:\{{[a-z_]+\}}|\b\d+|\b(?:{number_words}))\s+[\w']*?(?:kuna|naka?)\w*", re.IGNORECASE)
    numerals = re.compile(r"\{([a-z_]+)\}\s+[a-záéíóúñ]+s\b")  # "{n} personas": a count in the Spanish
    bad = []
    for m in messages(lang):
        counted = set(numerals.findall(_ids(m)[-1])) | {"n"}
        for text in _strings(m):
            for hit in plural.finditer(text):
                name = re.match(r"\{([a-z_]+)\}", hit.group(0))
                if name is None or name.group(1) in counted:
                    bad.append((_ids(m)[0], hit.group(0)))
    assert not bad, f"{len(bad)} plural nouns after a numeral in {lang}: {bad[:8]}"


def test_catalogs_match_the_code():
    """Every string the code, the forms and the service catalogue use is in every catalog."""
    template = build_assets.extract_template()
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    for lang in LANGS:
        have = {(m.context, _ids(m)[0]) for m in messages(lang)}
        missing = wanted - have
        assert not missing, (
            f"{lang} lacks {len(missing)} strings (run tools/build_assets.py update): {sorted(missing)[:5]}"
        )


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


def _terms_loans() -> dict[tuple[str, str], str]:
    """TERMS.md's rows whose status says loan: {(lang, first Spanish form): the term}."""
    sys.path.insert(0, str(ROOT / "tests" / "unit"))
    import test_terms

    out = {}
    for row in test_terms._table("| concept |")[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        status = cells[5]
        for lang, column in (("qu", 2), ("ay", 3)):
            if status == "loan" or f"{lang} loan" in status:
                out[(lang, fold(cells[1].split(" / ")[0]))] = cells[column].strip("*")
    return out


def test_loan_words_are_listed_with_their_term():
    """A Spanish word kept inside Quechua or Aymara translations (galón, vacuna, versión, placa...) is a
    row of same_as_spanish.csv with msgctxt "(loan word)" and a reason, matches a TERMS.md row whose
    status is loan, and is really what the catalog writes (the listed form occurs in a translation)."""
    listed = {
        (lang, fold(msgid)): entry
        for (lang, context, msgid), entry in same_as_spanish().items()
        if context == LOAN_WORD
    }
    loans = _terms_loans()
    assert ("qu", "galon") in listed and ("ay", "vacuna") in listed
    assert set(listed) == set(loans), (sorted(set(loans) - set(listed)), sorted(set(listed) - set(loans)))
    problems = []
    for (lang, word), entry in listed.items():
        form = fold(_listed_translation(entry))
        if fold(loans[(lang, word)]).rsplit("-", 1)[0] not in form and form not in fold(loans[(lang, word)]):
            problems.append(("TERMS.md gives another term", lang, word, loans[(lang, word)]))
        if not any(form in fold(text) for m in messages(lang) for text in _strings(m)):
            problems.append(("not in the catalog", lang, word, form))
        if len(entry["reason"].split()) < 4:
            problems.append(("no reason", lang, word))
    assert not problems, problems
