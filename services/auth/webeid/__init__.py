"""Web eID authentication token validation, in Python.

A validator for the authentication tokens of the open Web eID project (browser extension
plus native application; Belgian eID cards work through the Belgian middleware), for sites
that authenticate people with the eID card in *their own* reader. See `validator` for the
token format and the validation steps, `refusals` for the reason codes, `ocsp` for the
revocation check with OCSP.

    from services.auth.webeid import TrustStore, WebEidValidator, TokenRefused

    validator = WebEidValidator(origin="https://portal.example.be",
                                trust=TrustStore.from_pem(anchors_pem, intermediates_pem, [crl_pem]))
    try:
        identity = validator.validate(token_json, nonce_issued_to_this_browser)
    except TokenRefused as refused:
        ...  # refused.reason: "certificate_expired", "signature_invalid", ...

    # A TLS client certificate (the handshake proved the key): the same certificate checks.
    identity = validator.check_client_certificate(x509_certificate)

Publishing on its own: this package is self-contained on purpose. It imports nothing from
the rest of the project (relative imports only) and needs only `cryptography` (>= 43, for
`x509.verification` and `OCSPResponseBuilder.add_response_by_hash` in tests); there is no
web framework, no storage and no global state in it. To publish it, copy the folder as a
top-level package (e.g. `webeid_validation`), add a pyproject with that one dependency, and
take its tests from `tests/unit/test_webeid_validator.py` (they need SoftHSM2 only for the
tokens signed by demo cards; the OCSP and Belgian test-token cases need nothing). What it
deliberately leaves to the caller: issuing the 32-byte challenge nonce, storing it bound
to the browser session, consuming it once, and counting failures (this project does both in
`services.auth.webeid_challenges` and `services.auth.webeid_login`, on Redis).
"""

from .ocsp import OcspOptions
from .refusals import (
    REASONS,
    CertificateRefused,
    ProofRefused,
    RevocationRefused,
    TokenRefused,
    TokenStructureRefused,
)
from .validator import (
    ALGORITHMS,
    TrustStore,
    WebEidIdentity,
    WebEidToken,
    WebEidValidator,
    identity_of,
    normalise_origin,
)

__all__ = [
    "ALGORITHMS",
    "REASONS",
    "CertificateRefused",
    "OcspOptions",
    "ProofRefused",
    "RevocationRefused",
    "TokenRefused",
    "TokenStructureRefused",
    "TrustStore",
    "WebEidIdentity",
    "WebEidToken",
    "WebEidValidator",
    "identity_of",
    "normalise_origin",
]
