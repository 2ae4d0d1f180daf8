"""Faults a tambo PC meets: a full disk, a folder that cannot be written, an unreachable
server. Each gives a clear message and loses nothing; logs never hold personal data."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop.demo.build import DEMO_PASSWORD
from tests.cli_signin import signed

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def cli(
    home: Path, *args: str, stdin: str = "", user: str = "admin", password: str = DEMO_PASSWORD
) -> subprocess.CompletedProcess:
    args, stdin = signed(args, stdin, user, password)  # type: ignore[assignment]
    return subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAMBO_LANG": "es"},
    )


def _big_file(path: Path, rows: int) -> Path:
    lines = ["centro_poblado,ubigeo,tipo,poblacion,notas,lider_nombre,lider_cargo,lider_telefono"]
    for i in range(rows):
        lines.append(f"Comunidad {i},210102,anexo,{100 + i},{'nota larga ' * 30},Dirigente {i},otro,9{i:08d}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _mount(*args: str) -> None:
    made = subprocess.run(["mount", *args], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount here ({' '.join(args)}): {made.stderr.decode().strip()}")


@pytest.fixture
def tiny_disk(tmp_path):
    """An 8 MB file system (tmpfs), so that a full disk can really happen (6 MB was just enough for the
    demo before its rows were sealed: its WAL at its largest then filled the disk)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root (the tests run as an ordinary account)")
    mount = tmp_path / "disk"
    mount.mkdir()
    _mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount))
    mounted = [mount]
    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def read_only(path: Path) -> None:
    """Make ``path`` (a file, or the whole small disk) really read-only: a read-only bind mount of the
    file, or the tmpfs remounted read-only. Root ignores file modes, a read-only mount it cannot."""
    if path.is_dir():
        _mount("-o", "remount,ro", str(path))
    else:
        _mount("--bind", str(path), str(path))
        _mount("-o", "remount,bind,ro", str(path))


def writable(path: Path) -> None:
    if path.is_dir():
        subprocess.run(["mount", "-o", "remount,rw", str(path)], check=True)
    else:
        subprocess.run(["umount", str(path)], check=True)


def test_full_disk_during_import_says_so_and_loses_nothing(tiny_disk, tmp_path):
    home = tiny_disk / "home"
    assert cli(home, "demo").returncode == 0
    before = sqlite3.connect(home / "tambo.db").execute("SELECT COUNT(*) FROM community").fetchone()[0]
    filler = tiny_disk / "filler"
    free = shutil.disk_usage(tiny_disk).free
    filler.write_bytes(b"\0" * max(0, free - 150_000))
    result = cli(home, "import", "communities", str(_big_file(tmp_path / "grande.csv", 3000)))
    assert result.returncode != 0
    assert "El disco está lleno: no se guardó nada." in result.stderr
    assert "Traceback" not in result.stderr
    filler.unlink()
    raw = sqlite3.connect(home / "tambo.db")
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT COUNT(*) FROM community").fetchone()[0] == before
    raw.close()
    assert cli(home, "check").returncode == 0


def test_export_to_a_folder_that_cannot_be_written(tmp_path):
    home = tmp_path / "home"
    assert cli(home, "demo").returncode == 0
    blocker = tmp_path / "not-a-folder.txt"
    blocker.write_text("x")
    result = cli(home, "export", "communities", "--format", "csv", "--out", str(blocker / "c.csv"))
    assert result.returncode == 1
    assert "No se puede escribir" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_postgresql_server_is_explained(tmp_path):
    result = cli(tmp_path, "--db", "postgresql://postgres@127.0.0.1:9/tambo", "check")
    assert result.returncode == 1
    assert "No se puede conectar con el servidor PostgreSQL 127.0.0.1:9/tambo" in result.stderr
    assert "Traceback" not in result.stderr


def test_logs_hold_no_document_phone_or_password(tmp_path):
    home = tmp_path / "home"
    password = "Clave-Secreta-2026"
    made = cli(
        home,
        "init",
        "--tambo-name",
        "Tambo Prueba",
        "--tambo-code",
        "T-01",
        "--district",
        "210102",
        "--centro-poblado",
        "Prueba",
        "--admin-user",
        "ana",
        "--admin-name",
        "Ana",
        stdin=password + "\n",
    )
    assert made.returncode == 0, made.stderr
    data = tmp_path / "datos.csv"
    data.write_text(
        "centro_poblado,ubigeo,tipo,lider_nombre,lider_cargo,lider_telefono,notas\n"
        "Ccota,210102,anexo,Juana Mamani,otro,951234567,DNI 41234567 en trámite\n",
        encoding="utf-8",
    )
    assert cli(home, "import", "communities", str(data), user="ana", password=password).returncode == 0
    out = tmp_path / "o.xlsx"
    assert (
        cli(
            home, "export", "communities", "--format", "xlsx", "--out", str(out), user="ana", password=password
        ).returncode
        == 0
    )
    logs = "".join(p.read_text(encoding="utf-8") for p in (home / "logs").glob("*.log*"))
    assert logs, "the application wrote no log"
    for secret in (password, "951234567", "41234567"):
        assert secret not in logs


def _fill(disk: Path, keep: int = 0) -> Path:
    """Fill the small disk, leaving ``keep`` bytes free."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            handle.write(b"\0" * max(0, shutil.disk_usage(disk).free - keep))
            while keep == 0:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_log_on_a_full_disk_says_so_once_in_one_line(tiny_disk):
    logs = tiny_disk / "logs"
    logs.mkdir()
    (logs / "tambo.log").write_text("")
    _fill(tiny_disk)
    script = (
        "import logging, sys\n"
        "from tambo_desktop import i18n\n"
        "from tambo_desktop.logs import PrivateRotatingFileHandler\n"
        "i18n.set_language('es')\n"
        f"handler = PrivateRotatingFileHandler({str(logs / 'tambo.log')!r}, maxBytes=2_000_000, backupCount=2)\n"
        "log = logging.getLogger('t'); log.addHandler(handler); log.setLevel(logging.INFO)\n"
        "for i in range(40):\n"
        "    log.info('line %d %s', i, 'x' * 4000)\n"
        "print('still running')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "still running\n"
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    assert result.stderr.splitlines() == [
        f"No se puede escribir el registro de la aplicación {logs / 'tambo.log'}: el disco está lleno."
    ]


def test_a_full_disk_at_the_desk_says_the_disk_is_full_and_saves_nothing(tiny_disk, sqlite_template, home):
    """On a full disk SQLite fails the commit, rolls back by itself, and then peewee's rollback
    complains "cannot rollback - no transaction is active": the message is the full disk."""
    from tambo_desktop.db import lifecycle
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.db.models import Attention, Person
    from tambo_desktop.errors import DatabaseError
    from tambo_desktop.services.desk import DeskEntry, DeskService
    from tambo_desktop.services.persons import PersonForm
    from tests.conftest import initialize_tambo
    from tests.integration.test_desk_service import MARCH_3, THREE, services

    file = tiny_disk / "tambo.db"
    shutil.copyfile(sqlite_template, file)
    lifecycle.prepare(f"sqlite:///{file}")
    try:
        desk = DeskService(initialize_tambo())
        before = Person.select().count(), Attention.select().count()
        filler = _fill(tiny_disk)
        with pytest.raises(DatabaseError) as raised:
            for i in range(50):
                form = PersonForm(
                    "dni", str(41234567 + i), "Juana", "Condori", "Apaza", "F", "12/08/1961", notes="x" * 1900
                )
                desk.register(DeskEntry(None, form, services(*THREE), "inside", attended_at=MARCH_3))
        assert str(raised.value) == "El disco está lleno: no se guardó nada. Libere espacio y vuelva a intentarlo."
        filler.unlink()
        assert (Person.select().count(), Attention.select().count()) == before
    finally:
        close_database()


def _demo_home(disk: Path) -> Path:
    home = disk / "home"
    made = cli(home, "demo")
    assert made.returncode == 0, made.stderr
    return home


def test_backup_on_a_full_disk_says_so_in_one_line(tiny_disk):
    home = _demo_home(tiny_disk)
    _fill(tiny_disk)
    result = cli(home, "backup")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "el disco está lleno" in result.stderr.lower(), result.stderr


def test_a_read_only_folder_is_named(tiny_disk):
    home = _demo_home(tiny_disk)
    read_only(tiny_disk)
    try:
        result = cli(home, "check")
    finally:
        writable(tiny_disk)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"la carpeta {home} es de solo lectura o no tiene permiso para escribir en ella" in result.stderr
    assert "unable to open database file" not in result.stderr


def test_a_read_only_database_file_is_named(tiny_disk):
    home = _demo_home(tiny_disk)
    read_only(home / "tambo.db")
    try:
        result = cli(home, "import", "communities", str(RESOURCES / "demo" / "communities.csv"))
    finally:
        writable(home / "tambo.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"La base de datos no se puede modificar: el archivo {home / 'tambo.db'} es de solo lectura o no tiene "
        "permiso para usarlo. No se guardó nada." in result.stderr
    )


def test_a_damaged_or_read_only_wal_is_named(tiny_disk):
    home = _demo_home(tiny_disk)
    wal = home / "tambo.db-wal"
    wal.mkdir()  # a WAL that is not a file (a damaged file system, a bad copy)
    try:
        result = cli(home, "check")
    finally:
        wal.rmdir()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"su diario {wal} (el archivo -wal o -shm a su lado) está dañado o es de solo lectura" in result.stderr
    raw = sqlite3.connect(home / "tambo.db")
    raw.execute("PRAGMA journal_mode=wal")
    raw.execute("PRAGMA wal_autocheckpoint=0")
    raw.execute("CREATE TABLE IF NOT EXISTS probe (x)")
    raw.commit()
    shutil.copyfile(wal, tiny_disk / "wal")  # the WAL as it is while the connection is open
    raw.close()
    shutil.copyfile(tiny_disk / "wal", wal)
    read_only(wal)
    try:
        result = cli(home, "import", "communities", str(RESOURCES / "demo" / "communities.csv"))
    finally:
        writable(wal)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"su diario {wal} (el archivo -wal o -shm a su lado) está dañado o es de solo lectura" in result.stderr
