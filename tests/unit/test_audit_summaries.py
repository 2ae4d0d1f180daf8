"""Every audit summary written from a template can be read in the reader's language (issue 14, part 7):
the templates the services pass as ``summary=`` are the ones services/audit_summaries.py knows, and a
summary written in any of the three languages reads in each."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tambo_desktop import i18n
from tambo_desktop.services import audit_summaries

ROOT = Path(__file__).resolve().parents[2] / "tambo_desktop"


def _templates_in(node: ast.AST) -> list[str | tuple[str, str]]:
    found: list[str | tuple[str, str]] = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        strings = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name == "_" and len(strings) == 1:
            found.append(strings[0])
        elif name == "ngettext" and len(strings) == 2:
            found.append((strings[0], strings[1]))
    return found


def _summary_templates() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for path in ROOT.rglob("*.py"):
        if {"gui", "documents"} & set(path.relative_to(ROOT).parts) or path.name == "audit_summaries.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "summary":
                        found.update(_templates_in(keyword.value))
            elif isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "summary" for t in targets):
                    found.update(_templates_in(node.value))
    return found


def test_every_summary_template_is_known():
    found = _summary_templates()
    assert len(found) >= 25, found  # the scan sees the services' summaries
    missing = found - set(audit_summaries.TEMPLATE_LABELS)
    # a document kind's label is a vocabulary label (read back by its translations), not a template
    missing = {m for m in missing if "{" in (m if isinstance(m, str) else m[0])}
    assert not missing, f"summaries the audit page cannot translate: {sorted(map(str, missing))}"


@pytest.mark.parametrize("writer", ["es", "qu", "ay"])
@pytest.mark.parametrize("reader", ["es", "qu", "ay"])
def test_a_summary_reads_in_the_reader_s_language(writer, reader):
    template = "{n} atenciones del {start} al {end} a {file}"
    with i18n.use_language(writer):
        stored = i18n._(template).format(n="3,600", start="2026-01-01", end="2026-03-31", file="a.csv")
    with i18n.use_language(reader):
        assert audit_summaries.readable(stored) == i18n._(template).format(
            n="3,600", start="01/01/2026", end="31/03/2026", file="a.csv")  # fmt: skip
        nested = i18n._("{what}: {n} personas").format(
            what=i18n._("datos de demostración «{size}», semilla {seed}").format(size="large", seed=1), n="20,000"
        )
    with i18n.use_language(writer):
        written = i18n._("{what}: {n} personas").format(
            what=i18n._("datos de demostración «{size}», semilla {seed}").format(size="large", seed=1), n="20000"
        )
    with i18n.use_language(reader):
        assert audit_summaries.readable(written) == nested  # the inner template too; one number format


def test_a_plural_template_and_a_month():
    with i18n.use_language("es"):
        stored = i18n.ngettext("Asistencia del personal {month}: {n} persona", "Asistencia del personal {month}: {n} personas", 4).format(
            month="2026-03", n=4)  # fmt: skip
    with i18n.use_language("qu"):
        shown = audit_summaries.readable(stored)
        assert "2026-03" not in shown and "marsu 2026" in shown and "4" in shown  # mid-line: lower case
        assert shown != stored


def test_the_document_kinds_are_the_campaigns():
    """audit_words keeps its own copy of the campaign documents' kinds (importing them would be a cycle)."""
    from tambo_desktop.services.audit_words import DOCUMENT_KINDS
    from tambo_desktop.services.campaigns import DOCUMENT_KINDS as CAMPAIGNS

    assert DOCUMENT_KINDS == CAMPAIGNS


def test_a_month_inside_a_line_is_not_capitalised_but_one_that_begins_it_is():
    """Seen on the audit page: «Asistencia del personal Noviembre de 2026: 3 personas»."""
    with i18n.use_language("es"):
        assert audit_summaries.readable("Asistencia del personal 2026-11: 3 personas") == (
            "Asistencia del personal noviembre de 2026: 3 personas"
        )
        assert audit_summaries.readable("2026-11") == "Noviembre de 2026"
    with i18n.use_language("qu"):
        line = audit_summaries.readable("Informe de campo 2026-10: 4 viajes")
        assert line.startswith("Uktuwri 2026 "), line  # the month begins the Quechua line
