"""Kill the process (SIGKILL) at random moments while it writes; nothing confirmed is lost,
nothing is half-written, and the database stays sound."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tambo_desktop import paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.demo.build import create_demo

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 25


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems")
def test_sigkill_while_writing_loses_nothing_confirmed(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    prepare(paths.default_database_url())
    create_demo()
    close_database()
    rng = random.Random(20261128)
    confirmed: list[str] = []
    killed_mid_write = 0
    for _ in range(ROUNDS):
        writer = subprocess.Popen(
            [sys.executable, str(WRITER)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, paths.HOME_ENV: str(tmp_path)},
        )
        # wait until it writes, then kill it at a random moment
        first = writer.stdout.readline()
        assert first.startswith("confirmed"), first
        confirmed.append(first.split(" ", 1)[1].strip())
        time.sleep(rng.uniform(0.0, 0.4))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
        lines = [line.split(" ", 1)[1].strip() for line in out.splitlines() if line.startswith("confirmed ")]
        confirmed += lines
        killed_mid_write += 1
    assert killed_mid_write == ROUNDS and len(confirmed) > ROUNDS

    db_file = tmp_path / "tambo.db"
    raw = sqlite3.connect(db_file)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    names = {n for (n,) in raw.execute("SELECT name FROM community WHERE name LIKE 'Crash %'")}
    missing = set(confirmed) - names
    assert not missing, f"{len(missing)} confirmed communities lost"
    # nothing half-written: every community has its two leaders and exactly one 'create' audit line
    bad = raw.execute(
        "SELECT c.name, COUNT(l.id) FROM community c LEFT JOIN leader l ON l.community_id = c.id "
        "WHERE c.name LIKE 'Crash %' GROUP BY c.id HAVING COUNT(l.id) != 2"
    ).fetchall()
    assert bad == []
    audited = raw.execute(
        "SELECT COUNT(*) FROM community c WHERE c.name LIKE 'Crash %' AND "
        "(SELECT COUNT(*) FROM audit_entry a WHERE a.record_uuid = c.uuid AND a.action = 'create') = 1"
    ).fetchone()[0]
    assert audited == len(names)
    raw.close()
    prepare(paths.default_database_url())
    from tambo_desktop.services.audit import verify_chain

    assert verify_chain().ok
    close_database()
