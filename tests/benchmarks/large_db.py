"""The benchmarks' demo databases: built once with the real CLI, cached, reused while they exist.

    from large_db import large_demo_database, working_copy
    db_file = large_demo_database()            # .../large-seed1-schema5-gen1/tambo.db (built if missing)
    home = db_file.parent                      # a TAMBO_HOME: accounts admin/gestor/oficina/supervisor, "tambo-demo"
    scratch = working_copy(db_file, tmp_dir)   # a private copy for anything that writes

The cache lives in ``$TAMBO_BENCH_CACHE`` (default ``/tmp/tambo-bench-cache``); its folder name carries
the size, seed, schema version and generator version, so a new schema or generator builds a new one.
Reading benchmarks open the cached file directly with ``open_database`` (no start-up backup);
anything that writes (the desk benchmark, the GUI) must use :func:`working_copy`, so the cache stays
as built. Run this file to build (or find) the database: ``.venv/bin/python tests/benchmarks/large_db.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Bump when demo_data.py changes what it generates, so cached databases are rebuilt.
GENERATOR_VERSION = 2  # 2: schema 18 came after 19 (a cache built at 19 lacks it)


def cache_root() -> Path:
    return Path(os.environ.get("TAMBO_BENCH_CACHE", "/tmp/tambo-bench-cache"))


def _schema_version() -> int:
    sys.path.insert(0, str(ROOT))
    from tambo_desktop.db.migrations import LATEST_VERSION

    return LATEST_VERSION


def large_demo_database(size: str = "large", seed: int = 1, verbose: bool = True) -> Path:
    """The path of the demo database of ``size`` and ``seed`` (``tambo.db`` in its own TAMBO_HOME)."""
    folder = cache_root() / f"{size}-seed{seed}-schema{_schema_version()}-gen{GENERATOR_VERSION}"
    db_file = folder / "tambo.db"
    if (folder / "COMPLETE").is_file() and db_file.is_file():
        return db_file
    building = folder.with_name(folder.name + f".building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    if verbose:
        print(f"building the {size} demo database (seed {seed}) in {folder} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(building), "demo", "--size", size, "--seed", str(seed)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    if result.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        raise RuntimeError(f"demo --size {size} failed:\n{result.stdout}\n{result.stderr}")
    elapsed = time.perf_counter() - started
    _checkpoint(building / "tambo.db")
    (building / "COMPLETE").write_text(f"{result.stdout}\nbuilt in {elapsed:.1f} s\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    if verbose:
        print(f"built in {elapsed:.1f} s: {result.stdout.strip()}", file=sys.stderr, flush=True)
    return db_file


def _checkpoint(db_file: Path) -> None:
    """Fold the WAL into the file, so a copy of the file alone is the whole database."""
    conn = sqlite3.connect(db_file)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def working_copy(db_file: Path, folder: Path) -> Path:
    """A private copy of ``db_file`` as ``folder/tambo.db`` (a TAMBO_HOME of its own), for benchmarks that write."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "tambo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _checkpoint(db_file)
    shutil.copyfile(db_file, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="Build (or find) a cached demo database for the benchmarks.")
    parser.add_argument("--size", default="large", choices=["small", "year", "large"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(large_demo_database(args.size, args.seed))


if __name__ == "__main__":
    main()
