import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListMembershipsRequest(_message.Message):
    __slots__ = ("acting_nrn",)
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    def __init__(self, acting_nrn: _Optional[str] = ...) -> None: ...

class Entity(_message.Message):
    __slots__ = ("enterprise_number", "name", "kind", "commune")
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    COMMUNE_FIELD_NUMBER: _ClassVar[int]
    enterprise_number: str
    name: str
    kind: str
    commune: str
    def __init__(self, enterprise_number: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., commune: _Optional[str] = ...) -> None: ...

class Membership(_message.Message):
    __slots__ = ("entity", "quality_id")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    entity: Entity
    quality_id: str
    def __init__(self, entity: _Optional[_Union[Entity, _Mapping]] = ..., quality_id: _Optional[str] = ...) -> None: ...

class ListMembershipsResponse(_message.Message):
    __slots__ = ("first_name", "last_name", "memberships")
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    first_name: str
    last_name: str
    memberships: _containers.RepeatedCompositeFieldContainer[Membership]
    def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., memberships: _Optional[_Iterable[_Union[Membership, _Mapping]]] = ...) -> None: ...

class ListApplicationRolesRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "application")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    application: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., application: _Optional[str] = ...) -> None: ...

class ListApplicationRolesResponse(_message.Message):
    __slots__ = ("roles",)
    ROLES_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, roles: _Optional[_Iterable[str]] = ...) -> None: ...

class StartApplicationRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "application", "role")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    application: str
    role: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., application: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class StartApplicationResponse(_message.Message):
    __slots__ = ("profiles", "first_time")
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    FIRST_TIME_FIELD_NUMBER: _ClassVar[int]
    profiles: _containers.RepeatedScalarFieldContainer[str]
    first_time: bool
    def __init__(self, profiles: _Optional[_Iterable[str]] = ..., first_time: _Optional[bool] = ...) -> None: ...

class ProfileAssignment(_message.Message):
    __slots__ = ("profile", "assigned_by_nrn", "assigned_by_name", "assigned_at")
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_BY_NRN_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    profile: str
    assigned_by_nrn: str
    assigned_by_name: str
    assigned_at: _timestamp_pb2.Timestamp
    def __init__(self, profile: _Optional[str] = ..., assigned_by_nrn: _Optional[str] = ..., assigned_by_name: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Agent(_message.Message):
    __slots__ = ("nrn", "first_name", "last_name", "profiles", "profiles_changed_at", "registered_at")
    NRN_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    PROFILES_CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    nrn: str
    first_name: str
    last_name: str
    profiles: _containers.RepeatedCompositeFieldContainer[ProfileAssignment]
    profiles_changed_at: _timestamp_pb2.Timestamp
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, nrn: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., profiles: _Optional[_Iterable[_Union[ProfileAssignment, _Mapping]]] = ..., profiles_changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetAgentRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "agent_nrn")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_NRN_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    agent_nrn: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., agent_nrn: _Optional[str] = ...) -> None: ...

class ListAgentsRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ...) -> None: ...

class ListAgentsResponse(_message.Message):
    __slots__ = ("agents",)
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    agents: _containers.RepeatedCompositeFieldContainer[Agent]
    def __init__(self, agents: _Optional[_Iterable[_Union[Agent, _Mapping]]] = ...) -> None: ...

class ChangeProfileRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "agent_nrn", "profile")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_NRN_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    agent_nrn: str
    profile: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., agent_nrn: _Optional[str] = ..., profile: _Optional[str] = ...) -> None: ...

class SetProfilesRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "agent_nrn", "profiles")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    AGENT_NRN_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    agent_nrn: str
    profiles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., agent_nrn: _Optional[str] = ..., profiles: _Optional[_Iterable[str]] = ...) -> None: ...

class SetProfilesResponse(_message.Message):
    __slots__ = ("agent", "changed")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    agent: Agent
    changed: bool
    def __init__(self, agent: _Optional[_Union[Agent, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class ListProfileCatalogueRequest(_message.Message):
    __slots__ = ("language",)
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    language: str
    def __init__(self, language: _Optional[str] = ...) -> None: ...

class Profile(_message.Message):
    __slots__ = ("code", "label", "description")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    code: str
    label: str
    description: str
    def __init__(self, code: _Optional[str] = ..., label: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ListProfileCatalogueResponse(_message.Message):
    __slots__ = ("profiles",)
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    profiles: _containers.RepeatedCompositeFieldContainer[Profile]
    def __init__(self, profiles: _Optional[_Iterable[_Union[Profile, _Mapping]]] = ...) -> None: ...

class QualityRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "person_nrn", "first_name", "last_name", "quality_id")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PERSON_NRN_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    person_nrn: str
    first_name: str
    last_name: str
    quality_id: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., person_nrn: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., quality_id: _Optional[str] = ...) -> None: ...

class RoleRequest(_message.Message):
    __slots__ = ("acting_nrn", "enterprise_number", "person_nrn", "application", "role")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PERSON_NRN_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    enterprise_number: str
    person_nrn: str
    application: str
    role: str
    def __init__(self, acting_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., person_nrn: _Optional[str] = ..., application: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class RoleGrant(_message.Message):
    __slots__ = ("person_nrn", "enterprise_number", "application", "role")
    PERSON_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    person_nrn: str
    enterprise_number: str
    application: str
    role: str
    def __init__(self, person_nrn: _Optional[str] = ..., enterprise_number: _Optional[str] = ..., application: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class WithdrawResponse(_message.Message):
    __slots__ = ("changed",)
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    changed: bool
    def __init__(self, changed: _Optional[bool] = ...) -> None: ...
