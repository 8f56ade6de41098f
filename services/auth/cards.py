"""eID cards in card readers, through a PKCS#11 module (python-pkcs11).

A card is a PKCS#11 token: card number = token serial; the authentication key pair and its
X.509 certificate are the objects labelled "Authentication" (the "Signature" pair is never
used here). With the Belgian eID middleware the module is its beidpkcs11 library; for the
demo and the tests it is SoftHSM2 (see `services.auth.demo_cards`).

One CardReaders per process, created before any thread uses it:

* python-pkcs11 keeps one loaded library per module path per process (`pkcs11.lib(path)`
  returns the cached instance), and SoftHSM2 reads SOFTHSM2_CONF (its token folder) only in
  C_Initialize. So set SOFTHSM2_CONF in the environment *before* the first CardReaders is
  created; changing it later has no effect until `refresh()` (C_Finalize + C_Initialize).
* python-pkcs11 calls C_Initialize(NULL), which tells the module that the application
  will not call it from several threads at once; SoftHSM2 then disables its own internal
  mutexes. Every PKCS#11 call therefore goes through one process-wide lock (a per-card
  lock would not be enough). Sessions are opened and closed inside that lock, never kept.

What we found about SoftHSM2 2.6 (the Debian package):

* New tokens: the token folder is scanned only in C_Initialize. C_GetSlotList does not
  rescan, so a card made by `demo_cards issue-card` while the service runs is invisible
  until `refresh()` (or `list_certificates(rescan=True)`), which re-initialises the
  library. Objects added to an already known token are seen without a refresh.
  Real readers differ: the beid module notices inserted cards on C_GetSlotList.
  A rescan re-initialises (~1.2 ms) and reads every card again (~0.4 ms each): a look at
  the readers first compares the token folder (each token's files and their times) with
  the last full look, and gives that look again when nothing was inserted, taken out or
  written since (~0.1 ms).
* PIN locking: SoftHSM2 never locks a PIN. A wrong PIN gives CKR_PIN_INCORRECT and sets
  CKF_USER_PIN_COUNT_LOW; the right PIN still works after any number of failures. So the
  "3 wrong PINs block the card" rule is enforced by the auth service's own counter
  (pin_tries), before touching the card, as on real cards (which do lock after 3 tries
  and then answer CKR_PIN_LOCKED -> PinLockedOnToken).
* python-pkcs11 0.10.1 leaks the session when C_Login fails (it opens the session, the
  login raises, the handle is never closed). A left-over read-only session makes a later
  SO login fail with CKR_SESSION_READ_ONLY_EXISTS, which would break `unblock`. After a
  failed login we therefore call C_CloseAllSessions for that slot (through ctypes on the
  same, already loaded module: dlopen returns the same handle).
* Token serial and slot id: SoftHSM2 derives the slot id from the last 8 characters of the
  serial read as hex, so card numbers must differ in their last 8 digits.

No PIN or PUK is ever logged or put in an exception message.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11

from services.auth.errors import (
    CardNotFound,
    CardOperationFailed,
    PinIncorrect,
    PinLockedOnToken,
    PukIncorrect,
    PukLockedOnToken,
    SignatureInvalid,
)

log = logging.getLogger(__name__)

AUTHENTICATION_LABEL = "Authentication"

# C_Initialize(NULL) => the module may assume a single-threaded caller (see module doc).
_PKCS11_LOCK = threading.RLock()

_CURVE_NAMES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
_CURVE_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "secp256r1": hashes.SHA256,
    "secp384r1": hashes.SHA384,
    "secp521r1": hashes.SHA512,
}
_PIN_REFUSED = (p11.PinIncorrect, p11.PinLenRange, p11.PinInvalid)
_CARD_GONE = (p11.TokenNotPresent, p11.TokenNotRecognised, p11.DeviceRemoved, p11.SlotIDInvalid)


@dataclass(frozen=True)
class CardCertificate:
    """An authentication certificate found on a card, with what the login page shows."""

    card_number: str  # token serial
    token_label: str
    label: str  # PKCS#11 label of the certificate object ("Authentication")
    key_id: bytes  # CKA_ID shared by the certificate and its key pair
    certificate: x509.Certificate
    first_name: str
    last_name: str
    nrn: str  # subject serialNumber, as written on the certificate
    issuer: str  # issuer common name
    not_before: dt.datetime
    not_after: dt.datetime
    key_type: str  # "RSA-2048", "EC P-384"

    @property
    def holder_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def key_type_of(cert: x509.Certificate) -> str:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {_CURVE_NAMES.get(key.curve.name, key.curve.name)}"
    return type(key).__name__


def _card_certificate(card_number: str, token_label: str, obj: pkcs11.Certificate) -> CardCertificate:
    cert = x509.load_der_x509_certificate(obj[Attribute.VALUE])
    return CardCertificate(
        card_number=card_number,
        token_label=token_label,
        label=obj[Attribute.LABEL],
        key_id=obj[Attribute.ID],
        certificate=cert,
        first_name=_attr(cert.subject, NameOID.GIVEN_NAME),
        last_name=_attr(cert.subject, NameOID.SURNAME),
        nrn=_attr(cert.subject, NameOID.SERIAL_NUMBER),
        issuer=_attr(cert.issuer, NameOID.COMMON_NAME),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type_of(cert),
    )


def _serial(token: pkcs11.Token) -> str:
    serial = token.serial
    text = serial.decode("ascii", "replace") if isinstance(serial, bytes) else str(serial)
    return text.strip()


def _token_folder_state() -> tuple | None:
    """Every file of SoftHSM2's token folder (SOFTHSM2_CONF's directories.tokendir) with its
    size and modification time, or None when there is no such folder to look at (another
    module, or no configuration): a card inserted, taken out or written changes it. Not the
    files SoftHSM2 rewrites by merely loading a token: its lock files and `generation`."""
    conf = os.environ.get("SOFTHSM2_CONF", "")
    try:
        text = Path(conf).read_text() if conf else ""
    except OSError:
        return None
    folder = next((line.split("=", 1)[1].strip() for line in text.splitlines()
                   if line.split("=", 1)[0].strip() == "directories.tokendir" and "=" in line), "")
    if not folder:
        return None
    state = []
    try:
        for token in sorted(os.scandir(folder), key=lambda e: e.name):
            if token.is_dir():
                files = ((f.name, f.stat()) for f in os.scandir(token.path)
                         if f.name != "generation" and not f.name.endswith(".lock"))
                state.append((token.name, tuple(sorted((name, st.st_size, st.st_mtime_ns) for name, st in files))))
    except OSError:  # a token taken out while we looked: look again in full
        return None
    return tuple(state)


class CardReaders:
    """The cards present in the readers served by one PKCS#11 module."""

    def __init__(self, module_path: str) -> None:
        self.module_path = module_path
        with _PKCS11_LOCK:
            self._lib = pkcs11.lib(module_path)
            # Same shared object as python-pkcs11's (dlopen returns the loaded handle); used
            # only for C_CloseAllSessions, which python-pkcs11 does not expose.
            self._module = ctypes.CDLL(module_path)
            self._module.C_CloseAllSessions.argtypes = [ctypes.c_ulong]
            self._module.C_CloseAllSessions.restype = ctypes.c_ulong
        # (token folder state, cards listed) of the last rescan; full_looks counts the rescans
        # that re-initialised the module and read every card.
        self._last_look: tuple[tuple, list[CardCertificate]] | None = None
        self.full_looks = 0

    # --- discovery ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-initialise the module so that tokens created since loading become visible."""
        with _PKCS11_LOCK:
            self._lib.reinitialize()
            self._last_look = None

    def list_certificates(self, rescan: bool = False) -> list[CardCertificate]:
        """Every authentication certificate on every card present, by card number; with
        `rescan`, cards inserted or taken out since the module was loaded are seen too."""
        with _PKCS11_LOCK:
            if rescan:
                folder = _token_folder_state()
                if folder is not None and self._last_look is not None and self._last_look[0] == folder:
                    return list(self._last_look[1])  # nothing inserted, taken out or written since
                self._lib.reinitialize()
                self.full_looks += 1
            found = []
            for _slot, token in self._tokens():
                try:
                    found.extend(self._auth_certificates(token))
                except _CARD_GONE:
                    continue  # pulled out while we looked
            found.sort(key=lambda c: c.card_number)
            if rescan:
                self._last_look = (folder, list(found)) if folder is not None else None
            return found

    def certificate(self, card_number: str) -> CardCertificate:
        """The authentication certificate of one card; CardNotFound when it is not there."""
        with _PKCS11_LOCK:
            _slot, token = self._find(card_number)
            try:
                certs = self._auth_certificates(token)
            except _CARD_GONE:
                raise CardNotFound(card_number) from None
            if not certs:
                raise CardNotFound(f"{card_number}: no authentication certificate")
            return certs[0]

    # --- operations with a PIN ---------------------------------------------------------

    def login_and_sign(self, card_number: str, pin: str, data: bytes) -> bytes:
        """Log in with the user PIN and sign `data` with the Authentication private key.

        RSA: PKCS#1 v1.5 with SHA-256. EC: ECDSA with the curve's hash (SHA-384 for P-384),
        returned DER-encoded (ECDSA-Sig-Value), ready for `verify_signature`.
        Raises CardNotFound, PinIncorrect, PinLockedOnToken, CardOperationFailed.
        """
        with _PKCS11_LOCK:
            slot, token = self._find(card_number)
            if token.flags & TokenFlag.USER_PIN_LOCKED:
                raise PinLockedOnToken(card_number)
            session = self._login(slot, token, card_number, dict(user_pin=pin), PinIncorrect, PinLockedOnToken)
            try:
                with session:
                    return self._sign(slot, session, data)
            except _CARD_GONE:
                raise CardNotFound(card_number) from None
            except p11.PKCS11Error as exc:
                raise CardOperationFailed(f"sign: {type(exc).__name__}") from None

    def unblock(self, card_number: str, puk: str, new_pin: str) -> None:
        """Log in as security officer with the PUK and set a new user PIN (C_InitPIN).

        Raises CardNotFound, PukIncorrect, PukLockedOnToken, ValueError (new PIN format).
        """
        if not (new_pin.isdigit() and 4 <= len(new_pin) <= 12):
            raise ValueError("the new PIN must be 4 to 12 digits")
        with _PKCS11_LOCK:
            slot, token = self._find(card_number)
            # An SO login needs a read-write session and no read-only session left over.
            self._close_all_sessions(slot)
            session = self._login(slot, token, card_number, dict(rw=True, so_pin=puk), PukIncorrect, PukLockedOnToken)
            try:
                with session:
                    session.init_pin(new_pin)
            except p11.PKCS11Error as exc:
                raise CardOperationFailed(f"init PIN: {type(exc).__name__}") from None
            log.info("card unblocked", extra={"card_number": card_number})

    # --- internals (caller holds _PKCS11_LOCK) -----------------------------------------

    def _login(self, slot, token, card_number: str, credentials: dict, refused: type, locked: type):
        """Open a logged-in session (user PIN or SO PIN), mapping the card's refusals."""
        try:
            return token.open(**credentials)
        except _PIN_REFUSED:
            self._close_all_sessions(slot)
            raise refused() from None
        except p11.PinLocked:
            self._close_all_sessions(slot)
            raise locked(card_number) from None
        except _CARD_GONE:
            raise CardNotFound(card_number) from None
        except p11.PKCS11Error as exc:
            self._close_all_sessions(slot)
            raise CardOperationFailed(f"login: {type(exc).__name__}") from None

    def _tokens(self) -> Iterator[tuple[pkcs11.Slot, pkcs11.Token]]:
        for slot in self._lib.get_slots(token_present=True):
            try:
                token = slot.get_token()
            except _CARD_GONE:
                continue
            # SoftHSM always shows one empty, uninitialised token for making new ones.
            if token.flags & TokenFlag.TOKEN_INITIALIZED:
                yield slot, token

    def _find(self, card_number: str) -> tuple[pkcs11.Slot, pkcs11.Token]:
        for slot, token in self._tokens():
            if _serial(token) == card_number:
                return slot, token
        raise CardNotFound(card_number)

    def _auth_certificates(self, token: pkcs11.Token) -> list[CardCertificate]:
        with token.open() as session:  # public objects only: no login
            objects = session.get_objects(
                {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: AUTHENTICATION_LABEL}
            )
            return [_card_certificate(_serial(token), token.label, obj) for obj in objects]

    def _sign(self, slot: pkcs11.Slot, session: pkcs11.Session, data: bytes) -> bytes:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=AUTHENTICATION_LABEL)
        if key.key_type == pkcs11.KeyType.RSA:
            return key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)
        if key.key_type == pkcs11.KeyType.EC:
            cert = next(
                session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: key.id}),
                None,
            )
            if cert is None:
                raise CardOperationFailed("no certificate for the authentication key")
            curve = x509.load_der_x509_certificate(cert[Attribute.VALUE]).public_key()
            if not isinstance(curve, ec.EllipticCurvePublicKey):
                raise CardOperationFailed("certificate and key types differ")
            raw = self._ecdsa(slot, key, data, curve.curve.name)
            half = len(raw) // 2
            r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
            return encode_dss_signature(r, s)
        raise CardOperationFailed(f"unsupported key type {key.key_type!r}")

    @staticmethod
    def _ecdsa(slot: pkcs11.Slot, key: pkcs11.PrivateKey, data: bytes, curve: str) -> bytes:
        hash_cls = _CURVE_HASHES.get(curve)
        if hash_cls is None:
            raise CardOperationFailed(f"unsupported curve {curve}")
        combined = {
            "sha256": Mechanism.ECDSA_SHA256,
            "sha384": Mechanism.ECDSA_SHA384,
            "sha512": Mechanism.ECDSA_SHA512,
        }[hash_cls.name]
        if combined in slot.get_mechanisms():
            return key.sign(data, mechanism=combined)
        # SoftHSM 2.6 only offers raw CKM_ECDSA: hash here, same signature.
        digest = hashlib.new(hash_cls.name, data).digest()
        return key.sign(digest, mechanism=Mechanism.ECDSA)

    def _close_all_sessions(self, slot: pkcs11.Slot) -> None:
        """Close sessions python-pkcs11 left open after a failed C_Login (see module doc)."""
        rv = self._module.C_CloseAllSessions(slot.slot_id)
        if rv != 0:
            log.warning("C_CloseAllSessions failed", extra={"rv": hex(rv)})


def verify_signature(cert: x509.Certificate, data: bytes, signature: bytes) -> None:
    """Check a signature made by `login_and_sign` with the certificate's public key.

    Raises SignatureInvalid (also for a key type we do not handle).
    """
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            return
        if isinstance(key, ec.EllipticCurvePublicKey):
            hash_cls = _CURVE_HASHES.get(key.curve.name)
            if hash_cls is not None:
                key.verify(signature, data, ec.ECDSA(hash_cls()))
                return
    except InvalidSignature:
        raise SignatureInvalid("signature does not match the certificate") from None
    raise SignatureInvalid(f"unsupported key type {key_type_of(cert)}")
