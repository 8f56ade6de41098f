"""Gateway configuration from the environment (see services/common/config.py)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from services.common import config


@dataclass(frozen=True)
class Settings:
    secret_key: str
    portal_addr: str
    auth_addr: str
    roles_addr: str
    primaweb_addr: str
    grpc_timeout: float
    secure_cookies: bool
    trusted_proxies: int
    calls_per_service: int = 16
    # The certificate login (TLS client authentication, see certificate_login.py): the
    # certificate host's URL, "{attempt}" standing for a fresh label per attempt; empty:
    # the method is not offered.
    certificate_login_url: str = ""
    public_url: str = ""  # the gateway's URL as browsers reach it: where the certificate host sends them back
    terminator_bind: str = ""  # the listener of the TLS terminator (gunicorn bind syntax)
    # How long a worker keeps a session it read from auth (session_cache.py); 0: never.
    session_cache_seconds: float = 10.0
    # How long a worker keeps the answers fixed while their service runs (clients.FIXED_ANSWERS:
    # the catalogue, the identification methods); 0: never. A catalogue redeployed shows
    # everywhere within this time.
    catalogue_cache_seconds: float = 300.0

    @classmethod
    def from_env(cls) -> Settings:
        secret = config.env_str("GATEWAY_SECRET_KEY", "")
        if len(secret) < 32:
            raise config.ConfigError(
                "GATEWAY_SECRET_KEY: at least 32 characters are needed (it signs the CSRF tokens); "
                "`make run` generates one in its run folder"
            )
        settings = cls(
            secret_key=secret,
            portal_addr=config.env_str("PORTAL_ADDR", "127.0.0.1:50052"),
            auth_addr=config.env_str("AUTH_ADDR", "127.0.0.1:50051"),
            roles_addr=config.env_str("ROLES_ADDR", "127.0.0.1:50053"),
            primaweb_addr=config.env_str("PRIMAWEB_ADDR", "127.0.0.1:50054"),
            grpc_timeout=config.env_float("GRPC_TIMEOUT_SECONDS", 3.0),
            secure_cookies=config.env_bool("GATEWAY_SECURE_COOKIES", False),
            # How many reverse proxies (e.g. the ingress) set X-Forwarded-For/-Proto in front.
            trusted_proxies=config.env_int("GATEWAY_TRUSTED_PROXIES", 0),
            # Threads of a worker one service may hold waiting (the bulkhead, see clients.py):
            # half of them by default, so that a stalled service leaves the other half free.
            calls_per_service=config.env_int(
                "GATEWAY_CALLS_PER_SERVICE", max(1, config.env_int("GATEWAY_THREADS", 16, minimum=1) // 2), minimum=1),
            certificate_login_url=_https_url("CERTIFICATE_LOGIN_URL"),
            public_url=config.env_str("GATEWAY_PUBLIC_URL", "").rstrip("/"),
            terminator_bind=config.env_str("GATEWAY_TERMINATOR_BIND", ""),
            session_cache_seconds=config.env_float("GATEWAY_SESSION_CACHE_SECONDS", 10.0),
            catalogue_cache_seconds=config.env_float("GATEWAY_CATALOGUE_CACHE_SECONDS", 300.0),
        )
        if not 0 <= settings.session_cache_seconds <= 60:
            raise config.ConfigError("GATEWAY_SESSION_CACHE_SECONDS: between 0 (off) and 60 seconds")
        if not 0 <= settings.catalogue_cache_seconds <= 3600:
            raise config.ConfigError("GATEWAY_CATALOGUE_CACHE_SECONDS: between 0 (off) and 3600 seconds")
        if settings.certificate_login_url and not (settings.public_url and settings.terminator_bind):
            raise config.ConfigError(
                "CERTIFICATE_LOGIN_URL needs GATEWAY_PUBLIC_URL (where browsers come back) and "
                "GATEWAY_TERMINATOR_BIND (the TLS terminator's listener)"
            )
        return settings


def _https_url(var: str) -> str:
    value = config.env_str(var, "").rstrip("/")
    parts = urllib.parse.urlsplit(value.replace("{attempt}", "attempt"))
    if value and (parts.scheme != "https" or not parts.hostname or parts.path or parts.query):
        raise config.ConfigError(f"{var}: expected https://host[:port], optionally with {{attempt}} in the host")
    return value
