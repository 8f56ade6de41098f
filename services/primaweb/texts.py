"""The texts PrimaWeb returns, in French, Dutch, German and English: error messages (one
per stable error code), the one-line summaries of history entries and of SPP IS messages.

Codes are part of the contract (trailing metadata "ssp-error-code", FieldViolation.code):
never rename one, add new ones. Values in templates are formatted for the language
(dates "21/03/2026", amounts "1 263,17 €"); labels of statuses, laws, outcomes... too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from services.primaweb.errors import Violation

LANGUAGES = ("fr", "nl", "de", "en")
DEFAULT_LANGUAGE = "fr"


def _t(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


# --- error messages, by code --------------------------------------------------------------

ERRORS: dict[str, dict[str, str]] = {
    # INVALID_ARGUMENT
    "required": _t("obligatoire", "verplicht", "erforderlich", "required"),
    "nrn-format": _t("11 chiffres attendus, sans ponctuation", "11 cijfers verwacht, zonder leestekens",
                     "11 Ziffern erwartet, ohne Satzzeichen", "expected 11 digits, no punctuation"),
    "nrn-invalid": _t("n'est pas un numéro de registre national valide", "geen geldig rijksregisternummer",
                      "keine gültige Nationalregisternummer", "not a valid national register number"),
    "enterprise-number-format": _t("10 chiffres attendus, sans ponctuation", "10 cijfers verwacht, zonder leestekens",
                                   "10 Ziffern erwartet, ohne Satzzeichen", "expected 10 digits, no punctuation"),
    "enterprise-number-invalid": _t("n'est pas un numéro d'entreprise valide", "geen geldig ondernemingsnummer",
                                    "keine gültige Unternehmensnummer", "not a valid enterprise number"),
    "text": _t("au plus {max} caractères imprimables", "hoogstens {max} afdrukbare tekens",
               "höchstens {max} druckbare Zeichen", "at most {max} printable characters"),
    "unknown-value": _t("valeur inconnue : {value}", "onbekende waarde: {value}", "unbekannter Wert: {value}",
                        "unknown value: {value}"),
    "choose-one": _t("choisissez une des valeurs proposées", "kies een van de voorgestelde waarden",
                     "wählen Sie einen der angebotenen Werte", "choose one of the values offered"),
    "postal-code": _t("4 chiffres attendus (1000 à 9999)", "4 cijfers verwacht (1000 tot 9999)",
                      "4 Ziffern erwartet (1000 bis 9999)", "expected 4 digits (1000 to 9999)"),
    "date-format": _t("date attendue au format AAAA-MM-JJ", "datum verwacht in de vorm JJJJ-MM-DD",
                      "Datum im Format JJJJ-MM-TT erwartet", "expected a date YYYY-MM-DD"),
    "timestamp-range": _t("date et heure entre 0001-01-01 et 9999-12-31 attendues",
                          "datum en tijd tussen 0001-01-01 en 9999-12-31 verwacht",
                          "Datum und Uhrzeit zwischen 0001-01-01 und 9999-12-31 erwartet",
                          "a date and time from 0001-01-01 to 9999-12-31 expected"),
    "date-future": _t("ne peut pas être dans le futur", "mag niet in de toekomst liggen",
                      "darf nicht in der Zukunft liegen", "cannot be in the future"),
    "period-order": _t("la fin ne peut pas précéder le début", "het einde mag niet vóór het begin liggen",
                       "das Ende darf nicht vor dem Beginn liegen", "the end cannot be before the start"),
    "period-too-long": _t("au plus 12 mois", "hoogstens 12 maanden", "höchstens 12 Monate", "at most 12 months"),
    "period-incomplete": _t("indiquez le début et la fin", "vul het begin en het einde in",
                            "geben Sie Beginn und Ende an", "give both the start and the end"),
    "period-outside-decision": _t(
        "doit se situer dans la période de la décision ({start} – {end})",
        "moet binnen de periode van de beslissing liggen ({start} – {end})",
        "muss im Zeitraum des Beschlusses liegen ({start} – {end})",
        "must lie within the decision's period ({start} – {end})"),
    "amount-format": _t("montant en euros attendu, par exemple 1234.56 (2 décimales au plus)",
                        "bedrag in euro verwacht, bijvoorbeeld 1234.56 (hoogstens 2 decimalen)",
                        "Betrag in Euro erwartet, zum Beispiel 1234.56 (höchstens 2 Dezimalstellen)",
                        "expected an amount in euros such as 1234.56 (at most 2 decimals)"),
    "amount-positive": _t("doit être supérieur à 0", "moet groter zijn dan 0", "muss größer als 0 sein",
                          "must be more than 0"),
    "amount-max": _t("au plus {max}", "hoogstens {max}", "höchstens {max}", "at most {max}"),
    "amount-not-allowed": _t("doit rester vide pour un refus", "moet leeg blijven bij een weigering",
                             "muss bei einer Ablehnung leer bleiben", "must be empty when the decision is a refusal"),
    "request-id-format": _t("8 à 64 lettres, chiffres, « - » ou « _ » attendus",
                            "8 tot 64 letters, cijfers, '-' of '_' verwacht",
                            "8 bis 64 Buchstaben, Ziffern, „-“ oder „_“ erwartet",
                            "expected 8 to 64 letters, digits, '-' or '_'"),
    "file-number-format": _t("numéro de dossier attendu, par exemple 2026/000123",
                             "dossiernummer verwacht, bijvoorbeeld 2026/000123",
                             "Aktennummer erwartet, zum Beispiel 2026/000123",
                             "expected a file number such as 2026/000123"),
    "form-id-format": _t("identifiant de formulaire attendu (UUID)", "formulierkenmerk verwacht (UUID)",
                         "Formularkennung erwartet (UUID)", "expected a form id (UUID)"),
    "page": _t("doit valoir 1 ou plus", "moet 1 of meer zijn", "muss 1 oder mehr sein", "must be 1 or more"),
    "page-size": _t("entre 1 et {max}", "tussen 1 en {max}", "zwischen 1 und {max}", "between 1 and {max}"),
    "page-token": _t("n'est pas un jeton de page de ce service", "geen paginatoken van deze dienst",
                     "kein Seitentoken dieses Dienstes", "not a page token of this service"),
    # PERMISSION_DENIED
    "role-required": _t("le rôle {role} est nécessaire", "de rol {role} is vereist", "die Rolle {role} ist nötig",
                        "the role {role} is needed"),
    "profile-required": _t("un des profils {profiles} est nécessaire pour cette action",
                           "een van de profielen {profiles} is vereist voor deze handeling",
                           "eines der Profile {profiles} ist für diese Handlung nötig",
                           "one of the profiles {profiles} is needed for this action"),
    # NOT_FOUND
    "file-not-found": _t("aucun dossier {number} dans ce CPAS", "geen dossier {number} in dit OCMW",
                         "keine Akte {number} in diesem ÖSHZ", "no file {number} in this CPAS"),
    "form-not-found": _t("aucun formulaire {form_id} ici", "geen formulier {form_id} hier",
                         "kein Formular {form_id} hier", "no form {form_id} here"),
    "decision-not-found": _t("aucune décision n° {decision} dans le dossier {number}",
                             "geen beslissing nr. {decision} in dossier {number}",
                             "kein Beschluss Nr. {decision} in der Akte {number}",
                             "no decision no. {decision} in file {number}"),
    "message-not-found": _t("aucun message {message_id} dans ce CPAS", "geen bericht {message_id} in dit OCMW",
                            "keine Nachricht {message_id} in diesem ÖSHZ", "no message {message_id} in this CPAS"),
    # FAILED_PRECONDITION
    "duplicate-open-file": _t(
        "{name} a déjà un dossier ouvert sous cette loi dans ce CPAS : le dossier {number}",
        "{name} heeft al een open dossier onder deze wet in dit OCMW: dossier {number}",
        "{name} hat bereits eine offene Akte nach diesem Gesetz in diesem ÖSHZ: Akte {number}",
        "{name} already has an open file under this law in this CPAS: file {number}"),
    "file-closed": _t("le dossier {number} est clôturé", "dossier {number} is afgesloten",
                      "die Akte {number} ist abgeschlossen", "file {number} is closed"),
    "no-decision": _t("le dossier {number} n'a pas encore de décision", "dossier {number} heeft nog geen beslissing",
                      "die Akte {number} hat noch keinen Beschluss", "file {number} has no decision yet"),
    "decision-not-granted": _t(
        "la décision n° {decision} du dossier {number} est un refus : aucun formulaire de remboursement",
        "beslissing nr. {decision} van dossier {number} is een weigering: geen terugbetalingsformulier",
        "Beschluss Nr. {decision} der Akte {number} ist eine Ablehnung: kein Erstattungsformular",
        "decision no. {decision} of file {number} is a refusal: no reimbursement form"),
    "form-not-draft": _t(
        "le formulaire est {status} : seul un brouillon peut être modifié, envoyé ou abandonné ;"
        " un formulaire envoyé se corrige par un nouveau",
        "het formulier is {status}: alleen een ontwerp kan gewijzigd, verzonden of geschrapt worden;"
        " een verzonden formulier verbetert men met een nieuw",
        "das Formular ist {status}: nur ein Entwurf kann geändert, gesendet oder verworfen werden;"
        " ein gesendetes Formular wird durch ein neues berichtigt",
        "the form is {status}: only a draft can be changed, sent or discarded; a sent form is corrected by a new one"),
    "form-not-sent": _t("seul un formulaire envoyé peut être corrigé ; celui-ci est {status}",
                        "alleen een verzonden formulier kan verbeterd worden; dit is {status}",
                        "nur ein gesendetes Formular kann berichtigt werden; dieses ist {status}",
                        "only a sent form can be corrected; this one is {status}"),
    "form-already-corrected": _t("ce formulaire est déjà corrigé par le formulaire {form_id}",
                                 "dit formulier is al verbeterd door formulier {form_id}",
                                 "dieses Formular ist bereits durch das Formular {form_id} berichtigt",
                                 "this form is already corrected by the form {form_id}"),
    "form-already-answered": _t("ce formulaire a déjà reçu une réponse ({answer})",
                                "dit formulier heeft al een antwoord gekregen ({answer})",
                                "dieses Formular wurde bereits beantwortet ({answer})",
                                "this form was already answered ({answer})"),
    "request-id-reused": _t("cet identifiant de requête a déjà servi pour une autre demande",
                            "dit aanvraagkenmerk werd al voor een andere aanvraag gebruikt",
                            "diese Anfragekennung wurde bereits für eine andere Anfrage verwendet",
                            "this request id was already used for a different request"),
}

# --- labels of the values that appear in texts ------------------------------------------------

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "status": {
        "draft": _t("un brouillon", "een ontwerp", "ein Entwurf", "a draft"),
        "sent": _t("envoyé", "verzonden", "gesendet", "sent"),
        "accepted": _t("accepté", "aanvaard", "angenommen", "accepted"),
        "rejected": _t("rejeté", "verworpen", "abgelehnt", "rejected"),
        "discarded": _t("abandonné", "geschrapt", "verworfen", "discarded"),
    },
    "answer": {
        "accepted": _t("accepté", "aanvaard", "angenommen", "accepted"),
        "rejected": _t("rejeté", "verworpen", "abgelehnt", "rejected"),
    },
    "law": {
        "ris-2002": _t("la loi du 26 mai 2002 (intégration sociale)",
                       "de wet van 26 mei 2002 (maatschappelijke integratie)",
                       "dem Gesetz vom 26. Mai 2002 (soziale Eingliederung)",
                       "the Act of 26 May 2002 (social integration)"),
        "aide-sociale-1965": _t("la loi du 2 avril 1965 (aide sociale)",
                                "de wet van 2 april 1965 (maatschappelijke dienstverlening)",
                                "dem Gesetz vom 2. April 1965 (Sozialhilfe)",
                                "the Act of 2 April 1965 (social aid)"),
    },
    "category": {
        "cohabitant": _t("cohabitant", "samenwonende", "zusammenwohnend", "cohabiting"),
        "isole": _t("isolé", "alleenstaande", "alleinstehend", "single"),
        "famille-a-charge": _t("famille à charge", "gezin ten laste", "Familie zu Lasten", "family at charge"),
    },
}

# --- history entries and messages -----------------------------------------------------------

SUMMARIES: dict[str, dict[str, str]] = {
    "file-created": _t(
        "Dossier {number} ouvert sous {law}, catégorie « {category} » ; travailleur social : {social_worker_name}",
        "Dossier {number} geopend onder {law}, categorie '{category}'; maatschappelijk werker: {social_worker_name}",
        "Akte {number} eröffnet nach {law}, Kategorie „{category}“; Sozialarbeiter: {social_worker_name}",
        "File {number} opened under {law}, category '{category}'; social worker: {social_worker_name}"),
    "decision-recorded/granted": _t(
        "Décision n° {decision} du {decided_on} : octroi de {monthly_amount} par mois du {period_start} au"
        " {period_end}",
        "Beslissing nr. {decision} van {decided_on}: toekenning van {monthly_amount} per maand van {period_start}"
        " tot {period_end}",
        "Beschluss Nr. {decision} vom {decided_on}: Gewährung von {monthly_amount} monatlich vom {period_start}"
        " bis {period_end}",
        "Decision no. {decision} of {decided_on}: {monthly_amount} a month granted from {period_start} to"
        " {period_end}"),
    "decision-recorded/refused": _t(
        "Décision n° {decision} du {decided_on} : refus", "Beslissing nr. {decision} van {decided_on}: weigering",
        "Beschluss Nr. {decision} vom {decided_on}: Ablehnung", "Decision no. {decision} of {decided_on}: refused"),
    "file-closed": _t("Dossier clôturé", "Dossier afgesloten", "Akte abgeschlossen", "File closed"),
    "form-prepared": _t(
        "Formulaire B préparé pour la période du {period_start} au {period_end} ({total_amount})",
        "Formulier B voorbereid voor de periode van {period_start} tot {period_end} ({total_amount})",
        "Formular B vorbereitet für den Zeitraum vom {period_start} bis {period_end} ({total_amount})",
        "Form B prepared for {period_start} to {period_end} ({total_amount})"),
    "form-updated": _t(
        "Brouillon du formulaire B modifié : du {period_start} au {period_end}, {monthly_amount} par mois",
        "Ontwerp van formulier B gewijzigd: van {period_start} tot {period_end}, {monthly_amount} per maand",
        "Entwurf des Formulars B geändert: vom {period_start} bis {period_end}, {monthly_amount} monatlich",
        "Form B draft changed: {period_start} to {period_end}, {monthly_amount} a month"),
    "form-discarded": _t("Brouillon du formulaire B abandonné", "Ontwerp van formulier B geschrapt",
                         "Entwurf des Formulars B verworfen", "Form B draft discarded"),
    "form-sent": _t(
        "Formulaire B envoyé au SPP IS (du {period_start} au {period_end}, {total_amount})",
        "Formulier B verzonden naar de POD MI (van {period_start} tot {period_end}, {total_amount})",
        "Formular B an den ÖPD SE gesendet (vom {period_start} bis {period_end}, {total_amount})",
        "Form B sent to the PPS SI ({period_start} to {period_end}, {total_amount})"),
    "form-correction-prepared": _t(
        "Correction du formulaire {corrects} préparée (du {period_start} au {period_end}, {total_amount})",
        "Verbetering van formulier {corrects} voorbereid (van {period_start} tot {period_end}, {total_amount})",
        "Berichtigung des Formulars {corrects} vorbereitet (vom {period_start} bis {period_end}, {total_amount})",
        "Correction of form {corrects} prepared ({period_start} to {period_end}, {total_amount})"),
    "form-answered/accepted": _t(
        "Le SPP IS a accepté le formulaire B (du {period_start} au {period_end})",
        "De POD MI heeft formulier B aanvaard (van {period_start} tot {period_end})",
        "Der ÖPD SE hat das Formular B angenommen (vom {period_start} bis {period_end})",
        "The PPS SI accepted form B ({period_start} to {period_end})"),
    "form-answered/rejected": _t(
        "Le SPP IS a rejeté le formulaire B (du {period_start} au {period_end}) : {reason}",
        "De POD MI heeft formulier B verworpen (van {period_start} tot {period_end}): {reason}",
        "Der ÖPD SE hat das Formular B abgelehnt (vom {period_start} bis {period_end}): {reason}",
        "The PPS SI rejected form B ({period_start} to {period_end}): {reason}"),
    "message/accepted": _t(
        "Dossier {file_number} : formulaire B du {period_start} au {period_end} accepté par le SPP IS",
        "Dossier {file_number}: formulier B van {period_start} tot {period_end} aanvaard door de POD MI",
        "Akte {file_number}: Formular B vom {period_start} bis {period_end} vom ÖPD SE angenommen",
        "File {file_number}: form B for {period_start} to {period_end} accepted by the PPS SI"),
    "message/rejected": _t(
        "Dossier {file_number} : formulaire B du {period_start} au {period_end} rejeté par le SPP IS : {reason}",
        "Dossier {file_number}: formulier B van {period_start} tot {period_end} verworpen door de POD MI: {reason}",
        "Akte {file_number}: Formular B vom {period_start} bis {period_end} vom ÖPD SE abgelehnt: {reason}",
        "File {file_number}: form B for {period_start} to {period_end} rejected by the PPS SI: {reason}"),
}

_DATE_KEYS = {"decided_on", "period_start", "period_end", "start", "end"}
_AMOUNT_KEYS = {"monthly_amount", "total_amount"}


def language(value: str) -> str:
    """A supported language, the default one for empty or unknown values."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def format_date(value: str | date, lang: str) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return value.isoformat() if lang == "en" else value.strftime("%d/%m/%Y")


def format_amount(value: str | Decimal, lang: str) -> str:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except ArithmeticError:
        return str(value)
    units, cents = f"{amount:,.2f}".split(".")
    if lang == "en":
        return f"€{units}.{cents}"
    grouped = units.replace(",", "\u202f" if lang == "fr" else ".")
    return f"€ {grouped},{cents}" if lang == "nl" else f"{grouped},{cents} €"


def _values(params: Mapping[str, Any], lang: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in params.items():
        if key in LABELS and str(value) in LABELS[key]:
            values[key] = LABELS[key][str(value)][lang]
        elif key in _DATE_KEYS and value:
            values[key] = format_date(value, lang)
        elif (key in _AMOUNT_KEYS and value) or isinstance(value, Decimal):
            values[key] = format_amount(value, lang)
        elif key == "profiles" and isinstance(value, list | tuple):
            values[key] = ", ".join(str(v) for v in value)
        else:
            values[key] = str(value)
    return values


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def message(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The message of an error code, without the field name."""
    templates = ERRORS.get(code)
    if templates is None:
        return code
    return templates[language(lang)].format_map(_Lenient(_values(params, language(lang))))


def describe(violations: Iterable[Violation], lang: str) -> str:
    """One line "field: message" per violation: the details of a gRPC status."""
    return "\n".join(f"{v.field}: {message(v.code, v.params, lang)}" for v in violations)


def summary(kind: str, details: Mapping[str, Any], lang: str) -> str:
    """One sentence for a history entry or a message, e.g. kind "form-answered/rejected"."""
    templates = SUMMARIES.get(kind)
    if templates is None:
        return kind
    return templates[language(lang)].format_map(_Lenient(_values(details, language(lang))))
