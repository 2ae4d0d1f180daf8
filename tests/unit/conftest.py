"""Unit tests use real SQLite files only (no PostgreSQL server, no Qt)."""

from __future__ import annotations

import pytest


@pytest.fixture
def backend() -> str:
    return "sqlite"
