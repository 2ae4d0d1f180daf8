"""Application bootstrap: database, first-run wizard, sign-in, main window."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from tambo_desktop import assets, i18n
from tambo_desktop.__about__ import APP_ID, APP_NAME, ORGANIZATION, __version__
from tambo_desktop.db.connection import close_database, describe
from tambo_desktop.errors import TamboError
from tambo_desktop.gui import translator
from tambo_desktop.i18n import _

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(APP_ID)
    icon = QIcon()  # every exported size (tools/build_icons.py), so a 16 px title bar gets the 16 px one
    for png in sorted(assets.path("icons/hicolor").glob("*/apps/tambo-desktop.png")):
        icon.addFile(str(png))
    if not icon.isNull():
        app.setWindowIcon(icon)
    font_id = QFontDatabase.addApplicationFont(str(assets.path("fonts/DejaVuSans.ttf")))
    if font_id >= 0 and os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families:
            app.setFont(QFont(families[0], 10))
    translator.install(i18n.current_language())
    if not hasattr(app, "_tambo_dialog_fitter"):
        from tambo_desktop.gui import screen_fit

        app._tambo_dialog_fitter = screen_fit.install(app)
    if not hasattr(app, "_tambo_calendars"):
        from tambo_desktop.gui import calendars

        app._tambo_calendars = calendars.install(app)  # month and weekday names of the interface language
    if not hasattr(app, "_tambo_keys"):
        from tambo_desktop.gui import keys

        app._tambo_keys = keys.install(app)
    if sys.excepthook is sys.__excepthook__:  # not over a hook someone installed (a test runner's)
        sys.excepthook = _unexpected_error
    return app


def _unexpected_error(kind, value, tb) -> None:
    """Last resort: log the error and tell the user, instead of vanishing."""
    log.error("unexpected error", exc_info=(kind, value, tb))
    if isinstance(value, TamboError):
        text = str(value)
    else:
        text = (
            _("Ocurrió un error inesperado: {error}").format(error=value)
            + "\n\n"
            + _("Lo guardado antes sigue a salvo. El detalle quedó en el registro de la aplicación.")
        )
    QMessageBox.critical(QApplication.activeWindow(), _("Error"), text)


def open_database_or_explain(url: str, daily_backup: bool = True, check: bool = True):
    """Open and prepare the database; explain any failure and offer the newest backup when damaged.

    ``check=False``: the caller runs the start-up check behind the sign-in window (see
    :class:`StartCheck`); a file that cannot even be opened unchecked is checked here after all."""
    from functools import partial

    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.errors import DamagedDatabase
    from tambo_desktop.services.backups import recover_from_backup

    prepare = partial(prepare, daily_backup=daily_backup)
    try:
        if not check:
            try:
                return prepare(url, check=False)
            except DamagedDatabase:
                raise
            except Exception as exc:  # the check says what is wrong with a file that does not open
                log.warning("the unchecked database did not open (%s): checking it first", exc)
                close_database()
        return prepare(url)
    except DamagedDatabase as exc:
        return _offer_recovery(url, exc, prepare, recover_from_backup)
    except (TamboError, OSError) as exc:
        QMessageBox.critical(None, _("No se puede abrir la base de datos"), str(exc))
    return None


def _offer_recovery(url: str, damaged, prepare, recover_from_backup):
    box = QMessageBox(QMessageBox.Icon.Critical, _("La base de datos está dañada"), str(damaged))
    restore = None
    if damaged.newest_backup is not None:
        restore = box.addButton(_("Restaurar la copia más reciente"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(restore)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return None
    from tambo_desktop.services.backups import RestoreNeedsConfirmation

    try:
        try:
            recover_from_backup(url, damaged.newest_backup.path)
        except RestoreNeedsConfirmation as doubt:  # e.g. a backup made before backups were signed
            ask = QMessageBox(QMessageBox.Icon.Warning, _("La base de datos está dañada"), str(doubt))
            ask.setInformativeText(_("¿Restaurarla de todos modos? Su confirmación queda en la auditoría."))
            anyway = ask.addButton(_("Restaurar de todos modos"), QMessageBox.ButtonRole.DestructiveRole)
            ask.addButton(QMessageBox.StandardButton.Cancel)
            ask.setDefaultButton(QMessageBox.StandardButton.Cancel)
            ask.exec()
            if ask.clickedButton() is not anyway:
                return None
            recover_from_backup(url, damaged.newest_backup.path, confirmed=True)
        db = prepare(url)
    except (TamboError, OSError) as exc:
        QMessageBox.critical(None, _("No se puede abrir la base de datos"), str(exc))
        return None
    QMessageBox.information(
        None,
        _("Datos recuperados"),
        _("Se restauró la copia del {date}. Lo registrado después de esa copia no está en ella.").format(
            date=i18n.format_datetime(damaged.newest_backup.local_created_at, "short")
        ),
    )
    return db


def run(url: str, self_test: bool = False, language: str | None = None) -> int:
    """Start the GUI; with ``self_test`` open the main window on a demo database and exit."""
    if self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application()
    if self_test:  # no window may wait for an answer: a damaged database is said and the exit is 1
        from tambo_desktop.db.lifecycle import prepare

        try:
            prepare(url, daily_backup=True, thorough=True)  # the same full check as ``check``
        except (TamboError, OSError) as exc:
            print(f"self-test failed: {exc}", file=sys.stderr)
            return 1
        return _self_test(app, url)
    # The day's automatic backup (seconds on a large database) is taken in the background once the
    # sign-in window is shown, not before it; so is the start-up check of a tambo's database file.
    from tambo_desktop.db import lifecycle

    unchecked = lifecycle.deferrable_check(url)
    if open_database_or_explain(url, daily_backup=False, check=unchecked is None) is None:
        return 1
    from tambo_desktop.services import setup

    if not setup.is_initialized():
        from tambo_desktop.gui.wizard import FirstRunWizard

        wizard = FirstRunWizard()
        if not wizard.exec() or wizard.user is None:
            return 0
    try:
        while True:
            window = sign_in_and_open(url, language, unchecked)
            unchecked = None  # checked once per start (a restored file was checked by its restore)
            if isinstance(window, Damaged):
                close_database()
                if _recover(url, lifecycle.set_aside(window.path, window.reason)) is None:
                    return 1
                continue
            if window is None:
                return 0
            app.exec()
            if not getattr(window, "_logging_out", False):
                return 0
    finally:
        from tambo_desktop.gui.ops import wait_for_background_work

        wait_for_background_work()
        close_database()


def _recover(url: str, damaged):
    from functools import partial

    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.services.backups import recover_from_backup

    return _offer_recovery(url, damaged, partial(prepare, daily_backup=False), recover_from_backup)


class Damaged:
    """What the sign-in ends in when the start-up check behind it found the file damaged."""

    def __init__(self, path, reason: str) -> None:
        self.path, self.reason = path, reason


class StartCheck:
    """The start-up check of the database file (``lifecycle.start_check``: 0.5 s on the five-year
    demo) on a worker thread while the sign-in window is shown. Signing in waits for it (a person
    types for longer than it takes); a damaged file closes the sign-in window for the recovery."""

    def __init__(self, path) -> None:
        self.path = path
        self.state = "running"  # → ok, damaged, failed
        self.reason = ""
        self.dialog = None
        self._loop = None

    def start(self, dialog) -> None:
        from tambo_desktop.db.lifecycle import start_check
        from tambo_desktop.gui.ops import run_in_background

        self.dialog = dialog
        run_in_background(None, "", lambda: start_check(self.path), done=self._done, failed=self._failed, quiet=True)

    def _finish(self, state: str, reason: str = "") -> None:
        self.state, self.reason = state, reason
        if self._loop is not None:
            self._loop.quit()
        if state == "ok":
            from tambo_desktop.gui.ops import start_daily_backup

            start_daily_backup()  # a sound file only
        elif self.dialog is not None and self._loop is None:
            self.dialog.done(0)

    def _done(self, reason: str | None) -> None:
        self._finish("ok" if reason is None else "damaged", reason or "")

    def _failed(self, error: Exception) -> None:
        log.error("the start-up check could not run: %s", error)
        self._finish("failed", str(error))

    def passed(self) -> bool:
        """For the sign-in: wait for the check; ``True`` when the file is sound."""
        if self.state == "running":
            from PySide6.QtCore import QEventLoop

            self._loop = QEventLoop()
            self._loop.exec()
            self._loop = None
        if self.state != "ok" and self.dialog is not None:
            self.dialog.done(0)
        return self.state == "ok"

    def outcome(self):
        if self.state == "damaged":
            return Damaged(self.path, self.reason)
        if self.state == "failed":
            QMessageBox.critical(None, _("No se puede abrir la base de datos"), self.reason)
        return None


#: What building the main window imports (its pages and their services): imported on a worker thread
#: while the sign-in window waits for the password, so the signed-in window does not wait for it
#: (the imports were 1.2 s of the main window's 4.1–4.6 s on the large demo, 4.4 s on a busy PC).
MAIN_WINDOW_MODULES = tuple(
    f"tambo_desktop.gui.{name}"
    for name in (
        "main_window", "today_page", "month_page", "desk_page", "attentions_page", "persons_page",
        "calendar_page", "plan_page", "campaigns_page", "training_page", "trips_page", "voyage_page",
        "staff_page", "report_page", "communities_page", "accounts_page", "backup_page", "audit_page",
        "idle_lock", "live", "settings_dialog", "tambo_dialog", "about",
    )
)  # fmt: skip


def preload_main_window() -> None:
    """Import the main window's modules (for a worker thread: nothing here builds a widget)."""
    import importlib

    for name in MAIN_WINDOW_MODULES:
        importlib.import_module(name)


def _preload_in_background() -> None:
    from tambo_desktop.gui.ops import run_in_background

    def failed(error: Exception) -> None:  # the window imports them itself when it is built
        log.warning("the main window's modules were not imported ahead: %s", error)

    run_in_background(None, "", preload_main_window, failed=failed, quiet=True)


def sign_in_and_open(url: str, language: str | None = None, unchecked=None):
    """The sign-in window, then the main window; ``None`` when the user closes it. ``unchecked``: the
    database file whose start-up check runs behind the sign-in (a :class:`Damaged` when it fails)."""
    from tambo_desktop.gui.login import LoginDialog
    from tambo_desktop.services import setup

    check = StartCheck(unchecked) if unchecked is not None else None
    try:
        info = setup.tambo_info()
    except Exception:
        if check is None:
            raise
        from tambo_desktop.db.lifecycle import start_check

        reason = start_check(unchecked)  # the file does not even read: say why, now
        if reason is None:
            raise
        return Damaged(unchecked, reason)
    translator.switch_language(language or info.default_language)
    login = LoginDialog(info.name)
    if check is not None:
        login.gate = check.passed
        QTimer.singleShot(0, lambda: check.start(login))  # once the sign-in window is on the screen
    else:
        from tambo_desktop.gui.ops import start_daily_backup

        QTimer.singleShot(0, start_daily_backup)  # once the sign-in window is on the screen
    QTimer.singleShot(0, _preload_in_background)  # while the password is typed
    signed_in = login.exec() and login.user is not None
    if check is not None and check.state != "ok":
        if check.state == "running":
            check.dialog = None  # closed before the check ended: nothing waits for it
            return None
        return check.outcome()
    if not signed_in:
        return None
    # picked in the sign-in window: theirs from now on; «--lang»: for this start only
    return open_main_window(login.user, url, login.chosen_language, language if login.chosen_language is None else None)


def open_main_window(user, url: str, chosen_language: str | None = None, start_language: str | None = None):
    """The signed-in window in the user's language: the one picked in the sign-in window (saved as
    theirs), else ``--lang`` of this start, else the account's own (seen: Aymara picked at the
    sign-in, the window opened in the account's Spanish)."""
    from dataclasses import replace

    from tambo_desktop.gui.main_window import MainWindow
    from tambo_desktop.services import setup
    from tambo_desktop.services.accounts import AccountService
    from tambo_desktop.services.session import Session

    info = setup.tambo_info()
    if chosen_language and chosen_language != user.language:
        try:
            AccountService(Session(user, info.code)).set_own_language(chosen_language)
            user = replace(user, language=chosen_language)
        except TamboError:
            log.warning("the language picked at sign-in could not be saved", exc_info=True)
    translator.switch_language(chosen_language or start_language or user.language)
    window = MainWindow(Session(user, info.code), info, describe(url))
    window.follow_changes(url)  # pages refresh when another PC saves
    window.records_presence = True  # the day's arrival now, the departure when the window closes
    window.record_presence(True)
    window._logging_out = False

    def logout() -> None:
        window._logging_out = True

    window.logout_requested.connect(logout)
    window.show()
    return window


def _self_test(app: QApplication, url: str) -> int:
    """Create the demo tambo if needed, open the main window as its administrator, exit 0."""
    from tambo_desktop.db.models import User
    from tambo_desktop.demo.build import DEMO_PASSWORD, create_demo
    from tambo_desktop.services import accounts

    try:
        create_demo()
        admin = User.select().where(User.role == "admin").order_by(User.id).first()
        user = accounts.authenticate(admin.username, DEMO_PASSWORD)
        window = open_main_window(user, url)
        for code in i18n.language_codes():
            translator.switch_language(code)
            app.processEvents()
        rows = window.communities_page.model.rowCount()
        QTimer.singleShot(200, app.quit)
        app.exec()
        window.close()
        from tambo_desktop.gui.ops import wait_for_background_work

        wait_for_background_work()  # the departure written on closing, before the database closes
        app.processEvents()
        print(f"self-test ok: {rows} communities shown")
        return 0 if rows > 0 else 1
    except Exception:
        log.exception("self-test failed")
        import traceback

        traceback.print_exc()
        return 1
    finally:
        close_database()
