"""A fixed-window rate limit per client address, counted in Django's cache (shared between web
processes in production, so the limit holds across them)."""

import time

from django.core.cache import cache

from lms.core.client import client_address

VERIFY_LIMIT = 30  # look-ups
VERIFY_WINDOW = 60  # seconds


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
