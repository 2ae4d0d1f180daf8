"""Bring a database to the current schema: start-up check, pre-migration backup, migrations,
reference data, and the daily backup.

A SQLite file that fails ``PRAGMA quick_check`` is moved aside (renamed, never deleted) and
:class:`~tambo_desktop.errors.DamagedDatabase` names the newest verified backup;
:func:`recover_from_backup` then puts that backup in its place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

import peewee as pw

from tambo_desktop import i18n, paths
from tambo_desktop.db import backups, migrations
from tambo_desktop.db.connection import BUSY_TIMEOUT_MS, describe, open_database
from tambo_desktop.db.models import utcnow
from tambo_desktop.db.reference import load_reference_data
from tambo_desktop.errors import DamagedDatabase, DatabaseError, TamboError
from tambo_desktop.i18n import _

log = logging.getLogger(__name__)

#: SQLite result codes that mean the file itself is damaged (not busy, locked or missing).
_DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}

#: Files up to this size get the full ``integrity_check`` (indexes against their tables) at every
#: start; larger ones get ``quick_check`` at start and the full check from ``check`` and ``--self-test``.
#: Measured on this machine: ``integrity_check`` of the 187 MB five-year demo takes 7 s, of 32 MB about 1 s.
THOROUGH_START_BYTES = 32 * 1024 * 1024


def _sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (``None`` for PostgreSQL or an in-memory database)."""
    info = describe(url)
    if info.engine != "sqlite" or info.location == ":memory:":
        return None
    return Path(info.location)


def _is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if any(name == code or name.startswith(code + "_") for code in _DAMAGE_CODES):
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def marker_file(path: Path) -> Path:
    """The small file beside the database that says a tambo lives in this folder.

    It is written the first time the database is prepared and never removed by the app, so a
    database that later goes missing, is emptied to 0 bytes or cannot be read is taken for
    damage (moved aside, the newest verified backup offered), never for a new install.
    """
    return path.with_name(f".{path.name}.tambo")


def remember(path: Path) -> None:
    """Write the marker of ``path`` (owner-only) unless it is there already."""
    marker = marker_file(path)
    if marker.exists():
        return
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError:
        log.warning("cannot write the marker %s", marker)
        return
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(f"TAMBO Desktop database {path.name}, first prepared {utcnow().isoformat()}\n")


def lived_here(path: Path) -> bool:
    """Whether a tambo was prepared in ``path`` before (its marker is there)."""
    return marker_file(path).exists()


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def quick_check(path: Path, expect_tambo: bool | None = None, thorough: bool = False) -> str | None:
    """``None`` when the SQLite file is sound (or does not exist yet where no tambo lived), else what
    is wrong with it. ``expect_tambo`` defaults to whether the folder's marker says a tambo lived there.

    ``thorough`` runs ``PRAGMA integrity_check`` (which also finds an index that no longer matches its
    table: such a file passes ``quick_check`` while its searches give wrong answers) instead of
    ``quick_check``. Whatever bytes SQLite's report or error holds, the answer is text, never an exception.
    """
    if expect_tambo is None:
        expect_tambo = lived_here(path)
    try:
        if not path.is_file():
            return _("el archivo no existe") if expect_tambo else None
        if path.stat().st_size == 0:
            return _("el archivo está vacío (0 bytes)") if expect_tambo else None
    except OSError as exc:
        return _("no se puede leer el archivo ({reason})").format(reason=exc.strerror or exc) if expect_tambo else None
    if expect_tambo and not os.access(path, os.R_OK):
        return _("no se puede leer el archivo ({reason})").format(reason=os.strerror(13))
    try:
        # read-only: a read-write connection to a damaged file deletes its -wal on closing
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.text_factory = _decode  # a damaged page may give a message that is not valid UTF-8
            pragma = "integrity_check(20)" if thorough else "quick_check(20)"
            problems = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except UnicodeDecodeError as exc:  # SQLite's error message itself holds bytes from the damaged schema
        raw = exc.object if isinstance(exc.object, bytes) else bytes(exc.object)
        return _decode(raw)
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return str(exc)
        raise DatabaseError(
            _("No se puede abrir la base de datos {path}: {reason}").format(path=path, reason=exc)
        ) from exc
    return None if problems == ["ok"] else "; ".join(problems[:3])


def _aside_name(path: Path, label: str) -> Path:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 2
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
        n += 1
    return target


def move_aside(path: Path, label: str = "damaged") -> Path:
    """Rename ``path`` and its ``-wal``/``-shm`` files to ``<name>.<label>-YYYYmmdd-HHMMSS`` (never delete)."""
    target = _aside_name(path, label)
    try:
        if path.exists():
            path.rename(target)
        for suffix in ("-wal", "-shm", "-journal"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                side.rename(Path(f"{target}{suffix}"))
    except OSError as exc:
        raise DatabaseError(
            _(
                "La base de datos {path} está dañada y no se pudo apartar ({reason}). Cierre las demás ventanas de "
                "TAMBO Desktop y vuelva a intentarlo; no se borró nada."
            ).format(path=path, reason=exc.strerror or exc)
        ) from exc
    return target


def _damaged(path: Path, reason: str) -> DamagedDatabase:
    from tambo_desktop.db.backups import newest_verified_backup

    missing = not path.exists()
    moved = move_aside(path)  # a missing file: only its -wal/-shm, if any, are moved
    log.error("database %s failed its start-up check (%s); moved to %s", path, reason, moved)
    newest = None
    try:
        newest = newest_verified_backup()
    except OSError:
        log.exception("cannot list the backups")
    if missing:
        message = _(
            "La base de datos {path} no está ({reason}), aunque en esta carpeta ya había un tambo. "
            "No se empieza uno nuevo sin preguntar."
        ).format(path=path, reason=reason)
        if newest is not None:
            message += " " + _("Puede restaurar la copia de seguridad verificada más reciente, del {date}: {backup}").format(
                backup=newest.path.name, date=i18n.format_datetime(newest.local_created_at, "short")
            )
        return DamagedDatabase(message, None, newest)
    if newest is not None:
        message = _(
            "La base de datos {path} está dañada ({reason}). Se apartó como {moved}, sin borrar nada. "
            "Puede restaurar la copia de seguridad verificada más reciente, del {date}: {backup}"
        ).format(
            path=path,
            reason=reason,
            moved=moved.name,
            backup=newest.path.name,
            date=i18n.format_datetime(newest.local_created_at, "short"),
        )
    else:
        message = _(
            "La base de datos {path} está dañada ({reason}). Se apartó como {moved}, sin borrar nada. "
            "No hay ninguna copia de seguridad verificada en {folder}: pida ayuda al soporte técnico "
            "para recuperar los datos del archivo apartado."
        ).format(path=path, reason=reason, moved=moved.name, folder=paths.backups_dir())
    return DamagedDatabase(message, moved, newest)


def check_file(url: str, thorough: bool | None = None) -> None:
    """The start-up check: raise :class:`DamagedDatabase` (after moving the file aside) when it fails.

    ``thorough`` (default: for files up to :data:`THOROUGH_START_BYTES`) runs the full integrity check.
    """
    path = _sqlite_file(url)
    if path is None:
        return
    if thorough is None:
        try:
            thorough = path.stat().st_size <= THOROUGH_START_BYTES
        except OSError:
            thorough = False
    reason = quick_check(path, thorough=thorough)
    if reason is not None:
        raise _damaged(path, reason)
    if path.is_file() and path.stat().st_size > 0:
        remember(path)


def prepare(url: str, daily_backup: bool = True, thorough: bool | None = None) -> pw.Database:
    """Check and open ``url``, migrate it (after a backup when it already holds data), load the
    reference data, and take the daily backup when it is due (unless ``daily_backup`` is false: the
    GUI takes it in the background once the sign-in window is shown). ``thorough``: see :func:`check_file`."""
    check_file(url, thorough)
    db = open_database(url)
    todo = migrations.pending(db)
    if todo and migrations.current_version(db) > 0 and isinstance(db, pw.SqliteDatabase):
        from tambo_desktop.db.backups import backup_now

        backup_now("pre-migration")  # verified; raises (and nothing is migrated) when it fails
    if todo:
        migrations.migrate(db)
    load_reference_data(db)
    path = _sqlite_file(url)
    if path is not None:
        remember(path)
    if daily_backup and path is not None:
        from tambo_desktop.db.backups import auto_backup_if_due

        try:
            auto_backup_if_due()
        except Exception:  # the day's backup must never keep the tambo from working
            log.exception("the automatic daily backup failed")
    return db


def recover_from_backup(url: str, backup_path: Path | str) -> backups.BackupInfo:
    """Put the verified backup ``backup_path`` where the (moved or missing) database file was, and prepare it.

    Returns the backup used; the audit line is written by ``services.backups.recover_from_backup``.
    """
    from tambo_desktop.db.connection import close_database


    target = _sqlite_file(url)
    if target is None:
        raise TamboError(
            _("Solo una base de datos SQLite de esta PC se recupera desde una copia; un servidor PostgreSQL lo restaura su administrador.")
        )
    if target.exists() and target.stat().st_size > 0:
        raise DatabaseError(
            _("Ya hay una base de datos en {path}. Use «Restaurar» para reemplazarla: antes se guarda una copia de ella.").format(
                path=target
            )
        )
    info = backups.check_restorable(backup_path)
    close_database()
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        orphan = Path(f"{target}{suffix}")
        if orphan.exists():  # never let an old WAL be replayed into the recovered file
            orphan.rename(_aside_name(orphan, "orphan"))
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        backups.copy_database_into(info.path, part, info.counts)
        with open(part, "rb+") as stream:
            os.fsync(stream.fileno())
        part.replace(target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise DatabaseError(
            _("No se pudo recuperar la base de datos desde {file}: {reason}").format(file=info.path.name, reason=exc)
        ) from exc
    prepare(url)
    log.info("database %s recovered from %s", target, info.path)
    return info


def restore(path: Path | str) -> tuple[backups.BackupInfo, backups.BackupInfo]:
    """Put the backup ``path`` in place of the current data; returns it and the "pre-restore" backup taken first.

    The file is verified first; the current state is backed up ("pre-restore"); the backup is
    copied into the live database with the online backup API; an older schema is migrated.
    Permissions and the audit line are ``services.backups.BackupService.restore``'s.
    """
    from tambo_desktop.db.connection import close_database, current_database, open_database

    db = current_database()
    if isinstance(db, pw.PostgresqlDatabase):
        raise TamboError(
            _(
                "La base de datos está en un servidor PostgreSQL: la restaura el administrador del servidor con "
                "pg_restore (por ejemplo «pg_restore --clean -d {database} ARCHIVO»)."
            ).format(database=db.database)
        )
    live = backups.live_sqlite_path(db)
    info = backups.check_restorable(path)
    if info.path.resolve() == live.resolve():
        raise backups.InvalidBackup(_("{file} es la base de datos en uso, no una copia de seguridad.").format(file=info.path.name))
    pre = backups.snapshot_sqlite(live, paths.backups_dir(), "pre-restore")
    url = f"sqlite:///{live}"
    close_database()
    try:
        backups.copy_database_into(info.path, live, info.counts)
    except sqlite3.Error as exc:
        open_database(url)
        raise backups.BackupFailed(
            _("No se pudo restaurar la copia ({reason}); la base de datos quedó como estaba.").format(reason=exc)
        ) from exc
    except backups.BackupFailed:
        backups.copy_database_into(pre.path, live, pre.counts)  # put the previous state back
        open_database(url)
        raise
    except BaseException:
        open_database(url)
        raise
    prepare(url)  # migrates a backup made by an earlier version
    log.info("restored %s (the previous state is in %s)", info.path, pre.path)
    return info, pre
