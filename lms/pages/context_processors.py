from django.conf import settings
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from lms.core import cache

from .models import FooterLinks


def site_links(request):
    """Footer links and contact address for every public page. The links are read only when a
    template shows them (the admin's pages never do), and kept in the cache until a page, the
    site or the setting changes (the site version)."""

    def footer_links():
        site = Site.find_for_request(request)
        if site is None:
            return _links(request, None)
        return cache.remembered(
            f"footer-links:{site.pk}", [cache.SITE], lambda: _links(request, site)
        )

    return {
        "footer_links": SimpleLazyObject(footer_links),
        "programme_contact_email": settings.PROGRAMME_CONTACT_EMAIL,
    }


def _links(request, site):
    links = FooterLinks.for_site(site) if site else None

    def url(page_field):
        page = getattr(links, page_field, None) if links else None
        return page.get_url(request) if page and page.live else None

    return {
        "accessibility_statement": url("accessibility_statement"),
        "privacy_notice": url("privacy_notice"),
        "contact": url("contact"),
    }
