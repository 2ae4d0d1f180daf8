"""Work that may take long runs off the GUI thread: one way for pages to call such services.

``run_in_background(parent, label, work, done)`` runs ``work()`` on a thread of the global pool;
the window keeps painting and answering meanwhile. If the work takes longer than a moment, a
window-modal progress dialog with ``label`` appears (so nothing else is started on that window
while it runs). When it ends, ``done(result)`` runs on the GUI thread; an error is shown once, in
one place (:func:`widgets.report_error`), unless the caller handles it with ``failed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from tambo_desktop.gui.widgets import report_error
from tambo_desktop.services.session import end_of_thread

#: How long (ms) the work may run before the progress dialog appears: short jobs show none.
SHOW_AFTER_MS = 300

_running: set[Operation] = set()  # kept alive until they end


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.work, self.signals = work, signals
        self.setAutoDelete(True)

    def run(self) -> None:  # on the worker thread
        try:
            result = self.work()
        except Exception as exc:  # reported on the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)
        finally:
            end_of_thread()


class Operation(QObject):
    """One piece of background work, its progress dialog and its callbacks."""

    def __init__(self, parent: QWidget | None, label: str, done: Callable[[Any], None] | None,
                 failed: Callable[[Exception], None] | None) -> None:  # fmt: skip
        super().__init__()
        self.parent_widget, self.label = parent, label
        self._done, self._failed = done, failed
        self.signals = _Signals()
        self.signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.progress: QProgressDialog | None = None
        self.finished = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    def _show_progress(self) -> None:
        if self.finished:
            return
        dialog = QProgressDialog(self.label, "", 0, 0, self.parent_widget)
        dialog.setCancelButton(None)  # these jobs cannot stop half-way without leaving work half done
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setWindowTitle(self.label)
        dialog.show()
        self.progress = dialog

    def _end(self) -> None:
        self.finished = True
        self._timer.stop()
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        _running.discard(self)

    def _on_finished(self, result: object) -> None:
        self._end()
        if self._done is not None:
            self._done(result)

    def _on_failed(self, error: Exception) -> None:
        self._end()
        if self._failed is not None:
            self._failed(error)
        else:
            report_error(self.parent_widget, error)


def run_in_background(parent: QWidget | None, label: str, work: Callable[[], Any],
                      done: Callable[[Any], None] | None = None,
                      failed: Callable[[Exception], None] | None = None) -> Operation:  # fmt: skip
    """Run ``work`` off the GUI thread; ``done(result)`` or the error afterwards, on the GUI thread."""
    op = Operation(parent, label, done, failed)
    _running.add(op)
    op._timer.start(SHOW_AFTER_MS)
    QThreadPool.globalInstance().start(_Job(work, op.signals))
    return op
