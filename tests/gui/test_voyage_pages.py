"""A PIAS in the window (issue 19): the wizard sets one up with its ship; the window shows the voyage
page and not the tambo's field trips (and the reverse); the desk takes the stop from the route and the
clock and links the atenciones to it; the voyage page says where the ship is and who was served."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, Ship, Tambo
from tambo_desktop.gui.desk_page import DeskPage
from tambo_desktop.gui.voyage_page import VoyagePage
from tambo_desktop.gui.wizard import FirstRunWizard
from tambo_desktop.services import pias, setup
from tambo_desktop.services.accounts import AccountForm
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.session import Session
from tambo_desktop.services.voyages import StopForm, VoyageForm, VoyageService


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _tick(qtbot, button) -> None:
    """Click a radio button or check box on its indicator (its middle may be empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def test_the_wizard_sets_up_a_pias_with_its_ship(gui_home, qtbot):
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    page = wizard.platform_page
    assert wizard.currentPage() is page and not page.ship_box.isVisible()
    _tick(qtbot, page.pias)
    assert page.ship_box.isVisible()
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))  # no ship name: stays, says so
    assert wizard.currentPage() is page and "Escriba el nombre del barco." in page.errorLabel.text()
    qtbot.keyClicks(page.ship_name, "BAP Napo")
    qtbot.keyClicks(page.capacity, "60")
    _tick(qtbot, page.modules["consulting"])
    _tick(qtbot, page.modules["reniec"])
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.tambo_page
    ui = wizard.tambo_page.ui
    qtbot.keyClicks(ui.nameEdit, "PIAS Napo")
    qtbot.keyClicks(ui.codeEdit, "PIAS-16-01")
    ui.districtEdit.lineEdit().clear()
    qtbot.keyClicks(ui.districtEdit.lineEdit(), "210101")
    qtbot.keyClicks(ui.centroPobladoEdit, "Puerto")
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    admin = wizard.admin_page.ui
    qtbot.keyClicks(admin.usernameEdit, "rquispe")
    qtbot.keyClicks(admin.fullNameEdit, "Rosa Quispe")
    qtbot.keyClicks(admin.passwordEdit, "clave-segura-1")
    qtbot.keyClicks(admin.confirmEdit, "clave-segura-1")
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert setup.is_initialized() and Tambo.get().platform == "pias"
    ship = Ship.get()
    assert (ship.name, ship.capacity, ship.modules) == ("BAP Napo", 60, "consulting,reniec")


def _pias_with_a_route_around_now() -> tuple[Session, list[int]]:
    """A PIAS whose voyage is at its second stop now (the tambo's clock)."""
    profile = setup.TamboProfile(name="PIAS Lago Titicaca", code="PIAS-21-01", district_code="210101",
                                 centro_poblado="Puerto de Puno", platform="pias")  # fmt: skip
    admin = setup.initialize(profile, AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1", "es"),
                             ship=pias.ShipForm("BAP Lago Titicaca I"))  # fmt: skip
    session = Session(admin, profile.code)
    communities = CommunityService(session)
    voyages = VoyageService(session)
    voyage = voyages.create(VoyageForm("Travesía de prueba", "Lago Titicaca"))
    now = dates.now().replace(tzinfo=None, second=0, microsecond=0)
    stops = []
    for k, name in enumerate(("Isla Taquile", "Llachón", "Ccotos", "Siale")):
        community = communities.save(CommunityForm(name=name, district="210105", kind="comunidad_campesina"))
        arrive = now + dt.timedelta(days=k - 1, hours=-2)
        stops.append(
            voyages.add_stop(voyage, StopForm(community, arrive, arrive + dt.timedelta(hours=8), "20", "1.5", "50"))
        )
    return session, stops


def test_the_window_shows_what_the_platform_kind_needs(gui_home, load_demo, qtbot):
    from tambo_desktop.demo.build import DEMO_PASSWORD
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.services import accounts

    load_demo()
    window = open_main_window(accounts.authenticate("admin", DEMO_PASSWORD), gui_home)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Viajes de campo" in titles and "Travesía" not in titles and window.voyage_page is None
    window.close()


def test_a_pias_window_has_its_voyage_page_and_no_field_trips(gui_home, qtbot):
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.services import accounts

    _pias_with_a_route_around_now()
    window = open_main_window(accounts.authenticate("admin", "clave-segura-1"), gui_home)
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Travesía" in titles and "Viajes de campo" not in titles and window.trips_page is None
    page = window.voyage_page
    page.summary.clear()
    window.show_page(page)  # recounted off the GUI thread
    qtbot.waitUntil(lambda: page.operation.finished, timeout=10000)
    assert "Llachón" in page.summary.text()
    window.close()


def test_the_desk_records_at_the_stop_of_the_clock_and_the_voyage_page_counts_it(gui_home, qtbot):
    session, stops = _pias_with_a_route_around_now()
    desk = DeskPage(session)
    qtbot.addWidget(desk)
    desk.show()
    assert desk.stop.isVisible() and desk.stop.currentData() == stops[1]  # where the ship is now
    desk.focus_search()
    qtbot.keyClicks(desk.search, "41234567")
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    for text in ("Juana", "Condori", "Apaza"):
        qtbot.keyClicks(desk.focusWidget() or desk.new_form.first_names, text)
        qtbot.keyClick(desk.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClick(desk.new_form.sex, Qt.Key.Key_Down)
    qtbot.keyClick(desk.new_form.sex, Qt.Key.Key_Return)
    qtbot.keyClicks(desk.new_form.birth_date, "14/02/1979")
    qtbot.keyClick(desk.new_form.birth_date, Qt.Key.Key_Return)
    for _skip in range(3):
        qtbot.keyClick(desk.focusWidget(), Qt.Key.Key_Return)
    for code in ("RENIEC", "MINSA"):
        qtbot.keyClicks(desk.service_edit, code)
        qtbot.keyClick(desk.service_edit, Qt.Key.Key_Return)
    qtbot.keyClick(desk.service_edit, Qt.Key.Key_Return)  # Enter on the empty field saves
    assert not desk.error_label.isVisible(), desk.error_label.text()
    rows = list(Attention.select())
    assert len(rows) == 2 and {a.voyage_stop_id for a in rows} == {stops[1]}
    # the clerk changes the stop (the ship arrived early at the next one): kept on refresh
    desk.stop.setCurrentIndex(desk.stop.findData(stops[2]))
    desk.stop.activated.emit(desk.stop.currentIndex())
    desk.refresh()
    assert desk.stop.currentData() == stops[2]

    page = VoyagePage(session)
    qtbot.addWidget(page)
    text = page.summary.text()
    assert "Llachón" in text and "parada 2 de 4" in text
    assert "En esta parada: atenciones 2; personas 1 de 50 esperadas." in text
    assert "Próximas paradas: Ccotos" in text
    assert page.table.rowCount() == 4 and page.table.item(1, 5).text() == "2 / 1"
    assert page.table.item(1, 6).text() == "Atendida"


def _in_the_dialog(qtbot, fill) -> None:
    """Run ``fill(dialog)`` on the modal dialog as soon as it is open (it presses OK itself)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def later() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, later)
            return
        fill(dialog)

    QTimer.singleShot(50, later)


def test_plan_a_voyage_and_reschedule_a_stop_from_the_page(gui_home, qtbot):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QDialogButtonBox, QLineEdit

    session, _stops = _pias_with_a_route_around_now()
    page = VoyagePage(session)
    qtbot.addWidget(page)
    page.show()

    def voyage(dialog) -> None:
        name, basin, *_rest = dialog.findChildren(QLineEdit)
        qtbot.keyClicks(name, "Travesia del Napo")
        qtbot.keyClicks(basin, "Rio Napo")
        _click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))

    _in_the_dialog(qtbot, voyage)
    _click(qtbot, page.buttons["new"])
    assert page.voyage.currentText().startswith("Travesia del Napo")
    new = page.selected_voyage()
    for k in range(2):

        def stop(dialog, k=k) -> None:
            dialog.findChild(QComboBox).setCurrentIndex(k)
            km, hours, expected = dialog.findChildren(QLineEdit)[-3:]
            qtbot.keyClicks(expected, "40")
            _click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))

        _in_the_dialog(qtbot, stop)
        _click(qtbot, page.buttons["stop"])
    assert page.table.rowCount() == 2 and page.selected_voyage() == new
    first = VoyageService(session).get(new).stops[0]
    page.table.selectRow(0)

    def reschedule(dialog) -> None:
        arrive, depart = dialog.findChildren(QDateTimeEdit)
        arrive.setDateTime(arrive.dateTime().addDays(1))
        depart.setDateTime(depart.dateTime().addDays(1))
        qtbot.keyClicks(dialog.findChild(QLineEdit, "reason"), "Crecida del rio")
        assert dialog.findChild(QCheckBox).isChecked()  # the rest of the route moves too
        _click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))

    _in_the_dialog(qtbot, reschedule)
    _click(qtbot, page.buttons["reschedule"])
    stops = VoyageService(session).get(new).stops
    assert stops[0].arrives_at == first.arrives_at + dt.timedelta(days=1)
    assert [e.action for e in VoyageService(session).history(new)][-1] == "rescheduled"


def test_the_voyage_report_is_saved_as_xlsx_from_the_page(gui_home, qtbot, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from tambo_desktop.formats.tabular import read_table
    from tambo_desktop.services.desk import DeskEntry, DeskService
    from tambo_desktop.services.indicators import IndicatorService
    from tambo_desktop.services.persons import PersonForm

    session, stops = _pias_with_a_route_around_now()
    desk = DeskService(session)
    choices = desk.service_choices()
    at = VoyageService(session).stop(stops[0]).arrives_at + dt.timedelta(hours=1)
    for n in range(3):
        form = PersonForm("dni", f"4100000{n}", "María", "Mamani", "Quispe", "F", "01/03/1980")
        desk.register(
            DeskEntry(None, form, [choices[n].id, choices[n + 1].id], "inside", attended_at=at, voyage_stop_id=stops[0])
        )
    page = VoyagePage(session)
    qtbot.addWidget(page)
    page.show()
    target = tmp_path / "informe-travesia"

    def save(dialog) -> None:
        assert isinstance(dialog, QFileDialog) and "Excel (*.xlsx)" in dialog.nameFilters()
        dialog.selectNameFilter("Excel (*.xlsx)")
        dialog.selectFile(str(target))
        dialog.accept()

    _in_the_dialog(qtbot, save)
    _click(qtbot, page.buttons["report"])
    qtbot.waitUntil(lambda: page.operation.finished, timeout=15000)
    written = tmp_path / "informe-travesia.xlsx"  # the extension of the filter chosen
    assert "Guardado en" in page.summary.text() and written.exists()
    _header, rows = read_table(written)
    totals = [r for r in rows if r[8] == "Total"]
    indicators = IndicatorService(session)
    expected = [indicators.stops([s], "").attentions for s in stops]
    assert [int(r[10]) for r in totals[:-1]] == expected == [6, 0, 0, 0]
    assert int(totals[-1][10]) == 6 and int(totals[-1][11]) == 3


def test_the_ship_is_edited_from_the_voyage_page_and_a_concurrent_save_is_shown(gui_home, qtbot):
    from PySide6.QtWidgets import QApplication

    from tambo_desktop.db.models import Space
    from tambo_desktop.gui.voyage_page import ShipDialog
    from tests.gui.test_conflict_dialog import _answer

    session, _stops = _pias_with_a_route_around_now()
    page = VoyagePage(session)
    qtbot.addWidget(page)
    page.show()
    assert page.buttons["ship"].isVisible()
    seen: list = []

    def edit(dialog) -> None:
        assert isinstance(dialog, ShipDialog) and dialog.name.text() == "BAP Lago Titicaca I"
        dialog.capacity.clear()
        qtbot.keyClicks(dialog.capacity, "tres")  # refused in place, nothing written
        _click(qtbot, dialog.save_button)
        assert "La capacidad es un número entero" in dialog.error.text() and dialog.isVisible()
        dialog.capacity.clear()
        qtbot.keyClicks(dialog.capacity, "80")
        qtbot.keyClicks(dialog.navy_code, "abh-306")
        _tick(qtbot, dialog.modules["consulting"])
        _tick(qtbot, dialog.modules["reniec"])
        # meanwhile another PC renames the ship: this save is shown beside theirs, the user keeps theirs on top
        pias.ShipService(session).update(pias.ShipForm("BAP Río Napo", "", "60", (), version=dialog.version))
        _answer(qtbot, "keep_button", seen)
        _click(qtbot, dialog.save_button)

    _in_the_dialog(qtbot, edit)
    _click(qtbot, page.buttons["ship"])
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
    assert seen and "BAP Río Napo" in str(seen[0])
    ship = pias.ship_info()
    assert (ship.name, ship.navy_code, ship.capacity, ship.modules) == (
        "BAP Lago Titicaca I",
        "ABH-306",
        80,
        ("consulting", "reniec"),
    )
    active = {s.name for s in Space.select().where(Space.active == True)}  # noqa: E712
    assert active == {"Consultorio médico (a bordo)", "Oficina de RENIEC (a bordo)"}


def test_a_stop_is_announced_from_the_page_and_a_language_without_phrases_is_said(gui_home, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from tambo_desktop.services.campaigns import CampaignService

    session, stops = _pias_with_a_route_around_now()
    voyages, communities = VoyageService(session), CommunityService(session)
    for stop, languages in ((stops[0], "ay;es"), (stops[1], "agr;es")):
        row = voyages.stop(stop)
        communities.save(CommunityForm(name=row.community_name, district="210105", kind="comunidad_campesina",
                                       languages=languages), row.community_id)  # fmt: skip
    page = VoyagePage(session)
    qtbot.addWidget(page)
    page.show()
    texts = []
    for row in (0, 1):
        page.table.selectRow(row)

        def close(box) -> None:
            assert isinstance(box, QMessageBox)
            texts.append(box.text())
            _click(qtbot, box.button(QMessageBox.StandardButton.Ok))

        _in_the_dialog(qtbot, close)
        _click(qtbot, page.buttons["announce"])
    assert "Se imprimen en castellano y Aimara." in texts[0]
    assert "Todavía no hay frases en Awajún (agr): el anuncio sale solo en castellano." in texts[1]
    languages = sorted(
        c.local_language for c in map(CampaignService(session).get, [r.id for r in CampaignService(session).list()])
    )
    assert languages == ["", "ay"]


@pytest.mark.parametrize("lang", ("es", "qu", "ay"))
def test_the_voyage_page_and_the_ship_dialog_have_each_access_key_once(gui_home, qtbot, lang):
    from keyboard_check import dead_mnemonics, duplicates

    from tambo_desktop.gui import translator
    from tambo_desktop.gui.voyage_page import ShipDialog

    session, _stops = _pias_with_a_route_around_now()
    translator.switch_language(lang)
    try:
        problems = []
        for window in (VoyagePage(session), ShipDialog(session)):
            qtbot.addWidget(window)
            window.show()
            problems += [f"{lang} {type(window).__name__}: Alt+{k} for {v}" for k, v in duplicates(window).items()]
            problems += [f"{lang} {type(window).__name__}: dead {t!r}" for t in dead_mnemonics(window)]
        assert not problems, "\n".join(problems)
    finally:
        translator.switch_language("es")


def test_a_spanish_only_stop_campaign_stays_spanish_only_on_the_campaigns_page(gui_home, qtbot):
    """A stop whose community speaks a language without phrases is announced in Spanish only: the
    campaigns page shows «Solo castellano», offers only Spanish documents, and a save keeps it so."""
    from tambo_desktop.gui.campaigns_page import CampaignsPage
    from tambo_desktop.services.campaigns import CampaignService
    from tambo_desktop.services.voyages_campaigns import StopAnnouncementService

    session, stops = _pias_with_a_route_around_now()
    row = VoyageService(session).stop(stops[2])
    CommunityService(session).save(CommunityForm(name=row.community_name, district="210105", kind="comunidad_nativa",
                                                 languages="agr"), row.community_id)  # fmt: skip
    campaign = StopAnnouncementService(session).announce(stops[2])
    page = CampaignsPage(session)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.show_campaign(campaign)
    assert page.language.currentText() == "Solo castellano" and page.language.currentData() == ""
    assert [page.doc_languages.itemData(i) for i in range(page.doc_languages.count())] == ["es"]
    page.message_es.setPlainText("Traigan su DNI.")
    _click(qtbot, page.save_button)
    detail = CampaignService(session).get(campaign)
    assert detail.message_es == "Traigan su DNI." and detail.local_language == ""


@pytest.mark.parametrize("lang", ("es", "qu", "ay"))
def test_the_voyage_page_fits_beside_the_navigation_on_a_1024_pixel_screen(gui_home, qtbot, lang):
    """One row of seven route buttons made the page 1,050 pixels wide in Aymara: it scrolled sideways
    on a 1024×768 screen. The page's narrowest layout must fit the 800 pixels left by the navigation."""
    from tambo_desktop.gui import translator

    session, _stops = _pias_with_a_route_around_now()
    translator.switch_language(lang)
    try:
        page = VoyagePage(session)
        qtbot.addWidget(page)
        page.show()
        assert page.minimumSizeHint().width() <= 790, (lang, page.minimumSizeHint().width())
    finally:
        translator.switch_language("es")


def test_the_entities_aboard_are_chosen_with_their_staff_and_services(gui_home, qtbot):
    """The voyage's entities aboard, their staff (one name a line) and services, from the page."""
    from PySide6.QtWidgets import QDialogButtonBox

    from tambo_desktop.gui.voyage_dialogs import EntitiesDialog

    session, _stops = _pias_with_a_route_around_now()
    page = VoyagePage(session)
    qtbot.addWidget(page)
    page.show()
    voyage_id = page.selected_voyage()
    assert page.buttons["entities"].isVisible() and page.buttons["entities"].isEnabled()

    def fill(dialog) -> None:
        assert isinstance(dialog, EntitiesDialog)
        codes = [dialog.list.item(i).text().split(" — ")[0] for i in range(dialog.list.count())]
        for code in ("MINSA", "RENIEC"):
            item = dialog.list.item(codes.index(code))
            item.setCheckState(Qt.CheckState.Checked)
            dialog.list.setCurrentItem(item)
            assert dialog.staff.isEnabled()
            qtbot.keyClicks(dialog.staff, f"{code} uno")
            qtbot.keyClick(dialog.staff, Qt.Key.Key_Return)
            qtbot.keyClicks(dialog.staff, f"{code} dos")
            qtbot.keyClicks(dialog.services, f"Servicios de {code}")
        dialog.list.setCurrentRow(codes.index("MINSA"))  # back to the first: what was typed is still there
        assert dialog.staff.toPlainText() == "MINSA uno\nMINSA dos"
        _click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))

    _in_the_dialog(qtbot, fill)
    _click(qtbot, page.buttons["entities"])
    aboard = {e.entity_code: (e.staff, e.services) for e in VoyageService(session).get(voyage_id).entities}
    assert aboard == {
        "MINSA": ("MINSA uno\nMINSA dos", "Servicios de MINSA"),
        "RENIEC": ("RENIEC uno\nRENIEC dos", "Servicios de RENIEC"),
    }

    def drop(dialog) -> None:  # RENIEC stays ashore this time
        codes = [dialog.list.item(i).text().split(" — ")[0] for i in range(dialog.list.count())]
        dialog.list.item(codes.index("RENIEC")).setCheckState(Qt.CheckState.Unchecked)
        _click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))

    _in_the_dialog(qtbot, drop)
    _click(qtbot, page.buttons["entities"])
    assert [e.entity_code for e in VoyageService(session).get(voyage_id).entities] == ["MINSA"]
    assert "entities" in [e.action for e in VoyageService(session).history(voyage_id)]


def test_the_voyage_history_shows_who_changed_what_and_why(gui_home, qtbot):
    from tambo_desktop.gui.voyage_dialogs import HistoryDialog

    session, stops = _pias_with_a_route_around_now()
    voyages = VoyageService(session)
    stop = voyages.stop(stops[2])
    voyages.reschedule(
        stop.id,
        stop.arrives_at + dt.timedelta(days=1),
        stop.departs_at + dt.timedelta(days=1),
        "Crecida del lago",
        True,
    )
    page = VoyagePage(session)
    qtbot.addWidget(page)
    page.show()

    def look(dialog) -> None:
        assert isinstance(dialog, HistoryDialog)
        table = dialog.table
        rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        last = rows[-1]
        assert last[1] == session.user.username
        assert last[2] == "Parada reprogramada (y 1 parada después)"  # the one stop after it was shifted too
        assert last[3].endswith(stop.community_name) and last[5] == "Crecida del lago" and " → " in last[4]
        dialog.reject()

    _in_the_dialog(qtbot, look)
    _click(qtbot, page.buttons["history"])


def test_a_pias_is_named_as_a_pias_in_the_window_and_at_the_desk(gui_home, qtbot):
    """A PIAS's window says PIAS where a tambo's says tambo: the status bar, the profile dialog, and
    the desk's places (aboard the ship / ashore), in the interface language."""
    from tambo_desktop.gui.app import open_main_window
    from tambo_desktop.gui.tambo_dialog import TamboDialog
    from tambo_desktop.services import accounts
    from tambo_desktop.services.indicators import IndicatorService

    session, _stops = _pias_with_a_route_around_now()
    window = open_main_window(accounts.authenticate("admin", "clave-segura-1"), gui_home)
    qtbot.addWidget(window)
    assert window.tambo_status.text().startswith("PIAS: ")
    assert window.tambo_action.text() == "&Datos de la PIAS…"
    dialog = TamboDialog(session, window)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Datos de la PIAS" and dialog.ui.centroPobladoLabel.text() == "&Puerto base:"
    desk = DeskPage(session)
    qtbot.addWidget(desk)
    assert [desk.place.itemText(i) for i in range(desk.place.count())] == [
        "A bordo de la PIAS",
        "En tierra, fuera de la PIAS",
    ]
    month = IndicatorService(session).month(dates.today().year, dates.today().month)
    places = [c.label for c in month.breakdowns["place"]]
    assert places == ["A bordo de la PIAS", "En tierra, fuera de la PIAS"]
