"""The Campaigns page with real clicks: a clerk types a campaign for next week's RENIEC and MINSA
visit, ticks the checklist, makes the flyer (previewed first), the oficios and the radio script,
ticks who received their letter; a campaign without a title is refused in place; the supervisor
only reads; the page follows a switch to Quechua."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from tambo_desktop import dates
from tambo_desktop.db.models import Campaign, Community, Entity, Service
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui.campaigns_page import CampaignsPage
from tambo_desktop.services import accounts
from tambo_desktop.services.campaigns import CHANNEL_TASKS, FIRST_TASK, CampaignService
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.letters import LetterService
from tambo_desktop.services.radio import RadioService
from tambo_desktop.services.session import Session
from tests.gui.gui_helpers import translated

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

DAY = dates.today() + dt.timedelta(days=9)


@pytest.fixture
def staff(gui_home, load_demo):
    """The demo tambo with a RENIEC visit in the auditorium and a MINSA visit to Jiscullaya in nine days."""
    load_demo()
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    service = InterventionService(admin)
    for code, place in (("RENIEC", "inside"), ("MINSA", "outside")):
        entity = Entity.get(Entity.code == code)
        services = [s.id for s in Service.select().where(Service.entity == entity).limit(2)]
        community = Community.get(Community.name == "Jiscullaya").id if place == "outside" else None
        service.save(InterventionForm(
            f"Campaña {code}", entity.id, "support", services, place, None, community, "",
            dt.datetime.combine(DAY, dt.time(9)), dt.datetime.combine(DAY, dt.time(13)), expected_participants="40",
        ), confirm=True)  # fmt: skip
    return Session(accounts.authenticate("oficina", DEMO_PASSWORD), DEMO_PROFILE.code)


def _tick(widget: QListWidget, texts: list[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        if any(t in item.text() for t in texts):
            item.setCheckState(Qt.CheckState.Checked)


def _texts(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _new_campaign(page: CampaignsPage, qtbot) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.title_es, "DNI y salud en Jiscullaya")
    page.title_local.setText("DNI qullañ uñjawi Jiscullayan")  # QTest types ASCII only
    qtbot.keyClicks(page.message_es, "Traiga a toda su familia.")
    qtbot.keyClicks(page.message_local, "Taqi familiamampi jutma.")
    page.language.setCurrentIndex(page.language.findData("ay"))
    _tick(page.interventions, ["RENIEC", "MINSA"])
    _tick(page.communities, ["Jiscullaya", "Camicachi"])
    _tick(page.channels, ["Radio"])
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)


def test_clerk_makes_a_campaign_and_its_documents(staff, qtbot, monkeypatch):
    page = CampaignsPage(staff)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    _new_campaign(page, qtbot)
    assert page.errors.isHidden(), page.errors.text()
    campaign = Campaign.get()
    assert page.campaign_id == campaign.id and page.list_model.rowCount() == 1
    assert campaign.starts_on == DAY - dt.timedelta(days=14) and campaign.local_language == "ay"

    # the checklist: its first tasks come from the channels; ticking one keeps who and when
    assert _texts(page.task_list) == [FIRST_TASK, CHANNEL_TASKS["radio"]]
    page.task_list.item(0).setCheckState(Qt.CheckState.Checked)
    done = CampaignService(staff).tasks(campaign.id)[0]
    assert done.done_at is not None and done.done_by == staff.user.full_name
    assert staff.user.full_name in page.task_list.item(0).text()
    qtbot.keyClicks(page.new_task, "Avisar al teniente gobernador")
    qtbot.mouseClick(page.add_task_button, Qt.MouseButton.LeftButton)
    assert _texts(page.task_list)[-1] == "Avisar al teniente gobernador" and page.new_task.text() == ""

    # the flyer is previewed before printing, then kept in the campaign's documents
    previews = []
    monkeypatch.setattr(
        "tambo_desktop.gui.pdf_preview.PdfPreviewDialog.exec", lambda dialog: previews.append(dialog) or 0
    )
    page.tabs.setCurrentIndex(2)
    page.template.setCurrentIndex(page.template.findData("a4"))
    qtbot.mouseClick(page.flyer_button, Qt.MouseButton.LeftButton)
    assert len(previews) == 1
    text = _pdf_text(previews[0].pdf_path)
    assert (
        "DNI y salud" in text and "Tambo Jiscullaya" in text and "RENIEC" in text
    )  # the title wraps beside its Aymara
    assert page.documents_model.rowCount() == 1

    # oficios: one per leader of the two communities, ticked when delivered
    path = page.make("letters", preview=False)
    rows = LetterService(staff).rows(campaign.id)
    assert len(rows) == page.letter_list.count() >= 2
    assert "Fortunato Mamani Quispe" in _pdf_text(path)
    page.letter_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert LetterService(staff).rows(campaign.id)[0].delivered_on == dates.today()
    assert "entregado el" in page.letter_list.item(0).text()

    # the radio script: generated, edited, kept, with its reading time
    assert "RENIEC" in page.radio_es.toPlainText() and "segundos" in page.radio_es_time.text()
    page.radio_es.setPlainText("¡Atención, Jiscullaya! RENIEC y MINSA llegan al tambo. ¡Los esperamos!")
    qtbot.mouseClick(page.radio_save, Qt.MouseButton.LeftButton)
    assert RadioService(staff).for_campaign(campaign.id).texts["es"].startswith("¡Atención, Jiscullaya!")
    assert "Jiscullaya" in _pdf_text(page.make("radio", preview=False))

    # produce the first document again from the list
    page.documents.selectRow(page.documents_model.rowCount() - 1)
    qtbot.mouseClick(page.again_button, Qt.MouseButton.LeftButton)
    assert len(previews) == 2 and page.documents_model.rowCount() == 4


def test_a_campaign_without_title_is_refused_in_place(staff, qtbot):
    page = CampaignsPage(staff)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _tick(page.interventions, ["RENIEC"])
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.errors.isVisible() and page.errors.text()
    assert Campaign.select().count() == 0 and page.campaign_id is None


def test_supervisor_reads_only(staff, qtbot):
    supervisor = Session(accounts.authenticate("supervisor", DEMO_PASSWORD), DEMO_PROFILE.code)
    page = CampaignsPage(staff)
    qtbot.addWidget(page)
    _new_campaign(page, qtbot)
    page = CampaignsPage(supervisor)
    qtbot.addWidget(page)
    page.show()
    assert page.list_model.rowCount() == 1 and page.title_es.text() == "DNI y salud en Jiscullaya"
    for button in (page.new_button, page.save_button, page.flyer_button, page.letters_button, page.again_button):
        assert not button.isEnabled()


def test_the_page_follows_the_language(staff, qtbot):
    from tambo_desktop.gui import translator

    page = CampaignsPage(staff)
    qtbot.addWidget(page)
    translator.switch_language("qu")
    assert page.tabs.tabText(1) == translated("qu", "&Tareas") != "&Tareas"
    assert page.save_button.text() == translated("qu", "&Guardar campaña")
    translator.switch_language("es")
    assert page.tabs.tabText(1) == "&Tareas"


def test_a_campaign_changed_on_another_pc_is_not_overwritten(staff, qtbot):
    """The campaign's form was read before another PC saved it: Save shows theirs beside the user's,
    and "Aplicar los míos encima" saves the user's on top; the user's own script save is no conflict."""
    import dataclasses

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tambo_desktop.db.models import Campaign
    from tambo_desktop.gui.conflict_dialog import ConflictDialog
    from tambo_desktop.services.campaigns import CampaignService

    page = CampaignsPage(staff)
    qtbot.addWidget(page)
    page.refresh()
    _new_campaign(page, qtbot)
    campaign_id = page.campaign_id
    page.save_radio()  # this user's own save of the script: the form follows it
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    other = CampaignService(admin)
    other.save(
        dataclasses.replace(other.get(campaign_id).form(), title_es="DNI y salud: Jiscullaya y Camicachi"), campaign_id
    )

    page.message_es.setPlainText("Traiga su DNI y el de sus hijos.")
    seen = []

    def keep_mine() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()), None
        )
        if dialog is None:
            QTimer.singleShot(50, keep_mine)
            return
        seen.append([[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())])
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, keep_mine)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert (
        seen and ["Título en castellano", "DNI y salud: Jiscullaya y Camicachi", "DNI y salud en Jiscullaya"] in seen[0]
    )
    assert not any(row[0] == "Guion de radio en castellano" for row in seen[0])  # the user's own script save
    saved = Campaign.get_by_id(campaign_id)
    assert saved.title_es == "DNI y salud en Jiscullaya" and saved.message_es == "Traiga su DNI y el de sus hijos."


def test_the_supervisor_cannot_type_into_a_campaign(staff, qtbot):
    """Seen: the campaign's fields took the supervisor's typing (only Save was disabled)."""
    from PySide6.QtWidgets import QAbstractButton, QWidget

    from tambo_desktop.gui.widgets import is_field

    page = CampaignsPage(staff)
    qtbot.addWidget(page)
    _new_campaign(page, qtbot)
    page = CampaignsPage(Session(accounts.authenticate("supervisor", DEMO_PASSWORD), DEMO_PROFILE.code))
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    title, message = page.title_es.text(), page.message_es.toPlainText()
    assert title == "DNI y salud en Jiscullaya"
    qtbot.mouseClick(page.title_es, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.title_es, "xyz")
    qtbot.mouseClick(page.message_es.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.message_es, "xyz")
    assert page.title_es.text() == title and page.message_es.toPlainText() == message
    ticked = page.starts_auto.isChecked()
    qtbot.mouseClick(page.starts_auto, Qt.MouseButton.LeftButton)
    assert page.starts_auto.isChecked() == ticked
    editable = [w.objectName() or type(w).__name__ for w in page.tabs.findChildren(QWidget)
                if is_field(w) and w.isEnabled() and (isinstance(w, QAbstractButton) or not w.isReadOnly())]  # fmt: skip
    assert not editable, editable
