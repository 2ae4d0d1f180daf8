"""The person and community editors when another PC saved the record meanwhile: the conflict
dialog shows theirs beside the user's; "Volver a cargar" shows theirs in the form, "Aplicar los
míos encima" saves the user's on top (audited so). Real clicks on the real dialog."""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tambo_desktop.db.models import Community, Person
from tambo_desktop.gui import persons_page
from tambo_desktop.gui.conflict_dialog import ConflictDialog
from tambo_desktop.gui.dialogs import CommunityDialog
from tambo_desktop.services.accounts import AccountForm, AccountService, to_current
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.session import Session


def _other_pc(admin: Session) -> Session:
    from tambo_desktop.db.models import User

    AccountService(admin).create(AccountForm("gestor", "Pedro Huanca Apaza", "gestor", "clave-segura-2"))
    return Session(to_current(User.get(User.username == "gestor")), admin.tambo_code)


def _answer(qtbot, button: str, seen: list) -> None:
    """When the conflict dialog opens, remember what it shows, then click ``button``."""

    def click() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, click)
            return
        table = dialog.table
        seen.append((dialog.explain.text(), [table.horizontalHeaderItem(c).text() for c in range(3)],
                     [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]))  # fmt: skip
        if os.environ.get("TAMBO_SCREENSHOTS"):
            dialog.grab().save(os.path.join(os.environ["TAMBO_SCREENSHOTS"], "conflict_dialog.png"))
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, click)


def test_person_editor_shows_theirs_and_keeps_mine_on_top(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    gestor = _other_pc(admin)
    service = PersonService(admin)
    pid = service.save(PersonForm("dni", "41223344", "Rosa", "Quispe", sex="F", phone="951111111"))
    dialog = persons_page.PersonDialog(service, [], service.get(pid))  # opened on this PC
    qtbot.addWidget(dialog)
    theirs = service.get(pid)
    PersonService(gestor).save(PersonForm("dni", "41223344", "Rosa", "Quispe", sex="F", phone="952222222",
                                          version=theirs.version), pid)  # fmt: skip
    dialog.form_box.phone.setText("953333333")
    seen: list = []
    _answer(qtbot, "keep_button", seen)
    qtbot.mouseClick(dialog.findChild(persons_page.QDialogButtonBox).button(
        persons_page.QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)  # fmt: skip

    explain, header, rows = seen[0]
    assert "Pedro Huanca Apaza" in explain and header == ["Dato", "Según Pedro Huanca Apaza", "Según usted"]
    assert rows == [["Teléfono", "952222222", "953333333"]]
    assert dialog.result() == dialog.DialogCode.Accepted
    assert Person.get_by_id(pid).phone == "953333333"
    assert "aplicado encima del cambio de Pedro Huanca Apaza" in service.history(pid)[0].summary


def test_community_editor_reloads_theirs(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    gestor = _other_pc(admin)
    service = CommunityService(admin)
    cid = service.save(CommunityForm(name="Ccopamaya Alta", district="210102", kind="anexo", population="120"))
    dialog = CommunityDialog(service, service.get(cid))
    qtbot.addWidget(dialog)
    row = service.get(cid)
    CommunityService(gestor).save(dataclasses.replace(
        CommunityForm(name=row.name, district=row.district_code, kind=row.kind, population="150"), version=row.version), cid)
    dialog.ui.populationEdit.setText("130")
    seen: list = []
    _answer(qtbot, "reload_button", seen)
    dialog._save()

    assert seen[0][2] == [["Población", "150", "130"]]
    assert dialog.isVisible() is False or dialog.result() != dialog.DialogCode.Accepted  # still open to edit
    assert dialog.ui.populationEdit.text() == "150"  # theirs in the form now
    assert Community.get_by_id(cid).population == 150
    dialog.ui.notesEdit.setPlainText("Acceso por trocha")  # and a save from the reloaded copy goes through
    dialog._save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert Community.get_by_id(cid).notes == "Acceso por trocha" and Community.get_by_id(cid).population == 150
