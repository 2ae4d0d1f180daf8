"""Write the AppStream metainfo of the Linux package, its name and summary in es, qu and ay taken from
the translation catalogs (so they follow the reviewed translations).

    python installer/linux/metainfo.py VERSION OUTFILE
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_assets  # noqa: E402

COMPONENT_ID = "pe.gob.pais.tambo_desktop"
TAGLINE = "TAMBO Desktop: la aplicación de oficina del tambo."
DESCRIPTION = (
    "Centros poblados, personas atendidas, intervenciones, capacitaciones, campañas y visitas de campo "
    "del tambo (Programa PAIS), en castellano, quechua y aimara."
)


def summary(lang: str) -> str:
    """The catalog's tagline without the leading name and the final full stop."""
    catalog = build_assets.read_catalog(ROOT / "translations" / lang / "LC_MESSAGES" / "tambo_desktop.po")
    text = next(m.string for m in catalog if m.id == TAGLINE and not m.context)
    text = text.split(":", 1)[1].strip().rstrip(".")
    return text[0].upper() + text[1:]


def metainfo(version: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<component type="desktop-application">',
        f"  <id>{COMPONENT_ID}</id>",
        "  <metadata_license>CC0-1.0</metadata_license>",
        "  <project_license>MIT</project_license>",
        "  <name>TAMBO Desktop</name>",
        '  <name xml:lang="es">TAMBO Desktop</name>',
        '  <name xml:lang="qu">TAMBO Desktop</name>',
        '  <name xml:lang="ay">TAMBO Desktop</name>',
        f"  <summary>{escape(summary('es'))}</summary>",
        *(f'  <summary xml:lang="{lang}">{escape(summary(lang))}</summary>' for lang in ("es", "qu", "ay")),
        f"  <description><p>{escape(DESCRIPTION)}</p></description>",
        "  <developer_name>Programa PAIS (MIDIS)</developer_name>",
        '  <launchable type="desktop-id">tambo-desktop.desktop</launchable>',
        "  <categories><category>Office</category></categories>",
        "  <provides><binary>tambo-desktop</binary><binary>tambo-cli</binary></provides>",
        "  <languages><lang>es</lang><lang>qu</lang><lang>ay</lang></languages>",
        f'  <releases><release version="{escape(version)}" date="{dt.date.today().isoformat()}"/></releases>',
        "</component>",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(metainfo(sys.argv[1]), encoding="utf-8")
