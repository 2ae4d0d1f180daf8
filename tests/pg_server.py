"""A PostgreSQL server of its own, started and stopped by a test or a benchmark (so stopping it
disturbs no other test). Needs the server binaries (postgresql-15); as root it runs as postgres."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live (Debian's versioned folder, or PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateServer:
    """A PostgreSQL server of this module alone, so stopping it disturbs no other test."""

    def __init__(self) -> None:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb) not found: install postgresql-15")
        self.bin = bin_dir
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="tambo-pg-faults-", dir="/tmp"))
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self.port = free_port()

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        subprocess.run([*prefix, *command], cwd=self.folder, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "tambo")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder} -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "tambo") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"
