"""Caching what every page reads and what the public sees of the catalogue.

A few numbers stand for everything cached. The catalogue version rises with any change to a
run, session, venue, theme or bookable page; the places version with any booking (places left);
the site version with any change to a page, a site, a view restriction or a site setting (the
routes of `lms.core.routing`, the header's navigation, the breadcrumbs and the footer links);
the permissions version with any change to who has which permission. Cached copies are keyed by
the versions they depend on, so a change makes them stale at once and nothing needs to know
which copies exist. The feed shows no places, so bookings do not disturb calendar apps polling
it. Versions live in the shared cache, so all web processes agree.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

CATALOGUE, PLACES, SITE, PERMISSIONS = "catalogue", "places", "site", "permissions"
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


def bump_site(*args, **kwargs):
    """Signal receiver: a page, site, view restriction or site setting changed."""
    _bump(SITE)


def bump_permissions(*args, **kwargs):
    """Signal receiver: someone's groups or permissions, or a group's permissions, changed."""
    _bump(PERMISSIONS)


def remembered(key, versions, compute, timeout=TIMEOUT):
    """`compute()`, kept under `key` until one of the named versions rises."""
    full_key = f"{key}:" + ".".join(str(version(name)) for name in versions)
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def fingerprint(request, *names, extra=()):
    """ "<versions>-<digest of the query string>": a cache key part and an ETag."""
    query = "&".join(sorted(f"{k}={v}" for k, values in request.GET.lists() for v in values))
    digest = hashlib.sha256("|".join([query, *map(str, extra)]).encode()).hexdigest()[:24]
    return ".".join(str(version(name)) for name in names) + "-" + digest


def page_key(request):
    """Where an anonymous visitor's copy of a catalogue page (the listing) is kept."""
    return "page:" + fingerprint(request, CATALOGUE, PLACES, SITE, extra=[request.path])


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
