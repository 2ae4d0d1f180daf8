"""Participantes imported from CSV/XLSX (all rows or none, no duplicates) and atenciones exported
for the PAIS report (a count made from the file agrees with the indicators), on SQLite and PostgreSQL."""

from __future__ import annotations

import collections
import datetime as dt
import json
import random
import tracemalloc
from collections.abc import Iterator

import pytest
from openpyxl import Workbook

from tambo_desktop.db.models import Attention, AuditEntry, Person, Service
from tambo_desktop.errors import ImportFileError, PermissionDenied, ValidationError
from tambo_desktop.formats import persons as person_io
from tambo_desktop.formats.persons import ATTENTION_HEADER, PERSON_HEADER, export_attentions, import_persons
from tambo_desktop.formats.tabular import read_table
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.indicators import IndicatorService, age_at, age_group
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.session import CurrentUser, Session
from tambo_desktop.vocabulary import AGE_GROUPS, label

TODAY = dt.date(2025, 3, 31)
HEADER = ",".join(PERSON_HEADER)


@pytest.fixture
def persons(admin_session) -> PersonService:
    return PersonService(admin_session)


@pytest.fixture
def places(admin_session) -> dict[str, int]:
    service = CommunityService(admin_session)
    return {
        name: service.save(CommunityForm(name=name, district="210102", kind="anexo"))
        for name in ("Jiscullaya", "Ch'uqi Pampa", "Ñuñumarca")
    }


def write_csv(path, lines: list[str], encoding: str = "utf-8", bom: bool = False) -> None:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lines).encode(encoding) + b"\r\n")


def snapshot() -> list[tuple]:
    return sorted(
        (
            p.document_type,
            p.document_number,
            p.first_names,
            p.last_name_1,
            p.last_name_2,
            p.sex,
            p.birth_date,
            p.community_id,
            p.first_language,
            p.phone,
            p.notes,
        )  # fmt: skip
        for p in Person.select()
    )


def audit_since(entry_id: int) -> list[tuple[str, str]]:
    return [(e.action, e.entity) for e in AuditEntry.select().where(AuditEntry.id > entry_id).order_by(AuditEntry.id)]


def last_audit_id() -> int:
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    return last.id if last else 0


# -- import -----------------------------------------------------------------------------------------


GOOD = [
    HEADER,
    "DNI,01234567,Rosa,Quispe,Mamani,mujer,15/03/1980,Jiscullaya,aimara,951 423 870,madre de tres",
    "dni,45678912-4,Ñusta,Ch'uqi,Ñahui,F,1992-07-01,Ch'uqi Pampa,quechua,,",
    ",70000001,Wilber,Apaza,Chambilla,hombre,,Ñuñumarca,,,",  # a bare number: a DNI
    "ce,CE1234567,Julián,Pérez,,M,,,,,",
    ",,Juan,Mamani,,M,,,,,",
    "Sin documento,,Juana,Mamani,,F,02/02/2015,Jiscullaya,,,",
]


def test_a_good_file_imports_every_person_in_one_transaction(persons, places, tmp_path):
    path = tmp_path / "padron.csv"
    write_csv(path, GOOD)
    before = last_audit_id()
    summary = import_persons(persons, path, today=TODAY)
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (6, 6, 0, 0)
    rosa = persons.find_by_document("dni", "01234567")
    assert (rosa.full_name, rosa.sex, rosa.birth_date, rosa.community_id) == (
        "Rosa Quispe Mamani",
        "F",
        dt.date(1980, 3, 15),
        places["Jiscullaya"],
    )
    assert (rosa.first_language, rosa.phone, rosa.notes) == ("ay", "951423870", "madre de tres")
    nusta = persons.find_by_document("dni", "45678912")  # the check digit was verified and dropped
    assert (nusta.full_name, nusta.community_id) == ("Ñusta Ch'uqi Ñahui", places["Ch'uqi Pampa"])
    assert persons.find_by_document("dni", "70000001").full_name == "Wilber Apaza Chambilla"
    assert persons.find_by_document("ce", "CE1234567").full_name == "Julián Pérez"
    assert {p.tambo_code for p in Person.select()} == {"TB-210102"}
    # one import entry, then one creation per person
    assert audit_since(before) == [("import", "person")] + [("create", "person")] * 6
    entry = AuditEntry.get((AuditEntry.action == "import") & (AuditEntry.id > before))
    assert "padron.csv" in entry.summary and "6" in entry.summary


def test_importing_the_same_file_twice_creates_no_duplicates(persons, places, tmp_path):
    path = tmp_path / "padron.csv"
    write_csv(path, GOOD)
    import_persons(persons, path, today=TODAY)
    first = snapshot()
    uuids = sorted(p.uuid for p in Person.select())
    before = last_audit_id()
    summary = import_persons(persons, path, today=TODAY)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 6)
    assert snapshot() == first and sorted(p.uuid for p in Person.select()) == uuids
    assert audit_since(before) == [("import", "person")]  # nothing changed, nothing else written


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_row(persons, places, tmp_path):
    path = tmp_path / "errores.csv"
    write_csv(
        path,
        [
            HEADER,
            "DNI,01234567,Rosa,Quispe,Mamani,F,15/03/1980,Jiscullaya,aimara,951423870,",
            "DNI,0123456,Ana,Apaza,,F,,,,,",
            "DNI,45678912,,Condori,,M,,,,,",
            ",,Juan,Mamani,,x,2030-01-01,Ninguna Parte,latín,12ab,",
            "DNI,01234567,Rosa,Quispe,Mamani,F,15/03/1980,,,,",
            "pasaporte,X1,Eva,Ticona,,F,,,,,",
            ",,Juan,Mamani,,M,,,,,",
            ",,juan,MAMANI,,M,,,,,",
            "DNI,01234567-9,Luz,Quispe,,F,,,,,",
        ],
    )
    before = last_audit_id()
    with pytest.raises(ImportFileError) as info:
        import_persons(persons, path, today=TODAY)
    error = info.value
    assert [(r.row, r.column) for r in error.rows] == [
        (3, "numero_documento"),
        (4, "nombres"),
        (5, "sexo"), (5, "fecha_nacimiento"), (5, "centro_poblado"), (5, "lengua_materna"), (5, "telefono"),
        (6, "numero_documento"),
        (7, "tipo_documento"),
        (9, "nombres"),
        (10, "numero_documento"),
    ]  # fmt: skip
    text = str(error)
    assert text.startswith("No se importó nada")
    assert "fila 3, numero_documento: El DNI tiene 8 dígitos; se escribieron 7." in text
    assert "fila 4, nombres: Escriba los nombres." in text
    assert "fila 5, centro_poblado: Centro poblado desconocido: «Ninguna Parte»." in text
    assert "fila 6, numero_documento: documento repetido: ya está en la fila 2" in text
    assert "fila 7, tipo_documento: Tipo de documento desconocido: «pasaporte»." in text
    assert "fila 9, nombres: persona repetida" in text and "fila 8" in text
    assert "fila 10, numero_documento: El dígito de verificación «9»" in text
    assert Person.select().count() == 0  # not even the good rows
    assert last_audit_id() == before


def test_missing_columns_and_empty_files(persons, tmp_path):
    path = tmp_path / "sin-sexo.csv"
    write_csv(path, ["nombres;apellido_paterno", "Rosa;Quispe"])
    with pytest.raises(ImportFileError) as info:
        import_persons(persons, path, today=TODAY)
    assert [(r.row, r.column) for r in info.value.rows] == [(1, "sexo")]
    assert "fila 1, sexo: falta esta columna" in str(info.value)
    write_csv(path, [HEADER])
    with pytest.raises(ImportFileError, match="no tiene filas de datos"):
        import_persons(persons, path, today=TODAY)
    assert Person.select().count() == 0


def test_latin1_semicolons_enye_and_apostrophes(persons, places, tmp_path):
    path = tmp_path / "municipalidad.csv"
    write_csv(
        path,
        [
            "Tipo Documento;Número Documento;NOMBRES;Apellido Paterno;Apellido Materno;Sexo;Fecha Nacimiento;Centro Poblado;Lengua Materna;Teléfono;Notas",
            "DNI;01234567;María Ñusta;Ch'uqi;Ñahui;Mujer;01/02/1990;Ch'uqi Pampa;Quechua;;viene con su niño",
            "DNI;45678912;José;Quispe;Añazco;Hombre;31-12-1975;Ñuñumarca;Aimara;;",
        ],
        encoding="latin-1",
    )
    summary = import_persons(persons, path, today=TODAY)
    assert summary.created == 2
    maria = persons.find_by_document("dni", "01234567")
    assert (maria.first_names, maria.last_name_1, maria.last_name_2) == ("María Ñusta", "Ch'uqi", "Ñahui")
    assert (maria.community_id, maria.first_language, maria.notes) == (
        places["Ch'uqi Pampa"],
        "qu",
        "viene con su niño",
    )
    jose = persons.find_by_document("dni", "45678912")
    assert (jose.full_name, jose.birth_date, jose.community_id) == (
        "José Quispe Añazco",
        dt.date(1975, 12, 31),
        places["Ñuñumarca"],
    )
    assert [r.id for r in persons.search("chuqi nusta")] == [maria.id]  # accents and apostrophes folded for search


def test_utf8_with_bom_and_typographic_apostrophe(persons, places, tmp_path):
    path = tmp_path / "excel.csv"
    write_csv(
        path,
        [
            HEADER,
            "DNI,01234567,Yolanda,Ch’uqi,Ccori,F,1988-05-05,Ch’uqi Pampa,aimara,,",
            "DNI,45678912,Ñaupa,Huanca,,M,,,,,",
        ],
        bom=True,
    )
    summary = import_persons(persons, path, today=TODAY)
    assert summary.created == 2
    yolanda = persons.find_by_document("dni", "01234567")
    assert yolanda.last_name_1 == "Ch'uqi" and yolanda.community_id == places["Ch'uqi Pampa"]  # ’ folded to '
    assert persons.find_by_document("dni", "45678912").first_names == "Ñaupa"


def test_xlsx_with_date_cells(persons, places, tmp_path):
    path = tmp_path / "padron.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(PERSON_HEADER)
    sheet.append(
        [
            "DNI",
            "01234567",
            "Rosa",
            "Quispe",
            "Mamani",
            "F",
            dt.datetime(1980, 3, 15),
            "Jiscullaya",
            "aimara",
            "951423870",
            "",
        ]
    )
    sheet.append(["", "", "Juan", "Ch'uqi", "", "M", None, "Ñuñumarca", "", None, "sin DNI"])
    book.save(path)
    summary = import_persons(persons, path, today=TODAY)
    assert summary.created == 2
    assert persons.find_by_document("dni", "01234567").birth_date == dt.date(1980, 3, 15)
    juan = persons.search("juan chuqi")[0]
    assert (juan.document_type, juan.document_number, juan.notes) == ("none", None, "sin DNI")
    assert import_persons(persons, path, today=TODAY).created == 0


def test_a_registered_person_gets_only_empty_fields_filled(persons, places, tmp_path):
    rosa = persons.save(PersonForm("dni", "01234567", "Rosa", "Quispe", "", "F", notes="ya registrada"), today=TODAY)
    path = tmp_path / "padron.csv"
    write_csv(path, [HEADER, "DNI,01234567,Rosa,Quispe,Mamani,F,15/03/1980,Jiscullaya,aimara,951423870,otra nota"])
    before = last_audit_id()
    summary = import_persons(persons, path, today=TODAY)
    assert (summary.created, summary.updated) == (0, 1)
    row = persons.get(rosa)
    assert (row.last_name_2, row.birth_date, row.community_id, row.phone) == (
        "Mamani",
        dt.date(1980, 3, 15),
        places["Jiscullaya"],
        "951423870",
    )
    assert row.notes == "ya registrada"  # the register wins where it has a value
    entries = list(AuditEntry.select().where(AuditEntry.id > before).order_by(AuditEntry.id))
    assert [(e.action, e.entity) for e in entries] == [("import", "person"), ("update", "person")]
    assert set(json.loads(entries[1].changes)) == {"last_name_2", "birth_date", "community", "first_language", "phone"}


def test_without_document_the_same_name_and_birth_date_is_the_same_person(persons, places, tmp_path):
    juan = persons.save(PersonForm("", "", "Juan", "Mamani", "", "M", "2015-03-20"), today=TODAY)
    path = tmp_path / "padron.csv"
    write_csv(path, [HEADER, ",,JUAN,Mamani,,M,20/03/2015,Jiscullaya,,,", ",,Juan,Mamani,,M,21/03/2015,,,,"])
    summary = import_persons(persons, path, today=TODAY)
    assert (summary.created, summary.updated) == (1, 1)  # another birth date: another person
    assert persons.get(juan).community_id == places["Jiscullaya"]
    # two registered persons that the rule cannot tell apart: the file must give a document
    persons.save(PersonForm("", "", "Juan", "Mamani", "", "M", "2015-03-20"), today=TODAY)
    with pytest.raises(ImportFileError) as info:
        import_persons(persons, path, today=TODAY)
    assert [(r.row, r.column) for r in info.value.rows] == [(2, "numero_documento")]
    assert "escriba su documento" in str(info.value)


def test_another_name_or_opposition_leaves_the_person_untouched(persons, tmp_path):
    rosa = persons.save(PersonForm("dni", "01234567", "Rosa", "Quispe", "", "F"), today=TODAY)
    ana = persons.save(PersonForm("dni", "45678912", "Ana", "Apaza", "", "F"), today=TODAY)
    persons.set_opposition(ana, True)
    path = tmp_path / "padron.csv"
    write_csv(
        path,
        [HEADER, "DNI,01234567,Pedro,Condori,,M,,,,999888777,", "DNI,45678912,Ana,Apaza,,F,01/01/1990,,,987654321,"],
    )
    summary = import_persons(persons, path, today=TODAY)
    assert (summary.created, summary.updated, summary.unchanged, summary.other_name_rows) == (0, 0, 2, (2,))
    assert (persons.get(rosa).full_name, persons.get(rosa).phone) == ("Rosa Quispe", "")
    assert (persons.get(ana).birth_date, persons.get(ana).phone) == (None, "")


def test_only_administrators_and_gestores_import(persons, places, tmp_path):
    path = tmp_path / "padron.csv"
    write_csv(path, GOOD[:2])
    for role in ("staff", "supervisor"):
        session = Session(CurrentUser(9, role, role, role, "es"), "TB-210102")
        with pytest.raises(PermissionDenied):
            import_persons(PersonService(session), path, today=TODAY)
    gestor = Session(CurrentUser(9, "gestor", "Gestor", "gestor", "es"), "TB-210102")
    assert import_persons(PersonService(gestor), path, today=TODAY).created == 1


# -- export of atenciones ---------------------------------------------------------------------------

FIRST = ("Rosa", "Ñusta", "Wilber", "Hilaria", "Juan", "Nélida", "Fortunato", "Yolanda")
LAST = ("Quispe", "Mamani", "Ch'uqi", "Condori", "Apaza", "Ñahui", "Ticona", "Huanca")


@pytest.fixture
def generated(admin_session, places) -> dict:
    """Forty people and about 450 atenciones from 20 February to 6 April 2025, some voided; some
    people without document or birth date, three with opposition, two anonymised."""
    rng = random.Random(29733)
    people = PersonService(admin_session)
    communities = list(places.values())
    ids = []
    for i in range(40):
        has_document = i % 5 != 0
        birth = "" if i % 9 == 0 else f"{rng.randint(1940, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        form = PersonForm(
            "dni" if has_document else "none",
            f"{40000000 + i * 7919:08d}" if has_document else "",
            rng.choice(FIRST),
            rng.choice(LAST),
            rng.choice(LAST),
            rng.choice("FM"),
            birth,
            str(rng.choice(communities)) if i % 7 else "",
        )
        ids.append(people.save(form, today=TODAY))
    services = [s.id for s in Service.select().where(Service.active == True).order_by(Service.id)]  # noqa: E712
    desk = AttentionService(admin_session)
    recorded = []
    for _n in range(150):
        day = dt.date(2025, 2, 20) + dt.timedelta(days=rng.randint(0, 45))
        at = dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.choice((0, 15, 30, 45))))
        outside = rng.random() < 0.4
        chosen = rng.sample(services, rng.randint(1, 3))
        recorded += desk.record(
            rng.choice(ids),
            chosen,
            "outside" if outside else "inside",
            rng.choice(communities) if outside else None,
            at,
        )
    # the month's edges
    recorded += desk.record(ids[1], services[:1], "inside", attended_at=dt.datetime(2025, 3, 1, 0, 0))
    recorded += desk.record(ids[2], services[:1], "inside", attended_at=dt.datetime(2025, 3, 31, 23, 59))
    recorded += desk.record(ids[3], services[:1], "inside", attended_at=dt.datetime(2025, 4, 1, 0, 0))
    for attention_id in rng.sample(recorded, 12):
        desk.void(attention_id, "registrada por error")
    opposed = ids[1:4]
    for person_id in opposed:
        people.set_opposition(person_id, True)
    anonymised = ids[4:6]
    for person_id in anonymised:
        people.anonymize(person_id)
    return {"ids": ids, "opposed": opposed, "anonymised": anonymised}


def dict_rows(path) -> list[dict[str, str]]:
    header, rows = read_table(path)
    assert header == ATTENTION_HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_export_of_a_month_agrees_with_the_indicators(admin_session, generated, tmp_path):
    path = tmp_path / "marzo.csv"
    written = export_attentions(admin_session, path, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv")
    rows = dict_rows(path)
    month = IndicatorService(admin_session).month(2025, 3)
    assert written == len(rows) == month.attentions > 100
    assert len({r["id_persona"] for r in rows}) == month.users

    def by(name: str) -> dict[str, tuple[int, int]]:
        return {c.key: (c.attentions, c.users) for c in month.breakdowns[name] if c.attentions}

    def counted(column: str, keys: dict[str, str] | None = None) -> dict[str, tuple[int, int]]:
        groups = collections.defaultdict(list)
        for r in rows:
            groups[(keys or {}).get(r[column], r[column])].append(r["id_persona"])
        return {k: (len(v), len(set(v))) for k, v in groups.items()}

    assert counted("entidad") == by("entity")
    assert counted("sexo") == by("sex")
    assert counted("lugar", {"dentro": "inside", "fuera": "outside"}) == by("place")
    labels = {c.label: c.key for c in month.breakdowns["age_group"]}
    assert counted("curso_de_vida", labels) == by("age_group")
    # the edges of the month are in; the first minute of April is not; voided ones never
    stamps = sorted((r["fecha"], r["hora"]) for r in rows)
    assert stamps[0] == ("2025-03-01", "00:00") and stamps[-1] == ("2025-03-31", "23:59")
    exported = {r["id_atencion"] for r in rows}
    voided = {a.uuid for a in Attention.select().where(Attention.voided == True)}  # noqa: E712
    assert not exported & voided


def test_export_columns_and_values(admin_session, generated, tmp_path):
    path = tmp_path / "marzo.csv"
    export_attentions(admin_session, path, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv")
    rows = dict_rows(path)
    attention = Attention.get(Attention.uuid == rows[0]["id_atencion"])
    service, entity = attention.service, attention.entity
    first = rows[0]
    assert (first["fecha"], first["hora"]) == (
        attention.attended_at.strftime("%Y-%m-%d"),
        attention.attended_at.strftime("%H:%M"),
    )
    assert (first["tambo"], first["entidad"], first["servicio"]) == ("TB-210102", entity.code, service.name)
    assert first["nivel_gobierno"] in ("Nacional", "Regional", "Local") and first["sector"]
    for r in rows:
        assert r["lugar"] in ("dentro", "fuera")
        if r["lugar"] == "dentro":
            assert (r["centro_poblado"], r["ubigeo"]) == ("Ccopamaya", "210102")  # the tambo's own
        else:
            assert r["centro_poblado"] in ("Jiscullaya", "Ch'uqi Pampa", "Ñuñumarca") and r["ubigeo"] == "210102"
        assert r["sexo"] in ("F", "M")
        assert (r["edad"] == "") == (r["curso_de_vida"] == "Sin dato")
        if r["numero_documento"]:
            assert r["tipo_documento"] == "DNI" and len(r["numero_documento"]) == 8  # leading zeros kept
    for r in rows[:40]:
        a = Attention.get(Attention.uuid == r["id_atencion"])
        birth = a.person.birth_date
        assert r["edad"] == ("" if birth is None else str(age_at(birth, a.attended_at.date())))
        assert r["curso_de_vida"] == label(AGE_GROUPS, age_group(birth, a.attended_at.date()))


def test_opposition_keeps_the_rows_and_drops_the_identifiers(admin_session, generated, tmp_path):
    path = tmp_path / "todo.csv"
    export_attentions(admin_session, path, dt.date(2025, 2, 1), dt.date(2025, 4, 30), "csv")
    rows = dict_rows(path)
    opposed = {Person.get_by_id(i).uuid: Person.get_by_id(i) for i in generated["opposed"]}
    anonymised = {Person.get_by_id(i).uuid for i in generated["anonymised"]}
    documents = {p.document_number for p in opposed.values()}
    text = path.read_text(encoding="utf-8-sig")
    assert not any(d in text for d in documents)  # the DNI of a person who opposed is nowhere
    assert not any(u in text for u in opposed)  # nor their record's identifier
    reserved = [r for r in rows if r["id_persona"].startswith("reservado-")]
    expected = (
        Attention.select().where(Attention.person.in_(generated["opposed"]) & (Attention.voided == False)).count()  # noqa: E712
    )
    assert len(reserved) == expected > 0  # their atenciones still count
    assert all(r["numero_documento"] == "" for r in reserved)
    assert len({r["id_persona"] for r in reserved}) == len({a.person_id for a in Attention.select().where(
        Attention.person.in_(generated["opposed"]) & (Attention.voided == False))})  # noqa: E712  # fmt: skip
    for r in rows:
        if r["id_persona"] in anonymised:
            assert r["numero_documento"] == "" and r["tipo_documento"] == "Sin documento"


def test_xlsx_export_holds_the_same_rows_as_csv(admin_session, generated, tmp_path):
    csv_path, xlsx_path = tmp_path / "marzo.csv", tmp_path / "marzo.xlsx"
    for path, fmt in ((csv_path, "csv"), (xlsx_path, "xlsx")):
        export_attentions(admin_session, path, dt.date(2025, 3, 1), dt.date(2025, 3, 31), fmt)
    rows_csv, rows_xlsx = read_table(csv_path), read_table(xlsx_path)
    assert rows_csv == rows_xlsx
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx_path, read_only=True).worksheets[0]
    numbers = [row[12] for row in sheet.iter_rows(min_row=2, values_only=True) if row[12]]
    assert numbers and all(isinstance(n, str) and len(n) == 8 for n in numbers)  # DNIs stay text


def test_export_reads_in_chunks_and_streams(admin_session, generated, tmp_path, monkeypatch):
    whole, paged = tmp_path / "a.csv", tmp_path / "b.csv"
    export_attentions(admin_session, whole, dt.date(2025, 2, 1), dt.date(2025, 4, 30), "csv")
    seen: list[object] = []
    real_write, real_chunks = person_io.write_table, person_io._chunks
    sizes: list[int] = []

    def spy_write(path, header, rows, fmt):
        seen.append(rows)
        return real_write(path, header, rows, fmt)

    def spy_chunks(start, end, size):
        for batch in real_chunks(start, end, size):
            sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(person_io, "write_table", spy_write)
    monkeypatch.setattr(person_io, "_chunks", spy_chunks)
    n = export_attentions(admin_session, paged, dt.date(2025, 2, 1), dt.date(2025, 4, 30), "csv", chunk=7)
    assert isinstance(seen[0], Iterator)  # handed over lazily, never as a list
    assert max(sizes) == 7 and sum(sizes) == n and len(sizes) >= n // 7
    assert whole.read_bytes() == paged.read_bytes()


def test_export_memory_does_not_grow_with_the_rows(admin_session, places, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("one engine is enough for the memory profile")
    person_id = PersonService(admin_session).save(
        PersonForm("dni", "01234567", "Rosa", "Quispe", "", "F", "1980-03-15"), today=TODAY
    )
    service = Service.select().first()
    base = dt.datetime(2025, 1, 1, 8)
    rows = [
        dict(
            uuid=f"00000000-0000-4000-8000-{i:012d}",
            tambo_code="TB-210102",
            created_by="t",
            updated_by="t",
            attended_at=base + dt.timedelta(minutes=i),
            place="inside",
            entity=service.entity_id,
            service=service.id,
            person=person_id,
        )  # fmt: skip
        for i in range(30_000)
    ]
    from tambo_desktop.db.connection import current_database

    with current_database().atomic():
        for start in range(0, len(rows), 1000):
            Attention.insert_many(rows[start : start + 1000]).execute()
    del rows
    path = tmp_path / "grande.csv"
    tracemalloc.start()
    try:
        written = export_attentions(admin_session, path, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "csv")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == 30_000
    assert peak < 12_000_000, peak  # 24 MB when the 30,000 rows are held at once


def test_export_is_audited_with_the_period_and_count(admin_session, generated, tmp_path):
    path = tmp_path / "marzo.xlsx"
    before = last_audit_id()
    n = export_attentions(admin_session, path, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "xlsx")
    entries = list(AuditEntry.select().where(AuditEntry.id > before))
    assert [(e.action, e.entity) for e in entries] == [("export", "attention")]
    assert f"{n} atenciones" in entries[0].summary
    assert (
        "2025-03-01" in entries[0].summary and "2025-03-31" in entries[0].summary and "marzo.xlsx" in entries[0].summary
    )


def test_no_file_is_left_without_its_audit_entry(admin_session, generated, tmp_path, monkeypatch):
    path = tmp_path / "marzo.csv"

    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(admin_session, "audit", broken)
    with pytest.raises(RuntimeError):
        export_attentions(admin_session, path, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv")
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_bad_period_format_and_permissions(admin_session, tmp_path):
    with pytest.raises(ValidationError) as info:
        export_attentions(admin_session, tmp_path / "x.csv", dt.date(2025, 4, 1), dt.date(2025, 3, 1), "ods")
    assert {e.field for e in info.value.errors} == {"format", "date_to"}
    assert not (tmp_path / "x.csv").exists()
    staff = Session(CurrentUser(9, "oficina", "Oficina", "staff", "es"), "TB-210102")
    with pytest.raises(PermissionDenied):
        export_attentions(staff, tmp_path / "x.csv", dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv")
    supervisor = Session(CurrentUser(9, "supervisor", "Supervisor", "supervisor", "es"), "TB-210102")
    assert export_attentions(supervisor, tmp_path / "x.csv", dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv") == 0
    assert read_table(tmp_path / "x.csv") == (ATTENTION_HEADER, [])


def test_the_xlsx_export_has_typed_dates_and_the_csv_iso_text(admin_session, generated, tmp_path):
    """The fecha and hora of an XLSX are date and time cells (a spreadsheet shows them in its
    reader's format); the CSV's are ISO 8601 text, for machines to read back."""
    from openpyxl import load_workbook

    xlsx, csv_file = tmp_path / "marzo.xlsx", tmp_path / "marzo.csv"
    export_attentions(admin_session, xlsx, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "xlsx")
    export_attentions(admin_session, csv_file, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "csv")
    sheet = load_workbook(xlsx).worksheets[0]
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    day, hour = first[0], first[1]
    assert day.is_date and day.number_format == "mm-dd-yy" and day.value.date() == dt.date(2025, 3, day.value.day)
    assert hour.is_date and hour.number_format == "h:mm" and isinstance(hour.value, dt.time)
    row = dict_rows(csv_file)[0]
    assert row["fecha"] == day.value.date().isoformat()
    assert row["hora"] == f"{hour.value.hour:02d}:{hour.value.minute:02d}"
