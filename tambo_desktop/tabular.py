"""Reading and writing tables as CSV or XLSX, as office PCs produce them.

CSV: UTF-8 with or without BOM, or Latin-1/Windows-1252; ``;``, ``,`` or tab separators.
Written cells that could run as spreadsheet formulas are neutralised.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from tambo_desktop.errors import ImportFileError
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
    try:
        header, rows = _read_xlsx(path) if detect_format(path) == "xlsx" else _read_csv(path.read_bytes())
        return header, [[restore(cell) for cell in row] for row in rows]
    except ImportFileError:
        raise
    except OSError as exc:
        raise ImportFileError([], _("No se puede leer el archivo {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from exc
    except Exception as exc:  # a corrupt workbook or binary junk
        raise ImportFileError([], _("El archivo {path} está dañado o no es una tabla: {reason}").format(path=path, reason=exc)) from exc


def _read_csv(raw: bytes) -> tuple[list[str], list[list[str]]]:
    text = decode(raw)
    if "\x00" in text:
        raise ImportFileError([], _("El archivo no es un texto CSV."))
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ImportFileError([], _("El archivo está vacío."))
    return [h.strip() for h in rows[0]], [[c.strip() for c in r] for r in rows[1:]]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    rows = [r for r in rows if any(r)]
    if not rows:
        raise ImportFileError([], _("El archivo está vacío."))
    return rows[0], rows[1:]


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


def _atomic_target(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], fmt: str) -> None:
    """Write a table atomically (a half-written file never replaces a good one)."""
    tmp = _atomic_target(path)
    try:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                for row in rows:
                    writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
                handle.flush()
                os.fsync(handle.fileno())
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
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
