"""Import and export of communities and leaders as CSV and XLSX: all rows or none."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from tambo_desktop.db import lifecycle
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.models import Community, Leader
from tambo_desktop.errors import ImportFileError, PermissionDenied
from tambo_desktop.formats.communities import HEADER, export_file, import_file
from tambo_desktop.formats.tabular import read_table
from tambo_desktop.services.accounts import AccountForm, AccountService, authenticate
from tambo_desktop.services.communities import CommunityForm, CommunityService, LeaderForm
from tambo_desktop.services.session import Session


def _fill(service: CommunityService) -> None:
    """Communities as a gestor types them, with the awkward values that real data has."""
    jiscullaya = service.save(
        CommunityForm(
            name="Jiscullaya",
            district="210102",
            kind="centro_poblado",
            population="1240",
            households="318",
            languages="ay;es",
            distance_km="8.4",
            travel_minutes="22",
            travel_means="motocicleta",
            latitude="-16.021437",
            longitude="-69.758912",
            notes="Feria semanal los sábados",
        )
    )
    service.save_leader(jiscullaya, LeaderForm("Fortunato Mamani Quispe", "alcalde_cp", "951423870", "ay"))
    service.save_leader(
        jiscullaya, LeaderForm("Hilaria Condori Ticona", "presidenta_vaso_de_leche", "+51 973 518 204", "ay")
    )
    chuqi = service.save(
        CommunityForm(
            name="Ch’uqi Pampa",
            district="210102",
            kind="parcialidad",
            population="210",
            languages="ay",
            travel_means="a_pie",
            notes="- camino de herradura; =sin señal",
        )
    )
    service.save_leader(chuqi, LeaderForm("Eusebio Choque Huanca", "presidente_comunal"))
    service.save(CommunityForm(name="Ñuñumarca", district="210101", kind="anexo", distance_km="35"))


def _snapshot() -> list[tuple]:
    """Everything the files carry, independent of ids, uuids and who wrote it."""
    communities = [
        (
            c.name,
            c.district_id,
            c.kind,
            c.population,
            c.households,
            c.languages,
            c.distance_km,
            c.travel_minutes,
            c.travel_means,
            c.latitude,
            c.longitude,
            c.notes,
            tuple(sorted((x.name, x.role, x.phone, x.language, x.notes) for x in c.leaders)),
        )
        for c in Community.select().order_by(Community.name_key)
    ]
    return communities


def _write_csv(path, lines: list[str], encoding: str = "utf-8") -> None:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_a_fresh_tambo_gives_the_same_rows(admin_session, make_url, make_tambo, tmp_path, fmt):
    _fill(CommunityService(admin_session))
    original = _snapshot()
    exported = tmp_path / f"centros.{fmt}"
    assert export_file(CommunityService(admin_session), exported, fmt) == 4  # one row per leader, or one per community
    header, rows = read_table(exported)
    assert header == HEADER
    close_database()

    lifecycle.prepare(make_url())
    other = make_tambo(code="TB-OTRO")
    summary = import_file(CommunityService(other), exported)
    assert (summary.communities_created, summary.communities_updated) == (3, 0)
    assert (summary.leaders_created, summary.leaders_updated) == (3, 0)
    assert _snapshot() == original
    assert {c.tambo_code for c in Community.select()} == {"TB-OTRO"}

    again = tmp_path / f"again.{fmt}"
    export_file(CommunityService(other), again, fmt)
    assert read_table(again) == (header, rows)


def test_reimporting_the_same_file_creates_nothing(admin_session, tmp_path):
    service = CommunityService(admin_session)
    _fill(service)
    path = tmp_path / "centros.csv"
    export_file(service, path, "csv")
    before = _snapshot()
    uuids = sorted(c.uuid for c in Community.select())
    summary = import_file(service, path)
    assert (summary.communities_created, summary.leaders_created) == (0, 0)
    assert (summary.communities_updated, summary.leaders_updated) == (3, 3)
    assert _snapshot() == before
    assert sorted(c.uuid for c in Community.select()) == uuids
    assert Leader.select().count() == 3


def test_a_file_with_bad_rows_imports_nothing_and_lists_each(admin_session, tmp_path):
    path = tmp_path / "errores.csv"
    _write_csv(
        path,
        [
            "centro_poblado,ubigeo,tipo,poblacion,hogares",
            "Jiscullaya,210102,centro_poblado,1240,318",
            "Ccopamaya,999999,comunidad_campesina,640,158",
            "Totorani,210102,ciudad,90,20",
            "Cucho Ayllu,210102,anexo,80,1000",
            "Sulcanaca,210102,anexo,75,20",
        ],
    )
    with pytest.raises(ImportFileError) as info:
        import_file(CommunityService(admin_session), path)
    error = info.value
    assert [(r.row, r.column) for r in error.rows] == [(3, "ubigeo"), (4, "tipo"), (5, "hogares")]
    text = str(error)
    assert "fila 3, ubigeo: «999999» no es un ubigeo de distrito del Perú." in text
    assert "fila 4, tipo: Tipo desconocido: «ciudad»." in text
    assert "fila 5, hogares: No puede haber más hogares que habitantes." in text
    assert "No se importó nada" in text
    assert Community.select().count() == 0  # not even the good rows


def test_error_rows_are_the_rows_the_user_sees(admin_session, tmp_path):
    path = tmp_path / "con-huecos.csv"
    _write_csv(
        path,
        [
            "centro_poblado;ubigeo;tipo",
            "",
            "Jiscullaya;210102;centro_poblado",
            ";;",
            "Ccopamaya;21O102;comunidad_campesina",
        ],
    )
    with pytest.raises(ImportFileError) as info:
        import_file(CommunityService(admin_session), path)
    assert [(r.row, r.column) for r in info.value.rows] == [(5, "ubigeo")]
    assert "fila 5, ubigeo" in str(info.value)


def test_rows_of_one_community_must_agree(admin_session, tmp_path):
    path = tmp_path / "contradice.csv"
    _write_csv(
        path,
        [
            "centro_poblado,ubigeo,tipo,poblacion,lider_nombre,lider_cargo",
            "Jiscullaya,210102,centro_poblado,1240,Fortunato Mamani Quispe,alcalde_cp",
            "Jiscullaya,210102,,1300,Hilaria Condori Ticona,presidenta_vaso_de_leche",
            "Jiscullaya,210102,,,Fortunato Mamani Quispe,juez_de_paz",
        ],
    )
    with pytest.raises(ImportFileError) as info:
        import_file(CommunityService(admin_session), path)
    assert [(r.row, r.column) for r in info.value.rows] == [(3, "poblacion"), (4, "lider_nombre")]
    assert "fila 3, poblacion: no coincide con la fila 2 del mismo centro poblado" in str(info.value)
    assert "fila 4, lider_nombre: dirigente repetido (fila 2)" in str(info.value)
    assert Community.select().count() == 0


def test_latin1_semicolon_file_with_labels(admin_session, tmp_path):
    path = tmp_path / "excel-antiguo.csv"
    _write_csv(
        path,
        [
            "Centro Poblado;Ubigeo;Tipo;Población;Lenguas;Distancia_km;Medio;Latitud;Longitud;Líder_Nombre;Líder_Cargo",
            "Añaypampa;210102;Caserío;150;Aimara, Castellano;12,5;A pie;-16,05;-69,70;Ch'uqi Mamani;Teniente gobernador",
            "Ch'uqi Pampa;210102;Parcialidad;;Quechua;;Acémila;;;;",
        ],
        encoding="latin-1",
    )
    summary = import_file(CommunityService(admin_session), path)
    assert (summary.communities_created, summary.leaders_created) == (2, 1)
    anay = Community.get(Community.name == "Añaypampa")
    assert (anay.kind, anay.population, anay.languages, anay.travel_means) == ("caserio", 150, "ay;es", "a_pie")
    assert str(anay.distance_km) == "12.5"
    assert (float(anay.latitude), float(anay.longitude)) == (-16.05, -69.70)
    assert [(x.name, x.role) for x in anay.leaders] == [("Ch'uqi Mamani", "teniente_gobernador")]
    chuqi = Community.get(Community.name == "Ch'uqi Pampa")
    assert (chuqi.kind, chuqi.languages, chuqi.travel_means, chuqi.population) == ("parcialidad", "qu", "acemila", None)


def test_xlsx_file_with_numbers_in_cells(admin_session, tmp_path):
    path = tmp_path / "centros.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "centro_poblado",
            "ubigeo",
            "tipo",
            "poblacion",
            "hogares",
            "latitud",
            "longitud",
            "lider_nombre",
            "lider_cargo",
            "lider_telefono",
        ]
    )
    sheet.append(
        [
            "Jiscullaya",
            210102,
            "centro_poblado",
            1240,
            318,
            -16.021437,
            -69.758912,
            "Fortunato Mamani Quispe",
            "Alcalde de centro poblado",
            951423870,
        ]
    )
    sheet.append([None] * 10)
    sheet.append(["Ccopamaya", "210102", "Comunidad campesina", 640.0, None, None, None, None, None, None])
    workbook.save(path)
    summary = import_file(CommunityService(admin_session), path)
    assert (summary.communities_created, summary.leaders_created) == (2, 1)
    jiscullaya = Community.get(Community.name == "Jiscullaya")
    assert (jiscullaya.district_id, jiscullaya.population, jiscullaya.households) == ("210102", 1240, 318)
    assert str(jiscullaya.latitude) == "-16.021437"
    assert jiscullaya.leaders[0].phone == "951423870"
    assert Community.get(Community.name == "Ccopamaya").population == 640


def test_missing_required_column(admin_session, tmp_path):
    path = tmp_path / "sin-tipo.csv"
    _write_csv(path, ["centro_poblado,poblacion", "Jiscullaya,1240"])
    with pytest.raises(ImportFileError) as info:
        import_file(CommunityService(admin_session), path)
    assert [(r.row, r.column) for r in info.value.rows] == [(1, "ubigeo"), (1, "tipo")]
    assert "fila 1, tipo: falta esta columna" in str(info.value)
    assert Community.select().count() == 0


def test_header_only_file(admin_session, tmp_path):
    path = tmp_path / "vacio.csv"
    _write_csv(path, [",".join(HEADER)])
    with pytest.raises(ImportFileError, match="no tiene filas de datos"):
        import_file(CommunityService(admin_session), path)


def test_import_and_export_permissions(admin_session, tmp_path):
    AccountService(admin_session).create(AccountForm("javier", "Javier Huanca Cutipa", "supervisor", "clave-segura-2"))
    supervisor = CommunityService(Session(authenticate("javier", "clave-segura-2"), admin_session.tambo_code))
    _fill(CommunityService(admin_session))
    path = tmp_path / "centros.csv"
    assert export_file(supervisor, path, "csv") == 4  # supervisors may export (read-only role)
    with pytest.raises(PermissionDenied):
        import_file(supervisor, path)
