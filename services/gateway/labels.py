"""Labels the pages show for codes that other services own: PrimaWeb roles (ours to
word), and catalogue qualities (the portal's, kept by the client: the catalogue is read-only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from services.gateway import i18n
from services.gateway.clients import ServiceError, client
from ssp.portal.v1 import portal_pb2 as pb

ROLE_LABELS = {
    "agent-social": _l("Social Agent"),
    "gestion-primaweb": _l("PrimaWeb Management"),
}
ROLE_HINTS = {
    "agent-social": _l("Manage the files of the people your CPAS helps."),
    "gestion-primaweb": _l("Assign PrimaWeb profiles to the agents of your CPAS."),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def quality_labels(sector_id: str) -> dict[str, str]:
    """quality id -> label in the page's language, for one sector of the catalogue."""
    try:
        sector = client("portal").GetSector(pb.GetSectorRequest(sector_id=sector_id, language=i18n.language()))
    except ServiceError:
        return {}  # labels are a nicety: the pages fall back to the codes
    return {q.id: q.label for q in sector.qualities}


def quality_label(quality_id: str, sector_id: str = "cpas") -> str:
    return quality_labels(sector_id).get(quality_id, quality_id)
