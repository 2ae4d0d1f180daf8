"""Qt's side of the translations, and live language switching.

The build compiles the Qt part of each gettext catalog (Designer forms, Qt's own strings
listed in ``qt_strings.py``) into ``locale/<lang>/tambo_desktop_qt.qm``; Qt loads it natively.
Under it sits Qt's own Spanish catalog (``qtbase_es.qm``, shipped with PySide6): in Spanish it
translates whatever Qt shows that the project's catalog does not list; in Quechua and Aymara
the project's catalog answers first. (A Python
``QTranslator.translate`` override would be called for every Qt string, and PySide6 6.12
leaks a reference to ``None`` on each such call, which eventually crashes the process.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from tambo_desktop import assets, i18n

_translator: QTranslator | None = None
_qt_spanish: QTranslator | None = None


def qt_translations_dirs() -> list[str]:
    """Where Qt's own .qm files are: Qt's configured folder, then the PySide6 package's."""
    import PySide6

    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"),
    ]
    return [f for f in dict.fromkeys(folders) if f and Path(f).is_dir()]


def _install_qt_spanish(app: QCoreApplication) -> None:
    """Qt's Spanish catalog, installed once and first, so the project's catalog is asked before it."""
    global _qt_spanish
    if _qt_spanish is not None and _qt_spanish.parent() is app:
        return
    translator = QTranslator(app)
    for folder in qt_translations_dirs():
        if translator.load(QLocale(QLocale.Language.Spanish, QLocale.Country.Peru), "qtbase", "_", folder):
            app.installTranslator(translator)
            _qt_spanish = translator
            return


def install(language: str) -> None:
    """Make ``language`` current for Qt as well as for gettext."""
    switch_language(language)


def switch_language(language: str) -> str:
    """Change the interface language; every open window re-translates itself live."""
    global _translator
    code = i18n.set_language(language)
    app = QCoreApplication.instance()
    QLocale.setDefault(QLocale(i18n.language(code).babel_locale))
    if app is None:
        return code
    _install_qt_spanish(app)
    if _translator is not None:
        app.removeTranslator(_translator)
    translator = QTranslator(app)
    qm = assets.locale_dir() / code / "tambo_desktop_qt.qm"
    if translator.load(str(qm)):
        _translator = translator
        app.installTranslator(translator)  # sends LanguageChange to every widget
    else:
        _translator = None
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    # Qt posts LanguageChange to the windows; deliver it now, so the switch is complete on return
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return code
