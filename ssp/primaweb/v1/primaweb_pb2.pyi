import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Law(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LAW_UNSPECIFIED: _ClassVar[Law]
    LAW_SOCIAL_INTEGRATION_2002: _ClassVar[Law]
    LAW_SOCIAL_AID_1965: _ClassVar[Law]

class Category(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CATEGORY_UNSPECIFIED: _ClassVar[Category]
    CATEGORY_COHABITING: _ClassVar[Category]
    CATEGORY_SINGLE: _ClassVar[Category]
    CATEGORY_FAMILY_AT_CHARGE: _ClassVar[Category]

class FileStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILE_STATUS_UNSPECIFIED: _ClassVar[FileStatus]
    FILE_STATUS_OPEN: _ClassVar[FileStatus]
    FILE_STATUS_CLOSED: _ClassVar[FileStatus]

class DecisionOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_OUTCOME_UNSPECIFIED: _ClassVar[DecisionOutcome]
    DECISION_OUTCOME_GRANTED: _ClassVar[DecisionOutcome]
    DECISION_OUTCOME_REFUSED: _ClassVar[DecisionOutcome]

class Sex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEX_UNSPECIFIED: _ClassVar[Sex]
    SEX_MALE: _ClassVar[Sex]
    SEX_FEMALE: _ClassVar[Sex]

class FormStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FORM_STATUS_UNSPECIFIED: _ClassVar[FormStatus]
    FORM_STATUS_DRAFT: _ClassVar[FormStatus]
    FORM_STATUS_SENT: _ClassVar[FormStatus]
    FORM_STATUS_ACCEPTED: _ClassVar[FormStatus]
    FORM_STATUS_REJECTED: _ClassVar[FormStatus]
    FORM_STATUS_DISCARDED: _ClassVar[FormStatus]

class Answer(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANSWER_UNSPECIFIED: _ClassVar[Answer]
    ANSWER_ACCEPTED: _ClassVar[Answer]
    ANSWER_REJECTED: _ClassVar[Answer]
LAW_UNSPECIFIED: Law
LAW_SOCIAL_INTEGRATION_2002: Law
LAW_SOCIAL_AID_1965: Law
CATEGORY_UNSPECIFIED: Category
CATEGORY_COHABITING: Category
CATEGORY_SINGLE: Category
CATEGORY_FAMILY_AT_CHARGE: Category
FILE_STATUS_UNSPECIFIED: FileStatus
FILE_STATUS_OPEN: FileStatus
FILE_STATUS_CLOSED: FileStatus
DECISION_OUTCOME_UNSPECIFIED: DecisionOutcome
DECISION_OUTCOME_GRANTED: DecisionOutcome
DECISION_OUTCOME_REFUSED: DecisionOutcome
SEX_UNSPECIFIED: Sex
SEX_MALE: Sex
SEX_FEMALE: Sex
FORM_STATUS_UNSPECIFIED: FormStatus
FORM_STATUS_DRAFT: FormStatus
FORM_STATUS_SENT: FormStatus
FORM_STATUS_ACCEPTED: FormStatus
FORM_STATUS_REJECTED: FormStatus
FORM_STATUS_DISCARDED: FormStatus
ANSWER_UNSPECIFIED: Answer
ANSWER_ACCEPTED: Answer
ANSWER_REJECTED: Answer

class Actor(_message.Message):
    __slots__ = ("acting_nrn", "entity_id", "role", "profiles", "display_name", "language")
    ACTING_NRN_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    acting_nrn: str
    entity_id: str
    role: str
    profiles: _containers.RepeatedScalarFieldContainer[str]
    display_name: str
    language: str
    def __init__(self, acting_nrn: _Optional[str] = ..., entity_id: _Optional[str] = ..., role: _Optional[str] = ..., profiles: _Optional[_Iterable[str]] = ..., display_name: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("restricted", "parts", "open_files", "forms_to_send", "unread_messages", "latest_messages", "my_open_files")
    RESTRICTED_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    OPEN_FILES_FIELD_NUMBER: _ClassVar[int]
    FORMS_TO_SEND_FIELD_NUMBER: _ClassVar[int]
    UNREAD_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    LATEST_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    MY_OPEN_FILES_FIELD_NUMBER: _ClassVar[int]
    restricted: bool
    parts: _containers.RepeatedCompositeFieldContainer[HomePart]
    open_files: int
    forms_to_send: int
    unread_messages: int
    latest_messages: _containers.RepeatedCompositeFieldContainer[Message]
    my_open_files: int
    def __init__(self, restricted: _Optional[bool] = ..., parts: _Optional[_Iterable[_Union[HomePart, _Mapping]]] = ..., open_files: _Optional[int] = ..., forms_to_send: _Optional[int] = ..., unread_messages: _Optional[int] = ..., latest_messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., my_open_files: _Optional[int] = ...) -> None: ...

class CreateFileRequest(_message.Message):
    __slots__ = ("actor", "request_id", "nrn", "first_name", "last_name", "street", "postal_code", "municipality", "law", "category", "social_worker_nrn", "social_worker_name")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    NRN_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    STREET_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    MUNICIPALITY_FIELD_NUMBER: _ClassVar[int]
    LAW_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_WORKER_NRN_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    nrn: str
    first_name: str
    last_name: str
    street: str
    postal_code: str
    municipality: str
    law: Law
    category: Category
    social_worker_nrn: str
    social_worker_name: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., nrn: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., street: _Optional[str] = ..., postal_code: _Optional[str] = ..., municipality: _Optional[str] = ..., law: _Optional[_Union[Law, str]] = ..., category: _Optional[_Union[Category, str]] = ..., social_worker_nrn: _Optional[str] = ..., social_worker_name: _Optional[str] = ...) -> None: ...

class File(_message.Message):
    __slots__ = ("number", "nrn", "first_name", "last_name", "birth_date", "sex", "street", "postal_code", "municipality", "law", "category", "status", "social_worker_nrn", "social_worker_name", "created_at", "created_by_name", "closed_at", "current_decision")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NRN_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    STREET_FIELD_NUMBER: _ClassVar[int]
    POSTAL_CODE_FIELD_NUMBER: _ClassVar[int]
    MUNICIPALITY_FIELD_NUMBER: _ClassVar[int]
    LAW_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_WORKER_NRN_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_DECISION_FIELD_NUMBER: _ClassVar[int]
    number: str
    nrn: str
    first_name: str
    last_name: str
    birth_date: str
    sex: Sex
    street: str
    postal_code: str
    municipality: str
    law: Law
    category: Category
    status: FileStatus
    social_worker_nrn: str
    social_worker_name: str
    created_at: _timestamp_pb2.Timestamp
    created_by_name: str
    closed_at: _timestamp_pb2.Timestamp
    current_decision: Decision
    def __init__(self, number: _Optional[str] = ..., nrn: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., sex: _Optional[_Union[Sex, str]] = ..., street: _Optional[str] = ..., postal_code: _Optional[str] = ..., municipality: _Optional[str] = ..., law: _Optional[_Union[Law, str]] = ..., category: _Optional[_Union[Category, str]] = ..., status: _Optional[_Union[FileStatus, str]] = ..., social_worker_nrn: _Optional[str] = ..., social_worker_name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by_name: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., current_decision: _Optional[_Union[Decision, _Mapping]] = ...) -> None: ...

class FileResult(_message.Message):
    __slots__ = ("file", "replayed", "decision_number")
    FILE_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    DECISION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    file: File
    replayed: bool
    decision_number: int
    def __init__(self, file: _Optional[_Union[File, _Mapping]] = ..., replayed: _Optional[bool] = ..., decision_number: _Optional[int] = ...) -> None: ...

class Decision(_message.Message):
    __slots__ = ("number", "decided_on", "outcome", "monthly_amount", "period_start", "period_end", "recorded_at", "recorded_by_name", "note")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    number: int
    decided_on: str
    outcome: DecisionOutcome
    monthly_amount: str
    period_start: str
    period_end: str
    recorded_at: _timestamp_pb2.Timestamp
    recorded_by_name: str
    note: str
    def __init__(self, number: _Optional[int] = ..., decided_on: _Optional[str] = ..., outcome: _Optional[_Union[DecisionOutcome, str]] = ..., monthly_amount: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_by_name: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RecordDecisionRequest(_message.Message):
    __slots__ = ("actor", "request_id", "file_number", "decided_on", "outcome", "monthly_amount", "period_start", "period_end", "note")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    file_number: str
    decided_on: str
    outcome: DecisionOutcome
    monthly_amount: str
    period_start: str
    period_end: str
    note: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., file_number: _Optional[str] = ..., decided_on: _Optional[str] = ..., outcome: _Optional[_Union[DecisionOutcome, str]] = ..., monthly_amount: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class CloseFileRequest(_message.Message):
    __slots__ = ("actor", "request_id", "file_number")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    file_number: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., file_number: _Optional[str] = ...) -> None: ...

class SearchFilesRequest(_message.Message):
    __slots__ = ("actor", "number", "name", "nrn", "law", "status", "mine", "page", "page_size")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NRN_FIELD_NUMBER: _ClassVar[int]
    LAW_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MINE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    number: str
    name: str
    nrn: str
    law: Law
    status: FileStatus
    mine: bool
    page: int
    page_size: int
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., number: _Optional[str] = ..., name: _Optional[str] = ..., nrn: _Optional[str] = ..., law: _Optional[_Union[Law, str]] = ..., status: _Optional[_Union[FileStatus, str]] = ..., mine: _Optional[bool] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class FileSummary(_message.Message):
    __slots__ = ("number", "nrn", "first_name", "last_name", "birth_date", "law", "category", "status", "social_worker_nrn", "social_worker_name", "latest_decision", "created_at")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NRN_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    LAW_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_WORKER_NRN_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    LATEST_DECISION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    number: str
    nrn: str
    first_name: str
    last_name: str
    birth_date: str
    law: Law
    category: Category
    status: FileStatus
    social_worker_nrn: str
    social_worker_name: str
    latest_decision: DecisionOutcome
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, number: _Optional[str] = ..., nrn: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., law: _Optional[_Union[Law, str]] = ..., category: _Optional[_Union[Category, str]] = ..., status: _Optional[_Union[FileStatus, str]] = ..., social_worker_nrn: _Optional[str] = ..., social_worker_name: _Optional[str] = ..., latest_decision: _Optional[_Union[DecisionOutcome, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SearchFilesResponse(_message.Message):
    __slots__ = ("files", "total", "page", "page_size")
    FILES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[FileSummary]
    total: int
    page: int
    page_size: int
    def __init__(self, files: _Optional[_Iterable[_Union[FileSummary, _Mapping]]] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class GetFileRequest(_message.Message):
    __slots__ = ("actor", "number")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    number: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., number: _Optional[str] = ...) -> None: ...

class HistoryEntry(_message.Message):
    __slots__ = ("at", "actor_nrn", "actor_name", "kind", "summary", "details", "form_id")
    class DetailsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_NRN_FIELD_NUMBER: _ClassVar[int]
    ACTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    actor_nrn: str
    actor_name: str
    kind: str
    summary: str
    details: _containers.ScalarMap[str, str]
    form_id: str
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor_nrn: _Optional[str] = ..., actor_name: _Optional[str] = ..., kind: _Optional[str] = ..., summary: _Optional[str] = ..., details: _Optional[_Mapping[str, str]] = ..., form_id: _Optional[str] = ...) -> None: ...

class FileDetail(_message.Message):
    __slots__ = ("file", "decisions", "forms", "messages", "history")
    FILE_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    FORMS_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    file: File
    decisions: _containers.RepeatedCompositeFieldContainer[Decision]
    forms: _containers.RepeatedCompositeFieldContainer[Form]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    history: _containers.RepeatedCompositeFieldContainer[HistoryEntry]
    def __init__(self, file: _Optional[_Union[File, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[Decision, _Mapping]]] = ..., forms: _Optional[_Iterable[_Union[Form, _Mapping]]] = ..., messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., history: _Optional[_Iterable[_Union[HistoryEntry, _Mapping]]] = ...) -> None: ...

class Form(_message.Message):
    __slots__ = ("form_id", "file_number", "decision_number", "status", "period_start", "period_end", "monthly_amount", "total_amount", "corrects_form_id", "corrected_by_form_id", "nrn", "first_name", "last_name", "birth_date", "sex", "law", "category", "decided_on", "created_at", "created_by_name", "sent_at", "sent_by_name", "answered_at", "answer_reason", "answered_by", "entity_id")
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECISION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CORRECTS_FORM_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_BY_FORM_ID_FIELD_NUMBER: _ClassVar[int]
    NRN_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    LAW_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    SENT_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWER_REASON_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    form_id: str
    file_number: str
    decision_number: int
    status: FormStatus
    period_start: str
    period_end: str
    monthly_amount: str
    total_amount: str
    corrects_form_id: str
    corrected_by_form_id: str
    nrn: str
    first_name: str
    last_name: str
    birth_date: str
    sex: Sex
    law: Law
    category: Category
    decided_on: str
    created_at: _timestamp_pb2.Timestamp
    created_by_name: str
    sent_at: _timestamp_pb2.Timestamp
    sent_by_name: str
    answered_at: _timestamp_pb2.Timestamp
    answer_reason: str
    answered_by: str
    entity_id: str
    def __init__(self, form_id: _Optional[str] = ..., file_number: _Optional[str] = ..., decision_number: _Optional[int] = ..., status: _Optional[_Union[FormStatus, str]] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., monthly_amount: _Optional[str] = ..., total_amount: _Optional[str] = ..., corrects_form_id: _Optional[str] = ..., corrected_by_form_id: _Optional[str] = ..., nrn: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., birth_date: _Optional[str] = ..., sex: _Optional[_Union[Sex, str]] = ..., law: _Optional[_Union[Law, str]] = ..., category: _Optional[_Union[Category, str]] = ..., decided_on: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by_name: _Optional[str] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_by_name: _Optional[str] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_reason: _Optional[str] = ..., answered_by: _Optional[str] = ..., entity_id: _Optional[str] = ...) -> None: ...

class FormResult(_message.Message):
    __slots__ = ("form", "replayed")
    FORM_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    form: Form
    replayed: bool
    def __init__(self, form: _Optional[_Union[Form, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class PrepareFormRequest(_message.Message):
    __slots__ = ("actor", "request_id", "file_number", "decision_number", "period_start", "period_end", "monthly_amount")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DECISION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    file_number: str
    decision_number: int
    period_start: str
    period_end: str
    monthly_amount: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., file_number: _Optional[str] = ..., decision_number: _Optional[int] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., monthly_amount: _Optional[str] = ...) -> None: ...

class UpdateFormRequest(_message.Message):
    __slots__ = ("actor", "request_id", "form_id", "period_start", "period_end", "monthly_amount")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    form_id: str
    period_start: str
    period_end: str
    monthly_amount: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., form_id: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., monthly_amount: _Optional[str] = ...) -> None: ...

class DiscardFormRequest(_message.Message):
    __slots__ = ("actor", "request_id", "form_id")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    form_id: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., form_id: _Optional[str] = ...) -> None: ...

class SendFormRequest(_message.Message):
    __slots__ = ("actor", "request_id", "form_id")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    form_id: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., form_id: _Optional[str] = ...) -> None: ...

class CorrectFormRequest(_message.Message):
    __slots__ = ("actor", "request_id", "form_id", "period_start", "period_end", "monthly_amount")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    request_id: str
    form_id: str
    period_start: str
    period_end: str
    monthly_amount: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., request_id: _Optional[str] = ..., form_id: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., monthly_amount: _Optional[str] = ...) -> None: ...

class ListFormsRequest(_message.Message):
    __slots__ = ("actor", "status", "file_number", "page", "page_size")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    status: FormStatus
    file_number: str
    page: int
    page_size: int
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., status: _Optional[_Union[FormStatus, str]] = ..., file_number: _Optional[str] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListFormsResponse(_message.Message):
    __slots__ = ("forms", "total", "page", "page_size")
    FORMS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    forms: _containers.RepeatedCompositeFieldContainer[Form]
    total: int
    page: int
    page_size: int
    def __init__(self, forms: _Optional[_Iterable[_Union[Form, _Mapping]]] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class GetFormRequest(_message.Message):
    __slots__ = ("actor", "form_id")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    form_id: str
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., form_id: _Optional[str] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("message_id", "file_number", "form_id", "answer", "reason", "summary", "created_at", "read")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    message_id: int
    file_number: str
    form_id: str
    answer: Answer
    reason: str
    summary: str
    created_at: _timestamp_pb2.Timestamp
    read: bool
    def __init__(self, message_id: _Optional[int] = ..., file_number: _Optional[str] = ..., form_id: _Optional[str] = ..., answer: _Optional[_Union[Answer, str]] = ..., reason: _Optional[str] = ..., summary: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., read: _Optional[bool] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ("actor", "unread_only", "page", "page_size")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    UNREAD_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    unread_only: bool
    page: int
    page_size: int
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., unread_only: _Optional[bool] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ("messages", "total", "unread", "page", "page_size")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    UNREAD_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    total: int
    unread: int
    page: int
    page_size: int
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., total: _Optional[int] = ..., unread: _Optional[int] = ..., page: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class MarkMessagesReadRequest(_message.Message):
    __slots__ = ("actor", "message_ids")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    message_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, actor: _Optional[_Union[Actor, _Mapping]] = ..., message_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class MarkMessagesReadResponse(_message.Message):
    __slots__ = ("unread",)
    UNREAD_FIELD_NUMBER: _ClassVar[int]
    unread: int
    def __init__(self, unread: _Optional[int] = ...) -> None: ...

class ListSentFormsRequest(_message.Message):
    __slots__ = ("since", "page_token", "page_size")
    SINCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    since: _timestamp_pb2.Timestamp
    page_token: str
    page_size: int
    def __init__(self, since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_token: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListSentFormsResponse(_message.Message):
    __slots__ = ("forms", "next_page_token", "more")
    FORMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    forms: _containers.RepeatedCompositeFieldContainer[Form]
    next_page_token: str
    more: bool
    def __init__(self, forms: _Optional[_Iterable[_Union[Form, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., more: _Optional[bool] = ...) -> None: ...

class AnswerFormRequest(_message.Message):
    __slots__ = ("request_id", "form_id", "answer", "reason", "answered_by")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    form_id: str
    answer: Answer
    reason: str
    answered_by: str
    def __init__(self, request_id: _Optional[str] = ..., form_id: _Optional[str] = ..., answer: _Optional[_Union[Answer, str]] = ..., reason: _Optional[str] = ..., answered_by: _Optional[str] = ...) -> None: ...

class AnswerFormResponse(_message.Message):
    __slots__ = ("form", "replayed")
    FORM_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    form: Form
    replayed: bool
    def __init__(self, form: _Optional[_Union[Form, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class FieldViolations(_message.Message):
    __slots__ = ("violations",)
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    def __init__(self, violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ("field", "code", "message")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    field: str
    code: str
    message: str
    def __init__(self, field: _Optional[str] = ..., code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...
