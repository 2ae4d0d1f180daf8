"""The command line as a user runs it: a real subprocess, a private home, real databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop.__about__ import APP_NAME, __version__
from tambo_desktop.demo.build import DEMO_PASSWORD
from tambo_desktop.formats.tabular import read_table
from tests.cli_signin import signed

ROOT = Path(__file__).resolve().parents[2]
INIT = [
    "init",
    "--tambo-name",
    "Tambo Ccopamaya",
    "--tambo-code",
    "tb-210102",
    "--district",
    "210102",
    "--centro-poblado",
    "Ccopamaya",
    "--altitude",
    "3860",
    "--admin-user",
    "rosa",
    "--admin-name",
    "Rosa Quispe Mamani",
]


def cli(
    home: Path, *args: str, stdin: str = "", db: str | None = None, user: str = "admin", password: str = DEMO_PASSWORD
) -> subprocess.CompletedProcess:
    """The command line in a subprocess; verbs that need an account run signed in as ``user``."""
    args, stdin = signed(args, stdin, user, password)  # type: ignore[assignment]
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", TAMBO_LANG="es", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tambo_desktop", "--home", str(home)]
    if db:
        command += ["--db", db]
    return subprocess.run(
        [*command, *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


@pytest.fixture
def cli_home(tmp_path) -> Path:
    return tmp_path / "cli-home"


def test_version(cli_home):
    result = cli(cli_home, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


def test_init_then_check(cli_home):
    result = cli(cli_home, *INIT, stdin="clave-segura-1\n")
    assert result.returncode == 0, result.stderr
    assert "TB-210102" in result.stdout
    assert (cli_home / "tambo.db").is_file()
    check = cli(cli_home, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "FALLA" not in check.stdout
    assert "[bien] Tambo configurado" in check.stdout
    again = cli(cli_home, *INIT, stdin="clave-segura-1\n")
    assert again.returncode == 2
    assert "ya está configurado" in again.stderr


def test_init_with_a_short_password_is_refused(cli_home):
    result = cli(cli_home, *INIT, stdin="abc\n")
    assert result.returncode == 2
    assert "Contraseña: La contraseña debe tener al menos 10 caracteres." in result.stderr  # the label, not the key
    assert "Traceback" not in result.stderr
    # nothing was set up: the tambo can still be initialised
    assert cli(cli_home, *INIT, stdin="clave-segura-1\n").returncode == 0


def test_demo_check_export_and_import(cli_home, tmp_path):
    demo = cli(cli_home, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "demostración" in demo.stdout
    check = cli(cli_home, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "FALLA" not in check.stdout

    csv_file, xlsx_file = tmp_path / "centros.csv", tmp_path / "centros.xlsx"
    for fmt, path in (("csv", csv_file), ("xlsx", xlsx_file)):
        result = cli(cli_home, "export", "communities", "--format", fmt, "--out", str(path))
        assert result.returncode == 0, result.stderr
        assert path.is_file()
    assert read_table(csv_file) == read_table(xlsx_file)
    header, rows = read_table(csv_file)
    assert header[:3] == ["centro_poblado", "ubigeo", "tipo"]
    assert len(rows) > 5

    again = cli(cli_home, "import", "communities", str(csv_file))
    assert again.returncode == 0, again.stderr
    assert "Importado: 0 centros poblados nuevos" in again.stdout


def test_import_of_a_bad_file_exits_2_and_names_the_rows(cli_home, tmp_path):
    assert cli(cli_home, *INIT, stdin="clave-segura-1\n").returncode == 0
    bad = tmp_path / "malo.csv"
    bad.write_text("centro_poblado,ubigeo,tipo\nNuevo,999999,anexo\n,210102,anexo\n", encoding="utf-8")
    result = cli(cli_home, "import", "communities", str(bad), user="rosa", password="clave-segura-1")
    assert result.returncode == 2
    assert "fila 2, ubigeo" in result.stderr
    assert "fila 3, centro_poblado" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_before_init_is_refused(cli_home, tmp_path):
    result = cli(cli_home, "export", "communities", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert "init" in result.stderr and "demo" in result.stderr


def test_demo_on_a_real_tambo_fails(cli_home):
    assert cli(cli_home, *INIT, stdin="clave-segura-1\n").returncode == 0
    result = cli(cli_home, "demo")
    assert result.returncode != 0
    assert "tambo real" in result.stderr


def test_postgresql_url(cli_home, postgres_url):
    demo = cli(cli_home, "demo", db=postgres_url)
    assert demo.returncode == 0, demo.stderr
    check = cli(cli_home, "check", db=postgres_url)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Servidor" in check.stdout
    assert not (cli_home / "tambo.db").exists()  # the SQLite default was not touched


def test_unsupported_database_url(cli_home):
    result = cli(cli_home, "check", db="mysql://x")
    assert result.returncode != 0
    assert "Motor de base de datos no admitido" in result.stderr
    assert "mysql" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_postgresql_server(cli_home, postgres_server):
    port = postgres_server.port + 1 if postgres_server.port < 65535 else postgres_server.port - 1
    result = cli(cli_home, "check", db=f"postgresql://postgres@127.0.0.1:{port}/tambo")
    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "verb",
    [
        ("report", "monthly", "--month", "2026-11", "--format", "pdf"),
        ("export", "attentions", "--format", "csv"),
        ("staff", "month", "--month", "2026-11", "--format", "pdf"),
    ],
)
def test_out_into_a_missing_folder_is_bad_input_and_creates_nothing(cli_home, tmp_path, verb):
    """Seen: «--out /nonexistent/x.pdf» made the folder and wrote the report where nobody looks."""
    missing = tmp_path / "no-such-folder"
    result = cli(cli_home, *verb, "--out", str(missing / "x.pdf"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"La carpeta {missing} no existe" in result.stderr
    assert "Traceback" not in result.stderr
    assert not missing.exists()
