"""The communities page with real clicks and keys: create, validate, leaders, filter, delete, import/export."""

from __future__ import annotations

from gui_helpers import answer_next_message_box, click_button_box
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from tambo_desktop.db.models import Community, Leader
from tambo_desktop.gui.dialogs import CommunityDialog, LeaderDialog

SAVE = QDialogButtonBox.StandardButton.Save


def _with_dialog(qtbot, cls, action, trigger) -> None:
    """Run ``trigger`` (which opens a modal dialog of ``cls``) and drive it with ``action``."""

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, cls):
            QTimer.singleShot(20, drive)
            return
        action(dialog)

    QTimer.singleShot(0, drive)
    trigger()


def test_create_community_with_validation_then_leader(demo_window, qtbot):
    page = demo_window.communities_page
    seen: dict = {}

    def fill(dialog: CommunityDialog) -> None:
        ui = dialog.ui
        ui.nameEdit.insert("Ch’uqi Pampa")  # pasted with a typographic apostrophe, folded on save
        ui.kindEdit.setCurrentIndex(ui.kindEdit.findData("comunidad_campesina"))
        qtbot.keyClicks(ui.populationEdit, "ciento veinte")
        qtbot.keyClicks(ui.householdsEdit, "30")
        qtbot.keyClicks(ui.latitudeEdit, "-16,05")
        click_button_box(qtbot, ui.buttonBox, SAVE)
        # still open, with the reasons shown and the bad fields outlined
        seen["errors"] = ui.errorLabel.text()
        seen["invalid"] = [ui.populationEdit.property("invalid"), ui.longitudeEdit.property("invalid")]
        seen["still_open"] = dialog.isVisible()
        ui.populationEdit.clear()
        qtbot.keyClicks(ui.populationEdit, "120")
        qtbot.keyClicks(ui.longitudeEdit, "-69,7")
        for code in ("ay", "es"):  # ticked from the keyboard: the row, then Space
            row = next(i for i in range(ui.languagesEdit.count())
                       if ui.languagesEdit.item(i).data(Qt.ItemDataRole.UserRole) == code)  # fmt: skip
            ui.languagesEdit.setFocus()
            ui.languagesEdit.setCurrentRow(row)
            qtbot.keyClick(ui.languagesEdit, Qt.Key.Key_Space)
        ui.travelMeansEdit.setCurrentIndex(ui.travelMeansEdit.findData("a_pie"))
        qtbot.keyClicks(ui.travelMinutesEdit, "90")
        click_button_box(qtbot, ui.buttonBox, SAVE)

    _with_dialog(qtbot, CommunityDialog, fill, lambda: qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton))
    assert "La población es un número entero de 0 a 1 000 000." in seen["errors"]
    assert "Escriba la latitud y la longitud, o ninguna." in seen["errors"]
    assert seen["invalid"] == [True, True] and seen["still_open"]
    saved = Community.get(Community.name == "Ch'uqi Pampa")
    assert saved.population == 120 and saved.district_id == "210102"  # the tambo's district by default
    assert float(saved.latitude) == -16.05 and saved.languages == "ay;es"
    assert page.current_community().name == "Ch'uqi Pampa"
    assert page.model.rowCount() == 15

    def leader(dialog: LeaderDialog) -> None:
        ui = dialog.ui
        qtbot.keyClicks(ui.nameEdit, "Justina Mamani Apaza")
        ui.roleEdit.setCurrentIndex(ui.roleEdit.findData("presidente_comunal"))
        qtbot.keyClicks(ui.phoneEdit, "951 234 567")
        ui.languageEdit.setCurrentIndex(ui.languageEdit.findData("ay"))
        click_button_box(qtbot, ui.buttonBox, SAVE)

    _with_dialog(
        qtbot, LeaderDialog, leader, lambda: qtbot.mouseClick(page.add_leader_button, Qt.MouseButton.LeftButton)
    )
    stored = Leader.get(Leader.name == "Justina Mamani Apaza")
    assert stored.phone == "951234567" and stored.community_id == saved.id
    assert page.leader_model.rowCount() == 1
    assert page.leader_model.data(page.leader_model.index(0, 1)) == "Presidente comunal"


def test_filter_by_text_kind_and_leader_name(demo_window, qtbot):
    page = demo_window.communities_page
    qtbot.keyClicks(page.search, "jiscu")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert page.model.rows[0].name == "Jiscullaya"
    page.search.clear()
    qtbot.keyClicks(page.search, "Fortunato")  # a leader's first name finds his community
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert page.model.rows[0].name == "Jiscullaya"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 14, timeout=2000)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("anexo"))
    assert {r.kind for r in page.model.rows} == {"anexo"}
    assert page.count_label.text() == "1 centro poblado"


def test_delete_asks_first_and_removes_leaders(demo_window, qtbot):
    page = demo_window.communities_page
    page.table.selectRow(0)
    target = page.current_community()
    assert target.leader_count > 0
    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert Community.get_or_none(Community.id == target.id) is not None
    assert target.name in seen[0]
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert Community.get_or_none(Community.id == target.id) is None
    assert Leader.select().where(Leader.community == target.id).count() == 0
    assert page.model.rowCount() == 13


def test_bad_import_file_imports_nothing_and_lists_rows(demo_window, qtbot, tmp_path):
    page = demo_window.communities_page
    bad = tmp_path / "malo.csv"
    bad.write_text(
        "centro_poblado;ubigeo;tipo;poblacion\nNuevo Uno;210102;anexo;50\nNuevo Dos;999999;anexo;x\n",
        encoding="utf-8",
    )
    before = Community.select().count()
    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    page.import_file(str(bad))
    assert Community.select().count() == before
    assert seen and "No se importó nada" in seen[0]


def test_export_then_import_round_trip_from_the_page(demo_window, qtbot, tmp_path):
    page = demo_window.communities_page
    out = tmp_path / "ambito.xlsx"
    seen: list = []
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    page.export_file(str(out))
    assert out.exists() and "26" in seen[0]
    answer_next_message_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    page.import_file(str(out))
    assert "0 nuevos, 14 actualizados" in seen[1]
    assert Community.select().count() == 14
