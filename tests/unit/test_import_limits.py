"""Bounded imports (issue 15, part 9): hostile files are refused by a named limit in small memory,
and the faults of one row are errors of that row."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tambo_desktop.errors import ImportFileError, RowError
from tambo_desktop.formats import tabular
from tambo_desktop.formats.tabular import read_numbered_table
from tests.import_bombs import dimension_bomb, one_line_csv, shared_strings_bomb, wide_row_bomb

ROOT = Path(__file__).resolve().parents[2]
#: What a bounded reader may use at its peak (a bare interpreter with openpyxl takes about 40 MB).
PEAK_MB = 150


def _read_capped(path: Path) -> tuple[str, float]:
    """Read ``path`` in a fresh process capped at 1 GB of address space: (first line of the
    outcome, peak resident MB)."""
    script = textwrap.dedent(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from pathlib import Path
        def peak_kb():  # this process's own high-water mark (ru_maxrss keeps the parent's across exec)
            status = Path("/proc/self/status").read_text()
            return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
        from tambo_desktop.errors import ImportFileError
        from tambo_desktop.formats.tabular import read_numbered_table
        try:
            header, rows = read_numbered_table(Path(sys.argv[1]))
            outcome = f"read {len(rows)} rows"
        except ImportFileError as exc:
            outcome = str(exc).splitlines()[0]
        print(peak_kb())
        print(outcome)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "TAMBO_LANG": "es"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    peak, outcome = done.stdout.splitlines()[:2]
    return outcome, int(peak) / 1024


def test_a_sheet_declaring_a_million_rows_and_16384_columns_is_refused_in_small_memory(tmp_path):
    path = dimension_bomb(tmp_path / "esquina.xlsx")
    assert path.stat().st_size < 2000
    outcome, peak = _read_capped(path)
    assert outcome == "El archivo tiene más de 200,000 filas, el límite de una importación: divídalo en partes."
    assert peak < PEAK_MB


def test_a_far_column_is_refused_by_the_column_limit(tmp_path):
    path = dimension_bomb(tmp_path / "esquina.xlsx")
    with pytest.raises(
        ImportFileError, match="La fila 1048576 tiene 16,384 columnas; el límite de una importación es 200"
    ):
        read_numbered_table(path, limits=tabular.ImportLimits(rows=2_000_000))


def test_a_row_of_two_million_cells_is_refused_before_openpyxl_builds_it(tmp_path):
    path = wide_row_bomb(tmp_path / "ancha.xlsx")
    assert path.stat().st_size < 200_000
    outcome, peak = _read_capped(path)
    assert outcome == "La fila 2 tiene más de 200 columnas; el límite de una importación es 200."
    assert peak < PEAK_MB


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = shared_strings_bomb(tmp_path / "textos.xlsx", size=300 << 20)
    outcome, peak = _read_capped(path)
    assert outcome == (
        "El archivo textos.xlsx tiene una tabla de textos de 300 MB; el límite de una importación es 50 MB."
    )
    assert peak < PEAK_MB


def test_a_200_mb_csv_on_one_line_is_refused_in_small_memory(tmp_path):
    path = one_line_csv(tmp_path / "linea.csv", size=200 << 20)
    outcome, peak = _read_capped(path)
    assert outcome == "El archivo linea.csv ocupa 200 MB; el límite de una importación es 100 MB: divídalo en partes."
    assert peak < PEAK_MB


def test_a_line_over_the_line_limit_is_refused_before_it_is_read_whole(tmp_path):
    path = one_line_csv(tmp_path / "linea.csv", size=3 << 20)
    outcome, peak = _read_capped(path)
    assert outcome == (
        "La línea 2 tiene más de 1,000,000 caracteres, el límite de una línea: el archivo no es una tabla CSV."
    )
    assert peak < PEAK_MB


def _csv(tmp_path: Path, text: str, name: str = "datos.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_row_with_more_cells_than_the_header_is_an_error_of_its_row(tmp_path):
    path = _csv(
        tmp_path,
        "centro_poblado,ubigeo,tipo,notas\n"
        "Ccota,210102,anexo,feria los sábados\n"
        "Jiscullaya,210102,anexo,feria, sábados y domingos\n"  # an unquoted comma in the notes
        "Ccopamaya,210102,anexo,\n",
    )
    with pytest.raises(ImportFileError) as raised:
        read_numbered_table(path)
    assert raised.value.rows == [
        RowError(
            3,
            "columna 5",
            "la fila tiene 5 celdas y el encabezado 4 columnas: ¿una coma o un punto y coma sin comillas en un texto?",
        )
    ]
    assert "fila 3, columna 5" in str(raised.value)


def test_trailing_empty_cells_are_not_extra_cells(tmp_path):
    path = _csv(tmp_path, "centro_poblado;ubigeo;tipo;;\nCcota;210102;anexo;;\nJiscullaya;210102;anexo\n")
    header, rows = read_numbered_table(path)
    assert header == ["centro_poblado", "ubigeo", "tipo"]
    assert rows == [(2, ["Ccota", "210102", "anexo"]), (3, ["Jiscullaya", "210102", "anexo"])]


def test_one_nul_byte_names_its_row_and_column(tmp_path):
    lines = ["centro_poblado,ubigeo,tipo,notas"] + [f"Comunidad {i},210102,anexo,nota {i}" for i in range(300)]
    lines[120] = "Comunidad 119,210102,anexo,no\x00ta"
    path = tmp_path / "nul.csv"
    path.write_bytes("\n".join(lines).encode())
    with pytest.raises(ImportFileError) as raised:
        read_numbered_table(path)
    assert raised.value.rows == [RowError(121, "notas", "tiene un carácter nulo (NUL): escríbala de nuevo")]


def test_binary_junk_is_still_not_a_csv(tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ImportFileError, match="El archivo no es un texto CSV."):
        read_numbered_table(path)


def test_a_cell_over_the_cell_limit_is_an_error_of_its_row(tmp_path):
    path = _csv(tmp_path, "centro_poblado,ubigeo,notas\nCcota,210102,corta\nJiscullaya,210102," + "x" * 10_001 + "\n")
    with pytest.raises(ImportFileError) as raised:
        read_numbered_table(path)
    assert raised.value.rows == [RowError(3, "notas", "tiene 10,001 caracteres; el límite de una celda es 10,000")]


def test_the_row_and_time_limits_are_named(tmp_path):
    path = _csv(tmp_path, "centro_poblado,ubigeo\n" + "".join(f"C{i},210102\n" for i in range(2500)))
    with pytest.raises(ImportFileError, match="El archivo tiene más de 1,000 filas, el límite de una importación"):
        read_numbered_table(path, limits=tabular.ImportLimits(rows=1000))
    with pytest.raises(ImportFileError, match="Leer el archivo tardó más de 0 segundos, el límite de una importación"):
        read_numbered_table(path, limits=tabular.ImportLimits(seconds=0))


def test_progress_is_reported_up_to_the_whole_file(tmp_path):
    path = _csv(tmp_path, "centro_poblado,ubigeo\n" + "".join(f"C{i},210102\n" for i in range(5000)))
    seen: list[tuple[int, int]] = []
    header, rows = read_numbered_table(path, progress=lambda done, total: seen.append((done, total)))
    assert len(rows) == 5000
    assert len(seen) >= 5 and seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
