"""Step 5 onwards: identification. The eID login is built by the auth issue; until then
the step says so plainly instead of failing."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from services.portal.catalogue import ID_PATTERN

bp = Blueprint("identification", __name__)


@bp.get("/identification")
def methods():
    service_id = request.args.get("service", "")
    if not ID_PATTERN.match(service_id):
        abort(400)
    return render_template("identification/pending.html", service_id=service_id), 501
