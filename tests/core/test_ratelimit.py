"""The site's one rate limiter (lms/core/ratelimit.py): fixed windows per client and scope, kept
in the cache under keyed hashes. Moments are passed with `at=` or the clock is held still."""

import hashlib
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from lms.core.ratelimit import ratelimited, retry_after

MINUTE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def ask(address, at, scope="test", limit=3, window=60):
    return retry_after(scope, address, limit=limit, window=window, at=at)


def test_requests_over_the_limit_are_told_when_the_window_ends():
    at = MINUTE + timedelta(seconds=10)

    assert [ask("203.0.113.7", at) for _ in range(4)] == [None, None, None, 50]
    assert ask("203.0.113.7", MINUTE + timedelta(seconds=59)) == 1
    assert ask("203.0.113.7", MINUTE + timedelta(seconds=60)) is None  # a new window


def test_each_client_and_each_scope_counts_on_its_own():
    for _ in range(3):
        ask("203.0.113.7", MINUTE)

    assert ask("203.0.113.7", MINUTE) is not None
    assert ask("203.0.113.8", MINUTE) is None
    assert ask("203.0.113.7", MINUTE, scope="other") is None


def test_an_ipv6_64_is_one_client_and_the_next_64_another():
    for host in (1, 2, 3):
        assert ask(f"2001:db8:1:2::{host}", MINUTE) is None

    assert ask("2001:db8:1:2:ffff:ffff:ffff:ffff", MINUTE) is not None
    assert ask("2001:db8:1:3::1", MINUTE) is None


def test_the_cache_holds_neither_the_address_nor_a_hash_anyone_could_recompute(settings):
    """A plain hash of an IPv4 address is reversed by hashing all four billion of them; the key
    must depend on the secret key too."""
    settings.SECRET_KEY = "one-secret-key-" * 4
    ask("203.0.113.7", MINUTE)
    ask("2001:db8:beef:cafe::7", MINUTE)
    first = set(cache._cache)  # LocMemCache in tests
    cache.clear()
    settings.SECRET_KEY = "another-secret-" * 4
    ask("203.0.113.7", MINUTE)
    ask("2001:db8:beef:cafe::7", MINUTE)
    second = set(cache._cache)

    assert len(first) == len(second) == 2
    assert not first & second  # the same clients at the same moment: other keys
    plain = [
        hashlib.sha256(text.encode()).hexdigest()[:32]
        for text in ("203.0.113.7", "2001:db8:beef:cafe::/64")
    ]
    for key in first | second:
        for trace in ("203.0.113.7", "2001:db8:beef:cafe", *plain):
            assert trace not in key, (trace, key)


def view_counting_calls():
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse("the answer")

    return view, calls


def get(view, address):
    return view(RequestFactory().get("/", REMOTE_ADDR=address))


def test_a_decorated_view_answers_429_with_retry_after_and_is_not_run(still_clock):
    view, calls = view_counting_calls()
    limited = ratelimited("decorated", 2, 60)(view)

    answers = [get(limited, "203.0.113.7") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"] == "30"  # the clock stands 30 seconds into the minute
    assert answers[2]["Content-Type"].startswith("text/plain")
    assert "Too many requests" in answers[2].content.decode()
    assert len(calls) == 2
    assert get(limited, "198.51.100.2").status_code == 200  # someone else


def test_a_decorated_views_limit_can_be_read_from_a_setting_on_each_request(settings, still_clock):
    settings.SOME_LIMIT = 1
    view, _calls = view_counting_calls()
    limited = ratelimited("from-setting", lambda: settings.SOME_LIMIT, 60)(view)

    assert get(limited, "203.0.113.7").status_code == 200
    assert get(limited, "203.0.113.7").status_code == 429
    settings.SOME_LIMIT = 5
    assert get(limited, "203.0.113.7").status_code == 200
