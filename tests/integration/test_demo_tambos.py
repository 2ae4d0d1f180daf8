"""Demo tambos of their own (issue 20.3): ``demo --tambo-code CODE`` gives another tambo's data."""

from __future__ import annotations

import pytest

from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.models import ALL_MODELS, Attention, Person, Tambo
from tambo_desktop.demo import build as demo
from tambo_desktop.errors import TamboError


def _uuids() -> set[str]:
    found: set[str] = set()
    for model in ALL_MODELS:
        if "uuid" in model._meta.fields and "tambo_code" in model._meta.fields:
            found |= {u for (u,) in model.select(model.uuid).tuples()}
    return found


def _make(url: str, code: str | None, seed: int = 1) -> tuple[set[str], set[str], int, set[str]]:
    lifecycle.prepare(url)
    demo.create_demo("small", seed, tambo_code=code)
    tambo = Tambo.get()
    assert tambo.is_demo
    assert {c for (c,) in Attention.select(Attention.tambo_code).distinct().tuples()} == {tambo.code}
    documents = {
        d for (d,) in Person.select(Person.document_number).where(Person.document_number.is_null(False)).tuples()
    }
    generated = {u for model in (Person, Attention) for (u,) in model.select(model.uuid).tuples()}
    result = (_uuids(), documents, Attention.select().count(), generated)
    close_database()
    return result


def test_demo_tambos_of_other_codes_share_no_uuid(make_url):
    first = _make(make_url(prepared=True), "TB-NORTE")
    second = _make(make_url(prepared=True), "TB-SUR")
    default = _make(make_url(prepared=True), None)
    assert first[2] > 1000 and second[2] > 1000
    assert not first[0] & second[0], "two demo tambos made the same uuids"
    assert not first[0] & default[0] and not second[0] & default[0]
    assert len(first[1] & second[1]) < len(first[1]) / 20  # other people (a DNI may repeat by chance)
    again = _make(make_url(prepared=True), "TB-NORTE")  # the same code and seed: the same data
    assert again[3] == first[3] and again[2] == first[2]  # generated rows (accounts, communities: new uuids)


def test_demo_refuses_another_code_on_a_demo_database(make_url):
    lifecycle.prepare(make_url(prepared=True))
    demo.create_demo(tambo_code="TB-NORTE")
    with pytest.raises(TamboError, match="TB-NORTE"):
        demo.create_demo(tambo_code="TB-SUR")
    assert Tambo.get().code == "TB-NORTE"
