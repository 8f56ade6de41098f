"""`python -m services.auth`: Identification on AUTH_PORT (default 50051), CardAdmin on
AUTH_ADMIN_HOST:AUTH_ADMIN_PORT (default 127.0.0.1:50061). See settings.py for the rest."""

from services.auth import server
from services.auth.settings import Settings
from services.common import config, grpc_server, logs, metrics


def main() -> None:
    logs.setup("auth", config.env_str("LOG_LEVEL", "INFO"))
    metrics.serve_from_env()
    settings = Settings.from_env()
    identification = server.build(settings)
    public = grpc_server.start_from_env(
        server.identification_registrar(identification), port_variable="AUTH_PORT", default_port=50051,
        callers=server.CALLERS, extra_threads=settings.session_watchers,  # a thread per WatchSessions stream
    )
    admin = grpc_server.start_from_env(
        server.card_admin_registrar(identification), host_variable="AUTH_ADMIN_HOST", port_variable="AUTH_ADMIN_PORT",
        default_port=50061, callers=server.CALLERS,
    )
    probes = grpc_server.health_listener_from_env(public)
    grpc_server.serve_forever([public, admin, *filter(None, [probes])], "auth")


if __name__ == "__main__":
    main()
