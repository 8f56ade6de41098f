"""Steps 10 to 12: starting PrimaWeb (role choice), its home, and profile management."""

from __future__ import annotations

import functools
import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import auth_session, grammar, i18n, labels
from services.gateway.clients import ServiceError, client, session_cache
from services.gateway.errors import BadInput
from ssp.auth.v1 import auth_pb2
from ssp.primaweb.v1 import primaweb_pb2
from ssp.roles.v1 import roles_pb2

log = logging.getLogger(__name__)
bp = Blueprint("primaweb", __name__, url_prefix="/primaweb")

APPLICATION = "primaweb"
MANAGER = "gestion-primaweb"


def _entity_chosen(view):
    """PrimaWeb pages need a live session with an entity chosen for Action sociale."""

    @functools.wraps(view)
    @auth_session.login_required
    def wrapper(*args, **kwargs):
        if auth_session.current().quality_id != "action-sociale":
            return redirect(url_for("entities.choose"))
        return view(*args, **kwargs)

    return wrapper


def _in_role(*roles: str):
    def decorator(view):
        @functools.wraps(view)
        @_entity_chosen
        def wrapper(*args, **kwargs):
            role = auth_session.current().role
            if not role:
                return redirect(url_for("entities.connected_as"))
            if role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _roles_held(session) -> list[str]:
    return list(client("roles").ListApplicationRoles(roles_pb2.ListApplicationRolesRequest(
        acting_nrn=session.national_register_nr, enterprise_number=session.entity_id, application=APPLICATION,
    )).roles)


def _start(session, role: str):
    started = client("roles").StartApplication(roles_pb2.StartApplicationRequest(
        acting_nrn=session.national_register_nr, enterprise_number=session.entity_id,
        application=APPLICATION, role=role,
    ))
    auth_session.update_context(entity_id=session.entity_id, entity_name=session.entity_name,
                                quality_id=session.quality_id, role=role, profiles=list(started.profiles))
    return redirect(url_for(".home"))


@bp.post("/demarrer")
@_entity_chosen
def start():
    session = auth_session.current()
    held = _roles_held(session)
    if not held:
        return render_template("primaweb/no_access.html"), 403
    if len(held) == 1:
        return _start(session, held[0])
    return redirect(url_for(".choose_role"))


@bp.route("/role", methods=["GET", "POST"])
@_entity_chosen
def choose_role():
    session = auth_session.current()
    held = _roles_held(session)
    if not held:
        return render_template("primaweb/no_access.html"), 403
    error = None
    if request.method == "POST":
        role = request.form.get("role", "")
        if role in held:
            return _start(session, role)
        error = _("Choose one of the roles listed.")
    return render_template("primaweb/choose_role.html", roles=held, role_labels=labels.ROLE_LABELS,
                           role_hints=labels.ROLE_HINTS, error=error), 400 if error else 200


@bp.get("/")
@_in_role("agent-social", MANAGER)
def home():
    session = auth_session.current()
    composed = client("primaweb").GetHome(primaweb_pb2.GetHomeRequest(
        acting_nrn=session.national_register_nr, entity_id=session.entity_id, role=session.role,
        profiles=list(session.profiles), language=i18n.language(),
    ))
    # Flagged by auth when a manager changed this agent's profiles after the start.
    changed = session.role != MANAGER and session.profiles_changed
    return render_template("primaweb/home.html", home=composed, profiles_changed=changed)


@bp.route("/gestion", methods=["GET", "POST"])
@_in_role(MANAGER)
def manage_profiles():
    session = auth_session.current()
    roles = client("roles")
    if request.method == "POST":
        agent_nrn = request.form.get("agent_nrn", "")
        wanted = sorted(set(request.form.getlist("profiles")))
        known = {p.code for p in roles.ListProfileCatalogue(roles_pb2.ListProfileCatalogueRequest()).profiles}
        if unknown := [code for code in wanted if code not in known]:
            raise BadInput("profiles", _("unknown profile: %(codes)s", codes=", ".join(unknown)[:200]))
        # All or nothing, in one transaction of the roles service (which checks the codes too).
        saved = roles.SetProfiles(roles_pb2.SetProfilesRequest(
            acting_nrn=session.national_register_nr, enterprise_number=session.entity_id, agent_nrn=agent_nrn,
            profiles=wanted,
        ))
        name = f"{saved.agent.first_name} {saved.agent.last_name}"
        if saved.changed:
            # The agent's running sessions keep their profiles, but will say they changed.
            try:
                client("auth").NoteProfilesChanged(auth_pb2.NoteProfilesChangedRequest(
                    national_register_nr=agent_nrn, entity_id=session.entity_id,
                ))
                session_cache().forget_person(session.entity_id, agent_nrn)  # here at once, elsewhere by auth's event
            except ServiceError as exc:  # saved all the same: say so, not a 503 page
                log.warning("profiles_change_not_noted", extra={"code": exc.code.name})
                flash(_("The profiles %(of_name)s are saved. They apply at their next login; an open session of "
                        "theirs could not be told.", of_name=grammar.of(name)), "success")
            else:
                flash(_("The profiles %(of_name)s are saved. They apply at their next login.",
                        of_name=grammar.of(name)), "success")
        else:
            flash(_("Nothing changed for %(name)s.", name=name))
        return redirect(url_for(".manage_profiles"))
    agents = roles.ListAgents(roles_pb2.ListAgentsRequest(
        acting_nrn=session.national_register_nr, enterprise_number=session.entity_id,
    )).agents
    catalogue = roles.ListProfileCatalogue(roles_pb2.ListProfileCatalogueRequest(language=i18n.language())).profiles
    return render_template("primaweb/manage_profiles.html", agents=agents, catalogue=catalogue,
                           profile_labels={p.code: p.label for p in catalogue})
