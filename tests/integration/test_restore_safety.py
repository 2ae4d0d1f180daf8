"""Issue 15.2: a restore is all or nothing, and a backup of another tambo or with a broken audit
trail needs an administrator's explicit confirmation (audited). Real SQLite files throughout."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db import migrations
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import AuditEntry, Community
from tambo_desktop.services.audit import verify_chain
from tambo_desktop.services.backups import BackupService, RestoreNeedsConfirmation, recover_from_backup
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.session import system_session
from tests.cli_signin import signed
from tests.integration.sessions import admin_session as _session

ROOT = Path(__file__).resolve().parents[2]


def _state() -> tuple[str, ...]:
    """What a user would see of the live database: every table's rows, read with plain sqlite3."""
    conn = sqlite3.connect(paths.database_file())
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return tuple(
            f"{t}:{conn.execute(f'SELECT * FROM {chr(34)}{t}{chr(34)} ORDER BY 1').fetchall()}" for t in tables
        )
    finally:
        conn.close()


def _backups() -> list[str]:
    return sorted(p.name for p in paths.backups_dir().iterdir())


def _only_schema_version(path: Path) -> Path:
    """A SQLite file that passes every check of a backup file but holds no tambo tables at all."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER, name TEXT, applied_at TEXT)")
    conn.execute("INSERT INTO schema_version VALUES (?, 'all', '2026-01-01')", (migrations.LATEST_VERSION,))
    conn.commit()
    conn.close()
    return path


def _edited_copy(saved: backup.BackupInfo, target: Path, sql: str) -> Path:
    """A copy of ``saved`` changed with ``sql`` behind the application's back (no manifest)."""
    shutil.copyfile(saved.path, target)
    conn = sqlite3.connect(target)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return target


def test_a_file_that_verifies_but_cannot_be_prepared_leaves_the_live_database_untouched(home, tmp_path):
    CommunityService(_session()).delete(Community.select().first().id)
    before, files = _state(), _backups()
    bad = _only_schema_version(tmp_path / "solo-esquema.db")
    backup.check_restorable(bad)  # it passes the file checks: the old code put it in place
    with pytest.raises(backup.InvalidBackup) as refused:
        BackupService(_session()).restore(bad)
    message = str(refused.value)
    assert bad.name in message and "no se tocó" in message
    assert _state() == before and _backups() == files  # not even a pre-restore copy
    assert not list(paths.home().glob(".tambo.db.restore-candidate*"))
    assert Community.select().count() == 13  # the open database keeps working
    close_database()
    prepare(paths.default_database_url())  # and the next start is a normal one
    assert Community.select().count() == 13


def test_a_backup_whose_migration_fails_is_refused_before_anything_changes(home, tmp_path):
    broken = tmp_path / "v3-sin-tablas.db"
    old = sqlite3.connect(broken)
    old.execute("CREATE TABLE schema_version (version INTEGER, name TEXT, applied_at TEXT)")
    old.execute("INSERT INTO schema_version VALUES (3, 'user language', '2025-01-01')")
    old.commit()
    old.close()
    before = _state()
    with pytest.raises(backup.InvalidBackup) as refused:
        BackupService(_session()).restore(broken)
    assert "no se pudo preparar" in str(refused.value)
    assert _state() == before


def test_recovery_of_an_unpreparable_file_writes_nothing_where_the_database_was(home, tmp_path):
    url = paths.default_database_url()
    db_file = paths.database_file()
    close_database()
    db_file.rename(tmp_path / "apartada.db")
    bad = _only_schema_version(tmp_path / "solo-esquema.db")
    with pytest.raises(backup.InvalidBackup):
        recover_from_backup(url, bad)
    assert not db_file.exists()
    assert not list(db_file.parent.glob(".tambo.db.restore-candidate*"))


def test_a_backup_of_another_tambo_needs_an_explicit_confirmation_and_is_audited(home, tmp_path):
    saved = BackupService(_session()).create()
    other = _edited_copy(saved, tmp_path / "otro-tambo.db", "UPDATE tambo SET code = 'TAMBO-OTRO'")
    CommunityService(_session()).delete(Community.select().first().id)
    before, files = _state(), _backups()
    with pytest.raises(RestoreNeedsConfirmation) as refused:
        BackupService(_session()).restore(other)
    assert "TAMBO-OTRO" in str(refused.value) and system_session().tambo_code in str(refused.value)
    assert _state() == before and _backups() == files
    BackupService(_session()).restore(other, confirmed=True)
    assert Community.select().count() == 14
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "restore" and last.username == "prueba-admin"
    assert "Confirmado por el administrador" in last.summary and "TAMBO-OTRO" in last.summary


def test_a_backup_whose_audit_trail_was_edited_needs_a_confirmation(home, tmp_path):
    saved = BackupService(_session()).create()
    edited = _edited_copy(
        saved,
        tmp_path / "editada.db",
        "UPDATE audit_entry SET summary = 'nada que ver' WHERE id = (SELECT MIN(id) FROM audit_entry)",
    )
    before = _state()
    with pytest.raises(RestoreNeedsConfirmation) as refused:
        BackupService(_session()).restore(edited)
    assert "auditoría no se verifica" in str(refused.value)
    assert _state() == before
    BackupService(_session()).restore(edited, confirmed=True)
    assert not verify_chain().ok  # what was confirmed: the trail of the restored copy is broken
    assert "auditoría no se verifica" in AuditEntry.select().order_by(AuditEntry.id.desc()).first().summary


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    env = {**os.environ, "TAMBO_LANG": "es"}
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


def test_cli_restore_refuses_without_confirm_and_never_leaves_an_unusable_tambo(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "demo").returncode == 0
    assert _cli(home, "backup").returncode == 0
    saved = next((home / "backups").glob("tambo-*-manual.db"))
    bad = _only_schema_version(tmp_path / "solo-esquema.db")
    refused = _cli(home, "restore", str(bad))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and bad.name in refused.stderr
    assert _cli(home, "check").returncode == 0
    other = tmp_path / "otro.db"
    shutil.copyfile(saved, other)
    conn = sqlite3.connect(other)
    conn.execute("UPDATE tambo SET code = 'TAMBO-OTRO'")
    conn.commit()
    conn.close()
    asked = _cli(home, "restore", str(other))
    assert asked.returncode == 1 and "--confirm" in asked.stderr and "TAMBO-OTRO" in asked.stderr
    done = _cli(home, "restore", str(other), "--confirm")
    assert done.returncode == 0, done.stderr
    assert _cli(home, "check").returncode == 0
