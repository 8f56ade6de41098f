""""of <name>" as each language says it before a person's or an organisation's name.

French contracts and elides ("du CPAS de Herstappe", "d'Anne", "de la Commune de Herstappe",
"de Sophie"); a translation cannot, since gettext only fills in the name. So the messages
that need it take `%(of_name)s` / `%(of_entity)s`, made here for the page's language.
Entity names are French names as registered ("CPAS de Herstappe"), in every language.
"""

from __future__ import annotations

import unicodedata

from services.gateway import i18n

_PREPOSITION = {"en": "of", "nl": "van", "de": "von"}
# Organisations' names start with what they are: the French article that goes with it.
_FRENCH_ARTICLE = {"cpas": "du", "centre": "du", "service": "du", "commune": "de la", "ville": "de la",
                   "administration": "de l'", "hôpital": "de l'"}


def _starts_with_vowel(name: str) -> bool:
    first = unicodedata.normalize("NFD", name[:1].lower())[:1]
    return first in "aeiouy"


def french_of(name: str, organisation: bool = False) -> str:
    if organisation:
        article = _FRENCH_ARTICLE.get(name.split(" ", 1)[0].lower())
        if article:
            return f"{article}{'' if article.endswith(chr(39)) else ' '}{name}"
    return f"d'{name}" if _starts_with_vowel(name) else f"de {name}"


def of(name: str, organisation: bool = False, language: str | None = None) -> str:
    """'of Anne' / "d'Anne" / 'van Anne' / 'von Anne', in the page's language."""
    language = language or i18n.language()
    if language == "fr":
        return french_of(name, organisation)
    return f"{_PREPOSITION.get(language, 'of')} {name}"


def of_entity(name: str, language: str | None = None) -> str:
    return of(name, organisation=True, language=language)
