"""A translator's review file per language, and its import back into the catalogs.

    python tools/translator_review.py export qu            # → translations/review/revision-qu.xlsx
    python tools/translator_review.py import qu revision-qu.xlsx

The review file (XLSX) lists every message of the catalog, ordered by screen: the Spanish, its
context, the current translation, its status (*propuesto*: a term proposed by the project;
*publicado*: a term found in a published translation, see the glossary; *revisado*: validated
by a registered translator), the note on where the term comes from, the screens and source
lines where it appears and the screenshot that shows it. A translator registered with the
Ministerio de Cultura (registro de intérpretes y traductores de lenguas indígenas) writes a
corrected translation and/or a new status in the last columns, and their name and register
number on the first sheet.

The import checks every filled row first (the same placeholders and accelerator as the
Spanish, nothing empty, a known message) and writes nothing if any row is wrong; then it
writes the translations into the catalog with a translator comment that records the status:
``# reviewed: <name> (registro <number>), <date>`` or ``# review: proposed by <name> ...``.
Run ``tools/build_assets.py compile`` (or ``pip install -e .``) afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_assets  # noqa: E402

TRANSLATIONS = ROOT / "translations"
SCREENSHOT_DIRS = (ROOT / "docs" / "screenshots",)
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%\d|%[sd]")
LANG_NAMES = {"qu": "quechua", "ay": "aimara", "es": "castellano"}

#: Source file (stem) → (screen, as the translator sees it; screenshot name without -<lang>.png).
#: The order of this table is the order of the review file.
SCREENS: dict[str, tuple[str, str | None]] = {
    "login": ("Inicio de sesión", "login"),
    "login_dialog": ("Inicio de sesión", "login"),
    "wizard": ("Asistente de instalación", "wizard-welcome"),
    "tambo_form": ("Asistente de instalación: datos del tambo", "wizard-tambo"),
    "admin_form": ("Asistente de instalación: cuenta de administrador", "wizard-tambo"),
    "main_window": ("Ventana principal y menús", "today"),
    "today_page": ("Hoy", "today"),
    "desk_page": ("Atención al público", "desk"),
    "attentions_page": ("Atenciones", "attentions"),
    "persons_page": ("Personas", "persons"),
    "communities_page": ("Centros poblados", "communities"),
    "community_dialog": ("Centro poblado (ficha)", "community-dialog"),
    "leader_dialog": ("Dirigente (ficha)", "leader-dialog"),
    "diagnostics_dialog": ("Diagnósticos", "diagnostics"),
    "calendar_page": ("Calendario", "calendar-month"),
    "calendar_view": ("Calendario", "calendar-week"),
    "intervention_dialog": ("Intervención (ficha)", "intervention-dialog"),
    "facilities_dialog": ("Espacios y recursos", None),
    "month_page": ("Mes", "month"),
    "plan_page": ("Plan de trabajo", "plan"),
    "goals_dialog": ("Metas del mes", "goals-dialog"),
    "training_page": ("Capacitaciones", "training"),
    "training_dialogs": ("Capacitación: sesiones y asistencia", "attendance-dialog"),
    "trips_page": ("Viajes de campo", "trips"),
    "trip_dialogs": ("Viaje de campo (ficha) y combustible", "trips"),
    "campaigns_page": ("Campañas de difusión", "campaign-data"),
    "accounts_page": ("Cuentas", "accounts"),
    "account_dialog": ("Cuenta (ficha)", "accounts"),
    "audit_page": ("Auditoría", "audit"),
    "backup_page": ("Copias de seguridad", "backups"),
    "settings_dialog": ("Ajustes del tambo", None),
    "tambo_dialog": ("Datos del tambo", None),
    "idle_lock": ("Bloqueo por inactividad", "lock-dialog"),
    "about": ("Acerca de", "about"),
    "pdf_preview": ("Vista previa de impresión", None),
    "dialogs": ("Diálogos comunes", None),
    "widgets": ("Diálogos comunes", None),
    "table_model": ("Diálogos comunes", None),
    "app": ("Arranque y errores graves", None),
    "qt_strings": ("Diálogos de Qt: archivos, impresión, menús de edición", None),
    "flyers": ("Documento impreso: volante", "doc-flyer-a4"),
    "letters": ("Documento impreso: oficio", "doc-letters"),
    "radio": ("Documento impreso: guion de radio", "doc-radio"),
    "certificates": ("Documento impreso: certificado", None),
    "schedule": ("Documento impreso: programación del mes", None),
    "field_reports": ("Documento impreso: informe de campo", None),
    "vocabulary": ("Listas de valores (tipos, estados, lenguas)", None),
    "services.csv": ("Catálogo de servicios", None),
}
#: Services and file formats: their messages show on the page that calls them.
SERVICE_PAGES = {
    "audit": "audit_page",
    "backup": "backup_page",
    "backups": "backup_page",
    "health": "app",
    "interventions": "calendar_page",
    "schedule_rules": "calendar_page",
    "training": "training_page",
    "trips": "trips_page",
    "fuel": "trip_dialogs",
    "communities": "communities_page",
    "campaigns": "campaigns_page",
    "photos": "campaigns_page",
    "person_form": "persons_page",
    "persons": "persons_page",
    "rights": "persons_page",
    "attentions": "attentions_page",
    "desk": "desk_page",
    "diagnostics": "diagnostics_dialog",
    "indicators": "month_page",
    "goals": "goals_dialog",
    "accounts": "accounts_page",
    "plans": "plan_page",
    "facilities": "facilities_dialog",
    "setup": "wizard",
    "settings": "settings_dialog",
    "connection": "app",
    "lifecycle": "app",
    "session": "login",
}
OTHER_SCREEN = ("Mensajes de validación y de error", None)
CLI_SCREEN = ("Línea de órdenes (tambo-cli)", None)
#: Screen → its place in the review file (a screen named by several source files comes once).
SCREENS_ORDER: dict[str, int] = {}
for _rank, (_screen, _shot) in enumerate(SCREENS.values()):
    SCREENS_ORDER.setdefault(_screen, _rank)
SCREENS_ORDER[OTHER_SCREEN[0]] = len(SCREENS)
SCREENS_ORDER[CLI_SCREEN[0]] = len(SCREENS) + 1
STATUS_WORDS = {"proposed": "propuesto", "published": "publicado", "reviewed": "revisado"}
STATUS_FROM_WORD = {v: k for k, v in STATUS_WORDS.items()} | {k: k for k in STATUS_WORDS}

HEADERS = [
    "n",
    "pantalla",
    "captura",
    "contexto",
    "español",
    "español (plural)",
    "traducción actual",
    "estado",
    "fuente / nota",
    "dónde aparece",
    "traducción revisada",
    "estado nuevo",
    "observaciones del traductor",
]
COL = {name: i for i, name in enumerate(HEADERS)}


@dataclass
class Row:
    screen_rank: int
    screen: str
    screenshot: str
    context: str
    msgid: str
    plural: str
    translation: str
    status: str
    note: str
    where: str


def _po(lang: str, translations: Path) -> Path:
    return translations / lang / "LC_MESSAGES" / "tambo_desktop.po"


def _stem(location: str) -> str:
    name = Path(location).name
    return name if name.endswith(".csv") else Path(name).stem


def screen_of(location: str) -> tuple[int, str, str | None]:
    stem = _stem(location)
    order = list(SCREENS)
    if stem in SCREENS:
        return order.index(stem), *SCREENS[stem]
    if stem in SERVICE_PAGES and "/gui/" not in location:
        page = SERVICE_PAGES[stem]
        return order.index(page), SCREENS[page][0], SCREENS[page][1]
    if "/cli/" in location or stem.startswith("cli"):
        return len(order) + 1, *CLI_SCREEN
    return len(order), *OTHER_SCREEN


def screenshot(name: str | None, lang: str) -> str:
    if not name:
        return ""
    for folder in SCREENSHOT_DIRS:
        if (folder / f"{name}-{lang}.png").is_file():
            return str((folder / f"{name}-{lang}.png").relative_to(ROOT))
    return ""


def status_of(comments: list[str]) -> tuple[str, str]:
    """(status, note) from a message's translator comments."""
    note = " ".join(c.strip() for c in comments)
    if any(c.startswith("reviewed:") for c in comments):
        return "reviewed", note
    if any(c.startswith("review:") for c in comments):
        return "proposed", re.sub(r"\breview:\s*", "", note)
    return "published", note or "término del glosario o de uso general (../shared/i18n/GLOSSARY.md)"


def rows(lang: str, translations: Path = TRANSLATIONS) -> list[Row]:
    catalog = build_assets.read_catalog(_po(lang, translations))
    out = []
    for m in catalog:
        if not m.id:
            continue
        ids = list(m.id) if isinstance(m.id, tuple | list) else [m.id]
        strings = list(m.string) if isinstance(m.string, tuple | list) else [m.string]
        places = [screen_of(loc) for loc, _line in m.locations] or [(len(SCREENS), *OTHER_SCREEN)]
        rank, screen, shot = min(places)
        status, note = status_of(list(m.user_comments))
        out.append(
            Row(
                rank,
                screen,
                screenshot(shot, lang),
                m.context or "",
                ids[0],
                ids[1] if len(ids) > 1 else "",
                strings[0],
                STATUS_WORDS[status],
                note,
                "; ".join(
                    dict.fromkeys(
                        [p[1] for p in sorted(places)] + [f"{loc}:{line}" if line else loc for loc, line in m.locations]
                    )
                ),
            )
        )
    out.sort(key=lambda r: SCREENS_ORDER[r.screen])  # stable: catalog order inside a screen
    return out


def export(lang: str, target: Path, translations: Path = TRANSLATIONS) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    about = book.active
    about.title = "Léame"
    lines = [
        ("Revisión de la traducción al " + LANG_NAMES[lang] + " de TAMBO Desktop", ""),
        ("Nombre del traductor o traductora:", ""),
        ("Número en el registro del Ministerio de Cultura:", ""),
        ("Fecha de la revisión (AAAA-MM-DD):", ""),
        ("", ""),
        ("Cómo revisar", ""),
        ("1.", "En la hoja «Mensajes», lea el español, la traducción actual y la captura de la pantalla."),
        ("2.", "Si la traducción debe cambiar, escriba la nueva en «traducción revisada»."),
        (
            "3.",
            "En «estado nuevo» escriba «revisado» cuando la traducción (actual o revisada) sea correcta, "
            "o «propuesto» si propone un término que otra persona debe confirmar.",
        ),
        (
            "4.",
            "Conserve tal cual lo que va entre llaves ({name}, {n}), los %1 y el signo & (marca la tecla de acceso).",
        ),
        ("5.", "Devuelva este archivo; se importa con tools/translator_review.py import."),
        ("", ""),
        (
            "Estados:",
            "propuesto = término propuesto por el proyecto; publicado = término hallado en una "
            "traducción publicada (glosario); revisado = validado por un traductor registrado.",
        ),
    ]
    for row in lines:
        about.append(list(row))
    about["A1"].font = Font(bold=True, size=13)
    for cell in ("B2", "B3", "B4"):
        about[cell].fill = PatternFill("solid", fgColor="FFF2CC")
    about.column_dimensions["A"].width = 48
    about.column_dimensions["B"].width = 110

    sheet = book.create_sheet("Mensajes")
    sheet.append(HEADERS)
    for number, r in enumerate(rows(lang, translations), start=1):
        sheet.append(
            [
                number,
                r.screen,
                r.screenshot,
                r.context,
                r.msgid,
                r.plural,
                r.translation,
                r.status,
                r.note,
                r.where,
                "",
                "",
                "",
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {
        "n": 6,
        "pantalla": 28,
        "captura": 30,
        "contexto": 14,
        "español": 50,
        "español (plural)": 20,
        "traducción actual": 50,
        "estado": 11,
        "fuente / nota": 40,
        "dónde aparece": 30,
        "traducción revisada": 50,
        "estado nuevo": 12,
        "observaciones del traductor": 40,
    }
    for index, name in enumerate(HEADERS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = widths[name]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for name in ("traducción revisada", "estado nuevo", "observaciones del traductor"):
            row[COL[name]].fill = PatternFill("solid", fgColor="FFF2CC")
    sheet.freeze_panes = "E2"
    sheet.auto_filter.ref = sheet.dimensions
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


class ReviewError(Exception):
    """The review file cannot be imported; the message says which rows and why."""


def _accelerators(text: str) -> int:
    return text.replace("&&", "").count("&")


def check(msgid: str, text: str) -> str | None:
    """Why ``text`` cannot translate ``msgid`` (None when it can)."""
    if not text.strip():
        return "la traducción está vacía"
    if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text)):
        wanted = " ".join(sorted(PLACEHOLDER.findall(msgid))) or "ninguno"
        return f"los marcadores deben ser los del español ({wanted})"
    if (_accelerators(msgid) == 1) != (_accelerators(text) == 1) or _accelerators(text) > 1:
        return "debe llevar un & (tecla de acceso) si y solo si el español lo lleva"
    return None


def import_review(lang: str, source: Path, translations: Path = TRANSLATIONS, today: dt.date | None = None) -> int:
    """Bring the reviewed rows back into the catalog; returns how many messages changed."""
    from babel.messages.pofile import write_po
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    about = book["Léame"]
    name = str(about["B2"].value or "").strip()
    register = str(about["B3"].value or "").strip()
    when = str(about["B4"].value or "").strip() or (today or dt.date.today()).isoformat()
    if not name or not register:
        raise ReviewError("Escriba su nombre y su número de registro en la hoja «Léame» (celdas B2 y B3).")
    po = _po(lang, translations)
    catalog = build_assets.read_catalog(po)
    index = {(m.context or "", m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    errors: list[str] = []
    changes = []
    sheet = book["Mensajes"]
    header = [str(c.value or "") for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    if header != HEADERS:
        raise ReviewError("La hoja «Mensajes» no tiene las columnas del archivo de revisión.")
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = ["" if v is None else str(v) for v in values]
        revised, new_status = cells[COL["traducción revisada"]], cells[COL["estado nuevo"]].strip().lower()
        if not revised.strip() and not new_status:
            continue
        key = (cells[COL["contexto"]], cells[COL["español"]])
        message = index.get(key)
        if message is None:
            errors.append(f"fila {number}: el mensaje ya no está en el catálogo («{key[1][:40]}»)")
            continue
        if new_status and new_status not in STATUS_FROM_WORD:
            errors.append(f"fila {number}: estado «{new_status}» desconocido (use revisado o propuesto)")
            continue
        status = STATUS_FROM_WORD.get(new_status, "reviewed")
        if status == "published":
            errors.append(
                f"fila {number}: «publicado» no es un estado que ponga el traductor (use revisado o propuesto)"
            )
            continue
        text = revised if revised.strip() else cells[COL["traducción actual"]]
        problem = check(key[1], text)
        if problem:
            errors.append(f"fila {number}: {problem}")
            continue
        changes.append((message, text, status, cells[COL["observaciones del traductor"]].strip()))
    if errors:
        raise ReviewError("No se importó nada:\n" + "\n".join(errors))
    for message, text, status, remark in changes:
        message.string = (text,) * len(message.string) if isinstance(message.string, tuple | list) else text
        who = f"{name} (registro {register}), {when}"
        comments = [f"reviewed: {who}"] if status == "reviewed" else [f"review: proposed by {who}"]
        if remark:
            comments.append(f"translator: {remark}")
        message.user_comments = comments
    with open(po, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, include_previous=False)
    build_assets._restore_header(po, lang)
    return len(changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    out = sub.add_parser("export", help="write the review file of a language")
    out.add_argument("lang", choices=("qu", "ay", "es"))
    out.add_argument("-o", "--output", type=Path)
    back = sub.add_parser("import", help="bring a reviewed file back into the catalog")
    back.add_argument("lang", choices=("qu", "ay", "es"))
    back.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.action == "export":
        target = args.output or TRANSLATIONS / "review" / f"revision-{args.lang}.xlsx"
        print(export(args.lang, target))
        return 0
    try:
        changed = import_review(args.lang, args.file)
    except ReviewError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{changed} mensajes actualizados en {_po(args.lang, TRANSLATIONS).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
