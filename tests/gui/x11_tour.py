"""A tour of the main window on a real X screen, driven with real keys and clicks (xdotool).

    DISPLAY=:N QT_QPA_PLATFORM=xcb python tests/gui/x11_tour.py --home H [--langs es,qu,ay] [--shots DIR]

Signs in as the demo's administrator (the demo must exist in H), then, in each language, shows every
page — Ctrl+1…9 typed with xdotool, the later ones clicked in the navigation — and prints one JSON line
per page (at --text-size per cent of the normal text): the window's frame and the screen's available area (both as the window manager has them), the
page's scroll bars, and any text cut (labels, buttons, combos, headers). With --shots, a screenshot of
the whole screen per page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", required=True)
    parser.add_argument("--langs", default="es,qu,ay")
    parser.add_argument("--shots")
    parser.add_argument("--pages", type=int, default=99)
    parser.add_argument("--text-size", type=int, default=100, help="per cent: 100, 125, 150 or 175")
    args = parser.parse_args()
    os.environ["TAMBO_HOME"] = args.home

    from screen_check import clipped, outside

    from tambo_desktop import paths
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.demo.build import DEMO_PASSWORD
    from tambo_desktop.gui import translator
    from tambo_desktop.gui.app import create_application, open_main_window
    from tambo_desktop.services import accounts

    app = create_application()
    url = paths.default_database_url()
    prepare(url)
    user = accounts.authenticate("admin", DEMO_PASSWORD)
    window = open_main_window(user, url)
    if args.text_size != 100:
        from tambo_desktop.gui.comfort import apply_text_size

        apply_text_size(args.text_size)

    def wait(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def xdotool(*words: str) -> None:
        done = subprocess.Popen(["xdotool", *words])
        while done.poll() is None:
            app.processEvents()
            time.sleep(0.01)

    wait(2.0)
    window.activateWindow()
    wait(0.5)
    screen = window.screen()
    for lang in args.langs.split(","):
        translator.switch_language(lang)
        wait(0.5)
        for row in range(min(len(window.pages), args.pages)):
            if row < 9:
                xdotool("key", "--clearmodifiers", f"ctrl+{row + 1}")
            else:
                rect = window.nav.visualItemRect(window.nav.item(row))
                spot = window.nav.viewport().mapToGlobal(rect.center())
                xdotool("mousemove", str(spot.x()), str(spot.y()), "click", "1")
            wait(1.2)
            page = window.current_page()
            scroll = window.stack.currentWidget()
            frame = window.frameGeometry()
            area = screen.availableGeometry()
            record = {
                "lang": lang,
                "row": row,
                "shown": window.nav.currentRow() == row,
                "page": type(page).__name__,
                "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                "available": [area.x(), area.y(), area.width(), area.height()],
                "maximized": window.isMaximized(),
                "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
                "h_scroll": scroll.horizontalScrollBar().isVisible(),
                "v_scroll": scroll.verticalScrollBar().isVisible(),
                "clipped": clipped(window),
                "outside": outside(window),
            }
            if args.shots:
                shot = Path(args.shots) / f"{lang}-{args.text_size}-{row:02d}-{record['page']}.png"
                screen.grabWindow(0).save(str(shot))
                record["shot"] = str(shot)
            print(json.dumps(record, ensure_ascii=False), flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
