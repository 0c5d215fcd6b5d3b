"""Page routing from the cache: Wagtail's page serving without its routing queries.

Wagtail finds the page for an address with a query for the Site, one or two for the page tree
and two for the view restrictions of the page and its ancestors: five queries before the page
does any work, on every page request. The answer changes only when a page, a site or a view
restriction does, so it is kept in the cache under the site version (`lms.core.cache.SITE`),
which every such change raises (`lms.pages.apps`).

`serve` is Wagtail's own `serve` view with the answers it keeps on the request
(`request._wagtail_site`, by `CachedSiteMiddleware`, and `request._wagtail_route_for_request`)
filled in from the cache:
its hooks, `before_serve_page` and the page's `serve` run as they always do. Only plain routes
(a page at its own address, no sub-page arguments) of pages without view restrictions are
kept; for those, the page's view restrictions are known to be none, so the check Wagtail runs
on every request is answered without a query. A private page, a routable page's sub-address, a
preview and anything not found go through Wagtail's routing as before.
"""

from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from . import cache as versions

TIMEOUT = 60 * 60


def _where(request):
    """The host and port, as Wagtail matches a Site (the raw host: before ALLOWED_HOSTS), under
    the current site version."""
    return f"{versions.version(versions.SITE)}:{request._get_raw_host()}:{request.get_port()}"


def _key(request, path):
    return f"route:{_where(request)}:{path}"


def _unrestricted():
    return PageViewRestriction.objects.none()


def serve(request, path):
    if request.method not in ("GET", "HEAD"):
        return wagtail_serve(request, path)
    key = _key(request, path)
    page = cache.get(key)
    if page is not None:
        page.get_view_restrictions = _unrestricted
        request._wagtail_route_for_request = RouteResult(page)
        return wagtail_serve(request, path)
    route = Page.route_for_request(request, path)
    if route is not None:
        page, args, kwargs = route
        if not args and not kwargs and not page.get_view_restrictions().exists():
            cache.set(key, page, TIMEOUT)
    return wagtail_serve(request, path)


class CachedSiteMiddleware:
    """Every page, and every view that builds a page's address, asks Wagtail for the request's
    Site (a query). The answer for a host and port is kept in the cache under the site version
    and handed to Wagtail where it keeps it (`request._wagtail_site`); the first request that
    asks fills it, and a request that never asks costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = f"site:{_where(request)}"
        site = cache.get(key)
        if site is not None:
            request._wagtail_site = site
        response = self.get_response(request)
        if site is None and getattr(request, "_wagtail_site", None) is not None:
            cache.set(key, request._wagtail_site, TIMEOUT)
        return response
