"""Masked logs and the role × action permission table."""

from __future__ import annotations

import logging

import pytest

from tambo_desktop.logs import MaskingFilter
from tambo_desktop.services import permissions
from tambo_desktop.services.permissions import ALL_ROLES, PERMISSIONS, allowed
from tambo_desktop.vocabulary import ROLES


def _record(msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("tambo", logging.INFO, __file__, 1, msg, args or None, None)


def test_dni_and_phone_are_masked_in_the_message():
    record = _record("atención a DNI %s, teléfono %s", "01234567", "951423870")
    assert MaskingFilter().filter(record) is True  # masks, never drops
    message = record.getMessage()
    assert "01234567" not in message
    assert "951423870" not in message
    assert message == "atención a DNI 01****67, teléfono 95*****70"


def test_digits_inside_the_format_string_are_masked_too():
    record = _record("login failed for 45678912")
    MaskingFilter().filter(record)
    assert record.getMessage() == "login failed for 45****12"


def test_short_numbers_are_kept():
    record = _record("%d centros poblados, ubigeo %s, año %d", 27, "210102", 2025)
    MaskingFilter().filter(record)
    assert record.getMessage() == "27 centros poblados, ubigeo 210102, año 2025"


def test_masking_through_a_real_handler(tmp_path):
    path = tmp_path / "tambo.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tambo.test.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("participante %s llamó desde %s", "70123456", "+51 987654321")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "70123456" not in text and "987654321" not in text
    assert "70****56" in text


# -- permissions ------------------------------------------------------------------------------------------


def test_roles_match_the_vocabulary():
    assert set(ROLES) == ALL_ROLES


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_role_may_do_exactly_what_is_listed(role, action):
    assert allowed(role, action) == (role in PERMISSIONS[action])


def test_administrator_may_do_everything_and_supervisor_only_reads():
    assert all(allowed(permissions.ADMIN, action) for action in PERMISSIONS)
    for action in PERMISSIONS:
        if allowed(permissions.SUPERVISOR, action):
            # besides reading, the supervisor (JUT) only decides on the gestores' monthly plans
            assert action.endswith((".view", ".view_any", ".export", ".list", ".review")), action


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_unknown_action_is_denied(role):
    assert not allowed(role, "communities.destroy_everything")
    assert not allowed(role, "")


def test_unknown_role_is_denied():
    assert not any(allowed("root", action) for action in PERMISSIONS)
    assert not any(allowed("", action) for action in PERMISSIONS)
