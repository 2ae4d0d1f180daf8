"""Open the tambo's database from a URL, with the durability settings verified.

SQLite (the default, one PC) runs in WAL mode with ``synchronous=FULL``; a
PostgreSQL server is used when several PCs share one database.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import peewee
from playhouse.shortcuts import ReconnectMixin

from tambo_desktop.db.models import database_proxy
from tambo_desktop.errors import DatabaseError
from tambo_desktop.i18n import _
from tambo_desktop.logs import OS_REASONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: NORMAL may lose the last commits on a power cut
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


@dataclass(frozen=True)
class DatabaseInfo:
    engine: str  # "sqlite" or "postgresql"
    location: str  # file path or host/dbname, for the status bar (never a password)


#: Less free space than this beside the database is a full disk (SQLite then says only "disk I/O
#: error" or "unable to open database file" when it cannot create its WAL or shared-memory file).
LOW_SPACE_BYTES = 256 * 1024
#: What SQLite says while it rolls back a transaction that a failed write already ended: never the
#: reason to show (the first failure, on the exception's context, is).
_ROLLBACK_NOISE = ("cannot rollback", "no transaction is active", "cannot commit")


def _failures(exc: BaseException) -> list[BaseException]:
    """``exc`` and the failures it was raised while handling (its context and cause), oldest first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__context__ or current.__cause__
    return chain[::-1]


def first_failure(exc: BaseException) -> BaseException:
    """The failure that started it all: under "cannot rollback - no transaction is active" lies the
    full disk that had made SQLite roll back by itself."""
    for failure in _failures(exc):
        database_failure = isinstance(failure, peewee.DatabaseError | peewee.InterfaceError | sqlite3.Error | OSError)
        if database_failure and not any(noise in str(failure).lower() for noise in _ROLLBACK_NOISE):
            return failure
    return exc


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def diagnose(path: str | os.PathLike[str]) -> str | None:
    """What around the SQLite file ``path`` keeps it from being used, in the user's words (a clause
    that completes "The database cannot be used: …"), or None when the file system looks sound.

    The folder must be writable (SQLite creates its WAL and shared-memory files there), the file and
    its ``-wal``/``-shm`` must be regular files that can be read and written, and the disk must have
    room."""
    file = Path(path)
    folder = file.parent
    if str(path) == ":memory:" or not folder.exists():
        return None
    with contextlib.suppress(OSError):
        if shutil.disk_usage(folder).free < LOW_SPACE_BYTES:
            return _(OS_REASONS[errno.ENOSPC])
    if not _writable(folder) or not os.access(folder, os.X_OK):
        return _("la carpeta {folder} es de solo lectura o no tiene permiso para escribir en ella").format(
            folder=folder
        )
    for journal in (Path(f"{file}-wal"), Path(f"{file}-shm")):
        if journal.is_symlink() and not journal.exists():
            return _("su diario {file} (el archivo -wal o -shm a su lado) falta o está dañado").format(file=journal)
        if journal.exists() and (not journal.is_file() or not os.access(journal, os.R_OK) or not _writable(journal)):
            return _("su diario {file} (el archivo -wal o -shm a su lado) está dañado o es de solo lectura").format(
                file=journal
            )
    if file.exists() and (not file.is_file() or not os.access(file, os.R_OK) or not _writable(file)):
        return _("el archivo {file} es de solo lectura o no tiene permiso para usarlo").format(file=file)
    return None


def explain(exc: BaseException, path: str | os.PathLike[str] | None = None) -> str:
    """A message for the user about a database failure: what happened and what to do.

    ``path`` is the SQLite file, to say which part (folder, file, its WAL, the disk) refused."""
    failure = first_failure(exc)
    text = " ".join(str(f) for f in _failures(exc)).lower()
    if "disk is full" in text or "no space" in text or getattr(failure, "errno", None) == errno.ENOSPC:
        return _("El disco está lleno: no se guardó nada. Libere espacio y vuelva a intentarlo.")
    if "locked" in text or "busy" in text:
        return _(
            "La base de datos está ocupada por otro programa o computadora: no se guardó nada. Vuelva a intentarlo."
        )
    reason = diagnose(path) if path is not None else None
    if reason == _(OS_REASONS[errno.ENOSPC]):
        return _("El disco está lleno: no se guardó nada. Libere espacio y vuelva a intentarlo.")
    if reason is not None:
        return _("La base de datos no se puede modificar: {reason}. No se guardó nada.").format(reason=reason)
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return _("La base de datos no se puede modificar (carpeta o archivo de solo lectura): no se guardó nada.")
    if "connection" in text or "server" in text or "terminat" in text:
        return _(
            "Se perdió la conexión con el servidor de base de datos: no se guardó nada. Revise la red y vuelva a intentarlo."
        )
    return _("La base de datos rechazó el cambio ({reason}): no se guardó nada.").format(reason=failure)


_after_commit = threading.local()


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the outermost write transaction of this thread has committed (never
    after a rollback); the same callback registered twice runs once. Failures are logged, never raised."""
    pending: list = getattr(_after_commit, "callbacks", None) or []
    if callback not in pending:
        pending.append(callback)
    _after_commit.callbacks = pending


def _run_after_commit(committed: bool) -> None:
    pending = getattr(_after_commit, "callbacks", None) or []
    _after_commit.callbacks = []
    if not committed:
        return
    for callback in pending:
        try:
            callback()
        except Exception:
            log.exception("an after-commit step failed")


class _Write:
    """A write transaction whose database failures reach the user as a clear DatabaseError."""

    def __init__(self, atomic, path: str | None = None) -> None:
        self.atomic = atomic
        self.path = path  # the SQLite file, to say which part refused

    def _outermost(self) -> bool:
        db = getattr(self.atomic, "db", None)
        return db is None or db.transaction_depth() == 0

    def __enter__(self):
        try:
            return self.atomic.__enter__()
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            raise DatabaseError(explain(exc, self.path)) from exc

    def __exit__(self, exc_type, exc, tb):
        try:
            result = self.atomic.__exit__(exc_type, exc, tb)
        except (peewee.OperationalError, peewee.InterfaceError) as failure:
            # the commit failed, or SQLite had already rolled back (disk full) and the rollback complains
            if isinstance(exc, DatabaseError):  # a nested write already explained the first failure
                raise exc from failure
            original = exc if isinstance(exc, peewee.OperationalError | peewee.InterfaceError) else failure
            if self._outermost():
                _run_after_commit(False)
            raise DatabaseError(explain(original, self.path)) from original
        if self._outermost():
            _run_after_commit(exc_type is None)
        if isinstance(exc, peewee.OperationalError | peewee.InterfaceError):
            raise DatabaseError(explain(exc, self.path)) from exc
        return result


class TamboSqliteDatabase(peewee.SqliteDatabase):
    """SQLite whose write transactions begin IMMEDIATE (one writer at a time)."""

    def write(self):
        return _Write(self.atomic("IMMEDIATE"), self.database)

    def _add_conn_hooks(self, conn) -> None:
        super()._add_conn_hooks(conn)  # type: ignore[misc, unused-ignore]  # not in types-peewee
        from tambo_desktop.db import seals

        seals.attach(conn)  # the keyed seals of the people's rows, kept by this connection's TEMP triggers


class TamboPostgresDatabase(ReconnectMixin, peewee.PostgresqlDatabase):
    """PostgreSQL that connects again by itself after the server restarted or the network came back
    (peewee's ReconnectMixin: only between transactions, so nothing is ever half-replayed; a
    transaction cut in the middle fails as a whole and says so)."""

    reconnect_errors = (  # type: ignore[assignment]  # types-peewee fixes the tuple to the length of peewee's own list
        (peewee.OperationalError, "terminating connection"),
        (peewee.OperationalError, "the connection is closed"),
        (peewee.OperationalError, "the connection is lost"),
        (peewee.OperationalError, "server closed the connection"),
        (peewee.OperationalError, "consuming input failed"),
        (peewee.OperationalError, "sending query failed"),
        (peewee.InterfaceError, "connection already closed"),
        (peewee.InterfaceError, "the connection is closed"),
    )

    def write(self):
        return _Write(self.atomic())


def describe(url: str) -> DatabaseInfo:
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        return DatabaseInfo("sqlite", _sqlite_path(url))
    host = parsed.hostname or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return DatabaseInfo("postgresql", f"{host}{port}/{parsed.path.lstrip('/')}")


def _sqlite_path(url: str) -> str:
    if not url.startswith("sqlite:///"):
        raise DatabaseError(_("Dirección de base de datos no válida: {url}").format(url=url))
    return unquote(url[len("sqlite:///") :])


def open_database(url: str, bind: bool = True) -> peewee.Database:
    """Open (and check) the database at ``url``; bind the models to it unless ``bind`` is false."""
    scheme = urlparse(url).scheme
    db: peewee.Database
    if scheme in ("sqlite", "sqlite3"):
        db = _open_sqlite(_sqlite_path(url))
    elif scheme in ("postgres", "postgresql"):
        db = _open_postgres(url)
    else:
        raise DatabaseError(
            _("Motor de base de datos no admitido: «{scheme}». Use sqlite:/// o postgresql://.").format(
                scheme=scheme or url
            )
        )
    if bind:
        database_proxy.initialize(db)
    return db


def _private_sqlite_files(file: Path) -> None:
    """The database file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm
    the main file's mode); an existing one, and its -wal/-shm, are made 0600."""
    from tambo_desktop.paths import make_private

    if not file.exists():
        with contextlib.suppress(OSError):  # SQLite then says clearly why it cannot create it
            os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for candidate in (file, Path(f"{file}-wal"), Path(f"{file}-shm")):
        if candidate.exists():
            make_private(candidate)


def _open_sqlite(path: str) -> TamboSqliteDatabase:
    file = Path(path)
    if path != ":memory:":
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                _("No se puede crear la carpeta de la base de datos {folder}: {reason}").format(
                    folder=file.parent, reason=exc.strerror or exc
                )
            ) from exc
        _private_sqlite_files(file)
    db = TamboSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        reason = diagnose(path) or exc
        raise DatabaseError(
            _("No se puede abrir la base de datos {path}: {reason}").format(path=path, reason=reason)
        ) from exc
    verify_sqlite_settings(db)
    return db


def sqlite_settings(db: peewee.SqliteDatabase) -> dict[str, Any]:
    """The durability settings as SQLite reports them (read back, not assumed)."""
    return {name: db.execute_sql(f"PRAGMA {name}").fetchone()[0] for name in SQLITE_PRAGMAS}


def verify_sqlite_settings(db: peewee.SqliteDatabase) -> None:
    settings = sqlite_settings(db)
    problems = []
    if str(settings["journal_mode"]).lower() != "wal" and db.database != ":memory:":
        problems.append("journal_mode={}".format(settings["journal_mode"]))
    if int(settings["synchronous"]) != 2:
        problems.append("synchronous={}".format(settings["synchronous"]))
    if int(settings["foreign_keys"]) != 1:
        problems.append("foreign_keys={}".format(settings["foreign_keys"]))
    if int(settings["busy_timeout"]) < 5000:
        problems.append("busy_timeout={}".format(settings["busy_timeout"]))
    if problems:
        db.close()
        raise DatabaseError(
            _("La base de datos no acepta los ajustes de seguridad necesarios ({settings}); no se usará.").format(
                settings=", ".join(problems)
            )
        )


def _open_postgres(url: str) -> TamboPostgresDatabase:
    from tambo_desktop.db.drivers import enable_psycopg

    enable_psycopg()
    from playhouse.db_url import parse as parse_url  # imports every driver (psycopg: 0.2 s): not for SQLite

    params = parse_url(url)
    name = params.pop("database")
    db = TamboPostgresDatabase(name, prefer_psycopg3=True, connect_timeout=5, **params)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise DatabaseError(
            _(
                "No se puede conectar con el servidor PostgreSQL {location}: revise que esté encendido y en la red."
            ).format(location=describe(url).location)
        ) from exc
    return db


def close_database() -> None:
    db = database_proxy.obj
    if db is not None:
        with contextlib.suppress(Exception):
            db.close()


def current_database() -> TamboSqliteDatabase | TamboPostgresDatabase:
    if database_proxy.obj is None:
        raise DatabaseError(_("No hay una base de datos abierta."))
    return database_proxy.obj
