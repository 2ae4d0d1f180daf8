"""Write resources/phrases/phrases.pot, the template a translator copies to add a language's printed
phrases (see docs/LANGUAGES.md): ``python tools/phrases_template.py``."""

from __future__ import annotations

from pathlib import Path

from tambo_desktop import phrases

TARGET = Path(__file__).resolve().parent.parent / "resources" / "phrases" / "phrases.pot"

if __name__ == "__main__":
    TARGET.write_text(phrases.template() + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(phrases.PHRASES)} phrases")
