"""Issue 5 over HTTP: an agent of a CPAS manages a social-integration file and sends its
reimbursement form to the SPP IS, the way a user walks it with a browser without
JavaScript: search, open a file (field errors, a second open file, double submissions),
record the Conseil's decision, prepare and send form B, the SPP IS's rejection (as the
SPP IS's own client, over gRPC), the message, the correction; the profile gates; and the
isolation of the CPAS.

Pages are read in English (?lang=en, kept in a cookie): the service's texts then come in
English too, and the assertions do not depend on the French catalogue."""

from __future__ import annotations

import random
import re
import threading
import uuid
from datetime import date, timedelta
from html import unescape

import grpc
import pytest
import requests
from stdnum.be import nn

from services.auth.demo_cards import DEMO_PEOPLE
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc
from tests.system.browser import Browser

pytestmark = pytest.mark.system

ANNE = DEMO_PEOPLE["colleague"]  # Herstappe: consultation, encodage-ris, envoi-formulaires
MARC = DEMO_PEOPLE["primaweb_manager"]  # as agent in Herstappe: consultation, rapports
HERSTAPPE, NAMUR = "0999000129", "0999000327"
REJECTION = "Period overlaps an accepted form: correct the end date."


# --- helpers -------------------------------------------------------------------------------


def new_nrn(rng: random.Random) -> str:
    """A valid national register number nobody else in the demo has (counters below 900)."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 54))
    counter = rng.randrange(1, 900)
    first9 = f"{born:%y%m%d}{counter:03d}"
    base = int(("2" if born.year >= 2000 else "") + first9)
    number = f"{first9}{97 - base % 97:02d}"
    assert nn.is_valid(number)
    return number


def enter_primaweb(stack, card, role: str | None = None) -> tuple[Browser, requests.Response]:
    user = Browser(stack)
    entities = user.login(card)
    choices = dict(re.findall(r'<h2>(.*?)</h2>.*?name="choice" value="([0-9]{10}:action-sociale)"', entities.text,
                              re.S))
    user.post("/entites", {"choice": choices["CPAS de Herstappe"]})
    started = user.post("/primaweb/demarrer", {})
    if role is not None:
        started = user.post("/primaweb/role", {"role": role})
    assert started.url.endswith("/primaweb/")
    return user, user.get("/primaweb/?lang=en")


def text(page) -> str:
    """The page's main content as text, spaces normalised (no-break spaces too)."""
    main = page.text[page.text.find("<main"):page.text.find("</main>")]
    plain = unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\s+", " ", plain.replace("\u202f", " ").replace("\xa0", " "))


def hidden(page, name: str, index: int = 0) -> str:
    return re.findall(rf'name="{name}" value="([^"]*)"', page.text)[index]


def form_with(page, action: str) -> dict[str, str]:
    """The hidden fields (CSRF, request_id, ...) of the form posting to `action`."""
    found = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', page.text, re.S)
    assert found, f"no form posting to {action}"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found.group(1)))


def field_error(page, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', page.text, re.S)
    assert found, f"no error next to {field_id}"
    described = re.search(rf'<(?:input|select|textarea) id="{field_id}"[^>]*>', page.text).group(0)
    assert 'aria-invalid="true"' in described and f"{field_id}-error" in described
    return unescape(found.group(1)).strip()


def home_count(page, part: str) -> int:
    found = re.search(rf'id="part-{part}">.*?class="part-count">[^<]*<b>([0-9]+)</b>', page.text, re.S)
    assert found, f"no count on the part {part}"
    return int(found.group(1))


def file_path(number: str) -> str:
    return "/primaweb/dossiers/" + number.replace("/", "-")


def form_ids(page) -> list[str]:
    return re.findall(r'<article class="pw-formcard[^"]*" id="form-([0-9a-f-]{36})"', page.text)


def actor(entity: str, nrn: str = ANNE.nrn) -> pb.Actor:
    return pb.Actor(acting_nrn=nrn, entity_id=entity, role="agent-social", display_name="Anne Demo-Peeters",
                    profiles=["consultation", "encodage-ris", "envoi-formulaires"], language="en")


@pytest.fixture(scope="module")
def rng():
    return random.Random(uuid.uuid4().int)


def new_file_form(user: Browser, law: str = "ris-2002"):
    page = user.get(f"/primaweb/dossiers/nouveau?law={law}")
    assert page.status_code == 200
    return page, {"request_id": hidden(page, "request_id")}


# --- the journey ---------------------------------------------------------------------------


def test_an_agent_opens_a_file_decides_sends_form_b_and_corrects_it_after_the_spp_is_rejects_it(any_stack, rng):
    stack = any_stack
    anne, home = enter_primaweb(stack, ANNE)
    before = {part: home_count(home, part) for part in ("search-files", "my-files", "forms-to-send", "messages")}
    assert 'href="/primaweb/dossiers?mine=1"' in home.text
    assert 'href="/primaweb/dossiers/nouveau?law=ris-2002"' in home.text
    assert 'id="part-new-file-social-aid"' not in home.text  # no encodage-aide-sociale

    # Search: all the CPAS's files, then by name, then nothing.
    everything = anne.get("/primaweb/dossiers")
    assert "Files found:" in text(everything) and "Demo-Martin Julie" in text(everything)
    julie = anne.get("/primaweb/dossiers?name=jul&law=ris-2002")
    assert "Demo-Martin Julie" in text(julie) and "Demo-Janssens" not in text(julie)
    assert "Files found: 1" in text(julie)
    nothing = anne.get("/primaweb/dossiers?name=zzzz-nobody")
    assert "No file matches these criteria." in text(nothing)

    # A new file: errors next to each field, values kept, the same request id kept.
    nrn = new_nrn(rng)
    page, keys = new_file_form(anne)
    assert re.search(r'<option value="ris-2002" selected>', page.text)
    assert 'value="aide-sociale-1965"' not in page.text  # only the laws her profiles open
    refused = anne.post("/primaweb/dossiers/nouveau", {
        **keys, "nrn": "12345678901", "first_name": "", "last_name": "", "street": "Rue de la Gare 4",
        "postal_code": "123", "municipality": "Herstappe", "law": "ris-2002", "category": "isole"})
    assert refused.status_code == 400
    assert field_error(refused, "nrn") == "Not a valid national register number"
    assert field_error(refused, "first_name") == "Required"
    assert field_error(refused, "last_name") == "Required"
    assert field_error(refused, "postal_code") == "Expected 4 digits (1000 to 9999)"
    summary = re.search(r'<div class="error-box error-summary".*?</div>', refused.text, re.S).group(0)
    assert all(f'href="#{f}"' in summary for f in ("nrn", "first_name", "last_name", "postal_code"))
    assert 'value="Rue de la Gare 4"' in refused.text and 'value="12345678901"' in refused.text
    assert hidden(refused, "request_id") == keys["request_id"]

    values = {"nrn": f"{nrn[:2]}.{nrn[2:4]}.{nrn[4:6]}-{nrn[6:9]}.{nrn[9:]}", "first_name": "Élise",
              "last_name": "Demo-Test", "street": "Rue de la Gare 4", "postal_code": "4042",
              "municipality": "Herstappe", "law": "ris-2002", "category": "isole"}
    created = anne.post("/primaweb/dossiers/nouveau", {**keys, **values})
    assert created.status_code == 200 and re.search(r"/primaweb/dossiers/[0-9]{4}-[0-9]{6}$", created.url)
    number = re.search(r"File ([0-9]{4}/[0-9]{6}) is created\.", text(created)).group(1)
    assert created.url.endswith(file_path(number))
    facts = text(created)
    assert "Demo-Test Élise" in facts and nrn[:2] + "." in facts
    assert "Social worker Anne Demo-Peeters" in facts and "Category Single person" in facts
    born = nn.get_birth_date(nrn)
    assert f"Birth date {born:%Y-%m-%d}" in facts
    assert f"Sex {'Male' if nn.get_gender(nrn) == 'M' else 'Female'}" in facts

    # The same form again (a refresh, a double click): replayed, not a second file.
    again = anne.post("/primaweb/dossiers/nouveau", {**keys, **values})
    assert again.url == created.url
    assert "This had already been recorded: nothing was done twice." in text(again)
    # Two at once, from two connections with the same session and the same request id.
    page, keys2 = new_file_form(anne, "ris-2002")
    twin = {**values, "last_name": "Demo-Twin", "nrn": new_nrn(rng)}
    replies: list[requests.Response] = []

    def submit():
        http = requests.Session()
        http.cookies.update(anne.http.cookies)
        replies.append(http.post(stack.url + "/primaweb/dossiers/nouveau",
                                 data={**keys2, **twin, "csrf_token": anne.csrf}, timeout=15))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].url == replies[1].url and "/primaweb/dossiers/" in replies[0].url
    found = anne.get(f"/primaweb/dossiers?nrn={twin['nrn']}")
    assert "Files found: 1" in text(found)

    # A second open file for the same person under the same law: refused, naming the first.
    page, keys3 = new_file_form(anne)
    duplicate = anne.post("/primaweb/dossiers/nouveau", {**keys3, **values, "first_name": "Elise"})
    assert duplicate.status_code == 409
    assert f"already has an open file under this law in your CPAS: file {number}" in text(duplicate)
    assert f'href="{file_path(number)}"' in duplicate.text

    # The Conseil's decision: the amount is read as typed; errors shown next to the fields.
    the_file = anne.get(file_path(number))
    decide = form_with(the_file, file_path(number) + "/decisions")
    today = date.today()
    start, end = today.replace(day=1), (today.replace(day=1) + timedelta(days=190)).replace(day=1) - timedelta(days=1)
    wrong = anne.post(file_path(number) + "/decisions", {
        **decide, "decided_on": (today + timedelta(days=3)).isoformat(), "outcome": "granted",
        "monthly_amount": "12,34,5", "period_start": start.isoformat(),
        "period_end": (start - timedelta(days=1)).isoformat()})
    assert wrong.status_code == 400
    assert "Enter an amount in euros with at most 2 decimals" in field_error(wrong, "decision-monthly_amount")
    assert field_error(wrong, "decision-decided_on") == "Cannot be in the future"
    assert field_error(wrong, "decision-period_end") == "The end cannot be before the start"
    assert 'value="12,34,5"' in wrong.text and re.search(r"<details[^>]*id=\"record-decision\" open", wrong.text)
    decided = anne.post(file_path(number) + "/decisions", {
        **form_with(wrong, file_path(number) + "/decisions"), "decided_on": today.isoformat(), "outcome": "granted",
        "monthly_amount": "1 263,17", "period_start": start.isoformat(), "period_end": end.isoformat(),
        "note": "CAS du jour"})
    assert "The decision no. 1 is recorded." in text(decided)
    assert "€1,263.17" in text(decided) and "CAS du jour" in text(decided)
    in_french = anne.get(file_path(number) + "?lang=fr")
    assert "1 263,17 €" in text(in_french)
    anne.get(file_path(number) + "?lang=en")

    # Form B from the granted decision: period and amount default to the decision's.
    the_file = anne.get(file_path(number))
    prepare = form_with(the_file, file_path(number) + "/formulaires")
    assert re.search(rf'id="prepare-period_start" name="period_start" type="date" value="{start.isoformat()}"',
                     the_file.text)
    month_end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    prepared = anne.post(file_path(number) + "/formulaires", {
        **prepare, "period_start": start.isoformat(), "period_end": month_end.isoformat(), "monthly_amount": "1263.17"})
    assert "Form B is prepared." in text(prepared)
    (form_id,) = form_ids(prepared)
    assert home_count(anne.get("/primaweb/"), "forms-to-send") == before["forms-to-send"] + 1

    # A draft may still change; a bad amount is said next to its field.
    update_action = f"/primaweb/formulaires/{form_id}/modification"
    update = form_with(prepared, update_action)
    refused = anne.post(update_action, {**update, "monthly_amount": "beaucoup"})
    assert refused.status_code == 400
    assert re.search(r'id="update-[0-9a-f-]+-monthly_amount"[^>]*aria-invalid="true"', refused.text)
    shorter = (month_end - timedelta(days=1)).isoformat()
    updated = anne.post(update_action, {**update, "period_start": start.isoformat(), "period_end": shorter,
                                        "monthly_amount": "1263,17"})
    assert "The draft form is updated." in text(updated)
    assert form_ids(updated) == [form_id]  # the same form, changed, not a new one
    prepared = updated
    to_send = anne.get("/primaweb/formulaires?status=draft")
    assert f"{file_path(number)}#form-{form_id}" in to_send.text

    # Send it; the same button again only replays.
    send_action = f"/primaweb/formulaires/{form_id}/envoi"
    send = form_with(prepared, send_action)
    sent = anne.post(send_action, send)
    assert f"Form B of file {number} is sent to the PPS SI." in text(sent)
    assert "Sent, awaiting the answer" in text(sent) and send_action not in sent.text
    assert "This had already been recorded" in text(anne.post(send_action, send))

    # The SPP IS, with its own client, finds the form and rejects it.
    spp = primaweb_pb2_grpc.SppIntegrationStub(stack.channel("primaweb", "spp-is"))
    listed, token = [], ""
    while True:
        page_of = spp.ListSentForms(pb.ListSentFormsRequest(page_token=token, page_size=1000), timeout=10)
        listed += list(page_of.forms)
        token = page_of.next_page_token
        if not page_of.more:
            break
    mine = next(f for f in listed if f.form_id == form_id)
    assert (mine.entity_id, mine.nrn, mine.monthly_amount) == (HERSTAPPE, nrn, "1263.17")
    spp.AnswerForm(pb.AnswerFormRequest(request_id=uuid.uuid4().hex, form_id=form_id, answer=pb.ANSWER_REJECTED,
                                        reason=REJECTION, answered_by="SPP IS test officer"), timeout=10)

    # The message on the home, on the messages page and in the file's history.
    home = anne.get("/primaweb/")
    assert home_count(home, "messages") == before["messages"] + 1
    assert REJECTION in text(home) and f"Open file {number}" in text(home)
    messages = anne.get("/primaweb/messages?unread=1")
    assert REJECTION in text(messages)
    message_id = re.search(rf'id="message-([0-9]+)">(?:(?!</li>).)*?{re.escape(REJECTION)}', messages.text,
                           re.S).group(1)
    read = anne.post("/primaweb/messages/lus", {"message_id": message_id, "unread": "1"})
    assert "Marked as read." in text(read) and f'id="message-{message_id}"' not in read.text
    assert home_count(anne.get("/primaweb/"), "messages") == before["messages"]
    the_file = anne.get(file_path(number))
    assert "Rejected by the PPS SI" in text(the_file)
    history = text(the_file)[text(the_file).find("History When Who What"):]
    assert "SPP IS test officer" in history and REJECTION in history
    assert "Anne Demo-Peeters" in history and "sent to the PPS SI" in history

    # Correct the rejected form: a new draft referring to it, then sent.
    correct_action = f"/primaweb/formulaires/{form_id}/correction"
    corrected = anne.post(correct_action, {
        **form_with(the_file, correct_action), "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=14)).isoformat(), "monthly_amount": "1263,17"})
    assert "The correction is prepared as a new form." in text(corrected)
    correction_id = next(i for i in form_ids(corrected) if i != form_id)
    assert f'href="#form-{form_id}"' in corrected.text  # "Corrects the form ..."
    assert correct_action not in corrected.text  # corrected once only
    send_action = f"/primaweb/formulaires/{correction_id}/envoi"
    resent = anne.post(send_action, form_with(corrected, send_action))
    assert f"Form B of file {number} is sent to the PPS SI." in text(resent)
    assert "Correction of form" in text(resent)

    # The home's counts are true: two open files more, both Anne's.
    home = anne.get("/primaweb/")
    assert home_count(home, "search-files") == before["search-files"] + 2
    assert home_count(home, "my-files") == before["my-files"] + 2
    assert home_count(home, "forms-to-send") == before["forms-to-send"]

    # Close the file: no more changes offered on it.
    close_action = file_path(number) + "/cloture"
    closed = anne.post(close_action, form_with(resent, close_action))
    assert f"File {number} is closed." in text(closed)
    assert close_action not in closed.text and "/decisions" not in closed.text
    assert home_count(anne.get("/primaweb/"), "search-files") == before["search-files"] + 1


def test_an_agent_with_consultation_only_sees_files_but_no_action_and_is_refused_a_direct_post(stack):
    marc, home = enter_primaweb(stack, MARC, role="agent-social")
    assert 'id="part-new-file-ris"' not in home.text and 'id="part-forms-to-send"' not in home.text
    assert 'id="part-reports"' in home.text
    reports = re.search(r'id="part-reports">(.*?)</li>', home.text, re.S).group(1)
    assert "<a " not in reports  # no page yet: a card, not a dead link
    files = marc.get("/primaweb/dossiers")
    assert "Demo-Martin Julie" in text(files) and "New file" not in text(files)
    number = re.search(r'href="/primaweb/dossiers/([0-9]{4}-[0-9]{6})">', files.text).group(1)
    page = marc.get(f"/primaweb/dossiers/{number}")
    assert page.status_code == 200 and "Beneficiary" in text(page)
    assert 'name="request_id"' not in page.text and 'method="post" action="/primaweb/dossiers' not in page.text
    assert marc.get("/primaweb/dossiers/nouveau").status_code == 403

    refused = marc.post("/primaweb/dossiers/nouveau", {
        "request_id": uuid.uuid4().hex, "nrn": "85031499897", "first_name": "A", "last_name": "B", "street": "C 1",
        "postal_code": "4042", "municipality": "Herstappe", "law": "ris-2002", "category": "isole"})
    assert refused.status_code == 403 and "Your PrimaWeb profiles do not open this action." in text(refused)
    decided = marc.post(f"/primaweb/dossiers/{number}/decisions", {
        "request_id": uuid.uuid4().hex, "decided_on": date.today().isoformat(), "outcome": "refused"})
    assert decided.status_code == 403
    closed = marc.post(f"/primaweb/dossiers/{number}/cloture", {"request_id": uuid.uuid4().hex})
    assert closed.status_code == 403
    assert marc.get("/primaweb/formulaires?status=draft").status_code == 200  # consultation reads the forms
    assert marc.get("/primaweb/messages").status_code == 200


def test_a_file_of_another_cpas_is_not_found_and_bad_file_numbers_are_404(stack, rng):
    gateway = primaweb_pb2_grpc.PrimaWebStub(stack.channel("primaweb", "gateway"))
    nrn = new_nrn(rng)
    # Files are numbered per CPAS: open Namur files until one has a number Herstappe has not.
    for attempt in range(500):
        made = gateway.CreateFile(pb.CreateFileRequest(
            actor=actor(NAMUR), request_id=uuid.uuid4().hex, nrn=nrn if attempt == 0 else new_nrn(rng),
            first_name="Chloé", last_name="Demo-Namuroise", street="Rue de Fer 2", postal_code="5000",
            municipality="Namur", law=pb.LAW_SOCIAL_INTEGRATION_2002, category=pb.CATEGORY_SINGLE), timeout=10)
        number = made.file.number
        try:
            gateway.GetFile(pb.GetFileRequest(actor=actor(HERSTAPPE), number=number), timeout=10)
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.NOT_FOUND
            break
    else:
        pytest.fail("no Namur file number unknown to Herstappe")

    anne, _home = enter_primaweb(stack, ANNE)
    other = anne.get(file_path(number))
    assert other.status_code == 404 and "Demo-Namuroise" not in other.text
    assert f"There is no file {number} in CPAS de Herstappe." in text(other)
    searched = anne.get(f"/primaweb/dossiers?nrn={nrn}")
    assert "No file matches these criteria." in text(searched)
    assert anne.post(file_path(number) + "/cloture", {"request_id": uuid.uuid4().hex}).status_code == 404
    for bad in ("/primaweb/dossiers/2026-12", "/primaweb/dossiers/2026/000001", "/primaweb/dossiers/abcd-000001"):
        assert anne.get(bad).status_code == 404, bad


def test_search_results_come_by_pages_whose_links_keep_the_criteria(stack, rng):
    gateway = primaweb_pb2_grpc.PrimaWebStub(stack.channel("primaweb", "gateway"))
    family = f"Demo-Pages{uuid.uuid4().hex[:6]}"
    for i in range(21):
        gateway.CreateFile(pb.CreateFileRequest(
            actor=actor(HERSTAPPE), request_id=uuid.uuid4().hex, nrn=new_nrn(rng), first_name=f"Ann{i:02d}",
            last_name=family, street="Rue Haute 1", postal_code="4042", municipality="Herstappe",
            law=pb.LAW_SOCIAL_INTEGRATION_2002, category=pb.CATEGORY_SINGLE), timeout=10)
    anne, _home = enter_primaweb(stack, ANNE)
    first = anne.get(f"/primaweb/dossiers?name={family}&status=open&mine=1")
    assert "Files found: 21" in text(first) and "Page 1 of 2" in text(first)
    assert text(first).count(family) == 20
    following = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1).replace("&amp;", "&")
    assert f"name={family}" in following and "status=open" in following and "mine=1" in following
    second = anne.get(following)
    assert "Page 2 of 2" in text(second) and text(second).count(family) == 1
    assert f"{family} Ann20" in text(second)
