"""Issue 15.3 (case 3): each backup's manifest carries an HMAC-SHA256 tag with the installation key
(kept in the data folder, 0600, outside the database file), over every manifest field and so over
the file's SHA-256; a restore says clearly when it does not match and goes ahead only when an
administrator confirms. Real SQLite files and real key files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db import keys
from tambo_desktop.db.models import AuditEntry, Community
from tambo_desktop.services.backups import BackupService, RestoreNeedsConfirmation
from tambo_desktop.services.communities import CommunityService
from tests.integration.sessions import admin_session as _session


def _names() -> list[str]:
    return sorted(c.name for c in Community.select())


def _edit(path: Path) -> None:
    """Change a name inside the backup behind the application's back (row counts stay the same)."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE community SET name = 'Cambiado a mano' WHERE id = (SELECT MIN(id) FROM community)")
    conn.commit()
    conn.close()


def _refused(path: Path, words: str) -> RestoreNeedsConfirmation:
    before = _names()
    with pytest.raises(RestoreNeedsConfirmation) as refused:
        BackupService(_session()).restore(path)
    assert words in str(refused.value), str(refused.value)
    assert _names() == before
    return refused.value


def test_the_key_lives_outside_the_database_owner_only_and_every_manifest_is_tagged(home):
    key_file = home / keys.KEY_FILE
    assert key_file.exists() and len(bytes.fromhex(key_file.read_text().strip())) == 32
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key_text = key_file.read_text().strip()
    assert key_text.encode() not in paths.database_file().read_bytes()
    saved = BackupService(_session()).create()
    manifest = json.loads(saved.manifest_path.read_text())
    assert len(manifest["tag"]) == 64 and manifest["key_id"] == keys.key_id()
    head = AuditEntry.get_by_id(manifest["audit_max_id"])  # the chain's head and count at the backup (issue 15.4)
    assert manifest["audit_head_hash"] == head.hash
    assert manifest["counts"]["audit_entry"] == AuditEntry.select().where(AuditEntry.id <= head.id).count()
    assert key_text.encode() not in saved.path.read_bytes() and key_text not in saved.manifest_path.read_text()
    assert backup.authenticity_problem(saved.path) is None
    CommunityService(_session()).delete(Community.select().first().id)
    BackupService(_session()).restore(saved.path)  # an authentic backup restores without a question
    assert Community.select().count() == 14


def test_an_edited_backup_whose_manifest_was_deleted_is_not_restored_quietly(home):
    saved = BackupService(_session()).create()
    _edit(saved.path)
    saved.manifest_path.unlink()
    _refused(saved.path, "manifiesto")


def test_an_edited_backup_with_a_recomputed_manifest_does_not_match_its_tag(home):
    saved = BackupService(_session()).create()
    _edit(saved.path)
    manifest = json.loads(saved.manifest_path.read_text())
    manifest["sha256"] = hashlib.sha256(saved.path.read_bytes()).hexdigest()  # what anyone can recompute
    manifest["size"] = saved.path.stat().st_size
    saved.manifest_path.write_text(json.dumps(manifest))
    backup.verify_backup(saved.path)  # the checksum alone is satisfied
    _refused(saved.path, "firma no coincide")
    del manifest["tag"]  # or the tag removed
    saved.manifest_path.write_text(json.dumps(manifest))
    _refused(saved.path, "No está firmada")


def test_an_edited_and_renamed_backup_is_not_restored_quietly(home, tmp_path):
    saved = BackupService(_session()).create()
    renamed = tmp_path / "tambo-20200101-000000-manual.db"
    shutil.copyfile(saved.path, renamed)
    _edit(renamed)
    _refused(renamed, "manifiesto")


def test_a_backup_of_another_installation_asks_and_the_confirmation_is_audited(home, tmp_path):
    saved = BackupService(_session()).create()
    key_file = home / keys.KEY_FILE
    key_file.write_text(os.urandom(32).hex() + "\n")  # this data folder reinstalled: a new key
    CommunityService(_session()).delete(Community.select().first().id)
    refused = _refused(saved.path, "otra instalación")
    assert "otra instalación" in refused.reasons[0]  # and its keyed audit lines cannot be checked here either
    BackupService(_session()).restore(saved.path, confirmed=True)
    assert Community.select().count() == 14
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "restore" and "otra instalación" in last.summary


def test_a_damaged_key_file_never_stops_a_backup_and_is_named(home):
    key_file = home / keys.KEY_FILE
    key_file.write_text("no es una clave\n")
    saved = backup.backup_now("manual")  # still made and verified, unsigned
    assert saved.verified and "tag" not in json.loads(saved.manifest_path.read_text())
    assert "No está firmada" in (backup.authenticity_problem(saved.path) or "")
