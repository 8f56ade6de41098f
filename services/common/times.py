"""Moments as Belgian users read them: Europe/Brussels time, whatever the server's zone.

Services store and exchange UTC (protobuf Timestamps, epoch seconds); every place that
shows a moment to a person converts it here, so that two pages never disagree by an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    BRUSSELS: tzinfo = ZoneInfo("Europe/Brussels")
except ZoneInfoNotFoundError:  # no time zone data at all (a bare image): UTC rather than a failure
    BRUSSELS = UTC


def in_brussels(value) -> datetime | None:
    """A protobuf Timestamp, epoch seconds or a datetime (naive means UTC), as an aware
    Brussels datetime; None for an unset Timestamp or None."""
    if value is None:
        return None
    if isinstance(value, int | float):
        when = datetime.fromtimestamp(value, UTC)
    elif isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:  # google.protobuf.Timestamp
        if value.seconds == 0 and value.nanos == 0:
            return None
        when = value.ToDatetime(tzinfo=UTC)
    return when.astimezone(BRUSSELS)
