"""Learning that another PC saved (issue 17, part 3), without Qt: the GUI adapts it to a signal.

On PostgreSQL every save and delete sends ``NOTIFY tambo_changes, '<table>'`` inside its own
transaction (so it is delivered only if the save commits), and :class:`ChangeListener` listens on
a connection of its own in a thread, calling back with the table's name. On SQLite (two processes
on one file) :class:`DataVersionWatcher` reads ``PRAGMA data_version``, which changes when
another connection committed; the caller polls it (the GUI on a timer, every 500 ms).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import peewee as pw

log = logging.getLogger(__name__)

CHANNEL = "tambo_changes"


def last_audit_line() -> tuple[int, str]:
    """The audit trail's last line (id, hash): it changes with every change saved, here or on
    another PC, since every change is audited (its hash also tells two databases apart). One
    indexed read; pages and charts compare it to know whether what they show is still current."""
    from tambo_desktop.db.models import AuditEntry
    from tambo_desktop.db.sql import tuples

    last = AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    audit_id, audit_hash = next(tuples(last), (0, ""))
    return int(audit_id), str(audit_hash)


def notify(db: pw.Database, table: str) -> None:
    """Tell the other PCs that ``table`` changed (PostgreSQL; inside the change's transaction)."""
    if isinstance(db, pw.PostgresqlDatabase):
        db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, table))


class ChangeListener:
    """LISTEN on the server in a thread; ``callback(table)`` for each change another PC commits
    (and this one: the caller may ignore its own). Reconnects by itself when the server comes back."""

    def __init__(self, url: str, callback: Callable[[str], None], retry_seconds: float = 2.0) -> None:
        self.url = url
        self.callback = callback
        self.retry_seconds = retry_seconds
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tambo-changes", daemon=True)

    def start(self, wait: float = 5.0) -> ChangeListener:
        self._thread.start()
        self._ready.wait(wait)  # listening before the caller goes on (a change right after is seen)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _connect(self):
        import psycopg
        from playhouse.db_url import parse as parse_url

        params = parse_url(self.url)
        params["dbname"] = params.pop("database")
        params.pop("prefer_psycopg3", None)
        return psycopg.connect(autocommit=True, connect_timeout=5, **params)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._connect() as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            try:
                                self.callback(note.payload)
                            except Exception:  # a callback's failure must not stop the listening
                                log.exception("change callback failed")
            except Exception as exc:  # the server is gone: try again, quietly
                log.info("change listener: %s; retrying", exc)
                self._stop.wait(self.retry_seconds)


class DataVersionWatcher:
    """Whether another connection committed to the SQLite file since the last look."""

    def __init__(self, db: pw.SqliteDatabase) -> None:
        self.db = db
        self.last = self._read()

    def _read(self) -> int:
        return int(self.db.execute_sql("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        now = self._read()
        if now != self.last:
            self.last = now
            return True
        return False
