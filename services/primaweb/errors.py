"""Domain errors of the PrimaWeb service. The servicer maps each class to one gRPC status;
nothing here knows about gRPC or languages.

An error holds one or more violations: the request field concerned, a stable code
("required", "duplicate-open-file", ...) and the values its message needs. The texts, in
four languages, are in `texts.py`; `str(error)` is the English rendering ("nrn: not a valid
national register number"), for logs and tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class PrimaWebError(Exception):
    """Base class of the PrimaWeb service's domain errors."""

    def __init__(self, field_name: str, code: str, /, **params: Any) -> None:
        self.violations: list[Violation] = [Violation(field_name, code, params)]
        super().__init__(field_name, code)

    @classmethod
    def of(cls, violations: Iterable[Violation]) -> PrimaWebError:
        found = list(violations)
        if not found:
            raise ValueError("an error needs at least one violation")
        error = cls(found[0].field, found[0].code, **found[0].params)
        error.violations = found
        return error

    @property
    def field(self) -> str:
        return self.violations[0].field

    @property
    def code(self) -> str:
        return self.violations[0].code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.violations[0].params

    def __str__(self) -> str:
        from services.primaweb import texts

        return texts.describe(self.violations, "en")


class InvalidArgument(PrimaWebError):
    """A value is malformed, missing or out of bounds (one violation per field)."""


class PermissionDenied(PrimaWebError):
    """The actor's role or profiles do not open this action."""


class NotFound(PrimaWebError):
    """No such file, form, decision or message in the actor's entity."""


class FailedPrecondition(PrimaWebError):
    """The request is well-formed and allowed, but the data is not in the state it needs
    (a second open file, a form already sent, already answered...)."""


class Problems:
    """Collects the violations of a whole request, so that all of them are reported at
    once: `with Problems() as p: x = p.check(parse, ...)` raises InvalidArgument at the end
    of the block when any check failed (the values of failed checks are None)."""

    def __init__(self) -> None:
        self.found: list[Violation] = []

    def check(self, parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except InvalidArgument as exc:
            self.found.extend(exc.violations)
            return None

    def add(self, field_name: str, code: str, **params: Any) -> None:
        self.found.append(Violation(field_name, code, params))

    def failed(self, *fields: str) -> bool:
        return any(v.field in fields for v in self.found)

    def __enter__(self) -> Problems:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None and self.found:
            raise InvalidArgument.of(self.found)
