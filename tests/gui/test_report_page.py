"""The report page: real clicks build the month's PDF off the GUI thread and open it in the print
preview (its pages read back with pdftotext, its numbers the indicators'); the whole year as XLSX;
a clerk's window has no report page; the page follows the interface language."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tambo_desktop import dates, i18n
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui import translator
from tambo_desktop.gui.pdf_preview import page_count
from tambo_desktop.gui.report_page import ReportPage
from tambo_desktop.i18n import format_number
from tambo_desktop.services import accounts
from tambo_desktop.services.indicators import IndicatorService
from tambo_desktop.services.session import Session


def signed_in(username: str) -> Session:
    return Session(accounts.authenticate(username, DEMO_PASSWORD), DEMO_PROFILE.code)


@pytest.fixture
def page(gui_home, load_demo, qtbot) -> ReportPage:
    load_demo("small")
    widget = ReportPage(signed_in("supervisor"))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_preview_of_the_month_in_aymara(page, qtbot, tmp_path):
    today = dates.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    assert (page.year_edit.value(), page.month_edit.currentIndex() + 1) == (year, month)  # the last whole month
    page.language_edit.setCurrentIndex(page.language_edit.findData("ay"))
    qtbot.mouseClick(page.note_edit.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.note_edit, "Faltaron vacunas en la posta.")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert not page.preview_button.isEnabled()  # the work runs in the background
    qtbot.waitUntil(lambda: page.preview_dialog is not None, timeout=60_000)
    dialog = page.preview_dialog
    assert page.last_pdf is not None and len(dialog.pages) == page_count(page.last_pdf) >= 3
    assert page.preview_button.isEnabled()
    text = subprocess.run(["pdftotext", str(page.last_pdf), "-"], capture_output=True, text=True, check=True).stdout
    indicators = IndicatorService(page.session).month(year, month)
    assert format_number(indicators.attentions) in text and "Faltaron vacunas en la posta." in text
    assert "Informe mensual del tambo" in text  # the Spanish under the Aymara
    saved = dialog.save_as(tmp_path / "copia")
    assert saved.read_bytes() == page.last_pdf.read_bytes()
    dialog.close()
    qtbot.waitUntil(lambda: page.preview_dialog is None)


def test_the_whole_year_as_xlsx(page, qtbot, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    target = tmp_path / "anual"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.whole_year, Qt.MouseButton.LeftButton)
    assert page.whole_year.isChecked() and not page.month_edit.isEnabled()
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "anual.xlsx"
    qtbot.waitUntil(lambda: page.xlsx_button.isEnabled() and written.exists(), timeout=60_000)
    book = load_workbook(written, read_only=True)
    summary = [list(r) for r in book[book.sheetnames[0]].iter_rows(values_only=True)]
    year = IndicatorService(page.session).year(page.year_edit.value())
    assert ["Atenciones", year.attentions, year.goal_attentions] in summary
    book.close()
    assert str(written) in page.status.text()


def test_only_allowed_roles_see_the_page(demo_window, gui_home):
    from tambo_desktop.gui.app import open_main_window

    assert demo_window.report_page is not None
    assert demo_window.page_index(demo_window.report_page) >= 0
    clerk = open_main_window(accounts.authenticate("oficina", DEMO_PASSWORD), gui_home)
    try:
        assert clerk.report_page is None
    finally:
        clerk.close()


def test_the_page_follows_the_interface_language(page):
    try:
        translator.switch_language("qu")
        assert page.preview_button.text() == i18n._("Vista &previa e impresión…")
        assert page.preview_button.text() != "Vista &previa e impresión…"
        assert page.language_edit.currentData() == "qu"  # not chosen yet: the interface's language
    finally:
        translator.switch_language("es")
    assert page.preview_button.text() == "Vista &previa e impresión…"


def test_the_month_page_draws_the_trend_and_a_bar_opens_its_atenciones(demo_window, load_demo, qtbot):
    """The chart of the month page (the report's own definition, drawn off the GUI thread): its
    numbers are the indicators' trend; a real click on a bar shows that month's atenciones."""

    w = demo_window
    load_demo("small")
    page = w.month_page
    w.show_page(page)
    page.refresh()
    chart = page.trend_chart
    qtbot.waitUntil(lambda: page.charts.ready("trend") and chart.chart is not None, timeout=30_000)
    assert len(chart.data) == 12
    expected = IndicatorService(page.session).trend(page.year, page.month, 12)
    assert [(c.key, c.attentions, c.goal_attentions) for c in chart.data] == [
        (c.key, c.attentions, c.goal_attentions) for c in expected
    ]
    qtbot.waitExposed(chart)
    image = chart.grab().toImage()
    dark = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).value() < 100
    )
    assert dark > 100, "the chart is blank"
    light = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).value() > 200
    )
    assert light > 3 * dark, "the chart's page is not white"
    busiest = max(range(12), key=lambda i: chart.data[i].attentions)
    key = chart.data[busiest].key
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.centre_of(("month", key)).toPoint())
    assert w.current_page() is w.attentions_page
    attentions = w.attentions_page
    assert (
        attentions.date_from.date().toString("yyyy-MM") == key and attentions.date_to.date().toString("yyyy-MM") == key
    )
    attentions.wait_for_count()
    assert not attentions.filter().include_voided
    qtbot.waitUntil(
        lambda: format_number(chart.data[busiest].attentions) in attentions.count_label.text(), timeout=30_000
    )
