"""Domain errors of the roles service. The servicer maps each class to one gRPC status;
nothing here knows about gRPC. Messages start with the request field concerned
("acting_nrn: ...") so a caller can tell which value was refused."""

from __future__ import annotations


class RolesError(Exception):
    """Base class of the roles service's domain errors."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidArgument(RolesError):
    """A value is malformed (wrong format, bad check digits) or names nothing we know of."""


class PermissionDenied(RolesError):
    """The acting person may not do this for this entity."""


class NotFound(RolesError):
    """An unknown entity, person or agent."""


class FailedPrecondition(RolesError):
    """The request is well-formed and allowed, but the data is not in the state it needs
    (e.g. a role for a person who does not hold the quality the application requires)."""
