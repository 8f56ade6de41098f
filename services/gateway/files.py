"""PrimaWeb files (issue 5): search and open the CPAS's files, open a new one, record the
Conseil de l'Action Sociale's decisions, prepare, send and correct the reimbursement forms
(formulaire B), close a file; the forms to send and the SPP IS's messages.

Views read the request, call the PrimaWeb service with the session's Actor and render.
The service enforces the profile gates and the entity on every call; the pages only hide
what the session's profiles do not open (`Can`). Every form that creates or changes
something carries a request_id made when the form is shown, so a refresh or a double
click replays the first result instead of doing it twice.

How the service's answers become pages (one table, `_refusal`):
- INVALID_ARGUMENT on a form: each "field: message" next to its field, an error summary
  linking to the fields, the values kept (400);
- FAILED_PRECONDITION on a form: the reason above the form; a second open file names and
  links the existing one; a request id reused gets a fresh one (409);
- PERMISSION_DENIED: the "profile needed" page (403);
- anything else (NOT_FOUND, UNAVAILABLE...): the app's error pages (errors.py).
"""

from __future__ import annotations

import contextlib
import math
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

import grpc
from babel.dates import format_date as babel_format_date
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from google.protobuf.message import DecodeError
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from services.gateway import auth_session, i18n
from services.gateway.clients import ServiceError, client
from services.gateway.errors import INT64_MAX, BadInput, whole_number
from services.gateway.primaweb import _in_role
from ssp.primaweb.v1 import primaweb_pb2 as pb

bp = Blueprint("files", __name__, url_prefix="/primaweb")

AGENT = "agent-social"
PAGE_SIZE = 20
_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")


class FileNumberConverter(BaseConverter):
    """File numbers in URLs: "2026/000123" is written 2026-000123; anything else is a 404
    before any service is called."""

    regex = r"[0-9]{4}-[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value.replace("-", "/")

    def to_url(self, value: str) -> str:
        return str(value).replace("/", "-")


bp.record_once(lambda state: state.app.url_map.converters.setdefault("file_number", FileNumberConverter))


# --- one table: codes in URLs and forms <-> proto enums <-> labels shown ---------------------


@dataclass(frozen=True)
class Choice:
    code: str  # in URLs and form values
    value: int  # the proto enum value
    label: object  # lazy text


CHOICES: dict[str, tuple[Choice, ...]] = {
    "law": (
        Choice("ris-2002", pb.LAW_SOCIAL_INTEGRATION_2002, _l("Social integration income (Act of 26 May 2002)")),
        Choice("aide-sociale-1965", pb.LAW_SOCIAL_AID_1965, _l("Social aid (Act of 2 April 1965)")),
    ),
    "category": (
        Choice("cohabitant", pb.CATEGORY_COHABITING, _l("Cohabiting person")),
        Choice("isole", pb.CATEGORY_SINGLE, _l("Single person")),
        Choice("famille-a-charge", pb.CATEGORY_FAMILY_AT_CHARGE, _l("Person with a family at charge")),
    ),
    "file_status": (
        Choice("open", pb.FILE_STATUS_OPEN, _l("Open")),
        Choice("closed", pb.FILE_STATUS_CLOSED, _l("Closed")),
    ),
    "outcome": (
        Choice("granted", pb.DECISION_OUTCOME_GRANTED, _l("Granted")),
        Choice("refused", pb.DECISION_OUTCOME_REFUSED, _l("Refused")),
    ),
    "form_status": (
        Choice("draft", pb.FORM_STATUS_DRAFT, _l("To send")),
        Choice("sent", pb.FORM_STATUS_SENT, _l("Sent, awaiting the answer")),
        Choice("rejected", pb.FORM_STATUS_REJECTED, _l("Rejected by the PPS SI")),
        Choice("accepted", pb.FORM_STATUS_ACCEPTED, _l("Accepted by the PPS SI")),
        Choice("discarded", pb.FORM_STATUS_DISCARDED, _l("Discarded")),
    ),
    "answer": (
        Choice("accepted", pb.ANSWER_ACCEPTED, _l("Accepted")),
        Choice("rejected", pb.ANSWER_REJECTED, _l("Rejected")),
    ),
    "sex": (
        Choice("male", pb.SEX_MALE, _l("Male")),
        Choice("female", pb.SEX_FEMALE, _l("Female")),
    ),
}


def label(value: int, kind: str) -> str:
    return next((str(c.label) for c in CHOICES[kind] if c.value == value), "")


def code_of(value: int, kind: str) -> str:
    return next((c.code for c in CHOICES[kind] if c.value == value), "")


def value_of(code: str, kind: str) -> int | None:
    """The enum value of a code; 0 for "", None for an unknown code."""
    if not code:
        return 0
    return next((c.value for c in CHOICES[kind] if c.code == code), None)


# --- what the session's profiles open (for showing actions; the service decides) -----------

ENCODING_PROFILES = {pb.LAW_SOCIAL_INTEGRATION_2002: "encodage-ris", pb.LAW_SOCIAL_AID_1965: "encodage-aide-sociale"}


@dataclass(frozen=True)
class Can:
    """The actions the session's profiles open, as in the gate table of primaweb.proto."""

    profiles: frozenset[str]

    @property
    def consult(self) -> bool:
        return "consultation" in self.profiles

    def encode(self, law: int) -> bool:
        return ENCODING_PROFILES.get(law) in self.profiles

    @property
    def create_laws(self) -> list[Choice]:
        return [c for c in CHOICES["law"] if self.encode(c.value)]

    @property
    def handle_forms(self) -> bool:
        return "envoi-formulaires" in self.profiles

    @property
    def view_forms(self) -> bool:
        return bool(self.profiles & {"envoi-formulaires", "consultation"})

    @property
    def read_messages(self) -> bool:
        return bool(self.profiles & {"consultation", "envoi-formulaires"})


def _can() -> Can:
    session = auth_session.current()
    return Can(frozenset(session.profiles) if session is not None else frozenset())


def _actor() -> pb.Actor:
    s = auth_session.current()
    return pb.Actor(acting_nrn=s.national_register_nr, entity_id=s.entity_id, role=s.role,
                    profiles=list(s.profiles), display_name=f"{s.first_name} {s.last_name}",
                    language=i18n.language())


# --- calling the service, and its refusals -------------------------------------------------


class Refused(Exception):
    """PERMISSION_DENIED: the session's profiles do not open this action."""


@bp.errorhandler(Refused)
def refused(_exc):
    return render_template("files/refused.html"), 403


def _call(method: str, message):
    try:
        return getattr(client("primaweb"), method)(message)
    except ServiceError as exc:
        if exc.code == grpc.StatusCode.PERMISSION_DENIED:
            raise Refused() from None
        raise


@dataclass
class Problems:
    """What a form must show after a refusal: messages by field, and above the form."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str | Markup] = field(default_factory=list)
    code: str = ""
    status: int = 400

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)


def _violations(exc: ServiceError) -> list[tuple[str, str]]:
    """(field, message) of every problem: the serialized FieldViolations when present,
    else the details' "field: message" lines."""
    raw = exc.metadata.get("ssp-field-violations-bin")
    if isinstance(raw, bytes) and raw:
        with contextlib.suppress(DecodeError):  # else the text, which says the same
            return [(v.field, v.message) for v in pb.FieldViolations.FromString(raw).violations]
    found = []
    for line in exc.details.splitlines():
        name, sep, message = line.partition(": ")
        found.append((name.strip(), message.strip()) if sep else ("", line.strip()))
    return found


def _without_field(details: str) -> str:
    """The service's message without its leading "field: "."""
    first = details.splitlines()[0] if details else ""
    name, sep, message = first.partition(": ")
    return message if sep and re.fullmatch(r"[a-z_.]+", name) else first


def _refusal(exc: ServiceError, form_fields: tuple[str, ...], found: Problems) -> Problems:
    """The one table from a refused change to what the form shows; other statuses go on
    to the error pages."""
    code = str(exc.metadata.get("ssp-error-code", ""))
    found.code = code
    if exc.code == grpc.StatusCode.INVALID_ARGUMENT:
        for name, message in _violations(exc):
            if name in form_fields:
                if name not in found.fields:  # a message made here (e.g. the amount) comes first
                    found.add(name, message)
            else:
                found.general.append(message)
        found.status = 400
        ordered = [name for name in form_fields if name in found.fields]  # the form's order
        found.fields = {name: found.fields[name] for name in ordered + [n for n in found.fields if n not in ordered]}
    elif exc.code == grpc.StatusCode.FAILED_PRECONDITION:
        found.status = 409
        existing = str(exc.metadata.get("ssp-existing-file", ""))
        if code == "duplicate-open-file" and existing:
            link = Markup('<a href="{}">{}</a>').format(
                url_for("files.file_page", number=existing), _("Open file %(number)s", number=existing))
            found.general.append(Markup("{} {}").format(
                _("This person already has an open file under this law in your CPAS: file %(number)s.",
                  number=existing), link))
        elif code == "request-id-reused":
            found.general.append(_("This form had already been used for another request. It has been renewed: "
                                   "check the values and submit it again."))
        else:
            found.general.append(_without_field(exc.details))
    else:
        raise exc
    return found


def _submit(method: str, message, form_fields: tuple[str, ...], found: Problems | None = None):
    """(result, None) when done, (None, problems) when refused with something to show.
    Problems found here (`found`) do not stop the call: the service then refuses the
    request too (recording nothing), and every problem shows at once."""
    found = found or Problems()
    try:
        return _call(method, message), None
    except ServiceError as exc:
        return None, _refusal(exc, form_fields, found)


def _request_id(posted: str | None = None) -> str:
    """The form's idempotency key: the one posted back when it is well formed, else new."""
    if posted and _REQUEST_ID.fullmatch(posted):
        return posted
    return uuid.uuid4().hex


def _renewed(problems: Problems | None, posted: str) -> str:
    return _request_id() if problems is not None and problems.code == "request-id-reused" else _request_id(posted)


def _done(result, message: str) -> None:
    if result.replayed:
        flash(_("This had already been recorded: nothing was done twice."))
    else:
        flash(message, "success")


# --- values at the edge ----------------------------------------------------------------------


def compact_nrn(value: str) -> str:
    """National register numbers as typed ("85.03.14-998.97"): digits only, as the service wants."""
    return re.sub(r"[\s.\-/]", "", value)


def parse_amount(value: str) -> str | None:
    """An amount typed as "1263,17", "1 263,17", "1.263,17", "1263.17" or "€ 1263.17" ->
    "1263.17"; "" for nothing; None when it is not an amount."""
    text = re.sub(r"[\s\u00a0\u202f€]", "", value)
    if not text:
        return ""
    if "," in text and "." in text:  # the last one separates the decimals
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    else:
        text = text.replace(",", ".")
    if not _AMOUNT.fullmatch(text):
        return None
    return text


def _amount_problem() -> str:
    return _("Enter an amount in euros with at most 2 decimals, for example %(example)s.",
             example=format_decimal(Decimal("1263.17"), "#0.00"))


def _choice(values: dict[str, str], name: str, kind: str, problems: Problems) -> int:
    """The enum value of a posted code; an unknown code is a problem here (and 0, which the
    service refuses as missing)."""
    found = value_of(values[name], kind)
    if found is None:
        problems.add(name, _("Choose one of the values offered."))
        return 0
    return found


def _form_values(names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.form.get(name, "").strip() for name in names}


# --- page formatting ---------------------------------------------------------------------------


@bp.app_template_filter("euros")
def euros(value: str) -> str:
    """ "1263.17" -> "1 263,17 €" (fr), "€1,263.17" (en)."""
    if not value:
        return ""
    try:
        return format_currency(Decimal(value), "EUR")
    except (InvalidOperation, ValueError):
        return value


@bp.app_template_filter("amount_input")
def amount_input(value: str) -> str:
    """An amount as typed in the page's language, without grouping: "1263,17"."""
    if not value:
        return ""
    try:
        return format_decimal(Decimal(value), "#0.00")
    except (InvalidOperation, ValueError):
        return value


_DAY = {"en": "yyyy-MM-dd"}


@bp.app_template_filter("day")
def day(value: str) -> str:
    """ "2026-03-21" -> "21/03/2026" (fr, nl, de), "2026-03-21" (en): as the service's own texts."""
    if not value:
        return ""
    try:
        when = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return value
    return babel_format_date(when, _DAY.get(i18n.language(), "dd/MM/yyyy"), locale=i18n.language())


@bp.app_template_filter("nrn")
def nrn_display(value: str) -> str:
    """ "85031499897" -> "85.03.14-998.97", the way the national register writes it."""
    if not re.fullmatch(r"[0-9]{11}", value or ""):
        return value
    return f"{value[0:2]}.{value[2:4]}.{value[4:6]}-{value[6:9]}.{value[9:11]}"


@bp.app_template_filter("sentence")
def sentence(value) -> str | Markup:
    """The service's messages are fragments ("required"): shown alone, they start with a capital."""
    if isinstance(value, Markup):  # made here, with its links
        return value
    text = str(value)
    return text[:1].upper() + text[1:]


@bp.app_template_filter("label")
def label_filter(value: int, kind: str) -> str:
    return label(value, kind)


@bp.app_template_filter("code")
def code_filter(value: int, kind: str) -> str:
    return code_of(value, kind)


@bp.app_context_processor
def file_globals():
    return {"file_url": lambda number: url_for("files.file_page", number=number), "new_request_id": _request_id}


@bp.context_processor
def page_globals():
    return {"pw": pb, "choices": CHOICES, "can": _can()}


def _pages(total: int, page: int, size: int) -> int:
    return max(1, math.ceil(total / size)) if total else 1


def _page_arg() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


# --- search ------------------------------------------------------------------------------------

SEARCH_FIELDS = ("number", "name", "nrn", "law", "status")


@bp.get("/dossiers")
@_in_role(AGENT)
def search():
    criteria = {name: request.args.get(name, "").strip() for name in SEARCH_FIELDS}
    mine = request.args.get("mine") == "1"
    page = _page_arg()
    problems = Problems()
    law = value_of(criteria["law"], "law")
    status = value_of(criteria["status"], "file_status")
    if law is None:
        problems.add("law", _("Choose one of the values offered."))
    if status is None:
        problems.add("status", _("Choose one of the values offered."))
    found = None
    if not problems:
        try:
            found = _call("SearchFiles", pb.SearchFilesRequest(
                actor=_actor(), number=criteria["number"].replace("-", "/"), name=criteria["name"],
                nrn=compact_nrn(criteria["nrn"]), law=law, status=status, mine=mine, page=page, page_size=PAGE_SIZE,
            ))
        except ServiceError as exc:
            if exc.code != grpc.StatusCode.INVALID_ARGUMENT:
                raise
            _refusal(exc, SEARCH_FIELDS, problems)
    kept = {k: v for k, v in criteria.items() if v}
    if mine:
        kept["mine"] = "1"
    pages = _pages(found.total, found.page, found.page_size) if found else 1
    return render_template("files/search.html", criteria=criteria, mine=mine, found=found, problems=problems,
                           pages=pages, page=found.page if found else page, kept=kept,
                           searched=bool(kept)), 400 if problems else 200


# --- a new file ---------------------------------------------------------------------------------

CREATE_FIELDS = ("nrn", "first_name", "last_name", "street", "postal_code", "municipality", "law", "category")


@bp.route("/dossiers/nouveau", methods=["GET", "POST"])
@_in_role(AGENT)
def create():
    can = _can()
    if request.method == "GET":
        if not can.create_laws:
            raise Refused()
        law = request.args.get("law", "")
        if law not in {c.code for c in can.create_laws}:
            law = can.create_laws[0].code if len(can.create_laws) == 1 else ""
        return render_template("files/create.html", values={"law": law}, problems=Problems(),
                               request_id=_request_id())
    values = _form_values(CREATE_FIELDS)
    posted_key = request.form.get("request_id", "")
    problems = Problems()
    law, category = _choice(values, "law", "law", problems), _choice(values, "category", "category", problems)
    result, problems = _submit("CreateFile", pb.CreateFileRequest(
        actor=_actor(), request_id=posted_key, nrn=compact_nrn(values["nrn"]), first_name=values["first_name"],
        last_name=values["last_name"], street=values["street"], postal_code=values["postal_code"],
        municipality=values["municipality"], law=law, category=category,
    ), CREATE_FIELDS, problems)
    if result is not None:
        _done(result, _("File %(number)s is created.", number=result.file.number))
        return redirect(url_for(".file_page", number=result.file.number))
    return render_template("files/create.html", values=values, problems=problems,
                           request_id=_renewed(problems, posted_key)), problems.status


# --- one file and its actions --------------------------------------------------------------------

DECISION_FIELDS = ("decided_on", "outcome", "monthly_amount", "period_start", "period_end", "note")
PERIOD_FIELDS = ("period_start", "period_end", "monthly_amount")


@dataclass
class Failed:
    """The action form that was refused, to show again with its values and problems."""

    action: str
    problems: Problems
    values: dict[str, str]
    request_id: str


def _render_file(number: str, failed: Failed | None = None, status: int = 200):
    try:
        detail = _call("GetFile", pb.GetFileRequest(actor=_actor(), number=number))
    except ServiceError as exc:
        if exc.code != grpc.StatusCode.NOT_FOUND:
            raise
        # Not in this CPAS (another CPAS's file is never shown, nor said to exist elsewhere).
        return render_template("files/not_found.html", number=number), 404
    return render_template("files/file.html", detail=detail, f=detail.file, failed=failed), (
        failed.problems.status if failed else status)


@bp.get("/dossiers/<file_number:number>")
@_in_role(AGENT)
def file_page(number: str):
    return _render_file(number)


def _amount_checked(values: dict[str, str], problems: Problems) -> str:
    """The amount for the service: canonical when it parses; as typed when not (the service
    then refuses it with the other problems, and the message here comes first)."""
    parsed = parse_amount(values.get("monthly_amount", ""))
    if parsed is None:
        problems.add("monthly_amount", _amount_problem())
        return values["monthly_amount"]
    return parsed


@bp.post("/dossiers/<file_number:number>/decisions")
@_in_role(AGENT)
def record_decision(number: str):
    values = _form_values(DECISION_FIELDS)
    posted_key = request.form.get("request_id", "")
    problems = Problems()
    amount = _amount_checked(values, problems)
    outcome = _choice(values, "outcome", "outcome", problems)
    result, problems = _submit("RecordDecision", pb.RecordDecisionRequest(
        actor=_actor(), request_id=posted_key, file_number=number, decided_on=values["decided_on"],
        outcome=outcome, monthly_amount=amount, period_start=values["period_start"],
        period_end=values["period_end"], note=values["note"],
    ), DECISION_FIELDS, problems)
    if result is not None:
        _done(result, _("The decision no. %(decision)s is recorded.", decision=result.decision_number))
        return redirect(url_for(".file_page", number=number, _anchor="decisions"))
    return _render_file(number, Failed("decision", problems, values, _renewed(problems, posted_key)))


@bp.post("/dossiers/<file_number:number>/formulaires")
@_in_role(AGENT)
def prepare_form(number: str):
    values = _form_values(PERIOD_FIELDS)
    posted_key = request.form.get("request_id", "")
    decision = whole_number(request.form.get("decision_number", "") or "0", "decision_number")
    problems = Problems()
    amount = _amount_checked(values, problems)
    result, problems = _submit("PrepareForm", pb.PrepareFormRequest(
        actor=_actor(), request_id=posted_key, file_number=number, decision_number=decision,
        period_start=values["period_start"], period_end=values["period_end"], monthly_amount=amount,
    ), PERIOD_FIELDS, problems)
    if result is not None:
        _done(result, _("Form B is prepared. Check it, then send it to the PPS SI."))
        return redirect(url_for(".file_page", number=number, _anchor=f"form-{result.form.form_id}"))
    return _render_file(number, Failed("prepare", problems, values, _renewed(problems, posted_key)))


@bp.post("/dossiers/<file_number:number>/cloture")
@_in_role(AGENT)
def close_file(number: str):
    posted_key = request.form.get("request_id", "")
    result, problems = _submit("CloseFile", pb.CloseFileRequest(
        actor=_actor(), request_id=posted_key, file_number=number), ())
    if result is not None:
        _done(result, _("File %(number)s is closed.", number=number))
        return redirect(url_for(".file_page", number=number))
    return _render_file(number, Failed("close", problems, {}, _renewed(problems, posted_key)))


def _form_file(form_id: str) -> str:
    """The file of a form of this entity (NOT_FOUND otherwise: the 404 page)."""
    return _call("GetForm", pb.GetFormRequest(actor=_actor(), form_id=form_id)).file_number


def _back_after_form(result, anchor_form: str):
    if request.form.get("back") == "forms":  # sent from the list of the forms to send
        return redirect(url_for(".forms", status="draft"))
    return redirect(url_for(".file_page", number=result.form.file_number, _anchor=f"form-{anchor_form}"))


@bp.post("/formulaires/<uuid:form_id>/envoi")
@_in_role(AGENT)
def send_form(form_id):
    form_id = str(form_id)
    posted_key = request.form.get("request_id", "")
    result, problems = _submit("SendForm", pb.SendFormRequest(actor=_actor(), request_id=posted_key,
                                                              form_id=form_id), ())
    if result is not None:
        _done(result, _("Form B of file %(number)s is sent to the PPS SI.", number=result.form.file_number))
        return _back_after_form(result, form_id)
    return _render_file(_form_file(form_id), Failed(f"send-{form_id}", problems, {}, _renewed(problems, posted_key)))


@bp.post("/formulaires/<uuid:form_id>/abandon")
@_in_role(AGENT)
def discard_form(form_id):
    form_id = str(form_id)
    posted_key = request.form.get("request_id", "")
    result, problems = _submit("DiscardForm", pb.DiscardFormRequest(actor=_actor(), request_id=posted_key,
                                                                    form_id=form_id), ())
    if result is not None:
        _done(result, _("The draft form is discarded."))
        return _back_after_form(result, form_id)
    return _render_file(_form_file(form_id),
                        Failed(f"discard-{form_id}", problems, {}, _renewed(problems, posted_key)))


@bp.post("/formulaires/<uuid:form_id>/modification")
@_in_role(AGENT)
def update_form(form_id):
    """A draft may still change (a sent form never does: it is corrected by a new one)."""
    form_id = str(form_id)
    values = _form_values(PERIOD_FIELDS)
    posted_key = request.form.get("request_id", "")
    problems = Problems()
    amount = _amount_checked(values, problems)
    result, problems = _submit("UpdateForm", pb.UpdateFormRequest(
        actor=_actor(), request_id=posted_key, form_id=form_id, period_start=values["period_start"],
        period_end=values["period_end"], monthly_amount=amount,
    ), PERIOD_FIELDS, problems)
    if result is not None:
        _done(result, _("The draft form is updated. Check it, then send it to the PPS SI."))
        return _back_after_form(result, form_id)
    return _render_file(_form_file(form_id),
                        Failed(f"update-{form_id}", problems, values, _renewed(problems, posted_key)))


@bp.post("/formulaires/<uuid:form_id>/correction")
@_in_role(AGENT)
def correct_form(form_id):
    form_id = str(form_id)
    values = _form_values(PERIOD_FIELDS)
    posted_key = request.form.get("request_id", "")
    problems = Problems()
    amount = _amount_checked(values, problems)
    result, problems = _submit("CorrectForm", pb.CorrectFormRequest(
        actor=_actor(), request_id=posted_key, form_id=form_id, period_start=values["period_start"],
        period_end=values["period_end"], monthly_amount=amount,
    ), PERIOD_FIELDS, problems)
    if result is not None:
        _done(result, _("The correction is prepared as a new form. Check it, then send it to the PPS SI."))
        return redirect(url_for(".file_page", number=result.form.file_number,
                                _anchor=f"form-{result.form.form_id}"))
    return _render_file(_form_file(form_id),
                        Failed(f"correct-{form_id}", problems, values, _renewed(problems, posted_key)))


# --- forms and messages ---------------------------------------------------------------------------


@bp.get("/formulaires")
@_in_role(AGENT)
def forms():
    status_code = request.args.get("status", "draft")
    status = 0 if status_code == "all" else value_of(status_code, "form_status")
    if status is None or status_code == "":
        raise BadInput("status", _("Choose one of the values offered."))
    page = _page_arg()
    found = _call("ListForms", pb.ListFormsRequest(actor=_actor(), status=status, page=page, page_size=PAGE_SIZE))
    return render_template("files/forms.html", found=found, status_code=status_code,
                           pages=_pages(found.total, found.page, found.page_size))


@bp.get("/messages")
@_in_role(AGENT)
def messages():
    unread_only = request.args.get("unread") == "1"
    found = _call("ListMessages", pb.ListMessagesRequest(actor=_actor(), unread_only=unread_only, page=_page_arg(),
                                                         page_size=PAGE_SIZE))
    return render_template("files/messages.html", found=found, unread_only=unread_only,
                           pages=_pages(found.total, found.page, found.page_size))


@bp.post("/messages/lus")
@_in_role(AGENT)
def mark_read():
    ids = [whole_number(v, "message_id", 1, INT64_MAX) for v in request.form.getlist("message_id")]
    if ids:
        left = _call("MarkMessagesRead", pb.MarkMessagesReadRequest(actor=_actor(), message_ids=ids)).unread
        flash(_("Marked as read. Unread messages left: %(count)s.", count=left))
    args = {"unread": "1"} if request.form.get("unread") == "1" else {}
    return redirect(url_for(".messages", **args))


