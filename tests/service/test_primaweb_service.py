"""The PrimaWeb service over real gRPC on loopback (SQLite): the home, health and
reflection, and the two services kept apart by mutual TLS (the gateway's identity opens
PrimaWeb only, the SPP IS's SppIntegration only)."""

from __future__ import annotations

import uuid

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from devtools import service_pki
from services.common import grpc_server, tls
from services.primaweb import database, server
from services.primaweb.store import Store
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc
from tests.service.grpc_support import serving

SOPHIE = "78051408405"
HERSTAPPE_LIKE = "0403170701"  # any valid enterprise number: the home depends on role and profiles
SERVICES = ("ssp.primaweb.v1.PrimaWeb", "ssp.primaweb.v1.SppIntegration")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    engine = database.make_engine(f"sqlite:///{tmp_path_factory.mktemp('primaweb') / 'primaweb.sqlite3'}")
    database.upgrade(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def channel(store):
    with serving(server.registrar(store)) as ch:
        yield ch


@pytest.fixture(scope="module")
def primaweb(channel):
    return primaweb_pb2_grpc.PrimaWebStub(channel)


def home(stub, **fields):
    request = dict(acting_nrn=SOPHIE, entity_id=HERSTAPPE_LIKE, role="agent-social", language="fr") | fields
    return stub.GetHome(pb.GetHomeRequest(**request))


def test_the_home_follows_the_profiles_in_the_asked_language(primaweb):
    restricted = home(primaweb)
    assert restricted.restricted and not restricted.parts
    assert not restricted.HasField("open_files") and not restricted.latest_messages
    opened = home(primaweb, profiles=["consultation", "envoi-formulaires"], language="nl")
    assert [p.title for p in opened.parts][:2] == ["Een dossier zoeken", "Mijn dossiers"]
    assert {p.opened_by for p in opened.parts} == {"consultation", "envoi-formulaires"}
    assert (opened.open_files, opened.my_open_files, opened.forms_to_send, opened.unread_messages) == (0, 0, 0, 0)


def test_the_manager_home_shows_no_counts(primaweb):
    manager = home(primaweb, role="gestion-primaweb", profiles=["consultation"])
    assert [p.id for p in manager.parts] == ["manage-profiles"]
    assert not any(manager.HasField(f) for f in ("open_files", "forms_to_send", "unread_messages"))


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


def test_health_and_reflection_announce_both_services(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", *SERVICES):
        assert health.Check(health_pb2.HealthCheckRequest(service=name)).status == \
            health_pb2.HealthCheckResponse.SERVING
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    assert set(SERVICES) <= {s.name for reply in replies for s in reply.list_services_response.service}


# --- who may call which service ----------------------------------------------------------


@pytest.fixture(scope="module")
def tls_port(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    service_pki.init(folder)
    running = grpc_server.start(server.registrar(store), port=0, tls_files=tls.files_in(folder, "primaweb"),
                                policy=tls.CallerPolicy(server.CALLERS))
    yield running.port, folder
    running.stop(0)


def _stubs(tls_port, identity: str):
    port, folder = tls_port
    channel = grpc.secure_channel(f"127.0.0.1:{port}", tls.channel_credentials(tls.files_in(folder, identity)))
    return channel, primaweb_pb2_grpc.PrimaWebStub(channel), primaweb_pb2_grpc.SppIntegrationStub(channel)


def _actor() -> pb.Actor:
    return pb.Actor(acting_nrn=SOPHIE, entity_id="0999000129", role="agent-social",
                    profiles=["consultation", "encodage-ris"], display_name="Sophie Demo-Lambert")


def _refused(call) -> None:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED, err.value.details()


def test_the_gateway_may_not_use_the_spp_is_methods(tls_port):
    channel, cpas, spp = _stubs(tls_port, "gateway")
    with channel:
        assert cpas.SearchFiles(pb.SearchFilesRequest(actor=_actor()), timeout=5).total == 0
        _refused(lambda: spp.ListSentForms(pb.ListSentFormsRequest(), timeout=5))
        _refused(lambda: spp.AnswerForm(pb.AnswerFormRequest(request_id=str(uuid.uuid4()), form_id=str(uuid.uuid4()),
                                                             answer=pb.ANSWER_ACCEPTED), timeout=5))


def test_the_spp_is_may_not_create_or_change_files(tls_port):
    channel, cpas, spp = _stubs(tls_port, "spp-is")
    with channel:
        assert not spp.ListSentForms(pb.ListSentFormsRequest(), timeout=5).more
        _refused(lambda: cpas.CreateFile(pb.CreateFileRequest(
            actor=_actor(), request_id=str(uuid.uuid4()), nrn="85031499897", first_name="Julie",
            last_name="Demo-Martin", street="Rue 1", postal_code="4042", municipality="Herstappe",
            law=pb.LAW_SOCIAL_INTEGRATION_2002, category=pb.CATEGORY_SINGLE), timeout=5))
        _refused(lambda: cpas.SearchFiles(pb.SearchFilesRequest(actor=_actor()), timeout=5))
