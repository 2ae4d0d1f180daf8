"""Backups of the tambo's database: made safely, verified, rotated and restorable.

A SQLite backup is made with SQLite's online backup API from one read transaction (never a
file copy of a live database), so the copy and its row counts come from the same snapshot
even while someone keeps working. Every copy is checked before it gets its final name
(``PRAGMA integrity_check``, ``PRAGMA foreign_key_check``, the same row counts), flushed
to disk, and described by a sidecar manifest ``<file>.json`` (kind, time, counts, SHA-256,
schema and application version). On PostgreSQL, ``pg_dump -Fc`` makes the copy.

File names: ``tambo-YYYYmmdd-HHMMSS-<kind>.db`` (UTC time; ``.dump`` for PostgreSQL).
Only files with such a name are ever deleted, by :func:`rotate`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from tambo_desktop import __version__, files, paths
from tambo_desktop.db import keys, migrations
from tambo_desktop.db.connection import BUSY_TIMEOUT_MS, current_database
from tambo_desktop.db.models import utcnow
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _, local_time

log = logging.getLogger(__name__)

KINDS = ("daily", "manual", "pre-migration", "pre-restore", "usb")
MANIFEST_FORMAT = 1
#: A "pre-restore" backup survives rotation this many days whatever else is taken that day.
PRE_RESTORE_DAYS = 7
#: Audit actions that do not count as a change of data (a backup does not make the next one due).
QUIET_ACTIONS = ("backup",)

_NAME_RE = re.compile(r"^tambo-(\d{8})-(\d{6})-(daily|manual|pre-migration|pre-restore|usb)(?:-(\d+))?\.(db|dump)$")
#: Pre-migration copies written by earlier builds (listed and restorable, never deleted).
_LEGACY_RE = re.compile(r"^pre-migration-v\d+-(\d{8})-(\d{6})\.db$")
_SQLITE_HEADER = b"SQLite format 3\x00"
_PG_HEADER = b"PGDMP"
_STALE_PART_SECONDS = 3600


class BackupFailed(TamboError):
    """A backup could not be written; no partial file was left behind."""


class InvalidBackup(TamboError):
    """A file offered as a backup is damaged, is not a TAMBO Desktop database, or fails its checks."""


class RestoreNeedsConfirmation(InvalidBackup):
    """The backup is sound but belongs to another tambo, or its audit trail does not verify:
    only an administrator's explicit confirmation restores it (``reasons`` says why, one line each)."""

    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message)
        self.reasons = reasons


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the backup list shows it."""

    path: Path
    created_at: dt.datetime  # UTC, naive
    kind: str  # "daily", "manual", "pre-migration", "pre-restore", "usb"
    size: int
    verified: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.path)

    @property
    def local_created_at(self) -> dt.datetime:
        """``created_at`` in the PC's time zone (naive), for display."""
        return local_time(self.created_at)


# -- small helpers ------------------------------------------------------------------------------


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _local_date(moment: dt.datetime) -> dt.date:
    return local_time(moment).date()


def _uri(path: Path, mode: str) -> str:
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0] for name in _tables(conn)}


table_counts = _counts  # the row count of every table, by name


def _scalar(conn: sqlite3.Connection, table: str, sql: str, default: int = 0) -> int:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is None:
        return default
    value = conn.execute(sql).fetchone()[0]
    return int(value or default)


def _audit_max_id(conn: sqlite3.Connection) -> int:
    return _scalar(conn, "audit_entry", "SELECT MAX(id) FROM audit_entry")


def _audit_head(conn: sqlite3.Connection) -> str:
    """The hash of the audit chain's last line ("" when there is none)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_entry'").fetchone() is None:
        return ""
    row = conn.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0]) if row else ""


def _audit_first(conn: sqlite3.Connection) -> str:
    """The hash of the audit chain's first line: which chain a backup belongs to ("" when none)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_entry'").fetchone() is None:
        return ""
    row = conn.execute("SELECT hash FROM audit_entry ORDER BY id LIMIT 1").fetchone()
    return str(row[0]) if row else ""


def _schema_version(conn: sqlite3.Connection) -> int:
    return _scalar(conn, "schema_version", "SELECT MAX(version) FROM schema_version")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json_atomic(path: Path, data: dict) -> None:
    files.write_bytes(
        path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"), private=True
    )


#: The purpose string of a manifest's authenticity tag (HMAC-SHA256 with the installation key).
MANIFEST_TAG = "tambo-backup-manifest-v1"


def _signed(manifest: dict) -> dict:
    """``manifest`` with its authenticity tag: an HMAC over every other field, the file's SHA-256
    included, so the tag covers the file and its manifest. A backup is never lost for want of the
    key: without a readable key it is written unsigned (and restoring it will ask for a confirmation)."""
    body = {k: v for k, v in manifest.items() if k not in ("tag", "key_id")}
    try:
        key = keys.installation_key()
    except TamboError:
        log.exception("the installation key cannot be read: the backup %s is not signed", manifest.get("file"))
        return body
    return {**body, "key_id": keys.key_id(key), "tag": keys.tag(MANIFEST_TAG, body, key)}


def authenticity_problem(path: Path) -> str | None:
    """``None`` when the backup ``path`` and its manifest carry this installation's valid tag, else
    the reason (one sentence) it cannot be taken for authentic. The file's SHA-256 against the
    manifest is :func:`verify_backup`'s."""
    manifest = _read_manifest(path)
    if manifest is None:
        return _("No tiene su manifiesto ({manifest}): no se puede comprobar que no cambió desde que se hizo.").format(
            manifest=manifest_path(path).name
        )
    if not manifest.get("tag"):
        return _("No está firmada con la clave de una instalación (la hizo una versión anterior o se quitó la firma).")
    try:
        key = keys.installation_key()
    except TamboError as exc:
        return str(exc)
    body = {k: v for k, v in manifest.items() if k not in ("tag", "key_id")}
    if manifest.get("key_id") != keys.key_id(key):
        return _(
            "La firmó otra instalación de TAMBO Desktop (otra PC o una carpeta de datos reinstalada): "
            "aquí no se puede comprobar que no cambió."
        )
    if not keys.matches(manifest["tag"], MANIFEST_TAG, body, key):
        return _("Su firma no coincide: la copia o su manifiesto cambiaron después de hacerse.")
    return None


@dataclass(frozen=True)
class RecordedAnchor:
    """The audit chain's head and count as one of this installation's backups recorded them, under
    its tag (``check`` compares the live chain with it)."""

    file: str
    created_at: dt.datetime  # UTC, naive
    first_hash: str  # the chain's first line: which chain
    head_id: int
    head_hash: str
    count: int


def recorded_anchors(folder: Path | str | None = None) -> list[RecordedAnchor]:
    """The chain heads recorded by the backups in ``folder`` (default: the backup folder) whose
    manifest carries this installation's valid tag and names its chain (made by this version or
    later); other manifests cannot be trusted, or say nothing of the chain."""
    found: list[RecordedAnchor] = []
    for info in list_backups(folder):
        manifest = _read_manifest(info.path)
        if not manifest or not manifest.get("audit_first_hash") or authenticity_problem(info.path) is not None:
            continue
        try:
            counts = manifest.get("counts") or {}
            found.append(
                RecordedAnchor(
                    info.path.name,
                    dt.datetime.fromisoformat(str(manifest["created_at"])),
                    str(manifest["audit_first_hash"]),
                    int(manifest.get("audit_max_id") or 0),
                    str(manifest.get("audit_head_hash") or ""),
                    int(counts.get("audit_entry", 0)),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return found


def _read_manifest(path: Path) -> dict | None:
    try:
        data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _name_time(name: str) -> dt.datetime | None:
    match = _NAME_RE.match(name) or _LEGACY_RE.match(name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _name_kind(name: str) -> str:
    match = _NAME_RE.match(name)
    return match.group(3) if match else "pre-migration"


def _is_app_file(path: Path) -> bool:
    """Only files with the name this module gives are ever deleted."""
    return bool(_NAME_RE.match(path.name))


def _target_for(folder: Path, created_at: dt.datetime, kind: str, ext: str) -> Path:
    stamp = created_at.strftime("%Y%m%d-%H%M%S")
    target = folder / f"tambo-{stamp}-{kind}.{ext}"
    n = 2
    while target.exists() or target.with_name(target.name + ".part").exists():
        target = folder / f"tambo-{stamp}-{kind}-{n}.{ext}"
        n += 1
    return target


def _remove_stale_parts(folder: Path) -> None:
    """``.part`` files left by a power cut in the middle of a backup (never another app's files)."""
    now = dt.datetime.now().timestamp()
    for part in folder.glob("tambo-*.part"):
        with contextlib.suppress(OSError):
            if _NAME_RE.match(part.name[: -len(".part")]) and now - part.stat().st_mtime > _STALE_PART_SECONDS:
                part.unlink()


def _is_disk_full(exc: BaseException, folder: Path, needed: int) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
        return True
    try:  # SQLite reports some failed writes only as "disk I/O error"
        return shutil.disk_usage(folder).free < needed
    except OSError:
        return False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _folder_problem(folder: Path) -> BackupFailed | None:
    if not folder.exists():
        return BackupFailed(
            _(
                "La carpeta {folder} no existe. Conecte la memoria USB o elija otra carpeta; no se escribió nada."
            ).format(folder=folder)
        )
    if not folder.is_dir():
        return BackupFailed(
            _("{folder} no es una carpeta. Elija una carpeta; no se escribió nada.").format(folder=folder)
        )
    return None


def _write_failed(exc: BaseException, folder: Path, needed: int) -> BackupFailed:
    read_only = getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY"
    if read_only or (
        isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR)
    ):
        return BackupFailed(
            _(
                "No se puede escribir en la carpeta {folder} ({reason}). Elija otra carpeta o revise que la "
                "memoria USB no esté protegida contra escritura; no quedó ningún archivo a medias."
            ).format(folder=folder, reason=_reason(exc))
        )
    if _is_disk_full(exc, folder, needed):
        return BackupFailed(
            _(
                "No hay espacio suficiente en {folder} para la copia de seguridad. "
                "Libere espacio o use otra memoria USB; no quedó ningún archivo a medias."
            ).format(folder=folder)
        )
    return BackupFailed(
        _("No se pudo escribir la copia de seguridad en {folder}: {reason}. No quedó ningún archivo a medias.").format(
            folder=folder, reason=_reason(exc)
        )
    )


# -- checking a file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    counts: dict[str, int]
    schema_version: int
    audit_max_id: int


def _check_sqlite_file(path: Path, expected: dict[str, int] | None = None) -> _Checked:
    """Integrity, foreign keys, a TAMBO schema and (when known) the expected row counts."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise InvalidBackup(_("No se puede leer {file}: {reason}").format(file=path, reason=_reason(exc))) from exc
    if header != _SQLITE_HEADER:
        raise InvalidBackup(
            _("{file} no es una copia de seguridad de TAMBO Desktop: no es un archivo de base de datos SQLite.").format(
                file=path.name
            )
        )
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise InvalidBackup(_("No se puede abrir {file}: {reason}").format(file=path.name, reason=exc)) from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise InvalidBackup(
                _("{file} está dañado (la revisión de integridad encontró: {problems}).").format(
                    file=path.name, problems="; ".join(problems[:3])
                )
            )
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            raise InvalidBackup(
                _("{file} tiene {n} registros que apuntan a registros inexistentes.").format(
                    file=path.name, n=len(orphans)
                )
            )
        tables = _tables(conn)
        if "schema_version" not in tables:
            raise InvalidBackup(
                _("{file} es una base de datos SQLite, pero no de TAMBO Desktop.").format(file=path.name)
            )
        checked = _Checked(_counts(conn), _schema_version(conn), _audit_max_id(conn))
    except sqlite3.Error as exc:
        raise InvalidBackup(_("{file} está dañado: {reason}").format(file=path.name, reason=exc)) from exc
    finally:
        conn.close()
    if expected is not None and checked.counts != expected:
        differences = [
            _("{table}: se esperaban {expected}, hay {found}").format(
                table=table, expected=expected.get(table, 0), found=checked.counts.get(table, 0)
            )
            for table in sorted(set(expected) | set(checked.counts))
            if expected.get(table) != checked.counts.get(table)
        ]
        raise InvalidBackup(
            _("{file} no tiene los registros que debería ({differences}).").format(
                file=path.name, differences="; ".join(differences[:3])
            )
        )
    return checked


def verify_backup(path: Path | str) -> BackupInfo:
    """Check a backup file thoroughly; raises :class:`InvalidBackup` with the reason when it is not usable."""
    path = Path(path)
    if not path.is_file():
        raise InvalidBackup(_("No existe el archivo {file}.").format(file=path))
    manifest = _read_manifest(path)
    if manifest is not None and manifest.get("sha256") and manifest["sha256"] != _sha256(path):
        raise InvalidBackup(
            _("{file} cambió o se dañó después de hacerse la copia (su suma de comprobación no coincide).").format(
                file=path.name
            )
        )
    expected = manifest.get("counts") if manifest is not None else None
    if _is_pg_dump(path):
        _check_pg_dump(path)
        counts = dict(expected or {})
    else:
        counts = _check_sqlite_file(path, expected if isinstance(expected, dict) else None).counts
    info = _info_for(path, manifest)
    return BackupInfo(info.path, info.created_at, info.kind, info.size, True, counts)


def _info_for(path: Path, manifest: dict | None) -> BackupInfo:
    size = path.stat().st_size
    created_at = _name_time(path.name) or dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    kind = _name_kind(path.name)
    counts: dict[str, int] = {}
    verified = False
    if manifest is not None:
        with contextlib.suppress(TypeError, ValueError):
            created_at = dt.datetime.fromisoformat(manifest["created_at"])
        kind = manifest.get("kind", kind) if manifest.get("kind") in KINDS else kind
        raw = manifest.get("counts")
        counts = {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        verified = manifest.get("verified") is True and manifest.get("size", size) == size
    return BackupInfo(path, created_at, kind, size, verified, counts)


# -- making a SQLite backup ---------------------------------------------------------------------


def snapshot_sqlite(source: Path, folder: Path, kind: str, now: dt.datetime | None = None) -> BackupInfo:
    """Copy the live database ``source`` into ``folder`` and verify the copy before naming it."""
    problem = _folder_problem(folder)
    if problem is not None:
        raise problem
    created_at = (now or utcnow()).replace(microsecond=0)
    with contextlib.suppress(OSError):
        _remove_stale_parts(folder)
    target = _target_for(folder, created_at, kind, "db")
    part = target.with_name(target.name + ".part")
    manifest_file = manifest_path(target)
    needed = source.stat().st_size if source.exists() else 0
    renamed = False
    try:
        try:
            os.close(
                os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            )  # a clear OSError for a missing, read-only or full folder
            src = sqlite3.connect(_uri(source, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                src.execute("BEGIN")  # one read snapshot for the counts and the copy
                counts = _counts(src)
                audit_max_id = _audit_max_id(src)
                audit_head = _audit_head(src)
                audit_first = _audit_first(src)
                version = _schema_version(src)
                dest = sqlite3.connect(part, isolation_level=None)
                try:
                    src.backup(dest)
                    dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                finally:
                    dest.close()
                src.execute("COMMIT")
            finally:
                src.close()
            files.fsync_file(part)
        except (OSError, sqlite3.Error) as exc:
            raise _write_failed(exc, folder, needed) from exc
        try:
            _check_sqlite_file(part, counts)
        except InvalidBackup as exc:
            raise BackupFailed(
                _(
                    "La copia de seguridad recién escrita no pasó la verificación y se descartó ({reason}). "
                    "Revise el disco y vuelva a intentarlo."
                ).format(reason=exc)
            ) from exc
        try:
            digest = _sha256(part)
            size = part.stat().st_size
            part.replace(target)
            renamed = True
            files.fsync_dir(folder)
            _write_json_atomic(
                manifest_file,
                _manifest(
                    target,
                    created_at,
                    kind,
                    size,
                    digest,
                    counts,
                    version,
                    audit_max_id,
                    "sqlite",
                    audit_head,
                    audit_first,
                ),
            )
        except OSError as exc:
            raise _write_failed(exc, folder, needed) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            Path(str(part) + "-journal").unlink(missing_ok=True)
        if renamed:
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)
                manifest_file.unlink(missing_ok=True)
        raise
    log.info("backup %s written and verified (%s bytes)", target, size)
    return BackupInfo(target, created_at, kind, size, True, counts)


def _manifest(
    target: Path,
    created_at: dt.datetime,
    kind: str,
    size: int,
    digest: str,
    counts: dict[str, int],
    version: int,
    audit_max_id: int,
    engine: str,
    audit_head: str = "",
    audit_first: str = "",
) -> dict:
    chain = {"audit_first_hash": audit_first} if audit_first else {}  # which chain the head belongs to
    return _signed(
        {
            **chain,
            "format": MANIFEST_FORMAT,
            "file": target.name,
            "kind": kind,
            "created_at": created_at.isoformat(),
            "engine": engine,
            "size": size,
            "sha256": digest,
            "verified": True,
            "counts": counts,
            "audit_max_id": audit_max_id,
            "audit_head_hash": audit_head,  # with counts["audit_entry"]: the chain's head and count, under the tag
            "schema_version": version,
            "app_version": __version__,
        }
    )


def live_sqlite_path(db: pw.Database) -> Path:
    if db.database == ":memory:":
        raise TamboError(_("Una base de datos en memoria no tiene copias de seguridad."))
    return Path(db.database)


# -- making backups -----------------------------------------------------------------------------


def backup_now(kind: str = "manual", target_dir: Path | None = None, now: dt.datetime | None = None) -> BackupInfo:
    """Back up the open database now, verify it, and rotate the backup folder.

    Storage only: permissions and the audit line are :class:`tambo_desktop.services.backups.BackupService`'s.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    db = current_database()
    folder = Path(target_dir) if target_dir is not None else paths.backups_dir()
    if isinstance(db, pw.PostgresqlDatabase):
        info = _pg_backup(db, folder, kind, now)
    else:
        info = snapshot_sqlite(live_sqlite_path(db), folder, kind, now)
    try:
        rotate(folder, now=now, keep=(info.path,))
    except OSError:
        log.exception("rotating the backups in %s failed", folder)
    return info


def copy_to(folder: Path | str) -> BackupInfo:
    """“Copy to a USB drive…”: a fresh verified backup written to ``folder`` and read back there."""
    folder = Path(folder)
    db = current_database()
    if isinstance(db, pw.PostgresqlDatabase):
        info = _pg_backup(db, folder, "usb", None)
    else:
        info = snapshot_sqlite(live_sqlite_path(db), folder, "usb")
    try:
        verify_backup(info.path)  # read back from the drive: the checksum and the checks again
    except (InvalidBackup, OSError) as exc:
        with contextlib.suppress(OSError):
            info.path.unlink(missing_ok=True)
            manifest_path(info.path).unlink(missing_ok=True)
        raise BackupFailed(
            _(
                "La copia en {folder} no se pudo leer de vuelta correctamente ({reason}) y se borró. "
                "Pruebe con otra memoria USB."
            ).format(folder=folder, reason=exc)
        ) from exc
    return info


def list_backups(folder: Path | str | None = None) -> list[BackupInfo]:
    """The backups in ``folder`` (default: the backup folder), newest first.

    A backup without a readable manifest, or whose size changed, is listed as not verified.
    """
    folder = Path(folder) if folder is not None else paths.backups_dir()
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    infos = []
    for path in entries:
        if not (_NAME_RE.match(path.name) or _LEGACY_RE.match(path.name)):
            continue
        try:
            if path.is_file():
                infos.append(_info_for(path, _read_manifest(path)))
        except OSError:
            continue
    infos.sort(key=lambda i: (i.created_at, i.path.name), reverse=True)
    return infos


def newest_verified_backup(folder: Path | str | None = None) -> BackupInfo | None:
    return next((info for info in list_backups(folder) if info.verified), None)


def rotate(folder: Path | str | None = None, now: dt.datetime | None = None, keep: tuple[Path, ...] = ()) -> list[Path]:
    """Thin out old backups; returns the deleted files.

    Kept: the newest backup of each of the last 7 days that have backups, of each of the last
    4 ISO weeks and of each of the last 12 months that have backups (a verified backup is
    preferred within a period), the newest verified backup whatever its age, the files in
    ``keep``, anything dated after ``now`` (a PC clock that went wrong), and "pre-restore"
    backups of the last 7 days (they alone hold what was undone by a restore). Only files
    named by this module are deleted, each with its manifest.
    """
    folder = Path(folder) if folder is not None else paths.backups_dir()
    now = now or utcnow()
    infos = [info for info in list_backups(folder) if _is_app_file(info.path)]
    keep_paths = {Path(p) for p in keep}
    newest = next((info for info in infos if info.verified), None)
    if newest is not None:
        keep_paths.add(newest.path)
    for info in infos:
        if info.created_at > now + dt.timedelta(days=1):
            keep_paths.add(info.path)
        if info.kind == "pre-restore" and info.created_at > now - dt.timedelta(days=PRE_RESTORE_DAYS):
            keep_paths.add(info.path)

    def periods(key, count: int, kind: str = "") -> None:
        best: dict[Any, BackupInfo] = {}
        for info in infos:
            if kind and info.kind != kind:
                continue
            k = key(_local_date(info.created_at))
            current = best.get(k)
            if current is None or (info.verified, info.created_at) > (current.verified, current.created_at):
                best[k] = info
        for k in sorted(best, reverse=True)[:count]:
            keep_paths.add(best[k].path)

    periods(lambda d: d, 7)
    periods(lambda d: d, 7, kind="daily")
    periods(lambda d: tuple(d.isocalendar())[:2], 4)
    periods(lambda d: (d.year, d.month), 12)
    deleted = []
    for info in infos:
        if info.path in keep_paths:
            continue
        try:
            info.path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            log.exception("cannot delete the old backup %s", info.path)
            continue
        with contextlib.suppress(OSError):
            manifest_path(info.path).unlink(missing_ok=True)
        deleted.append(info.path)
    if deleted:
        log.info("rotation deleted %d old backups in %s", len(deleted), folder)
    return deleted


def _changed_since(manifest: dict, live: Path) -> bool:
    """Did the data change since the backup described by ``manifest``?"""
    recorded = manifest.get("counts")
    last_audit = manifest.get("audit_max_id")
    if not isinstance(recorded, dict) or not isinstance(last_audit, int):
        return True
    conn = sqlite3.connect(_uri(live, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute("BEGIN")
        counts = _counts(conn)
        marks = ",".join("?" * len(QUIET_ACTIONS))
        newer = 0
        if "audit_entry" in counts:
            newer = conn.execute(
                f"SELECT COUNT(*) FROM audit_entry WHERE id > ? AND action NOT IN ({marks})",
                (last_audit, *QUIET_ACTIONS),
            ).fetchone()[0]
        conn.execute("COMMIT")
    finally:
        conn.close()
    counts.pop("audit_entry", None)  # backups add audit lines of their own
    recorded = {k: v for k, v in recorded.items() if k != "audit_entry"}
    return newer > 0 or counts != recorded


def _has_own_data(live: Path) -> bool:
    """Has anyone worked in this database? Every change of the tambo's data writes an audit line."""
    conn = sqlite3.connect(_uri(live, "rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        return _audit_max_id(conn) > 0
    finally:
        conn.close()


def auto_backup_if_due(now: dt.datetime | None = None) -> BackupInfo | None:
    """A "daily" backup when none was taken today (local date) and the data changed since the newest one.

    ``now`` is UTC (naive). Only for SQLite: a PostgreSQL server has its own backups.
    """
    db = current_database()
    if not isinstance(db, pw.SqliteDatabase) or db.database == ":memory:":
        return None
    now = now or utcnow()
    live = Path(db.database)
    backups = list_backups()
    today = _local_date(now)
    if any(_local_date(info.created_at) == today for info in backups):
        return None
    newest = next((info for info in backups if info.verified), None)
    if newest is None:
        if not _has_own_data(live):
            return None
    else:
        manifest = _read_manifest(newest.path)
        if manifest is not None and not _changed_since(manifest, live):
            return None
    return backup_now("daily", now=now)


# -- restoring ----------------------------------------------------------------------------------


def _check_restorable_version(info: BackupInfo, version: int) -> None:
    if version > migrations.LATEST_VERSION:
        raise InvalidBackup(
            _(
                "{file} fue hecha por una versión más nueva de TAMBO Desktop (esquema {found}; esta versión conoce "
                "hasta el {known}). Actualice TAMBO Desktop antes de restaurarla."
            ).format(file=info.path.name, found=version, known=migrations.LATEST_VERSION)
        )


def _sqlite_schema_version(path: Path) -> int:
    conn = sqlite3.connect(_uri(path, "ro"), uri=True)
    try:
        return _schema_version(conn)
    finally:
        conn.close()


def check_restorable(path: Path | str) -> BackupInfo:
    """:func:`verify_backup` plus: a SQLite file of a schema this version can read."""
    info = verify_backup(path)
    if _is_pg_dump(info.path):
        raise InvalidBackup(
            _(
                "{file} es una copia de un servidor PostgreSQL; la restaura el administrador del servidor con pg_restore."
            ).format(file=info.path.name)
        )
    _check_restorable_version(info, _sqlite_schema_version(info.path))
    return info


def copy_database_into(source: Path, dest: Path, expected: dict[str, int]) -> None:
    """Copy the backup ``source`` into the database file ``dest`` with the online backup API.

    The copy is one write transaction on ``dest``: in WAL mode other connections see the
    old or the new content, never a mixture, and a failure leaves ``dest`` unchanged.
    """
    src = sqlite3.connect(_uri(source, "ro"), uri=True)
    try:
        dst = sqlite3.connect(dest, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            src.backup(dst)
            counts = _counts(dst)
            problems = [row[0] for row in dst.execute("PRAGMA quick_check")]
            with contextlib.suppress(sqlite3.Error):
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
    if problems != ["ok"] or counts != expected:
        raise BackupFailed(
            _(
                "La base de datos restaurada no pasó la verificación ({problems}). Vuelva a intentarlo con otra copia."
            ).format(problems="; ".join(problems[:3]))
        )


# -- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")

    def version(path: str) -> tuple[int, ...]:
        part = Path(path).parent.parent.name
        return tuple(int(x) for x in part.split(".") if x.isdigit())

    candidates.sort(key=version, reverse=True)
    return candidates[0] if candidates else None


def _is_pg_dump(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(_PG_HEADER)) == _PG_HEADER
    except OSError:
        return False


def _check_pg_dump(path: Path) -> None:
    tool = _pg_tool("pg_restore")
    if tool is None:
        raise InvalidBackup(_("No se encontró pg_restore para revisar {file}.").format(file=path.name))
    result = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True, timeout=600)
    if result.returncode != 0 or "TABLE DATA" not in result.stdout:
        raise InvalidBackup(
            _("{file} no es una copia de PostgreSQL legible: {reason}").format(
                file=path.name, reason=(result.stderr.strip() or "pg_restore --list")[:300]
            )
        )


def _pg_one(conn: Any, sql: str) -> Any:
    """The single value a PostgreSQL query returns."""
    row = conn.execute(sql).fetchone()
    if row is None:
        raise BackupFailed(_("El servidor PostgreSQL no respondió a la consulta de la copia."))
    return row[0]


def _pg_params(db: pw.PostgresqlDatabase) -> dict[str, Any]:
    params: dict[str, Any] = {
        key: str(value) for key, value in db.connect_params.items() if key in ("host", "port", "user", "password")
    }
    params["dbname"] = db.database
    return params


def _pg_backup(db: pw.PostgresqlDatabase, folder: Path, kind: str, now: dt.datetime | None) -> BackupInfo:
    """``pg_dump -Fc`` from the same snapshot as the row counts, checked with ``pg_restore --list``."""
    import psycopg

    pg_dump = _pg_tool("pg_dump")
    if pg_dump is None:
        raise TamboError(
            _(
                "No se encontró pg_dump en esta PC. La base de datos está en un servidor PostgreSQL: se aplican las "
                "copias de seguridad del propio servidor; consulte a su administrador."
            )
        )
    problem = _folder_problem(folder)
    if problem is not None:
        raise problem
    params = _pg_params(db)
    created_at = (now or utcnow()).replace(microsecond=0)
    target = _target_for(folder, created_at, kind, "dump")
    part = target.with_name(target.name + ".part")
    manifest_file = manifest_path(target)
    renamed = False
    try:
        try:
            os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            conn = psycopg.connect(connect_timeout=5, **params)
            try:
                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                snapshot = _pg_one(conn, "SELECT pg_export_snapshot()")
                tables = [
                    t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                ]
                counts = {t: _pg_one(conn, f"SELECT COUNT(*) FROM {_quote(t)}") for t in sorted(tables)}
                audit_max_id = (
                    int(_pg_one(conn, "SELECT COALESCE(MAX(id), 0) FROM audit_entry")) if "audit_entry" in tables else 0
                )
                version = (
                    int(_pg_one(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_version"))
                    if "schema_version" in tables
                    else 0
                )
                command = [pg_dump, "-Fc", "--no-password", f"--snapshot={snapshot}", "-f", str(part)]
                for option, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
                    if params.get(key):
                        command += [option, params[key]]
                command.append(params["dbname"])
                env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
                if params.get("password"):
                    env["PGPASSWORD"] = params["password"]
                result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
            finally:
                conn.rollback()
                conn.close()
            if result.returncode != 0:
                raise BackupFailed(
                    _("pg_dump no pudo hacer la copia: {reason}").format(reason=result.stderr.strip()[:300])
                )
            files.fsync_file(part)
        except (OSError, psycopg.Error) as exc:
            raise _write_failed(exc, folder, 0) from exc
        try:
            _check_pg_dump(part)
        except InvalidBackup as exc:
            raise BackupFailed(
                _("La copia de seguridad recién escrita no pasó la verificación y se descartó ({reason}).").format(
                    reason=exc
                )
            ) from exc
        digest = _sha256(part)
        size = part.stat().st_size
        part.replace(target)
        renamed = True
        files.fsync_dir(folder)
        _write_json_atomic(
            manifest_file,
            _manifest(target, created_at, kind, size, digest, counts, version, audit_max_id, "postgresql"),
        )
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        if renamed:
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)
                manifest_file.unlink(missing_ok=True)
        raise
    return BackupInfo(target, created_at, kind, size, True, counts)


# -- which backups still hold a person (issue 15.5) ----------------------------------------------


def _sqlite_holds(path: Path, subject: str) -> bool:
    conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        tables = set(_tables(conn))
        if "person" in tables:
            row = conn.execute("SELECT anonymized FROM person WHERE uuid = ?", (subject,)).fetchone()
            if row is not None and not row[0]:
                return True
        if "audit_value" in tables:
            return (
                conn.execute("SELECT 1 FROM audit_value WHERE subject = ? LIMIT 1", (subject,)).fetchone() is not None
            )
        if "audit_entry" in tables:  # made before migration 18: the person's values in clear in the trail
            found = conn.execute(
                "SELECT 1 FROM audit_entry WHERE record_uuid = ? AND entity = 'person' "
                "AND action IN ('create', 'update', 'delete', 'merge') LIMIT 1",
                (subject,),
            ).fetchone()
            return found is not None
        return False
    finally:
        conn.close()


def _copy_rows(text: str, table: str) -> tuple[list[str], list[list[str]]]:
    """The columns and rows of ``table`` in ``pg_restore``'s plain output (COPY ... FROM stdin)."""
    match = re.search(rf'^COPY (?:\w+\.)?"?{table}"? \(([^)]*)\) FROM stdin;\n(.*?)^\\\.$', text, re.M | re.S)
    if match is None:
        return [], []
    columns = [c.strip().strip('"') for c in match.group(1).split(",")]
    return columns, [line.split("\t") for line in match.group(2).splitlines()]


def _pg_dump_holds(path: Path, subject: str) -> bool:
    tool = _pg_tool("pg_restore")
    if tool is None:
        raise InvalidBackup(_("No se encontró pg_restore para revisar {file}.").format(file=path.name))
    command = [tool, "--data-only", "-t", "person", "-t", "audit_value", "-t", "audit_entry", "-f", "-", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise InvalidBackup(
            _("No se puede leer {file}: {reason}").format(file=path.name, reason=result.stderr.strip()[:300])
        )
    columns, rows = _copy_rows(result.stdout, "person")
    if columns:
        uuid, anonymized = columns.index("uuid"), columns.index("anonymized")
        if any(r[uuid] == subject and r[anonymized] != "t" for r in rows if len(r) == len(columns)):
            return True
    columns, rows = _copy_rows(result.stdout, "audit_value")
    if columns:
        return any(r[columns.index("subject")] == subject for r in rows if len(r) == len(columns))
    columns, rows = _copy_rows(result.stdout, "audit_entry")
    if columns:
        at = {name: columns.index(name) for name in ("record_uuid", "entity", "action")}
        return any(
            r[at["record_uuid"]] == subject
            and r[at["entity"]] == "person"
            and r[at["action"]] in ("create", "update", "delete", "merge")
            for r in rows
            if len(r) == len(columns)
        )
    return False


def holds_person(path: Path, subject: str) -> bool:
    """Does the backup ``path`` still hold the person ``subject`` (a uuid): their row not anonymised,
    or their values in its audit trail (kept apart since migration 18, in clear before)?"""
    try:
        if _is_pg_dump(path):
            return _pg_dump_holds(path, subject)
        return _sqlite_holds(path, subject)
    except sqlite3.Error as exc:
        raise InvalidBackup(_("No se puede leer {file}: {reason}").format(file=path.name, reason=exc)) from exc


def delete_backup(path: Path) -> None:
    """Delete one backup named by this module and its manifest (a purge: the person's data with it)."""
    if not (_NAME_RE.match(path.name) or _LEGACY_RE.match(path.name)):
        raise TamboError(_("{file} no es una copia de seguridad de TAMBO Desktop.").format(file=path.name))
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        manifest_path(path).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        files.fsync_dir(path.parent)
