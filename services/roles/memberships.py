"""What a person is known for (entities and qualities), their application roles, and the
access manager's grants and withdrawals of qualities and roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.roles import access
from services.roles import identifiers as ids
from services.roles.access import EntityView
from services.roles.errors import FailedPrecondition, NotFound
from services.roles.models import ApplicationRole, Entity, Person, QualityHeld, utcnow
from services.roles.store import Store


@dataclass(frozen=True)
class Membership:
    entity: EntityView
    quality_id: str


@dataclass(frozen=True)
class Memberships:
    first_name: str
    last_name: str
    memberships: list[Membership]


def list_memberships(store: Store, acting_nrn: str) -> Memberships:
    """The person's qualities by entity name, then quality; empty for an unknown person."""
    nrn = ids.nrn("acting_nrn", acting_nrn)
    with store.reading() as session:
        rows = session.execute(
            select(Person.first_name, Person.last_name, Entity.enterprise_number, Entity.name, Entity.kind,
                   Entity.commune, QualityHeld.quality_id)
            .select_from(Person)
            .outerjoin(QualityHeld, QualityHeld.person_nrn == Person.nrn)
            .outerjoin(Entity, Entity.enterprise_number == QualityHeld.enterprise_number)
            .where(Person.nrn == nrn)
            .order_by(Entity.name, QualityHeld.quality_id)
        ).all()
    if not rows:
        return Memberships("", "", [])
    return Memberships(
        rows[0].first_name, rows[0].last_name,
        [Membership(EntityView(r.enterprise_number, r.name, r.kind, r.commune), r.quality_id)
         for r in rows if r.quality_id is not None],
    )


def list_application_roles(store: Store, acting_nrn: str, enterprise_number: str, application: str) -> list[str]:
    """The roles the person holds in the application for the entity; needs the quality
    that opens the application."""
    nrn = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    app = access.application(ids.code("application", application))
    with store.reading() as session:
        standing = access.standing(session, nrn, number).require_quality(app.quality)
    return standing.roles_in(app)


# --- access management ---------------------------------------------------------------


@dataclass(frozen=True)
class RoleGrant:
    person_nrn: str
    enterprise_number: str
    application: str
    role: str


def _access_manager(session: Session, acting_nrn: str, enterprise_number: str) -> access.Standing:
    return access.standing(session, acting_nrn, enterprise_number).require_quality(access.GESTION_ACCES)


def grant_quality(store: Store, acting_nrn: str, enterprise_number: str, person_nrn: str,
                  first_name: str, last_name: str, quality_id: str) -> Membership:
    """Grants a quality; a person not known yet is created (then the names are required).
    Granting a quality already held changes nothing."""
    acting = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    person = ids.nrn("person_nrn", person_nrn)
    quality_id = access.quality(ids.code("quality_id", quality_id))

    def work(session: Session) -> Membership:
        standing = _access_manager(session, acting, number)
        if session.get(Person, person) is None:
            session.add(Person(nrn=person, first_name=ids.person_name("first_name", first_name),
                               last_name=ids.person_name("last_name", last_name)))
            session.flush()
        if session.get(QualityHeld, (person, number, quality_id)) is None:
            session.add(QualityHeld(person_nrn=person, enterprise_number=number, quality_id=quality_id,
                                    granted_by_nrn=acting, granted_at=utcnow()))
        return Membership(standing.entity, quality_id)

    return store.writing(work)


def withdraw_quality(store: Store, acting_nrn: str, enterprise_number: str, person_nrn: str,
                     quality_id: str) -> bool:
    """Withdraws a quality; False when it was not held."""
    acting = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    person = ids.nrn("person_nrn", person_nrn)
    quality_id = access.quality(ids.code("quality_id", quality_id))

    def work(session: Session) -> bool:
        _access_manager(session, acting, number)
        removed = session.execute(
            delete(QualityHeld).where(QualityHeld.person_nrn == person, QualityHeld.enterprise_number == number,
                                      QualityHeld.quality_id == quality_id)
        ).rowcount
        # A role is held only with the quality that opens its application (GrantRole
        # checks it), so withdrawing that quality also withdraws the person's roles in those
        # applications for this entity: losing "action-sociale" ends "agent-social" and
        # "gestion-primaweb" there. The agent registration and its profiles stay, as history,
        # and are unusable without the quality and a role.
        opened = [app.id for app in access.APPLICATIONS.values() if app.quality == quality_id]
        if removed and opened:
            session.execute(
                delete(ApplicationRole).where(ApplicationRole.person_nrn == person,
                                              ApplicationRole.enterprise_number == number,
                                              ApplicationRole.application.in_(opened))
            )
        return bool(removed)

    return store.writing(work)


def grant_role(store: Store, acting_nrn: str, enterprise_number: str, person_nrn: str,
               application: str, role: str) -> RoleGrant:
    """Grants an application role to a person who holds the quality opening the application.
    Granting a role already held changes nothing."""
    acting = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    person = ids.nrn("person_nrn", person_nrn)
    app = access.application(ids.code("application", application))
    role = access.role_of(app, ids.code("role", role))

    def work(session: Session) -> RoleGrant:
        _access_manager(session, acting, number)
        if session.get(Person, person) is None:
            raise NotFound("person_nrn", "unknown person")
        if session.get(QualityHeld, (person, number, app.quality)) is None:
            raise FailedPrecondition("person_nrn", f"does not hold the quality {app.quality} for this entity")
        if session.get(ApplicationRole, (person, number, app.id, role)) is None:
            session.add(ApplicationRole(person_nrn=person, enterprise_number=number, application=app.id, role=role,
                                        granted_by_nrn=acting, granted_at=utcnow()))
        return RoleGrant(person, number, app.id, role)

    return store.writing(work)


def withdraw_role(store: Store, acting_nrn: str, enterprise_number: str, person_nrn: str,
                  application: str, role: str) -> bool:
    """Withdraws an application role; False when it was not held."""
    acting = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    person = ids.nrn("person_nrn", person_nrn)
    app = access.application(ids.code("application", application))
    role = access.role_of(app, ids.code("role", role))

    def work(session: Session) -> bool:
        _access_manager(session, acting, number)
        removed = session.execute(
            delete(ApplicationRole).where(ApplicationRole.person_nrn == person,
                                          ApplicationRole.enterprise_number == number,
                                          ApplicationRole.application == app.id, ApplicationRole.role == role)
        ).rowcount
        return bool(removed)

    return store.writing(work)
