"""The PyInstaller bundle builds and runs: CLI verbs, the GUI self-test, and what it ships.

Slow (a full PyInstaller build, ~20-60 s plus the runs): ``pytest -m slow tests/integration/test_bundle.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tambo_desktop.__about__ import APP_NAME, __version__
from tests.cli_signin import signed

try:
    import PyInstaller  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment
    pytest.skip("PyInstaller is not installed (pip install -e .[test])", allow_module_level=True)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "tambo-desktop.spec"
IS_WINDOWS = sys.platform == "win32"
BUILD_TIMEOUT = 900
RUN_TIMEOUT = 120


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """Build the one-folder bundle once for this module; returns ``<dist>/tambo-desktop``."""
    base = tmp_path_factory.mktemp("pyinstaller")
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC),
        "--distpath", str(base / "dist"),
        "--workpath", str(base / "work"),
        "--noconfirm", "--log-level", "WARN",
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, (
        f"PyInstaller failed ({result.returncode}):\n{_tail(result.stdout)}\n{_tail(result.stderr)}"
    )
    folder = base / "dist" / "tambo-desktop"
    print(f"bundle built in {elapsed:.0f} s: {folder}")
    return folder


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB", "TAMBO_LANG", "PYTHONPATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["TAMBO_LANG"] = "es"
    return env


def _run(executable: Path, *args: str) -> subprocess.CompletedProcess[str]:
    args, stdin = signed(args)  # type: ignore[assignment]  # verbs with an account: the demo's admin
    return subprocess.run(
        [str(executable), *args], input=stdin, capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=RUN_TIMEOUT, env=_env(),
    )  # fmt: skip


def _gui_exe(bundle: Path) -> Path:
    return bundle / ("tambo-desktop.exe" if IS_WINDOWS else "tambo-desktop")


def _cli_exe(bundle: Path) -> Path:
    """On Windows the GUI .exe is windowed (no stdout); its console twin runs the verbs."""
    return bundle / ("tambo-cli.exe" if IS_WINDOWS else "tambo-desktop")


def _internal(bundle: Path) -> Path:
    return bundle / "_internal"


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{_tail(result.stdout)}\n--- stderr\n{_tail(result.stderr)}"


def test_version(bundle):
    result = _run(_cli_exe(bundle), "--version")
    assert result.returncode == 0, _explain(result)
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


def test_demo_then_check(bundle, tmp_path):
    home = tmp_path / "home"
    demo = _run(_cli_exe(bundle), "--home", str(home), "demo")
    assert demo.returncode == 0, _explain(demo)
    assert (home / "tambo.db").is_file()
    check = _run(_cli_exe(bundle), "--home", str(home), "check")
    assert check.returncode == 0, _explain(check)
    assert "FALLA" not in check.stdout


def test_export_xlsx_and_csv(bundle, tmp_path):
    """openpyxl and the csv path work frozen (and the quechua catalog loads)."""
    home = tmp_path / "home"
    assert _run(_cli_exe(bundle), "--home", str(home), "demo").returncode == 0
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"communities.{fmt}"
        result = _run(
            _cli_exe(bundle),
            "--home",
            str(home),
            "--lang",
            "qu",
            "export",
            "communities",
            "--format",
            fmt,
            "--out",
            str(out),
        )
        assert result.returncode == 0, _explain(result)
        assert out.is_file() and out.stat().st_size > 0
    assert (tmp_path / "communities.xlsx").read_bytes()[:2] == b"PK"


def test_postgresql_driver_is_bundled(bundle, tmp_path):
    """psycopg + libpq load: a refused connection is a clean error, not a missing-driver traceback."""
    result = _run(_cli_exe(bundle), "--home", str(tmp_path), "--db", "postgresql://tambo@127.0.0.1:1/tambo", "check")
    assert result.returncode == 1, _explain(result)
    assert "Traceback" not in result.stderr, _explain(result)
    assert "PostgreSQL" in result.stderr, _explain(result)


def test_gui_self_test(bundle, tmp_path):
    """With an empty home: demo tambo, main window offscreen as the demo admin, exit 0."""
    result = _run(_gui_exe(bundle), "--home", str(tmp_path / "home"), "--self-test")
    assert result.returncode == 0, _explain(result)


def test_bundled_files(bundle):
    internal = _internal(bundle)
    assert (internal / "resources" / "data" / "ubigeo" / "ubigeo.csv").is_file()
    assert (internal / "resources" / "demo" / "communities.csv").is_file()
    assert (internal / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    for lang in ("es", "qu", "ay"):
        assert (internal / "tambo_desktop" / "locale" / lang / "LC_MESSAGES" / "tambo_desktop.mo").is_file(), lang
    # babel: the locales the app formats with, and their parents (es_PE -> es_419 -> es -> root)
    locale_data = internal / "babel" / "locale-data"
    for name in ("root", "es", "es_419", "es_PE", "qu", "qu_PE"):
        assert (locale_data / f"{name}.dat").is_file(), name
    assert not (locale_data / "de.dat").exists(), "babel locale data should be trimmed to es/qu"


def test_no_dangling_links(bundle):
    dangling = [str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling


def test_heavy_qt_modules_left_out(bundle):
    names = {path.name for path in _internal(bundle).rglob("*")}
    for heavy in ("QtWebEngineCore", "QtQuick", "QtQml", "Qt3DCore", "QtMultimedia", "QtVirtualKeyboard"):
        assert not any(heavy.replace("Qt", "Qt6", 1) in n or n.startswith(heavy + ".") for n in names), heavy


def test_every_file_the_inno_setup_script_names_exists_in_a_bundle_of_the_same_spec(bundle):
    """The .iss cannot be compiled here; what it takes from the bundle and the tree must exist (a Linux
    bundle of the same spec: the Windows names without .exe; tambo-cli.exe is built only on Windows)."""
    import re

    iss = (ROOT / "installer" / "windows" / "tambo-desktop.iss").read_text(encoding="utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]+)"', iss, flags=re.M))
    app_files = set(re.findall(r"\{app\}\\([\w.-]+)", iss)) | {defines["AppExe"]}
    app_files = {name.replace("{#AppExe}", defines["AppExe"]) for name in app_files}
    for name in app_files:
        linux = name.removesuffix(".exe")
        if linux == "tambo-cli":
            continue  # the Windows console twin (the spec's Windows branch)
        assert (bundle / linux).exists(), f"the .iss names {{app}}\\{name}; the bundle has no {linux}"
    icon = re.search(r'#define AppIcon AddBackslash\(SourcePath\) \+ "([^"]+)"', iss).group(1)
    assert (ROOT / "installer" / "windows" / icon.replace("\\", "/")).resolve().is_file(), icon
    assert "_internal" in iss and (bundle / "_internal").is_dir()
    assert "compiler:Languages\\Spanish.isl" in iss and "PrivilegesRequiredOverridesAllowed=dialog" in iss
    assert "{localappdata}" not in iss.lower().split("[setup]")[1]  # the data folder is never touched
