"""The audit page in words for people (issue 14, part 7): field labels, names instead of ids, labels
instead of codes, no JSON and no uuid unless asked — in the user's language."""

from __future__ import annotations

import pytest
from gui_helpers import translated
from PySide6.QtCore import Qt

from tambo_desktop.gui import translator
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.vocabulary import LEADER_ROLES, SPOKEN_LANGUAGES


def _select(qtbot, audit, entity: str):
    row = next(i for i, r in enumerate(audit.model.rows) if r.entity == entity and r.action == "create")
    audit.table.setFocus()
    audit.table.selectRow(row)
    return audit.model.rows[row], audit.details.toPlainText()


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_a_leader_s_creation_reads_in_words(demo_window, qtbot, lang):
    translator.switch_language(lang)
    demo_window.show_page(demo_window.audit_page)
    audit = demo_window.audit_page
    audit.action_filter.setCurrentIndex(audit.action_filter.findData("create"))
    qtbot.waitUntil(lambda: bool(audit.model.rows))
    row, text = _select(qtbot, audit, "leader")
    stored = {field: new for field, (_old, new) in row.changes.items()}
    communities = {c.id: c.name for c in CommunityService(demo_window.session).list()}
    lines = text.splitlines()
    assert f"{translated(lang, 'Centro poblado')}: {communities[stored['community']]}" in lines  # a name, not «1»
    assert f"{translated(lang, 'Nombre')}: {stored['name']}" in lines
    assert f"{translated(lang, 'Cargo')}: {translated(lang, LEADER_ROLES[stored['role']])}" in lines
    assert f"{translated(lang, 'Lengua')}: {translated(lang, SPOKEN_LANGUAGES[stored['language']])}" in lines
    for raw in ("community:", "role:", "alcalde_cp", "null", "uuid", '"', "[", "{"):
        assert raw not in text, (raw, text)
    qtbot.mouseClick(audit.technical, Qt.MouseButton.LeftButton)  # asked for: the uuid and the stored values
    technical = audit.details.toPlainText()
    assert "uuid: " in technical and '"community": ' not in technical and "community: null → " in technical


@pytest.mark.parametrize("lang", ["es", "qu", "ay"])
def test_the_status_bar_names_the_role_without_nested_brackets(gui_home, load_demo, qtbot, lang):
    """The issue: «Usuario: Javier Huanca Cutipa (Supervisor (solo lectura))»."""
    from tambo_desktop.demo.build import DEMO_PASSWORD
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.services import accounts
    from tambo_desktop.vocabulary import ROLES

    load_demo()
    window = open_main_window(accounts.authenticate("supervisor", DEMO_PASSWORD), gui_home)
    qtbot.addWidget(window)
    translator.switch_language(lang)
    text = window.user_status.toolTip() or window.user_status.text()
    assert "Javier Huanca Cutipa" in text and translated(lang, ROLES["supervisor"]) in text
    assert "((" not in text.replace(" ", "") and "))" not in text.replace(" ", "")


def test_a_document_line_shows_no_json(demo_window):
    """Seen on the audit page: «Options: {"languages": ["es", "qu"]}», «Pages: 2»."""
    from tambo_desktop.services.audit import AuditRow, AuditService

    row = AuditRow(1, None, "admin", "create", "campaign_document", "", "",
                   {"options": [None, {"languages": ["es", "qu"], "grey": True}], "pages": [None, 2],
                    "layout": [None, '{"languages": ["es", "ay"]}']})  # a JSON text as a column stores it
    lines = {line.field: line.new for line in AuditService(demo_window.session).readable_changes(row)}
    assert lines[translated("es", "Páginas")] == "2"
    assert not any(ch in text for text in lines.values() for ch in '{}[]"'), lines
    assert "Sí" in lines["Options"]
