"""Where the tambo's data lives: database, backups and logs.

``TAMBO_HOME`` (or ``--home DIR``) puts everything in one folder, for tests and
portable installs; otherwise the user's data folder from platformdirs is used.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from tambo_desktop.__about__ import APP_ID, ORGANIZATION

HOME_ENV = "TAMBO_HOME"


def home() -> Path:
    """The folder that holds all of this installation's data (created if missing)."""
    configured = os.environ.get(HOME_ENV)
    folder = Path(configured).expanduser() if configured else user_data_path(APP_ID, ORGANIZATION)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def set_home(folder: str | os.PathLike[str]) -> Path:
    """Point every later path at ``folder`` (used by ``--home``)."""
    os.environ[HOME_ENV] = str(Path(folder).expanduser().resolve())
    return home()


def database_file() -> Path:
    return home() / "tambo.db"


def default_database_url() -> str:
    return f"sqlite:///{database_file()}"


def backups_dir() -> Path:
    folder = home() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def logs_dir() -> Path:
    folder = home() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings_file() -> Path:
    """The per-installation GUI settings (window geometry and the like)."""
    return home() / "settings.ini"
