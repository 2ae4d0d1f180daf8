"""The audit page in words for people (issue 14, part 7): field labels, names instead of ids, labels
instead of codes, no JSON and no uuid unless asked — in the user's language."""

from __future__ import annotations

import re

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

    row = AuditRow(
        1,
        None,
        "admin",
        "create",
        "campaign_document",
        "",
        "",
        {
            "options": [None, {"languages": ["es", "qu"], "grey": True}],
            "pages": [None, 2],
            "layout": [None, '{"languages": ["es", "ay"]}'],
        },
    )  # a JSON text as a column stores it
    lines = {line.field: line.new for line in AuditService(demo_window.session).readable_changes(row)}
    assert lines[translated("es", "Páginas")] == "2"
    assert not any(ch in text for text in lines.values() for ch in '{}[]"'), lines
    assert "Sí" in lines[translated("es", "Opciones")]
    assert lines[translated("es", "Opciones")].startswith(translated("es", "Lenguas") + ": ")  # the key in words too


def _summaries(qtbot, window, lang: str) -> list[str]:
    """The Summary column as the audit page shows it in ``lang``, after real clicks on the navigation."""
    translator.switch_language(lang)
    row = next(i for i, (_name, page) in enumerate(window.pages) if page is window.audit_page)
    rect = window.nav.visualRect(window.nav.model().index(row, 0))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    audit = window.audit_page
    qtbot.waitUntil(lambda: bool(audit.model.rows))
    column = next(i for i, c in enumerate(audit.model.columns) if c.title == "Resumen")
    model = audit.table.model()
    return [model.index(i, column).data() for i in range(model.rowCount())]


@pytest.mark.parametrize("lang", ["qu", "ay"])
def test_summaries_are_translated_when_shown(demo_window, qtbot, lang, tmp_path):
    """The issue: «audit summaries stay Spanish in qu/ay» — a summary is written once, in the writer's
    language, and read in the reader's: here the demo's communities import and a sign-in's arrival
    (written in Spanish, the day in ISO), and an export by a Quechua-speaking user read in Spanish."""
    import datetime as dt

    from tambo_desktop import i18n

    with qtbot.waitActive(demo_window):
        demo_window.show()
        demo_window.activateWindow()
    translator.switch_language("qu")
    audit = demo_window.audit_page
    audit.service.export(tmp_path / "auditoria.csv", audit.current_filter(), "csv")
    stored = [
        r.summary for r in demo_window.audit_page.service.list(demo_window.audit_page.current_filter(), limit=500)
    ]
    shown = _summaries(qtbot, demo_window, lang)
    imported = next(s for s in stored if s.endswith(" filas desde communities.csv"))
    n = imported.split()[0]
    assert translated(lang, "{n} filas desde {file}").format(n=n, file="communities.csv") in shown
    assert imported not in shown  # not in Spanish any more
    arrival = next(s for s in stored if s.endswith(": Llegada: inicio de sesión"))  # «admin 2026-12-07: …»
    user, day = arrival.split()[0], arrival.split()[1].rstrip(":")
    assert translated(lang, "Asistencia: {user}, {day}: {what}").format(
        user=user, day=i18n.format_date(dt.date.fromisoformat(day), "short"),
        what=translated(lang, "Llegada: inicio de sesión")) in shown  # fmt: skip
    exported = next(s for s in stored if "auditoria.csv" in s)
    n = int(re.search(r"\d+", exported).group())  # type: ignore[union-attr]
    assert exported == translated("qu", "{n} líneas de auditoría a {file}").format(
        n=n, file="auditoria.csv"
    )  # written in Quechua…
    assert f"{n} líneas de auditoría a auditoria.csv" in _summaries(qtbot, demo_window, "es")  # …read in Spanish


def test_summaries_without_a_template_read_in_words(demo_window):
    """Summaries services write without a template: a setting's key, a month «2026-03», a leave
    «vacaciones 2026-01-05 – 2026-01-09», a voyage's action code."""
    from tambo_desktop.services.audit_summaries import readable

    translator.switch_language("ay")
    assert readable("idle_lock_minutes") == translated("ay", "&Bloquear la sesión tras (minutos sin uso):").replace(
        "&", ""
    ).rstrip(":")
    assert readable("2026-03") == "Marsu 2026"
    assert readable("vacaciones 2026-01-05 – 2026-01-09") == f"{translated('ay', 'Vacaciones')} 05/01/2026 – 09/01/2026"
    assert readable("rescheduled") == translated("ay", "Parada reprogramada")
    assert readable("Rosa Quispe Mamani") == "Rosa Quispe Mamani"  # a name stays as it is


def test_the_audit_page_reads_its_summary_catalogs_off_the_gui_thread(gui_home, load_demo, qtbot, monkeypatch):
    """Issue 14: the audit page built its summary patterns cold on the GUI thread at its first show
    (~80 ms: three catalogs and ~100 patterns). They are prepared on a worker thread as the page is
    built, and reading a summary compiles only the patterns it could match."""
    import threading

    from tambo_desktop.demo.build import DEMO_PASSWORD
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.gui.ops import wait_for_background_work
    from tambo_desktop.services import accounts, audit_summaries

    load_demo()
    audit_summaries._templates.cache_clear()
    audit_summaries._compiled.cache_clear()
    audit_summaries._readable.cache_clear()
    real = audit_summaries._templates.__wrapped__
    threads: list[threading.Thread] = []

    def templates():
        threads.append(threading.current_thread())
        return real()

    monkeypatch.setattr(audit_summaries, "_templates", audit_summaries.cache(templates))
    window = open_main_window(accounts.authenticate("admin", DEMO_PASSWORD), gui_home)
    qtbot.addWidget(window)
    wait_for_background_work()
    window.show()
    window.show_page(window.audit_page)
    audit = window.audit_page
    qtbot.waitUntil(lambda: bool(audit.model.rows))
    qtbot.waitExposed(audit.table)
    shown = [audit.table.model().index(r, 4).data() for r in range(len(audit.model.rows))]
    assert any(shown) and threads, "the Summary column was read"
    assert threads[0] is not threading.main_thread()  # prepared by the worker, before the first paint
    assert len(threads) == 1  # and once
    # each summary compiled only the few patterns whose fixed text it holds
    assert audit_summaries._compiled.cache_info().currsize < len(audit_summaries._templates()) / 4
