"""The demo world of the roles service, matching the demo eID cards.

    DATABASE_URL=... python -m services.roles.demo_data

DATABASE_URL defaults to the service's own default (RUN_DIR/roles.sqlite3). The schema is
migrated to head first. The demo world is loaded into an empty database only (no person
known yet): once there, its users change it (a manager withdraws a profile...), and a
second run must not grant anything again nor write history in anybody's name, so it
changes nothing (and says so). The service never loads it by itself.

    CPAS de Herstappe   0999000129   Sophie: action-sociale; agent-social; not an agent yet
                                     Marc:   action-sociale, gestion-acces; agent-social,
                                             gestion-primaweb; agent: consultation, rapports
                                     Anne:   action-sociale; agent-social; agent: consultation,
                                             encodage-ris, envoi-formulaires
    CPAS de Liège       0999000228   (nobody of the demo cards)
    CPAS de Namur       0999000327   Anne:   action-sociale; agent-social
    CPAS d'Eupen        0999000426   (nobody of the demo cards)
    Paul (revoked card) is known for nothing.

The enterprise numbers are fictional (0999.000.1xx-style, valid mod-97): no real CPAS
has them. The profile catalogue itself is reference data, seeded by the first migration.
"""

from __future__ import annotations

import sys

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from demo.people import BY_PERSONA as DEMO_PEOPLE
from services.roles import database
from services.roles.access import ACTION_SOCIALE, AGENT_SOCIAL, GESTION_ACCES, GESTION_PRIMAWEB, PRIMAWEB
from services.roles.models import (
    Agent,
    ApplicationRole,
    Entity,
    Person,
    ProfileAssignment,
    ProfileChange,
    QualityHeld,
    utcnow,
)
from services.roles.store import Store

HERSTAPPE = "0999000129"
LIEGE = "0999000228"
NAMUR = "0999000327"
EUPEN = "0999000426"

ENTITIES = [
    (HERSTAPPE, "CPAS de Herstappe", "cpas", "Herstappe"),
    (LIEGE, "CPAS de Liège", "cpas", "Liège"),
    (NAMUR, "CPAS de Namur", "cpas", "Namur"),
    (EUPEN, "CPAS d'Eupen", "cpas", "Eupen"),
]

SOPHIE = DEMO_PEOPLE["social_worker"]
MARC = DEMO_PEOPLE["primaweb_manager"]
ANNE = DEMO_PEOPLE["colleague"]
PAUL = DEMO_PEOPLE["revoked"]

QUALITIES = [
    (SOPHIE, HERSTAPPE, ACTION_SOCIALE),
    (MARC, HERSTAPPE, ACTION_SOCIALE),
    (MARC, HERSTAPPE, GESTION_ACCES),
    (ANNE, HERSTAPPE, ACTION_SOCIALE),
    (ANNE, NAMUR, ACTION_SOCIALE),
]
ROLES = [
    (SOPHIE, HERSTAPPE, AGENT_SOCIAL),
    (MARC, HERSTAPPE, AGENT_SOCIAL),
    (MARC, HERSTAPPE, GESTION_PRIMAWEB),
    (ANNE, HERSTAPPE, AGENT_SOCIAL),
    (ANNE, NAMUR, AGENT_SOCIAL),
]
# Registered agents and their profiles, all assigned by Marc (the manager) at load time.
AGENTS = [
    (MARC, HERSTAPPE, ("consultation", "rapports")),
    (ANNE, HERSTAPPE, ("consultation", "encodage-ris", "envoi-formulaires")),
]
ASSIGNED_BY = MARC


def load(engine: Engine) -> list[str]:
    """Loads the demo world into an empty database; returns what was added (empty when
    the database already held someone: then nothing is added or changed)."""
    added: list[str] = []

    def ensure(session: Session, model, key, what: str, **values) -> bool:
        if session.get(model, key) is not None:
            return False
        session.add(model(**values))
        session.flush()
        added.append(what)
        return True

    def work(session: Session) -> None:
        added.clear()
        if session.scalar(select(Person.nrn).limit(1)) is not None:
            return  # in use: what is there may have been changed by its users since
        now = utcnow()
        for person in (SOPHIE, MARC, ANNE, PAUL):
            ensure(session, Person, person.nrn, f"person {person.first_name} {person.last_name}",
                   nrn=person.nrn, first_name=person.first_name, last_name=person.last_name, created_at=now)
        for number, name, kind, commune in ENTITIES:
            ensure(session, Entity, number, f"entity {name} ({number})",
                   enterprise_number=number, name=name, kind=kind, commune=commune)
        for person, number, quality in QUALITIES:
            ensure(session, QualityHeld, (person.nrn, number, quality),
                   f"quality {quality}: {person.first_name} at {number}",
                   person_nrn=person.nrn, enterprise_number=number, quality_id=quality, granted_at=now)
        for person, number, role in ROLES:
            ensure(session, ApplicationRole, (person.nrn, number, PRIMAWEB, role),
                   f"role {PRIMAWEB}/{role}: {person.first_name} at {number}",
                   person_nrn=person.nrn, enterprise_number=number, application=PRIMAWEB, role=role, granted_at=now)
        for person, number, profiles in AGENTS:
            ensure(session, Agent, (number, person.nrn), f"agent {person.first_name}",
                   enterprise_number=number, person_nrn=person.nrn, registered_at=now)
            for code in profiles:
                if ensure(session, ProfileAssignment, (number, person.nrn, code),
                          f"profile {code}: {person.first_name}",
                          enterprise_number=number, agent_nrn=person.nrn, profile_code=code,
                          assigned_by_nrn=ASSIGNED_BY.nrn, assigned_at=now):
                    session.add(ProfileChange(enterprise_number=number, agent_nrn=person.nrn, profile_code=code,
                                              change="assigned", changed_by_nrn=ASSIGNED_BY.nrn, changed_at=now))
                    session.get(Agent, (number, person.nrn)).profiles_changed_at = now

    Store(engine).writing(work)
    return list(added)


def main() -> None:
    database.DATABASE.load_demo(load, "rows added")


if __name__ == "__main__":
    sys.exit(main())
