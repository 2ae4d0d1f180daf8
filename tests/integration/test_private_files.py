"""Issue 15.8: on a shared PC the tambo's files are this account's only; exports follow the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import dates
from tests.cli_signin import signed

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_folder_database_wal_backups_manifests_and_logs_are_private(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "TAMBO_HOME": str(home)}
    old = os.umask(0o022)  # the usual umask of a shared PC
    try:
        subprocess.run([sys.executable, "-m", "tambo_desktop", "demo"], env=env, check=True, capture_output=True)
        args, stdin = signed(["backup"])  # as the demo's administrator
        subprocess.run(
            [sys.executable, "-m", "tambo_desktop", *args],
            input=stdin,
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
        export = tmp_path / "auditoria.csv"
        today = dates.today().isoformat()
        args, stdin = signed(["audit", "export", "--from", today, "--to", today, "--out", str(export)])
        subprocess.run(
            [sys.executable, "-m", "tambo_desktop", *args],
            input=stdin,
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
    finally:
        os.umask(old)
    folders = [home, home / "backups", home / "logs"]
    for folder in folders:
        assert _mode(folder) == 0o700, folder
    private = [home / "tambo.db", home / "logs" / "tambo.log", *(home / "backups").iterdir()]
    wal = home / "tambo.db-wal"
    if wal.exists():
        private.append(wal)
    assert any(p.name.endswith(".json") for p in private) or any("manifest" in p.name for p in private)
    for path in private:
        assert _mode(path) & 0o077 == 0, f"{path.name}: {oct(_mode(path))}"
    assert _mode(export) == 0o644, "an export the user asked for follows the usual permissions"


def test_an_existing_database_its_wal_and_each_rotated_log_become_private(tmp_path):
    import logging

    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.logs import PrivateRotatingFileHandler

    old = os.umask(0o022)
    try:
        db_file = tmp_path / "old.db"
        db_file.write_bytes(b"")
        os.chmod(db_file, 0o644)  # a database made by an earlier version, readable by every account
        db = open_database(f"sqlite:///{db_file}")
        db.execute_sql("CREATE TABLE t (x)")
        db.execute_sql("INSERT INTO t VALUES (1)")
        assert Path(f"{db_file}-wal").exists()
        for path in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
            assert _mode(path) == 0o600, f"{path.name}: {oct(_mode(path))}"
        close_database()

        log_file = tmp_path / "tambo.log"
        handler = PrivateRotatingFileHandler(log_file, maxBytes=200, backupCount=2, encoding="utf-8")
        record = logging.LogRecord("t", logging.INFO, __file__, 1, "x" * 150, (), None)
        for _ in range(5):  # several rollovers: every new file is owner-only too
            handler.emit(record)
        handler.close()
    finally:
        os.umask(old)
    logs = sorted(tmp_path.glob("tambo.log*"))
    assert len(logs) == 3
    for path in logs:
        assert _mode(path) == 0o600, f"{path.name}: {oct(_mode(path))}"
