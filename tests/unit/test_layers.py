"""The shape of the house: nothing outside ``tambo_desktop/gui/`` needs Qt."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import tambo_desktop

PACKAGE = Path(tambo_desktop.__file__).resolve().parent
ROOT = PACKAGE.parent


def _modules_outside_gui() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts)


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def test_no_module_outside_gui_imports_pyside6():
    modules = _modules_outside_gui()
    assert len(modules) > 10
    offenders = {}
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        qt = sorted(n for n in _imported_names(tree) if n.split(".")[0] in ("PySide6", "shiboken6"))
        if qt:
            offenders[str(path.relative_to(ROOT))] = qt
    assert not offenders, f"PySide6 imported outside gui/: {offenders}"


def _headless_modules() -> list[str]:
    names = ["tambo_desktop.cli", "tambo_desktop.__main__"]
    for package in ("tambo_desktop.services", "tambo_desktop.db", "tambo_desktop.documents"):
        folder = PACKAGE / package.split(".")[1]
        if folder.is_dir():
            names += [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(folder)])]
    names += [f"tambo_desktop.{m.name}" for m in pkgutil.iter_modules([str(PACKAGE)]) if not m.ispkg]
    return sorted(set(names) - {"tambo_desktop.__main__"})


def test_cli_and_services_run_without_pyside6():
    modules = _headless_modules()
    assert "tambo_desktop.services.communities" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from tambo_desktop.cli import build_parser\n"
        "build_parser().format_help()\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(qt))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"PySide6 loaded by headless modules: {result.stdout}"
