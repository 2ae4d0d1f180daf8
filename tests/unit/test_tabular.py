"""Reading tables as office PCs write them, and writing them without formula injection."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tambo_desktop.errors import ImportFileError
from tambo_desktop.formats.tabular import decode, neutralise, read_numbered_table, read_table, restore, write_table

HEADER = ["centro_poblado", "ubigeo", "notas"]


def test_utf8_csv_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffcentro_poblado,ubigeo,notas\nÑuñoa Pampa,210102,Ch’uqi\n".encode())
    header, rows = read_table(path)
    assert header == HEADER  # no BOM glued to the first column name
    assert rows == [["Ñuñoa Pampa", "210102", "Ch’uqi"]]


def test_latin1_csv_with_semicolons(tmp_path):
    path = tmp_path / "latin1.csv"
    text = "centro_poblado;ubigeo;notas\r\nAñaypampa;210102;Ch'uqi chacra\r\nCcopamaya;210102;\r\n"
    path.write_bytes(text.encode("latin-1"))
    header, rows = read_table(path)
    assert header == HEADER
    assert rows == [["Añaypampa", "210102", "Ch'uqi chacra"], ["Ccopamaya", "210102", ""]]


def test_comma_separated_with_quoted_separators_and_blank_lines(tmp_path):
    path = tmp_path / "comma.csv"
    path.write_text(
        'centro_poblado,ubigeo,notas\n\n"Jiscullaya, sector 2",210102,"feria; sábados"\n\n', encoding="utf-8"
    )
    header, rows = read_table(path)
    assert header == HEADER
    assert rows == [["Jiscullaya, sector 2", "210102", "feria; sábados"]]


def test_row_numbers_count_the_blank_rows_a_spreadsheet_shows(tmp_path):
    path = tmp_path / "huecos.csv"
    path.write_text(
        '\ncentro_poblado,ubigeo,notas\nA,210102,x\n\n,,\nB,210102,"dos\nlíneas"\nC,210102,y\n', encoding="utf-8"
    )
    header, rows = read_numbered_table(path)
    assert header == HEADER  # found below a leading blank line, with its "," separator
    assert rows == [(3, ["A", "210102", "x"]), (6, ["B", "210102", "dos\nlíneas"]), (7, ["C", "210102", "y"])]


def test_xlsx_row_numbers_count_empty_rows(tmp_path):
    path = tmp_path / "huecos.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["B1"] = "centro_poblado", "ubigeo"
    sheet["A2"], sheet["B2"] = "A", "210102"
    sheet["A5"], sheet["B5"] = "B", 210102
    workbook.save(path)
    assert read_numbered_table(path) == (["centro_poblado", "ubigeo"], [(2, ["A", "210102"]), (5, ["B", "210102"])])


def test_tab_separated(tmp_path):
    path = tmp_path / "tabs.txt"
    path.write_text("centro_poblado\tubigeo\tnotas\nCcopamaya\t210102\tx\n", encoding="utf-8")
    assert read_table(path) == (HEADER, [["Ccopamaya", "210102", "x"]])


def test_decode_prefers_utf8_then_windows_1252():
    assert decode("Ñuñoa".encode()) == "Ñuñoa"
    assert decode("Ñuñoa".encode("latin-1")) == "Ñuñoa"
    assert decode("Ch’uqi".encode("cp1252")) == "Ch’uqi"
    assert decode(b"\xef\xbb\xbfabc") == "abc"


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.csv", b""), ("blank.csv", b"\n\n  \n"), ("binary.csv", b"PK\x03\x04\x00\x00junk")],
)
def test_unreadable_csv_is_an_import_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError):
        read_table(path)


def test_unsupported_format_and_missing_file(tmp_path):
    with pytest.raises(ImportFileError, match="Formato de archivo no admitido"):
        read_table(tmp_path / "datos.ods")
    with pytest.raises(ImportFileError, match="No se puede leer"):
        read_table(tmp_path / "no-existe.csv")


def test_corrupt_xlsx_is_an_import_error(tmp_path):
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(ImportFileError, match="dañado"):
        read_table(path)


def test_xlsx_cells_come_back_as_text(tmp_path):
    path = tmp_path / "datos.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["centro_poblado", "poblacion", "latitud", "vacío"])
    sheet.append(["Ñuñoa", 1240, -16.021437, None])
    sheet.append([None, None, None, None])
    sheet.append(["Ch'uqi", 80.0, -16.5, "x"])
    workbook.save(path)
    header, rows = read_table(path)
    assert header == ["centro_poblado", "poblacion", "latitud", "vacío"]
    assert rows == [["Ñuñoa", "1240", "-16.021437", ""], ["Ch'uqi", "80", "-16.5", "x"]]


# -- formula injection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["=1+1", "+51 951 423 870", "-cmd", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_dangerous_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-16.02", "-69.758912", "-5", "3,5", "Jiscullaya", "", "a=b", "1240"])
def test_numbers_and_plain_text_pass_untouched(value):
    assert neutralise(value) == value


def test_non_text_values_pass_untouched():
    assert neutralise(-16.02) == -16.02
    assert neutralise(Decimal("-16.02")) == Decimal("-16.02")
    assert neutralise(None) is None


ROWS = [
    ["=SUM(A1:A9)", "-16.02", "@cmd"],
    ["+1", "-69.758912", "normal"],
]


def test_written_csv_is_utf8_with_bom_and_neutralised(tmp_path):
    path = tmp_path / "out.csv"
    write_table(path, HEADER, [*ROWS, ["Ñuñoa", None, "Ch'uqi"]], "csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines[1] == "'=SUM(A1:A9),-16.02,'@cmd"  # what a spreadsheet opens: text, not formulas
    assert lines[2] == "'+1,-69.758912,normal"
    # and what the application reads back is what it wrote
    header, rows = read_table(path)
    assert header == HEADER
    assert rows == [*ROWS, ["Ñuñoa", "", "Ch'uqi"]]
    assert not list(tmp_path.glob(".tmp-*"))  # the temporary file was renamed, not left behind


def test_written_xlsx_has_no_formulas_and_keeps_numbers(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, HEADER, [*ROWS, ["x", Decimal("-16.021437"), 1240]], "xlsx")
    sheet = load_workbook(path).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells[0] == ["'=SUM(A1:A9)", "-16.02", "'@cmd"]
    assert cells[1] == ["'+1", "-69.758912", "normal"]
    assert cells[2] == ["x", -16.021437, 1240]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_reads_back_what_was_written(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, HEADER, ROWS, "xlsx")
    assert read_table(path) == (HEADER, ROWS)


@pytest.mark.parametrize("value", ["=1+1", "+51951423870", "- camino", "@x", "\tx", "\rx"])
def test_restore_undoes_neutralise(value):
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", ["'", "'hola", "''=x", "Ch'uqi", "", "-16.02"])
def test_restore_leaves_other_text_alone(value):
    assert restore(value) == value


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.csv"
    write_table(path, HEADER, [["a", "b", "c"]], "csv")
    before = path.read_bytes()

    def rows():
        yield ["d", "e", "f"]
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        write_table(path, HEADER, rows(), "csv")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_exported_files_get_the_users_permissions_not_private_ones(tmp_path):
    """mkstemp makes the temporary file 0600; the exported file is readable like any other
    the user creates (another account of a shared computer opens the printed schedule)."""
    import os
    import stat

    from tambo_desktop.documents.style import build_pdf, text

    old = os.umask(0o022)
    try:
        write_table(tmp_path / "t.csv", ["a"], [["1"]], "csv")
        build_pdf(tmp_path / "d.pdf", [text("hola")], title="t", footer="f")
    finally:
        os.umask(old)
    for name in ("t.csv", "d.pdf"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_xlsx_writes_dates_as_typed_cells_in_the_readers_date_format(tmp_path):
    """Dates, date-times and times are real date cells with Excel's built-in regional formats
    (14, 22, 20), not text: a spreadsheet shows them in its reader's format and can sort them."""
    import datetime as dt

    from tambo_desktop.dates import tambo_zone
    from tambo_desktop.formats.tabular import write_sheets

    aware = dt.datetime(2026, 3, 15, 14, 30, tzinfo=dt.UTC)  # 09:30 in Lima
    row = [dt.date(2026, 3, 15), dt.datetime(2026, 3, 15, 9, 30), dt.time(9, 30), aware, "texto"]
    for name in ("table.xlsx", "sheets.xlsx"):
        path = tmp_path / name
        if name == "table.xlsx":
            write_table(path, ["fecha", "momento", "hora", "utc", "nota"], [row], "xlsx")
        else:
            write_sheets(path, [("Hoja", ["fecha", "momento", "hora", "utc", "nota"], [row])])
        sheet = load_workbook(path).worksheets[0]
        date_cell, moment_cell, time_cell, aware_cell, text_cell = sheet[2]
        assert date_cell.is_date and date_cell.value == dt.datetime(2026, 3, 15)
        assert date_cell.number_format == "mm-dd-yy"  # the built-in id 14: the reader's short date
        assert moment_cell.is_date and moment_cell.value == dt.datetime(2026, 3, 15, 9, 30)
        assert moment_cell.number_format == "m/d/yy h:mm"  # id 22
        assert time_cell.is_date and time_cell.value == dt.time(9, 30)
        assert time_cell.number_format == "h:mm"  # id 20
        local = aware.astimezone(tambo_zone()).replace(tzinfo=None)
        assert aware_cell.value == local == dt.datetime(2026, 3, 15, 9, 30)
        assert not text_cell.is_date and text_cell.value == "texto"
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml").decode()
        assert 'numFmtId="14"' in styles and 'numFmtId="22"' in styles and 'numFmtId="20"' in styles
        for code in ("mm-dd-yy", "m/d/yy h:mm", "h:mm"):  # built-in ids, not custom formats fixing the order
            assert f'formatCode="{code}"' not in styles


def test_csv_writes_dates_as_iso_8601(tmp_path):
    """A CSV is read back by machines: dates and times stay ISO 8601, whatever the language."""
    import datetime as dt

    path = tmp_path / "dates.csv"
    rows = [[dt.date(2026, 3, 5), dt.datetime(2026, 3, 5, 9, 30), dt.time(9, 30), dt.time(9, 30, 15)]]
    write_table(path, ["fecha", "momento", "hora", "segundos"], rows, "csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "2026-03-05,2026-03-05 09:30:00,09:30,09:30:15"
