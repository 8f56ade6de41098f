"""`python -m services.auth`: Identification on AUTH_PORT (default 50051), CardAdmin on
AUTH_ADMIN_HOST:AUTH_ADMIN_PORT (default 127.0.0.1:50061). See settings.py for the rest."""

from services.auth import server
from services.auth.settings import Settings
from services.common import config, grpc_server, logs


def main() -> None:
    logs.setup("auth", config.env_str("LOG_LEVEL", "INFO"))
    identification = server.build(Settings.from_env())
    public = grpc_server.start(
        server.identification_registrar(identification),
        host=config.env_str("GRPC_HOST", "127.0.0.1"),
        port=config.env_int("AUTH_PORT", 50051),
    )
    admin = grpc_server.start(
        server.card_admin_registrar(identification),
        host=config.env_str("AUTH_ADMIN_HOST", "127.0.0.1"),
        port=config.env_int("AUTH_ADMIN_PORT", 50061),
    )
    grpc_server.serve_forever([public, admin], "auth")


if __name__ == "__main__":
    main()
