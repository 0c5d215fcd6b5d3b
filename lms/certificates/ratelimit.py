"""A fixed-window rate limit per client address, counted in Django's cache (shared between web
processes in production, so the limit holds across them)."""

import time

from django.conf import settings
from django.core.cache import cache

VERIFY_LIMIT = 30  # look-ups
VERIFY_WINDOW = 60  # seconds


def client_address(request):
    """The address of the person asking, for rate limits and podcast download counts.

    With no proxy in front (development), REMOTE_ADDR. Behind `TRUSTED_PROXY_HOPS` proxies
    (nginx in front of gunicorn is one), REMOTE_ADDR is the nearest proxy, and the client is the
    address the outermost trusted proxy appended to X-Forwarded-For: that many entries from the
    right. Entries further left were written by the client and can be forged, so they are never
    read."""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if hops <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote  # not the chain we were told to expect: fall back to the peer
    return forwarded[-hops]


def retry_after(request, scope, limit=VERIFY_LIMIT, window=VERIFY_WINDOW):
    """Count one request; None if within the limit, else the seconds until the window ends."""
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{client_address(request)}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    return max(start + window - now, 1)
