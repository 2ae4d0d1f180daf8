"""Every printed document in its own language(s), whatever the interface language (issue 16.3).

The demo tambo (Acora, with an Aymara campaign) and a Quechua campaign added to it: each document —
flyers, letters and their delivery list, radio scripts, certificates, the door schedule, the field
report, the record of a person's data — is made with the interface in Spanish, then Quechua, then
Aymara, and read back with poppler: the same document language gives the same text, word for word
(headings, dates, vocabulary, units, page numbers and footers included).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tambo_desktop import dates, i18n, paths
from tambo_desktop.db.connection import close_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.db.models import Attention, Community, Course, Entity, Person, Service, Space, Trip
from tambo_desktop.demo import build as demo
from tambo_desktop.demo import campaigns as demo_campaigns
from tambo_desktop.documents import hyphenation
from tambo_desktop.services.accounts import authenticate
from tambo_desktop.services.campaigns import CampaignForm, CampaignService
from tambo_desktop.services.certificates import CertificateService
from tambo_desktop.services.communities import CommunityService, LeaderForm
from tambo_desktop.services.field_reports import FieldReportService
from tambo_desktop.services.interventions import InterventionForm, InterventionService
from tambo_desktop.services.letters import LetterService
from tambo_desktop.services.radio import RadioService
from tambo_desktop.services.rights import RightsService
from tambo_desktop.services.schedule import ScheduleService
from tambo_desktop.services.session import Session

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

INTERFACES = ("es", "qu", "ay")
TITLE_QU = "DNI-ykita, qhaliykitapas tambopi"
MESSAGE_QU = "RENIEC wawakunaq, kuraqkunaq DNI-nta ruranqa. Llapa ayllukiwan hamuy."


def _quechua_campaign(session: Session) -> int:
    """Two interventions announced in Quechua, to a community with a Quechua-speaking leader."""
    community = Community.select().order_by(Community.name.desc()).first()
    CommunityService(session).save_leader(community.id, LeaderForm("Martina Huamán Quispe", "presidente_comunal",
                                                                    "951222333", "qu"))  # fmt: skip
    interventions = InterventionService(session)
    day = dates.today() + dt.timedelta(days=20)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    ids = []
    for code, place, start, end in (("RENIEC", "inside", 9, 12), ("MIDIS", "outside", 10, 14)):
        entity = Entity.get_or_none(Entity.code == code) or Entity.select().where(Entity.code != "RENIEC").first()
        services = [s.id for s in Service.select().where(Service.entity == entity).order_by(Service.id).limit(2)]
        space = Space.select(Space.id).order_by(Space.id).scalar()
        form = InterventionForm(f"Campaña {entity.code} runasimi", entity.id, "support", services, place,
                                space if place == "inside" else None, community.id if place == "outside" else None, "",
                                dt.datetime.combine(day, dt.time(start)), dt.datetime.combine(day, dt.time(end)),
                                expected_participants="30")  # fmt: skip
        ids.append(interventions.save(form, confirm=True).ids[0])
    return CampaignService(session).save(CampaignForm(
        "Tu DNI en tu tambo", TITLE_QU, "Venga con su familia.", MESSAGE_QU, "qu", "stacked", ["radio", "leaders", "flyers"],
        ["dni", "minor_dni"], None, ids, [community.id],
    ))  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo tambo (small) with a Quechua campaign, open for the whole module."""
    home = tmp_path_factory.mktemp("document-languages")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.HOME_ENV, str(home))
        prepare(paths.default_database_url())
        demo.create_demo("small")
        session = Session(authenticate("admin", demo.DEMO_PASSWORD), demo.DEMO_PROFILE.code)
        ids = {"ay": CampaignService(session).list()[0].id, "qu": _quechua_campaign(session)}
        LetterService(session).export_pdf(ids["ay"], home / "letters.pdf")  # their references: the delivery list
        for course in Course.select().where(Course.certification != ""):  # their codes, issued once
            CertificateService(session).export_pdf(course.id, home / "certificates.pdf")
        close_database()
        shutil.copyfile(home / "tambo.db", home / "snapshot.db")
        prepare(paths.default_database_url(), daily_backup=False)
        yield session, ids, home
        close_database()


def _fresh(home: Path) -> None:
    """Back to the database as the fixture left it (an export adds to the person's history)."""
    close_database()
    shutil.copyfile(home / "snapshot.db", home / "tambo.db")
    prepare(paths.default_database_url(), daily_backup=False)


def pdf_text(path: Path) -> str:
    """The PDF's text in drawing order, one line per line, spaces normalised."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(" ".join(line.split()) for line in out.splitlines())


def pdf_language(path: Path) -> str:
    """The language the file declares (its catalog's /Lang), '' when none."""
    found = re.search(rb"/Lang \(([^)]*)\)", path.read_bytes())
    return found.group(1).decode() if found else ""


def _makers(session: Session, ids: dict) -> dict:
    """name → function(path) that prints one document with fixed languages."""
    campaigns, letters, radio = CampaignService(session), LetterService(session), RadioService(session)
    today = dates.today()
    schedule_day = CampaignService(session).get(ids["qu"]).interventions[0].starts_at.date()
    trip = Trip.select().order_by(Trip.departs_at.desc()).first()
    person = (Person.select().join(Attention, on=Attention.person == Person.id)
              .where(Person.anonymized == False).order_by(Person.id).first())  # noqa: E712  # fmt: skip
    certified = [c.id for c in Course.select().where(Course.certification != "").order_by(Course.id)]
    makers: dict = {}
    for local in ("ay", "qu"):
        campaign = ids[local]
        for languages in (["es", local], [local], ["es"]):
            template = {1: "a4", 2: "a5"}[len(languages)] if local == "ay" else "a6"
            makers[f"flyer-{local}-{'+'.join(languages)}"] = lambda p, c=campaign, t=template, ls=languages: (
                campaigns.export_flyer_pdf(c, t, ls, p)
            )
        makers[f"letters-{local}"] = lambda p, c=campaign: letters.export_pdf(
            c, p, signer="Rosa Quispe Mamani", today=today
        )
        makers[f"radio-{local}"] = lambda p, c=campaign, lang=local: radio.export_pdf(
            radio.for_campaign(c, ["es", lang]), p, c
        )
    for language in INTERFACES:
        makers[f"delivery-{language}"] = lambda p, lang=language: letters.export_delivery_pdf(ids["ay"], p, lang)
        makers[f"schedule-{language}"] = lambda p, lang=language: ScheduleService(session).export_pdf(
            schedule_day.year, schedule_day.month, p, language=lang
        )
        makers[f"field-report-{language}"] = lambda p, lang=language: FieldReportService(session).export(
            trip.departs_at.year, trip.departs_at.month, p, "pdf", language=lang
        )
        makers[f"rights-{language}"] = lambda p, lang=language: RightsService(session).export_pdf(person.id, p, lang)
    for course in certified:
        makers[f"certificates-{course}"] = lambda p, c=course: CertificateService(session).export_pdf(c, p)
    return makers


def test_each_document_reads_the_same_under_every_interface_language(world, tmp_path):
    session, ids, home = world
    makers = _makers(session, ids)
    assert len(makers) >= 20
    differing, printed = {}, {}
    for name, make in makers.items():
        texts = {}
        for interface in INTERFACES:
            _fresh(home)
            i18n.set_language(interface)
            path = tmp_path / f"{name}-{interface}.pdf"
            make(path)
            texts[interface] = f"/Lang {pdf_language(path)}\n" + pdf_text(path)
        i18n.set_language("es")
        assert texts["es"].strip(), name
        printed[name] = texts["es"]
        for interface in ("qu", "ay"):
            if texts[interface] != texts["es"]:
                es_lines, other = texts["es"].splitlines(), texts[interface].splitlines()
                differing[f"{name} ({interface})"] = [
                    (a.strip(), b.strip()) for a, b in zip(es_lines, other, strict=False) if a != b][:4] or (
                    len(es_lines), len(other))  # fmt: skip
    assert not differing, "\n".join(f"{k}: {v}" for k, v in differing.items())
    for document in ("delivery", "schedule", "field-report", "rights"):  # the language chosen does show
        assert len({printed[f"{document}-{language}"] for language in INTERFACES}) == 3, document
    assert demo_campaigns.TITLE_AY in printed["delivery-ay"] and demo_campaigns.TITLE_ES in printed["delivery-qu"]
    assert "/Lang ay" in printed["letters-ay"] and "/Lang qu" in printed["schedule-qu"]
    assert "/Lang qu" in printed["flyer-qu-qu"] and "/Lang es" in printed["flyer-ay-es+ay"]
    assert any(month in printed["schedule-qu"] for month in dates.QU_MONTHS)
    assert any(month in printed["schedule-ay"] for month in dates.AY_MONTHS)


# -- no word broken without a hyphen (issue 16.9) ---------------------------------------------------------

_PUNCTUATION = "«»\"'()[]¿?¡!.,;:·—–…/*•→⚠_"


def _clean(token: str) -> str:
    return token.strip(_PUNCTUATION).replace("\u00ad", "")


def _source_words(texts: list[str]) -> set[str]:
    """Every word the documents were given to print (paragraph texts and the strings drawn on the page)."""
    from html import unescape

    words = set()
    for text in texts:
        plain = unescape(re.sub(r"<[^>]*>", " ", text)).replace("\u00ad", "")
        words.update(_clean(w) for w in plain.split())
    return {w for w in words if w}


def _bad_tokens(path: Path, sources: set[str], language: str) -> list[str]:
    """Tokens of the printed text that are no whole word given to print, nor a word's head cut at one of its
    syllables with a hyphen, nor the rest of a word cut so."""
    heads = {w[:at] for w in sources for at in hyphenation.breaks(w, language) + hyphenation.breaks(w, "es")}
    tails = {w[at:] for w in sources for at in hyphenation.breaks(w, language) + hyphenation.breaks(w, "es")}
    for w in sources:  # a word with a hyphen of its own (DNI-ykita) may break there
        for at in [m.end() for m in re.finditer("-", w)]:
            heads.add(w[: at - 1])
            tails.add(w[at:])
    bad = []
    for token in pdf_text(path).split():
        word = _clean(token)
        if not word or not any(ch.isalpha() for ch in word) or word in sources:
            continue
        if token.rstrip(_PUNCTUATION.replace("-", "")).endswith("-") and word.rstrip("-") in heads:
            continue
        if word in tails:
            continue
        bad.append(token)
    return bad


def test_no_word_is_broken_without_a_hyphen(world, tmp_path, monkeypatch):
    """Each Quechua and Aymara document (and its Spanish): every printed word is whole, or cut at a
    syllable with a hyphen; nothing runs past the page's margins."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    session, ids, home = world
    given: list[str] = []
    make_paragraph = Paragraph.__init__

    def paragraph(self, text, *args, **kwargs):
        given.append(text)
        make_paragraph(self, text, *args, **kwargs)

    monkeypatch.setattr(Paragraph, "__init__", paragraph)

    def drawing(draw):
        def drawn(self, x, y, text, *args, **kwargs):
            given.append(str(text))
            return draw(self, x, y, text, *args, **kwargs)

        return drawn

    for name in ("drawString", "drawRightString", "drawCentredString"):
        monkeypatch.setattr(Canvas, name, drawing(getattr(Canvas, name)))
    makers = {name: make for name, make in _makers(session, ids).items()
              if name.endswith(("-qu", "-ay", "+qu", "+ay")) or name.startswith("certificates")}  # fmt: skip
    broken, outside = {}, {}
    for name, make in makers.items():
        _fresh(home)
        given.clear()
        path = tmp_path / f"{name}.pdf"
        make(path)
        language = "qu" if "qu" in name.split("-")[1:] or name.endswith("+qu") else "ay"
        bad = _bad_tokens(path, _source_words(given), language)
        if bad:
            broken[name] = bad[:8]
        outside.update({name: words} for words in [_outside_margins(path)] if words)
    assert not broken, broken
    assert not outside, outside
    assert len(makers) >= 15


def _outside_margins(path: Path, margin: float = 5.0) -> list[str]:
    """Words whose box runs past the page (less ``margin`` points): cut off or run out of their place."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    return [m.group(3) for m in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
            if float(m.group(1)) < margin or float(m.group(2)) > width - margin]  # fmt: skip
