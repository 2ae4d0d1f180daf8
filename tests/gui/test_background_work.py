"""Long work runs off the GUI thread (issue 14, parts 1 and 9): the window keeps answering, a
progress dialog shows what is going on, the result or the error arrives once, on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tambo_desktop.errors import TamboError
from tambo_desktop.gui import ops


@pytest.fixture(autouse=True)
def _work_ends_inside_the_test(monkeypatch, qapp):
    """Whatever a test started in the background ends (and its result is applied) before the
    test's patches are undone, so no late message box opens in another test."""
    yield
    QThreadPool.globalInstance().waitForDone(60_000)
    for _ in range(3):
        QApplication.processEvents()


def _ticks_while(qtbot, op_done: list) -> int:
    """Count the GUI thread's timer ticks (every 20 ms) until the operation is done."""
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(20)
    qtbot.waitUntil(lambda: bool(op_done), timeout=10_000)
    timer.stop()
    return ticks[0]


def test_slow_work_leaves_the_window_answering_and_shows_progress(qtbot, qapp):
    results, threads, seen_progress = [], [], []

    def work() -> int:
        threads.append(threading.current_thread())
        time.sleep(0.8)
        return 42

    op = ops.run_in_background(None, "Trabajando…", work, results.append)
    QTimer.singleShot(
        ops.SHOW_AFTER_MS + 200, lambda: seen_progress.append(op.progress is not None and op.progress.isVisible())
    )
    ticks = _ticks_while(qtbot, results)
    assert results == [42]
    assert threads and threads[0] is not threading.main_thread()
    assert ticks >= 5  # 0.8 s of work: the GUI thread ran its timer meanwhile (frozen: 0 or 1)
    assert seen_progress == [True]
    assert op.progress is None  # closed when the work ended
    assert QThread.currentThread() is QApplication.instance().thread()


def test_quick_work_shows_no_progress_dialog(qtbot, qapp):
    results = []
    op = ops.run_in_background(None, "Rápido", lambda: "ok", results.append)
    qtbot.waitUntil(lambda: results == ["ok"], timeout=5_000)
    assert op.progress is None and op.finished


def test_an_error_is_reported_once_on_the_gui_thread(qtbot, qapp, monkeypatch):
    shown = []
    monkeypatch.setattr(ops, "report_error", lambda parent, error: shown.append((error, threading.current_thread())))

    def work():
        raise TamboError("No se puede escribir en la memoria USB.")

    done = []
    ops.run_in_background(None, "Copiando…", work, done.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    qtbot.wait(100)
    assert len(shown) == 1 and str(shown[0][0]) == "No se puede escribir en la memoria USB."
    assert shown[0][1] is threading.main_thread()
    assert done == []


def test_backup_now_runs_off_the_gui_thread(demo_window, qtbot, monkeypatch):
    page = demo_window.backup_page
    page.refresh()
    before = len(page.model.rows)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    page.back_up_now()
    assert not page.backup_button.isEnabled()  # returned at once; no second backup can be started meanwhile
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert told[0].startswith("Copia verificada: ")
    assert len(page.model.rows) == before + 1
    assert page.backup_button.isEnabled()


def test_export_of_atenciones_runs_off_the_gui_thread(demo_window, qtbot, monkeypatch, tmp_path):
    import csv
    import datetime as dt

    page = demo_window.attentions_page
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    out = tmp_path / "atenciones.csv"
    from tambo_desktop.db.models import Service
    from tambo_desktop.services.attentions import AttentionService
    from tambo_desktop.services.persons import PersonForm, PersonService

    session = demo_window.session
    person = PersonService(session).save(PersonForm("dni", "01234567", "Ana", "Quispe", "Mamani", "F", "1990-05-01"))
    AttentionService(session).record(person, [s.id for s in Service.select().limit(3)], "inside")
    page.export_to(out, dt.date(2000, 1, 1), dt.date(2100, 12, 31), "csv")
    assert not page.export_button.isEnabled()  # the call returned before the file was written
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert len(rows) == 3 and told[0] == "Se exportaron 3 atenciones."
    assert page.export_button.isEnabled()


def test_the_days_backup_is_taken_after_the_sign_in_window_shows(gui_home, qtbot, monkeypatch):
    from tambo_desktop.db import backups
    from tambo_desktop.demo.build import create_demo
    from tambo_desktop.gui import app
    from tambo_desktop.gui.login import LoginDialog

    create_demo()
    assert app.open_database_or_explain(gui_home, daily_backup=False) is not None
    at_sign_in = []

    def exec_(dialog) -> int:
        at_sign_in.append([b.kind for b in backups.list_backups()])
        qtbot.waitUntil(lambda: any(b.kind == "daily" for b in backups.list_backups()), timeout=30_000)
        return 0  # the user closes the sign-in window

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    assert app.sign_in_and_open(gui_home) is None
    assert at_sign_in == [[]]  # the window came first: no backup taken before it
    qtbot.waitUntil(lambda: ops._daily_backup is not None and ops._daily_backup.finished, timeout=30_000)
    assert [b.kind for b in backups.list_backups()] == ["daily"]


def test_showing_the_counting_pages_counts_off_the_gui_thread(demo_window, qtbot, monkeypatch):
    from tambo_desktop.services.indicators import IndicatorService

    threads = []
    month = IndicatorService.month

    def recorded(self, year, month_number, *args, **kwargs):
        threads.append(threading.current_thread())
        return month(self, year, month_number, *args, **kwargs)

    monkeypatch.setattr(IndicatorService, "month", recorded)
    for page in (demo_window.today_page, demo_window.month_page):
        threads.clear()
        demo_window.show_page(page)
        qtbot.waitUntil(
            lambda page=page: getattr(page, "operation", None) is not None and page.operation.finished, timeout=30_000
        )
        assert threads and all(t is not threading.main_thread() for t in threads)


def test_work_for_a_window_closed_meanwhile_ends_quietly(qtbot, qapp):
    """The page or window the work was for is deleted before the work ends (the user closed it):
    its result is dropped, nothing touches the deleted widgets (it crashed the month chart)."""
    from PySide6.QtWidgets import QLabel, QWidget

    window = QWidget()
    label = QLabel(window)
    release = threading.Event()
    seen = []

    def work() -> str:
        release.wait(10)
        return "hecho"

    op = ops.run_in_background(window, "Contando…", work, lambda result: seen.append(label.text() + result))
    window.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(label), timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: op.finished, timeout=10_000)
    assert seen == []
