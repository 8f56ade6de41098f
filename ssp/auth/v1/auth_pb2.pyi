import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Refusal(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFUSAL_UNSPECIFIED: _ClassVar[Refusal]
    PIN_INCORRECT: _ClassVar[Refusal]
    CARD_BLOCKED: _ClassVar[Refusal]
    CERTIFICATE_EXPIRED: _ClassVar[Refusal]
    CERTIFICATE_NOT_YET_VALID: _ClassVar[Refusal]
    CERTIFICATE_REVOKED: _ClassVar[Refusal]
    CERTIFICATE_UNTRUSTED: _ClassVar[Refusal]
    CERTIFICATE_UNUSABLE: _ClassVar[Refusal]
    SIGNATURE_INVALID: _ClassVar[Refusal]
    PUK_INCORRECT: _ClassVar[Refusal]
    PUK_BLOCKED: _ClassVar[Refusal]
    CARD_BLOCKED_NOW: _ClassVar[Refusal]
    CHALLENGE_MISSING: _ClassVar[Refusal]
    CHALLENGE_EXPIRED: _ClassVar[Refusal]
    TOKEN_SIZE: _ClassVar[Refusal]
    TOKEN_MALFORMED: _ClassVar[Refusal]
    TOKEN_FORMAT_UNSUPPORTED: _ClassVar[Refusal]
    CERTIFICATE_MALFORMED: _ClassVar[Refusal]
    CERTIFICATE_POLICY_DISALLOWED: _ClassVar[Refusal]
    OCSP_UNAVAILABLE: _ClassVar[Refusal]
    OCSP_RESPONSE_INVALID: _ClassVar[Refusal]
    OCSP_NONCE_MISMATCH: _ClassVar[Refusal]
    ALGORITHM_UNSUPPORTED: _ClassVar[Refusal]
    ALGORITHM_MISMATCH: _ClassVar[Refusal]
    CERTIFICATE_LOCKED: _ClassVar[Refusal]
    CERTIFICATE_LOCKED_NOW: _ClassVar[Refusal]
    LOGIN_CODE_MISSING: _ClassVar[Refusal]
REFUSAL_UNSPECIFIED: Refusal
PIN_INCORRECT: Refusal
CARD_BLOCKED: Refusal
CERTIFICATE_EXPIRED: Refusal
CERTIFICATE_NOT_YET_VALID: Refusal
CERTIFICATE_REVOKED: Refusal
CERTIFICATE_UNTRUSTED: Refusal
CERTIFICATE_UNUSABLE: Refusal
SIGNATURE_INVALID: Refusal
PUK_INCORRECT: Refusal
PUK_BLOCKED: Refusal
CARD_BLOCKED_NOW: Refusal
CHALLENGE_MISSING: Refusal
CHALLENGE_EXPIRED: Refusal
TOKEN_SIZE: Refusal
TOKEN_MALFORMED: Refusal
TOKEN_FORMAT_UNSUPPORTED: Refusal
CERTIFICATE_MALFORMED: Refusal
CERTIFICATE_POLICY_DISALLOWED: Refusal
OCSP_UNAVAILABLE: Refusal
OCSP_RESPONSE_INVALID: Refusal
OCSP_NONCE_MISMATCH: Refusal
ALGORITHM_UNSUPPORTED: Refusal
ALGORITHM_MISMATCH: Refusal
CERTIFICATE_LOCKED: Refusal
CERTIFICATE_LOCKED_NOW: Refusal
LOGIN_CODE_MISSING: Refusal

class ListMethodsRequest(_message.Message):
    __slots__ = ("language",)
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    language: str
    def __init__(self, language: _Optional[str] = ...) -> None: ...

class IdentificationMethod(_message.Message):
    __slots__ = ("id", "label", "offered")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    OFFERED_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    offered: bool
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., offered: _Optional[bool] = ...) -> None: ...

class ListMethodsResponse(_message.Message):
    __slots__ = ("methods",)
    METHODS_FIELD_NUMBER: _ClassVar[int]
    methods: _containers.RepeatedCompositeFieldContainer[IdentificationMethod]
    def __init__(self, methods: _Optional[_Iterable[_Union[IdentificationMethod, _Mapping]]] = ...) -> None: ...

class ListCertificatesRequest(_message.Message):
    __slots__ = ("rescan",)
    RESCAN_FIELD_NUMBER: _ClassVar[int]
    rescan: bool
    def __init__(self, rescan: _Optional[bool] = ...) -> None: ...

class Certificate(_message.Message):
    __slots__ = ("card_number", "holder_name", "national_register_nr_masked", "issuer", "not_before", "not_after", "key_type", "blocked", "refusal")
    CARD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOLDER_NAME_FIELD_NUMBER: _ClassVar[int]
    NATIONAL_REGISTER_NR_MASKED_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    KEY_TYPE_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_FIELD_NUMBER: _ClassVar[int]
    card_number: str
    holder_name: str
    national_register_nr_masked: str
    issuer: str
    not_before: _timestamp_pb2.Timestamp
    not_after: _timestamp_pb2.Timestamp
    key_type: str
    blocked: bool
    refusal: Refusal
    def __init__(self, card_number: _Optional[str] = ..., holder_name: _Optional[str] = ..., national_register_nr_masked: _Optional[str] = ..., issuer: _Optional[str] = ..., not_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., key_type: _Optional[str] = ..., blocked: _Optional[bool] = ..., refusal: _Optional[_Union[Refusal, str]] = ...) -> None: ...

class ListCertificatesResponse(_message.Message):
    __slots__ = ("certificates",)
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    certificates: _containers.RepeatedCompositeFieldContainer[Certificate]
    def __init__(self, certificates: _Optional[_Iterable[_Union[Certificate, _Mapping]]] = ...) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ("card_number", "pin")
    CARD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PIN_FIELD_NUMBER: _ClassVar[int]
    card_number: str
    pin: str
    def __init__(self, card_number: _Optional[str] = ..., pin: _Optional[str] = ...) -> None: ...

class GetWebEidChallengeRequest(_message.Message):
    __slots__ = ("binding",)
    BINDING_FIELD_NUMBER: _ClassVar[int]
    binding: str
    def __init__(self, binding: _Optional[str] = ...) -> None: ...

class WebEidChallenge(_message.Message):
    __slots__ = ("nonce", "expires_at")
    NONCE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    nonce: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, nonce: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LoginWithWebEidRequest(_message.Message):
    __slots__ = ("token_json", "binding")
    TOKEN_JSON_FIELD_NUMBER: _ClassVar[int]
    BINDING_FIELD_NUMBER: _ClassVar[int]
    token_json: str
    binding: str
    def __init__(self, token_json: _Optional[str] = ..., binding: _Optional[str] = ...) -> None: ...

class StartCertificateLoginRequest(_message.Message):
    __slots__ = ("certificate_der", "binding")
    CERTIFICATE_DER_FIELD_NUMBER: _ClassVar[int]
    BINDING_FIELD_NUMBER: _ClassVar[int]
    certificate_der: bytes
    binding: str
    def __init__(self, certificate_der: _Optional[bytes] = ..., binding: _Optional[str] = ...) -> None: ...

class CertificateLoginCode(_message.Message):
    __slots__ = ("code", "expires_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RedeemCertificateLoginRequest(_message.Message):
    __slots__ = ("code", "binding")
    CODE_FIELD_NUMBER: _ClassVar[int]
    BINDING_FIELD_NUMBER: _ClassVar[int]
    code: str
    binding: str
    def __init__(self, code: _Optional[str] = ..., binding: _Optional[str] = ...) -> None: ...

class LoginResponse(_message.Message):
    __slots__ = ("session_id", "session")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    session: Session
    def __init__(self, session_id: _Optional[str] = ..., session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class Session(_message.Message):
    __slots__ = ("national_register_nr", "first_name", "last_name", "method", "authenticated_at", "entity_id", "quality_id", "role", "profiles", "entity_name", "profiles_changed", "expires_at", "revision")
    NATIONAL_REGISTER_NR_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATED_AT_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    ENTITY_NAME_FIELD_NUMBER: _ClassVar[int]
    PROFILES_CHANGED_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    national_register_nr: str
    first_name: str
    last_name: str
    method: str
    authenticated_at: _timestamp_pb2.Timestamp
    entity_id: str
    quality_id: str
    role: str
    profiles: _containers.RepeatedScalarFieldContainer[str]
    entity_name: str
    profiles_changed: bool
    expires_at: _timestamp_pb2.Timestamp
    revision: str
    def __init__(self, national_register_nr: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., method: _Optional[str] = ..., authenticated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., entity_id: _Optional[str] = ..., quality_id: _Optional[str] = ..., role: _Optional[str] = ..., profiles: _Optional[_Iterable[str]] = ..., entity_name: _Optional[str] = ..., profiles_changed: _Optional[bool] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revision: _Optional[str] = ...) -> None: ...

class WatchSessionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SessionEvent(_message.Message):
    __slots__ = ("kind", "session_key", "entity_id", "national_register_nr", "revision")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[SessionEvent.Kind]
        READY: _ClassVar[SessionEvent.Kind]
        HEARTBEAT: _ClassVar[SessionEvent.Kind]
        ENDED: _ClassVar[SessionEvent.Kind]
        CHANGED: _ClassVar[SessionEvent.Kind]
        PROFILES_CHANGED: _ClassVar[SessionEvent.Kind]
    KIND_UNSPECIFIED: SessionEvent.Kind
    READY: SessionEvent.Kind
    HEARTBEAT: SessionEvent.Kind
    ENDED: SessionEvent.Kind
    CHANGED: SessionEvent.Kind
    PROFILES_CHANGED: SessionEvent.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    SESSION_KEY_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    NATIONAL_REGISTER_NR_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    kind: SessionEvent.Kind
    session_key: str
    entity_id: str
    national_register_nr: str
    revision: str
    def __init__(self, kind: _Optional[_Union[SessionEvent.Kind, str]] = ..., session_key: _Optional[str] = ..., entity_id: _Optional[str] = ..., national_register_nr: _Optional[str] = ..., revision: _Optional[str] = ...) -> None: ...

class UpdateSessionContextRequest(_message.Message):
    __slots__ = ("session_id", "entity_id", "quality_id", "role", "profiles", "entity_name")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    QUALITY_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    ENTITY_NAME_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    entity_id: str
    quality_id: str
    role: str
    profiles: _containers.RepeatedScalarFieldContainer[str]
    entity_name: str
    def __init__(self, session_id: _Optional[str] = ..., entity_id: _Optional[str] = ..., quality_id: _Optional[str] = ..., role: _Optional[str] = ..., profiles: _Optional[_Iterable[str]] = ..., entity_name: _Optional[str] = ...) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class LogoutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NoteProfilesChangedRequest(_message.Message):
    __slots__ = ("national_register_nr", "entity_id")
    NATIONAL_REGISTER_NR_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    national_register_nr: str
    entity_id: str
    def __init__(self, national_register_nr: _Optional[str] = ..., entity_id: _Optional[str] = ...) -> None: ...

class NoteProfilesChangedResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCardStatusRequest(_message.Message):
    __slots__ = ("card_number",)
    CARD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    card_number: str
    def __init__(self, card_number: _Optional[str] = ...) -> None: ...

class CardStatus(_message.Message):
    __slots__ = ("card_number", "pin_tries_left", "blocked")
    CARD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PIN_TRIES_LEFT_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    card_number: str
    pin_tries_left: int
    blocked: bool
    def __init__(self, card_number: _Optional[str] = ..., pin_tries_left: _Optional[int] = ..., blocked: _Optional[bool] = ...) -> None: ...

class UnblockCardRequest(_message.Message):
    __slots__ = ("card_number", "puk", "new_pin")
    CARD_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PUK_FIELD_NUMBER: _ClassVar[int]
    NEW_PIN_FIELD_NUMBER: _ClassVar[int]
    card_number: str
    puk: str
    new_pin: str
    def __init__(self, card_number: _Optional[str] = ..., puk: _Optional[str] = ..., new_pin: _Optional[str] = ...) -> None: ...
