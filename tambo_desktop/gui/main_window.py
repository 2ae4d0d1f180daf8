"""The main window: navigation to the areas that exist, menus, status bar, shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import i18n, paths
from tambo_desktop.db.connection import DatabaseInfo
from tambo_desktop.gui import access, comfort, translator
from tambo_desktop.gui.about import show_about
from tambo_desktop.gui.accounts_page import AccountsPage
from tambo_desktop.gui.communities_page import CommunitiesPage
from tambo_desktop.gui.navigation import NavigationList
from tambo_desktop.gui.screen_fit import ElidedLabel, place_main_window, scrolling_page
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.accounts import AccountService
from tambo_desktop.services.session import Session
from tambo_desktop.services.setup import TamboInfo
from tambo_desktop.vocabulary import ROLES, label


def settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    logout_requested = Signal()

    def __init__(self, session: Session, tambo: TamboInfo, database: DatabaseInfo) -> None:
        super().__init__()
        self.session = session
        self.tambo = tambo
        self.database = database
        self.pages: list[tuple[str, object]] = []
        self.page_titles: dict[int, QLabel] = {}  # titles the window adds to pages that have none
        self.nav = NavigationList()  # grouped, with icons (issue 14, part 8)
        self.nav.setMaximumWidth(280)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)

        from tambo_desktop.gui import page_load

        with page_load.deferred():  # each page loads when first shown, not while the window is built
            from tambo_desktop.gui.month_page import MonthPage
            from tambo_desktop.gui.today_page import TodayPage

            self.today_page = TodayPage(session)
            self._add_page(N_("Hoy"), self.today_page)
            pias = tambo.platform == "pias"  # a PIAS has its voyages instead of the tambo's field trips
            self.voyage_page = None
            if pias:
                from tambo_desktop.gui.voyage_page import VoyagePage

                self.voyage_page = VoyagePage(session)
                self._add_page(N_("Travesía"), self.voyage_page)
            self.desk_page = None
            if session.can("attentions.record"):
                from tambo_desktop.gui.desk_page import DeskPage

                self.desk_page = DeskPage(session)
                self._add_page(N_("Mesa de atención"), self.desk_page)
            from tambo_desktop.gui.attentions_page import AttentionsPage
            from tambo_desktop.gui.persons_page import PersonsPage

            self.attentions_page = AttentionsPage(session)
            self._add_page(N_("Atenciones"), self.attentions_page)
            self.persons_page = PersonsPage(session)
            self._add_page(N_("Personas"), self.persons_page)
            from tambo_desktop.gui.calendar_page import CalendarPage
            from tambo_desktop.gui.plan_page import PlanPage

            self.calendar_page = CalendarPage(session)
            self._add_page(N_("Calendario"), self.calendar_page)
            self.plan_page = PlanPage(session)
            self._add_page(N_("Plan del mes"), self.plan_page)
            from tambo_desktop.gui.campaigns_page import CampaignsPage

            self.campaigns_page = CampaignsPage(session)
            self._add_page(N_("Campañas"), self.campaigns_page)
            self.calendar_page.changed.connect(self.plan_page.refresh)
            from tambo_desktop.gui.training_page import TrainingPage

            self.training_page = TrainingPage(session)
            self._add_page(N_("Capacitaciones"), self.training_page)
            self.trips_page = None
            if not pias:
                from tambo_desktop.gui.trips_page import TripsPage

                self.trips_page = TripsPage(session)
                self._add_page(N_("Viajes de campo"), self.trips_page)
            from tambo_desktop.gui.staff_page import StaffPage

            self.staff_page = StaffPage(session)
            self._add_page(N_("Asistencia del personal"), self.staff_page)
            self.month_page = MonthPage(session)
            self._add_page(N_("Indicadores del mes"), self.month_page)
            self.report_page = None
            if session.can("reports.view"):
                from tambo_desktop.gui.report_page import ReportPage

                self.report_page = ReportPage(session)
                self._add_page(N_("Informe mensual"), self.report_page)
            self.communities_page = CommunitiesPage(session)
            self._add_page(N_("Centros poblados"), self.communities_page)
            self.accounts_page = None
            if session.can("accounts.manage"):
                self.accounts_page = AccountsPage(session)
                self._add_page(N_("Cuentas"), self.accounts_page)
            self.backup_page = None
            if session.can("backup.list"):
                from tambo_desktop.gui.backup_page import BackupPage

                self.backup_page = BackupPage(session)
                self.backup_page.restored.connect(self._logout)
                self._add_page(N_("Copias de seguridad"), self.backup_page)
            self.audit_page = None
            if session.can("audit.view"):
                from tambo_desktop.gui.audit_page import AuditPage

                self.audit_page = AuditPage(session)
                self._add_page(N_("Auditoría"), self.audit_page)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1000])
        self.setCentralWidget(splitter)
        self._build_menus()
        # long names never widen the window: the status texts elide, whole in their tooltips
        self.tambo_status = ElidedLabel()
        self.user_status = ElidedLabel()
        self.db_status = ElidedLabel()
        for widget in (self.tambo_status, self.user_status, self.db_status):
            self.statusBar().addPermanentWidget(widget, 1)
        self.nav.currentRowChanged.connect(self._page_shown)
        self.attentions_page.person_requested.connect(self.show_person)
        self.month_page.attentions_requested.connect(self.show_attentions)
        self.today_page.attentions_requested.connect(self.show_attentions)
        if self.desk_page is not None:
            # the Today page recounts when shown; after a desk save only if it is on the screen
            self.desk_page.saved.connect(lambda: self.today_page.isVisible() and self.today_page.refresh())
        first = self.page_index(self.desk_page or self.today_page)  # the clerk starts at the desk
        if self.nav.currentRow() == first:  # already in front (no signal): load it now
            self._page_shown(first)
        else:
            self.nav.setCurrentRow(first)
        self.retranslate()
        percent = comfort.apply_text_size(comfort.saved_text_size(session.user.username))  # this user's size
        self.text_actions[percent].setChecked(True)
        self._restore_geometry()
        from tambo_desktop.gui.idle_lock import IdleLock
        from tambo_desktop.services import settings as tambo_settings

        self.idle_lock = IdleLock(session.user, tambo_settings.idle_lock_minutes(), self)
        self.idle_lock.logout_requested.connect(self._logout)
        # left idle: the departure is the last activity (kept if they come back); unlocking is a sign-in
        self.idle_lock.locked.connect(self._left_idle)
        self.idle_lock.unlocked.connect(self._back)
        # a long day at the desk: the daily backup is checked every hour, not only at start
        self.backup_timer = QTimer(self, interval=3_600_000)
        self.backup_timer.timeout.connect(self._daily_backup)
        self.backup_timer.start()

    def _name_controls(self) -> None:
        """Accessible names in the user's language for the controls Qt cannot name (gui/access.py)."""
        access.set_name(self.nav, _(access.NAVIGATION))
        for title, page in self.pages:
            access.name_controls(page, _(title))

    def _daily_backup(self) -> None:
        from tambo_desktop.gui.ops import start_daily_backup

        start_daily_backup()  # off the GUI thread

    def _page_shown(self, row: int) -> None:
        page = self.pages[row][1]
        if hasattr(page, "show_again"):  # a list that keeps its rows while nothing changed
            page.show_again()
        elif hasattr(page, "refresh_in_background"):  # the counting pages: off the GUI thread
            page.refresh_in_background()
        elif hasattr(page, "refresh") and page is not self.communities_page:
            page.refresh()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def follow_changes(self, url: str) -> None:
        """Refresh the page in front when another PC saves (pages behind refresh when shown)."""
        from tambo_desktop.gui.live import LiveChanges

        self.live = LiveChanges(url, self)
        self.live.changed.connect(self._another_pc_saved)

    def _another_pc_saved(self, table: str) -> None:
        page = self.current_page()
        # the desk's form and the communities' selection are the user's work in progress: not reset
        if page is self.desk_page or page is self.communities_page:
            return
        if hasattr(page, "refresh_in_background"):  # the counting pages: off the GUI thread
            page.refresh_in_background()
        elif hasattr(page, "refresh"):
            page.refresh()

    def show_page(self, page) -> None:
        """Bring one of the window's pages to the front (it refreshes when shown)."""
        for row, (_title, candidate) in enumerate(self.pages):
            if candidate is page:
                if self.nav.currentRow() == row:
                    self._page_shown(row)
                self.nav.setCurrentRow(row)
                return

    def show_attentions(self, flt) -> None:
        """The atenciones list filtered by ``flt`` (an ``AttentionFilter``: a bar or a community of
        the Today or month page's charts)."""
        from PySide6.QtCore import QDate

        page = self.attentions_page
        if not page._filled:
            page._fill_pickers()
        combos = (page.entity, page.service_filter, page.community, page.sex, page.age_group)
        for combo in combos:
            combo.blockSignals(True)
        for combo, value in ((page.entity, flt.entity_id), (page.service_filter, flt.service_id),
                             (page.community, flt.community_id), (page.sex, flt.sex or None),
                             (page.age_group, flt.age_group or None)):  # fmt: skip
            combo.setCurrentIndex(max(combo.findData(value), 0) if value else 0)
        for combo in combos:
            combo.blockSignals(False)
        page.date_from.setDate(QDate(flt.date_from.year, flt.date_from.month, flt.date_from.day))
        page.date_to.setDate(QDate(flt.date_to.year, flt.date_to.month, flt.date_to.day))
        page.text.clear()
        page.voided.setChecked(flt.include_voided)  # the charts count the atenciones that count
        self.show_page(page)
        page.reload()

    def show_person(self, person_id: int) -> None:
        self.show_page(self.persons_page)
        self.persons_page.show_person(person_id)

    def _add_page(self, title: str, page) -> None:
        self.pages.append((title, page))
        self.nav.add_page(title, page)
        holder = page
        if not isinstance(getattr(page, "title", None), QLabel):  # every page has a title (its name)
            holder = QWidget()
            holder.setObjectName("titledPage")
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            heading = comfort.title_label()
            heading.setContentsMargins(9, 9, 9, 0)
            column.addWidget(heading)
            column.addWidget(page, 1)
            self.page_titles[len(self.pages) - 1] = heading
        self.stack.addWidget(scrolling_page(holder))  # a page that needs more room scrolls, the window keeps its size

    def page_index(self, page) -> int:
        return next(row for row, (_title, candidate) in enumerate(self.pages) if candidate is page)

    def current_page(self):
        """The page in front (each page sits in its own scroll area in the stack)."""
        return self.pages[self.stack.currentIndex()][1]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.import_action = QAction(self, triggered=lambda: self.communities_page.import_file())
        self.export_action = QAction(self, triggered=lambda: self.communities_page.export_file())
        self.new_action = QAction(self, triggered=self.communities_page.new_community)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.import_persons_action = QAction(self, triggered=lambda: self.import_persons())
        self.import_persons_action.setVisible(self.session.can("persons.import"))
        self.export_attentions_action = QAction(self, triggered=lambda: self.attentions_page.export())
        self.export_attentions_action.setVisible(self.session.can("attentions.export"))
        self.find_action = QAction(self, triggered=self._find)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.tambo_action = QAction(self, triggered=self._edit_tambo)
        self.tambo_action.setVisible(self.session.can("tambo.edit"))
        self.settings_action = QAction(self, triggered=self._settings)
        self.settings_action.setVisible(self.session.can("settings.edit"))
        self.logout_action = QAction(self, triggered=self._logout)
        self.logout_action.setShortcut(QKeySequence("Ctrl+L"))
        self.quit_action = QAction(self, triggered=self.close)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.new_action.setVisible(self.session.can("communities.edit"))
        self.import_action.setVisible(self.session.can("communities.import"))
        self.export_action.setVisible(self.session.can("communities.export"))
        for action in (self.new_action, self.find_action, self.import_action, self.export_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_persons_action)
        self.file_menu.addAction(self.export_attentions_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.tambo_action)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addAction(self.logout_action)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.page_actions = []
        for i in range(len(self.pages)):
            action = QAction(self, triggered=lambda _checked=False, row=i: self.nav.setCurrentRow(row))
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            self.view_menu.addAction(action)
            self.page_actions.append(action)

        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions = {}
        for lang in i18n.LANGUAGES:
            action = QAction(lang.native_name, self, checkable=True)
            action.setData(lang.code)
            action.triggered.connect(lambda _checked=False, code=lang.code: self.set_language(code))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang.code] = action
        self.view_menu.addSeparator()
        self.text_menu = self.view_menu.addMenu("")
        self.text_group = QActionGroup(self)
        self.text_actions = {}
        for percent in comfort.TEXT_SIZES:
            action = QAction(self, checkable=True)
            action.triggered.connect(lambda _checked=False, p=percent: self.set_text_size(p))
            self.text_group.addAction(action)
            self.text_menu.addAction(action)
            self.text_actions[percent] = action
        self.text_menu.addSeparator()
        self.larger_action = QAction(self, triggered=lambda: self.step_text_size(1))
        self.larger_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.smaller_action = QAction(self, triggered=lambda: self.step_text_size(-1))
        self.smaller_action.setShortcut(QKeySequence("Ctrl+-"))
        for action in (self.larger_action, self.smaller_action):
            self.text_menu.addAction(action)
            self.addAction(action)
        self.help_menu = bar.addMenu("")
        self.page_help_action = QAction(self, triggered=self.show_page_help)
        self.page_help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_menu.addAction(self.page_help_action)
        self.about_action = QAction(self, triggered=lambda: show_about(self))
        self.help_menu.addAction(self.about_action)

    def set_text_size(self, percent: int) -> None:
        """Every window's text at this size, now; remembered for this user."""
        percent = comfort.apply_text_size(percent)
        self.text_actions[percent].setChecked(True)
        comfort.save_text_size(self.session.user.username, percent)

    def step_text_size(self, step: int) -> None:
        sizes = comfort.TEXT_SIZES
        index = sizes.index(comfort.text_size()) if comfort.text_size() in sizes else 0
        self.set_text_size(sizes[max(0, min(len(sizes) - 1, index + step))])

    def show_page_help(self) -> None:
        """F1: a few lines about the page in front, in the user's language."""
        from PySide6.QtWidgets import QMessageBox

        row = self.stack.currentIndex()
        box = QMessageBox(QMessageBox.Icon.Information, _("Ayuda: {page}").format(page=_(self.pages[row][0])),
                          comfort.page_help(self.current_page()), QMessageBox.StandardButton.Ok, self)  # fmt: skip
        box.setObjectName("pageHelp")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_box = box
        box.open()  # window-modal, without a nested event loop

    def import_persons(self, path: str | None = None) -> None:
        """Import people from a CSV or XLSX list (all rows or none)."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from tambo_desktop.errors import ImportFileError
        from tambo_desktop.formats.persons import import_persons
        from tambo_desktop.gui.ops import run_in_background
        from tambo_desktop.gui.widgets import report_error, show_import_errors
        from tambo_desktop.services.persons import PersonService

        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Importar personas"), str(Path.home()), _("Tablas (*.csv *.xlsx);;Todos los archivos (*)")
            )
        if not path:
            return

        def done(summary) -> None:
            QMessageBox.information(
                self,
                _("Importación terminada"),
                _("Personas: {created} nuevas, {updated} completadas, {unchanged} sin cambios.").format(
                    created=summary.created, updated=summary.updated, unchanged=summary.unchanged
                ),
            )
            self.show_page(self.persons_page)

        def failed(error: Exception) -> None:
            if isinstance(error, ImportFileError):
                show_import_errors(self, error)
            else:
                report_error(self, error)

        service, source = PersonService(self.session), Path(path)
        self.operation = run_in_background(
            self, _("Importando personas…"), lambda report: import_persons(service, source, progress=report), done, failed,
            progress=True,
        )  # fmt: skip

    def _find(self) -> None:
        """Ctrl+F: the search of the page in front, or the persons' search."""
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()
        else:
            self.show_page(self.persons_page)

    def set_language(self, code: str) -> None:
        """Switch the interface language live and remember it for this user."""
        code = translator.switch_language(code)
        if self.session.user.id:
            AccountService(self.session).set_own_language(code)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("{tambo} — TAMBO Desktop").format(tambo=self.tambo.name))
        self.file_menu.setTitle(_("&Archivo"))
        self.view_menu.setTitle(_("&Ver"))
        self.language_menu.setTitle(_("&Idioma"))
        self.help_menu.setTitle(_("Ay&uda"))
        self.new_action.setText(_("&Nuevo centro poblado"))
        self.find_action.setText(_("&Buscar"))
        self.import_action.setText(_("&Importar centros poblados…"))
        self.export_action.setText(_("&Exportar centros poblados…"))
        self.import_persons_action.setText(_("Importar &personas…"))
        self.export_attentions_action.setText(_("Exportar a&tenciones…"))
        self.logout_action.setText(_("&Cerrar sesión"))
        self.settings_action.setText(_("A&justes…"))
        pias = self.tambo.platform == "pias"
        self.tambo_action.setText(_("&Datos de la PIAS…") if pias else _("&Datos del tambo…"))
        self.quit_action.setText(_("&Salir"))
        self.about_action.setText(_("&Acerca de TAMBO Desktop"))
        self.page_help_action.setText(_("Ayuda de esta &página"))
        self.text_menu.setTitle(_("&Tamaño del texto"))
        for percent, action in self.text_actions.items():
            action.setText(_("{n} %").format(n=percent))
        self.larger_action.setText(_("Texto más &grande"))
        self.smaller_action.setText(_("Texto más &pequeño"))
        for row, heading in self.page_titles.items():
            heading.setText(_(self.pages[row][0]))
        for i, (title, _page) in enumerate(self.pages):
            self.nav.item(i).setText(_(title))
            self.nav.item(i).setToolTip(_(title))
            self.page_actions[i].setText(_(title))
        self.nav.fit()  # the longest page name decides the width
        QTimer.singleShot(0, self, self._name_controls)  # once every page has its new words
        self.language_actions[i18n.current_language()].setChecked(True)
        where = _("PIAS: {name} ({code})") if pias else _("Tambo: {name} ({code})")
        self.tambo_status.setText(
            where.format(name=self.tambo.name, code=self.tambo.code)
            + (" — " + _("DEMOSTRACIÓN") if self.tambo.is_demo else "")
        )
        self.user_status.setText(
            _("Usuario: {name} · {role}").format(
                name=self.session.user.full_name, role=label(ROLES, self.session.user.role)
            )
        )
        engine = "SQLite" if self.database.engine == "sqlite" else "PostgreSQL"
        self.db_status.setText(_("Base de datos: {engine}").format(engine=engine))
        self.db_status.setToolTip(self.database.location)

    def _edit_tambo(self) -> None:
        from tambo_desktop.gui.tambo_dialog import TamboDialog
        from tambo_desktop.services import setup

        if TamboDialog(self.session, self).exec():
            self.tambo = setup.tambo_info()
            self.retranslate()

    def _settings(self) -> None:
        from tambo_desktop.gui.settings_dialog import SettingsDialog

        if SettingsDialog(self.session, self).exec():
            from tambo_desktop.services import settings as tambo_settings

            self.idle_lock.set_minutes(tambo_settings.idle_lock_minutes())

    def _logout(self) -> None:
        self.logout_requested.emit()
        self.close()

    def _restore_geometry(self) -> None:
        place_main_window(self, settings().value("main_window/geometry"))

    #: Set when the window opens after a real sign-in: closing it records the user's departure.
    records_presence = False

    def record_presence(self, arriving: bool, idle: bool = False) -> None:
        """The signed-in user's arrival (the window opened after signing in, or was unlocked) or
        departure (closed; ``idle``: locked, the departure is the last activity)."""
        from tambo_desktop.gui.staff_page import record_presence

        record_presence(self.session, arriving, self.idle_lock.timer.interval() // 1000 if idle else 0)

    def _left_idle(self) -> None:
        if self.records_presence:
            self.record_presence(False, idle=True)

    def _back(self) -> None:
        if self.records_presence:
            self.record_presence(True)

    def closeEvent(self, event) -> None:
        if self.records_presence:
            self.records_presence = False
            self.record_presence(False)
        self.idle_lock.stop()
        if getattr(self, "live", None) is not None:
            self.live.stop()
        store = settings()
        store.setValue("main_window/geometry", self.saveGeometry())
        store.sync()
        super().closeEvent(event)
