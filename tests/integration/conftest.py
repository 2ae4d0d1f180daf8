"""Fixtures shared by the integration tests of one tambo's data folder."""

from __future__ import annotations

import pytest

from tambo_desktop import i18n, paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.demo.build import create_demo


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A demo tambo in a fresh TAMBO_HOME, messages in Spanish (a test module may define its own)."""
    language = i18n.current_language()
    i18n.set_language("es")
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    prepare(paths.default_database_url())
    create_demo()
    yield tmp_path / "home"
    close_database()
    i18n.set_language(language)
