"""Shared fixtures: a private data folder, real SQLite files and a real PostgreSQL 15 server.

The PostgreSQL server is started once per test session (``initdb`` + ``pg_ctl``) on
127.0.0.1 and a free port — under pytest-xdist once per worker, each with its own data folder — and
every test that asks for it gets a fresh database, copied from a template prepared once.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ADMIN_PASSWORD = "clave-segura-1"
TAMBO_CODE = "TB-210102"
BACKENDS = ["sqlite", "postgresql"]
PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)

# Argon2id with the smallest parameters in this test run and in the processes it starts (the CLI, the
# bundle): a hash or a check costs 0.1-0.4 s with the real ones, and the suite makes thousands.
# tambo_desktop.services.accounts honours it only under pytest (PYTEST_VERSION set too);
# tests/unit/test_accounts.py checks that the application hashes with the real parameters otherwise.
os.environ["TAMBO_TEST_CHEAP_PASSWORD_HASHING"] = "1"


# -- data folder and language ---------------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A private TAMBO_HOME for this test (database, backups, logs)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("TAMBO_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _leave_no_trace():
    """Every test leaves no database bound and the interface back in the source language."""
    yield
    from tambo_desktop import i18n
    from tambo_desktop.db.connection import close_database

    close_database()
    if i18n.current_language() != i18n.DEFAULT_LANGUAGE:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


# -- PostgreSQL server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str = "postgres"

    def url(self, name: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{name}"

    def admin(self):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True)

    def create_database(self, template: str | None = None) -> str:
        name = f"tambo_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_bin_dir() -> Path | None:
    candidates = list(PG_BIN_DIRS)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb) not found: install postgresql-15")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="tambo-pg-", dir="/tmp"))
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"

    def run(*command: str) -> None:
        # cwd: the postgres user may not be allowed into the caller's working directory
        subprocess.run([*prefix, *command], cwd=folder, check=True, capture_output=True, timeout=120)

    def start() -> int:
        # Each pytest-xdist worker starts a server of its own; a free port taken by another worker
        # between _free_port() and the server's bind is retried with another one.
        for attempt in range(3):
            port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "-t", "60", "start")  # fmt: skip
                return port
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip
        port = start()
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL test server did not start: {exc.stderr.decode(errors='replace')}")
    try:
        yield PostgresServer("127.0.0.1", port)
    finally:
        try:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty PostgreSQL database (dropped after the test)."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    from tambo_desktop.db.connection import close_database

    close_database()
    postgres_server.drop_database(name)


# -- databases on both engines --------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_template(postgres_server) -> str:
    """A database migrated and filled with reference data once per session, copied by ``db_url``."""
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database

    name = postgres_server.create_database()
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as folder:
        patch.setenv("TAMBO_HOME", folder)  # never the user's real data folder
        lifecycle.prepare(postgres_server.url(name))
        close_database()  # CREATE DATABASE ... TEMPLATE needs it without connections
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated and filled with reference data once per session (per xdist worker):
    ``make_url(prepared=True)`` copies it instead of migrating and loading 1,874 districts again."""
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database

    folder = tmp_path_factory.mktemp("sqlite-template")
    file = folder / "template.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TAMBO_HOME", str(folder / "home"))  # never the user's real data folder
        lifecycle.prepare(f"sqlite:///{file}")
        close_database()  # the last connection closed: the WAL is checkpointed into the file
    for extra in ("-wal", "-shm"):
        assert not Path(f"{file}{extra}").exists(), "the template must be one self-contained file"
    return file


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database engine of this test: every integration test runs on SQLite and on PostgreSQL."""
    return request.param


@pytest.fixture
def make_url(request, backend, home, tmp_path):
    """A factory of new databases on this test's engine: ``make_url()`` is empty,
    ``make_url(prepared=True)`` already holds the current schema and reference data (a copy of the
    session's template database: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL)."""
    created: list[str] = []
    counter = itertools.count(1)
    server = request.getfixturevalue("postgres_server") if backend == "postgresql" else None

    def make(prepared: bool = False) -> str:
        if server is None:
            n = next(counter)
            file = tmp_path / ("tambo.db" if n == 1 else f"tambo-{n}.db")
            if prepared:
                shutil.copyfile(request.getfixturevalue("sqlite_template"), file)
            return f"sqlite:///{file}"
        template = request.getfixturevalue("postgres_template") if prepared else None
        name = server.create_database(template)
        created.append(name)
        return server.url(name)

    yield make
    from tambo_desktop.db.connection import close_database

    close_database()
    for name in created:
        server.drop_database(name)


@pytest.fixture
def empty_url(make_url) -> str:
    """An empty database (nothing created yet), on SQLite and on PostgreSQL."""
    return make_url()


@pytest.fixture
def db_url(make_url):
    """A fresh database brought to the current schema with its reference data (both engines): a copy
    of the session's template, on which ``lifecycle.prepare`` then finds nothing left to migrate."""
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database

    url = make_url(prepared=True)
    lifecycle.prepare(url)
    yield url
    close_database()


@pytest.fixture
def db(db_url):
    from tambo_desktop.db.connection import current_database

    return current_database()


def initialize_tambo(password: str = ADMIN_PASSWORD, code: str = TAMBO_CODE):
    """Set up the tambo of the tests (district 210102, Acora) and return the admin's Session."""
    from tambo_desktop.services import setup
    from tambo_desktop.services.accounts import AccountForm
    from tambo_desktop.services.session import Session

    profile = setup.TamboProfile(
        name="Tambo Ccopamaya",
        code=code,
        district_code="210102",
        centro_poblado="Ccopamaya",
        altitude_m="3860",
    )
    admin = setup.initialize(profile, AccountForm("admin", "Rosa Quispe Mamani", "admin", password, "es"))
    return Session(admin, code)


@pytest.fixture
def admin_session(db_url):
    """An initialised tambo and the Session of its administrator."""
    return initialize_tambo()


@pytest.fixture
def make_tambo():
    """``make_tambo()`` initialises the tambo of the bound database and returns the admin's Session."""
    return initialize_tambo


# -- the order of the test files, for pytest-xdist ----------------------------------------------------
#
# dev.sh runs ``-n 2 --dist loadfile --no-loadscope-reorder``: each worker takes whole files, the next
# file in collection order as it finishes one. xdist's own reorder puts the files with the most tests
# first, which left the slowest files of one or three tests (the pip install in a fresh venv, the
# PyInstaller bundle, the X11 screen test) at the very end, one worker busy alone with them.
# Here the files go slowest first (longest-processing-time first), by the seconds each one took in
# the last run (kept in .pytest_cache); a file never timed counts its tests, a "slow" one first.

_MODULE_SECONDS = "tambo/module-seconds"


def _module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    cache = getattr(config, "cache", None)
    known: dict = cache.get(_MODULE_SECONDS, {}) if cache is not None else {}
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(_module_of(item.nodeid), []).append(item)

    def weight(module: str) -> float:
        tests = modules[module]
        if module in known:
            return float(known[module])
        return len(tests) * 0.5 + (1000.0 if any(t.get_closest_marker("slow") for t in tests) else 0.0)

    order = sorted(modules, key=lambda module: -weight(module))  # stable: ties keep collection order
    items[:] = [item for module in order for item in modules[module]]


_seconds_this_run: dict[str, float] = {}


def pytest_runtest_logreport(report):
    module = _module_of(report.nodeid)
    _seconds_this_run[module] = _seconds_this_run.get(module, 0.0) + report.duration


def pytest_sessionfinish(session):
    config = session.config
    cache = getattr(config, "cache", None)
    if cache is None or hasattr(config, "workerinput") or not _seconds_this_run:
        return  # under xdist the controller, which sees every worker's reports, keeps the times
    known = dict(cache.get(_MODULE_SECONDS, {}))
    known.update({module: round(seconds, 2) for module, seconds in _seconds_this_run.items()})
    cache.set(_MODULE_SECONDS, known)
