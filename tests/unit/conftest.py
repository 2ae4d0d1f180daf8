"""Unit tests use real SQLite files only (no PostgreSQL server, no Qt)."""

from __future__ import annotations

import pytest


@pytest.fixture
def empty_url(home, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tambo.db'}"
