"""Comfort (issue 14, part 8): the text size, remembered per user and applied live to every window,
and a short help for each page (F1)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tambo_desktop import paths
from tambo_desktop.i18n import N_, _

TEXT_SIZES = (100, 125, 150, 175)  # per cent of the normal text
TITLE_POINTS = 14  # a page title at 100 %


def _settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def saved_text_size(username: str) -> int:
    value = _settings().value(f"text_size/{username}", 100)
    try:
        size = int(value)
    except (TypeError, ValueError):
        return 100
    return size if size in TEXT_SIZES else 100


def save_text_size(username: str, percent: int) -> None:
    settings = _settings()
    settings.setValue(f"text_size/{username}", percent)
    settings.sync()


def _base_font(app: QApplication) -> QFont:
    base = getattr(app, "_tambo_base_font", None)
    if base is None:
        base = QFont(app.font())
        app._tambo_base_font = base  # type: ignore[attr-defined]
    return base


def apply_text_size(percent: int) -> int:
    """Every window's text at ``percent`` of the normal size, at once (Qt re-lays out each widget)."""
    app = QApplication.instance()
    percent = percent if percent in TEXT_SIZES else 100
    font = QFont(_base_font(app))
    font.setPointSizeF(font.pointSizeF() * percent / 100)
    app.setFont(font)
    app._tambo_text_size = percent  # type: ignore[attr-defined]
    for widget in app.allWidgets():
        if widget.property("pageTitle"):
            style_title(widget)
        elif widget.styleSheet():
            # a widget under a style sheet keeps the font it was polished with: polish it again
            widget.setStyleSheet(widget.styleSheet())
    return percent


def text_size() -> int:
    return getattr(QApplication.instance(), "_tambo_text_size", 100)


def style_title(label: QWidget) -> None:
    """A page title: bold, a third larger than the text, at every text size."""
    label.setProperty("pageTitle", True)
    label.setStyleSheet(f"font-size: {TITLE_POINTS * text_size() / 100:.1f}pt; font-weight: bold;")


def title_label() -> QLabel:
    label = QLabel(objectName="pageTitle")
    style_title(label)
    return label


#: A few lines for F1 on each page, by the page's class.
PAGE_HELP = {
    "TodayPage": N_("Lo del día: las intervenciones de hoy, las atenciones contadas y lo que vence pronto. "
                    "Ctrl+2 abre la mesa de atención."),
    "DeskPage": N_("Escriba el DNI o el nombre y pulse Enter. Escriba parte de un servicio y Enter para añadirlo; "
                   "Enter con el campo de servicio vacío guarda. Esc limpia para la siguiente persona. "
                   "Ctrl+Enter guarda desde cualquier campo."),
    "AttentionsPage": N_("Las atenciones registradas: filtre por fechas, entidad o texto; «Anular» pide el motivo "
                         "y deja la atención en el historial."),
    "PersonsPage": N_("Busque a una persona por DNI o nombre; corrija sus datos, vea su historial o fusione "
                      "dos registros de la misma persona."),
    "CalendarPage": N_("Las intervenciones del mes o de la semana. Doble clic en un día crea una; clic en una "
                       "la abre para reprogramarla, suspenderla o registrarla como ejecutada."),
    "PlanPage": N_("El plan de trabajo del mes: escriba las necesidades y potencialidades, guarde el borrador "
                   "y envíelo al supervisor, que lo aprueba o lo devuelve con observaciones."),
    "CampaignsPage": N_("Una campaña reúne intervenciones, centros poblados y mensajes: produce volantes, "
                        "oficios a los dirigentes y textos para la radio."),
    "TrainingPage": N_("Las capacitaciones: sesiones, inscritos, asistencia (DNI y Enter marca a la persona), "
                       "resultados y certificados."),
    "TripsPage": N_("Los viajes de campo: registre cada día con su ruta, odómetro y combustible; el informe "
                    "de campo del mes sale en PDF."),
    "StaffPage": N_("La asistencia del personal: la llegada y la salida se anotan al iniciar y cerrar sesión; "
                    "corrija un día con su motivo y registre vacaciones, licencias y feriados. La hoja del mes "
                    "sale en PDF."),
    "ReportPage": N_("El informe mensual para la oficina central: elija el mes o el año entero y el idioma, revise "
                     "las cifras y expórtelo en PDF o Excel."),
    "VoyagePage": N_("La travesía de la PIAS: sus paradas en orden, con la llegada y la salida; reprogramar una "
                     "parada corre las siguientes, y cada cambio queda en el historial."),
    "MonthPage": N_("Los indicadores del mes: atenciones y usuarios por entidad, frente a las metas."),
    "CommunitiesPage": N_("Los centros poblados del ámbito del tambo y sus dirigentes; importe o exporte la "
                          "lista en CSV o Excel."),
    "AccountsPage": N_("Las cuentas del personal: cree, cambie el rol, desactive o desbloquee una cuenta."),
    "BackupPage": N_("Las copias de seguridad: la del día se hace sola; «Copia de seguridad ahora» hace otra, y una "
                     "copia verificada puede restaurarse."),
    "AuditPage": N_("Quién hizo qué y cuándo: filtre por usuario, acción, fechas o texto; los cambios se leen "
                    "abajo. «Datos técnicos» muestra también los identificadores."),
}  # fmt: skip


def page_help(page: QWidget) -> str:
    text = PAGE_HELP.get(type(page).__name__)
    return _(text) if text else _("No hay ayuda para esta página.")
