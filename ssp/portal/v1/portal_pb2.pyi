from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListAudiencesRequest(_message.Message):
    __slots__ = ("language",)
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    language: str
    def __init__(self, language: _Optional[str] = ...) -> None: ...

class ListAudiencesResponse(_message.Message):
    __slots__ = ("audiences",)
    AUDIENCES_FIELD_NUMBER: _ClassVar[int]
    audiences: _containers.RepeatedCompositeFieldContainer[Audience]
    def __init__(self, audiences: _Optional[_Iterable[_Union[Audience, _Mapping]]] = ...) -> None: ...

class GetAudienceRequest(_message.Message):
    __slots__ = ("audience_id", "language")
    AUDIENCE_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    audience_id: str
    language: str
    def __init__(self, audience_id: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class GetSectorRequest(_message.Message):
    __slots__ = ("sector_id", "language")
    SECTOR_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    sector_id: str
    language: str
    def __init__(self, sector_id: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class GetQualityRequest(_message.Message):
    __slots__ = ("sector_id", "quality_id", "language")
    SECTOR_ID_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    sector_id: str
    quality_id: str
    language: str
    def __init__(self, sector_id: _Optional[str] = ..., quality_id: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class GetOnlineServiceRequest(_message.Message):
    __slots__ = ("service_id", "language")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    service_id: str
    language: str
    def __init__(self, service_id: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class Audience(_message.Message):
    __slots__ = ("id", "label", "description", "sectors")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SECTORS_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    description: str
    sectors: _containers.RepeatedCompositeFieldContainer[Sector]
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., description: _Optional[str] = ..., sectors: _Optional[_Iterable[_Union[Sector, _Mapping]]] = ...) -> None: ...

class Trail(_message.Message):
    __slots__ = ("audience_id", "audience_label", "sector_id", "sector_label", "quality_id", "quality_label")
    AUDIENCE_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_LABEL_FIELD_NUMBER: _ClassVar[int]
    SECTOR_ID_FIELD_NUMBER: _ClassVar[int]
    SECTOR_LABEL_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    QUALITY_LABEL_FIELD_NUMBER: _ClassVar[int]
    audience_id: str
    audience_label: str
    sector_id: str
    sector_label: str
    quality_id: str
    quality_label: str
    def __init__(self, audience_id: _Optional[str] = ..., audience_label: _Optional[str] = ..., sector_id: _Optional[str] = ..., sector_label: _Optional[str] = ..., quality_id: _Optional[str] = ..., quality_label: _Optional[str] = ...) -> None: ...

class Sector(_message.Message):
    __slots__ = ("id", "label", "description", "qualities", "trail")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    QUALITIES_FIELD_NUMBER: _ClassVar[int]
    TRAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    description: str
    qualities: _containers.RepeatedCompositeFieldContainer[Quality]
    trail: Trail
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., description: _Optional[str] = ..., qualities: _Optional[_Iterable[_Union[Quality, _Mapping]]] = ..., trail: _Optional[_Union[Trail, _Mapping]] = ...) -> None: ...

class Quality(_message.Message):
    __slots__ = ("id", "label", "description", "services", "trail")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    TRAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    description: str
    services: _containers.RepeatedCompositeFieldContainer[OnlineService]
    trail: Trail
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., description: _Optional[str] = ..., services: _Optional[_Iterable[_Union[OnlineService, _Mapping]]] = ..., trail: _Optional[_Union[Trail, _Mapping]] = ...) -> None: ...

class OnlineService(_message.Message):
    __slots__ = ("id", "label", "summary", "description", "login_offered", "trail")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    LOGIN_OFFERED_FIELD_NUMBER: _ClassVar[int]
    TRAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    summary: str
    description: str
    login_offered: bool
    trail: Trail
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., summary: _Optional[str] = ..., description: _Optional[str] = ..., login_offered: _Optional[bool] = ..., trail: _Optional[_Union[Trail, _Mapping]] = ...) -> None: ...
