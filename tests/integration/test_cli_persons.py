"""The person and attention verbs of the command line, run as a user runs them: a real subprocess
on a database (SQLite file or PostgreSQL server) prepared in the test."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.models import AuditEntry, Person, Service
from tambo_desktop.formats.tabular import read_table
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.persons import PersonForm, PersonService
from tests.cli_signin import ADMIN_PASSWORD, run_in_process, signed

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2025, 3, 31)
HEADER = (
    "tipo_documento;numero_documento;nombres;apellido_paterno;apellido_materno;sexo;fecha_nacimiento;centro_poblado"
)


def cli(home: Path, db: str, *args: str) -> subprocess.CompletedProcess:
    """Signed in as the tests' administrator (``--user admin``, its password on standard input)."""
    args, stdin = signed(args, "", "admin", ADMIN_PASSWORD)  # type: ignore[assignment]
    env = {k: v for k, v in os.environ.items() if k not in ("TAMBO_HOME", "TAMBO_DB")}
    env.update(QT_QPA_PLATFORM="offscreen", TAMBO_LANG="es", PYTHONPATH=str(ROOT))
    argv = ["--home", str(home), "--db", db, *args]
    return run_in_process(argv, stdin, env, str(ROOT))  # main(argv) here: no interpreter start-up per call


def sid(code: str) -> int:
    return Service.get(Service.code == code).id


@pytest.fixture
def tambo(db_url, admin_session, tmp_path):
    """A tambo with two people served in March 2025 (and once in April); the database is closed
    so that only the command line uses it. Yields ``run(*args)`` and the URL."""
    chuqi = CommunityService(admin_session).save(
        CommunityForm(name="Ch'uqi Pampa", district="210102", kind="parcialidad")
    )
    people = PersonService(admin_session)
    rosa = people.save(
        PersonForm("dni", "01234567", "Rosa", "Quispe", "Ñahui", "F", "1980-03-15", str(chuqi)), today=TODAY
    )
    juan = people.save(PersonForm("", "", "Juan", "Mamani", "", "M", "2015-03-20", str(chuqi)), today=TODAY)
    desk = AttentionService(admin_session)
    desk.record(
        rosa,
        [sid("reniec_dni_renewal"), sid("minsa_vaccination_influenza")],
        "inside",
        attended_at=dt.datetime(2025, 3, 3, 9),
    )
    desk.record(rosa, [sid("minsa_vaccination_influenza")], "outside", chuqi, dt.datetime(2025, 3, 20, 10))
    desk.record(juan, [sid("minsa_vaccination_influenza")], "outside", chuqi, dt.datetime(2025, 3, 10, 11))
    desk.record(juan, [sid("minsa_vaccination_influenza")], "inside", attended_at=dt.datetime(2025, 4, 1, 8))
    close_database()
    home = tmp_path / "cli-home"

    def run(*args: str) -> subprocess.CompletedProcess:
        result = cli(home, db_url, *args)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    yield run, db_url
    close_database()


def reopen(url: str) -> None:
    lifecycle.prepare(url)


def test_import_persons_twice_then_a_bad_file(tambo, tmp_path):
    run, url = tambo
    good = tmp_path / "padron.csv"
    good.write_bytes(
        "\r\n".join(
            [
                HEADER,
                "DNI;45678912;Ñusta;Ch'uqi;Ñahui;mujer;01/02/1990;Ch'uqi Pampa",
                ";;Wilber;Apaza;;hombre;;",
                "DNI;01234567;Rosa;Quispe;Ñahui;F;;",
            ]
        ).encode("latin-1")
    )
    first = run("import", "persons", str(good))
    assert first.returncode == 0, first.stderr
    assert "Importado: 3 filas; 2 personas nuevas, 0 completadas, 1 ya registradas sin cambios." in first.stdout
    again = run("import", "persons", str(good))
    assert again.returncode == 0, again.stderr
    assert "0 personas nuevas" in again.stdout

    bad = tmp_path / "malo.csv"
    bad.write_text(HEADER + "\nDNI;0123456;Ana;Apaza;;F;;\nDNI;70000001;Eva;;;x;;Ninguna Parte\n", encoding="utf-8")
    result = run("import", "persons", str(bad))
    assert result.returncode == 2
    assert "No se importó nada" in result.stderr
    assert "fila 2, numero_documento: El DNI tiene 8 dígitos; se escribieron 7." in result.stderr
    assert (
        "fila 3, apellido_paterno" in result.stderr
        and "fila 3, sexo" in result.stderr
        and "fila 3, centro_poblado" in result.stderr
    )
    missing = run("import", "persons", str(tmp_path / "no-existe.csv"))
    assert missing.returncode == 2 and "No se puede leer el archivo" in missing.stderr

    reopen(url)
    assert Person.select().count() == 4  # Rosa and Juan, then Ñusta and Wilber once
    assert AuditEntry.select().where(AuditEntry.action == "import").count() == 2
    assert {e.username for e in AuditEntry.select().where(AuditEntry.action == "import")} == {
        "admin"
    }  # the account that signed in (before: "system")


def test_export_attentions_agrees_with_indicators(tambo, tmp_path):
    run, url = tambo
    csv_file, xlsx_file = tmp_path / "marzo.csv", tmp_path / "marzo.xlsx"
    for fmt, path in (("csv", csv_file), ("xlsx", xlsx_file)):
        result = run(
            "export", "attentions", "--from", "2025-03-01", "--to", "2025-03-31", "--format", fmt, "--out", str(path)
        )
        assert result.returncode == 0, result.stderr
        assert "Exportadas 4 atenciones del 2025-03-01 al 2025-03-31" in result.stdout
    assert read_table(csv_file) == read_table(xlsx_file)
    header, rows = read_table(csv_file)
    indicators = run("indicators", "--month", "2025-03", "--json")
    assert indicators.returncode == 0, indicators.stderr
    numbers = json.loads(indicators.stdout)
    person = header.index("id_persona")
    assert (len(rows), len({r[person] for r in rows})) == (numbers["attentions"], numbers["users"]) == (4, 2)
    assert {r[header.index("numero_documento")] for r in rows} == {"01234567", ""}

    for args, message in (
        (("--from", "2025-03-01", "--to", "2025-02-30"), "Fecha no válida: «2025-02-30»"),
        (("--from", "2025-04-01", "--to", "2025-03-01"), "posterior"),
        (("--to", "2025-03-31"), "--from AAAA-MM-DD"),
    ):
        result = run("export", "attentions", *args, "--format", "csv", "--out", str(tmp_path / "x.csv"))
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "x.csv").exists()
    reopen(url)
    entries = AuditEntry.select().where((AuditEntry.action == "export") & (AuditEntry.entity == "attention"))
    assert [e.username for e in entries] == ["admin", "admin"]  # the account that signed in


def test_person_export_json_and_pdf(tambo, tmp_path):
    run, url = tambo
    json_file, pdf_file = tmp_path / "rosa.json", tmp_path / "rosa.pdf"
    result = run("person", "export", "--document", "01234567", "--out", str(json_file))
    assert result.returncode == 0, result.stderr
    assert "Rosa Quispe Ñahui" in result.stdout
    record = json.loads(json_file.read_text(encoding="utf-8"))
    assert record["person"]["last_name_2"] == "Ñahui" and len(record["attentions"]) == 3
    result = run("person", "export", "--document", "01234567-0", "--out", str(pdf_file))  # with its check digit
    assert result.returncode == 0, result.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
        assert "Rosa Quispe Ñahui" in text and "Ch'uqi Pampa" in text and "Página 1 de" in text

    unknown = run("person", "export", "--document", "99999999", "--out", str(tmp_path / "x.json"))
    assert unknown.returncode == 1 and "No hay ninguna persona registrada con el documento 99999999." in unknown.stderr
    malformed = run("person", "export", "--document", "1234", "--out", str(tmp_path / "x.json"))
    assert malformed.returncode == 2 and "El DNI tiene 8 dígitos" in malformed.stderr
    extension = run("person", "export", "--document", "01234567", "--out", str(tmp_path / "x.docx"))
    assert extension.returncode == 2 and "Use un archivo .json o .pdf" in extension.stderr
    assert not any(p.name.startswith("x.") for p in tmp_path.iterdir())
    reopen(url)
    rosa = Person.get(Person.document_number == "01234567")
    exports = AuditEntry.select().where((AuditEntry.action == "export") & (AuditEntry.record_uuid == rosa.uuid))
    assert exports.count() == 2


def test_person_anonymize(tambo, tmp_path):
    run, url = tambo
    result = run("person", "anonymize", "--document", "01234567")
    assert result.returncode == 0, result.stderr
    assert "Anonimizada la persona con documento 01234567" in result.stdout
    assert "Sus 3 atenciones siguen contando" in result.stdout
    gone = run("person", "anonymize", "--document", "01234567")
    assert gone.returncode == 1 and "No hay ninguna persona registrada" in gone.stderr
    indicators = json.loads(run("indicators", "--month", "2025-03", "--json").stdout)
    assert (indicators["attentions"], indicators["users"]) == (4, 2)  # still counted
    reopen(url)
    anonymised = Person.get(Person.anonymized == True)  # noqa: E712
    assert (anonymised.first_names, anonymised.document_number) == ("", None)
    entry = AuditEntry.select().where(AuditEntry.action == "anonymize").get()
    assert (entry.username, entry.record_uuid) == ("admin", anonymised.uuid)


def test_person_anonymize_lists_then_purges_the_backups_that_hold_them(tambo):
    """Issue 15.5: the older backups that still hold the person are named, and an administrator
    purges them after a new verified backup (which does not hold the person)."""
    run, url = tambo
    made = run("backup")
    assert made.returncode == 0, made.stderr
    result = run("person", "anonymize", "--document", "01234567")
    assert result.returncode == 0, result.stderr
    assert "la cadena de auditoría sigue íntegra" in result.stdout
    assert "Estas copias de seguridad anteriores todavía tienen sus datos:" in result.stdout
    listed = [Path(line.strip()) for line in result.stdout.splitlines() if line.startswith("  ")]
    folder = listed[0].parent
    made_before = {p for p in folder.iterdir() if p.suffix in (".db", ".dump")}  # this one and the day's automatic one
    assert set(listed) == made_before and len(listed) >= 1
    hint = next(line for line in result.stdout.splitlines() if "purge-backups --id" in line)
    person_id = hint.rsplit(" ", 1)[1]
    purged = run("person", "purge-backups", "--id", person_id)
    assert purged.returncode == 0, purged.stderr
    assert not any(p.exists() for p in listed)
    assert f"Borradas {len(listed)} copias de seguridad que tenían sus datos." in purged.stdout
    again = run("person", "purge-backups", "--id", person_id)
    assert "Borradas 0 copias" in again.stdout  # the new backup does not hold the person
    reopen(url)
    line = AuditEntry.select().where(AuditEntry.entity == "database").order_by(AuditEntry.id.desc()).first()
    assert (line.username, line.action) == ("admin", "delete")
