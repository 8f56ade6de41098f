"""Steps 8 and 9: the entities and qualities the person is known for, and "connected as"."""

from __future__ import annotations

import re
from collections import OrderedDict

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import auth_session, labels
from services.gateway.clients import client
from services.gateway.errors import BadInput
from ssp.roles.v1 import roles_pb2

bp = Blueprint("entities", __name__)

PRIMAWEB_QUALITY = "action-sociale"
_CHOICE = re.compile(r"^([0-9]{10}):([a-z0-9][a-z0-9-]{0,63})$")


def _memberships(session):
    return client("roles").ListMemberships(roles_pb2.ListMembershipsRequest(acting_nrn=session.national_register_nr))


@bp.route("/entites", methods=["GET", "POST"])
@auth_session.login_required
def choose():
    session = auth_session.current()
    known = _memberships(session).memberships
    if request.method == "POST":
        found = _CHOICE.match(request.form.get("choice", ""))
        chosen = next((m for m in known if found and (m.entity.enterprise_number, m.quality_id) == found.groups()),
                      None)
        if chosen is None:
            raise BadInput("choice", _("Choose one of the entities listed."))
        auth_session.update_context(entity_id=chosen.entity.enterprise_number, entity_name=chosen.entity.name,
                                    quality_id=chosen.quality_id)
        return redirect(url_for(".connected_as"))
    if not known:
        return render_template("entities/none.html")
    by_entity: OrderedDict[str, dict] = OrderedDict()
    for m in known:
        entry = by_entity.setdefault(m.entity.enterprise_number, {"entity": m.entity, "qualities": []})
        entry["qualities"].append(m.quality_id)
    return render_template("entities/choose.html", entities=list(by_entity.values()),
                           quality_labels=labels.quality_labels("cpas"), primaweb_quality=PRIMAWEB_QUALITY)


@bp.get("/entites/connecte")
@auth_session.login_required
def connected_as():
    session = auth_session.current()
    if not session.entity_id:
        return redirect(url_for(".choose"))
    return render_template("entities/connected_as.html", opens_primaweb=session.quality_id == PRIMAWEB_QUALITY)
