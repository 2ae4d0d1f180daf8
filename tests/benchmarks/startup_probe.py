"""Start-up probe of bench_bundle_startup.py: the app's own start, marked when each window is on screen.

    python tests/benchmarks/startup_probe.py none                   # the bare process: exits at once
    python tests/benchmarks/startup_probe.py bare                   # the floor: a bare Qt window
    python tests/benchmarks/startup_probe.py sign-in --home H       # the app until its sign-in window
    python tests/benchmarks/startup_probe.py main-window --home H   # ... signs in as admin, main window

The same file is built into the bundle as ``startup-probe`` when the spec runs with
``TAMBO_STARTUP_PROBE=1`` (the benchmark does that in a scratch folder, never for a release), so the
bundle's floor and the app are started the same way: the bundle's bootloader, its Python, its Qt.

``sign-in`` and ``main-window`` run the real ``tambo_desktop.cli.main`` (``tambo-desktop --home H``);
only the sign-in dialog's ``exec`` is replaced: it shows the dialog, marks it, and either closes it
(``sign-in``) or types the demo administrator's name and the password in ``$TAMBO_PROBE_PASSWORD``
(the benchmark passes the demo's: importing ``tambo_desktop.demo`` here would add to the start) and
presses OK (``main-window``),
after which the app opens its main window as it always does; that is marked, then the app quits.
Each mark is a line ``mark <name> <time.time()>`` on stdout: the benchmark subtracts the wall-clock
time it took just before starting the process.
"""

from __future__ import annotations

import os
import sys
import time


def mark(name: str) -> None:
    print(f"mark {name} {time.time():.6f}", flush=True)


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1100, 700)
    window.show()
    app.processEvents()
    mark("shown")
    window.close()
    return 0


def app(mode: str, argv: list[str]) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from tambo_desktop.cli import main
    from tambo_desktop.gui import app as gui_app
    from tambo_desktop.gui.login import LoginDialog

    def exec_(dialog: LoginDialog) -> int:
        dialog.show()
        QApplication.processEvents()
        mark("sign-in")
        if mode == "sign-in":
            dialog.reject()
            return 0
        dialog.ui.usernameEdit.setText("admin")
        dialog.ui.passwordEdit.setText(os.environ["TAMBO_PROBE_PASSWORD"])
        mark("ok-pressed")
        dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    opened = gui_app.open_main_window

    def open_main_window(user, url: str):
        window = opened(user, url)
        QApplication.processEvents()
        mark("main-window")
        QTimer.singleShot(0, QApplication.quit)
        return window

    LoginDialog.exec = exec_  # type: ignore[method-assign]
    gui_app.open_main_window = open_main_window
    return main(argv)


if __name__ == "__main__":
    kind, rest = sys.argv[1], sys.argv[2:]
    if kind == "none":
        sys.exit(0)
    if kind == "bare":
        sys.exit(bare())
    if kind not in ("sign-in", "main-window"):
        raise SystemExit(f"unknown probe {kind!r}: none, bare, sign-in or main-window")
    sys.exit(app(kind, rest))
