"""Domain errors of the auth service's card side (readers, certificates).

The servicer maps each class to one gRPC status; nothing here knows about gRPC.
No error ever carries a PIN or PUK, not even in its message.
"""

from __future__ import annotations


class AuthError(Exception):
    """Base class of the auth service's domain errors."""


# --- cards and readers -------------------------------------------------------------


class CardError(AuthError):
    """Something about a card (token) in a reader."""


class CardNotFound(CardError):
    """No card with this card number is present in the readers."""


class PinIncorrect(CardError):
    """The card refused the PIN.

    `tries_left` is filled in by whoever counts tries (the card layer does not know: SoftHSM
    keeps no counter and real cards do not report it through PKCS#11).
    """

    def __init__(self, tries_left: int | None = None) -> None:
        super().__init__("PIN incorrect")
        self.tries_left = tries_left


class PinLockedOnToken(CardError):
    """The card itself reports its PIN as locked (CKR_PIN_LOCKED / CKF_USER_PIN_LOCKED)."""


class PukIncorrect(CardError):
    """The card refused the PUK (security officer PIN). `tries_left` as for PinIncorrect."""

    def __init__(self, tries_left: int | None = None) -> None:
        super().__init__("PUK incorrect")
        self.tries_left = tries_left


class PukLockedOnToken(CardError):
    """The card itself reports its PUK (SO PIN) as locked."""


class CardOperationFailed(CardError):
    """The card or the PKCS#11 module failed for a reason that is not the user's input."""


class SignatureInvalid(AuthError):
    """A signature does not verify with the certificate's public key."""


# --- certificates ------------------------------------------------------------------


class CertificateError(AuthError):
    """The certificate cannot be used to identify its holder."""


class CertificateExpired(CertificateError):
    """The certificate's notAfter has passed."""


class CertificateNotYetValid(CertificateError):
    """The certificate's notBefore is still in the future."""


class CertificateRevoked(CertificateError):
    """The certificate's serial number is listed on its issuer's CRL."""


class CertificateUntrusted(CertificateError):
    """No valid chain from the certificate to a configured trust anchor."""


class RevocationStatusUnknown(CertificateUntrusted):
    """No usable CRL for the issuer (missing, badly signed or past nextUpdate): fail closed."""


class CertificateUnusable(CertificateError):
    """The certificate is not meant for authentication (key usage) or lacks an identity."""
