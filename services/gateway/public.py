"""Steps 1 to 4 of the journey: the public catalogue, read from the portal service.
One gRPC call per page: each answer carries its own breadcrumb trail."""

from __future__ import annotations

from flask import Blueprint, render_template

from services.gateway import i18n
from services.gateway.clients import client
from ssp.portal.v1 import portal_pb2 as pb

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    audiences = client("portal").ListAudiences(pb.ListAudiencesRequest(language=i18n.language())).audiences
    return render_template("public/home.html", audiences=audiences)


@bp.get("/audiences/<id:audience_id>")
def audience(audience_id: str):
    found = client("portal").GetAudience(pb.GetAudienceRequest(audience_id=audience_id, language=i18n.language()))
    return render_template("public/audience.html", audience=found)


@bp.get("/secteurs/<id:sector_id>")
def sector(sector_id: str):
    found = client("portal").GetSector(pb.GetSectorRequest(sector_id=sector_id, language=i18n.language()))
    return render_template("public/sector.html", sector=found, trail=found.trail)


@bp.get("/secteurs/<id:sector_id>/qualites/<id:quality_id>")
def quality(sector_id: str, quality_id: str):
    found = client("portal").GetQuality(
        pb.GetQualityRequest(sector_id=sector_id, quality_id=quality_id, language=i18n.language())
    )
    return render_template("public/quality.html", quality=found, trail=found.trail)


@bp.get("/services/<id:service_id>")
def service(service_id: str):
    asked = pb.GetOnlineServiceRequest(service_id=service_id, language=i18n.language())
    found = client("portal").GetOnlineService(asked)
    return render_template("public/service.html", service=found, trail=found.trail)
