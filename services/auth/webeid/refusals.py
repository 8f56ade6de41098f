"""Why a Web eID authentication token was refused: one exception class per validation step.

Every class has a stable, machine-readable `reason` (a short snake_case string that callers
may map to their own codes and messages); the message is for logs and never holds the
token, the nonce or the holder's national register number.

The classes are grouped by the stage that raises them, in validation order:

    TokenRefused
    ├── TokenStructureRefused        the token itself (steps 1-3)
    ├── CertificateRefused           the certificate (steps 4-8: the same answer every time)
    │   └── RevocationRefused        revocation checks (step 8: CRL, OCSP)
    └── ProofRefused                 the signature (step 9: the proof of possession)
"""

from __future__ import annotations


class TokenRefused(Exception):
    """The token does not authenticate anyone. `reason` says which step refused it."""

    reason = "token_refused"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.reason)
        self.message = message or self.reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r}, message={self.message!r})"


# --- steps 1-3: the token ----------------------------------------------------------------


class TokenStructureRefused(TokenRefused):
    """The token cannot be read: nothing about any certificate can be concluded."""


class TokenSizeRefused(TokenStructureRefused):
    """Step 1: shorter than any real token, or longer than the configured maximum."""

    reason = "token_size"


class TokenMalformed(TokenStructureRefused):
    """Step 1: not UTF-8 JSON, not an object, a required field missing or of the wrong type."""

    reason = "token_malformed"


class TokenFormatUnsupported(TokenStructureRefused):
    """Step 2: `format` is not "web-eid:1" or "web-eid:1.<minor>"."""

    reason = "token_format_unsupported"


class CertificateMalformed(TokenStructureRefused):
    """Step 3: `unverifiedCertificate` is not base64 of a DER X.509 certificate."""

    reason = "certificate_malformed"


# --- steps 4-8: the certificate ----------------------------------------------------------


class CertificateRefused(TokenRefused):
    """The certificate cannot identify anyone here (whoever presents it)."""


class CertificatePurposeRefused(CertificateRefused):
    """Step 4: no keyUsage digitalSignature, or an extendedKeyUsage without clientAuth."""

    reason = "certificate_purpose"


class CertificatePolicyDisallowed(CertificateRefused):
    """Step 5: the certificate carries a policy on the configured disallowed list."""

    reason = "certificate_policy_disallowed"


class CertificateNotYetValid(CertificateRefused):
    """Step 6: notBefore is still in the future."""

    reason = "certificate_not_yet_valid"


class CertificateExpired(CertificateRefused):
    """Step 6: notAfter has passed."""

    reason = "certificate_expired"


class CertificateUntrusted(CertificateRefused):
    """Step 7: no valid chain to a configured trust anchor."""

    reason = "certificate_untrusted"


class RevocationRefused(CertificateRefused):
    """Step 8: the revocation checks did not show the certificate as good."""


class CertificateRevoked(RevocationRefused):
    """Listed on the issuer's CRL, or reported revoked by OCSP."""

    reason = "certificate_revoked"


class RevocationUnknown(RevocationRefused):
    """No usable CRL and no OCSP answer, or OCSP answered "unknown": we fail closed."""

    reason = "revocation_unknown"


class OcspUnavailable(RevocationRefused):
    """The OCSP responder did not answer in time, or answered tryLater/internalError.

    Transient: the same token would not be accepted later (its nonce is single use), but a
    new login attempt may succeed.
    """

    reason = "ocsp_unavailable"


class OcspResponseInvalid(RevocationRefused):
    """The OCSP response is unusable: undecodable, unsuccessful, badly signed, signed by an
    unauthorised responder, about another certificate, or outside its validity window."""

    reason = "ocsp_response_invalid"


class OcspNonceMismatch(RevocationRefused):
    """The OCSP response carries a nonce, and it is not the one we sent (a replay)."""

    reason = "ocsp_nonce_mismatch"


# --- step 9: the proof ------------------------------------------------------------------


class ProofRefused(TokenRefused):
    """The token does not prove possession of the certificate's key for this origin and
    this challenge. These are the failures a login service should count per certificate."""


class AlgorithmUnsupported(ProofRefused):
    """`algorithm` is not one of RS256/384/512, PS256/384/512, ES256/384/512."""

    reason = "algorithm_unsupported"


class AlgorithmMismatch(ProofRefused):
    """`algorithm` does not fit the certificate's key (e.g. ES256 with an RSA or P-384 key)."""

    reason = "algorithm_mismatch"


class SignatureInvalid(ProofRefused):
    """The signature does not verify over hash(origin) ‖ hash(nonce): wrong origin, another
    challenge, a tampered token, or a key that is not the certificate's."""

    reason = "signature_invalid"


# Every reason code in validation order (documentation, and a check for the tests).
REASONS: tuple[str, ...] = (
    TokenSizeRefused.reason,
    TokenMalformed.reason,
    TokenFormatUnsupported.reason,
    CertificateMalformed.reason,
    CertificatePurposeRefused.reason,
    CertificatePolicyDisallowed.reason,
    CertificateNotYetValid.reason,
    CertificateExpired.reason,
    CertificateUntrusted.reason,
    CertificateRevoked.reason,
    RevocationUnknown.reason,
    OcspUnavailable.reason,
    OcspResponseInvalid.reason,
    OcspNonceMismatch.reason,
    AlgorithmUnsupported.reason,
    AlgorithmMismatch.reason,
    SignatureInvalid.reason,
)
