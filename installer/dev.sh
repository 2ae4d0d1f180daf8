#!/usr/bin/env bash
# Set up TAMBO Desktop from a checkout and run it or its tests.
#
#   bash installer/dev.sh demo    set up, load the demo tambo into ./.tambo-demo and start the app
#   bash installer/dev.sh start   set up and start the app on your own data (first-run wizard)
#   bash installer/dev.sh test    set up and run the whole test suite headless (what CI runs)
#   bash installer/dev.sh bundle  set up and build the PyInstaller bundle dist/tambo-desktop/
#
# Works as root or as a normal user (system packages through sudo when they are missing).
# demo/start install the app only; test adds the test extra (pytest, ruff, mypy, PyInstaller...).
# Python packages come pinned from requirements/constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

# Debian packages Qt needs offscreen and in a real window, PDF checks, catalogs and the
# PostgreSQL server the tests start.
QT_DEBS="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
 libxcb-shape0 libxcb-xkb1 fonts-dejavu-core"
# Xvfb for a headless run; binutils (objdump) and the shared libpython for PyInstaller's bundle.
XVFB_DEBS="xvfb xauth"
# openbox, xdotool and xdpyinfo (x11-utils): the GUI test on a real X screen (test_screen_fit_x11.py).
TEST_DEBS="poppler-utils gettext binutils $XVFB_DEBS openbox xdotool x11-utils"

say() { printf '\033[1m%s\033[0m\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    say "Missing system packages (install them with your package manager): ${missing[*]}"
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

postgres_server() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; then
    return 0
  fi
  apt_install postgresql
}

# PyInstaller bundles the shared libpython of the interpreter: Debian's python3.X ships it in
# libpython3.X. For an interpreter of another origin it says what is missing.
libpython() {
  local ver lib libdir
  ver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  lib=$("$PY" -c 'import sysconfig; print(sysconfig.get_config_var("INSTSONAME") or "")')
  libdir=$("$PY" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')
  if dpkg -S "$(readlink -f "$(command -v "$PY")")" >/dev/null 2>&1; then
    apt_install "libpython$ver"
  elif [ -n "$lib" ] && [ ! -e "$libdir/$lib" ] && ! ldconfig -p 2>/dev/null | grep -q "$lib"; then
    say "No shared $lib for $(command -v "$PY"): the bundle tests need a Python built with --enable-shared"
  fi
}

setup() {
  local extra=${1:-}
  if command -v dpkg-query >/dev/null; then
    apt_install $QT_DEBS
    "$PY" -m venv --help >/dev/null 2>&1 && "$PY" -c "import ensurepip" 2>/dev/null || apt_install "python3-venv"
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    "$PY" -m venv "$VENV"
  fi
  local pin=()
  [ -f "$ROOT/requirements/constraints.txt" ] && pin=(-c "$ROOT/requirements/constraints.txt")
  "$VENV/bin/python" -m pip install -q --upgrade pip
  # Build tools first, so the editable install can compile the forms and catalogs in place.
  "$VENV/bin/python" -m pip install -q "${pin[@]}" "setuptools>=68" wheel "babel>=2.14" "PySide6-Essentials>=6.7,<6.12"
  "$VENV/bin/python" -m pip install -q "${pin[@]}" --no-build-isolation -e ".$extra"
}

case "${1:-}" in
  start | demo)
    verb=$1
    shift
    setup
    headless=0
    if [ "$(uname)" = "Linux" ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      headless=1
      command -v dpkg-query >/dev/null && apt_install $XVFB_DEBS
    fi
    if [ "$verb" = demo ]; then
      export TAMBO_HOME="${TAMBO_HOME:-$ROOT/.tambo-demo}"
      "$VENV/bin/tambo-cli" demo
      say "Demo accounts: admin, gestor, oficina, supervisor — password: tambo-demo"
    fi
    if [ "$headless" = 1 ]; then
      # No screen: prove the app starts (main window on the demo data, in a virtual X screen), then stop.
      if ! command -v xvfb-run >/dev/null; then
        say "No screen found (DISPLAY is empty) and no xvfb-run: install the packages xvfb and xauth, or run this on the desktop."
        exit 1
      fi
      say "No screen found (DISPLAY is empty): checking the app in a virtual screen (Xvfb)"
      home=()
      [ "$verb" = start ] && home=(--home "$(mktemp -d)")  # never the user's own data
      # QT_QPA_PLATFORM=xcb: --self-test alone would fall back to "offscreen" and never touch the X screen
      QT_QPA_PLATFORM=xcb xvfb-run -a "$VENV/bin/tambo-desktop" "${home[@]}" --self-test
      say "The app works. Run 'bash installer/dev.sh $verb' again on a desktop (or over ssh -X) to use it."
      exit 0
    fi
    exec "$VENV/bin/tambo-desktop" "$@"
    ;;
  test)
    shift
    if command -v dpkg-query >/dev/null; then
      apt_install $TEST_DEBS
      libpython
      postgres_server
    fi
    setup "[test]"
    export QT_QPA_PLATFORM=offscreen
    say "ruff"
    "$VENV/bin/ruff" check .
    say "ruff format --check"
    "$VENV/bin/ruff" format --check .
    say "mypy (db/ and services/, configured in pyproject.toml)"
    "$VENV/bin/mypy"
    say "pytest"
    # One pytest-xdist worker per core (at most 4), whole files per worker (module fixtures such as
    # the PyInstaller bundle are built once); each worker has its own tmp folders, homes and
    # PostgreSQL server. -n 2 --dist loadfile, slowest files first: 5 min 47 s on the 2-core machine (README)
    # (README). Give -n yourself (-n 0: one process) to choose otherwise.
    jobs=$(nproc 2>/dev/null || echo 1)
    [ "$jobs" -gt 4 ] && jobs=4
    case " $* " in
      *" -n"* | *" --numprocesses"* | *"no:xdist"*) ;;
      *) [ "$jobs" -gt 1 ] && set -- -n "$jobs" --dist loadfile --no-loadscope-reorder "$@" ;;
    esac
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  bundle)
    if command -v dpkg-query >/dev/null; then
      apt_install binutils
      libpython
    fi
    setup "[package]"
    say "PyInstaller bundle -> dist/tambo-desktop"
    "$VENV/bin/python" -m PyInstaller installer/tambo-desktop.spec --distpath dist --workpath build/pyinstaller --noconfirm --log-level WARN
    ;;
  *)
    sed -n '2,9p' "$0"
    exit 2
    ;;
esac
