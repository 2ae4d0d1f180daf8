"""A damaged database at start-up: moved aside (never deleted), the newest backup offered and
restorable, from the services and from the command line."""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import dates, paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db.connection import close_database, current_database
from tambo_desktop.db.lifecycle import prepare, quick_check
from tambo_desktop.db.models import AuditEntry, Community
from tambo_desktop.errors import DamagedDatabase, TamboError
from tambo_desktop.services.audit import verify_chain
from tambo_desktop.services.backups import BackupService, recover_from_backup
from tests.cli_signin import signed
from tests.integration.sessions import admin_session as _session

ROOT = Path(__file__).resolve().parents[2]


def _garbage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = random.Random(1).randbytes(100)
    path.write_bytes(bytes(data))


def _garbage_pages(path: Path) -> None:
    """Overwrite four pages in the middle of the file, as a failing disk or a torn write would."""
    data = bytearray(path.read_bytes())
    middle = (len(data) // 2) // 4096 * 4096
    data[middle : middle + 4 * 4096] = random.Random(2).randbytes(4 * 4096)
    path.write_bytes(bytes(data))


def _community_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM community").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("damage", [_garbage_header, _garbage_pages], ids=["header", "middle-pages"])
def test_a_damaged_database_is_moved_aside_and_the_newest_backup_restores_it(home, damage):
    saved = BackupService(_session()).create()
    community = Community.select().first()
    community.delete_instance(recursive=True)  # a change after the backup: 13 communities now
    url = paths.default_database_url()
    db_file = paths.database_file()
    close_database()
    damage(db_file)
    Path(f"{db_file}-wal").write_bytes(b"restos de un registro de escritura")  # a WAL left by a power cut
    damaged_bytes = db_file.read_bytes()
    assert quick_check(db_file) is not None

    with pytest.raises(DamagedDatabase) as caught:
        prepare(url)
    error = caught.value
    # nothing deleted: the damaged file and its WAL are kept, under a new name
    assert not db_file.exists() and not Path(f"{db_file}-wal").exists()
    assert error.moved_to.parent == db_file.parent
    assert error.moved_to.name.startswith("tambo.db.damaged-")
    assert error.moved_to.read_bytes() == damaged_bytes
    assert Path(f"{error.moved_to}-wal").read_bytes() == b"restos de un registro de escritura"
    # the message says what happened, where the file went and which backup can be restored
    assert error.newest_backup is not None and error.newest_backup.path == saved.path
    message = str(error)
    assert error.moved_to.name in message and saved.path.name in message and str(db_file) in message
    assert isinstance(error, TamboError)

    recover_from_backup(url, error.newest_backup.path)
    assert db_file.exists() and quick_check(db_file) is None
    assert Community.select().count() == saved.counts["community"] == 14
    db = current_database()
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "restore" and saved.path.name in last.summary
    assert verify_chain().ok
    assert error.moved_to.exists()  # still there after the recovery
    close_database()
    prepare(url)  # and the next start is a normal one
    assert Community.select().count() == 14


def test_the_newest_verified_backup_is_offered_not_an_unverified_one(home):
    verified = backup.backup_now(now=dt.datetime(2025, 5, 1, 12, 0, 0))
    newer = backup.backup_now(now=dt.datetime(2025, 5, 2, 12, 0, 0))
    newer.manifest_path.unlink()  # lost its manifest: not verified any more
    url = paths.default_database_url()
    close_database()
    _garbage_header(paths.database_file())
    with pytest.raises(DamagedDatabase) as caught:
        prepare(url)
    assert caught.value.newest_backup.path == verified.path
    assert verified.path.name in str(caught.value)


def test_a_damaged_database_without_backups_is_kept_and_said_so(home):
    url = paths.default_database_url()
    close_database()
    _garbage_pages(paths.database_file())
    with pytest.raises(DamagedDatabase) as caught:
        prepare(url)
    error = caught.value
    assert error.newest_backup is None
    assert error.moved_to.exists()
    assert str(paths.backups_dir()) in str(error) and error.moved_to.name in str(error)
    assert backup.list_backups() == []


def test_recovery_refuses_a_damaged_backup_and_writes_nothing(home, tmp_path):
    url = paths.default_database_url()
    close_database()
    _garbage_header(paths.database_file())
    with pytest.raises(DamagedDatabase):
        prepare(url)
    junk = tmp_path / "basura.db"
    junk.write_bytes(os.urandom(50_000))
    with pytest.raises(backup.InvalidBackup) as caught:
        recover_from_backup(url, junk)
    assert junk.name in str(caught.value)
    assert sorted(p.name for p in paths.home().iterdir() if p.name.startswith("tambo.db")) == [
        p.name for p in paths.home().iterdir() if p.name.startswith("tambo.db.damaged-")
    ]


def test_recovery_does_not_overwrite_a_database_in_use(home):
    saved = backup.backup_now()
    with pytest.raises(TamboError):
        recover_from_backup(paths.default_database_url(), saved.path)
    assert Community.select().count() == 14


def test_a_sound_database_is_not_touched(home):
    close_database()
    before = sorted(p.name for p in paths.home().iterdir())
    prepare(paths.default_database_url())
    assert not [p for p in paths.home().iterdir() if ".damaged-" in p.name]
    assert {p.name for p in paths.home().iterdir()} >= set(before) - {"tambo.db-wal", "tambo.db-shm"}


# -- the command line ---------------------------------------------------------------------------------


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    env = {**os.environ, "TAMBO_LANG": "es", "QT_QPA_PLATFORM": "offscreen"}
    env.pop(paths.HOME_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=ROOT,
    )


def test_cli_backup_restore_and_audit_export(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "demo").returncode == 0

    made = _cli(home, "backup")
    assert made.returncode == 0, made.stderr
    saved = next(p for p in (home / "backups").glob("tambo-*-manual.db"))
    assert str(saved) in made.stdout and "community: 14" in made.stdout

    usb = tmp_path / "usb"
    usb.mkdir()
    copied = _cli(home, "backup", "--to", str(usb))
    assert copied.returncode == 0, copied.stderr
    assert len(list(usb.glob("tambo-*-usb.db"))) == 1 and len(list(usb.glob("tambo-*-usb.db.json"))) == 1
    missing = _cli(home, "backup", "--to", str(tmp_path / "no-hay-usb"))
    assert missing.returncode == 1 and str(tmp_path / "no-hay-usb") in missing.stderr
    assert not (tmp_path / "no-hay-usb").exists()

    conn = sqlite3.connect(home / "tambo.db")  # data lost by mistake
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM campaign")  # the next campaign (its letters, links and tasks cascade)
    conn.execute("DELETE FROM enrollment")  # the demo's trainings enrol its people (attendance cascades)
    conn.execute("DELETE FROM attention")  # the demo's people and atenciones live in its communities
    conn.execute("DELETE FROM person")
    conn.execute("DELETE FROM leader")
    conn.execute("DELETE FROM intervention")  # visits to the communities (links and history cascade)
    conn.execute("DELETE FROM trip")  # the gestores' trips (their stops cascade) and the diagnostics
    conn.execute("DELETE FROM diagnostic")
    conn.execute("DELETE FROM community")
    conn.commit()
    conn.close()
    restored = _cli(home, "restore", str(saved))
    assert restored.returncode == 0, restored.stderr
    assert saved.name in restored.stdout and "pre-restore" in restored.stdout
    assert _community_count(home / "tambo.db") == 14

    junk = tmp_path / "basura.db"
    junk.write_bytes(os.urandom(20_000))
    refused = _cli(home, "restore", str(junk))
    assert refused.returncode == 2 and "basura.db" in refused.stderr
    assert _community_count(home / "tambo.db") == 14

    today = dates.today().isoformat()
    out = tmp_path / "auditoria.csv"
    exported = _cli(home, "audit", "export", "--from", "2020-01-01", "--to", today, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert ",restore,database," in text and ",create,community," in text
    xlsx = tmp_path / "auditoria.xlsx"
    assert _cli(home, "audit", "export", "--from", "2020-01-01", "--to", today, "--out", str(xlsx)).returncode == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    bad = _cli(home, "audit", "export", "--from", "2025-13-01", "--to", today, "--out", str(out))
    assert bad.returncode == 2 and "2025-13-01" in bad.stderr
    backwards = _cli(home, "audit", "export", "--from", today, "--to", "2020-01-01", "--out", str(out))
    assert backwards.returncode == 2


def test_cli_with_a_damaged_database(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "demo").returncode == 0
    assert _cli(home, "backup").returncode == 0
    saved = next((home / "backups").glob("tambo-*-manual.db"))
    _garbage_header(home / "tambo.db")

    check = _cli(home, "check")
    assert check.returncode == 1
    (moved,) = [p for p in home.glob("tambo.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert moved.name in check.stderr and saved.name in check.stderr
    assert not (home / "tambo.db").exists()

    recovered = _cli(home, "restore", str(saved))  # the file was moved aside: recovery
    assert recovered.returncode == 0, recovered.stderr
    assert _community_count(home / "tambo.db") == 14
    assert _cli(home, "check").returncode == 0

    _garbage_pages(home / "tambo.db")  # damaged again, and restore is the first verb run
    again = _cli(home, "restore", str(saved))
    assert again.returncode == 0, again.stderr
    assert "damaged" in again.stderr
    assert len([p for p in home.glob("tambo.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]) == 2
    assert _community_count(home / "tambo.db") == 14
    assert _cli(home, "check").returncode == 0


@pytest.mark.parametrize("how", ["moved-away", "zero-bytes"])
def test_a_missing_or_empty_database_where_a_tambo_lived_is_damage_not_a_new_install(home, how):
    """Issue 15.1: the folder's marker remembers the tambo; the backup is offered at every start."""
    saved = BackupService(_session()).create()
    url = paths.default_database_url()
    db_file = paths.database_file()
    close_database()
    if how == "moved-away":
        db_file.rename(db_file.with_name("otro-nombre.db"))
    else:
        db_file.write_bytes(b"")
    for _attempt in range(2):  # the first start and the next one: never a silent empty tambo
        with pytest.raises(DamagedDatabase) as caught:
            prepare(url)
        assert caught.value.newest_backup is not None and caught.value.newest_backup.path == saved.path
        assert saved.path.name in str(caught.value)
        assert not db_file.exists()
    if how == "zero-bytes":
        assert list(db_file.parent.glob("tambo.db.damaged-*")), "the empty file is kept, never deleted"
    recover_from_backup(url, caught.value.newest_backup.path)
    assert Community.select().count() == saved.counts["community"]
    close_database()
    prepare(url)
    assert Community.select().count() == saved.counts["community"]


# -- issue 15.1 / case 9: every integrity failure, whatever its bytes, leads to the same recovery --------


def _break_an_index(path: Path, bad_name: bool = False) -> str:
    """Point an index of ``community`` at another column behind SQLite's back: the file passes
    ``quick_check`` while searches through that index give wrong answers (``integrity_check`` sees it).
    With ``bad_name`` the index is also renamed to bytes that are not UTF-8 (SQLite's messages then hold them)."""
    conn = sqlite3.connect(path)
    try:
        name = "community_name_key"  # the search by name of the communities page
        new_sql = f'CREATE INDEX "{name}" ON "community" ("uuid")'
        conn.execute("PRAGMA writable_schema = ON")
        if bad_name:
            conn.execute(
                "UPDATE sqlite_master SET sql = ?, name = CAST(X'706572736f6eff' AS TEXT) WHERE name = ?",
                (new_sql, name),
            )
        else:
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (new_sql, name))
        conn.commit()
    finally:
        conn.close()
    return name


def test_a_broken_index_passes_quick_check_but_not_the_start_up_check(home, monkeypatch):
    from tambo_desktop.db import lifecycle

    saved = BackupService(_session()).create()
    url = paths.default_database_url()
    db_file = paths.database_file()
    close_database()
    index = _break_an_index(db_file)
    assert quick_check(db_file) is None, "quick_check does not compare indexes with their tables"
    assert index in (quick_check(db_file, thorough=True) or "")

    monkeypatch.setattr(lifecycle, "THOROUGH_START_BYTES", 0)  # a large file: quick_check only at start
    prepare(url, daily_backup=False)
    close_database()
    with pytest.raises(DamagedDatabase) as caught:  # what ``check`` and ``--self-test`` run
        prepare(url, thorough=True)
    assert caught.value.newest_backup is not None and caught.value.newest_backup.path == saved.path
    assert index in str(caught.value)

    recover_from_backup(url, saved.path)
    close_database()
    monkeypatch.setattr(lifecycle, "THOROUGH_START_BYTES", 32 * 1024 * 1024)  # the real threshold
    _break_an_index(db_file)
    with pytest.raises(DamagedDatabase):  # a file of a usual size: the start itself sees it
        prepare(url)
    assert len([p for p in db_file.parent.glob("tambo.db.damaged-*") if not p.name.endswith(("-wal", "-shm"))]) == 2


def test_a_report_in_bytes_that_are_not_utf8_is_damage_not_a_traceback(home):
    saved = BackupService(_session()).create()
    url = paths.default_database_url()
    db_file = paths.database_file()
    close_database()
    _break_an_index(db_file, bad_name=True)
    for thorough in (False, True):
        reason = quick_check(db_file, thorough=thorough)
        assert reason is not None and "\ufffd" in reason
    with pytest.raises(DamagedDatabase) as caught:
        prepare(url)
    assert caught.value.newest_backup.path == saved.path


@pytest.mark.parametrize("bad_name", [False, True], ids=["broken-index", "non-utf8-report"])
def test_check_and_self_test_agree_on_a_damaged_file(tmp_path, bad_name):
    import shutil

    home = tmp_path / "home"
    assert _cli(home, "demo").returncode == 0
    assert _cli(home, "backup").returncode == 0
    saved = next((home / "backups").glob("tambo-*-manual.db"))
    _break_an_index(home / "tambo.db", bad_name)
    copy = tmp_path / "copy"
    shutil.copytree(home, copy)

    check = _cli(home, "check")
    assert check.returncode == 1
    assert "Traceback" not in check.stderr + check.stdout
    assert saved.name in check.stderr
    assert list(home.glob("tambo.db.damaged-*")) and not (home / "tambo.db").exists()
    again = _cli(home, "check")  # and at the next run too, never a new empty tambo
    assert again.returncode == 1 and saved.name in again.stderr

    selftest = _cli(copy, "--self-test")  # never hangs on a dialog; says the same
    assert selftest.returncode == 1, selftest.stdout + selftest.stderr
    assert "Traceback" not in selftest.stderr and saved.name in selftest.stderr
    assert "self-test ok" not in selftest.stdout
