"""Caching what the public sees of the catalogue: the "What's on" listing and the public feed.

Two numbers stand for everything they show. The catalogue version rises with any change to a
run, session, venue, theme or bookable page; the places version with any booking (places left).
Cached copies are keyed by the versions they depend on, so a change makes them stale at once and
nothing needs to know which copies exist. The feed shows no places, so bookings do not disturb
calendar apps polling it. Versions live in the shared cache, so all web processes agree.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

CATALOGUE, PLACES = "catalogue", "places"
TIMEOUT = 60 * 60


def version(name=CATALOGUE):
    key = f"{name}:version"
    current = cache.get(key)
    if current is None:
        cache.add(key, 1, None)
        cache.add(f"{name}:changed-at", timezone.now().replace(microsecond=0), None)
        current = cache.get(key, 1)
    return current


def changed_at(name=CATALOGUE):
    version(name)
    return cache.get(f"{name}:changed-at")


def _bump(name):
    try:
        cache.incr(f"{name}:version")
    except ValueError:
        cache.set(f"{name}:version", 2, None)
    cache.set(f"{name}:changed-at", timezone.now().replace(microsecond=0), None)


def bump_version(name):
    """Raise another app's version, kept here the same way (the Figures panel's "figures")."""
    _bump(name)


def bump(*args, **kwargs):
    """Signal receiver: something in the catalogue changed."""
    _bump(CATALOGUE)


def bump_places(*args, **kwargs):
    """Signal receiver: a booking changed, so places left may have."""
    _bump(PLACES)


def fingerprint(request, *names, extra=()):
    """ "<versions>-<digest of the query string>": a cache key part and an ETag."""
    query = "&".join(sorted(f"{k}={v}" for k, values in request.GET.lists() for v in values))
    digest = hashlib.sha256("|".join([query, *map(str, extra)]).encode()).hexdigest()[:24]
    return ".".join(str(version(name)) for name in names) + "-" + digest


def page_key(request):
    """Where an anonymous visitor's copy of a catalogue page (the listing) is kept."""
    return "page:" + fingerprint(request, CATALOGUE, PLACES, extra=[request.path])


class CachedCatalogueMiddleware:
    """Answer repeat anonymous requests for cached catalogue pages before any routing or
    database work. Only requests that are certainly anonymous (no session cookie) and have no
    pending messages are answered here; everything else goes on to the page, which fills the
    cache for the next visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponse

        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        ):
            body = cache.get(page_key(request))
            if body is not None:
                response = HttpResponse(body)
                response["Vary"] = "Cookie"
                return response
        return self.get_response(request)
