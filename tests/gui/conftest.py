"""GUI test fixtures: a real SQLite file in a temporary home, Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tambo_desktop import i18n, paths  # noqa: E402


def pytest_sessionstart(session):
    """Compile the forms and catalogs from the working tree, so tests see the current .po files.

    Under pytest-xdist only the controller compiles (before it starts the workers, which then read
    the compiled files): workers writing the same .mo/.qm files at once would race."""
    if hasattr(session.config, "workerinput"):
        i18n.reload_catalogs()
        return
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import build_assets

    build_assets.build_all()
    i18n.reload_catalogs()


def _delete_windows() -> None:
    """No window outlives its test: background work it started finishes (and its results are
    delivered) while the test's database is still bound, then every top-level window is closed and
    really deleted. pytest-qt's ``deleteLater`` alone waits for an event loop that never comes back
    to level 0, so windows piled up and their timers (the 500 ms change watcher, the idle lock, the
    hourly backup) kept firing in later tests, against the databases of those tests."""
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    QThreadPool.globalInstance().waitForDone(60_000)
    app.processEvents()  # the queued "finished" of that work, to windows still there
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test(monkeypatch):
    """For GUI tests without ``gui_home`` (which deletes its windows before it closes the database);
    before ``monkeypatch`` is undone, so a window that saves its settings on closing still finds the
    test's TAMBO_HOME."""
    yield
    _delete_windows()


@pytest.fixture
def gui_home(tmp_path, monkeypatch, qapp, sqlite_template):
    """An empty, migrated database in a temporary TAMBO_HOME, with the app's translator (a copy of the
    session's template database, on which ``prepare`` finds nothing left to migrate)."""
    import shutil

    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.gui import translator
    from tambo_desktop.gui.app import create_application

    create_application()
    url = paths.default_database_url()
    paths.database_file().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sqlite_template, paths.database_file())
    prepare(url)
    translator.switch_language("es")
    yield url
    _delete_windows()
    translator.switch_language("es")
    close_database()


@pytest.fixture(scope="session")
def _demo_files(tmp_path_factory) -> dict:
    """Demo databases built once per session (per xdist worker), by the arguments of ``create_demo``."""
    return {"folder": tmp_path_factory.mktemp("demo-databases"), "files": {}}


@pytest.fixture
def load_demo(gui_home, _demo_files):
    """``load_demo(size=None, seed=..., until=None)``: the bound database of ``gui_home`` becomes the demo
    tambo that ``create_demo`` with those arguments makes of an empty one — a copy of a file built once
    per session, instead of building it again (about a second) for every test."""
    import shutil
    from pathlib import Path

    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.demo import data as demo_data
    from tambo_desktop.demo.build import create_demo

    def load(size: str | None = None, seed: int = demo_data.DEFAULT_SEED, until=None) -> None:
        key = (size, seed, until)
        files = _demo_files["files"]
        close_database()
        if key not in files:
            folder = Path(_demo_files["folder"]) / f"demo-{len(files)}"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv(paths.HOME_ENV, str(folder))
                prepare(paths.default_database_url())
                create_demo(size, seed, until)
                close_database()  # checkpointed: one self-contained file
                files[key] = paths.database_file()
        target = paths.database_file()
        for extra in ("-wal", "-shm"):
            Path(f"{target}{extra}").unlink(missing_ok=True)
        shutil.copyfile(files[key], target)
        # the demo's audit lines are keyed with the installation key of the folder it was built in
        shutil.copyfile(Path(files[key]).parent / "installation.key", paths.home() / "installation.key")
        open_database(gui_home)

    return load


@pytest.fixture
def demo_window(gui_home, load_demo, qtbot):
    """The main window of the demo tambo, signed in as its administrator."""
    from tambo_desktop.demo.build import DEMO_PASSWORD
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.services import accounts

    load_demo()
    user = accounts.authenticate("admin", DEMO_PASSWORD)
    window = open_main_window(user, gui_home)
    qtbot.addWidget(window)
    from tambo_desktop.gui import translator

    translator.switch_language("es")
    return window
