"""Every public method of every service checks a permission (``Session.require``/``require_for``,
or ``can``/``can_for`` to choose what to show), directly or through another method of its class,
unless it is listed below as public on purpose, with the reason. Read from the source (AST), so a
new method that forgets its check fails here before anyone can call it."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "tambo_desktop" / "services"
CHECKS = {"require", "require_for", "can", "can_for"}

#: Public without a permission check, on purpose. Key: "module.Class.method" or "module.function".
PUBLIC_ON_PURPOSE: dict[str, str] = {
    "accounts.AccountService.set_own_language": "any signed-in user keeps their own interface language; "
    "it changes only the caller's own account",
    "training.TrainingService.summary_header": "a static list of column headings; it reads no data",
}


def _is_check(node: ast.AST, owner: str) -> bool:
    """``<owner>.require(...)`` and friends, where owner is ``self.session`` or ``session``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CHECKS):
        return False
    return ast.unparse(node.func.value) == owner


def _self_calls(function: ast.FunctionDef) -> set[str]:
    return {
        n.func.attr
        for n in ast.walk(function)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and ast.unparse(n.func.value) == "self"
    }


def _unchecked() -> list[str]:
    missing = []
    for path in sorted(SERVICES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = path.stem
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                methods = {f.name: f for f in node.body if isinstance(f, ast.FunctionDef)}
                init = methods.get("__init__")
                if init is None or "session" not in [a.arg for a in init.args.args]:
                    continue
                checked = {
                    name for name, f in methods.items() if any(_is_check(n, "self.session") for n in ast.walk(f))
                }
                changed = True
                while changed:  # a method that calls a checked method of its class is checked
                    before = len(checked)
                    checked |= {name for name, f in methods.items() if _self_calls(f) & checked}
                    changed = len(checked) != before
                for name in methods:
                    if not name.startswith("_") and name not in checked:
                        missing.append(f"{module}.{node.name}.{name}")
            elif isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                args = [a.arg for a in node.args.args]
                if args[:1] == ["session"] and not any(_is_check(n, "session") for n in ast.walk(node)):
                    missing.append(f"{module}.{node.name}")
    return missing


def test_every_public_service_method_checks_a_permission():
    missing = [name for name in _unchecked() if name not in PUBLIC_ON_PURPOSE]
    assert missing == [], (
        "public service methods without a permission check (add one, or list them with the reason):\n"
        + "\n".join(missing)
    )


def test_the_list_of_exceptions_is_current():
    unchecked = set(_unchecked())
    stale = [name for name in PUBLIC_ON_PURPOSE if name not in unchecked]
    assert stale == [], f"listed as public on purpose but checked or gone: {stale}"
    assert all(reason.strip() for reason in PUBLIC_ON_PURPOSE.values())
