"""Fixtures that start real things and always stop them."""

from __future__ import annotations

import pytest

from tests.support import RunningStack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The whole system, started by the launcher of `make run`, for the session."""
    running = RunningStack(tmp_path_factory.mktemp("run"))
    yield running
    running.stop()
