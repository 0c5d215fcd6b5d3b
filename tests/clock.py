"""A clock that stands still in the middle of a minute, for tests of per-minute rate limits: a
run of requests that happened to cross a minute boundary would start a fresh window half way."""

import time

import pytest


@pytest.fixture
def still_clock(monkeypatch):
    """Pin `time.time()` to 30 seconds into the current minute; returns that moment."""
    moment = int(time.time()) // 60 * 60 + 30.0
    monkeypatch.setattr(time, "time", lambda: moment)
    return moment
