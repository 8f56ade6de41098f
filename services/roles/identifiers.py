"""Validation of the identifiers the roles service receives.

National register numbers: 11 digits, no punctuation, mod-97 check (`stdnum.be.nn`).
Enterprise numbers: 10 digits, no punctuation, starting with 0 or 1, mod-97 check
(`stdnum.be.vat`, which would also accept "BE", dots and the old 9-digit form: we ask
callers for the canonical form only, so one entity never hides behind two spellings).
"""

from __future__ import annotations

import re

from stdnum.be import nn, vat

from services.roles.errors import InvalidArgument

_NRN = re.compile(r"[0-9]{11}")
_ENTERPRISE_NUMBER = re.compile(r"[0-9]{10}")
CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
NAME_MAX = 100


def nrn(field: str, value: str) -> str:
    """A national register number, or InvalidArgument naming `field`."""
    if not value:
        raise InvalidArgument(field, "required (national register number, 11 digits)")
    if not _NRN.fullmatch(value):
        raise InvalidArgument(field, "expected 11 digits, no punctuation")
    if not nn.is_valid(value):
        raise InvalidArgument(field, "not a valid national register number")
    return value


def enterprise_number(field: str, value: str) -> str:
    """An enterprise number, or InvalidArgument naming `field`."""
    if not value:
        raise InvalidArgument(field, "required (enterprise number, 10 digits)")
    if not _ENTERPRISE_NUMBER.fullmatch(value):
        raise InvalidArgument(field, "expected 10 digits, no punctuation")
    if not vat.is_valid(value):
        raise InvalidArgument(field, "not a valid enterprise number")
    return value


def code(field: str, value: str) -> str:
    """An id such as a quality id, an application, a role or a profile code."""
    if not value:
        raise InvalidArgument(field, "required")
    if not CODE.fullmatch(value):
        raise InvalidArgument(field, "lowercase letters, digits and dashes (at most 64)")
    return value


def person_name(field: str, value: str) -> str:
    """A first or last name: not blank, at most NAME_MAX characters, trimmed."""
    value = value.strip()
    if not value:
        raise InvalidArgument(field, "required")
    if len(value) > NAME_MAX or any(not ch.isprintable() for ch in value):
        raise InvalidArgument(field, f"at most {NAME_MAX} printable characters")
    return value
