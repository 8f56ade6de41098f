"""`python -m services.primaweb`: serve on PRIMAWEB_PORT (default 50054)."""

from services.common import grpc_server
from services.primaweb import server

if __name__ == "__main__":
    grpc_server.run("primaweb", server.register, port_variable="PRIMAWEB_PORT", default_port=50054,
                    callers=server.CALLERS)
