"""Gateway configuration from the environment (see services/common/config.py)."""

from __future__ import annotations

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

    @classmethod
    def from_env(cls) -> Settings:
        secret = config.env_str("GATEWAY_SECRET_KEY", "")
        if len(secret) < 32:
            raise config.ConfigError(
                "GATEWAY_SECRET_KEY: at least 32 characters are needed (it signs the CSRF tokens); "
                "`make run` generates one in its run folder"
            )
        return cls(
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
                "GATEWAY_CALLS_PER_SERVICE", max(1, config.env_int("GATEWAY_THREADS", 32, minimum=1) // 2), minimum=1),
        )
