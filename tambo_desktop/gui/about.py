"""The About box: version, licences and data credits."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget

from tambo_desktop import __version__
from tambo_desktop.__about__ import APP_NAME
from tambo_desktop.i18n import _


def about_text() -> str:
    parts = [
        f"<h3>{APP_NAME} {__version__}</h3>",
        "<p>" + html.escape(_("La aplicación de oficina de los tambos del Programa PAIS (MIDIS).")) + "</p>",
        "<p><b>" + html.escape(_("Datos")) + "</b><br>",
        html.escape(
            _(
                "Ubigeo del Perú (INEI, RENIEC, SUNAT): tabla de equivalencias de CONCYTEC, "
                "licencia Creative Commons Atribución 4.0 (CC BY 4.0)."
            )
        ),
        "</p><p><b>" + html.escape(_("Programas y licencias")) + "</b><br>",
        html.escape(_("Qt 6 y PySide6 {version} (LGPL v3).").format(version=pyside_version)) + "<br>",
        html.escape(
            _(
                "peewee, reportlab, babel, pillow, argon2-cffi, openpyxl, platformdirs, psycopg: licencias libres (MIT, BSD, LGPL)."
            )
        )
        + "<br>",
        html.escape(_("Tipografía DejaVu Sans (licencia Bitstream Vera y dominio público).")),
        "</p>",
    ]
    return "".join(parts)


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, _("Acerca de TAMBO Desktop"), about_text())
