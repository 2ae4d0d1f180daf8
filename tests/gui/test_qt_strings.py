"""Qt's own strings: Spanish in Spanish (Qt's catalog), Quechua and Aymara from the project's catalog.

Each widget is opened three times: with no translation at all (Qt's English), in Spanish, and in
Quechua or Aymara; no English nor Spanish text of the first two may remain in the third, apart
from what translations/same_as_spanish.csv lists. Real widgets, real events (pytest-qt).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSpinBox,
    QWidget,
    QWizard,
    QWizardPage,
)

from tambo_desktop.gui import translator

ROOT = Path(__file__).resolve().parents[2]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("&&", "\0").replace("&", "").replace("\0", "&")).strip()


#: Combo boxes whose items are standard paper names (A4, A5, Letter / ANSI A, Envelope C5...) as Qt
#: names them; not translated by the project (see the report of issue 16.8).
PAPER_NAME_COMBOS = {"pageSizeCombo", "paperSource"}


def widget_texts(top: QWidget) -> set[str]:
    """Every text a user can read on the visible parts of ``top``: labels, buttons, tooltips, menus, headers."""
    found: set[str] = {top.windowTitle()}
    for w in [top, *top.findChildren(QWidget)]:
        if w is not top and not w.isVisibleTo(top):
            continue
        found.add(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            found.add(w.text())
        elif isinstance(w, QComboBox) and w.objectName() not in PAPER_NAME_COMBOS:
            found |= {w.itemText(i) for i in range(w.count())}
        elif isinstance(w, QLineEdit):
            found.add(w.placeholderText())
        elif isinstance(w, QGroupBox):
            found.add(w.title())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            found |= {str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())}
            if isinstance(model, QStandardItemModel):  # the file dialog's sidebar (its "Computer"), not file names
                found |= {str(model.index(r, 0).data() or "") for r in range(model.rowCount())}
        for action in w.actions():
            found |= {action.text(), action.toolTip()}
    return {_clean(t) for t in found if t and re.search(r"[^\W\d_]{2,}", t) and not t.startswith("/")}  # not paths


def menu_texts(menu: QMenu) -> set[str]:
    return {_clean(a.text()) for a in menu.actions() if a.text()}


def file_dialog(folder: Path, mode: str) -> Callable[[], set[str]]:
    def run() -> set[str]:
        dialog = QFileDialog(None, "", str(folder))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if mode == "save":
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["Excel (*.xlsx)", QCoreApplication.translate("QFileDialog", "All Files (*)")])
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        dialog.show()
        QApplication.processEvents()
        texts = widget_texts(dialog)
        dialog.close()
        dialog.deleteLater()
        return texts

    return run


def line_edit_menu() -> set[str]:
    edit = QLineEdit("texto")
    menu = edit.createStandardContextMenu()
    texts = menu_texts(menu)
    menu.deleteLater()
    return texts


def spin_box_menu(qtbot) -> set[str]:
    """The spin box builds its menu on a real right click: read it while it is open, then close it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent

    box = QSpinBox()
    qtbot.addWidget(box)
    box.show()
    seen: set[str] = set()

    def read_and_close() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            seen.update(menu_texts(popup))
            popup.close()

    QTimer.singleShot(100, read_and_close)
    QApplication.sendEvent(
        box, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(3, 3), box.mapToGlobal(QPoint(3, 3)))
    )
    return seen


def wizard_buttons() -> set[str]:
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    wizard.setOption(QWizard.WizardOption.HaveHelpButton, True)
    for _ in range(2):
        wizard.addPage(QWizardPage())
    wizard.show()
    QApplication.processEvents()
    texts = {
        _clean(wizard.button(b).text())
        for b in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.HelpButton,
        )
    }
    wizard.next()
    texts.add(_clean(wizard.button(QWizard.WizardButton.FinishButton).text()))
    wizard.close()
    wizard.deleteLater()
    return texts


def message_box_buttons() -> set[str]:
    box = QMessageBox()
    buttons = QMessageBox.StandardButton
    for button in (
        buttons.Ok,
        buttons.Save,
        buttons.Cancel,
        buttons.Close,
        buttons.Yes,
        buttons.No,
        buttons.Discard,
        buttons.Apply,
        buttons.Retry,
        buttons.Ignore,
        buttons.Abort,
        buttons.Help,
    ):
        box.addButton(button)
    box.setDetailedText("—")
    box.show()
    QApplication.processEvents()
    texts = {_clean(b.text()) for b in box.findChild(QDialogButtonBox).buttons()}
    box.close()
    box.deleteLater()
    return texts


def print_dialog() -> set[str]:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    dialog.show()
    QApplication.processEvents()
    texts = widget_texts(dialog)
    dialog.close()
    dialog.deleteLater()
    return texts


def print_properties() -> set[str]:
    """The print dialog's «Properties» (page setup): a modal dialog, read while it is open."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QPushButton

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    dialog.show()
    QApplication.processEvents()
    seen: set[str] = set()

    def read_and_close() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not dialog:
            seen.update(widget_texts(modal))
            modal.reject()

    QTimer.singleShot(200, read_and_close)
    next(b for b in dialog.findChildren(QPushButton) if b.objectName() == "properties").click()
    dialog.close()
    dialog.deleteLater()
    return seen


def untranslated(run: Callable[[], set[str]]) -> set[str]:
    """What Qt shows with no translator installed (its English)."""
    app = QCoreApplication.instance()
    removed = [t for t in (translator._translator, translator._qt_spanish) if t is not None]
    for t in removed:
        app.removeTranslator(t)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    try:
        return run()
    finally:
        for t in reversed(removed):
            app.installTranslator(t)


def allowed_same(lang: str) -> set[str]:
    with open(ROOT / "translations" / "same_as_spanish.csv", encoding="utf-8", newline="") as handle:
        return {_clean(r["translation"] or r["msgid"]) for r in csv.DictReader(handle) if r["lang"] == lang}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "actas").mkdir()
    (tmp_path / "padron.xlsx").write_bytes(b"PK")
    return tmp_path


@pytest.fixture
def qt_langs(qapp):
    from tambo_desktop.gui.app import create_application

    create_application()
    yield
    translator.switch_language("es")


def _surfaces(folder: Path, qtbot) -> dict[str, Callable[[], set[str]]]:
    return {
        "file dialog (open)": file_dialog(folder, "open"),
        "file dialog (save)": file_dialog(folder, "save"),
        "line-edit menu": line_edit_menu,
        "spin-box menu": lambda: spin_box_menu(qtbot),
        "wizard buttons": wizard_buttons,
        "message-box buttons": message_box_buttons,
        "print dialog": print_dialog,
        "print properties": print_properties,
    }


def test_qt_spanish_catalog_is_found_and_loaded(qt_langs):
    translator.switch_language("es")
    assert translator._qt_spanish is not None, translator.qt_translations_dirs()
    # strings the project's catalog does not list come from Qt's own Spanish catalog
    assert QCoreApplication.translate("QColorDialog", "Select Color") == "Selecciona color"
    assert QCoreApplication.translate("QPageSetupWidget", "Portrait") == "Vertical"
    translator.switch_language("qu")  # Qt's Spanish stays below the project's catalog
    assert QCoreApplication.translate("QFileDialog", "Detail View") == "Sut'inchasqata qhaway"


def test_qt_strings_are_spanish_in_spanish(qt_langs, folder, qtbot):
    surfaces = _surfaces(folder, qtbot)
    english = {name: untranslated(run) for name, run in surfaces.items()}
    translator.switch_language("es")
    same_in_spanish = {"No", "PDF", "Excel (*.xlsx)", "Cicero (CC)", "Didot (DD)", Path.home().name}
    left = {name: sorted(run() & english[name] - same_in_spanish) for name, run in surfaces.items()}
    assert all(english.values()) and not any(left.values()), left


@pytest.mark.parametrize("lang", ["qu", "ay"])
def test_no_english_or_spanish_left_in_qt_strings(qt_langs, folder, qtbot, lang):
    surfaces = _surfaces(folder, qtbot)
    english = {name: untranslated(run) for name, run in surfaces.items()}
    translator.switch_language("es")
    spanish = {name: run() for name, run in surfaces.items()}
    translator.switch_language(lang)
    shown = {name: run() for name, run in surfaces.items()}
    names = {
        folder.name,
        Path.home().name,
        "actas",
        "padron.xlsx",
        "PDF",
        "Excel (*.xlsx)",
    }  # the sidebar shows the home folder
    left = {
        name: sorted((shown[name] & (english[name] | spanish[name])) - allowed_same(lang) - names) for name in surfaces
    }
    assert sum(len(v) for v in english.values()) > 60  # the surfaces really showed Qt's strings
    assert not any(left.values()), left
