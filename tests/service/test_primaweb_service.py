"""The PrimaWeb service over real gRPC on loopback."""

from __future__ import annotations

import grpc
import pytest

from services.primaweb import server
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc
from tests.service.grpc_support import serving

SOPHIE = "78051408405"
HERSTAPPE_LIKE = "0403170701"  # any valid enterprise number: the home depends on role and profiles


@pytest.fixture(scope="module")
def primaweb():
    with serving(server.register) as channel:
        yield primaweb_pb2_grpc.PrimaWebStub(channel)


def home(stub, **fields):
    request = dict(acting_nrn=SOPHIE, entity_id=HERSTAPPE_LIKE, role="agent-social", language="fr") | fields
    return stub.GetHome(pb.GetHomeRequest(**request))


def test_the_home_follows_the_profiles_in_the_asked_language(primaweb):
    restricted = home(primaweb)
    assert restricted.restricted and not restricted.parts
    opened = home(primaweb, profiles=["consultation", "envoi-formulaires"], language="nl")
    assert [p.title for p in opened.parts][:2] == ["Een dossier zoeken", "Mijn dossiers"]
    assert {p.opened_by for p in opened.parts} == {"consultation", "envoi-formulaires"}


@pytest.mark.parametrize(("fields", "field"), [
    ({"acting_nrn": "78051408406"}, "acting_nrn"),
    ({"entity_id": "0403170702"}, "entity_id"),
    ({"role": "admin"}, "role"),
    ({"profiles": ["everything"]}, "profiles"),
    ({"language": "it"}, "language"),
])
def test_bad_arguments_are_refused_naming_the_field(primaweb, fields, field):
    with pytest.raises(grpc.RpcError) as err:
        home(primaweb, **fields)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details().startswith(f"{field}:")
