"""The architecture as executable rules: the import-linter contracts of pyproject.toml (layers, Qt only
in gui, base modules import no layer) and no import cycle at all between the application's modules,
counting the imports written inside functions. ARCHITECTURE.md explains the rules."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _graph() -> grimp.ImportGraph:
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph("tambo_desktop", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m.startswith("tambo_desktop"))
    edges = {
        m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i.startswith("tambo_desktop"))
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in modules:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_import_contracts_are_kept():
    from importlinter.cli import lint_imports

    sys.path.insert(0, str(ROOT))
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        sys.path.remove(str(ROOT))


def test_no_import_cycle_at_all():
    assert _cycles(_graph()) == []


@pytest.mark.parametrize(
    "edges, expected",
    [({"a": ["b"], "b": ["a"]}, [["a", "b"]]), ({"a": ["b"], "b": ["c"], "c": []}, [])],
)
def test_the_cycle_finder_finds_cycles(edges, expected):
    class Fake:
        modules = {f"tambo_desktop.{m}" for m in edges}

        @staticmethod
        def find_modules_directly_imported_by(module):
            return {f"tambo_desktop.{m}" for m in edges[module.split(".")[-1]]}

    assert _cycles(Fake()) == [[f"tambo_desktop.{m}" for m in c] for c in expected]


def test_every_audited_record_type_has_a_name_for_people():
    """audit.ENTITIES against the models: every business table (Session.save/delete audit them by
    table name) and every record type written with Session.audit has a label, and no label is stale."""
    import ast

    import peewee as pw

    from tambo_desktop.db import models
    from tambo_desktop.services.audit import ENTITIES

    business = {
        m._meta.table_name
        for m in vars(models).values()
        if isinstance(m, type) and issubclass(m, models.BusinessModel) and m is not models.BusinessModel
    }
    literal = set()
    for path in (ROOT / "tambo_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "audit"
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)):  # fmt: skip
                literal.add(node.args[1].value)
    assert business and issubclass(models.BusinessModel, pw.Model)
    assert business - set(ENTITIES) == set()
    assert literal - set(ENTITIES) == set()
    assert set(ENTITIES) - business - literal == set()
