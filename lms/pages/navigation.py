"""The header's primary navigation and the breadcrumbs of content pages.

The sections are pages organisers choose (the Navigation setting); the personal links are the
site's own addresses, shown to people signed in. A section is the current one when the page
shown is its page or below it; a personal link when the address is its address or below it.
"""

from dataclasses import dataclass

from django.urls import reverse
from wagtail.models import Page, Site

from lms.core import cache

from .models import Navigation


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


def _section_pages(request, site):
    """[(label, page)] of the site's sections: the Navigation setting's live links, or the home
    page's live children marked "Show in menus" when none are chosen. Two queries; the
    setting is read once a request (Wagtail keeps it on the request)."""
    navigation = Navigation.for_request(request)
    chosen = list(navigation.links.select_related("page").order_by("sort_order", "pk"))
    if chosen:  # an organiser's choice, even if none of its pages is live just now
        return [(link.label or link.page.title, link.page) for link in chosen if link.page.live]
    return [(page.title, page) for page in site.root_page.get_children().live().in_menu()]


def _sections(request, site):
    """[(label, url, page id, page path)] of the site's sections, kept in the cache until a
    page, the site or the Navigation setting changes (the site version)."""

    def compute():
        return [
            (label, url, page.pk, page.path)
            for label, page in _section_pages(request, site)
            if (url := page.get_url(request))
        ]

    return cache.remembered(f"navigation:{site.pk}", [cache.SITE], compute)


def _is_within(page, section_pk, section_path, site):
    """`page` is the section's page or below it; a section that is the home page is current
    only there."""
    if page is None:
        return False
    if section_pk == site.root_page_id or page.pk == section_pk:
        return page.pk == section_pk
    return page.path.startswith(section_path)


def has_admin_access(user):
    """Whether the admin link shows: the permission check reads two tables, so its answer is
    kept in the cache until anyone's groups or permissions change (the permissions version)."""
    return cache.remembered(
        f"admin-access:{user.pk}",
        [cache.PERMISSIONS],
        lambda: user.has_perm("wagtailadmin.access_admin"),
    )


def primary_links(request, page=None):
    """The header's links for this request, the current one marked."""
    site = Site.find_for_request(request)
    sections = _sections(request, site) if site else []
    current_page = page if isinstance(page, Page) else None
    links = [
        Link(label, url, _is_within(current_page, pk, path, site))
        for label, url, pk, path in sections
    ]
    user = request.user
    if user.is_authenticated:
        personal = [
            ("My bookings", reverse("bookings:my_bookings")),
            ("My learning", reverse("learning:my_learning")),
            ("My account", reverse("accounts:account")),
        ]
        if has_admin_access(user):
            personal.append(("Organiser admin", reverse("wagtailadmin_home")))
        links += [Link(label, url, request.path.startswith(url)) for label, url in personal]
    # One link at most is the current one: the deepest (a section inside another's tree).
    marked = [link for link in links if link.current]
    if len(marked) > 1:
        deepest = max(marked, key=lambda link: len(link.url))
        links = [Link(link.label, link.url, link is deepest) for link in links]
    return links


def breadcrumbs(request, page):
    """[Link] from the home page down to `page`'s parent: the live pages above it on this site.
    Empty on the home page itself. One query, kept in the cache until a page changes."""
    site = Site.find_for_request(request)
    if site is None or not isinstance(page, Page) or page.pk == site.root_page_id:
        return []
    return cache.remembered(
        f"breadcrumbs:{site.pk}:{page.pk}", [cache.SITE], lambda: _trail(request, page, site)
    )


def _trail(request, page, site):
    ancestors = list(page.get_ancestors().live())
    start = next((i for i, a in enumerate(ancestors) if a.pk == site.root_page_id), None)
    if start is None:  # a page outside this site's tree
        return []
    trail = []
    for ancestor in ancestors[start:]:
        url = ancestor.get_url(request)
        if url:
            label = "Home" if ancestor.pk == site.root_page_id else ancestor.title
            trail.append(Link(label, url))
    return trail
