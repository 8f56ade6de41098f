"""Property-based fuzzing (hypothesis) on a stack of its own, bounded in time.

- every gRPC method of every service, called over mutual TLS as its allowed caller, with
  any message of its request type (every field: any value of its type, the edges of the
  integer ranges, unknown enum numbers, long and odd texts, known values) and with bytes
  that are not a message at all;
- every gateway route, GET and POST, anonymous and as two logged-in users, with any
  subset of the form fields and query parameters the gateway reads.

Never a 500, never UNKNOWN or INTERNAL, never a traceback in any process's log. Each test
stops drawing new inputs once its share of FUZZ_SECONDS is spent."""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

import grpc
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.auth import server as auth_server
from services.auth.demo_cards import DEMO_PEOPLE
from services.gateway import files as gateway_files
from services.gateway import webeid as gateway_webeid
from services.portal import server as portal_server
from services.primaweb import server as primaweb_server
from services.roles import server as roles_server
from ssp.auth.v1 import auth_pb2
from ssp.portal.v1 import portal_pb2
from ssp.primaweb.v1 import primaweb_pb2
from ssp.roles.v1 import roles_pb2
from tests.faults.fuzzing import KNOWN_VALUES, messages, problems_in_log, text
from tests.support import ROOT, RunningStack
from tests.system.browser import Browser
from tests.system.test_primaweb_journey import enter_primaweb

pytestmark = pytest.mark.faults

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # per gRPC method; 5x that per gateway round
FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS", "50"))  # the module's budget, half gRPC, half HTTP
# What no input may cause: a bug (UNKNOWN, INTERNAL) or a service that stopped answering.
REFUSED_FOR_INPUT = {grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL, grpc.StatusCode.DEADLINE_EXCEEDED,
                     grpc.StatusCode.UNAVAILABLE}
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                         suppress_health_check=list(HealthCheck))

CALLERS = {**auth_server.CALLERS, **portal_server.CALLERS, **roles_server.CALLERS, **primaweb_server.CALLERS}
METHODS = [(service, method)
           for module in (auth_pb2, portal_pb2, roles_pb2, primaweb_pb2)
           for service in module.DESCRIPTOR.services_by_name.values()
           for method in service.methods]
TALLY: dict[str, int] = {"grpc": 0, "http": 0}


def _identity(service_name: str) -> str:
    return CALLERS[f"/{service_name}/*"][0]


def _port_name(service_name: str) -> str:
    if service_name == "ssp.auth.v1.CardAdmin":
        return "auth-admin"
    return service_name.split(".")[1]


class Budget:
    """Seconds shared out over some tests, in order."""

    def __init__(self, seconds: float, tests: int):
        self.started: float | None = None
        self.share = seconds / tests
        self.done = 0

    def test_started(self) -> float:
        """The time by which the test starting now should stop drawing inputs (the clock
        starts with the first test, once the stack is up)."""
        if self.started is None:
            self.started = time.monotonic()
        self.done += 1
        return self.started + self.share * self.done


GATEWAY_ROUNDS = 3
GRPC_BUDGET = Budget(FUZZ_SECONDS / 2, len(METHODS))
HTTP_BUDGET = Budget(FUZZ_SECONDS / 2, GATEWAY_ROUNDS)


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory):
    running = RunningStack(tmp_path_factory.mktemp("run-fuzz"))
    yield running
    running.stop()
    print(f"\nfuzzed inputs: {TALLY['grpc']} gRPC calls, {TALLY['http']} HTTP requests")


@pytest.fixture(scope="module")
def channels(fuzz_stack):
    opened: dict[str, grpc.Channel] = {}

    def channel(service_name: str) -> grpc.Channel:
        if service_name not in opened:
            opened[service_name] = fuzz_stack.channel(_port_name(service_name), _identity(service_name))
        return opened[service_name]

    yield channel
    for ch in opened.values():
        ch.close()


@pytest.mark.parametrize("service, method", METHODS, ids=[f"{s.name}.{m.name}" for s, m in METHODS])
def test_every_grpc_method_refuses_any_input_cleanly(channels, service, method):
    kind = channels(service.full_name).unary_stream if method.server_streaming else \
        channels(service.full_name).unary_unary
    unary = kind(f"/{service.full_name}/{method.name}", request_serializer=lambda raw: raw,
                 response_deserializer=lambda raw: raw)

    def call(payload: bytes, timeout: float):
        if not method.server_streaming:
            return unary(payload, timeout=timeout)
        stream = unary(payload, timeout=timeout)  # a watch: its first answer, then hang up
        try:
            return next(stream)
        finally:
            stream.cancel()
    stop_at = GRPC_BUDGET.test_started()
    payloads = st.one_of(messages(method.input_type).map(lambda m: m.SerializeToString()),
                         st.binary(min_size=1, max_size=64))

    @FUZZ_SETTINGS
    @given(payloads)
    def fuzz(payload: bytes):
        if time.monotonic() > stop_at:
            return
        TALLY["grpc"] += 1
        try:
            call(payload, timeout=10)
        except grpc.RpcError as exc:
            assert exc.code() not in REFUSED_FOR_INPUT, (exc.code(), exc.details(), payload[:200])
            assert "Traceback" not in (exc.details() or "")

    fuzz()


# --- the gateway --------------------------------------------------------------------------

ANNE, MARC, PAUL = DEMO_PEOPLE["colleague"], DEMO_PEOPLE["primaweb_manager"], DEMO_PEOPLE["revoked"]


def _field_names() -> list[str]:
    """Every form field and query parameter the gateway reads."""
    source = "\n".join(p.read_text() for p in (ROOT / "services" / "gateway").glob("*.py"))
    found = set(re.findall(r'request\.(?:form|args|values)\.get(?:list)?\("([A-Za-z_]+)"', source))
    for name in ("SEARCH_FIELDS", "CREATE_FIELDS", "DECISION_FIELDS", "PERIOD_FIELDS"):
        found.update(getattr(gateway_files, name))
    found.add(gateway_webeid.ANSWER_FIELD)
    return sorted(found)


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every route, the URL converters filled with sample values (known
    ones and not)."""
    from services.gateway.app import create_app
    from services.gateway.settings import Settings

    app = create_app(Settings(secret_key="x" * 64, portal_addr="-", auth_addr="-", roles_addr="-",
                              primaweb_addr="-", grpc_timeout=1.0, secure_cookies=False, trusted_proxies=0))
    samples = {"id": ["professionnels", "cpas", "action-sociale", "primaweb", "nulle-part"],
               "file_number": ["2026-000001", "2026-000003", "9999-999999"],
               "uuid": [str(uuid.UUID(int=0)), str(uuid.uuid4())], "default": ["x", "a" * 80], "path": ["x/y"]}
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        variants = [rule.rule]
        for argument, converter in rule._converters.items():
            kind = {"IdConverter": "id", "FileNumberConverter": "file_number", "UUIDConverter": "uuid",
                    "PathConverter": "path"}.get(type(converter).__name__, "default")
            variants = [v.replace(re.search(rf"<[^>]*{argument}>", v).group(0), value)
                        for v in variants for value in samples[kind]]
        routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}) for path in variants]
    return routes


FIELDS = _field_names()
ROUTES = _routes()


class Users:
    """Anonymous (with Paul's revoked card chosen: random PINs go to it), Anne as agent,
    Marc as PrimaWeb manager; logged in again from time to time (a fuzzed logout ends them)."""

    def __init__(self, stack):
        self.stack = stack
        self.browsers: list[Browser] = []
        self.uses = 0

    def pick(self, index: int) -> Browser:
        if not self.browsers or self.uses % 40 == 0:
            anonymous = Browser(self.stack)
            anonymous.choose(PAUL)
            anne, marc = Browser(self.stack), Browser(self.stack)
            enter_primaweb(anne, ANNE)
            enter_primaweb(marc, MARC, role="gestion-primaweb")
            self.browsers = [anonymous, anne, marc]
        self.uses += 1
        return self.browsers[index % 3]


def _values() -> st.SearchStrategy[dict[str, list[str]]]:
    one = st.one_of(text(), st.sampled_from(KNOWN_VALUES)).map(lambda s: s.replace("\x00", "\x01"))
    return st.dictionaries(st.sampled_from(FIELDS), st.lists(one, min_size=1, max_size=3), max_size=6)


@pytest.fixture(scope="module")
def users(fuzz_stack):
    return Users(fuzz_stack)


@pytest.mark.parametrize("round_", range(GATEWAY_ROUNDS))
def test_every_gateway_route_answers_any_form_or_query_without_a_500(fuzz_stack, users, round_):
    stop_at = HTTP_BUDGET.test_started()

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES * 5)
    @given(st.integers(0, 2), st.sampled_from(ROUTES), _values(), _values(), st.booleans())
    def fuzz(who, route, query, form, with_csrf):
        if time.monotonic() > stop_at:
            return
        TALLY["http"] += 1
        user = users.pick(who)
        method, path = route
        body = dict(form)
        if with_csrf:
            body["csrf_token"] = [user.csrf]
        reply = user.http.request(method, fuzz_stack.url + path, params=query,
                                  data=body if method == "POST" else None, timeout=20, allow_redirects=False)
        assert reply.status_code < 500 or reply.status_code == 501, (method, path, query, form, reply.status_code)
        assert "Traceback" not in reply.text
        if reply.status_code != 414:  # gunicorn's own refusal of an address over 4 KiB, before the app
            assert reply.headers.get("Content-Security-Policy"), (method, path, reply.status_code)

    fuzz()


def test_no_fuzzed_input_left_a_traceback_or_an_unexpected_error_in_any_log(fuzz_stack):
    time.sleep(0.5)  # the last lines relayed
    output = fuzz_stack.output()
    problems = problems_in_log(output)
    assert not problems, "\n".join(problems[:20])
    assert '"event": "grpc_call"' in output and '"event": "http_request"' in output  # the lines looked at
    assert sum(TALLY.values()) > 0  # some input was fuzzed (whichever tests were selected)
    Path(fuzz_stack.run_dir / "fuzz-tally.txt").write_text(repr(TALLY))
    requests.get(fuzz_stack.url + "/healthz", timeout=5).raise_for_status()
