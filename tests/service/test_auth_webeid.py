"""Web eID login over real gRPC on loopback, with real Redis and tokens signed by the demo
cards on SoftHSM2 as the Web eID app has a card sign them (tests/service/webeid_tokens.py).
The auth service is wired by server.build_webeid from Settings, as in production."""

from __future__ import annotations

import base64
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
import redis

from services.auth import server as auth_server
from services.auth.audit import AuditTrail
from services.auth.demo_cards import DEMO_PEOPLE
from services.auth.login import Identification
from services.auth.sessions import Sessions
from services.auth.settings import Settings
from services.auth.try_counter import TryCounter
from services.common import config, grpc_server
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc
from tests.service import eid_fixtures
from tests.service.webeid_tokens import CardSigner, build_token, to_json, token_fields

eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers

ORIGIN = "http://127.0.0.1:8080"  # WEBEID_ORIGIN's default: the gateway of `make run`
SOPHIE = DEMO_PEOPLE["social_worker"]  # RSA
MARC = DEMO_PEOPLE["primaweb_manager"]  # EC P-384
PAUL = DEMO_PEOPLE["revoked"]


def settings_for(eid_world, redis_url: str, **webeid) -> Settings:
    return Settings(
        redis_url=redis_url, pkcs11_module=eid_fixtures.SOFTHSM_MODULE, trust_anchors=eid_world.root_pem,
        intermediates=eid_world.citizen_pem, crls=(eid_world.crl_pem,), session_idle_seconds=1800,
        session_absolute_seconds=36000, pin_try_limit=3, puk_try_limit=3, **webeid,
    )


class Clock:
    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class WebEidUnderTest:
    def __init__(self, readers, eid_world, redis_url: str, *, with_webeid: bool = True, **webeid):
        self.redis = redis.Redis.from_url(redis_url)
        sessions, audit = Sessions(self.redis), AuditTrail(self.redis)
        self.identification = Identification(
            readers=readers, checker=eid_world.checker(), pin_tries=TryCounter(self.redis, "pin", 3),
            puk_tries=TryCounter(self.redis, "puk", 3), sessions=sessions, audit=audit,
        )
        self.webeid = None
        self.clock = Clock()
        if with_webeid:
            self.webeid = auth_server.build_webeid(settings_for(eid_world, redis_url, **webeid), self.redis,
                                                   sessions, audit)
            self.webeid.challenges.clock = self.clock
        self.server = grpc_server.start(auth_server.identification_registrar(self.identification, self.webeid),
                                        port=0)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.server.port}")
        self.auth = auth_pb2_grpc.IdentificationStub(self.channel)

    def challenge(self, binding: str) -> pb.WebEidChallenge:
        return self.auth.GetWebEidChallenge(pb.GetWebEidChallengeRequest(binding=binding))

    def login(self, token: str, binding: str) -> pb.LoginResponse:
        return self.auth.LoginWithWebEid(pb.LoginWithWebEidRequest(token_json=token, binding=binding))

    def refused(self, token: str, binding: str) -> tuple[grpc.StatusCode, str, str | None]:
        with pytest.raises(grpc.RpcError) as err:
            self.login(token, binding)
        trailing = dict(err.value.trailing_metadata() or ())
        return err.value.code(), trailing.get("ssp-refusal", ""), trailing.get("ssp-tries-left")

    def audit_events(self) -> list[tuple[str, str]]:
        return [(e.event, e.detail.split()[0]) for e in AuditTrail(self.redis).latest(1000)]

    def stop(self):
        self.channel.close()
        self.server.stop(0)


def new_binding() -> str:
    return "prelogin-" + secrets.token_hex(16)


@pytest.fixture
def service(card_readers, eid_world, redis_server):
    redis.Redis.from_url(redis_server.url).flushdb()
    under_test = WebEidUnderTest(card_readers, eid_world, redis_server.url)
    yield under_test
    under_test.stop()


@pytest.fixture(scope="module")
def signers(card_readers):
    cards = (SOPHIE, MARC, PAUL, eid_fixtures.EXPIRED_CARD, eid_fixtures.FOREIGN_CARD)
    return {card.card_number: CardSigner(card_readers, card.card_number, card.pin) for card in cards}


def signed(service: WebEidUnderTest, signer: CardSigner, binding: str | None = None, origin: str = ORIGIN,
           **changes) -> tuple[str, str]:
    """(token, binding): a challenge for the binding, signed by the card, as the page would send it."""
    binding = binding or new_binding()
    nonce = service.challenge(binding).nonce
    return build_token(signer, origin, nonce, **changes), binding


# --- methods and challenges -----------------------------------------------------------------


def test_web_eid_is_offered_right_after_the_certificate_login(service):
    methods = service.auth.ListMethods(pb.ListMethodsRequest()).methods
    assert [m.id for m in methods][:3] == ["eid-certificate", "web-eid", "eid-reader"]
    assert methods[1].offered and methods[1].label == "eID via the Web eID extension"
    # this server has no certificate login wired: only what is configured is offered
    assert [m.id for m in methods if m.offered] == ["web-eid", "eid-reader"]


def test_a_challenge_is_32_random_bytes_valid_five_minutes_and_bound_hashed(service):
    binding = new_binding()
    before = time.time()
    first, second = service.challenge(binding), service.challenge(new_binding())
    assert len(first.nonce) == 44 and len(base64.b64decode(first.nonce, validate=True)) == 32
    assert first.nonce != second.nonce
    assert before + 299 <= first.expires_at.ToSeconds() <= time.time() + 301
    keys = [k.decode() for k in service.redis.keys("webeid:challenge:*")]
    assert len(keys) == 2 and not any(binding in k for k in keys)
    assert binding.encode() not in b"".join(service.redis.get(k) for k in keys)


def test_of_concurrent_logins_with_one_challenge_one_gets_it(service):
    binding = new_binding()
    nonce = service.challenge(binding).nonce

    def consume(_):
        try:
            return service.webeid.challenges.consume(binding)
        except Exception as exc:  # noqa: BLE001
            return type(exc).__name__

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(consume, range(10)))
    assert results.count(nonce) == 1
    assert results.count("ChallengeMissing") == 9


def test_a_malformed_binding_is_invalid_argument(service):
    for binding in ("", "short", "x" * 257, "with space in it 123", "a-binding-long-enough\n"):
        with pytest.raises(grpc.RpcError) as err:
            service.challenge(binding)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert err.value.details().startswith("binding:")


# --- login -----------------------------------------------------------------------------------


@pytest.mark.parametrize("card", [SOPHIE, MARC], ids=["rsa", "ec-p384"])
def test_a_token_from_a_demo_card_opens_a_web_eid_session(service, signers, card):
    token, binding = signed(service, signers[card.card_number])
    reply = service.login(token, binding)
    assert len(reply.session_id) == 64
    session = reply.session
    assert (session.national_register_nr, session.first_name, session.last_name, session.method) == (
        card.nrn, card.first_name, card.last_name, "web-eid")
    # The journey goes on at the entity choice, with the same kind of session as the reader's.
    updated = service.auth.UpdateSessionContext(pb.UpdateSessionContextRequest(
        session_id=reply.session_id, entity_id="0212345678", quality_id="action-sociale",
        entity_name="CPAS de Herstappe"))
    assert (updated.entity_id, updated.method) == ("0212345678", "web-eid")
    assert service.audit_events() == [("login_success", "web-eid")]


def test_a_challenge_is_used_once(service, signers):
    token, binding = signed(service, signers[MARC.card_number])
    service.login(token, binding)
    assert service.refused(token, binding) == (grpc.StatusCode.FAILED_PRECONDITION, "CHALLENGE_MISSING", None)


def test_a_failed_login_uses_the_challenge_up_too(service, signers):
    token, binding = signed(service, signers[SOPHIE.card_number], origin="https://evil.demo.invalid")
    assert service.refused(token, binding)[1] == "SIGNATURE_INVALID"
    assert service.refused(token, binding)[1] == "CHALLENGE_MISSING"


def test_another_browsers_binding_finds_no_challenge(service, signers):
    token, binding = signed(service, signers[MARC.card_number])
    assert service.refused(token, new_binding())[1] == "CHALLENGE_MISSING"
    assert service.login(token, binding).session.method == "web-eid"  # the right browser still can


def test_an_expired_challenge_is_refused(service, signers):
    token, binding = signed(service, signers[MARC.card_number])
    service.clock.offset = 301
    assert service.refused(token, binding) == (grpc.StatusCode.FAILED_PRECONDITION, "CHALLENGE_EXPIRED", None)
    assert service.refused(token, binding)[1] == "CHALLENGE_MISSING"


def test_a_new_challenge_replaces_the_previous_one(service, signers):
    binding = new_binding()
    old_token, _ = signed(service, signers[MARC.card_number], binding)
    service.challenge(binding)
    assert service.refused(old_token, binding)[1:] == ("SIGNATURE_INVALID", "2")


def test_failed_proofs_are_counted_per_certificate_and_lock_it(service, signers):
    sophie = signers[SOPHIE.card_number]
    for tries_left in ("2", "1"):
        token, binding = signed(service, sophie, origin="https://evil.demo.invalid")
        assert service.refused(token, binding) == (grpc.StatusCode.FAILED_PRECONDITION, "SIGNATURE_INVALID",
                                                   tries_left)
    token, binding = signed(service, sophie, origin="https://evil.demo.invalid")
    assert service.refused(token, binding)[1:] == ("CERTIFICATE_LOCKED_NOW", "0")
    # Locked: even a good token is refused, and other certificates are not concerned.
    token, binding = signed(service, sophie)
    assert service.refused(token, binding)[1:] == ("CERTIFICATE_LOCKED", "0")
    token, binding = signed(service, signers[MARC.card_number])
    assert service.login(token, binding).session.first_name == MARC.first_name
    # The lock lifts by itself (WEBEID_LOCK_SECONDS, 15 minutes by default).
    (key,) = service.redis.keys("webeid:[0-9a-f]*")
    assert 890 <= service.redis.ttl(key) <= 900
    service.redis.delete(key)
    token, binding = signed(service, sophie)
    assert service.login(token, binding).session.first_name == SOPHIE.first_name
    events = [e for e, _ in service.audit_events()]
    assert events == ["signature_invalid", "signature_invalid", "card_blocked", "blocked_card_refused",
                      "login_success", "login_success"]


def test_a_success_resets_the_count(service, signers):
    marc = signers[MARC.card_number]
    token, binding = signed(service, marc, origin="https://evil.demo.invalid")
    assert service.refused(token, binding)[2] == "2"
    token, binding = signed(service, marc)
    service.login(token, binding)
    token, binding = signed(service, marc, origin="https://evil.demo.invalid")
    assert service.refused(token, binding)[2] == "2"


def test_an_algorithm_that_does_not_fit_the_key_is_a_failed_proof(service, signers):
    marc = signers[MARC.card_number]
    binding = new_binding()
    fields = token_fields(marc, ORIGIN, service.challenge(binding).nonce)
    fields["algorithm"] = "RS256"
    assert service.refused(to_json(fields), binding)[1:] == ("ALGORITHM_MISMATCH", "2")


@pytest.mark.parametrize(
    ("card", "refusal"),
    [
        (PAUL, "CERTIFICATE_REVOKED"),
        (eid_fixtures.EXPIRED_CARD, "CERTIFICATE_EXPIRED"),
        (eid_fixtures.FOREIGN_CARD, "CERTIFICATE_UNTRUSTED"),
    ],
    ids=["revoked", "expired", "foreign-ca"],
)
def test_unacceptable_certificates_are_refused_without_costing_a_try(service, signers, card, refusal):
    token, binding = signed(service, signers[card.card_number])
    assert service.refused(token, binding) == (grpc.StatusCode.FAILED_PRECONDITION, refusal, None)
    assert service.redis.keys("webeid:[0-9a-f]*") == []
    assert [e for e, _ in service.audit_events()] == ["certificate_refused"]


@pytest.mark.parametrize(
    ("mangle", "refusal"),
    [
        (lambda t: t[:60], "TOKEN_SIZE"),
        (lambda t: t.replace('"signature"', '"signatur"'), "TOKEN_MALFORMED"),
        (lambda t: t.replace("web-eid:1.0", "web-eid:2.0"), "TOKEN_FORMAT_UNSUPPORTED"),
        (lambda t: t[:-1] + ',"padding":"' + "x" * 10_000 + '"}', "TOKEN_SIZE"),
    ],
    ids=["too-short", "malformed", "format", "oversize"],
)
def test_unreadable_tokens_are_refused_without_costing_a_try(service, signers, mangle, refusal):
    token, binding = signed(service, signers[SOPHIE.card_number])
    assert service.refused(mangle(token), binding) == (grpc.StatusCode.FAILED_PRECONDITION, refusal, None)
    assert service.redis.keys("webeid:[0-9a-f]*") == []


def test_a_disallowed_policy_is_configurable(card_readers, eid_world, redis_server, signers):
    # The demo cards carry no policy: disallowing one changes nothing for them.
    under_test = WebEidUnderTest(card_readers, eid_world, redis_server.url,
                                 webeid_disallowed_policies=("1.3.6.1.4.1.10015.1.3",))
    try:
        token, binding = signed(under_test, signers[MARC.card_number])
        assert under_test.login(token, binding).session.method == "web-eid"
    finally:
        under_test.stop()


def test_concurrent_good_tokens_for_one_certificate_all_succeed(service, signers):
    tokens = [signed(service, signers[MARC.card_number]) for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda tb: service.login(*tb), tokens))
    assert len({r.session_id for r in replies}) == 6


def test_without_web_eid_configured_the_method_is_not_offered(card_readers, eid_world, redis_server):
    under_test = WebEidUnderTest(card_readers, eid_world, redis_server.url, with_webeid=False)
    try:
        methods = {m.id: m.offered for m in under_test.auth.ListMethods(pb.ListMethodsRequest()).methods}
        assert methods["eid-reader"] and not methods["web-eid"]
        with pytest.raises(grpc.RpcError) as err:
            under_test.challenge(new_binding())
        assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    finally:
        under_test.stop()


# --- configuration and wiring -----------------------------------------------------------------


def test_settings_read_the_web_eid_variables(eid_world, monkeypatch):
    monkeypatch.setenv("EID_DEMO_DIR", str(eid_world.folder.root))
    defaults = Settings.from_env()
    assert (defaults.webeid_origin, defaults.webeid_ocsp, defaults.webeid_try_limit) == (ORIGIN, False, 3)
    monkeypatch.setenv("WEBEID_ORIGIN", "https://Portal.Example.BE")
    monkeypatch.setenv("WEBEID_DISALLOWED_POLICIES", "1.3.6.1.4.1.10015.1.3, 1.2.3")
    monkeypatch.setenv("WEBEID_OCSP", "on")
    monkeypatch.setenv("WEBEID_OCSP_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("WEBEID_OCSP_MAX_AGE_SECONDS", "3600")
    monkeypatch.setenv("WEBEID_TRY_LIMIT", "5")
    settings = Settings.from_env()
    assert settings.webeid_origin == "https://portal.example.be"
    assert settings.webeid_disallowed_policies == ("1.3.6.1.4.1.10015.1.3", "1.2.3")
    assert (settings.webeid_ocsp, settings.webeid_ocsp_timeout_seconds, settings.webeid_try_limit) == (True, 2.5, 5)
    assert settings.webeid_ocsp_max_age_seconds == 3600
    wrong = (("WEBEID_ORIGIN", "https://portal.example.be/"), ("WEBEID_ORIGIN", "http://portal.example.be"),
             ("WEBEID_DISALLOWED_POLICIES", "abc"), ("WEBEID_OCSP_TIMEOUT_SECONDS", "-1"),
             ("WEBEID_OCSP_MAX_AGE_SECONDS", "0"))
    for variable, value in wrong:
        monkeypatch.setenv(variable, value)
        with pytest.raises(config.ConfigError, match=variable):
            Settings.from_env()
        monkeypatch.delenv(variable)


def test_build_wires_web_eid_into_the_identification_service(card_readers, eid_world, redis_server, monkeypatch):
    monkeypatch.setenv("EID_DEMO_DIR", str(eid_world.folder.root))
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    identification = auth_server.build(Settings.from_env())
    running = grpc_server.start(auth_server.identification_registrar(identification), port=0)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            stub = auth_pb2_grpc.IdentificationStub(channel)
            assert stub.GetWebEidChallenge(pb.GetWebEidChallengeRequest(binding=new_binding())).nonce
            assert identification.webeid.validator.origin == ORIGIN  # type: ignore[attr-defined]
            assert identification.webeid.validator.ocsp.enabled is False  # type: ignore[attr-defined]
            assert identification.webeid.validator.ocsp.max_age.total_seconds() == 120  # type: ignore[attr-defined]
    finally:
        running.stop(0)
