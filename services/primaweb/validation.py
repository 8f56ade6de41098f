"""Parsing and validation of the values PrimaWeb receives. Each function returns the
canonical value or raises InvalidArgument naming the request field.

National register numbers: 11 digits, no punctuation, mod-97 check (`stdnum.be.nn`, which
also gives the birth date and the sex). Enterprise numbers: 10 digits, mod-97
(`stdnum.be.vat`). Callers send the canonical form only, so that one person or entity
never hides behind two spellings.

Amounts are euros as `decimal.Decimal` with 2 decimals, never floats: "1234.56" is
parsed by Decimal from the string itself.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum.be import nn, vat

from services.primaweb.errors import InvalidArgument

_NRN = re.compile(r"[0-9]{11}")
_ENTERPRISE_NUMBER = re.compile(r"[0-9]{10}")
_POSTAL_CODE = re.compile(r"[1-9][0-9]{3}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,2})?")
_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
FILE_NUMBER = re.compile(r"([0-9]{4})/([0-9]{6})")

NAME_MAX = 100
CENT = Decimal("0.01")
MAX_MONTHLY_AMOUNT = Decimal("10000.00")
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100


def nrn(field: str, value: str) -> str:
    """A national register number, or InvalidArgument naming `field`."""
    if not value:
        raise InvalidArgument(field, "required")
    if not _NRN.fullmatch(value):
        raise InvalidArgument(field, "nrn-format")
    if not nn.is_valid(value):
        raise InvalidArgument(field, "nrn-invalid")
    return value


def birth_date(valid_nrn: str) -> date | None:
    """The birth date a valid national register number says, or None when it does not say
    it fully (numbers given with an unknown day or month)."""
    return nn.get_birth_date(valid_nrn)


def sex(valid_nrn: str) -> str:
    """"M" or "F", from the counter's parity."""
    return nn.get_gender(valid_nrn)


def enterprise_number(field: str, value: str) -> str:
    if not value:
        raise InvalidArgument(field, "required")
    if not _ENTERPRISE_NUMBER.fullmatch(value):
        raise InvalidArgument(field, "enterprise-number-format")
    if not vat.is_valid(value):
        raise InvalidArgument(field, "enterprise-number-invalid")
    return value


def text(field: str, value: str, *, maximum: int = NAME_MAX, required: bool = True) -> str:
    """Trimmed printable text of at most `maximum` characters; "" when allowed empty."""
    value = value.strip()
    if not value:
        if required:
            raise InvalidArgument(field, "required")
        return ""
    if len(value) > maximum or any(not ch.isprintable() for ch in value):
        raise InvalidArgument(field, "text", max=maximum)
    return value


def postal_code(field: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidArgument(field, "required")
    if not _POSTAL_CODE.fullmatch(value):
        raise InvalidArgument(field, "postal-code")
    return value


def iso_date(field: str, value: str, *, required: bool = True) -> date | None:
    """A date "YYYY-MM-DD"; None when empty and not required."""
    if not value:
        if required:
            raise InvalidArgument(field, "required")
        return None
    if not _DATE.fullmatch(value):
        raise InvalidArgument(field, "date-format")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument(field, "date-format") from None


def amount(field: str, value: str, *, required: bool = True, maximum: Decimal = MAX_MONTHLY_AMOUNT) -> Decimal | None:
    """Euros: digits, optionally a dot and 1 or 2 decimals; > 0 and at most `maximum`.
    Returned with exactly 2 decimals."""
    if not value:
        if required:
            raise InvalidArgument(field, "required")
        return None
    if not _AMOUNT.fullmatch(value):
        raise InvalidArgument(field, "amount-format")
    try:
        parsed = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        raise InvalidArgument(field, "amount-format") from None
    if parsed <= 0:
        raise InvalidArgument(field, "amount-positive")
    if parsed > maximum:
        raise InvalidArgument(field, "amount-max", max=maximum)
    return parsed.quantize(CENT)


def euros(value: Decimal) -> str:
    """The canonical text of an amount: "1234.50"."""
    return str(value.quantize(CENT))


def request_id(field: str, value: str) -> str:
    if not value:
        raise InvalidArgument(field, "required")
    if not _REQUEST_ID.fullmatch(value):
        raise InvalidArgument(field, "request-id-format")
    return value


def file_number(field: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidArgument(field, "required")
    if not FILE_NUMBER.fullmatch(value):
        raise InvalidArgument(field, "file-number-format")
    return value


def form_id(field: str, value: str) -> str:
    """A form id: a UUID in its canonical lowercase form."""
    value = value.strip().lower()
    if not value:
        raise InvalidArgument(field, "required")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise InvalidArgument(field, "form-id-format") from None
    if str(parsed) != value:
        raise InvalidArgument(field, "form-id-format")
    return value


def choice(field: str, value: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    """One of the values of an enumeration (the servicer maps proto enums to codes; an
    unspecified or unknown enum arrives as "")."""
    if value not in allowed:
        raise InvalidArgument(field, "choose-one")
    return value


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def page(number: int, size: int, *, default: int = PAGE_SIZE_DEFAULT, maximum: int = PAGE_SIZE_MAX,
         prefix: str = "") -> Page:
    if number < 0:
        raise InvalidArgument(f"{prefix}page", "page")
    if size < 0 or size > maximum:
        raise InvalidArgument(f"{prefix}page_size", "page-size", max=maximum)
    return Page(number or 1, size or default)


def name_key(value: str) -> str:
    """The search form of a name: accents removed, case folded, spaces collapsed
    ("  Élise  Van-Dam" -> "elise van-dam"). Stored beside each name, so that a prefix
    search is an index range scan on both SQLite and PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has no such day)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
