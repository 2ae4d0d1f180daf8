"""DNI and document parsing, dates and ages: the pure parts of the participante's form."""

from __future__ import annotations

import datetime as dt

import pytest

from tambo_desktop.services.indicators import age_at, age_group
from tambo_desktop.services.person_form import parse_date, parse_dni, parse_document


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01234567", "01234567"),  # leading zero kept
        ("00000001", "00000001"),
        (" 0123 4567 ", "01234567"),
        ("10117410-2", "10117410"),  # 9th character: the right check digit, not stored
        ("101174102", "10117410"),
        ("10117410-g", "10117410"),  # the letter form of the check digit
        ("01234567-0", "01234567"),
        ("01234567D", "01234567"),
    ],
)
def test_valid_dni(typed, stored):
    assert parse_dni(typed) == (stored, None)


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("10117410-3", "dígito de verificación «3»"),
        ("01234567-9", "dígito de verificación «9»"),
        ("1234567", "se escribieron 7"),  # a lost leading zero is not guessed back
        ("0123456789", "se escribieron 10"),
        ("0123456A", "solo lleva números"),
        ("", "Escriba el número de DNI"),
    ],
)
def test_invalid_dni_says_why(typed, fragment):
    number, message = parse_dni(typed)
    assert number is None
    assert fragment in message


def test_documents_by_type():
    assert parse_document("", "") == ("none", None, [])
    assert parse_document("Sin documento", "") == ("none", None, [])
    assert parse_document("DNI", "01234567") == ("dni", "01234567", [])
    assert parse_document("Carné de extranjería", "001234567") == ("ce", "001234567", [])
    assert parse_document("other", "pas-12345") == ("other", "PAS-12345", [])
    for type_text, number, field in [
        ("", "01234567", "document_type"),
        ("pasaporte x", "1", "document_type"),
        ("none", "01234567", "document_number"),
        ("ce", "12", "document_number"),
        ("ce", "", "document_number"),
        ("other", "a b!", "document_number"),
        ("dni", "1234", "document_number"),
    ]:
        errors = parse_document(type_text, number)[2]
        assert [e.field for e in errors] == [field], (type_text, number)


def test_dates_in_two_spellings():
    assert parse_date("2001-02-03") == parse_date("03/02/2001") == parse_date("3-2-2001") == dt.date(2001, 2, 3)
    assert parse_date("31/02/2001") is None
    assert parse_date("ayer") is None


@pytest.mark.parametrize(
    ("birth", "day", "age", "group"),
    [
        (dt.date(2012, 6, 15), dt.date(2024, 6, 14), 11, "0_11"),
        (dt.date(2012, 6, 15), dt.date(2024, 6, 15), 12, "12_17"),
        (dt.date(2006, 6, 15), dt.date(2024, 6, 14), 17, "12_17"),
        (dt.date(2006, 6, 15), dt.date(2024, 6, 15), 18, "18_29"),
        (dt.date(1994, 6, 15), dt.date(2024, 6, 14), 29, "18_29"),
        (dt.date(1994, 6, 15), dt.date(2024, 6, 15), 30, "30_59"),
        (dt.date(1964, 6, 15), dt.date(2024, 6, 14), 59, "30_59"),
        (dt.date(1964, 6, 15), dt.date(2024, 6, 15), 60, "60_plus"),
        (dt.date(2004, 2, 29), dt.date(2022, 2, 28), 17, "12_17"),  # leap-day birthdays turn on 1 March
        (dt.date(2004, 2, 29), dt.date(2022, 3, 1), 18, "18_29"),
        (dt.date(2024, 6, 15), dt.date(2024, 6, 15), 0, "0_11"),
    ],
)
def test_age_and_age_group_at_a_date(birth, day, age, group):
    assert age_at(birth, day) == age
    assert age_group(birth, day) == group


def test_unknown_birth_date_is_sin_dato():
    assert age_group(None, dt.date(2024, 1, 1)) == "unknown"
