"""What the card administration tool says, in the clerk's language.

A commune clerk reads these, not a developer: one plain sentence per outcome, never a
status code. The language comes from the environment the way gettext reads it (LANGUAGE,
LC_ALL, LC_MESSAGES, LANG); French when none of them names one of ours.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT = "fr"
LANGUAGES = ("fr", "nl", "de", "en")

TEXTS: dict[str, dict[str, str]] = {
    "description": {
        "fr": "Les outils de la commune pour les cartes eID de démonstration : état d'une carte, "
              "déblocage avec le code PUK, journal d'authentification.",
        "nl": "De hulpmiddelen van de gemeente voor de demo-eID-kaarten: status van een kaart, "
              "deblokkeren met de PUK-code, authenticatielogboek.",
        "de": "Die Werkzeuge der Gemeinde für die Demo-eID-Karten: Zustand einer Karte, "
              "Entsperren mit dem PUK-Code, Authentifizierungsprotokoll.",
        "en": "The commune's tools for the demo eID cards: a card's state, unblocking with the PUK, "
              "the authentication audit trail.",
    },
    "help_status": {
        "fr": "dire si une carte est bloquée et combien d'essais de code PIN il lui reste",
        "nl": "zeggen of een kaart geblokkeerd is en hoeveel pogingen voor de pincode er overblijven",
        "de": "sagen, ob eine Karte gesperrt ist und wie viele PIN-Versuche ihr bleiben",
        "en": "say whether a card is blocked and how many PIN tries it has left",
    },
    "help_unblock": {
        "fr": "débloquer une carte avec son code PUK et lui donner un nouveau code PIN",
        "nl": "een kaart deblokkeren met haar PUK-code en haar een nieuwe pincode geven",
        "de": "eine Karte mit ihrem PUK-Code entsperren und ihr eine neue PIN geben",
        "en": "unblock a card with its PUK and give it a new PIN",
    },
    "help_audit": {
        "fr": "les dernières entrées du journal d'authentification",
        "nl": "de laatste regels van het authenticatielogboek",
        "de": "die letzten Einträge des Authentifizierungsprotokolls",
        "en": "the latest entries of the authentication audit trail",
    },
    "help_card": {
        "fr": "numéro de la carte (12 chiffres, au verso de la carte)",
        "nl": "kaartnummer (12 cijfers, op de achterkant van de kaart)",
        "de": "Kartennummer (12 Ziffern, auf der Rückseite der Karte)",
        "en": "card number (12 digits, on the back of the card)",
    },
    "help_count": {
        "fr": "nombre d'entrées à montrer (50 par défaut)",
        "nl": "aantal regels om te tonen (standaard 50)",
        "de": "Anzahl der gezeigten Einträge (standardmäßig 50)",
        "en": "how many entries to show (50 by default)",
    },
    "card_missing_option": {
        "fr": "Indiquez le numéro de la carte, par exemple : --card 592012345656",
        "nl": "Geef het kaartnummer op, bijvoorbeeld: --card 592012345656",
        "de": "Geben Sie die Kartennummer an, zum Beispiel: --card 592012345656",
        "en": "Give the card number, for example: --card 592012345656",
    },
    "usage_error": {
        "fr": "Commande non comprise ({detail}) ; la liste des commandes : python -m services.auth.cli --help",
        "nl": "Opdracht niet begrepen ({detail}); de lijst van opdrachten: python -m services.auth.cli --help",
        "de": "Befehl nicht verstanden ({detail}); die Liste der Befehle: python -m services.auth.cli --help",
        "en": "Command not understood ({detail}); the list of commands: python -m services.auth.cli --help",
    },
    # --- prompts
    "prompt_puk": {
        "fr": "Code PUK de la carte {card} : ",
        "nl": "PUK-code van kaart {card}: ",
        "de": "PUK-Code der Karte {card}: ",
        "en": "PUK of card {card}: ",
    },
    "prompt_new_pin": {
        "fr": "Nouveau code PIN (4 à 12 chiffres) : ",
        "nl": "Nieuwe pincode (4 tot 12 cijfers): ",
        "de": "Neue PIN (4 bis 12 Ziffern): ",
        "en": "New PIN (4 to 12 digits): ",
    },
    "prompt_new_pin_again": {
        "fr": "Nouveau code PIN, une seconde fois : ",
        "nl": "Nieuwe pincode, nog een keer: ",
        "de": "Neue PIN, noch einmal: ",
        "en": "New PIN, once more: ",
    },
    # --- outcomes
    "status_ok": {
        "fr": "La carte {card} n'est pas bloquée ; essais de code PIN restants : {left}.",
        "nl": "Kaart {card} is niet geblokkeerd; resterende pogingen voor de pincode: {left}.",
        "de": "Die Karte {card} ist nicht gesperrt; verbleibende PIN-Versuche: {left}.",
        "en": "Card {card} is not blocked; PIN tries left: {left}.",
    },
    "status_blocked": {
        "fr": "La carte {card} est bloquée après trois codes PIN erronés : débloquez-la avec son code PUK "
              "(commande unblock).",
        "nl": "Kaart {card} is geblokkeerd na drie foute pincodes: deblokkeer ze met haar PUK-code "
              "(opdracht unblock).",
        "de": "Die Karte {card} ist nach drei falschen PINs gesperrt: entsperren Sie sie mit ihrem PUK-Code "
              "(Befehl unblock).",
        "en": "Card {card} is blocked after three wrong PINs: unblock it with its PUK (command unblock).",
    },
    "unblocked": {
        "fr": "La carte {card} est débloquée et son nouveau code PIN est enregistré ; essais de code PIN "
              "restants : {left}.",
        "nl": "Kaart {card} is gedeblokkeerd en haar nieuwe pincode is opgeslagen; resterende pogingen voor "
              "de pincode: {left}.",
        "de": "Die Karte {card} ist entsperrt und ihre neue PIN ist gespeichert; verbleibende PIN-Versuche: "
              "{left}.",
        "en": "Card {card} is unblocked and its new PIN is saved; PIN tries left: {left}.",
    },
    "pins_differ": {
        "fr": "Les deux nouveaux codes PIN tapés diffèrent ; rien n'a été changé.",
        "nl": "De twee ingetypte nieuwe pincodes verschillen; er is niets gewijzigd.",
        "de": "Die beiden eingegebenen neuen PINs sind verschieden; nichts wurde geändert.",
        "en": "The two new PINs typed differ; nothing was changed.",
    },
    "card_format": {
        "fr": "Le numéro de carte se compose de 12 chiffres (par exemple 592012345656) ; « {card} » n'en est pas un.",
        "nl": "Een kaartnummer bestaat uit 12 cijfers (bijvoorbeeld 592012345656); '{card}' is er geen.",
        "de": "Eine Kartennummer besteht aus 12 Ziffern (zum Beispiel 592012345656); „{card}“ ist keine.",
        "en": "A card number is made of 12 digits (for example 592012345656); '{card}' is not one.",
    },
    "puk_missing": {
        "fr": "Aucun code PUK n'a été tapé ; rien n'a été changé.",
        "nl": "Er is geen PUK-code ingetypt; er is niets gewijzigd.",
        "de": "Es wurde kein PUK-Code eingegeben; nichts wurde geändert.",
        "en": "No PUK was typed; nothing was changed.",
    },
    "puk_format": {
        "fr": "Le code PUK se compose de 4 à 12 chiffres ; rien n'a été changé.",
        "nl": "De PUK-code bestaat uit 4 tot 12 cijfers; er is niets gewijzigd.",
        "de": "Der PUK-Code besteht aus 4 bis 12 Ziffern; nichts wurde geändert.",
        "en": "The PUK is made of 4 to 12 digits; nothing was changed.",
    },
    "new_pin_missing": {
        "fr": "Aucun nouveau code PIN n'a été tapé ; rien n'a été changé.",
        "nl": "Er is geen nieuwe pincode ingetypt; er is niets gewijzigd.",
        "de": "Es wurde keine neue PIN eingegeben; nichts wurde geändert.",
        "en": "No new PIN was typed; nothing was changed.",
    },
    "new_pin_format": {
        "fr": "Le nouveau code PIN doit compter 4 à 12 chiffres ; rien n'a été changé.",
        "nl": "De nieuwe pincode moet uit 4 tot 12 cijfers bestaan; er is niets gewijzigd.",
        "de": "Die neue PIN muss aus 4 bis 12 Ziffern bestehen; nichts wurde geändert.",
        "en": "The new PIN must be 4 to 12 digits; nothing was changed.",
    },
    "puk_incorrect": {
        "fr": "Code PUK incorrect, rien n'a été changé ; essais de code PUK restants : {left}.",
        "nl": "Foute PUK-code, er is niets gewijzigd; resterende pogingen voor de PUK-code: {left}.",
        "de": "Falscher PUK-Code, nichts wurde geändert; verbleibende PUK-Versuche: {left}.",
        "en": "Wrong PUK, nothing was changed; PUK tries left: {left}.",
    },
    "puk_blocked": {
        "fr": "Le code PUK de la carte {card} est bloqué après trop d'essais erronés : la carte ne peut plus "
              "être débloquée et doit être remplacée.",
        "nl": "De PUK-code van kaart {card} is geblokkeerd na te veel foute pogingen: de kaart kan niet meer "
              "gedeblokkeerd worden en moet vervangen worden.",
        "de": "Der PUK-Code der Karte {card} ist nach zu vielen Fehlversuchen gesperrt: die Karte kann nicht "
              "mehr entsperrt werden und muss ersetzt werden.",
        "en": "The PUK of card {card} is blocked after too many wrong tries: the card can no longer be "
              "unblocked and must be replaced.",
    },
    "card_missing": {
        "fr": "La carte {card} ne se trouve dans aucun lecteur ; vérifiez son numéro.",
        "nl": "Kaart {card} zit in geen enkele lezer; controleer haar nummer.",
        "de": "Die Karte {card} steckt in keinem Kartenleser; prüfen Sie ihre Nummer.",
        "en": "Card {card} is in no reader; check its number.",
    },
    "readers_off": {
        "fr": "Les lecteurs de cartes simulés sont désactivés dans cette installation : il n'y a pas de carte "
              "à gérer ici.",
        "nl": "De gesimuleerde kaartlezers zijn uitgeschakeld in deze installatie: er zijn hier geen kaarten "
              "te beheren.",
        "de": "Die simulierten Kartenleser sind in dieser Installation ausgeschaltet: hier gibt es keine "
              "Karten zu verwalten.",
        "en": "The simulated card readers are off in this installation: there are no cards to manage here.",
    },
    "unavailable": {
        "fr": "Le service d'authentification ne répond pas à l'adresse {target} : le portail est-il démarré "
              "(make run) et AUTH_ADMIN_PORT est-il le même que le sien ?",
        "nl": "De authenticatiedienst antwoordt niet op adres {target}: is het portaal gestart (make run) en "
              "is AUTH_ADMIN_PORT dezelfde als de zijne?",
        "de": "Der Authentifizierungsdienst antwortet nicht unter der Adresse {target}: ist das Portal "
              "gestartet (make run) und ist AUTH_ADMIN_PORT derselbe wie seiner?",
        "en": "The authentication service does not answer at {target}: is the portal started (make run), "
              "with the same AUTH_ADMIN_PORT?",
    },
    "not_allowed": {
        "fr": "Le service d'authentification refuse le certificat utilisé : seul celui de la commune peut gérer "
              "les cartes.",
        "nl": "De authenticatiedienst weigert het gebruikte certificaat: alleen dat van de gemeente mag de "
              "kaarten beheren.",
        "de": "Der Authentifizierungsdienst lehnt das verwendete Zertifikat ab: nur das der Gemeinde darf die "
              "Karten verwalten.",
        "en": "The authentication service refuses the certificate used: only the commune's may manage cards.",
    },
    "no_certificate": {
        "fr": "Le certificat de la commune est introuvable dans {folder} : démarrez d'abord le portail "
              "(make run), ou indiquez son dossier avec RUN_DIR.",
        "nl": "Het certificaat van de gemeente is niet te vinden in {folder}: start eerst het portaal "
              "(make run), of geef zijn map op met RUN_DIR.",
        "de": "Das Zertifikat der Gemeinde ist in {folder} nicht zu finden: starten Sie zuerst das Portal "
              "(make run), oder geben Sie seinen Ordner mit RUN_DIR an.",
        "en": "The commune's certificate is not in {folder}: start the portal first (make run), or give its "
              "folder with RUN_DIR.",
    },
    "failed": {
        "fr": "Le service d'authentification n'a pas pu traiter la demande ; réessayez, et si cela se répète, "
              "transmettez ce détail au support : {detail}",
        "nl": "De authenticatiedienst kon de aanvraag niet verwerken; probeer opnieuw, en geef dit detail aan "
              "de support als het zich herhaalt: {detail}",
        "de": "Der Authentifizierungsdienst konnte die Anfrage nicht bearbeiten; versuchen Sie es erneut und "
              "geben Sie dieses Detail an den Support weiter, wenn es sich wiederholt: {detail}",
        "en": "The authentication service could not handle the request; try again, and if it happens again, "
              "give this detail to support: {detail}",
    },
    "audit_empty": {
        "fr": "Le journal d'authentification est vide.",
        "nl": "Het authenticatielogboek is leeg.",
        "de": "Das Authentifizierungsprotokoll ist leer.",
        "en": "The authentication audit trail is empty.",
    },
    "audit_unavailable": {
        "fr": "Le journal d'authentification (Redis, port {port}) ne répond pas : le portail est-il démarré "
              "(make run) et REDIS_PORT est-il le même que le sien ?",
        "nl": "Het authenticatielogboek (Redis, poort {port}) antwoordt niet: is het portaal gestart "
              "(make run) en is REDIS_PORT dezelfde als de zijne?",
        "de": "Das Authentifizierungsprotokoll (Redis, Port {port}) antwortet nicht: ist das Portal gestartet "
              "(make run) und ist REDIS_PORT derselbe wie seiner?",
        "en": "The authentication audit trail (Redis, port {port}) does not answer: is the portal started "
              "(make run), with the same REDIS_PORT?",
    },
}


def language(environ: Mapping[str, str] | None = None) -> str:
    """The first of LANGUAGE (a colon-separated list), LC_ALL, LC_MESSAGES, LANG that is
    set decides, as for gettext; "nl_BE.UTF-8" gives "nl"; C, POSIX or another language
    gives French."""
    environ = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if variable != "LANGUAGE":  # an unusable LANGUAGE falls through, as in gettext
            return DEFAULT
    return DEFAULT


def text(key: str, lang: str, **values: object) -> str:
    return TEXTS[key][lang].format(**values)
