"""Build steps shared by ``pip install``, the tests and the developer scripts.

- compile ``ui/*.ui`` into ``tambo_desktop/gui/forms/ui_*.py`` (pyside6-uic);
- extract the translatable strings (Python code, Designer forms, the service catalogue)
  into ``translations/tambo_desktop.pot`` and merge them into the ``es``, ``qu``, ``ay`` catalogs;
- compile the catalogs into ``tambo_desktop/locale/<lang>/LC_MESSAGES/tambo_desktop.mo``.

Runs with only babel and PySide6-Essentials installed (the build environment).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import build_icons  # tools/build_icons.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "tambo_desktop" / "gui" / "forms"
PO_DIR = ROOT / "translations"
MO_DIR = ROOT / "tambo_desktop" / "locale"
DOMAIN = "tambo_desktop"
LANGS = ("es", "qu", "ay")
#: Quechua and Aymara keep the noun singular after a numeral ("{n} runa", "{n} jaqi"): one form.
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);", "qu": "nplurals=1; plural=0;", "ay": "nplurals=1; plural=0;"}
SERVICES_CSV = ROOT / "resources" / "data" / "services.csv"


def _uic_command() -> list[str]:
    spec = importlib.util.find_spec("PySide6")
    if spec and spec.submodule_search_locations:
        base = Path(list(spec.submodule_search_locations)[0])
        for candidate in (base / "Qt" / "libexec" / "uic", base / "uic.exe", base / "uic"):
            if candidate.is_file():
                return [str(candidate), "-g", "python"]
    return [sys.executable, "-c", "import sys; from PySide6.scripts.pyside_tool import uic; sys.exit(uic())"]


def compile_forms() -> list[Path]:
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    outputs = []
    command = _uic_command()
    for ui in sorted(UI_DIR.glob("*.ui")):
        target = FORMS_DIR / f"ui_{ui.stem}.py"
        if not target.exists() or target.stat().st_mtime < ui.stat().st_mtime:
            subprocess.run([*command, str(ui), "-o", str(target)], check=True)
        outputs.append(target)
    return outputs


def compile_catalogs() -> list[Path]:
    from babel.messages.mofile import write_mo

    outputs = []
    spanish = PO_DIR / "es" / "LC_MESSAGES" / f"{DOMAIN}.po"
    fallback = read_catalog(spanish) if spanish.exists() else None
    for lang in LANGS:
        po = PO_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.exists():
            continue
        catalog = read_catalog(po)
        target = MO_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        outputs.append(target)
        qm = target.parent.parent / "tambo_desktop_qt.qm"
        outputs.append(write_qt_catalog(catalog, qm, None if lang == "es" else fallback))
    return outputs


def _lrelease_command() -> list[str]:
    spec = importlib.util.find_spec("PySide6")
    if spec and spec.submodule_search_locations:
        base = Path(list(spec.submodule_search_locations)[0])
        for candidate in (base / "lrelease", base / "lrelease.exe", base / "Qt" / "bin" / "lrelease"):
            if candidate.is_file():
                return [str(candidate)]
    return [sys.executable, "-c", "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.exit(lrelease())"]


def _ui_classes() -> dict[str, str]:
    """``ui/x.ui`` → the form's class name, which Qt uses as the translation context."""
    return {f"ui/{ui.name}": ET.parse(ui).getroot().findtext("class") for ui in UI_DIR.glob("*.ui")}


def write_qt_catalog(catalog, target: Path, fallback=None) -> Path:
    """Compile the Qt part of a catalog (Designer forms, Qt's own strings) into a .qm file.

    Qt looks strings up by (context, source): a form's strings under its class name,
    Qt's own under their Qt context. Qt loads the .qm natively (no Python callback).
    Untranslated messages take the ``fallback`` catalog's text (Spanish), as gettext does
    for the code's strings.
    """
    classes = _ui_classes()
    contexts: dict[str, list[tuple[str, str]]] = {}
    spare = {(m.context, m.id): m.string for m in fallback or () if m.id and m.string and not m.pluralizable}
    for message in catalog:
        if not message.id or message.fuzzy or message.pluralizable:
            continue
        translation = message.string or spare.get((message.context, message.id))
        if not translation:
            continue
        names = [message.context] if message.context else []
        names += [classes[loc] for loc, _line in message.locations if loc in classes]
        for name in dict.fromkeys(names):
            contexts.setdefault(name, []).append((message.id, translation))
    root = ET.Element("TS", version="2.1", language=catalog.locale_identifier or "")
    for name, messages in sorted(contexts.items()):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = name
        for source, translation in messages:
            item = ET.SubElement(context, "message")
            ET.SubElement(item, "source").text = source
            ET.SubElement(item, "translation").text = translation
    ts = target.with_suffix(".ts")
    ET.ElementTree(root).write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([*_lrelease_command(), "-silent", str(ts), "-qm", str(target)], check=True)
    ts.unlink()
    return target


def read_catalog(path: Path):
    """Read a .po file without asking babel for the locale (babel has no Aymara)."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle, locale=None, domain=DOMAIN)


# -- extraction --------------------------------------------------------------------------------


def extract_ui(fileobj, keywords, comment_tags, options):
    """Babel extractor for Qt Designer forms: every ``<string>`` not marked ``notr``."""
    tree = ET.parse(fileobj)
    for element in tree.iter("string"):
        if element.get("notr") == "true" or not (element.text or "").strip():
            continue
        comments = [c for c in (element.get("extracomment"), element.get("comment")) if c]
        yield 0, "_", element.text, comments


def extract_services(fileobj, keywords, comment_tags, options):
    """Babel extractor for the service catalogue: the service names are shown translated."""
    text = fileobj.read().decode("utf-8")
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        yield number, "_", row["name"], ["service catalogue: resources/data/services.csv"]


def extract_template():
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir, extract_from_file

    template = Catalog(project="TAMBO Desktop", domain=DOMAIN, charset="utf-8", fuzzy=False)
    keywords = {"_": None, "N_": None, "NP_": ((1, "c"), 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT / "tambo_desktop"),
        method_map=[("**.py", "python")],
        keywords=keywords,
        comment_tags=("review:", "TRANSLATORS:"),
    ):
        if "/forms/" in filename.replace("\\", "/"):
            continue
        template.add(
            message, locations=[(f"tambo_desktop/{filename}", lineno)], auto_comments=comments, context=context
        )
    for ui in sorted(UI_DIR.glob("*.ui")):
        for lineno, message, comments, context in extract_from_file(extract_ui, str(ui)):
            template.add(message, locations=[(f"ui/{ui.name}", lineno)], auto_comments=comments, context=context)
    for lineno, message, comments, context in extract_from_file(extract_services, str(SERVICES_CSV)):
        template.add(
            message, locations=[("resources/data/services.csv", lineno)], auto_comments=comments, context=context
        )
    return template


HEADER_TEMPLATE = """# {name} translations for TAMBO Desktop.
# Terms follow ../shared/i18n/GLOSSARY.md and translations/TERMS.md; review workflow: translations/README.md.
msgid ""
msgstr ""
"Project-Id-Version: TAMBO Desktop\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: {plural_forms}\\n"
"""


def update_catalogs() -> None:
    """Write the template and merge it into each language's catalog (new entries untranslated)."""
    from babel.messages.pofile import write_po

    template = extract_template()
    with open(PO_DIR / f"{DOMAIN}.pot", "wb") as handle:
        write_po(handle, template, width=100, omit_header=False, sort_output=False, include_previous=False)
    names = {"es": "Spanish", "qu": "Quechua", "ay": "Aymara"}
    for lang in LANGS:
        po = PO_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.exists():
            po.parent.mkdir(parents=True, exist_ok=True)
            po.write_text(
                HEADER_TEMPLATE.format(name=names[lang], lang=lang, plural_forms=PLURAL_FORMS[lang]), encoding="utf-8"
            )
        catalog = read_catalog(po)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        with open(po, "wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, include_previous=False)
        _restore_header(po, lang)


def _restore_header(po: Path, lang: str) -> None:
    """Keep ``Language`` and ``Plural-Forms`` headers that babel drops for locales it lacks."""
    text = po.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n\n")
    if "Plural-Forms:" not in head:
        head += f'\n"Plural-Forms: {PLURAL_FORMS[lang]}\\n"'
    if '"Language: ' not in head:
        head += f'\n"Language: {lang}\\n"'
    po.write_text(head + sep + rest, encoding="utf-8")


def build_all() -> None:
    compile_forms()
    compile_catalogs()
    build_icons.build()


if __name__ == "__main__":
    actions = {"forms": compile_forms, "compile": compile_catalogs, "update": update_catalogs, "all": build_all}
    for name in sys.argv[1:] or ["all"]:
        actions[name]()
