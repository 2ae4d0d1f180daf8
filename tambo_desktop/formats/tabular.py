"""Reading and writing tables as CSV or XLSX, as office PCs produce them.

CSV: UTF-8 with or without BOM, or Latin-1/Windows-1252; ``;``, ``,`` or tab separators.
Written cells that could run as spreadsheet formulas are neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from tambo_desktop.errors import ImportFileError
from tambo_desktop.files import atomic_write
from tambo_desktop.i18n import _

FORMATS = ("csv", "xlsx")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("csv", "txt", "tsv"):
        return "csv"
    raise ImportFileError([], _("Formato de archivo no admitido: «{suffix}». Use CSV o XLSX.").format(suffix=path.suffix))


def decode(raw: bytes) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), else Windows-1252/Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows (all text) of a CSV or XLSX file."""
    header, rows = read_numbered_table(path)
    return header, [row for _number, row in rows]


def read_numbered_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows, each data row with its row number as a spreadsheet shows it.

    Blank rows are skipped but still counted, so ``row N`` in a message is the row the user sees.
    """
    try:
        rows = _read_xlsx(path) if detect_format(path) == "xlsx" else _read_csv(path.read_bytes())
    except ImportFileError:
        raise
    except OSError as exc:
        raise ImportFileError([], _("No se puede leer el archivo {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from exc
    except Exception as exc:  # a corrupt workbook or binary junk
        raise ImportFileError([], _("El archivo {path} está dañado o no es una tabla: {reason}").format(path=path, reason=exc)) from exc
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise ImportFileError([], _("El archivo está vacío."))
    (_number, header), *data = numbered
    return [h.strip() for h in header], [(number, [restore(c.strip()) for c in row]) for number, row in data]


def _read_csv(raw: bytes) -> list[list[str]]:
    text = decode(raw)
    if "\x00" in text:
        raise ImportFileError([], _("El archivo no es un texto CSV."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def neutralise(value: object) -> object:
    """Keep a spreadsheet from running a cell as a formula (numbers pass untouched)."""
    if isinstance(value, str) and value.startswith(_DANGEROUS) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo :func:`neutralise`, so that a file this application exported imports back unchanged."""
    if text.startswith("'") and text[1:2] and text[1:2] in _DANGEROUS:
        return text[1:]
    return text


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], fmt: str) -> None:
    """Write a table atomically (a half-written file never replaces a good one)."""
    with atomic_write(path) as tmp:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                for row in rows:
                    writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
        elif fmt == "xlsx":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append(list(header))
            for row in rows:
                sheet.append([float(v) if isinstance(v, Decimal) else neutralise(v) for v in row])
            workbook.save(tmp)
        else:
            raise ValueError(fmt)


#: Characters a sheet's title may not hold, and its longest length (Excel's rules).
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet title made from ``text`` (at most 31 characters, no ``[]:*?/\\``)."""
    base = _SHEET_FORBIDDEN.sub(" ", text).strip() or "Hoja"
    title, n = base[:SHEET_TITLE_MAX], 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def write_sheets(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> None:
    """Write an XLSX workbook atomically with one sheet per ``(title, header, rows)``; the header
    row is bold and frozen, the columns as wide as their longest cell (up to 60)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with atomic_write(path) as tmp:
        workbook = Workbook()
        workbook.remove(workbook.active)
        taken: set[str] = set()
        for title, header, rows in sheets:
            sheet = workbook.create_sheet(sheet_title(title, taken))
            sheet.append([neutralise(h) for h in header])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            widths = [len(str(h)) for h in header]
            for row in rows:
                values = [float(v) if isinstance(v, Decimal) else neutralise(v) for v in row]
                sheet.append(values)
                widths += [0] * (len(values) - len(widths))
                for index, value in enumerate(values):
                    widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
            sheet.freeze_panes = "A2"
            for index, width in enumerate(widths, start=1):
                sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, width + 2)
        workbook.save(tmp)
