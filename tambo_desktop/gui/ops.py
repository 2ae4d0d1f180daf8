"""Work that may take long runs off the GUI thread: one way for pages to call such services.

``run_in_background(parent, label, work, done)`` runs ``work()`` on a thread of the global pool;
the window keeps painting and answering meanwhile. If the work takes longer than a moment, a
window-modal progress dialog with ``label`` appears (so nothing else is started on that window
while it runs). When it ends, ``done(result)`` runs on the GUI thread; an error is shown once, in
one place (:func:`widgets.report_error`), unless the caller handles it with ``failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from tambo_desktop.gui.widgets import report_error
from tambo_desktop.services.session import end_of_thread

log = logging.getLogger(__name__)

#: How long (ms) the work may run before the progress dialog appears: short jobs show none.
SHOW_AFTER_MS = 300

_running: set[Operation] = set()  # kept alive until they end


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    advanced = Signal(str, int, int)  # step, done, total: how far the work is (imports)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.work, self.signals = work, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # on the worker thread
        try:
            try:
                result = self.work()
            except Exception as exc:  # reported on the GUI thread
                self.signals.failed.emit(exc)
            else:
                self.signals.finished.emit(result)
        except RuntimeError:  # the application is closing: nobody is left to tell (the work is done)
            log.info("background work ended after its window closed")
        finally:
            end_of_thread()


class Operation(QObject):
    """One piece of background work, its progress dialog and its callbacks."""

    def __init__(self, parent: QWidget | None, label: str, done: Callable[[Any], None] | None,
                 failed: Callable[[Exception], None] | None, quiet: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.parent_widget, self.label = parent, label
        self._done, self._failed = done, failed
        self.signals = _Signals()
        self.signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.signals.advanced.connect(self._on_advanced, Qt.ConnectionType.QueuedConnection)
        self.progress: QProgressDialog | None = None
        self.step: tuple[str, int, int] | None = None  # the last progress heard
        self.finished = False
        self.quiet = quiet
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    def _show_progress(self) -> None:
        if self.finished or self.quiet:
            return
        dialog = QProgressDialog(self.label, "", 0, 0, self.parent_widget)
        dialog.setCancelButton(None)  # these jobs cannot stop half-way without leaving work half done
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setWindowTitle(self.label)
        dialog.show()
        self.progress = dialog
        if self.step is not None:
            self._on_advanced(*self.step)

    def report(self, step: str, done: int, total: int) -> None:
        """``progress(step, done, total)`` for the work, callable from its thread."""
        self.signals.advanced.emit(step, done, total)

    def _on_advanced(self, step: str, done: int, total: int) -> None:
        self.step = (step, done, total)
        dialog = self.progress
        if dialog is None or self.finished or not shiboken6.isValid(dialog):
            return
        fraction = min(1.0, done / total) if total > 0 else 0.0
        dialog.setRange(0, 1000)
        dialog.setValue(int(fraction * 1000))
        dialog.setLabelText(f"{self.label}\n{step}…")  # the bar shows the percentage

    def _end(self) -> None:
        self.finished = True
        self._timer.stop()
        if self.progress is not None and shiboken6.isValid(self.progress):  # not deleted with its window
            self.progress.close()
            self.progress.deleteLater()
        self.progress = None
        _running.discard(self)

    def _gone(self) -> bool:
        """The widget the work was for was deleted meanwhile (its page or window closed): the
        result has nowhere to go (the work itself, a backup, is done)."""
        return self.parent_widget is not None and not shiboken6.isValid(self.parent_widget)

    def _on_finished(self, result: object) -> None:
        self._end()
        if self._done is not None and not self._gone():
            self._done(result)

    def _on_failed(self, error: Exception) -> None:
        self._end()
        if self._gone():
            log.error("background work for a closed window failed: %s", error)
        elif self._failed is not None:
            self._failed(error)
        else:
            report_error(self.parent_widget, error)


def run_in_background(parent: QWidget | None, label: str, work: Callable[..., Any],
                      done: Callable[[Any], None] | None = None,
                      failed: Callable[[Exception], None] | None = None, quiet: bool = False,
                      progress: bool = False) -> Operation:  # fmt: skip
    """Run ``work`` off the GUI thread; ``done(result)`` or the error afterwards, on the GUI thread.
    ``quiet`` work (the day's automatic backup) shows no progress dialog: the user works meanwhile.
    With ``progress``, ``work(report)`` gets a ``report(step, done, total)`` to call from its
    thread: the dialog then shows the step and a bar with its percentage."""
    op = Operation(parent, label, done, failed, quiet)
    _running.add(op)
    op._timer.start(SHOW_AFTER_MS)
    job = (lambda: work(op.report)) if progress else work
    QThreadPool.globalInstance().start(_Job(job, op.signals))
    return op


def wait_for_background_work() -> None:
    """Before the application ends: let running work (a backup being written) finish."""
    QThreadPool.globalInstance().waitForDone()


_daily_backup: Operation | None = None  # the day's automatic backup, while it runs


def start_daily_backup() -> None:
    """The day's automatic backup, when due, off the GUI thread (seconds on a large database):
    after the sign-in window is shown, and every hour of a long day. A failure is logged and never
    keeps the tambo from working; the next hour tries again."""
    from tambo_desktop.services.backups import auto_backup_if_due

    global _daily_backup
    if _daily_backup is not None and not _daily_backup.finished:
        return  # still running (signed out and in again meanwhile)

    def failed(error: Exception) -> None:
        log.error("the automatic daily backup failed: %s", error)

    _daily_backup = run_in_background(None, "", auto_backup_if_due, failed=failed, quiet=True)
