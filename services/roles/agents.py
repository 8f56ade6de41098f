"""PrimaWeb agents and their profiles: registration at the first start, what a manager
sees and changes (with who and when, kept in a history), and the profile catalogue.

A profile change takes effect at the agent's next login: the session keeps the profiles
read by StartApplication, and `profiles_changed_at` lets PrimaWeb tell the agent so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from services.roles import access
from services.roles import identifiers as ids
from services.roles.errors import InvalidArgument, NotFound, PermissionDenied
from services.roles.models import Agent, Person, Profile, ProfileAssignment, ProfileChange, utcnow
from services.roles.store import Store

LANGUAGES = ("fr", "nl", "de", "en")
DEFAULT_LANGUAGE = "fr"


@dataclass(frozen=True)
class Assignment:
    profile: str
    assigned_by_nrn: str
    assigned_by_name: str
    assigned_at: datetime


@dataclass
class AgentView:
    nrn: str
    first_name: str
    last_name: str
    registered_at: datetime
    profiles_changed_at: datetime | None
    profiles: list[Assignment] = field(default_factory=list)


@dataclass(frozen=True)
class Started:
    profiles: list[str]
    first_time: bool


@dataclass(frozen=True)
class ProfileEntry:
    code: str
    label: str
    description: str


# --- starting the application ----------------------------------------------------------


def _held_profiles(session: Session, number: str, nrn: str) -> list[str] | None:
    """The agent's profile codes in catalogue order; None when not an agent. One query."""
    rows = session.execute(
        select(Agent.person_nrn, ProfileAssignment.profile_code)
        .select_from(Agent)
        .outerjoin(ProfileAssignment, (ProfileAssignment.enterprise_number == Agent.enterprise_number)
                   & (ProfileAssignment.agent_nrn == Agent.person_nrn))
        .outerjoin(Profile, Profile.code == ProfileAssignment.profile_code)
        .where(Agent.enterprise_number == number, Agent.person_nrn == nrn)
        .order_by(Profile.display_order)
    ).all()
    if not rows:
        return None
    return [r.profile_code for r in rows if r.profile_code is not None]


def start_application(store: Store, acting_nrn: str, enterprise_number: str, application: str,
                      role: str) -> Started:
    """The acting person starts the application in a role they hold; the first time, they
    are registered as an agent of the entity, with no profile."""
    nrn = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    app = access.application(ids.code("application", application))
    role = access.role_of(app, ids.code("role", role))

    def check(session: Session) -> None:
        standing = access.standing(session, nrn, number).require_quality(app.quality)
        if not standing.holds_role(app, role):
            raise PermissionDenied("role", f"{role} is not held by the acting person for this entity")

    # The usual case reads only: two queries, no write lock.
    with store.reading() as session:
        check(session)
        held = _held_profiles(session, number, nrn)
    if held is not None:
        return Started(held, first_time=False)

    def register(session: Session) -> Started:
        check(session)  # again, inside the transaction that writes
        held = _held_profiles(session, number, nrn)
        if held is not None:  # registered meanwhile by a concurrent start
            return Started(held, first_time=False)
        session.add(Agent(enterprise_number=number, person_nrn=nrn, registered_at=utcnow()))
        return Started([], first_time=True)

    return store.writing(register)


# --- agents and their profiles --------------------------------------------------------


def _agent_queries(one: bool):
    """Agents of an entity (or one of them, `one`) by name, and their assignments in
    catalogue order; built once, run with bound parameters."""
    agents = (
        select(Agent.person_nrn, Person.first_name, Person.last_name, Agent.registered_at, Agent.profiles_changed_at)
        .join(Person, Person.nrn == Agent.person_nrn)
        .where(Agent.enterprise_number == bindparam("number"))
        .order_by(Person.last_name, Person.first_name, Person.nrn)
    )
    by = aliased(Person)
    assignments = (
        select(ProfileAssignment.agent_nrn, ProfileAssignment.profile_code, ProfileAssignment.assigned_by_nrn,
               by.first_name, by.last_name, ProfileAssignment.assigned_at)
        .join(Profile, Profile.code == ProfileAssignment.profile_code)
        .join(by, by.nrn == ProfileAssignment.assigned_by_nrn)
        .where(ProfileAssignment.enterprise_number == bindparam("number"))
        .order_by(Profile.display_order)
    )
    if one:
        agents = agents.where(Agent.person_nrn == bindparam("agent"))
        assignments = assignments.where(ProfileAssignment.agent_nrn == bindparam("agent"))
    return agents, assignments


_ALL_AGENTS = _agent_queries(one=False)
_ONE_AGENT = _agent_queries(one=True)


def _agents(session: Session, number: str, agent_nrn: str | None = None) -> list[AgentView]:
    """Agents of the entity (or one of them) with their assignments. Two queries, whatever
    the number of agents."""
    query, assignments = _ONE_AGENT if agent_nrn is not None else _ALL_AGENTS
    params = {"number": number, "agent": agent_nrn}
    agents = {
        r.person_nrn: AgentView(r.person_nrn, r.first_name, r.last_name, r.registered_at, r.profiles_changed_at)
        for r in session.execute(query, params)
    }
    if agents:
        for r in session.execute(assignments, params):
            agents[r.agent_nrn].profiles.append(
                Assignment(r.profile_code, r.assigned_by_nrn, f"{r.first_name} {r.last_name}", r.assigned_at)
            )
    return list(agents.values())


def _agent(session: Session, number: str, agent_nrn: str) -> AgentView:
    found = _agents(session, number, agent_nrn)
    if not found:
        raise NotFound("agent_nrn", "not an agent of this entity")
    return found[0]


def get_agent(store: Store, acting_nrn: str, enterprise_number: str, agent_nrn: str) -> AgentView:
    """An agent's profiles, for the agent themselves or a PrimaWeb manager of the entity."""
    nrn = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    agent = ids.nrn("agent_nrn", agent_nrn)
    with store.reading() as session:
        standing = access.standing(session, nrn, number).require_member()
        if agent != nrn:
            standing.require_primaweb_manager()
        return _agent(session, number, agent)


def list_agents(store: Store, acting_nrn: str, enterprise_number: str) -> list[AgentView]:
    nrn = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    with store.reading() as session:
        access.standing(session, nrn, number).require_primaweb_manager()
        return _agents(session, number)


def _apply(session: Session, registered: Agent, code: str, assign: bool, by_nrn: str, now) -> bool:
    """Assigns or withdraws one profile known to exist; records the change. False when
    there was nothing to do (nothing recorded then)."""
    number, agent = registered.enterprise_number, registered.person_nrn
    held = session.get(ProfileAssignment, (number, agent, code))
    if assign == (held is not None):
        return False
    if assign:
        session.add(ProfileAssignment(enterprise_number=number, agent_nrn=agent, profile_code=code,
                                      assigned_by_nrn=by_nrn, assigned_at=now))
    else:
        session.delete(held)
    session.add(ProfileChange(enterprise_number=number, agent_nrn=agent, profile_code=code,
                              change="assigned" if assign else "withdrawn", changed_by_nrn=by_nrn, changed_at=now))
    registered.profiles_changed_at = now
    return True


def _managed_agent(session: Session, nrn: str, number: str, agent: str) -> Agent:
    access.standing(session, nrn, number).require_primaweb_manager()
    registered = session.get(Agent, (number, agent))
    if registered is None:
        raise NotFound("agent_nrn", "not an agent of this entity")
    return registered


def _change_profile(store: Store, acting_nrn: str, enterprise_number: str, agent_nrn: str, profile: str,
                    assign: bool) -> AgentView:
    nrn = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    agent = ids.nrn("agent_nrn", agent_nrn)
    code = ids.code("profile", profile)

    def work(session: Session) -> AgentView:
        registered = _managed_agent(session, nrn, number, agent)
        if session.get(Profile, code) is None:
            raise InvalidArgument("profile", f"unknown profile {code!r}")
        if _apply(session, registered, code, assign, nrn, utcnow()):
            session.flush()
        return _agent(session, number, agent)

    return store.writing(work)


MAX_PROFILES = 20


def set_profiles(store: Store, acting_nrn: str, enterprise_number: str, agent_nrn: str,
                 profiles: list[str]) -> tuple[AgentView, bool]:
    """Needs "gestion-primaweb" for the entity. The agent holds exactly `profiles`
    afterwards, all changes made in one transaction; an unknown code (all of them are
    named) changes nothing. Returns the agent and whether anything changed."""
    nrn = ids.nrn("acting_nrn", acting_nrn)
    number = ids.enterprise_number("enterprise_number", enterprise_number)
    agent = ids.nrn("agent_nrn", agent_nrn)
    if len(profiles) > MAX_PROFILES:
        raise InvalidArgument("profiles", f"at most {MAX_PROFILES}")
    wanted = {ids.code("profiles", p) for p in profiles}

    def work(session: Session) -> tuple[AgentView, bool]:
        registered = _managed_agent(session, nrn, number, agent)
        known = set(session.scalars(select(Profile.code)))
        if unknown := sorted(wanted - known):
            raise InvalidArgument("profiles", "unknown profile " + ", ".join(repr(c) for c in unknown))
        held = set(session.scalars(select(ProfileAssignment.profile_code).where(
            ProfileAssignment.enterprise_number == number, ProfileAssignment.agent_nrn == agent)))
        now = utcnow()
        for code in sorted(wanted - held):
            _apply(session, registered, code, True, nrn, now)
        for code in sorted(held - wanted):
            _apply(session, registered, code, False, nrn, now)
        session.flush()
        return _agent(session, number, agent), wanted != held

    return store.writing(work)


def assign_profile(store: Store, acting_nrn: str, enterprise_number: str, agent_nrn: str, profile: str) -> AgentView:
    """Needs "gestion-primaweb" for the entity. Assigning a profile held changes nothing."""
    return _change_profile(store, acting_nrn, enterprise_number, agent_nrn, profile, assign=True)


def withdraw_profile(store: Store, acting_nrn: str, enterprise_number: str, agent_nrn: str,
                     profile: str) -> AgentView:
    """Needs "gestion-primaweb" for the entity. Withdrawing a profile not held changes nothing."""
    return _change_profile(store, acting_nrn, enterprise_number, agent_nrn, profile, assign=False)


def profile_history(store: Store, enterprise_number: str, agent_nrn: str) -> list[tuple[str, str, str, datetime]]:
    """(profile, change, changed_by_nrn, changed_at), oldest first: for audits and tests."""
    with store.reading() as session:
        rows = session.execute(
            select(ProfileChange.profile_code, ProfileChange.change, ProfileChange.changed_by_nrn,
                   ProfileChange.changed_at)
            .where(ProfileChange.enterprise_number == enterprise_number, ProfileChange.agent_nrn == agent_nrn)
            .order_by(ProfileChange.changed_at, ProfileChange.id)
        ).all()
    return [tuple(r) for r in rows]


# --- the catalogue --------------------------------------------------------------------


def profile_catalogue(store: Store, language: str) -> list[ProfileEntry]:
    lang = language or DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        raise InvalidArgument("language", f"expected one of {', '.join(LANGUAGES)}")
    label, description = getattr(Profile, f"label_{lang}"), getattr(Profile, f"description_{lang}")
    with store.reading() as session:
        rows = session.execute(select(Profile.code, label, description).order_by(Profile.display_order)).all()
    return [ProfileEntry(*r) for r in rows]
