"""The README names every port the launcher opens, and moments are shown in Brussels time."""

from __future__ import annotations

import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp

from devtools.stack import PORTS
from services.common.times import in_brussels
from tests.support import ROOT


def test_the_readme_lists_every_port_variable_of_the_launcher():
    readme = (ROOT / "README.md").read_text()
    missing = [variable for variable, _ in PORTS.values() if f"`{variable}`" not in readme]
    assert missing == []
    for _, default in PORTS.values():
        assert str(default) in readme


def test_moments_are_shown_in_brussels_time_summer_and_winter():
    winter, summer = Timestamp(), Timestamp()
    winter.FromDatetime(dt.datetime(2026, 1, 15, 21, 19, tzinfo=dt.UTC))
    summer.FromDatetime(dt.datetime(2026, 7, 15, 21, 19, tzinfo=dt.UTC))
    assert in_brussels(winter).strftime("%d/%m/%Y %H:%M") == "15/01/2026 22:19"
    assert in_brussels(summer).strftime("%d/%m/%Y %H:%M") == "15/07/2026 23:19"
    assert in_brussels(Timestamp()) is None  # unset
    assert in_brussels(dt.datetime(2026, 1, 15, 21, 19)).hour == 22  # naive means UTC
    assert in_brussels(1768511940.0).hour == 22  # epoch seconds (the audit trail)
