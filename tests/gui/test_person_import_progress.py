"""A long import of people shows a progress bar with its step and percentage (issue 15, part 9)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.persons_file import persons_csv


def test_the_import_of_people_shows_its_step_and_percentage(demo_window, qtbot, monkeypatch, tmp_path):
    path = persons_csv(tmp_path / "padron.csv", 3000)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    seen: list[tuple[str, int, int]] = []
    demo_window.import_persons(str(path))
    op = demo_window.operation

    def look() -> bool:
        dialog = op.progress
        if dialog is not None and dialog.isVisible():
            seen.append((dialog.labelText(), dialog.value(), dialog.maximum()))
        return bool(told)

    qtbot.waitUntil(look, timeout=300_000)
    assert told == ["Personas: 3000 nuevas, 0 completadas, 0 sin cambios."]
    labels = [label for label, value, maximum in seen if maximum == 1000 and value > 0]
    assert labels, seen[:5]
    assert "Importando personas…\nGuardando…" in labels, labels[-3:]  # the step; the bar shows the percentage
