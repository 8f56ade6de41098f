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

class Membership(_message.Message):
    __slots__ = ("entity_id", "entity_name", "quality_id")
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_NAME_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    entity_id: str
    entity_name: str
    quality_id: str
    def __init__(self, entity_id: _Optional[str] = ..., entity_name: _Optional[str] = ..., quality_id: _Optional[str] = ...) -> None: ...

class ListMembershipsResponse(_message.Message):
    __slots__ = ("memberships",)
    MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    memberships: _containers.RepeatedCompositeFieldContainer[Membership]
    def __init__(self, memberships: _Optional[_Iterable[_Union[Membership, _Mapping]]] = ...) -> None: ...

class ListApplicationRolesRequest(_message.Message):
    __slots__ = ("acting_nrn", "entity_id", "application")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    entity_id: str
    application: str
    def __init__(self, acting_nrn: _Optional[str] = ..., entity_id: _Optional[str] = ..., application: _Optional[str] = ...) -> None: ...

class ListApplicationRolesResponse(_message.Message):
    __slots__ = ("roles",)
    ROLES_FIELD_NUMBER: _ClassVar[int]
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, roles: _Optional[_Iterable[str]] = ...) -> None: ...
