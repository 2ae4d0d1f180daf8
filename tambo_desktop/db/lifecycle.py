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
from collections.abc import Callable
from pathlib import Path

import peewee as pw

from tambo_desktop import i18n, paths
from tambo_desktop.db import backups, keys, migrations
from tambo_desktop.db.connection import BUSY_TIMEOUT_MS, describe, diagnose, open_database
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
            _("No se puede abrir la base de datos {path}: {reason}").format(path=path, reason=diagnose(path) or exc)
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
            message += " " + _(
                "Puede restaurar la copia de seguridad verificada más reciente, del {date}: {backup}"
            ).format(backup=newest.path.name, date=i18n.format_datetime(newest.local_created_at, "short"))
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


def _thorough_at_start(path: Path) -> bool:
    """Whether the start-up check of ``path`` is the full integrity check (see :data:`THOROUGH_START_BYTES`)."""
    try:
        return path.stat().st_size <= THOROUGH_START_BYTES
    except OSError:
        return False


def check_file(url: str, thorough: bool | None = None) -> None:
    """The start-up check: raise :class:`DamagedDatabase` (after moving the file aside) when it fails.

    ``thorough`` (default: for files up to :data:`THOROUGH_START_BYTES`) runs the full integrity check.
    """
    path = _sqlite_file(url)
    if path is None:
        return
    reason = quick_check(path, thorough=_thorough_at_start(path) if thorough is None else thorough)
    if reason is not None:
        raise _damaged(path, reason)
    if path.is_file() and path.stat().st_size > 0:
        remember(path)


def deferrable_check(url: str) -> Path | None:
    """The file whose start-up check may run on a worker thread once the sign-in window is shown
    (the GUI's start: the check reads the whole file, 0.5 s on the five-year demo): a SQLite file
    present, not empty, where a tambo lived. Anything else (a first start, a file gone or emptied,
    PostgreSQL) is checked before, by :func:`check_file`, as always."""
    path = _sqlite_file(url)
    if path is None or not lived_here(path):
        return None
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    return path


def start_check(path: Path) -> str | None:
    """The start-up check of :func:`check_file` without its consequences: what is wrong, or ``None``
    (the folder then remembers the tambo). Safe on any thread: it opens its own read-only connection."""
    reason = quick_check(path, thorough=_thorough_at_start(path))
    if reason is None:
        remember(path)
    return reason


def set_aside(path: Path, reason: str) -> DamagedDatabase:
    """What a failed :func:`start_check` leads to: the file moved aside (never deleted) and the
    newest verified backup named. Close the database first (Windows cannot rename an open file)."""
    return _damaged(path, reason)


def prepare(url: str, daily_backup: bool = True, thorough: bool | None = None, check: bool = True) -> pw.Database:
    """Check and open ``url``, migrate it (after a backup when it already holds data), load the
    reference data, and take the daily backup when it is due (unless ``daily_backup`` is false: the
    GUI takes it in the background once the sign-in window is shown). ``thorough``: see :func:`check_file`.

    ``check=False`` leaves the start-up check to the caller (the GUI runs :func:`start_check` behind
    the sign-in window); a database with migrations to run is still checked first, here."""
    if check:
        check_file(url, thorough)
    db = open_database(url)
    todo = migrations.pending(db)
    if todo and not check:  # nothing is migrated in a file that was not checked
        db.close()
        check_file(url, thorough)
        db = open_database(url)
    if todo and migrations.current_version(db) > 0 and isinstance(db, pw.SqliteDatabase):
        from tambo_desktop.db.backups import backup_now

        backup_now("pre-migration")  # verified; raises (and nothing is migrated) when it fails
    if todo:
        migrations.migrate(db)
    load_reference_data(db)
    path = _sqlite_file(url)
    if path is not None:
        remember(path)
    try:
        keys.installation_key()  # created with the tambo, before its first backup
    except TamboError:
        log.exception("the installation key cannot be read")
    if daily_backup and path is not None:
        from tambo_desktop.db.backups import auto_backup_if_due

        try:
            auto_backup_if_due()
        except Exception:  # the day's backup must never keep the tambo from working
            log.exception("the automatic daily backup failed")
    return db


#: Checks of a prepared candidate that only an administrator may overrule: each returns the
#: reasons (one sentence each) why the candidate should not replace the live data without asking.
Vet = Callable[[sqlite3.Connection], list[str]]


def _tambo_code(conn: sqlite3.Connection) -> str | None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tambo'").fetchone() is None:
        return None
    row = conn.execute("SELECT code FROM tambo ORDER BY id LIMIT 1").fetchone()
    return str(row[0]) if row else None


def live_tambo_code(path: Path) -> str | None:
    """The code of the tambo set up in the SQLite file ``path`` (``None``: none, or no readable file)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        return _tambo_code(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _candidate_problem(conn: sqlite3.Connection) -> str | None:
    """What keeps a migrated candidate from being the live database (``None``: nothing)."""
    from tambo_desktop.db.models import ALL_MODELS

    for model in ALL_MODELS:
        table = model._meta.table_name  # type: ignore[attr-defined, unused-ignore]
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        if not columns:
            return _("le falta la tabla {table}").format(table=table)
        missing = sorted({f.column_name for f in model._meta.sorted_fields} - columns)  # type: ignore[attr-defined, unused-ignore]
        if missing:
            return _("a la tabla {table} le faltan las columnas {columns}").format(
                table=table, columns=", ".join(missing)
            )
    problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(20)")]
    if problems != ["ok"]:
        return _("la revisión de integridad encontró: {problems}").format(problems="; ".join(problems[:3]))
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    if orphans:
        return _("{n} registros apuntan a registros inexistentes").format(n=len(orphans))
    return None


def _remove_candidate(candidate: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{candidate}{suffix}").unlink(missing_ok=True)


def prepare_candidate(
    info: backups.BackupInfo, live: Path, vet: Vet | None = None, confirmed: bool = False
) -> tuple[Path, dict[str, int], list[str]]:
    """Copy the verified backup ``info`` into a separate file beside ``live`` and make it ready to
    be the live database there: migrated to this version's schema, every table and column of this
    version present, integrity and foreign keys checked after the migration, and then ``vet``'s
    checks (another tambo, an audit trail that does not verify). Nothing of ``live`` is touched.

    Returns the candidate, its row counts and the reasons an administrator confirmed (``confirmed``);
    raises :class:`~tambo_desktop.db.backups.InvalidBackup` when it cannot be used and
    :class:`~tambo_desktop.db.backups.RestoreNeedsConfirmation` when it needs a confirmation.
    """
    candidate = live.with_name(f".{live.name}.restore-candidate")
    _remove_candidate(candidate)  # a leftover of a power cut in the middle of an earlier restore
    try:
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # owner-only, as the live file
            backups.copy_database_into(info.path, candidate, info.counts)
        except (OSError, sqlite3.Error, backups.BackupFailed) as exc:
            raise backups.BackupFailed(
                _("No se pudo preparar la copia {file} ({reason}); la base de datos actual no se tocó.").format(
                    file=info.path.name, reason=exc
                )
            ) from exc
        db = open_database(f"sqlite:///{candidate}", bind=False)
        try:
            migrations.migrate(db)
        except (pw.DatabaseError, sqlite3.Error, TamboError) as exc:
            raise backups.InvalidBackup(
                _(
                    "{file} no se pudo preparar para esta versión ({reason}); la base de datos actual no se tocó."
                ).format(file=info.path.name, reason=exc)
            ) from exc
        finally:
            with contextlib.suppress(sqlite3.Error, pw.DatabaseError):
                db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
        conn = sqlite3.connect(candidate, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.text_factory = _decode
            problem = _candidate_problem(conn)
            if problem is not None:
                raise backups.InvalidBackup(
                    _(
                        "{file} no sirve como base de datos de esta versión: {problem}. La base de datos actual no se tocó."
                    ).format(file=info.path.name, problem=problem)
                )
            counts = backups.table_counts(conn)
            reasons: list[str] = []
            ours, theirs = live_tambo_code(live), _tambo_code(conn)
            if theirs is None:
                reasons.append(_("La copia no tiene ningún tambo configurado."))
            elif ours is not None and theirs != ours:
                reasons.append(
                    _(
                        "La copia es de otro tambo ({theirs}); este es {ours}: sus cuentas y datos reemplazarían a los de este."
                    ).format(theirs=theirs, ours=ours)
                )
            unsigned = backups.authenticity_problem(info.path)
            if unsigned is not None:
                reasons.append(unsigned)
            if vet is not None:
                reasons += vet(conn)
        except sqlite3.Error as exc:
            raise backups.InvalidBackup(
                _(
                    "{file} no se pudo preparar para esta versión ({reason}); la base de datos actual no se tocó."
                ).format(file=info.path.name, reason=exc)
            ) from exc
        finally:
            conn.close()
        if reasons and not confirmed:
            raise backups.RestoreNeedsConfirmation(
                _(
                    "{file} no se restauró: {reasons} Solo un administrador puede restaurarla confirmándolo expresamente."
                ).format(file=info.path.name, reasons=" ".join(reasons)),
                reasons,
            )
    except BaseException:
        _remove_candidate(candidate)
        raise
    return candidate, counts, reasons


def recover_from_backup(
    url: str, backup_path: Path | str, vet: Vet | None = None, confirmed: bool = False
) -> tuple[backups.BackupInfo, list[str]]:
    """Put the verified backup ``backup_path`` where the (moved or missing) database file was, and prepare it.

    The backup is prepared as a separate file first (:func:`prepare_candidate`) and renamed into
    place only when it passed. Returns the backup used and the reasons confirmed; the audit line
    is written by ``services.backups.recover_from_backup``.
    """
    from tambo_desktop.db.connection import close_database

    target = _sqlite_file(url)
    if target is None:
        raise TamboError(
            _(
                "Solo una base de datos SQLite de esta PC se recupera desde una copia; un servidor PostgreSQL lo restaura su administrador."
            )
        )
    if target.exists() and target.stat().st_size > 0:
        raise DatabaseError(
            _(
                "Ya hay una base de datos en {path}. Use «Restaurar» para reemplazarla: antes se guarda una copia de ella."
            ).format(path=target)
        )
    info = backups.check_restorable(backup_path)
    close_database()
    target.parent.mkdir(parents=True, exist_ok=True)
    candidate, _counts, reasons = prepare_candidate(info, target, vet, confirmed)
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            orphan = Path(f"{target}{suffix}")
            if orphan.exists():  # never let an old WAL be replayed into the recovered file
                orphan.rename(_aside_name(orphan, "orphan"))
        if target.exists():  # a 0-byte file left where the database was
            target.rename(_aside_name(target, "empty"))
        with open(candidate, "rb+") as stream:
            os.fsync(stream.fileno())
        candidate.replace(target)
    except OSError as exc:
        raise DatabaseError(
            _("No se pudo recuperar la base de datos desde {file}: {reason}").format(file=info.path.name, reason=exc)
        ) from exc
    finally:
        _remove_candidate(candidate)
    prepare(url)
    log.info("database %s recovered from %s", target, info.path)
    return info, reasons


def restore(
    path: Path | str, vet: Vet | None = None, confirmed: bool = False
) -> tuple[backups.BackupInfo, backups.BackupInfo, list[str]]:
    """Put the backup ``path`` in place of the current data, all or nothing; returns it, the
    "pre-restore" backup taken first and the reasons an administrator confirmed.

    The file is verified, then prepared and checked as a separate file (:func:`prepare_candidate`);
    only when that passes is the current state backed up ("pre-restore") and the candidate copied
    into the live database with the online backup API (one transaction: other connections see the
    old or the new data). If anything fails after that, the pre-restore state is put back.
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
        raise backups.InvalidBackup(
            _("{file} es la base de datos en uso, no una copia de seguridad.").format(file=info.path.name)
        )
    candidate, counts, reasons = prepare_candidate(info, live, vet, confirmed)
    try:
        pre = backups.snapshot_sqlite(live, paths.backups_dir(), "pre-restore")
        url = f"sqlite:///{live}"
        close_database()
        try:
            backups.copy_database_into(candidate, live, counts)
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
    finally:
        _remove_candidate(candidate)
    try:
        prepare(url)
    except (TamboError, pw.DatabaseError, sqlite3.Error) as exc:  # never leave an unusable tambo behind
        close_database()
        backups.copy_database_into(pre.path, live, pre.counts)
        prepare(url)
        raise backups.BackupFailed(
            _(
                "La copia {file} no se pudo abrir después de restaurarla ({reason}); se volvió al estado anterior."
            ).format(file=info.path.name, reason=exc)
        ) from exc
    log.info("restored %s (the previous state is in %s)", info.path, pre.path)
    return info, pre, reasons
