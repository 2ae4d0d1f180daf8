"""Text helpers for names in three languages, and coded vocabularies."""

from __future__ import annotations

import pytest

from tambo_desktop import vocabulary
from tambo_desktop.text import clean, fold_apostrophes, search_key


@pytest.mark.parametrize("mark", ["\u2019", "\u02bc", "\u00b4", "\u2018", "'"])
def test_every_apostrophe_is_folded_to_ascii(mark):
    assert fold_apostrophes(f"Ch{mark}uqi") == "Ch'uqi"


def test_clean_trims_collapses_and_folds():
    assert clean("  Ch\u02bcuqi   Pampa \t") == "Ch'uqi Pampa"
    assert clean(None) == ""
    assert clean(1240) == "1240"


def test_search_key_ignores_case_accents_and_apostrophe_variants():
    assert search_key("  Caserío  ÑUÑOA ") == "caserio nunoa"
    assert search_key("Ch\u2019uqi") == search_key("CH'UQI") == "ch'uqi"
    assert search_key(None) == ""


@pytest.mark.parametrize(
    ("vocab", "text", "code"),
    [
        (vocabulary.COMMUNITY_KINDS, "comunidad_campesina", "comunidad_campesina"),
        (vocabulary.COMMUNITY_KINDS, "Comunidad campesina", "comunidad_campesina"),
        (vocabulary.COMMUNITY_KINDS, "  COMUNIDAD   NATIVA ", "comunidad_nativa"),
        (vocabulary.COMMUNITY_KINDS, "Caserío", "caserio"),
        (vocabulary.COMMUNITY_KINDS, "caserio", "caserio"),
        (vocabulary.TRAVEL_MEANS, "A pie", "a_pie"),
        (vocabulary.TRAVEL_MEANS, "a_pie", "a_pie"),
        (vocabulary.TRAVEL_MEANS, "Acemila", "acemila"),
        (vocabulary.SPOKEN_LANGUAGES, "Aimara", "ay"),
        (vocabulary.SPOKEN_LANGUAGES, "ay", "ay"),
        (vocabulary.SPOKEN_LANGUAGES, "Quechua", "qu"),
        (vocabulary.SPOKEN_LANGUAGES, "Awajun", "agr"),
        (vocabulary.SPOKEN_LANGUAGES, "Castellano", "es"),
        (vocabulary.LEADER_ROLES, "Teniente gobernador", "teniente_gobernador"),
        (vocabulary.LEADER_ROLES, "Presidenta del Vaso de Leche", "presidenta_vaso_de_leche"),
        (vocabulary.ROLES, "Supervisor (solo lectura)", "supervisor"),
    ],
)
def test_parse_finds_codes_and_labels(vocab, text, code):
    assert vocabulary.parse(vocab, text) == code


@pytest.mark.parametrize("text", ["", "   ", "ciudad", "helicóptero"])
def test_parse_of_unknown_text_is_none(text):
    assert vocabulary.parse(vocabulary.COMMUNITY_KINDS, text) is None
    assert vocabulary.parse(vocabulary.TRAVEL_MEANS, text) is None


def test_label_of_code_unknown_and_empty():
    assert vocabulary.label(vocabulary.COMMUNITY_KINDS, "caserio") == "Caserío"
    assert vocabulary.label(vocabulary.COMMUNITY_KINDS, "no_such_code") == "no_such_code"
    assert vocabulary.label(vocabulary.COMMUNITY_KINDS, None) == ""


def test_every_label_parses_back_to_its_code():
    for vocab in (
        vocabulary.ROLES,
        vocabulary.COMMUNITY_KINDS,
        vocabulary.TRAVEL_MEANS,
        vocabulary.LEADER_ROLES,
        vocabulary.SPOKEN_LANGUAGES,
        vocabulary.GOVERNMENT_LEVELS,
        vocabulary.SECTORS,
        vocabulary.SERVICE_CATEGORIES,
    ):
        for code, text in vocab.items():
            assert vocabulary.parse(vocab, text) == code, (code, text)
            assert vocabulary.parse(vocab, code) == code
