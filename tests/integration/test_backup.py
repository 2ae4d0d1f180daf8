"""Backups on real SQLite files: verified copies, rotation, the daily backup, USB copies, restore."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db import migrations
from tambo_desktop.db.connection import close_database, current_database, open_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import AuditEntry, Community, Leader, utcnow
from tambo_desktop.demo.build import create_demo
from tambo_desktop.errors import PermissionDenied, TamboError
from tambo_desktop.services.audit import verify_chain
from tambo_desktop.services.backups import BackupService
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.session import CurrentUser, Session, system_session
from tests import pg_server

NAME = r"tambo-\d{8}-\d{6}-%s(-\d+)?\.db"


def _session(role: str = "admin") -> Session:
    user = CurrentUser(id=0, username=f"prueba-{role}", full_name="Prueba", role=role, language="es")
    return Session(user, system_session().tambo_code)


def _db_state(path: Path | None = None) -> tuple[dict[str, int], int]:
    """Row counts of every table and the last audit id, read with plain sqlite3."""
    conn = sqlite3.connect(path or paths.database_file())
    try:
        tables = [
            t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        return counts, conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entry").fetchone()[0]
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- making a backup ------------------------------------------------------------------------------


def test_backup_is_verified_with_equal_counts_and_a_manifest(home):
    counts, audit_max = _db_state()
    info = BackupService(_session()).create()
    assert info.kind == "manual" and info.verified
    assert info.path.parent == paths.backups_dir()
    assert re.fullmatch(NAME % "manual", info.path.name)
    assert info.counts == counts and info.counts["community"] == 14 and info.counts["leader"] > 0
    assert info.size == info.path.stat().st_size
    assert abs((info.created_at - utcnow()).total_seconds()) < 60
    manifest = json.loads(info.manifest_path.read_text(encoding="utf-8"))
    assert manifest["kind"] == "manual" and manifest["verified"] is True
    assert manifest["counts"] == counts and manifest["audit_max_id"] == audit_max
    assert manifest["sha256"] == _sha(info.path)
    assert manifest["schema_version"] == migrations.LATEST_VERSION and manifest["app_version"]
    # the copy is a self-contained, sound SQLite file with the same rows
    assert not Path(f"{info.path}-wal").exists()
    assert _db_state(info.path)[0] == counts
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not list(paths.backups_dir().glob("*.part"))
    # the backup itself is in the audit trail (after the snapshot, so not in the copy)
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (last.action, last.entity, last.username) == ("backup", "database", "prueba-admin")
    assert info.path.name in last.summary
    assert backup.verify_backup(info.path).counts == counts
    assert backup.list_backups()[0] == info


def test_backup_copies_one_snapshot_while_someone_else_is_writing(home):
    committed, _ = _db_state()
    writer = sqlite3.connect(paths.database_file(), isolation_level=None, timeout=10)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO setting (key, value) VALUES ('prueba.sin-confirmar', 'x')")
    try:
        info = backup.backup_now()  # WAL: the writer does not block the reader, and is not copied
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert info.counts == committed
    assert _db_state(info.path)[0]["setting"] == committed["setting"]
    assert _db_state()[0]["setting"] == committed["setting"] + 1


def test_backup_needs_the_permission(home):
    with pytest.raises(PermissionDenied):
        BackupService(_session("supervisor")).create()
    assert _files(paths.backups_dir()) == []
    assert BackupService(_session("staff")).create().verified


# -- rotation -----------------------------------------------------------------------------------


@pytest.fixture
def tiny_db(tmp_path, monkeypatch):
    """A small TAMBO-like database bound as the current one, so that hundreds of real backups are quick."""
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    db = open_database(f"sqlite:///{tmp_path / 'tiny.db'}")
    db.execute_sql("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    db.execute_sql("CREATE TABLE audit_entry (id INTEGER PRIMARY KEY, action TEXT, hash TEXT NOT NULL DEFAULT '')")
    db.execute_sql("INSERT INTO schema_version VALUES (4, 'audit trail', '2024-01-01')")
    yield db
    close_database()


def _fake_backups(folder: Path, moments: list[dt.datetime], template: backup.BackupInfo) -> None:
    """Copies of one real, verified backup, named and described as if made at ``moments``."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.loads(template.manifest_path.read_text(encoding="utf-8"))
    for moment in moments:
        name = f"tambo-{moment:%Y%m%d-%H%M%S}-daily.db"
        shutil.copyfile(template.path, folder / name)
        (folder / f"{name}.json").write_text(
            json.dumps({**manifest, "file": name, "kind": "daily", "created_at": moment.isoformat()}), encoding="utf-8"
        )


def _local(moment: dt.datetime) -> dt.date:
    return moment.replace(tzinfo=dt.UTC).astimezone().date()


def _assert_rotation_kept(infos: list[backup.BackupInfo], all_moments: list[dt.datetime]) -> None:
    kept_days = {_local(i.created_at) for i in infos}
    days = sorted({_local(m) for m in all_moments}, reverse=True)
    assert set(days[:7]) <= kept_days
    weeks = sorted({tuple(d.isocalendar())[:2] for d in days}, reverse=True)[:4]
    assert set(weeks) <= {tuple(d.isocalendar())[:2] for d in kept_days}
    months = sorted({(d.year, d.month) for d in days}, reverse=True)[:12]
    assert set(months) <= {(d.year, d.month) for d in kept_days}


def test_rotation_over_400_days_of_daily_backups(tiny_db, tmp_path):
    start = dt.datetime(2024, 1, 1, 15, 0, 0)
    moments = []
    for day in range(400):
        for hour in (0, 3) if day % 9 == 0 else (0,):  # some days have two backups
            moment = start + dt.timedelta(days=day, hours=hour)
            tiny_db.execute_sql("INSERT INTO audit_entry (action) VALUES ('create')")
            backup.backup_now("daily", now=moment)
            moments.append(moment)
    infos = backup.list_backups()
    assert 12 <= len(infos) <= 7 + 4 + 12
    assert infos[0].created_at == moments[-1]  # the newest is always kept
    assert all(i.verified and i.manifest_path.exists() for i in infos)
    _assert_rotation_kept(infos, moments)
    # every deleted backup took its manifest with it
    assert sorted(p.name for p in paths.backups_dir().glob("*.json")) == sorted(f"{i.path.name}.json" for i in infos)


def test_rotation_keeps_the_newest_verified_backup_and_never_touches_other_files(tiny_db, tmp_path):
    template = backup.backup_now("manual", target_dir=tmp_path)
    folder = tmp_path / "rotating"
    start = dt.datetime(2023, 3, 1, 15, 0, 0)
    moments = [start + dt.timedelta(days=d) for d in range(400)]
    _fake_backups(folder, moments, template)
    # only the oldest backup is verified: the manifests of all the others were lost
    for moment in moments[1:]:
        (folder / f"tambo-{moment:%Y%m%d-%H%M%S}-daily.db.json").unlink()
    foreign = ["notas.txt", "mi-copia.db", "tambo.db", "tambo-vieja.db", "tambo-20230301-150000-daily.db.bak"]
    for name in foreign:
        (folder / name).write_bytes(b"no es de la aplicacion")
    deleted = backup.rotate(folder, now=moments[-1])
    remaining = backup.list_backups(folder)
    assert len(remaining) <= 7 + 4 + 12 + 1
    oldest = folder / f"tambo-{moments[0]:%Y%m%d-%H%M%S}-daily.db"
    assert oldest.exists() and Path(f"{oldest}.json").exists()  # the newest verified, although 400 days old
    assert [i.path for i in remaining if i.verified] == [oldest]
    assert remaining[0].created_at == moments[-1]
    _assert_rotation_kept(remaining, moments)
    for name in foreign:
        assert (folder / name).read_bytes() == b"no es de la aplicacion"
    assert len(deleted) == 400 - len(remaining)
    assert not any(p.exists() for p in deleted)


def test_manual_backups_later_in_the_day_keep_the_days_automatic_one(tiny_db):
    """A working day: the clerk's manual backups never rotate the day's automatic one away."""
    days = [dt.datetime(2026, 3, 2, 13, 0) + dt.timedelta(days=d) for d in range(10)]  # 08:00 in Lima
    for day in days:
        tiny_db.execute_sql("INSERT INTO audit_entry (action) VALUES ('create')")
        backup.backup_now("daily", now=day)
        for hour in (2, 4, 6):  # the clerk backs up by hand at 10:00, 12:00 and 14:00
            tiny_db.execute_sql("INSERT INTO audit_entry (action) VALUES ('create')")
            backup.backup_now("manual", now=day + dt.timedelta(hours=hour))
    infos = backup.list_backups()
    dailies = sorted(i.created_at for i in infos if i.kind == "daily")
    # the automatic backup of each of the last 7 days is still there, with the day's newest manual one
    assert dailies[-7:] == days[-7:]
    for day in days[-7:]:
        assert any(i.kind == "manual" and i.created_at == day + dt.timedelta(hours=6) for i in infos)
    assert all(i.verified for i in infos)


# -- the automatic daily backup ---------------------------------------------------------------------


def test_auto_backup_only_when_due_and_data_changed(home):
    assert backup.list_backups() == []  # the empty database got no backup at start-up
    today = utcnow()
    first = backup.auto_backup_if_due(now=today)
    assert first is not None and first.kind == "daily" and first.verified
    assert backup.auto_backup_if_due(now=today + dt.timedelta(minutes=5)) is None  # already one today
    tomorrow = today + dt.timedelta(days=1)
    assert backup.auto_backup_if_due(now=tomorrow) is None  # nothing changed
    # a manual backup writes an audit line, which alone does not make the next one due
    BackupService(_session()).create(now=tomorrow)
    assert backup.auto_backup_if_due(now=today + dt.timedelta(days=2)) is None
    # a change of data does
    community = Community.select().order_by(Community.id).first()
    CommunityService(_session()).delete(community.id)
    later = today + dt.timedelta(days=3)
    daily = backup.auto_backup_if_due(now=later)
    assert daily is not None and daily.kind == "daily" and daily.created_at == later.replace(microsecond=0)
    assert daily.counts["community"] == 13
    assert backup.auto_backup_if_due(now=later + dt.timedelta(hours=1)) is None


def test_prepare_takes_the_daily_backup_when_due(home):
    close_database()
    prepare(paths.default_database_url())
    (daily,) = backup.list_backups()
    assert daily.kind == "daily" and daily.verified and daily.counts["community"] == 14
    close_database()
    prepare(paths.default_database_url())
    assert backup.list_backups() == [daily]


def test_pre_migration_backup_is_verified(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    url = paths.default_database_url()
    db = open_database(url)
    migrations.migrate(db, target=3)
    close_database()
    db = prepare(url)
    try:
        assert migrations.current_version(db) == migrations.LATEST_VERSION
        (pre,) = [i for i in backup.list_backups() if i.kind == "pre-migration"]
        assert pre.verified and pre.counts["schema_version"] == 3
    finally:
        close_database()


# -- copy to a USB drive ------------------------------------------------------------------------------


def test_copy_to_a_folder_writes_a_verified_copy_there(home, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    info = BackupService(_session("staff")).copy_to(usb)
    assert info.path.parent == usb and info.kind == "usb" and info.verified
    manifest = json.loads(info.manifest_path.read_text(encoding="utf-8"))
    assert manifest["sha256"] == _sha(info.path) and manifest["kind"] == "usb"
    assert info.counts == _db_state(info.path)[0]
    assert _files(usb) == sorted([info.path.name, f"{info.path.name}.json"])
    assert backup.list_backups(usb) == [info]
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "backup" and str(usb) in last.summary


def test_copy_to_a_missing_folder_is_refused_clearly(home, tmp_path):
    missing = tmp_path / "memoria-usb"
    with pytest.raises(TamboError) as error:
        BackupService(_session()).copy_to(missing)
    assert str(missing) in str(error.value)
    assert not missing.exists()


def test_copy_to_a_read_only_folder_leaves_nothing(home, tmp_path):
    if _is_root():  # root writes into a 0o500 folder; a path below a regular file fails for everyone
        (tmp_path / "file.txt").write_text("x")
        folder = tmp_path / "file.txt" / "sub"
        watched = tmp_path
    else:
        folder = tmp_path / "readonly"
        folder.mkdir()
        folder.chmod(0o500)
        watched = folder
    before = _files(watched)
    try:
        with pytest.raises(TamboError) as error:
            BackupService(_session()).copy_to(folder)
    finally:
        if folder.exists():
            folder.chmod(0o700)
    assert str(folder) in str(error.value)
    assert _files(watched) == before


@pytest.mark.skipif(not Path("/proc/sys").is_dir(), reason="Linux only")
def test_copy_to_a_folder_nobody_may_write_is_refused(home):
    """/proc/sys exists and refuses new files even to root: a real OSError from the write."""
    with pytest.raises(TamboError) as error:
        BackupService(_session()).copy_to(Path("/proc/sys"))
    assert "/proc/sys" in str(error.value)


def test_copy_to_a_file_instead_of_a_folder_is_refused(home, tmp_path):
    target = tmp_path / "archivo.txt"
    target.write_text("x")
    with pytest.raises(TamboError) as error:
        BackupService(_session()).copy_to(target)
    assert str(target) in str(error.value)
    assert target.read_text() == "x"


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="file-size limits exist only on POSIX systems")
def test_copy_to_a_full_drive_leaves_no_partial_file(home, tmp_path):
    """The drive fills up in the middle of the copy (a file-size limit makes every write past 64 KiB fail)."""
    import resource

    usb = tmp_path / "usb-llena"
    usb.mkdir()
    audit_before = _db_state()[1]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        with pytest.raises(TamboError) as error:
            BackupService(_session()).copy_to(usb)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert str(usb) in str(error.value)
    assert _files(usb) == []
    assert _db_state()[1] == audit_before  # no audit line for a backup that was not made


@pytest.fixture
def small_drive(tmp_path):
    """A real, nearly full file system: a 256 KiB tmpfs (needs root and permission to mount)."""
    folder = tmp_path / "usb-pequena"
    folder.mkdir()
    if not _is_root() or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_copy_to_a_really_full_drive_says_so_and_leaves_nothing(home, small_drive):
    (small_drive / "fotos.bin").write_bytes(b"x" * 100_000)
    audit_before = _db_state()[1]
    with pytest.raises(TamboError) as error:
        BackupService(_session()).copy_to(small_drive)
    assert str(small_drive) in str(error.value)
    assert "espacio" in str(error.value)
    assert _files(small_drive) == ["fotos.bin"]
    assert _db_state()[1] == audit_before


# -- restore ----------------------------------------------------------------------------------------


def test_restore_brings_back_deleted_data_and_keeps_a_pre_restore_backup(home):
    admin = _session()
    saved = BackupService(admin).create()
    names = sorted(c.name for c in Community.select())
    leaders = Leader.select().count()
    service = CommunityService(admin)
    for community in Community.select().order_by(Community.id).limit(3):
        service.delete(community.id)
    assert Community.select().count() == 11
    previous = BackupService(admin).restore(saved.path)
    assert sorted(c.name for c in Community.select()) == names
    assert Leader.select().count() == leaders
    assert previous.kind == "pre-restore" and previous.verified and previous.path.exists()
    assert previous.counts["community"] == 11
    assert backup.verify_backup(previous.path).counts["community"] == 11
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (last.action, last.entity, last.username) == ("restore", "database", "prueba-admin")
    assert saved.path.name in last.summary and previous.path.name in last.summary
    assert verify_chain().ok
    db = current_database()
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    service.delete(Community.select().first().id)  # the application keeps working
    assert Community.select().count() == 13
    # a later backup the same day does not rotate the pre-restore backup away
    later = BackupService(admin).create()
    assert previous.path.exists() and later.path.exists()
    # and the pre-restore backup undoes the restore
    BackupService(admin).restore(previous.path)
    assert Community.select().count() == 11


def test_restore_needs_an_administrator(home):
    saved = backup.backup_now()
    state = _db_state()
    with pytest.raises(PermissionDenied):
        BackupService(_session("gestor")).restore(saved.path)
    assert _db_state() == state
    assert [i.kind for i in backup.list_backups()] == ["manual"]


def _damaged_files(tmp_path: Path, good: backup.BackupInfo) -> dict[str, Path]:
    folder = tmp_path / "malas"
    folder.mkdir()
    files = {}
    files["random"] = folder / "tambo-20250101-120000-manual.db"
    files["random"].write_bytes(os.urandom(200_000))
    data = good.path.read_bytes()
    files["truncated"] = folder / "cortada.db"
    files["truncated"].write_bytes(data[: len(data) // 2])
    # truncated in place, its manifest still beside it
    files["truncated-with-manifest"] = folder / good.path.name
    files["truncated-with-manifest"].write_bytes(data[: len(data) // 3])
    shutil.copyfile(good.manifest_path, folder / good.manifest_path.name)
    files["garbage-page"] = folder / "pagina-basura.db"
    files["garbage-page"].write_bytes(data[:8192] + os.urandom(4096) + data[12288:])
    other = folder / "otra-aplicacion.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE cosas (x)")
    conn.commit()
    conn.close()
    files["not-tambo"] = other
    files["empty"] = folder / "vacia.db"
    files["empty"].write_bytes(b"")
    files["missing"] = folder / "no-existe.db"
    return files


def test_restore_of_a_damaged_file_is_refused_and_changes_nothing(home, tmp_path):
    good = backup.backup_now()
    CommunityService(_session()).delete(Community.select().first().id)
    state = _db_state()
    live_backups = _files(paths.backups_dir())
    for label, path in _damaged_files(tmp_path, good).items():
        with pytest.raises(backup.InvalidBackup) as error:
            BackupService(_session()).restore(path)
        assert path.name in str(error.value), label
        assert _db_state() == state, label
        assert _files(paths.backups_dir()) == live_backups, label  # not even a pre-restore backup
    assert Community.select().count() == 13  # the open database still works
    with pytest.raises(backup.InvalidBackup):
        backup.verify_backup(tmp_path / "malas" / "cortada.db")


def test_restore_of_an_older_schema_is_migrated(home, tmp_path):
    old_url = f"sqlite:///{tmp_path / 'antigua.db'}"
    old = open_database(old_url, bind=False)
    migrations.migrate(old, target=3)
    old.close()
    with pytest.raises(backup.RestoreNeedsConfirmation) as refused:  # it holds no tambo: the administrator says yes
        BackupService(_session()).restore(tmp_path / "antigua.db")
    assert "ningún tambo" in str(refused.value)
    BackupService(_session()).restore(tmp_path / "antigua.db", confirmed=True)
    db = current_database()
    assert migrations.current_version(db) == migrations.LATEST_VERSION
    assert Community.select().count() == 0
    kinds = [i.kind for i in backup.list_backups()]
    assert "pre-restore" in kinds  # migrated as a separate file before it replaced the live data
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).first().action == "restore"


def test_restore_of_a_newer_schema_is_refused(home, tmp_path):
    newer = backup.backup_now(target_dir=tmp_path)
    copy = tmp_path / "nueva.db"
    shutil.copyfile(newer.path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'futuro', '2030-01-01')")
    conn.commit()
    conn.close()
    state = _db_state()
    with pytest.raises(backup.InvalidBackup) as error:
        BackupService(_session()).restore(copy)
    assert "99" in str(error.value)
    assert _db_state() == state


def test_restore_while_another_connection_reads(home):
    """Other connections (a worker thread, another window) see the old or the new data, never a mixture."""
    saved = backup.backup_now()
    CommunityService(_session()).delete(Community.select().first().id)
    reader = sqlite3.connect(paths.database_file(), timeout=10, check_same_thread=False)
    seen: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(reader.execute("SELECT COUNT(*) FROM community").fetchone()[0])

    thread = threading.Thread(target=read)
    thread.start()
    try:
        BackupService(_session()).restore(saved.path)
    finally:
        stop.set()
        thread.join()
    assert set(seen) <= {13, 14} and seen
    assert reader.execute("SELECT COUNT(*) FROM community").fetchone()[0] == 14
    assert reader.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    reader.close()


# -- PostgreSQL -------------------------------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


@pytest.fixture
def pg_url():
    """A throw-away PostgreSQL server of this test (as root it runs as postgres, else as the user)."""
    if pg_server.pg_bin_dir() is None or not _pg_bin("pg_restore"):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_restore): install postgresql-15")
    if _is_root() and not shutil.which("runuser"):
        pytest.skip("running as root without runuser to start the server as postgres")
    server = pg_server.PrivateServer()
    try:
        server.init()
        yield server.url()
    finally:
        close_database()
        server.remove()


def test_postgresql_backup_uses_pg_dump_and_restore_is_for_the_administrator(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    prepare(pg_url)
    create_demo()
    info = BackupService(_session()).create()
    assert info.path.suffix == ".dump" and info.kind == "manual" and info.verified
    assert info.counts["community"] == Community.select().count() == 14
    manifest = json.loads(info.manifest_path.read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql" and manifest["sha256"] == _sha(info.path)
    assert backup.verify_backup(info.path).verified
    listing = subprocess.run(
        [_pg_bin("pg_restore"), "--list", str(info.path)], capture_output=True, text=True, check=True
    )
    assert "TABLE DATA public community" in listing.stdout
    assert backup.list_backups() == [info]
    assert backup.auto_backup_if_due() is None  # the server has its own backups
    with pytest.raises(TamboError) as error:
        BackupService(_session()).restore(info.path)
    assert "pg_restore" in str(error.value)
