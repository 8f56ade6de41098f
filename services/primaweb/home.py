"""The PrimaWeb home: which parts a role and its profiles open, and the entity's true
counts and latest SPP IS messages, each shown only to the profiles that may see them.

The profile codes are the catalogue of the roles service (who holds what); what each
profile *opens* in PrimaWeb is PrimaWeb's own business: the parts here, the actions in
gates.py (a unit test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select

from services.primaweb import forms, messages
from services.primaweb.gates import ROLE_AGENT, ROLE_MANAGER, ROLES, Action, Actor
from services.primaweb.models import File, Form, Message
from services.primaweb.store import Store
from services.primaweb.texts import LANGUAGES

__all__ = ["LANGUAGES", "PARTS", "PROFILES", "ROLES", "Home", "Overview", "UnknownValue", "compose", "overview"]


@dataclass(frozen=True)
class Part:
    id: str
    opened_by: str  # a profile code, or a role for the parts a role opens by itself
    title: dict[str, str]
    description: dict[str, str]


def _t(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


# In display order. A profile may open several parts.
PARTS: tuple[Part, ...] = (
    Part("search-files", "consultation",
         _t("Rechercher un dossier", "Een dossier zoeken", "Eine Akte suchen", "Search for a file"),
         _t("Par numéro, nom ou numéro de registre national.", "Op nummer, naam of rijksregisternummer.",
            "Nach Nummer, Name oder Nationalregisternummer.", "By number, name or national register number.")),
    Part("my-files", "consultation",
         _t("Mes dossiers", "Mijn dossiers", "Meine Akten", "My files"),
         _t("Les dossiers dont vous êtes le travailleur social.",
            "De dossiers waarvan u de maatschappelijk werker bent.",
            "Die Akten, für die Sie als Sozialarbeiter zuständig sind.", "The files you are the social worker of.")),
    Part("new-file-ris", "encodage-ris",
         _t("Nouveau dossier — intégration sociale", "Nieuw dossier — maatschappelijke integratie",
            "Neue Akte — Sozialeingliederung", "New file — social integration"),
         _t("Loi du 26 mai 2002 concernant le droit à l'intégration sociale.",
            "Wet van 26 mei 2002 betreffende het recht op maatschappelijke integratie.",
            "Gesetz vom 26. Mai 2002 über das Recht auf soziale Eingliederung.",
            "Act of 26 May 2002 on the right to social integration.")),
    Part("new-file-social-aid", "encodage-aide-sociale",
         _t("Nouveau dossier — aide sociale", "Nieuw dossier — maatschappelijke dienstverlening",
            "Neue Akte — Sozialhilfe", "New file — social aid"),
         _t("Loi du 2 avril 1965 relative à la prise en charge des secours accordés par les CPAS.",
            "Wet van 2 april 1965 betreffende het ten laste nemen van de steun verleend door de OCMW's.",
            "Gesetz vom 2. April 1965 über die Übernahme der von den ÖSHZ gewährten Unterstützung.",
            "Act of 2 April 1965 on the costs of aid granted by the centres.")),
    Part("forms-to-send", "envoi-formulaires",
         _t("Formulaires à envoyer", "Te versturen formulieren", "Zu sendende Formulare", "Forms to send"),
         _t("Les formulaires de remboursement prêts pour le SPP Intégration sociale.",
            "De terugbetalingsformulieren klaar voor de POD Maatschappelijke Integratie.",
            "Die Erstattungsformulare, bereit für den ÖPD Sozialeingliederung.",
            "The reimbursement forms ready for the PPS Social Integration.")),
    Part("messages", "envoi-formulaires",
         _t("Messages du SPP IS", "Berichten van de POD MI", "Nachrichten des ÖPD SE", "Messages from the PPS SI"),
         _t("Les réponses du SPP Intégration sociale à vos formulaires.",
            "De antwoorden van de POD Maatschappelijke Integratie op uw formulieren.",
            "Die Antworten des ÖPD Sozialeingliederung auf Ihre Formulare.",
            "The answers of the PPS Social Integration to your forms.")),
    Part("reports", "rapports",
         _t("Rapports et statistiques", "Rapporten en statistieken", "Berichte und Statistiken",
            "Reports and statistics"),
         _t("Les chiffres de votre CPAS par loi et par période.", "De cijfers van uw OCMW per wet en per periode.",
            "Die Zahlen Ihres ÖSHZ nach Gesetz und Zeitraum.", "Your centre's figures by law and period.")),
    Part("manage-profiles", ROLE_MANAGER,
         _t("Gestion des profils", "Beheer van de profielen", "Verwaltung der Profile", "Profile management"),
         _t("Attribuer et retirer les profils PrimaWeb des agents de votre CPAS.",
            "De PrimaWeb-profielen van de personeelsleden van uw OCMW toekennen en intrekken.",
            "Die PrimaWeb-Profile der Bediensteten Ihres ÖSHZ zuweisen und entziehen.",
            "Assign and withdraw the PrimaWeb profiles of your centre's staff.")),
)
PROFILES = frozenset(p.opened_by for p in PARTS if p.opened_by not in ROLES)


class UnknownValue(ValueError):
    """A role or profile this PrimaWeb does not know; the message names the field."""


@dataclass(frozen=True)
class Home:
    restricted: bool
    parts: tuple[Part, ...]


def compose(role: str, profiles: list[str]) -> Home:
    """The manager's role opens profile management; an agent's profiles open the rest."""
    if role not in ROLES:
        raise UnknownValue("role: expected agent-social or gestion-primaweb")
    unknown = sorted(set(profiles) - PROFILES)
    if unknown:
        raise UnknownValue(f"profiles: unknown {', '.join(unknown)}")
    if role == ROLE_MANAGER:
        return Home(restricted=False, parts=tuple(p for p in PARTS if p.opened_by == ROLE_MANAGER))
    held = set(profiles)
    parts = tuple(p for p in PARTS if p.opened_by in held)
    return Home(restricted=not parts, parts=parts)


@dataclass(frozen=True)
class Overview:
    """The entity's counts; None where the actor's profiles do not show them."""

    open_files: int | None = None
    my_open_files: int | None = None
    forms_to_send: int | None = None
    unread_messages: int | None = None
    latest_messages: list[messages.MessageView] = field(default_factory=list)


def _count(model, *where):
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


# The four counts of the home in one round trip, the statement built once (a home view is
# the most frequent page): every count on an index of the entity's rows.
_ENTITY = bindparam("entity")
_COUNTS = select(
    _count(File, File.enterprise_number == _ENTITY, File.status == "open"),
    _count(File, File.enterprise_number == _ENTITY, File.status == "open", File.social_worker_nrn == bindparam("nrn")),
    _count(Form, Form.enterprise_number == _ENTITY, Form.status == forms.DRAFT),
    _count(Message, Message.enterprise_number == _ENTITY, Message.read_at.is_(None)),
)


def overview(store: Store, actor: Actor) -> Overview:
    """What the home shows of the entity's data, read in one transaction."""
    if actor.role != ROLE_AGENT:
        return Overview()
    counts_files = actor.may(Action.COUNT_OPEN_FILES)
    counts_forms = actor.may(Action.COUNT_FORMS_TO_SEND)
    reads_messages = actor.may(Action.READ_MESSAGES)
    if not (counts_files or counts_forms or reads_messages):
        return Overview()
    with store.reading_rows() as session:
        open_files, mine, drafts, unread = session.execute(
            _COUNTS, {"entity": actor.entity, "nrn": actor.nrn}).one()
        return Overview(
            open_files=open_files if counts_files else None,
            my_open_files=mine if counts_files else None,
            forms_to_send=drafts if counts_forms else None,
            unread_messages=unread if reads_messages else None,
            latest_messages=messages.latest(session, actor.entity) if reads_messages else [],
        )
