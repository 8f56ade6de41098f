"""`python -m services.roles`: serve on ROLES_PORT (default 50053)."""

from services.common import grpc_server
from services.roles import server

if __name__ == "__main__":
    grpc_server.run("roles", server.register, port_variable="ROLES_PORT", default_port=50053)
