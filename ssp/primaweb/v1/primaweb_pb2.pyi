from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetHomeRequest(_message.Message):
    __slots__ = ("acting_nrn", "entity_id", "role", "profiles", "language")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    entity_id: str
    role: str
    profiles: _containers.RepeatedScalarFieldContainer[str]
    language: str
    def __init__(self, acting_nrn: _Optional[str] = ..., entity_id: _Optional[str] = ..., role: _Optional[str] = ..., profiles: _Optional[_Iterable[str]] = ..., language: _Optional[str] = ...) -> None: ...

class HomePart(_message.Message):
    __slots__ = ("id", "title", "description", "opened_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    description: str
    opened_by: str
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., opened_by: _Optional[str] = ...) -> None: ...

class Home(_message.Message):
    __slots__ = ("restricted", "parts")
    RESTRICTED_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    restricted: bool
    parts: _containers.RepeatedCompositeFieldContainer[HomePart]
    def __init__(self, restricted: _Optional[bool] = ..., parts: _Optional[_Iterable[_Union[HomePart, _Mapping]]] = ...) -> None: ...
