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


def private_dir(folder: Path) -> Path:
    """Create ``folder`` if missing and make it reachable only by this account (0700 on POSIX).

    Everything inside the data folder (database, WAL, backups, manifests, logs) is then out of
    reach of the other accounts of a shared PC whatever the mode of each file.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        try:
            if folder.stat().st_mode & 0o077:
                os.chmod(folder, 0o700)
        except OSError:
            pass  # a folder of another account: the files inside are still made 0600
    return folder


def make_private(path: Path) -> None:
    """Make the file ``path`` readable and writable only by this account (0600 on POSIX)."""
    if os.name == "posix":
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:
            pass


def home() -> Path:
    """The folder that holds all of this installation's data (created if missing, 0700)."""
    configured = os.environ.get(HOME_ENV)
    folder = Path(configured).expanduser() if configured else user_data_path(APP_ID, ORGANIZATION)
    return private_dir(folder)


def set_home(folder: str | os.PathLike[str]) -> Path:
    """Point every later path at ``folder`` (used by ``--home``)."""
    os.environ[HOME_ENV] = str(Path(folder).expanduser().resolve())
    return home()


def database_file() -> Path:
    return home() / "tambo.db"


def default_database_url() -> str:
    return f"sqlite:///{database_file()}"


def backups_dir() -> Path:
    return private_dir(home() / "backups")


def logs_dir() -> Path:
    return private_dir(home() / "logs")


def settings_file() -> Path:
    """The per-installation GUI settings (window geometry and the like)."""
    return home() / "settings.ini"
