"""The site's name and public address for templates rendered without a request (emails): read
from settings.SITE_NAME and SITE_URL, the one source, never from the request's host."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name():
    return settings.SITE_NAME


@register.simple_tag
def site_url(path="/"):
    """SITE_URL followed by `path` ("/" by default): an absolute link to the site."""
    return settings.SITE_URL.rstrip("/") + path
