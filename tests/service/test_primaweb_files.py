"""PrimaWeb files over real gRPC on loopback, on a real database: every test runs on SQLite
(a temporary file) and on PostgreSQL (the session's cluster), the tables emptied before
each test. The life of a file, the profile gates, the isolation between two CPAS, double
submission (sequential and concurrent), and the SPP IS's listing and answers."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, func, select, text, update

from services.primaweb import database, demo_data, models, server
from services.primaweb.store import Store
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc
from tests.service.grpc_support import serving

HERSTAPPE = "0999000129"
NAMUR = "0999000327"
ANNE = "83032122635"  # social worker at both
SOPHIE = "78051408405"
# Beneficiaries: valid, fictional national register numbers.
JULIE = "85031499897"  # born 1985-03-14, F
TOM = "92070299751"  # born 1992-07-02, M
KEVIN = "01050999581"  # born 2001-05-09, M
ALL = ["consultation", "encodage-ris", "encodage-aide-sociale", "envoi-formulaires"]
RIS = pb.LAW_SOCIAL_INTEGRATION_2002
AIDE = pb.LAW_SOCIAL_AID_1965

_TABLES = [models.RequestKey, models.FileEvent, models.Message, models.Form, models.Decision, models.File]


def _url(backend: str, name: str, tmp_path_factory, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'primaweb.sqlite3'}"
    return request.getfixturevalue("postgres_server").create_database(name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    engine = database.make_engine(_url(request.param, "primaweb_files", tmp_path_factory, request), pool_size=16)
    database.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def channel(engine):
    with serving(server.registrar(Store(engine))) as ch:
        yield ch


@pytest.fixture
def clean(engine):
    with engine.begin() as c:
        c.execute(update(models.Form).values(corrects_id=None))
        for table in _TABLES:
            c.execute(delete(table))
        c.execute(delete(models.Counter).where(models.Counter.name != models.SENT_FORMS_COUNTER))
        c.execute(update(models.Counter).values(value=0))
    return engine


@pytest.fixture
def cpas(channel, clean):
    return primaweb_pb2_grpc.PrimaWebStub(channel)


@pytest.fixture
def spp(channel, clean):
    return primaweb_pb2_grpc.SppIntegrationStub(channel)


def actor(entity: str = HERSTAPPE, profiles=ALL, nrn: str = ANNE, role: str = "agent-social",
          language: str = "en") -> pb.Actor:
    return pb.Actor(acting_nrn=nrn, entity_id=entity, role=role, profiles=list(profiles),
                    display_name="Anne Demo-Peeters" if nrn == ANNE else "Sophie Demo-Lambert", language=language)


def key() -> str:
    return str(uuid.uuid4())


def new_file(**fields) -> pb.CreateFileRequest:
    values = dict(actor=actor(), request_id=key(), nrn=JULIE, first_name="Julie", last_name="Demo-Martin",
                  street="Rue de la Station 3", postal_code="4042", municipality="Herstappe", law=RIS,
                  category=pb.CATEGORY_SINGLE) | fields
    return pb.CreateFileRequest(**values)


def grant(number: str, **fields) -> pb.RecordDecisionRequest:
    values = dict(actor=actor(), request_id=key(), file_number=number, decided_on="2026-01-05",
                  outcome=pb.DECISION_OUTCOME_GRANTED, monthly_amount="1263.17", period_start="2026-01-01",
                  period_end="2026-06-30") | fields
    return pb.RecordDecisionRequest(**values)


def refused(call, code: grpc.StatusCode, field: str | None = None) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == code, err.value.details()
    if field is not None:
        assert err.value.details().startswith(f"{field}:"), err.value.details()
    return err.value


def trailing(error: grpc.RpcError) -> dict:
    return dict(error.trailing_metadata() or ())


def granted_file(cpas, **fields) -> str:
    number = cpas.CreateFile(new_file(**fields)).file.number
    cpas.RecordDecision(grant(number, actor=fields.get("actor", actor())))
    return number


def sent_form(cpas, number: str, who: pb.Actor | None = None, **period) -> pb.Form:
    who = who or actor()
    draft = cpas.PrepareForm(pb.PrepareFormRequest(actor=who, request_id=key(), file_number=number, **period)).form
    return cpas.SendForm(pb.SendFormRequest(actor=who, request_id=key(), form_id=draft.form_id)).form


# --- the database ---------------------------------------------------------------------------


def test_the_migrations_make_exactly_the_tables_the_models_describe(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, models.Base.metadata) == []


def test_amounts_are_exact_decimals_in_the_database(cpas, engine):
    number = granted_file(cpas)
    with engine.connect() as c:
        stored = c.execute(text("SELECT monthly_amount FROM decisions")).scalar_one()
        read = c.execute(select(models.Decision.monthly_amount)).scalar_one()
    from decimal import Decimal

    assert read == Decimal("1263.17") and isinstance(read, Decimal)
    # NUMERIC on PostgreSQL, whole cents on SQLite: never a float.
    assert stored == (126317 if engine.dialect.name == "sqlite" else Decimal("1263.17"))
    form = cpas.PrepareForm(pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=number,
                                                  period_start="2026-02-01", period_end="2026-02-14")).form
    assert form.total_amount == "631.59"  # 1263.17 x 14/28, rounded half-up


# --- the whole life of a file --------------------------------------------------------------


def test_the_whole_life_of_a_file(cpas, spp):
    created = cpas.CreateFile(new_file(social_worker_nrn=SOPHIE, social_worker_name="Sophie Demo-Lambert"))
    file = created.file
    assert not created.replayed
    assert file.number == f"{datetime.now(UTC).year}/000001"
    assert (file.birth_date, file.sex) == ("1985-03-14", pb.SEX_FEMALE)  # from the nrn
    assert file.status == pb.FILE_STATUS_OPEN and not file.HasField("current_decision")
    assert file.social_worker_name == "Sophie Demo-Lambert" and file.created_by_name == "Anne Demo-Peeters"

    decided = cpas.RecordDecision(grant(file.number))
    assert decided.decision_number == 1
    assert decided.file.current_decision.outcome == pb.DECISION_OUTCOME_GRANTED
    assert decided.file.current_decision.monthly_amount == "1263.17"

    draft = cpas.PrepareForm(pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=file.number,
                                                   period_start="2026-01-01", period_end="2026-01-31")).form
    assert draft.status == pb.FORM_STATUS_DRAFT and draft.total_amount == "1263.17"
    assert (draft.nrn, draft.last_name, draft.law) == (JULIE, "Demo-Martin", RIS)
    home = cpas.GetHome(pb.GetHomeRequest(acting_nrn=ANNE, entity_id=HERSTAPPE, role="agent-social", profiles=ALL))
    assert (home.open_files, home.my_open_files, home.forms_to_send, home.unread_messages) == (1, 0, 1, 0)

    sent = cpas.SendForm(pb.SendFormRequest(actor=actor(), request_id=key(), form_id=draft.form_id)).form
    assert sent.status == pb.FORM_STATUS_SENT and sent.HasField("sent_at")

    listed = spp.ListSentForms(pb.ListSentFormsRequest())
    assert [f.form_id for f in listed.forms] == [draft.form_id]
    assert listed.forms[0].entity_id == HERSTAPPE and not listed.more

    answered = spp.AnswerForm(pb.AnswerFormRequest(request_id=key(), form_id=draft.form_id,
                                                   answer=pb.ANSWER_REJECTED, reason="Période déjà couverte",
                                                   answered_by="Agent SPP IS"))
    assert answered.form.status == pb.FORM_STATUS_REJECTED

    # The answer is a message of the CPAS, on the home and in the file.
    home = cpas.GetHome(pb.GetHomeRequest(acting_nrn=ANNE, entity_id=HERSTAPPE, role="agent-social", profiles=ALL,
                                          language="fr"))
    assert (home.forms_to_send, home.unread_messages) == (0, 1)
    assert "rejeté par le SPP IS : Période déjà couverte" in home.latest_messages[0].summary
    messages = cpas.ListMessages(pb.ListMessagesRequest(actor=actor()))
    assert messages.total == messages.unread == 1 and messages.messages[0].form_id == draft.form_id
    assert cpas.MarkMessagesRead(pb.MarkMessagesReadRequest(
        actor=actor(), message_ids=[messages.messages[0].message_id])).unread == 0

    correction = cpas.CorrectForm(pb.CorrectFormRequest(actor=actor(), request_id=key(), form_id=draft.form_id,
                                                        period_end="2026-01-15")).form
    assert correction.corrects_form_id == draft.form_id and correction.total_amount == "611.21"
    cpas.SendForm(pb.SendFormRequest(actor=actor(), request_id=key(), form_id=correction.form_id))
    assert [f.corrects_form_id for f in spp.ListSentForms(pb.ListSentFormsRequest()).forms] == ["", draft.form_id]

    detail = cpas.GetFile(pb.GetFileRequest(actor=actor(), number=file.number))
    assert [e.kind for e in detail.history] == [
        "file-created", "decision-recorded", "form-prepared", "form-sent", "form-answered",
        "form-correction-prepared", "form-sent"]
    assert {e.actor_name for e in detail.history} == {"Anne Demo-Peeters", "Agent SPP IS"}
    assert detail.history[4].details["reason"] == "Période déjà couverte"
    assert [f.form_id for f in detail.forms] == [correction.form_id, draft.form_id]
    assert detail.forms[1].corrected_by_form_id == correction.form_id
    assert detail.messages[0].read

    closed = cpas.CloseFile(pb.CloseFileRequest(actor=actor(), request_id=key(), file_number=file.number)).file
    assert closed.status == pb.FILE_STATUS_CLOSED and closed.HasField("closed_at")


def test_decisions_are_kept_in_order_and_the_latest_is_current(cpas):
    number = granted_file(cpas)
    revised = cpas.RecordDecision(grant(number, decided_on="2026-02-02", outcome=pb.DECISION_OUTCOME_REFUSED,
                                        monthly_amount="", period_start="", period_end="", note="Revue"))
    assert revised.decision_number == 2
    assert revised.file.current_decision.outcome == pb.DECISION_OUTCOME_REFUSED
    refused(lambda: cpas.PrepareForm(pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=number)),
            grpc.StatusCode.FAILED_PRECONDITION, "decision_number")
    # The earlier grant still opens a form when named.
    form = cpas.PrepareForm(pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=number,
                                                  decision_number=1)).form
    assert (form.period_start, form.period_end, form.total_amount) == ("2026-01-01", "2026-06-30", "7579.02")
    detail = cpas.GetFile(pb.GetFileRequest(actor=actor(), number=number))
    assert [d.number for d in detail.decisions] == [2, 1]
    assert detail.history[2].summary == "Decision no. 2 of 2026-02-02: refused"


def test_a_second_open_file_for_the_same_person_and_law_is_refused_naming_the_first(cpas):
    first = cpas.CreateFile(new_file()).file.number
    err = refused(lambda: cpas.CreateFile(new_file(first_name="Julie B.")), grpc.StatusCode.FAILED_PRECONDITION,
                  "nrn")
    assert first in err.details() and "Julie Demo-Martin" in err.details()
    assert trailing(err)["ssp-existing-file"] == first
    assert trailing(err)["ssp-error-code"] == "duplicate-open-file"
    # Another law is another file; once the first is closed, a new one may be opened.
    assert cpas.CreateFile(new_file(law=AIDE)).file.number != first
    cpas.CloseFile(pb.CloseFileRequest(actor=actor(), request_id=key(), file_number=first))
    assert cpas.CreateFile(new_file()).file.number.endswith("000003")


def test_every_problem_of_a_form_is_reported_next_to_its_field_in_the_chosen_language(cpas):
    bad = new_file(actor=actor(language="nl"), nrn="85031499898", first_name=" ", postal_code="999",
                   category=pb.CATEGORY_UNSPECIFIED)
    err = refused(lambda: cpas.CreateFile(bad), grpc.StatusCode.INVALID_ARGUMENT, "nrn")
    assert err.details().splitlines() == [
        "nrn: geen geldig rijksregisternummer",
        "first_name: verplicht",
        "postal_code: 4 cijfers verwacht (1000 tot 9999)",
        "category: kies een van de voorgestelde waarden",
    ]
    violations = pb.FieldViolations.FromString(trailing(err)["ssp-field-violations-bin"]).violations
    assert [(v.field, v.code) for v in violations] == [
        ("nrn", "nrn-invalid"), ("first_name", "required"), ("postal_code", "postal-code"),
        ("category", "choose-one")]
    number = cpas.CreateFile(new_file()).file.number
    err = refused(lambda: cpas.RecordDecision(grant(number, actor=actor(language="fr"), monthly_amount="12.345",
                                                    period_start="2026-03-01", period_end="2026-02-01")),
                  grpc.StatusCode.INVALID_ARGUMENT, "monthly_amount")
    assert err.details().splitlines() == [
        "monthly_amount: montant en euros attendu, par exemple 1234.56 (2 décimales au plus)",
        "period_end: la fin ne peut pas précéder le début",
    ]
    for amount, code in [("0", "amount-positive"), ("10000.01", "amount-max"), ("1,5", "amount-format"),
                         ("-3", "amount-format"), ("1e3", "amount-format")]:
        err = refused(lambda a=amount: cpas.RecordDecision(grant(number, monthly_amount=a)),
                      grpc.StatusCode.INVALID_ARGUMENT, "monthly_amount")
        assert trailing(err)["ssp-error-code"] == code


# --- the profile gates ----------------------------------------------------------------------


def test_each_action_needs_its_profile_and_the_agent_role(cpas, spp):
    ris = granted_file(cpas)
    aide = cpas.CreateFile(new_file(nrn=KEVIN, law=AIDE)).file.number
    form = sent_form(cpas, ris)

    def as_(*profiles, role="agent-social"):
        return actor(profiles=profiles, role=role)

    calls = {
        "search": lambda a: cpas.SearchFiles(pb.SearchFilesRequest(actor=a)),
        "view": lambda a: cpas.GetFile(pb.GetFileRequest(actor=a, number=ris)),
        "create-ris": lambda a: cpas.CreateFile(new_file(actor=a, nrn=TOM)),
        "create-aide": lambda a: cpas.CreateFile(new_file(actor=a, nrn=TOM, law=AIDE)),
        "decide-ris": lambda a: cpas.RecordDecision(grant(ris, actor=a)),
        "decide-aide": lambda a: cpas.RecordDecision(grant(aide, actor=a)),
        "prepare": lambda a: cpas.PrepareForm(pb.PrepareFormRequest(actor=a, request_id=key(), file_number=ris)),
        "list-forms": lambda a: cpas.ListForms(pb.ListFormsRequest(actor=a)),
        "messages": lambda a: cpas.ListMessages(pb.ListMessagesRequest(actor=a)),
    }
    opens = {
        "consultation": {"search", "view", "list-forms", "messages"},
        "encodage-ris": {"create-ris", "decide-ris"},
        "encodage-aide-sociale": {"create-aide", "decide-aide"},
        "envoi-formulaires": {"prepare", "list-forms", "messages"},
        "rapports": set(),
    }
    for profile, allowed in opens.items():
        for name, call in calls.items():
            if name in allowed:
                call(as_(profile))
            else:
                err = refused(lambda c=call, p=profile: c(as_(p)), grpc.StatusCode.PERMISSION_DENIED,
                              "actor.profiles")
                assert trailing(err)["ssp-error-code"] == "profile-required", (profile, name)
    # The manager's role opens no file action, whatever the profiles.
    for call in calls.values():
        refused(lambda c=call: c(as_(*ALL, role="gestion-primaweb")), grpc.StatusCode.PERMISSION_DENIED,
                "actor.role")
    # Unknown profiles or roles are refused as arguments, naming the field.
    refused(lambda: calls["search"](as_("consultation", "everything")), grpc.StatusCode.INVALID_ARGUMENT,
            "actor.profiles")
    # The home shows only the counts the profiles allow.
    home = cpas.GetHome(pb.GetHomeRequest(acting_nrn=ANNE, entity_id=HERSTAPPE, role="agent-social",
                                          profiles=["encodage-ris"]))
    assert not any(home.HasField(f) for f in ("open_files", "forms_to_send", "unread_messages", "my_open_files"))
    home = cpas.GetHome(pb.GetHomeRequest(acting_nrn=ANNE, entity_id=HERSTAPPE, role="agent-social",
                                          profiles=["envoi-formulaires"]))
    assert home.HasField("forms_to_send") and home.HasField("unread_messages") and not home.HasField("open_files")
    # No PrimaWeb method answers the SPP IS's questions, and the SPP IS side changes no file.
    assert form.status == pb.FORM_STATUS_SENT
    spp_methods = set(pb.DESCRIPTOR.services_by_name["SppIntegration"].methods_by_name)
    assert spp_methods == {"ListSentForms", "AnswerForm"}
    assert not spp_methods & set(pb.DESCRIPTOR.services_by_name["PrimaWeb"].methods_by_name)


# --- isolation between two CPAS ----------------------------------------------------------------


def test_nothing_of_one_cpas_is_visible_or_changeable_from_another(cpas, spp):
    herstappe = granted_file(cpas)
    form = sent_form(cpas, herstappe)
    draft = cpas.PrepareForm(pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=herstappe,
                                                   period_start="2026-02-01", period_end="2026-02-28")).form
    spp.AnswerForm(pb.AnswerFormRequest(request_id=key(), form_id=form.form_id, answer=pb.ANSWER_ACCEPTED))
    namur = actor(entity=NAMUR)
    # Namur has its own numbering: the same number names its own file, not Herstappe's.
    namur_file = cpas.CreateFile(new_file(actor=namur)).file  # the same person may have a file there
    assert namur_file.number == herstappe

    assert [f.number for f in cpas.SearchFiles(pb.SearchFilesRequest(actor=namur, nrn=JULIE)).files] == [herstappe]
    assert cpas.SearchFiles(pb.SearchFilesRequest(actor=namur)).total == 1
    assert not cpas.GetFile(pb.GetFileRequest(actor=namur, number=herstappe)).forms
    assert cpas.ListForms(pb.ListFormsRequest(actor=namur)).total == 0
    assert cpas.ListMessages(pb.ListMessagesRequest(actor=namur)).total == 0
    for call in (
        lambda: cpas.GetForm(pb.GetFormRequest(actor=namur, form_id=form.form_id)),
        lambda: cpas.SendForm(pb.SendFormRequest(actor=namur, request_id=key(), form_id=draft.form_id)),
        lambda: cpas.UpdateForm(pb.UpdateFormRequest(actor=namur, request_id=key(), form_id=draft.form_id,
                                                     period_start="2026-02-01", period_end="2026-02-10",
                                                     monthly_amount="1")),
        lambda: cpas.DiscardForm(pb.DiscardFormRequest(actor=namur, request_id=key(), form_id=draft.form_id)),
        lambda: cpas.CorrectForm(pb.CorrectFormRequest(actor=namur, request_id=key(), form_id=form.form_id)),
    ):
        refused(call, grpc.StatusCode.NOT_FOUND, "form_id")
    message_id = cpas.ListMessages(pb.ListMessagesRequest(actor=actor())).messages[0].message_id
    refused(lambda: cpas.MarkMessagesRead(pb.MarkMessagesReadRequest(actor=namur, message_ids=[message_id])),
            grpc.StatusCode.NOT_FOUND, "message_ids")
    home = cpas.GetHome(pb.GetHomeRequest(acting_nrn=ANNE, entity_id=NAMUR, role="agent-social", profiles=ALL))
    assert (home.open_files, home.forms_to_send, home.unread_messages, len(home.latest_messages)) == (1, 0, 0, 0)
    # Herstappe's data are untouched.
    assert cpas.GetForm(pb.GetFormRequest(actor=actor(), form_id=draft.form_id)).status == pb.FORM_STATUS_DRAFT
    assert cpas.ListMessages(pb.ListMessagesRequest(actor=actor())).unread == 1
    # A file number of another CPAS that does not exist here is just not found.
    cpas.CloseFile(pb.CloseFileRequest(actor=namur, request_id=key(), file_number=namur_file.number))
    other = cpas.CreateFile(new_file(nrn=TOM)).file.number  # Herstappe's second file
    refused(lambda: cpas.GetFile(pb.GetFileRequest(actor=namur, number=other)), grpc.StatusCode.NOT_FOUND, "number")
    refused(lambda: cpas.RecordDecision(grant(other, actor=namur)), grpc.StatusCode.NOT_FOUND, "file_number")


# --- forms -------------------------------------------------------------------------------------


def test_a_sent_form_is_never_edited_only_corrected_once(cpas):
    number = granted_file(cpas)
    form = sent_form(cpas, number)
    for call in (
        lambda: cpas.UpdateForm(pb.UpdateFormRequest(actor=actor(), request_id=key(), form_id=form.form_id,
                                                     period_start="2026-01-01", period_end="2026-01-31",
                                                     monthly_amount="100")),
        lambda: cpas.SendForm(pb.SendFormRequest(actor=actor(), request_id=key(), form_id=form.form_id)),
        lambda: cpas.DiscardForm(pb.DiscardFormRequest(actor=actor(), request_id=key(), form_id=form.form_id)),
    ):
        err = refused(call, grpc.StatusCode.FAILED_PRECONDITION, "form_id")
        assert trailing(err)["ssp-error-code"] == "form-not-draft"
    correction = cpas.CorrectForm(pb.CorrectFormRequest(actor=actor(), request_id=key(), form_id=form.form_id,
                                                        monthly_amount="1000")).form
    assert (correction.corrects_form_id, correction.monthly_amount) == (form.form_id, "1000.00")
    err = refused(lambda: cpas.CorrectForm(pb.CorrectFormRequest(actor=actor(), request_id=key(),
                                                                 form_id=form.form_id)),
                  grpc.StatusCode.FAILED_PRECONDITION, "form_id")
    assert correction.form_id in err.details()
    # A draft is not corrected, it is edited: within the decision, at most its amount.
    refused(lambda: cpas.CorrectForm(pb.CorrectFormRequest(actor=actor(), request_id=key(),
                                                           form_id=correction.form_id)),
            grpc.StatusCode.FAILED_PRECONDITION, "form_id")
    err = refused(lambda: cpas.UpdateForm(pb.UpdateFormRequest(
        actor=actor(), request_id=key(), form_id=correction.form_id, period_start="2025-12-01",
        period_end="2026-01-31", monthly_amount="1300")), grpc.StatusCode.INVALID_ARGUMENT, "period_start")
    assert [line.split(":")[0] for line in err.details().splitlines()] == ["period_start", "monthly_amount"]
    # Discarding the correction frees the form for another one.
    cpas.DiscardForm(pb.DiscardFormRequest(actor=actor(), request_id=key(), form_id=correction.form_id))
    again = cpas.CorrectForm(pb.CorrectFormRequest(actor=actor(), request_id=key(), form_id=form.form_id)).form
    assert again.corrects_form_id == form.form_id
    drafts = cpas.ListForms(pb.ListFormsRequest(actor=actor(), status=pb.FORM_STATUS_DRAFT))
    assert [f.form_id for f in drafts.forms] == [again.form_id]


def test_a_form_is_answered_once(cpas, spp):
    form = sent_form(cpas, granted_file(cpas))
    first = pb.AnswerFormRequest(request_id=key(), form_id=form.form_id, answer=pb.ANSWER_ACCEPTED)
    spp.AnswerForm(first)
    assert spp.AnswerForm(first).replayed  # a retry of the same answer
    err = refused(lambda: spp.AnswerForm(pb.AnswerFormRequest(request_id=key(), form_id=form.form_id,
                                                              answer=pb.ANSWER_REJECTED, reason="Non")),
                  grpc.StatusCode.FAILED_PRECONDITION, "form_id")
    assert trailing(err)["ssp-error-code"] == "form-already-answered"
    refused(lambda: spp.AnswerForm(pb.AnswerFormRequest(request_id=key(), form_id=form.form_id,
                                                        answer=pb.ANSWER_REJECTED)),
            grpc.StatusCode.INVALID_ARGUMENT, "reason")
    draft = cpas.PrepareForm(pb.PrepareFormRequest(actor=actor(), request_id=key(),
                                                   file_number=form.file_number)).form
    refused(lambda: spp.AnswerForm(pb.AnswerFormRequest(request_id=key(), form_id=draft.form_id,
                                                        answer=pb.ANSWER_ACCEPTED)),
            grpc.StatusCode.NOT_FOUND, "form_id")  # a draft is not the SPP IS's business
    assert cpas.ListMessages(pb.ListMessagesRequest(actor=actor())).total == 1


# --- double submission ----------------------------------------------------------------------------


def test_a_repeated_request_id_creates_nothing_and_answers_the_first_result(cpas):
    request = new_file()
    first = cpas.CreateFile(request)
    again = cpas.CreateFile(request)
    assert again.replayed and again.file.number == first.file.number
    decision = grant(first.file.number)
    assert cpas.RecordDecision(decision).decision_number == cpas.RecordDecision(decision).decision_number == 1
    prepare = pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=first.file.number)
    assert cpas.PrepareForm(prepare).form.form_id == cpas.PrepareForm(prepare).form.form_id
    assert cpas.ListForms(pb.ListFormsRequest(actor=actor())).total == 1
    # The same key for another request is refused; a refused request leaves its key free.
    err = refused(lambda: cpas.CreateFile(new_file(request_id=request.request_id, nrn=TOM)),
                  grpc.StatusCode.FAILED_PRECONDITION, "request_id")
    assert trailing(err)["ssp-error-code"] == "request-id-reused"
    fresh = key()
    refused(lambda: cpas.CreateFile(new_file(request_id=fresh, nrn=TOM, postal_code="")),
            grpc.StatusCode.INVALID_ARGUMENT, "postal_code")
    assert not cpas.CreateFile(new_file(request_id=fresh, nrn=TOM)).replayed


def _together(count: int, call):
    """`count` threads make the call at the same moment; their results (or errors)."""
    barrier = threading.Barrier(count)

    def one(_):
        barrier.wait()
        try:
            return call()
        except grpc.RpcError as exc:
            return exc

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_double_submissions_make_one_file_and_one_form(cpas, engine):
    request = new_file()
    results = _together(8, lambda: cpas.CreateFile(request, timeout=30))
    assert all(isinstance(r, pb.FileResult) for r in results), results
    assert len({r.file.number for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    number = results[0].file.number
    cpas.RecordDecision(grant(number))

    prepare = pb.PrepareFormRequest(actor=actor(), request_id=key(), file_number=number)
    forms = _together(8, lambda: cpas.PrepareForm(prepare, timeout=30))
    assert len({f.form.form_id for f in forms}) == 1
    send = pb.SendFormRequest(actor=actor(), request_id=key(), form_id=forms[0].form.form_id)
    sent = _together(8, lambda: cpas.SendForm(send, timeout=30))
    assert {s.form.status for s in sent} == {pb.FORM_STATUS_SENT} and sum(not s.replayed for s in sent) == 1
    # Different keys for the same person at once: one file, the others refused naming it.
    others = _together(6, lambda: cpas.CreateFile(new_file(nrn=TOM), timeout=30))
    made = [r for r in others if isinstance(r, pb.FileResult)]
    assert len(made) == 1
    assert {trailing(r)["ssp-existing-file"] for r in others if isinstance(r, grpc.RpcError)} == {made[0].file.number}
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(models.File)).scalar_one() == 2
        assert c.execute(select(func.count()).select_from(models.Form)).scalar_one() == 1
        assert c.execute(select(models.Counter.value).where(
            models.Counter.name == models.SENT_FORMS_COUNTER)).scalar_one() == 1


# --- searching ------------------------------------------------------------------------------------


def test_search_by_number_name_nrn_law_status_and_my_files_with_stable_pages(cpas):
    people = [("Élise", "Demo-Dupont", "85073003328"), ("Marc", "Demo-Dupuis", TOM), ("Zoé", "Demo-Zeller", KEVIN),
              ("Anna", "Demo-Adams", JULIE), ("Louis", "Demo-Dupont", "90040899207")]
    numbers = {}
    for first, last, nrn in people:
        worker = {} if first != "Marc" else {"social_worker_nrn": SOPHIE, "social_worker_name": "Sophie"}
        numbers[first] = cpas.CreateFile(new_file(first_name=first, last_name=last, nrn=nrn, **worker)).file.number
    cpas.CreateFile(new_file(nrn=JULIE, first_name="Anna", last_name="Demo-Adams", law=AIDE))

    def search(**criteria):
        found = cpas.SearchFiles(pb.SearchFilesRequest(actor=actor(), **criteria))
        return [f"{f.first_name} {f.last_name}" for f in found.files], found.total

    assert search(name="demo-dup") == (["Élise Demo-Dupont", "Louis Demo-Dupont", "Marc Demo-Dupuis"], 3)
    assert search(name="ELI") == (["Élise Demo-Dupont"], 1)  # first name, accents and case ignored
    assert search(number=numbers["Zoé"]) == (["Zoé Demo-Zeller"], 1)
    assert search(nrn=JULIE) == (["Anna Demo-Adams", "Anna Demo-Adams"], 2)
    assert search(nrn=JULIE, law=AIDE)[1] == 1
    assert search(mine=True)[1] == 5 and "Marc Demo-Dupuis" not in search(mine=True)[0]
    cpas.CloseFile(pb.CloseFileRequest(actor=actor(), request_id=key(), file_number=numbers["Louis"]))
    assert search(status=pb.FILE_STATUS_CLOSED) == (["Louis Demo-Dupont"], 1)
    assert search(name="demo-dup", status=pb.FILE_STATUS_OPEN)[1] == 2
    pages = [search(page=n, page_size=2) for n in (1, 2, 3, 4)]
    assert [p[0] for p in pages] == [
        ["Anna Demo-Adams", "Anna Demo-Adams"], ["Élise Demo-Dupont", "Louis Demo-Dupont"],
        ["Marc Demo-Dupuis", "Zoé Demo-Zeller"], []]
    assert {p[1] for p in pages} == {6}
    refused(lambda: search(page_size=101), grpc.StatusCode.INVALID_ARGUMENT, "page_size")
    refused(lambda: search(number="2026-1"), grpc.StatusCode.INVALID_ARGUMENT, "number")
    refused(lambda: search(nrn="123"), grpc.StatusCode.INVALID_ARGUMENT, "nrn")


# --- the SPP IS's listing ---------------------------------------------------------------------------


def test_the_federal_listing_pages_are_stable_and_resumable_while_forms_arrive(cpas, spp):
    herstappe = [granted_file(cpas, nrn=nrn) for nrn in (JULIE, TOM)]
    namur = granted_file(cpas, actor=actor(entity=NAMUR))
    sources = [(herstappe[0], actor()), (herstappe[1], actor()), (namur, actor(entity=NAMUR))]

    def send_some(count: int, offset: int) -> list[str]:
        ids = []
        for i in range(count):
            number, who = sources[(i + offset) % len(sources)]
            ids.append(sent_form(cpas, number, who).form_id)
        return ids

    before = send_some(12, 0)
    start = datetime.now(UTC)
    seen: list[str] = []
    token = ""
    arriving: list[str] = []
    writer = threading.Thread(target=lambda: arriving.extend(send_some(24, 1)))
    writer.start()
    while True:
        finished = not writer.is_alive()  # before the call: then every form is already there
        page = spp.ListSentForms(pb.ListSentFormsRequest(page_token=token, page_size=5))
        assert page.next_page_token  # always resumable
        seen += [f.form_id for f in page.forms]
        token = page.next_page_token
        if not page.forms and finished:
            break
    writer.join()
    # Every form exactly once, in the order they were sent, across CPAS.
    assert seen == before + arriving
    assert {f.entity_id for f in spp.ListSentForms(pb.ListSentFormsRequest(page_size=1000)).forms} == {HERSTAPPE,
                                                                                                         NAMUR}
    # The stored token resumes exactly after the last form seen, later on.
    later = send_some(2, 0)
    page = spp.ListSentForms(pb.ListSentFormsRequest(page_token=token))
    assert [f.form_id for f in page.forms] == later and not page.more
    # "since": from the first form sent at or after that moment.
    stamp = pb.ListSentFormsRequest().since
    stamp.FromDatetime(start)
    since = spp.ListSentForms(pb.ListSentFormsRequest(since=stamp, page_size=1000))
    assert [f.form_id for f in since.forms] == arriving + later
    stamp.FromDatetime(datetime.now(UTC) + timedelta(hours=1))
    empty = spp.ListSentForms(pb.ListSentFormsRequest(since=stamp))
    assert not empty.forms
    assert [f.form_id for f in spp.ListSentForms(pb.ListSentFormsRequest(page_token=empty.next_page_token)).forms] \
        == []
    for token in ("nonsense", "c2VudDp4"):  # not base64 of "sent:<n>"
        refused(lambda t=token: spp.ListSentForms(pb.ListSentFormsRequest(page_token=t)),
                grpc.StatusCode.INVALID_ARGUMENT, "page_token")


# --- the demo data ------------------------------------------------------------------------------------


def test_demo_data_loaded_twice_changes_nothing(cpas, spp, engine):
    added = demo_data.load(engine)
    assert added

    def counts():
        with engine.connect() as c:
            return [c.execute(select(func.count()).select_from(t)).scalar_one() for t in _TABLES]

    before = counts()
    assert demo_data.load(engine) == []
    assert counts() == before
    anne = actor(profiles=["consultation", "envoi-formulaires"])
    mine = cpas.SearchFiles(pb.SearchFilesRequest(actor=anne, mine=True))
    assert mine.total == 4 and all("Demo" in f.last_name for f in mine.files)
    home = cpas.GetHome(pb.GetHomeRequest(acting_nrn=ANNE, entity_id=HERSTAPPE, role="agent-social",
                                          profiles=["consultation", "envoi-formulaires"]))
    assert (home.open_files, home.forms_to_send, home.unread_messages) == (6, 1, 2)
    assert {f.entity_id for f in spp.ListSentForms(pb.ListSentFormsRequest()).forms} == {HERSTAPPE, NAMUR}


def test_demo_data_is_loaded_into_an_empty_database_only(cpas, engine):
    """A database in use is never touched: the demo would otherwise redo what its users
    undid (issue 12)."""
    own = cpas.CreateFile(new_file())
    assert demo_data.load(engine) == []
    found = cpas.SearchFiles(pb.SearchFilesRequest(actor=actor()))
    assert [f.number for f in found.files] == [own.file.number]


def test_a_second_demo_load_redoes_nothing_its_users_undid(cpas, engine):
    assert demo_data.load(engine)
    anne = actor()
    drafts = cpas.ListForms(pb.ListFormsRequest(actor=anne, status=pb.FORM_STATUS_DRAFT)).forms
    assert len(drafts) == 1
    cpas.DiscardForm(pb.DiscardFormRequest(actor=anne, request_id=key(), form_id=drafts[0].form_id))
    assert demo_data.load(engine) == []
    assert not cpas.ListForms(pb.ListFormsRequest(actor=anne, status=pb.FORM_STATUS_DRAFT)).forms
