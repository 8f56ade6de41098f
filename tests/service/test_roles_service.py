"""The roles service over real gRPC on loopback, on a real database: every test runs on
SQLite (a temporary file) and on PostgreSQL (the session's cluster), with the demo data
loaded afresh before each test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from sqlalchemy import delete, func, inspect, select

from services.roles import agents, database, demo_data, models, server
from services.roles.demo_data import ANNE, EUPEN, HERSTAPPE, LIEGE, MARC, NAMUR, PAUL, SOPHIE
from services.roles.store import Store
from ssp.roles.v1 import roles_pb2 as pb
from ssp.roles.v1 import roles_pb2_grpc
from tests.service.grpc_support import serving
from tests.support import ROOT, free_port

# Fictional persons for the tests (valid check digits), unknown to the demo data.
NORA = "90020199803"  # made PrimaWeb manager of the CPAS de Namur by some tests
NEWCOMER = "91031599601"
STRANGER = "85070799448"
PRIMAWEB = "primaweb"

# Children first: the order in which the tables are emptied between tests. The profile
# catalogue is reference data from the migration and stays.
_TABLES = [models.ProfileChange, models.ProfileAssignment, models.Agent, models.ApplicationRole,
           models.QualityHeld, models.Entity, models.Person]


def _url(backend: str, name: str, tmp_path_factory, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'roles.sqlite3'}"
    return request.getfixturevalue("postgres_server").create_database(name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    engine = database.make_engine(_url(request.param, "roles_service", tmp_path_factory, request))
    database.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def channel(engine):
    with serving(server.registrar(Store(engine))) as ch:
        yield ch


@pytest.fixture
def demo(engine):
    with engine.begin() as connection:
        for table in _TABLES:
            connection.execute(delete(table))
    assert demo_data.load(engine)
    return engine


@pytest.fixture
def roles(channel, demo):
    return roles_pb2_grpc.RolesStub(channel)


@pytest.fixture
def access(channel, demo):
    return roles_pb2_grpc.AccessManagementStub(channel)


def refused(call, code: grpc.StatusCode, field: str | None = None) -> str:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == code, err.value.details()
    if field is not None:
        assert err.value.details().startswith(f"{field}:"), err.value.details()
    return err.value.details()


def start(roles, nrn: str, number: str = HERSTAPPE, role: str = "agent-social") -> pb.StartApplicationResponse:
    return roles.StartApplication(pb.StartApplicationRequest(acting_nrn=nrn, enterprise_number=number,
                                                             application=PRIMAWEB, role=role))


def app_roles(roles, nrn: str, number: str = HERSTAPPE) -> list[str]:
    return list(roles.ListApplicationRoles(pb.ListApplicationRolesRequest(
        acting_nrn=nrn, enterprise_number=number, application=PRIMAWEB)).roles)


def change(nrn: str, agent: str, profile: str, number: str = HERSTAPPE) -> pb.ChangeProfileRequest:
    return pb.ChangeProfileRequest(acting_nrn=nrn, enterprise_number=number, agent_nrn=agent, profile=profile)


def get_agent(roles, nrn: str, agent: str, number: str = HERSTAPPE) -> pb.Agent:
    return roles.GetAgent(pb.GetAgentRequest(acting_nrn=nrn, enterprise_number=number, agent_nrn=agent))


def codes(agent: pb.Agent) -> list[str]:
    return [p.profile for p in agent.profiles]


def make_namur_manager(engine) -> None:
    """Nora: action-sociale and gestion-primaweb at the CPAS de Namur (straight into the
    database: the demo world has no access manager there)."""
    with engine.begin() as c:
        c.execute(models.Person.__table__.insert().values(nrn=NORA, first_name="Nora", last_name="Demo-Namur",
                                                          created_at=models.utcnow()))
        c.execute(models.QualityHeld.__table__.insert().values(
            person_nrn=NORA, enterprise_number=NAMUR, quality_id="action-sociale", granted_at=models.utcnow()))
        for role in ("agent-social", "gestion-primaweb"):
            c.execute(models.ApplicationRole.__table__.insert().values(
                person_nrn=NORA, enterprise_number=NAMUR, application=PRIMAWEB, role=role,
                granted_at=models.utcnow()))


# --- the server ----------------------------------------------------------------------


def test_health_and_reflection_announce_both_services(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", "ssp.roles.v1.Roles", "ssp.roles.v1.AccessManagement"):
        assert health.Check(health_pb2.HealthCheckRequest(service=name)).status == \
            health_pb2.HealthCheckResponse.SERVING
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = {s.name for reply in replies for s in reply.list_services_response.service}
    assert {"ssp.roles.v1.Roles", "ssp.roles.v1.AccessManagement"} <= names


# --- demo data and memberships ---------------------------------------------------------


def test_demo_data_loaded_twice_changes_nothing(demo):
    def counts():
        with demo.connect() as c:
            return [c.execute(select(func.count()).select_from(t)).scalar_one() for t in _TABLES]

    before = counts()
    assert demo_data.load(demo) == []
    assert counts() == before
    assert before[-2:] == [4, 4]  # entities, persons


def test_a_second_demo_load_never_grants_again_a_profile_a_manager_withdrew(demo):
    """Issue 12: the demo is loaded into an empty database only; history stays as it was."""
    store = Store(demo)
    agents.withdraw_profile(store, MARC.nrn, HERSTAPPE, ANNE.nrn, "encodage-ris")
    history = agents.profile_history(store, HERSTAPPE, ANNE.nrn)
    assert history[-1][:3] == ("encodage-ris", "withdrawn", MARC.nrn)
    assert demo_data.load(demo) == []
    assert agents.profile_history(store, HERSTAPPE, ANNE.nrn) == history
    held = {p.profile for p in agents.get_agent(store, MARC.nrn, HERSTAPPE, ANNE.nrn).profiles}
    assert held == {"consultation", "envoi-formulaires"}


def test_memberships_of_each_demo_person(roles):
    def memberships(nrn):
        reply = roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=nrn))
        return reply.first_name, reply.last_name, [(m.entity.name, m.quality_id) for m in reply.memberships]

    assert memberships(SOPHIE.nrn) == ("Sophie", "Demo-Lambert", [("CPAS de Herstappe", "action-sociale")])
    assert memberships(MARC.nrn) == ("Marc", "Demo-Dubois", [("CPAS de Herstappe", "action-sociale"),
                                                             ("CPAS de Herstappe", "gestion-acces")])
    assert memberships(ANNE.nrn) == ("Anne", "Demo-Peeters", [("CPAS de Herstappe", "action-sociale"),
                                                              ("CPAS de Namur", "action-sociale")])
    assert memberships(PAUL.nrn) == ("Paul", "Demo-Revoked", [])
    assert memberships(STRANGER) == ("", "", [])
    entity = roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=SOPHIE.nrn)).memberships[0].entity
    assert (entity.enterprise_number, entity.kind, entity.commune) == (HERSTAPPE, "cpas", "Herstappe")


def test_application_roles_need_action_sociale_for_the_entity(roles, access):
    assert app_roles(roles, SOPHIE.nrn) == ["agent-social"]
    assert app_roles(roles, MARC.nrn) == ["agent-social", "gestion-primaweb"]
    assert app_roles(roles, ANNE.nrn, NAMUR) == ["agent-social"]
    refused(lambda: app_roles(roles, SOPHIE.nrn, NAMUR), grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    refused(lambda: app_roles(roles, PAUL.nrn), grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    # A quality other than the one opening PrimaWeb is not enough.
    access.GrantQuality(pb.QualityRequest(acting_nrn=MARC.nrn, enterprise_number=HERSTAPPE, person_nrn=PAUL.nrn,
                                          quality_id="gestion-acces"))
    refused(lambda: app_roles(roles, PAUL.nrn), grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    refused(lambda: roles.ListApplicationRoles(pb.ListApplicationRolesRequest(
        acting_nrn=SOPHIE.nrn, enterprise_number=HERSTAPPE, application="tetris")),
        grpc.StatusCode.INVALID_ARGUMENT, "application")


# --- starting PrimaWeb -----------------------------------------------------------------


def test_first_start_registers_sophie_with_no_profile(roles):
    refused(lambda: get_agent(roles, SOPHIE.nrn, SOPHIE.nrn), grpc.StatusCode.NOT_FOUND, "agent_nrn")
    before = datetime.now(UTC)
    first = start(roles, SOPHIE.nrn)
    assert (list(first.profiles), first.first_time) == ([], True)
    second = start(roles, SOPHIE.nrn)
    assert (list(second.profiles), second.first_time) == ([], False)
    agent = get_agent(roles, SOPHIE.nrn, SOPHIE.nrn)
    assert (agent.first_name, agent.last_name, codes(agent)) == ("Sophie", "Demo-Lambert", [])
    assert before <= agent.registered_at.ToDatetime(tzinfo=UTC) <= datetime.now(UTC)
    assert not agent.HasField("profiles_changed_at")


def test_start_returns_the_profiles_held_now(roles):
    started = start(roles, MARC.nrn, role="gestion-primaweb")
    assert (list(started.profiles), started.first_time) == (["consultation", "rapports"], False)
    assert list(start(roles, ANNE.nrn).profiles) == ["consultation", "encodage-ris", "envoi-formulaires"]


def test_start_in_a_role_not_held_or_elsewhere_is_refused(roles):
    refused(lambda: start(roles, SOPHIE.nrn, role="gestion-primaweb"), grpc.StatusCode.PERMISSION_DENIED, "role")
    refused(lambda: start(roles, SOPHIE.nrn, NAMUR), grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    refused(lambda: start(roles, PAUL.nrn), grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    refused(lambda: start(roles, SOPHIE.nrn, role="astronaute"), grpc.StatusCode.INVALID_ARGUMENT, "role")
    refused(lambda: get_agent(roles, SOPHIE.nrn, SOPHIE.nrn), grpc.StatusCode.NOT_FOUND)  # nothing registered


def test_concurrent_first_starts_register_the_agent_once(roles):
    replies: list[pb.StartApplicationResponse] = []
    barrier = threading.Barrier(6)

    def go():
        barrier.wait()
        replies.append(start(roles, SOPHIE.nrn))

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.first_time for r in replies) == [False] * 5 + [True]


# --- managing profiles -------------------------------------------------------------------


def test_manager_assigns_a_profile_to_sophie(roles, demo):
    start(roles, SOPHIE.nrn)
    before = datetime.now(UTC)
    agent = roles.AssignProfile(change(MARC.nrn, SOPHIE.nrn, "encodage-ris"))
    after = datetime.now(UTC)
    assert codes(agent) == ["encodage-ris"]
    given = agent.profiles[0]
    assert (given.assigned_by_nrn, given.assigned_by_name) == (MARC.nrn, "Marc Demo-Dubois")
    assert before <= given.assigned_at.ToDatetime(tzinfo=UTC) <= after
    assert agent.profiles_changed_at == given.assigned_at
    seen_by_sophie = get_agent(roles, SOPHIE.nrn, SOPHIE.nrn)
    assert seen_by_sophie == agent
    # Taken at the next start (the session keeps what it read at login).
    assert list(start(roles, SOPHIE.nrn).profiles) == ["encodage-ris"]
    history = agents.profile_history(Store(demo), HERSTAPPE, SOPHIE.nrn)
    assert [(p, c, by) for p, c, by, _ in history] == [("encodage-ris", "assigned", MARC.nrn)]


def set_profiles(roles, agent: str, profiles: list[str], nrn: str = MARC.nrn) -> pb.SetProfilesResponse:
    return roles.SetProfiles(pb.SetProfilesRequest(acting_nrn=nrn, enterprise_number=HERSTAPPE, agent_nrn=agent,
                                                   profiles=profiles))


def test_setting_profiles_is_all_or_nothing_and_names_every_unknown_code(roles, demo):
    store = Store(demo)
    history = agents.profile_history(store, HERSTAPPE, ANNE.nrn)
    details = refused(lambda: set_profiles(roles, ANNE.nrn, ["consultation", "rapports", "astronaute", "zz"]),
                      grpc.StatusCode.INVALID_ARGUMENT, "profiles")
    assert "'astronaute'" in details and "'zz'" in details
    assert codes(get_agent(roles, MARC.nrn, ANNE.nrn)) == ["consultation", "encodage-ris", "envoi-formulaires"]
    assert agents.profile_history(store, HERSTAPPE, ANNE.nrn) == history
    refused(lambda: set_profiles(roles, ANNE.nrn, ["consultation"], nrn=ANNE.nrn), grpc.StatusCode.PERMISSION_DENIED)

    saved = set_profiles(roles, ANNE.nrn, ["consultation", "rapports"])
    assert saved.changed and codes(saved.agent) == ["consultation", "rapports"]
    changes = [(p, c) for p, c, _, _ in agents.profile_history(store, HERSTAPPE, ANNE.nrn)[len(history):]]
    assert sorted(changes) == [("encodage-ris", "withdrawn"), ("envoi-formulaires", "withdrawn"),
                               ("rapports", "assigned")]
    again = set_profiles(roles, ANNE.nrn, ["rapports", "consultation"])
    assert not again.changed and len(agents.profile_history(store, HERSTAPPE, ANNE.nrn)) == len(history) + 3


def test_assigning_a_held_profile_or_withdrawing_one_not_held_records_nothing(roles, demo):
    start(roles, SOPHIE.nrn)
    first = roles.AssignProfile(change(MARC.nrn, SOPHIE.nrn, "consultation"))
    again = roles.AssignProfile(change(MARC.nrn, SOPHIE.nrn, "consultation"))
    assert again == first
    assert roles.WithdrawProfile(change(MARC.nrn, SOPHIE.nrn, "rapports")) == first
    store = Store(demo)
    assert len(agents.profile_history(store, HERSTAPPE, SOPHIE.nrn)) == 1
    withdrawn = roles.WithdrawProfile(change(MARC.nrn, SOPHIE.nrn, "consultation"))
    assert codes(withdrawn) == []
    assert withdrawn.profiles_changed_at.ToDatetime() > first.profiles_changed_at.ToDatetime()
    assert [c for _, c, _, _ in agents.profile_history(store, HERSTAPPE, SOPHIE.nrn)] == ["assigned", "withdrawn"]


def test_an_agent_cannot_change_profiles_not_even_her_own(roles):
    start(roles, SOPHIE.nrn)
    for call in (roles.AssignProfile, roles.WithdrawProfile):
        refused(lambda call=call: call(change(SOPHIE.nrn, SOPHIE.nrn, "consultation")),
                grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
        refused(lambda call=call: call(change(ANNE.nrn, SOPHIE.nrn, "consultation")),
                grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    assert codes(get_agent(roles, SOPHIE.nrn, SOPHIE.nrn)) == []


def test_an_agent_reads_only_herself_a_manager_reads_everyone(roles):
    start(roles, SOPHIE.nrn)
    refused(lambda: get_agent(roles, SOPHIE.nrn, ANNE.nrn), grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    refused(lambda: roles.ListAgents(pb.ListAgentsRequest(acting_nrn=SOPHIE.nrn, enterprise_number=HERSTAPPE)),
            grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    assert codes(get_agent(roles, MARC.nrn, ANNE.nrn)) == ["consultation", "encodage-ris", "envoi-formulaires"]
    listed = roles.ListAgents(pb.ListAgentsRequest(acting_nrn=MARC.nrn, enterprise_number=HERSTAPPE)).agents
    assert [(a.last_name, codes(a)) for a in listed] == [
        ("Demo-Dubois", ["consultation", "rapports"]),
        ("Demo-Lambert", []),
        ("Demo-Peeters", ["consultation", "encodage-ris", "envoi-formulaires"]),
    ]
    assert all(p.assigned_by_name == "Marc Demo-Dubois" for a in listed for p in a.profiles)


def test_the_target_must_be_an_agent_of_the_entity_and_the_profile_known(roles):
    # Sophie has not started PrimaWeb yet: not an agent.
    refused(lambda: roles.AssignProfile(change(MARC.nrn, SOPHIE.nrn, "consultation")),
            grpc.StatusCode.NOT_FOUND, "agent_nrn")
    refused(lambda: get_agent(roles, MARC.nrn, PAUL.nrn), grpc.StatusCode.NOT_FOUND, "agent_nrn")
    refused(lambda: roles.AssignProfile(change(MARC.nrn, ANNE.nrn, "astronaute")),
            grpc.StatusCode.INVALID_ARGUMENT, "profile")
    refused(lambda: roles.AssignProfile(change(MARC.nrn, ANNE.nrn, "Consultation!")),
            grpc.StatusCode.INVALID_ARGUMENT, "profile")


# --- one entity never sees another's data ----------------------------------------------


def test_an_agent_of_herstappe_gets_nothing_about_namur(roles):
    start(roles, ANNE.nrn, NAMUR)
    refused(lambda: get_agent(roles, SOPHIE.nrn, ANNE.nrn, NAMUR), grpc.StatusCode.PERMISSION_DENIED)
    refused(lambda: get_agent(roles, SOPHIE.nrn, SOPHIE.nrn, NAMUR), grpc.StatusCode.PERMISSION_DENIED)
    refused(lambda: app_roles(roles, SOPHIE.nrn, NAMUR), grpc.StatusCode.PERMISSION_DENIED)
    refused(lambda: roles.ListAgents(pb.ListAgentsRequest(acting_nrn=SOPHIE.nrn, enterprise_number=NAMUR)),
            grpc.StatusCode.PERMISSION_DENIED)


def test_a_manager_of_one_cpas_cannot_touch_another(roles, access, demo):
    make_namur_manager(demo)
    start(roles, ANNE.nrn, NAMUR)
    # Marc manages Herstappe, not Namur; Nora manages Namur, not Herstappe.
    for acting, number in ((MARC.nrn, NAMUR), (NORA, HERSTAPPE)):
        refused(lambda a=acting, n=number: roles.AssignProfile(change(a, ANNE.nrn, "rapports", n)),
                grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
        refused(lambda a=acting, n=number: roles.WithdrawProfile(change(a, ANNE.nrn, "consultation", n)),
                grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
        refused(lambda a=acting, n=number: roles.ListAgents(pb.ListAgentsRequest(acting_nrn=a, enterprise_number=n)),
                grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
        refused(lambda a=acting, n=number: get_agent(roles, a, ANNE.nrn, n), grpc.StatusCode.PERMISSION_DENIED)
    refused(lambda: access.GrantQuality(pb.QualityRequest(
        acting_nrn=MARC.nrn, enterprise_number=NAMUR, person_nrn=SOPHIE.nrn, quality_id="action-sociale")),
        grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")
    # Profiles are per entity: what Nora gives Anne in Namur does not show in Herstappe.
    herstappe_before = get_agent(roles, MARC.nrn, ANNE.nrn)
    assert codes(roles.AssignProfile(change(NORA, ANNE.nrn, "rapports", NAMUR))) == ["rapports"]
    assert get_agent(roles, MARC.nrn, ANNE.nrn) == herstappe_before
    assert list(start(roles, ANNE.nrn, NAMUR).profiles) == ["rapports"]
    assert list(start(roles, ANNE.nrn).profiles) == ["consultation", "encodage-ris", "envoi-formulaires"]


# --- identifiers ---------------------------------------------------------------------------


BAD_NRNS = ["", "7805140840", "78051408406", "78.05.14-084.05", "780514084O5"]
BAD_NUMBERS = ["", "0999000120", "BE0999000129", "0999.000.129", "999000129", "2999000129"]


@pytest.mark.parametrize("value", BAD_NRNS)
def test_malformed_national_register_numbers_are_refused_naming_the_field(roles, access, value):
    refused(lambda: roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=value)),
            grpc.StatusCode.INVALID_ARGUMENT, "acting_nrn")
    refused(lambda: get_agent(roles, MARC.nrn, value), grpc.StatusCode.INVALID_ARGUMENT, "agent_nrn")
    refused(lambda: access.GrantQuality(pb.QualityRequest(
        acting_nrn=MARC.nrn, enterprise_number=HERSTAPPE, person_nrn=value, first_name="X", last_name="Y",
        quality_id="action-sociale")), grpc.StatusCode.INVALID_ARGUMENT, "person_nrn")


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_malformed_enterprise_numbers_are_refused_naming_the_field(roles, access, value):
    refused(lambda: app_roles(roles, SOPHIE.nrn, value), grpc.StatusCode.INVALID_ARGUMENT, "enterprise_number")
    refused(lambda: roles.AssignProfile(change(MARC.nrn, ANNE.nrn, "rapports", value)),
            grpc.StatusCode.INVALID_ARGUMENT, "enterprise_number")
    refused(lambda: access.WithdrawRole(pb.RoleRequest(acting_nrn=MARC.nrn, enterprise_number=value,
                                                       person_nrn=ANNE.nrn, application=PRIMAWEB,
                                                       role="agent-social")),
            grpc.StatusCode.INVALID_ARGUMENT, "enterprise_number")


def test_an_unknown_entity_is_not_found(roles):
    unknown = "0999000525"  # valid check digits, no such entity
    refused(lambda: app_roles(roles, SOPHIE.nrn, unknown), grpc.StatusCode.NOT_FOUND, "enterprise_number")
    refused(lambda: get_agent(roles, SOPHIE.nrn, SOPHIE.nrn, unknown), grpc.StatusCode.NOT_FOUND)


# --- the profile catalogue -----------------------------------------------------------------


def test_the_profile_catalogue_in_each_language(roles):
    expected = ["consultation", "encodage-ris", "encodage-aide-sociale", "envoi-formulaires", "rapports"]
    by_language = {
        lang: roles.ListProfileCatalogue(pb.ListProfileCatalogueRequest(language=lang)).profiles
        for lang in ("", "fr", "nl", "de", "en")
    }
    for profiles in by_language.values():
        assert [p.code for p in profiles] == expected
        assert all(p.label and p.description for p in profiles)
    assert by_language[""] == by_language["fr"]
    assert by_language["fr"][0].label == "Consultation des dossiers"
    assert by_language["fr"][1].label == \
        "Encodage — loi du 26 mai 2002 concernant le droit à l'intégration sociale"
    assert by_language["nl"][4].label == "Rapporten en statistieken"
    assert by_language["de"][3].label == "Versand der Erstattungsformulare an den ÖPD Sozialeingliederung"
    assert by_language["en"][0].label == "Consulting files"
    refused(lambda: roles.ListProfileCatalogue(pb.ListProfileCatalogueRequest(language="it")),
            grpc.StatusCode.INVALID_ARGUMENT, "language")


# --- access management ---------------------------------------------------------------------


def quality(acting: str, person: str, quality_id: str = "action-sociale", number: str = HERSTAPPE,
            first: str = "", last: str = "") -> pb.QualityRequest:
    return pb.QualityRequest(acting_nrn=acting, enterprise_number=number, person_nrn=person, first_name=first,
                             last_name=last, quality_id=quality_id)


def role(acting: str, person: str, role_id: str = "agent-social", number: str = HERSTAPPE) -> pb.RoleRequest:
    return pb.RoleRequest(acting_nrn=acting, enterprise_number=number, person_nrn=person, application=PRIMAWEB,
                          role=role_id)


def test_access_manager_grants_a_quality_to_a_new_person(roles, access):
    refused(lambda: access.GrantQuality(quality(MARC.nrn, NEWCOMER)), grpc.StatusCode.INVALID_ARGUMENT, "first_name")
    granted = access.GrantQuality(quality(MARC.nrn, NEWCOMER, first="Noé", last="Demo-Nouveau"))
    assert (granted.entity.name, granted.quality_id) == ("CPAS de Herstappe", "action-sociale")
    assert access.GrantQuality(quality(MARC.nrn, NEWCOMER)) == granted  # known now; held already
    reply = roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=NEWCOMER))
    assert (reply.first_name, reply.last_name) == ("Noé", "Demo-Nouveau")
    assert [(m.entity.enterprise_number, m.quality_id) for m in reply.memberships] == [(HERSTAPPE, "action-sociale")]
    refused(lambda: access.GrantQuality(quality(MARC.nrn, NEWCOMER, "astronaute")),
            grpc.StatusCode.INVALID_ARGUMENT, "quality_id")


def test_a_role_needs_action_sociale_for_the_entity(roles, access):
    refused(lambda: access.GrantRole(role(MARC.nrn, STRANGER)), grpc.StatusCode.NOT_FOUND, "person_nrn")
    refused(lambda: access.GrantRole(role(MARC.nrn, PAUL.nrn)), grpc.StatusCode.FAILED_PRECONDITION, "person_nrn")
    access.GrantQuality(quality(MARC.nrn, PAUL.nrn))
    grant = access.GrantRole(role(MARC.nrn, PAUL.nrn))
    assert (grant.person_nrn, grant.enterprise_number, grant.application, grant.role) == \
        (PAUL.nrn, HERSTAPPE, PRIMAWEB, "agent-social")
    assert access.GrantRole(role(MARC.nrn, PAUL.nrn)) == grant
    assert app_roles(roles, PAUL.nrn) == ["agent-social"]
    refused(lambda: access.GrantRole(role(MARC.nrn, PAUL.nrn, "astronaute")), grpc.StatusCode.INVALID_ARGUMENT,
            "role")


def test_withdrawing_action_sociale_withdraws_the_roles_that_need_it(roles, access):
    assert access.WithdrawQuality(quality(MARC.nrn, SOPHIE.nrn)).changed
    assert not access.WithdrawQuality(quality(MARC.nrn, SOPHIE.nrn)).changed
    assert list(roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=SOPHIE.nrn)).memberships) == []
    refused(lambda: start(roles, SOPHIE.nrn), grpc.StatusCode.PERMISSION_DENIED)
    access.GrantQuality(quality(MARC.nrn, SOPHIE.nrn))
    assert app_roles(roles, SOPHIE.nrn) == []  # the role went with the quality


def test_withdrawing_a_role(roles, access):
    assert access.WithdrawRole(role(MARC.nrn, ANNE.nrn)).changed
    assert not access.WithdrawRole(role(MARC.nrn, ANNE.nrn)).changed
    refused(lambda: start(roles, ANNE.nrn), grpc.StatusCode.PERMISSION_DENIED, "role")
    assert app_roles(roles, ANNE.nrn, NAMUR) == ["agent-social"]  # Namur is another matter


def test_only_an_access_manager_of_the_entity_manages_access(access):
    for acting, number in ((SOPHIE.nrn, HERSTAPPE), (MARC.nrn, NAMUR), (MARC.nrn, LIEGE), (MARC.nrn, EUPEN)):
        for call in (lambda a=acting, n=number: access.GrantQuality(quality(a, PAUL.nrn, number=n)),
                     lambda a=acting, n=number: access.WithdrawQuality(quality(a, ANNE.nrn, number=n)),
                     lambda a=acting, n=number: access.GrantRole(role(a, ANNE.nrn, number=n)),
                     lambda a=acting, n=number: access.WithdrawRole(role(a, ANNE.nrn, number=n))):
            refused(call, grpc.StatusCode.PERMISSION_DENIED, "acting_nrn")


# --- migrations and the process ------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_go_up_down_and_up_again(backend, tmp_path_factory, request):
    engine = database.make_engine(_url(backend, "roles_migrations", tmp_path_factory, request), pool_size=1)
    try:
        database.upgrade(engine)
        assert database.current_revision(engine) == "0001"
        assert set(inspect(engine).get_table_names()) >= {"persons", "entities", "qualities_held", "profiles",
                                                          "application_roles", "agents", "profile_assignments",
                                                          "profile_changes"}
        assert len(agents.profile_catalogue(Store(engine), "en")) == 5
        database.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert database.current_revision(engine) is None
        database.upgrade(engine)
        assert database.current_revision(engine) == "0001"
        assert demo_data.load(engine)
    finally:
        engine.dispose()


def test_the_service_process_migrates_a_fresh_database_and_serves(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh' / 'roles.sqlite3'}"
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": url, "ROLES_PORT": str(port),
           "RUN_DIR": str(tmp_path / "run")}
    process = subprocess.Popen([sys.executable, "-m", "services.roles"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            deadline = time.monotonic() + 15
            while True:
                try:
                    status = health.Check(health_pb2.HealthCheckRequest(service="ssp.roles.v1.Roles"), timeout=1)
                    break
                except grpc.RpcError:
                    assert process.poll() is None, process.stderr.read()
                    assert time.monotonic() < deadline, "the roles service did not start"
                    time.sleep(0.1)
            assert status.status == health_pb2.HealthCheckResponse.SERVING
            roles = roles_pb2_grpc.RolesStub(channel)
            # Migrated, and no demo data until asked for.
            assert len(roles.ListProfileCatalogue(pb.ListProfileCatalogueRequest()).profiles) == 5
            assert list(roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=SOPHIE.nrn)).memberships) == []
            loads = [subprocess.run([sys.executable, "-m", "services.roles.demo_data"], cwd=ROOT, env=env,
                                    capture_output=True, text=True, timeout=30) for _ in range(2)]
            assert [run.returncode for run in loads] == [0, 0], [run.stderr for run in loads]
            assert "rows added" in loads[0].stdout
            assert "nothing changed" in loads[1].stdout
            memberships = roles.ListMemberships(pb.ListMembershipsRequest(acting_nrn=SOPHIE.nrn)).memberships
            assert [m.entity.name for m in memberships] == ["CPAS de Herstappe"]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert '"event": "database_ready"' in stderr
