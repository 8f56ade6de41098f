"""The certificate login (TLS client authentication) of the auth service over real gRPC on
loopback, with real Redis and the demo cards' certificates read from SoftHSM2: the gateway
sends what the TLS terminator received, the browser redeems the one-time code."""

from __future__ import annotations

import secrets

import grpc
import pytest
import redis
from cryptography.hazmat.primitives import serialization

from services.auth import server as auth_server
from services.auth.audit import AuditTrail
from services.auth.certificate_login import CertificateLogin
from services.auth.demo_cards import DEMO_PEOPLE
from services.auth.demo_pki import DemoPki, Holder, Usage, issue_card_certificate
from services.auth.login import Identification
from services.auth.sessions import Sessions
from services.auth.try_counter import TryCounter
from services.common import grpc_server
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc
from tests.service import eid_fixtures
from tests.service.test_auth_webeid import Clock, settings_for

eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers

SOPHIE = DEMO_PEOPLE["social_worker"]
PAUL = DEMO_PEOPLE["revoked"]


class CertificateLoginUnderTest:
    def __init__(self, readers, eid_world, redis_url: str):
        self.redis = redis.Redis.from_url(redis_url)
        sessions, audit = Sessions(self.redis), AuditTrail(self.redis)
        self.identification = Identification(
            readers=readers, checker=eid_world.checker(), pin_tries=TryCounter(self.redis, "pin", 3),
            puk_tries=TryCounter(self.redis, "puk", 3), sessions=sessions, audit=audit,
        )
        self.clock = Clock()
        validator = auth_server.build_validator(settings_for(eid_world, redis_url))
        self.login = CertificateLogin(validator, self.redis, sessions, audit, clock=self.clock)
        registrar = auth_server.identification_registrar(self.identification, certificate_login=self.login)
        self.server = grpc_server.start(registrar, port=0)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.server.port}")
        self.auth = auth_pb2_grpc.IdentificationStub(self.channel)

    def start(self, der: bytes, binding: str) -> pb.CertificateLoginCode:
        return self.auth.StartCertificateLogin(pb.StartCertificateLoginRequest(certificate_der=der, binding=binding))

    def redeem(self, code: str, binding: str) -> pb.LoginResponse:
        return self.auth.RedeemCertificateLogin(pb.RedeemCertificateLoginRequest(code=code, binding=binding))

    def refusal(self, code: str, binding: str) -> str:
        with pytest.raises(grpc.RpcError) as err:
            self.redeem(code, binding)
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        return dict(err.value.trailing_metadata() or ()).get("ssp-refusal", "")

    def audit(self) -> list[tuple[str, str]]:
        return [(e.event, e.detail) for e in AuditTrail(self.redis).latest(100)]

    def stop(self):
        self.channel.close()
        self.server.stop(0)


@pytest.fixture
def service(card_readers, eid_world, redis_server):
    redis.Redis.from_url(redis_server.url).flushdb()
    under_test = CertificateLoginUnderTest(card_readers, eid_world, redis_server.url)
    yield under_test
    under_test.stop()


def binding() -> str:
    return "prelogin-" + secrets.token_hex(16)


def der_of(card_readers, card) -> bytes:
    return card_readers.certificate(card.card_number).certificate.public_bytes(serialization.Encoding.DER)


def test_the_certificate_method_comes_first_and_the_simulated_readers_are_named_so(service):
    methods = service.auth.ListMethods(pb.ListMethodsRequest()).methods
    assert [m.id for m in methods][:3] == ["eid-certificate", "web-eid", "eid-reader"]
    assert methods[0].offered and methods[2].label == "Simulated card readers (training)"


def test_an_accepted_certificate_gives_a_code_that_opens_one_session_once(service, card_readers):
    browser = binding()
    code = service.start(der_of(card_readers, SOPHIE), browser)
    assert len(code.code) == 43 and code.expires_at.ToSeconds() > service.clock() + 100
    assert not service.redis.keys("sess:*"), "no session before the browser is back on the main origin"
    assert code.code.encode() not in b"".join(service.redis.get(k) for k in service.redis.keys("certlogin:*"))

    reply = service.redeem(code.code, browser)
    assert reply.session.method == "eid-certificate"
    assert (reply.session.national_register_nr, reply.session.last_name) == (SOPHIE.nrn, SOPHIE.last_name)
    assert service.auth.GetSession(pb.GetSessionRequest(session_id=reply.session_id)).first_name == SOPHIE.first_name
    assert service.audit()[-1][0] == "login_success" and service.audit()[-1][1].startswith("eid-certificate cert=")
    assert service.refusal(code.code, browser) == "LOGIN_CODE_MISSING"  # single use


def test_a_code_made_for_another_browser_is_refused_and_used_up(service, card_readers):
    mine, theirs = binding(), binding()
    code = service.start(der_of(card_readers, SOPHIE), theirs).code
    assert service.refusal(code, mine) == "LOGIN_CODE_MISSING"
    assert service.refusal(code, theirs) == "LOGIN_CODE_MISSING"
    assert not service.redis.keys("sess:*")


def test_a_code_older_than_two_minutes_is_refused(service, card_readers):
    browser = binding()
    code = service.start(der_of(card_readers, SOPHIE), browser).code
    service.clock.offset = 121
    assert service.refusal(code, browser) == "LOGIN_CODE_MISSING"


@pytest.mark.parametrize(("card", "refusal"), [
    (PAUL, "CERTIFICATE_REVOKED"),
    (eid_fixtures.EXPIRED_CARD, "CERTIFICATE_EXPIRED"),
    (eid_fixtures.NOT_YET_VALID_CARD, "CERTIFICATE_NOT_YET_VALID"),
    (eid_fixtures.FOREIGN_CARD, "CERTIFICATE_UNTRUSTED"),
])
def test_a_refused_certificate_is_told_at_redemption_and_costs_no_try(service, card_readers, card, refusal):
    browser = binding()
    code = service.start(der_of(card_readers, card), browser).code
    assert service.refusal(code, browser) == refusal
    assert not service.redis.keys("pin:*") and not service.redis.keys("webeid:*:*")
    assert service.audit()[-1][0] == "certificate_refused"
    assert not service.redis.keys("sess:*")


def test_a_signature_certificate_is_not_an_authentication_certificate(service, eid_world):
    pki = DemoPki.load(eid_world.folder.pki_dir)
    holder = Holder(SOPHIE.first_name, SOPHIE.last_name, SOPHIE.nrn)
    signing = issue_card_certificate(pki.citizen, pki.citizen.private_key.public_key(), holder, Usage.SIGNATURE)
    browser = binding()
    code = service.start(signing.public_bytes(serialization.Encoding.DER), browser).code
    assert service.refusal(code, browser) == "CERTIFICATE_UNUSABLE"


def test_bytes_that_are_no_certificate_are_refused_as_malformed(service):
    browser = binding()
    code = service.start(b"\x30\x03\x02\x01\x00", browser).code
    assert service.refusal(code, browser) == "CERTIFICATE_MALFORMED"


@pytest.mark.parametrize(("der", "bound", "field"), [
    (b"", binding(), "certificate_der"),
    (b"\x30" * (16 * 1024 + 1), binding(), "certificate_der"),
    (b"\x30\x00", "short", "binding"),
])
def test_malformed_requests_name_the_field(service, der, bound, field):
    with pytest.raises(grpc.RpcError) as err:
        service.start(der, bound)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field in err.value.details()


def test_a_malformed_code_names_the_field(service):
    with pytest.raises(grpc.RpcError) as err:
        service.redeem("not a code", binding())
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "code" in err.value.details()


def test_without_the_simulated_readers_only_their_calls_are_refused(service, card_readers, eid_world, redis_server):
    service.identification.readers = None  # as EID_SIMULATED_READERS=false builds it
    offered = [m.id for m in service.auth.ListMethods(pb.ListMethodsRequest()).methods if m.offered]
    assert "eid-reader" not in offered and offered[0] == "eid-certificate"
    for call in (lambda: service.auth.ListCertificates(pb.ListCertificatesRequest()),
                 lambda: service.auth.Login(pb.LoginRequest(card_number=SOPHIE.card_number, pin=SOPHIE.pin))):
        with pytest.raises(grpc.RpcError) as err:
            call()
        assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    browser = binding()
    code = service.start(der_of(card_readers, SOPHIE), browser).code
    assert service.redeem(code, browser).session.method == "eid-certificate"
