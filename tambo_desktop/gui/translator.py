"""Qt's side of the translations, and live language switching.

The build compiles the Qt part of each gettext catalog (Designer forms, Qt's own dialog
buttons) into ``locale/<lang>/tambo_desktop_qt.qm``; Qt loads it natively. (A Python
``QTranslator.translate`` override would be called for every Qt string, and PySide6 6.12
leaks a reference to ``None`` on each such call, which eventually crashes the process.)
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator

from tambo_desktop import assets, i18n

_translator: QTranslator | None = None


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
