"""roles and primaweb already start, serve health and reflection, and answer their
methods with UNIMPLEMENTED until their issues land: no fake data."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.primaweb import server as primaweb_server
from services.roles import server as roles_server
from ssp.primaweb.v1 import primaweb_pb2, primaweb_pb2_grpc
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc
from tests.service.grpc_support import serving

CASES = [
    (roles_server.register, "ssp.roles.v1.Roles",
     lambda ch: roles_pb2_grpc.RolesStub(ch).ListMemberships(roles_pb2.ListMembershipsRequest())),
    (primaweb_server.register, "ssp.primaweb.v1.PrimaWeb",
     lambda ch: primaweb_pb2_grpc.PrimaWebStub(ch).GetHome(primaweb_pb2.GetHomeRequest())),
]


@pytest.mark.parametrize(("register", "service", "call"), CASES, ids=[c[1] for c in CASES])
def test_serving_but_unimplemented(register, service, call):
    with serving(register) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        status = health.Check(health_pb2.HealthCheckRequest(service=service)).status
        assert status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.RpcError) as err:
            call(channel)
        assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
