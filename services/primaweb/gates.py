"""Who may do what in PrimaWeb: the acting agent (as the gateway's session says) and the
one table of which role and profiles open each action.

The profile codes are the roles service's catalogue (who holds what); what each profile
*opens* in PrimaWeb is PrimaWeb's own business, and lives here only. The table, also
written out in the comments of proto/ssp/primaweb/v1/primaweb.proto:

    action                                       role           profile (any of)
    search files, my files, view a file          agent-social   consultation
    create / decide / close a file               agent-social   encodage-ris (law of 26 May 2002)
                                                                encodage-aide-sociale (law of 2 April 1965)
    prepare / update / discard / send / correct  agent-social   envoi-formulaires
      a form
    list forms, view a form                      agent-social   envoi-formulaires, consultation
    read messages, mark them read                agent-social   consultation, envoi-formulaires
    home: open files, my open files              agent-social   consultation
    home: forms to send                          agent-social   envoi-formulaires

PrimaWeb cannot verify the profiles itself without calling the roles service (services
do not call each other in chains): it trusts the snapshot the gateway's session took at
login, over mutual TLS where only the gateway may call these methods, and checks
everything it can (formats, known codes, the entity on every row it touches).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.primaweb import texts, validation
from services.primaweb.errors import PermissionDenied, Problems

ROLE_AGENT = "agent-social"
ROLE_MANAGER = "gestion-primaweb"
ROLES = (ROLE_AGENT, ROLE_MANAGER)

CONSULTATION = "consultation"
ENCODAGE_RIS = "encodage-ris"
ENCODAGE_AIDE_SOCIALE = "encodage-aide-sociale"
ENVOI_FORMULAIRES = "envoi-formulaires"
RAPPORTS = "rapports"
PROFILES = frozenset({CONSULTATION, ENCODAGE_RIS, ENCODAGE_AIDE_SOCIALE, ENVOI_FORMULAIRES, RAPPORTS})

LAW_RIS = "ris-2002"  # loi du 26 mai 2002 concernant le droit à l'intégration sociale
LAW_AIDE_SOCIALE = "aide-sociale-1965"  # loi du 2 avril 1965 (prise en charge des secours)
LAWS = (LAW_RIS, LAW_AIDE_SOCIALE)


class Action(StrEnum):
    SEARCH_FILES = "search-files"
    VIEW_FILE = "view-file"
    CHANGE_FILE = "change-file"  # create, record a decision, close: the profile depends on the law
    CHANGE_FILE_ANY_LAW = "change-file-any-law"  # the first check, before the file's law is known
    HANDLE_FORMS = "handle-forms"  # prepare, update, discard, send, correct
    VIEW_FORMS = "view-forms"
    READ_MESSAGES = "read-messages"
    COUNT_OPEN_FILES = "count-open-files"
    COUNT_FORMS_TO_SEND = "count-forms-to-send"


# The gate table: the profiles (any of) that open each action, for the role agent-social.
GATES: dict[Action, tuple[str, ...]] = {
    Action.SEARCH_FILES: (CONSULTATION,),
    Action.VIEW_FILE: (CONSULTATION,),
    Action.HANDLE_FORMS: (ENVOI_FORMULAIRES,),
    Action.VIEW_FORMS: (ENVOI_FORMULAIRES, CONSULTATION),
    Action.READ_MESSAGES: (CONSULTATION, ENVOI_FORMULAIRES),
    Action.COUNT_OPEN_FILES: (CONSULTATION,),
    Action.COUNT_FORMS_TO_SEND: (ENVOI_FORMULAIRES,),
}
# CHANGE_FILE: the profile of the file's law.
LAW_GATES: dict[str, tuple[str, ...]] = {
    LAW_RIS: (ENCODAGE_RIS,),
    LAW_AIDE_SOCIALE: (ENCODAGE_AIDE_SOCIALE,),
}
GATES[Action.CHANGE_FILE_ANY_LAW] = tuple(p for law in LAWS for p in LAW_GATES[law])


def profiles_for(action: Action, law: str | None = None) -> tuple[str, ...]:
    if action is Action.CHANGE_FILE:
        if law not in LAW_GATES:
            raise ValueError(f"{action} needs a law, got {law!r}")
        return LAW_GATES[law]
    return GATES[action]


@dataclass(frozen=True)
class Actor:
    """The agent acting, for one entity (the CPAS), as the session holds them."""

    nrn: str
    entity: str  # enterprise number
    role: str
    profiles: frozenset[str]
    name: str
    language: str

    def may(self, action: Action, law: str | None = None) -> bool:
        return self.role == ROLE_AGENT and bool(self.profiles.intersection(profiles_for(action, law)))

    def require(self, action: Action, law: str | None = None, *, prefix: str = "actor.") -> Actor:
        """PermissionDenied naming the role or the profiles missing."""
        if self.role != ROLE_AGENT:
            raise PermissionDenied(f"{prefix}role", "role-required", role=ROLE_AGENT)
        needed = profiles_for(action, law)
        if not self.profiles.intersection(needed):
            raise PermissionDenied(f"{prefix}profiles", "profile-required", profiles=list(needed))
        return self


def actor(acting_nrn: str, entity_id: str, role: str, profiles: list[str], display_name: str = "",
          language: str = "", *, prefix: str = "actor.") -> Actor:
    """The actor of a request, every field checked: InvalidArgument listing all problems
    (fields named `prefix` + name, e.g. "actor.acting_nrn")."""
    with Problems() as problems:
        nrn = problems.check(validation.nrn, f"{prefix}acting_nrn", acting_nrn)
        entity = problems.check(validation.enterprise_number, f"{prefix}entity_id", entity_id)
        if role not in ROLES:
            problems.add(f"{prefix}role", "unknown-value", value=role or '""')
        unknown = sorted(set(profiles) - PROFILES)
        if unknown:
            problems.add(f"{prefix}profiles", "unknown-value", value=", ".join(unknown))
        name = problems.check(validation.text, f"{prefix}display_name", display_name, maximum=200, required=False)
        if language and language not in texts.LANGUAGES:
            problems.add(f"{prefix}language", "unknown-value", value=language)
    return Actor(nrn, entity, role, frozenset(profiles), name or nrn, texts.language(language))
