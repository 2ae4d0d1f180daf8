"""The citizens' rights: everything about one person as JSON and as a printed PDF (checked with
poppler, in Spanish and in Quechua), every export audited, anonymisation respected."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from tambo_desktop.db.models import AuditEntry, Person, Service
from tambo_desktop.errors import NotFound, PermissionDenied, ValidationError
from tambo_desktop.i18n import _, use_language
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.audit import record_history
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.rights import FORMAT_ID, RightsService
from tambo_desktop.services.session import CurrentUser, Session

TODAY = dt.date(2025, 3, 31)
RECORD_KEYS = {"format", "issued_at", "issued_by", "tambo", "person", "community", "attentions", "history"}
PERSON_KEYS = {
    "uuid", "tambo_code", "document_type", "document_number", "first_names", "last_name_1", "last_name_2", "sex",
    "birth_date", "first_language", "phone", "notes", "anonymized", "opposition", "created_at", "created_by",
    "updated_at", "updated_by",
}  # fmt: skip
ATTENTION_KEYS = {
    "uuid", "attended_at", "place", "place_community", "place_ubigeo", "entity_code", "entity_name", "sector",
    "service_code", "service_name", "intervention_uuid", "voided", "void_reason", "recorded_at", "recorded_by",
    "tambo_code",
}  # fmt: skip
HISTORY_KEYS = {"at", "username", "action", "record_uuid", "summary", "changes"}

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def sid(code: str) -> int:
    return Service.get(Service.code == code).id


@pytest.fixture
def rights(admin_session) -> RightsService:
    return RightsService(admin_session)


@pytest.fixture
def rosa(admin_session) -> int:
    """Rosa, of Ch'uqi Pampa: registered, corrected once, served three times (one voided)."""
    chuqi = CommunityService(admin_session).save(
        CommunityForm(name="Ch'uqi Pampa", district="210102", kind="parcialidad")
    )
    people = PersonService(admin_session)
    form = PersonForm(
        "dni", "01234567", "Rosa", "Quispe", "Ñahui", "F", "1980-03-15", str(chuqi), "aimara", "951423870"
    )
    person_id = people.save(form, today=TODAY)
    form.phone = "973518204"
    people.save(form, person_id, today=TODAY)  # a rectification
    desk = AttentionService(admin_session)
    desk.record(
        person_id,
        [sid("reniec_dni_renewal"), sid("minsa_vaccination_influenza")],
        "inside",
        attended_at=dt.datetime(2025, 3, 3, 9, 5),
    )
    [tb] = desk.record(person_id, [sid("diresa_tb_screening")], "outside", chuqi, dt.datetime(2025, 3, 20, 10, 30))
    desk.void(tb, "registrada por error")
    return person_id


def pdf_text(path, *pages: int) -> str:
    extra = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", "-layout", *extra, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_the_record_holds_everything(rights, rosa):
    record = rights.person_record(rosa)
    assert set(record) == RECORD_KEYS and record["format"] == FORMAT_ID and record["issued_by"] == "admin"
    assert record["tambo"] == {
        "code": "TB-210102",
        "name": "Tambo Ccopamaya",
        "centro_poblado": "Ccopamaya",
        "ubigeo": "210102",
    }
    person = record["person"]
    assert set(person) == PERSON_KEYS
    assert (person["document_number"], person["first_names"], person["last_name_2"], person["phone"]) == (
        "01234567",
        "Rosa",
        "Ñahui",
        "973518204",
    )
    assert (person["birth_date"], person["first_language"], person["opposition"], person["anonymized"]) == (
        "1980-03-15",
        "ay",
        False,
        False,
    )
    assert record["community"] == {
        "uuid": record["community"]["uuid"], "name": "Ch'uqi Pampa", "ubigeo": "210102", "district": "Acora",
        "province": "Puno", "department": "Puno",
    }  # fmt: skip
    attentions = record["attentions"]
    assert [set(a) for a in attentions] == [ATTENTION_KEYS] * 3
    assert [
        (a["attended_at"], a["service_code"], a["place"], a["place_community"], a["voided"]) for a in attentions
    ] == [
        ("2025-03-03T09:05:00", "reniec_dni_renewal", "inside", "Ccopamaya", False),
        ("2025-03-03T09:05:00", "minsa_vaccination_influenza", "inside", "Ccopamaya", False),
        ("2025-03-20T10:30:00", "diresa_tb_screening", "outside", "Ch'uqi Pampa", True),
    ]
    assert attentions[2]["void_reason"] == "registrada por error" and attentions[0]["entity_code"] == "RENIEC"
    history = record["history"]
    assert [set(h) for h in history] == [HISTORY_KEYS] * 2
    assert [(h["action"], h["username"]) for h in history] == [("create", "admin"), ("update", "admin")]
    assert history[1]["changes"] == {"phone": ["951423870", "973518204"]}
    assert history[0]["changes"]["document_number"] == [None, "01234567"]
    assert all(h["at"].endswith("Z") for h in history)


def test_json_export_round_trips_with_stable_keys_and_is_audited(rights, rosa, tmp_path):
    path = tmp_path / "rosa.json"
    before = AuditEntry.select().count()
    rights.export(rosa, path)
    raw = path.read_bytes()
    assert "Ñahui".encode() in raw and b"\\u" not in raw  # UTF-8, not escaped
    data = json.loads(raw.decode("utf-8"))
    expected = rights.person_record(rosa)
    data.pop("issued_at"), expected.pop("issued_at")
    # the export itself is now in the history, as the last entry
    assert data["history"] == expected["history"][:-1]
    assert {k: v for k, v in data.items() if k != "history"} == {k: v for k, v in expected.items() if k != "history"}
    assert list(data) == sorted(data) and list(data["person"]) == sorted(data["person"])  # stable order
    entries = list(AuditEntry.select().order_by(AuditEntry.id.desc()).limit(AuditEntry.select().count() - before))
    assert [(e.action, e.entity, e.record_uuid) for e in entries] == [("export", "person", Person.get_by_id(rosa).uuid)]
    # the file's name is kept apart from the trail (often the person's name: erased with them, issue 15.5)
    assert "JSON" in entries[0].summary and "rosa.json" not in entries[0].summary
    shown = next(r for r in record_history(entries[0].record_uuid) if r.id == entries[0].id)
    assert "rosa.json" in shown.summary
    assert "01234567" not in entries[0].summary and "Rosa" not in entries[0].summary


@needs_poppler
def test_pdf_in_spanish(rights, rosa, tmp_path):
    path = tmp_path / "rosa.pdf"
    pages = rights.export_pdf(rosa, path)
    text = pdf_text(path)
    assert pages == pdf_pages(path) >= 1
    for expected in (
        "Datos personales registrados", "Tambo Ccopamaya (TB-210102)", "Rosa Quispe Ñahui", "01234567", "Ch'uqi Pampa",
        "Renovación de DNI", "03/03/2025 09:05", "20/03/2025 10:30", "Anulada:", "RENIEC",
        "Historial del registro", "Creación", "Modificación", "951423870 → 973518204", f"Página 1 de {pages}",
    ):  # fmt: skip
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts
    assert (
        AuditEntry.select()
        .order_by(AuditEntry.id.desc())
        .first()
        .summary.startswith("todos los datos de la persona (PDF)")
    )


@needs_poppler
def test_pdf_in_quechua(rights, rosa, tmp_path):
    path = tmp_path / "rosa-qu.pdf"
    with use_language("qu"):
        rights.export_pdf(rosa, path)
        labels = [_("Teléfono"), _("Creación"), _("Modificación"), _("Centro poblado")]
        service = _("Renovación de DNI")
    text = pdf_text(path)
    assert labels != ["Teléfono", "Creación", "Modificación", "Centro poblado"]  # the catalog translates them
    for expected in (*labels, service, "Rosa Quispe Ñahui", "Ch'uqi Pampa", "03/03/2025 09:05"):
        assert expected in text, expected


@needs_poppler
def test_a_long_history_repeats_the_table_header_on_every_page(admin_session, rights, rosa, tmp_path):
    desk = AttentionService(admin_session)
    start = dt.datetime(2024, 1, 2, 8, 0)
    for day in range(90):
        desk.record(rosa, [sid("minsa_vaccination_influenza")], "inside", attended_at=start + dt.timedelta(days=day))
    path = tmp_path / "largo.pdf"
    pages = rights.export_pdf(rosa, path)
    assert pages == pdf_pages(path) >= 3
    for page in range(1, pages + 1):
        text = pdf_text(path, page)
        assert f"Página {page} de {pages}" in text
    assert "Fecha y hora" in pdf_text(path, 2) and "Servicio" in pdf_text(path, 2)  # the header, again
    flu = Service.get(Service.code == "minsa_vaccination_influenza").name
    assert pdf_text(path).count(flu) == 91  # every row, none lost between pages


def test_anonymised_person_history_gives_nothing_back(rights, rosa, tmp_path):
    rights.anonymize(rosa)
    record = rights.person_record(rosa)
    text = json.dumps(record, ensure_ascii=False)
    for secret in ("Rosa", "Quispe", "Ñahui", "01234567", "951423870", "973518204"):
        assert secret not in text, secret
    assert record["person"]["anonymized"] is True and len(record["attentions"]) == 3  # the atenciones stay
    assert record["history"][-1]["action"] == "anonymize"
    assert record["history"][0]["changes"]["first_names"] == ["***", "***"]
    # the person's row keeps the birth date (the age groups of the indicators); the trail's copy is erased
    assert record["history"][0]["changes"]["birth_date"] == [None, "(borrado por anonimización)"]
    assert record["person"]["birth_date"] == "1980-03-15"


def test_merged_records_bring_their_history(admin_session, rights, rosa):
    people = PersonService(admin_session)
    other = people.save(PersonForm("", "", "Roza", "Quispe", "", "F", notes="vino con su hija"), today=TODAY)
    people.merge(rosa, other)
    record = rights.person_record(rosa)
    removed_uuid = record["history"][-1]["changes"]["person"][0]
    assert [(h["action"], h["record_uuid"] == removed_uuid) for h in record["history"]] == [
        ("create", False), ("update", False), ("create", True), ("delete", True), ("update", False), ("merge", False),
    ]  # fmt: skip


def test_who_may_export_and_what_is_refused(admin_session, rosa, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for role, may in (("admin", True), ("gestor", True), ("supervisor", True), ("staff", False)):
        service = RightsService(Session(CurrentUser(9, role, role, role, "es"), "TB-210102"))
        if may:
            assert service.person_record(rosa)["person"]["first_names"] == "Rosa"
        else:
            with pytest.raises(PermissionDenied):
                service.person_record(rosa)
            with pytest.raises(PermissionDenied):
                service.export(rosa, tmp_path / "x.json")
    rights = RightsService(admin_session)
    with pytest.raises(ValidationError, match="json"):
        rights.export(rosa, tmp_path / "rosa.txt")
    with pytest.raises(NotFound):
        rights.person_record(999_999)
    assert not list(tmp_path.iterdir())


def test_no_file_is_left_without_its_audit_entry(admin_session, rights, rosa, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()

    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(admin_session, "audit", broken)
    with pytest.raises(RuntimeError):
        rights.export_json(rosa, tmp_path / "rosa.json")
    assert not list(tmp_path.iterdir())
