"""Issue 15.4 (case 5): an audit trail that cannot be cut or rewritten quietly by someone who holds
only the database file: every column under an HMAC with the installation key, ids never reused,
and an anchor outside the table that lets ``check`` see a cut tail. Real SQLite files."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db import migrations
from tambo_desktop.db.connection import close_database, current_database, open_database
from tambo_desktop.db.models import AuditEntry, Community
from tambo_desktop.services import audit
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.health import run_checks
from tests.integration.sessions import admin_session as _session

ROOT = Path(__file__).resolve().parents[2]


def _raw(sql: str, params: tuple = ()) -> None:
    """A change made with plain sqlite3 on the file, as someone holding only the file would."""
    close_database()
    conn = sqlite3.connect(paths.database_file())
    conn.execute(sql, params)
    conn.commit()
    conn.close()
    open_database(paths.default_database_url())


def _end_check():
    checks = {c.name: c for c in run_checks(current_database())}
    return checks["Cadena de auditoría"], checks["Final de la auditoría"]


def test_new_lines_are_keyed_and_the_anchor_follows_each_commit(home):
    CommunityService(_session()).delete(Community.select().first().id)
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.scheme == audit.SCHEME
    anchor = json.loads(audit.anchor_file().read_text())
    assert anchor["head_id"] == last.id and anchor["head_hash"] == last.hash
    assert audit.anchor_file().parent == paths.database_file().parent
    chain, end = _end_check()
    assert chain.ok and end.ok


@pytest.mark.parametrize(
    "column,value",
    [("tambo_code", "OTRO"), ("uuid", "00000000-0000-0000-0000-000000000000"), ("at", "2020-01-01 00:00:00")],
)
def test_every_column_is_under_the_hash(home, column, value):
    _raw(f'UPDATE audit_entry SET "{column}" = ? WHERE id = (SELECT MIN(id) FROM audit_entry)', (value,))
    assert not audit.verify_chain().ok


@pytest.mark.parametrize("cut", ["1", "10", "half", "all"])
def test_a_cut_tail_is_seen_by_check(home, cut):
    for _n in range(12):  # enough lines to cut 10 of them
        CommunityService(_session()).delete(
            Community.select().order_by(Community.id.desc()).first().id
        ) if Community.select().count() > 2 else None
    total = AuditEntry.select().count()
    keep = {"1": total - 1, "10": total - 10, "half": total // 2, "all": 0}[cut]
    _raw("DELETE FROM audit_entry WHERE id NOT IN (SELECT id FROM audit_entry ORDER BY id LIMIT ?)", (keep,))
    chain, end = _end_check()
    assert chain.ok, "what is left still chains: only the anchor can see the cut"
    assert not end.ok and "faltan líneas" in end.detail


def test_ids_are_never_reused_after_a_cut(home):
    last_id = AuditEntry.select().order_by(AuditEntry.id.desc()).first().id
    _raw("DELETE FROM audit_entry WHERE id = ?", (last_id,))
    CommunityService(_session()).delete(Community.select().first().id)
    assert not AuditEntry.select().where(AuditEntry.id == last_id).exists(), "the cut line's id is not given again"
    assert AuditEntry.select().where(AuditEntry.id > last_id).count() >= 1


def _old_digest(
    prev: str, at: str, username: str, action: str, entity: str, record_uuid: str, summary: str, changes: str
) -> str:
    """The unkeyed hash anyone can read in audit.py (scheme 1)."""
    moment = at[:19].replace(" ", "T")
    payload = json.dumps(
        [prev, moment, username, action, entity, record_uuid, summary, changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_a_chain_recomputed_without_the_key_does_not_verify(home):
    """Edit a line, then recompute every hash with the public algorithm: without the key the keyed
    lines cannot be remade, and lines turned into scheme 1 after keyed ones are refused; turning the
    whole chain into scheme 1 is seen by the anchor."""
    close_database()
    conn = sqlite3.connect(paths.database_file())
    conn.execute("UPDATE audit_entry SET summary = 'reescrito' WHERE id = (SELECT MIN(id) FROM audit_entry)")
    prev = audit.GENESIS
    rows = conn.execute(
        "SELECT id, at, username, action, entity, record_uuid, summary, changes FROM audit_entry ORDER BY id"
    ).fetchall()
    for entry_id, at, username, action, entity, record_uuid, summary, changes in rows:
        digest = _old_digest(prev, at, username, action, entity, record_uuid, summary, changes)
        conn.execute(
            "UPDATE audit_entry SET prev_hash = ?, hash = ?, scheme = 1 WHERE id = ?", (prev, digest, entry_id)
        )
        prev = digest
    conn.commit()
    conn.close()
    open_database(paths.default_database_url())
    chain, end = _end_check()
    assert not end.ok, end.detail  # the head the anchor saw is not there any more
    assert "reescrib" in end.detail


def test_the_migration_keeps_the_old_chain_and_new_lines_are_keyed(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    url = paths.default_database_url()
    db = open_database(url)
    migrations.migrate(db, target=12)
    for n in range(3):  # lines as the previous version wrote them (scheme 1, unkeyed)
        last = db.execute_sql("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        prev = last[0] if last else audit.GENESIS
        at = f"2026-01-0{n + 1} 10:00:00"
        digest = _old_digest(prev, at, "antes", "create", "community", "", f"línea {n}", "")
        db.execute_sql(
            "INSERT INTO audit_entry (uuid, tambo_code, at, username, action, entity, record_uuid, summary, changes, prev_hash, hash) "
            "VALUES (?, 'T', ?, 'antes', 'create', 'community', '', ?, '', ?, ?)",
            (f"u{n}", at, f"línea {n}", prev, digest),
        )
    db.execute_sql("DELETE FROM audit_entry WHERE id = 3")  # a line cut before the upgrade: its id stays unused
    migrations.migrate(db)
    sql = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'audit_entry'").fetchone()[0]
    assert "AUTOINCREMENT" in sql
    assert audit.verify_chain().ok and audit.verify_chain().entries == 2
    with db.atomic():
        audit.append("T", "despues", "create", "community", summary="nueva")
    rows = db.execute_sql("SELECT id, scheme FROM audit_entry ORDER BY id").fetchall()
    assert rows == [(1, 1), (2, 1), (4, 2)] or rows == [(1, 1), (2, 1), (3, 2)]
    assert audit.verify_chain().ok
    close_database()


def test_cli_check_fails_on_a_cut_tail(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "TAMBO_LANG": "es"}
    env.pop(paths.HOME_ENV, None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tambo_desktop", "--home", str(home), *args],
                              capture_output=True, text=True, env=env, timeout=180, cwd=ROOT)  # fmt: skip

    assert cli("demo").returncode == 0
    assert cli("check").returncode == 0
    conn = sqlite3.connect(home / "tambo.db")
    conn.execute("DELETE FROM audit_entry WHERE id = (SELECT MAX(id) FROM audit_entry)")
    conn.commit()
    conn.close()
    check = cli("check")
    assert check.returncode == 1 and "[FALLA] Final de la auditoría" in check.stdout


def test_a_lost_wal_is_seen_by_check(tmp_path):
    """Issue 15.12 (case 13): saves confirmed before a crash whose WAL was then deleted are missing
    from the file; the anchor saw them, so ``check`` fails instead of staying green."""
    home = tmp_path / "home"
    env = {**os.environ, "TAMBO_LANG": "es", paths.HOME_ENV: str(home)}
    subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "demo"], env=env, check=True, capture_output=True, timeout=180, cwd=ROOT
    )
    crash = (
        "import os\n"
        "from tambo_desktop import paths\n"
        "from tambo_desktop.db.lifecycle import prepare\n"
        "from tambo_desktop.services.communities import CommunityForm, CommunityService\n"
        "from tambo_desktop.services.session import CurrentUser, Session, system_session\n"
        "prepare(paths.default_database_url(), daily_backup=False)\n"
        "admin = CurrentUser(id=0, username='prueba-admin', full_name='Prueba', role='admin', language='es')\n"
        "service = CommunityService(Session(admin, system_session().tambo_code))\n"
        "for n in range(3):\n"
        "    service.save(CommunityForm(name=f'Wila Qullu {n}', district='210102', kind='anexo', population='80'))\n"
        "os._exit(0)  # a crash: no checkpoint, the saves are only in the WAL\n"
    )
    subprocess.run([sys.executable, "-c", crash], env=env, check=True, capture_output=True, timeout=180, cwd=ROOT)
    wal = home / "tambo.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    wal.unlink()
    (home / "tambo.db-shm").unlink(missing_ok=True)
    check = subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "check"], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert check.returncode == 1, check.stdout
    assert "[FALLA] Final de la auditoría" in check.stdout and "faltan líneas" in check.stdout
