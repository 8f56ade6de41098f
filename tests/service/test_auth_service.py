"""The auth service over real gRPC on loopback, with real Redis and real SoftHSM2 cards.

The card readers are the real CardReaders, wrapped only to count how many logins reach
a token (the count is what the rules are about: a blocked card is never tried)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
import redis

from services.auth import server as auth_server
from services.auth.audit import AuditTrail
from services.auth.demo_cards import DEMO_PEOPLE
from services.auth.login import Identification
from services.auth.sessions import Sessions
from services.auth.try_counter import TryCounter
from services.common import grpc_server
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc
from tests.service import eid_fixtures
from tests.support import RedisServer

eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers

SOPHIE = DEMO_PEOPLE["social_worker"]  # RSA
MARC = DEMO_PEOPLE["primaweb_manager"]  # EC P-384
ANNE = DEMO_PEOPLE["colleague"]
REVOKED = DEMO_PEOPLE["revoked"]


class CountingReaders:
    """The real readers; counts the logins that reach a token, per card."""

    def __init__(self, readers):
        self.readers = readers
        self.logins: dict[str, int] = {}
        self._lock = threading.Lock()

    def login_and_sign(self, card_number, pin, data):
        with self._lock:
            self.logins[card_number] = self.logins.get(card_number, 0) + 1
        return self.readers.login_and_sign(card_number, pin, data)

    def __getattr__(self, name):
        return getattr(self.readers, name)


class AuthUnderTest:
    def __init__(self, readers, checker, redis_url: str):
        self.redis = redis.Redis.from_url(redis_url)
        self.readers = readers if isinstance(readers, CountingReaders) else CountingReaders(readers)
        self.identification = Identification(
            readers=self.readers, checker=checker, pin_tries=TryCounter(self.redis, "pin", 3),
            puk_tries=TryCounter(self.redis, "puk", 3), sessions=Sessions(self.redis),
            audit=AuditTrail(self.redis),
        )
        self.public = grpc_server.start(auth_server.identification_registrar(self.identification), port=0)
        self.admin_server = grpc_server.start(auth_server.card_admin_registrar(self.identification), port=0)
        self.auth = auth_pb2_grpc.IdentificationStub(grpc.insecure_channel(f"127.0.0.1:{self.public.port}"))
        self.admin = auth_pb2_grpc.CardAdminStub(grpc.insecure_channel(f"127.0.0.1:{self.admin_server.port}"))

    def login(self, card, pin=None):
        return self.auth.Login(pb.LoginRequest(card_number=card.card_number, pin=pin or card.pin))

    def refused(self, card, pin=None) -> tuple[grpc.StatusCode, str, str | None]:
        with pytest.raises(grpc.RpcError) as err:
            self.login(card, pin)
        trailing = dict(err.value.trailing_metadata() or ())
        return err.value.code(), trailing.get("ssp-refusal", ""), trailing.get("ssp-tries-left")

    def tries_left(self, card) -> int:
        return self.admin.GetCardStatus(pb.GetCardStatusRequest(card_number=card.card_number)).pin_tries_left

    def audit_events(self) -> list[str]:
        return [e.event for e in AuditTrail(self.redis).latest(1000)]

    def stop(self):
        self.public.stop(0)
        self.admin_server.stop(0)


@pytest.fixture
def service(card_readers, eid_world, redis_server):
    redis.Redis.from_url(redis_server.url).flushdb()
    under_test = AuthUnderTest(card_readers, eid_world.checker(), redis_server.url)
    yield under_test
    under_test.stop()


@pytest.mark.parametrize("card", [SOPHIE, MARC], ids=["rsa", "ec-p384"])
def test_login_succeeds_and_opens_a_session(service, card):
    reply = service.login(card)
    assert len(reply.session_id) == 64
    assert (reply.session.national_register_nr, reply.session.first_name) == (card.nrn, card.first_name)
    assert reply.session.method == "eid-reader"
    again = service.auth.GetSession(pb.GetSessionRequest(session_id=reply.session_id))
    assert again.last_name == card.last_name
    assert service.audit_events() == ["login_success"]


def test_wrong_pins_are_counted_and_the_third_blocks_the_card(service):
    assert service.refused(SOPHIE, "0000") == (grpc.StatusCode.FAILED_PRECONDITION, "PIN_INCORRECT", "2")
    assert service.refused(SOPHIE, "0001") == (grpc.StatusCode.FAILED_PRECONDITION, "PIN_INCORRECT", "1")
    assert service.refused(SOPHIE, "0002")[1] == "CARD_BLOCKED_NOW"
    assert service.readers.logins[SOPHIE.card_number] == 3
    # The right PIN no longer helps, and the card is not even tried.
    assert service.refused(SOPHIE)[1] == "CARD_BLOCKED"
    assert service.readers.logins[SOPHIE.card_number] == 3
    assert service.audit_events() == ["wrong_pin", "wrong_pin", "card_blocked", "blocked_card_refused"]


def test_a_success_resets_the_count(service):
    service.refused(ANNE, "0000")
    service.refused(ANNE, "0000")
    service.login(ANNE)
    assert service.tries_left(ANNE) == 3


def test_the_commune_unblocks_with_the_puk_and_a_new_pin(service):
    for _ in range(3):
        service.refused(MARC, "0000")
    status = service.admin.UnblockCard(pb.UnblockCardRequest(card_number=MARC.card_number, puk=MARC.puk,
                                                             new_pin="97531"))
    assert (status.blocked, status.pin_tries_left) == (False, 3)
    try:
        assert service.refused(MARC)[1] == "PIN_INCORRECT"  # the old PIN is gone
        assert service.login(MARC, "97531").session.first_name == MARC.first_name
    finally:
        service.identification.readers.unblock(MARC.card_number, MARC.puk, MARC.pin)
    assert "card_unblocked" in service.audit_events()


def test_wrong_puks_are_counted_and_limited(service):
    def unblock(puk):
        with pytest.raises(grpc.RpcError) as err:
            service.admin.UnblockCard(pb.UnblockCardRequest(card_number=ANNE.card_number, puk=puk, new_pin="2468"))
        trailing = dict(err.value.trailing_metadata())
        return trailing["ssp-refusal"], trailing.get("ssp-tries-left")

    assert unblock("00000000") == ("PUK_INCORRECT", "2")
    assert unblock("00000001") == ("PUK_INCORRECT", "1")
    assert unblock("00000002")[0] == "PUK_BLOCKED"
    assert unblock(ANNE.puk)[0] == "PUK_BLOCKED"  # even the right PUK: the card must be replaced
    assert service.login(ANNE).session.first_name == ANNE.first_name  # the PIN was never changed


@pytest.mark.parametrize(
    ("card", "refusal"),
    [
        (REVOKED, "CERTIFICATE_REVOKED"),
        (eid_fixtures.EXPIRED_CARD, "CERTIFICATE_EXPIRED"),
        (eid_fixtures.NOT_YET_VALID_CARD, "CERTIFICATE_NOT_YET_VALID"),
        (eid_fixtures.FOREIGN_CARD, "CERTIFICATE_UNTRUSTED"),
    ],
    ids=["revoked", "expired", "not-yet-valid", "foreign-ca"],
)
def test_unacceptable_certificates_are_refused_without_costing_a_try(service, card, refusal):
    assert service.refused(card) == (grpc.StatusCode.FAILED_PRECONDITION, refusal, None)
    assert service.readers.logins.get(card.card_number, 0) == 0
    assert service.tries_left(card) == 3
    assert service.audit_events() == ["certificate_refused"]


def test_twenty_concurrent_wrong_pins_reach_the_card_exactly_three_times(service, eid_world, redis_server):
    # Two auth replicas on the same Redis: only the atomic reservation keeps the count.
    replica = AuthUnderTest(service.readers, eid_world.checker(), redis_server.url)
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            refusals = list(pool.map(lambda i: (service, replica)[i % 2].refused(SOPHIE, "0000")[1], range(20)))
    finally:
        replica.stop()
    assert service.readers.logins[SOPHIE.card_number] == 3
    assert refusals.count("PIN_INCORRECT") == 2
    assert refusals.count("CARD_BLOCKED_NOW") == 1
    assert refusals.count("CARD_BLOCKED") == 17
    assert service.tries_left(SOPHIE) == 0


def test_many_concurrent_right_pins_on_one_card_all_succeed(service):
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda _: service.login(MARC), range(10)))
    assert len({r.session_id for r in replies}) == 10
    assert service.tries_left(MARC) == 3


def test_the_count_is_kept_when_redis_restarts_between_two_wrong_pins(card_readers, eid_world, tmp_path):
    own_redis = RedisServer(tmp_path / "redis")
    under_test = AuthUnderTest(card_readers, eid_world.checker(), own_redis.url)
    try:
        assert under_test.refused(SOPHIE, "0000")[2] == "2"
        own_redis.restart()
        assert under_test.refused(SOPHIE, "0000")[2] == "1"
    finally:
        under_test.stop()
        own_redis.stop()


def test_malformed_input_is_refused_before_the_card(service):
    assert service.refused(SOPHIE, "12")[0] == grpc.StatusCode.INVALID_ARGUMENT
    assert service.refused(SOPHIE, "12ab")[0] == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as err:
        service.auth.Login(pb.LoginRequest(card_number="59201", pin="1234"))
    assert err.value.details().startswith("card_number:")
    assert service.readers.logins == {}


def test_an_absent_card_is_not_found_and_costs_nothing(service):
    with pytest.raises(grpc.RpcError) as err:
        service.auth.Login(pb.LoginRequest(card_number="591999999999", pin="1234"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


def test_logout_ends_the_session_server_side(service):
    session_id = service.login(SOPHIE).session_id
    service.auth.Logout(pb.LogoutRequest(session_id=session_id))
    with pytest.raises(grpc.RpcError) as err:
        service.auth.GetSession(pb.GetSessionRequest(session_id=session_id))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    service.auth.Logout(pb.LogoutRequest(session_id=session_id))  # idempotent


def test_certificates_on_the_readers_are_listed_with_a_masked_number(service):
    listed = {c.card_number: c for c in service.auth.ListCertificates(pb.ListCertificatesRequest()).certificates}
    sophie = listed[SOPHIE.card_number]
    assert sophie.holder_name == "Sophie Demo-Lambert"
    assert sophie.national_register_nr_masked == "*******" + SOPHIE.nrn[-4:]
    assert SOPHIE.nrn not in str(sophie)
    assert (sophie.key_type, listed[MARC.card_number].key_type) == ("RSA-2048", "EC P-384")


def test_the_list_says_which_cards_login_would_refuse_without_using_a_try(service):
    def listed():
        return {c.card_number: (c.blocked, pb.Refusal.Name(c.refusal))
                for c in service.auth.ListCertificates(pb.ListCertificatesRequest(rescan=True)).certificates}

    before = listed()
    assert before[SOPHIE.card_number] == (False, "REFUSAL_UNSPECIFIED")
    assert before[DEMO_PEOPLE["revoked"].card_number] == (False, "CERTIFICATE_REVOKED")
    assert before[eid_fixtures.EXPIRED_CARD.card_number] == (False, "CERTIFICATE_EXPIRED")
    assert before[eid_fixtures.FOREIGN_CARD.card_number] == (False, "CERTIFICATE_UNTRUSTED")
    for _ in range(3):
        service.refused(ANNE, "0000")
    assert listed()[ANNE.card_number] == (True, "REFUSAL_UNSPECIFIED")
    assert service.tries_left(DEMO_PEOPLE["revoked"]) == 3  # listing costs no try
    assert "certificate_refused" not in service.audit_events()  # nor leaves a trace


def test_the_status_of_a_card_in_no_reader_is_not_found(service):
    with pytest.raises(grpc.RpcError) as err:
        service.admin.GetCardStatus(pb.GetCardStatusRequest(card_number="592099999999"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


def test_the_admin_api_is_not_on_the_public_listener(service):
    channel = grpc.insecure_channel(f"127.0.0.1:{service.public.port}")
    with pytest.raises(grpc.RpcError) as err:
        auth_pb2_grpc.CardAdminStub(channel).GetCardStatus(pb.GetCardStatusRequest(card_number=SOPHIE.card_number))
    assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_no_pin_or_puk_reaches_the_audit_trail_or_the_logs(service, caplog):
    caplog.set_level("DEBUG")
    service.refused(MARC, "86420")
    service.login(MARC)
    with pytest.raises(grpc.RpcError):
        service.admin.UnblockCard(pb.UnblockCardRequest(card_number=MARC.card_number, puk="13579135", new_pin="1111"))
    values = [v.decode() for _, fields in service.redis.xrange("audit:auth") for v in fields.values()]
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert len(values) >= 9 and MARC.pin not in values  # (2345 is also inside his card number)
    for secret in ("86420", "13579135"):
        assert not any(secret in v for v in values)
        assert secret not in logged
