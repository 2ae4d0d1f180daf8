"""Campañas de difusión on a real SQLite database: two Aymara communities and their leaders, a RENIEC
and a MINSA intervention three weeks ahead, a campaign with its checklist and reminders, a phone
photo turned upright, flyers in three formats read back with poppler, oficios with kept reference
numbers, the radio script, the people reached, logos, the CLI verbs and the supervisor's limits."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tambo_desktop import dates, paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import Entity, Service
from tambo_desktop.documents.flyers import FlyerTooLong
from tambo_desktop.errors import PermissionDenied, TamboError
from tambo_desktop.i18n import _, use_language
from tambo_desktop.services import setup
from tambo_desktop.services.accounts import AccountForm
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.campaigns import CHANNEL_TASKS, FIRST_TASK, LEAD_DAYS, CampaignForm, CampaignService
from tambo_desktop.services.communities import CommunityForm, CommunityService, LeaderForm
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.letters import LetterService
from tambo_desktop.services.logos import LogoService
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.radio import RadioService, timing_note
from tambo_desktop.services.session import CurrentUser, Session
from tests.cli_signin import ADMIN_PASSWORD, main_as

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

TAMBO_CODE = "TB-210102"
TITLE_ES = "Gran campaña de DNI y salud"
TITLE_AY = "Jach'a uru DNI ukataki"
MESSAGE_AY = "Jutapxam'a, DNI apsuñataki ukhamaraki qullañataki. Wawanakamp jutapxam'a, jani armasipxamti."
MESSAGE_ES = "Vengan con sus hijos a sacar el DNI y a la atención de salud."
DAY = dates.today() + dt.timedelta(days=21)  # the RENIEC intervention; MINSA the day after
LEADERS = {
    "Achacachi Alto": [
        ("Felipe Mamani Condori", "teniente_gobernador", "ay"),
        ("Juana Choque Apaza", "alcalde_cp", "ay"),
    ],
    "Chucuito Grande": [
        ("Teodoro Ticona Huanca", "presidente_comunal", "ay"),
        ("Martha Flores Quispe", "agente_municipal", "es"),
    ],
}


# -- the scenario, built once and copied for each test ------------------------------------------------


def _service(code_prefix: str, entity: str) -> int:
    return (
        Service.select().join(Entity).where((Entity.code == entity) & Service.code.startswith(code_prefix)).first().id
    )


def _scenario(session: Session) -> dict:
    communities = CommunityService(session)
    ids: dict = {"communities": {}, "leaders": {}}
    for name, leaders in LEADERS.items():
        community = communities.save(CommunityForm(name=name, district="210102", kind="comunidad_campesina",
                                                   languages="ay;es", travel_minutes="40"))  # fmt: skip
        ids["communities"][name] = community
        for leader, role, language in leaders:
            ids["leaders"][leader] = communities.save_leader(community, LeaderForm(leader, role, "951000111", language))
    calendar = InterventionService(session)
    reniec, minsa = Entity.get(Entity.code == "RENIEC").id, Entity.get(Entity.code == "MINSA").id
    first = ids["communities"]["Achacachi Alto"]
    ids["reniec"] = calendar.save(InterventionForm(
        "Campaña de DNI", reniec, "support", [_service("reniec_dni_first", "RENIEC"), _service("reniec_dni_renewal", "RENIEC")],
        "outside", None, first, "", dt.datetime.combine(DAY, dt.time(9)), dt.datetime.combine(DAY, dt.time(13)),
        expected_participants="60"), confirm=True).ids[0]  # fmt: skip
    ids["minsa"] = calendar.save(InterventionForm(
        "Vacunación y tamizaje", minsa, "support", [_service("minsa_vaccination_regular", "MINSA"),
                                                    _service("minsa_hemoglobin", "MINSA")],
        "inside", None, None, "", dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(8)),
        dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(12)), expected_participants="40"), confirm=True).ids[0]  # fmt: skip
    soon = dates.today() + dt.timedelta(days=10)
    ids["unannounced"] = calendar.save(InterventionForm(
        "Afiliación al SIS", Entity.get(Entity.code == "SIS").id, "support", [], "inside", None, None, "",
        dt.datetime.combine(soon, dt.time(9)), dt.datetime.combine(soon, dt.time(12))), confirm=True).ids[0]  # fmt: skip
    ids["campaign"] = CampaignService(session).save(_form(ids))
    return ids


def _form(ids: dict, **changes) -> CampaignForm:
    form = CampaignForm(TITLE_ES, TITLE_AY, MESSAGE_ES, MESSAGE_AY, "ay", "side", ["radio", "leaders", "flyers"], ["dni"],
                        None, [ids["reniec"], ids["minsa"]], list(ids["communities"].values()))  # fmt: skip
    for key, value in changes.items():
        setattr(form, key, value)
    return form


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    home = tmp_path_factory.mktemp("campaigns-template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.HOME_ENV, str(home))
        prepare(paths.default_database_url())
        profile = setup.TamboProfile("Tambo Ccopamaya", TAMBO_CODE, "210102", "Ccopamaya", "3860")
        admin = setup.initialize(profile, AccountForm("admin", "Rosa Quispe Mamani", "admin", "clave-segura-1", "es"))
        ids = _scenario(Session(admin, TAMBO_CODE))
        close_database()
    return home / "tambo.db", admin, ids


@pytest.fixture
def world(tmp_path, monkeypatch, template):
    """A copy of the scenario's database, open, with the admin's session."""
    database, admin, ids = template
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(database, home / "tambo.db")
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    prepare(paths.default_database_url())
    yield Session(admin, TAMBO_CODE), ids, home
    close_database()


# -- helpers ---------------------------------------------------------------------------------------------


def run(*command: str | Path) -> str:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, check=True).stdout


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order, whitespace and line breaks normalised."""
    return words(run("pdftotext", "-raw", path, "-"))


def pages(path: Path) -> int:
    return int(next(line.split()[1] for line in run("pdfinfo", path).splitlines() if line.startswith("Pages:")))


def page_size(path: Path) -> str:
    return next(line for line in run("pdfinfo", path).splitlines() if line.startswith("Page size:"))


def assert_fonts_embedded(path: Path) -> None:
    lines = run("pdffonts", path).splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        columns = line.split()
        assert columns[-5] == "yes", line  # name type encoding emb sub uni object ID: emb is 5th from the end
    assert "Helvetica" not in "\n".join(lines)


def in_language(language: str, message: str) -> str:
    with use_language(language):
        return _(message)


# -- checklist and reminders ---------------------------------------------------------------------------------


def test_start_date_checklist_and_reminders(world):
    session, ids, _home = world
    campaigns = CampaignService(session)
    detail = campaigns.get(ids["campaign"])
    assert detail.starts_on == DAY - dt.timedelta(days=LEAD_DAYS) == DAY - dt.timedelta(days=14)
    assert detail.local_language == "ay" and detail.title_local == TITLE_AY and detail.message_local == MESSAGE_AY
    assert [i.id for i in detail.interventions] == [ids["reniec"], ids["minsa"]]
    assert set(detail.community_names) == set(LEADERS)
    tasks = campaigns.tasks(ids["campaign"])
    assert [t.title for t in tasks] == [_(FIRST_TASK)] + [_(CHANNEL_TASKS[c]) for c in ("radio", "leaders", "flyers")]
    assert all(t.done_at is None and t.done_by == "" for t in tasks)
    at = dt.datetime.combine(DAY - dt.timedelta(days=13), dt.time(10, 30))
    campaigns.tick(tasks[0].id, True, at)
    done = campaigns.tasks(ids["campaign"])[0]
    assert done.done_at == at and done.done_by == "Rosa Quispe Mamani"
    assert campaigns.list()[0].progress == "1/4"
    for days in (14, 7):
        reminders = campaigns.reminders(today=DAY - dt.timedelta(days=days))
        mine = [r for r in reminders if r.campaign_id == ids["campaign"]]
        assert len(mine) == 1 and mine[0].open_tasks == 3 and mine[0].days_left == days and mine[0].day == DAY
    unannounced = [r for r in campaigns.reminders(today=dates.today()) if r.intervention_id == ids["unannounced"]]
    assert len(unannounced) == 1 and unannounced[0].campaign_id is None and unannounced[0].days_left == 10
    for task in tasks[1:]:
        campaigns.tick(task.id, True)
    assert all(r.campaign_id != ids["campaign"] for r in campaigns.reminders(today=DAY - dt.timedelta(days=7)))
    campaigns.tick(tasks[1].id, False)  # untick: back on the list
    assert campaigns.tasks(ids["campaign"])[1].done_by == ""
    assert any(r.campaign_id == ids["campaign"] for r in campaigns.reminders(today=DAY - dt.timedelta(days=7)))


# -- photo -----------------------------------------------------------------------------------------------------


def test_phone_photo_is_turned_upright_and_a_text_file_is_refused(world, tmp_path):
    session, ids, _home = world
    campaigns = CampaignService(session)
    image = Image.new("RGB", (4000, 3000), "#6688aa")
    image.paste((200, 40, 40), (0, 0, 1000, 3000))  # a red band on the left as the sensor saw it
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    photo = tmp_path / "foto.jpg"
    image.save(photo, "JPEG", exif=exif, quality=80)
    campaigns.set_photo(ids["campaign"], photo)
    stored = Image.open(io.BytesIO(campaigns.photo(ids["campaign"])))
    assert stored.height > stored.width and max(stored.size) <= 2400
    assert stored.getpixel((stored.width // 2, 50))[0] > 150  # the red band is now at the top
    assert campaigns.get(ids["campaign"]).has_photo
    before = campaigns.photo(ids["campaign"])
    fake = tmp_path / "nota.jpg"
    fake.write_text("esto no es una foto\n", encoding="utf-8")
    with pytest.raises(TamboError, match="no es una foto"):
        campaigns.set_photo(ids["campaign"], fake)
    assert campaigns.photo(ids["campaign"]) == before
    flyer = tmp_path / "con-foto.pdf"
    campaigns.export_flyer_pdf(ids["campaign"], "a5", ["es", "ay"], flyer)
    assert flyer.stat().st_size < 2_000_000
    campaigns.set_photo(ids["campaign"], None)
    assert campaigns.photo(ids["campaign"]) is None


# -- flyers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("layout", "size"), [("a5", "841.89 x 595.276"), ("a6", "595.276 x 841.89"),
                                                ("a4", "595.276 x 841.89")])  # fmt: skip
def test_flyer_in_each_format(world, tmp_path, layout, size):
    template = layout
    session, ids, _home = world
    campaigns = CampaignService(session)
    path = tmp_path / f"volante-{template}.pdf"
    result = campaigns.export_flyer_pdf(ids["campaign"], template, ["es", "ay"], path)
    assert result.pages == 1 and pages(path) == 1
    assert size in page_size(path) and "A4" in page_size(path)
    assert path.stat().st_size < 2_000_000
    assert_fonts_embedded(path)
    text = pdf_text(path)
    for expected in (TITLE_AY, MESSAGE_AY, TITLE_ES, "RENIEC", "MINSA", "Achacachi Alto"):
        assert words(expected) in text, expected
    copies = {"a4": 1, "a5": 2, "a6": 4}[template]
    assert text.count(TITLE_AY) == copies
    place = in_language("ay", "Lugar")
    assert place != "Lugar" and f"Lugar / {place}: Achacachi Alto" in text  # fixed phrases in both languages
    documents = campaigns.documents(ids["campaign"])
    assert [(d.kind, d.options, d.pages, d.username) for d in documents] == [
        ("flyer", {"template": template, "languages": ["es", "ay"], "grey": True}, 1, "admin")
    ]


def test_documents_list_what_was_produced(world, tmp_path):
    session, ids, _home = world
    campaigns = CampaignService(session)
    assert campaigns.documents(ids["campaign"]) == []
    campaigns.export_flyer_pdf(ids["campaign"], "a6", ["ay", "es"], tmp_path / "a6.pdf")
    campaigns.export_flyer_pdf(ids["campaign"], "a4", ["es"], tmp_path / "a4.pdf", grey=False)
    LetterService(session).export_pdf(ids["campaign"], tmp_path / "oficios.pdf")
    documents = campaigns.documents(ids["campaign"])
    assert sorted(d.kind for d in documents) == ["flyer", "flyer", "letters"]
    assert all(d.username == "admin" and d.at.date() == dates.today() for d in documents)
    flyers = {d.options["template"]: d for d in documents if d.kind == "flyer"}
    assert flyers["a4"].options == {"template": "a4", "languages": ["es"], "grey": False}
    assert flyers["a6"].pages == 1
    letters = next(d for d in documents if d.kind == "letters")
    assert letters.pages == 4 and letters.options == {"signer": "Rosa Quispe Mamani"}


def test_flyer_too_long_writes_nothing_and_a_long_text_shrinks(world, tmp_path):
    session, ids, _home = world
    campaigns = CampaignService(session)
    long_message = " ".join(f"palabra{i % 37}" for i in range(600))
    campaigns.save(_form(ids, message_es=long_message), ids["campaign"])
    path = tmp_path / "out" / "volante.pdf"
    path.parent.mkdir()
    path.write_bytes(b"el volante anterior")
    with pytest.raises(FlyerTooLong) as caught:
        campaigns.export_flyer_pdf(ids["campaign"], "a6", ["es", "ay"], path)
    assert caught.value.lines > 0
    assert f"sobran unas {caught.value.lines} líneas" in str(caught.value)
    assert path.read_bytes() == b"el volante anterior"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left either
    assert campaigns.documents(ids["campaign"]) == []
    fresh = tmp_path / "nuevo.pdf"
    with pytest.raises(FlyerTooLong):
        campaigns.export_flyer_pdf(ids["campaign"], "a6", ["es", "ay"], fresh)
    assert not fresh.exists()
    moderate = " ".join(("Vengan todos con su DNI y el carné de vacunación de los niños.",) * 4)
    campaigns.save(_form(ids, message_es=moderate), ids["campaign"])
    result = campaigns.export_flyer_pdf(ids["campaign"], "a6", ["es", "ay"], fresh)
    assert result.scale < 1 and result.notice and "%" in result.notice
    assert words(moderate) in pdf_text(fresh)


@pytest.mark.parametrize("languages", [["es", "qu"], ["qu", "ay"], [], ["es", "es"], ["es", "ay", "qu"]])
def test_wrong_languages_are_refused(world, tmp_path, languages):
    session, ids, _home = world
    path = tmp_path / "volante.pdf"
    with pytest.raises(TamboError) as caught:
        CampaignService(session).export_flyer_pdf(ids["campaign"], "a5", languages, path)
    assert str(caught.value)
    assert not path.exists()


# -- letters to the leaders ------------------------------------------------------------------------------------


def test_letters_references_delivery_and_deletions(world, tmp_path):
    session, ids, _home = world
    letters = LetterService(session)
    year = dates.today().year
    path = tmp_path / "oficios.pdf"
    assert letters.export_pdf(ids["campaign"], path) == 4
    assert pages(path) == 4
    assert_fonts_embedded(path)
    raw = run("pdftotext", path, "-").split("\f")
    text = words(" ".join(raw))
    rows = letters.rows(ids["campaign"])
    references = {r.leader_name: r.reference for r in rows}
    assert sorted(references.values()) == [f"OFICIO N.° {n:03d}-{year}-TAMBO-{TAMBO_CODE}" for n in (1, 2, 3, 4)]
    for name, reference in references.items():
        assert name in text and reference in text
    by_leader = {next(n for n in references if n in words(page)): words(page) for page in raw if words(page)}
    aymara, spanish = by_leader["Felipe Mamani Condori"], by_leader["Martha Flores Quispe"]
    # the services and the leader's role come in Aymara from the catalogue, then the whole letter in Spanish
    local = in_language("ay", Service.get_by_id(_service("reniec_dni_first", "RENIEC")).name)
    assert (
        local != Service.get_by_id(_service("reniec_dni_first", "RENIEC")).name
        and local in aymara
        and local not in spanish
    )
    # the role is an office's title, kept in Spanish in every language (translations/same_as_spanish.csv)
    assert in_language("ay", "Teniente gobernador") == "Teniente gobernador" and "Teniente gobernador" in aymara
    assert "Trámite de DNI por primera vez" in aymara and "Trámite de DNI por primera vez" in spanish
    assert "En castellano:" in aymara and "En castellano:" not in spanish
    # the closing request once in Aymara and once in Spanish
    assert aymara.count("Le pedimos, como autoridad de Achacachi Alto") == 1
    assert "Achacachi Alto kamachirjamax" in aymara and "kamachirjamax" not in spanish
    assert {r.language for r in rows if r.leader_name == "Martha Flores Quispe"} == {""}
    assert {r.language for r in rows if r.leader_name == "Felipe Mamani Condori"} == {"ay"}
    assert "RENIEC" in aymara and "Achacachi Alto" in aymara
    # printed again: the same numbers; a new leader gets the next one
    letters.export_pdf(ids["campaign"], path)
    assert {r.leader_name: r.reference for r in letters.rows(ids["campaign"])} == references
    community = ids["communities"]["Chucuito Grande"]
    CommunityService(session).save_leader(community, LeaderForm("Nicolás Apaza Ccama", "juez_de_paz", "", "ay"))
    assert letters.export_pdf(ids["campaign"], path) == 5 and pages(path) == 5
    new = {r.leader_name: r.reference for r in letters.rows(ids["campaign"])}
    assert new["Nicolás Apaza Ccama"] == f"OFICIO N.° 005-{year}-TAMBO-{TAMBO_CODE}"
    assert {k: v for k, v in new.items() if k in references} == references
    # the delivery list
    delivered = next(r for r in letters.rows(ids["campaign"]) if r.leader_name == "Juana Choque Apaza")
    day = dates.today()
    letters.set_delivered(delivered.id, day)
    delivery = tmp_path / "entrega.pdf"
    assert letters.export_delivery_pdf(ids["campaign"], delivery) == pages(delivery) >= 1
    listed = words(run("pdftotext", delivery, "-"))
    assert f"{day:%d/%m/%Y}" in listed and "Juana Choque Apaza" in listed and "Nicolás Apaza Ccama" in listed
    assert f"OFICIO N.° 005-{year}-" in listed and "Entregado" in listed  # the narrow column wraps after the year
    assert [r.delivered_on for r in letters.rows(ids["campaign"]) if r.id == delivered.id] == [day]
    letters.set_delivered(delivered.id, None)
    assert [r.delivered_on for r in letters.rows(ids["campaign"]) if r.id == delivered.id] == [None]
    # leaders who got a letter and communities of a campaign stay
    communities = CommunityService(session)
    with pytest.raises(TamboError, match="oficios"):
        communities.delete_leader(ids["leaders"]["Felipe Mamani Condori"])
    with pytest.raises(TamboError):
        communities.delete(community)
    assert {c.name for c in communities.list()} >= set(LEADERS)


def test_delivery_list_needs_letters_first(world, tmp_path):
    session, ids, _home = world
    with pytest.raises(TamboError):
        LetterService(session).export_delivery_pdf(ids["campaign"], tmp_path / "entrega.pdf")
    assert not (tmp_path / "entrega.pdf").exists()


# -- radio ------------------------------------------------------------------------------------------------------


def test_radio_script_generated_edited_and_printed(world, tmp_path):
    session, ids, _home = world
    radio = RadioService(session)
    script = radio.for_campaign(ids["campaign"])
    assert list(script.texts) == ["es", "ay"] and script.first_day == DAY
    for text in script.texts.values():
        assert "Achacachi Alto" in text and "Chucuito Grande" in text and "RENIEC" in text
        assert str(DAY.day) in text
    assert script.texts["es"] != script.texts["ay"]
    for text in script.texts.values():  # each line a sentence: "Lunisa, 21 risimri phaxsina, …", not "lunisa"
        assert all(next(c for c in line if c.isalpha()).isupper() for line in text.splitlines()), text
    service = Service.get_by_id(_service("reniec_dni_first", "RENIEC")).name
    assert service in script.texts["es"] and in_language("ay", service) in script.texts["ay"]
    assert in_language("ay", service) != service
    note = timing_note(script.texts["es"], "es")
    assert "segundos" in note
    edited_es = "¡Atención, Achacachi Alto y Chucuito Grande! El tambo les invita a la campaña de DNI."
    edited_ay = "Achacachi Alto, Chucuito Grande jilatanaka, kullakanaka: DNI apsuñataki jutapxam'a."
    radio.save(ids["campaign"], edited_es, edited_ay)
    again = radio.for_campaign(ids["campaign"], ["es", "ay"])
    assert again.texts == {"es": edited_es, "ay": edited_ay}
    assert radio.for_intervention(ids["minsa"], ["ay", "es"]).texts == {"ay": edited_ay, "es": edited_es}
    path = tmp_path / "radio.pdf"
    assert radio.export_pdf(again, path, ids["campaign"]) == pages(path) >= 1
    text = pdf_text(path)
    assert words(edited_es) in text and words(edited_ay) in text and "segundos" in text
    assert_fonts_embedded(path)
    assert CampaignService(session).documents(ids["campaign"])[0].options == {"languages": ["es", "ay"]}
    radio.save(ids["campaign"], "", "")  # blank: made from the interventions again
    assert radio.for_campaign(ids["campaign"]).texts == script.texts
    alone = radio.for_intervention(ids["unannounced"], ["es"])
    assert list(alone.texts) == ["es"] and "SIS" in alone.texts["es"]


# -- people reached -------------------------------------------------------------------------------------------


def test_reach_counts_attentions_against_expected(world):
    session, ids, _home = world
    campaigns = CampaignService(session)
    assert [(r.intervention.id, r.expected, r.attentions, r.users) for r in campaigns.reach(ids["campaign"])] == [
        (ids["reniec"], 60, 0, 0), (ids["minsa"], 40, 0, 0)]  # fmt: skip
    persons, attentions = PersonService(session), AttentionService(session)
    reniec = InterventionService(session).get(ids["reniec"])
    first, renewal = _service("reniec_dni_first", "RENIEC"), _service("reniec_dni_renewal", "RENIEC")
    community = ids["communities"]["Achacachi Alto"]
    for i in range(3):
        person = persons.save(PersonForm("dni", f"{71000000 + i:08d}", "Lucía", "Mamani", "Choque", "F", "01/01/1990",
                                         first_language="ay"))  # fmt: skip
        services = [first, renewal] if i == 0 else [first]
        # the intervention is three weeks ahead and atenciones can't be dated in the future: link it by its uuid
        attentions.record(person, services, "outside", community, intervention_uuid=reniec.uuid)
    reach = {r.intervention.id: r for r in campaigns.reach(ids["campaign"])}
    assert (reach[ids["reniec"]].attentions, reach[ids["reniec"]].users, reach[ids["reniec"]].expected) == (4, 3, 60)
    assert (reach[ids["minsa"]].attentions, reach[ids["minsa"]].users) == (0, 0)


# -- logos ------------------------------------------------------------------------------------------------------


def test_transparent_logo_is_printed_on_the_flyer(world, tmp_path):
    session, ids, _home = world
    logo = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    logo.paste((180, 20, 20, 255), (100, 100, 700, 300))
    source = tmp_path / "reniec.png"
    logo.save(source)
    reniec = Entity.get(Entity.code == "RENIEC").id
    logos = LogoService(session)
    logos.set_logo(reniec, source)
    assert logos.entities_with_logo() == {reniec}
    photo = io.BytesIO()
    Image.new("RGB", (1600, 1200), "#88aa66").save(photo, "JPEG")
    CampaignService(session).set_photo(ids["campaign"], photo.getvalue())
    path = tmp_path / "volante.pdf"
    CampaignService(session).export_flyer_pdf(ids["campaign"], "a4", ["es", "ay"], path)
    assert pages(path) == 1 and "RENIEC" in pdf_text(path) and path.stat().st_size < 2_000_000
    if shutil.which("pdfimages"):
        images = [line.split() for line in run("pdfimages", "-list", path).splitlines()[2:]]
        assert len(images) >= 2
        assert ["600", "300", "rgb"] in [i[3:6] for i in images]  # the logo, transparency flattened on white
        assert "gray" in [i[5] for i in images]  # the photo, in greys for a black-and-white printer
    with pytest.raises(TamboError):
        logos.set_logo(reniec, b"no es una imagen")
    assert logos.entities_with_logo() == {reniec}
    logos.set_logo(reniec, None)
    assert logos.entities_with_logo() == set()
    supervisor = Session(CurrentUser(98, "gestor", "Gestor", "gestor", "es"), TAMBO_CODE)
    with pytest.raises(PermissionDenied):
        LogoService(supervisor).set_logo(reniec, source)


# -- CLI ----------------------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """The command line in this process, signed in as the scenario's administrator."""
    return main_as(argv, password=ADMIN_PASSWORD)


def test_cli_verbs(world, tmp_path, capsys):
    _session, ids, home = world
    close_database()  # the CLI opens the database itself
    base = ["--home", str(home)]
    flyer = tmp_path / "cli-volante.pdf"
    assert main([*base, "flyer", "--intervention", str(ids["reniec"]), "--template", "a5", "--languages", "es,ay",
                 "--out", str(flyer)]) == 0  # fmt: skip
    assert str(flyer) in capsys.readouterr().out
    assert pages(flyer) == 1 and TITLE_AY in pdf_text(flyer)
    letters = tmp_path / "cli-oficios.pdf"
    assert main([*base, "letters", "--campaign", str(ids["campaign"]), "--out", str(letters)]) == 0
    assert "4" in capsys.readouterr().out and pages(letters) == 4
    delivery = tmp_path / "cli-entrega.pdf"
    assert main([*base, "letters", "--campaign", str(ids["campaign"]), "--delivery", "--out", str(delivery)]) == 0
    capsys.readouterr()
    assert "Felipe Mamani Condori" in pdf_text(delivery)
    radio = tmp_path / "cli-radio.pdf"
    assert main([*base, "radio-script", "--intervention", str(ids["reniec"]), "--languages", "es,ay",
                 "--out", str(radio)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "[es]" in out and "[ay]" in out and "segundos" in out and radio.is_file()
    alone = tmp_path / "cli-sis.pdf"
    assert main([*base, "radio-script", "--intervention", str(ids["unannounced"]), "--languages", "es",
                 "--out", str(alone)]) == 0  # fmt: skip
    capsys.readouterr()
    assert "SIS" in pdf_text(alone)
    assert main([*base, "campaigns", "list"]) == 0
    listed = capsys.readouterr().out
    assert TITLE_ES in listed and str(ids["campaign"]) in listed and f"{DAY:%d/%m/%Y}" in listed
    bad = tmp_path / "malo.pdf"
    assert main([*base, "flyer", "--campaign", str(ids["campaign"]), "--languages", "es,qu", "--out", str(bad)]) != 0
    captured = capsys.readouterr()
    assert captured.err.strip() and not bad.exists()
    assert (
        main([*base, "radio-script", "--campaign", str(ids["campaign"]), "--languages", "qu,ay", "--out", str(bad)])
        != 0
    )
    assert capsys.readouterr().err.strip() and not bad.exists()
    prepare(paths.default_database_url())
    documents = CampaignService(_session).documents(ids["campaign"])
    assert {d.kind for d in documents} == {"flyer", "letters", "delivery", "radio"}


# -- permissions ----------------------------------------------------------------------------------------------------


def test_supervisor_reads_but_does_not_change(world, tmp_path):
    session, ids, _home = world
    supervisor = Session(CurrentUser(99, "supervisora", "Supervisora", "supervisor", "es"), TAMBO_CODE)
    campaigns = CampaignService(supervisor)
    assert [r.id for r in campaigns.list()] == [ids["campaign"]]
    assert campaigns.get(ids["campaign"]).title_local == TITLE_AY
    assert campaigns.tasks(ids["campaign"]) and campaigns.reach(ids["campaign"])
    path = tmp_path / "volante.pdf"
    for call in (
        lambda: campaigns.save(_form(ids)),
        lambda: campaigns.save(_form(ids, title_es="Otro título"), ids["campaign"]),
        lambda: campaigns.export_flyer_pdf(ids["campaign"], "a5", ["es", "ay"], path),
        lambda: campaigns.tick(campaigns.tasks(ids["campaign"])[0].id, True),
        lambda: campaigns.set_photo(ids["campaign"], None),
        lambda: LetterService(supervisor).export_pdf(ids["campaign"], path),
        lambda: RadioService(supervisor).save(ids["campaign"], "a", "b"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not path.exists()
    assert CampaignService(session).get(ids["campaign"]).title_es == TITLE_ES


def test_the_salutation_agrees_with_the_leader_s_sex(world, tmp_path):
    """Issue 14, part 7: an oficio to a woman read «Tata (Mama)» / «Señor(a)»."""
    from tambo_desktop.services.communities import CommunityService, LeaderForm

    session, ids, _home = world
    communities = CommunityService(session)
    leaders = {leader.name: leader for c in communities.list() for leader in communities.leaders(c.id)}
    for name, sex in (("Martha Flores Quispe", "F"), ("Felipe Mamani Condori", "M")):
        leader = leaders[name]
        communities.save_leader(leader.community_id, LeaderForm(leader.name, leader.role, leader.phone, leader.language,
                                                                leader.notes, leader.version, sex=sex), leader.id)  # fmt: skip
    path = tmp_path / "oficios.pdf"
    LetterService(session).export_pdf(ids["campaign"], path)
    raw = run("pdftotext", path, "-").split("\f")
    by_leader = {next(n for n in leaders if n in words(page)): words(page) for page in raw if words(page)}
    martha, felipe = by_leader["Martha Flores Quispe"], by_leader["Felipe Mamani Condori"]
    assert "Señora:" in martha and "Señor(a)" not in martha
    assert in_language("ay", "Señor:") in felipe and "(Mama)" not in felipe  # his letter opens in Aymara
    others = [text for name, text in by_leader.items() if name not in ("Martha Flores Quispe", "Felipe Mamani Condori")]
    both = {in_language(lang, "Señor(a):") for lang in ("es", "qu", "ay")}
    assert others and all(any(form in text for form in both) for text in others)  # not said: both forms
