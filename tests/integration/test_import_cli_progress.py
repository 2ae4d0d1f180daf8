"""Imports through the CLI (issue 15, part 9): a long one says how far it is on standard error, a
short one says nothing; a row with more cells than the header imports nothing and names its row."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop.db.models import Community
from tambo_desktop.errors import ImportFileError
from tambo_desktop.formats.communities import import_file
from tambo_desktop.services.communities import CommunityService
from tests.cli_signin import signed
from tests.persons_file import persons_csv

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STEP = re.compile(r"^(Leyendo el archivo|Revisando las filas|Guardando)… \d+\s?% \([\d,]+ de [\d,]+\)$")


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    command, stdin = signed(args)  # as the demo's administrator
    return subprocess.run(
        [sys.executable, "-m", "tambo_desktop", "--home", str(home), *command],
        input=stdin, capture_output=True, text=True, timeout=600,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAMBO_LANG": "es"},
    )  # fmt: skip


@pytest.fixture
def demo_home(tmp_path) -> Path:
    home = tmp_path / "home"
    made = cli(home, "demo")
    assert made.returncode == 0, made.stderr
    return home


def test_a_long_import_shows_its_progress_on_stderr(demo_home, tmp_path):
    path = persons_csv(tmp_path / "padron.csv", 3000)
    result = cli(demo_home, "import", "persons", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Importado: 3000 filas; 3000 personas nuevas")
    lines = result.stderr.splitlines()
    assert lines, "a 3,000-row import (several seconds) printed no progress"
    assert all(STEP.match(line) for line in lines), lines
    assert any(line.startswith("Guardando") for line in lines), lines


def test_a_short_import_prints_no_progress(demo_home):
    result = cli(demo_home, "import", "communities", str(RESOURCES / "demo" / "communities.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_an_extra_cell_imports_nothing_and_names_its_row(admin_session, tmp_path):
    path = tmp_path / "comunidades.csv"
    path.write_text(
        "centro_poblado,ubigeo,tipo,notas\n"
        "Ccota,210102,anexo,feria los sábados\n"
        "Jiscullaya,210102,anexo,feria, sábados y domingos\n",
        encoding="utf-8",
    )
    before = Community.select().count()
    with pytest.raises(ImportFileError) as raised:
        import_file(CommunityService(admin_session), path)
    assert [(r.row, r.column) for r in raised.value.rows] == [(3, "columna 5")]
    assert Community.select().count() == before
