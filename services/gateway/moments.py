"""The one way the pages show a moment: Europe/Brussels time (services.common.times), in
the page's language ("05/03/2026 14:30"; "2026-03-05 14:30" in English)."""

from __future__ import annotations

from babel.dates import format_datetime

from services.common.times import in_brussels
from services.gateway import i18n

_PATTERN = {"en": ("yyyy-MM-dd HH:mm", "yyyy-MM-dd")}
_DEFAULT = ("dd/MM/yyyy HH:mm", "dd/MM/yyyy")


def moment(value, with_time: bool = True) -> str:
    """A protobuf Timestamp (or epoch seconds, or a datetime) in Brussels time; "" when unset."""
    when = in_brussels(value)
    if when is None:
        return ""
    language = i18n.language()
    pattern = _PATTERN.get(language, _DEFAULT)[0 if with_time else 1]
    return format_datetime(when, pattern, tzinfo=when.tzinfo, locale=language)
