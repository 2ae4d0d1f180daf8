"""The demo tambo and the health checks."""

from __future__ import annotations

import pytest

from tambo_desktop import assets
from tambo_desktop.db.models import Community, Leader, Tambo, User
from tambo_desktop.demo import build as demo
from tambo_desktop.errors import TamboError
from tambo_desktop.formats.tabular import read_table
from tambo_desktop.services import health, setup
from tambo_desktop.services.accounts import authenticate


def _state() -> tuple:
    return (
        sorted(c.uuid for c in Community.select()),
        sorted(x.uuid for x in Leader.select()),
        sorted(u.username for u in User.select()),
    )


def test_demo_fills_an_empty_database(db):
    summary = demo.create_demo()
    _header, rows = read_table(assets.path("demo/communities.csv"))
    expected = len({(r[0], r[1]) for r in rows})
    assert summary.created is True
    assert summary.communities == Community.select().count() == expected
    assert summary.accounts == len(demo.DEMO_ACCOUNTS) == User.select().count()
    tambo = Tambo.get()
    assert (tambo.code, tambo.is_demo, tambo.district_id) == (demo.DEMO_PROFILE.code, True, "210102")
    assert Leader.select().count() > 0
    assert {u.role for u in User.select()} == {"admin", "gestor", "staff", "supervisor"}
    for form in demo.DEMO_ACCOUNTS:
        user = authenticate(form.username, demo.DEMO_PASSWORD)
        assert (user.role, user.language) == (form.role, form.language)


def test_demo_is_idempotent(db):
    demo.create_demo()
    before = _state()
    summary = demo.create_demo()
    assert summary.created is False
    assert summary.communities == len(before[0])
    assert _state() == before


def test_demo_refuses_a_real_tambo(admin_session):
    with pytest.raises(TamboError, match="tambo real"):
        demo.create_demo()
    assert Community.select().count() == 0
    assert [u.username for u in User.select()] == ["admin"]


def test_health_checks_pass_after_the_demo(db):
    demo.create_demo()
    checks = health.run_checks(db)
    assert checks, "no checks ran"
    failing = [c for c in checks if not c.ok]
    assert failing == []
    assert all(c.name and c.detail for c in checks)
    assert setup.is_initialized()


def test_health_checks_pass_on_an_empty_database(db):
    checks = health.run_checks(db)
    assert [c for c in checks if not c.ok] == []
