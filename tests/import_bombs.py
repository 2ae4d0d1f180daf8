"""Hostile import files, made byte by byte: what someone with a USB stick could hand the tambo.

* :func:`dimension_bomb` — a 1.6 KB XLSX whose sheet declares ``A1:XFD1048576`` and holds one cell
  at the far corner (a reader that trusts the dimension fills 17 thousand million cells);
* :func:`shared_strings_bomb` — an XLSX whose shared-strings table unpacks to ``size`` bytes
  (1 GB from about 1 MB);
* :func:`wide_row_bomb` — a 108 KB XLSX whose second row holds two million cells (openpyxl builds a
  row whole: 1.3 GB);
* :func:`one_line_csv` — a CSV whose second line is ``size`` bytes long, without a line break.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
_SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>{extra}</Relationships>'
)
_SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
)


def _sheet(dimension: str, rows: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">' + _inline("A1", "centro_poblado") + _inline("B1", "ubigeo") + _inline("C1", "tipo") + "</row>"
)


def _package(path: Path, sheet: str, shared: bool = False) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(extra=_SHARED_TYPE if shared else ""))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(extra=_SHARED_REL if shared else ""))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def dimension_bomb(path: Path) -> Path:
    """``A1:XFD1048576`` declared, a header and one cell at the far corner."""
    far = '<row r="1048576">' + _inline("XFD1048576", "x") + "</row>"
    return _package(path, _sheet("A1:XFD1048576", HEADER_ROW + far))


def wide_row_bomb(path: Path, cells: int = 2_000_000) -> Path:
    """A header, then one row of ``cells`` cells (all at C2: Excel's column limit is no bound)."""
    row = '<row r="2">' + '<c r="C2"><v>1</v></c>' * cells + "</row>"
    return _package(path, _sheet("A1:C2", HEADER_ROW + row))


def shared_strings_bomb(path: Path, size: int = 1 << 30) -> Path:
    """A shared-strings table of one string of ``size`` bytes (compressed about 1000 to 1)."""
    sheet = _sheet("A1:C2", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    _package(path, sheet, shared=True)
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    tail = b"</t></si></sst>"
    chunk = b"A" * (1 << 20)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member,
    ):
        member.write(head)
        left = size - len(head) - len(tail)
        while left > 0:
            member.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        member.write(tail)
    return path


def one_line_csv(path: Path, size: int = 200 << 20) -> Path:
    """A header, then one line of ``size`` bytes without a line break."""
    chunk = b"a" * (1 << 20)
    with open(path, "wb") as handle:
        handle.write(b"centro_poblado,ubigeo,tipo,notas\n")
        left = size
        while left > 0:
            handle.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return path
