"""gRPC face of the roles service: proto in, domain call, proto out. One table maps the
domain's errors to gRPC statuses; the message starts with the field concerned."""

from __future__ import annotations

import functools
import logging
from datetime import datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from services.common import sql
from services.roles import agents, errors, memberships
from services.roles.access import EntityView
from services.roles.store import Store
from ssp.roles.v1 import roles_pb2 as pb
from ssp.roles.v1 import roles_pb2_grpc

log = logging.getLogger(__name__)

_STATUS: list[tuple[type[errors.RolesError], grpc.StatusCode]] = [
    (errors.InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (errors.NotFound, grpc.StatusCode.NOT_FOUND),
    (errors.FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
]


def _mapped(method):
    """Runs a servicer method, turning the domain's errors into statuses. A database that
    cannot be reached (or stays locked) is UNAVAILABLE: every method may be retried."""

    @functools.wraps(method)
    def wrapper(self, request, context):
        try:
            return method(self, request, context)
        except errors.RolesError as exc:
            for kind, code in _STATUS:
                if isinstance(exc, kind):
                    context.abort(code, str(exc))
            raise
        except sql.UNAVAILABLE_ERRORS as exc:
            log.warning("database_unavailable", extra={"error": str(getattr(exc, "orig", exc))[:200]})
            context.abort(grpc.StatusCode.UNAVAILABLE, "the roles database did not answer")

    return wrapper


def _timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _entity(entity: EntityView) -> pb.Entity:
    return pb.Entity(enterprise_number=entity.enterprise_number, name=entity.name, kind=entity.kind,
                     commune=entity.commune)


def _membership(m: memberships.Membership) -> pb.Membership:
    return pb.Membership(entity=_entity(m.entity), quality_id=m.quality_id)


def _agent(agent: agents.AgentView) -> pb.Agent:
    return pb.Agent(
        nrn=agent.nrn, first_name=agent.first_name, last_name=agent.last_name,
        profiles=[
            pb.ProfileAssignment(profile=a.profile, assigned_by_nrn=a.assigned_by_nrn,
                                 assigned_by_name=a.assigned_by_name, assigned_at=_timestamp(a.assigned_at))
            for a in agent.profiles
        ],
        profiles_changed_at=_timestamp(agent.profiles_changed_at),
        registered_at=_timestamp(agent.registered_at),
    )


class RolesServicer(roles_pb2_grpc.RolesServicer):
    def __init__(self, store: Store):
        self.store = store

    @_mapped
    def ListMemberships(self, request, context):
        found = memberships.list_memberships(self.store, request.acting_nrn)
        return pb.ListMembershipsResponse(first_name=found.first_name, last_name=found.last_name,
                                          memberships=[_membership(m) for m in found.memberships])

    @_mapped
    def ListApplicationRoles(self, request, context):
        roles = memberships.list_application_roles(self.store, request.acting_nrn, request.enterprise_number,
                                                   request.application)
        return pb.ListApplicationRolesResponse(roles=roles)

    @_mapped
    def StartApplication(self, request, context):
        started = agents.start_application(self.store, request.acting_nrn, request.enterprise_number,
                                           request.application, request.role)
        return pb.StartApplicationResponse(profiles=started.profiles, first_time=started.first_time)

    @_mapped
    def GetAgent(self, request, context):
        return _agent(agents.get_agent(self.store, request.acting_nrn, request.enterprise_number, request.agent_nrn))

    @_mapped
    def ListAgents(self, request, context):
        found = agents.list_agents(self.store, request.acting_nrn, request.enterprise_number)
        return pb.ListAgentsResponse(agents=[_agent(a) for a in found])

    @_mapped
    def AssignProfile(self, request, context):
        return _agent(agents.assign_profile(self.store, request.acting_nrn, request.enterprise_number,
                                            request.agent_nrn, request.profile))

    @_mapped
    def WithdrawProfile(self, request, context):
        return _agent(agents.withdraw_profile(self.store, request.acting_nrn, request.enterprise_number,
                                              request.agent_nrn, request.profile))

    @_mapped
    def SetProfiles(self, request, context):
        agent, changed = agents.set_profiles(self.store, request.acting_nrn, request.enterprise_number,
                                             request.agent_nrn, list(request.profiles))
        return pb.SetProfilesResponse(agent=_agent(agent), changed=changed)

    @_mapped
    def ListProfileCatalogue(self, request, context):
        entries = agents.profile_catalogue(self.store, request.language)
        return pb.ListProfileCatalogueResponse(
            profiles=[pb.Profile(code=e.code, label=e.label, description=e.description) for e in entries]
        )


class AccessManagementServicer(roles_pb2_grpc.AccessManagementServicer):
    def __init__(self, store: Store):
        self.store = store

    @_mapped
    def GrantQuality(self, request, context):
        return _membership(memberships.grant_quality(
            self.store, request.acting_nrn, request.enterprise_number, request.person_nrn,
            request.first_name, request.last_name, request.quality_id,
        ))

    @_mapped
    def WithdrawQuality(self, request, context):
        changed = memberships.withdraw_quality(self.store, request.acting_nrn, request.enterprise_number,
                                               request.person_nrn, request.quality_id)
        return pb.WithdrawResponse(changed=changed)

    @_mapped
    def GrantRole(self, request, context):
        grant = memberships.grant_role(self.store, request.acting_nrn, request.enterprise_number,
                                       request.person_nrn, request.application, request.role)
        return pb.RoleGrant(person_nrn=grant.person_nrn, enterprise_number=grant.enterprise_number,
                            application=grant.application, role=grant.role)

    @_mapped
    def WithdrawRole(self, request, context):
        changed = memberships.withdraw_role(self.store, request.acting_nrn, request.enterprise_number,
                                            request.person_nrn, request.application, request.role)
        return pb.WithdrawResponse(changed=changed)
