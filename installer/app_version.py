"""Print the application version read from tambo_desktop/__about__.py (without importing the package).

Used by the PyInstaller spec and by packaging scripts, e.g. for Inno Setup:
``iscc /DAppVersion=<output of python installer/app_version.py> installer/windows/tambo-desktop.iss``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ABOUT = Path(__file__).resolve().parent.parent / "tambo_desktop" / "__about__.py"


def read_version(about: Path = ABOUT) -> str:
    tree = ast.parse(about.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise SystemExit(f"{about} has no __version__")


if __name__ == "__main__":
    print(read_version())
