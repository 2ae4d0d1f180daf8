"""PIAS on the command line (issue 19, part 7): ``init --platform pias`` with its ship, ``demo
--platform pias``, ``voyage list [--json]`` with the IDs and uuids the other verbs take, the
itinerary as PDF and .ics, the voyage report as PDF and XLSX; bad input is exit 2, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tambo_desktop.demo.build import DEMO_PASSWORD
from tests.cli_signin import run_in_process, signed

ROOT = Path(__file__).resolve().parents[2]


def cli(
    home: Path, *args: str, stdin: str = "", lang: str = "es", user: str = "admin", password: str = DEMO_PASSWORD
) -> subprocess.CompletedProcess:
    args, stdin = signed(args, stdin, user, password)  # type: ignore[assignment]  # by default the demo's admin
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", TAMBO_LANG=lang, PYTHONPATH=str(ROOT))
    argv = ["--home", str(home), *args]
    return run_in_process(argv, stdin, env, str(ROOT))  # main(argv) here: no interpreter start-up per call


@pytest.fixture(scope="module")
def pias_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("cli-pias") / "home"
    result = cli(home, "demo", "--platform", "pias")
    assert result.returncode == 0, result.stderr
    assert "Travesías: 2; paradas: 40;" in result.stdout
    return home


def test_init_a_pias_with_its_ship(tmp_path):
    words = ["init", "--tambo-name", "PIAS Napo", "--tambo-code", "PIAS-16-01", "--district", "210101",
             "--centro-poblado", "Puerto", "--admin-user", "ana", "--admin-name", "Ana Mamani", "--platform", "pias"]  # fmt: skip
    missing = cli(tmp_path / "a", *words, stdin="clave-segura-1\n")
    assert missing.returncode == 2 and "Escriba el nombre del barco." in missing.stderr
    bad = cli(tmp_path / "b", *words, "--ship-name", "BAP Napo", "--ship-capacity", "mucho", "--ship-modules", "casino",
              stdin="clave-segura-1\n")  # fmt: skip
    assert bad.returncode == 2 and "capacidad" in bad.stderr and "casino" in bad.stderr, bad.stderr
    good = cli(tmp_path / "c", *words, "--ship-name", "BAP Napo", "--ship-code", "ABH-302", "--ship-capacity", "60",
               "--ship-modules", "consulting,reniec,bank", stdin="clave-segura-1\n")  # fmt: skip
    assert good.returncode == 0 and "PIAS PIAS-16-01 configurada" in good.stdout, good.stderr
    listed = cli(tmp_path / "c", "voyage", "list", "--json", user="ana", password="clave-segura-1")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_voyage_list_shows_the_ids_the_verbs_take(pias_home, tmp_path):
    rows = json.loads(cli(pias_home, "voyage", "list", "--json").stdout)
    assert [(r["stops"], r["reached"], r["skipped"]) for r in rows] == [(20, 0, 0), (20, 19, 1)]
    text = cli(pias_home, "voyage", "list").stdout.splitlines()
    assert text[0].split()[:4] == ["ID", "Desde", "Hasta", "Paradas"]
    assert [int(line.split()[0]) for line in text[1:]] == [r["id"] for r in rows]
    past = rows[1]
    for key in ("id", "uuid"):
        for verb, fmt in (("itinerary", "pdf"), ("itinerary", "ics"), ("report", "pdf"), ("report", "xlsx")):
            out = tmp_path / f"{verb}-{key}.{fmt}"
            result = cli(pias_home, "voyage", verb, "--voyage", str(past[key]), "--format", fmt, "--out", str(out))
            assert result.returncode == 0, (verb, fmt, result.stderr)
            assert out.stat().st_size > 1000
    assert (tmp_path / "itinerary-id.ics").read_text(encoding="utf-8").count("BEGIN:VEVENT") == 20


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["voyage", "report", "--voyage", "99", "--format", "pdf"], "No hay ninguna travesía con el ID «99»"),
        (["voyage", "itinerary", "--voyage", "abc", "--format", "pdf"], "«abc» no es un ID"),
    ],
)
def test_an_unknown_voyage_is_bad_input(pias_home, tmp_path, words, message):
    out = tmp_path / "nada.pdf"
    result = cli(pias_home, *words, "--out", str(out))
    assert result.returncode == 2 and message in result.stderr and not out.exists(), result.stderr


def test_the_pias_demo_is_not_loaded_over_a_tambo(tmp_path):
    assert cli(tmp_path / "t", "demo").returncode == 0
    result = cli(tmp_path / "t", "demo", "--platform", "pias")
    assert result.returncode == 1 and "no de una PIAS" in result.stderr


def test_a_stops_flyer_and_radio_script_default_to_spanish_and_the_communitys_language(pias_home, tmp_path):
    """``flyer --campaign ID`` without ``--languages`` prints the campaign's languages (here Aymara with
    Spanish, the stop's community speaks Aymara), not always Spanish and Quechua."""
    announced = cli(pias_home, "voyage", "announce", "--voyage", "2", "--stop", "1")
    assert announced.returncode == 0, announced.stderr
    campaign = announced.stdout.split()[1]
    out = tmp_path / "volante.pdf"
    result = cli(pias_home, "flyer", "--campaign", campaign, "--template", "a5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Lugar / Chiqapa" in text and "Inaki uñjäwi" in text and "Maypi" not in text
    radio = cli(pias_home, "radio-script", "--campaign", campaign, "--out", str(tmp_path / "radio.pdf"))
    assert radio.returncode == 0 and "[es]" in radio.stdout and "[ay]" in radio.stdout and "[qu]" not in radio.stdout
