"""One accessor for bundled files (data, fonts, icons), also inside a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """The folder that holds the ``resources`` tree."""
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    candidates += [_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"]
    for folder in candidates:
        if (folder / "data").is_dir():
            return folder
    raise FileNotFoundError("TAMBO Desktop resources folder not found")


def path(name: str) -> Path:
    """Absolute path of a bundled resource, e.g. ``path("fonts/DejaVuSans.ttf")``."""
    return root() / name


@cache
def locale_dir() -> Path:
    """Folder holding the compiled ``<lang>/LC_MESSAGES/tambo_desktop.mo`` catalogs."""
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "tambo_desktop" / "locale")
    candidates.append(_PACKAGE_DIR / "locale")
    for folder in candidates:
        if folder.is_dir():
            return folder
    return candidates[-1]
