"""Fixtures shared by the integration tests of one tambo's data folder."""

from __future__ import annotations

import shutil

import pytest

from tambo_desktop import i18n, paths
from tambo_desktop.db.connection import close_database, open_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.demo.build import create_demo


@pytest.fixture(scope="session")
def _demo_home_files(tmp_path_factory):
    """The data folder ``home`` starts from, built once per session (per xdist worker): prepared, the
    demo tambo created in Spanish, its connection closed (the WAL checkpointed into the file)."""
    folder = tmp_path_factory.mktemp("demo-home") / "home"
    language = i18n.current_language()
    i18n.set_language("es")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(paths.HOME_ENV, str(folder))
            prepare(paths.default_database_url())
            create_demo()
            close_database()
    finally:
        i18n.set_language(language)
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch, _demo_home_files):
    """A demo tambo in a fresh TAMBO_HOME, messages in Spanish (a test module may define its own): a
    copy of the data folder built once per session (database, installation key, marker, audit anchor),
    bound as ``prepare`` + ``create_demo`` leave a new one (opened, not prepared again: ``prepare`` on
    a tambo with data would take the day's backup, which a new demo does not have)."""
    language = i18n.current_language()
    i18n.set_language("es")
    folder = tmp_path / "home"
    shutil.copytree(_demo_home_files, folder)
    monkeypatch.setenv(paths.HOME_ENV, str(folder))
    open_database(paths.default_database_url())
    yield folder
    close_database()
    i18n.set_language(language)
