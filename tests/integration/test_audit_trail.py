"""The audit trail: who changed what (old → new), in the same transaction, and tampering shows."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tambo_desktop import paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import AuditEntry, Community
from tambo_desktop.demo.build import DEMO_PASSWORD, create_demo
from tambo_desktop.errors import ValidationError
from tambo_desktop.services import accounts
from tambo_desktop.services.audit import verify_chain
from tambo_desktop.services.communities import CommunityForm, CommunityService, LeaderForm
from tambo_desktop.services.session import Session


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    prepare(paths.default_database_url())
    create_demo()
    user = accounts.authenticate("gestor", DEMO_PASSWORD)
    yield Session(user, "DEMO-21-0102")
    close_database()


def test_create_update_delete_are_recorded_with_old_and_new_values(demo):
    service = CommunityService(demo)
    cid = service.save(CommunityForm(name="Wila Qullu", district="210102", kind="anexo", population="80"))
    service.save(CommunityForm(name="Wila Qullu", district="210102", kind="caserio", population="95"), cid)
    lid = service.save_leader(cid, LeaderForm(name="Eusebio Choque", role="otro", phone="951222333"))
    service.delete(cid)
    entries = list(AuditEntry.select().where(AuditEntry.username == "gestor").order_by(AuditEntry.id))
    actions = [(e.action, e.entity) for e in entries]
    assert actions[-5:] == [
        ("create", "community"),
        ("update", "community"),
        ("create", "leader"),
        ("delete", "leader"),
        ("delete", "community"),
    ]
    update = json.loads(entries[-4].changes)
    assert update == {"kind": ["anexo", "caserio"], "population": [80, 95]}
    deleted_leader = json.loads(entries[-2].changes)
    assert deleted_leader["name"] == ["Eusebio Choque", None] and deleted_leader["phone"] == ["951222333", None]
    assert lid and not Community.select().where(Community.id == cid).exists()
    assert verify_chain().ok


def test_a_refused_change_leaves_no_audit_line(demo):
    before = AuditEntry.select().count()
    with pytest.raises(ValidationError):
        CommunityService(demo).save(CommunityForm(name="", district="999999", kind="x"))
    assert AuditEntry.select().count() == before


def test_passwords_never_reach_the_trail(demo):
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), "DEMO-21-0102")
    service = accounts.AccountService(admin)
    uid = service.create(accounts.AccountForm("nuevo", "Nuevo Usuario", "staff", "una-clave-larga"))
    service.update(uid, accounts.AccountForm("nuevo", "Nuevo Usuario", "staff", "otra-clave-larga"))
    text = " ".join(e.changes for e in AuditEntry.select())
    assert "argon2" not in text and "una-clave-larga" not in text
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert json.loads(last.changes) == {"password_hash": ["***", "***"]}


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_entry SET summary = 'nada' WHERE id = 5",
        "DELETE FROM audit_entry WHERE id = 6",
        "UPDATE audit_entry SET username = 'otro', hash = hash WHERE id = 7",
    ],
)
def test_tampering_outside_the_application_is_detected_by_check(tmp_path, tamper):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = [sys.executable, "-m", "tambo_desktop", "--home", str(tmp_path)]
    assert subprocess.run([*run, "demo"], capture_output=True, env=env).returncode == 0
    assert subprocess.run([*run, "check"], capture_output=True, env=env).returncode == 0
    raw = sqlite3.connect(tmp_path / "tambo.db")
    raw.execute(tamper)
    raw.commit()
    raw.close()
    result = subprocess.run([*run, "check"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "Cadena de auditoría" in result.stdout and "alterada en la línea" in result.stdout
