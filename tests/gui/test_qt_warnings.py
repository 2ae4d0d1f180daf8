"""Qt's warnings fail the GUI test that caused them; only the offscreen platform's three, by exact text, pass."""

from __future__ import annotations

import tomllib
from pathlib import Path

pytest_plugins = ("pytester",)

ROOT = Path(__file__).resolve().parents[2]


def _project_qt_settings() -> dict:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"]["ini_options"]
    return {key: options[key] for key in ("qt_log_level_fail", "qt_log_ignore")}


def test_a_qt_warning_fails_the_test_and_only_the_offscreen_ones_are_allowed(pytester):
    settings = _project_qt_settings()
    assert settings["qt_log_level_fail"] == "WARNING"
    ignore = "\n".join(f"    {pattern}" for pattern in settings["qt_log_ignore"])
    pytester.makeini(f"[pytest]\nqt_log_level_fail = WARNING\nqt_log_ignore =\n{ignore}\n")
    pytester.makepyfile(
        """
        from PySide6.QtCore import qWarning

        def test_warns(qapp):
            qWarning("QWidget::setLayout: Attempting to set QLayout on a widget which already has a layout")

        def test_offscreen_platform_limits(qapp):
            qWarning("This plugin does not support propagateSizeHints()")
            qWarning("This plugin does not support raise()")
            qWarning("This plugin does not support grabbing the keyboard")

        def test_similar_but_not_the_same(qapp):
            qWarning("This plugin does not support raise() of the window")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:xdist")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        ["*Failure: Qt messages with level WARNING or above emitted", "*Attempting to set QLayout*"]
    )
    outcome = "\n".join(result.outlines)
    assert "FAILED test_a_qt_warning_fails_the_test_and_only_the_offscreen_ones_are_allowed.py::test_warns" in outcome
    assert (
        "FAILED test_a_qt_warning_fails_the_test_and_only_the_offscreen_ones_are_allowed.py::test_similar_but_not_the_same"
        in outcome
    )
