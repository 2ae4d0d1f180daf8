"""Languages, catalogs with their fallback chain, and babel formatting (no Qt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import pytest
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from tambo_desktop import assets, i18n


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("es", "es"),
        ("es_PE.UTF-8", "es"),
        ("es-PE", "es"),
        ("qu_PE", "qu"),
        ("QU", "qu"),
        ("quz", "qu"),
        ("quy_PE", "qu"),
        ("AY", "ay"),
        ("ay-BO", "ay"),
        ("ayc", "ay"),
        ("en_US.UTF-8", "es"),
        ("C", "es"),
        ("", "es"),
        (None, "es"),
    ],
)
def test_normalize_maps_any_tag_to_a_known_language(tag, expected):
    assert i18n.normalize(tag) == expected


def test_language_list_is_the_one_source():
    assert i18n.language_codes() == ["es", "qu", "ay"]
    assert i18n.language("ay").babel_locale == "es_PE"  # babel has no Aymara locale
    assert i18n.language("qu").fallbacks == ("es",)
    with pytest.raises(KeyError):
        i18n.language("en")


def _write_catalog(root, lang: str, messages: dict[str, str]) -> None:
    catalog = Catalog(domain=i18n.DOMAIN, fuzzy=False)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = root / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.mo", "wb") as handle:
        write_mo(handle, catalog)


@pytest.fixture
def catalogs(tmp_path, monkeypatch):
    """Small compiled catalogs: qu translates one string, es another, ay has no catalog at all."""
    _write_catalog(tmp_path, "es", {"Guardar": "Guardar", "Cancelar": "Cancelar (es)"})
    _write_catalog(tmp_path, "qu", {"Guardar": "Waqaychay"})
    monkeypatch.setattr(assets, "locale_dir", lambda: tmp_path)
    i18n.reload_catalogs()
    yield tmp_path
    i18n.reload_catalogs()
    i18n.set_language("es")


def test_fallback_chain_quechua_then_spanish_then_source(catalogs):
    assert i18n.set_language("qu_PE") == "qu"
    assert i18n._("Guardar") == "Waqaychay"  # in the Quechua catalog
    assert i18n._("Cancelar") == "Cancelar (es)"  # missing in qu: the Spanish catalog answers
    assert i18n._("Sin traducir") == "Sin traducir"  # in no catalog: the source text


def test_variant_tags_use_the_reviewed_catalog(catalogs):
    assert i18n.set_language("quz") == "qu"
    assert i18n._("Guardar") == "Waqaychay"


def test_aymara_without_catalog_falls_back_to_spanish(catalogs):
    assert i18n.set_language("ay") == "ay"
    assert i18n._("Cancelar") == "Cancelar (es)"
    assert i18n._("Guardar") == "Guardar"


def test_use_language_is_temporary_and_per_thread(catalogs):
    i18n.set_language("es")
    with i18n.use_language("qu"):
        assert i18n.current_language() == "qu"
        assert i18n._("Guardar") == "Waqaychay"
    assert i18n.current_language() == "es"
    assert i18n._("Guardar") == "Guardar"


def test_set_language_notifies_listeners(catalogs):
    heard = []
    i18n.on_language_changed(heard.append)
    try:
        i18n.set_language("ay")
    finally:
        i18n._listeners.remove(heard.append)
    assert heard == ["ay"]


def test_missing_catalogs_give_the_spanish_source(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "locale_dir", lambda: tmp_path / "nothing")
    i18n.reload_catalogs()
    try:
        for code in i18n.language_codes():
            with i18n.use_language(code):
                assert i18n._("Guardar") == "Guardar"
                assert i18n.ngettext("{n} fila", "{n} filas", 2) == "{n} filas"
    finally:
        i18n.reload_catalogs()


# -- formatting ------------------------------------------------------------------------------------

DAY = dt.date(2025, 3, 5)


def test_spanish_formats_follow_es_pe():
    i18n.set_language("es")
    assert i18n.babel_locale().language == "es"
    assert str(i18n.babel_locale()) == "es_PE"
    assert i18n.format_date(DAY, "long") == "5 de marzo de 2025"
    assert i18n.format_number(1234567.891, 2) == "1,234,567.89"
    assert i18n.format_number(Decimal("3850"), 0) == "3,850"
    assert i18n.format_number(Decimal("12.5")) == "12.5"


def test_aymara_and_quechua_dates_use_their_own_words_and_numbers_stay_peruvian():
    moment = dt.datetime(2025, 3, 5, 14, 30)
    i18n.set_language("ay")
    assert i18n.format_date(DAY, "long") == "5 marsu 2025"
    assert i18n.format_date(DAY, "full") == "mirkulisa, 5 marsu 2025"
    assert i18n.format_datetime(moment) == "05/03/2025 14:30"
    assert i18n.format_number(1234.5, 1) == babel_numbers.format_decimal(1234.5, "#,##0.0", locale="es_PE")
    i18n.set_language("qu")
    assert i18n.format_date(DAY, "long") == "5 marsu 2025"
    assert i18n.format_date(DAY, "full") == "miyirkulis, 5 marsu 2025"
    assert i18n.format_number(1234.5, 1) == "1,234.5"
    i18n.set_language("es")
    assert i18n.format_date(DAY, "full") == babel_dates.format_date(DAY, "full", locale="es_PE")


def test_format_of_nothing_is_empty():
    assert i18n.format_date(None) == ""
    assert i18n.format_datetime(None) == ""
    assert i18n.format_number(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        (" 8,4 ", Decimal("8.4")),
        ("1,234.50", Decimal("1234.50")),
        ("1 234", Decimal("1234")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("-16.021437", Decimal("-16.021437")),
        ("0", Decimal("0")),
    ],
)
def test_parse_decimal_accepts_comma_and_point(text, expected):
    assert i18n.parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "doce", "12,5,3"])
def test_parse_decimal_rejects_what_is_not_a_number(text):
    with pytest.raises(InvalidOperation):
        i18n.parse_decimal(text)
