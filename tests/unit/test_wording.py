"""How the pages word names and punctuation in each language (issue 15): French contracts
"de" before names, puts a no-break space before : ; ? !, and no template writes a colon of
its own, outside the catalogues."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from services.gateway.grammar import of, of_entity
from tests.support import ROOT

GATEWAY = ROOT / "services" / "gateway"


@pytest.mark.parametrize(("name", "language", "expected"), [
    ("Anne Demo-Peeters", "fr", "d'Anne Demo-Peeters"),
    ("Émile", "fr", "d'Émile"),
    ("Sophie", "fr", "de Sophie"),
    ("Anne", "nl", "van Anne"),
    ("Anne", "de", "von Anne"),
    ("Anne", "en", "of Anne"),
])
def test_of_a_person(name, language, expected):
    assert of(name, language=language) == expected


@pytest.mark.parametrize(("name", "language", "expected"), [
    ("CPAS de Herstappe", "fr", "du CPAS de Herstappe"),
    ("CPAS d'Eupen", "fr", "du CPAS d'Eupen"),
    ("Commune de Herstappe", "fr", "de la Commune de Herstappe"),
    ("Administration communale", "fr", "de l'Administration communale"),
    ("OCMW Gent", "fr", "d'OCMW Gent"),
    ("CPAS de Herstappe", "nl", "van CPAS de Herstappe"),
])
def test_of_an_organisation(name, language, expected):
    assert of_entity(name, language=language) == expected


def _catalogue(language: str):
    with (GATEWAY / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def _strings(language: str):
    for message in _catalogue(language):
        if message.id:
            yield from ([message.string] if isinstance(message.string, str) else message.string)


def test_french_has_a_no_break_space_before_every_colon_semicolon_question_and_exclamation_mark():
    bad = [s for s in _strings("fr") if re.search(r"(^|[^\u00a0])[:;?!](\s|$)", s)]
    assert bad == []


@pytest.mark.parametrize("language", ["nl", "de"])
def test_dutch_and_german_have_no_space_before_a_colon(language):
    bad = [s for s in _strings(language) if re.search(r"\s[:;?!](\s|$)", s)]
    assert bad == []


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_placeholder_of_a_message_is_in_its_translation(language):
    for message in _catalogue(language):
        if message.id and isinstance(message.id, str):
            wanted = set(re.findall(r"%\((\w+)\)", message.id))
            assert set(re.findall(r"%\((\w+)\)", message.string)) == wanted, message.id


def test_no_template_writes_a_colon_after_a_translated_label():
    """ "{{ _("Role") }}: " cannot follow each language's typography: the colon belongs in the message."""
    found = [f"{path.relative_to(GATEWAY)}: {line.strip()[:80]}"
             for path in (GATEWAY / "templates").rglob("*.html")
             for line in path.read_text().splitlines() if re.search(r"\) \}\}\s?:", line)]
    assert found == []


def test_make_messages_gives_new_french_texts_their_no_break_spaces(tmp_path):
    from devtools import french_typography

    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Role: %(role)s"\nmsgstr "Rôle : %(role)s"\n\n'
                  'msgid "Why?"\nmsgstr "Pourquoi?"\n')
    french_typography.main(po)
    with po.open("rb") as f:
        strings = [m.string for m in read_po(f) if m.id]
    assert strings == ["Rôle\u00a0: %(role)s", "Pourquoi\u00a0?"]
