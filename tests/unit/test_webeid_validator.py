"""The Web eID token validator (services.auth.webeid), with tokens signed by the demo cards
through PKCS#11 (SoftHSM2) as the Web eID app has a card sign them, the public test
tokens of Belgian test cards, and OCSP against a small responder on 127.0.0.1."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID
from pkcs11 import Mechanism

from services.auth.demo_cards import DEMO_PEOPLE
from services.auth.demo_pki import DemoPki, Holder
from services.auth.webeid import REASONS, OcspOptions, TokenRefused, TrustStore, WebEidValidator, normalise_origin
from services.auth.webeid import refusals as r
from tests.service import eid_fixtures
from tests.service.webeid_tokens import (
    CardSigner,
    SoftwareSigner,
    build_token,
    issue_odd_certificate,
    to_json,
    token_fields,
)

eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers

ORIGIN = "https://portal.demo.invalid"
NONCE = base64.b64encode(b"\x07" * 32).decode()
SOPHIE = DEMO_PEOPLE["social_worker"]  # RSA-2048
MARC = DEMO_PEOPLE["primaweb_manager"]  # EC P-384
PAUL = DEMO_PEOPLE["revoked"]  # RSA, on the CRL
ODD_HOLDER = Holder("Odile", "Demo-Odd", "90020109929")
DATA = Path(__file__).parent / "data"


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki(eid_world) -> DemoPki:
    return DemoPki.load(eid_world.folder.pki_dir)


@pytest.fixture(scope="module")
def trust(eid_world) -> TrustStore:
    return TrustStore.from_pem(eid_world.root_pem.read_bytes(), eid_world.citizen_pem.read_bytes(),
                               [eid_world.crl_pem.read_bytes()])


@pytest.fixture(scope="module")
def validator(trust) -> WebEidValidator:
    return WebEidValidator(origin=ORIGIN, trust=trust)


@pytest.fixture(scope="module")
def signers(card_readers):
    cards = (SOPHIE, MARC, PAUL, eid_fixtures.EXPIRED_CARD, eid_fixtures.NOT_YET_VALID_CARD, eid_fixtures.FOREIGN_CARD)
    return {card.card_number: CardSigner(card_readers, card.card_number, card.pin) for card in cards}


@pytest.fixture(scope="module")
def sophie(signers) -> CardSigner:
    return signers[SOPHIE.card_number]


@pytest.fixture(scope="module")
def marc(signers) -> CardSigner:
    return signers[MARC.card_number]


def claiming(signer, algorithm: str) -> str:
    """A token signed with the key's own algorithm that claims another one."""
    return to_json({**token_fields(signer, ORIGIN, NONCE), "algorithm": algorithm})


def refusal(validator: WebEidValidator, token: str | bytes, nonce: str = NONCE) -> str:
    with pytest.raises(TokenRefused) as refused:
        validator.validate(token, nonce)
    return refused.value.reason


# --- tokens from demo cards are accepted --------------------------------------------------


@pytest.mark.parametrize(("card", "algorithm"), [(SOPHIE, "RS256"), (MARC, "ES384")],
                         ids=["rsa-rs256", "ec-p384-es384"])
def test_a_token_signed_by_a_demo_card_gives_the_holder(validator, signers, card, algorithm):
    signer = signers[card.card_number]
    token = build_token(signer, ORIGIN, NONCE)
    assert json.loads(token)["algorithm"] == algorithm
    identity = validator.validate(token, NONCE)
    assert (identity.national_number, identity.first_name, identity.last_name) == (
        card.nrn, card.first_name, card.last_name)
    assert identity.certificate == signer.certificate
    assert identity.algorithm == algorithm


def test_the_token_is_built_as_the_native_app_builds_it(marc):
    token = build_token(marc, ORIGIN, NONCE)
    fields = json.loads(token)
    assert list(fields) == ["algorithm", "appVersion", "format", "signature", "unverifiedCertificate"]
    assert fields["format"] == "web-eid:1.0"
    assert len(base64.b64decode(fields["signature"])) == 96  # raw r ‖ s on P-384, not DER
    assert x509.load_der_x509_certificate(base64.b64decode(fields["unverifiedCertificate"])) == marc.certificate


@pytest.mark.parametrize("algorithm", ["RS384", "RS512", "PS256", "PS384", "PS512"])
def test_other_rsa_algorithms_verify_with_their_hash(validator, sophie, algorithm):
    if algorithm.startswith("PS") and Mechanism.RSA_PKCS_PSS not in sophie.mechanisms():
        pytest.skip("this PKCS#11 module has no CKM_RSA_PKCS_PSS")
    assert validator.validate(build_token(sophie, ORIGIN, NONCE, algorithm), NONCE).national_number == SOPHIE.nrn


def test_bytes_and_minor_format_versions_are_accepted(validator, marc):
    assert validator.validate(build_token(marc, ORIGIN, NONCE).encode(), NONCE).first_name == MARC.first_name
    for version in ("web-eid:1", "web-eid:1.1"):
        assert validator.validate(build_token(marc, ORIGIN, NONCE, format=version), NONCE)


def test_unknown_fields_are_ignored(validator, marc):
    fields = token_fields(marc, ORIGIN, NONCE)
    fields["action"] = "web-eid:authenticate-success"  # the extension's message field
    assert validator.validate(to_json(fields), NONCE).national_number == MARC.nrn


# --- public test tokens of Belgian test cards ---------------------------------------------


BELGIAN = json.loads((DATA / "webeid_belgian_test_cards.json").read_text())


@pytest.fixture(scope="module")
def belgian_validator() -> WebEidValidator:
    at = dt.datetime.fromisoformat(BELGIAN["validation_time"])
    # As the reference validators' own test: the test CA publishes no CRL with the data and
    # its OCSP responder is not reachable from here, so revocation is not asked.
    return WebEidValidator(origin=BELGIAN["origin"], trust=TrustStore.from_pem(BELGIAN["trusted_ca_pem"]),
                           clock=lambda: at, require_revocation_status=False)


@pytest.mark.parametrize("case", BELGIAN["tokens"], ids=[t["name"] for t in BELGIAN["tokens"]])
def test_public_belgian_test_card_tokens_validate_at_their_signing_time(belgian_validator, case):
    identity = belgian_validator.validate(case["token"], case["nonce"])
    holder = BELGIAN["holder"]
    assert (identity.national_number, identity.first_name, identity.last_name) == (
        holder["national_number"], holder["first_name"], holder["last_name"])
    assert identity.country == "BE"


@pytest.mark.parametrize("case", BELGIAN["tokens"], ids=[t["name"] for t in BELGIAN["tokens"]])
def test_public_belgian_test_card_tokens_are_refused_for_another_nonce_or_origin(belgian_validator, case):
    other = BELGIAN["tokens"][0]["nonce"] if case is BELGIAN["tokens"][1] else BELGIAN["tokens"][1]["nonce"]
    assert refusal(belgian_validator, case["token"], other) == "signature_invalid"
    elsewhere = WebEidValidator(origin="https://portal.demo.invalid", trust=belgian_validator.trust,
                                clock=belgian_validator.clock, require_revocation_status=False)
    assert refusal(elsewhere, case["token"], case["nonce"]) == "signature_invalid"


# --- each refusal, its reason ---------------------------------------------------------------


def test_a_token_for_another_origin_is_refused(validator, sophie):
    assert refusal(validator, build_token(sophie, "https://evil.demo.invalid", NONCE)) == "signature_invalid"


def test_a_token_for_another_nonce_is_refused(validator, marc):
    other = base64.b64encode(b"\x08" * 32).decode()
    assert refusal(validator, build_token(marc, ORIGIN, other)) == "signature_invalid"


@pytest.mark.parametrize("card", [SOPHIE, MARC], ids=["rsa", "ec"])
def test_a_tampered_signature_is_refused(validator, signers, card):
    fields = token_fields(signers[card.card_number], ORIGIN, NONCE)
    signature = bytearray(base64.b64decode(fields["signature"]))
    signature[10] ^= 0x01
    fields["signature"] = base64.b64encode(bytes(signature)).decode()
    assert refusal(validator, to_json(fields)) == "signature_invalid"


def test_a_der_ecdsa_signature_is_not_what_the_card_sends(validator, pki, marc):
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    fields = token_fields(marc, ORIGIN, NONCE)
    raw = base64.b64decode(fields["signature"])
    der = encode_dss_signature(int.from_bytes(raw[:48], "big"), int.from_bytes(raw[48:], "big"))
    fields["signature"] = base64.b64encode(der).decode()
    assert refusal(validator, to_json(fields)) == "signature_invalid"


@pytest.mark.parametrize(
    ("card", "claimed", "reason"),
    [
        (SOPHIE, "ES384", "algorithm_mismatch"),  # an RSA key cannot make ECDSA
        (MARC, "RS256", "algorithm_mismatch"),  # nor an EC key RSA
        (MARC, "ES256", "algorithm_mismatch"),  # ES256 is P-256 only (RFC 7518 §3.4)
        (MARC, "HS256", "algorithm_unsupported"),
        (MARC, "none", "algorithm_unsupported"),
    ],
)
def test_an_algorithm_that_does_not_fit_the_key_is_refused(validator, signers, card, claimed, reason):
    assert refusal(validator, claiming(signers[card.card_number], claimed)) == reason


def test_an_rsa_signature_claimed_under_another_rsa_algorithm_is_refused(validator, sophie):
    assert refusal(validator, claiming(sophie, "PS256")) == "signature_invalid"
    assert refusal(validator, claiming(sophie, "RS384")) == "signature_invalid"


def test_an_expired_certificate_is_refused(validator, signers):
    token = build_token(signers[eid_fixtures.EXPIRED_CARD.card_number], ORIGIN, NONCE)
    assert refusal(validator, token) == "certificate_expired"


def test_a_certificate_not_yet_valid_is_refused(validator, signers):
    token = build_token(signers[eid_fixtures.NOT_YET_VALID_CARD.card_number], ORIGIN, NONCE)
    assert refusal(validator, token) == "certificate_not_yet_valid"


def test_a_revoked_certificate_is_refused(validator, signers):
    assert refusal(validator, build_token(signers[PAUL.card_number], ORIGIN, NONCE)) == "certificate_revoked"


def test_a_certificate_from_an_untrusted_ca_is_refused(validator, signers):
    token = build_token(signers[eid_fixtures.FOREIGN_CARD.card_number], ORIGIN, NONCE)
    assert refusal(validator, token) == "certificate_untrusted"


def test_without_a_crl_or_ocsp_the_status_is_unknown_and_refused(eid_world, sophie):
    no_crl = TrustStore.from_pem(eid_world.root_pem.read_bytes(), eid_world.citizen_pem.read_bytes())
    assert refusal(WebEidValidator(origin=ORIGIN, trust=no_crl), build_token(sophie, ORIGIN, NONCE)) == (
        "revocation_unknown")


def test_an_extended_key_usage_without_client_auth_is_refused(validator, pki):
    odd = issue_odd_certificate(pki.citizen, ODD_HOLDER, extended_key_usage=[ExtendedKeyUsageOID.EMAIL_PROTECTION])
    assert refusal(validator, build_token(odd.signer, ORIGIN, NONCE)) == "certificate_purpose"


def test_no_extended_key_usage_with_digital_signature_is_an_authentication_certificate(trust, pki):
    odd = issue_odd_certificate(pki.citizen, ODD_HOLDER, extended_key_usage=[])
    identity = WebEidValidator(origin=ORIGIN, trust=trust).validate(build_token(odd.signer, ORIGIN, NONCE), NONCE)
    assert identity.national_number == ODD_HOLDER.nrn


def test_a_critical_extended_key_usage_with_client_auth_is_accepted(validator, pki):
    # RFC 5280 §4.2.1.12 lets a CA mark it critical; Estonian cards and CAs do.
    odd = issue_odd_certificate(pki.citizen, ODD_HOLDER, critical_extended_key_usage=True)
    assert validator.validate(build_token(odd.signer, ORIGIN, NONCE), NONCE).national_number == ODD_HOLDER.nrn
    email_only = issue_odd_certificate(pki.citizen, ODD_HOLDER, critical_extended_key_usage=True,
                                       extended_key_usage=[ExtendedKeyUsageOID.EMAIL_PROTECTION])
    assert refusal(validator, build_token(email_only.signer, ORIGIN, NONCE)) == "certificate_purpose"


def test_a_bare_certificate_is_checked_as_a_token_certificate(validator, signers, sophie):
    identity = validator.check_client_certificate(sophie.certificate)
    assert (identity.national_number, identity.first_name, identity.algorithm) == (SOPHIE.nrn, SOPHIE.first_name, "")
    for card, reason in ((PAUL, "certificate_revoked"), (eid_fixtures.EXPIRED_CARD, "certificate_expired"),
                         (eid_fixtures.FOREIGN_CARD, "certificate_untrusted")):
        with pytest.raises(TokenRefused) as refused:
            validator.check_client_certificate(signers[card.card_number].certificate)
        assert refused.value.reason == reason
    with pytest.raises(TypeError):
        validator.check_client_certificate(build_token(sophie, ORIGIN, NONCE))


def test_a_certificate_without_digital_signature_is_refused(validator, pki):
    odd = issue_odd_certificate(pki.citizen, ODD_HOLDER, digital_signature=False)
    assert refusal(validator, build_token(odd.signer, ORIGIN, NONCE)) == "certificate_purpose"


def test_a_disallowed_policy_is_refused_and_others_pass(trust, pki):
    mobile_id = "1.3.6.1.4.1.10015.1.3"  # e.g. an Estonian Mobile-ID policy: not a card
    odd = issue_odd_certificate(pki.citizen, ODD_HOLDER, policies=["2.16.56.12.1.1.2.2", mobile_id])
    token = build_token(odd.signer, ORIGIN, NONCE)
    strict = WebEidValidator(origin=ORIGIN, trust=trust, disallowed_policies=[mobile_id])
    assert refusal(strict, token) == "certificate_policy_disallowed"
    relaxed = WebEidValidator(origin=ORIGIN, trust=trust, disallowed_policies=["1.2.3.4"])
    assert relaxed.validate(token, NONCE).national_number == ODD_HOLDER.nrn


def test_an_oversize_or_undersize_token_is_refused(validator, marc):
    fields = token_fields(marc, ORIGIN, NONCE)
    fields["appVersion"] = "x" * 10_000
    assert refusal(validator, to_json(fields)) == "token_size"
    assert refusal(validator, to_json(fields).encode()) == "token_size"
    assert refusal(validator, '{"format":"web-eid:1.0"}') == "token_size"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],  # cut short
        lambda t: t.replace('"algorithm"', "'algorithm'"),  # not JSON
        lambda t: json.dumps([json.loads(t)]),  # not an object
        lambda t: to_json({k: v for k, v in json.loads(t).items() if k != "signature"}),  # field missing
        lambda t: to_json({**json.loads(t), "algorithm": 256}),  # wrong type
        lambda t: to_json({**json.loads(t), "signature": "not base64!"}),
        lambda t: t[:-1] + ',"algorithm":"ES384"}',  # duplicate key: which one would count?
        lambda t: b"\xff\xfe" + t.encode(),  # not UTF-8
    ],
    ids=["truncated", "not-json", "array", "missing-field", "wrong-type", "bad-base64", "duplicate-key", "not-utf8"],
)
def test_a_malformed_token_is_refused(validator, marc, mangle):
    assert refusal(validator, mangle(build_token(marc, ORIGIN, NONCE))) == "token_malformed"


@pytest.mark.parametrize("version", ["web-eid:2.0", "web-eid:10", "web-eid:1.0-beta", "web-eid:1.0\n", "openid-x5c",
                                     "WEB-EID:1.0"])
def test_another_format_is_refused(validator, marc, version):
    assert refusal(validator, build_token(marc, ORIGIN, NONCE, format=version)) == "token_format_unsupported"


def test_a_certificate_that_does_not_decode_is_refused(validator, marc):
    token = build_token(marc, ORIGIN, NONCE, unverifiedCertificate=base64.b64encode(b"\x30\x03abc").decode())
    assert refusal(validator, token) == "certificate_malformed"
    assert refusal(validator, build_token(marc, ORIGIN, NONCE, unverifiedCertificate="%%%")) == "certificate_malformed"


def test_the_first_failing_step_is_the_one_reported(validator, signers, sophie):
    expired = signers[eid_fixtures.EXPIRED_CARD.card_number]
    # Expired *and* for another origin: the certificate step comes first.
    assert refusal(validator, build_token(expired, "https://evil.demo.invalid", NONCE)) == "certificate_expired"
    # Untrusted *and* an unsupported format: the format comes first.
    foreign = signers[eid_fixtures.FOREIGN_CARD.card_number]
    assert refusal(validator, build_token(foreign, ORIGIN, NONCE, format="web-eid:2")) == "token_format_unsupported"
    # Revoked *and* a wrong algorithm: revocation comes before the signature.
    paul = signers[PAUL.card_number]
    assert refusal(validator, claiming(paul, "ES384")) == "certificate_revoked"


def test_every_reason_is_distinct_and_in_validation_order():
    assert len(set(REASONS)) == len(REASONS)
    classes = [c for c in vars(r).values() if isinstance(c, type) and issubclass(c, TokenRefused)]
    assert {c.reason for c in classes if "reason" in vars(c) and c is not TokenRefused} == set(REASONS)


def test_the_origin_is_configured_as_browsers_write_it(trust):
    assert normalise_origin("HTTPS://Portal.Demo.Invalid") == "https://portal.demo.invalid"
    for local in ("http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://login.localhost"):
        assert normalise_origin(local) == local
    for wrong in ("https://portal.demo.invalid/", "https://portal.demo.invalid/login", "portal.demo.invalid",
                  "https://portal.demo.invalid:443", "ftp://portal.demo.invalid", "https://u:p@portal.demo.invalid"):
        with pytest.raises(ValueError):
            WebEidValidator(origin=wrong, trust=trust)


def test_http_is_refused_outside_local_development(trust):
    for remote in ("http://portal.demo.invalid", "http://10.0.0.8:8080", "http://localhost.example.be"):
        with pytest.raises(ValueError, match="only for local development"):
            WebEidValidator(origin=remote, trust=trust)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("timeout", 0), ("timeout", -1.0), ("max_skew", dt.timedelta(minutes=-1)), ("max_skew", dt.timedelta(0)),
     ("max_age", dt.timedelta(0)), ("max_age", dt.timedelta(seconds=-5))],
)
def test_meaningless_ocsp_settings_are_refused_when_configured(setting, value):
    with pytest.raises(ValueError, match=setting):
        OcspOptions(enabled=True, **{setting: value})


def test_the_clock_decides_validity(trust, sophie):
    token = build_token(sophie, ORIGIN, NONCE)
    later = WebEidValidator(origin=ORIGIN, trust=trust, clock=lambda: dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert refusal(later, token) == "certificate_expired"


# --- OCSP against a local responder ---------------------------------------------------------


class OcspResponder:
    """An OCSP responder on 127.0.0.1 answering for the demo Citizen CA, signed with its key.

    mode: good | revoked | unknown | wrong-nonce | no-nonce | slow | stale | old | inverted | foreign-key |
          forged (a bad signature) | delegated | delegated-without-eku | designated (its own
          self-signed certificate, trusted only by configuration) | try-later | garbage
    """

    def __init__(self, pki: DemoPki):
        self.pki = pki
        self.mode = "good"
        self.requests: list[ocsp.OCSPRequest] = []
        self.release = threading.Event()
        self.designated_key = ec.generate_private_key(ec.SECP256R1())
        self.designated = self.self_signed("Designated Demo OCSP Responder", self.designated_key)
        responder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = responder.answer(ocsp.load_der_ocsp_request(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the client gave up (the "slow" case): nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ocsp"

    @staticmethod
    def self_signed(name: str, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.UTC)
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
                .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))

    def delegate(self, eku: bool) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Demo Citizen CA OCSP Responder")]))
            .issuer_name(self.pki.citizen.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
        )
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        return builder.sign(self.pki.citizen.private_key, hashes.SHA384()), key

    def answer(self, request: ocsp.OCSPRequest) -> bytes:
        self.requests.append(request)
        mode = self.mode
        if mode == "slow":
            self.release.wait(5)
        if mode == "try-later":
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(
                serialization.Encoding.DER)
        if mode == "garbage":
            return b"not an OCSP response"
        now = dt.datetime.now(dt.UTC)
        this_update, next_update = now - dt.timedelta(minutes=1), now + dt.timedelta(hours=1)
        if mode == "stale":
            this_update, next_update = now - dt.timedelta(days=3), now - dt.timedelta(days=2)
        if mode == "old":  # still "valid" by nextUpdate, but not fresh
            this_update = now - dt.timedelta(minutes=10)
        if mode == "inverted":
            next_update = this_update - dt.timedelta(seconds=1)
        status = {"revoked": ocsp.OCSPCertStatus.REVOKED, "unknown": ocsp.OCSPCertStatus.UNKNOWN}.get(
            mode, ocsp.OCSPCertStatus.GOOD)
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            request.issuer_name_hash, request.issuer_key_hash, request.serial_number, request.hash_algorithm,
            status, this_update, next_update,
            now - dt.timedelta(days=1) if status == ocsp.OCSPCertStatus.REVOKED else None,
            x509.ReasonFlags.key_compromise if status == ocsp.OCSPCertStatus.REVOKED else None,
        )
        signer_cert, signer_key = self.pki.citizen.certificate, self.pki.citizen.private_key
        if mode == "foreign-key":
            signer_cert, signer_key = self.pki.foreign.certificate, self.pki.foreign.private_key
        if mode == "designated":
            signer_cert, signer_key = self.designated, self.designated_key
        if mode.startswith("delegated"):
            signer_cert, signer_key = self.delegate(eku=mode == "delegated")
            builder = builder.certificates([signer_cert])
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer_cert)
        try:
            sent = request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
        except x509.ExtensionNotFound:
            sent = None
        if sent is not None and mode != "no-nonce":
            nonce = b"\x00" * len(sent) if mode == "wrong-nonce" else sent
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        der = builder.sign(signer_key, hashes.SHA384()).public_bytes(serialization.Encoding.DER)
        if mode == "forged":  # the last byte is the signature's (no certificates follow it)
            der = der[:-1] + bytes([der[-1] ^ 0x01])
        return der

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def responder(pki):
    running = OcspResponder(pki)
    yield running
    running.stop()


def ocsp_validator(trust, url: str, timeout: float = 2.0, **kwargs) -> WebEidValidator:
    return WebEidValidator(origin=ORIGIN, trust=trust, ocsp=OcspOptions(enabled=True, url=url, timeout=timeout),
                           **kwargs)


def test_ocsp_is_off_by_default(validator):
    assert validator.ocsp.enabled is False


@pytest.mark.parametrize("mode", ["good", "no-nonce", "delegated"])
def test_ocsp_good_answers_are_accepted(trust, responder, sophie, mode):
    responder.mode = mode
    responder.requests.clear()
    identity = ocsp_validator(trust, responder.url).validate(build_token(sophie, ORIGIN, NONCE), NONCE)
    assert identity.national_number == SOPHIE.nrn
    (request,) = responder.requests
    assert request.serial_number == sophie.certificate.serial_number
    assert len(request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce) == 32


def test_a_designated_responder_is_trusted_only_when_configured(trust, responder, sophie):
    responder.mode = "designated"
    token = build_token(sophie, ORIGIN, NONCE)
    assert refusal(ocsp_validator(trust, responder.url), token) == "ocsp_response_invalid"
    configured = WebEidValidator(origin=ORIGIN, trust=trust, ocsp=OcspOptions(
        enabled=True, url=responder.url, timeout=2.0, responder_certificate=responder.designated))
    assert configured.validate(token, NONCE).national_number == SOPHIE.nrn


def test_ocsp_alone_answers_when_no_crl_is_configured(eid_world, responder, marc):
    responder.mode = "good"
    no_crl = TrustStore.from_pem(eid_world.root_pem.read_bytes(), eid_world.citizen_pem.read_bytes())
    assert ocsp_validator(no_crl, responder.url).validate(build_token(marc, ORIGIN, NONCE), NONCE)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("revoked", "certificate_revoked"),
        ("unknown", "revocation_unknown"),
        ("wrong-nonce", "ocsp_nonce_mismatch"),
        ("foreign-key", "ocsp_response_invalid"),
        ("forged", "ocsp_response_invalid"),
        ("delegated-without-eku", "ocsp_response_invalid"),
        ("stale", "ocsp_response_invalid"),
        ("old", "ocsp_response_invalid"),
        ("inverted", "ocsp_response_invalid"),
        ("garbage", "ocsp_response_invalid"),
        ("try-later", "ocsp_unavailable"),
    ],
)
def test_ocsp_refusals(trust, responder, sophie, mode, reason):
    responder.mode = mode
    assert refusal(ocsp_validator(trust, responder.url), build_token(sophie, ORIGIN, NONCE)) == reason


def test_an_ocsp_responder_that_does_not_answer_in_time_is_unavailable(trust, responder, marc):
    responder.mode = "slow"
    responder.release.clear()
    started = time.monotonic()
    try:
        reason = refusal(ocsp_validator(trust, responder.url, timeout=0.5), build_token(marc, ORIGIN, NONCE))
    finally:
        responder.release.set()
    assert reason == "ocsp_unavailable"
    assert time.monotonic() - started < 3


def test_an_unreachable_ocsp_responder_is_unavailable(trust, sophie):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    url = f"http://127.0.0.1:{port}/ocsp"
    assert refusal(ocsp_validator(trust, url, timeout=1), build_token(sophie, ORIGIN, NONCE)) == "ocsp_unavailable"


def test_without_a_designated_responder_the_certificate_must_name_one(trust, sophie):
    no_url = WebEidValidator(origin=ORIGIN, trust=trust, ocsp=OcspOptions(enabled=True))
    assert refusal(no_url, build_token(sophie, ORIGIN, NONCE)) == "revocation_unknown"


def test_a_crl_revocation_is_found_before_any_ocsp_request(trust, responder, signers):
    responder.mode = "good"
    responder.requests.clear()
    token = build_token(signers[PAUL.card_number], ORIGIN, NONCE)
    assert refusal(ocsp_validator(trust, responder.url), token) == "certificate_revoked"
    assert responder.requests == []


def test_software_keys_sign_like_cards(trust, pki):
    # The helper's software signer follows the same rules (used for the odd certificates).
    keys = (rsa.generate_private_key(public_exponent=65537, key_size=2048), ec.generate_private_key(ec.SECP256R1()))
    for key in keys:
        odd = issue_odd_certificate(pki.citizen, ODD_HOLDER, key=key)
        signer = SoftwareSigner(odd.key, odd.certificate)
        algorithms = ("RS256", "PS384") if isinstance(key, rsa.RSAPrivateKey) else ("ES256",)
        for algorithm in algorithms:
            assert WebEidValidator(origin=ORIGIN, trust=trust).validate(
                build_token(signer, ORIGIN, NONCE, algorithm), NONCE)
