"""Another PC saved (issue 17, part 3): ``LiveChanges.changed`` is emitted in the GUI thread with
the table's name (PostgreSQL's NOTIFY, heard by db.changes.ChangeListener in its thread) or ""
(a SQLite file another process committed to: its data version, polled every 500 ms)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from tambo_desktop.db.changes import ChangeListener, DataVersionWatcher
from tambo_desktop.db.connection import current_database

POLL_MS = 500


class LiveChanges(QObject):
    changed = Signal(str)

    def __init__(self, url: str, parent=None) -> None:
        super().__init__(parent)
        self.listener: ChangeListener | None = None
        self.timer: QTimer | None = None
        if url.startswith(("postgres://", "postgresql://")):
            # emitted from the listener's thread: Qt queues it to the GUI thread
            self.listener = ChangeListener(url, self.changed.emit).start(wait=0)
        else:
            self.watcher = DataVersionWatcher(current_database())
            self.timer = QTimer(self, interval=POLL_MS)
            self.timer.timeout.connect(self._poll)
            self.timer.start()

    def _poll(self) -> None:
        try:
            if self.watcher.changed():
                self.changed.emit("")
        except Exception:  # the database was closed (signing out): stop looking
            self.stop()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        if self.timer is not None:
            self.timer.stop()
