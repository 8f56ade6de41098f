"""gRPC face of PrimaWeb: proto in, domain call, proto out."""

from __future__ import annotations

import grpc
from stdnum.be import nn, vat

from services.primaweb import home
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc


def _check_identifiers(context: grpc.ServicerContext, nrn: str, enterprise_number: str) -> None:
    if not (nrn.isdigit() and len(nrn) == 11 and nn.is_valid(nrn)):
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "acting_nrn: not a national register number")
    if not (enterprise_number.isdigit() and len(enterprise_number) == 10 and vat.is_valid(enterprise_number)):
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "entity_id: not an enterprise number")


class PrimaWebServicer(primaweb_pb2_grpc.PrimaWebServicer):
    def GetHome(self, request, context):
        _check_identifiers(context, request.acting_nrn, request.entity_id)
        lang = request.language or "fr"
        if lang not in home.LANGUAGES:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "language: expected fr, nl, de or en")
        try:
            composed = home.compose(request.role, list(request.profiles))
        except home.UnknownValue as exc:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        return pb.Home(
            restricted=composed.restricted,
            parts=[pb.HomePart(id=p.id, title=p.title[lang], description=p.description[lang], opened_by=p.opened_by)
                   for p in composed.parts],
        )
