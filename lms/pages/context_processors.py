from django.conf import settings
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .models import FooterLinks


def site_links(request):
    """Footer links and contact address for every public page. The links are read at most once
    a request, and only when a template shows them: the admin's pages never do."""

    def footer_links():
        site = Site.find_for_request(request)
        links = FooterLinks.for_site(site) if site else None

        def url(page_field):
            page = getattr(links, page_field, None) if links else None
            return page.get_url(request) if page and page.live else None

        return {
            "accessibility_statement": url("accessibility_statement"),
            "privacy_notice": url("privacy_notice"),
            "contact": url("contact"),
        }

    return {
        "footer_links": SimpleLazyObject(footer_links),
        "programme_contact_email": settings.PROGRAMME_CONTACT_EMAIL,
    }
