from django.conf import settings
from wagtail.models import Site

from .models import FooterLinks


def site_links(request):
    """Footer links and contact address for every public page (one query, cached per site)."""
    site = Site.find_for_request(request)
    links = FooterLinks.for_site(site) if site else None

    def url(page_field):
        page = getattr(links, page_field, None) if links else None
        return page.get_url(request) if page and page.live else None

    return {
        "footer_links": {
            "accessibility_statement": url("accessibility_statement"),
            "privacy_notice": url("privacy_notice"),
            "contact": url("contact"),
        },
        "programme_contact_email": settings.PROGRAMME_CONTACT_EMAIL,
    }
