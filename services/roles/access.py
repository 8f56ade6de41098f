"""Who may do what for an entity: the acting person's standing there, read in one query,
and the checks every method makes before touching data.

The rules (the service checks them itself, trusting nothing but the acting_nrn sent):
- any read about an entity needs a quality for that entity;
- an application is opened by one quality (PrimaWeb: "action-sociale"): listing one's
  roles in it, starting it, and holding a role in it all need that quality;
- managing PrimaWeb agents and profiles needs the role "gestion-primaweb" (with the
  quality that opens PrimaWeb) for that very entity;
- granting and withdrawing qualities and roles needs the quality "gestion-acces".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, literal_column, select, union_all
from sqlalchemy.orm import Session

from services.roles.errors import InvalidArgument, NotFound, PermissionDenied
from services.roles.models import ApplicationRole, Entity, QualityHeld

ACTION_SOCIALE = "action-sociale"
GESTION_ACCES = "gestion-acces"
# The qualities (ids of the portal catalogue's CPAS sector) this service records.
QUALITIES = (ACTION_SOCIALE, GESTION_ACCES)

PRIMAWEB = "primaweb"
AGENT_SOCIAL = "agent-social"
GESTION_PRIMAWEB = "gestion-primaweb"


@dataclass(frozen=True)
class Application:
    id: str
    quality: str  # the quality that opens it
    roles: tuple[str, ...]  # in the order they are offered


APPLICATIONS = {PRIMAWEB: Application(PRIMAWEB, ACTION_SOCIALE, (AGENT_SOCIAL, GESTION_PRIMAWEB))}


def application(value: str) -> Application:
    try:
        return APPLICATIONS[value]
    except KeyError:
        raise InvalidArgument("application", f"unknown application {value!r}") from None


def role_of(app: Application, value: str) -> str:
    if value not in app.roles:
        raise InvalidArgument("role", f"unknown role {value!r} of {app.id}")
    return value


def quality(value: str) -> str:
    if value not in QUALITIES:
        raise InvalidArgument("quality_id", f"unknown quality {value!r}")
    return value


@dataclass(frozen=True)
class EntityView:
    enterprise_number: str
    name: str
    kind: str
    commune: str


@dataclass
class Standing:
    """What the acting person holds for one entity."""

    nrn: str
    entity: EntityView
    qualities: set[str] = field(default_factory=set)
    roles: set[tuple[str, str]] = field(default_factory=set)  # (application, role)

    def holds_role(self, app: Application, role: str) -> bool:
        # A role counts only with the quality that opens its application.
        return app.quality in self.qualities and (app.id, role) in self.roles

    def roles_in(self, app: Application) -> list[str]:
        if app.quality not in self.qualities:
            return []
        return [r for r in app.roles if (app.id, r) in self.roles]

    # --- the checks ---------------------------------------------------------------

    def require_member(self) -> Standing:
        if not self.qualities:
            raise PermissionDenied("acting_nrn", "holds no quality for this entity")
        return self

    def require_quality(self, quality_id: str) -> Standing:
        if quality_id not in self.qualities:
            raise PermissionDenied("acting_nrn", f"does not hold the quality {quality_id} for this entity")
        return self

    def require_primaweb_manager(self) -> Standing:
        if not self.holds_role(APPLICATIONS[PRIMAWEB], GESTION_PRIMAWEB):
            raise PermissionDenied("acting_nrn", f"does not hold the role {GESTION_PRIMAWEB} for this entity")
        return self


# Built once: composing the statement costs more than running it on every page view.
_STANDING = union_all(
    select(literal_column("'e'"), Entity.name, Entity.kind, Entity.commune)
    .where(Entity.enterprise_number == bindparam("number")),
    select(literal_column("'q'"), QualityHeld.quality_id, literal_column("''"), literal_column("''"))
    .where(QualityHeld.person_nrn == bindparam("nrn"), QualityHeld.enterprise_number == bindparam("number")),
    select(literal_column("'r'"), ApplicationRole.application, ApplicationRole.role, literal_column("''"))
    .where(ApplicationRole.person_nrn == bindparam("nrn"), ApplicationRole.enterprise_number == bindparam("number")),
)


def standing(session: Session, acting_nrn: str, enterprise_number: str) -> Standing:
    """The acting person's entity, qualities and roles there, in one round trip.

    NotFound when the entity is unknown; an unknown person simply holds nothing.
    """
    rows = session.execute(_STANDING, {"nrn": acting_nrn, "number": enterprise_number}).all()
    entity = next((EntityView(enterprise_number, r[1], r[2], r[3]) for r in rows if r[0] == "e"), None)
    if entity is None:
        raise NotFound("enterprise_number", "unknown entity")
    return Standing(
        acting_nrn, entity,
        qualities={r[1] for r in rows if r[0] == "q"},
        roles={(r[1], r[2]) for r in rows if r[0] == "r"},
    )
