"""`pip install .` in a fresh virtual environment gives a working application."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tambo_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_pip_install_builds_forms_and_catalogs_and_runs(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # A copy of the sources without generated files: the build must make them itself.
    source = tmp_path / "src"
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files"], check=True, capture_output=True, text=True
    ).stdout.split()
    for name in files:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            target.write_bytes((ROOT / name).read_bytes())
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(source)], capture_output=True, text=True, timeout=1500
    )
    assert install.returncode == 0, install.stderr[-3000:]
    site = subprocess.run(
        [str(python), "-c", "import tambo_desktop, pathlib; print(pathlib.Path(tambo_desktop.__file__).parent)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.strip()
    package = Path(site)
    assert package != ROOT / "tambo_desktop"
    for lang in ("es", "qu", "ay"):
        assert (package / "locale" / lang / "LC_MESSAGES" / "tambo_desktop.mo").is_file()
        assert (package / "locale" / lang / "tambo_desktop_qt.qm").is_file()
    assert list((package / "gui" / "forms").glob("ui_*.py"))
    assert (package / "resources" / "data" / "ubigeo" / "ubigeo.csv").is_file()
    cli = env_dir / "bin" / "tambo-cli"
    home = tmp_path / "home"
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in version.stdout
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for verb in (["demo"], ["check"]):
        run = subprocess.run(
            [str(cli), "--home", str(home), *verb], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
        )
        assert run.returncode == 0, run.stderr
    gui = subprocess.run(
        [str(env_dir / "bin" / "tambo-desktop"), "--home", str(home), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert gui.returncode == 0, gui.stderr
    assert sys.executable != str(python)
