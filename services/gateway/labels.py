"""Labels the pages show for codes that other services own: PrimaWeb roles (ours to
word), and catalogue qualities (the portal's, cached: the catalogue is read-only)."""

from __future__ import annotations

import threading
import time

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

_CACHE_SECONDS = 300
_cache: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}
_lock = threading.Lock()


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def quality_labels(sector_id: str) -> dict[str, str]:
    """quality id -> label in the page's language, for one sector of the catalogue."""
    lang = i18n.language()
    key = (sector_id, lang)
    with _lock:
        cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < _CACHE_SECONDS:
        return cached[1]
    try:
        sector = client("portal").GetSector(pb.GetSectorRequest(sector_id=sector_id, language=lang))
    except ServiceError:
        return {}  # labels are a nicety: the pages fall back to the codes
    labels = {q.id: q.label for q in sector.qualities}
    with _lock:
        _cache[key] = (time.monotonic(), labels)
    return labels


def quality_label(quality_id: str, sector_id: str = "cpas") -> str:
    return quality_labels(sector_id).get(quality_id, quality_id)
