"""The code hands every visible word to the catalogs, and one msgid serves one role.

AST scans of ``tambo_desktop/``: a translation call inside an f-string is never extracted
(``_('nunca')`` on the Today page was shown in Spanish in every language); a string literal
given to a Qt text setter bypasses the catalogs; and a msgid that is at once a record type
(or a status, an event, an item of a vocabulary) and a label of another role needs a
``msgctxt`` unless its meaning is the same in both places.
"""

from __future__ import annotations

import ast
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tambo_desktop"
sys.path.insert(0, str(ROOT / "tools"))
import build_assets  # noqa: E402

TRANSLATE = {"_", "N_", "NP_", "ngettext", "pgettext"}
#: Qt calls whose string argument (position) the user reads.
TEXT_SETTERS = {
    "setText": 0,
    "setWindowTitle": 0,
    "setToolTip": 0,
    "setPlaceholderText": 0,
    "setStatusTip": 0,
    "setTitle": 0,
    "setSubTitle": 0,
    "setLabelText": 0,
    "setInformativeText": 0,
    "setDetailedText": 0,
    "setTabText": 1,
    "addTab": 1,
    "insertTab": 2,
    "setItemText": 1,
    "addItem": 0,
    "insertItem": 1,
    "addItems": 0,
    "setHeaderLabels": 0,
    "setHorizontalHeaderLabels": 0,
    "setVerticalHeaderLabels": 0,
    "showMessage": 0,
    "setSuffix": 0,
    "setPrefix": 0,
    "setSpecialValueText": 0,
    "setWhatsThis": 0,
    "addAction": 0,
    "addMenu": 0,
    "setButtonText": 1,
    "setHtml": 0,
    "setPlainText": 0,
    "addButton": 0,
}
#: Widgets whose first argument is their visible text.
TEXT_WIDGETS = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton", "QMenu"}
MESSAGE_BOXES = {"information", "warning", "critical", "question", "about"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _sources(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*.py")) if "forms" not in p.relative_to(PACKAGE).parts]


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _literal_words(node: ast.expr) -> str:
    """The words a reader would see in a literal (markup, placeholders and masks left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return ""
    text = re.sub(r"<[^>]+>|&[a-z]+;|\{[^}]*\}", " ", text)
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if set(w) != {"X"}]  # "XXXX-XXXX" is an input mask
    return " ".join(words)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_translation_call_with_a_literal_inside_an_fstring():
    found = []
    for path in _sources(PACKAGE):
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.JoinedStr):
                continue
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Call)
                    and _name(sub.func) in TRANSLATE
                    and any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in sub.args)
                ):
                    found.append(f"{_rel(path)}:{sub.lineno}: {ast.unparse(sub)}")
    assert not found, "translated inside an f-string (never extracted): " + "; ".join(found)


def test_the_scan_sees_what_it_looks_for():
    """The two scans below catch the mistakes they are meant to catch."""
    sample = ast.parse(
        'label.setText("Guardar")\nQLabel(f"Total: {n}")\nx = f"{a} ({_(\'nunca\')})"\nb.setText(_("Sí"))'
    )
    hits = [c for c in ast.walk(sample) if isinstance(c, ast.Call) and _visible_literal(c)]
    assert [ast.unparse(h) for h in hits] == ["label.setText('Guardar')", "QLabel(f'Total: {n}')"]
    assert _literal_words(ast.parse("f'<b>{x}</b> — {y}'").body[0].value) == ""


def _visible_literal(call: ast.Call) -> ast.expr | None:
    name = _name(call.func)
    if name in TEXT_SETTERS and isinstance(call.func, ast.Attribute):
        position = TEXT_SETTERS[name]
    elif name in TEXT_WIDGETS and isinstance(call.func, ast.Name):
        position = 0
    elif name in MESSAGE_BOXES and isinstance(call.func, ast.Attribute) and _name(call.func.value) == "QMessageBox":
        position = 1  # (parent, title, text): title and text
    else:
        return None
    candidates = call.args[position:] if name in MESSAGE_BOXES else call.args[position : position + 1]
    for arg in candidates:
        for item in arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]:
            if _literal_words(item):
                return item
    return None


def test_gui_literals_go_through_the_catalogs():
    found = []
    for path in _sources(PACKAGE / "gui"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and (literal := _visible_literal(node)) is not None:
                found.append(f"{_rel(path)}:{node.lineno}: {ast.unparse(literal)[:60]}")
    assert not found, f"{len(found)} visible literals not wrapped in _(): " + "; ".join(found[:10])


def test_audit_summaries_go_through_the_catalogs():
    """An audit line's summary is read on the audit page: a literal handed to ``summary=`` is shown
    as written in every language ("demo: 244 staff days, 3 leave" in English, issue 16 walk)."""
    found = []
    for path in _sources(PACKAGE):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "summary" and _literal_words(keyword.value):
                        found.append(f"{_rel(path)}:{node.lineno}: {ast.unparse(keyword.value)[:60]}")
    assert not found, f"{len(found)} audit summaries not wrapped in _(): " + "; ".join(found[:10])


# -- one msgid, one role -------------------------------------------------------------------------

#: Msgids that appear in two roles with the same meaning in es, qu and ay (reviewed one by one).
SAME_MEANING = {
    # a status and the event that leads to it are the same participle in both languages
    "Programada",
    "Reprogramada",
    "Ejecutada",
    "Suspendida",
    "Enviado al supervisor",
    "Aprobado",
    "Devuelto con observaciones",
    # one sector, need or service category: the same field of public service
    "Salud",
    "Educación",
    "Producción",
    "Cultura",
    "Ambiente",
    "Servicios financieros",
    "Programas sociales",
    "Conectividad",
    # the same vehicle as a bookable resource and as a vehicle with fuel
    "Motocicleta del tambo",
    "Camioneta del tambo",
    "Bote del tambo",
    # languages: a person's language and a campaign's language
    "Quechua",
    "Aimara",
    "Castellano",
    # the identity document, as a document type and as something to bring
    "DNI",
    # a role name shown as a column value and in the account form
    "Gestor",
    # the kind "centro poblado" among anexo, caserío...: a loan, the same word in every role
    "Centro poblado",
    # the same audience, place or document named in a list and in a label
    "Personal del tambo",
    "En el tambo",
    "Lista de entrega de oficios",
    "Guion de radio",
    # the audit event "a backup was made" and the backup itself: the same noun phrase
    "Copia de seguridad",
}


def _role_class(table: str | None) -> str:
    """What a message does: a record type, a status, an event, an item of a vocabulary, a label."""
    if table is None or re.search(r"(COLUMNS|LABELS|TITLES|HEADERS)$", table) and table != "EVENT_LABELS":
        return "label"
    if table == "ENTITIES":
        return "record type"
    if table.endswith("STATUSES"):
        return "status"
    if table in {"ACTIONS", "EVENT_LABELS"}:
        return "event"
    return f"vocabulary {table}"


@cache
def _tables(path: str) -> dict[int, str]:
    """Line of each translation call → the UPPER_CASE table (dict, tuple, list) it sits in."""
    out: dict[int, str] = {}

    def visit(node: ast.AST, table: str | None) -> None:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if names and names[0].isupper() and isinstance(node.value, ast.Dict | ast.Tuple | ast.List):
                table = names[0]
        if isinstance(node, ast.Call) and _name(node.func) in TRANSLATE and table:
            out.setdefault(node.lineno, table)
        for child in ast.iter_child_nodes(node):
            visit(child, table)

    visit(_tree(ROOT / path), None)
    return out


def message_roles() -> dict[str, set[str]]:
    """Msgid (without context) → the roles of the places that use it, from the template's locations."""
    roles: dict[str, set[str]] = {}
    for message in build_assets.extract_template():
        if not message.id or message.context:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        for location, line in message.locations:
            table = _tables(location).get(line) if location.endswith(".py") else None
            roles.setdefault(msgid, set()).add(_role_class(table))
    return roles


def test_a_msgid_has_one_role_or_a_context():
    clashes = {
        msgid: sorted(found) for msgid, found in message_roles().items() if len(found) > 1 and msgid not in SAME_MEANING
    }
    assert not clashes, f"give these a msgctxt (pgettext/NP_) or list them in SAME_MEANING: {clashes}"


def test_record_types_carry_their_context():
    """The audit's record types are one role: each has msgctxt "record type", "Tambo" included."""
    from tambo_desktop.services import audit

    template = {(m.context, m.id) for m in build_assets.extract_template() if m.id}
    for name in audit.ENTITIES.values():
        assert (audit.RECORD_TYPE, name) in template
    assert ("entity", "Tambo") in template  # the tambo as the entity of its own interventions
    assert (None, "Tambo") not in template
    assert not SAME_MEANING - set(message_roles()), "SAME_MEANING lists msgids that are gone"
