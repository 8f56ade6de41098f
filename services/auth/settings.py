"""The auth service's configuration, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from services.auth.webeid import normalise_origin
from services.common import config

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class Settings:
    redis_url: str
    pkcs11_module: str
    trust_anchors: Path
    intermediates: Path
    crls: tuple[Path, ...]
    session_idle_seconds: int
    session_absolute_seconds: int
    pin_try_limit: int
    puk_try_limit: int
    # Web eID (the card in the person's own reader): see services/auth/webeid_login.py.
    webeid_origin: str = "http://127.0.0.1:8080"  # the gateway's public origin, as browsers write it
    webeid_disallowed_policies: tuple[str, ...] = ()  # certificate policy OIDs refused
    webeid_ocsp: bool = False  # OCSP on top of the CRLs: an outgoing call per login
    webeid_ocsp_url: str = ""  # designated responder; empty: the certificate's AIA URL
    webeid_ocsp_timeout_seconds: float = 5.0
    webeid_ocsp_max_age_seconds: float = 120.0  # how old an OCSP answer may be (raise it for pre-produced ones)
    webeid_try_limit: int = 3  # failed proofs per certificate before it is locked
    webeid_lock_seconds: int = 900  # how long a locked certificate stays locked
    # The readers on the server (PKCS#11 tokens) stand for "the readers of this PC" in the
    # demo and the training; in production they are off: not offered, their calls refused.
    simulated_readers: bool = True
    # WatchSessions (see session_events.py): streams at once (a server thread each, idle
    # but for its events; one per gateway worker: prod's 20 pods x 2 workers fit), and the
    # quiet time after which a stream says it is still there.
    session_watchers: int = 48
    session_watch_heartbeat_seconds: float = 5.0

    @classmethod
    def from_env(cls) -> Settings:
        demo = config.env_str("EID_DEMO_DIR", "")
        pki = Path(demo) / "pki" if demo else None
        if demo and not os.environ.get("SOFTHSM2_CONF"):
            # SoftHSM2 reads this when the module is loaded: set it before CardReaders.
            os.environ["SOFTHSM2_CONF"] = str(Path(demo) / "softhsm2.conf")

        def path(var: str, demo_name: str) -> Path:
            value = config.env_str(var, str(pki / demo_name) if pki else "")
            if not value:
                raise config.ConfigError(f"{var}: a PEM file is needed (or EID_DEMO_DIR for the demo cards)")
            return Path(value)

        crls = config.env_str("EID_CRLS", str(pki / "citizen-ca.crl.pem") if pki else "")
        settings = cls(
            redis_url=config.env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
            pkcs11_module=config.env_str("PKCS11_MODULE", SOFTHSM_MODULE),
            trust_anchors=path("EID_TRUST_ANCHORS", "trust-anchors.pem"),
            intermediates=path("EID_INTERMEDIATES", "intermediates.pem"),
            crls=tuple(Path(p) for p in crls.split(",") if p),
            session_idle_seconds=config.env_int("SESSION_IDLE_SECONDS", 1800, minimum=1),
            session_absolute_seconds=config.env_int("SESSION_ABSOLUTE_SECONDS", 36000, minimum=1),
            pin_try_limit=config.env_int("PIN_TRY_LIMIT", 3, minimum=1),
            puk_try_limit=config.env_int("PUK_TRY_LIMIT", 3, minimum=1),
            webeid_origin=_origin(config.env_str("WEBEID_ORIGIN", "http://127.0.0.1:8080")),
            webeid_disallowed_policies=_oids(config.env_str("WEBEID_DISALLOWED_POLICIES", "")),
            webeid_ocsp=config.env_bool("WEBEID_OCSP", False),
            webeid_ocsp_url=config.env_str("WEBEID_OCSP_URL", ""),
            webeid_ocsp_timeout_seconds=config.env_float("WEBEID_OCSP_TIMEOUT_SECONDS", 5.0),
            webeid_ocsp_max_age_seconds=config.env_float("WEBEID_OCSP_MAX_AGE_SECONDS", 120.0),
            webeid_try_limit=config.env_int("WEBEID_TRY_LIMIT", 3, minimum=1),
            webeid_lock_seconds=config.env_int("WEBEID_LOCK_SECONDS", 900, minimum=1),
            simulated_readers=config.env_bool("EID_SIMULATED_READERS", True),
            session_watchers=config.env_int("SESSION_WATCHERS", 48, minimum=0),
            session_watch_heartbeat_seconds=config.env_float("SESSION_WATCH_HEARTBEAT_SECONDS", 5.0),
        )
        if not 0.1 <= settings.session_watch_heartbeat_seconds <= 60:
            raise config.ConfigError("SESSION_WATCH_HEARTBEAT_SECONDS: between 0.1 and 60 seconds")
        if not 0 < settings.webeid_ocsp_timeout_seconds <= 60:
            raise config.ConfigError("WEBEID_OCSP_TIMEOUT_SECONDS: between 0 and 60 seconds")
        if not settings.webeid_ocsp_max_age_seconds > 0:
            raise config.ConfigError("WEBEID_OCSP_MAX_AGE_SECONDS: more than 0 seconds")
        for var, file in (("EID_TRUST_ANCHORS", settings.trust_anchors), ("EID_INTERMEDIATES", settings.intermediates),
                          *(("EID_CRLS", c) for c in settings.crls)):
            if not file.is_file():
                raise config.ConfigError(f"{var}: {file} does not exist (run `make run` to create the demo cards)")
        return settings


def _origin(value: str) -> str:
    try:
        return normalise_origin(value)
    except ValueError as exc:
        raise config.ConfigError(f"WEBEID_ORIGIN: {exc}") from None


def _oids(value: str) -> tuple[str, ...]:
    """Comma-separated dotted OIDs, e.g. "1.3.6.1.4.1.10015.1.3,1.3.6.1.4.1.10015.18.1"."""
    oids = tuple(part.strip() for part in value.split(",") if part.strip())
    for oid in oids:
        parts = oid.split(".")
        if len(parts) < 2 or not all(p.isdigit() for p in parts):
            raise config.ConfigError(f"WEBEID_DISALLOWED_POLICIES: {oid!r} is not a dotted OID")
    return oids
