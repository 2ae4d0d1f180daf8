"""The translator's review file: exported from the catalogs, filled in, imported back with its status."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import translator_review as review  # noqa: E402


@pytest.fixture
def translations(tmp_path):
    """A copy of the catalogs, so that importing never touches the working tree."""
    target = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", target, ignore=shutil.ignore_patterns("review"))
    return target


def _rows(path: Path) -> list[tuple]:
    return list(load_workbook(path)["Mensajes"].iter_rows(min_row=2, values_only=True))


def _find(rows: list[tuple], msgid: str, context: str | None = None) -> int:
    """Spreadsheet row number (header = 1) of ``msgid``."""
    for number, row in enumerate(rows, start=2):
        if row[review.COL["español"]] == msgid and row[review.COL["contexto"]] == context:
            return number
    raise KeyError(msgid)


@pytest.mark.parametrize("lang", ["qu", "ay"])
def test_export_lists_every_message_by_screen_with_screenshot_and_status(lang, translations, tmp_path):
    target = review.export(lang, tmp_path / f"revision-{lang}.xlsx", translations)
    rows = _rows(target)
    catalog = [
        m for m in review.build_assets.read_catalog(translations / lang / "LC_MESSAGES" / "tambo_desktop.po") if m.id
    ]
    assert len(rows) == len(catalog)
    header = [c.value for c in load_workbook(target)["Mensajes"][1]]
    assert header == review.HEADERS
    ranks = [review.SCREENS_ORDER.get(r[review.COL["pantalla"]], 999) for r in rows]
    assert ranks == sorted(ranks), "rows are ordered by screen"
    login = rows[_find(rows, "Iniciar sesión — TAMBO Desktop") - 2]
    assert login[review.COL["pantalla"]] == "Inicio de sesión"
    assert login[review.COL["captura"]].endswith(f"login-{lang}.png")
    assert (ROOT / login[review.COL["captura"]]).is_file()
    statuses = {r[review.COL["estado"]] for r in rows}
    assert statuses <= {"propuesto", "publicado", "revisado"} and "propuesto" in statuses
    tambo = rows[_find(rows, "Tambo", "entity") - 2]
    assert (
        "calendar" in tambo[review.COL["dónde aparece"]].lower() or "Calendario" in tambo[review.COL["dónde aparece"]]
    )
    assert sum(1 for r in rows if r[review.COL["captura"]]) > len(rows) / 3


def _fill(
    path: Path, cells: dict[tuple[int, str], str], name: str = "Rosa Quispe Mamani", register: str = "RENITLI 0123"
) -> None:
    book = load_workbook(path)
    book["Léame"]["B2"] = name
    book["Léame"]["B3"] = register
    book["Léame"]["B4"] = "2026-12-07"
    sheet = book["Mensajes"]
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=review.COL[column] + 1, value=value)
    book.save(path)


def test_import_refuses_a_wrong_row_and_writes_nothing(translations, tmp_path):
    target = review.export("qu", tmp_path / "revision-qu.xlsx", translations)
    rows = _rows(target)
    good = _find(rows, "Guardar como PDF")
    bad = _find(rows, "Centro poblado: {name}")
    _fill(target, {(good, "estado nuevo"): "revisado", (bad, "traducción revisada"): "Llaqta:"})
    po = translations / "qu" / "LC_MESSAGES" / "tambo_desktop.po"
    before = po.read_bytes()
    with pytest.raises(review.ReviewError) as info:
        review.import_review("qu", target, translations)
    assert f"fila {bad}" in str(info.value) and "{name}" in str(info.value)
    assert po.read_bytes() == before


def test_import_needs_the_translators_name_and_register(translations, tmp_path):
    target = review.export("ay", tmp_path / "revision-ay.xlsx", translations)
    _fill(target, {(2, "estado nuevo"): "revisado"}, name="", register="")
    with pytest.raises(review.ReviewError, match="registro"):
        review.import_review("ay", target, translations)


def test_import_brings_reviewed_terms_back_with_their_status(translations, tmp_path):
    target = review.export("qu", tmp_path / "revision-qu.xlsx", translations)
    rows = _rows(target)
    confirmed = _find(rows, "Guardar como PDF")
    corrected = _find(rows, "Calendario")
    proposed = _find(rows, "Sector")
    _fill(
        target,
        {
            (confirmed, "estado nuevo"): "revisado",
            (corrected, "traducción revisada"): "Wata p'unchaw khipu",
            (corrected, "estado nuevo"): "revisado",
            (corrected, "observaciones del traductor"): "se entiende mejor que el préstamo",
            (proposed, "traducción revisada"): "Llamk'ana suyu",
            (proposed, "estado nuevo"): "propuesto",
        },
    )
    assert review.import_review("qu", target, translations) == 3
    catalog = {
        (m.context, m.id): m
        for m in review.build_assets.read_catalog(translations / "qu" / "LC_MESSAGES" / "tambo_desktop.po")
        if m.id
    }
    assert catalog[(None, "Calendario")].string == "Wata p'unchaw khipu"
    assert catalog[(None, "Calendario")].user_comments == [
        "reviewed: Rosa Quispe Mamani (registro RENITLI 0123), 2026-12-07",
        "translator: se entiende mejor que el préstamo",
    ]
    assert catalog[(None, "Guardar como PDF")].user_comments[0].startswith("reviewed: Rosa Quispe Mamani")
    assert catalog[(None, "Sector")].string == "Llamk'ana suyu"
    assert catalog[(None, "Sector")].user_comments[0].startswith("review: proposed by Rosa Quispe Mamani")
    text = (translations / "qu" / "LC_MESSAGES" / "tambo_desktop.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    again = _rows(review.export("qu", tmp_path / "again.xlsx", translations))
    assert again[_find(again, "Calendario") - 2][review.COL["estado"]] == "revisado"
    assert again[_find(again, "Sector") - 2][review.COL["estado"]] == "propuesto"


def test_check_rejects_what_would_break_the_interface():
    assert review.check("Centro poblado: {name}", "Llaqta: {name}") is None
    assert "marcadores" in review.check("{n} personas", "runakuna")
    assert "&" in review.check("&Guardar", "Waqaychay")
    assert "vacía" in review.check("Guardar", "  ")
