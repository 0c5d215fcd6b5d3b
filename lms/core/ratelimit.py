"""The site's one rate limiter: a fixed window per client, counted in Django's cache.

The cache is shared between web processes in production (Redis, or the database's cache
table), so a limit holds across them. A client is its address's network (`network()` in
`lms/core/client.py`: an IPv4 address whole, an IPv6 address's /64), and the counter's key holds
only an HMAC-SHA256 of it keyed by `SECRET_KEY` (`salted_hmac`): whoever reads the cache learns
no address and cannot test guessed ones without the secret key.

Use `retry_after(scope, address, limit=…, window=…)` where the answer to a refused request is the
caller's own (the certificate look-up, podcast audio), or decorate a view with
`@ratelimited(scope, limit, window)` for a plain 429. Each scope counts on its own.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.crypto import salted_hmac

from .client import client_address, network

KEY_SALT = "lms.core.ratelimit"
TOO_MANY = "Too many requests from your address. Please try again later."


def client_key(scope, address):
    """What stands for one client in one scope's cache keys: a keyed hash of the scope and the
    address's network, never the address."""
    message = f"{scope}\n{network(address)}"
    return salted_hmac(KEY_SALT, message, algorithm="sha256").hexdigest()[:32]


def retry_after(scope, address, *, limit, window, at=None):
    """Count one request from `address` in `scope`, at most `limit` in each fixed window of
    `window` seconds. Returns None while the request is within the limit, otherwise the seconds
    until the window ends (for a Retry-After header, at least 1). `at` (an aware datetime) is
    the moment of the request, now if not given. Refused requests are counted too, so a client
    that keeps asking stays refused until the window ends."""
    now = int(at.timestamp()) if at is not None else int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{client_key(scope, address)}:{start}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    if count <= limit:
        return None
    return max(start + window - now, 1)


def too_many(wait, message=TOO_MANY):
    """A plain-text 429 saying when to ask again."""
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def ratelimited(scope, limit, window, message=TOO_MANY):
    """Decorate a view so each client (`client_address`) may call it `limit` times in each
    window of `window` seconds; after that it answers 429 with Retry-After and the view is not
    run. `limit` may be a function of no arguments, read on every request (a setting)."""

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            most = limit() if callable(limit) else limit
            wait = retry_after(scope, client_address(request), limit=most, window=window)
            if wait:
                return too_many(wait, message)
            return view(request, *args, **kwargs)

        return limited

    return decorate
