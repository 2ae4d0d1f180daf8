"""The backup page's «Paquete para la oficina central…» (issue 20.1): a real click writes the package
into the chosen folder (a USB drive), and without the central key says how to install it."""

from __future__ import annotations

import zipfile

from gui_helpers import answer_next_message_box
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox


def test_the_package_goes_to_the_chosen_folder(demo_window, qtbot, tmp_path, monkeypatch):
    from tambo_desktop import paths
    from tambo_desktop.central import keys
    from tambo_desktop.services.packages import PackageService

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    page = demo_window.backup_page
    demo_window.show_page(page)
    assert page.package_button.isVisible()
    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    qtbot.mouseClick(page.package_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    assert "package central-key --set" in seen[0] and not list(usb.iterdir())
    home = paths.home()
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "central"))
    key = keys.load(create=True).public().to_text()
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    PackageService(page.session).set_central_key(key)
    seen.clear()
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    qtbot.mouseClick(page.package_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    [made] = list(usb.glob("*.tpkg"))
    assert "Paquete 1:" in seen[0] and made.name.startswith("DEMO-21-0102-")
    assert set(zipfile.ZipFile(made).namelist()) == {"manifest.json", "manifest.sig", "payload.bin"}
