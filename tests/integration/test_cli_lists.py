"""The command line fits together (issue 12, part 7): every ID a verb takes is shown by a list, in
text under headings and in JSON, with the record's uuid, which the verbs accept as well; an unknown
or malformed ID is bad input (exit 2); closing the output early ends quietly."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tambo_desktop import dates
from tambo_desktop.cli import build_parser
from tests.cli_signin import run_in_process, signed

ROOT = Path(__file__).resolve().parents[2]
TODAY = dates.today()
PERIOD = ["--from", str(TODAY - dt.timedelta(days=120)), "--to", str(TODAY + dt.timedelta(days=120))]
#: The option that takes an ID → the list that shows those IDs.
LISTS = {
    "--intervention": ["interventions", "list", *PERIOD],
    "--campaign": ["campaigns", "list"],
    "--course": ["training", "list"],
    "--voyage": ["voyage", "list"],  # a PIAS's (tests/integration/test_cli_voyages.py; none in a tambo)
}


def cli(home: Path, *args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    args, stdin = signed(args)  # type: ignore[assignment]  # the demo's admin
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", TAMBO_LANG="es", PYTHONPATH=str(ROOT))
    if stdout is subprocess.PIPE:  # main(argv) here: no interpreter start-up per call
        return run_in_process(["--home", str(home), *args], stdin, env, str(ROOT))
    command = [sys.executable, "-m", "tambo_desktop", "--home", str(home), *args]  # the pipe itself is tested
    return subprocess.run(
        command, input=stdin, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT, timeout=120
    )


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("cli-lists") / "home"
    result = cli(home, "demo")
    assert result.returncode == 0, result.stderr
    return home


def _id_options(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], list[str]]:
    """Every verb (as its words) → its options whose value is a record's ID."""
    found: dict[tuple[str, ...], list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_id_options(sub, (*path, name)))
        elif action.metavar == "ID":
            found.setdefault(path, []).extend(action.option_strings)
    return found


def listed(home: Path, option: str) -> list[dict]:
    result = cli(home, *LISTS[option], "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_id_option_has_a_list_that_shows_the_id_and_the_uuid(demo_home):
    options = _id_options(build_parser())
    assert {o for opts in options.values() for o in opts} == set(LISTS), options
    for option, words in LISTS.items():
        rows = listed(demo_home, option)
        assert rows or option == "--voyage", option  # a tambo has no voyages
        assert all(isinstance(r["id"], int) and len(r["uuid"]) == 36 for r in rows), rows[0]
        text = cli(demo_home, *words)
        assert text.returncode == 0, text.stderr
        heading, *lines = text.stdout.splitlines()
        assert heading.split()[0] == "ID", heading
        lines = [line for line in lines if not line.endswith(" intervenciones.")]  # the count below the table
        ids = [int(line.split()[0]) for line in lines]
        assert ids == [r["id"] for r in rows], (option, ids)


def test_lists_have_column_headings(demo_home):
    expected = {
        "--intervention": ["ID", "Fecha", "Hora", "Entidad", "Intervención", "Lugar", "Estado", "Resultado"],
        "--campaign": ["ID", "Intervención", "Tareas", "Campaña"],
        "--course": ["ID", "Inicio", "Fin", "Dirigida", "a", "Participantes", "Capacitación"],
        "--voyage": ["ID", "Desde", "Hasta", "Paradas", "Atendidas", "Omitidas", "Travesía"],
    }
    for option, words in LISTS.items():
        heading = cli(demo_home, *words).stdout.splitlines()[0]
        assert heading.split() == expected[option], heading


def test_the_verbs_accept_the_uuid_as_well_as_the_id(demo_home, tmp_path):
    intervention = next(r for r in listed(demo_home, "--intervention") if r["status"] != "suspended")
    campaign = listed(demo_home, "--campaign")[0]  # its local language is Aymara
    course = next(r for r in listed(demo_home, "--course") if "cuyes" in r["title"])
    runs = {
        "flyer-itv": ["flyer", "--intervention", "{intervention}", "--languages", "es"],
        "radio-itv": ["radio-script", "--intervention", "{intervention}", "--languages", "es"],
        "flyer-cam": ["flyer", "--campaign", "{campaign}", "--languages", "es,ay"],
        "letters": ["letters", "--campaign", "{campaign}"],
        "radio-cam": ["radio-script", "--campaign", "{campaign}", "--languages", "es,ay"],
        "certificates": ["training", "certificates", "--course", "{course}"],
    }
    for key in ("id", "uuid"):
        values = {"intervention": intervention[key], "campaign": campaign[key], "course": course[key]}
        for name, words in runs.items():
            out = tmp_path / f"{name}-{key}.pdf"
            result = cli(demo_home, *[w.format(**values) for w in words], "--out", str(out))
            assert result.returncode == 0, (name, key, result.stderr)
            assert out.read_bytes().startswith(b"%PDF"), (name, key)
    upper = cli(demo_home, "letters", "--campaign", campaign["uuid"].upper(), "--out", str(tmp_path / "u.pdf"))
    assert upper.returncode == 0, upper.stderr


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["flyer", "--intervention", "9999"], "No hay ninguna intervención con el ID «9999»"),
        (["radio-script", "--intervention", "00000000-0000-4000-8000-000000000000"], "interventions list"),
        (["flyer", "--campaign", "9999"], "No hay ninguna campaña con el ID «9999»"),
        (["letters", "--campaign", "9999"], "«tambo-cli campaigns list» muestra los ID"),
        (["radio-script", "--campaign", "9999"], "No hay ninguna campaña con el ID «9999»"),
        (["training", "certificates", "--course", "9999"], "No hay ninguna capacitación con el ID «9999»"),
        (["letters", "--campaign", "abc"], "«abc» no es un ID"),
        (["training", "certificates", "--course", "-3"], "«-3» no es un ID"),
        (["flyer", "--intervention", "12ab"], "no es un ID"),
        (["flyer", "--campaign", "1", "--languages", "es,qu"], "escritos en Aimara"),
    ],
)
def test_an_unknown_or_malformed_id_is_bad_input(demo_home, tmp_path, words, message):
    out = tmp_path / "nada.pdf"
    result = cli(demo_home, *words, "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


@pytest.mark.parametrize(
    "words",
    [
        ["interventions", "list", *PERIOD],
        ["interventions", "list", *PERIOD, "--json"],
        ["indicators", "--month", f"{TODAY:%Y-%m}"],
        ["indicators", "--year", f"{TODAY:%Y}", "--json"],
        ["training", "list"],
        ["campaigns", "list"],
    ],
)
def test_output_closed_early_ends_without_a_traceback(demo_home, words):
    """``tambo-cli interventions list | head -1``: the reader is gone before the first line."""
    read, write = os.pipe()
    os.close(read)  # nobody will read: every write fails with EPIPE
    try:
        result = cli(demo_home, *words, stdout=write)
    finally:
        os.close(write)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr
    assert result.returncode == 1
