"""GUI test fixtures: a real SQLite file in a temporary home, Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tambo_desktop import i18n, paths  # noqa: E402


def pytest_sessionstart(session):
    """Compile the forms and catalogs from the working tree, so tests see the current .po files."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import build_assets

    build_assets.build_all()
    i18n.reload_catalogs()


@pytest.fixture
def gui_home(tmp_path, monkeypatch, qapp):
    """An empty, migrated database in a temporary TAMBO_HOME, with the app's translator."""
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.gui import translator
    from tambo_desktop.gui.app import create_application

    create_application()
    url = paths.default_database_url()
    prepare(url)
    translator.switch_language("es")
    yield url
    translator.switch_language("es")
    close_database()


@pytest.fixture
def demo_window(gui_home, qtbot):
    """The main window of the demo tambo, signed in as its administrator."""
    from tambo_desktop.demo.build import DEMO_PASSWORD, create_demo
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.services import accounts

    create_demo()
    user = accounts.authenticate("admin", DEMO_PASSWORD)
    window = open_main_window(user, gui_home)
    qtbot.addWidget(window)
    from tambo_desktop.gui import translator

    translator.switch_language("es")
    return window
