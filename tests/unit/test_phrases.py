"""A language's printed phrases as one file a translator writes (issue 19, part 6): read at run time,
checked with a message naming the file and the line, used by ``use_language`` for printed texts only.

The phrase texts below are test markers («… [shp]»), not translations: the project ships none for a
language without a published source."""

from __future__ import annotations

from pathlib import Path

import pytest

from tambo_desktop import i18n, paths, phrases
from tambo_desktop.i18n import _, use_language

HEADER = 'msgid ""\nmsgstr ""\n"Language: {code}\\n"\n"X-Source: {source}\\n"\n\n'


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(folder: Path, code: str = "shp", source: str = "Test source", skip: int = 0, extra: str = "") -> Path:
    body = "".join(f"msgid {_quote(p)}\nmsgstr {_quote(p + ' [' + code + ']')}\n\n" for p in phrases.PHRASES[skip:])
    path = folder / f"{code}.po"
    path.write_text(HEADER.format(code=code, source=source) + body + extra, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))  # the application's folder of this test only
    (tmp_path / "phrases").mkdir()
    phrases.reload()
    yield tmp_path / "phrases"
    phrases.reload()


def test_a_complete_phrase_file_prints_in_its_language_and_only_for_printing(folder):
    write(folder)
    assert phrases.has_phrases("shp") and phrases.printable_languages() == ["qu", "ay", "shp"]
    with use_language("shp"):
        assert _("Atención gratuita") == "Atención gratuita [shp]"
        assert _("Guardar") == "Guardar"  # not a printed phrase: Spanish
    assert i18n.normalize("shp") == "es"  # never an interface language
    assert phrases.books()["shp"].source == "Test source"


def test_without_its_file_a_language_is_spanish_only_and_the_message_says_how_to_add_it(folder):
    assert not phrases.has_phrases("agr")
    with use_language("agr"):
        assert _("Atención gratuita") == "Atención gratuita"
    assert "Todavía no hay frases en Awajún (agr)" in phrases.why_spanish_only("agr")
    assert "agr.po" in phrases.why_spanish_only("agr")


def test_an_incomplete_file_is_not_used_and_the_missing_phrase_is_named(folder):
    write(folder, skip=1)
    assert not phrases.has_phrases("shp")
    message = phrases.why_spanish_only("shp")
    assert f"le faltan 1 frases (la primera: «{phrases.PHRASES[0]}»)" in message


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('msgid "Lugar"\nmsgstr "x"\n', "la frase «Lugar» ya estaba traducida"),
        ('msgid "Hola"\nmsgstr "x"\n', "«Hola» no es una de las frases de los anuncios"),
        ('msgid "Lugar\nmsgstr "x"\n', "el texto debe ir entre comillas"),
        ('msgstr "x"\n', "msgstr repetido"),
        ("lugar = x\n", "se esperaba msgid, msgstr"),
    ],
)
def test_a_broken_file_is_refused_naming_the_file_and_the_line(folder, extra, expected):
    path = write(folder, extra=extra)
    line = len(path.read_text(encoding="utf-8").splitlines()) - len(extra.splitlines()) + 1
    with pytest.raises(phrases.PhraseFileError) as caught:
        phrases.read(path)
    assert str(caught.value).startswith(f"shp.po, línea {line}: ") and expected in str(caught.value)
    assert not phrases.has_phrases("shp") and expected in phrases.why_spanish_only("shp")


def test_fields_between_braces_and_the_header_are_checked(folder):
    path = folder / "shp.po"
    path.write_text(HEADER.format(code="shp", source="X") + 'msgid "No se olviden de traer: {items}."\nmsgstr "traer [shp]"\n',
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(phrases.PhraseFileError, match="línea 6: la traducción debe tener los mismos campos"):
        phrases.read(path)
    with pytest.raises(phrases.PhraseFileError, match="falta X-Source"):
        phrases.read(write(folder, source=""))
    (folder / "cni.po").write_text(write(folder).read_text(encoding="utf-8"), encoding="utf-8")  # says Language: shp
    with pytest.raises(phrases.PhraseFileError, match="la cabecera dice Language: shp; debe decir Language: cni"):
        phrases.read(folder / "cni.po")
    with pytest.raises(phrases.PhraseFileError, match="«xx» no lo es"):
        phrases.read(write(folder, code="xx"))


def test_the_broken_file_is_reported_in_the_users_language(folder):
    write(folder, extra='msgid "Hola"\nmsgstr "x"\n')
    with use_language("qu"):
        message = phrases.why_spanish_only("shp")
    assert "shp.po" in message and message != phrases.why_spanish_only("shp")


def test_the_template_lists_every_phrase_and_is_up_to_date():
    shipped = Path(__file__).resolve().parents[2] / "resources" / "phrases" / "phrases.pot"
    assert shipped.read_text(encoding="utf-8") == phrases.template() + "\n", "run python tools/phrases_template.py"
    from babel.messages.pofile import read_po

    with (Path(__file__).resolve().parents[2] / "translations" / "es" / "LC_MESSAGES" / "tambo_desktop.po").open(
        "rb"
    ) as po:
        catalog = read_po(po)
    for phrase in phrases.PHRASES:  # each is a message the documents really translate
        assert catalog.get(phrase) is not None, phrase


def test_a_file_not_in_utf8_names_the_line(folder):
    path = folder / "shp.po"
    path.write_bytes((HEADER.format(code="shp", source="X") + 'msgid "Lugar"\nmsgstr "Lugár"\n').encode("latin-1"))
    with pytest.raises(phrases.PhraseFileError, match="shp.po, línea 7: el archivo no está guardado en UTF-8"):
        phrases.read(path)
