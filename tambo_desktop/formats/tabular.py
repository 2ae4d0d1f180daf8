"""Reading and writing tables as CSV or XLSX, as office PCs produce them.

CSV: UTF-8 with or without BOM, or Latin-1/Windows-1252; ``;``, ``,`` or tab separators.
Written cells that could run as spreadsheet formulas are neutralised.

Dates and times are written for who reads the file: in a CSV as ISO 8601 text (``2026-03-15``,
``09:30``, ``2026-03-15 09:30:00``), because a CSV is for machines to read back and ISO is the one
form every importer parses the same way; in an XLSX as typed date cells with Excel's built-in
date number formats (14, 22, 20), which a spreadsheet shows in its reader's own date format.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, cast

from tambo_desktop import dates
from tambo_desktop.errors import ImportFileError, RowError
from tambo_desktop.files import atomic_write
from tambo_desktop.i18n import _, format_number

FORMATS = ("csv", "xlsx")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MB = 1024 * 1024
#: Bytes that no text table holds (a few may be typing accidents; many mean a binary file).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("csv", "txt", "tsv"):
        return "csv"
    raise ImportFileError(
        [], _("Formato de archivo no admitido: «{suffix}». Use CSV o XLSX.").format(suffix=path.suffix)
    )


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


@dataclass(frozen=True)
class ImportLimits:
    """How much an imported file may hold: the one place of these limits (docs/SECURITY.md).

    A file over any of them is refused before it can fill the PC's memory or keep it busy for
    ever, with a message that names the limit; nothing is imported."""

    rows: int = 200_000  # rows of the sheet (a spreadsheet's row number, blank rows counted)
    columns: int = 200  # cells in a row
    cell_chars: int = 10_000  # characters in one cell (notes are 2,000 at most anyway)
    line_chars: int = 1_000_000  # characters in one line of a CSV (a quoted cell may span lines)
    file_bytes: int = 100 * MB  # size of a CSV file, or of an XLSX file as stored
    unpacked_bytes: int = 300 * MB  # what an XLSX's parts declare they unpack to, together
    shared_strings_bytes: int = 50 * MB  # the XLSX's table of texts, unpacked (read whole by openpyxl)
    seconds: float = 300.0  # reading the file


LIMITS = ImportLimits()
#: How often (rows) the reader reports its progress and looks at the clock.
PROGRESS_EVERY = 1000
#: How often (records) an import reports how far its saving is.
SAVE_PROGRESS_EVERY = 100
#: A progress callback: ``(done, total)`` in the same unit (bytes of a CSV, rows of a sheet).
Progress = Callable[[int, int], None]
#: An import's progress: ``(step, done, total)``, the step in the user's language.
ImportProgress = Callable[[str, int, int], None]


def reading(progress: ImportProgress | None) -> Progress | None:
    """The reader's progress as the import's first step, «Leyendo el archivo»."""
    if progress is None:
        return None
    step = _("Leyendo el archivo")
    return lambda done, total: progress(step, done, total)


def read_table(path: Path, limits: ImportLimits = LIMITS) -> tuple[list[str], list[list[str]]]:
    """Header and data rows (all text) of a CSV or XLSX file."""
    header, rows = read_numbered_table(path, limits=limits)
    return header, [row for _number, row in rows]


def read_numbered_table(
    path: Path, progress: Progress | None = None, limits: ImportLimits = LIMITS
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows, each data row with its row number as a spreadsheet shows it.

    Blank rows are skipped but still counted, so ``row N`` in a message is the row the user sees.
    The file is read as a stream within ``limits``; a row with more cells than the header, a NUL
    character or a cell over the length limit is an error of its row (all such rows are listed)."""
    path = Path(path)
    try:
        kind = detect_format(path)
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise ImportFileError([], _too_big(path, size, limits.file_bytes))
        source = _xlsx_rows(path, limits, progress) if kind == "xlsx" else _csv_rows(path, limits, progress)
        return _collect(source, limits)
    except ImportFileError:
        raise
    except OSError as exc:
        raise ImportFileError(
            [], _("No se puede leer el archivo {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    except MemoryError as exc:  # the limits keep far below this; say so rather than "damaged"
        raise ImportFileError([], _("El archivo {path} es demasiado grande para leerlo.").format(path=path)) from exc
    except Exception as exc:  # a corrupt workbook or binary junk
        raise ImportFileError(
            [], _("El archivo {path} está dañado o no es una tabla: {reason}").format(path=path, reason=exc)
        ) from exc


def _megabytes(size: int) -> str:
    return format_number(size / MB, 1 if size < 10 * MB else 0)


def _too_big(path: Path, size: int, limit: int) -> str:
    return _(
        "El archivo {file} ocupa {size} MB; el límite de una importación es {limit} MB: divídalo en partes."
    ).format(file=path.name, size=_megabytes(size), limit=_megabytes(limit))


def _column_name(header: list[str], index: int) -> str:
    name = header[index].strip() if index < len(header) else ""
    return name or _("columna {n}").format(n=index + 1)


def _collect(
    source: Iterator[tuple[int, list[str]]], limits: ImportLimits
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (the first non-blank row) and the data rows, checked cell by cell."""
    header: list[str] | None = None
    data: list[tuple[int, list[str]]] = []
    errors: list[RowError] = []
    deadline = time.monotonic() + limits.seconds
    for count, (number, row) in enumerate(source, start=1):
        if number > limits.rows:
            raise ImportFileError(
                [],
                _("El archivo tiene más de {limit} filas, el límite de una importación: divídalo en partes.").format(
                    limit=format_number(limits.rows)
                ),
            )
        if len(row) > limits.columns:
            raise ImportFileError(
                [],
                _("La fila {row} tiene {count} columnas; el límite de una importación es {limit}.").format(
                    row=number, count=format_number(len(row)), limit=limits.columns
                ),
            )
        if count % PROGRESS_EVERY == 0 and time.monotonic() > deadline:
            raise ImportFileError(
                [],
                _(
                    "Leer el archivo tardó más de {limit} segundos, el límite de una importación: divídalo en partes."
                ).format(limit=format_number(limits.seconds)),
            )
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            while row and not row[-1].strip():
                row = row[:-1]  # the header ends at its last named column
            header = [h.replace("\x00", "").strip() for h in row]
            continue
        for index, cell in enumerate(row):
            if len(cell) > limits.cell_chars:
                message = _("tiene {count} caracteres; el límite de una celda es {limit}").format(
                    count=format_number(len(cell)), limit=format_number(limits.cell_chars)
                )
                errors.append(RowError(number, _column_name(header, index), message))
            elif "\x00" in cell:
                errors.append(
                    RowError(number, _column_name(header, index), _("tiene un carácter nulo (NUL): escríbala de nuevo"))
                )
        extra = [i for i in range(len(header), len(row)) if row[i].strip()]
        if extra:
            message = _(
                "la fila tiene {cells} celdas y el encabezado {columns} columnas: ¿una coma o un punto y coma sin comillas en un texto?"
            ).format(cells=extra[-1] + 1, columns=len(header))
            errors.append(RowError(number, _column_name(header, extra[0]), message))
            continue
        cells = [restore(c.strip()) for c in row[: len(header)]]
        data.append((number, cells + [""] * (len(header) - len(cells))))
    if header is None:
        raise ImportFileError([], _("El archivo está vacío."))
    if errors:
        raise ImportFileError(
            errors[:MAX_ROW_ERRORS], _("No se importó nada: corrija estas filas y vuelva a intentarlo.")
        )
    return header, data


#: Row errors listed at most (a file with a hundred thousand bad rows gives a readable message).
MAX_ROW_ERRORS = 200


def _encoding(path: Path) -> str:
    """UTF-8 (BOM or not) when every byte decodes as such, else Windows-1252 (Latin-1 where
    1252 has a hole); read in chunks, so that a large file is never held whole."""
    with open(path, "rb") as handle:
        start = handle.read(4)
        if start.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        handle.seek(0)
        sample = handle.read(8192)
        if len(_CONTROL.findall(sample)) > len(sample) // 100:  # binary junk, or UTF-16 without a BOM
            raise ImportFileError([], _("El archivo no es un texto CSV."))
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := handle.read(1 << 20):
                cp1252.decode(chunk)
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


def _bounded_lines(handle: IO[str], limits: ImportLimits, size: int, progress: Progress | None) -> Iterator[str]:
    """The lines of ``handle``, each at most ``limits.line_chars`` characters (a longer one refuses
    the file before it is read whole), reporting the bytes read now and then."""
    number = 0
    while line := handle.readline(limits.line_chars + 1):
        number += 1
        if len(line) > limits.line_chars and not line.endswith(("\n", "\r")):
            raise ImportFileError(
                [],
                _(
                    "La línea {line} tiene más de {limit} caracteres, el límite de una línea: el archivo no es una tabla CSV."
                ).format(line=number, limit=format_number(limits.line_chars)),
            )
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(min(size, handle.buffer.tell()) if hasattr(handle, "buffer") else 0, size)
        yield line


def _csv_rows(path: Path, limits: ImportLimits, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    size = path.stat().st_size
    encoding = _encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        first = ""
        while not first.strip():
            first = handle.readline(limits.line_chars + 1)
            if not first:
                return
        delimiter = max((";", ",", "\t"), key=first.count)
        handle.seek(0)
        old = csv.field_size_limit()
        csv.field_size_limit(limits.line_chars)
        try:
            reader = csv.reader(_bounded_lines(handle, limits, size, progress), delimiter=delimiter)
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ImportFileError(
                [], _("La fila {row} no se puede leer como CSV: {reason}").format(row=reader.line_num, reason=exc)
            ) from exc
        finally:
            csv.field_size_limit(old)
        if progress is not None:
            progress(size, size)


def _cell_text(value: object) -> str:
    """A cell as text; a date or time cell as the ISO 8601 text a CSV of the same table holds
    (a date cell at midnight as its date, a time on the minute as ``09:30``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time.min:
        return value.date().isoformat()
    if isinstance(value, dt.time | dt.date):
        return csv_text(value)
    return str(value).strip()


def _check_parts(path: Path, limits: ImportLimits) -> None:
    """Refuse an XLSX whose parts declare more than the limits once unpacked (Python's zipfile
    never unpacks more than a part declares, so the declared sizes bound what is read)."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    total = sum(part.file_size for part in parts)
    strings = sum(part.file_size for part in parts if part.filename.lower().endswith("sharedstrings.xml"))
    if strings > limits.shared_strings_bytes:
        raise ImportFileError(
            [],
            _(
                "El archivo {file} tiene una tabla de textos de {size} MB; el límite de una importación es {limit} MB."
            ).format(file=path.name, size=_megabytes(strings), limit=_megabytes(limits.shared_strings_bytes)),
        )
    if total > limits.unpacked_bytes:
        raise ImportFileError(
            [],
            _(
                "El archivo {file} ocupa {size} MB al abrirlo; el límite de una importación es {limit} MB: divídalo en partes."
            ).format(file=path.name, size=_megabytes(total), limit=_megabytes(limits.unpacked_bytes)),
        )


def _prescan_sheet(source: IO[bytes], limits: ImportLimits) -> None:
    """Count the cells of each row of a sheet's XML as a stream (expat, constant memory) before
    openpyxl parses it: openpyxl builds a whole row in memory, and one row of two million cells
    (a 108 KB file) took 1.3 GB. A row over the column limit refuses the file, naming the row."""
    from xml.parsers import expat

    state = {"row": 0, "cells": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1].rsplit("}", 1)[-1]
        if local == "row":
            reference = attributes.get("r", "")
            state["row"] = int(reference) if reference.isdigit() else state["row"] + 1
            state["cells"] = 0
        elif local == "c":
            state["cells"] += 1
            if state["cells"] > limits.columns:
                raise ImportFileError(
                    [],
                    _("La fila {row} tiene {count} columnas; el límite de una importación es {limit}.").format(
                        row=state["row"], count=_("más de {n}").format(n=limits.columns), limit=limits.columns
                    ),
                )

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    while chunk := source.read(1 << 20):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _xlsx_rows(path: Path, limits: ImportLimits, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    """The rows of the first sheet that hold cells, with their row numbers, as a stream.

    The sheet's declared dimension is not trusted (``A1:XFD1048576`` would make openpyxl fill every
    cell of a million rows): only the cells present are read, row by row."""
    from openpyxl import load_workbook

    _check_parts(path, limits)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        with sheet._get_source() as source:  # type: ignore[union-attr, attr-defined]  # a read-only sheet opens its part
            _prescan_sheet(source, limits)
        declared = sheet.max_row if isinstance(sheet.max_row, int) else 0
        total = min(declared, limits.rows) or limits.rows
        sheet.reset_dimensions()  # the declared dimension is not trusted
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(min(number, total), total)
            if len(row) > limits.columns or number > limits.rows:
                yield number, [""] * len(row)  # _collect refuses it, naming the limit
                return
            yield number, [_cell_text(v) for v in row]
        if progress is not None:
            progress(total, total)
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


#: Excel's built-in number formats that show a value in the reader's own date format (numFmtId 14,
#: 22 and 20: openpyxl writes these texts as the built-in ids, which Excel and LibreOffice display in
#: the regional short date / date and time / time of the PC that opens the file).
XLSX_DATE_FORMAT = "mm-dd-yy"
XLSX_DATETIME_FORMAT = "m/d/yy h:mm"
XLSX_TIME_FORMAT = "h:mm"


def csv_text(value: object) -> str:
    """A cell of a CSV: dates and times as ISO 8601 (``09:30`` for a time on the minute), the
    rest as text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.time):
        return value.isoformat("minutes" if not value.second and not value.microsecond else "auto")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(neutralise(str(value)))


def _xlsx_value(value: object) -> object:
    """A cell's value as openpyxl stores it typed: Decimal as a number, an aware date-time on the
    tambo's clock without its zone (a spreadsheet has none), text neutralised."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return dates.to_tambo(value).replace(tzinfo=None)
    return neutralise(value)


def _date_format(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return XLSX_DATETIME_FORMAT
    if isinstance(value, dt.date):
        return XLSX_DATE_FORMAT
    if isinstance(value, dt.time):
        return XLSX_TIME_FORMAT
    return None


def _xlsx_row(sheet, row: Sequence[object]) -> list[object]:
    """A row for a write-only sheet: dates, date-times and times as typed cells in the reader's format."""
    values: list[object] = []
    for raw in row:
        value = _xlsx_value(raw)
        number_format = _date_format(value)
        if number_format is None:
            values.append(value)
        else:
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(sheet, value=cast(dt.date, value))
            cell.number_format = number_format
            values.append(cell)
    return values


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], fmt: str) -> None:
    """Write a table atomically (a half-written file never replaces a good one)."""
    with atomic_write(path) as tmp:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows([csv_text(v) for v in row] for row in rows)
        elif fmt == "xlsx":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append(list(header))
            for row in rows:
                sheet.append(_xlsx_row(sheet, row))
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
                values = [_xlsx_value(v) for v in row]
                sheet.append(values)
                widths += [0] * (len(values) - len(widths))
                for index, value in enumerate(values, start=1):
                    number_format = _date_format(value)
                    if number_format is not None:
                        sheet.cell(row=sheet.max_row, column=index).number_format = number_format
                    shown = 16 if number_format == XLSX_DATETIME_FORMAT else 10 if number_format else None
                    length = shown or (len(str(value)) if value is not None else 0)
                    widths[index - 1] = max(widths[index - 1], length)
            sheet.freeze_panes = "A2"
            for index, width in enumerate(widths, start=1):
                sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, width + 2)
        workbook.save(tmp)
