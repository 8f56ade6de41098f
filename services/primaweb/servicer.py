"""gRPC face of PrimaWeb: proto in, domain call, proto out.

One table maps the domain's errors to gRPC statuses. The details are one line
"field: message" per problem, in the caller's language; the trailing metadata carries
the stable code of the first problem ("ssp-error-code"), every field violation
("ssp-field-violations-bin", a serialized FieldViolations) and, for a second open file,
the existing file's number ("ssp-existing-file").
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, date, datetime
from decimal import Decimal

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from services.common import sql
from services.primaweb import errors, files, forms, gates, home, messages, spp, texts, validation
from services.primaweb.history import Entry
from services.primaweb.models import Decision, File
from services.primaweb.store import Store
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc

log = logging.getLogger(__name__)

_STATUS: list[tuple[type[errors.PrimaWebError], grpc.StatusCode]] = [
    (errors.InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (errors.NotFound, grpc.StatusCode.NOT_FOUND),
    (errors.FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
]
ERROR_CODE_KEY = "ssp-error-code"
VIOLATIONS_KEY = "ssp-field-violations-bin"
EXISTING_FILE_KEY = "ssp-existing-file"

# Proto enums <-> the domain's codes. Unspecified is "", an unknown number "?" (refused).
LAWS = {pb.LAW_SOCIAL_INTEGRATION_2002: gates.LAW_RIS, pb.LAW_SOCIAL_AID_1965: gates.LAW_AIDE_SOCIALE}
CATEGORIES = {pb.CATEGORY_COHABITING: "cohabitant", pb.CATEGORY_SINGLE: "isole",
              pb.CATEGORY_FAMILY_AT_CHARGE: "famille-a-charge"}
FILE_STATUSES = {pb.FILE_STATUS_OPEN: files.OPEN, pb.FILE_STATUS_CLOSED: files.CLOSED}
OUTCOMES = {pb.DECISION_OUTCOME_GRANTED: files.GRANTED, pb.DECISION_OUTCOME_REFUSED: files.REFUSED}
FORM_STATUSES = {pb.FORM_STATUS_DRAFT: forms.DRAFT, pb.FORM_STATUS_SENT: forms.SENT,
                 pb.FORM_STATUS_ACCEPTED: forms.ACCEPTED, pb.FORM_STATUS_REJECTED: forms.REJECTED,
                 pb.FORM_STATUS_DISCARDED: forms.DISCARDED}
ANSWERS = {pb.ANSWER_ACCEPTED: forms.ACCEPTED, pb.ANSWER_REJECTED: forms.REJECTED}
SEXES = {"M": pb.SEX_MALE, "F": pb.SEX_FEMALE}


def _code(mapping: dict[int, str], value: int) -> str:
    return "" if value == 0 else mapping.get(value, "?")


def _enum(mapping: dict[int, str], code: str | None) -> int:
    return next((number for number, c in mapping.items() if c == code), 0)


def _abort(context: grpc.ServicerContext, exc: errors.PrimaWebError, lang: str) -> None:
    status = next(code for kind, code in _STATUS if isinstance(exc, kind))
    trailing: list[tuple[str, str | bytes]] = [(ERROR_CODE_KEY, exc.code)]
    if isinstance(exc, errors.InvalidArgument):
        violations = pb.FieldViolations(violations=[
            pb.FieldViolation(field=v.field, code=v.code, message=texts.message(v.code, v.params, lang))
            for v in exc.violations])
        trailing.append((VIOLATIONS_KEY, violations.SerializeToString()))
    if exc.code == "duplicate-open-file":
        trailing.append((EXISTING_FILE_KEY, str(exc.params["number"])))
    context.set_trailing_metadata(trailing)
    context.abort(status, texts.describe(exc.violations, lang))


def _mapped(language_of):
    """Runs a servicer method, turning the domain's errors into statuses in the language
    `language_of(request)` gives. A database that cannot be reached (or stays locked) is
    UNAVAILABLE: every method may be retried (with the same request_id)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, request, context):
            try:
                return method(self, request, context)
            except errors.PrimaWebError as exc:
                _abort(context, exc, language_of(request))
            except sql.UNAVAILABLE_ERRORS as exc:
                log.warning("database_unavailable", extra={"error": str(getattr(exc, "orig", exc))[:200]})
                context.abort(grpc.StatusCode.UNAVAILABLE, "the primaweb database did not answer")

        return wrapper

    return decorate


cpas = _mapped(lambda request: texts.language(request.actor.language))
home_call = _mapped(lambda request: texts.language(request.language))
federal = _mapped(lambda request: "en")


def _actor(request) -> gates.Actor:
    a = request.actor
    return gates.actor(a.acting_nrn, a.entity_id, a.role, list(a.profiles), a.display_name, a.language)


# --- domain -> proto ------------------------------------------------------------------------


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _euros(value: Decimal | None) -> str:
    return validation.euros(value) if value is not None else ""


def _decision(d: Decision | None) -> pb.Decision | None:
    if d is None:
        return None
    return pb.Decision(number=d.number, decided_on=_day(d.decided_on), outcome=_enum(OUTCOMES, d.outcome),
                       monthly_amount=_euros(d.monthly_amount), period_start=_day(d.period_start),
                       period_end=_day(d.period_end), recorded_at=_ts(d.recorded_at),
                       recorded_by_name=d.recorded_by_name, note=d.note or "")


def _file(view: files.FileView) -> pb.File:
    f = view.file
    return pb.File(
        number=f.number, nrn=f.nrn, first_name=f.first_name, last_name=f.last_name, birth_date=_day(f.birth_date),
        sex=SEXES.get(f.sex, 0), street=f.street, postal_code=f.postal_code, municipality=f.municipality,
        law=_enum(LAWS, f.law), category=_enum(CATEGORIES, f.category), status=_enum(FILE_STATUSES, f.status),
        social_worker_nrn=f.social_worker_nrn, social_worker_name=f.social_worker_name, created_at=_ts(f.created_at),
        created_by_name=f.created_by_name, closed_at=_ts(f.closed_at), current_decision=_decision(view.decision),
    )


def _summary(f: File) -> pb.FileSummary:
    return pb.FileSummary(
        number=f.number, nrn=f.nrn, first_name=f.first_name, last_name=f.last_name, birth_date=_day(f.birth_date),
        law=_enum(LAWS, f.law), category=_enum(CATEGORIES, f.category), status=_enum(FILE_STATUSES, f.status),
        social_worker_nrn=f.social_worker_nrn, social_worker_name=f.social_worker_name,
        latest_decision=_enum(OUTCOMES, f.latest_outcome), created_at=_ts(f.created_at),
    )


def _form(view: forms.FormView) -> pb.Form:
    f = view.form
    return pb.Form(
        form_id=f.public_id, file_number=f.file_number, decision_number=f.decision_number,
        status=_enum(FORM_STATUSES, f.status), period_start=_day(f.period_start), period_end=_day(f.period_end),
        monthly_amount=_euros(f.monthly_amount), total_amount=_euros(f.total_amount), corrects_form_id=view.corrects,
        corrected_by_form_id=view.corrected_by, nrn=f.nrn, first_name=f.first_name, last_name=f.last_name,
        birth_date=_day(f.birth_date), sex=SEXES.get(f.sex, 0), law=_enum(LAWS, f.law),
        category=_enum(CATEGORIES, f.category), decided_on=_day(f.decided_on), created_at=_ts(f.created_at),
        created_by_name=f.created_by_name, sent_at=_ts(f.sent_at), sent_by_name=f.sent_by_name or "",
        answered_at=_ts(f.answered_at), answer_reason=f.answer_reason or "", answered_by=f.answered_by or "",
        entity_id=f.enterprise_number,
    )


def _message(view: messages.MessageView, lang: str) -> pb.Message:
    m = view.message
    return pb.Message(message_id=m.id, file_number=view.file_number, form_id=view.form_id,
                      answer=_enum(ANSWERS, m.answer), reason=m.reason or "", summary=view.summary(lang),
                      created_at=_ts(m.created_at), read=m.read_at is not None)


def _entry(entry: Entry, lang: str) -> pb.HistoryEntry:
    return pb.HistoryEntry(at=_ts(entry.at), actor_nrn=entry.actor_nrn, actor_name=entry.actor_name,
                           kind=entry.kind, summary=entry.summary(lang), details=entry.details,
                           form_id=entry.form_id)


# --- the CPAS side --------------------------------------------------------------------------


class PrimaWebServicer(primaweb_pb2_grpc.PrimaWebServicer):
    def __init__(self, store: Store):
        self.store = store

    @home_call
    def GetHome(self, request, context):
        actor = gates.actor(request.acting_nrn, request.entity_id, request.role, list(request.profiles),
                            language=request.language, prefix="")
        lang = actor.language
        composed = home.compose(actor.role, sorted(actor.profiles))
        seen = home.overview(self.store, actor) if not composed.restricted else home.Overview()
        return pb.Home(
            restricted=composed.restricted,
            parts=[pb.HomePart(id=p.id, title=p.title[lang], description=p.description[lang], opened_by=p.opened_by)
                   for p in composed.parts],
            open_files=seen.open_files, my_open_files=seen.my_open_files, forms_to_send=seen.forms_to_send,
            unread_messages=seen.unread_messages,
            latest_messages=[_message(m, lang) for m in seen.latest_messages],
        )

    # files

    @cpas
    def CreateFile(self, request, context):
        r = request
        done = files.create_file(
            self.store, _actor(r), r.request_id, nrn=r.nrn, first_name=r.first_name, last_name=r.last_name,
            street=r.street, postal_code=r.postal_code, municipality=r.municipality, law=_code(LAWS, r.law),
            category=_code(CATEGORIES, r.category), social_worker_nrn=r.social_worker_nrn,
            social_worker_name=r.social_worker_name,
        )
        return pb.FileResult(file=_file(done.view), replayed=done.replayed)

    @cpas
    def RecordDecision(self, request, context):
        r = request
        done = files.record_decision(
            self.store, _actor(r), r.request_id, file_number=r.file_number, decided_on=r.decided_on,
            outcome=_code(OUTCOMES, r.outcome), monthly_amount=r.monthly_amount, period_start=r.period_start,
            period_end=r.period_end, note=r.note,
        )
        return pb.FileResult(file=_file(done.view), replayed=done.replayed, decision_number=done.decision_number)

    @cpas
    def CloseFile(self, request, context):
        done = files.close_file(self.store, _actor(request), request.request_id, file_number=request.file_number)
        return pb.FileResult(file=_file(done.view), replayed=done.replayed)

    @cpas
    def SearchFiles(self, request, context):
        r = request
        found = files.search(self.store, _actor(r), number=r.number, name=r.name, nrn=r.nrn,
                             law=_code(LAWS, r.law), status=_code(FILE_STATUSES, r.status), mine=r.mine,
                             page=r.page, page_size=r.page_size)
        return pb.SearchFilesResponse(files=[_summary(f) for f in found.files], total=found.total,
                                      page=found.page.number, page_size=found.page.size)

    @cpas
    def GetFile(self, request, context):
        actor = _actor(request)
        got = files.get(self.store, actor, request.number)
        lang = actor.language
        return pb.FileDetail(
            file=_file(got.view), decisions=[_decision(d) for d in got.decisions],
            forms=[_form(f) for f in got.forms], messages=[_message(m, lang) for m in got.messages],
            history=[_entry(e, lang) for e in got.history],
        )

    # forms

    @cpas
    def PrepareForm(self, request, context):
        r = request
        done = forms.prepare(self.store, _actor(r), r.request_id, file_number=r.file_number,
                             decision_number=r.decision_number, period_start=r.period_start,
                             period_end=r.period_end, monthly_amount=r.monthly_amount)
        return pb.FormResult(form=_form(done.view), replayed=done.replayed)

    @cpas
    def UpdateForm(self, request, context):
        r = request
        done = forms.update(self.store, _actor(r), r.request_id, form_id=r.form_id, period_start=r.period_start,
                            period_end=r.period_end, monthly_amount=r.monthly_amount)
        return pb.FormResult(form=_form(done.view), replayed=done.replayed)

    @cpas
    def DiscardForm(self, request, context):
        done = forms.discard(self.store, _actor(request), request.request_id, form_id=request.form_id)
        return pb.FormResult(form=_form(done.view), replayed=done.replayed)

    @cpas
    def SendForm(self, request, context):
        done = forms.send(self.store, _actor(request), request.request_id, form_id=request.form_id)
        return pb.FormResult(form=_form(done.view), replayed=done.replayed)

    @cpas
    def CorrectForm(self, request, context):
        r = request
        done = forms.correct(self.store, _actor(r), r.request_id, form_id=r.form_id, period_start=r.period_start,
                             period_end=r.period_end, monthly_amount=r.monthly_amount)
        return pb.FormResult(form=_form(done.view), replayed=done.replayed)

    @cpas
    def ListForms(self, request, context):
        r = request
        found = forms.listing(self.store, _actor(r), status=_code(FORM_STATUSES, r.status),
                              file_number=r.file_number, page=r.page, page_size=r.page_size)
        return pb.ListFormsResponse(forms=[_form(f) for f in found.forms], total=found.total,
                                    page=found.page.number, page_size=found.page.size)

    @cpas
    def GetForm(self, request, context):
        return _form(forms.get(self.store, _actor(request), request.form_id))

    # messages

    @cpas
    def ListMessages(self, request, context):
        actor = _actor(request)
        found = messages.listing(self.store, actor, unread_only=request.unread_only, page=request.page,
                                 page_size=request.page_size)
        return pb.ListMessagesResponse(messages=[_message(m, actor.language) for m in found.messages],
                                       total=found.total, unread=found.unread, page=found.page.number,
                                       page_size=found.page.size)

    @cpas
    def MarkMessagesRead(self, request, context):
        unread = messages.mark_read(self.store, _actor(request), list(request.message_ids))
        return pb.MarkMessagesReadResponse(unread=unread)


# --- the SPP IS side ------------------------------------------------------------------------


def _since(request: pb.ListSentFormsRequest) -> datetime | None:
    if not request.HasField("since"):
        return None
    try:
        return request.since.ToDatetime(tzinfo=UTC)
    except (ValueError, OverflowError):  # seconds or nanos outside what a Timestamp may hold
        raise errors.InvalidArgument("since", "timestamp-range") from None


class SppIntegrationServicer(primaweb_pb2_grpc.SppIntegrationServicer):
    def __init__(self, store: Store):
        self.store = store

    @federal
    def ListSentForms(self, request, context):
        page = spp.list_sent(self.store, since=_since(request), page_token=request.page_token,
                             page_size=request.page_size)
        return pb.ListSentFormsResponse(forms=[_form(f) for f in page.forms], next_page_token=page.next_token,
                                        more=page.more)

    @federal
    def AnswerForm(self, request, context):
        r = request
        done = spp.answer(self.store, r.request_id, form_id=r.form_id, outcome=_code(ANSWERS, r.answer),
                          reason=r.reason, answered_by=r.answered_by)
        return pb.AnswerFormResponse(form=_form(done.view), replayed=done.replayed)
