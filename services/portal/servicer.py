"""gRPC face of the catalogue: proto in, catalogue lookup, proto out."""

from __future__ import annotations

import grpc

from services.portal import catalogue as cat
from ssp.portal.v1 import portal_pb2 as pb
from ssp.portal.v1 import portal_pb2_grpc


def _language(context: grpc.ServicerContext, value: str) -> str:
    if value == "":
        return cat.DEFAULT_LANGUAGE
    if value not in cat.LANGUAGES:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"language: expected one of {', '.join(cat.LANGUAGES)}")
    return value


def _check_ids(context: grpc.ServicerContext, **ids: str) -> None:
    for field, value in ids.items():
        if not cat.ID_PATTERN.match(value):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{field}: lowercase letters, digits and dashes")


class PortalCatalogueServicer(portal_pb2_grpc.PortalCatalogueServicer):
    """Labels come back in the asked language only; lists carry summaries, not details."""

    def __init__(self, catalogue: cat.Catalogue):
        self.catalogue = catalogue

    def _trail(self, lang: str, sector: cat.Sector, quality: cat.Quality | None = None) -> pb.Trail:
        audience = self.catalogue.audience_of(sector.id)
        trail = pb.Trail(
            audience_id=audience.id, audience_label=audience.label.get(lang),
            sector_id=sector.id, sector_label=sector.label.get(lang),
        )
        if quality is not None:
            trail.quality_id = quality.id
            trail.quality_label = quality.label.get(lang)
        return trail

    @staticmethod
    def _service(service: cat.OnlineService, lang: str) -> pb.OnlineService:
        return pb.OnlineService(
            id=service.id, label=service.label.get(lang), summary=service.summary.get(lang),
            login_offered=service.login_offered,
        )

    @staticmethod
    def _entry(message, entry, lang: str):
        return message(id=entry.id, label=entry.label.get(lang), description=entry.description.get(lang))

    def ListAudiences(self, request, context):
        lang = _language(context, request.language)
        return pb.ListAudiencesResponse(audiences=[self._entry(pb.Audience, a, lang) for a in self.catalogue.audiences])

    def GetAudience(self, request, context):
        lang = _language(context, request.language)
        _check_ids(context, audience_id=request.audience_id)
        with _not_found(context):
            audience = self.catalogue.audience(request.audience_id)
        reply = self._entry(pb.Audience, audience, lang)
        reply.sectors.extend(self._entry(pb.Sector, self.catalogue.sector(s), lang) for s in audience.sectors)
        return reply

    def GetSector(self, request, context):
        lang = _language(context, request.language)
        _check_ids(context, sector_id=request.sector_id)
        with _not_found(context):
            sector = self.catalogue.sector(request.sector_id)
        reply = self._entry(pb.Sector, sector, lang)
        reply.qualities.extend(self._entry(pb.Quality, q, lang) for q in sector.qualities)
        reply.trail.CopyFrom(self._trail(lang, sector))
        return reply

    def GetQuality(self, request, context):
        lang = _language(context, request.language)
        _check_ids(context, sector_id=request.sector_id, quality_id=request.quality_id)
        with _not_found(context):
            quality = self.catalogue.quality(request.sector_id, request.quality_id)
        reply = self._entry(pb.Quality, quality, lang)
        reply.services.extend(self._service(self.catalogue.service(s), lang) for s in quality.services)
        reply.trail.CopyFrom(self._trail(lang, self.catalogue.sector(request.sector_id)))
        return reply

    def GetOnlineService(self, request, context):
        lang = _language(context, request.language)
        _check_ids(context, service_id=request.service_id)
        with _not_found(context):
            service = self.catalogue.service(request.service_id)
        place = self.catalogue.place_of(service.id)
        reply = self._service(service, lang)
        reply.description = service.description.get(lang)
        reply.trail.CopyFrom(
            self._trail(lang, self.catalogue.sector(place.sector_id),
                        self.catalogue.quality(place.sector_id, place.quality_id))
        )
        return reply


class _not_found:
    """`with _not_found(context):` turns a catalogue miss into NOT_FOUND."""

    def __init__(self, context: grpc.ServicerContext):
        self.context = context

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is cat.NotFound:
            self.context.abort(grpc.StatusCode.NOT_FOUND, str(exc))
        return False
